package decode

import "fmt"

// Frame Relay (LINKTYPE_FRELAY, 107): a two-byte Q.922 address (DLCI,
// FECN, BECN, DE), and RFC 2427 encapsulation: UI control (0x03) and an
// NLPID naming the payload.

var (
	fFR      = Register(FieldDef{Name: "fr", Label: "Frame Relay", Type: FTProtocol})
	fFRDLCI  = Register(FieldDef{Name: "fr.dlci", Label: "DLCI", Type: FTUint})
	fFRCR    = Register(FieldDef{Name: "fr.cr", Label: "CR", Type: FTBool})
	fFRFECN  = Register(FieldDef{Name: "fr.fecn", Label: "FECN", Type: FTBool})
	fFRBECN  = Register(FieldDef{Name: "fr.becn", Label: "BECN", Type: FTBool})
	fFRDE    = Register(FieldDef{Name: "fr.de", Label: "DE", Type: FTBool})
	fFRCtl   = Register(FieldDef{Name: "fr.control", Label: "Control field", Type: FTUint, Base: BaseHex, Bits: 8})
	fFRNLPID = Register(FieldDef{Name: "fr.nlpid", Label: "NLPID", Type: FTUint, Base: BaseHex, Bits: 8,
		Values: map[uint64]string{0xcc: "IP", 0x8e: "IPv6", 0x80: "SNAP", 0x08: "Q.933"},
		Display: func(f *Field) string {
			n, ok := f.Def.Values[f.U]
			if !ok {
				n = "Unknown"
			}
			return fmt.Sprintf("NLPID: %s (0x%02x)", n, f.U)
		}})
)

func dissectFR(b *builder, off int) int {
	b.addProtocol("fr")
	if b.ds.Summary {
		b.proto = "FR"
	}
	d := b.data[off:]
	if len(d) < 4 || d[0]&1 != 0 || d[1]&1 == 0 {
		// Only the common two-byte address with UI encapsulation is read.
		b.malformed("Frame Relay", off, "not a two-byte address with RFC 2427 encapsulation")
		return len(b.data)
	}
	dlci := uint64(d[0]>>2)<<4 | uint64(d[1]>>4)
	b.open(fFR, off, 4)
	b.addU(fFRCR, off, 1, uint64(d[0]>>1&1))
	b.addU(fFRFECN, off+1, 1, uint64(d[1]>>3&1))
	b.addU(fFRBECN, off+1, 1, uint64(d[1]>>2&1))
	b.addU(fFRDE, off+1, 1, uint64(d[1]>>1&1))
	b.addU(fFRDLCI, off, 2, dlci).Generated = false
	b.addU(fFRCtl, off+2, 1, uint64(d[2]))
	b.addU(fFRNLPID, off+3, 1, uint64(d[3]))
	b.close()
	var p *Payload
	switch d[3] {
	case 0xcc:
		p = ipPayload
	case 0x8e:
		p = ipv6Payload
	}
	if d[2] != 0x03 || p == nil {
		dissectData(b, off+4)
		return len(b.data)
	}
	return b.run(p, off+4, len(b.data))
}

var _ = registerLink(107, 26, "Frame Relay", func(b *builder) { dissectFR(b, 0) })
