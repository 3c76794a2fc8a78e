// Command hostile writes wirelens's malformed-capture corpus: captures from a
// hostile network or a damaged disk, byte by byte.
//
//	go run ./testdata/hostile [OUTDIR]    (default testdata/hostile)
//
// The output is deterministic. cmd/wirelens/hostile_test.go runs wirelens on
// every file and states what it must do with it; the table there and the
// "Hostile input" section of the README say what each file exercises.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

var be = binary.BigEndian
var le = binary.LittleEndian

// Strings a hostile peer puts where a terminal might draw them.
const (
	escTitle = "\x1b]0;pwned\x07" // OSC: set the window title
	escClear = "\x1b[2J"          // CSI: clear the screen
	bidiRLO  = "\u202e"           // right-to-left override
	bidiLRI  = "\u2066"           // left-to-right isolate
	c1CSI    = "\u009b"           // C1 CSI, UTF-8 encoded
)

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func csum(parts ...[]byte) uint16 {
	var s uint32
	for _, b := range parts {
		for i := 0; i+1 < len(b); i += 2 {
			s += uint32(be.Uint16(b[i:]))
		}
		if len(b)%2 == 1 {
			s += uint32(b[len(b)-1]) << 8
		}
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

var (
	macA = []byte{2, 0, 0, 0, 0, 0x0a}
	macB = []byte{2, 0, 0, 0, 0, 0x0b}
	ipA  = []byte{192, 0, 2, 1}
	ipB  = []byte{192, 0, 2, 2}
)

func eth(etype uint16, payload []byte) []byte {
	b := cat(macB, macA, []byte{byte(etype >> 8), byte(etype)}, payload)
	for len(b) < 60 {
		b = append(b, 0)
	}
	return b
}

// ip4 builds an IPv4 header (20 bytes, correct checksum) before payload.
func ip4(proto uint8, payload []byte) []byte {
	h := make([]byte, 20)
	h[0] = 0x45
	be.PutUint16(h[2:], uint16(20+len(payload)))
	be.PutUint16(h[4:], 0x1234)
	h[8] = 64
	h[9] = proto
	copy(h[12:], ipA)
	copy(h[16:], ipB)
	be.PutUint16(h[10:], csum(h))
	return cat(h, payload)
}

func pseudo(proto uint8, n int) []byte {
	return cat(ipA, ipB, []byte{0, proto, byte(n >> 8), byte(n)})
}

func udp(sport, dport uint16, payload []byte) []byte {
	h := make([]byte, 8)
	be.PutUint16(h, sport)
	be.PutUint16(h[2:], dport)
	be.PutUint16(h[4:], uint16(8+len(payload)))
	b := cat(h, payload)
	be.PutUint16(b[6:], csum(pseudo(17, len(b)), b))
	return b
}

func tcp(flags byte, payload []byte) []byte {
	h := make([]byte, 20)
	be.PutUint16(h, 40000)
	be.PutUint16(h[2:], 80)
	be.PutUint32(h[4:], 1000)
	be.PutUint32(h[8:], 2000)
	h[12] = 5 << 4
	h[13] = flags
	be.PutUint16(h[14:], 65535)
	b := cat(h, payload)
	be.PutUint16(b[16:], csum(pseudo(6, len(b)), b))
	return b
}

func icmp(typ, code byte, body []byte) []byte {
	b := cat([]byte{typ, code, 0, 0}, body)
	be.PutUint16(b[2:], csum(b))
	return b
}

// good is an ordinary, correct frame: the corpus's survivors.
func good(n int) []byte {
	return eth(0x0800, ip4(17, udp(5000, 5001, []byte(fmt.Sprintf("good frame %d", n)))))
}

// dnsQuery is a DNS query for name, whose labels are written as given (a
// label may hold any byte).
func dnsQuery(labels ...string) []byte {
	b := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0, 0, 1, 0, 1)
}

// --- files ---

type rec struct {
	data []byte
	orig int // 0: len(data)
}

func recs(frames ...[]byte) []rec {
	var out []rec
	for _, f := range frames {
		out = append(out, rec{data: f})
	}
	return out
}

func pcapHeader(linktype uint32) []byte {
	h := make([]byte, 24)
	le.PutUint32(h, 0xa1b2c3d4)
	le.PutUint16(h[4:], 2)
	le.PutUint16(h[6:], 4)
	le.PutUint32(h[16:], 262144)
	le.PutUint32(h[20:], linktype)
	return h
}

func pcapRec(i int, r rec) []byte {
	h := make([]byte, 16)
	le.PutUint32(h, 1700000000+uint32(i))
	le.PutUint32(h[4:], uint32(i*1000))
	le.PutUint32(h[8:], uint32(len(r.data)))
	orig := r.orig
	if orig == 0 {
		orig = len(r.data)
	}
	le.PutUint32(h[12:], uint32(orig))
	return cat(h, r.data)
}

func pcap(linktype uint32, rs []rec) []byte {
	b := pcapHeader(linktype)
	for i, r := range rs {
		b = append(b, pcapRec(i, r)...)
	}
	return b
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func opt(code uint16, v string) []byte {
	h := make([]byte, 4)
	le.PutUint16(h, code)
	le.PutUint16(h[2:], uint16(len(v)))
	return pad4(cat(h, []byte(v)))
}

func optEnd() []byte { return make([]byte, 4) }

func block(typ uint32, body []byte) []byte {
	body = pad4(body)
	n := uint32(12 + len(body))
	h := make([]byte, 8)
	le.PutUint32(h, typ)
	le.PutUint32(h[4:], n)
	t := make([]byte, 4)
	le.PutUint32(t, n)
	return cat(h, body, t)
}

func shb(opts ...[]byte) []byte {
	body := make([]byte, 16)
	le.PutUint32(body, 0x1a2b3c4d)
	le.PutUint16(body[4:], 1)
	le.PutUint64(body[8:], ^uint64(0))
	if len(opts) > 0 {
		body = cat(body, cat(opts...), optEnd())
	}
	return block(0x0A0D0D0A, body)
}

func idb(linktype uint16, opts ...[]byte) []byte {
	body := make([]byte, 8)
	le.PutUint16(body, linktype)
	le.PutUint32(body[4:], 262144)
	if len(opts) > 0 {
		body = cat(body, cat(opts...), optEnd())
	}
	return block(1, body)
}

// epb is an enhanced packet block on interface ifid; capLen < 0 means
// len(data).
func epb(ifid uint32, i int, data []byte, capLen int, opts ...[]byte) []byte {
	body := make([]byte, 20)
	le.PutUint32(body, ifid)
	ts := uint64(1700000000+i) * 1000000
	le.PutUint32(body[4:], uint32(ts>>32))
	le.PutUint32(body[8:], uint32(ts))
	if capLen < 0 {
		capLen = len(data)
	}
	le.PutUint32(body[12:], uint32(capLen))
	le.PutUint32(body[16:], uint32(len(data)))
	body = cat(body, pad4(append([]byte(nil), data...)))
	if len(opts) > 0 {
		body = cat(body, cat(opts...), optEnd())
	}
	return block(6, body)
}

// ngGood is a section with one Ethernet interface and n good packets.
func ngGood(n int) []byte {
	b := cat(shb(), idb(1))
	for i := 1; i <= n; i++ {
		b = append(b, epb(0, i, good(i), -1)...)
	}
	return b
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func goods(from, to int) [][]byte {
	var out [][]byte
	for i := from; i <= to; i++ {
		out = append(out, good(i))
	}
	return out
}

// --- malformed frames, each followed by a good one ---

// greNest is n GRE headers (IPv4 in GRE in IPv4 ...) around a UDP datagram.
func greNest(n int) []byte {
	p := ip4(17, udp(1, 2, []byte("innermost")))
	for i := 0; i < n; i++ {
		p = ip4(47, cat([]byte{0, 0, 0x08, 0x00}, p))
	}
	return eth(0x0800, p)
}

// ipipNest is n IPv4-in-IPv4 headers around a UDP datagram.
func ipipNest(n int) []byte {
	p := ip4(17, udp(1, 2, []byte("innermost")))
	for i := 0; i < n; i++ {
		p = ip4(4, p)
	}
	return eth(0x0800, p)
}

// vlanNest is n 802.1Q tags before an IPv4 packet.
func vlanNest(n int) []byte {
	b := cat(macB, macA)
	for i := 0; i < n; i++ {
		b = append(b, 0x81, 0x00, 0x00, byte(i))
	}
	return cat(b, []byte{0x08, 0x00}, ip4(17, udp(1, 2, []byte("x"))))
}

func malformedFrames() [][]byte {
	ihl3 := ip4(17, udp(1, 2, []byte("ihl3")))
	ihl3[0] = 0x43
	ihl15 := ip4(17, nil)[:20]
	ihl15[0] = 0x4f // 60-byte header, 20 bytes present
	be.PutUint16(ihl15[2:], 20)
	tcpDoffPast := tcp(0x18, nil)
	tcpDoffPast[12] = 15 << 4 // 60-byte header in a 20-byte segment
	tcpDoffSmall := tcp(0x18, []byte("payload"))
	tcpDoffSmall[12] = 2 << 4
	lenPast := ip4(17, udp(1, 2, []byte("short")))
	be.PutUint16(lenPast[2:], 1500)
	be.PutUint16(lenPast[10:], 0)
	be.PutUint16(lenPast[10:], csum(lenPast[:20]))
	udpLenPast := ip4(17, udp(1, 2, []byte("udp")))
	be.PutUint16(udpLenPast[24:], 4000)

	// ICMP errors quoting packets cut short in different places.
	quoted := ip4(6, tcp(0x02, nil))
	icmpQuoteTCP8 := ip4(1, icmp(3, 3, cat(make([]byte, 4), quoted[:28]))) // IP + 8 bytes of TCP
	icmpQuoteIP10 := ip4(1, icmp(3, 3, cat(make([]byte, 4), quoted[:10]))) // half an IP header
	qIHL := append([]byte(nil), quoted...)
	qIHL[0] = 0x4f
	icmpQuoteIHL := ip4(1, icmp(11, 0, cat(make([]byte, 4), qIHL[:24])))       // quoted IHL past the end
	icmpInICMP := ip4(1, icmp(3, 1, cat(make([]byte, 4), icmpQuoteTCP8[:40]))) // an error quoting an error

	dnsLoop := []byte{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		0xc0, 0x0c, 0, 1, 0, 1, // question name: a pointer to itself
		0xc0, 0x12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4}
	dnsPast := []byte{0x12, 0x34, 0x01, 0x00, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x3f, 'a', 'b'}

	sctpZero := make([]byte, 16)
	be.PutUint16(sctpZero, 1)
	be.PutUint16(sctpZero[2:], 2)
	sctpZero[12] = 0 // DATA chunk of length 0
	v6ext := make([]byte, 40)
	v6ext[0] = 0x60
	be.PutUint16(v6ext[4:], 16)
	v6ext[6] = 0 // hop-by-hop
	v6ext[7] = 64
	v6ext = cat(v6ext, []byte{43, 200, 0, 0, 0, 0, 0, 0}, []byte{60, 255, 0, 0, 0, 0, 0, 0})

	greTrunc := ip4(47, []byte{0xb0, 0x00, 0x08}) // C,K,S flags, 3 bytes
	greCsumPartial := ip4(47, cat([]byte{0x80, 0, 0x08, 0, 0, 0, 0, 0}, ip4(17, udp(1, 2, []byte("inner")))))
	be.PutUint16(greCsumPartial[2:], uint16(len(greCsumPartial)+20)) // claims 20 more bytes than captured
	be.PutUint16(greCsumPartial[10:], 0)
	be.PutUint16(greCsumPartial[10:], csum(greCsumPartial[:20]))

	bad := [][]byte{
		eth(0x0800, ihl3),
		eth(0x0800, ihl15),
		eth(0x0800, ip4(6, tcpDoffPast)),
		eth(0x0800, ip4(6, tcpDoffSmall)),
		eth(0x0800, lenPast)[:14+len(lenPast)],
		eth(0x0800, udpLenPast),
		{},                         // zero-length frame
		{0xff},                     // one byte
		eth(0x0800, nil)[:14],      // Ethernet header only
		eth(0x86dd, v6ext),         // IPv6 extension header chain past the end
		eth(0x0800, icmpQuoteTCP8), // quote of IP + 8 bytes of TCP (normal for ICMP)
		eth(0x0800, icmpQuoteIP10), // quote cut inside the IP header
		eth(0x0800, icmpQuoteIHL),  // quoted IHL past the end
		eth(0x0800, icmpInICMP),    // ICMP error quoting an ICMP error
		eth(0x0800, ip4(17, udp(5353, 53, dnsLoop))),
		eth(0x0800, ip4(17, udp(5353, 53, dnsPast))),
		eth(0x0800, ip4(132, sctpZero)),
		eth(0x0800, greTrunc),
		eth(0x0800, greCsumPartial),
		greNest(500),
		ipipNest(500),
		vlanNest(300),
	}
	var out [][]byte
	for i, b := range bad {
		out = append(out, b, good(i+1))
	}
	return out
}

// jumbo is an Ethernet frame carrying an IPv4/UDP datagram of n bytes in all
// (the IP total length saturates at 65535 beyond that).
func jumbo(n int) []byte {
	payload := bytes.Repeat([]byte("jumbo!"), n/6+1)
	f := eth(0x0800, ip4(17, udp(1, 2, payload)))
	return f[:n]
}

// --- terminal safety ---

func escFrames() [][]byte {
	evil := "a" + escTitle + "b" + escClear + "c" + bidiRLO + "gnp.exe" + bidiLRI + c1CSI + "\x7f\x9b\x00\r"
	dnsEvil := dnsQuery("x"+escTitle, escClear+bidiRLO+"moc", "\x00\r\n\x7f\x9b")
	return [][]byte{
		eth(0x0800, ip4(17, udp(5353, 53, dnsEvil))),
		eth(0x0800, ip4(6, tcp(0x18, []byte(evil)))),
		eth(0x0800, ip4(17, udp(5000, 5001, []byte(evil)))),
	}
}

func escPcapng() []byte {
	evil := escTitle + "eth0" + escClear + bidiRLO + "\x7f" + c1CSI
	b := cat(shb(opt(1, "section "+evil), opt(2, "hw "+evil), opt(3, "os "+evil), opt(4, "app "+evil)),
		idb(1, opt(1, "if comment "+evil), opt(2, "if "+evil), opt(3, "descr "+evil)))
	for i, f := range escFrames() {
		b = append(b, epb(0, i+1, f, -1, opt(1, "comment "+evil), opt(1, bidiRLO+"second"))...)
	}
	return b
}

// Invalid UTF-8 and invisible characters: a raw C1 CSI byte and a byte
// that is never UTF-8 ("A\x9b2J\xff": CSI 2 J clears some terminals),
// zero-width and tag characters, a BOM, the line separator.
const (
	rawCSI    = "A\x9b2J\xff"
	invisible = "zero\u200bwidth\u2060tag\U000e0041\U000e007fbom\ufeffline\u2028para\u2029soft\u00ad"
)

// dnsTXT is a DNS response to a TXT query for name carrying each string as
// one character-string of the answer.
func dnsTXT(name string, txts ...string) []byte {
	b := []byte{0x43, 0x21, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}
	q := []byte{}
	for _, l := range strings.Split(name, ".") {
		q = append(append(q, byte(len(l))), l...)
	}
	q = append(q, 0, 0, 16, 0, 1)
	b = append(b, q...)
	var rd []byte
	for _, t := range txts {
		rd = append(append(rd, byte(len(t))), t...)
	}
	b = append(b, 0xc0, 12, 0, 16, 0, 1, 0, 0, 0x0e, 0x10, byte(len(rd)>>8), byte(len(rd)))
	return append(b, rd...)
}

func invisibleFrames() [][]byte {
	return [][]byte{
		eth(0x0800, ip4(17, udp(53, 5353, dnsTXT("txt.example", rawCSI, invisible, "\u202eevil")))),
		eth(0x0800, ip4(17, udp(5353, 53, dnsQuery("a\x9b", "b\xff", "t\U000e0041")))),
		eth(0x0800, ip4(17, udp(5000, 5001, []byte(rawCSI+invisible)))),
	}
}

func invisiblePcapng() []byte {
	b := cat(shb(opt(1, rawCSI), opt(1, invisible), opt(2, "hw "+rawCSI), opt(3, "os "+invisible), opt(4, "app "+rawCSI)),
		idb(1, opt(1, rawCSI), opt(2, "if"+rawCSI), opt(3, invisible)))
	for i, f := range invisibleFrames() {
		b = append(b, epb(0, i+1, f, -1, opt(1, rawCSI), opt(1, invisible))...)
	}
	return b
}

// commentBomb is a block body's worth of 1-byte comment options: n of them.
func commentBomb(n int) []byte {
	one := opt(1, "A")
	b := make([]byte, 0, n*len(one))
	for i := 0; i < n; i++ {
		b = append(b, one...)
	}
	return b
}

// epbCommentBomb is one EPB of 16 MiB (the largest block wirelens reads)
// holding two million 1-byte comments, between two good packets.
func epbCommentBomb() []byte {
	f := good(2)
	fixed := 12 + 20 + len(pad4(append([]byte(nil), f...))) + 4 // header, EPB fields, data, opt_endofopt
	n := (16<<20 - fixed) / 8
	return cat(ngGood(1), epb(0, 2, f, -1, commentBomb(n)), epb(0, 3, good(3), -1))
}

// idbCommentBomb is 25 interfaces of 4 MiB of 1-byte comments each (interface
// comments last as long as the file), and a packet on each.
func idbCommentBomb() []byte {
	b := shb()
	bomb := commentBomb((4<<20 - 32) / 8)
	for i := 0; i < 25; i++ {
		b = append(b, idb(1, bomb)...)
	}
	for i := 0; i < 25; i++ {
		b = append(b, epb(uint32(i), i+1, good(i+1), -1)...)
	}
	return b
}

// tsOverflow has timestamps past what int64 nanoseconds hold: if_tsresol 9
// with 0xffffffffffffffff and 0x7fffffffffffffff, an if_tsoffset of -2^63
// seconds, and 2^-63 s units, one interface each.
func tsOverflow() []byte {
	u64 := func(v uint64) string { b := make([]byte, 8); le.PutUint64(b, v); return string(b) }
	epbTS := func(ifid uint32, ts uint64, n int) []byte {
		b := epb(ifid, n, good(n), -1)
		le.PutUint32(b[12:], uint32(ts>>32))
		le.PutUint32(b[16:], uint32(ts))
		return b
	}
	return cat(shb(),
		idb(1, opt(9, "\x09")), idb(1, opt(14, u64(1<<63))), idb(1, opt(9, "\xbf")),
		epbTS(0, 1, 1), epbTS(0, ^uint64(0), 2), epbTS(0, 1<<63-1, 3), epbTS(0, 0, 4),
		epbTS(1, 1_700_000_000_000_000, 5), epbTS(2, ^uint64(0), 6))
}

// fragFlood is n tiny IPv4 fragments of one datagram that never completes
// (its last fragment comes first): reading them must stay linear.
func fragFlood(n int) []rec {
	var out []rec
	for i := 0; i < n; i++ {
		p := ip4(17, make([]byte, 8))
		fl := uint16(0x2000) | uint16(i%8000+1)
		if i == 0 {
			fl = 60000 / 8
		}
		be.PutUint16(p[4:], 7)
		be.PutUint16(p[6:], fl)
		be.PutUint16(p[10:], 0)
		be.PutUint16(p[10:], csum(p[:20]))
		out = append(out, rec{data: p})
	}
	return out
}

func files() map[string][]byte {
	out := map[string][]byte{}
	cut := func(b []byte, n int) []byte { return b[:len(b)-n] }

	// pcap damage
	out["empty.pcap"] = nil
	out["not-a-capture.pcap"] = []byte("GET / HTTP/1.1\r\n\x1b]0;pwned\x07\r\n")
	out["pcap-header-cut.pcap"] = pcapHeader(1)[:10]
	out["pcap-version-1.pcap"] = func() []byte { h := pcapHeader(1); le.PutUint16(h[4:], 1); return h }()
	out["pcap-record-header-cut.pcap"] = cat(pcap(1, recs(goods(1, 3)...)), make([]byte, 9))
	out["pcap-record-data-cut.pcap"] = cut(pcap(1, recs(goods(1, 4)...)), 20)
	out["pcap-caplen-huge.pcap"] = cat(pcap(1, recs(goods(1, 2)...)), pcapRec(3, rec{data: make([]byte, 16)})[:8],
		[]byte{0xf0, 0xff, 0xff, 0xff, 0x40, 0, 0, 0}, make([]byte, 64))
	out["pcap-caplen-over-256k.pcap"] = cat(pcap(1, recs(goods(1, 2)...)),
		func() []byte { r := pcapRec(3, rec{data: make([]byte, 262145)}); return r[:16+1024] }())
	out["pcap-caplen-past-eof.pcap"] = cat(pcap(1, recs(goods(1, 2)...)),
		func() []byte { r := pcapRec(3, rec{data: make([]byte, 200000)}); return r[:16+5000] }())
	out["pcap-unknown-linktype.pcap"] = pcap(4242, recs(goods(1, 3)...))
	out["pcap-linktype-65535.pcap"] = pcap(65535, recs(goods(1, 2)...))
	out["pcap-malformed-frames.pcap"] = pcap(1, recs(malformedFrames()...))
	out["pcap-jumbo.pcap.gz"] = gz(pcap(1, []rec{{data: good(1)}, {data: jumbo(9000)}, {data: jumbo(65535)},
		{data: jumbo(262144)}, {data: []byte{}, orig: 1500}, {data: good(2), orig: 0xffffffff}, {data: good(3)}}))
	out["pcap-orig-smaller-than-cap.pcap"] = pcap(1, []rec{{data: good(1), orig: 10}, {data: good(2)}})
	out["pcap-esc.pcap"] = pcap(1, recs(escFrames()...))
	out["pcap-fragment-flood.pcap.gz"] = gz(pcap(228, fragFlood(40000)))

	// pcapng damage
	out["ng-shb-cut.pcapng"] = shb()[:20]
	out["ng-block-cut.pcapng"] = cut(ngGood(3), 30)
	out["ng-block-len-zero.pcapng"] = cat(ngGood(2), []byte{6, 0, 0, 0, 0, 0, 0, 0}, make([]byte, 32))
	out["ng-block-len-huge.pcapng"] = cat(ngGood(2), []byte{6, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff}, make([]byte, 32))
	out["ng-block-len-odd.pcapng"] = cat(ngGood(2), []byte{6, 0, 0, 0, 33, 0, 0, 0}, make([]byte, 32))
	out["ng-block-len-mismatch.pcapng"] = func() []byte {
		b := ngGood(3)
		b[len(b)-4]++
		return b
	}()
	out["ng-caplen-past-block.pcapng"] = cat(ngGood(2), epb(0, 3, good(3), 1000))
	out["ng-caplen-over-256k.pcapng"] = cat(ngGood(2), epb(0, 3, good(3), 300000))
	out["ng-ifid-out-of-range.pcapng"] = cat(ngGood(2), epb(7, 3, good(3), -1), epb(0, 4, good(4), -1))
	out["ng-epb-before-idb.pcapng"] = cat(shb(), epb(0, 1, good(1), -1))
	out["ng-spb-before-idb.pcapng"] = cat(shb(), block(3, cat([]byte{60, 0, 0, 0}, good(1))))
	out["ng-option-overrun.pcapng"] = cat(ngGood(2), epb(0, 3, good(3), -1, []byte{1, 0, 0xff, 0x7f}))
	out["ng-second-section-ifid.pcapng"] = cat(ngGood(2), shb(), epb(0, 3, good(3), -1))
	out["ng-unknown-linktype.pcapng"] = cat(shb(), idb(1), idb(4242, opt(2, "weird0")), epb(0, 1, good(1), -1),
		epb(1, 2, good(2), -1), epb(0, 3, good(3), -1))
	out["ng-esc.pcapng"] = escPcapng()
	out["ng-invisible.pcapng"] = invisiblePcapng()
	out["pcap-invisible.pcap"] = pcap(1, recs(invisibleFrames()...))
	out["ng-ts-overflow.pcapng"] = tsOverflow()
	out["ng-spb-orig-len-huge.pcapng"] = cat(ngGood(2), block(3, cat([]byte{0xff, 0xff, 0xff, 0xff}, good(3))), epb(0, 4, good(4), -1))
	out["ng-comment-bomb-epb.pcapng.gz"] = gz(epbCommentBomb())
	out["ng-comment-bomb-idb.pcapng.gz"] = gz(idbCommentBomb())

	// gzip damage
	whole := gz(pcap(1, recs(goods(1, 200)...)))
	out["gz-cut.pcap.gz"] = whole[:len(whole)/2]
	out["gz-corrupt.pcap.gz"] = func() []byte {
		b := append([]byte(nil), whole...)
		for i := len(b) / 2; i < len(b)/2+16; i++ {
			b[i] ^= 0x55
		}
		return b
	}()
	out["gz-bad-crc.pcap.gz"] = func() []byte {
		b := append([]byte(nil), whole...)
		b[len(b)-8] ^= 0xff
		return b
	}()
	out["gz-header-only.pcap.gz"] = whole[:10]
	out["gz-trailing-garbage.pcap.gz"] = cat(whole, []byte("\x00\x00garbage "+escClear))
	out["gz-two-members.pcap.gz"] = cat(gz(pcap(1, recs(goods(1, 2)...))), gz(make([]byte, 0)), gz(cat(pcapRec(3, rec{data: good(3)}))))
	out["gz-ng-block-cut.pcapng.gz"] = gz(cut(ngGood(5), 7))
	return out
}

func main() {
	dir := filepath.Join("testdata", "hostile")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	fs := files()
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), fs[n], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%-34s %7d bytes\n", n, len(fs[n]))
	}
}
