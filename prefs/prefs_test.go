package prefs_test

import (
	. "github.com/wirelens/wirelens/prefs"

	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	p := Default()
	for _, proto := range []string{"ip", "tcp", "udp", "udplite", "icmp", "icmpv6", "igmp", "gre", "sctp"} {
		if !p.Validates(proto) {
			t.Errorf("Default().Validates(%q) = false; wirelens checks every checksum by default", proto)
		}
	}
	if v, _ := p.Get("sctp.checksum"); v != "CRC 32c" {
		t.Errorf("Default() sctp.checksum = %v, want CRC 32c", v)
	}
	if v, _ := p.Get("ip.tso_support"); v != "TRUE" {
		t.Error("Default() ip.tso_support = FALSE, want TRUE (as Wireshark)")
	}
	for _, n := range Names() {
		v, ok := p.Get(n)
		want := "TRUE"
		switch n {
		case "sctp.checksum":
			want = "CRC 32c"
		case "wirelens.decode_as":
			want = ""
		}
		if !ok || v != want {
			t.Errorf("Default().Get(%q) = %q, %v; want %q", n, v, ok, want)
		}
	}
}

func TestNames(t *testing.T) {
	want := []string{
		"cdp.check_checksum", "dnp3.check_crc", "gre.check_checksum", "icmp.check_checksum", "icmpv6.check_checksum", "igmp.check_checksum",
		"ip.check_checksum", "ip.defragment", "ip.tso_support", "ipv6.defragment", "sctp.checksum",
		"tcp.analyze_sequence_numbers", "tcp.check_checksum", "tcp.relative_sequence_numbers",
		"udp.check_checksum", "udplite.check_checksum", "vrrp.check_checksum", "wirelens.decode_as",
	}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q\nwant %q", got, want)
	}
	// lookup relies on the registry being sorted.
	if !slices.IsSorted(Names()) {
		t.Error("Names() not sorted")
	}
	for _, n := range Names() {
		if Description(n) == "" {
			t.Errorf("Description(%q) empty", n)
		}
	}
	if Description("nope") != "" {
		t.Error(`Description("nope") not empty`)
	}
}

// values returns every value a preference can take, in the canonical form.
func values(name string) []string {
	switch name {
	case "sctp.checksum":
		return []string{"None", "Adler 32", "CRC 32c", "Automatic"}
	case "wirelens.decode_as":
		return []string{"", "udp.port==8472,vxlan", "udp.port==8472,vxlan;ethertype==0x88b5,eth"}
	}
	return []string{"TRUE", "FALSE"}
}

func TestSetGetRoundTrip(t *testing.T) {
	for _, n := range Names() {
		for _, v := range values(n) {
			p := Default()
			if err := p.Set(n, v); err != nil {
				t.Fatalf("Set(%q, %q): %v", n, v, err)
			}
			if got, _ := p.Get(n); got != v {
				t.Errorf("after Set(%q, %q), Get = %q", n, v, got)
			}
			// Only the named preference changes.
			for _, other := range Names() {
				if other == n {
					continue
				}
				a, _ := p.Get(other)
				b, _ := Default().Get(other)
				if a != b {
					t.Errorf("Set(%q, %q) changed %s from %q to %q", n, v, other, b, a)
				}
			}
		}
	}
}

func TestSetAcceptsWiresharkSpellings(t *testing.T) {
	cases := []struct {
		name, value, want string
	}{
		{"tcp.check_checksum", "true", "TRUE"},
		{"tcp.check_checksum", "TrUe", "TRUE"},
		{"tcp.check_checksum", "false", "FALSE"},
		{"tcp.check_checksum", " FALSE\t", "FALSE"},
		// tshark accepts the stored words and the short names, in any case.
		{"sctp.checksum", "crc 32c", "CRC 32c"},
		{"sctp.checksum", "CRC 32C", "CRC 32c"},
		{"sctp.checksum", "crc-32c", "CRC 32c"},
		{"sctp.checksum", "adler-32", "Adler 32"},
		{"sctp.checksum", "ADLER 32", "Adler 32"},
		{"sctp.checksum", "automatic", "Automatic"},
		{"sctp.checksum", "none", "None"},
	}
	for _, c := range cases {
		p := Default()
		mustSet(&p, "sctp.checksum", "Automatic")
		if c.want == "TRUE" {
			mustSet(&p, "tcp.check_checksum", "FALSE")
		}
		if err := p.Set(c.name, c.value); err != nil {
			t.Errorf("Set(%q, %q): %v", c.name, c.value, err)
			continue
		}
		if got, _ := p.Get(c.name); got != c.want {
			t.Errorf("Set(%q, %q) then Get = %q, want %q", c.name, c.value, got, c.want)
		}
	}
}

func TestSetBadValue(t *testing.T) {
	cases := []struct {
		name, value string
		wantIn      []string
	}{
		// Wireshark reads these as FALSE without a word; wirelens refuses.
		{"tcp.check_checksum", "1", []string{`"1"`, "tcp.check_checksum", "TRUE or FALSE"}},
		{"udp.check_checksum", "yes", []string{`"yes"`, "udp.check_checksum", "TRUE or FALSE"}},
		{"ip.check_checksum", "", []string{`""`, "ip.check_checksum"}},
		// U+017F folds to 's' under strings.EqualFold, not under GLib.
		{"ip.check_checksum", "FALſE", []string{"ip.check_checksum"}},
		{"sctp.checksum", "CRC32c", []string{`"CRC32c"`, "sctp.checksum", "None, Adler 32, CRC 32c, Automatic"}},
		{"sctp.checksum", "bogus", []string{`"bogus"`, "sctp.checksum"}},
	}
	for _, c := range cases {
		p := Default()
		err := p.Set(c.name, c.value)
		if err == nil {
			t.Errorf("Set(%q, %q) succeeded", c.name, c.value)
			continue
		}
		for _, s := range c.wantIn {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("Set(%q, %q) error %q does not contain %q", c.name, c.value, err, s)
			}
		}
		if errors.Is(err, ErrUnknown) {
			t.Errorf("Set(%q, %q): bad value reported as unknown name", c.name, c.value)
		}
		if p != Default() {
			t.Errorf("failed Set(%q, %q) changed the prefs", c.name, c.value)
		}
	}
}

func TestSetUnknownSuggests(t *testing.T) {
	cases := []struct{ name, want string }{
		{"tcp.check_chksum", `unknown preference "tcp.check_chksum"; did you mean tcp.check_checksum?`},
		{"icmp6.check_checksum", `unknown preference "icmp6.check_checksum"; did you mean icmp.check_checksum or icmpv6.check_checksum?`},
		{"TCP.check_checksum", `unknown preference "TCP.check_checksum"; did you mean tcp.check_checksum?`},
		{"sctp.chcksum", `unknown preference "sctp.chcksum"; did you mean sctp.checksum?`},
		// Same protocol first: a user typing tcp.checksum wants TCP.
		{"tcp.checksum", `unknown preference "tcp.checksum"; did you mean tcp.check_checksum or sctp.checksum?`},
		{"ip.tso", `unknown preference "ip.tso"; did you mean ip.check_checksum or ip.tso_support?`},
		{"gui.column.format", `unknown preference "gui.column.format"`},
		{"", `unknown preference ""`},
	}
	for _, c := range cases {
		p := Default()
		err := p.Set(c.name, "TRUE")
		if err == nil || err.Error() != c.want {
			t.Errorf("Set(%q) error = %v\nwant %s", c.name, err, c.want)
		}
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("Set(%q) error does not wrap ErrUnknown", c.name)
		}
	}
	// A megabyte-long name gets neither a suggestion nor a megabyte message.
	p := Default()
	err := p.Set(strings.Repeat("x", 1<<20), "TRUE")
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("huge name: error of %d bytes", len(err.Error()))
	}
}

func TestOverride(t *testing.T) {
	good := []struct {
		arg, name, want string
	}{
		{"tcp.check_checksum:FALSE", "tcp.check_checksum", "FALSE"},
		{"tcp.check_checksum: false", "tcp.check_checksum", "FALSE"},
		{"sctp.checksum:Adler 32", "sctp.checksum", "Adler 32"},
		{"sctp.checksum: crc-32c", "sctp.checksum", "CRC 32c"},
		{"ip.tso_support:FALSE", "ip.tso_support", "FALSE"},
	}
	for _, c := range good {
		p := Default()
		mustSet(&p, "sctp.checksum", "None")
		if err := p.Override(c.arg); err != nil {
			t.Errorf("Override(%q): %v", c.arg, err)
			continue
		}
		if got, _ := p.Get(c.name); got != c.want {
			t.Errorf("Override(%q): %s = %q, want %q", c.arg, c.name, got, c.want)
		}
	}
	bad := []struct{ arg, wantIn string }{
		{"tcp.check_checksum", "want name:value"},
		{"tcp.check_checksum=FALSE", "want name:value"},
		{"tcp.check_chksum:FALSE", "did you mean tcp.check_checksum?"},
		{"tcp.check_checksum:no", `bad value "no"`},
		{"sctp.checksum:", `bad value ""`},
	}
	for _, c := range bad {
		p := Default()
		err := p.Override(c.arg)
		if err == nil {
			t.Errorf("Override(%q) succeeded", c.arg)
			continue
		}
		if !strings.Contains(err.Error(), QuoteShort(c.arg)) || !strings.Contains(err.Error(), c.wantIn) {
			t.Errorf("Override(%q) error %q: want the argument and %q", c.arg, err, c.wantIn)
		}
		if p != Default() {
			t.Errorf("failed Override(%q) changed the prefs", c.arg)
		}
	}
}

func TestValidates(t *testing.T) {
	for _, proto := range Protocols() {
		p := Default()
		p.SetValidates(proto, false)
		if p.Validates(proto) {
			t.Errorf("SetValidates(%q, false) left it on", proto)
		}
		for _, other := range Protocols() {
			if other != proto && !p.Validates(other) {
				t.Errorf("SetValidates(%q, false) turned off %q", proto, other)
			}
		}
		p.SetValidates(proto, true)
		if p != Default() {
			t.Errorf("SetValidates(%q) off then on: %+v, want defaults", proto, p)
		}
	}
	p := Default()
	p.SetValidates("sctp", false)
	if v, _ := p.Get("sctp.checksum"); v != "None" {
		t.Errorf("sctp off: sctp.checksum = %v, want None", v)
	}
	for _, c := range []string{"Adler 32", "Automatic"} {
		mustSet(&p, "sctp.checksum", c)
		if !p.Validates("sctp") {
			t.Errorf("SCTP %v: Validates = false", c)
		}
		p.SetValidates("sctp", true)
		if v, _ := p.Get("sctp.checksum"); v != c {
			t.Errorf("sctp on while %v: became %v", c, v)
		}
	}
	// The mapping from field prefix to switch, spelled out.
	fields := map[string]string{
		"ip": "ip.check_checksum", "tcp": "tcp.check_checksum", "udp": "udp.check_checksum",
		"udplite": "udplite.check_checksum", "icmp": "icmp.check_checksum", "icmpv6": "icmpv6.check_checksum",
		"igmp": "igmp.check_checksum", "gre": "gre.check_checksum", "sctp": "sctp.checksum",
		"cdp": "cdp.check_checksum", "vrrp": "vrrp.check_checksum",
	}
	for proto, name := range fields {
		p := Default()
		p.SetValidates(proto, false)
		if v, _ := p.Get(name); v != "FALSE" && v != "None" {
			t.Errorf("SetValidates(%q, false) left %s at %s", proto, name, v)
		}
	}
	if Default().Validates("eth") || Default().Validates("") {
		t.Error("unknown protocol reported as validated")
	}
	q := Default()
	q.SetValidates("eth", false)
	if q != Default() {
		t.Error("SetValidates on an unknown protocol changed something")
	}
	if !slices.Equal(Protocols(), []string{"cdp", "dnp3", "gre", "icmp", "icmpv6", "igmp", "ip", "sctp", "tcp", "udp", "udplite", "vrrp"}) {
		t.Errorf("Protocols() = %q", Protocols())
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	if got, want := DefaultPath(), filepath.FromSlash("/xdg/wirelens/preferences"); got != want {
		t.Errorf("with XDG_CONFIG_HOME: %q, want %q", got, want)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	if got, want := DefaultPath(), filepath.FromSlash("/home/u/.config/wirelens/preferences"); got != want {
		t.Errorf("without XDG_CONFIG_HOME: %q, want %q", got, want)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	if got, want := DefaultPath(), filepath.FromSlash("/home/u/.config/wirelens/preferences"); got != want {
		t.Errorf("relative XDG_CONFIG_HOME: %q, want %q (the spec says ignore it)", got, want)
	}
	t.Setenv("HOME", "")
	if got := DefaultPath(); got != "" {
		t.Errorf("no home: %q, want \"\"", got)
	}
}
