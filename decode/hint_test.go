package decode_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestHintNamesInterfaceOffloads: when the capture file says which
// offloads its interface had (wirelens writes them into the pcapng
// interface description), the hint names the one that explains it.
func TestHintNamesInterfaceOffloads(t *testing.T) {
	rd, err := capfile.Open("../testdata/captures/lo-offload-eth.pcap", capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	for n := 1; ; n++ {
		rec, data, err := rd.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("no frame with a partial checksum in the loopback capture")
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, desc := range []string{"wirelens: offloads rx-csum tx-csum tso gso !gro !lro sg", "wirelens: offloads rx-csum !tx-csum tso gso !gro !lro sg", ""} {
			ifc := &capfile.Interface{Name: "veth0", Description: desc}
			ds.Dissect(&decode.Frame{Number: n, Data: data, Record: rec, Iface: ifc}, &d)
			var why string
			for i := range d.Fields {
				f := &d.Fields[i]
				if f.Def.Name == "wirelens.hint.text" && strings.Contains(f.Value(), "partial pseudo-header sum") {
					why = f.Value()
				}
			}
			if why == "" {
				break // not a partial-checksum frame; try the next
			}
			want := map[string]string{
				"wirelens: offloads rx-csum tx-csum tso gso !gro !lro sg":  "(veth0 had tx-csum on when this was captured)",
				"wirelens: offloads rx-csum !tx-csum tso gso !gro !lro sg": "(veth0 had tx-csum off when this was captured)",
				"": "",
			}[desc]
			if want != "" && !strings.HasSuffix(why, want) {
				t.Errorf("description %q: hint %q lacks %q", desc, why, want)
			}
			if want == "" && strings.Contains(why, "veth0") {
				t.Errorf("no offloads recorded, yet the hint names the interface: %q", why)
			}
			if desc == "" {
				return
			}
		}
	}
}
