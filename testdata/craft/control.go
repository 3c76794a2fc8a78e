package main

// Network-control protocols as public captures carry them: OSPFv2 and
// OSPFv3 (every packet type, a bad checksum, MD5 authentication), BGP
// (OPEN, UPDATE, NOTIFICATION, KEEPALIVE, several messages in a segment,
// a message across segments), RIPv1, RIPv2 and RIPng, HSRP v1 and v2,
// PIM, EAPOL with EAP and the WPA 4-way handshake, LACP, IPsec ESP and
// AH, ISAKMP and IKEv2 (with NAT traversal on 4500), L2TP, STUN, Telnet
// and Modbus/TCP.

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

// --- BGP ---

func bgpMsg(typ uint8, body []byte) []byte {
	h := cat(seqBytes(16, 0xff), u16(19+len(body)), []byte{typ})
	for i := 0; i < 16; i++ {
		h[i] = 0xff
	}
	return cat(h, body)
}

func bgpOpen(as uint16, id string, as4 uint32) []byte {
	caps := cat([]byte{1, 4, 0, 1, 0, 1}, []byte{2, 0}, []byte{65, 4}, be32(as4))
	params := cat([]byte{2, byte(len(caps))}, caps)
	return bgpMsg(1, cat([]byte{4}, u16(int(as)), u16(180), addrBytes(addr(id)), []byte{byte(len(params))}, params))
}

func bgpPrefix(length int, a string) []byte {
	return cat([]byte{byte(length)}, addrBytes(addr(a))[:(length+7)/8])
}

func bgpUpdate(withdrawn []byte, nextHop string, asPath []uint32, nlri ...[]byte) []byte {
	var attrs []byte
	if nextHop != "" {
		path := []byte{2, byte(len(asPath))}
		for _, a := range asPath {
			path = append(path, be32(a)...)
		}
		attrs = cat([]byte{0x40, 1, 1, 0}, []byte{0x40, 2, byte(len(path))}, path,
			[]byte{0x40, 3, 4}, addrBytes(addr(nextHop)), []byte{0x80, 4, 4}, be32(0))
	}
	return bgpMsg(2, cat(u16(len(withdrawn)), withdrawn, u16(len(attrs)), attrs, cat(nlri...)))
}

func buildBGP(out map[string][]byte) {
	keep := bgpMsg(4, nil)
	up1 := bgpUpdate(nil, "192.0.2.1", []uint32{65001}, bgpPrefix(24, "198.51.100.0"), bgpPrefix(16, "172.16.0.0"))
	var many [][]byte
	for i := 0; i < 60; i++ {
		many = append(many, bgpPrefix(24, "10.0."+itoa(i)+".0"))
	}
	big := bgpUpdate(nil, "192.0.2.1", []uint32{65001, 65010}, many...)
	wd := bgpUpdate(cat(bgpPrefix(24, "198.51.100.0"), bgpPrefix(32, "203.0.113.7")), "", nil)
	eor := bgpUpdate(nil, "", nil)
	notif := bgpMsg(3, []byte{6, 2})
	rr := bgpMsg(5, []byte{0, 1, 0, 1})
	out["bgp.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40179, 179,
		upB(bgpOpen(65001, "192.0.2.1", 65001)),
		downB(bgpOpen(23456, "192.0.2.2", 4200000000), keep),
		upB(keep),
		downB(keep),
		upB(up1, keep),
		upB(big[:100]),
		upB(big[100:]),
		downB(wd),
		downB(eor, rr),
		upB(notif),
	)...))
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
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

// --- PIM ---

func pimOpt(t uint16, v []byte) []byte { return cat(u16(int(t)), u16(len(v)), v) }

func buildPIM(out map[string][]byte) {
	hello := cat([]byte{0x20, 0, 0, 0}, pimOpt(1, u16(105)), pimOpt(19, be32(1)), pimOpt(20, be32(0x5a1e0b2c)))
	put16(hello, 2, csum(hello))
	enc := func(a string) []byte { return cat([]byte{1, 0}, addrBytes(addr(a))) }
	join := cat([]byte{0x23, 0, 0, 0}, enc("192.0.2.2"), []byte{0, 1}, u16(210),
		[]byte{1, 0, 0, 32}, addrBytes(addr("239.1.1.1")), u16(1), u16(0), []byte{1, 0, 0x07, 32}, addrBytes(addr("192.0.2.50")))
	put16(join, 2, csum(join))
	hello6 := cat([]byte{0x20, 0, 0, 0}, pimOpt(1, u16(105)), pimOpt(19, be32(1)))
	put16(hello6, 2, csum(pseudo(addr("fe80::1"), addr("ff02::d"), 103, len(hello6)), hello6))
	bad := cat([]byte{0x20, 0, 0x12, 0x34}, pimOpt(1, u16(105)))
	out["pim.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		mcast4("192.0.2.1", "224.0.0.13", 103, 1, hello),
		mcast4("192.0.2.1", "224.0.0.13", 103, 1, join),
		mcast6("fe80::1", "ff02::d", 103, hello6),
		mcast4("192.0.2.3", "224.0.0.13", 103, 1, bad),
	))
}

// --- EAPOL, LACP ---

var (
	paeGroup  = []byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x03}
	slowGroup = []byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x02}
	apMAC     = []byte{0x02, 0x00, 0x00, 0x00, 0xa9, 0x01}
)

func eapol(ver, typ uint8, body []byte) []byte { return cat([]byte{ver, typ}, u16(len(body)), body) }

func eap(code, id uint8, typ int, data []byte) []byte {
	b := []byte{code, id, 0, 0}
	if typ >= 0 {
		b = append(b, byte(typ))
	}
	b = cat(b, data)
	put16(b, 2, uint16(len(b)))
	return b
}

// eapolKey is an RSN (descriptor 2) key frame with the given key info.
func eapolKey(info uint16, replay uint64, nonce byte, mic bool, data []byte) []byte {
	b := cat([]byte{2}, u16(int(info)), u16(16), be32(0), be32(uint32(replay)))
	if nonce != 0 {
		b = append(b, seqBytes(32, nonce)...)
	} else {
		b = append(b, make([]byte, 32)...)
	}
	b = append(b, make([]byte, 16+8+8)...) // IV, RSC, ID
	if mic {
		b = append(b, seqBytes(16, 0x5c)...)
	} else {
		b = append(b, make([]byte, 16)...)
	}
	b = cat(b, u16(len(data)), data)
	return eapol(2, 3, b)
}

func lacpInfo(t uint8, sysPrio uint16, sys []byte, key, portPrio, port uint16, state uint8) []byte {
	return cat([]byte{t, 20}, u16(int(sysPrio)), sys, u16(int(key)), u16(int(portPrio)), u16(int(port)), []byte{state, 0, 0, 0})
}

func lacp(actorState, partnerState uint8, partner []byte) []byte {
	return cat([]byte{1, 1}, lacpInfo(1, 32768, swMAC, 13, 32768, 25, actorState),
		lacpInfo(2, 32768, partner, 13, 32768, 7, partnerState),
		[]byte{3, 16}, u16(0), make([]byte, 12), []byte{0, 0}, make([]byte, 50))
}

func buildEAPOL(out map[string][]byte) {
	rsnIE := []byte{0x30, 0x14, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 2, 0, 0}
	pae := func(dst, src []byte, p []byte) []byte { return eth(dst, src, 0x888e, p) }
	out["eapol.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		pae(paeGroup, macC, eapol(1, 1, nil)),
		pae(macC, apMAC, eapol(1, 0, eap(1, 1, 1, nil))),
		pae(paeGroup, macC, eapol(1, 0, eap(2, 1, 1, []byte("alice@wirelens.test")))),
		pae(macC, apMAC, eapol(1, 0, eap(1, 2, 13, []byte{0x20}))),
		pae(paeGroup, macC, eapol(1, 0, eap(2, 2, 3, []byte{25}))),
		pae(macC, apMAC, eapol(1, 0, eap(3, 2, -1, nil))),
		pae(macC, apMAC, eapolKey(0x008a, 1, 0x11, false, nil)),
		pae(apMAC, macC, eapolKey(0x010a, 1, 0x22, true, rsnIE)),
		pae(macC, apMAC, eapolKey(0x13ca, 2, 0x11, true, seqBytes(56, 0x80))),
		pae(apMAC, macC, eapolKey(0x030a, 2, 0, true, nil)),
		pae(macC, apMAC, eapol(1, 0, eap(4, 3, -1, nil))),
		pae(paeGroup, macC, eapol(1, 2, nil)),
	))
	out["lacp.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		eth(slowGroup, swMAC, 0x8809, lacp(0x3d, 0x3d, swMAC2)),
		eth(slowGroup, swMAC2, 0x8809, lacp(0x47, 0x02, make([]byte, 6))),
		eth(slowGroup, swMAC, 0x8809, cat([]byte{2, 1, 1, 16}, u16(25), swMAC, be32(7), u16(0), []byte{0, 0}, make([]byte, 90))),
	))
}

// --- IPsec, ISAKMP ---

func ikeHeader(ispi, rspi uint64, np, ver, xchg, flags uint8, mid uint32, payloads []byte) []byte {
	h := make([]byte, 28)
	be.PutUint64(h, ispi)
	be.PutUint64(h[8:], rspi)
	h[16], h[17], h[18], h[19] = np, ver, xchg, flags
	be.PutUint32(h[20:], mid)
	be.PutUint32(h[24:], uint32(28+len(payloads)))
	return cat(h, payloads)
}

func ikePayload(next uint8, body []byte) []byte { return cat([]byte{next, 0}, u16(4+len(body)), body) }

func buildIPsec(out map[string][]byte) {
	const c, s = "192.0.2.1", "198.51.100.7"
	esp := func(spi, seq uint32, n int) []byte { return cat(be32(spi), be32(seq), seqBytes(n, 0x31)) }
	ping := icmp(8, 0, echoBody(0x77, 1, "abcdefgh"))
	ah := cat([]byte{1, 4, 0, 0}, be32(0x1000), be32(1), seqBytes(12, 0xa1), ping)
	ah6 := cat([]byte{58, 4, 0, 0}, be32(0x2000), be32(9), seqBytes(12, 0xb1), icmp6("2001:db8::1", "2001:db8::2", 128, 0, echoBody(1, 1, "ah")))
	w := func(src, dst string, proto uint8, p []byte) []byte { return ethIP4(ip4(src, dst, proto, p)) }
	ike := func(sp, dp uint16, p []byte) []byte { return w(c, s, 17, udp(c, s, sp, dp, p)) }
	ikeR := func(sp, dp uint16, p []byte) []byte {
		return eth(macA, macB, 0x0800, ip4(s, c, 17, udp(s, c, sp, dp, p)))
	}
	sa := ikePayload(34, seqBytes(40, 0x01))
	ke := ikePayload(40, cat(u16(19), u16(0), seqBytes(32, 0x40)))
	nonce := ikePayload(0, seqBytes(32, 0x70))
	initReq := ikeHeader(0x1122334455667788, 0, 33, 0x20, 34, 0x08, 0, cat(sa, ke, nonce))
	initResp := ikeHeader(0x1122334455667788, 0x99aabbccddeeff00, 33, 0x20, 34, 0x20, 0, cat(sa, ke, nonce))
	authReq := ikeHeader(0x1122334455667788, 0x99aabbccddeeff00, 46, 0x20, 35, 0x08, 1, ikePayload(35, seqBytes(80, 0x90)))
	info := ikeHeader(0x1122334455667788, 0x99aabbccddeeff00, 46, 0x20, 37, 0x20, 2, ikePayload(0, seqBytes(48, 0x90)))
	mm := ikeHeader(0x0102030405060708, 0, 1, 0x10, 2, 0, 0, ikePayload(13, cat(be32(1), be32(1), seqBytes(40, 0x03))))
	mm = cat(mm[:len(mm)], ikePayload(0, seqBytes(16, 0x4a)))
	be.PutUint32(mm[24:], uint32(len(mm)))
	qm := ikeHeader(0x0102030405060708, 0x1112131415161718, 8, 0x10, 32, 1, 0xdeadbeef, seqBytes(52, 0x21))
	out["ipsec.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		ike(500, 500, initReq),
		ikeR(500, 500, initResp),
		ike(4500, 4500, cat(be32(0), authReq)),
		ikeR(4500, 4500, cat(be32(0), info)),
		ike(500, 500, mm),
		ike(500, 500, qm),
		ike(4500, 4500, []byte{0xff}),
		ike(4500, 4500, esp(0xc0ffee01, 1, 64)),
		w(c, s, 50, esp(0x0000f00d, 7, 72)),
		eth(macA, macB, 0x0800, ip4(s, c, 50, esp(0x8a1b2c3d, 0x100, 56))),
		w(c, s, 51, ah),
		eth(macB, macA, 0x86dd, ip6("2001:db8::1", "2001:db8::2", 51, ah6)),
	))
}

// --- L2TP, STUN ---

func l2tpCtl(tunnel, session, ns, nr uint16, avps ...[]byte) []byte {
	b := cat(u16(0xc802), u16(0), u16(int(tunnel)), u16(int(session)), u16(int(ns)), u16(int(nr)), cat(avps...))
	put16(b, 2, uint16(len(b)))
	return b
}

func l2tpAVP(typ uint16, v []byte) []byte {
	return cat(u16(0x8000|(6+len(v))), u16(0), u16(int(typ)), v)
}

func stunMsg(typ uint16, tid byte, attrs ...[]byte) []byte {
	a := cat(attrs...)
	return cat(u16(int(typ)), u16(len(a)), be32(0x2112a442), seqBytes(12, tid), a)
}

func stunAttr(t uint16, v []byte) []byte {
	b := cat(u16(int(t)), u16(len(v)), v)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func xorAddr(a string, port uint16) []byte {
	ip := addrBytes(addr(a))
	x := []byte{0x21, 0x12, 0xa4, 0x42}
	out := []byte{0, 1, byte(port>>8) ^ 0x21, byte(port) ^ 0x12}
	for i := range ip {
		out = append(out, ip[i]^x[i])
	}
	return out
}

func buildTunnelCtl(out map[string][]byte) {
	const c, s = "192.0.2.1", "198.51.100.7"
	u := func(sp, dp uint16, p []byte) []byte { return ethIP4(ip4(c, s, 17, udp(c, s, sp, dp, p))) }
	r := func(sp, dp uint16, p []byte) []byte {
		return eth(macA, macB, 0x0800, ip4(s, c, 17, udp(s, c, sp, dp, p)))
	}
	mt := func(t uint16) []byte { return l2tpAVP(0, u16(int(t))) }
	sccrq := l2tpCtl(0, 0, 0, 0, mt(1), l2tpAVP(2, u16(0x100)), l2tpAVP(7, []byte("lac.wirelens.test")), l2tpAVP(9, u16(4711)))
	sccrp := l2tpCtl(4711, 0, 0, 1, mt(2), l2tpAVP(2, u16(0x100)), l2tpAVP(7, []byte("lns")), l2tpAVP(9, u16(99)))
	zlb := l2tpCtl(99, 0, 1, 1)
	icrq := l2tpCtl(99, 0, 1, 1, mt(10), l2tpAVP(14, u16(5)))
	hello := l2tpCtl(99, 0, 2, 2, mt(6))
	lcp := []byte{0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 8, 1, 4, 0x05, 0xd4}
	data := cat(u16(0x0002), u16(4711), u16(7), lcp)
	datal := cat(u16(0x4002), u16(0), u16(4711), u16(7), lcp)
	put16(datal, 2, uint16(len(datal)))
	out["l2tp.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		u(1701, 1701, sccrq),
		r(1701, 1701, sccrp),
		u(1701, 1701, zlb),
		u(1701, 1701, icrq),
		r(1701, 1701, hello),
		u(1701, 1701, data),
		r(1701, 1701, datal),
	))
	soft := stunAttr(0x8022, []byte("wirelens"))
	out["stun.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		u(40000, 3478, stunMsg(0x0001, 0x10)),
		r(3478, 40000, stunMsg(0x0101, 0x10, stunAttr(0x0020, xorAddr("203.0.113.9", 61000)), soft)),
		u(40002, 3478, stunMsg(0x0001, 0x20, stunAttr(0x0006, []byte("alice:bob")), soft)),
		r(3478, 40002, stunMsg(0x0111, 0x20, stunAttr(0x0009, cat([]byte{0, 0, 4, 1}, []byte("Unauthorized"))))),
		r(3478, 40000, stunMsg(0x0101, 0x30, stunAttr(0x0001, cat([]byte{0, 1}, u16(61000), addrBytes(addr("203.0.113.9")))))),
		u(40000, 3478, stunMsg(0x0011, 0x40)),
	))
}

// --- Telnet, Modbus/TCP ---

func mbap(tid uint16, unit uint8, pdu []byte) []byte {
	return cat(u16(int(tid)), u16(0), u16(1+len(pdu)), []byte{unit}, pdu)
}

func buildTelnetModbus(out map[string][]byte) {
	iac := []byte{0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27}
	out["telnet-long.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40023, 23,
		downB(iac),
		upB([]byte{0xff, 0xfb, 0x18, 0xff, 0xfb, 0x20}),
		downB([]byte{0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0}),
		upB([]byte{0xff, 0xfa, 0x18, 0x00, 'X', 'T', 'E', 'R', 'M', 0xff, 0xf0}),
		down("Debian GNU/Linux 12\r\nlogin: "),
		up("r"),
		up("oot\r\n"),
		down("Password: "),
		down("\r\nLast login: Mon Jun  1 10:00:00 2026\r\n$ "),
	)...))
	out["modbus.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40502, 502,
		upB(mbap(1, 1, []byte{3, 0, 0, 0, 2})),
		downB(mbap(1, 1, []byte{3, 4, 0, 0x2a, 0x01, 0x00})),
		upB(mbap(2, 1, []byte{6, 0, 5, 0x12, 0x34})),
		downB(mbap(2, 1, []byte{6, 0, 5, 0x12, 0x34})),
		upB(mbap(3, 17, []byte{1, 0, 0x13, 0, 0x0a})),
		downB(mbap(3, 17, []byte{1, 2, 0xcd, 0x01})),
		upB(mbap(4, 1, []byte{4, 0, 8, 0, 1}), mbap(5, 1, []byte{2, 0, 0, 0, 8})),
		downB(mbap(4, 1, []byte{0x84, 2})),
		upB(mbap(6, 255, []byte{16, 0, 1, 0, 2, 4, 0, 10, 1, 2})),
		downB(mbap(6, 255, []byte{16, 0, 1, 0, 2})),
	)...))
}

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
