package capfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// tee keeps a copy of a stream in an unlinked temporary file in TMPDIR so
// frames of pipes and of compressed files other than gzip can be re-read by
// offset (of a gzip pipe, the compressed bytes are kept, for its index);
// the file vanishes with the process, whatever happens to it.
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

// ReadAt reads back what was written, flushing first: a gzip pipe's
// compressed bytes are kept this way for the index to re-inflate.
func (t *tee) ReadAt(p []byte, off int64) (int, error) {
	t.mu.Lock()
	if t.flushed < t.written {
		if err := t.w.Flush(); err != nil {
			t.mu.Unlock()
			return 0, err
		}
		t.flushed = t.written
	}
	t.mu.Unlock()
	return t.f.ReadAt(p, off)
}

// teeReader copies what it reads from r into t.
type teeReader struct {
	r io.Reader
	t *tee
}

func (tr teeReader) Read(p []byte) (int, error) {
	n, err := tr.r.Read(p)
	if n > 0 {
		if werr := tr.t.write(p[:n]); werr != nil {
			return n, fmt.Errorf("keeping a copy of the compressed stream for random access: %w", werr)
		}
	}
	return n, err
}
