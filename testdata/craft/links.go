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
