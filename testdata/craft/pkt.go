package main

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
)

// Byte-level packet builders. Every builder returns a fresh slice with correct lengths and
// checksums; tests that need a wrong value patch the bytes afterwards with put16/put32.

var be = binary.BigEndian

func put16(b []byte, off int, v uint16) { be.PutUint16(b[off:], v) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sum adds the 16-bit big-endian words of b (odd length padded with a zero byte).
func sum(b []byte) uint32 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(be.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// csum is the Internet checksum of the concatenated parts.
func csum(parts ...[]byte) uint16 {
	var s uint32
	for _, p := range parts {
		s += sum(p)
	}
	return ^fold(s)
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func addrBytes(a netip.Addr) []byte {
	if a.Is4() {
		b := a.As4()
		return b[:]
	}
	b := a.As16()
	return b[:]
}

// pseudo builds the IPv4 or IPv6 pseudo-header for an upper-layer length.
func pseudo(src, dst netip.Addr, proto uint8, length int) []byte {
	if src.Is4() {
		b := cat(addrBytes(src), addrBytes(dst), []byte{0, proto, 0, 0})
		put16(b, 10, uint16(length))
		return b
	}
	b := cat(addrBytes(src), addrBytes(dst), make([]byte, 8))
	be.PutUint32(b[32:], uint32(length))
	b[39] = proto
	return b
}

// --- link layers ---

var (
	macA  = []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}
	macB  = []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}
	bcast = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
)

func eth(dst, src []byte, etype uint16, payload []byte) []byte {
	b := cat(dst, src, []byte{0, 0}, payload)
	put16(b, 12, etype)
	for len(b) < 60 { // minimum frame without FCS
		b = append(b, 0)
	}
	return b
}

// vlanTag returns a 4-byte tag (TPID, TCI) to put between the MAC addresses and the ethertype.
func vlanTag(tpid uint16, prio uint8, id uint16) []byte {
	b := make([]byte, 4)
	put16(b, 0, tpid)
	put16(b, 2, uint16(prio)<<13|id&0x0fff)
	return b
}

// ethTagged builds an Ethernet frame with the given tags before the inner ethertype.
func ethTagged(dst, src []byte, tags [][]byte, etype uint16, payload []byte) []byte {
	b := cat(dst, src)
	for _, t := range tags {
		b = append(b, t...)
	}
	b = append(b, byte(etype>>8), byte(etype))
	b = append(b, payload...)
	for len(b) < 64 {
		b = append(b, 0)
	}
	return b
}

// Linux packet types (sll.pkttype).
const (
	pktHost      = 0
	pktBroadcast = 1
	pktMulticast = 2
	pktOtherhost = 3
	pktOutgoing  = 4
)

func sll(pkttype uint16, mac []byte, proto uint16, payload []byte) []byte {
	b := make([]byte, 16)
	put16(b, 0, pkttype)
	put16(b, 2, 1) // ARPHRD_ETHER
	put16(b, 4, uint16(len(mac)))
	copy(b[6:14], mac)
	put16(b, 14, proto)
	return cat(b, payload)
}

func sll2(pkttype uint8, ifindex uint32, mac []byte, proto uint16, payload []byte) []byte {
	b := make([]byte, 20)
	put16(b, 0, proto)
	be.PutUint32(b[4:], ifindex)
	put16(b, 8, 1) // ARPHRD_ETHER
	b[10] = pkttype
	b[11] = byte(len(mac))
	copy(b[12:20], mac)
	return cat(b, payload)
}

// --- network layers ---

type ip4opts struct {
	id      uint16
	ttl     uint8
	flags   uint16 // fragment word: flags<<13 | offset/8
	options []byte // multiple of 4 bytes
	tos     uint8
}

func ip4x(src, dst string, proto uint8, o ip4opts, payload []byte) []byte {
	hl := 20 + len(o.options)
	h := make([]byte, 20)
	h[0] = 0x40 | byte(hl/4)
	h[1] = o.tos
	put16(h, 2, uint16(hl+len(payload)))
	put16(h, 4, o.id)
	put16(h, 6, o.flags)
	h[8] = o.ttl
	if h[8] == 0 {
		h[8] = 64
	}
	h[9] = proto
	copy(h[12:], addrBytes(addr(src)))
	copy(h[16:], addrBytes(addr(dst)))
	h = append(h, o.options...)
	put16(h, 10, csum(h))
	return cat(h, payload)
}

// ip4 builds an IPv4 packet with DF set.
func ip4(src, dst string, proto uint8, payload []byte) []byte {
	return ip4x(src, dst, proto, ip4opts{id: 0x1c46, flags: 0x4000}, payload)
}

// fixIP4 recomputes the IPv4 header checksum after a patch.
func fixIP4(p []byte) {
	hl := int(p[0]&0x0f) * 4
	put16(p, 10, 0)
	put16(p, 10, csum(p[:hl]))
}

func ip6(src, dst string, nh uint8, payload []byte) []byte {
	h := make([]byte, 40)
	h[0] = 0x60
	put16(h, 4, uint16(len(payload)))
	h[6] = nh
	h[7] = 64
	copy(h[8:], addrBytes(addr(src)))
	copy(h[24:], addrBytes(addr(dst)))
	return cat(h, payload)
}

// --- transport layers ---

func udp(src, dst string, sport, dport uint16, payload []byte) []byte {
	b := make([]byte, 8)
	put16(b, 0, sport)
	put16(b, 2, dport)
	put16(b, 4, uint16(8+len(payload)))
	b = append(b, payload...)
	c := csum(pseudo(addr(src), addr(dst), 17, len(b)), b)
	if c == 0 {
		c = 0xffff
	}
	put16(b, 6, c)
	return b
}

// udplite: coverage 0 means the whole datagram.
func udplite(src, dst string, sport, dport, coverage uint16, payload []byte) []byte {
	b := make([]byte, 8)
	put16(b, 0, sport)
	put16(b, 2, dport)
	put16(b, 4, coverage)
	b = append(b, payload...)
	n := int(coverage)
	if n == 0 {
		n = len(b)
	}
	c := csum(pseudo(addr(src), addr(dst), 136, len(b)), b[:n])
	if c == 0 {
		c = 0xffff
	}
	put16(b, 6, c)
	return b
}

const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
)

func tcp(src, dst string, sport, dport uint16, seq, ack uint32, flags uint8, payload []byte) []byte {
	var opts []byte
	if flags&tcpSYN != 0 {
		opts = []byte{2, 4, 0x05, 0xb4} // MSS 1460
	}
	b := make([]byte, 20)
	put16(b, 0, sport)
	put16(b, 2, dport)
	be.PutUint32(b[4:], seq)
	be.PutUint32(b[8:], ack)
	b[12] = byte((20+len(opts))/4) << 4
	b[13] = flags
	put16(b, 14, 64240)
	b = append(b, opts...)
	b = append(b, payload...)
	put16(b, 16, csum(pseudo(addr(src), addr(dst), 6, len(b)), b))
	return b
}

func icmp(typ, code uint8, rest []byte) []byte {
	b := cat([]byte{typ, code, 0, 0}, rest)
	put16(b, 2, csum(b))
	return b
}

func icmp6(src, dst string, typ, code uint8, rest []byte) []byte {
	b := cat([]byte{typ, code, 0, 0}, rest)
	put16(b, 2, csum(pseudo(addr(src), addr(dst), 58, len(b)), b))
	return b
}

func echoBody(id, seq uint16, data string) []byte {
	b := make([]byte, 4)
	put16(b, 0, id)
	put16(b, 2, seq)
	return cat(b, []byte(data))
}

func igmp2(typ, maxResp uint8, group string) []byte {
	b := cat([]byte{typ, maxResp, 0, 0}, addrBytes(addr(group)))
	put16(b, 2, csum(b))
	return b
}

// igmp3Report: one record of the given type for group with the given sources.
func igmp3Report(recType uint8, group string, sources ...string) []byte {
	b := []byte{0x22, 0, 0, 0, 0, 0, 0, 1}
	rec := []byte{recType, 0, 0, byte(len(sources))}
	rec = append(rec, addrBytes(addr(group))...)
	for _, s := range sources {
		rec = append(rec, addrBytes(addr(s))...)
	}
	b = append(b, rec...)
	put16(b, 2, csum(b))
	return b
}

// routerAlert is the IPv4 Router Alert option (RFC 2113), as IGMP uses it.
var routerAlert = []byte{0x94, 0x04, 0x00, 0x00}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func sctp(sport, dport uint16, vtag uint32, chunks ...[]byte) []byte {
	b := make([]byte, 12)
	put16(b, 0, sport)
	put16(b, 2, dport)
	be.PutUint32(b[4:], vtag)
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, castagnoli))
	return b
}

func sctpChunk(typ, flags uint8, value []byte) []byte {
	b := cat([]byte{typ, flags, 0, 0}, value)
	put16(b, 2, uint16(len(b)))
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func sctpInit(tag uint32) []byte {
	v := make([]byte, 16)
	be.PutUint32(v[0:], tag)
	be.PutUint32(v[4:], 106496) // a_rwnd
	put16(v, 8, 10)             // outbound streams
	put16(v, 10, 65535)         // inbound streams
	be.PutUint32(v[12:], 1000)  // initial TSN
	return sctpChunk(1, 0, v)
}

func sctpData(tsn uint32, data string) []byte {
	v := make([]byte, 12)
	be.PutUint32(v[0:], tsn)
	put16(v, 4, 0)            // stream id
	put16(v, 6, 0)            // stream sequence
	be.PutUint32(v[8:], 0x33) // PPID
	return sctpChunk(0, 0x03, cat(v, []byte(data)))
}

// gre: with checksum present when withCsum.
func gre(withCsum bool, proto uint16, payload []byte) []byte {
	b := []byte{0, 0, 0, 0}
	put16(b, 2, proto)
	if withCsum {
		b[0] = 0x80
		b = append(b, 0, 0, 0, 0)
	}
	b = append(b, payload...)
	if withCsum {
		put16(b, 4, csum(b))
	}
	return b
}

func arp(op uint16, sha []byte, spa string, tha []byte, tpa string) []byte {
	b := []byte{0, 1, 8, 0, 6, 4, 0, 0}
	put16(b, 6, op)
	return cat(b, sha, addrBytes(addr(spa)), tha, addrBytes(addr(tpa)))
}

func dnsName(name string) []byte {
	var b []byte
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '.' {
			b = append(b, byte(i-start))
			b = append(b, name[start:i]...)
			start = i + 1
		}
	}
	return append(b, 0)
}

func dnsQuery(id uint16, name string) []byte {
	h := []byte{0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	put16(h, 0, id)
	return cat(h, dnsName(name), []byte{0, 1, 0, 1})
}

func dnsResponse(id uint16, name, a string) []byte {
	h := []byte{0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}
	put16(h, 0, id)
	ans := []byte{0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4}
	return cat(h, dnsName(name), []byte{0, 1, 0, 1}, ans, addrBytes(addr(a)))
}
