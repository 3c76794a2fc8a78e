package main

// Network-control protocols as public captures carry them: OSPFv2 and
// OSPFv3 (every packet type, a bad checksum, MD5 authentication), RIPv1,
// RIPv2 and RIPng, HSRP v1 and v2, IPsec ESP, and Telnet. Builders for
// BGP, PIM, EAPOL, LACP, IKE, L2TP, STUN and Modbus wait on branch
// routing-wip until their dissectors exist.

// mcastMAC is the Ethernet address of an IPv4 multicast group.
func mcastMAC(group string) []byte {
	a := addrBytes(addr(group))
	return []byte{0x01, 0x00, 0x5e, a[1] & 0x7f, a[2], a[3]}
}

// mcast4 is an IPv4 packet to a link-local group with TTL 1 (or ttl).
func mcast4(src, group string, proto, ttl uint8, p []byte) []byte {
	ip := ip4x(src, group, proto, ip4opts{id: 0x2b1c, ttl: ttl, tos: 0xc0}, p)
	return eth(mcastMAC(group), macA, 0x0800, ip)
}

func mcast6(src, group string, nh uint8, p []byte) []byte {
	a := addrBytes(addr(group))
	ip := ip6(src, group, nh, p)
	ip[1] = 0xe0 // traffic class 0xe0 (network control)
	ip[7] = 1
	return eth([]byte{0x33, 0x33, a[12], a[13], a[14], a[15]}, macA, 0x86dd, ip)
}

// --- OSPF ---

const (
	ospfRID  = "192.0.2.1"
	ospfRID2 = "192.0.2.2"
)

// ospf2 is an OSPFv2 packet; the checksum leaves out the 8 bytes of
// authentication (RFC 2328 D.4.1), and is zero with cryptographic
// authentication, whose digest follows the packet.
func ospf2(typ uint8, rid, area string, autype uint16, auth []byte, body []byte) []byte {
	h := make([]byte, 24)
	h[0], h[1] = 2, typ
	put16(h, 2, uint16(24+len(body)))
	copy(h[4:], addrBytes(addr(rid)))
	copy(h[8:], addrBytes(addr(area)))
	put16(h, 14, autype)
	copy(h[16:], auth)
	p := cat(h, body)
	if autype != 2 {
		put16(p, 12, csum(p[:16], p[24:]))
	}
	return p
}

func ospf3(src, dst string, typ uint8, rid, area string, body []byte) []byte {
	h := make([]byte, 16)
	h[0], h[1] = 3, typ
	put16(h, 2, uint16(16+len(body)))
	copy(h[4:], addrBytes(addr(rid)))
	copy(h[8:], addrBytes(addr(area)))
	p := cat(h, body)
	put16(p, 12, csum(pseudo(addr(src), addr(dst), 89, len(p)), p))
	return p
}

func ospfHello(mask string, dr, bdr string, nbrs ...string) []byte {
	b := cat(addrBytes(addr(mask)), u16(10), []byte{0x02, 1}, be32(40), addrBytes(addr(dr)), addrBytes(addr(bdr)))
	for _, n := range nbrs {
		b = append(b, addrBytes(addr(n))...)
	}
	return b
}

// lsaHeader is an LSA header of the given type and length.
func lsaHeader(age uint16, typ uint8, id, adv string, seq uint32, length int) []byte {
	h := cat(u16(int(age)), []byte{0x22, typ}, addrBytes(addr(id)), addrBytes(addr(adv)), be32(seq), u16(0), u16(length))
	lsaFletcher(h)
	return h
}

// lsaFletcher sets an LSA's checksum (RFC 905 annex B, over the LSA but
// its age; what RFC 2328 12.1.7 names).
func lsaFletcher(lsa []byte) {
	put16(lsa, 16, 0)
	d := lsa[2:]
	var c0, c1 int
	for _, x := range d {
		c0 = (c0 + int(x)) % 255
		c1 = (c1 + c0) % 255
	}
	const pos = 15 // checksum offset within d, 1-based for the formula
	x := ((len(d)-pos)*c0 - c1) % 255
	if x <= 0 {
		x += 255
	}
	y := 510 - c0 - x
	if y > 255 {
		y -= 255
	}
	lsa[16], lsa[17] = byte(x), byte(y)
}

// routerLSA is a router LSA with one point-to-point link and one stub.
func routerLSA(adv string, seq uint32) []byte {
	links := cat(addrBytes(addr("192.0.2.2")), addrBytes(addr("192.0.2.1")), []byte{1, 0}, u16(10),
		addrBytes(addr("198.51.100.0")), addrBytes(addr("255.255.255.0")), []byte{3, 0}, u16(1))
	body := cat([]byte{0x01, 0}, u16(2), links)
	l := cat(lsaHeader(1, 1, adv, adv, seq, 20+len(body)), body)
	lsaFletcher(l)
	return l
}

func buildOSPF(out map[string][]byte) {
	const bb = "0.0.0.0"
	ospf := func(src string, p []byte) []byte { return mcast4(src, "224.0.0.5", 89, 1, p) }
	ucast := func(src, dst string, p []byte) []byte {
		return eth(macB, macA, 0x0800, ip4x(src, dst, 89, ip4opts{id: 0x77, ttl: 1, tos: 0xc0}, p))
	}
	lsa := routerLSA(ospfRID, 0x80000001)
	lsa2 := routerLSA(ospfRID2, 0x80000003)
	dd := cat(u16(1500), []byte{0x42, 0x07}, be32(0x1d46))
	dd2 := cat(u16(1500), []byte{0x42, 0x02}, be32(0x1d47), lsa[:20], lsa2[:20])
	lsr := cat(be32(1), addrBytes(addr(ospfRID2)), addrBytes(addr(ospfRID2)))
	lsu := cat(be32(2), lsa, lsa2)
	ack := cat(lsa[:20], lsa2[:20])
	bad := ospf(ospfRID, ospf2(1, ospfRID, bb, 0, nil, ospfHello("255.255.255.0", "192.0.2.1", "0.0.0.0", ospfRID2)))
	bad[14+20+12]++ // checksum off by one
	md5 := ospf2(1, ospfRID2, "0.0.0.1", 2, []byte{0, 0, 1, 16, 0, 0, 0x30, 0x39}, ospfHello("255.255.255.0", "0.0.0.0", "0.0.0.0"))
	md5 = append(md5, seqBytes(16, 0xa0)...)
	simple := ospf2(1, ospfRID2, "0.0.0.1", 1, []byte("secret\x00\x00"), ospfHello("255.255.255.252", "0.0.0.0", "0.0.0.0"))
	const l1, l2 = "fe80::1", "fe80::2"
	hello3 := cat(be32(5), []byte{1, 0, 0, 0x13}, u16(10), u16(40), addrBytes(addr(ospfRID)), addrBytes(addr("0.0.0.0")), addrBytes(addr(ospfRID2)))
	dd3 := cat([]byte{0, 0, 0, 0x13}, u16(1500), []byte{0, 0x07}, be32(0x3a))
	out["ospf.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		ospf(ospfRID, ospf2(1, ospfRID, bb, 0, nil, ospfHello("255.255.255.0", "0.0.0.0", "0.0.0.0"))),
		ospf(ospfRID2, ospf2(1, ospfRID2, bb, 0, nil, ospfHello("255.255.255.0", "192.0.2.1", "192.0.2.2", ospfRID))),
		ucast(ospfRID, ospfRID2, ospf2(2, ospfRID, bb, 0, nil, dd)),
		ucast(ospfRID2, ospfRID, ospf2(2, ospfRID2, bb, 0, nil, dd2)),
		ucast(ospfRID, ospfRID2, ospf2(3, ospfRID, bb, 0, nil, lsr)),
		ucast(ospfRID2, ospfRID, ospf2(4, ospfRID2, bb, 0, nil, lsu)),
		ospf(ospfRID, ospf2(5, ospfRID, bb, 0, nil, ack)),
		bad,
		ospf(ospfRID2, md5),
		ospf(ospfRID2, simple),
		mcast6(l1, "ff02::5", 89, ospf3(l1, "ff02::5", 1, ospfRID, bb, hello3)),
		eth(macB, macA, 0x86dd, ip6(l1, l2, 89, ospf3(l1, l2, 2, ospfRID, bb, dd3))),
	))
}

// --- RIP, RIPng ---

func ripEntry(afi uint16, tag uint16, a, mask, nh string, metric uint32) []byte {
	return cat(u16(int(afi)), u16(int(tag)), addrBytes(addr(a)), addrBytes(addr(mask)), addrBytes(addr(nh)), be32(metric))
}

func buildRIP(out map[string][]byte) {
	rip := func(src, dst string, p []byte) []byte {
		if dst == "255.255.255.255" || dst == "192.0.2.255" {
			return eth(bcast, macA, 0x0800, ip4(src, dst, 17, udp(src, dst, 520, 520, p)))
		}
		return mcast4(src, dst, 17, 1, udp(src, dst, 520, 520, p))
	}
	const z = "0.0.0.0"
	v1req := cat([]byte{1, 1, 0, 0}, ripEntry(0, 0, z, z, z, 16))
	v1resp := cat([]byte{2, 1, 0, 0}, ripEntry(2, 0, "10.1.0.0", z, z, 1), ripEntry(2, 0, "10.2.0.0", z, z, 2))
	v2req := cat([]byte{1, 2, 0, 0}, ripEntry(0, 0, z, z, z, 16))
	v2resp := cat([]byte{2, 2, 0, 0}, ripEntry(2, 0, "10.1.0.0", "255.255.0.0", z, 1), ripEntry(2, 7, "198.51.100.0", "255.255.255.0", "192.0.2.9", 3))
	auth := cat([]byte{2, 2, 0, 0}, u16(0xffff), u16(2), []byte("wirelens\x00\x00\x00\x00\x00\x00\x00\x00"), ripEntry(2, 0, "10.3.0.0", "255.255.0.0", z, 4))
	rte := func(p string, l uint8, metric uint8) []byte {
		return cat(addrBytes(addr(p)), u16(0), []byte{l, metric})
	}
	ng := func(src string, p []byte) []byte {
		return mcast6(src, "ff02::9", 17, udp6p(src, "ff02::9", 521, 521, p))
	}
	out["rip.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		rip("192.0.2.1", "255.255.255.255", v1req),
		rip("192.0.2.2", "192.0.2.255", v1resp),
		rip("192.0.2.1", "224.0.0.9", v2req),
		rip("192.0.2.2", "224.0.0.9", v2resp),
		rip("192.0.2.2", "224.0.0.9", auth),
		ng("fe80::1", cat([]byte{1, 1, 0, 0}, rte("::", 0, 16))),
		ng("fe80::2", cat([]byte{2, 1, 0, 0}, rte("2001:db8:1::", 48, 1), rte("2001:db8:2::", 64, 2))),
	))
}

func udp6p(src, dst string, sport, dport uint16, p []byte) []byte {
	return udp(src, dst, sport, dport, p)
}

// --- HSRP ---

func buildHSRP(out map[string][]byte) {
	v1 := func(op, state, prio uint8, vip string) []byte {
		return cat([]byte{0, op, state, 3, 10, prio, 1, 0}, []byte("cisco\x00\x00\x00"), addrBytes(addr(vip)))
	}
	hsrp := func(src, dst string, port uint16, p []byte) []byte {
		return mcast4(src, dst, 17, 1, udp(src, dst, port, port, p))
	}
	grp := func(state uint8, ipv uint8, group uint16, prio uint32, vip string) []byte {
		v := addrBytes(addr(vip))
		if len(v) == 4 {
			v = cat(v, make([]byte, 12))
		}
		return cat([]byte{1, 40, 2, 0, state, ipv}, u16(int(group)), macA, be32(prio), be32(3000), be32(10000), v)
	}
	auth := cat([]byte{3, 8}, []byte("cisco\x00\x00\x00"))
	out["hsrp.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		hsrp("192.0.2.2", "224.0.0.2", 1985, v1(0, 16, 110, "192.0.2.254")),
		hsrp("192.0.2.3", "224.0.0.2", 1985, v1(0, 8, 100, "192.0.2.254")),
		hsrp("192.0.2.3", "224.0.0.2", 1985, v1(1, 16, 120, "192.0.2.254")),
		hsrp("192.0.2.2", "224.0.0.102", 1985, cat(grp(6, 4, 10, 110, "192.0.2.254"), auth)),
		hsrp("192.0.2.3", "224.0.0.102", 1985, grp(5, 4, 10, 100, "192.0.2.254")),
		mcast6("fe80::2", "ff02::66", 17, udp("fe80::2", "ff02::66", 2029, 2029, grp(6, 6, 20, 110, "fe80::5:73ff:fea0:14"))),
	))
}

// --- ESP, Telnet ---

// buildESP is ESP straight on IP, both ways.
func buildESP(out map[string][]byte) {
	const c, s = "192.0.2.1", "198.51.100.7"
	esp := func(spi, seq uint32, n int) []byte { return cat(be32(spi), be32(seq), seqBytes(n, 0x31)) }
	out["esp.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		ethIP4(ip4(c, s, 50, esp(0x0000f00d, 7, 72))),
		eth(macA, macB, 0x0800, ip4(s, c, 50, esp(0x8a1b2c3d, 0x100, 56))),
		eth(macB, macA, 0x86dd, ip6("2001:db8::1", "2001:db8::2", 50, esp(0x00000101, 1, 40))),
	))
}

// buildControl writes the captures whose dissectors are in decode/. The
// builders of BGP, PIM, EAPOL/LACP, IKE/AH, L2TP/STUN and Modbus
// above make the captures for the dissectors still to come (issue 13) and
// join this list with them.
func buildControl(out map[string][]byte) {
	buildOSPF(out)
	buildRIP(out)
	buildHSRP(out)
	buildESP(out)
	buildTelnet(out)
}

// buildTelnet is a Telnet session: option negotiation, then a login.
func buildTelnet(out map[string][]byte) {
	iac := []byte{0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27}
	out["telnet.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40023, 23,
		downB(iac),
		upB([]byte{0xff, 0xfb, 0x18, 0xff, 0xfb, 0x20}),
		down("Debian GNU/Linux 12\r\nlogin: "),
		up("r"),
		up("oot\r\n"),
		down("Password: "),
	)...))
}
