package capfile

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Real captures made on lo with tcpdump (lo.pcap, snaplen 200) and dumpcap
// on lo plus "any" (lo-any.pcapng: Ethernet and Linux cooked interfaces),
// checked against tshark's fields saved next to them:
// frame.interface_id, frame.len, frame.cap_len, frame.time_epoch, frame.encap_type.

type goldenRow struct {
	iface   uint32
	orig    uint32
	capLen  uint32
	ts      int64
	linkTyp uint16
}

// Wiretap encapsulation numbers in the golden files, as LINKTYPE values.
var encapToLinkType = map[int]uint16{1: LinkEthernet, 25: LinkSLL}

func loadGolden(t *testing.T, path string) []goldenRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []goldenRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 5 {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		var row goldenRow
		if c[0] != "" {
			n, _ := strconv.Atoi(c[0])
			row.iface = uint32(n)
		}
		n, _ := strconv.Atoi(c[1])
		row.orig = uint32(n)
		n, _ = strconv.Atoi(c[2])
		row.capLen = uint32(n)
		sec, frac, _ := strings.Cut(c[3], ".")
		s, _ := strconv.ParseInt(sec, 10, 64)
		ns, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
		row.ts = s*1e9 + ns
		n, _ = strconv.Atoi(c[4])
		lt, ok := encapToLinkType[n]
		if !ok {
			t.Fatalf("%s: encapsulation %d not in the table", path, n)
		}
		row.linkTyp = lt
		rows = append(rows, row)
	}
	return rows
}

func TestGoldenTshark(t *testing.T) {
	for _, tc := range []struct{ file, golden, format string }{
		{"lo.pcap", "lo.pcap.tshark.tsv", "pcap"},
		{"lo-any.pcapng", "lo-any.pcapng.tshark.tsv", "pcapng"},
		{"lo-any.pcapng.gz", "lo-any.pcapng.tshark.tsv", "pcapng"},
	} {
		want := loadGolden(t, "testdata/"+tc.golden)
		r, err := Open("testdata/"+tc.file, Options{RandomAccess: true})
		if err != nil {
			t.Fatal(err)
		}
		checkReadFrame(t, r, len(want))
		r.Close()

		r, err = Open("testdata/"+tc.file, Options{})
		if err != nil {
			t.Fatal(err)
		}
		all, err := readAll(t, r)
		if err != io.EOF || len(all) != len(want) || r.Format() != tc.format {
			t.Fatalf("%s: %d records (want %d), err %v, format %s", tc.file, len(all), len(want), err, r.Format())
		}
		for i, w := range want {
			g := all[i].rec
			if g.Interface != w.iface || g.OrigLen != w.orig || g.CapLen != w.capLen || g.Timestamp != w.ts || g.LinkType != w.linkTyp {
				t.Errorf("%s frame %d: %+v, tshark says %+v", tc.file, i+1, g, w)
			}
			// ICMP echo over IPv4: the EtherType sits at 12 in Ethernet, 14 in SLL.
			et := 12
			if g.LinkType == LinkSLL {
				et = 14
			}
			if d := all[i].data; d[et] != 0x08 || d[et+1] != 0x00 || d[et+2]>>4 != 4 {
				t.Errorf("%s frame %d: not IPv4 where expected: % x", tc.file, i+1, d[:et+3])
			}
		}
		if tc.format == "pcapng" {
			ifs := r.Interfaces()
			if len(ifs) != 2 || ifs[0].Name != "lo" || ifs[1].Name != "any" || ifs[0].TSResolNs != 1 {
				t.Errorf("%s: interfaces %+v", tc.file, ifs)
			}
		}
		r.Close()
	}
}
