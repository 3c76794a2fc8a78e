package decode

import (
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
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

// Decode As as a preference: every dissector made from the preferences
// follows it, and a bad rule is refused by name.
func TestDecodeAsPreference(t *testing.T) {
	p := prefs.Default()
	if err := p.Set("wirelens.decode_as", "udp.port==8472,vxlan"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("wirelens.decode_as", "udp.port==8472,nope"); err == nil || !strings.Contains(err.Error(), "wirelens.decode_as") {
		t.Errorf("bad rule accepted or not named: %v", err)
	}
	// A VXLAN frame on Linux's port 8472 (what testdata/craft writes).
	inner := []byte{0x0a, 0x58, 0x0a, 0xc8, 0, 2, 0x0a, 0x58, 0x0a, 0xc8, 0, 1, 0x08, 0x06}
	inner = append(inner, make([]byte, 28)...)
	vx := append([]byte{0x08, 0, 0, 0, 0, 0, 7, 0}, inner...)
	udpHdr := []byte{0xc7, 0x38, 0x21, 0x18, 0, byte(8 + len(vx)), 0, 0}
	ip := []byte{0x45, 0, 0, byte(20 + 8 + len(vx)), 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	fix := ^fold(onesSum(ip, 0))
	ip[10], ip[11] = byte(fix>>8), byte(fix)
	frame := append(append(append([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0}, ip...), udpHdr...), vx...)
	for _, tc := range []struct {
		p    prefs.Prefs
		want string
	}{{prefs.Default(), "eth:ethertype:ip:udp:data"}, {p, "eth:ethertype:ip:udp:vxlan:eth:ethertype:arp"}} {
		d := dissectWith(tc.p, frame)
		if got := fieldsLine(d, []string{"frame.protocols"}); got != tc.want {
			t.Errorf("protocols %q, want %q", got, tc.want)
		}
	}
	if u := dissectWith(prefs.Default(), frame).Undissected; len(u) != 1 || u[0].String() != "UDP/8472 payloads" {
		t.Errorf("undissected %v, want UDP/8472 payloads", u)
	}
}

func dissectWith(p prefs.Prefs, data []byte) *Dissection {
	ds := NewDissector(p)
	var d Dissection
	ds.Dissect(&Frame{Number: 1, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)), LinkType: capfile.LinkEthernet}}, &d)
	return &d
}

// FuzzParseDecodeAs: any text gives rules or an error, never a panic; a
// rule reads back as itself, and an error carries no control character.
func FuzzParseDecodeAs(f *testing.F) {
	for _, s := range []string{"udp.port==8472,vxlan", "ethertype==0x88b5,eth", "udp.port==1-3,dns;tcp.port==80,ip", "ip.proto=99,udp", ",", "==", "udp.port==0x,vxlan"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ParseDecodeAsList(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\x00\x1b\r\n\t") {
				t.Fatalf("error with a control character: %q", err)
			}
			return
		}
		for _, r := range rules {
			back, err := ParseDecodeAs(r.String())
			if err != nil || len(back) != 1 || back[0] != r {
				t.Fatalf("rule %v reads back as %v, %v", r, back, err)
			}
		}
		ds := NewDissector(prefs.Default())
		if err := ds.SetDecodeAs(rules); err != nil {
			t.Fatalf("parsed rules refused: %v", err)
		}
	})
}

func TestDecodeAsBounded(t *testing.T) {
	if _, err := ParseDecodeAsList("udp.port==0-65535,vxlan;tcp.port==0-65535,vxlan"); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("131072 rules accepted: %v", err)
	}
	if r, err := ParseDecodeAsList("udp.port==0-65535,vxlan"); err != nil || len(r) != 65536 {
		t.Errorf("a whole port range: %d rules, %v", len(r), err)
	}
}
