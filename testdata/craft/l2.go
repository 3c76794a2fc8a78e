package main

// Link-layer protocols switches and routers speak, byte by byte: STP and
// RSTP BPDUs and a topology change notification (802.3 + LLC), CDP
// (802.3 + LLC/SNAP), LLDP (EtherType 0x88cc), VRRP v2 and v3 over IPv4
// and v3 over IPv6, and a DHCPv6 exchange (Solicit, Advertise, Request,
// Reply).

var (
	stpMulticast  = []byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}
	cdpMulticast  = []byte{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}
	lldpMulticast = []byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}
	swMAC         = []byte{0x00, 0x1b, 0x54, 0xaa, 0xbb, 0x01}
	swMAC2        = []byte{0x00, 0x1b, 0x54, 0xaa, 0xbb, 0x02}
)

// dot3 is an 802.3 frame: a length instead of an EtherType.
func dot3(dst, src, llcAndPayload []byte) []byte {
	return eth(dst, src, uint16(len(llcAndPayload)), llcAndPayload)
}

func bridgeID(prio uint16, mac []byte) []byte { return cat(u16(int(prio)), mac) }

// bpdu is a configuration or RST BPDU (version 0 or 2).
func bpdu(version, flags uint8, root []byte, cost uint32, bridge []byte, port uint16) []byte {
	typ := uint8(0x00)
	if version >= 2 {
		typ = 0x02
	}
	b := cat([]byte{0x42, 0x42, 0x03, 0, 0, version, typ, flags}, root, []byte{byte(cost >> 24), byte(cost >> 16), byte(cost >> 8), byte(cost)},
		bridge, u16(int(port)), u16(1*256), u16(20*256), u16(2*256), u16(15*256))
	if version >= 2 {
		b = append(b, 0) // Version 1 Length
	}
	return b
}

func cdpTLV(typ uint16, v []byte) []byte { return cat(u16(int(typ)), u16(4+len(v)), v) }

// cdpCsum is the Internet checksum as Cisco computes it over an odd
// length: the last byte is the low byte of the last word, both bytes less
// one when its top bit is set (see Wireshark's packet-cdp.c).
func cdpCsum(b []byte) uint16 {
	n := len(b) &^ 1
	s := sum(b[:n])
	if len(b)&1 == 1 {
		last, hi := b[len(b)-1], byte(0)
		if last&0x80 != 0 {
			last--
			hi = 0xff
		}
		s += uint32(hi)<<8 | uint32(last)
	}
	return ^fold(s)
}

func lldpTLV(typ uint8, v []byte) []byte {
	return cat([]byte{typ<<1 | byte(len(v)>>8), byte(len(v))}, v)
}

func vrrp(version uint8, vrid, prio uint8, advInt uint16, addrs ...string) []byte {
	b := []byte{version<<4 | 1, vrid, prio, byte(len(addrs))}
	if version == 2 {
		b = append(b, 0, byte(advInt), 0, 0)
	} else {
		b = append(b, byte(advInt>>8)&0x0f, byte(advInt), 0, 0)
	}
	for _, a := range addrs {
		b = append(b, addrBytes(addr(a))...)
	}
	if version == 2 {
		b = append(b, make([]byte, 8)...) // authentication data
	}
	return b
}

func dhcp6Opt(code uint16, v ...[]byte) []byte {
	body := cat(v...)
	return cat(u16(int(code)), u16(len(body)), body)
}

func buildL2(out map[string][]byte) {
	pcap := func(name string, data ...[]byte) { out[name] = pcapFile(ltEthernet, pcapOpts{}, frames(data...)) }

	root := bridgeID(0x8000|1, swMAC)
	pcap("stp.pcap",
		dot3(stpMulticast, swMAC, bpdu(0, 0, root, 0, root, 0x8001)),
		dot3(stpMulticast, swMAC2, bpdu(0, 0x01, root, 4, bridgeID(0x8000|1, swMAC2), 0x8002)),
		dot3(stpMulticast, swMAC, bpdu(2, 0x3c, root, 0, root, 0x8001)),
		dot3(stpMulticast, swMAC2, bpdu(2, 0x7e, bridgeID(0x1000|10, swMAC), 20000, bridgeID(0x8000|10, swMAC2), 0x8003)),
		dot3(stpMulticast, swMAC2, []byte{0x42, 0x42, 0x03, 0, 0, 0, 0x80}))

	addrTLV := cat(u16(0), u16(1), []byte{1, 1, 0xcc, 0, 4}, addrBytes(addr("192.0.2.5")))
	addrTLV = cat([]byte{0, 0, 0, 1}, addrTLV[4:]) // one address
	cdp := func(dev, port string) []byte {
		body := cat([]byte{2, 180, 0, 0},
			cdpTLV(1, []byte(dev)),
			cdpTLV(2, addrTLV),
			cdpTLV(3, []byte(port)),
			cdpTLV(4, []byte{0, 0, 0, 0x28}),
			cdpTLV(5, []byte("Cisco IOS Software, C2960 Software, Version 15.0(2)SE11")),
			cdpTLV(6, []byte("cisco WS-C2960-24TT-L")),
			cdpTLV(0x0a, u16(10)),
			cdpTLV(0x0b, []byte{1}))
		put16(body, 2, cdpCsum(body))
		return dot3(cdpMulticast, swMAC, cat([]byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00}, body))
	}
	bad := cdp("sw2", "Gi1/0/24")
	bad[14+8+2]++ // checksum off by one
	pcap("cdp.pcap", cdp("sw1.wirelens.test", "GigabitEthernet0/1"), cdp("sw1", "Fa0/2"), bad)

	lldp := func(src []byte, chassisSub uint8, chassis []byte, portSub uint8, port []byte, ttl uint16, extra ...[]byte) []byte {
		p := cat(lldpTLV(1, cat([]byte{chassisSub}, chassis)), lldpTLV(2, cat([]byte{portSub}, port)), lldpTLV(3, u16(int(ttl))))
		p = cat(p, cat(extra...), lldpTLV(0, nil))
		return eth(lldpMulticast, src, 0x88cc, p)
	}
	pcap("lldp.pcap",
		lldp(swMAC, 4, swMAC, 5, []byte("eth0"), 120,
			lldpTLV(4, []byte("uplink to core")),
			lldpTLV(5, []byte("host1.wirelens.test")),
			lldpTLV(6, []byte("Debian GNU/Linux 12 (bookworm) Linux 6.1.0")),
			lldpTLV(7, []byte{0, 0x14, 0, 0x10}),
			lldpTLV(8, cat([]byte{5, 1}, addrBytes(addr("192.0.2.5")), []byte{2, 0, 0, 0, 2, 0}))),
		lldp(swMAC2, 7, []byte("sw2"), 3, swMAC2, 0),
		lldp(swMAC2, 4, swMAC2, 7, []byte("Gi1/0/3"), 3600, lldpTLV(5, []byte("sw2"))))

	vrrpMAC := []byte{0x00, 0x00, 0x5e, 0x00, 0x01, 0x07}
	v4 := func(p []byte) []byte {
		ip := ip4("192.0.2.2", "224.0.0.18", 112, p)
		ip[8] = 255 // TTL 255 (RFC 5798)
		fixIP4(ip)
		return ip
	}
	v2 := vrrp(2, 7, 100, 1, "192.0.2.254")
	v2[4] = 0
	put16(v2, 6, csum(v2))
	v3 := vrrp(3, 7, 200, 100, "192.0.2.254", "192.0.2.253")
	put16(v3, 6, csum(pseudo(addr("192.0.2.2"), addr("224.0.0.18"), 112, len(v3)), v3))
	v3bad := vrrp(3, 8, 255, 100, "192.0.2.252")
	put16(v3bad, 6, csum(pseudo(addr("192.0.2.2"), addr("224.0.0.18"), 112, len(v3bad)), v3bad)+1)
	v36 := vrrp(3, 9, 100, 100, "2001:db8::fe")
	put16(v36, 6, csum(pseudo(addr("fe80::2"), addr("ff02::12"), 112, len(v36)), v36))
	ip6v := ip6("fe80::2", "ff02::12", 112, v36)
	ip6v[7] = 255
	pcap("vrrp.pcap",
		eth([]byte{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}, vrrpMAC, 0x0800, v4(v2)),
		eth([]byte{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}, vrrpMAC, 0x0800, v4(v3)),
		eth([]byte{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}, vrrpMAC, 0x0800, v4(v3bad)),
		eth([]byte{0x33, 0x33, 0x00, 0x00, 0x00, 0x12}, []byte{0x00, 0x00, 0x5e, 0x00, 0x02, 0x09}, 0x86dd, ip6v))

	duidC := cat(u16(1), u16(1), []byte{0x2c, 0x8f, 0x1a, 0x30}, macA) // DUID-LLT
	duidS := cat(u16(3), u16(1), macB)                                 // DUID-LL
	iaaddr := dhcp6Opt(5, addrBytes(addr("2001:db8::100")), []byte{0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20})
	ia := func(withAddr bool) []byte {
		if withAddr {
			return dhcp6Opt(3, []byte{0, 0, 0, 1}, []byte{0, 0, 0x07, 0x08}, []byte{0, 0, 0x0b, 0x40}, iaaddr)
		}
		return dhcp6Opt(3, []byte{0, 0, 0, 1}, make([]byte, 8))
	}
	msg := func(typ uint8, xid uint32, opts ...[]byte) []byte {
		return cat([]byte{typ, byte(xid >> 16), byte(xid >> 8), byte(xid)}, cat(opts...))
	}
	const ll1, ll2, all = "fe80::1", "fe80::2", "ff02::1:2"
	c2s := func(p []byte, dst string) []byte {
		return eth([]byte{0x33, 0x33, 0x00, 0x01, 0x00, 0x02}, macA, 0x86dd, ip6(ll1, dst, 17, udp(ll1, dst, 546, 547, p)))
	}
	s2c := func(p []byte) []byte { return eth(macA, macB, 0x86dd, ip6(ll2, ll1, 17, udp(ll2, ll1, 547, 546, p))) }
	oro := dhcp6Opt(6, u16(23), u16(24))
	elapsed := dhcp6Opt(8, u16(0))
	dns := dhcp6Opt(23, addrBytes(addr("2001:db8::53")))
	domain := dhcp6Opt(24, []byte("\x08wirelens\x04test\x00"))
	pcap("dhcpv6.pcap",
		c2s(msg(1, 0x1a2b3c, dhcp6Opt(1, duidC), elapsed, oro, ia(false)), all),
		s2c(msg(2, 0x1a2b3c, dhcp6Opt(1, duidC), dhcp6Opt(2, duidS), ia(true), dns, domain)),
		c2s(msg(3, 0x4d5e6f, dhcp6Opt(1, duidC), dhcp6Opt(2, duidS), elapsed, oro, ia(true)), all),
		s2c(msg(7, 0x4d5e6f, dhcp6Opt(1, duidC), dhcp6Opt(2, duidS), ia(true), dns, domain)),
		c2s(msg(11, 0x777777, dhcp6Opt(1, duidC), elapsed, oro), all))
}
