package capfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGzipTrailingGarbage: bytes after the last member that are not
// another member end the capture with a warning; every packet is read.
// Several members are read as one stream, as gzip -d does.
func TestGzipTrailingGarbage(t *testing.T) {
	good := twoGood(ngHead()).buf
	for _, tc := range []struct {
		name  string
		file  []byte
		warns int
	}{
		{"garbage", append(gz(t, good), "\x00\x00junk\x1b[2J"...), 1},
		{"two members", append(gz(t, good[:28]), gz(t, good[28:])...), 0},
		{"clean", gz(t, good), 0},
	} {
		r, err := NewReader(bytes.NewReader(tc.file), "f.gz", Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n := 0
		for {
			_, _, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: packet %d: %v", tc.name, n+1, err)
			}
			n++
		}
		if n != 2 || len(r.Warnings()) != tc.warns {
			t.Errorf("%s: %d packets, warnings %q", tc.name, n, r.Warnings())
		}
		if tc.warns > 0 && !strings.Contains(r.Warnings()[0], "10 bytes after its gzip-compressed data") {
			t.Errorf("%s: %q", tc.name, r.Warnings())
		}
	}
}

// TestGzipRandomAccessRoom: a gzip file whose decompressed copy cannot fit
// in TMPDIR is refused before anything is copied, saying what it costs and
// where; with room it opens.
func TestGzipRandomAccessRoom(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	path := filepath.Join(dir, "bomb.pcapng.gz")
	big := append(twoGood(ngHead()).buf, make([]byte, 3<<20)...) // 3 MiB of zeros after the packets
	if err := os.WriteFile(path, gz(t, big), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := freeSpace
	defer func() { freeSpace = saved }()
	var asked string
	freeSpace = func(d string) (int64, error) { asked = d; return 1 << 20, nil }
	_, err := Open(path, Options{RandomAccess: true})
	if err == nil || !strings.Contains(err.Error(), "at least 3 MB in "+dir) || !strings.Contains(err.Error(), "1 MB free") || asked != dir {
		t.Fatalf("Open with 1 MB free in TMPDIR: %v (asked %q)", err, asked)
	}
	freeSpace = func(string) (int64, error) { return 1 << 30, nil }
	r, err := Open(path, Options{RandomAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	// Batch reading needs no copy at all.
	freeSpace = func(string) (int64, error) { return 0, nil }
	r, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}
