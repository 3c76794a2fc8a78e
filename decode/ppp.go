package decode

import (
	"encoding/binary"
	"fmt"
)

// PPP frames in HDLC-like framing (RFC 1662): the address and control
// bytes, when present, then the protocol number, dispatched through
// pppProtos. Enough for PPP in GRE (PPTP); PPP's link types and its
// control protocols are for their own files to add.

var (
	fPPP      = Register(FieldDef{Name: "ppp", Label: "Point-to-Point Protocol", Type: FTProtocol})
	fPPPAddr  = Register(FieldDef{Name: "ppp.address", Label: "Address", Type: FTUint, Base: BaseHex, Bits: 8})
	fPPPCtrl  = Register(FieldDef{Name: "ppp.control", Label: "Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fPPPProto = Register(FieldDef{Name: "ppp.protocol", Label: "Protocol", Type: FTUint, Base: BaseHex, Bits: 16, Values: pppProtoNames, Display: etherTypeLine})
)

var pppProtoNames = map[uint64]string{0x0021: "Internet Protocol version 4", 0x0057: "Internet Protocol version 6",
	0x0281: "MPLS Unicast", 0x0283: "MPLS Multicast", 0xc021: "Link Control Protocol", 0x8021: "Internet Protocol Control Protocol",
	0x8057: "IPv6 Control Protocol", 0xc023: "Password Authentication Protocol", 0xc223: "Challenge Handshake Authentication Protocol",
	0x80fd: "Compression Control Protocol", 0x00fd: "Compressed datagram"}

// dissectPPP reads an HDLC-framed PPP frame (address 0xff, control 0x03
// may be left out, RFC 1661 address-and-control-field compression; the
// protocol may be one byte, protocol-field compression).
func dissectPPP(b *builder, off int) int {
	d := b.data[off:]
	b.addProtocol("ppp")
	if b.ds.Summary {
		b.proto = "PPP"
	}
	p := 0
	hasAC := len(d) >= 2 && d[0] == 0xff && d[1] == 0x03
	if hasAC {
		p = 2
	}
	if len(d) < p+1 {
		b.malformed("PPP", off, "header cut short")
		return len(b.data)
	}
	var proto uint16
	plen := 2
	if d[p]&1 != 0 { // protocol-field compression: one byte
		proto, plen = uint16(d[p]), 1
	} else {
		if len(d) < p+2 {
			b.malformed("PPP", off, "protocol cut short")
			return len(b.data)
		}
		proto = binary.BigEndian.Uint16(d[p:])
	}
	b.open(fPPP, off, p+plen)
	if hasAC {
		b.addU(fPPPAddr, off, 1, 0xff)
		b.addU(fPPPCtrl, off+1, 1, 0x03)
	}
	b.addU(fPPPProto, off+p, plen, uint64(proto))
	b.close()
	pay := off + p + plen
	if pay >= len(b.data) {
		return len(b.data)
	}
	if _, ok := b.dispatch(pppProtos, uint32(proto), pay, len(b.data)); !ok {
		if b.ds.Summary {
			b.setInfo(fmt.Sprintf("PPP protocol 0x%04x", proto))
		}
		dissectData(b, pay)
	}
	return len(b.data)
}

var (
	pppPayload = newPayload("ppp", "Point-to-Point Protocol", dissectPPP)

	_ = greProtos.register(0x880b, pppPayload) // PPTP
)
