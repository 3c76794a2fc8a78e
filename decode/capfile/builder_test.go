package capfile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"reflect"
	"testing"
)

// Builders for crafted captures. They write every field explicitly in the
// chosen byte order, so tests control each byte the reader sees.

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func order(be bool) byteOrder {
	if be {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

type pcapRec struct {
	sec, frac uint32
	data      []byte
	orig      uint32 // 0 means len(data)
}

func pcapFile(be, nano bool, snap, linkType uint32, recs ...pcapRec) []byte {
	o := order(be)
	magic := uint32(0xa1b2c3d4)
	if nano {
		magic = 0xa1b23c4d
	}
	b := o.AppendUint32(nil, magic)
	b = o.AppendUint16(b, 2)
	b = o.AppendUint16(b, 4)
	b = o.AppendUint32(b, 0) // thiszone
	b = o.AppendUint32(b, 0) // sigfigs
	b = o.AppendUint32(b, snap)
	b = o.AppendUint32(b, linkType)
	for _, r := range recs {
		orig := r.orig
		if orig == 0 {
			orig = uint32(len(r.data))
		}
		b = o.AppendUint32(b, r.sec)
		b = o.AppendUint32(b, r.frac)
		b = o.AppendUint32(b, uint32(len(r.data)))
		b = o.AppendUint32(b, orig)
		b = append(b, r.data...)
	}
	return b
}

// ng builds pcapng; switch byte order by starting a new section.
type ng struct {
	be  bool
	buf []byte
}

func (w *ng) o() byteOrder { return order(w.be) }

type opt struct {
	code uint16
	v    []byte
}

func (w *ng) optStr(code uint16, s string) opt { return opt{code, []byte(s)} }
func (w *ng) opt32(code uint16, v uint32) opt  { return opt{code, w.o().AppendUint32(nil, v)} }
func (w *ng) opt64(code uint16, v uint64) opt  { return opt{code, w.o().AppendUint64(nil, v)} }

func (w *ng) opts(b []byte, opts []opt) []byte {
	if len(opts) == 0 {
		return b
	}
	for _, op := range opts {
		b = w.o().AppendUint16(b, op.code)
		b = w.o().AppendUint16(b, uint16(len(op.v)))
		b = append(b, op.v...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	return append(b, 0, 0, 0, 0) // opt_endofopt
}

func (w *ng) block(typ uint32, body []byte) *ng {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	w.buf = w.o().AppendUint32(w.buf, typ)
	w.buf = w.o().AppendUint32(w.buf, n)
	w.buf = append(w.buf, body...)
	w.buf = w.o().AppendUint32(w.buf, n)
	return w
}

func (w *ng) shb(be bool, opts ...opt) *ng {
	w.be = be
	b := w.o().AppendUint32(nil, 0x1a2b3c4d)
	b = w.o().AppendUint16(b, 1)
	b = w.o().AppendUint16(b, 0)
	b = w.o().AppendUint64(b, ^uint64(0)) // section length unknown
	return w.block(blockSHB, w.opts(b, opts))
}

func (w *ng) idb(linkType uint16, snap uint32, opts ...opt) *ng {
	b := w.o().AppendUint16(nil, linkType)
	b = w.o().AppendUint16(b, 0)
	b = w.o().AppendUint32(b, snap)
	return w.block(blockIDB, w.opts(b, opts))
}

func (w *ng) epb(ifid uint32, ts uint64, data []byte, orig uint32, opts ...opt) *ng {
	b := w.o().AppendUint32(nil, ifid)
	b = w.o().AppendUint32(b, uint32(ts>>32))
	b = w.o().AppendUint32(b, uint32(ts))
	b = w.o().AppendUint32(b, uint32(len(data)))
	b = w.o().AppendUint32(b, orig)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return w.block(blockEPB, w.opts(b, opts))
}

func (w *ng) opb(ifid, drops uint16, ts uint64, data []byte, orig uint32, opts ...opt) *ng {
	b := w.o().AppendUint16(nil, ifid)
	b = w.o().AppendUint16(b, drops)
	b = w.o().AppendUint32(b, uint32(ts>>32))
	b = w.o().AppendUint32(b, uint32(ts))
	b = w.o().AppendUint32(b, uint32(len(data)))
	b = w.o().AppendUint32(b, orig)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return w.block(blockOPB, w.opts(b, opts))
}

func (w *ng) spb(orig uint32, data []byte) *ng {
	b := w.o().AppendUint32(nil, orig)
	return w.block(blockSPB, append(b, data...))
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// frame makes a recognisable payload of n bytes.
func frame(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return b
}

type got struct {
	rec  Record
	data []byte
}

// readAll returns every record (with copied data) and the final error.
func readAll(t testing.TB, r *Reader) ([]got, error) {
	t.Helper()
	var out []got
	for {
		rec, data, err := r.Next()
		if err != nil {
			return out, err
		}
		out = append(out, got{rec, bytes.Clone(data)})
	}
}

func reflectEqual(a, b any) bool { return reflect.DeepEqual(a, b) }
