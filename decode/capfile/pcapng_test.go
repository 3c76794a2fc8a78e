package capfile

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// multiNG is a two-section pcapng: a little-endian section with Ethernet,
// SLL2 and raw IPv4 interfaces (nanosecond, 2^-20 s and microsecond-with-
// offset timestamps), EPB/SPB/OPB packets, comments, flags and blocks that
// must be skipped; then a big-endian section whose interface 0 is global
// interface 3.
func multiNG() []byte {
	w := &ng{}
	w.shb(false, w.optStr(4, "wirelens test"))
	w.idb(LinkEthernet, 0, w.optStr(optIfName, "eth0"), w.optStr(optIfDesc, "first NIC"),
		opt{optIfTSResol, []byte{9}}, w.optStr(optComment, "idb comment"), opt{optIfFCSLen, []byte{4}})
	w.idb(LinkSLL2, 128, w.optStr(optIfName, "any"), opt{optIfTSResol, []byte{0x80 | 20}})
	w.idb(LinkIPv4, 65535, w.optStr(optIfName, "tun0"), w.opt64(optIfTSOffset, 100))
	w.epb(0, 1700000000123456789, frame(0x10, 60), 60,
		w.opt32(optPktFlags, 1), w.optStr(optComment, "first"), w.optStr(optComment, "second, with ünïcode"))
	w.block(4, make([]byte, 8))               // NRB (empty record list)
	w.block(0x40000BAD, []byte("PEN!custom")) // custom block
	w.epb(1, 5<<20|1<<19, frame(0x20, 33), 40, w.opt32(optPktFlags, 2), w.opt64(optDropCount, 7))
	w.epb(2, 1000001, frame(0x30, 20), 20)
	w.block(5, make([]byte, 12)) // ISB
	w.spb(60, frame(0x40, 60))
	w.opb(1, 3, 6<<20, frame(0x50, 17), 17, w.opt32(optPktFlags, 1|1<<2))
	w.block(10, make([]byte, 16)) // DSB
	w.shb(true)
	w.idb(LinkEthernet, 1514, w.optStr(optIfName, "be0"))
	w.epb(0, 1600000000000000, frame(0x60, 42), 42, w.opt32(optPktFlags, 2), w.opt64(optDropCount, 1<<40))
	w.spb(2000, frame(0x70, 24)) // snaplen 1514 is bigger than the block
	return w.buf
}

type wantPkt struct {
	iface     uint32
	lt        uint16
	ts        int64
	data      []byte
	orig      uint32
	flags     uint32
	hasFlags  bool
	dir       Direction
	drops     uint64
	comments  []string
	blockData int64 // DataOff - Offset
}

var multiWant = []wantPkt{
	{iface: 0, lt: LinkEthernet, ts: 1700000000123456789, data: frame(0x10, 60), orig: 60, flags: 1, hasFlags: true, dir: DirInbound,
		comments: []string{"first", "second, with ünïcode"}, blockData: 28},
	{iface: 1, lt: LinkSLL2, ts: 5_500_000_000, data: frame(0x20, 33), orig: 40, flags: 2, hasFlags: true, dir: DirOutbound, drops: 7, blockData: 28},
	{iface: 2, lt: LinkIPv4, ts: 101_000_001_000, data: frame(0x30, 20), orig: 20, blockData: 28},
	{iface: 0, lt: LinkEthernet, ts: 0, data: frame(0x40, 60), orig: 60, blockData: 12},
	{iface: 1, lt: LinkSLL2, ts: 6_000_000_000, data: frame(0x50, 17), orig: 17, flags: 5, hasFlags: true, dir: DirInbound, drops: 3, blockData: 28},
	{iface: 3, lt: LinkEthernet, ts: 1600000000000000000, data: frame(0x60, 42), orig: 42, flags: 2, hasFlags: true, dir: DirOutbound, drops: 1 << 40, blockData: 28},
	{iface: 3, lt: LinkEthernet, ts: 0, data: frame(0x70, 24), orig: 2000, blockData: 12},
}

func checkMulti(t *testing.T, r *Reader, all []got, err error) {
	t.Helper()
	if err != io.EOF {
		t.Fatalf("final error %v, want io.EOF", err)
	}
	if len(all) != len(multiWant) {
		t.Fatalf("%d records, want %d", len(all), len(multiWant))
	}
	prev := int64(0)
	for i, w := range multiWant {
		g := all[i].rec
		if g.Interface != w.iface || g.LinkType != w.lt || g.Timestamp != w.ts || g.CapLen != uint32(len(w.data)) ||
			g.OrigLen != w.orig || g.Flags != w.flags || g.HasFlags != w.hasFlags || g.Direction != w.dir ||
			g.DropCount != w.drops || !equalStrings(g.Comments, w.comments) || g.DataOff-g.Offset != w.blockData {
			t.Errorf("packet %d: got %+v\nwant %+v", i+1, g, w)
		}
		if !bytes.Equal(all[i].data, w.data) {
			t.Errorf("packet %d: data % x, want % x", i+1, all[i].data, w.data)
		}
		if g.Offset <= prev {
			t.Errorf("packet %d: offset %d not after %d", i+1, g.Offset, prev)
		}
		prev = g.Offset
	}
	if r.Format() != "pcapng" {
		t.Errorf("format %q", r.Format())
	}
	ifs := r.Interfaces()
	if len(ifs) != 4 {
		t.Fatalf("%d interfaces, want 4", len(ifs))
	}
	want := []Interface{
		{Name: "eth0", Description: "first NIC", LinkType: LinkEthernet, TSResolNs: 1, TSResol: 9, Comments: []string{"idb comment"}, FCSLen: 4},
		{Name: "any", LinkType: LinkSLL2, SnapLen: 128, TSResolNs: 0, TSResol: 0x80 | 20, FCSLen: -1},
		{Name: "tun0", LinkType: LinkIPv4, SnapLen: 65535, TSResolNs: 1000, TSResol: 6, TSOffset: 100, FCSLen: -1},
		{Name: "be0", LinkType: LinkEthernet, SnapLen: 1514, TSResolNs: 1000, TSResol: 6, FCSLen: -1},
	}
	for i := range want {
		if !reflectEqual(ifs[i], want[i]) {
			t.Errorf("interface %d: %+v, want %+v", i, ifs[i], want[i])
		}
	}
	if r.Interface(3).Name != "be0" || r.Interface(4) != nil {
		t.Errorf("Interface(3) = %+v, Interface(4) = %+v", r.Interface(3), r.Interface(4))
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPcapngMulti(t *testing.T) {
	b := multiNG()
	if os.Getenv("WIRELENS_DUMP") != "" {
		os.WriteFile(os.Getenv("WIRELENS_DUMP"), b, 0o644)
	}
	r, err := NewReader(bytes.NewReader(b), "multi.pcapng", Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := readAll(t, r)
	checkMulti(t, r, all, err)
	if r.Compressed() {
		t.Error("Compressed() true for a plain file")
	}
}

func TestGzip(t *testing.T) {
	r, err := NewReader(bytes.NewReader(gz(t, multiNG())), "multi.pcapng.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := readAll(t, r)
	checkMulti(t, r, all, err)
	if !r.Compressed() {
		t.Error("Compressed() false for gzip")
	}

	p := pcapFile(true, true, 65535, 1, pcapRec{sec: 7, frac: 8, data: frame(9, 10)})
	r, err = NewReader(bytes.NewReader(gz(t, p)), "x.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, data, err := r.Next()
	if err != nil || rec.Timestamp != 7_000_000_008 || !bytes.Equal(data, frame(9, 10)) || r.Format() != "pcap-ns" || !r.Compressed() {
		t.Fatalf("gzip pcap: %+v % x %v %s", rec, data, err, r.Format())
	}
}

func TestTSConv(t *testing.T) {
	for _, tc := range []struct {
		resol uint8
		off   int64
		ts    uint64
		want  int64
	}{
		{6, 0, 1, 1000},
		{0, 0, 3, 3_000_000_000},
		{9, -5, 10, -4_999_999_990},
		{12, 0, 1_234_567, 1_234},
		{0x80, 0, 2, 2_000_000_000},
		{0x80 | 1, 0, 3, 1_500_000_000},
		{0x80 | 9, 0, 1024, 2_000_000_000},
		{0x80 | 32, 0, 1 << 32, 1_000_000_000},
		{0x80 | 64, 0, 1 << 63, 500_000_000},
		{0x80 | 127, 0, ^uint64(0), 0},
		{127, 0, ^uint64(0), 0},
		// Past what int64 ns hold: a marker, never a wrapped number
		// (the Dec 31, 1969 23:59:59.-00000001 and 0 offsets).
		{9, 0, ^uint64(0), TimeNotRepresentable},
		{9, 0, 1<<63 - 1, 1<<63 - 1}, // Apr 11, 2262 23:47:16.854775807, as tshark
		{6, 0, ^uint64(0), TimeNotRepresentable},
		{9, -1 << 63, 1_700_000_000_000_000_000, TimeNotRepresentable},
		{9, 1<<63 - 1, 0, TimeNotRepresentable},
		{6, -100, 1_700_000_000_000_000, 1_699_999_900_000_000_000},
		{0x80 | 20, 0, ^uint64(0), TimeNotRepresentable}, // 2^44 s
		{0x80 | 40, 0, ^uint64(0), 16_777_215_999_999_999},
		{0x80 | 63, 0, ^uint64(0), 1_999_999_999},
		// 1-second units with the top bit set are before 1970, as tshark has them.
		{0, 0, ^uint64(0), -1_000_000_000},
		{0x80, 0, ^uint64(0), -1_000_000_000},
	} {
		c, unit := newTSConv(tc.resol, tc.off)
		if got := c.ns(tc.ts); got != tc.want {
			t.Errorf("resol %#x off %d ts %d: %d, want %d", tc.resol, tc.off, tc.ts, got, tc.want)
		}
		if off := c.ns(0); unit != 0 && off != TimeNotRepresentable && c.ns(1)-off != unit {
			t.Errorf("resol %#x: unit %d ns but one tick is %d ns", tc.resol, unit, c.ns(1)-off)
		}
	}
}
