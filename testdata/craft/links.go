package main

// Captures for IPv6 routing headers and the link types wirelens reads beyond
// Ethernet, SLL and raw IP.

// rh0 is a type 0 routing header (RFC 2460, deprecated by RFC 5095) listing
// addrs, segleft of them still to visit.
func rh0(nh uint8, segleft uint8, addrs ...string) []byte {
	b := []byte{nh, uint8(2 * len(addrs)), 0, segleft, 0, 0, 0, 0}
	for _, a := range addrs {
		b = append(b, addrBytes(addr(a))...)
	}
	return b
}

// srh is a segment routing header (RFC 8754, type 4). segs is the segment
// list in wire order: segs[0] is the final destination.
func srh(nh uint8, segleft uint8, segs ...string) []byte {
	b := []byte{nh, uint8(2 * len(segs)), 4, segleft, uint8(len(segs) - 1), 0, 0, 0}
	for _, a := range segs {
		b = append(b, addrBytes(addr(a))...)
	}
	return b
}

// rpl is an RPL source route header (RFC 6554, type 3): addrs after the
// first cmprI bytes (the last after cmprE), which the IPv6 destination
// supplies, then pad zero bytes to a multiple of 8. word overrides the
// CmprI/CmprE/Pad/Reserved word when not 0 (for the malformed cases).
func rpl(nh, segleft, cmprI, cmprE, pad uint8, word uint32, addrs ...string) []byte {
	var body []byte
	for i, a := range addrs {
		skip := cmprI
		if i == len(addrs)-1 {
			skip = cmprE
		}
		body = append(body, addrBytes(addr(a))[skip:]...)
	}
	body = append(body, make([]byte, pad)...)
	w := uint32(cmprI)<<28 | uint32(cmprE)<<24 | uint32(pad)<<20
	if word != 0 {
		w = word
	}
	b := []byte{nh, uint8((8+len(body))/8 - 1), 3, segleft, byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w)}
	return append(b, body...)
}

// ip6ext builds an IPv6 packet with extension headers ext (first next header
// nh) before the payload.
func ip6ext(src, dst string, nh uint8, ext, payload []byte) []byte {
	return ip6(src, dst, nh, cat(ext, payload))
}

func buildRouting(out map[string][]byte) {
	pcap := func(name string, lt uint32, data ...[]byte) {
		out[name] = pcapFile(lt, pcapOpts{}, frames(data...))
	}
	const (
		hop1 = "2001:db8:1::1"
		hop2 = "2001:db8:2::1"
		fin  = "2001:db8::99"
	)
	udpTo := func(dst, payload string) []byte { return udp(v6a, dst, 40100, 9, []byte(payload)) }
	tcpTo := func(dst string) []byte { return tcp(v6a, dst, 40101, 80, 7, 0, tcpSYN, nil) }
	pcap("ipv6-routing-header.pcap", ltEthernet,
		// RH0 on its way to hop1, with hop2 and fin still to visit: the
		// transport checksum is over the final destination.
		ethIP6(ip6ext(v6a, hop1, 43, rh0(17, 2, hop2, fin), udpTo(fin, "rh0 final destination"))),
		// The same computed over the header's destination: bad.
		ethIP6(ip6ext(v6a, hop1, 43, rh0(17, 2, hop2, fin), udpTo(hop1, "rh0 header destination"))),
		ethIP6(ip6ext(v6a, hop1, 43, rh0(6, 2, hop2, fin), tcpTo(fin))),
		ethIP6(ip6ext(v6a, hop1, 43, rh0(6, 2, hop2, fin), tcpTo(hop1))),
		// Segments left 0: the header's destination is the final one.
		ethIP6(ip6ext(v6a, fin, 43, rh0(17, 0, hop1, hop2), udpTo(fin, "rh0 arrived"))),
		// SRH: segment list [fin, hop2], at hop1 with segleft 1; final is segs[0].
		ethIP6(ip6ext(v6a, hop2, 43, srh(17, 1, fin, hop2), udpTo(fin, "srh final destination"))),
		ethIP6(ip6ext(v6a, hop2, 43, srh(17, 1, fin, hop2), udpTo(hop2, "srh header destination"))),
		ethIP6(ip6ext(v6a, hop2, 43, srh(6, 1, fin, hop2), tcpTo(fin))),
		ethIP6(ip6ext(v6a, hop2, 43, srh(6, 1, fin, hop2), tcpTo(hop2))),
		// Hop-by-hop options before the routing header.
		ethIP6(ip6ext(v6a, hop1, 0, cat([]byte{43, 0, 1, 4, 0, 0, 0, 0}, srh(17, 1, fin, hop1)), udpTo(fin, "hbh then srh"))),
		// Checksum offload: the field holds the partial pseudo-header sum,
		// which Linux computes over the final destination too.
		ethIP6(ip6ext(v6a, hop2, 43, srh(6, 1, fin, hop2), partialTCP(v6a, fin, tcpTo(fin)))),
		ethIP6(ip6ext(v6a, hop2, 43, srh(6, 1, fin, hop2), partialTCP(v6a, hop2, tcpTo(fin)))),
	)

	// RPL source routes (RFC 6554): the final destination is the last
	// address, its elided first CmprE bytes taken from the IPv6
	// destination; the transport checksum is over it.
	const (
		rhop = "2001:db8::1"
		rmid = "2001:db8::2"
		rfin = "2001:db8::99"
	)
	pcap("ipv6-routing-rpl.pcap", ltEthernet,
		// Full addresses (CmprI = CmprE = 0): 32 bytes, no padding.
		ethIP6(ip6ext(v6a, hop1, 43, rpl(17, 2, 0, 0, 0, 0, hop2, fin), udpTo(fin, "rpl final destination"))),
		ethIP6(ip6ext(v6a, hop1, 43, rpl(17, 2, 0, 0, 0, 0, hop2, fin), udpTo(hop1, "rpl header destination"))),
		// Eight bytes of each address elided: 8 + 8 = 16 bytes, no padding.
		ethIP6(ip6ext(v6a, rhop, 43, rpl(6, 2, 8, 8, 0, 0, rmid, rfin), tcpTo(rfin))),
		ethIP6(ip6ext(v6a, rhop, 43, rpl(6, 2, 8, 8, 0, 0, rmid, rfin), tcpTo(rhop))),
		// CmprI 8, CmprE 15 (one byte of the last address), 7 of padding:
		// 8 + 8 + 1 + 7 = 24 bytes; the last address is the destination's
		// first 15 bytes and 0x99. Checksummed over another address: bad.
		ethIP6(ip6ext(v6a, rhop, 43, rpl(17, 1, 8, 15, 7, 0, "2001:db8::7", rfin), udp(v6a, "2001:db8::1:0:0:99", 40100, 9, []byte("rpl cmprE 15")))),
		ethIP6(ip6ext(v6a, rhop, 43, rpl(17, 1, 8, 15, 7, 0, "2001:db8::7", rfin), udpTo(rfin, "rpl cmprE 15, other final"))),
		// Segments left 0: the header's destination is the final one.
		ethIP6(ip6ext(v6a, rfin, 43, rpl(17, 0, 0, 0, 0, 0, rmid, rhop), udpTo(rfin, "rpl arrived"))),
		// Segments left past the address count, a reserved field not 0,
		// and padding with nothing compressed: tshark's warnings.
		ethIP6(ip6ext(v6a, hop1, 43, rpl(17, 5, 0, 0, 0, 0, hop2, fin), udpTo(fin, "rpl segleft 5"))),
		ethIP6(ip6ext(v6a, hop1, 43, rpl(17, 2, 0, 0, 0, 0x00000005, hop2, fin), udpTo(fin, "rpl reserved 5"))),
		ethIP6(ip6ext(v6a, hop1, 43, rpl(17, 1, 0, 0, 0, 0x00800000, hop2, fin), udpTo(fin, "rpl pad 8"))),
	)

	// Edge cases: segments left 0 (the header's destination is final
	// whatever the list says), type 2 (Mobile IPv6 home address), segments
	// left larger than the list (tshark warns and still uses the list).
	t2 := []byte{17, 2, 2, 1, 0, 0, 0, 0}
	t2 = append(t2, addrBytes(addr(fin))...)
	pcap("ipv6-routing-edge.pcap", ltEthernet,
		ethIP6(ip6ext(v6a, fin, 43, rh0(17, 0, hop1, hop2), udpTo(hop2, "a"))),
		ethIP6(ip6ext(v6a, fin, 43, rh0(17, 0, hop1, hop2), udpTo(fin, "b"))),
		ethIP6(ip6ext(v6a, hop1, 43, t2, udpTo(fin, "c"))),
		ethIP6(ip6ext(v6a, hop1, 43, t2, udpTo(hop1, "d"))),
		ethIP6(ip6ext(v6a, fin, 43, srh(17, 0, hop2, hop1), udpTo(hop2, "e"))),
		ethIP6(ip6ext(v6a, fin, 43, srh(17, 0, hop2, hop1), udpTo(fin, "f"))),
		ethIP6(ip6ext(v6a, hop1, 43, rh0(17, 5, hop2, fin), udpTo(fin, "g"))),
		ethIP6(ip6ext(v6a, hop1, 43, rh0(17, 5, hop2, fin), udpTo(hop1, "h"))),
		ethIP6(ip6ext(v6a, hop1, 43, srh(17, 5, fin, hop2), udpTo(fin, "i"))),
		ethIP6(ip6ext(v6a, hop1, 43, srh(17, 5, fin, hop2), udpTo(hop1, "j"))),
	)
}

// partialTCP puts into seg's checksum field what Linux leaves there for a
// device that offloads it: the folded pseudo-header sum, uncomplemented.
func partialTCP(src, dst string, seg []byte) []byte {
	s := append([]byte{}, seg...)
	put16(s, 16, fold(sum(pseudo(addr(src), addr(dst), 6, len(s)))))
	return s
}

// Link types (https://www.tcpdump.org/linktypes.html) beyond write.go's.
const (
	ltPPP      = 9
	ltPPPHDLC  = 50
	ltCHDLC    = 104
	ltDot11    = 105
	ltFR       = 107
	ltRadiotap = 127
	ltNFLOG    = 239
)

// nflogTLV is one NFLOG attribute: length and type little-endian (host
// order on the capturing machine), padded to 4 bytes.
func nflogTLV(typ uint16, v []byte) []byte {
	b := make([]byte, 4, 4+len(v)+3)
	le.PutUint16(b, uint16(4+len(v)))
	le.PutUint16(b[2:], typ)
	b = append(b, v...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func nflog(family uint8, resID uint16, hwProto uint16, hook uint8, prefix string, payload []byte) []byte {
	b := []byte{family, 0, 0, 0}
	put16(b, 2, resID)
	hdr := []byte{0, 0, hook, 0}
	put16(hdr, 0, hwProto)
	b = append(b, nflogTLV(1, hdr)...)
	b = append(b, nflogTLV(10, append([]byte(prefix), 0))...)
	b = append(b, nflogTLV(9, payload)...)
	return b
}

// dot11Data is an 802.11 data frame from a station to the AP (To DS) with
// an LLC/SNAP header announcing etype.
func dot11Data(etype uint16, payload []byte) []byte {
	h := []byte{0x08, 0x01, 0x2c, 0x00}   // data, To DS, duration 44
	h = append(h, 0x02, 0, 0, 0, 0, 0x01) // addr1: BSSID
	h = append(h, macA...)                // addr2: source
	h = append(h, macB...)                // addr3: destination
	h = append(h, 0x10, 0x00)             // sequence 1, fragment 0
	h = append(h, 0xaa, 0xaa, 0x03, 0, 0, 0, byte(etype>>8), byte(etype))
	return cat(h, payload)
}

// dot11Mgmt is an 802.11 management frame of subtype sub from src to dst
// in BSS bssid, sequence seq, with body.
func dot11Mgmt(sub uint8, dst, src, bssid []byte, seq uint16, body []byte) []byte {
	h := []byte{sub << 4, 0x00, 0x00, 0x00}
	h = append(h, dst...)
	h = append(h, src...)
	h = append(h, bssid...)
	h = append(h, byte(seq<<4), byte(seq>>4))
	return cat(h, body)
}

// beaconBody is a beacon's (or probe response's) fixed parameters, then
// the SSID and supported rates elements.
func beaconBody(ssid string) []byte {
	b := []byte{1, 2, 3, 4, 5, 6, 7, 8, 0x64, 0x00, 0x01, 0x04} // timestamp, interval 100 TU, capabilities ESS|short preamble
	b = append(b, 0, byte(len(ssid)))
	b = append(b, ssid...)
	return append(b, 1, 4, 0x82, 0x84, 0x8b, 0x96)
}

// radiotap is a minimal radiotap header with flags, rate and channel.
func radiotap(p []byte) []byte {
	h := []byte{0, 0, 0, 0, 0x0e, 0x00, 0x00, 0x00, // version, pad, length, present: flags|rate|channel
		0x00, 0x0c, 0x6c, 0x09, 0xa0, 0x00} // flags 0, rate 6 Mb/s, channel 2412 MHz, 2 GHz OFDM
	put16(h, 2, 0)
	le.PutUint16(h[2:], uint16(len(h)))
	return cat(h, p)
}

func buildLinks(out map[string][]byte) {
	pcap := func(name string, lt uint32, data ...[]byte) {
		out[name] = pcapFile(lt, pcapOpts{}, frames(data...))
	}
	pppFrame := func(proto uint16, p []byte) []byte { return cat([]byte{0xff, 0x03, byte(proto >> 8), byte(proto)}, p) }
	lcp := []byte{0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78} // Configure-Request MRU 1492, magic
	badTCP := ip4(v4a, v4b, 6, tcp(v4a, v4b, 40200, 80, 1, 0, tcpSYN, nil))
	put16(badTCP, 36, be.Uint16(badTCP[36:])^0x0f0f)
	pcap("ppp-9.pcap", ltPPP,
		pppFrame(0x0021, udp4(40200, 9, "ppp ipv4 udp")),
		pppFrame(0x0057, udp6(40200, 9, "ppp ipv6 udp")),
		pppFrame(0x0021, badTCP),
		pppFrame(0xc021, lcp),
		cat([]byte{0x00, 0x21}, ping4(8, 1))) // address and control compressed away
	pcap("ppp-hdlc-50.pcap", ltPPPHDLC,
		pppFrame(0x0021, ping4(8, 2)), pppFrame(0x0057, ping6(128, 2)), pppFrame(0xc021, lcp))
	chdlc := func(addr uint8, proto uint16, p []byte) []byte {
		return cat([]byte{addr, 0, byte(proto >> 8), byte(proto)}, p)
	}
	pcap("chdlc-104.pcap", ltCHDLC,
		chdlc(0x0f, 0x0800, udp4(40201, 9, "cisco hdlc unicast")),
		chdlc(0x8f, 0x86dd, udp6(40201, 9, "cisco hdlc v6 multicast address")),
		chdlc(0x0f, 0x0800, badTCP))
	fr := func(dlci uint16, nlpid uint8, p []byte) []byte {
		q := []byte{byte(dlci>>2) & 0xfc, byte(dlci<<4) | 0x01, 0x03, nlpid}
		return cat(q, p)
	}
	pcap("frelay-107.pcap", ltFR,
		fr(100, 0xcc, udp4(40202, 9, "frame relay ip")),
		fr(101, 0x8e, udp6(40202, 9, "frame relay ipv6")),
		fr(100, 0xcc, badTCP))
	pcap("nflog-239.pcap", ltNFLOG,
		nflog(2, 1, 0x0800, 1, "wirelens-in ", udp4(40203, 9, "nflog ipv4")),
		nflog(10, 1, 0x86dd, 3, "wirelens-out ", udp6(40203, 9, "nflog ipv6")),
		nflog(2, 1, 0x0800, 1, "wirelens-in ", badTCP))
	pcap("radiotap-127.pcap", ltRadiotap,
		radiotap(dot11Data(0x0800, udp4(40204, 9, "wifi ipv4"))),
		radiotap(dot11Data(0x86dd, udp6(40204, 9, "wifi ipv6"))),
		radiotap(dot11Data(0x0800, badTCP)))
	// 802.11 management and control frames: beacon, probe request and
	// response, ACK, RTS, CTS.
	ap, sta := []byte{0x02, 0, 0, 0, 0, 0x01}, macA
	bcast := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	pcap("ieee80211-mgmt.pcap", ltDot11,
		dot11Mgmt(8, bcast, ap, ap, 1, beaconBody("wirelens")),
		dot11Mgmt(4, bcast, sta, bcast, 2, []byte{0, 8, 'w', 'i', 'r', 'e', 'l', 'e', 'n', 's', 1, 2, 0x82, 0x84}),
		dot11Mgmt(5, sta, ap, ap, 3, beaconBody("wirelens")),
		cat([]byte{0xd4, 0x00, 0x00, 0x00}, sta),
		cat([]byte{0xb4, 0x00, 0x2c, 0x01}, ap, sta),
		cat([]byte{0xc4, 0x00, 0x18, 0x01}, sta))
	pcap("ieee80211-105.pcap", ltDot11,
		dot11Data(0x0800, udp4(40205, 9, "plain 802.11 ipv4")),
		dot11Data(0x0800, badTCP))
}

const (
	ltIPoIB = 242
	ltPKTAP = 258
)

// pppoe builds a PPPoE header (RFC 2516): code 0 is a session frame.
func pppoe(code uint8, session uint16, payload []byte) []byte {
	b := []byte{0x11, code, 0, 0, 0, 0}
	put16(b, 2, session)
	put16(b, 4, uint16(len(payload)))
	return cat(b, payload)
}

func pppoeTag(typ uint16, v []byte) []byte {
	b := make([]byte, 4)
	put16(b, 0, typ)
	put16(b, 2, uint16(len(v)))
	return cat(b, v)
}

// teredo is IPv6 in UDP port 3544 (RFC 4380) between an IPv4 client and relay.
func teredo(p6 []byte) []byte {
	return ip4("198.51.100.7", "203.0.113.9", 17, udp("198.51.100.7", "203.0.113.9", 40300, 3544, p6))
}

// pktap is Apple's PKTAP header (DLT_PKTAP, 258): 108 bytes, little-endian,
// naming the interface and the link type of the frame that follows.
func pktap(dlt uint32, ifname string, pid uint32, comm string, frame []byte) []byte {
	h := make([]byte, 108)
	le.PutUint32(h[0:], 108) // header length
	le.PutUint32(h[4:], 1)   // record type: packet
	le.PutUint32(h[8:], dlt)
	copy(h[12:36], ifname)
	le.PutUint32(h[36:], 0) // flags
	le.PutUint32(h[40:], 0) // protocol family
	le.PutUint32(h[44:], 0) // llhdrlen
	le.PutUint32(h[48:], 0) // lltrlrlen
	le.PutUint32(h[52:], pid)
	copy(h[56:76], comm)
	le.PutUint32(h[76:], 0)          // service class
	le.PutUint16(h[80:], 0)          // iftype
	le.PutUint16(h[82:], 0)          // ifunit
	le.PutUint32(h[84:], 0xffffffff) // effective pid
	return cat(h, frame)
}

func buildLinks2(out map[string][]byte) {
	pcap := func(name string, lt uint32, data ...[]byte) {
		out[name] = pcapFile(lt, pcapOpts{}, frames(data...))
	}
	badTCP := ip4(v4a, v4b, 6, tcp(v4a, v4b, 40200, 80, 1, 0, tcpSYN, nil))
	put16(badTCP, 36, be.Uint16(badTCP[36:])^0x0f0f)
	padi := pppoe(0x09, 0, cat(pppoeTag(0x0101, nil), pppoeTag(0x0103, []byte{0xde, 0xad, 0xbe, 0xef})))
	pado := pppoe(0x07, 0, cat(pppoeTag(0x0102, []byte("wirelens-ac")), pppoeTag(0x0101, nil), pppoeTag(0x0103, []byte{0xde, 0xad, 0xbe, 0xef})))
	pcap("pppoe.pcap", ltEthernet,
		eth(bcast, macA, 0x8863, padi),
		eth(macA, macB, 0x8863, pado),
		eth(macB, macA, 0x8864, pppoe(0, 0x1234, cat([]byte{0x00, 0x21}, udp4(40301, 9, "pppoe session ipv4")))),
		eth(macB, macA, 0x8864, pppoe(0, 0x1234, cat([]byte{0x00, 0x57}, udp6(40301, 9, "pppoe session ipv6")))),
		eth(macB, macA, 0x8864, pppoe(0, 0x1234, cat([]byte{0x00, 0x21}, badTCP))))
	pcap("teredo.pcap", ltEthernet,
		ethIP4(teredo(udp6(40302, 9, "teredo ipv6 udp"))),
		ethIP4(teredo(ip6(v6a, v6b, 6, tcp(v6a, v6b, 40302, 443, 1, 0, tcpSYN, nil)))),
		ethIP4(teredo(func() []byte {
			p := udp6(40302, 9, "teredo bad inner udp")
			p[len(p)-1] ^= 0x20
			return p
		}())))
	vntag := func(dst, src []byte, etype uint16, p []byte) []byte {
		b := cat(dst, src, []byte{0x89, 0x26, 0x80, 0x05, 0x00, 0x07, byte(etype >> 8), byte(etype)}, p)
		for len(b) < 60 {
			b = append(b, 0)
		}
		return b
	}
	pcap("vntag.pcap", ltEthernet,
		vntag(macB, macA, 0x0800, udp4(40303, 9, "vn-tag ipv4")),
		vntag(macB, macA, 0x86dd, udp6(40303, 9, "vn-tag ipv6")),
		vntag(macB, macA, 0x0800, badTCP))
	// IP in IP (4), IPv6 in IPv4 (6in4, 41), IPv4 in IPv6 (4in6, 4).
	pcap("ip-in-ip.pcap", ltEthernet,
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 4, udp4(40304, 9, "ipip"))),
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 41, udp6(40304, 9, "6in4"))),
		ethIP6(ip6("2001:db8:ff::1", "2001:db8:ff::2", 4, udp4(40304, 9, "4in6"))),
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 4, badTCP)))
	// IPoIB as Wireshark reads link type 242: a 40-byte InfiniBand global
	// route header (version, traffic class, flow label, source QP, source
	// and destination GIDs), then the RFC 4391 type and reserved words.
	ipoib := func(etype uint16, p []byte) []byte {
		grh := cat([]byte{0x60, 0, 0, 0, 0, 0, 0, 0x48}, addrBytes(addr("fe80::2:c903:1:a")), addrBytes(addr("fe80::2:c903:1:b")))
		return cat(grh, []byte{byte(etype >> 8), byte(etype), 0, 0}, p)
	}
	pcap("ipoib-242.pcap", ltIPoIB,
		ipoib(0x0800, udp4(40305, 9, "ip over infiniband")),
		ipoib(0x86dd, udp6(40305, 9, "ipv6 over infiniband")),
		ipoib(0x0800, badTCP))
	pcap("pktap-258.pcap", ltPKTAP,
		pktap(1, "en0", 4242, "curl", ethIP4(udp4(40306, 9, "pktap ethernet"))),
		pktap(12, "utun3", 99, "ssh", udp6(40306, 9, "pktap raw ipv6")),
		pktap(1, "en0", 4242, "curl", ethIP4(badTCP)))
}
