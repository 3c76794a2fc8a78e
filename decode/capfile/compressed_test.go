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

// readRecords reads every record of a capture, returning the records' data
// concatenated with their timestamps, and the final error.
func readRecords(t *testing.T, r *Reader) ([]byte, int, error) {
	t.Helper()
	var all bytes.Buffer
	n := 0
	for {
		rec, data, err := r.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return all.Bytes(), n, err
		}
		n++
		all.WriteString(rec.Direction.String())
		all.Write(data)
	}
}

// TestCompressed: a capture compressed by zstd, lz4, bzip2 and xz reads
// exactly as the plain file, from a file and from a pipe; cut and corrupt
// copies stop with a FormatError naming the file.
func TestCompressed(t *testing.T) {
	plain := filepath.Join("..", "..", "testdata", "captures", "veth-offload-a-dumpcap.pcapng")
	pr, err := Open(plain, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, wantN, err := readRecords(t, pr)
	pr.Close()
	if err != nil || wantN < 50 {
		t.Fatalf("plain capture: %d packets, %v", wantN, err)
	}
	for ext, codec := range map[string]string{"zst": "zstd", "lz4": "lz4", "bz2": "bzip2", "xz": "xz"} {
		path := filepath.Join("testdata", "compressed", "veth.pcapng."+ext)
		for _, ra := range []bool{false, true} {
			r, err := Open(path, Options{RandomAccess: ra})
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if r.Codec() != codec || !r.Compressed() {
				t.Errorf("%s: codec %q, want %q", path, r.Codec(), codec)
			}
			got, n, err := readRecords(t, r)
			if err != nil || n != wantN || !bytes.Equal(got, want) {
				t.Errorf("%s: %d packets (want %d), equal %v, err %v", path, n, wantN, bytes.Equal(got, want), err)
			}
			r.Close()
		}
		// From a pipe, as -r - reads it.
		f, _ := os.Open(path)
		r, err := NewReader(struct{ io.Reader }{f}, "-", Options{})
		if err != nil {
			t.Fatalf("%s as a stream: %v", path, err)
		}
		got, n, err := readRecords(t, r)
		if err != nil || n != wantN || !bytes.Equal(got, want) {
			t.Errorf("%s as a stream: %d packets, err %v", path, n, err)
		}
		f.Close()
		for _, bad := range []string{"cut", "corrupt"} {
			path := filepath.Join("testdata", "compressed", bad+".pcapng."+ext)
			r, err := Open(path, Options{})
			if err == nil {
				_, n, err = readRecords(t, r)
				r.Close()
				if n >= wantN {
					t.Errorf("%s: all %d packets read", path, n)
				}
			}
			// A cut file is a FormatError; damage may also garble the
			// capture's own header, which is then not a capture at all.
			var fe *FormatError
			if err == nil || !strings.Contains(err.Error(), path) || bad == "cut" && !errors.As(err, &fe) {
				t.Errorf("%s: error %v, want one naming the file", path, err)
			}
		}
	}
}

// TestXzDictionaryBound: an xz header asking for a 1.5 GiB dictionary is
// refused before anything is allocated for it.
func TestXzDictionaryBound(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "compressed", "veth.pcapng.xz"))
	if err != nil {
		t.Fatal(err)
	}
	// Stream header (12 bytes), block header: size, flags, filter id 0x21,
	// props size 1, the dictionary byte.
	hdr := b[12:]
	i := bytes.Index(hdr[:int(hdr[0]+1)*4], []byte{0x21, 0x01})
	if i < 0 {
		t.Fatal("no LZMA2 filter in the first block header")
	}
	hdr[i+2] = 39 // 1.5 GiB (the header CRC no longer matters: it is refused first)
	_, err = NewReader(bytes.NewReader(b), "big.xz", Options{})
	if err == nil || !strings.Contains(err.Error(), "dictionary") {
		t.Errorf("err %v, want the dictionary refused", err)
	}
}

// FuzzCompressed feeds mutated zstd, lz4, bzip2 and xz captures to the
// reader: it must end with a capture's records or an error, never panic
// or allocate without bound.
func FuzzCompressed(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "compressed", "*.pcapng.*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), "fuzz", Options{})
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i < 1e5; i++ {
			if _, _, err := r.Next(); err != nil {
				return
			}
		}
	})
}
