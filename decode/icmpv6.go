package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
	"strings"
)

var (
	fICMPv6     = Register(FieldDef{Name: "icmpv6", Label: "Internet Control Message Protocol v6", Type: FTProtocol})
	fICMPv6Type = Register(FieldDef{Name: "icmpv6.type", Label: "Type", Type: FTUint, Values: icmpv6TypeNames, Display: nameFirstLine})
	fICMPv6Code = Register(FieldDef{Name: "icmpv6.code", Label: "Code", Type: FTUint, Display: fICMPCode.Display})

	fICMPv6Data     = Register(FieldDef{Name: "icmpv6.data", Label: "Data", Type: FTBytes})
	fICMPv6Reserved = Register(FieldDef{Name: "icmpv6.reserved", Label: "Reserved", Type: FTBytes})
	fICMPv6MTU      = Register(FieldDef{Name: "icmpv6.mtu", Label: "MTU", Type: FTUint})
	fICMPv6Pointer  = Register(FieldDef{Name: "icmpv6.pointer", Label: "Pointer", Type: FTUint})
	fICMPv6EchoID   = Register(FieldDef{Name: "icmpv6.echo.identifier", Label: "Identifier", Type: FTUint, Base: BaseHex, Bits: 16})
	fICMPv6EchoSeq  = Register(FieldDef{Name: "icmpv6.echo.sequence_number", Label: "Sequence", Type: FTUint})

	fICMPv6NSTarget = Register(FieldDef{Name: "icmpv6.nd.ns.target_address", Label: "Target Address", Type: FTIPv6})
	fICMPv6NATarget = Register(FieldDef{Name: "icmpv6.nd.na.target_address", Label: "Target Address", Type: FTIPv6})
	fICMPv6NAFlag   = Register(FieldDef{Name: "icmpv6.nd.na.flag", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 32,
		Display: func(f *Field) string { return flagsSummary(fmt.Sprintf("Flags: 0x%08x", f.U), f.U, naFlagBits) }})
	fICMPv6NAFlagR   = Register(FieldDef{Name: "icmpv6.nd.na.flag.r", Label: "Router", Type: FTBool, Bits: 32, Bitmask: 0x80000000, Display: flagLine})
	fICMPv6NAFlagS   = Register(FieldDef{Name: "icmpv6.nd.na.flag.s", Label: "Solicited", Type: FTBool, Bits: 32, Bitmask: 0x40000000, Display: flagLine})
	fICMPv6NAFlagO   = Register(FieldDef{Name: "icmpv6.nd.na.flag.o", Label: "Override", Type: FTBool, Bits: 32, Bitmask: 0x20000000, Display: flagLine})
	fICMPv6NAFlagRsv = Register(FieldDef{Name: "icmpv6.nd.na.flag.rsv", Label: "Reserved", Type: FTUint, Bits: 32, Bitmask: 0x1fffffff, Display: bitLine})

	fICMPv6RAHop  = Register(FieldDef{Name: "icmpv6.nd.ra.cur_hop_limit", Label: "Cur hop limit", Type: FTUint})
	fICMPv6RAFlag = Register(FieldDef{Name: "icmpv6.nd.ra.flag", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8,
		Display: func(f *Field) string {
			return flagsSummary(fmt.Sprintf("Flags: 0x%02x", f.U), f.U, raFlagBits) + ", Prf (Default Router Preference): " + raPrfNames[f.U>>3&3]
		}})
	fICMPv6RAFlagM   = Register(FieldDef{Name: "icmpv6.nd.ra.flag.m", Label: "Managed address configuration", Type: FTBool, Bits: 8, Bitmask: 0x80, Display: flagLine})
	fICMPv6RAFlagO   = Register(FieldDef{Name: "icmpv6.nd.ra.flag.o", Label: "Other configuration", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: flagLine})
	fICMPv6RAFlagH   = Register(FieldDef{Name: "icmpv6.nd.ra.flag.h", Label: "Home Agent", Type: FTBool, Bits: 8, Bitmask: 0x20, Display: flagLine})
	fICMPv6RAFlagPrf = Register(FieldDef{Name: "icmpv6.nd.ra.flag.prf", Label: "Prf (Default Router Preference)", Type: FTUint, Bits: 8, Bitmask: 0x18, Values: raPrfNames, Display: bitLine})
	fICMPv6RAFlagP   = Register(FieldDef{Name: "icmpv6.nd.ra.flag.p", Label: "Proxy", Type: FTBool, Bits: 8, Bitmask: 0x04, Display: flagLine})
	fICMPv6RAFlagRsv = Register(FieldDef{Name: "icmpv6.nd.ra.flag.rsv", Label: "Reserved", Type: FTUint, Bits: 8, Bitmask: 0x03, Display: bitLine})
	fICMPv6RALife    = Register(FieldDef{Name: "icmpv6.nd.ra.router_lifetime", Label: "Router lifetime (s)", Type: FTUint})
	fICMPv6RAReach   = Register(FieldDef{Name: "icmpv6.nd.ra.reachable_time", Label: "Reachable time (ms)", Type: FTUint})
	fICMPv6RARetrans = Register(FieldDef{Name: "icmpv6.nd.ra.retrans_timer", Label: "Retrans timer (ms)", Type: FTUint})
	fICMPv6RDTarget  = Register(FieldDef{Name: "icmpv6.nd.rd.target_address", Label: "Target Address", Type: FTIPv6})
	fICMPv6RDDest    = Register(FieldDef{Name: "icmpv6.rd.na.destination_address", Label: "Destination Address", Type: FTIPv6})

	fICMPv6Opt       = Register(FieldDef{Name: "icmpv6.opt", Label: "ICMPv6 Option", Type: FTNone})
	fICMPv6OptType   = Register(FieldDef{Name: "icmpv6.opt.type", Label: "Type", Type: FTUint, Values: icmpv6OptNames, Display: nameFirstLine})
	fICMPv6OptLen    = Register(FieldDef{Name: "icmpv6.opt.length", Label: "Length", Type: FTUint, Display: func(f *Field) string { return fmt.Sprintf("Length: %d (%d bytes)", f.U, f.U*8) }})
	fICMPv6OptLL     = Register(FieldDef{Name: "icmpv6.opt.linkaddr", Label: "Link-layer address", Type: FTEther, Display: macTwiceLine})
	fICMPv6OptSrcLL  = Register(FieldDef{Name: "icmpv6.opt.src_linkaddr", Label: "Source Link-layer address", Type: FTEther, Display: macTwiceLine})
	fICMPv6OptTgtLL  = Register(FieldDef{Name: "icmpv6.opt.target_linkaddr", Label: "Target Link-layer address", Type: FTEther, Display: macTwiceLine})
	fICMPv6OptPfxLen = Register(FieldDef{Name: "icmpv6.opt.prefix.length", Label: "Prefix Length", Type: FTUint})
	fICMPv6OptPfxFl  = Register(FieldDef{Name: "icmpv6.opt.prefix.flag", Label: "Flag", Type: FTUint, Base: BaseHex, Bits: 8,
		Display: func(f *Field) string { return flagsSummary(fmt.Sprintf("Flag: 0x%02x", f.U), f.U, pfxFlagBits) }})
	fICMPv6OptPfxL   = Register(FieldDef{Name: "icmpv6.opt.prefix.flag.l", Label: "On-link flag(L)", Type: FTBool, Bits: 8, Bitmask: 0x80, Display: flagLine})
	fICMPv6OptPfxA   = Register(FieldDef{Name: "icmpv6.opt.prefix.flag.a", Label: "Autonomous address-configuration flag(A)", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: flagLine})
	fICMPv6OptPfxR   = Register(FieldDef{Name: "icmpv6.opt.prefix.flag.r", Label: "Router address flag(R)", Type: FTBool, Bits: 8, Bitmask: 0x20, Display: flagLine})
	fICMPv6OptPfxRsv = Register(FieldDef{Name: "icmpv6.opt.prefix.flag.reserved", Label: "Reserved", Type: FTUint, Bits: 8, Bitmask: 0x1f, Display: bitLine})
	fICMPv6OptValid  = Register(FieldDef{Name: "icmpv6.opt.prefix.valid_lifetime", Label: "Valid Lifetime", Type: FTUint, Display: lifetimeLine})
	fICMPv6OptPref   = Register(FieldDef{Name: "icmpv6.opt.prefix.preferred_lifetime", Label: "Preferred Lifetime", Type: FTUint, Display: lifetimeLine})
	fICMPv6OptRsv    = Register(FieldDef{Name: "icmpv6.opt.reserved", Label: "Reserved", Type: FTNone})
	fICMPv6OptPrefix = Register(FieldDef{Name: "icmpv6.opt.prefix", Label: "Prefix", Type: FTIPv6})
	fICMPv6OptMTU    = Register(FieldDef{Name: "icmpv6.opt.mtu", Label: "MTU", Type: FTUint})

	fICMPv6MLDDelay = Register(FieldDef{Name: "icmpv6.mld.maximum_response_delay", Label: "Maximum Response Delay [ms]", Type: FTUint})
	fICMPv6MLDCode  = Register(FieldDef{Name: "icmpv6.mld.maximum_response_code", Label: "Maximum Response Code", Type: FTUint})
	fICMPv6MLDAddr  = Register(FieldDef{Name: "icmpv6.mld.multicast_address", Label: "Multicast Address", Type: FTIPv6})
	fICMPv6MLDNSrc  = Register(FieldDef{Name: "icmpv6.mld.nb_sources", Label: "Number of Sources", Type: FTUint})
	fICMPv6MLDSrc   = Register(FieldDef{Name: "icmpv6.mld.source_address", Label: "Source Address", Type: FTIPv6})
	fICMPv6MLDRNRec = Register(FieldDef{Name: "icmpv6.mldr.nb_mcast_records", Label: "Number of Multicast Address Records", Type: FTUint})
	fICMPv6MLDRMar  = Register(FieldDef{Name: "icmpv6.mldr.mar", Label: "Multicast Address Record", Type: FTNone})
	fICMPv6MLDRType = Register(FieldDef{Name: "icmpv6.mldr.mar.record_type", Label: "Record Type", Type: FTUint, Values: mldrTypeNames})
	fICMPv6MLDRAux  = Register(FieldDef{Name: "icmpv6.mldr.mar.aux_data_len", Label: "Aux Data Len", Type: FTUint})
	fICMPv6MLDRNSrc = Register(FieldDef{Name: "icmpv6.mldr.mar.nb_sources", Label: "Number of Sources", Type: FTUint})
	fICMPv6MLDRAddr = Register(FieldDef{Name: "icmpv6.mldr.mar.multicast_address", Label: "Multicast Address", Type: FTIPv6})
	fICMPv6MLDRSrc  = Register(FieldDef{Name: "icmpv6.mldr.mar.source_address", Label: "Source Address", Type: FTIPv6})

	icmpv6Csum = registerChecksum(ChecksumProto{Name: "icmpv6", Title: "ICMPv6", Label: "ICMPv6", Order: 60}, prefs.Switch{
		Name: "icmpv6.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the ICMPv6 checksum", notInWireshark("ICMPv6")}})
	icmpv6Checksum = newChecksumDefs(icmpv6Csum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

var icmpv6TypeNames = map[uint64]string{1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded",
	4: "Parameter Problem", 100: "Private experimentation", 101: "Private experimentation",
	127: "Reserved for expansion of ICMPv6 error messages", 128: "Echo (ping) request", 129: "Echo (ping) reply",
	130: "Multicast Listener Query", 131: "Multicast Listener Report", 132: "Multicast Listener Done",
	133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation", 136: "Neighbor Advertisement",
	137: "Redirect", 138: "Router Renumbering", 139: "Node Information Query", 140: "Node Information Reply",
	141: "Inverse Neighbor Discovery Solicitation", 142: "Inverse Neighbor Discovery Advertisement",
	143: "Multicast Listener Report Message v2", 144: "Home Agent Address Discovery Request",
	145: "Home Agent Address Discovery Reply", 146: "Mobile Prefix Solicitation", 147: "Mobile Prefix Advertisement",
	148: "Certification Path Solicitation", 149: "Certification Path Advertisement", 150: "Experimental Mobility",
	151: "Multicast Router Advertisement", 152: "Multicast Router Solicitation", 153: "Multicast Router Termination",
	154: "FMIPv6", 155: "RPL Control", 156: "Locator Update", 157: "Duplicate Address Request",
	158: "Duplicate Address Confirmation", 159: "MPL Control Message", 160: "Extended Echo request",
	161: "Extended Echo reply", 200: "Private experimentation", 201: "Private experimentation",
	255: "Reserved for expansion of ICMPv6 informational messages"}

var icmpv6CodeNames = map[uint8]map[uint8]string{
	1: {0: "no route to destination", 1: "Administratively prohibited", 2: "Beyond scope of source address",
		3: "Address unreachable", 4: "Port unreachable", 5: "Source address failed ingress/egress policy",
		6: "Reject route to destination", 7: "Error in Source Routing Header"},
	3: {0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded"},
	4: {0: "erroneous header field encountered", 1: "unrecognized Next Header type encountered",
		2: "unrecognized IPv6 option encountered", 3: "IPv6 First Fragment has incomplete IPv6 Header Chain"},
}

var icmpv6OptNames = map[uint64]string{1: "Source link-layer address", 2: "Target link-layer address",
	3: "Prefix information", 4: "Redirected header", 5: "MTU", 6: "NBMA Shortcut Limit Option",
	7: "Advertisement Interval", 8: "Home Agent Information", 9: "Source Address List", 10: "Target Address List",
	11: "CGA", 12: "RSA Signature", 13: "Timestamp", 14: "Nonce", 15: "Trust Anchor", 16: "Certificate",
	24: "Route Information", 25: "Recursive DNS Server", 26: "RA Flags Extension", 31: "DNS Search List Option",
	37: "DHCP Captive-Portal", 38: "PREF64 Option"}

var mldrTypeNames = map[uint64]string{1: "Include", 2: "Exclude", 3: "Changed to include", 4: "Changed to exclude",
	5: "Allow new sources", 6: "Block old sources"}

var raPrfNames = map[uint64]string{0: "Medium", 1: "High", 2: "Reserved", 3: "Low"}

type flagBit struct {
	mask uint64
	name string
}

var (
	naFlagBits  = []flagBit{{0x80000000, "Router"}, {0x40000000, "Solicited"}, {0x20000000, "Override"}}
	raFlagBits  = []flagBit{{0x80, "Managed address configuration"}, {0x40, "Other configuration"}, {0x20, "Home Agent"}}
	pfxFlagBits = []flagBit{{0x80, "On-link flag(L)"}, {0x40, "Autonomous address-configuration flag(A)"}, {0x20, "Router address flag(R)"}}
)

// flagsSummary appends the names of the set flags, as Wireshark's flag
// parents read: "Flags: 0x60000000, Solicited, Override".
func flagsSummary(head string, v uint64, bits []flagBit) string {
	for _, fb := range bits {
		if v&fb.mask != 0 {
			head += ", " + fb.name
		}
	}
	return head
}

var fICMPv6RespTo = Register(FieldDef{Name: "icmpv6.resp_to", Label: "Response to", Type: FTUint,
	Display: func(f *Field) string { return fmt.Sprintf("[Response To: %d]", f.U) }})

// nameFirstLine is ICMPv6's "Type: Echo (ping) request (128)".
func nameFirstLine(f *Field) string {
	name, ok := f.Def.Values[f.U]
	if !ok {
		name = "Unknown"
	}
	return fmt.Sprintf("%s: %s (%d)", f.Def.Label, name, f.U)
}

func macTwiceLine(f *Field) string {
	m := formatMAC(f.B)
	return f.Def.Label + ": " + m + " (" + m + ")"
}

func lifetimeLine(f *Field) string {
	if f.U == 0xffffffff {
		return f.Def.Label + ": Infinity (4294967295)"
	}
	return fmt.Sprintf("%s: %d", f.Def.Label, f.U)
}

func icmpv6TypeName(t uint8) string {
	if n, ok := icmpv6TypeNames[uint64(t)]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", t)
}

func icmpv6CodeName(t, c uint8) string {
	tab, ok := icmpv6CodeNames[t]
	if !ok {
		return ""
	}
	if n, ok := tab[c]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", c)
}

func dissectICMPv6(b *builder, off, end int) {
	d := b.enterLayer("icmpv6", "ICMPv6", off, end)
	if len(d) < 4 {
		b.malformed("ICMPv6", off, fmt.Sprintf("message cut short: %d bytes captured", len(d)))
		return
	}
	typ, code := d[0], d[1]
	b.open(fICMPv6, off, len(d))
	b.addU(fICMPv6Type, off, 1, uint64(typ))
	codeName := icmpv6CodeName(typ, code)
	b.addU(fICMPv6Code, off+1, 1, uint64(code)).S = codeName

	reported := b.payloadLen
	icmpVerdict(b, icmpv6Checksum, off, d, reported, true)

	info := icmpv6TypeName(typ)
	if codeName != "" {
		info += " (" + codeName + ")"
	}
	short := func(n int) bool {
		if len(d) >= n {
			return false
		}
		b.close()
		b.malformed("ICMPv6", off+len(d), fmt.Sprintf("%s cut short", icmpv6TypeName(typ)))
		if b.ds.Summary {
			b.setInfo(info + " [Malformed Packet]")
		}
		return true
	}
	switch typ {
	case 1, 2, 3, 4:
		if short(8) {
			return
		}
		switch typ {
		case 2:
			b.addU(fICMPv6MTU, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
		case 4:
			b.addU(fICMPv6Pointer, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
		default:
			b.addB(fICMPv6Reserved, off+4, 4)
		}
		icmpQuote(b, off+8, end, true)
	case 128, 129:
		if short(8) {
			return
		}
		id, seq := binary.BigEndian.Uint16(d[4:]), binary.BigEndian.Uint16(d[6:])
		b.addU(fICMPv6EchoID, off+4, 2, uint64(id))
		b.addU(fICMPv6EchoSeq, off+6, 2, uint64(seq))
		info += fmt.Sprintf(" id=0x%04x, seq=%d", id, seq)
		if hl, ok := b.hopLimit(); ok {
			info += fmt.Sprintf(", hop limit=%d", hl)
		}
		if req := b.echoPair(typ == 128, typ == 129, id, seq, true); req > 0 {
			b.addU(fICMPv6RespTo, off, 0, uint64(req)).Generated = true
			info += fmt.Sprintf(" (request in %d)", req)
		}
		if len(d) > 8 {
			dissectDataRange(b, off+8, off+len(d))
		}
	case 130, 131, 132:
		if short(24) {
			return
		}
		if typ == 130 && len(d) >= 28 {
			b.addU(fICMPv6MLDCode, off+4, 2, uint64(binary.BigEndian.Uint16(d[4:])))
		} else {
			b.addU(fICMPv6MLDDelay, off+4, 2, uint64(binary.BigEndian.Uint16(d[4:])))
		}
		b.addB(fICMPv6Reserved, off+6, 2)
		b.addB(fICMPv6MLDAddr, off+8, 16)
		if typ == 130 && len(d) >= 28 {
			n := int(binary.BigEndian.Uint16(d[26:]))
			b.addU(fICMPv6MLDNSrc, off+26, 2, uint64(n))
			for i, p := 0, 28; i < n && p+16 <= len(d); i, p = i+1, p+16 {
				b.addB(fICMPv6MLDSrc, off+p, 16)
			}
		}
	case 143:
		if short(8) {
			return
		}
		b.addB(fICMPv6Reserved, off+4, 2)
		n := int(binary.BigEndian.Uint16(d[6:]))
		b.addU(fICMPv6MLDRNRec, off+6, 2, uint64(n))
		p := 8
		for i := 0; i < n; i++ {
			if p+20 > len(d) {
				b.close()
				b.malformed("ICMPv6", off+p, "multicast address record cut short")
				return
			}
			nsrc := int(binary.BigEndian.Uint16(d[p+2:]))
			rl := 20 + 16*nsrc + 4*int(d[p+1])
			if p+rl > len(d) {
				rl = len(d) - p
			}
			rt := b.open(fICMPv6MLDRMar, off+p, rl)
			name, ok := mldrTypeNames[uint64(d[p])]
			if !ok {
				name = fmt.Sprintf("Unknown (%d)", d[p])
			}
			rt.Text = "Multicast Address Record " + name + ": " + formatIPv6(d[p+4:p+20])
			b.addU(fICMPv6MLDRType, off+p, 1, uint64(d[p]))
			b.addU(fICMPv6MLDRAux, off+p+1, 1, uint64(d[p+1]))
			b.addU(fICMPv6MLDRNSrc, off+p+2, 2, uint64(nsrc))
			b.addB(fICMPv6MLDRAddr, off+p+4, 16)
			for j, q := 0, p+20; j < nsrc && q+16 <= len(d); j, q = j+1, q+16 {
				b.addB(fICMPv6MLDRSrc, off+q, 16)
			}
			b.close()
			p += rl
		}
	case 133:
		if short(8) {
			return
		}
		b.addB(fICMPv6Reserved, off+4, 4)
		info += icmpv6Options(b, off+8, d[8:])
	case 134:
		if short(16) {
			return
		}
		b.addU(fICMPv6RAHop, off+4, 1, uint64(d[4]))
		fl := uint64(d[5])
		b.addU(fICMPv6RAFlag, off+5, 1, fl)
		b.depth++
		b.addU(fICMPv6RAFlagM, off+5, 1, fl>>7&1)
		b.addU(fICMPv6RAFlagO, off+5, 1, fl>>6&1)
		b.addU(fICMPv6RAFlagH, off+5, 1, fl>>5&1)
		b.addU(fICMPv6RAFlagPrf, off+5, 1, fl>>3&3)
		b.addU(fICMPv6RAFlagP, off+5, 1, fl>>2&1)
		b.addU(fICMPv6RAFlagRsv, off+5, 1, fl&3)
		b.depth--
		b.addU(fICMPv6RALife, off+6, 2, uint64(binary.BigEndian.Uint16(d[6:])))
		b.addU(fICMPv6RAReach, off+8, 4, uint64(binary.BigEndian.Uint32(d[8:])))
		b.addU(fICMPv6RARetrans, off+12, 4, uint64(binary.BigEndian.Uint32(d[12:])))
		info += icmpv6Options(b, off+16, d[16:])
	case 135:
		if short(24) {
			return
		}
		b.addB(fICMPv6Reserved, off+4, 4)
		b.addB(fICMPv6NSTarget, off+8, 16)
		info += " for " + formatIPv6(d[8:24])
		info += icmpv6Options(b, off+24, d[24:])
	case 136:
		if short(24) {
			return
		}
		fl := uint64(binary.BigEndian.Uint32(d[4:]))
		b.addU(fICMPv6NAFlag, off+4, 4, fl)
		b.depth++
		b.addU(fICMPv6NAFlagR, off+4, 4, fl>>31&1)
		b.addU(fICMPv6NAFlagS, off+4, 4, fl>>30&1)
		b.addU(fICMPv6NAFlagO, off+4, 4, fl>>29&1)
		b.addU(fICMPv6NAFlagRsv, off+4, 4, fl&0x1fffffff)
		b.depth--
		b.addB(fICMPv6NATarget, off+8, 16)
		info += " " + formatIPv6(d[8:24])
		var names []string
		for _, n := range []struct {
			bit  uint64
			name string
		}{{0x80000000, "rtr"}, {0x40000000, "sol"}, {0x20000000, "ovr"}} {
			if fl&n.bit != 0 {
				names = append(names, n.name)
			}
		}
		if len(names) > 0 {
			info += " (" + strings.Join(names, ", ") + ")"
		}
		info += icmpv6Options(b, off+24, d[24:])
	case 137:
		if short(40) {
			return
		}
		b.addB(fICMPv6Reserved, off+4, 4)
		b.addB(fICMPv6RDTarget, off+8, 16)
		b.addB(fICMPv6RDDest, off+24, 16)
		info += icmpv6Options(b, off+40, d[40:])
	default:
		if len(d) > 4 {
			b.addB(fICMPv6Data, off+4, len(d)-4)
		}
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
}

// icmpv6Options dissects Neighbor Discovery options and returns what they
// add to the Info column (" from <mac>", " is at <mac>").
func icmpv6Options(b *builder, off int, opts []byte) string {
	info := ""
	for p := 0; p < len(opts); {
		if p+2 > len(opts) {
			b.malformed("ICMPv6", off+p, "option cut short")
			return info
		}
		t, l := opts[p], int(opts[p+1])*8
		if l == 0 {
			b.malformed("ICMPv6", off+p, "option length 0")
			return info
		}
		if p+l > len(opts) {
			b.malformed("ICMPv6", off+p, "option longer than the message")
			return info
		}
		o := opts[p : p+l]
		name, ok := icmpv6OptNames[uint64(t)]
		if !ok {
			name = "Unknown"
		}
		root := b.open(fICMPv6Opt, off+p, l)
		root.Text = "ICMPv6 Option (" + name + ")"
		ri := b.mark() - 1
		b.addU(fICMPv6OptType, off+p, 1, uint64(t))
		b.addU(fICMPv6OptLen, off+p+1, 1, uint64(opts[p+1]))
		switch {
		case (t == 1 || t == 2) && l == 8:
			mac := formatMAC(o[2:8])
			b.at(ri).Text = "ICMPv6 Option (" + name + " : " + mac + ")"
			b.addB(fICMPv6OptLL, off+p+2, 6)
			if t == 1 {
				b.addB(fICMPv6OptSrcLL, off+p+2, 6).Hidden = true
				info += " from " + mac
			} else {
				b.addB(fICMPv6OptTgtLL, off+p+2, 6).Hidden = true
				info += " is at " + mac
			}
		case t == 3 && l == 32:
			b.at(ri).Text = fmt.Sprintf("ICMPv6 Option (%s : %s/%d)", name, formatIPv6(o[16:32]), o[2])
			b.addU(fICMPv6OptPfxLen, off+p+2, 1, uint64(o[2]))
			fl := uint64(o[3])
			b.addU(fICMPv6OptPfxFl, off+p+3, 1, fl)
			b.depth++
			b.addU(fICMPv6OptPfxL, off+p+3, 1, fl>>7&1)
			b.addU(fICMPv6OptPfxA, off+p+3, 1, fl>>6&1)
			b.addU(fICMPv6OptPfxR, off+p+3, 1, fl>>5&1)
			b.addU(fICMPv6OptPfxRsv, off+p+3, 1, fl&0x1f)
			b.depth--
			b.addU(fICMPv6OptValid, off+p+4, 4, uint64(binary.BigEndian.Uint32(o[4:])))
			b.addU(fICMPv6OptPref, off+p+8, 4, uint64(binary.BigEndian.Uint32(o[8:])))
			b.add(fICMPv6OptRsv, off+p+12, 4)
			b.addB(fICMPv6OptPrefix, off+p+16, 16)
		case t == 5 && l == 8:
			mtu := binary.BigEndian.Uint32(o[4:])
			b.at(ri).Text = fmt.Sprintf("ICMPv6 Option (%s : %d)", name, mtu)
			b.add(fICMPv6OptRsv, off+p+2, 2)
			b.addU(fICMPv6OptMTU, off+p+4, 4, uint64(mtu))
		}
		b.close()
		p += l
	}
	return info
}

// hopLimit is the Hop Limit of the IPv6 header this message came in.
func (b *builder) hopLimit() (uint8, bool) {
	if !b.netV6 {
		return 0, false
	}
	return b.hlim, b.hlimSeen
}

var _ = ipProtos.register(58, newPayload("icmpv6", "Internet Control Message Protocol v6", func(b *builder, off int) int {
	dissectICMPv6(b, off, len(b.data))
	return len(b.data)
}))
