package decode

import (
	"encoding/binary"
	"testing"
)

// tcpTo is hTCP to another port with a sequence number.
func tcpTo(port uint16, seq uint32, payload []byte) []byte {
	seg := hTCP(payload)
	binary.BigEndian.PutUint16(seg[2:], port)
	binary.BigEndian.PutUint32(seg[4:], seq)
	seg[16], seg[17] = 0, 0
	ph := []byte{192, 0, 2, 1, 192, 0, 2, 2, 0, 6, byte(len(seg) >> 8), byte(len(seg))}
	binary.BigEndian.PutUint16(seg[16:], hcsum(append(ph, seg...)))
	return seg
}

// FuzzTCPApps feeds arbitrary bytes to the application layers over TCP
// (HTTP, TLS and those found by heuristics), split at cut into two
// consecutive segments so reassembly runs, then re-dissects both frozen:
// no panic, every field inside its frame, every string safe to print.
func FuzzTCPApps(f *testing.F) {
	f.Add(uint16(80), []byte("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"), uint16(20))
	f.Add(uint16(80), []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), uint16(30))
	f.Add(uint16(4433), []byte{22, 3, 1, 0, 10, 1, 0, 0, 6, 3, 3, 0, 0, 0, 0}, uint16(7))
	f.Add(uint16(443), []byte{23, 3, 3, 0, 3, 'a', 'b', '\x1b'}, uint16(3))
	f.Add(uint16(80), append([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 0, 0, 4, 1, 5, 0, 0, 0, 1, 0x82, 0x84, 0x86, 0x41), uint16(30))
	f.Add(uint16(25), []byte("EHLO x\r\nMAIL FROM:<a@b>\r\n"), uint16(4))
	f.Add(uint16(21), []byte("PORT 192,0,2,1,200,1\r\nRETR f\r\n"), uint16(9))
	f.Add(uint16(1883), []byte{0x82, 9, 0, 1, 0, 3, 'a', '/', 'b', 0, 0x30, 3, 0, 1, 'x'}, uint16(5))
	f.Add(uint16(5432), []byte{0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f, 'Q', 0, 0, 0, 6, 'x', 0}, uint16(8))
	f.Add(uint16(5900), []byte("RFB 003.008\n"), uint16(0))
	f.Add(uint16(3389), []byte{3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0}, uint16(6))
	f.Add(uint16(445), append([]byte{0, 0, 0, 68, 0xfe, 'S', 'M', 'B', 64}, make([]byte, 63)...), uint16(30))
	f.Add(uint16(139), []byte{0x81, 0, 0, 4, 32, 'E', 'F', 0}, uint16(2))
	f.Add(uint16(5060), []byte("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n"), uint16(12))
	f.Add(uint16(2049), []byte{0x80, 0, 0, 48, 0, 0, 0x20, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4}, uint16(52))
	f.Add(uint16(135), []byte{5, 0, 11, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 2, 0, 0, 0, 0xd0, 0x16, 0xd0, 0x16, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 8, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11, 0x91, 0xa4, 8, 0, 0x2b, 0x14, 0xa0, 0xfa, 3, 0, 0, 0, 4, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 8, 0, 0x2b, 0x10, 0x48, 0x60, 2, 0, 0, 0}, uint16(72))
	f.Fuzz(func(t *testing.T, port uint16, p []byte, cut uint16) {
		c := int(cut) % (len(p) + 1)
		dissectAll(t, [][]byte{hEth(0x0800, hIPv4(6, tcpTo(port, 1000, p[:c]))), hEth(0x0800, hIPv4(6, tcpTo(port, 1000+uint32(c), p[c:])))})
	})
}

// udpTo is a datagram from 192.0.2.1:sport to 192.0.2.2:dport (reply
// swaps the addresses), checksum 0.
func udpTo(sport, dport uint16, reply bool, payload []byte) []byte {
	u := hUDP(payload)
	binary.BigEndian.PutUint16(u, sport)
	binary.BigEndian.PutUint16(u[2:], dport)
	ip := hIPv4(17, u)
	if reply {
		copy(ip[12:], []byte{192, 0, 2, 2, 192, 0, 2, 1})
		ip[10], ip[11] = 0, 0
		binary.BigEndian.PutUint16(ip[10:], hcsum(ip[:20]))
	}
	return hEth(0x0800, ip)
}

// quicSeal protects a client Initial carrying plain as RFC 9001 says, so
// the fuzzer reaches the decrypted frames and the TLS messages in them.
func quicSeal(dcid []byte, server bool, plain []byte) []byte {
	k := quicInitialKeys(dcid, server)
	for len(plain) < 20 {
		plain = append(plain, 0) // room for the header protection sample
	}
	hdr := append([]byte{0xc3, 0, 0, 0, 1, byte(len(dcid))}, dcid...)
	hdr = append(hdr, 0, 0) // no SCID, no token
	n := 4 + len(plain) + 16
	hdr = append(hdr, 0x40|byte(n>>8), byte(n), 0, 0, 0, 7)
	pnOff := len(hdr) - 4
	nonce := append([]byte(nil), k.iv...)
	nonce[11] ^= 7
	pkt := k.aead.Seal(append([]byte(nil), hdr...), nonce, plain, hdr)
	var mask [16]byte
	k.hp.Encrypt(mask[:], pkt[pnOff+4:pnOff+20])
	pkt[0] ^= mask[0] & 0x0f
	for i := 0; i < 4; i++ {
		pkt[pnOff+i] ^= mask[1+i]
	}
	return pkt
}

// FuzzUDPApps feeds arbitrary datagrams to the protocols over UDP, one
// each way on the same ports, then as the decrypted payload of a QUIC
// Initial (frames, CRYPTO reassembly, the TLS Hello inside), and
// re-dissects them frozen: no panic, fields inside their frame, strings
// safe to print.
func FuzzUDPApps(f *testing.F) {
	f.Add(uint16(4433), []byte{0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0x41, 0}, []byte{6, 0, 4, 1, 0, 0, 0})
	f.Add(uint16(546), []byte{1, 0, 0, 1, 0, 1, 0, 4, 0, 1, 2, 3}, []byte{2, 0, 4, 0, 0, 0, 0x40, 1, 0x40, 0})
	f.Add(uint16(5353), []byte{0x40, 1, 2, 3}, []byte{0x1c, 0x0a, 0, 0})
	f.Add(uint16(69), []byte("\x00\x01f\x00octet\x00"), []byte{0})
	f.Add(uint16(137), []byte{0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 0, 32, 'E', 'F'}, []byte{0})
	f.Add(uint16(1900), []byte("NOTIFY * HTTP/1.1\r\nNT: x\r\n\r\n"), []byte{0})
	f.Add(uint16(5060), []byte("REGISTER sip:x SIP/2.0\r\nContact: y\r\n\r\n"), []byte{0})
	f.Add(uint16(111), []byte{0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x86, 0xa3, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 0}, []byte{0})
	f.Add(uint16(514), []byte("<165>1 2003-10-11T22:14:15.003Z h app - ID47 - \xef\xbb\xbfmsg"), []byte{0})
	f.Add(uint16(514), []byte("<14>Feb  3 04:05:06 host kernel: \x01\xff"), []byte{0})
	f.Fuzz(func(t *testing.T, port uint16, p, plain []byte) {
		dissectAll(t, [][]byte{udpTo(50000, port, false, p), udpTo(port, 50000, true, p),
			udpTo(50001, 4433, false, quicSeal([]byte{9, 9, 9, 9, 9, 9, 9, 9}, false, plain))})
	})
}
