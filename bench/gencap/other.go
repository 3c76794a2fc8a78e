package main

import (
	"fmt"
	"strings"
	"time"
)

var names = []string{
	"www.google.com", "www.youtube.com", "github.com", "api.github.com",
	"objects.githubusercontent.com", "en.wikipedia.org", "www.wikipedia.org",
	"deb.debian.org", "security.debian.org", "www.debian.org", "go.dev",
	"proxy.golang.org", "sum.golang.org", "www.cloudflare.com", "cdn.jsdelivr.net",
	"fonts.googleapis.com", "fonts.gstatic.com", "www.amazon.com", "s3.amazonaws.com",
	"login.microsoftonline.com", "outlook.office365.com", "www.reddit.com",
	"news.ycombinator.com", "www.wireshark.org", "www.tcpdump.org", "time.google.com",
	"www.netflix.com", "www.apple.com", "registry.npmjs.org", "pypi.org",
	"files.pythonhosted.org", "www.mozilla.org", "incoming.telemetry.mozilla.org",
	"slack.com", "zoom.us", "www.bbc.co.uk", "www.example.com", "docker.io",
	"registry-1.docker.io", "ocsp.digicert.com", "connectivity-check.ubuntu.com",
}

var paths = []string{"static", "assets", "js", "cdn", "dist", "lib", "v1/bundle"}

// dnsConv is a query and its response.
type dnsConv struct {
	e       endpoints
	port    uint16
	id      uint16
	qtype   uint16
	name    string
	partial bool
	step    int
}

func (g *gen) newDNS(v6 bool) *dnsConv {
	e := g.clientServer(v6)
	if v6 {
		copy(e.b[:], []byte{0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88})
	} else {
		resolvers := [][4]byte{{10, 0, 0, 1}, {8, 8, 8, 8}, {1, 1, 1, 1}, {9, 9, 9, 9}}
		r := resolvers[g.rng.IntN(len(resolvers))]
		copy(e.b[:], r[:])
	}
	d := &dnsConv{
		e:       e,
		port:    uint16(32768 + g.rng.IntN(28232)),
		id:      uint16(g.rng.Uint32()),
		qtype:   1,
		name:    names[g.rng.IntN(len(names))],
		partial: g.chance(dnsPartialRate),
	}
	if g.rng.IntN(10) < 3 {
		d.qtype = 28
	}
	return d
}

func putName(b []byte, name string) int {
	n := 0
	for _, l := range strings.Split(name, ".") {
		b[n] = byte(len(l))
		n += 1 + copy(b[n+1:], l)
	}
	b[n] = 0
	return n + 1
}

func dnsQuery(b []byte, id uint16, name string, qtype uint16) int {
	be.PutUint16(b[0:], id)
	be.PutUint16(b[2:], 0x0100) // standard query, recursion desired
	be.PutUint16(b[4:], 1)
	be.PutUint16(b[6:], 0)
	be.PutUint16(b[8:], 0)
	be.PutUint16(b[10:], 0)
	n := 12 + putName(b[12:], name)
	be.PutUint16(b[n:], qtype)
	be.PutUint16(b[n+2:], 1)
	return n + 4
}

func (g *gen) dnsResponse(b []byte, d *dnsConv) int {
	n := dnsQuery(b, d.id, d.name, d.qtype)
	if g.rng.IntN(100) < 6 {
		be.PutUint16(b[2:], 0x8183) // NXDOMAIN
		return n
	}
	be.PutUint16(b[2:], 0x8180)
	an, target := 0, 12
	rr := func(typ uint16, ttl uint32) {
		be.PutUint16(b[n:], 0xc000|uint16(target))
		be.PutUint16(b[n+2:], typ)
		be.PutUint16(b[n+4:], 1)
		be.PutUint32(b[n+6:], ttl)
		n += 10
		an++
	}
	if g.rng.IntN(10) < 3 {
		rr(5, 3600)
		target = n + 2
		rd := putName(b[n+2:], strings.SplitN(d.name, ".", 2)[0]+".edgekey.net")
		be.PutUint16(b[n:], uint16(rd))
		n += 2 + rd
	}
	k := 1 + g.rng.IntN(3)
	for i := 0; i < k; i++ {
		rr(d.qtype, uint32(30+g.rng.IntN(300)))
		if d.qtype == 1 {
			be.PutUint16(b[n:], 4)
			s := g.servers4[g.rng.IntN(len(g.servers4))]
			copy(b[n+2:], s[:])
			n += 6
		} else {
			be.PutUint16(b[n:], 16)
			s := g.servers6[g.rng.IntN(len(g.servers6))]
			copy(b[n+2:], s[:])
			n += 18
		}
	}
	be.PutUint16(b[6:], uint16(an))
	return n
}

func (d *dnsConv) next(g *gen) ([]byte, bool) {
	u := g.l4(d.e.v6)
	g.st.dns++
	if d.step == 0 {
		d.step++
		n := dnsQuery(u[8:], d.id, d.name, d.qtype)
		return g.udp(&d.e, true, d.port, 53, n, d.partial, false), false
	}
	n := g.dnsResponse(u[8:], d)
	return g.udp(&d.e, false, 53, d.port, n, false, false), true
}

// udp completes a UDP datagram whose n payload bytes are in place.
func (g *gen) udp(e *endpoints, fromA bool, sport, dport uint16, n int, partial, flipOK bool) []byte {
	u := g.l4(e.v6)
	be.PutUint16(u[0:], sport)
	be.PutUint16(u[2:], dport)
	be.PutUint16(u[4:], uint16(8+n))
	g.st.udp++
	return g.finish(e, fromA, protoUDP, 8+n, 6, 8, partial, flipOK, false)
}

// ntpConv is an SNTP client request and the server's answer.
type ntpConv struct {
	e    endpoints
	port uint16
	xmit uint64
	step int
}

func (g *gen) newNTP() *ntpConv {
	return &ntpConv{e: g.clientServer(false), port: uint16(32768 + g.rng.IntN(28232))}
}

func (g *gen) ntpTime() uint64 {
	sec := uint64(g.ts/1e6) + 2208988800
	frac := uint64(g.ts%1e6) << 32 / 1e6
	return sec<<32 | frac
}

func (c *ntpConv) next(g *gen) ([]byte, bool) {
	p := g.l4(false)[8 : 8+48]
	clear(p)
	if c.step == 0 {
		c.step++
		c.xmit = g.ntpTime()
		p[0] = 0x23 // v4, client
		p[2] = 6
		p[3] = 0xe9
		be.PutUint64(p[40:], c.xmit)
		return g.udp(&c.e, true, c.port, 123, 48, false, false), false
	}
	now := g.ntpTime()
	p[0] = 0x24 // v4, server
	p[1] = 2
	p[2] = 6
	p[3] = 0xe7
	be.PutUint32(p[4:], 0x00000120)
	be.PutUint32(p[8:], 0x00000340)
	copy(p[12:16], []byte{216, 239, 35, 0})
	be.PutUint64(p[16:], now-(64<<32))
	be.PutUint64(p[24:], c.xmit)
	be.PutUint64(p[32:], now-1000)
	be.PutUint64(p[40:], now)
	return g.udp(&c.e, false, 123, c.port, 48, false, false), true
}

// syslogConv is a few syslog messages from a local host to a collector.
type syslogConv struct {
	e    endpoints
	port uint16
	left int
	host int
}

func (g *gen) newSyslog() *syslogConv {
	e := g.clientServer(false)
	copy(e.b[:], []byte{10, 0, 0, 2})
	e.bmac = localMAC(2)
	return &syslogConv{e: e, port: uint16(32768 + g.rng.IntN(28232)), left: 1 + g.rng.IntN(5), host: int(e.a[3])}
}

var syslogMsgs = []string{
	"sshd[%d]: Accepted publickey for deploy from 10.0.0.%d port %d ssh2: ED25519 SHA256:Jm2rV3kR8yQ",
	"kernel: [%d.%06d] e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex",
	"systemd[1]: Started session-%d.scope - Session %d of User deploy.",
	"CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 %d)",
	"nginx[%d]: 10.0.0.%d - - \"GET /healthz HTTP/1.1\" 200 %d",
}

func (c *syslogConv) next(g *gen) ([]byte, bool) {
	t := time.UnixMicro(g.ts).UTC()
	msg := fmt.Sprintf(syslogMsgs[g.rng.IntN(len(syslogMsgs))], 100+g.rng.IntN(30000), g.rng.IntN(255), g.rng.IntN(65536))
	s := fmt.Sprintf("<%d>%s host%d %s", 8*3+g.rng.IntN(8), t.Format(time.Stamp), c.host, msg)
	n := copy(g.l4(false)[8:], s)
	c.left--
	return g.udp(&c.e, true, c.port, 514, n, false, true), c.left == 0
}

// pingConv is ping's four echo requests and replies (ICMP or ICMPv6).
type pingConv struct {
	e    endpoints
	id   uint16
	seq  uint16
	sent int64
	step int
}

func (g *gen) newPing(v6 bool) *pingConv {
	return &pingConv{e: g.clientServer(v6), id: uint16(g.rng.Uint32())}
}

func (c *pingConv) next(g *gen) ([]byte, bool) {
	icmp := g.l4(c.e.v6)[:64]
	req := c.step%2 == 0
	if req {
		c.seq++
		c.sent = g.ts
	}
	switch {
	case c.e.v6 && req:
		icmp[0] = 128
	case c.e.v6:
		icmp[0] = 129
	case req:
		icmp[0] = 8
	default:
		icmp[0] = 0
	}
	icmp[1] = 0
	be.PutUint16(icmp[4:], c.id)
	be.PutUint16(icmp[6:], c.seq)
	// Linux ping: struct timeval (little-endian on x86-64), then 0x10, 0x11...
	d := icmp[8:]
	for i := range 8 {
		d[i] = byte(uint64(c.sent/1e6) >> (8 * i))
		d[8+i] = byte(uint64(c.sent%1e6) >> (8 * i))
	}
	for i := 16; i < 56; i++ {
		d[i] = byte(i)
	}
	c.step++
	g.st.icmp++
	proto := uint8(protoICMP)
	if c.e.v6 {
		proto = protoICMPv6
	}
	return g.finish(&c.e, req, proto, 64, 2, 8, false, true, false), c.step == 8
}

// arpConv is an ARP request and its reply.
type arpConv struct {
	sha     [6]byte
	spa     [4]byte
	tha     [6]byte
	tpa     [4]byte
	replied bool
}

func (g *gen) newARP() *arpConv {
	c := &arpConv{}
	h := byte(10 + g.rng.IntN(240))
	c.sha, c.spa = localMAC(h), [4]byte{10, 0, 0, h}
	if g.rng.IntN(3) == 0 {
		t := byte(10 + g.rng.IntN(240))
		c.tha, c.tpa = localMAC(t), [4]byte{10, 0, 0, t}
	} else {
		c.tha, c.tpa = gatewayMAC, [4]byte{10, 0, 0, 1}
	}
	return c
}

func (c *arpConv) next(g *gen) ([]byte, bool) {
	b := g.buf[:60]
	clear(b)
	op := uint16(1)
	dst, src := broadcast, c.sha
	sha, spa, tha, tpa := c.sha, c.spa, [6]byte{}, c.tpa
	if c.replied {
		op, dst, src = 2, c.sha, c.tha
		sha, spa, tha, tpa = c.tha, c.tpa, c.sha, c.spa
	}
	copy(b[0:], dst[:])
	copy(b[6:], src[:])
	be.PutUint16(b[12:], 0x0806)
	a := b[14:]
	be.PutUint16(a[0:], 1)
	be.PutUint16(a[2:], 0x0800)
	a[4], a[5] = 6, 4
	be.PutUint16(a[6:], op)
	copy(a[8:], sha[:])
	copy(a[14:], spa[:])
	copy(a[18:], tha[:])
	copy(a[24:], tpa[:])
	g.st.arp++
	if c.replied {
		return b, true // received frame: padded to the 60-byte minimum
	}
	c.replied = true
	return b[:42], false
}
