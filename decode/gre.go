package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
)

var (
	fGRE      = Register(FieldDef{Name: "gre", Label: "Generic Routing Encapsulation", Type: FTProtocol})
	fGREFlags = Register(FieldDef{Name: "gre.flags_and_version", Label: "Flags and Version", Type: FTUint, Base: BaseHex, Bits: 16,
		Display: func(f *Field) string { return fmt.Sprintf("Flags and Version: 0x%04x", f.U) }})
	fGREFlagC     = Register(FieldDef{Name: "gre.flags.checksum", Label: "Checksum Bit", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: yesNoLine})
	fGREFlagR     = Register(FieldDef{Name: "gre.flags.routing", Label: "Routing Bit", Type: FTBool, Bits: 16, Bitmask: 0x4000, Display: yesNoLine})
	fGREFlagK     = Register(FieldDef{Name: "gre.flags.key", Label: "Key Bit", Type: FTBool, Bits: 16, Bitmask: 0x2000, Display: yesNoLine})
	fGREFlagS     = Register(FieldDef{Name: "gre.flags.sequence_number", Label: "Sequence Number Bit", Type: FTBool, Bits: 16, Bitmask: 0x1000, Display: yesNoLine})
	fGREFlagSSR   = Register(FieldDef{Name: "gre.flags.strict_source_route", Label: "Strict Source Route Bit", Type: FTBool, Bits: 16, Bitmask: 0x0800, Display: yesNoLine})
	fGREFlagRecur = Register(FieldDef{Name: "gre.flags.recursion_control", Label: "Recursion control", Type: FTUint, Bits: 16, Bitmask: 0x0700, Display: bitLine})
	fGREFlagAck   = Register(FieldDef{Name: "gre.flags.ack", Label: "Acknowledgment", Type: FTBool, Bits: 16, Bitmask: 0x0080, Display: yesNoLine})
	// The reserved bits narrow by one when version 1 (PPTP) takes bit 8 for
	// the acknowledgment flag; Aux holds the mask in use.
	fGREFlagRsv = Register(FieldDef{Name: "gre.flags.reserved", Label: "Flags (Reserved)", Type: FTUint, Bits: 16, Bitmask: 0x00f8,
		Display: func(f *Field) string { return bitPattern(f.U, f.Aux, 16) + fmt.Sprintf(" = Flags (Reserved): %d", f.U) }})
	fGREFlagVer = Register(FieldDef{Name: "gre.flags.version", Label: "Version", Type: FTUint, Bits: 16, Bitmask: 0x0007,
		Values: map[uint64]string{0: "GRE", 1: "Enhanced GRE"}, Display: bitLine})
	fGREProto     = Register(FieldDef{Name: "gre.proto", Label: "Protocol Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: greProtoNames, Display: etherTypeLine})
	fGREOffset    = Register(FieldDef{Name: "gre.offset", Label: "Offset", Type: FTUint})
	fGREKey       = Register(FieldDef{Name: "gre.key", Label: "Key", Type: FTUint, Base: BaseHex, Bits: 32})
	fGREKeyPayLen = Register(FieldDef{Name: "gre.key.payload_length", Label: "Payload Length", Type: FTUint})
	fGREKeyCallID = Register(FieldDef{Name: "gre.key.call_id", Label: "Call ID", Type: FTUint})
	fGRESeq       = Register(FieldDef{Name: "gre.sequence_number", Label: "Sequence Number", Type: FTUint})
	fGREAck       = Register(FieldDef{Name: "gre.ack_number", Label: "Acknowledgment Number", Type: FTUint})

	greCsum = registerChecksum(ChecksumProto{Name: "gre", Title: "GRE", Label: "GRE", Order: 90}, prefs.Switch{
		Name: "gre.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the GRE checksum", notInWireshark("GRE")}})
	greChecksum = newChecksumDefs(greCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

var greProtoNames = map[uint64]string{0x0800: "IP", 0x86dd: "IPv6", 0x0806: "ARP", 0x6558: "Transparent Ethernet bridging",
	0x880b: "PPP", 0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet",
	0x8100: "802.1Q Virtual LAN", 0x88be: "ERSPAN", 0x22eb: "ERSPAN"}

func yesNoLine(f *Field) string {
	s := "No"
	if f.U != 0 {
		s = "Yes"
	}
	return bitPattern(f.U, f.Def.Bitmask, f.Def.Bits) + " = " + f.Def.Label + ": " + s
}

func dissectGRE(b *builder, off, end int) {
	d := b.enterLayer("gre", "GRE", off, end)
	b.tunnel = tunnelGRE
	if len(d) < 4 {
		b.malformed("GRE", off, "header cut short")
		return
	}
	fl := binary.BigEndian.Uint16(d)
	proto := binary.BigEndian.Uint16(d[2:])
	ver := fl & 7
	pname, ok := greProtoNames[uint64(proto)]
	if !ok {
		pname = "Unknown"
	}
	hl := 4
	if fl&0xc000 != 0 {
		hl += 4
	}
	if fl&0x2000 != 0 {
		hl += 4
	}
	if fl&0x1000 != 0 {
		hl += 4
	}
	if ver == 1 && fl&0x0080 != 0 {
		hl += 4
	}
	if b.ds.Summary {
		b.proto = "GRE"
		b.setInfo("Encapsulated " + pname)
	}
	root := b.open(fGRE, off, min(hl, len(d)))
	root.S = fGRE.Label + " (" + pname + ")"
	b.addU(fGREFlags, off, 2, uint64(fl))
	b.depth++
	b.addU(fGREFlagC, off, 2, uint64(fl>>15&1))
	b.addU(fGREFlagR, off, 2, uint64(fl>>14&1))
	b.addU(fGREFlagK, off, 2, uint64(fl>>13&1))
	b.addU(fGREFlagS, off, 2, uint64(fl>>12&1))
	b.addU(fGREFlagSSR, off, 2, uint64(fl>>11&1))
	b.addU(fGREFlagRecur, off, 2, uint64(fl>>8&7))
	if ver == 1 {
		b.addU(fGREFlagAck, off, 2, uint64(fl>>7&1))
		b.addU(fGREFlagRsv, off, 2, uint64(fl>>3&0xf)).Aux = 0x0078
	} else {
		b.addU(fGREFlagRsv, off, 2, uint64(fl>>3&0x1f)).Aux = 0x00f8
	}
	b.addU(fGREFlagVer, off, 2, uint64(ver))
	b.depth--
	b.addU(fGREProto, off+2, 2, uint64(proto))

	p := 4
	fail := func() {
		b.close()
		b.malformed("GRE", off+len(d), "header cut short")
	}
	if fl&0xc000 != 0 {
		if fl&0x8000 != 0 {
			if len(d) < 6 {
				fail()
				return
			}
			greVerify(b, off, d)
		}
		if len(d) < 8 {
			fail()
			return
		}
		b.addU(fGREOffset, off+6, 2, uint64(binary.BigEndian.Uint16(d[6:])))
		p = 8
	}
	if fl&0x2000 != 0 {
		if p+4 > len(d) {
			fail()
			return
		}
		if ver == 1 {
			b.addU(fGREKeyPayLen, off+p, 2, uint64(binary.BigEndian.Uint16(d[p:])))
			b.addU(fGREKeyCallID, off+p+2, 2, uint64(binary.BigEndian.Uint16(d[p+2:])))
		} else {
			b.addU(fGREKey, off+p, 4, uint64(binary.BigEndian.Uint32(d[p:])))
		}
		p += 4
	}
	if fl&0x1000 != 0 {
		if p+4 > len(d) {
			fail()
			return
		}
		b.addU(fGRESeq, off+p, 4, uint64(binary.BigEndian.Uint32(d[p:])))
		p += 4
	}
	if ver == 1 && fl&0x0080 != 0 {
		if p+4 > len(d) {
			fail()
			return
		}
		b.addU(fGREAck, off+p, 4, uint64(binary.BigEndian.Uint32(d[p:])))
		p += 4
	}
	b.close()
	if fl&0x4000 != 0 {
		// Source routing entries (RFC 1701) are rare enough to leave as data.
		dissectDataRange(b, off+p, end)
		return
	}
	pay := off + p
	if pay >= end {
		return
	}
	// No depth check of its own: every way back into GRE passes through
	// dissectIPProto or dissectEthertype, which count the nesting.
	saved := b.data
	b.data = b.data[:end]
	b.greFlags = fl
	if _, ok := b.dispatch(greProtos, uint32(proto), pay, end); !ok {
		dissectData(b, pay)
	}
	b.data = saved
}

// greVerify checks the checksum over the GRE header and payload (RFC 2784);
// like Wireshark it verifies whatever the IP layer says is GRE, when all of
// it was captured.
func greVerify(b *builder, off int, d []byte) {
	value := binary.BigEndian.Uint16(d[4:])
	reported := b.payloadLen
	switch {
	case !b.validates(greCsum):
		b.addChecksum(greChecksum, off+4, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	case b.fragmented:
		b.addChecksum(greChecksum, off+4, 2, uint32(value), 0, StatusUnverified, reasonFragment)
	case len(d) < reported:
		b.addChecksum(greChecksum, off+4, 2, uint32(value), 0, StatusUnverified, reasonTruncated)
	default:
		if reported >= 0 && reported < len(d) {
			d = d[:reported]
		}
		i := b.mark()
		sum := onesSum(d, 0)
		st, calc := verify(value, sum)
		ck := b.addChecksum(greChecksum, off+4, 2, uint32(value), uint32(calc), st, "")
		ck.sum, ck.cov0, ck.cov1 = sum, off, off+len(d)
		b.checksumExpert(i, fmt.Sprintf("[Expert Info (Warning/Protocol): Incorrect GRE Checksum [should be 0x%04x]]", calc))
	}
}

var _ = ipProtos.register(47, newPayload("gre", "Generic Routing Encapsulation", func(b *builder, off int) int {
	dissectGRE(b, off, len(b.data))
	return len(b.data)
}))
