package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Geneve (RFC 8926, UDP 6081) with its options, as Wireshark's
// packet-geneve.c shows them: the bodies of the options Wireshark knows
// (Google's GCP virtual network, endpoint and profile IDs) decoded, the
// others as data.

var (
	fGeneve = Register(FieldDef{Name: "geneve", Label: "Generic Network Virtualization Encapsulation", Type: FTProtocol,
		Display: func(f *Field) string {
			oam := ""
			if f.Aux&0x80 != 0 { // the O flag, kept in Aux
				oam = ", OAM"
			}
			return fmt.Sprintf("Generic Network Virtualization Encapsulation, VNI: 0x%06x%s", f.U, oam)
		}})
	fGeneveVersion = Register(FieldDef{Name: "geneve.version", Label: "Version", Type: FTUint})
	// geneve.option.length also carries the header's option length, as in
	// Wireshark ("Length: 12 bytes").
	fGeneveOptLen = Register(FieldDef{Name: "geneve.option.length", Label: "Length", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Length: %d bytes", f.U) }})
	fGeneveFlags  = Register(FieldDef{Name: "geneve.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8, Display: geneveFlagsLine})
	fGeneveFlagO  = Register(FieldDef{Name: "geneve.flags.oam", Label: "Operations, Administration and Management Frame", Type: FTBool, Bits: 8, Bitmask: 0x80, Display: trueFalseLine})
	fGeneveFlagC  = Register(FieldDef{Name: "geneve.flags.critical", Label: "Critical Options Present", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: trueFalseLine})
	fGeneveFlagR  = Register(FieldDef{Name: "geneve.flags.reserved", Label: "Reserved", Type: FTBool, Bits: 8, Bitmask: 0x3f, Display: trueFalseLine})
	fGeneveProto  = Register(FieldDef{Name: "geneve.proto_type", Label: "Protocol Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fGeneveVNI    = Register(FieldDef{Name: "geneve.vni", Label: "Virtual Network Identifier (VNI)", Type: FTUint, Base: BaseHexDec, Bits: 24})
	fGeneveRsv    = Register(FieldDef{Name: "geneve.reserved", Label: "Reserved", Type: FTUint, Base: BaseHex, Bits: 8})
	fGeneveOpts   = Register(FieldDef{Name: "geneve.options", Label: "Geneve Options", Type: FTBytes, Display: func(f *Field) string { return fmt.Sprintf("Options: (%d bytes)", f.Length) }})
	fGeneveOpt    = Register(FieldDef{Name: "geneve.option", Label: "Option", Type: FTBytes, Display: geneveOptLine})
	fGeneveClass  = Register(FieldDef{Name: "geneve.option.class", Label: "Class", Type: FTUint, Base: BaseHex, Bits: 16, Display: func(f *Field) string { return fmt.Sprintf("Class: %s (0x%04x)", geneveClassName(f.U), f.U) }})
	fGeneveType   = Register(FieldDef{Name: "geneve.option.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 8, Display: func(f *Field) string { return "Type: " + geneveTypeText(f.U) }})
	fGeneveTypeC  = Register(FieldDef{Name: "geneve.option.type.critical", Label: "Critical Option", Type: FTBool, Bits: 8, Bitmask: 0x80})
	fGeneveOFlags = Register(FieldDef{Name: "geneve.option.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8,
		Display: func(f *Field) string { return fmt.Sprintf("Flags: 0x%02x (RSVD)", f.U) }})
	fGeneveOFRsv   = Register(FieldDef{Name: "geneve.option.flags.reserved", Label: "Reserved", Type: FTBool, Bits: 8, Bitmask: 0xe0, Display: trueFalseLine})
	fGeneveGCPVNID = Register(FieldDef{Name: "geneve.option.gcp.vnid", Label: "GCP Virtual Network ID", Type: FTUint, Display: gcpVNIDLine})
	fGeneveGCPRsv  = Register(FieldDef{Name: "geneve.option.gcp.reserved", Label: "GCP Reserved bits", Type: FTBool, Bits: 32, Bitmask: 0x0000000e, Display: trueFalseLine})
	fGeneveGCPDir  = Register(FieldDef{Name: "geneve.option.gcp.direction", Label: "GCP Traffic Direction", Type: FTBool, Bits: 32, Bitmask: 0x00000001,
		Display: func(f *Field) string { return tfsLine(f, "Egress", "Ingress") }})
	fGeneveGCPEndpoint = Register(FieldDef{Name: "geneve.option.gcp.endpoint", Label: "GCP Endpoint ID", Type: FTBytes})
	fGeneveGCPProfile  = Register(FieldDef{Name: "geneve.option.gcp.profile", Label: "GCP Profile ID", Type: FTUint})
	fGeneveOData       = Register(FieldDef{Name: "geneve.option.unknown.data", Label: "Unknown Option Data", Type: FTBytes, Format: missingIfEmpty,
		Display: func(f *Field) string { return "Unknown Option Data: " + missingIfEmpty(f) }})
	fGeneveOptBad = Register(FieldDef{Name: "geneve.option.length.invalid", Label: "Invalid length for option", Type: FTNone})
)

// geneveFlagsLine names the flags set, as proto_tree_add_bitmask does:
// "Flags: 0x40, Critical Options Present".
func geneveFlagsLine(f *Field) string {
	s := fmt.Sprintf("Flags: 0x%02x", f.U)
	if f.U&0x80 != 0 {
		s += ", Operations, Administration and Management Frame"
	}
	if f.U&0x40 != 0 {
		s += ", Critical Options Present"
	}
	if f.U&0x3f != 0 {
		s += ", Reserved"
	}
	return s
}

func trueFalseLine(f *Field) string { return tfsLine(f, "True", "False") }

// missingIfEmpty writes bytes as tshark 4.0 does, "<MISSING>" for none.
func missingIfEmpty(f *Field) string {
	if len(f.B) == 0 {
		return "<MISSING>"
	}
	return formatBytes(f.B, "")
}

// geneveClassName is Wireshark's class_id_names.
func geneveClassName(c uint64) string {
	switch {
	case c <= 0xff:
		return "Standard"
	case c == 0x0100:
		return "Linux"
	case c == 0x0101:
		return "Open vSwitch"
	case c == 0x0102:
		return "Open Virtual Networking (OVN)"
	case c == 0x0103:
		return "In-band Network Telemetry (INT)"
	case c == 0x0104:
		return "VMware"
	case c == 0x0105, c >= 0x0108 && c <= 0x0110:
		return "Amazon.com, Inc."
	case c == 0x0106, c == 0x0130, c == 0x0131:
		return "Cisco Systems, Inc."
	case c == 0x0107:
		return "Oracle Corporation"
	case c >= 0x0111 && c <= 0x0118:
		return "IBM"
	case c >= 0x0119 && c <= 0x0128:
		return "Ericsson"
	case c == 0x0129:
		return "Oxide Computer Company"
	case c >= 0x0132 && c <= 0x0135:
		return "Google LLC"
	case c == 0x0136:
		return "InfoQuick Global Connection Tech Ltd."
	case c >= 0x0137 && c <= 0xfeff:
		return "Unassigned"
	case c >= 0xfff0:
		return "Experimental"
	}
	return "Unknown"
}

func geneveTypeText(t uint64) string {
	crit := "Non-critical"
	if t&0x80 != 0 {
		crit = "Critical"
	}
	return fmt.Sprintf("0x%02x (%s)", t, crit)
}

// The options whose bodies Wireshark decodes, by class<<8 | type.
const (
	geneveGCPVNID     = 0x013201
	geneveGCPEndpoint = 0x013202
	geneveGCPProfile  = 0x013203
)

var geneveOptNames = map[uint64]string{geneveGCPVNID: "GCP Virtual Network ID", geneveGCPEndpoint: "GCP Endpoint ID", geneveGCPProfile: "GCP Profile ID"}

// geneveOptLine: U holds class<<8 | type.
func geneveOptLine(f *Field) string {
	name, ok := geneveOptNames[f.U]
	if !ok {
		name = "Unknown"
	}
	return fmt.Sprintf("%s, Class: %s (0x%04x) Type: %s", name, geneveClassName(f.U>>8), f.U>>8, geneveTypeText(f.U&0xff))
}

// gcpVNIDLine writes the top 28 bits of the option's first word as
// proto_tree_add_bits_item does: bytes apart by two spaces.
// "0000 0000  0001 0010  0011 0100  0101 .... = GCP Virtual Network ID: 74565"
func gcpVNIDLine(f *Field) string {
	var sb strings.Builder
	w := f.Aux // the whole word
	for i := 31; i >= 0; i-- {
		switch {
		case i < 4:
			sb.WriteByte('.')
		case w>>uint(i)&1 == 1:
			sb.WriteByte('1')
		default:
			sb.WriteByte('0')
		}
		if i > 0 && i%8 == 0 {
			sb.WriteString("  ")
		} else if i > 0 && i%4 == 0 {
			sb.WriteByte(' ')
		}
	}
	return fmt.Sprintf("%s = %s: %d", sb.String(), f.Def.Label, f.U)
}

// geneveOptBody adds the body of option key (class<<8 | type), n bytes at
// off: decoded for the options Wireshark knows, else as data.
func geneveOptBody(b *builder, key uint64, off, n int) {
	d := b.data[off : off+n]
	switch {
	case key == geneveGCPVNID && n >= 4:
		w := binary.BigEndian.Uint32(d)
		b.addU(fGeneveGCPVNID, off, 4, uint64(w>>4)).Aux = uint64(w)
		b.addU(fGeneveGCPDir, off, 4, uint64(w&1))
		b.addU(fGeneveGCPRsv, off, 4, uint64(w>>1&7))
	case key == geneveGCPEndpoint:
		b.addB(fGeneveGCPEndpoint, off, n)
	case key == geneveGCPProfile && n >= 1 && n <= 8:
		var v uint64
		for _, c := range d {
			v = v<<8 | uint64(c)
		}
		b.addU(fGeneveGCPProfile, off, n, v)
	default:
		b.addB(fGeneveOData, off, n)
	}
}

func dissectGeneve(b *builder, off int) int {
	d := b.data[off:]
	b.tunnel = tunnelUDP
	b.addProtocol("geneve")
	if b.ds.Summary {
		b.proto = "Geneve"
	}
	if len(d) < 8 {
		b.malformed("Geneve", off, fmt.Sprintf("header cut short: %d of 8 bytes captured", len(d)))
		return len(b.data)
	}
	optLen := int(d[0]&0x3f) * 4
	fl := d[1]
	proto := binary.BigEndian.Uint16(d[2:])
	vni := uint64(d[4])<<16 | uint64(d[5])<<8 | uint64(d[6])
	hl := min(8+optLen, len(d))
	g := b.open(fGeneve, off, hl)
	g.U, g.Aux = vni, uint64(fl)
	b.addU(fGeneveVersion, off, 1, uint64(d[0]>>6))
	b.addU(fGeneveOptLen, off, 1, uint64(optLen))
	b.addU(fGeneveFlags, off+1, 1, uint64(fl))
	b.depth++
	b.addU(fGeneveFlagO, off+1, 1, uint64(fl>>7))
	b.addU(fGeneveFlagC, off+1, 1, uint64(fl>>6&1))
	b.addU(fGeneveFlagR, off+1, 1, uint64(fl&0x3f))
	b.depth--
	b.addU(fGeneveProto, off+2, 2, uint64(proto))
	b.addU(fGeneveVNI, off+4, 3, vni)
	b.addHidden(fGeneveRsv, off+7, 1, uint64(d[7]))
	if optLen > 0 {
		if 8+optLen > len(d) {
			b.close()
			b.malformed("Geneve", off+8, fmt.Sprintf("options cut short: %d bytes announced, %d captured", optLen, len(d)-8))
			return len(b.data)
		}
		b.addB(fGeneveOpts, off+8, optLen)
		b.depth++
		for p := 8; p < 8+optLen; {
			if p+4 > 8+optLen {
				b.expert(fGeneveOptBad, off+p, 8+optLen-p, "[Expert Info (Error/Malformed): Invalid length for option]")
				break
			}
			class := uint64(binary.BigEndian.Uint16(d[p:]))
			typ := uint64(d[p+2])
			n := 4 + int(d[p+3]&0x1f)*4
			if p+n > 8+optLen {
				b.expert(fGeneveOptBad, off+p, 8+optLen-p, "[Expert Info (Error/Malformed): Invalid length for option]")
				break
			}
			b.addB(fGeneveOpt, off+p, n).U = class<<8 | typ
			b.depth++
			b.addU(fGeneveClass, off+p, 2, class)
			b.addU(fGeneveType, off+p+2, 1, typ)
			b.addHidden(fGeneveTypeC, off+p+2, 1, typ>>7)
			// The option's flags are shown only when a reserved bit is set.
			if fl := uint64(d[p+3] >> 5); fl != 0 {
				b.addU(fGeneveOFlags, off+p+3, 1, fl)
				b.depth++
				b.addU(fGeneveOFRsv, off+p+3, 1, fl)
				b.depth--
			} else {
				b.addHidden(fGeneveOFlags, off+p+3, 1, 0)
				b.addHidden(fGeneveOFRsv, off+p+3, 1, 0)
			}
			b.addU(fGeneveOptLen, off+p+3, 1, uint64(n))
			geneveOptBody(b, class<<8|typ, off+p+4, n-4)
			b.depth--
			p += n
		}
		b.depth--
	}
	b.close()
	pay := off + 8 + optLen
	if pay < len(b.data) {
		if _, ok := b.dispatch(etherTypes, uint32(proto), pay, len(b.data)); !ok {
			dissectData(b, pay)
		}
	}
	return len(b.data)
}

var _ = udpPorts.register(6081, newPayload("geneve", "Generic Network Virtualization Encapsulation", dissectGeneve))
