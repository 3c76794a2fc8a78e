package capfile

import (
	"bytes"
	"io"
	"reflect"
	"testing"
)

// A little-endian microsecond pcap written out byte by byte: one Ethernet
// frame of 4 bytes (orig 60) at 1700000000.123456.
var literalPcap = []byte{
	0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, // magic, version 2.4
	0, 0, 0, 0, 0, 0, 0, 0, // thiszone, sigfigs
	0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // snaplen 65535, Ethernet
	0x00, 0xf1, 0x53, 0x65, 0x40, 0xe2, 0x01, 0x00, // 1700000000 s, 123456 us
	0x04, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, // caplen 4, origlen 60
	0xde, 0xad, 0xbe, 0xef,
}

func TestPcapLiteral(t *testing.T) {
	r, err := NewReader(bytes.NewReader(literalPcap), "lit.pcap", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, data, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	want := Record{Offset: 24, DataOff: 40, Timestamp: 1700000000123456000, CapLen: 4, OrigLen: 60, LinkType: LinkEthernet}
	if !equalRecord(rec, want) || !bytes.Equal(data, []byte{0xde, 0xad, 0xbe, 0xef}) {
		t.Fatalf("got %+v % x, want %+v de ad be ef", rec, data, want)
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("second Next: %v, want io.EOF", err)
	}
	if r.Format() != "pcap" || r.Compressed() || r.Name() != "lit.pcap" {
		t.Errorf("Format %q Compressed %v Name %q", r.Format(), r.Compressed(), r.Name())
	}
	ifs := r.Interfaces()
	if len(ifs) != 1 || ifs[0].LinkType != LinkEthernet || ifs[0].SnapLen != 65535 || ifs[0].TSResolNs != 1000 || ifs[0].FCSLen != -1 {
		t.Errorf("interfaces %+v", ifs)
	}
}

func equalRecord(a, b Record) bool { return reflect.DeepEqual(a, b) }

func TestPcapVariants(t *testing.T) {
	for _, tc := range []struct {
		be, nano bool
		format   string
	}{{false, false, "pcap"}, {true, false, "pcap"}, {false, true, "pcap-ns"}, {true, true, "pcap-ns"}} {
		// Link type word: Ethernet with libpcap's FCS bits saying 4 bytes.
		lt := uint32(2<<28 | 0x04000000 | 1)
		recs := []pcapRec{
			{sec: 1700000000, frac: 999999, data: frame(1, 60)},
			{sec: 1700000001, frac: 5, data: frame(2, 100), orig: 1500},
			{sec: 1700000002, frac: 0, data: nil, orig: 64},
		}
		b := pcapFile(tc.be, tc.nano, 96, lt, recs...)
		r, err := NewReader(bytes.NewReader(b), "v.pcap", Options{})
		if err != nil {
			t.Fatal(err)
		}
		all, err := readAll(t, r)
		if err != io.EOF {
			t.Fatalf("be=%v nano=%v: %v", tc.be, tc.nano, err)
		}
		if r.Format() != tc.format {
			t.Errorf("format %q want %q", r.Format(), tc.format)
		}
		ifc := r.Interface(0)
		if ifc == nil || ifc.LinkType != LinkEthernet || ifc.FCSLen != 4 || ifc.SnapLen != 96 {
			t.Errorf("be=%v: interface %+v", tc.be, ifc)
		}
		if len(all) != 3 {
			t.Fatalf("be=%v nano=%v: %d records", tc.be, tc.nano, len(all))
		}
		off := int64(24)
		for i, g := range all {
			unit := int64(1000)
			if tc.nano {
				unit = 1
			}
			wantTS := int64(recs[i].sec)*1e9 + int64(recs[i].frac)*unit
			orig := recs[i].orig
			if orig == 0 {
				orig = uint32(len(recs[i].data))
			}
			want := Record{Offset: off, DataOff: off + 16, Timestamp: wantTS, CapLen: uint32(len(recs[i].data)), OrigLen: orig, LinkType: 1}
			if !equalRecord(g.rec, want) || !bytes.Equal(g.data, recs[i].data) {
				t.Errorf("be=%v nano=%v rec %d: %+v, want %+v", tc.be, tc.nano, i, g.rec, want)
			}
			off += 16 + int64(len(recs[i].data))
		}
	}
}
