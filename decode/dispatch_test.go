package decode

import (
	"strings"
	"testing"
)

func TestParseDecodeAs(t *testing.T) {
	good := map[string][]DecodeAs{
		"udp.port==8472,eth":      {{"udp.port", 8472, "eth"}},
		"udp.port=8472,ETH":       {{"udp.port", 8472, "eth"}},
		" tcp.port == 80 , dns ":  {{"tcp.port", 80, "dns"}},
		"ethertype==0x0800,ip":    {{"ethertype", 0x800, "ip"}},
		"ip.proto==99,udp":        {{"ip.proto", 99, "udp"}},
		"udp.port==10-12,eth":     {{"udp.port", 10, "eth"}, {"udp.port", 11, "eth"}, {"udp.port", 12, "eth"}},
		"udp.port==0x10-0x11,dns": {{"udp.port", 16, "dns"}, {"udp.port", 17, "dns"}},
	}
	for in, want := range good {
		got, err := ParseDecodeAs(in)
		if err != nil {
			t.Errorf("ParseDecodeAs(%q): %v", in, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("ParseDecodeAs(%q) = %v, want %v", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("ParseDecodeAs(%q)[%d] = %v, want %v", in, i, got[i], want[i])
			}
		}
	}
	bad := map[string]string{
		"udp.port==8472":        "no protocol",
		"udp.port,eth":          "no ==",
		"frame.len==1,eth":      "unknown table",
		"udp.port==8472,nosuch": "unknown protocol",
		"udp.port==70000,eth":   "out of range",
		"ip.proto==256,udp":     "out of range",
		"udp.port==x1,eth":      "not a number",
		"udp.port==12-10,eth":   "range ends",
		"udp.port==\x1b[2J,eth": "not a number",
	}
	for in, want := range bad {
		_, err := ParseDecodeAs(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDecodeAs(%q) error %v, want one saying %q", in, err, want)
			continue
		}
		if strings.ContainsAny(err.Error(), "\x1b") {
			t.Errorf("ParseDecodeAs(%q) error carries a control character: %q", in, err)
		}
	}
}

// The tables are what leads from one layer to the next: each key a
// protocol file registered must reach a dissector Decode As can name.
func TestDispatchTablesRegistered(t *testing.T) {
	for name, want := range map[string][]uint32{
		"ethertype": {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8},
		"ip.proto":  {1, 2, 4, 6, 17, 41, 47, 58, 132, 136},
		"udp.port":  {53, 5353},
		"gre.proto": {0x0800, 0x86dd, 0x0806, 0x6558},
	} {
		tab := tables[name]
		for _, k := range want {
			p := tab.m[k]
			if p == nil {
				t.Errorf("%s %#x: no dissector", name, k)
				continue
			}
			if payloads[p.Name] != p {
				t.Errorf("%s %#x: dissector %q not named for Decode As", name, k, p.Name)
			}
		}
	}
	for _, lt := range []uint16{1, 0, 101, 113, 228, 229, 276, 108} {
		if _, ok := linkByType[lt]; !ok {
			t.Errorf("link type %d not registered", lt)
		}
	}
}
