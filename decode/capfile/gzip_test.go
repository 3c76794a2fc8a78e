package capfile

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand"
	"os"
	"os/exec"
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
		for _, ra := range []bool{false, true} {
			r, err := NewReader(bytes.NewReader(tc.file), "f.gz", Options{RandomAccess: ra})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var recs []Record
			var datas [][]byte
			for {
				rec, data, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: packet %d: %v", tc.name, len(recs)+1, err)
				}
				recs = append(recs, rec)
				datas = append(datas, bytes.Clone(data))
			}
			if len(recs) != 2 || len(r.Warnings()) != tc.warns {
				t.Errorf("%s: %d packets, warnings %q", tc.name, len(recs), r.Warnings())
			}
			if tc.warns > 0 && !strings.Contains(r.Warnings()[0], "10 bytes after its gzip-compressed data") {
				t.Errorf("%s: %q", tc.name, r.Warnings())
			}
			for i := len(recs) - 1; ra && i >= 0; i-- {
				if got, err := r.ReadFrame(&recs[i], nil); err != nil || !bytes.Equal(got, datas[i]) {
					t.Errorf("%s: ReadFrame %d: %v", tc.name, i+1, err)
				}
			}
			r.Close()
		}
	}
}

// gzVariants compresses b as gzip in the shapes files come in: levels,
// headers with a name, comment, extra field and header CRC, several
// members cut at odd places, and trailing garbage.
func gzVariants(t testing.TB, b []byte, tool bool) map[string][]byte {
	t.Helper()
	level := func(l int, hdr bool, parts ...[]byte) []byte {
		var out bytes.Buffer
		for _, p := range parts {
			zw, err := gzip.NewWriterLevel(&out, l)
			if err != nil {
				t.Fatal(err)
			}
			if hdr {
				zw.Name, zw.Comment, zw.Extra = "capture.pcap", "made by a test", []byte("ab\x00cd")
			}
			zw.Write(p)
			zw.Close()
		}
		return out.Bytes()
	}
	third := len(b) / 3
	v := map[string][]byte{
		"level1":   level(gzip.BestSpeed, false, b),
		"level9":   level(gzip.BestCompression, true, b),
		"stored":   level(gzip.NoCompression, false, b),
		"huffman":  level(gzip.HuffmanOnly, false, b),
		"members":  level(gzip.DefaultCompression, true, b[:third+7], b[third+7:2*third+1], nil, b[2*third+1:]),
		"trailing": append(level(gzip.DefaultCompression, false, b), "\x00\x00\x00\x00garbage"...),
	}
	// gzip itself, when installed and asked for: its blocks differ from
	// Go's (and are long: random reads inflate much, so few files get it).
	if _, err := exec.LookPath("gzip"); err == nil && tool {
		cmd := exec.Command("gzip", "-6", "-c")
		cmd.Stdin = bytes.NewReader(b)
		if out, err := cmd.Output(); err == nil {
			v["gzip-tool"] = out
		}
	}
	// The header CRC flag, which compress/gzip does not write.
	hc := level(gzip.DefaultCompression, false, b)
	hc = append(append(append([]byte{}, hc[:10]...), 0x12, 0x34), hc[10:]...)
	hc[3] |= 0x02
	v["hcrc"] = hc
	return v
}

// readRecs reads every record of r, with its bytes.
func readRecs(t testing.TB, r *Reader) ([]Record, [][]byte) {
	t.Helper()
	var recs []Record
	var datas [][]byte
	for {
		rec, data, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, datas
		}
		if err != nil {
			t.Fatalf("%s: packet %d: %v", r.Name(), len(recs)+1, err)
		}
		recs = append(recs, rec)
		datas = append(datas, bytes.Clone(data))
	}
}

// TestGzipRandomAccess: every frame of real captures, gzipped every way,
// read back at random through the checkpoints (close together, so each
// read starts from one; and thinned) equals the plain file's frame, from a
// file and from a pipe, and nothing is written to TMPDIR for a file.
func TestGzipRandomAccess(t *testing.T) {
	saved, savedBudget := gzSpan, gzWindowBudget
	defer func() { gzSpan, gzWindowBudget = saved, savedBudget }()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "captures", "*.pcap*"))
	if len(files) < 10 {
		t.Fatalf("only %d captures", len(files))
	}
	rng := rand.New(rand.NewSource(1))
	skewed := 0
	if !raceOn {
		files = append(files, "mixed")
	} else {
		files = files[:2] // the sharing of checkpoints and cursors is what -race is for
	}
	for _, plain := range files {
		b, err := os.ReadFile(plain)
		if plain == "mixed" {
			b = mixedCapture(rng)
		} else if err != nil {
			t.Fatal(err)
		}
		pr, err := NewReader(bytes.NewReader(b), plain, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantRecs, want := readRecs(t, pr)
		tool := plain == "mixed" || strings.Contains(plain, "tcp-lossy-a") || strings.Contains(plain, "veth-offload-a-dumpcap")
		for name, z := range gzVariants(t, b, tool) {
			if raceOn && name != "members" && name != "level9" {
				continue
			}
			for _, span := range []int64{4 << 10, 64 << 10} {
				if name == "gzip-tool" && span != 4<<10 {
					continue // few, long blocks: each read inflates much
				}
				gzSpan, gzWindowBudget = span, savedBudget
				if span == 4<<10 {
					gzWindowBudget = 64 << 10 // thinned as it goes
				}
				pipes := []bool{false, true}
				if name == "gzip-tool" {
					pipes = pipes[:1]
				}
				for _, pipe := range pipes {
					var src io.Reader = bytes.NewReader(z)
					if pipe {
						src = struct{ io.Reader }{src}
					}
					r, err := NewReader(src, plain+"."+name, Options{RandomAccess: true})
					if err != nil {
						t.Fatalf("%s %s: %v", plain, name, err)
					}
					recs, got := readRecs(t, r)
					if len(recs) != len(wantRecs) {
						t.Fatalf("%s %s: %d records, want %d", plain, name, len(recs), len(wantRecs))
					}
					for i := range got {
						if !bytes.Equal(got[i], want[i]) || recs[i].DataOff != wantRecs[i].DataOff {
							t.Fatalf("%s %s: record %d differs", plain, name, i+1)
						}
					}
					if (len(r.Warnings()) == 1) != (name == "trailing") {
						t.Errorf("%s %s: warnings %q", plain, name, r.Warnings())
					}
					order := rng.Perm(len(recs))
					order = order[:min(len(order), 400)]
					// Also in order and backwards, as the list scrolls.
					for i := range recs {
						order = append(order, i)
					}
					for i := len(recs) - 1; i >= 0; i-- {
						order = append(order, i)
					}
					var buf []byte
					for _, i := range order {
						buf, err = r.ReadFrame(&recs[i], buf)
						if err != nil || !bytes.Equal(buf, want[i]) {
							t.Fatalf("%s %s span %d pipe %v: frame %d: %v, equal %v", plain, name, span, pipe, i+1, err, bytes.Equal(buf, want[i]))
						}
					}
					if n, _, _ := r.gzi.cost(); n < 1 || len(b) > 8*int(span) && n < 2 && name != "stored" && name != "gzip-tool" {
						t.Errorf("%s %s span %d: %d checkpoints for %d bytes", plain, name, span, n, len(b))
					}
					skewed += r.gzi.skewed
					r.Close()
				}
			}
		}
		pr.Close()
	}
	// Stored blocks after compressed ones (random payloads) are where
	// klauspost's offsets need correcting: that path was taken, and held.
	if skewed == 0 && !raceOn {
		t.Error("no checkpoint after a stored block was exercised")
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("TMPDIR holds %d files", len(left))
	}
}

// TestGzipNoTempFile: a gzip file opened for random access writes nothing
// to TMPDIR, so an unwritable TMPDIR does not stop it; a pipe, whose
// compressed bytes must be kept, says where it could not keep them.
func TestGzipNoTempFile(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "does-not-exist"))
	path := filepath.Join(t.TempDir(), "f.pcapng.gz")
	if err := os.WriteFile(path, gz(t, twoGood(ngHead()).buf), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{RandomAccess: true})
	if err != nil {
		t.Fatal(err)
	}
	recs, datas := readRecs(t, r)
	if got, err := r.ReadFrame(&recs[1], nil); err != nil || !bytes.Equal(got, datas[1]) {
		t.Errorf("ReadFrame: %v", err)
	}
	r.Close()
	f, _ := os.Open(path)
	defer f.Close()
	_, err = NewReader(struct{ io.Reader }{f}, "-", Options{RandomAccess: true})
	if err == nil || !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("gzip pipe with no TMPDIR: %v", err)
	}
}

// TestGzipDamage: a bad CRC, a cut member and a bad second header are
// damage named with the file; a corrupt deflate block too.
func TestGzipDamage(t *testing.T) {
	good := twoGood(ngHead()).buf
	z := gz(t, good)
	badCRC := bytes.Clone(z)
	badCRC[len(badCRC)-8] ^= 1
	badHdr := append(bytes.Clone(z), 0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 0)
	for name, b := range map[string][]byte{"crc": badCRC, "cut": z[:len(z)-3], "second header": badHdr} {
		r, err := NewReader(bytes.NewReader(b), "bad.gz", Options{RandomAccess: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var fe *FormatError
		for err == nil {
			_, _, err = r.Next()
		}
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "bad.gz") {
			t.Errorf("%s: %v", name, err)
		}
		r.Close()
	}
}

// mixedCapture is a pcap of frames whose payloads alternate between text
// that compresses well and random bytes that do not, so compressors emit
// stored blocks among compressed ones, as real captures of TLS make them.
func mixedCapture(rng *rand.Rand) []byte {
	var recs []pcapRec
	for i := 0; i < 3000; i++ {
		n := 60 + rng.Intn(1400)
		d := make([]byte, n)
		if i/40%2 == 0 {
			rng.Read(d)
		} else {
			copy(d, bytes.Repeat([]byte("GET /index.html HTTP/1.1\r\nHost: example.com\r\n"), n/40+1))
		}
		recs = append(recs, pcapRec{data: d})
	}
	return pcapFile(false, false, 65535, 1, recs...)
}
