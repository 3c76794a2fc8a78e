package capfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestResumeGrowingFile reads a capture while it is written a few bytes at
// a time, the way tcpdump -U appends: every record comes out once, whole,
// whatever byte the file ended at when Next was called.
func TestResumeGrowingFile(t *testing.T) {
	for _, src := range []string{"testdata/lo.pcap", "testdata/lo-any.pcapng"} {
		full, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		want := recordsOf(t, src)
		path := filepath.Join(t.TempDir(), "growing")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		hdr := 24
		if filepath.Ext(src) == ".pcapng" {
			hdr = 200 // the section header and interface blocks, and a bit
		}
		f.Write(full[:hdr])
		r, err := Open(path, Options{RandomAccess: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []Record
		written, step := hdr, 37 // a step that ends inside records
		for len(got) < len(want) {
			rec, data, err := r.Next()
			if err == nil {
				if len(data) != int(rec.CapLen) {
					t.Fatalf("%s: record %d: %d bytes, caplen %d", src, len(got)+1, len(data), rec.CapLen)
				}
				got = append(got, rec)
				continue
			}
			if !errors.Is(err, io.EOF) && !CutShort(err) {
				t.Fatalf("%s: after %d records, %d bytes: %v", src, len(got), written, err)
			}
			if written == len(full) {
				t.Fatalf("%s: the whole file is written and Next says %v after %d of %d records", src, err, len(got), len(want))
			}
			n := min(step, len(full)-written)
			f.Write(full[written : written+n])
			written += n
			if !r.Resume() {
				t.Fatalf("%s: Resume refused after %v", src, err)
			}
		}
		for i := range want {
			if got[i].Offset != want[i].Offset || got[i].Timestamp != want[i].Timestamp || got[i].CapLen != want[i].CapLen {
				t.Fatalf("%s: record %d: %+v, want %+v", src, i+1, got[i], want[i])
			}
			buf, err := r.ReadFrame(&got[i], nil)
			if err != nil || len(buf) != int(got[i].CapLen) {
				t.Fatalf("%s: ReadFrame %d: %v", src, i+1, err)
			}
		}
		// what follows the last packet (pcapng statistics blocks)
		f.Write(full[written:])
		if _, _, err := r.Next(); err != nil && !r.Resume() {
			t.Fatalf("%s: Resume for the trailer refused after %v", src, err)
		}
		if _, _, err := r.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("%s: at the end: %v", src, err)
		}
		r.Close()
		f.Close()
	}
}

func recordsOf(t *testing.T, path string) []Record {
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []Record
	for {
		rec, _, err := r.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			return out
		}
		out = append(out, rec)
	}
}

// TestResumeRefused: a pipe, a compressed file and real damage cannot be
// resumed.
func TestResumeRefused(t *testing.T) {
	r, err := Open("testdata/lo-any.pcapng.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		if _, _, err := r.Next(); err != nil {
			break
		}
	}
	if r.Resume() {
		t.Error("Resume on a gzip file")
	}
	pr, pw := io.Pipe()
	go func() {
		b, _ := os.ReadFile("testdata/lo.pcap")
		pw.Write(b)
		pw.Close()
	}()
	p, err := NewReader(pr, "pipe", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := p.Next(); err != nil {
			break
		}
	}
	if p.Resume() {
		t.Error("Resume on a pipe")
	}
}
