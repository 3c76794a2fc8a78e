package decode

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// gopacket's layers are a second, independent reading of the tunnel
// headers: wirelens keeps its own dissectors for Wireshark's fields and
// offsets, and this checks the values they read against gopacket's where
// gopacket decodes them (VXLAN, Geneve, GRE, MPLS).
func TestTunnelsAgreeWithGopacket(t *testing.T) {
	checked := 0
	for _, name := range []string{"vxlan.pcap", "geneve.pcap", "gre-tunnels.pcap", "mpls.pcap"} {
		r, err := capfile.Open("../testdata/crafted/"+name, capfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ds := NewDissector(prefs.Default())
		var d Dissection
		for n := 1; ; n++ {
			rec, data, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			ds.Dissect(&Frame{Number: n, Data: data, Record: rec}, &d)
			pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
			var want []string
			check := func(field, gp string) {
				checked++
				if got := fieldsLine(&d, []string{field}); got != gp {
					t.Errorf("%s#%d: %s = %q, gopacket %q", name, n, field, got, gp)
				}
			}
			if l, ok := pkt.Layer(layers.LayerTypeVXLAN).(*layers.VXLAN); ok {
				check("vxlan.vni", strconv.Itoa(int(l.VNI)))
				check("vxlan.gbp", strconv.Itoa(int(l.GBPGroupPolicyID)))
			}
			if l, ok := pkt.Layer(layers.LayerTypeGeneve).(*layers.Geneve); ok {
				check("geneve.vni", "0x"+strconv.FormatUint(uint64(l.VNI), 16))
				check("geneve.proto_type", "0x"+strconv.FormatUint(uint64(l.Protocol)|0x10000, 16)[1:])
				want = want[:0]
				for _, o := range l.Options {
					want = append(want, "0x"+strconv.FormatUint(uint64(o.Class)|0x10000, 16)[1:])
				}
				check("geneve.option.class", strings.Join(want, ","))
			}
			if l, ok := pkt.Layer(layers.LayerTypeGRE).(*layers.GRE); ok && l.Version == 0 {
				if l.KeyPresent {
					check("gre.key", "0x"+strconv.FormatUint(uint64(l.Key)|1<<32, 16)[1:])
				}
				if l.SeqPresent {
					check("gre.sequence_number", strconv.Itoa(int(l.Seq)))
				}
			}
			want = want[:0]
			for _, l := range pkt.Layers() {
				if m, ok := l.(*layers.MPLS); ok {
					want = append(want, strconv.Itoa(int(m.Label)))
				}
			}
			if len(want) > 0 {
				check("mpls.label", strings.Join(want, ","))
			}
		}
		r.Close()
	}
	// The captures hold 22 tunnel frames; each gives one check or more.
	if checked < 25 {
		t.Errorf("only %d values compared with gopacket", checked)
	}
	t.Logf("%d values agree with gopacket", checked)
}
