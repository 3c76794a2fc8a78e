package main

// QUIC version 1 packets protected as RFC 9001 says, with the Initial
// keys derived from the client's first Destination Connection ID: a
// handshake (client Initial with a TLS Client Hello carrying SNI and ALPN,
// server Initial with a Server Hello coalesced with a Handshake packet,
// short header packets each way), a client Hello split over two CRYPTO
// frames in reverse order, a Version Negotiation packet, and an Initial on
// a port that is not 443 (found by the heuristic).

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
)

var quicSalt = []byte{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a}

func expandLabel(secret []byte, label string, n int) []byte {
	full := "tls13 " + label
	info := append([]byte{byte(n >> 8), byte(n), byte(len(full))}, full...)
	info = append(info, 0)
	out, err := hkdf.Expand(sha256.New, secret, string(info), n)
	if err != nil {
		panic(err)
	}
	return out
}

// quicProtect encrypts and header-protects a long header packet: hdr ends
// with the Length field's place (filled in here, 2 bytes) and is followed
// by a 4-byte packet number; server selects the server's keys.
func quicProtect(odcid []byte, server bool, hdr []byte, pn uint32, payload []byte) []byte {
	initial, _ := hkdf.Extract(sha256.New, odcid, quicSalt)
	label := "client in"
	if server {
		label = "server in"
	}
	secret := expandLabel(initial, label, 32)
	blk, _ := aes.NewCipher(expandLabel(secret, "quic key", 16))
	aead, _ := cipher.NewGCM(blk)
	iv := expandLabel(secret, "quic iv", 12)
	hp, _ := aes.NewCipher(expandLabel(secret, "quic hp", 16))

	length := 4 + len(payload) + 16
	h := append([]byte(nil), hdr...)
	h = append(h, 0x40|byte(length>>8), byte(length), byte(pn>>24), byte(pn>>16), byte(pn>>8), byte(pn))
	h[0] |= 3 // 4-byte packet number
	pnOff := len(h) - 4
	nonce := append([]byte(nil), iv...)
	for i := 0; i < 4; i++ {
		nonce[11-i] ^= byte(pn >> (8 * i))
	}
	pkt := aead.Seal(append([]byte(nil), h...), nonce, payload, h)
	var mask [16]byte
	hp.Encrypt(mask[:], pkt[pnOff+4:pnOff+20])
	pkt[0] ^= mask[0] & 0x0f
	for i := 0; i < 4; i++ {
		pkt[pnOff+i] ^= mask[1+i]
	}
	return pkt
}

func longHdr(typ uint8, dcid, scid []byte, token bool) []byte {
	h := []byte{0xc0 | typ<<4, 0, 0, 0, 1, byte(len(dcid))}
	h = append(h, dcid...)
	h = append(h, byte(len(scid)))
	h = append(h, scid...)
	if token {
		h = append(h, 0) // no token
	}
	return h
}

func tlsExt(typ uint16, body []byte) []byte {
	return cat([]byte{byte(typ >> 8), byte(typ), byte(len(body) >> 8), byte(len(body))}, body)
}

func u16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

func seqBytes(n int, start byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i*7)
	}
	return b
}

// clientHello is a TLS 1.3 Client Hello handshake message as a QUIC
// client sends it.
func clientHello(sni, alpn string) []byte {
	name := cat([]byte{0}, u16(len(sni)), []byte(sni))
	ext := cat(
		tlsExt(0, cat(u16(len(name)), name)),
		tlsExt(10, cat(u16(4), u16(0x001d), u16(0x0017))),
		tlsExt(13, cat(u16(4), u16(0x0403), u16(0x0804))),
		tlsExt(16, cat(u16(1+len(alpn)), []byte{byte(len(alpn))}, []byte(alpn))),
		tlsExt(43, cat([]byte{2}, u16(0x0304))),
		tlsExt(51, cat(u16(36), u16(0x001d), u16(32), seqBytes(32, 0x11))),
		tlsExt(57, []byte{0x01, 0x02, 0x47, 0xd0, 0x04, 0x04, 0x80, 0x10, 0x00, 0x00}),
	)
	body := cat(u16(0x0303), seqBytes(32, 0xa0), []byte{0}, u16(6), u16(0x1301), u16(0x1302), u16(0x1303), []byte{1, 0}, u16(len(ext)), ext)
	return cat([]byte{1, 0, byte(len(body) >> 8), byte(len(body))}, body)
}

func serverHello() []byte {
	ext := cat(tlsExt(43, u16(0x0304)), tlsExt(51, cat(u16(0x001d), u16(32), seqBytes(32, 0x33))))
	body := cat(u16(0x0303), seqBytes(32, 0x50), []byte{0}, u16(0x1301), []byte{0}, u16(len(ext)), ext)
	return cat([]byte{2, 0, byte(len(body) >> 8), byte(len(body))}, body)
}

func cryptoFrame(off int, data []byte) []byte {
	return cat([]byte{0x06, 0x40 | byte(off>>8), byte(off), 0x40 | byte(len(data)>>8), byte(len(data))}, data)
}

// padTo pads a client Initial's payload so the datagram is 1200 bytes
// (RFC 9000 section 14.1).
func padTo(hdrLen int, payload []byte) []byte {
	n := 1200 - hdrLen - 2 - 4 - 16 - len(payload)
	if n < 0 {
		n = 0
	}
	return append(payload, make([]byte, n)...)
}

func buildQUIC(out map[string][]byte) {
	const c, s = "192.0.2.1", "192.0.2.2"
	dcid := []byte{0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08} // RFC 9001 Appendix A
	ccid := []byte{0xc1, 0xc2, 0xc3, 0xc4, 0xc5}
	scid := []byte{0x5e, 0x5e, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06}
	up := func(sp, dp uint16, p []byte) []byte { return ethIP4(ip4(c, s, 17, udp(c, s, sp, dp, p))) }
	down := func(sp, dp uint16, p []byte) []byte {
		return eth(macA, macB, 0x0800, ip4(s, c, 17, udp(s, c, sp, dp, p)))
	}

	ch := clientHello("wirelens.test", "h3")
	h := longHdr(0, dcid, ccid, true)
	cinit := quicProtect(dcid, false, h, 0, padTo(len(h), cryptoFrame(0, ch)))
	ack := []byte{0x02, 0x00, 0x00, 0x00, 0x00}
	h = longHdr(0, ccid, scid, true)
	sinit := quicProtect(dcid, true, h, 0, cat(ack, cryptoFrame(0, serverHello())))
	// A Handshake packet: keys from the TLS handshake, which an observer
	// cannot have; random-looking bytes stand for its ciphertext.
	hs := cat(longHdr(2, ccid, scid, false), []byte{0x40, 0x40}, seqBytes(64, 0x21))
	h = longHdr(0, scid, ccid, true)
	cack := quicProtect(dcid, false, h, 1, padTo(len(h), []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}))
	hs2 := cat(longHdr(2, scid, ccid, false), []byte{0x40, 0x30}, seqBytes(48, 0x44))
	short := func(cid []byte, kp byte, n int) []byte {
		return cat([]byte{0x40 | kp<<2 | 0x01}, cid, seqBytes(n, 0x5a))
	}

	// A second client splits its Hello over two CRYPTO frames, the second
	// half first, and pings.
	dcid2 := []byte{0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02}
	ch2 := clientHello("split.wirelens.test", "h3")
	h = longHdr(0, dcid2, nil, true)
	split := quicProtect(dcid2, false, h, 0, padTo(len(h), cat([]byte{0x01}, cryptoFrame(100, ch2[100:]), cryptoFrame(0, ch2[:100]))))

	vn := cat([]byte{0x80 | 0x2a, 0, 0, 0, 0, byte(len(ccid))}, ccid, []byte{byte(len(dcid))}, dcid, []byte{0, 0, 0, 1, 0xff, 0, 0, 0x1d})

	dcid3 := []byte{0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38}
	ch3 := clientHello("heuristic.wirelens.test", "h3")
	h = longHdr(0, dcid3, ccid, true)
	heur := quicProtect(dcid3, false, h, 0, padTo(len(h), cryptoFrame(0, ch3)))

	out["quic.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		up(50123, 443, cinit),
		down(443, 50123, cat(sinit, hs)),
		up(50123, 443, cat(cack, hs2)),
		up(50123, 443, short(scid, 0, 40)),
		down(443, 50123, short(ccid, 0, 60)),
		up(50124, 443, split),
		down(443, 50125, vn),
		up(50126, 4433, heur),
	))
}
