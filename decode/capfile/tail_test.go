package capfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"
)

// tailOf runs Tail on a fresh reader over b.
func tailOf(t testing.TB, b []byte, max int) ([]Record, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), "tail", Options{RandomAccess: true})
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	defer r.Close()
	return r.Tail(int64(len(b)), max)
}

// scanTail is the full scan's answer: the last max records, and the error
// that ended the scan (nil at a clean EOF).
func scanTail(t testing.TB, b []byte, max int) ([]Record, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), "tail", Options{RandomAccess: true})
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	defer r.Close()
	all, err := readAll(t, r)
	if err == io.EOF {
		err = nil
	}
	recs := make([]Record, 0, len(all))
	for _, g := range all {
		recs = append(recs, g.rec)
	}
	return recs[len(recs)-min(max, len(recs)):], err
}

// checkTail asserts Tail finds what the full scan finds.
func checkTail(t *testing.T, b []byte, max int) []Record {
	t.Helper()
	want, err := scanTail(t, b, max)
	if err != nil {
		t.Fatalf("the full scan fails: %v", err)
	}
	got, err := tailOf(t, b, max)
	if err != nil {
		t.Fatalf("Tail: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("Tail found %d records, the scan's last %d are %d", len(got), max, len(want))
	}
	for i := range got {
		if !reflectEqual(got[i], want[i]) {
			t.Fatalf("tail record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	return got
}

func wantNoTail(t *testing.T, b []byte, max int) {
	t.Helper()
	got, err := tailOf(t, b, max)
	if !errors.Is(err, ErrNoTail) {
		t.Fatalf("Tail = %d records, %v; want ErrNoTail", len(got), err)
	}
	t.Log(err)
}

// manyRecs makes n pcap records of varied sizes and rising times.
func manyRecs(n int, seed int) []pcapRec {
	recs := make([]pcapRec, n)
	for i := range recs {
		size := 60 + (i*7919+seed)%1400
		recs[i] = pcapRec{sec: 1_700_000_000 + uint32(i/1000), frac: uint32(i%1000) * 997, data: frame(byte(i), size)}
	}
	return recs
}

func TestTailPcap(t *testing.T) {
	for _, c := range []struct {
		name     string
		be, nano bool
		n        int
	}{
		{"small, whole file", false, false, 40},
		{"one record", false, false, 1},
		{"past the window", false, false, 3000},
		{"nanoseconds", false, true, 3000},
		{"big-endian", true, false, 3000},
		{"big-endian nanoseconds", true, true, 2500},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs := manyRecs(c.n, 3)
			if c.nano {
				for i := range recs {
					recs[i].frac *= 1000
				}
			}
			b := pcapFile(c.be, c.nano, 65535, 1, recs...)
			got := checkTail(t, b, 500)
			if c.n > 1000 && int64(len(b)) < tailWindow {
				t.Fatalf("the file (%d bytes) is not past the window", len(b))
			}
			if len(got) != min(500, c.n) {
				t.Fatalf("%d tail records", len(got))
			}
		})
	}
}

func TestTailPcapNoRecords(t *testing.T) {
	got, err := tailOf(t, pcapFile(false, false, 65535, 1), 10)
	if err != nil || len(got) != 0 {
		t.Fatalf("Tail of a header only: %v, %v", got, err)
	}
}

// A fake record header in the last packet's bytes that ends exactly at EOF,
// and packets that are themselves pcap record streams (a capture of a pcap
// file being copied): their chains merge with the true one, and the tail is
// still the true one.
func TestTailPcapFakeHeaders(t *testing.T) {
	recs := manyRecs(3000, 5)
	last := &recs[len(recs)-1]
	var fake []byte
	fake = binary.LittleEndian.AppendUint32(fake, last.sec)
	fake = binary.LittleEndian.AppendUint32(fake, 1)
	fake = binary.LittleEndian.AppendUint32(fake, 40)
	fake = binary.LittleEndian.AppendUint32(fake, 40)
	last.data = append(frame(9, 100), append(fake, frame(1, 40)...)...)
	for i := 100; i < 3000; i += 3 {
		// records inside records, ending with the packet
		inner := pcapFile(false, false, 65535, 1, pcapRec{sec: recs[i].sec, data: frame(2, 30)}, pcapRec{sec: recs[i].sec, data: frame(3, 50)})
		recs[i].data = inner[pcapHdrLen:]
	}
	checkTail(t, pcapFile(false, false, 65535, 1, recs...), 300)
}

// A second chain of plausible records running beside the true one all the
// way to EOF: nothing can be proven, and Tail says so rather than guess.
func TestTailPcapParallelChain(t *testing.T) {
	const p, d = 200, 20 // packet size, fake header offset in the packet
	n := int(2*tailWindow/(16+p)) + 10
	recs := make([]pcapRec, n)
	for i := range recs {
		data := frame(byte(i), p)
		caplen := uint32(p)
		if i == n-1 {
			caplen = p - d - 16
		}
		h := binary.LittleEndian.AppendUint32(nil, 1_700_000_000)
		h = binary.LittleEndian.AppendUint32(h, uint32(i))
		h = binary.LittleEndian.AppendUint32(h, caplen)
		h = binary.LittleEndian.AppendUint32(h, caplen)
		copy(data[d:], h)
		recs[i] = pcapRec{sec: 1_700_000_000, frac: uint32(i), data: data}
	}
	wantNoTail(t, pcapFile(false, false, 65535, 1, recs...), 100)
}

func TestTailPcapTruncated(t *testing.T) {
	b := pcapFile(false, false, 65535, 1, manyRecs(3000, 7)...)
	for _, cut := range []int{1, 7, 15, 16, 17, 100} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			wantNoTail(t, b[:len(b)-cut], 100)
		})
	}
	// A cut exactly at a record boundary is a shorter, whole file.
	checkTail(t, pcapFile(false, false, 65535, 1, manyRecs(2999, 7)...), 100)
}

// ngMany is a pcapng file with two interfaces, EPBs with options, an SPB,
// an OPB and statistics blocks at the end.
func ngMany(be bool, n int) *ng {
	w := &ng{}
	w.shb(be)
	w.idb(1, 65535, w.optStr(optIfName, "eth0"))
	w.idb(101, 65535, opt{optIfTSResol, []byte{9}})
	for i := 0; i < n; i++ {
		ts := uint64(1_700_000_000_000_000) + uint64(i)*1000
		switch {
		case i%97 == 5:
			w.spb(uint32(80+i%50), frame(byte(i), 80+i%50))
		case i%89 == 3:
			w.opb(1, 2, ts*1000, frame(byte(i), 70), 70)
		case i%7 == 0:
			w.epb(1, ts*1000, frame(byte(i), 100+i%300), 1500, w.optStr(optComment, fmt.Sprintf("c%d", i)), w.opt32(optPktFlags, 2))
		default:
			w.epb(0, ts, frame(byte(i), 60+i%900), uint32(60+i%900))
		}
	}
	w.block(5, make([]byte, 20)) // an ISB-like block: skipped
	return w
}

func TestTailPcapng(t *testing.T) {
	for _, be := range []bool{false, true} {
		t.Run(fmt.Sprint("big-endian=", be), func(t *testing.T) {
			checkTail(t, ngMany(be, 4000).buf, 700)
			checkTail(t, ngMany(be, 30).buf, 700) // the whole file
			checkTail(t, ngMany(be, 1).buf, 5)
		})
	}
}

func TestTailPcapngRefuses(t *testing.T) {
	t.Run("interface defined late", func(t *testing.T) {
		w := ngMany(false, 2000)
		w.idb(1, 65535)
		for i := 0; i < 50; i++ {
			w.epb(0, uint64(i), frame(1, 64), 64)
		}
		wantNoTail(t, w.buf, 100)
	})
	t.Run("packets on a late interface", func(t *testing.T) {
		w := ngMany(false, 2000)
		w.idb(1, 65535)
		for i := 0; i < 50; i++ {
			w.epb(2, uint64(i), frame(1, 64), 64)
		}
		wantNoTail(t, w.buf, 10) // the walk stops before the IDB
	})
	t.Run("a second section", func(t *testing.T) {
		w := ngMany(false, 2000)
		w.shb(false)
		w.idb(1, 65535)
		w.epb(0, 1, frame(1, 64), 64)
		wantNoTail(t, w.buf, 100)
	})
	t.Run("truncated", func(t *testing.T) {
		b := ngMany(false, 2000).buf
		for _, cut := range []int{1, 4, 8, 13, 40} {
			wantNoTail(t, b[:len(b)-cut], 100)
		}
	})
	t.Run("lengths disagree", func(t *testing.T) {
		b := bytes.Clone(ngMany(false, 2000).buf)
		// the last block's leading length
		blen := binary.LittleEndian.Uint32(b[len(b)-4:])
		binary.LittleEndian.PutUint32(b[len(b)-int(blen)+4:], blen+4)
		wantNoTail(t, b, 100)
	})
}

func TestTailCompressed(t *testing.T) {
	b := gz(t, pcapFile(false, false, 65535, 1, manyRecs(100, 1)...))
	wantNoTail(t, b, 10)
}

// FuzzTail checks Tail against a full scan on arbitrary bytes: whatever it
// returns lies within the file, and on a file the scan reads cleanly to its
// end whose records are all plausible (the premise of the pcap proof) it is
// the scan's last records, or an ErrNoTail.
func FuzzTail(f *testing.F) {
	f.Add(pcapFile(false, false, 65535, 1, manyRecs(40, 1)...))
	f.Add(pcapFile(true, true, 128, 1, manyRecs(20, 2)...))
	f.Add(ngMany(false, 20).buf)
	f.Add(ngMany(true, 10).buf)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), "fuzz", Options{RandomAccess: true})
		if err != nil {
			return
		}
		defer r.Close()
		ng := r.ng
		got, err := r.Tail(int64(len(b)), 64)
		if err != nil {
			if !errors.Is(err, ErrNoTail) {
				t.Fatalf("Tail: %v, not ErrNoTail", err)
			}
			return
		}
		for i, rec := range got {
			if rec.CapLen > MaxCapLen || rec.DataOff < rec.Offset || rec.DataOff+int64(rec.CapLen) > int64(len(b)) ||
				(i > 0 && rec.Offset <= got[i-1].Offset) {
				t.Fatalf("tail record %d: %+v in a file of %d bytes", i, rec, len(b))
			}
		}
		want, err := scanTail(t, b, 64)
		if err != nil || (!ng && !plausible(t, b)) {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("Tail found %d records, the scan %d", len(got), len(want))
		}
		for i := range got {
			if !reflectEqual(got[i], want[i]) {
				t.Fatalf("tail record %d:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
	})
}

// plausible says whether every record of a pcap file passes the checks the
// tail's resynchronisation makes.
func plausible(t *testing.T, b []byte) bool {
	r, err := NewReader(bytes.NewReader(b), "fuzz", Options{RandomAccess: true})
	if err != nil {
		return false
	}
	defer r.Close()
	all, _ := readAll(t, r)
	limit := uint32(MaxCapLen)
	if s := r.ifaces[0].SnapLen; s > 0 && s < limit {
		limit = s
	}
	fracMax := uint32(1e6)
	if r.fracMul == 1 {
		fracMax = 1e9
	}
	for i, g := range all {
		frac := r.u32(b[g.rec.Offset+4:])
		if g.rec.CapLen > limit || g.rec.CapLen > g.rec.OrigLen || frac >= fracMax || g.rec.Timestamp < all[0].rec.Timestamp-tailTimeBack {
			return false
		}
		if i > 0 {
			prev := all[i-1].rec.Timestamp
			if g.rec.Timestamp < prev-tailTimeBack || g.rec.Timestamp > prev+tailTimeAhead {
				return false
			}
		}
	}
	return true
}
