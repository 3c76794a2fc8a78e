package capfile

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// members reads a gzip stream member after member, as gzip -d does, but
// bytes after the last member that do not start another one end the
// stream with a warning, not as damage: tools pad or append to .gz files,
// and the capture before them is whole.
type members struct {
	gz       *gzip.Reader
	raw      *bufio.Reader
	trailing int64 // bytes of trailing garbage seen, once the stream ended
	done     bool
}

func newMembers(raw *bufio.Reader) (*members, error) {
	gz, err := gzip.NewReader(raw)
	if err != nil {
		return nil, err
	}
	gz.Multistream(false)
	return &members{gz: gz, raw: raw}, nil
}

func (m *members) Read(p []byte) (int, error) {
	for {
		if m.done {
			return 0, io.EOF
		}
		n, err := m.gz.Read(p)
		if err != io.EOF {
			return n, err
		}
		if next, _ := m.raw.Peek(2); len(next) == 2 && next[0] == 0x1f && next[1] == 0x8b {
			if err := m.gz.Reset(m.raw); err != nil {
				return n, err
			}
			m.gz.Multistream(false)
		} else {
			m.done = true
			m.trailing, _ = io.Copy(io.Discard, m.raw)
		}
		if n > 0 {
			return n, nil
		}
	}
}

// Warnings says what was odd about the file without making it damaged:
// trailing bytes after the last gzip member. Complete only once Next has
// returned io.EOF.
func (r *Reader) Warnings() []string {
	if r.members == nil || r.members.trailing == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%q has %d bytes after its gzip-compressed data that are not gzip; they were ignored", r.name, r.members.trailing)}
}

// checkTeeRoom refuses, before copying anything, a random-access copy of a
// compressed file that cannot fit in the temporary directory: what the copy
// costs is known from the gzip trailer (the decompressed size, modulo 4
// GiB, of the last member), and a gzip bomb of 2 MB would otherwise fill
// a small /tmp and fail half way with "no space left on device".
func checkTeeRoom(src io.Reader, name string) error {
	f, ok := src.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < 18 {
		return nil
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], st.Size()-4); err != nil {
		return nil
	}
	need := int64(tail[0]) | int64(tail[1])<<8 | int64(tail[2])<<16 | int64(tail[3])<<24
	dir := os.TempDir()
	free, err := freeSpace(dir)
	if err != nil {
		return nil
	}
	if need > free {
		return fmt.Errorf("reading %q at random needs a decompressed copy of at least %d MB in %s (TMPDIR), which has %d MB free: %w",
			name, need>>20, dir, free>>20, errNoRoom)
	}
	return nil
}

var errNoRoom = errors.New("set TMPDIR to a directory with room, or read the file in batch mode (-r with -V, -T ...)")

// freeSpace is the room left in dir for an unprivileged writer; a variable
// so tests can give a small disk.
var freeSpace = func(dir string) (int64, error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return 0, err
	}
	return int64(fs.Bavail) * int64(fs.Bsize), nil
}
