package capfile

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader reads arbitrary bytes both in place and as a stream copied for
// random access, and checks the two agree and every record re-reads the same.
func FuzzReader(f *testing.F) {
	f.Add(literalPcap)
	f.Add(multiNG())
	f.Add(gz(f, multiNG()))
	f.Add(pcapFile(true, true, 10, 0x14000001, pcapRec{data: frame(1, 20)}))
	f.Add(twoGood(ngHead()).spb(10, frame(1, 8)).opb(0, 1, 2, frame(3, 5), 9).buf)
	f.Fuzz(func(t *testing.T, b []byte) {
		a := fuzzRead(t, bytes.NewReader(b))
		s := fuzzRead(t, struct{ io.Reader }{bytes.NewReader(b)})
		if len(a) != len(s) {
			t.Fatalf("in place %d records, as a stream %d", len(a), len(s))
		}
		for i := range a {
			if !bytes.Equal(a[i].data, s[i].data) || !reflectEqual(a[i].rec, s[i].rec) {
				t.Fatalf("record %d differs between in place and stream", i+1)
			}
		}
	})
}

func fuzzRead(t *testing.T, src io.Reader) []got {
	r, err := NewReader(src, "fuzz", Options{RandomAccess: true})
	if err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) && !errors.Is(err, ErrNotCapture) {
			t.Fatalf("NewReader: unexpected error type %T: %v", err, err)
		}
		return nil
	}
	defer r.Close()
	var all []got
	for {
		rec, data, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Next: unexpected error type %T: %v", err, err)
			}
			if fe.Offset < 0 || fe.Offset > r.Offset() || (fe.Packet != 0 && fe.Packet != len(all)+1) {
				t.Fatalf("error %v: offset %d (read %d), packet %d after %d records", err, fe.Offset, r.Offset(), fe.Packet, len(all))
			}
			break
		}
		if int(rec.CapLen) != len(data) || rec.CapLen > MaxCapLen || rec.DataOff < rec.Offset || rec.DataOff+int64(rec.CapLen) > r.Offset() {
			t.Fatalf("record %d: %+v with %d bytes, %d read", len(all)+1, rec, len(data), r.Offset())
		}
		if r.Interface(rec.Interface) == nil {
			t.Fatalf("record %d: interface %d of %d", len(all)+1, rec.Interface, len(r.Interfaces()))
		}
		again, err := r.ReadFrame(&rec, nil)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("record %d: ReadFrame % x, %v; Next gave % x", len(all)+1, again, err, data)
		}
		all = append(all, got{rec, bytes.Clone(data)})
	}
	return all
}
