package decode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// QUIC (RFC 9000) as Wireshark's packet-quic.c shows it without a key log:
// long and short headers, and the Initial packets decrypted with the keys
// every observer can derive from the client's first Destination
// Connection ID (RFC 9001 section 5.2), so their frames and the TLS Client
// and Server Hello they carry (SNI, ALPN) are shown as tshark does. Other
// packets are protected: tshark's Info is "Protected Payload (KP0),
// DCID=...". Found on UDP 443 and, as Wireshark's heuristic does, on any
// port whose payload is a version 1 long header.

var quicLongTypes = map[uint64]string{0: "Initial", 1: "0-RTT", 2: "Handshake", 3: "Retry"}

var quicFrameTypes = map[uint64]string{0x00: "PADDING", 0x01: "PING", 0x02: "ACK", 0x03: "ACK", 0x04: "RESET_STREAM",
	0x05: "STOP_SENDING", 0x06: "CRYPTO", 0x07: "NEW_TOKEN", 0x08: "STREAM", 0x09: "STREAM", 0x0a: "STREAM", 0x0b: "STREAM",
	0x0c: "STREAM", 0x0d: "STREAM", 0x0e: "STREAM", 0x0f: "STREAM", 0x10: "MAX_DATA", 0x11: "MAX_STREAM_DATA",
	0x12: "MAX_STREAMS", 0x13: "MAX_STREAMS", 0x14: "DATA_BLOCKED", 0x15: "STREAM_DATA_BLOCKED", 0x16: "STREAMS_BLOCKED",
	0x17: "STREAMS_BLOCKED", 0x18: "NEW_CONNECTION_ID", 0x19: "RETIRE_CONNECTION_ID", 0x1a: "PATH_CHALLENGE",
	0x1b: "PATH_RESPONSE", 0x1c: "CONNECTION_CLOSE", 0x1d: "CONNECTION_CLOSE", 0x1e: "HANDSHAKE_DONE"}

var quicVersionNames = map[uint64]string{0x00000001: "1", 0x6b3343cf: "2", 0xff00001d: "draft-29", 0x00000000: "Negotiation"}

var (
	fQUIC         = Register(FieldDef{Name: "quic", Label: "QUIC IETF", Type: FTProtocol})
	fQUICConnInfo = Register(FieldDef{Name: "quic.connection_info", Label: "QUIC Connection information", Type: FTNone})
	fQUICConnNum  = Register(FieldDef{Name: "quic.connection.number", Label: "Connection Number", Type: FTUint})
	fQUICPktLen   = Register(FieldDef{Name: "quic.packet_length", Label: "Packet Length", Type: FTUint})
	fQUICForm     = Register(FieldDef{Name: "quic.header_form", Label: "Header Form", Type: FTUint, Bits: 8, Bitmask: 0x80, Values: map[uint64]string{0: "Short Header", 1: "Long Header"}, Display: bitLine})
	fQUICFixed    = Register(FieldDef{Name: "quic.fixed_bit", Label: "Fixed Bit", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: bitLine})
	fQUICType     = Register(FieldDef{Name: "quic.long.packet_type", Label: "Packet Type", Type: FTUint, Bits: 8, Bitmask: 0x30, Values: quicLongTypes, Display: bitLine})
	fQUICRes      = Register(FieldDef{Name: "quic.long.reserved", Label: "Reserved", Type: FTUint, Bits: 8, Bitmask: 0x0c, Display: bitLine})
	fQUICPNLen    = Register(FieldDef{Name: "quic.packet_number_length", Label: "Packet Number Length", Type: FTUint, Bits: 8, Bitmask: 0x03, Values: map[uint64]string{0: "1 bytes", 1: "2 bytes", 2: "3 bytes", 3: "4 bytes"}, Display: bitLine})
	fQUICVersion  = Register(FieldDef{Name: "quic.version", Label: "Version", Type: FTUint, Base: BaseHex, Bits: 32, Values: quicVersionNames})
	fQUICDCIL     = Register(FieldDef{Name: "quic.dcil", Label: "Destination Connection ID Length", Type: FTUint})
	fQUICDCID     = Register(FieldDef{Name: "quic.dcid", Label: "Destination Connection ID", Type: FTBytes})
	fQUICSCIL     = Register(FieldDef{Name: "quic.scil", Label: "Source Connection ID Length", Type: FTUint})
	fQUICSCID     = Register(FieldDef{Name: "quic.scid", Label: "Source Connection ID", Type: FTBytes})
	fQUICTokLen   = Register(FieldDef{Name: "quic.token_length", Label: "Token Length", Type: FTUint})
	fQUICToken    = Register(FieldDef{Name: "quic.token", Label: "Token", Type: FTBytes})
	fQUICLength   = Register(FieldDef{Name: "quic.length", Label: "Length", Type: FTUint})
	fQUICPN       = Register(FieldDef{Name: "quic.packet_number", Label: "Packet Number", Type: FTUint})
	fQUICPayload  = Register(FieldDef{Name: "quic.payload", Label: "Payload", Type: FTBytes})
	fQUICSupVer   = Register(FieldDef{Name: "quic.supported_version", Label: "Supported Version", Type: FTUint, Base: BaseHex, Bits: 32, Values: quicVersionNames})
	fQUICShort    = Register(FieldDef{Name: "quic.short", Label: "QUIC Short Header", Type: FTNone})
	fQUICSpin     = Register(FieldDef{Name: "quic.spin_bit", Label: "Spin Bit", Type: FTBool, Bits: 8, Bitmask: 0x20, Display: bitLine})
	fQUICProt     = Register(FieldDef{Name: "quic.protected_payload", Label: "Protected Payload", Type: FTBytes})
	fQUICRemain   = Register(FieldDef{Name: "quic.remaining_payload", Label: "Remaining Payload", Type: FTBytes})
	fQUICFrame    = Register(FieldDef{Name: "quic.frame", Label: "Frame", Type: FTNone})
	fQUICFType    = Register(FieldDef{Name: "quic.frame_type", Label: "Frame Type", Type: FTUint, Values: quicFrameTypes,
		Display: func(f *Field) string { return fmt.Sprintf("Frame Type: %s (0x%016x)", quicFrameTypes[f.U], f.U) }})
	fQUICPadLen = Register(FieldDef{Name: "quic.padding_length", Label: "Padding Length", Type: FTUint})
	fQUICAckLA  = Register(FieldDef{Name: "quic.ack.largest_acknowledged", Label: "Largest Acknowledged", Type: FTUint})
	fQUICAckDel = Register(FieldDef{Name: "quic.ack.ack_delay", Label: "ACK Delay", Type: FTUint})
	fQUICAckRC  = Register(FieldDef{Name: "quic.ack.ack_range_count", Label: "ACK Range Count", Type: FTUint})
	fQUICAckFR  = Register(FieldDef{Name: "quic.ack.first_ack_range", Label: "First ACK Range", Type: FTUint})
	fQUICCrOff  = Register(FieldDef{Name: "quic.crypto.offset", Label: "Offset", Type: FTUint})
	fQUICCrLen  = Register(FieldDef{Name: "quic.crypto.length", Label: "Length", Type: FTUint})
	fQUICCrData = Register(FieldDef{Name: "quic.crypto.crypto_data", Label: "Crypto Data", Type: FTNone})
	fQUICCCErr  = Register(FieldDef{Name: "quic.cc.error_code", Label: "Error code", Type: FTUint})
)

// quicV1Salt is RFC 9001's initial_salt for version 1.
var quicV1Salt = []byte{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a}

// hkdfExpandLabel is TLS 1.3's HKDF-Expand-Label with an empty context.
func hkdfExpandLabel(secret []byte, label string, n int) []byte {
	full := "tls13 " + label
	info := make([]byte, 0, 4+len(full))
	info = append(info, byte(n>>8), byte(n), byte(len(full)))
	info = append(info, full...)
	info = append(info, 0)
	out, err := hkdf.Expand(sha256.New, secret, string(info), n)
	if err != nil {
		panic(err) // n is a constant well under the HKDF limit
	}
	return out
}

// quicKeys are one direction's Initial packet protection keys.
type quicKeys struct {
	aead cipher.AEAD
	iv   []byte
	hp   cipher.Block
}

// quicInitialKeys derives the Initial keys of one side from the client's
// first Destination Connection ID (RFC 9001 section 5.2).
func quicInitialKeys(dcid []byte, server bool) quicKeys {
	initial, err := hkdf.Extract(sha256.New, dcid, quicV1Salt)
	if err != nil {
		panic(err)
	}
	label := "client in"
	if server {
		label = "server in"
	}
	secret := hkdfExpandLabel(initial, label, 32)
	key := hkdfExpandLabel(secret, "quic key", 16)
	blk, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(blk)
	hp, _ := aes.NewCipher(hkdfExpandLabel(secret, "quic hp", 16))
	return quicKeys{aead: aead, iv: hkdfExpandLabel(secret, "quic iv", 12), hp: hp}
}

// quicUnprotect removes header protection and decrypts a long header
// packet pkt whose packet number starts at pnOff: it returns the first
// byte and packet number in clear, the packet number's length, and the
// plaintext, which lies where its ciphertext does in pkt (AES-GCM keeps
// lengths) and lacks the 16-byte tag.
func quicUnprotect(k quicKeys, pkt []byte, pnOff int) (first byte, pn uint64, pnLen int, plain []byte, ok bool) {
	if pnOff+4+16 > len(pkt) {
		return 0, 0, 0, nil, false
	}
	var mask [16]byte
	k.hp.Encrypt(mask[:], pkt[pnOff+4:pnOff+20])
	first = pkt[0] ^ mask[0]&0x0f
	if pkt[0]&0x80 == 0 {
		first = pkt[0] ^ mask[0]&0x1f
	}
	pnLen = int(first&3) + 1
	hdr := make([]byte, pnOff+pnLen)
	copy(hdr, pkt)
	hdr[0] = first
	for i := 0; i < pnLen; i++ {
		hdr[pnOff+i] ^= mask[1+i]
		pn = pn<<8 | uint64(hdr[pnOff+i])
	}
	nonce := make([]byte, 12)
	copy(nonce, k.iv)
	for i := 0; i < 8; i++ {
		nonce[11-i] ^= byte(pn >> (8 * i))
	}
	ct := pkt[pnOff+pnLen:]
	if len(ct) < 16 {
		return 0, 0, 0, nil, false
	}
	plain, err := k.aead.Open(nil, nonce, ct, hdr)
	if err != nil {
		return first, pn, pnLen, nil, false
	}
	return first, pn, pnLen, plain, true
}

// quicVarint reads a variable-length integer (RFC 9000 section 16).
func quicVarint(d []byte) (v uint64, n int, ok bool) {
	if len(d) == 0 {
		return 0, 0, false
	}
	n = 1 << (d[0] >> 6)
	if len(d) < n {
		return 0, 0, false
	}
	v = uint64(d[0] & 0x3f)
	for i := 1; i < n; i++ {
		v = v<<8 | uint64(d[i])
	}
	return v, n, true
}

// quicConn is what a QUIC conversation remembers: the client's endpoint,
// its first Destination Connection ID (the Initial keys' secret) and the
// connection IDs each side chose (for the short headers' DCID length).
type quicConn struct {
	client     [16]byte
	clientPort uint16
	origDCID   []byte
	index      int       // quic.connection.number
	cid        [2][]byte // [0] the client's SCID, [1] the server's
}

// maxQUICConns bounds the QUIC conversations remembered.
const maxQUICConns = 1 << 16

func (b *builder) quicKey() (convKey, bool) {
	if b.netSrc == nil {
		return convKey{}, false
	}
	src, dst := addrKey(b.netSrc), addrKey(b.netDst)
	k := convKey{src, dst, b.sport, b.dport}
	if less(dst, b.dport, src, b.sport) {
		k = convKey{dst, src, b.dport, b.sport}
	}
	return k, true
}

// quicConnOf returns a copy of the conversation's state, and whether
// this datagram comes from the client; a client Initial seen first
// creates the conversation.
func (t *convTable) quicConnOf(b *builder, clientInitial bool, dcid, scid []byte) (quicConn, bool, bool) {
	k, ok := b.quicKey()
	if !ok {
		return quicConn{}, false, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.quic[k]
	if c == nil && clientInitial && !b.ds.Frozen && !b.inQuote {
		if t.quic == nil || len(t.quic) >= maxQUICConns {
			t.quic = map[convKey]*quicConn{}
		}
		c = &quicConn{index: t.quicNext, client: addrKey(b.netSrc), clientPort: b.sport, origDCID: append([]byte(nil), dcid...)}
		c.cid[0] = append([]byte(nil), scid...)
		t.quic[k] = c
		t.quicNext++
	}
	if c == nil {
		return quicConn{}, false, false
	}
	fromClient := addrKey(b.netSrc) == c.client && b.sport == c.clientPort
	if !fromClient && scid != nil && c.cid[1] == nil && !b.ds.Frozen {
		c.cid[1] = append([]byte(nil), scid...)
	}
	return *c, fromClient, true
}

// quicLooksLong says whether d starts a version 1 long header packet.
func quicLooksLong(d []byte) bool {
	return len(d) >= 7 && d[0]&0xc0 == 0xc0 && binary.BigEndian.Uint32(d[1:]) == 1 && d[5] <= 20
}

func dissectQUIC(b *builder, off int) int {
	b.addProtocol("quic")
	if b.ds.Summary {
		b.proto = "QUIC"
	}
	// Each packet of a datagram writes Info over the one before, as
	// tshark's does: a coalesced datagram shows its last packet.
	info := ""
	for off < len(b.data) {
		n, s := quicPacket(b, off, info == "")
		if s != "" {
			info = s
		}
		if n <= 0 {
			break
		}
		off += n
	}
	if b.ds.Summary {
		b.setInfo(info)
	}
	return len(b.data)
}

// quicPacket dissects one packet of a datagram and returns its length (0
// when it runs to the datagram's end) and its Info.
func quicPacket(b *builder, off int, firstInDatagram bool) (int, string) {
	d := b.data[off:]
	root := b.mark()
	b.open(fQUIC, off, len(d))
	defer b.close()
	first := d[0]
	if first&0x80 == 0 {
		return 0, quicShort(b, off)
	}
	if len(d) < 7 {
		b.malformed("QUIC", off, "long header cut short")
		return 0, ""
	}
	ver := binary.BigEndian.Uint32(d[1:])
	typ := first >> 4 & 3
	pdcid, pscid := quicPeekCIDs(d)
	conn, fromClient, known := b.ds.conv.quicConnOf(b, typ == 0 && ver == 1 && pdcid != nil, pdcid, pscid)
	quicConnInfo(b, off, conn, known && firstInDatagram)
	plen := b.mark()
	b.addU(fQUICPktLen, off, 0, uint64(len(d))).Generated = true
	b.addU(fQUICForm, off, 1, 1)
	if ver == 0 {
		// Version Negotiation
		b.addU(fQUICVersion, off+1, 4, 0)
		dcid, scid, p, ok := quicCIDs(b, off, d)
		if !ok {
			return 0, ""
		}
		for ; p+4 <= len(d); p += 4 {
			b.addU(fQUICSupVer, off+p, 4, uint64(binary.BigEndian.Uint32(d[p:])))
		}
		return 0, "Version Negotiation" + quicCIDInfo(dcid, scid)
	}
	name := quicLongTypes[uint64(typ)]
	// Find the packet's end and decrypt it before adding the header's
	// fields: the reserved bits and packet number length, shown after
	// the type, are known only once header protection is removed.
	var plain []byte
	var pn uint64
	var pnLen int
	var clear byte
	end := len(d)
	if pdcid != nil && typ != 3 {
		q := 7 + len(pdcid) + len(pscid)
		ok := true
		if typ == 0 {
			tl, n, good := quicVarint(d[q:])
			ok = good && tl <= uint64(len(d))
			q += n + int(tl)
		}
		if ok && q < len(d) {
			if length, n, good := quicVarint(d[q:]); good && length <= uint64(len(d)) && q+n+int(length) <= len(d) {
				end = q + n + int(length)
				if typ == 0 && ver == 1 {
					secret, server := pdcid, false
					if known {
						secret, server = conn.origDCID, !fromClient
					}
					var good bool
					if clear, pn, pnLen, plain, good = quicUnprotect(quicInitialKeys(secret, server), d[:end], q+n); !good {
						plain = nil
					}
				}
			}
		}
	}
	b.addU(fQUICFixed, off, 1, uint64(first>>6&1))
	b.addU(fQUICType, off, 1, uint64(typ))
	if plain != nil {
		b.addU(fQUICRes, off, 1, uint64(clear>>2&3))
		b.addU(fQUICPNLen, off, 1, uint64(clear&3))
	}
	b.addU(fQUICVersion, off+1, 4, uint64(ver))
	dcid, scid, p, ok := quicCIDs(b, off, d)
	if !ok {
		return 0, ""
	}
	if typ == 3 { // Retry: token and integrity tag
		if len(d)-p >= 16 {
			b.addB(fQUICToken, off+p, len(d)-p-16)
		}
		return 0, name + quicCIDInfo(dcid, scid)
	}
	if typ == 0 {
		tl, n, ok := quicVarint(d[p:])
		if !ok || p+n+int(tl) > len(d) || tl > uint64(len(d)) {
			b.malformed("QUIC", off+p, "token cut short")
			return 0, ""
		}
		b.addU(fQUICTokLen, off+p, n, tl)
		p += n
		if tl > 0 {
			b.addB(fQUICToken, off+p, int(tl))
		}
		p += int(tl)
	}
	length, n, ok := quicVarint(d[p:])
	if !ok {
		b.malformed("QUIC", off+p, "length cut short")
		return 0, ""
	}
	b.addU(fQUICLength, off+p, n, length)
	p += n
	b.at(root).Length = int32(end)
	b.at(plen).U = uint64(end)
	info := name + quicCIDInfo(dcid, scid)
	if plain == nil {
		b.addB(fQUICRemain, off+p, end-p)
		return end, info
	}
	b.addU(fQUICPN, off+p, pnLen, pn)
	info += fmt.Sprintf(", PKN: %d", pn)
	// A copy of the frame with the plaintext over its ciphertext, so the
	// frames' fields cover the bytes they were decrypted from.
	po := off + p + pnLen
	b.addB(fQUICPayload, po, off+end-po)
	saved := b.data
	clearData := append([]byte(nil), saved...)
	copy(clearData[po:], plain)
	b.data = clearData[:po+len(plain)]
	names := quicFrames(b, po, b.data[po:])
	b.data = saved
	if len(names) > 0 {
		info += ", " + strings.Join(names, ", ")
	}
	return end, info
}

// quicPeekCIDs reads a long header's connection IDs (nil when cut).
func quicPeekCIDs(d []byte) (dcid, scid []byte) {
	if len(d) < 6 || d[5] > 20 || 6+int(d[5]) >= len(d) {
		return nil, nil
	}
	dl := int(d[5])
	sl := int(d[6+dl])
	if sl > 20 || 7+dl+sl > len(d) {
		return nil, nil
	}
	return d[6 : 6+dl], d[7+dl : 7+dl+sl]
}

func quicConnInfo(b *builder, off int, c quicConn, known bool) {
	if !known {
		return
	}
	b.open(fQUICConnInfo, off, 0)
	b.addU(fQUICConnNum, off, 0, uint64(c.index)).Generated = true
	b.close()
}

// quicKnown says whether the datagram belongs to a QUIC conversation.
func (t *convTable) quicKnown(b *builder) bool {
	k, ok := b.quicKey()
	if !ok {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.quic[k] != nil
}

// quicCIDs adds the connection ID lengths and IDs after the version and
// returns them with the offset after them.
func quicCIDs(b *builder, off int, d []byte) (dcid, scid []byte, p int, ok bool) {
	p = 5
	dl := int(d[p])
	if dl > 20 || p+1+dl >= len(d) {
		b.malformed("QUIC", off+p, "destination connection ID cut short")
		return nil, nil, 0, false
	}
	b.addU(fQUICDCIL, off+p, 1, uint64(dl))
	if dl > 0 {
		b.addB(fQUICDCID, off+p+1, dl)
	}
	dcid = d[p+1 : p+1+dl]
	p += 1 + dl
	sl := int(d[p])
	if sl > 20 || p+1+sl > len(d) {
		b.malformed("QUIC", off+p, "source connection ID cut short")
		return nil, nil, 0, false
	}
	b.addU(fQUICSCIL, off+p, 1, uint64(sl))
	if sl > 0 {
		b.addB(fQUICSCID, off+p+1, sl)
	}
	scid = d[p+1 : p+1+sl]
	return dcid, scid, p + 1 + sl, true
}

func quicCIDInfo(dcid, scid []byte) string {
	s := ""
	if len(dcid) > 0 {
		s += ", DCID=" + hex.EncodeToString(dcid)
	}
	if len(scid) > 0 {
		s += ", SCID=" + hex.EncodeToString(scid)
	}
	return s
}

// quicShort dissects a short header packet: its Destination Connection
// ID's length is what the peer chose in its long headers.
func quicShort(b *builder, off int) string {
	d := b.data[off:]
	conn, fromClient, known := b.ds.conv.quicConnOf(b, false, nil, nil)
	quicConnInfo(b, off, conn, known)
	b.addU(fQUICPktLen, off, 0, uint64(len(d))).Generated = true
	dl := 0
	if known {
		if fromClient {
			dl = len(conn.cid[1])
		} else {
			dl = len(conn.cid[0])
		}
	}
	if 1+dl > len(d) {
		dl = len(d) - 1
	}
	b.open(fQUICShort, off, 1+dl).Text = "QUIC Short Header" + strings.Replace(quicCIDInfo(d[1:1+dl], nil), ",", "", 1)
	b.addU(fQUICForm, off, 1, 0)
	b.addU(fQUICFixed, off, 1, uint64(d[0]>>6&1))
	b.addU(fQUICSpin, off, 1, uint64(d[0]>>5&1))
	if dl > 0 {
		b.addB(fQUICDCID, off+1, dl)
	}
	b.close()
	b.addB(fQUICRemain, off+1+dl, len(d)-1-dl)
	// The key phase bit is header-protected: without the 1-RTT keys
	// tshark shows it as it is on the wire.
	info := fmt.Sprintf("Protected Payload (KP%d)", d[0]>>2&1)
	if dl > 0 {
		info += ", DCID=" + hex.EncodeToString(d[1:1+dl])
	}
	return info
}

// quicFrames dissects the frames of a decrypted payload and returns their
// names for Info, each once in a row.
func quicFrames(b *builder, off int, d []byte) []string {
	var names []string
	var crypto []quicCrypto
	inline := false
	for p := 0; p < len(d); {
		ft, n, ok := quicVarint(d[p:])
		if !ok {
			break
		}
		name, known := quicFrameTypes[ft]
		if !known {
			name = fmt.Sprintf("Unknown (0x%x)", ft)
		}
		names = append(names, name)
		start := p
		fi := b.mark()
		b.open(fQUICFrame, off+p, 0).Text = name
		b.addU(fQUICFType, off+p, n, ft)
		p += n
		vs := func(def *FieldDef) (uint64, bool) {
			v, n, ok := quicVarint(d[p:])
			if !ok {
				return 0, false
			}
			b.addU(def, off+p, n, v)
			p += n
			return v, true
		}
		good := true
		switch {
		case ft == 0x00:
			q := p
			for q < len(d) && d[q] == 0 {
				q++
			}
			b.at(fi).Text = fmt.Sprintf("PADDING Length: %d", q-start)
			b.addU(fQUICPadLen, off+p, q-p, uint64(q-start)).Generated = true
			p = q
		case ft == 0x01, ft == 0x1e:
		case ft == 0x02 || ft == 0x03:
			_, good = vs(fQUICAckLA)
			if good {
				_, good = vs(fQUICAckDel)
			}
			var rc uint64
			if good {
				rc, good = vs(fQUICAckRC)
			}
			if good {
				_, good = vs(fQUICAckFR)
			}
			for i := uint64(0); good && i < 2*rc; i++ {
				_, n, ok := quicVarint(d[p:])
				good = ok
				p += n
			}
			if good && ft == 0x03 {
				for i := 0; good && i < 3; i++ {
					_, n, ok := quicVarint(d[p:])
					good = ok
					p += n
				}
			}
		case ft == 0x06:
			var co, cl uint64
			co, good = vs(fQUICCrOff)
			if good {
				cl, good = vs(fQUICCrLen)
			}
			if good && p+int(cl) <= len(d) && cl <= uint64(len(d)) {
				b.add(fQUICCrData, off+p, int(cl))
				c := quicCrypto{co, off + p, d[p : p+int(cl)]}
				if co == 0 && quicWholeMessage(c.data) && !inline {
					// the usual case: the Hello whole in one frame
					quicTLS(b, []quicCrypto{c})
					inline = true
				} else {
					crypto = append(crypto, c)
				}
				p += int(cl)
			} else {
				good = false
			}
		case ft == 0x1c || ft == 0x1d:
			_, good = vs(fQUICCCErr)
			if good && ft == 0x1c {
				_, n, ok := quicVarint(d[p:])
				good = ok
				p += n
			}
			var rl uint64
			if good {
				v, n, ok := quicVarint(d[p:])
				rl, good = v, ok
				p += n
			}
			if good && p+int(rl) <= len(d) && rl <= uint64(len(d)) {
				p += int(rl)
			} else {
				good = false
			}
		default:
			good = false // a frame whose length we do not know ends the walk
		}
		b.close()
		b.at(fi).Length = int32(p - start)
		if !good {
			break
		}
	}
	if !inline && len(crypto) > 0 {
		// under the last CRYPTO frame, as tshark shows a reassembly
		b.depth++
		quicTLS(b, crypto)
		b.depth--
	}
	return names
}

// quicWholeMessage says whether d starts with a whole handshake message.
func quicWholeMessage(d []byte) bool {
	return len(d) >= 4 && 4+(int(d[1])<<16|int(binary.BigEndian.Uint16(d[2:]))) <= len(d)
}

type quicCrypto struct {
	offset uint64
	at     int // where its data is in b.data
	data   []byte
}

// quicTLS dissects the TLS handshake messages the CRYPTO frames carry
// when they start the crypto stream: in place when one frame holds them,
// else from the frames put together (those fields cover no bytes).
func quicTLS(b *builder, cs []quicCrypto) {
	if len(cs) == 0 {
		return
	}
	var msg []byte
	at := -1
	if cs[0].offset == 0 && len(cs) == 1 {
		msg, at = cs[0].data, cs[0].at
	} else {
		// put contiguous frames from offset 0 together, in offset order
		var next uint64
		for progress := true; progress; {
			progress = false
			for _, c := range cs {
				if c.offset == next && len(c.data) > 0 {
					msg = append(msg, c.data...)
					next += uint64(len(c.data))
					progress = true
				}
			}
		}
		if len(msg) == 0 {
			return
		}
	}
	saved := b.data
	base := at
	if at < 0 {
		b.data, base = msg, 0
	}
	from := b.mark()
	b.addProtocol("tls")
	b.open(fTLS, base, len(msg)).S = "TLSv1.3 Record Layer: Handshake Protocol: " + tlsHSName(msg)
	for h := 0; h+4 <= len(msg); {
		ht := msg[h]
		hl := int(msg[h+1])<<16 | int(binary.BigEndian.Uint16(msg[h+2:]))
		he := h + 4 + hl
		if he > len(msg) {
			break // the rest of the message is in a later packet
		}
		b.open(fTLSHS, base+h, he-h).Text = "Handshake Protocol: " + tlsHSName(msg[h:])
		b.addU(fTLSHSType, base+h, 1, uint64(ht))
		b.addU(fTLSHSLen, base+h+1, 3, uint64(hl))
		if ht == 1 || ht == 2 {
			tlsHello(b, base+h+4, msg[h+4:he], ht == 2)
		}
		b.close()
		h = he
	}
	b.close()
	b.data = saved
	if at < 0 {
		for i := from; i < b.mark(); i++ {
			if f := b.at(i); f != &b.scratch {
				f.Offset, f.Length = 0, 0
			}
		}
	}
}

func tlsHSName(m []byte) string {
	if len(m) == 0 {
		return ""
	}
	if n, ok := tlsHandshakeTypes[uint64(m[0])]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", m[0])
}

var quicPayload = func() *Payload {
	p := newPayload("quic", "QUIC (Quick UDP Internet Connections) IETF", dissectQUIC)
	p.Optional = true
	return p
}()

var _ = func() bool {
	// Wireshark 4.0 registers QUIC by heuristic only (no port): a long
	// header of version 1, or any packet of a conversation one started.
	udpPorts.registerHeuristic("quic", func(b *builder, off int) (int, bool) {
		d := b.data[off:]
		if !b.wanted(quicPayload) || len(d) == 0 {
			return 0, false
		}
		if !quicLooksLong(d) && !(d[0]&0x40 != 0 && b.ds.conv.quicKnown(b)) {
			return 0, false
		}
		return dissectQUIC(b, off), true
	})
	return true
}()
