package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// VXLAN (RFC 7348, UDP 4789) with the group-policy extension, and
// VXLAN-GPE (UDP 4790), as Wireshark's packet-vxlan.c shows them. Linux's
// default port 8472 (flannel) is VXLAN only through Decode As, as in tshark.

var (
	fVXLAN = Register(FieldDef{Name: "vxlan", Label: "Virtual eXtensible Local Area Network", Type: FTProtocol})
	// VXLAN-GPE's flags are 8 bits wide (Aux 8): one name, two widths, as
	// in Wireshark.
	fVXLANFlags = Register(FieldDef{Name: "vxlan.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 16, Display: vxlanFlagsLine,
		Format: func(f *Field) string {
			if f.Aux == 8 {
				return fmt.Sprintf("0x%02x", f.U)
			}
			return fmt.Sprintf("0x%04x", f.U)
		}})
	fVXLANFlagG = Register(FieldDef{Name: "vxlan.flag_g", Label: "GBP Extension", Type: FTBool, Bits: 16, Bitmask: 0x8000,
		Display: func(f *Field) string { return tfsLine(f, "Defined", "Not defined") }})
	fVXLANFlagI = Register(FieldDef{Name: "vxlan.flag_i", Label: "VXLAN Network ID (VNI)", Type: FTBool, Bits: 16, Bitmask: 0x0800,
		Display: func(f *Field) string { return tfsLine(f, "True", "False") }})
	fVXLANFlagD = Register(FieldDef{Name: "vxlan.flag_d", Label: "Don't Learn", Type: FTBool, Bits: 16, Bitmask: 0x0040,
		Display: func(f *Field) string { return tfsLine(f, "True", "False") }})
	fVXLANFlagA = Register(FieldDef{Name: "vxlan.flag_a", Label: "Policy Applied", Type: FTBool, Bits: 16, Bitmask: 0x0008,
		Display: func(f *Field) string { return tfsLine(f, "True", "False") }})
	// The reserved bits: 16 wide in VXLAN, 8 in VXLAN-GPE (Aux holds the
	// mask and width in use), one field name as in Wireshark.
	fVXLANFlagsRsv = Register(FieldDef{Name: "vxlan.flags_reserved", Label: "Reserved(R)", Type: FTUint, Base: BaseHex, Bits: 16, Bitmask: 0x77b7,
		Format: func(f *Field) string {
			if f.Aux != 0 {
				return fmt.Sprint(f.U)
			}
			return fmt.Sprintf("0x%04x", f.U)
		},
		Display: func(f *Field) string {
			if f.Aux != 0 {
				return bitPattern(f.U, f.Aux, 8) + fmt.Sprintf(" = Reserved(R): %d", f.U)
			}
			return bitPattern(f.U, 0x77b7, 16) + fmt.Sprintf(" = Reserved(R): 0x%04x", f.U)
		}})
	fVXLANVer   = Register(FieldDef{Name: "vxlan.ver", Label: "Version", Type: FTUint, Bits: 8, Bitmask: 0x30, Display: bitLine})
	fVXLANIBit  = Register(FieldDef{Name: "vxlan.i_bit", Label: "Instance", Type: FTUint, Bits: 8, Bitmask: 0x08, Display: bitLine})
	fVXLANPBit  = Register(FieldDef{Name: "vxlan.p_bit", Label: "Next Protocol Bit", Type: FTUint, Bits: 8, Bitmask: 0x04, Display: bitLine})
	fVXLANOBit  = Register(FieldDef{Name: "vxlan.o_bit", Label: "OAM bit", Type: FTUint, Bits: 8, Bitmask: 0x01, Display: bitLine})
	fVXLANGBP   = Register(FieldDef{Name: "vxlan.gbp", Label: "Group Policy ID", Type: FTUint})
	fVXLANRsv16 = Register(FieldDef{Name: "vxlan.reserved_16", Label: "Reserved", Type: FTUint})
	fVXLANNext  = Register(FieldDef{Name: "vxlan.next_proto", Label: "Next Protocol", Type: FTUint, Values: vxlanNextNames,
		Display: func(f *Field) string {
			n, ok := vxlanNextNames[f.U]
			if !ok {
				n = "Unknown"
			}
			return fmt.Sprintf("Next Protocol: %s (%d)", n, f.U)
		}})
	fVXLANVNI  = Register(FieldDef{Name: "vxlan.vni", Label: "VXLAN Network Identifier (VNI)", Type: FTUint})
	fVXLANRsv8 = Register(FieldDef{Name: "vxlan.reserved8", Label: "Reserved", Type: FTUint})
)

var vxlanNextNames = map[uint64]string{1: "IPv4", 2: "IPv6", 3: "Ethernet", 4: "Network Service Header", 5: "MPLS"}

// tfsLine is a one-bit flag with Wireshark's true/false strings.
func tfsLine(f *Field, yes, no string) string {
	s := no
	if f.U != 0 {
		s = yes
	}
	return bitPattern(f.U, f.Def.Bitmask, f.Def.Bits) + " = " + f.Def.Label + ": " + s
}

// vxlanFlagsLine lists the flags that are set, as proto_tree_add_bitmask
// does: "Flags: 0x0800, VXLAN Network ID (VNI)". VXLAN-GPE's 8-bit flags
// (Aux 8) show the value alone.
func vxlanFlagsLine(f *Field) string {
	if f.Aux == 8 {
		return fmt.Sprintf("Flags: 0x%02x", f.U)
	}
	s := fmt.Sprintf("Flags: 0x%04x", f.U)
	var set []string
	for _, d := range []*FieldDef{fVXLANFlagG, fVXLANFlagI, fVXLANFlagD, fVXLANFlagA} {
		if f.U&d.Bitmask != 0 {
			set = append(set, d.Label)
		}
	}
	if len(set) > 0 {
		s += ", " + strings.Join(set, ", ")
	}
	return s
}

func dissectVXLAN(b *builder, off int, gpe bool) int {
	d := b.data[off:]
	b.tunnel = tunnelUDP
	if !gpe {
		b.addProtocol("vxlan")
	}
	if b.ds.Summary {
		b.proto = "VXLAN"
	}
	if len(d) < 8 {
		b.malformed("VXLAN", off, fmt.Sprintf("header cut short: %d of 8 bytes captured", len(d)))
		return len(b.data)
	}
	b.open(fVXLAN, off, 8)
	vni := uint64(d[4])<<16 | uint64(d[5])<<8 | uint64(d[6])
	next := d[3]
	if gpe {
		fl := uint64(d[0])
		b.addU(fVXLANFlags, off, 1, fl).Aux = 8
		b.depth++
		b.addU(fVXLANVer, off, 1, fl>>4&3)
		b.addU(fVXLANIBit, off, 1, fl>>3&1)
		b.addU(fVXLANPBit, off, 1, fl>>2&1)
		b.addU(fVXLANOBit, off, 1, fl&1)
		b.addU(fVXLANFlagsRsv, off, 1, fl&0xc2).Aux = 0xc2
		b.depth--
		b.addU(fVXLANRsv16, off+1, 2, uint64(binary.BigEndian.Uint16(d[1:])))
		b.addU(fVXLANNext, off+3, 1, uint64(next))
	} else {
		fl := uint64(binary.BigEndian.Uint16(d))
		b.addU(fVXLANFlags, off, 2, fl)
		b.depth++
		b.addU(fVXLANFlagG, off, 2, fl>>15&1)
		b.addU(fVXLANFlagI, off, 2, fl>>11&1)
		b.addU(fVXLANFlagD, off, 2, fl>>6&1)
		b.addU(fVXLANFlagA, off, 2, fl>>3&1)
		b.addU(fVXLANFlagsRsv, off, 2, fl&0x77b7)
		b.depth--
		b.addU(fVXLANGBP, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	}
	b.addU(fVXLANVNI, off+4, 3, vni)
	b.addU(fVXLANRsv8, off+7, 1, uint64(d[7]))
	b.close()
	pay := off + 8
	if pay >= len(b.data) {
		return len(b.data)
	}
	if !gpe {
		dissectEthernet(b, pay)
		return len(b.data)
	}
	// VXLAN-GPE names its payload; Wireshark's vxlan.next_proto table.
	switch next {
	case 1:
		dissectIPv4(b, pay)
	case 2:
		dissectIPv6(b, pay)
	case 3:
		dissectEthernet(b, pay)
	case 5:
		dissectMPLS(b, pay)
	default:
		dissectData(b, pay)
	}
	return len(b.data)
}

var (
	vxlanPayload = newPayload("vxlan", "Virtual eXtensible Local Area Network", func(b *builder, off int) int { return dissectVXLAN(b, off, false) })
	vxlanGPE     = newPayload("vxlan-gpe", "Virtual eXtensible Local Area Network Generic Protocol Extension", func(b *builder, off int) int { return dissectVXLAN(b, off, true) })

	_ = udpPorts.register(4789, vxlanPayload)
	_ = udpPorts.register(4790, vxlanGPE)
)
