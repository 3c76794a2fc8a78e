package bpf

import (
	"encoding/binary"
	"net/netip"
)

// frame is one test packet, kept as its network-layer bytes plus what the
// link layers around it need, so the same packet can be rendered as
// Ethernet, Linux cooked (v1 and v2), raw IP and a cooked-socket view.
type frame struct {
	name    string
	l3      []byte
	proto   uint16 // EtherType as the kernel reports it (SKF_AD_PROTOCOL); 4 for 802.3/LLC
	ethType uint16 // Ethernet type/length field when it differs from proto (802.3 frames)
	dst     [6]byte
	src     [6]byte
	vlans   [][2]uint16 // TPID, TCI; Ethernet only, outermost first
	pkttype uint8       // PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OUTGOING 4
}

func (f frame) ethernet() []byte {
	b := append(append([]byte{}, f.dst[:]...), f.src[:]...)
	for _, v := range f.vlans {
		b = binary.BigEndian.AppendUint16(b, v[0])
		b = binary.BigEndian.AppendUint16(b, v[1])
	}
	et := f.proto
	if f.ethType != 0 {
		et = f.ethType
	}
	b = binary.BigEndian.AppendUint16(b, et)
	return append(b, f.l3...)
}

// sll renders the 16-byte LINKTYPE_LINUX_SLL header: packet type, ARPHRD,
// address length, 8 address bytes, protocol.
func (f frame) sll() []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(f.pkttype))
	b = binary.BigEndian.AppendUint16(b, 1) // ARPHRD_ETHER
	b = binary.BigEndian.AppendUint16(b, 6)
	b = append(b, f.src[:]...)
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint16(b, f.proto)
	return append(b, f.l3...)
}

// sll2 renders the 20-byte LINKTYPE_LINUX_SLL2 header: protocol, reserved,
// ifindex, ARPHRD, packet type, address length, 8 address bytes.
func (f frame) sll2() []byte {
	b := binary.BigEndian.AppendUint16(nil, f.proto)
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint32(b, 2)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = append(b, f.pkttype, 6)
	b = append(b, f.src[:]...)
	b = append(b, 0, 0)
	return append(b, f.l3...)
}

func mac(s string) [6]byte {
	m, ok := parseMAC(s)
	if !ok {
		panic(s)
	}
	return m
}

func addr(s string) []byte { return netip.MustParseAddr(s).AsSlice() }

type ip4 struct {
	src, dst string
	proto    byte
	frag     uint16 // flags and fragment offset field
	options  []byte // multiple of 4
	ttl      byte
}

func (h ip4) bytes(payload []byte) []byte {
	ihl := 5 + len(h.options)/4
	b := make([]byte, 20, 20+len(h.options)+len(payload))
	b[0] = 0x40 | byte(ihl)
	binary.BigEndian.PutUint16(b[2:], uint16(ihl*4+len(payload)))
	binary.BigEndian.PutUint16(b[4:], 0x1234)
	binary.BigEndian.PutUint16(b[6:], h.frag)
	b[8] = h.ttl
	if b[8] == 0 {
		b[8] = 64
	}
	b[9] = h.proto
	copy(b[12:], addr(h.src))
	copy(b[16:], addr(h.dst))
	b = append(b, h.options...)
	return append(b, payload...)
}

func ip6(src, dst string, nh byte, payload []byte) []byte {
	b := make([]byte, 40, 40+len(payload))
	b[0] = 0x60
	binary.BigEndian.PutUint16(b[4:], uint16(len(payload)))
	b[6] = nh
	b[7] = 64
	copy(b[8:], addr(src))
	copy(b[24:], addr(dst))
	return append(b, payload...)
}

func tcpSeg(sport, dport uint16, flags byte, payload []byte) []byte {
	b := make([]byte, 20)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], 1000)
	b[12] = 5 << 4
	b[13] = flags
	binary.BigEndian.PutUint16(b[14:], 65535)
	return append(b, payload...)
}

func udpDgram(sport, dport uint16, payload []byte) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint16(b[4:], uint16(8+len(payload)))
	return append(b, payload...)
}

func icmpMsg(typ, code byte) []byte {
	return []byte{typ, code, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g', 0, 0, 0, 0}
}

func sctpPkt(sport, dport uint16) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	// An INIT chunk header so the packet is not just a common header.
	return append(b, 1, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 1, 0, 1, 0, 0, 0, 1)
}

func arpPkt(op uint16, sha string, spa string, tha string, tpa string) []byte {
	b := []byte{0, 1, 8, 0, 6, 4}
	b = binary.BigEndian.AppendUint16(b, op)
	s, t := mac(sha), mac(tha)
	b = append(b, s[:]...)
	b = append(b, addr(spa)...)
	b = append(b, t[:]...)
	return append(b, addr(tpa)...)
}

const (
	synF = 0x02
	ackF = 0x10
	finF = 0x01
	rstF = 0x04
	pshF = 0x08
)

var (
	macA  = mac("02:00:00:00:00:01")
	macB  = mac("02:00:00:00:00:02")
	bcast = mac("ff:ff:ff:ff:ff:ff")
	mcast = mac("01:00:5e:00:00:fb")
	mcst6 = mac("33:33:00:00:00:fb")
)

func pad(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// craftedFrames covers the cases that distinguish careful and careless
// filter compilers: both IP versions and all transports, ports on either
// side, IPv4 options and fragments, IPv6 extension headers, ARP/RARP,
// VLAN and QinQ, 802.3 LLC frames, broadcast/multicast, sizes, packet
// direction, and truncation.
func craftedFrames() []frame {
	get := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	nsol := append([]byte{135, 0, 0, 0, 0, 0, 0, 0}, addr("fe80::2")...)
	f := []frame{
		{name: "ipv4 tcp syn 10.0.0.1:12345>10.0.0.2:80", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(12345, 80, synF, nil)), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 tcp synack 10.0.0.2:80>10.0.0.1:12345", l3: ip4{src: "10.0.0.2", dst: "10.0.0.1", proto: 6}.bytes(tcpSeg(80, 12345, synF|ackF, nil)), proto: 0x800, dst: macA, src: macB, pkttype: 4},
		{name: "ipv4 tcp GET 10.0.0.1:12345>10.0.0.2:80", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(12345, 80, pshF|ackF, get)), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 tcp psh 192.168.1.10:443>192.168.1.20:51000", l3: ip4{src: "192.168.1.10", dst: "192.168.1.20", proto: 6}.bytes(tcpSeg(443, 51000, pshF|ackF, pad(300))), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 options tcp fin 10.1.2.3:22>10.0.0.1:40000", l3: ip4{src: "10.1.2.3", dst: "10.0.0.1", proto: 6, options: []byte{1, 1, 1, 0}}.bytes(tcpSeg(22, 40000, finF|ackF, nil)), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 options(12) tcp GET 10.9.9.9:3333>172.16.0.1:8080", l3: ip4{src: "10.9.9.9", dst: "172.16.0.1", proto: 6, options: []byte{7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0}}.bytes(tcpSeg(3333, 8080, pshF|ackF, get)), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 tcp rst 8080>1024", l3: ip4{src: "172.16.0.1", dst: "172.16.0.2", proto: 6}.bytes(tcpSeg(8080, 1024, rstF, nil)), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 tcp 8500>9000 ack", l3: ip4{src: "172.16.0.1", dst: "10.0.0.1", proto: 6}.bytes(tcpSeg(8500, 9000, ackF, pad(10))), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 udp mdns 10.0.0.1>224.0.0.251", l3: ip4{src: "10.0.0.1", dst: "224.0.0.251", proto: 17}.bytes(udpDgram(5353, 5353, pad(40))), proto: 0x800, dst: mcast, src: macA, pkttype: 2},
		{name: "ipv4 udp dns 10.1.2.3:33333>8.8.8.8:53", l3: ip4{src: "10.1.2.3", dst: "8.8.8.8", proto: 17}.bytes(udpDgram(33333, 53, pad(30))), proto: 0x800, dst: macB, src: macA, pkttype: 4},
		{name: "ipv4 udp dns reply 8.8.8.8:53>10.1.2.3", l3: ip4{src: "8.8.8.8", dst: "10.1.2.3", proto: 17}.bytes(udpDgram(53, 33333, pad(120))), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 udp ntp 123", l3: ip4{src: "10.0.0.5", dst: "10.0.0.6", proto: 17}.bytes(udpDgram(123, 123, pad(48))), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 udp 5500>6000", l3: ip4{src: "192.168.1.1", dst: "192.168.1.2", proto: 17}.bytes(udpDgram(5500, 6000, pad(2))), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 udp big", l3: ip4{src: "192.168.1.1", dst: "192.168.1.2", proto: 17}.bytes(udpDgram(40000, 40001, pad(1200))), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 udp dhcp broadcast", l3: ip4{src: "0.0.0.0", dst: "255.255.255.255", proto: 17}.bytes(udpDgram(68, 67, pad(240))), proto: 0x800, dst: bcast, src: macA, pkttype: 1},
		{name: "ipv4 udp to 0.0.0.0", l3: ip4{src: "10.0.0.1", dst: "0.0.0.0", proto: 17}.bytes(udpDgram(68, 67, pad(10))), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 icmp echo 1.2.3.4>5.6.7.8", l3: ip4{src: "1.2.3.4", dst: "5.6.7.8", proto: 1}.bytes(icmpMsg(8, 0)), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 icmp echoreply", l3: ip4{src: "5.6.7.8", dst: "1.2.3.4", proto: 1}.bytes(icmpMsg(0, 0)), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 icmp unreach", l3: ip4{src: "10.0.0.2", dst: "10.0.0.1", proto: 1}.bytes(icmpMsg(3, 3)), proto: 0x800, dst: macA, src: macB},
		{name: "ipv4 frag first tcp :80", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, frag: 0x2000}.bytes(tcpSeg(80, 80, synF, pad(100))), proto: 0x800, dst: macB, src: macA},
		// A later fragment whose payload looks like a TCP header to port
		// 80 with SYN set: port and tcp[] tests must not match it.
		{name: "ipv4 frag later tcp", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, frag: 185}.bytes(tcpSeg(80, 80, synF, pad(100))), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 frag later udp with DF", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17, frag: 0x4000 | 0x2000 | 3}.bytes(udpDgram(53, 53, pad(20))), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 DF tcp 80", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6, frag: 0x4000}.bytes(tcpSeg(5555, 80, ackF, nil)), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 sctp 2905", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 132}.bytes(sctpPkt(2905, 2905)), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 igmp", l3: ip4{src: "10.0.0.1", dst: "224.0.0.22", proto: 2, ttl: 1}.bytes([]byte{0x22, 0, 0xf9, 0, 0, 0, 0, 1, 4, 0, 0, 0, 239, 1, 1, 1}), proto: 0x800, dst: mcast, src: macA},
		{name: "ipv4 gre", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 47}.bytes([]byte{0, 0, 8, 0}), proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 tcp truncated header", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(12345, 80, synF, nil))[:30], proto: 0x800, dst: macB, src: macA},
		{name: "ipv4 truncated after 12 bytes", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(nil)[:12], proto: 0x800, dst: macB, src: macA},
		{name: "ipv6 tcp syn 2001:db8::1>2001:db8::2:443", l3: ip6("2001:db8::1", "2001:db8::2", 6, tcpSeg(40000, 443, synF, nil)), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 tcp synack 80", l3: ip6("2001:db8:1::5", "2001:db8::1", 6, tcpSeg(80, 40000, synF|ackF, nil)), proto: 0x86dd, dst: macA, src: macB, pkttype: 4},
		{name: "ipv6 udp mdns fe80::1>ff02::fb", l3: ip6("fe80::1", "ff02::fb", 17, udpDgram(5353, 5353, pad(30))), proto: 0x86dd, dst: mcst6, src: macA, pkttype: 2},
		{name: "ipv6 udp dns", l3: ip6("2001:db8::1", "2001:4860::8888", 17, udpDgram(50000, 53, pad(30))), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 icmpv6 echo", l3: ip6("2001:db8::1", "2001:db8::2", 58, icmpMsg(128, 0)), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 icmpv6 echo reply", l3: ip6("2001:db8::2", "2001:db8::1", 58, icmpMsg(129, 0)), proto: 0x86dd, dst: macA, src: macB},
		{name: "ipv6 icmpv6 neighbor solicit", l3: ip6("fe80::1", "ff02::1:ff00:2", 58, nsol), proto: 0x86dd, dst: mcst6, src: macA},
		{name: "ipv6 fragment header tcp 80", l3: ip6("2001:db8::1", "2001:db8::2", 44, append([]byte{6, 0, 0, 1, 0, 0, 0, 7}, tcpSeg(1234, 80, synF, nil)...)), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 fragment header icmpv6", l3: ip6("2001:db8::1", "2001:db8::2", 44, append([]byte{58, 0, 0, 1, 0, 0, 0, 7}, icmpMsg(128, 0)...)), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 hop-by-hop mld", l3: ip6("fe80::1", "ff02::16", 0, append([]byte{58, 0, 5, 2, 0, 0, 1, 0}, 143, 0, 0, 0, 0, 0, 0, 0)), proto: 0x86dd, dst: mcst6, src: macA},
		{name: "ipv6 sctp", l3: ip6("2001:db8::1", "2001:db8::2", 132, sctpPkt(2905, 36412)), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 big udp", l3: ip6("2001:db8::1", "2001:db8::2", 17, udpDgram(5000, 5001, pad(1100))), proto: 0x86dd, dst: macB, src: macA},
		{name: "ipv6 truncated", l3: ip6("2001:db8::1", "2001:db8::2", 6, nil)[:30], proto: 0x86dd, dst: macB, src: macA},
		{name: "arp request 10.0.0.1 who-has 10.0.0.2", l3: arpPkt(1, "02:00:00:00:00:01", "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"), proto: 0x806, dst: bcast, src: macA, pkttype: 1},
		{name: "arp reply 10.0.0.2", l3: arpPkt(2, "02:00:00:00:00:02", "10.0.0.2", "02:00:00:00:00:01", "10.0.0.1"), proto: 0x806, dst: macA, src: macB},
		{name: "arp 192.168.1.10", l3: arpPkt(1, "02:00:00:00:00:02", "192.168.1.10", "00:00:00:00:00:00", "192.168.1.1"), proto: 0x806, dst: bcast, src: macB, pkttype: 1},
		{name: "rarp request", l3: arpPkt(3, "02:00:00:00:00:01", "0.0.0.0", "02:00:00:00:00:01", "10.0.0.2"), proto: 0x8035, dst: bcast, src: macA, pkttype: 1},
		{name: "lldp", l3: append([]byte{2, 7, 4}, pad(40)...), proto: 0x88cc, dst: mac("01:80:c2:00:00:0e"), src: macA, pkttype: 2},
		{name: "802.3 stp llc", l3: append([]byte{0x42, 0x42, 0x03}, pad(35)...), proto: 4, ethType: 38, dst: mac("01:80:c2:00:00:00"), src: macB, pkttype: 2},
		{name: "tiny unknown ethertype", l3: []byte{1}, proto: 0x1234, dst: macA, src: macB},
	}
	tagged := []frame{
		{name: "vlan 10 ipv4 tcp :80", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(12345, 80, synF, nil)), proto: 0x800, vlans: [][2]uint16{{0x8100, 10}}},
		{name: "vlan 10 prio 5 ipv4 udp :53", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17}.bytes(udpDgram(1000, 53, pad(20))), proto: 0x800, vlans: [][2]uint16{{0x8100, 5<<13 | 10}}},
		{name: "vlan 20 ipv6 icmpv6", l3: ip6("2001:db8::1", "2001:db8::2", 58, icmpMsg(128, 0)), proto: 0x86dd, vlans: [][2]uint16{{0x8100, 20}}},
		{name: "qinq 100/20 ipv4 udp :53", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 17}.bytes(udpDgram(1000, 53, pad(20))), proto: 0x800, vlans: [][2]uint16{{0x88a8, 100}, {0x8100, 20}}},
		{name: "qinq 9100 ipv4 tcp", l3: ip4{src: "10.0.0.1", dst: "10.0.0.2", proto: 6}.bytes(tcpSeg(80, 443, ackF, nil)), proto: 0x800, vlans: [][2]uint16{{0x9100, 100}, {0x8100, 10}}},
		{name: "vlan 30 arp", l3: arpPkt(1, "02:00:00:00:00:01", "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2"), proto: 0x806, vlans: [][2]uint16{{0x8100, 30}}},
	}
	for i := range tagged {
		tagged[i].dst, tagged[i].src = macB, macA
	}
	return append(f, tagged...)
}
