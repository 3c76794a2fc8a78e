package decode

import (
	"encoding/binary"
	"fmt"
)

// PPPoE (RFC 2516): Discovery (EtherType 0x8863: PADI, PADO, PADR, PADS,
// PADT with their tags) and Session (0x8864: a PPP protocol number and
// its payload).

var (
	fPPPoED    = Register(FieldDef{Name: "pppoed", Label: "PPP-over-Ethernet Discovery", Type: FTProtocol})
	fPPPoES    = Register(FieldDef{Name: "pppoes", Label: "PPP-over-Ethernet Session", Type: FTProtocol})
	fPPPoEVer  = Register(FieldDef{Name: "pppoe.version", Label: "Version", Type: FTUint, Bits: 8, Bitmask: 0xf0, Display: bitLine})
	fPPPoEType = Register(FieldDef{Name: "pppoe.type", Label: "Type", Type: FTUint, Bits: 8, Bitmask: 0x0f, Display: bitLine})
	fPPPoECode = Register(FieldDef{Name: "pppoe.code", Label: "Code", Type: FTUint, Base: BaseHex, Bits: 8, Values: pppoeCodeNames,
		Display: func(f *Field) string {
			n, ok := f.Def.Values[f.U]
			if !ok {
				n = "Unknown"
			}
			return fmt.Sprintf("Code: %s (0x%02x)", n, f.U)
		}})
	fPPPoESession = Register(FieldDef{Name: "pppoe.session_id", Label: "Session ID", Type: FTUint, Base: BaseHex, Bits: 16})
	fPPPoELen     = Register(FieldDef{Name: "pppoe.payload_length", Label: "Payload Length", Type: FTUint})
	fPPPoETags    = Register(FieldDef{Name: "pppoed.tags", Label: "PPPoE Tags", Type: FTNone})
	fPPPoESvc     = Register(FieldDef{Name: "pppoed.tags.service_name", Label: "Service-Name", Type: FTString})
	fPPPoEAC      = Register(FieldDef{Name: "pppoed.tags.ac_name", Label: "AC-Name", Type: FTString})
	fPPPoEUniq    = Register(FieldDef{Name: "pppoed.tags.host_uniq", Label: "Host-Uniq", Type: FTBytes})
	fPPPoECookie  = Register(FieldDef{Name: "pppoed.tags.ac_cookie", Label: "AC-Cookie", Type: FTBytes})
	fPPPoETag     = Register(FieldDef{Name: "pppoed.tag", Label: "Tag", Type: FTUint, Base: BaseHex, Bits: 16})
	fPPPoETagData = Register(FieldDef{Name: "pppoed.tag_data", Label: "Tag data", Type: FTBytes})
)

var pppoeCodeNames = map[uint64]string{0x00: "Session Data", 0x07: "Active Discovery Offer (PADO)", 0x09: "Active Discovery Initiation (PADI)",
	0x19: "Active Discovery Request (PADR)", 0x65: "Active Discovery Session-confirmation (PADS)", 0xa7: "Active Discovery Terminate (PADT)"}

// pppoeHeader adds the common 6-byte header and returns the payload length.
func pppoeHeader(b *builder, off int) (code uint8, plen int) {
	d := b.data[off:]
	b.addU(fPPPoEVer, off, 1, uint64(d[0]>>4))
	b.addU(fPPPoEType, off, 1, uint64(d[0]&15))
	b.addU(fPPPoECode, off+1, 1, uint64(d[1]))
	b.addU(fPPPoESession, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	plen = int(binary.BigEndian.Uint16(d[4:]))
	b.addU(fPPPoELen, off+4, 2, uint64(plen))
	return d[1], plen
}

func dissectPPPoED(b *builder, off int) int {
	d := b.enterLayer("pppoed", "PPPoED", off, len(b.data))
	if len(d) < 6 {
		b.malformed("PPPoE Discovery", off, "header cut short")
		return len(b.data)
	}
	b.open(fPPPoED, off, len(d))
	code, plen := pppoeHeader(b, off)
	end := min(off+6+plen, len(b.data))
	var acName string
	if plen > 0 {
		b.open(fPPPoETags, off+6, end-off-6)
		for p := off + 6; p+4 <= end; {
			typ := binary.BigEndian.Uint16(b.data[p:])
			l := int(binary.BigEndian.Uint16(b.data[p+2:]))
			if p+4+l > end {
				b.malformed("PPPoE Discovery", p, "tag length past the payload")
				break
			}
			v := p + 4
			switch {
			case typ == 0 || l == 0:
			case typ == 0x0101:
				b.add(fPPPoESvc, v, l).S = string(b.data[v : v+l])
			case typ == 0x0102:
				acName = string(b.data[v : v+l])
				b.add(fPPPoEAC, v, l).S = acName
			case typ == 0x0103:
				b.addB(fPPPoEUniq, v, l)
			case typ == 0x0104:
				b.addB(fPPPoECookie, v, l)
			default:
				b.addU(fPPPoETag, p, 2, uint64(typ))
				b.addB(fPPPoETagData, v, l)
			}
			p = v + l
		}
		b.close()
	}
	b.close()
	if b.ds.Summary {
		n, ok := pppoeCodeNames[uint64(code)]
		if !ok {
			n = fmt.Sprintf("Unknown (0x%02x)", code)
		}
		if acName != "" {
			n += " AC-Name='" + acName + "'"
		}
		b.setInfo(n)
	}
	return end
}

func dissectPPPoES(b *builder, off int) int {
	d := b.enterLayer("pppoes", "PPPoES", off, len(b.data))
	if len(d) < 8 {
		b.malformed("PPPoE Session", off, "header cut short")
		return len(b.data)
	}
	b.open(fPPPoES, off, 6)
	_, plen := pppoeHeader(b, off)
	b.close()
	end := min(off+6+plen, len(b.data))
	// The session payload is a PPP frame without address and control.
	b.run(pppPayload, off+6, end)
	return end
}

var (
	_ = etherTypes.register(0x8863, newPayload("pppoed", "PPP-over-Ethernet Discovery", dissectPPPoED))
	_ = etherTypes.register(0x8864, newPayload("pppoes", "PPP-over-Ethernet Session", dissectPPPoES))
)
