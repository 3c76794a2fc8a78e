package main

// Application protocols on UDP and TCP, byte by byte: a DHCP exchange
// (Discover, Offer, Request, ACK), NTP client and server, DNS over TCP
// (RFC 7766 length prefix), and an SSH version exchange.

var (
	macC = []byte{0x02, 0x00, 0x00, 0x00, 0xdc, 0x01} // DHCP client
	macS = []byte{0x02, 0x00, 0x00, 0x00, 0xdc, 0x02} // DHCP server
	bcst = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
)

// dhcpMsg is a BOOTP header for macC with the given options (type, value).
func dhcpMsg(op uint8, xid uint32, yiaddr string, opts ...[]byte) []byte {
	b := make([]byte, 240)
	b[0], b[1], b[2] = op, 1, 6
	be.PutUint32(b[4:], xid)
	if op == 1 {
		put16(b, 10, 0x8000) // broadcast
	}
	if yiaddr != "" {
		copy(b[16:], addrBytes(addr(yiaddr)))
	}
	copy(b[28:], macC)
	be.PutUint32(b[236:], 0x63825363)
	for _, o := range opts {
		b = append(b, o...)
	}
	return append(b, 255)
}

func opt(t uint8, v ...byte) []byte { return append([]byte{t, byte(len(v))}, v...) }

func optAddr(t uint8, a string) []byte { return opt(t, addrBytes(addr(a))...) }

func optU32(t uint8, v uint32) []byte {
	b := make([]byte, 4)
	be.PutUint32(b, v)
	return opt(t, b...)
}

func ntpMsg(flags, stratum uint8, refid string, ts uint64) []byte {
	b := make([]byte, 48)
	b[0], b[1], b[2], b[3] = flags, stratum, 6, 0xe9
	if refid != "" {
		copy(b[12:], addrBytes(addr(refid)))
	}
	be.PutUint64(b[40:], ts)
	if stratum != 0 {
		be.PutUint32(b[4:], 0x100)
		be.PutUint64(b[16:], ts-1<<32)
		be.PutUint64(b[24:], ts-0x1000)
		be.PutUint64(b[32:], ts)
	}
	return b
}

func buildApps(out map[string][]byte) {
	pcap := func(name string, data ...[]byte) {
		out[name] = pcapFile(1, pcapOpts{}, frames(data...))
	}
	const xid = 0x3903f326
	req := opt(55, 1, 3, 6, 15, 28, 42)
	discover := dhcpMsg(1, xid, "", opt(53, 1), opt(61, 1, 2, 0, 0, 0, 0xdc, 1), opt(57, 0x05, 0xdc), opt(12, 'w', 'l', '-', 'c', 'l', 'i', 'e', 'n', 't'), req)
	offer := dhcpMsg(2, xid, "192.0.2.10", opt(53, 2), optAddr(54, "192.0.2.1"), optU32(51, 3600), optU32(58, 1800), optU32(59, 3150),
		optAddr(1, "255.255.255.0"), optAddr(28, "192.0.2.255"), optAddr(3, "192.0.2.1"), optAddr(6, "192.0.2.53"), opt(15, 'w', 'i', 'r', 'e', 'l', 'e', 'n', 's', '.', 't', 'e', 's', 't'))
	request := dhcpMsg(1, xid, "", opt(53, 3), optAddr(50, "192.0.2.10"), optAddr(54, "192.0.2.1"), opt(12, 'w', 'l', '-', 'c', 'l', 'i', 'e', 'n', 't'), req)
	ack := dhcpMsg(2, xid, "192.0.2.10", opt(53, 5), optAddr(54, "192.0.2.1"), optU32(51, 3600), optAddr(1, "255.255.255.0"), optAddr(3, "192.0.2.1"))
	bootp := dhcpMsg(1, 0x1234, "")
	bootp = bootp[:240] // no options: plain BOOTP
	pcap("dhcp.pcap",
		eth(bcst, macC, 0x0800, ip4("0.0.0.0", "255.255.255.255", 17, udp("0.0.0.0", "255.255.255.255", 68, 67, discover))),
		eth(bcst, macS, 0x0800, ip4("192.0.2.1", "255.255.255.255", 17, udp("192.0.2.1", "255.255.255.255", 67, 68, offer))),
		eth(bcst, macC, 0x0800, ip4("0.0.0.0", "255.255.255.255", 17, udp("0.0.0.0", "255.255.255.255", 68, 67, request))),
		eth(bcst, macS, 0x0800, ip4("192.0.2.1", "255.255.255.255", 17, udp("192.0.2.1", "255.255.255.255", 67, 68, ack))),
		eth(bcst, macC, 0x0800, ip4("0.0.0.0", "255.255.255.255", 17, udp("0.0.0.0", "255.255.255.255", 68, 67, bootp))))

	ts := uint64(3_973_000_000)<<32 | 0x80000000
	pcap("ntp.pcap",
		ethIP4(ip4("192.0.2.1", "192.0.2.2", 17, udp("192.0.2.1", "192.0.2.2", 40123, 123, ntpMsg(0x23, 0, "", ts)))),
		ethIP4(ip4("192.0.2.2", "192.0.2.1", 17, udp("192.0.2.2", "192.0.2.1", 123, 40123, ntpMsg(0x24, 2, "192.0.2.123", ts+0x2000)))),
		ethIP4(ip4("192.0.2.1", "192.0.2.2", 17, udp("192.0.2.1", "192.0.2.2", 123, 123, ntpMsg(0x19, 3, "192.0.2.9", ts+0x9000)))))

	// DNS over TCP (port 53) and SSH (port 22): handshake, data each way.
	conv := func(port uint16, c2s, s2c []byte) [][]byte {
		const c, s = "192.0.2.1", "192.0.2.2"
		w := func(src, dst string, sp, dp uint16, seq, ack uint32, fl uint8, p []byte) []byte {
			return ethIP4(ip4(src, dst, 6, tcp(src, dst, sp, dp, seq, ack, fl, p)))
		}
		return [][]byte{
			w(c, s, 40100, port, 1000, 0, tcpSYN, nil),
			w(s, c, port, 40100, 5000, 1001, tcpSYN|tcpACK, nil),
			w(c, s, 40100, port, 1001, 5001, tcpACK, nil),
			w(c, s, 40100, port, 1001, 5001, tcpPSH|tcpACK, c2s),
			w(s, c, port, 40100, 5001, 1001+uint32(len(c2s)), tcpPSH|tcpACK, s2c),
		}
	}
	lp := func(m []byte) []byte { return cat([]byte{byte(len(m) >> 8), byte(len(m))}, m) }
	pcap("dns-tcp.pcap", conv(53, lp(dnsQuery(0x5151, "wirelens.test")), lp(dnsResponse(0x5151, "wirelens.test", "192.0.2.80")))...)
	pcap("ssh.pcap", conv(22, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), []byte("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n"))...)
	buildQUIC(out)
	buildL2(out)
	buildTail(out)
	buildRPC(out)
	buildDCERPC(out)
	buildDNP3(out)
	buildCert(out)
	buildHTTP2(out)
	buildSyslog(out)
	buildControl(out)
}
