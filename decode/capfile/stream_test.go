package capfile

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// slowPipe writes first one byte at a time, then waits for release before
// writing rest, like tcpdump -U between packets.
func slowPipe(first, rest []byte, release <-chan struct{}) *io.PipeReader {
	pr, pw := io.Pipe()
	go func() {
		for i := range first {
			if _, err := pw.Write(first[i : i+1]); err != nil {
				return
			}
		}
		<-release
		pw.Write(rest)
		pw.Close()
	}()
	return pr
}

// within fails the test instead of hanging when f blocks.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: still blocked after 5s (reading ahead of the record?)", what)
	}
}

func TestPipeReturnsRecordsAsTheyArrive(t *testing.T) {
	p := pcapFile(false, false, 65535, 1, pcapRec{sec: 1, data: frame(1, 50)}, pcapRec{sec: 2, data: frame(2, 50)})
	n := twoGood(ngHead()).buf
	for _, tc := range []struct {
		name  string
		file  []byte
		split int // end of the first record
	}{{"pcap", p, 24 + 16 + 50}, {"pcapng", n, 100}} {
		for _, ra := range []bool{false, true} {
			release := make(chan struct{})
			pr := slowPipe(tc.file[:tc.split], tc.file[tc.split:], release)
			var r *Reader
			var err error
			var first []byte
			within(t, tc.name+" first record", func() {
				if r, err = NewReader(pr, "-", Options{RandomAccess: ra}); err != nil {
					return
				}
				var rec Record
				var data []byte
				rec, data, err = r.Next()
				first = bytes.Clone(data)
				if err == nil && ra {
					// The copy must already hold the record just returned.
					var again []byte
					again, err = r.ReadFrame(&rec, nil)
					if !bytes.Equal(again, data) {
						t.Errorf("%s: ReadFrame on a pipe before the writer finished: % x", tc.name, again)
					}
				}
			})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			close(release)
			all, err := readAll(t, r)
			if err != io.EOF || len(all) != 1 || len(first) == 0 {
				t.Fatalf("%s: rest %d records, err %v", tc.name, len(all), err)
			}
			r.Close()
		}
	}
}

func TestGzipStreamFlush(t *testing.T) {
	// tcpdump -w - | gzip would not flush, but a flushed gzip stream must
	// still yield records as soon as they are decompressible.
	p := pcapFile(false, true, 65535, 1, pcapRec{sec: 1, data: frame(1, 50)}, pcapRec{sec: 2, data: frame(2, 50)})
	pr, pw := io.Pipe()
	release := make(chan struct{})
	go func() {
		zw := gzip.NewWriter(pw)
		zw.Write(p[:90])
		zw.Flush()
		<-release
		zw.Write(p[90:])
		zw.Close()
		pw.Close()
	}()
	var r *Reader
	var err error
	within(t, "gzip first record", func() {
		if r, err = NewReader(pr, "-", Options{}); err == nil {
			_, _, err = r.Next()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	close(release)
	if all, err := readAll(t, r); err != io.EOF || len(all) != 1 {
		t.Fatalf("%d, %v", len(all), err)
	}
}

// checkReadFrame reads everything, calling ReadFrame right after each Next
// and again at the end, and compares with what Next returned.
func checkReadFrame(t *testing.T, r *Reader, wantN int) {
	t.Helper()
	var all []got
	var buf []byte
	for {
		rec, data, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got{rec, bytes.Clone(data)})
		b, err := r.ReadFrame(&rec, buf)
		if err != nil || !bytes.Equal(b, data) {
			t.Fatalf("%s: ReadFrame right after Next: % x, %v; want % x", r.Name(), b, err, data)
		}
		buf = b
	}
	if len(all) != wantN {
		t.Fatalf("%s: %d records, want %d", r.Name(), len(all), wantN)
	}
	for i := len(all) - 1; i >= 0; i-- {
		b, err := r.ReadFrame(&all[i].rec, buf)
		if err != nil || !bytes.Equal(b, all[i].data) {
			t.Fatalf("%s: ReadFrame(%d) at end: % x, %v", r.Name(), i+1, b, err)
		}
	}
}

func TestReadFrame(t *testing.T) {
	dir := t.TempDir()
	plain := multiNG()
	files := map[string][]byte{
		"plain.pcapng":    plain,
		"plain.pcapng.gz": gz(t, plain),
		"plain.pcap":      pcapFile(true, false, 65535, 1, pcapRec{data: frame(1, 10)}, pcapRec{data: frame(2, 0)}, pcapRec{data: frame(3, 1000)}),
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		want := len(multiWant)
		if name == "plain.pcap" {
			want = 3
		}
		r, err := Open(path, Options{RandomAccess: true})
		if err != nil {
			t.Fatal(err)
		}
		// No copy of a file: gzip is re-read through its checkpoints.
		if r.tee != nil || (r.gzi != nil) != (name == "plain.pcapng.gz") {
			t.Errorf("%s: copy to a temporary file = %v, gzip index %v", name, r.tee != nil, r.gzi != nil)
		}
		checkReadFrame(t, r, want)
		if err := r.Close(); err != nil {
			t.Error(err)
		}

		// The same bytes through a pipe (always copied) and a bytes.Reader
		// (re-read in place unless compressed).
		pr, pw := io.Pipe()
		go func() { pw.Write(b); pw.Close() }()
		if r, err = NewReader(pr, name, Options{RandomAccess: true}); err != nil {
			t.Fatal(err)
		}
		// A pipe is copied: decompressed if plain, compressed if gzip.
		if (r.tee == nil) != (name == "plain.pcapng.gz") || (r.gzi == nil) == (name == "plain.pcapng.gz") {
			t.Errorf("%s via pipe: copy %v, gzip index %v", name, r.tee != nil, r.gzi != nil)
		}
		checkReadFrame(t, r, want)
		r.Close()
		if r, err = NewReader(bytes.NewReader(b), name, Options{RandomAccess: true}); err != nil {
			t.Fatal(err)
		}
		checkReadFrame(t, r, want)
		r.Close()
	}

	r, _ := NewReader(bytes.NewReader(plain), "x", Options{})
	rec, _, _ := r.Next()
	if _, err := r.ReadFrame(&rec, nil); err == nil {
		t.Error("ReadFrame without RandomAccess succeeded")
	}
}

func TestReadFrameTruncatedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.pcap")
	os.WriteFile(path, pcapFile(false, false, 0, 1, pcapRec{data: frame(1, 100)}), 0o644)
	r, err := Open(path, Options{RandomAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, _, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	os.Truncate(path, 50)
	_, err = r.ReadFrame(&rec, nil)
	if err == nil || err.Error() != `re-reading a packet of "`+path+`" at byte offset 40: the file is now shorter than when it was read (was it truncated?)` {
		t.Fatalf("err %v", err)
	}
}

func TestReadFrameConcurrentWithNext(t *testing.T) {
	w := ngHead()
	for i := range 2000 {
		w.epb(0, uint64(i), frame(byte(i), 60+i%50), 100)
	}
	pr, pw := io.Pipe()
	go func() { pw.Write(w.buf); pw.Close() }()
	r, err := NewReader(pr, "-", Options{RandomAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	recs := make(chan Record, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var buf []byte
		for rec := range recs {
			b, err := r.ReadFrame(&rec, buf)
			if err != nil || !bytes.Equal(b, frame(byte(rec.Timestamp/1000), 60+int(rec.Timestamp/1000)%50)) {
				t.Errorf("ReadFrame of %d: %v", rec.Timestamp, err)
				return
			}
			buf = b
		}
	}()
	for {
		rec, _, err := r.Next()
		if err != nil {
			break
		}
		recs <- rec
	}
	close(recs)
	wg.Wait()
}
