package capfile

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
)

// FuzzGzipIndex: a capture gzipped in members cut where the input says (or
// the input taken as a gzip file as it is), read for random access with
// checkpoints every 64 bytes of output: every record re-read through the
// index, backwards and strided, equals what Next returned, and a gzipped
// capture reads as the plain one does.
func FuzzGzipIndex(f *testing.F) {
	f.Add(multiNG(), uint16(0), uint16(0), false)
	f.Add(multiNG(), uint16(37), uint16(90), false)
	f.Add(twoGood(ngHead()).buf, uint16(5), uint16(0), false)
	f.Add(gz(f, multiNG()), uint16(0), uint16(0), true)
	f.Add(append(gz(f, literalPcap), "junk"...), uint16(0), uint16(0), true)
	f.Add(pcapFile(true, true, 10, 0x14000001, pcapRec{data: frame(1, 20)}), uint16(3), uint16(11), false)
	f.Fuzz(func(t *testing.T, b []byte, cut1, cut2 uint16, asIs bool) {
		saved := gzSpan
		gzSpan = 64
		defer func() { gzSpan = saved }()
		z := b
		if !asIs {
			var buf bytes.Buffer
			c1, c2 := min(int(cut1), len(b)), min(int(cut2), len(b))
			c2 = max(c1, c2)
			for k, part := range [][]byte{b[:c1], b[c1:c2], b[c2:]} {
				if k > 0 && len(part) == 0 {
					continue
				}
				zw, _ := gzip.NewWriterLevel(&buf, []int{gzip.BestSpeed, gzip.HuffmanOnly, gzip.BestCompression}[k])
				zw.Write(part)
				zw.Close()
			}
			z = buf.Bytes()
		}
		r, err := NewReader(bytes.NewReader(z), "fuzz.gz", Options{RandomAccess: true})
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) && !errors.Is(err, ErrNotCapture) {
				t.Fatalf("NewReader: %T %v", err, err)
			}
			return
		}
		defer r.Close()
		var recs []Record
		var datas [][]byte
		var last error
		for len(recs) < 2000 {
			rec, data, err := r.Next()
			if err != nil {
				last = err
				break
			}
			recs = append(recs, rec)
			datas = append(datas, bytes.Clone(data))
		}
		var buf []byte
		for k := 0; k < 2*len(recs); k++ {
			i := len(recs) - 1 - k
			if k >= len(recs) {
				i = (k * 7919) % len(recs)
			}
			buf, err = r.ReadFrame(&recs[i], buf)
			if err != nil || !bytes.Equal(buf, datas[i]) {
				t.Fatalf("record %d of %d re-read: %v", i+1, len(recs), err)
			}
		}
		if asIs || last == nil {
			return
		}
		// The plain capture gives the same records and the same end.
		p, err := NewReader(bytes.NewReader(b), "fuzz.gz", Options{})
		if err != nil {
			t.Fatalf("plain: %v, gzipped read %d records", err, len(recs))
		}
		defer p.Close()
		for i := range recs {
			rec, data, err := p.Next()
			if err != nil || !bytes.Equal(data, datas[i]) || !reflectEqual(rec, recs[i]) {
				t.Fatalf("record %d differs from the plain capture's: %v", i+1, err)
			}
		}
		if _, _, err := p.Next(); (err == io.EOF) != (last == io.EOF) {
			t.Fatalf("plain ends with %v, gzipped with %v", err, last)
		}
	})
}
