package decode_test

import (
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestHintTunnelOffloads: an inner checksum left as the partial sum in an
// overlay captured on the underlay gets the offload explanation naming the
// tunnel features of the capturing interface (as a wirelens pcapng
// interface description records them): the UDP tunnel ones for VXLAN and
// Geneve, the GRE ones for GRE, each said on or off as recorded; an outer
// checksum or a plain frame does not.
func TestHintTunnelOffloads(t *testing.T) {
	const on = "wirelens: offloads rx-csum tx-csum tso gso gro !lro sg tx-udp_tnl-segmentation tx-udp_tnl-csum-segmentation tx-gre-segmentation !tx-gre-csum-segmentation tx-udp-segmentation !rx-gro-list !rx-udp-gro-forwarding tx-checksum-ip-generic"
	const off = "wirelens: offloads rx-csum tx-csum tso gso gro !lro sg !tx-udp_tnl-segmentation !tx-udp_tnl-csum-segmentation !tx-gre-segmentation !tx-gre-csum-segmentation tx-udp-segmentation !rx-gro-list !rx-udp-gro-forwarding !tx-checksum-ip-generic"
	for _, tc := range []struct {
		file, kind, onNote, offNote string
	}{
		{"overlay-vxlan-nocsum-offload-underlay.pcap", "VXLAN, Geneve",
			"(underlay0 had tx-udp_tnl-segmentation, tx-udp_tnl-csum-segmentation, tx-checksum-ip-generic on when this was captured)",
			"(underlay0 had tx-udp_tnl-segmentation, tx-udp_tnl-csum-segmentation, tx-checksum-ip-generic off when this was captured)"},
		{"overlay-geneve-offload-underlay.pcap", "VXLAN, Geneve",
			"(underlay0 had tx-udp_tnl-segmentation, tx-udp_tnl-csum-segmentation, tx-checksum-ip-generic on when this was captured)", ""},
		{"overlay-gre-offload-underlay.pcap", "GRE tunnel",
			"(underlay0 had tx-gre-segmentation, tx-checksum-ip-generic on when this was captured)",
			"(underlay0 had tx-gre-segmentation, tx-gre-csum-segmentation, tx-checksum-ip-generic off when this was captured)"},
	} {
		ds := decode.NewDissector(prefs.Default())
		var d decode.Dissection
		found := 0
		decode.EachRecord(t, "../testdata/captures/"+tc.file, func(n int, rec capfile.Record, data []byte, _ *capfile.Interface) bool {
			for _, desc := range []string{on, off} {
				ifc := &capfile.Interface{Name: "underlay0", Description: desc}
				ds.Dissect(&decode.Frame{Number: n, Data: data, Record: rec, Iface: ifc}, &d)
				for i := range d.Fields {
					f := &d.Fields[i]
					if f.Def.Name != "wirelens.hint.text" || !strings.Contains(f.Value(), "partial pseudo-header sum Linux leaves") {
						continue
					}
					why := f.Value()
					// The outer UDP checksum (bytes 40-41 behind Ethernet
					// and IPv4) may hold a partial sum too: not an inner one.
					if inner := f.Offset > 42; inner != strings.Contains(why, "the inner ") || inner && !strings.Contains(why, tc.kind) {
						t.Fatalf("%s frame %d: checksum at byte %d explained as %q", tc.file, n, f.Offset, why)
					}
					if f.Offset <= 42 {
						continue
					}
					want := tc.onNote
					if desc == off {
						want = tc.offNote
					}
					if want != "" && !strings.HasSuffix(why, want) {
						t.Fatalf("%s frame %d: %q lacks %q", tc.file, n, why, want)
					}
					found++
				}
			}
			return true
		})
		if found == 0 {
			t.Errorf("%s: no inner partial checksum explained", tc.file)
		}
		t.Logf("%s: %d explanations", tc.file, found)
	}
	// A partial sum outside any tunnel keeps the plain explanation.
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	decode.EachRecord(t, "../testdata/captures/lo-offload-eth.pcap", func(n int, rec capfile.Record, data []byte, _ *capfile.Interface) bool {
		ds.Dissect(&decode.Frame{Number: n, Data: data, Record: rec, Iface: &capfile.Interface{Name: "lo", Description: on}}, &d)
		for i := range d.Fields {
			if f := &d.Fields[i]; f.Def.Name == "wirelens.hint.text" && strings.Contains(f.Value(), "the inner ") {
				t.Fatalf("lo frame %d: %q", n, f.Value())
			}
		}
		return n < 199
	})
}
