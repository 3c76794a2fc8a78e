package decode

import (
	"encoding/binary"
	"fmt"
)

// PPP (RFC 1661) in HDLC-like framing (RFC 1662): as a link type
// (LINKTYPE_PPP 9 and LINKTYPE_PPP_HDLC 50, both WTAP_ENCAP_PPP in
// Wireshark) and in GRE (PPTP). The address and control bytes (0xff 0x03)
// may be compressed away (ACFC), and the protocol to one byte (PFC: an odd
// first byte). The protocol is looked up in the ppp.protocol table, which
// IP, IPv6, MPLS and LCP register into.

var (
	fPPP        = Register(FieldDef{Name: "ppp", Label: "Point-to-Point Protocol", Type: FTProtocol})
	fPPPAddress = Register(FieldDef{Name: "ppp.address", Label: "Address", Type: FTUint, Base: BaseHex, Bits: 8})
	fPPPControl = Register(FieldDef{Name: "ppp.control", Label: "Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fPPPProto   = Register(FieldDef{Name: "ppp.protocol", Label: "Protocol", Type: FTUint, Base: BaseHex, Bits: 16, Values: pppProtoNames,
		Display: func(f *Field) string {
			name, ok := f.Def.Values[f.U]
			if !ok {
				name = "Unknown"
			}
			return fmt.Sprintf("Protocol: %s (0x%04x)", name, f.U)
		}})

	fLCP = Register(FieldDef{Name: "lcp", Label: "PPP Link Control Protocol", Type: FTProtocol})
	// Wireshark names the common header of the PPP control protocols
	// ppp.code, ppp.identifier and ppp.length.
	fLCPCode   = Register(FieldDef{Name: "ppp.code", Label: "Code", Type: FTUint, Values: lcpCodeNames})
	fLCPIdent  = Register(FieldDef{Name: "ppp.identifier", Label: "Identifier", Type: FTUint, Base: BaseDecHex, Bits: 8})
	fLCPLen    = Register(FieldDef{Name: "ppp.length", Label: "Length", Type: FTUint})
	fLCPOpt    = Register(FieldDef{Name: "lcp.opt.type", Label: "Type", Type: FTUint, Values: lcpOptNames})
	fLCPOptLen = Register(FieldDef{Name: "lcp.opt.length", Label: "Length", Type: FTUint})
	fLCPMRU    = Register(FieldDef{Name: "lcp.opt.mru", Label: "Maximum Receive Unit", Type: FTUint})
	fLCPMagic  = Register(FieldDef{Name: "lcp.opt.magic_number", Label: "Magic Number", Type: FTUint, Base: BaseHex, Bits: 32})
)

var pppProtoNames = map[uint64]string{0x0021: "Internet Protocol version 4", 0x0057: "Internet Protocol version 6",
	0xc021: "Link Control Protocol", 0x8021: "Internet Protocol Control Protocol", 0x8057: "IPv6 Control Protocol",
	0xc023: "Password Authentication Protocol", 0xc223: "Challenge Handshake Authentication Protocol",
	0x0281: "MPLS Unicast", 0x0283: "MPLS Multicast", 0x80fd: "Compression Control Protocol", 0x00fd: "Compressed datagram"}

var lcpOptNames = map[uint64]string{1: "Maximum Receive Unit", 2: "Async Control Character Map", 3: "Authentication Protocol",
	4: "Quality Protocol", 5: "Magic Number", 7: "Protocol Field Compression", 8: "Address and Control Field Compression"}

var lcpCodeNames = map[uint64]string{1: "Configuration Request", 2: "Configuration Ack", 3: "Configuration Nak",
	4: "Configuration Reject", 5: "Termination Request", 6: "Termination Ack", 7: "Code Reject", 8: "Protocol Reject",
	9: "Echo Request", 10: "Echo Reply", 11: "Discard Request", 12: "Identification", 13: "Time Remaining"}

// dissectPPP dissects a PPP frame at off (without FCS) and returns its end.
func dissectPPP(b *builder, off int) int {
	b.addProtocol("ppp")
	if b.ds.Summary {
		b.proto = "PPP"
		if b.src == "" && b.dst == "" {
			// A point-to-point link has no addresses: tshark writes N/A.
			b.setAddrs("N/A", "N/A")
		}
	}
	d := b.data[off:]
	p := 0
	hasAC := len(d) >= 2 && d[0] == 0xff && d[1] == 0x03
	if hasAC {
		p = 2
	}
	if p >= len(d) {
		b.malformed("PPP", off, "protocol field cut short")
		return len(b.data)
	}
	var proto uint16
	plen := 2
	if d[p]&1 != 0 { // protocol field compressed to one byte (PFC)
		proto, plen = uint16(d[p]), 1
	} else if p+2 <= len(d) {
		proto = binary.BigEndian.Uint16(d[p:])
	} else {
		b.malformed("PPP", off+p, "protocol field cut short")
		return len(b.data)
	}
	b.open(fPPP, off, p+plen)
	if hasAC {
		b.addU(fPPPAddress, off, 1, 0xff)
		b.addU(fPPPControl, off+1, 1, 0x03)
	}
	b.addU(fPPPProto, off+p, plen, uint64(proto))
	b.close()
	body := off + p + plen
	if body >= len(b.data) {
		return len(b.data)
	}
	if _, ok := b.dispatch(pppProtos, uint32(proto), body, len(b.data)); !ok {
		if b.ds.Summary {
			b.setInfo(fmt.Sprintf("PPP protocol 0x%04x", proto))
		}
		dissectData(b, body)
	}
	return len(b.data)
}

func dissectLCP(b *builder, off int) int {
	d := b.enterLayer("lcp", "PPP LCP", off, len(b.data))
	if len(d) < 4 {
		b.malformed("PPP LCP", off, "header cut short")
		return len(b.data)
	}
	code := d[0]
	l := int(binary.BigEndian.Uint16(d[2:]))
	if l < 4 || l > len(d) {
		l = len(d)
	}
	b.open(fLCP, off, l)
	b.addU(fLCPCode, off, 1, uint64(code))
	b.addU(fLCPIdent, off+1, 1, uint64(d[1]))
	b.addU(fLCPLen, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	if code >= 1 && code <= 4 { // Configure-*: options follow
		for p := 4; p+2 <= l; {
			t, ol := d[p], int(d[p+1])
			if ol < 2 || p+ol > l {
				b.malformed("PPP LCP", off+p, "option length past the packet")
				break
			}
			b.addU(fLCPOpt, off+p, 1, uint64(t))
			b.addU(fLCPOptLen, off+p+1, 1, uint64(ol))
			switch {
			case t == 1 && ol == 4:
				b.addU(fLCPMRU, off+p+2, 2, uint64(binary.BigEndian.Uint16(d[p+2:])))
			case t == 5 && ol == 6:
				b.addU(fLCPMagic, off+p+2, 4, uint64(binary.BigEndian.Uint32(d[p+2:])))
			}
			p += ol
		}
	}
	b.close()
	if b.ds.Summary {
		if n, ok := lcpCodeNames[uint64(code)]; ok {
			b.setInfo(n)
		} else {
			b.setInfo(fmt.Sprintf("Unknown (0x%02x)", code))
		}
	}
	return off + l
}

var (
	pppPayload = newPayload("ppp", "Point-to-Point Protocol", dissectPPP)
	_          = pppProtos.register(0xc021, newPayload("lcp", "PPP Link Control Protocol", dissectLCP))
	_          = registerLink(9, 4, "PPP", func(b *builder) { dissectPPP(b, 0) })
	_          = registerLink(50, 4, "PPP", func(b *builder) { dissectPPP(b, 0) })
	_          = greProtos.register(0x880b, pppPayload) // PPTP
)
