package bpf

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// Unsupported or invalid expressions must fail with an error that names
// the expression, the offending token and its column, never compile to a
// program that silently filters something else.
func TestErrors(t *testing.T) {
	cases := []struct {
		expr string
		lt   LinkType
		col  int
		msg  string
	}{
		{"tcp prot 80", Ethernet, 5, `unknown keyword "prot"`},
		{"host example.com", Ethernet, 6, `"example.com" is not an address; host names need DNS lookups`},
		{"src host gateway1", Ethernet, 10, `"gateway1" is not an address`},
		{"port 80 or", Ethernet, 11, "unexpected end of expression"},
		{"(tcp", Ethernet, 5, `expected ")"`},
		{"tcp)", Ethernet, 4, `unexpected ")"`},
		{"tcp[13:3] = 1", Ethernet, 8, "data size must be 1, 2, or 4"},
		{"tcp[13]", Ethernet, 8, "expected a comparison operator"},
		{"ip[0] / 0 = 1", Ethernet, 7, "division by zero"},
		{"ip[0] % 0 = 1", Ethernet, 7, "division by zero"},
		{"vlan 5000", Ethernet, 6, "VLAN tag 5000 greater than maximum 4095"},
		{"vlan 10", LinuxSLL, 1, "no VLAN support for LINUX_SLL"},
		{"vlan", Cooked, 1, "no VLAN support"},
		{"net 1.2.3.4/8", Ethernet, 5, `non-network bits set in "1.2.3.4/8"`},
		{"net 10.0.0.1 mask 255.0.0.0", Ethernet, 5, "non-network bits set"},
		{"net 2001:db8::1/32", Ethernet, 5, "non-network bits set"},
		{"net 10.0.0.0/33", Ethernet, 14, "prefix length from 0 to 32"},
		{"host 10.0.0", Ethernet, 6, "not a complete IPv4 address"},
		{"host 10.0.0.0/8", Ethernet, 14, `use "net" for a prefix`},
		{"port 70000", Ethernet, 6, "larger than 65535"},
		{"port nosuchservice", Ethernet, 6, `unknown port name "nosuchservice"`},
		{"udp port http", Ethernet, 10, `port "http" is tcp`},
		{"tcp port ntp", Ethernet, 10, `port "ntp" is udp`},
		{"portrange 1-x", Ethernet, 11, "must be two numbers"},
		{"icmp port 80", Ethernet, 11, `illegal qualifier "icmp" of "port"`},
		{"tcp host 10.0.0.1", Ethernet, 10, `"tcp" modifier applied to IPv4 host`},
		{"ip host 2001:db8::1", Ethernet, 9, `"ip" modifier applied to IPv6 host`},
		{"ether host 02:00:00:00:00:01", LinuxSLL2, 12, "Ethernet addresses are only supported on Ethernet"},
		{"host 02:00:00:00:00:01", Ethernet, 6, `needs the "ether" qualifier`},
		{"ether host 10.0.0.1", Ethernet, 12, "not an Ethernet address"},
		{"ether broadcast", Raw, 7, "link-layer broadcast is only supported on Ethernet"},
		{"ether", Ethernet, 1, `"ether" needs a qualifier`},
		{"gateway router", Ethernet, 1, `"gateway" is valid tcpdump syntax but not supported`},
		{"ip protochain 6", Ethernet, 4, `"protochain" is valid tcpdump syntax but not supported`},
		{"mpls 100", Ethernet, 1, "not supported"},
		{"ether proto \\atalk", Ethernet, 13, "not supported"},
		{"ether proto 0xe0", Ethernet, 13, "LLC/SNAP handling that is not supported"},
		{"ip proto 300", Ethernet, 10, "larger than 255"},
		{"ip proto \\nosuch", Ethernet, 10, `unknown IP protocol "nosuch"`},
		{"vlan[0] = 1", Ethernet, 1, `"vlan"[...] is not supported`},
		{"ether[0] = 1", Cooked, 1, "cooked-socket filter does not see a link-layer header"},
		{"len", Ethernet, 4, "expected a comparison operator"},
		{"greater", Ethernet, 8, "unexpected end of expression, expected a length"},
		{"10", Ethernet, 1, `bare number "10" needs a qualifier`},
		{"tcp and 22", Ethernet, 9, `bare number "22" needs a qualifier`},
		{"host 1.2.3.4 $", Ethernet, 14, "unexpected character '$'"},
		{"tcp-syn", Ethernet, 8, "expected a comparison operator"},
		{"ip[0:0x100000000] = 1", Ethernet, 6, "data size"},
		{strings.Repeat("(", 101) + "tcp" + strings.Repeat(")", 101), Ethernet, 101, "nested more than 100 levels"},
		{strings.Repeat("ip[", 101) + "0", Ethernet, 301, "nested more than 100 levels"},
	}
	for _, c := range cases {
		_, err := Compile(c.expr, c.lt, 0)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s %q: want error containing %q, got %v", c.lt, c.expr, c.msg, err)
			continue
		}
		if !strings.Contains(e.Msg, c.msg) || e.Column != c.col || e.Expr != c.expr {
			t.Errorf("%s %q: got %q at column %d, want %q at column %d", c.lt, c.expr, e.Msg, e.Column, c.msg, c.col)
		}
		if want := `capture filter "` + strings.ReplaceAll(c.expr, `\`, `\\`) + `": `; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: message %q does not start with %q", c.expr, err, want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Compile("tcp prot 80", Ethernet, 0)
	const want = `capture filter "tcp prot 80": unknown keyword "prot" at column 5`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	if _, err := Compile("ip", LinkType(999), 0); err == nil || !strings.Contains(err.Error(), "unsupported link type 999") {
		t.Fatalf("unknown link type: got %v", err)
	}
}

// An empty expression accepts everything, like tcpdump with no filter,
// and snaplen 0 means the default rather than "ret #0".
func TestEmptyAndSnaplen(t *testing.T) {
	raw, err := Compile("", Ethernet, 0)
	if err != nil || len(raw) != 1 || raw[0] != (bpf.RawInstruction{Op: 0x06, K: DefaultSnaplen}) {
		t.Fatalf("empty expression: %v %v", raw, err)
	}
	raw, err = Compile("  ", Raw, 96)
	if err != nil || len(raw) != 1 || raw[0].K != 96 {
		t.Fatalf("snaplen 96: %v %v", raw, err)
	}
	ins, err := CompileInstructions("tcp", Ethernet, 128)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if r, ok := in.(bpf.RetConstant); ok && r.Val != 0 && r.Val != 128 {
			t.Errorf("accept returns %d, want snaplen 128", r.Val)
		}
	}
}

// Compile and CompileInstructions describe the same program.
func TestCompileMatchesInstructions(t *testing.T) {
	for _, expr := range []string{"tcp port 80", "vlan and ip6", "ip[0] & 0xf != 5", "inbound"} {
		ins, err := CompileInstructions(expr, Ethernet, 0)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := Compile(expr, Ethernet, 0)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := bpf.Assemble(ins)
		if len(raw) != len(want) {
			t.Fatalf("%q: %d vs %d instructions", expr, len(raw), len(want))
		}
		for i := range raw {
			if raw[i] != want[i] {
				t.Fatalf("%q: instruction %d differs", expr, i)
			}
		}
	}
}

// Cooked mode must learn the EtherType from SKF_AD_PROTOCOL (BPF_LD|BPF_W|
// BPF_ABS, k = SKF_AD_OFF) and read the IP header at offset 0.
func TestCookedUsesAncillaryProtocol(t *testing.T) {
	raw, err := Compile("ip and tcp[13] = 2", Cooked, 0)
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != (bpf.RawInstruction{Op: 0x20, K: 0xfffff000}) {
		t.Fatalf("first instruction %+v, want ld [SKF_AD_OFF+SKF_AD_PROTOCOL]", raw[0])
	}
	l3 := ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(1, 2, synF, nil))
	ins, _ := CompileInstructions("ip and tcp[13] = 2", Cooked, 0)
	for _, c := range []struct {
		proto uint16
		want  bool
	}{{0x800, true}, {0x86dd, false}} {
		got, err := run(ins, l3, aux{proto: c.proto})
		if err != nil || got != c.want {
			t.Errorf("proto %#x: got %v %v, want %v", c.proto, got, err, c.want)
		}
	}
}

// Long programs need branches over more than 255 instructions, which
// classic BPF can only express through "ja" trampolines.
func TestLongJumps(t *testing.T) {
	var parts []string
	for i := 1; i <= 60; i++ {
		parts = append(parts, "port "+itoa(i))
	}
	expr := strings.Join(parts, " or ") + " or port 80"
	ins, err := CompileInstructions(expr, Ethernet, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) < 300 {
		t.Fatalf("expected a long program, got %d instructions", len(ins))
	}
	if _, err := bpf.Assemble(ins); err != nil {
		t.Fatal(err)
	}
	hit := frame{l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(40000, 80, synF, nil)), proto: 0x800}
	miss := frame{l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(40000, 81, synF, nil)), proto: 0x800}
	for _, c := range []struct {
		f    frame
		want bool
	}{{hit, true}, {miss, false}} {
		if got, err := run(ins, c.f.ethernet(), aux{}); err != nil || got != c.want {
			t.Errorf("got %v %v, want %v", got, err, c.want)
		}
	}
	// Past the kernel's 4096-instruction limit the compiler refuses.
	parts = parts[:0]
	for i := 0; i < 300; i++ {
		parts = append(parts, "portrange 1-"+itoa(i+2))
	}
	if _, err := Compile(strings.Join(parts, " or "), Ethernet, 0); err == nil || !strings.Contains(err.Error(), "kernel limit of 4096") {
		t.Fatalf("oversized program: %v", err)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// The lexer follows libpcap: "len-1" is one word, "tcp[2:2]" splits at the
// colon, MAC and IPv6 addresses keep theirs; and/or share a precedence.
func TestSyntaxDetails(t *testing.T) {
	if _, err := Compile("len-1 > 0", Ethernet, 0); err == nil {
		t.Error(`"len-1" should be one (unknown) word, as in tcpdump`)
	}
	if _, err := Compile("len - 1 > 0 and tcp[2:2] = 80 and ether src 2:0:0:0:0:1 and host fe80::1", Ethernet, 0); err != nil {
		t.Error(err)
	}
	if _, err := Compile("ether host 0200.0000.0001 or ether host 02-00-00-00-00-01", Ethernet, 0); err != nil {
		t.Error(err)
	}
	// "tcp or udp and port 53" is "(tcp or udp) and port 53".
	ins, err := CompileInstructions("tcp or udp and port 53", Ethernet, 0)
	if err != nil {
		t.Fatal(err)
	}
	f := frame{l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(40000, 80, synF, nil)), proto: 0x800}
	if got, _ := run(ins, f.ethernet(), aux{}); got {
		t.Error("TCP to port 80 matched (tcp or udp) and port 53")
	}
	// Octal and hex numbers as in libpcap.
	a, _ := CompileInstructions("tcp[13] = 022", Ethernet, 0)
	b, _ := CompileInstructions("tcp[13] = 0x12", Ethernet, 0)
	if len(a) != len(b) || a[len(a)-3] != b[len(b)-3] {
		t.Error("022 and 0x12 compile differently")
	}
}
