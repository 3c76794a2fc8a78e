package main

// Overlay encapsulations: VXLAN, VXLAN-GPE, Geneve, GRE with key, sequence
// and checksum, transparent Ethernet bridging, PPTP's enhanced GRE, ERSPAN
// types I, II and III, and MPLS label stacks over Ethernet, UDP and GRE.
// Where a tunnel checksums its payload, one frame carries what Linux's
// local checksum offload (LCO) leaves before the device: the inner TCP
// checksum holds the partial pseudo-header sum, and the outer checksum was
// computed as if the inner one were already filled in.

const (
	ulA  = "198.51.100.1" // underlay
	ulB  = "198.51.100.2"
	ul6A = "2001:db8:ff::1"
	ul6B = "2001:db8:ff::2"
	ovA  = "10.200.0.1" // overlay
	ovB  = "10.200.0.2"
)

var (
	macVA = []byte{0x0a, 0x58, 0x0a, 0xc8, 0x00, 0x01} // "VM" side
	macVB = []byte{0x0a, 0x58, 0x0a, 0xc8, 0x00, 0x02}
)

// overlayTCP is an inner TCP segment of the overlay, with a good checksum.
func overlayTCP(sport uint16, payload string) []byte {
	return tcp(ovA, ovB, sport, 44444, 0x1000, 0x2000, tcpPSH|tcpACK, []byte(payload))
}

func overlayIP(seg []byte) []byte { return ip4(ovA, ovB, 6, seg) }

func overlayEth(ip []byte) []byte { return eth(macVB, macVA, 0x0800, ip) }

func vxlanHdr(vni uint32) []byte {
	return []byte{0x08, 0, 0, 0, byte(vni >> 16), byte(vni >> 8), byte(vni), 0}
}

func vxlanGPEHdr(next uint8, vni uint32) []byte {
	return []byte{0x0c, 0, 0, next, byte(vni >> 16), byte(vni >> 8), byte(vni), 0}
}

// genevePkt builds a Geneve header (RFC 8926) with options (a multiple of
// 4 bytes) and flags (O 0x80, C 0x40).
func geneveHdr(flags uint8, proto uint16, vni uint32, opts []byte) []byte {
	b := []byte{byte(len(opts) / 4), flags, 0, 0, byte(vni >> 16), byte(vni >> 8), byte(vni), 0}
	put16(b, 2, proto)
	return cat(b, opts)
}

func geneveOpt(class uint16, typ uint8, data []byte) []byte {
	b := []byte{0, 0, typ, byte(len(data) / 4)}
	put16(b, 0, class)
	return cat(b, data)
}

// lcoUDP is the outer UDP datagram Linux sends with LCO: its checksum is
// the one of good (the payload with a complete inner checksum), its bytes
// those of partial (the inner checksum left as the partial sum).
func lcoUDP(src, dst string, sport, dport uint16, good, partial []byte) []byte {
	g := udp(src, dst, sport, dport, good)
	p := udp(src, dst, sport, dport, partial)
	copy(p[6:8], g[6:8])
	return p
}

// flipped returns frame with one byte at off inverted (after every
// checksum was computed): damage on the wire.
func flipped(frame []byte, off int) []byte {
	f := append([]byte{}, frame...)
	f[off] ^= 0xff
	return f
}

// greX builds a GRE header with the optional checksum, key and sequence
// number fields (RFC 2890); the checksum covers header and payload.
func greX(csumOn bool, key, seq *uint32, proto uint16, payload []byte) []byte {
	var fl uint16
	h := []byte{0, 0, 0, 0}
	if csumOn {
		fl |= 0x8000
		h = append(h, 0, 0, 0, 0)
	}
	if key != nil {
		fl |= 0x2000
		h = append(h, byte(*key>>24), byte(*key>>16), byte(*key>>8), byte(*key))
	}
	if seq != nil {
		fl |= 0x1000
		h = append(h, byte(*seq>>24), byte(*seq>>16), byte(*seq>>8), byte(*seq))
	}
	put16(h, 0, fl)
	put16(h, 2, proto)
	b := cat(h, payload)
	if csumOn {
		put16(b, 4, csum(b))
	}
	return b
}

func u32(v uint32) *uint32 { return &v }

// mplsStack encodes labels, the last with the bottom-of-stack bit.
func mplsStack(labels ...uint32) []byte {
	var b []byte
	for i, l := range labels {
		w := l<<12 | 5<<9 | 64 // EXP 5, TTL 64
		if i == len(labels)-1 {
			w |= 1 << 8
		}
		b = append(b, byte(w>>24), byte(w>>16), byte(w>>8), byte(w))
	}
	return b
}

func buildTunnels(out map[string][]byte) {
	pcap := func(name string, lt uint32, data ...[]byte) {
		out[name] = pcapFile(lt, pcapOpts{}, frames(data...))
	}
	// Each frame's inner segment has its own source port, so that none
	// looks like a retransmission of another.
	seg := func(sport uint16) []byte { return overlayTCP(sport, "overlay payload 0123456789") }
	inner := func(sport uint16) []byte { return overlayEth(overlayIP(seg(sport))) }
	innerPartial := func(sport uint16) []byte { return overlayEth(overlayIP(partialTCP(ovA, ovB, seg(sport)))) }
	innerUDP := overlayEth(ip4(ovA, ovB, 17, udp(ovA, ovB, 5000, 53, dnsQuery(0x4242, "overlay.example"))))
	vx := func(vni uint32, e []byte) []byte { return cat(vxlanHdr(vni), e) }
	under := func(u []byte) []byte { return eth(macB, macA, 0x0800, ip4(ulA, ulB, 17, u)) }

	// VXLAN (UDP 4789): good; outer checksum 0 (RFC 7348 allows it); LCO;
	// an inner byte flipped on the wire; an IPv6 underlay; ARP inside.
	good := under(udp(ulA, ulB, 51000, 4789, vx(100, inner(33001))))
	zero := under(udp(ulA, ulB, 51001, 4789, vx(100, innerUDP)))
	put16(zero, 14+20+6, 0)
	lco := under(lcoUDP(ulA, ulB, 51000, 4789, vx(100, inner(33002)), vx(100, innerPartial(33002))))
	bad := under(udp(ulA, ulB, 51000, 4789, vx(100, inner(33003))))
	v6 := eth(macB, macA, 0x86dd, ip6(ul6A, ul6B, 17, udp(ul6A, ul6B, 51002, 4789,
		vx(0xabcdef, overlayEth(ip4(ovA, ovB, 1, icmp(8, 0, echoBody(0x77, 1, "overlay ping"))))))))
	arpIn := eth(bcast, macVA, 0x0806, arp(1, macVA, ovA, make([]byte, 6), ovB))
	pcap("vxlan.pcap", ltEthernet,
		good, zero, lco,
		flipped(bad, len(bad)-3),
		v6,
		under(udp(ulA, ulB, 51003, 4789, vx(7, arpIn))))
	// Linux's default VXLAN port: data to tshark, VXLAN with -d udp.port==8472,vxlan.
	pcap("vxlan-8472.pcap", ltEthernet,
		under(udp(ulA, ulB, 51000, 8472, vx(1, inner(33010)))),
		under(lcoUDP(ulA, ulB, 51000, 8472, vx(1, inner(33011)), vx(1, innerPartial(33011)))))

	// VXLAN-GPE (UDP 4790): next protocol IPv4, IPv6, Ethernet.
	pcap("vxlan-gpe.pcap", ltEthernet,
		under(udp(ulA, ulB, 52000, 4790, cat(vxlanGPEHdr(1, 10), overlayIP(seg(33020))))),
		under(udp(ulA, ulB, 52000, 4790, cat(vxlanGPEHdr(2, 11), ip6(v6a, v6b, 17, udp(v6a, v6b, 40007, 40009, []byte("gpe six")))))),
		under(udp(ulA, ulB, 52000, 4790, cat(vxlanGPEHdr(3, 12), inner(33021)))))

	// Geneve (UDP 6081): options, IPv4 payload, LCO, OAM and critical flags.
	opts := cat(geneveOpt(0x0102, 0x80, []byte{1, 2, 3, 4}), geneveOpt(0xffff, 0x05, nil))
	gv := func(flags uint8, proto uint16, o, p []byte) []byte {
		return cat(geneveHdr(flags, proto, 0x123456, o), p)
	}
	pcap("geneve.pcap", ltEthernet,
		under(udp(ulA, ulB, 53000, 6081, gv(0, 0x6558, opts, inner(33030)))),
		under(udp(ulA, ulB, 53001, 6081, gv(0, 0x0800, nil, overlayIP(seg(33031))))),
		under(lcoUDP(ulA, ulB, 53002, 6081, gv(0, 0x6558, nil, inner(33032)), gv(0, 0x6558, nil, innerPartial(33032)))),
		under(udp(ulA, ulB, 53003, 6081, gv(0xc0, 0x6558, opts, innerUDP))))

	// Geneve options of Google's class 0x0132 that Wireshark decodes:
	// virtual network ID (28 bits, direction, reserved), endpoint ID and
	// profile ID; a Google option of a type it does not know; option flags
	// with the reserved bits set.
	gcp := cat(geneveOpt(0x0132, 0x01, []byte{0x00, 0x12, 0x34, 0x51}),
		geneveOpt(0x0132, 0x02, []byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4}),
		geneveOpt(0x0132, 0x03, []byte{0, 0, 0, 0, 0, 0, 0x30, 0x39}),
		geneveOpt(0x0132, 0x09, []byte{9, 9, 9, 9}))
	rsvd := geneveOpt(0x0132, 0x81, []byte{0x0f, 0xff, 0xff, 0xfe})
	rsvd[3] |= 0xa0
	pcap("geneve-options.pcap", ltEthernet,
		under(udp(ulA, ulB, 53010, 6081, gv(0, 0x6558, gcp, inner(33035)))),
		under(udp(ulA, ulB, 53011, 6081, gv(0x40, 0x0800, rsvd, overlayIP(seg(33036))))))

	// GRE: key, sequence and checksum; the checksum with LCO; transparent
	// Ethernet bridging; PPTP (version 1) carrying PPP; MPLS.
	greUnder := func(g []byte) []byte { return eth(macB, macA, 0x0800, ip4(ulA, ulB, 47, g)) }
	greLCO := greX(true, u32(42), u32(2), 0x0800, overlayIP(partialTCP(ovA, ovB, seg(33041))))
	copy(greLCO[4:6], greX(true, u32(42), u32(2), 0x0800, overlayIP(seg(33041)))[4:6])
	pptp := []byte{0x30, 0x01, 0x88, 0x0b, 0, 0, 0, 0, 0, 0, 0, 9} // K, S, version 1; payload length, call ID, sequence
	ppp := cat([]byte{0xff, 0x03, 0x00, 0x21}, overlayIP(seg(33043)))
	put16(pptp, 4, uint16(len(ppp)))
	put16(pptp, 6, 0x4000)
	pcap("gre-tunnels.pcap", ltEthernet,
		greUnder(greX(true, u32(42), u32(1), 0x0800, overlayIP(seg(33040)))),
		greUnder(greLCO),
		greUnder(greX(false, u32(0x01020304), nil, 0x6558, innerUDP)),
		greUnder(cat(pptp, ppp)),
		greUnder(greX(false, nil, nil, 0x8847, cat(mplsStack(1000), overlayIP(seg(33044))))))

	// ERSPAN: type I (no sequence number, no header), type II, type III
	// with its platform subheader.
	mirrored := innerUDP
	erspan2 := []byte{0x10, 0x0a, 0x40, 0x05, 0x00, 0x00, 0x00, 0x07}                         // ver 1, VLAN 10, COS 2, session 5, index 7
	erspan3 := []byte{0x20, 0x0a, 0x40, 0x06, 0x00, 0x01, 0x02, 0x03, 0x00, 0x64, 0x00, 0x11, // ver 2, VLAN 10, session 6, timestamp, SGT 100, hw 0, gra 0, O
		0x04, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01} // platform ID 1: VSM domain 12, port 1
	pcap("erspan.pcap", ltEthernet,
		greUnder(greX(false, nil, nil, 0x88be, mirrored)),
		greUnder(greX(false, nil, u32(3), 0x88be, cat(erspan2, mirrored))),
		greUnder(greX(false, nil, u32(4), 0x22eb, cat(erspan3, mirrored))))

	// MPLS: label stacks over Ethernet (unicast and multicast), the
	// payload guessed from its first nibble; over UDP (6635) and GRE.
	pwFrame := eth([]byte{0xa2, 0, 0, 0, 0, 2}, []byte{0xa2, 0, 0, 0, 0, 1}, 0x0800, ip4(ovA, ovB, 17, udp(ovA, ovB, 40007, 40009, []byte("pseudowire"))))
	pcap("mpls.pcap", ltEthernet,
		eth(macB, macA, 0x8847, cat(mplsStack(100, 200), ip4(ovA, ovB, 17, udp(ovA, ovB, 40007, 40009, []byte("two labels"))))),
		eth(macB, macA, 0x8847, cat(mplsStack(300), ip6(v6a, v6b, 17, udp(v6a, v6b, 40007, 40009, []byte("six"))))),
		eth(macB, macA, 0x8848, cat(mplsStack(400), ip4(ovA, ovB, 17, udp(ovA, ovB, 40007, 40009, []byte("multicast"))))),
		eth(macB, macA, 0x8847, cat(mplsStack(16, 500), []byte{0, 0, 0, 0}, innerUDP)),
		eth(macB, macA, 0x8847, cat(mplsStack(600), pwFrame)),
		under(udp(ulA, ulB, 54000, 6635, cat(mplsStack(700), overlayIP(seg(33050))))),
		greUnder(greX(false, nil, nil, 0x8847, cat(mplsStack(800, 801, 802), ip6(v6a, v6b, 17, udp(v6a, v6b, 40007, 40009, []byte("gre mpls six")))))),
		// Reserved labels by name; the GAL puts a Generic Associated
		// Channel header (here an unassigned channel type) before its message.
		eth(macB, macA, 0x8847, cat(mplsStack(0), ip4(ovA, ovB, 17, udp(ovA, ovB, 40007, 40009, []byte("explicit null"))))),
		eth(macB, macA, 0x8847, cat(mplsStack(1, 7, 16, 13), []byte{0x10, 0, 0x7f, 0xf0}, []byte("channel message"))))

	// Ethernet pseudowires without a control word whose destination MAC
	// starts with a 0 nibble, as Wireshark's pwethheuristic tells them from
	// a control word: both MACs of known manufacturers (00:1b:21 Intel,
	// 00:50:56 VMware) and a known EtherType read as Ethernet; one unknown
	// MAC (a locally administered 02:...) or an unknown EtherType, as a
	// control word.
	intel, vmware := []byte{0x00, 0x1b, 0x21, 1, 2, 3}, []byte{0x00, 0x50, 0x56, 4, 5, 6}
	local := []byte{0x02, 0, 0, 0, 0, 9}
	pwIP := ip4(ovA, ovB, 17, udp(ovA, ovB, 40007, 40009, []byte("no control word")))
	pcap("mpls-pw.pcap", ltEthernet,
		eth(macB, macA, 0x8847, cat(mplsStack(900), eth(intel, vmware, 0x0800, pwIP))),
		eth(macB, macA, 0x8847, cat(mplsStack(901), eth(intel, local, 0x0800, pwIP))),
		eth(macB, macA, 0x8847, cat(mplsStack(902), eth(local, vmware, 0x0800, pwIP))),
		eth(macB, macA, 0x8847, cat(mplsStack(903), eth(intel, vmware, 0x88b5, []byte("local experimental ethertype")))),
		eth(macB, macA, 0x8847, cat(mplsStack(904), []byte{0, 0, 0, 7}, eth(intel, vmware, 0x0800, pwIP))))
}
