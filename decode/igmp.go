package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
	"strings"
)

var (
	fIGMP        = Register(FieldDef{Name: "igmp", Label: "Internet Group Management Protocol", Type: FTProtocol})
	fIGMPVersion = Register(FieldDef{Name: "igmp.version", Label: "IGMP Version", Type: FTUint})
	fIGMPType    = Register(FieldDef{Name: "igmp.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 8, Values: igmpTypeNames,
		Display: func(f *Field) string {
			name, ok := igmpTypeNames[f.U]
			if !ok {
				name = "Unknown"
			}
			return fmt.Sprintf("Type: %s (0x%02x)", name, f.U)
		}})
	fIGMPReserved = Register(FieldDef{Name: "igmp.reserved", Label: "Reserved", Type: FTBytes})
	fIGMPMaxResp  = Register(FieldDef{Name: "igmp.max_resp", Label: "Max Resp Time", Type: FTUint,
		Display: func(f *Field) string {
			return fmt.Sprintf("Max Resp Time: %d.%d sec (0x%02x)", f.U/10, f.U%10, f.Aux)
		}})
	fIGMPMaxRespExp  = Register(FieldDef{Name: "igmp.max_resp.exp", Label: "Exponent", Type: FTUint, Base: BaseHex, Bits: 8, Bitmask: 0x70, Display: shortHexBitLine})
	fIGMPMaxRespMant = Register(FieldDef{Name: "igmp.max_resp.mant", Label: "Mantissa", Type: FTUint, Base: BaseHex, Bits: 8, Bitmask: 0x0f, Display: shortHexBitLine})
	fIGMPMaddr       = Register(FieldDef{Name: "igmp.maddr", Label: "Multicast Address", Type: FTIPv4})
	fIGMPS           = Register(FieldDef{Name: "igmp.s", Label: "S", Type: FTBool, Bits: 8, Bitmask: 0x08,
		Display: func(f *Field) string {
			s := "Do not suppress router side processing"
			if f.U != 0 {
				s = "SUPPRESS router side processing"
			}
			return bitPattern(f.U, 0x08, 8) + " = S: " + s
		}})
	fIGMPQRV     = Register(FieldDef{Name: "igmp.qrv", Label: "QRV", Type: FTUint, Bits: 8, Bitmask: 0x07, Display: bitLine})
	fIGMPQQIC    = Register(FieldDef{Name: "igmp.qqic", Label: "QQIC", Type: FTUint})
	fIGMPNumSrc  = Register(FieldDef{Name: "igmp.num_src", Label: "Num Src", Type: FTUint})
	fIGMPSaddr   = Register(FieldDef{Name: "igmp.saddr", Label: "Source Address", Type: FTIPv4})
	fIGMPNumRecs = Register(FieldDef{Name: "igmp.num_grp_recs", Label: "Num Group Records", Type: FTUint})
	// Wireshark draws a group record as a plain subtree with no field of
	// its own; wirelens needs a definition to hang the subtree on.
	fIGMPRecord     = Register(FieldDef{Name: "igmp.group_record", Label: "Group Record", Type: FTNone})
	fIGMPRecordType = Register(FieldDef{Name: "igmp.record_type", Label: "Record Type", Type: FTUint, Values: igmpRecordNames})
	fIGMPAuxLen     = Register(FieldDef{Name: "igmp.aux_data_len", Label: "Aux Data Len", Type: FTUint})
	fIGMPAuxData    = Register(FieldDef{Name: "igmp.aux_data", Label: "Aux Data", Type: FTBytes})
	fIGMPData       = Register(FieldDef{Name: "igmp.data", Label: "Data", Type: FTBytes})

	igmpCsum = registerChecksum(ChecksumProto{Name: "igmp", Title: "IGMP", Label: "IGMP", Order: 70}, prefs.Switch{
		Name: "igmp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the IGMP checksum", notInWireshark("IGMP")}})
	igmpChecksum = newChecksumDefs(igmpCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

var igmpTypeNames = map[uint64]string{0x11: "Membership Query", 0x12: "Membership Report", 0x13: "DVMRP",
	0x14: "PIM version 1", 0x15: "Cisco Trace Messages", 0x16: "Membership Report", 0x17: "Leave Group",
	0x1e: "Traceroute Response", 0x1f: "Traceroute Query or Request", 0x22: "Membership Report",
	0x30: "Multicast Router Advertisement", 0x31: "Multicast Router Solicitation", 0x32: "Multicast Router Termination"}

var igmpRecordNames = map[uint64]string{1: "Mode Is Include", 2: "Mode Is Exclude", 3: "Change To Include Mode",
	4: "Change To Exclude Mode", 5: "Allow New Sources", 6: "Block Old Sources"}

// shortHexBitLine is bitLine with the value in minimal hex ("0xa").
func shortHexBitLine(f *Field) string {
	return bitPattern(f.U, f.Def.Bitmask, f.Def.Bits) + fmt.Sprintf(" = %s: 0x%x", f.Def.Label, f.U)
}

// igmpMaxResp is the maximum response time in tenths of a second; IGMPv3
// codes from 128 on are a floating-point form (RFC 3376 4.1.1).
func igmpMaxResp(code uint8, v3 bool) int {
	if !v3 || code < 128 {
		return int(code)
	}
	return int(code&0x0f|0x10) << (int(code>>4&7) + 3)
}

func dissectIGMP(b *builder, off, end int) {
	d := b.enterLayer("igmp", "IGMP", off, end)
	if len(d) < 1 {
		b.malformed("IGMP", off, "message cut short")
		return
	}
	typ := d[0]
	ver := 0
	switch typ {
	case 0x11:
		switch {
		case b.payloadLen >= 12 || len(d) >= 12:
			ver = 3
		case len(d) >= 2 && d[1] == 0:
			ver = 1
		default:
			ver = 2
		}
	case 0x12:
		ver = 1
	case 0x16, 0x17:
		ver = 2
	case 0x22:
		ver = 3
	}
	if b.ds.Summary && ver != 0 {
		b.proto = fmt.Sprintf("IGMPv%d", ver)
	}
	b.open(fIGMP, off, len(d))
	if ver == 0 {
		b.addU(fIGMPType, off, 1, uint64(typ))
		if len(d) > 1 {
			b.addB(fIGMPData, off+1, len(d)-1)
		}
		b.close()
		if b.ds.Summary {
			b.setInfo(fmt.Sprintf("Unknown Type:0x%02x", typ))
		}
		return
	}
	b.addU(fIGMPVersion, off, 0, uint64(ver)).Generated = true
	b.addU(fIGMPType, off, 1, uint64(typ))
	info := igmpTypeNames[uint64(typ)]
	fail := func(why string) {
		b.close()
		b.malformed("IGMP", off+len(d), why)
		if b.ds.Summary {
			b.setInfo(info + "[Malformed Packet]")
		}
	}
	if len(d) < 2 {
		fail("message cut short")
		return
	}
	switch {
	case ver == 1 || typ == 0x22:
		b.addB(fIGMPReserved, off+1, 1)
	default:
		// The value is the time in tenths of a second, as tshark -T fields
		// prints it; the raw code is kept for the tree line.
		f := b.addU(fIGMPMaxResp, off+1, 1, uint64(igmpMaxResp(d[1], ver == 3)))
		f.Aux = uint64(d[1])
		if ver == 3 && d[1] >= 128 {
			b.depth++
			b.addU(fIGMPMaxRespExp, off+1, 1, uint64(d[1]>>4&7))
			b.addU(fIGMPMaxRespMant, off+1, 1, uint64(d[1]&0x0f))
			b.depth--
		}
	}

	// v1 and v2 messages are 8 bytes whatever the IP length says; v3 ones
	// run to the end of the IP payload.
	covered := 8
	if ver == 3 {
		covered = b.payloadLen
	}
	if len(d) < 4 {
		fail("message cut short")
		return
	}
	value := binary.BigEndian.Uint16(d[2:])
	switch {
	case !b.validates(igmpCsum):
		b.addChecksum(igmpChecksum, off+2, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	case b.fragmented:
		b.addChecksum(igmpChecksum, off+2, 2, uint32(value), 0, StatusUnverified, reasonFragment)
	case len(d) < covered || covered < 4:
		b.addChecksum(igmpChecksum, off+2, 2, uint32(value), 0, StatusUnverified, reasonTruncated)
	default:
		st, calc := verify(value, onesSum(d[:covered], 0))
		b.addChecksum(igmpChecksum, off+2, 2, uint32(value), uint32(calc), st, "")
	}
	if ver != 3 {
		if len(d) < 8 {
			fail("message cut short")
			return
		}
		group := binary.BigEndian.Uint32(d[4:])
		b.addU(fIGMPMaddr, off+4, 4, uint64(group))
		b.close()
		if b.ds.Summary {
			switch {
			case typ == 0x11 && ver == 2 && group == 0:
				info += ", general"
			case typ == 0x11 && ver == 2:
				info += ", specific for group " + formatIPv4(group)
			case typ == 0x17:
				info += " " + formatIPv4(group)
			case ver == 2:
				info += " group " + formatIPv4(group)
			}
			b.setInfo(info)
		}
		return
	}

	if typ == 0x11 {
		if len(d) < 12 {
			fail("query cut short")
			return
		}
		group := binary.BigEndian.Uint32(d[4:])
		b.addU(fIGMPMaddr, off+4, 4, uint64(group))
		b.addU(fIGMPS, off+8, 1, uint64(d[8]>>3&1))
		b.addU(fIGMPQRV, off+8, 1, uint64(d[8]&7))
		b.addU(fIGMPQQIC, off+9, 1, uint64(d[9]))
		n := int(binary.BigEndian.Uint16(d[10:]))
		b.addU(fIGMPNumSrc, off+10, 2, uint64(n))
		srcs := igmpSources(b, off, d, 12, n)
		b.close()
		if group == 0 {
			info += ", general"
		} else {
			info += ", specific for group " + formatIPv4(group)
		}
		switch {
		case len(srcs) == 1:
			info += ", source {" + srcs[0] + "}"
		case len(srcs) > 1:
			info += ", sources {" + strings.Join(srcs, ", ") + "}"
		}
		if len(srcs) < n {
			b.malformed("IGMP", off+len(d), "source list cut short")
			info += "[Malformed Packet]"
		}
		if b.ds.Summary {
			b.setInfo(info)
		}
		return
	}

	// Version 3 report.
	if len(d) < 8 {
		fail("report cut short")
		return
	}
	b.addB(fIGMPReserved, off+4, 2)
	nrec := int(binary.BigEndian.Uint16(d[6:]))
	b.addU(fIGMPNumRecs, off+6, 2, uint64(nrec))
	p := 8
	for i := 0; i < nrec; i++ {
		if p+8 > len(d) {
			b.close()
			b.malformed("IGMP", off+p, "group record cut short")
			if b.ds.Summary {
				b.setInfo(info + "[Malformed Packet]")
			}
			return
		}
		rt, aux := d[p], int(d[p+1])*4
		n := int(binary.BigEndian.Uint16(d[p+2:]))
		group := binary.BigEndian.Uint32(d[p+4:])
		rl := min(8+4*n+aux, len(d)-p)
		name, ok := igmpRecordNames[uint64(rt)]
		if !ok {
			name = "Unknown"
		}
		rec := b.open(fIGMPRecord, off+p, rl)
		rec.Text = "Group Record : " + formatIPv4(group) + "  " + name
		b.addU(fIGMPRecordType, off+p, 1, uint64(rt))
		b.addU(fIGMPAuxLen, off+p+1, 1, uint64(d[p+1]))
		b.addU(fIGMPNumSrc, off+p+2, 2, uint64(n))
		b.addU(fIGMPMaddr, off+p+4, 4, uint64(group))
		srcs := igmpSources(b, off, d, p+8, n)
		if q := p + 8 + 4*n; aux > 0 && q+aux <= len(d) {
			b.addB(fIGMPAuxData, off+q, aux)
		}
		b.close()
		info += " / " + igmpRecordInfo(rt, formatIPv4(group), srcs)
		if len(srcs) < n || p+8+4*n+aux > len(d) {
			b.close()
			b.malformed("IGMP", off+len(d), "group record cut short")
			if b.ds.Summary {
				b.setInfo(info + "[Malformed Packet]")
			}
			return
		}
		p += rl
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
}

// igmpSources adds up to n source addresses starting at p and returns them
// as text; fewer than n means the list was cut short.
func igmpSources(b *builder, off int, d []byte, p, n int) []string {
	var out []string
	for i := 0; i < n && p+4 <= len(d); i, p = i+1, p+4 {
		a := binary.BigEndian.Uint32(d[p:])
		b.addU(fIGMPSaddr, off+p, 4, uint64(a))
		out = append(out, formatIPv4(a))
	}
	return out
}

// igmpRecordInfo is Wireshark's reading of a v3 group record as a join or
// leave, for the Info column.
func igmpRecordInfo(rt uint8, group string, srcs []string) string {
	list := "{" + strings.Join(srcs, ", ") + "}"
	n := len(srcs)
	switch rt {
	case 1, 3:
		switch n {
		case 0:
			return "Leave group " + group
		case 1:
			return "Join group " + group + " for source " + list
		}
		return "Join group " + group + " for sources in " + list
	case 2, 4:
		switch n {
		case 0:
			return "Join group " + group + " for any sources"
		case 1:
			return "Join group " + group + ", for source not " + list
		}
		return "Join group " + group + ", for sources not in " + list
	case 5:
		switch n {
		case 0:
			return "Group " + group + ", ALLOW_NEW_SOURCES but no source specified (?)"
		case 1:
			return "Group " + group + ", new source " + list
		}
		return "Group " + group + ", new sources " + list
	case 6:
		switch n {
		case 0:
			return "Group " + group + ", BLOCK_OLD_SOURCES but no source specified (?)"
		case 1:
			return "Group " + group + ", block source " + list
		}
		return "Group " + group + ", block sources " + list
	}
	if n == 0 {
		return "Group " + group + ", unknown record type (?)"
	}
	return "Group " + group + ", unknown record type (?), sources " + list
}

var _ = ipProtos.register(2, newPayload("igmp", "Internet Group Management Protocol", func(b *builder, off int) int {
	dissectIGMP(b, off, len(b.data))
	return len(b.data)
}))
