package remote

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]Target{
		"ssh://h/eth0":                 {Host: "h", Iface: "eth0"},
		"ssh://root@10.0.0.1:2222/any": {User: "root", Host: "10.0.0.1", Port: 2222, Iface: "any"},
		"ssh://[fd00::1]:22/eth0.100":  {Host: "fd00::1", Port: 22, Iface: "eth0.100"},
		"ssh://alias":                  {Host: "alias"},
		"ssh://u@jump-host.example/":   {User: "u", Host: "jump-host.example"},
	} {
		got, err := ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if err == nil && got.Iface != "" && got.String() != in {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), in)
		}
	}
	for in, want := range map[string]string{
		"eth0":                          "want ssh://",
		"ssh:///eth0":                   "no host",
		"ssh://-oProxyCommand=x/eth0":   "not a host name",
		"ssh://h:0/eth0":                "not a port",
		"ssh://h:99999/eth0":            "not a port",
		"ssh://fd00::1/eth0":            "in brackets",
		"ssh://h/eth0;reboot":           "not an interface name",
		"ssh://h/$(id)":                 "not an interface name",
		"ssh://h/averyveryverylongname": "longer than 15",
		"ssh://-l@h/eth0":               "not a user name",
		"ssh://[fd00::1/eth0":           "unclosed",
	} {
		_, err := ParseTarget(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) error %v; want one saying %q", in, err, want)
		}
	}
}

// shellQuote must give back exactly its input through a real sh, whatever
// the input holds.
func TestShellQuoteThroughSh(t *testing.T) {
	for _, s := range []string{"", "plain", "it's", `a'b"c$d` + "`e`\\f", "tcp port 22 and not (host 10.0.0.1)", "'", "''", "\n\t*?[]"} {
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("sh gave %q, %v for %q", out, err, s)
		}
	}
}

func FuzzShellQuote(f *testing.F) {
	f.Add("it's $(x)")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, 0) >= 0 {
			return // no shell can hold a NUL in a word
		}
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Fatalf("sh gave %q, %v for %q", out, err, s)
		}
	})
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"ssh://root@h:22/eth0", "ssh://[::1]/lo", "ssh://a@b@c/d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		// What reaches ssh and the remote shell must be inert.
		if strings.HasPrefix(tg.Host, "-") || strings.ContainsAny(tg.Host+tg.User+tg.Iface, " ;&|$`'\"\\\n") {
			t.Fatalf("ParseTarget(%q) accepted %+v", s, tg)
		}
		if tg.Iface != "" {
			if back, err := ParseTarget(tg.String()); err != nil || back != tg {
				t.Fatalf("round trip of %q: %+v, %v", s, back, err)
			}
		}
	})
}

const sampleInfo = `WIRELENS-INFO 1
uid=0
user=root
uname=Linux 6.1.0-18-amd64 x86_64
arch=x86_64
tools= tcpdump sudo ethtool ip
ssh=10.0.0.5 51514 10.0.0.1 22
sudo=root
if.name=eth0
if.mtu=9000
if.type=1
if.state=up
if.driver=mlx5_core
if.link=2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq state UP mode DEFAULT group default qlen 1000\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 allmulti 0 minmtu 68 maxmtu 9978 \    addrgenmode eui64 numtxqueues 8
if.addr=10.0.0.1/24
if.feature=Features for eth0:
if.feature=rx-checksumming: on
if.feature=tx-checksumming: on
if.feature=	tx-checksum-ipv4: off [fixed]
if.feature=	tx-checksum-ip-generic: on
if.feature=scatter-gather: on
if.feature=tcp-segmentation-offload: on
if.feature=	tx-tcp-segmentation: on
if.feature=generic-segmentation-offload: on
if.feature=generic-receive-offload: on
if.feature=large-receive-offload: off [fixed]
tool=tcpdump
filter=(tcp) and not (host 10.0.0.5 and port 22)
WIRELENS-INFO-END
`

func TestReadInfo(t *testing.T) {
	br := bufio.NewReader(strings.NewReader(sampleInfo + "\xd4\xc3\xb2\xa1rest"))
	h, err := readInfo(br)
	if err != nil {
		t.Fatal(err)
	}
	i := h.Iface("eth0")
	if h.UID != 0 || h.Tool != "tcpdump" || !h.HasTool("tcpdump") || h.HasTool("wirelens") || i == nil {
		t.Fatalf("%+v", h)
	}
	if i.MTU != 9000 || i.Driver != "mlx5_core" || i.Kind != "" || len(i.Addrs) != 1 {
		t.Errorf("%+v", i)
	}
	// tx-checksum-ip-generic (indented under tx-checksumming in ethtool -k)
	// is one of the overlay features read as they are named.
	if got := i.Offloads.String(); got != "rx-csum tx-csum tso gso gro !lro sg !tx-udp_tnl-segmentation !tx-udp_tnl-csum-segmentation !tx-gre-segmentation !tx-gre-csum-segmentation !tx-udp-segmentation !rx-gro-list !rx-udp-gro-forwarding tx-checksum-ip-generic" {
		t.Errorf("offloads %q", got)
	}
	if rest, _ := br.ReadString(0); rest != "\xd4\xc3\xb2\xa1rest" {
		t.Errorf("the stream after the block is %q", rest)
	}
	d := h.Description(Target{Host: "db1", Iface: "eth0"})
	if !strings.Contains(d, "driver mlx5_core") || !strings.Contains(d, "offloads rx-csum tx-csum tso gso gro !lro sg") {
		t.Errorf("description %q", d)
	}
	for line, kind := range map[string]string{
		`5: v@if4: <UP> mtu 1500 \    link/ether aa brd ff promiscuity 0 \    veth addrgenmode eui64`:           "veth",
		`7: br0: <UP> mtu 1500 \    link/ether aa brd ff \    bridge forward_delay 1500 \    addrgenmode eui64`: "bridge",
		`9: vx: <UP> \    link/ether aa \    vxlan id 42 remote 10.0.0.2`:                                       "vxlan",
		`1: lo: <LOOPBACK> \    link/loopback 00 brd 00 \    addrgenmode eui64`:                                 "",
	} {
		if got := linkKind(line); got != kind {
			t.Errorf("linkKind(%q) = %q, want %q", line, got, kind)
		}
	}
}

// A hostile or chatty remote: a banner before the block, control
// characters in values, a block that never ends.
func TestReadInfoHostile(t *testing.T) {
	if _, err := readInfo(bufio.NewReader(strings.NewReader("Welcome to \x1b]0;pwned\x07host\n" + sampleInfo))); err == nil ||
		!strings.Contains(err.Error(), "before wirelens's script ran") || strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("banner: %v", err)
	}
	h, err := readInfo(bufio.NewReader(strings.NewReader("WIRELENS-INFO 1\nuname=Linux \x1b[2J\u202eevil\nWIRELENS-INFO-END\n")))
	if err != nil || strings.ContainsRune(h.Uname, 0x1b) || strings.ContainsRune(h.Uname, 0x202e) {
		t.Errorf("uname %q, %v", h.Uname, err)
	}
	if _, err := readInfo(bufio.NewReader(strings.NewReader("WIRELENS-INFO 1\n" + strings.Repeat("x=y\n", maxInfoLines+5)))); err == nil {
		t.Error("an endless block was accepted")
	}
	if _, err := readInfo(bufio.NewReader(strings.NewReader("WIRELENS-INFO 1\nuname=" + strings.Repeat("a", maxInfoLine+1) + "\n"))); err == nil {
		t.Error("an endless line was accepted")
	}
	if _, err := readInfo(bufio.NewReader(strings.NewReader("WIRELENS-INFO 1\nuid=0\n"))); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("cut block: %v", err)
	}
}

func FuzzReadInfo(f *testing.F) {
	f.Add([]byte(sampleInfo))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, _ := readInfo(bufio.NewReader(strings.NewReader(string(b))))
		if h == nil {
			t.Fatal("nil info")
		}
		for _, s := range []string{h.Uname, h.User, h.Tool, h.Filter, h.Description(Target{Host: "h", Iface: "eth0"})} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 kept: %q", s)
			}
			for _, r := range s {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
					t.Fatalf("control character kept: %q", s)
				}
			}
		}
	})
}
