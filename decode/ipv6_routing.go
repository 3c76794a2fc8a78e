package decode

import (
	"fmt"
	"strconv"
)

// The IPv6 routing header (RFC 8200 §4.4). It matters to checksums: a
// packet still on its way through the listed nodes carries an
// intermediate hop in the IPv6 destination, and the transport checksum
// is computed over the final destination (RFC 8200 §8.1). tshark does the
// same, and shows the final destination in the Destination column.

var (
	fIPv6Routing = Register(FieldDef{Name: "ipv6.routing", Label: "Routing Header for IPv6", Type: FTProtocol,
		Display: func(f *Field) string {
			return "Routing Header for IPv6 (" + routingTypeName(f.U) + ")"
		}})
	fIPv6RoutingNxt    = Register(FieldDef{Name: "ipv6.routing.nxt", Label: "Next Header", Type: FTUint, Values: ipProtoNames})
	fIPv6RoutingLen    = Register(FieldDef{Name: "ipv6.routing.len", Label: "Length", Type: FTUint})
	fIPv6RoutingLenOct = Register(FieldDef{Name: "ipv6.routing.len_oct", Label: "Length", Type: FTUint,
		Display: func(f *Field) string { return "[Length: " + strconv.FormatUint(f.U, 10) + " bytes]" }})
	fIPv6RoutingType = Register(FieldDef{Name: "ipv6.routing.type", Label: "Type", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Type: %s (%d)", routingTypeName(f.U), f.U) }})
	fIPv6RoutingSegleft = Register(FieldDef{Name: "ipv6.routing.segleft", Label: "Segments Left", Type: FTUint})
	fIPv6RoutingUnknown = Register(FieldDef{Name: "ipv6.routing.unknown_data", Label: "Type-Specific Data", Type: FTBytes})
	fIPv6RoutingSrcRsv  = Register(FieldDef{Name: "ipv6.routing.src.reserved", Label: "Reserved", Type: FTBytes})
	fIPv6RoutingSrcAddr = Register(FieldDef{Name: "ipv6.routing.src.addr", Label: "Address", Type: FTIPv6,
		Display: indexedAddr})
	fIPv6RoutingMIPRsv  = Register(FieldDef{Name: "ipv6.routing.mipv6.reserved", Label: "Reserved", Type: FTBytes})
	fIPv6RoutingMIPHome = Register(FieldDef{Name: "ipv6.routing.mipv6.home_address", Label: "Home Address", Type: FTIPv6,
		Display: indexedAddr})
	fIPv6RoutingSRHLast  = Register(FieldDef{Name: "ipv6.routing.srh.last_entry", Label: "Last Entry", Type: FTUint})
	fIPv6RoutingSRHFlags = Register(FieldDef{Name: "ipv6.routing.srh.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fIPv6RoutingSRHTag   = Register(FieldDef{Name: "ipv6.routing.srh.tag", Label: "Tag", Type: FTBytes})
	fIPv6RoutingSRHAddr  = Register(FieldDef{Name: "ipv6.routing.srh.addr", Label: "Address", Type: FTIPv6,
		Display: indexedAddr})
	fIPv6RoutingRPLCmprI = Register(FieldDef{Name: "ipv6.routing.rpl.cmprI", Label: "Compressed Internal Octets (CmprI)", Type: FTUint, Bits: 32, Bitmask: 0xf0000000, Display: bitLine})
	fIPv6RoutingRPLCmprE = Register(FieldDef{Name: "ipv6.routing.rpl.cmprE", Label: "Compressed Final Octets (CmprE)", Type: FTUint, Bits: 32, Bitmask: 0x0f000000, Display: bitLine})
	fIPv6RoutingRPLPad   = Register(FieldDef{Name: "ipv6.routing.rpl.pad", Label: "Padding Bytes", Type: FTUint, Bits: 32, Bitmask: 0x00f00000, Display: bitLine})
	fIPv6RoutingRPLRsv   = Register(FieldDef{Name: "ipv6.routing.rpl.reserved", Label: "Reserved", Type: FTUint, Bits: 32, Bitmask: 0x000fffff, Display: bitLine})
	fIPv6RoutingRPLCount = Register(FieldDef{Name: "ipv6.routing.rpl.addr_count", Label: "Total Address Count", Type: FTInt})
	fIPv6RoutingRPLAddr  = Register(FieldDef{Name: "ipv6.routing.rpl.address", Label: "Address", Type: FTBytes})
	fIPv6RoutingRPLFull  = Register(FieldDef{Name: "ipv6.routing.rpl.full_address", Label: "Full Address", Type: FTIPv6,
		Display: func(f *Field) string { return "[" + indexedAddr(f) + "]" }})
	fIPv6RoutingRPLPadBad   = Register(FieldDef{Name: "ipv6.routing.rpl.cmprI_cmprE_pad", Label: "When cmprI equals 0 and cmprE equals 0, pad MUST equal 0 but instead was X", Type: FTNone})
	fIPv6RoutingRPLCountBad = Register(FieldDef{Name: "ipv6.routing.rpl.addr_count_ge0", Label: "Calculated total address count must be greater than or equal to 0, instead was X", Type: FTNone})
	fIPv6RoutingRPLRsvBad   = Register(FieldDef{Name: "ipv6.routing.rpl.reserved_not0", Label: "Reserved field must equal 0 but instead was X", Type: FTNone})
	fIPv6SrcRouteSrc        = Register(FieldDef{Name: "ipv6.src_route_list.src_addr", Label: "Source address must not appear in the source route list", Type: FTNone})
	fIPv6SrcRouteDst        = Register(FieldDef{Name: "ipv6.src_route_list.dst_addr", Label: "Destination address must not appear in the source route list", Type: FTNone})
	fIPv6SrcRouteMcast      = Register(FieldDef{Name: "ipv6.src_route_list.multicast_addr", Label: "Multicast addresses must not appear in the source route list", Type: FTNone})
	fIPv6DstNotMcast        = Register(FieldDef{Name: "ipv6.dst_addr.not_multicast", Label: "Destination address must not be a multicast address", Type: FTNone})
	fIPv6RoutingDeprecated  = Register(FieldDef{Name: "ipv6.routing.deprecated", Label: "Routing header type is deprecated", Type: FTNone})
	fIPv6RoutingSegleftBad  = Register(FieldDef{Name: "ipv6.routing.invalid_segleft", Label: "IPv6 Routing Header segments left field must not exceed address count", Type: FTNone})
)

var routingTypeNames = map[uint64]string{0: "Source Route", 1: "Nimrod", 2: "Type 2 Routing", 3: "RPL Source Route",
	4: "Segment Routing", 5: "Compact Routing Header 16", 6: "Compact Routing Header 32", 253: "Experiment 1", 254: "Experiment 2"}

func routingTypeName(t uint64) string {
	if n, ok := routingTypeNames[t]; ok {
		return n
	}
	return "Unknown"
}

// indexedAddr writes "Address[i]: addr" with the index kept in Aux, as
// tshark numbers the addresses of a routing header.
func indexedAddr(f *Field) string {
	return fmt.Sprintf("Address[%d]: %s", f.Aux, formatIPv6(f.B))
}

// dissectRouting adds the routing header of l bytes at p (already checked
// to be captured) and returns the final destination it names, or nil when
// the IPv6 destination is already the final one (no segments left, or a
// type whose addresses wirelens does not read). src and dst are the IPv6
// header's addresses (RPL elides what its addresses share with dst).
func dissectRouting(b *builder, p, l int, src, dst []byte) []byte {
	d := b.data[p : p+l]
	typ, segleft := d[2], d[3]
	idx := b.mark()
	f := b.open(fIPv6Routing, p, l)
	f.U = uint64(typ)
	b.addU(fIPv6RoutingNxt, p, 1, uint64(d[0]))
	b.addU(fIPv6RoutingLen, p+1, 1, uint64(d[1]))
	b.addU(fIPv6RoutingLenOct, p+1, 1, uint64(l)).Generated = true
	b.addU(fIPv6RoutingType, p+2, 1, uint64(typ))
	if typ == 0 {
		b.depth++
		b.expert(fIPv6RoutingDeprecated, p+2, 1, "[Expert Info (Note/Deprecated): Routing header type is deprecated]")
		b.depth--
	}
	b.addU(fIPv6RoutingSegleft, p+3, 1, uint64(segleft))
	if typ == 3 {
		final := dissectRPL(b, p, l, segleft, src, dst)
		f = b.at(idx)
		f.B = final
		b.close()
		return final
	}
	var final []byte
	// Addresses follow an 8-byte prefix in types 0, 2 and 4.
	n := (l - 8) / 16
	segleftCheck := func() {
		if int(segleft) > n {
			b.depth++
			b.expert(fIPv6RoutingSegleftBad, p+3, 1, fmt.Sprintf("[Expert Info (Warning/Protocol): IPv6 Type %d Routing Header segments left field must not exceed address count (%d)]", typ, n))
			b.depth--
		}
	}
	switch typ {
	case 0:
		segleftCheck()
		b.addB(fIPv6RoutingSrcRsv, p+4, 4)
		for i := 0; i < n; i++ {
			b.addB(fIPv6RoutingSrcAddr, p+8+16*i, 16).Aux = uint64(i + 1)
		}
		// The last address is where the packet ends up.
		if segleft > 0 && n > 0 {
			final = d[8+16*(n-1) : 8+16*n]
		}
	case 2:
		b.addB(fIPv6RoutingMIPRsv, p+4, 4)
		if l >= 24 {
			b.addB(fIPv6RoutingMIPHome, p+8, 16).Aux = 1
			if segleft > 0 {
				final = d[8:24]
			}
		}
	case 4:
		segleftCheck()
		b.addU(fIPv6RoutingSRHLast, p+4, 1, uint64(d[4]))
		b.addU(fIPv6RoutingSRHFlags, p+5, 1, uint64(d[5]))
		b.addB(fIPv6RoutingSRHTag, p+6, 2)
		for i := 0; i < n; i++ {
			b.addB(fIPv6RoutingSRHAddr, p+8+16*i, 16).Aux = uint64(i)
		}
		// The segment list is in reverse order: entry 0 is the last segment.
		if segleft > 0 && n > 0 {
			final = d[8:24]
		}
	default:
		if l > 4 {
			b.addB(fIPv6RoutingUnknown, p+4, l-4)
		}
	}
	// The report names flows by their final destination, as tshark's
	// Destination column does.
	f = b.at(idx)
	f.B = final
	b.close()
	return final
}

// dissectRPL reads the type-specific part of an RPL source route header
// (RFC 6554, type 3) at p, after Segments Left, as Wireshark 4.0 does, and
// returns the final destination (nil with no segments left): each address
// is the IPv6 destination with its last 16-CmprI bytes (16-CmprE for the
// last address) replaced by the header's.
func dissectRPL(b *builder, p, l int, segleft uint8, src, dst []byte) []byte {
	d := b.data[p : p+l]
	// The segments-left warning hangs under Segments Left, just added.
	cmprI, cmprE, pad := int(d[4]>>4), int(d[4]&0x0f), int(d[5]>>4)
	reserved := uint32(d[5]&0x0f)<<16 | uint32(d[6])<<8 | uint32(d[7])
	count := 0
	if d[1] > 0 {
		// n = (((Hdr Ext Len * 8) - Pad - (16 - CmprE)) / (16 - CmprI)) + 1,
		// in C's integer division (toward zero).
		count = (int(d[1])*8-pad-(16-cmprE))/(16-cmprI) + 1
	}
	if count >= 0 && int(segleft) > count {
		b.depth++
		b.expert(fIPv6RoutingSegleftBad, p+3, 1, fmt.Sprintf("[Expert Info (Warning/Protocol): IPv6 RPL Routing Header segments left field must not exceed address count (%d)]", count))
		b.depth--
	}
	b.addU(fIPv6RoutingRPLCmprI, p+4, 4, uint64(cmprI))
	b.addU(fIPv6RoutingRPLCmprE, p+4, 4, uint64(cmprE))
	b.addU(fIPv6RoutingRPLPad, p+4, 4, uint64(pad))
	if cmprI == 0 && cmprE == 0 && pad != 0 {
		b.depth++
		b.expert(fIPv6RoutingRPLPadBad, p+4, 4, fmt.Sprintf("[Expert Info (Warning/Protocol): When cmprI equals 0 and cmprE equals 0, pad MUST equal 0 but instead was %d]", pad))
		b.depth--
	}
	b.addU(fIPv6RoutingRPLRsv, p+4, 4, uint64(reserved))
	if reserved != 0 {
		b.depth++
		b.expert(fIPv6RoutingRPLRsvBad, p+4, 4, fmt.Sprintf("[Expert Info (Note/Protocol): Reserved field must equal 0 but instead was %d]", reserved))
		b.depth--
	}
	b.addU(fIPv6RoutingRPLCount, p+4, 2, uint64(int64(count))).Generated = true
	if count < 0 {
		b.depth++
		b.expert(fIPv6RoutingRPLCountBad, p+4, 2, fmt.Sprintf("[Expert Info (Error/Protocol): Calculated total address count must be greater than or equal to 0, instead was %d]", count))
		b.depth--
		return nil
	}
	var final []byte
	off := p + 8
	for i := 1; i <= count; i++ {
		n := 16 - cmprI
		if i == count {
			n = 16 - cmprE
		}
		if off+n > p+l {
			// The header claims more than its length holds.
			b.malformed("IPv6", off, fmt.Sprintf("RPL address %d past the routing header", i))
			return final
		}
		b.addB(fIPv6RoutingRPLAddr, off, n)
		full := make([]byte, 16)
		copy(full, dst)
		copy(full[16-n:], b.data[off:off+n])
		fa := b.add(fIPv6RoutingRPLFull, off, n)
		fa.B, fa.Aux, fa.Generated = full, uint64(i), true
		for _, chk := range []struct {
			bad bool
			def *FieldDef
		}{
			{string(full) == string(src), fIPv6SrcRouteSrc},
			{string(full) == string(dst), fIPv6SrcRouteDst},
			{full[0] == 0xff, fIPv6SrcRouteMcast},
		} {
			if chk.bad {
				b.depth++
				b.expert(chk.def, off, n, "[Expert Info (Warning/Protocol): "+chk.def.Label+"]")
				b.depth--
			}
		}
		off += n
		if segleft > 0 {
			final = full
		}
	}
	return final
}
