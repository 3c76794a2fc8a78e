// Command craft writes hand-made edge-case captures for wirelens's tests, byte by byte.
//
//	go run ./testdata/craft [OUTDIR]    (default testdata/crafted)
//
// The output is deterministic: running it again gives identical files. What each file
// holds, and what tshark says about it, is listed in testdata/README.md.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

const (
	v4a = "192.0.2.1"
	v4b = "192.0.2.2"
	v6a = "2001:db8::1"
	v6b = "2001:db8::2"
)

func ethIP4(p []byte) []byte { return eth(macB, macA, 0x0800, p) }
func ethIP6(p []byte) []byte { return eth(macB, macA, 0x86dd, p) }

func udp4(sport, dport uint16, payload string) []byte {
	return ip4(v4a, v4b, 17, udp(v4a, v4b, sport, dport, []byte(payload)))
}

func udp6(sport, dport uint16, payload string) []byte {
	return ip6(v6a, v6b, 17, udp(v6a, v6b, sport, dport, []byte(payload)))
}

func ping4(typ uint8, seq uint16) []byte {
	src, dst := v4a, v4b
	if typ == 0 {
		src, dst = dst, src
	}
	return ip4(src, dst, 1, icmp(typ, 0, echoBody(0x4242, seq, "wirelens ping payload 0123456789")))
}

func ping6(typ uint8, seq uint16) []byte {
	src, dst := v6a, v6b
	if typ == 129 {
		src, dst = dst, src
	}
	return ip6(src, dst, 58, icmp6(src, dst, typ, 0, echoBody(0x4242, seq, "wirelens ping6 payload 0123456789")))
}

func zeroUDP(p []byte, udpOff int) []byte {
	put16(p, udpOff+6, 0)
	return p
}

// tcpWithChecksum returns an IPv4 TCP packet whose correct checksum is 0x0000: the
// last two payload bytes are chosen to make it so.
func tcpChecksumZero() []byte {
	payload := []byte("wirelens!!xx")
	seg := tcp(v4a, v4b, 40000, 80, 1000, 2000, tcpPSH|tcpACK, payload)
	// With the adjustable word zeroed, the sum S gives checksum ^S; we need ^(S+X) == 0.
	n := len(seg)
	put16(seg, n-2, 0)
	put16(seg, 16, 0)
	s := fold(sum(pseudo(addr(v4a), addr(v4b), 6, n)) + sum(seg))
	put16(seg, n-2, 0xffff-s)
	put16(seg, 16, 0xffff) // what some stacks write instead of 0x0000 (RFC 1624)
	return ip4(v4a, v4b, 6, seg)
}

func build() map[string][]byte {
	out := map[string][]byte{}
	pcap := func(name string, lt uint32, data ...[]byte) {
		out[name] = pcapFile(lt, pcapOpts{}, frames(data...))
	}

	// UDP checksum zero: allowed over IPv4 (not present), illegal over IPv6.
	pcap("udp-zero-cksum-v4.pcap", ltEthernet,
		ethIP4(udp4(40001, 9, "checksum present")),
		ethIP4(zeroUDP(udp4(40001, 9, "checksum zero"), 20)))
	pcap("udp-zero-cksum-v6.pcap", ltEthernet,
		ethIP6(udp6(40001, 9, "checksum present")),
		ethIP6(zeroUDP(udp6(40001, 9, "checksum zero"), 40)))

	// IPv4 with options: Router Alert + NOP + Record Route (3 slots, 16 bytes in all).
	rr := []byte{0x07, 0x0b, 0x04, 0, 0, 0, 0, 0, 0, 0, 0}
	opts := append(append([]byte{}, routerAlert...), 0x01)
	opts = append(opts, rr...)
	pcap("ipv4-options.pcap", ltEthernet,
		ethIP4(ip4x(v4a, v4b, 6, ip4opts{id: 7, flags: 0x4000, options: opts},
			tcp(v4a, v4b, 40002, 80, 1, 0, tcpSYN, nil))),
		ethIP4(ip4x(v4a, v4b, 17, ip4opts{id: 8, options: append([]byte{}, opts...)},
			udp(v4a, v4b, 40002, 9, []byte("udp behind ip options")))))

	// Frames cut by the snap length: checksums cannot be verified.
	bigTCP := ethIP4(ip4(v4a, v4b, 6, tcp(v4a, v4b, 40003, 80, 5000, 6000, tcpPSH|tcpACK, make([]byte, 1000))))
	bigUDP := ethIP4(udp4(40003, 9, string(make([]byte, 500))))
	bigICMP := ethIP4(ip4(v4a, v4b, 1, icmp(8, 0, echoBody(1, 1, string(make([]byte, 300))))))
	out["truncated-snaplen-96.pcap"] = pcapFile(ltEthernet, pcapOpts{snaplen: 96}, []rec{
		{data: bigTCP, caplen: 96}, {data: bigUDP, caplen: 96}, {data: bigICMP, caplen: 96},
		{data: ethIP4(ip4(v4a, v4b, 6, tcp(v4a, v4b, 40003, 80, 6000, 6000, tcpACK, nil)))},
	})

	// IPv4 fragments: a 1208-byte UDP datagram in three fragments; the first holds the
	// UDP header, then a lone last fragment whose first fragment was never seen.
	dgram := udp(v4a, v4b, 40004, 9, []byte(string(make([]byte, 1200))))
	for i := range dgram[8:] {
		dgram[8+i] = byte(i)
	}
	put16(dgram, 6, 0)
	put16(dgram, 6, csum(pseudo(addr(v4a), addr(v4b), 17, len(dgram)), dgram))
	frag := func(off, end int, more bool, id uint16) []byte {
		w := uint16(off / 8)
		if more {
			w |= 0x2000
		}
		return ethIP4(ip4x(v4a, v4b, 17, ip4opts{id: id, flags: w}, dgram[off:end]))
	}
	pcap("ipv4-fragments.pcap", ltEthernet,
		frag(0, 512, true, 0x100), frag(512, 1024, true, 0x100), frag(1024, len(dgram), false, 0x100),
		frag(1024, len(dgram), false, 0x200))

	// VLAN: 802.1Q and QinQ (802.1ad outer 0x88a8).
	pcap("vlan-8021q.pcap", ltEthernet,
		ethTagged(macB, macA, [][]byte{vlanTag(0x8100, 3, 100)}, 0x0800, ping4(8, 1)),
		ethTagged(macA, macB, [][]byte{vlanTag(0x8100, 3, 100)}, 0x0800, ping4(0, 1)),
		ethTagged(macB, macA, [][]byte{vlanTag(0x8100, 0, 200)}, 0x86dd, udp6(40005, 9, "v6 in vlan 200")))
	pcap("vlan-qinq-88a8.pcap", ltEthernet,
		ethTagged(macB, macA, [][]byte{vlanTag(0x88a8, 0, 10), vlanTag(0x8100, 0, 20)}, 0x0800,
			udp4(40006, 9, "qinq outer 10 inner 20")),
		ethTagged(macB, macA, [][]byte{vlanTag(0x88a8, 0, 10), vlanTag(0x8100, 5, 30)}, 0x0800,
			ip4(v4a, v4b, 6, tcp(v4a, v4b, 40006, 80, 1, 0, tcpSYN, nil))))

	// Linux cooked captures with every packet type.
	mcast := []byte{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}
	sllFrames := func(v2 bool) [][]byte {
		type f struct {
			t   uint8
			mac []byte
			p   []byte
		}
		list := []f{
			{pktHost, macA, udp4(40007, 9, "to us")},
			{pktBroadcast, macA, ip4(v4a, "192.0.2.255", 17, udp(v4a, "192.0.2.255", 40007, 9, []byte("broadcast")))},
			{pktMulticast, macA, ip4(v4a, "239.1.2.3", 17, udp(v4a, "239.1.2.3", 40007, 9, []byte("multicast")))},
			{pktOtherhost, macA, udp4(40007, 9, "someone else's")},
			{pktOutgoing, macB, ping4(0, 7)},
		}
		_ = mcast
		var res [][]byte
		for _, x := range list {
			if v2 {
				res = append(res, sll2(x.t, 2, x.mac, 0x0800, x.p))
			} else {
				res = append(res, sll(uint16(x.t), x.mac, 0x0800, x.p))
			}
		}
		return res
	}
	pcap("sll-pkttypes.pcap", ltSLL, sllFrames(false)...)
	pcap("sll2-pkttypes.pcap", ltSLL2, sllFrames(true)...)

	// Raw IP link types.
	pcap("raw-ip-101.pcap", ltRaw, ping4(8, 1), ping4(0, 1), udp6(40008, 9, "raw v6"))
	pcap("raw-ipv4-228.pcap", ltIPv4, ping4(8, 2), udp4(40008, 9, "raw v4"))
	pcap("raw-ipv6-229.pcap", ltIPv6, ping6(128, 1), ping6(129, 1))

	// BSD loopback: DLT_NULL has the address family in host order (here little-endian),
	// DLT_LOOP in network order. IPv6 family values differ per BSD: 24, 28, 30.
	nullHdr := func(af uint32, p []byte) []byte { return append(le.AppendUint32(nil, af), p...) }
	loopHdr := func(af uint32, p []byte) []byte { return append(be.AppendUint32(nil, af), p...) }
	pcap("null-bsd-0.pcap", ltNull, nullHdr(2, ping4(8, 3)), nullHdr(24, ping6(128, 2)),
		nullHdr(30, udp6(40009, 9, "darwin af 30")))
	pcap("loop-108.pcap", ltLoop, loopHdr(2, ping4(8, 4)), loopHdr(28, ping6(128, 3)))

	// ICMP errors quoting a packet: whole IPv4+UDP, then a quote cut short.
	orig := ip4(v4b, v4a, 17, udp(v4b, v4a, 40010, 33434, []byte("probe payload")))
	cut := append([]byte{}, orig[:28]...)
	put16(cut, 2, 328) // the quoted header says 328 bytes; only 28 are quoted
	fixIP4(cut)
	pcap("icmp-unreachable.pcap", ltEthernet,
		ethIP4(ip4(v4a, v4b, 1, icmp(3, 3, cat([]byte{0, 0, 0, 0}, orig)))),
		ethIP4(ip4(v4a, v4b, 1, icmp(3, 1, cat([]byte{0, 0, 0, 0}, cut)))))

	// ICMP and ICMPv6 echo, with one bad checksum each, and a neighbor solicitation.
	badPing := ping4(8, 9)
	put16(badPing, 22, be.Uint16(badPing[22:])^0x0101)
	pcap("icmp-echo.pcap", ltEthernet, ethIP4(ping4(8, 1)), ethIP4(ping4(0, 1)), ethIP4(badPing))
	badPing6 := ping6(128, 9)
	put16(badPing6, 42, be.Uint16(badPing6[42:])^0x0101)
	nsTarget := addrBytes(addr(v6b))
	ns := icmp6(v6a, "ff02::1:ff00:2", 135, 0, cat([]byte{0, 0, 0, 0}, nsTarget, []byte{1, 1}, macA))
	pcap("icmpv6.pcap", ltEthernet, ethIP6(ping6(128, 1)), ethIP6(ping6(129, 1)), ethIP6(badPing6),
		eth([]byte{0x33, 0x33, 0xff, 0, 0, 2}, macA, 0x86dd, ip6(v6a, "ff02::1:ff00:2", 58, ns)))

	// IGMP v2 report/leave/query, v3 report, and a v2 report with a bad checksum.
	igmpPkt := func(dst string, body []byte) []byte {
		p := ip4x(v4a, dst, 2, ip4opts{ttl: 1, options: routerAlert, tos: 0xc0}, body)
		m := addrBytes(addr(dst))
		return eth([]byte{0x01, 0x00, 0x5e, m[1] & 0x7f, m[2], m[3]}, macA, 0x0800, p)
	}
	badIGMP := igmp2(0x16, 0, "239.1.2.3")
	badIGMP[3] ^= 0x55
	pcap("igmp.pcap", ltEthernet,
		igmpPkt("239.1.2.3", igmp2(0x16, 0, "239.1.2.3")),
		igmpPkt("224.0.0.2", igmp2(0x17, 0, "239.1.2.3")),
		igmpPkt("224.0.0.1", igmp2(0x11, 100, "0.0.0.0")),
		igmpPkt("224.0.0.22", igmp3Report(4, "239.1.2.4")),
		igmpPkt("224.0.0.22", igmp3Report(1, "239.1.2.5", "192.0.2.77", "192.0.2.78")),
		igmpPkt("239.1.2.3", badIGMP))

	// SCTP: INIT and DATA with correct CRC32c, then both with a wrong one.
	sInit := sctp(5000, 6000, 0, sctpInit(0xcafe0001))
	sData := sctp(5000, 6000, 0xcafe0002, sctpData(1000, "sctp data chunk"))
	bad := func(p []byte) []byte {
		q := append([]byte{}, p...)
		q[8] ^= 0xff
		return q
	}
	pcap("sctp-crc32c.pcap", ltEthernet,
		ethIP4(ip4(v4a, v4b, 132, sInit)), ethIP4(ip4(v4a, v4b, 132, sData)),
		ethIP4(ip4(v4a, v4b, 132, bad(sInit))), ethIP4(ip4(v4a, v4b, 132, bad(sData))),
		ethIP6(ip6(v6a, v6b, 132, sData)))

	// GRE carrying IPv4: checksum present and good, present and bad, absent.
	inner := ping4(8, 5)
	greBad := gre(true, 0x0800, inner)
	greBad[4] ^= 0x10
	pcap("gre.pcap", ltEthernet,
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 47, gre(true, 0x0800, inner))),
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 47, greBad)),
		ethIP4(ip4("198.51.100.1", "198.51.100.2", 47, gre(false, 0x0800, inner))))

	// UDP-Lite (IP protocol 136): full coverage (0), partial coverage, and a bad one.
	ul4 := func(cov uint16, s string) []byte {
		return ip4(v4a, v4b, 136, udplite(v4a, v4b, 40011, 5001, cov, []byte(s)))
	}
	ul6 := func(cov uint16, s string) []byte {
		return ip6(v6a, v6b, 136, udplite(v6a, v6b, 40011, 5001, cov, []byte(s)))
	}
	ulBad := ul4(0, "udplite bad checksum")
	put16(ulBad, 26, be.Uint16(ulBad[26:])^0x00ff)
	ulPartialDirty := ul4(12, "covered|not covered")
	ulPartialDirty[len(ulPartialDirty)-1] ^= 0x20 // outside coverage: still good
	pcap("udplite.pcap", ltEthernet,
		ethIP4(ul4(0, "udplite full coverage")), ethIP4(ul4(12, "covered|not covered")),
		ethIP4(ulPartialDirty), ethIP4(ulBad),
		ethIP6(ul6(0, "udplite v6 full coverage")), ethIP6(ul6(8, "v6 header-only coverage")))
	// Applications over UDP-Lite: its ports dispatch as UDP's do (the
	// udp.port table), whatever the checksum coverage.
	pcap("udplite-apps.pcap", ltEthernet,
		ethIP4(ip4(v4a, v4b, 136, udplite(v4a, v4b, 40013, 53, 0, dnsQuery(0x1234, "example.com")))),
		ethIP4(ip4(v4b, v4a, 136, udplite(v4b, v4a, 53, 40013, 8, dnsResponse(0x1234, "example.com", "192.0.2.80")))),
		ethIP6(ip6(v6a, v6b, 136, udplite(v6a, v6b, 40014, 123, 20, ntpMsg(0x23, 0, "", 0)))),
		ethIP4(ip4(v4a, v4b, 136, udplite(v4a, v4b, 40015, 4789, 0, cat(vxlanHdr(42), ethIP4(ping4(8, 9)))))))

	// TCP: good, bad, and 0xffff where 0x0000 is the computed value.
	tcpBad := ip4(v4a, v4b, 6, tcp(v4a, v4b, 40012, 80, 118, 200, tcpPSH|tcpACK, []byte("Host: x\r\n\r\n")))
	put16(tcpBad, 36, be.Uint16(tcpBad[36:])+1)
	pcap("tcp-bad-cksum.pcap", ltEthernet,
		ethIP4(ip4(v4a, v4b, 6, tcp(v4a, v4b, 40012, 80, 100, 200, tcpPSH|tcpACK, []byte("GET / HTTP/1.0\r\n\r\n")))),
		ethIP4(tcpBad),
		ethIP6(ip6(v6a, v6b, 6, func() []byte {
			s := tcp(v6a, v6b, 40012, 80, 1, 0, tcpSYN, nil)
			s[16] ^= 0x80
			return s
		}())))
	pcap("tcp-cksum-ffff.pcap", ltEthernet, ethIP4(tcpChecksumZero()))

	// Sent frames (SLL2 outgoing) as a Windows or TSO sender writes them: IPv4 header
	// checksum 0x0000, and IPv4 total length 0 on a large TCP segment.
	hdrZero := ip4(v4a, v4b, 6, tcp(v4a, v4b, 40013, 5001, 1, 0, tcpSYN, nil))
	put16(hdrZero, 10, 0)
	tso := ip4(v4a, v4b, 6, tcp(v4a, v4b, 40013, 5001, 2, 1, tcpACK|tcpPSH, make([]byte, 3000)))
	put16(tso, 2, 0)
	fixIP4(tso)
	pcap("ipv4-sent-offload.pcap", ltSLL2,
		sll2(pktOutgoing, 2, macA, 0x0800, hdrZero),
		sll2(pktOutgoing, 2, macA, 0x0800, tso),
		sll2(pktHost, 2, macB, 0x0800, ip4(v4b, v4a, 6, tcp(v4b, v4a, 5001, 40013, 1, 3002, tcpACK, nil))))

	// ARP request and reply; DNS query and response.
	pcap("arp.pcap", ltEthernet,
		eth(bcast, macA, 0x0806, arp(1, macA, v4a, make([]byte, 6), v4b)),
		eth(macA, macB, 0x0806, arp(2, macB, v4b, macA, v4a)))
	pcap("dns.pcap", ltEthernet,
		ethIP4(ip4(v4a, v4b, 17, udp(v4a, v4b, 40014, 53, dnsQuery(0x1234, "wirelens.test")))),
		eth(macA, macB, 0x0800, ip4(v4b, v4a, 17, udp(v4b, v4a, 53, 40014, dnsResponse(0x1234, "wirelens.test", "192.0.2.10")))),
		ethIP6(ip6(v6a, v6b, 17, udp(v6a, v6b, 40015, 53, dnsQuery(0x5678, "wirelens.test")))))

	// An unknown link type (147, USER0) and an unknown ethertype (0x88b7 is OUI extended;
	// 0x1234 is not assigned).
	pcap("linktype-user0-147.pcap", ltUser0, []byte("\x01\x02\x03\x04user0 frame bytes"), ethIP4(udp4(1, 2, "x")))
	pcap("ethertype-unknown.pcap", ltEthernet, eth(macB, macA, 0x1234, []byte("unknown ethertype payload")))

	// pcapng with three interfaces of different link types, EPB direction flags and comments.
	out["pcapng-multi-if.pcapng"] = pcapngFile(
		[]ngIface{{ltEthernet, "eth0", "Ethernet"}, {ltSLL2, "any", "Linux cooked v2"}, {ltRaw, "tun0", "raw IP"}},
		[]ngPacket{
			{iface: 0, data: ethIP4(ping4(8, 1)), flags: dirOutbound, comment: "echo request, sent"},
			{iface: 0, data: eth(macA, macB, 0x0800, ping4(0, 1)), flags: dirInbound, comment: "echo reply, received"},
			{iface: 1, data: sll2(pktOutgoing, 3, macA, 0x86dd, udp6(40016, 9, "sll2 outgoing")), flags: dirOutbound},
			{iface: 1, data: sll2(pktHost, 3, macB, 0x0800, udp4(40016, 9, "sll2 host")), flags: dirInbound, comment: "no direction on next"},
			{iface: 2, data: udp4(40017, 9, "raw ip, no flags")},
			{iface: 2, data: ping6(128, 1), flags: dirOutbound},
		}, "wirelens crafted multi-interface section")

	// File format variants of the same frames.
	dnsFrames := frames(
		ethIP4(ip4(v4a, v4b, 17, udp(v4a, v4b, 40014, 53, dnsQuery(0x1234, "wirelens.test")))),
		eth(macA, macB, 0x0800, ip4(v4b, v4a, 17, udp(v4b, v4a, 53, 40014, dnsResponse(0x1234, "wirelens.test", "192.0.2.10")))))
	out["big-endian.pcap"] = pcapFile(ltEthernet, pcapOpts{bigEndian: true}, dnsFrames)
	nano := frames(ethIP4(ping4(8, 1)), eth(macA, macB, 0x0800, ping4(0, 1)))
	nano[0].tsNanos = 123_456_789
	nano[1].tsNanos = 123_457_001
	out["nanosecond.pcap"] = pcapFile(ltEthernet, pcapOpts{nano: true}, nano)
	out["gzip.pcapng.gz"] = gzipBytes(pcapngFile([]ngIface{{ltEthernet, "eth0", ""}},
		[]ngPacket{{data: dnsFrames[0].data}, {data: dnsFrames[1].data}}, ""))

	// Corrupt files for error tests (no goldens): a pcap cut in the middle of the second
	// packet, and a pcapng whose second EPB has a block total length that is too big.
	good := pcapFile(ltEthernet, pcapOpts{}, dnsFrames)
	out["corrupt-pcap-cut-mid-packet.pcap"] = good[:24+16+len(dnsFrames[0].data)+16+20]
	ng := pcapngFile([]ngIface{{ltEthernet, "eth0", ""}},
		[]ngPacket{{data: dnsFrames[0].data}, {data: dnsFrames[1].data}}, "")
	off := 0
	for i := 0; i < 3; i++ { // SHB, IDB, EPB 1
		off += int(le.Uint32(ng[off+4:]))
	}
	le.PutUint32(ng[off+4:], 0x00ffff00)
	out["corrupt-pcapng-bad-block-len.pcapng"] = ng
	buildRouting(out)
	buildLinks(out)
	buildLinks2(out)
	buildOverlap(out)
	buildTunnels(out)
	buildApps(out)
	return out
}

func main() {
	dir := filepath.Join("testdata", "crafted")
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: craft [OUTDIR]")
		os.Exit(2)
	}
	if len(os.Args) == 2 {
		dir = os.Args[1]
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "craft:", err)
		os.Exit(1)
	}
	files := build()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "craft:", err)
			os.Exit(1)
		}
		fmt.Printf("%6d  %s\n", len(files[n]), filepath.Join(dir, n))
	}
}
