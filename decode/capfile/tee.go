package capfile

import (
	"bufio"
	"errors"
	"os"
	"sync"
)

// tee keeps a copy of the decompressed stream in an unlinked temporary file
// so frames of gzip files and pipes can be re-read by offset; the file
// vanishes with the process, whatever happens to it.
type tee struct {
	mu      sync.Mutex // Next writes while a UI goroutine may call ReadFrame
	f       *os.File
	w       *bufio.Writer
	written int64 // bytes handed to w
	flushed int64 // bytes that reached f
}

func newTee() (*tee, error) {
	f, err := os.CreateTemp("", "wirelens-*.stream")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return &tee{f: f, w: bufio.NewWriterSize(f, 128<<10)}, nil
}

func (t *tee) write(b []byte) error {
	t.mu.Lock()
	n, err := t.w.Write(b)
	t.written += int64(n)
	t.mu.Unlock()
	return err
}

// sync makes sure the first end bytes are in the file.
func (t *tee) sync(end int64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if end > t.written {
		return errors.New("that part of the stream has not been read yet")
	}
	if end > t.flushed {
		if err := t.w.Flush(); err != nil {
			return err
		}
		t.flushed = t.written
	}
	return nil
}
