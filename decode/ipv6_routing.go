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
	fIPv6RoutingDeprecated = Register(FieldDef{Name: "ipv6.routing.deprecated", Label: "Routing header type is deprecated", Type: FTNone})
	fIPv6RoutingSegleftBad = Register(FieldDef{Name: "ipv6.routing.invalid_segleft", Label: "IPv6 Routing Header segments left field must not exceed address count", Type: FTNone})
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
// type whose addresses wirelens does not read).
func dissectRouting(b *builder, p, l int) []byte {
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
