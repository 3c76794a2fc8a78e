package decode_test

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestLeanMatchesFull: a dissector told which fields will be read (Want)
// must give those fields exactly the values a full dissection gives, on
// every test capture, while dropping the rest.
func TestLeanMatchesFull(t *testing.T) {
	names := []string{"frame.number", "frame.protocols", "eth.src", "ip.src", "ip.addr", "ip.checksum.status", "ip.checksum_calculated",
		"ipv6.dst", "tcp.srcport", "tcp.seq", "tcp.ack", "tcp.flags.syn", "tcp.checksum.status", "tcp.analysis.retransmission",
		"udp.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status", "sctp.checksum.status", "gre.checksum.status",
		"igmp.checksum.status", "dns.qry.name", "arp.opcode", "eth.padding", "wirelens.hint", "wirelens.hint.text", "_ws.malformed"}
	var defs []*decode.FieldDef
	want := map[*decode.FieldDef]bool{}
	for _, n := range names {
		d, ok := decode.LookupField(n)
		if !ok {
			t.Fatalf("no field %s", n)
		}
		defs = append(defs, d)
		want[d] = true
	}
	files, _ := filepath.Glob("../testdata/captures/*.pcap*")
	crafted, _ := filepath.Glob("../testdata/crafted/*.pcap*")
	hostile, _ := filepath.Glob("../testdata/hostile/*.pcap*")
	files = append(append(files, crafted...), hostile...)
	for _, f := range files {
		if strings.Contains(f, "corrupt-") {
			continue
		}
		rd, err := capfile.Open(f, capfile.Options{})
		if err != nil {
			continue // not a capture at all (part of the hostile corpus)
		}
		full, lean := decode.NewDissector(prefs.Default()), decode.NewDissector(prefs.Default())
		full.Summary, lean.Summary = false, false
		lean.Want(defs)
		var df, dl decode.Dissection
		for n := 1; ; n++ {
			rec, data, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				break // the damaged files of the hostile corpus end early
			}
			fr := decode.Frame{Number: n, Data: data, Record: rec, Iface: rd.Interface(rec.Interface)}
			full.Dissect(&fr, &df)
			lean.Dissect(&fr, &dl)
			var a, b []string
			for i := range df.Fields {
				if want[df.Fields[i].Def] {
					a = append(a, df.Fields[i].Def.Name+"="+df.Fields[i].Value())
				}
			}
			for i := range dl.Fields {
				if want[dl.Fields[i].Def] {
					b = append(b, dl.Fields[i].Def.Name+"="+dl.Fields[i].Value())
				}
			}
			if strings.Join(a, " ") != strings.Join(b, " ") {
				t.Fatalf("%s frame %d:\nfull: %v\nlean: %v", filepath.Base(f), n, a, b)
			}
			if len(dl.Fields) > len(df.Fields) {
				t.Fatalf("%s frame %d: the lean tree has more fields (%d) than the full one (%d)", filepath.Base(f), n, len(dl.Fields), len(df.Fields))
			}
		}
		rd.Close()
	}
}
