package decode

import (
	"encoding/binary"
	"fmt"

	"github.com/wirelens/wirelens/prefs"
)

// prefIPv6Defrag is Wireshark's ipv6.defragment (see ip.defragment).
var prefIPv6Defrag = prefs.Register(prefs.Switch{Name: "ipv6.defragment", Default: 1,
	Desc: []string{"Whether fragmented IPv6 datagrams should be reassembled"}})

var (
	fIPv6 = Register(FieldDef{Name: "ipv6", Label: "Internet Protocol Version 6", Type: FTProtocol,
		Display: func(f *Field) string {
			return "Internet Protocol Version 6, Src: " + formatIPv6(f.B[8:24]) + ", Dst: " + formatIPv6(f.B[24:40])
		}})
	fIPv6Version = Register(FieldDef{Name: "ipv6.version", Label: "Version", Type: FTUint, Bits: 8, Bitmask: 0xf0, Display: bitLine})
	fIPv6TClass  = Register(FieldDef{Name: "ipv6.tclass", Label: "Traffic Class", Type: FTUint, Base: BaseHex, Bits: 32, Bitmask: 0x0ff00000,
		Display: func(f *Field) string {
			return bitPattern(f.U, 0x0ff00000, 32) + fmt.Sprintf(" = Traffic Class: 0x%02x (DSCP: %s, ECN: %s)", f.U, dscpShort(f.U>>2), ecnShort[f.U&3])
		}})
	fIPv6Flow = Register(FieldDef{Name: "ipv6.flow", Label: "Flow Label", Type: FTUint, Base: BaseHex, Bits: 32, Bitmask: 0x000fffff,
		Display: func(f *Field) string {
			return bitPattern(f.U, 0x0fffff, 24) + fmt.Sprintf(" = Flow Label: 0x%05x", f.U)
		}})
	fIPv6DSCP = Register(FieldDef{Name: "ipv6.tclass.dscp", Label: "Differentiated Services Codepoint", Type: FTUint, Bits: 32, Bitmask: 0x0fc00000, Values: dscpNames, Display: bitLine})
	fIPv6ECN  = Register(FieldDef{Name: "ipv6.tclass.ecn", Label: "Explicit Congestion Notification", Type: FTUint, Bits: 32, Bitmask: 0x00300000, Values: ecnNames, Display: bitLine})
	fIPv6Plen = Register(FieldDef{Name: "ipv6.plen", Label: "Payload Length", Type: FTUint})
	fIPv6Nxt  = Register(FieldDef{Name: "ipv6.nxt", Label: "Next Header", Type: FTUint, Values: ipProtoNames})
	fIPv6Hlim = Register(FieldDef{Name: "ipv6.hlim", Label: "Hop Limit", Type: FTUint})
	fIPv6Src  = Register(FieldDef{Name: "ipv6.src", Label: "Source Address", Type: FTIPv6})
	fIPv6Dst  = Register(FieldDef{Name: "ipv6.dst", Label: "Destination Address", Type: FTIPv6})
	fIPv6Addr = Register(FieldDef{Name: "ipv6.addr", Label: "Source or Destination Address", Type: FTIPv6})
	// tshark's hidden host-name fields, the address itself here (see ip.host).
	fIPv6SrcHost = Register(FieldDef{Name: "ipv6.src_host", Label: "Source Host", Type: FTString, Format: ipv6Text})
	fIPv6DstHost = Register(FieldDef{Name: "ipv6.dst_host", Label: "Destination Host", Type: FTString, Format: ipv6Text})
	fIPv6Host    = Register(FieldDef{Name: "ipv6.host", Label: "Source or Destination Host", Type: FTString, Format: ipv6Text})

	fIPv6Ext     = Register(FieldDef{Name: "ipv6.ext", Label: "IPv6 Extension Header", Type: FTNone})
	fIPv6ExtNxt  = Register(FieldDef{Name: "ipv6.ext.nxt", Label: "Next Header", Type: FTUint, Values: ipProtoNames})
	fIPv6ExtLen  = Register(FieldDef{Name: "ipv6.ext.len", Label: "Length", Type: FTUint})
	fIPv6Frag    = Register(FieldDef{Name: "ipv6.fraghdr", Label: "Fragment Header", Type: FTNone})
	fIPv6FragOff = Register(FieldDef{Name: "ipv6.fraghdr.offset", Label: "Offset", Type: FTUint, Bits: 16, Bitmask: 0xfff8,
		Format: func(f *Field) string { return fmt.Sprint(f.U / 8) }, // in 8-byte units, as tshark
		Display: func(f *Field) string {
			return bitPattern(f.U/8, 0xfff8, 16) + fmt.Sprintf(" = Offset: %d (%d bytes)", f.U/8, f.U)
		}})
	fIPv6FragMore = Register(FieldDef{Name: "ipv6.fraghdr.more", Label: "More Fragments", Type: FTBool, Bits: 16, Bitmask: 0x0001,
		Display: func(f *Field) string {
			s := "No"
			if f.U != 0 {
				s = "Yes"
			}
			return bitPattern(f.U, 1, 16) + " = More Fragments: " + s
		}})
	fIPv6FragID = Register(FieldDef{Name: "ipv6.fraghdr.ident", Label: "Identification", Type: FTUint, Base: BaseHex, Bits: 32})
	fIPv6Jumbo  = Register(FieldDef{Name: "ipv6.plen.zero", Label: "Payload length 0: length taken from the frame (jumbogram or GSO)", Type: FTNone})
)

var ipv6ExtNames = map[uint8]string{0: "IPv6 Hop-by-Hop Option", 43: "Routing Header for IPv6", 60: "Destination Options for IPv6", 44: "Fragment Header for IPv6", 51: "Authentication Header"}

func dissectIPv6(b *builder, off int) int {
	b.addProtocol("ipv6")
	if b.ds.Summary {
		b.proto = "IPv6"
	}
	d := b.data[off:]
	if len(d) < 40 {
		b.malformed("IPv6", off, fmt.Sprintf("header cut short: %d of 40 bytes captured", len(d)))
		return len(b.data)
	}
	w := binary.BigEndian.Uint32(d)
	plen := int(binary.BigEndian.Uint16(d[4:]))
	nxt := d[6]
	src, dst := d[8:24], d[24:40]
	b.open(fIPv6, off, 40).B = d[:40]
	b.addU(fIPv6Version, off, 1, uint64(w>>28))
	b.addU(fIPv6TClass, off, 4, uint64(w>>20&0xff))
	b.depth++
	b.addU(fIPv6DSCP, off, 4, uint64(w>>22&0x3f))
	b.addU(fIPv6ECN, off, 4, uint64(w>>20&3))
	b.depth--
	b.addU(fIPv6Flow, off+1, 3, uint64(w&0xfffff))
	b.addU(fIPv6Plen, off+4, 2, uint64(plen))
	jumbo := plen == 0
	if plen == 0 {
		// Zero with a next header other than hop-by-hop is a GSO/big-TCP
		// super-packet handed to the capture before segmentation.
		plen = int(b.fr.Record.OrigLen) - off - 40
		if plen < 0 {
			plen = 0
		}
		b.depth++
		b.add(fIPv6Jumbo, off+4, 2)
		b.depth--
	}
	b.addU(fIPv6Nxt, off+6, 1, uint64(nxt))
	b.addU(fIPv6Hlim, off+7, 1, uint64(d[7]))
	b.hlim, b.hlimSeen = d[7], true
	b.addB(fIPv6Src, off+8, 16)
	b.addB(fIPv6Addr, off+8, 16).Hidden = true
	b.addB(fIPv6SrcHost, off+8, 16).Hidden = true
	b.addB(fIPv6Host, off+8, 16).Hidden = true
	b.addB(fIPv6Dst, off+24, 16)
	b.addB(fIPv6Addr, off+24, 16).Hidden = true
	b.addB(fIPv6DstHost, off+24, 16).Hidden = true
	b.addB(fIPv6Host, off+24, 16).Hidden = true
	if b.ds.Summary {
		b.setAddrs(formatIPv6(src), formatIPv6(dst))
	}
	if !b.inQuote {
		b.ipTotal, b.ipTSO = 40+plen, jumbo
		if (jumbo || 40+plen > b.mtu()) && b.oversize == 0 && nxt != 6 {
			b.oversize = 40 + plen
		}
	}
	end := off + 40 + plen
	if end > len(b.data) {
		end = len(b.data)
	}
	p := off + 40
	fragmented := false
	var fragOff int
	var fragMore bool
	var fragID uint32
	var final []byte // the routing header's final destination
	// Extension headers, each bounded by what was captured.
ext:
	for i := 0; i < 16; i++ {
		switch nxt {
		case 0, 43, 60, 51:
			if p+2 > end {
				b.close()
				b.malformed("IPv6", p, "extension header cut short")
				return end
			}
			l := (int(b.data[p+1]) + 1) * 8
			if nxt == 51 {
				l = (int(b.data[p+1]) + 2) * 4
			}
			if p+l > end {
				b.close()
				b.malformed("IPv6", p, "extension header cut short")
				return end
			}
			if nxt == 43 {
				if fin := dissectRouting(b, p, l, src, dst); fin != nil && final == nil {
					final = fin
				}
				nxt = b.data[p]
				p += l
				continue
			}
			f := b.open(fIPv6Ext, p, l)
			f.Text = ipv6ExtNames[nxt]
			b.addU(fIPv6ExtNxt, p, 1, uint64(b.data[p]))
			b.addU(fIPv6ExtLen, p+1, 1, uint64(b.data[p+1]))
			b.close()
			nxt = b.data[p]
			p += l
		case 44:
			if p+8 > end {
				b.close()
				b.malformed("IPv6", p, "fragment header cut short")
				return end
			}
			fo := binary.BigEndian.Uint16(b.data[p+2:])
			f := b.open(fIPv6Frag, p, 8)
			f.Text = ipv6ExtNames[44]
			b.addU(fIPv6ExtNxt, p, 1, uint64(b.data[p]))
			b.addU(fIPv6FragOff, p+2, 2, uint64(fo&0xfff8))
			b.addU(fIPv6FragMore, p+2, 2, uint64(fo&1))
			b.addU(fIPv6FragID, p+4, 4, uint64(binary.BigEndian.Uint32(b.data[p+4:])))
			b.close()
			fragmented = fo&1 != 0 || fo&0xfff8 != 0
			fragOff, fragMore = int(fo&0xfff8), fo&1 != 0
			fragID = binary.BigEndian.Uint32(b.data[p+4:])
			nxt = b.data[p]
			p += 8
			if fragmented {
				break ext
			}
		default:
			break ext
		}
	}
	b.close()
	if final != nil {
		// RFC 8200 §8.1: the pseudo-header carries the final destination.
		dst = final
		if b.ds.Summary {
			b.setAddrs(formatIPv6(src), formatIPv6(dst))
		}
	}
	saved := b.netSnapshot()
	b.netSrc, b.netDst, b.netV6 = src, dst, true
	b.payloadLen = off + 40 + plen - p
	if fragmented && fragOff == 0 && !b.ds.Prefs.On(prefIPv6Defrag) {
		b.fragmented = true
		dissectIPProto(b, p, end, nxt)
		b.netRestore(saved)
		return end
	}
	if fragmented {
		var whole *reassembled
		if off+40+plen <= len(b.data) && !b.inQuote && b.ds.Prefs.On(prefIPv6Defrag) {
			k := fragKey{src: addrKey(src), dst: addrKey(dst), id: fragID, proto: nxt, v6: true}
			whole = b.ds.conv.fragment(b.fr.Number, k, fragOff, b.data[p:off+40+plen], fragMore, b.ds.Frozen)
		}
		if whole == nil {
			if b.ds.Summary {
				b.setInfo(fmt.Sprintf("IPv6 fragment (off=%d more=%s ident=0x%08x nxt=%d)", fragOff, yn(fragMore), fragID, nxt))
			}
			dissectDataRange(b, p, end)
		} else {
			dissectReassembled(b, p, whole, nxt, ipv6FragDefs)
		}
		b.netRestore(saved)
		return end
	}
	dissectIPProto(b, p, end, nxt)
	b.netRestore(saved)
	return end
}

func yn(v bool) string {
	if v {
		return "y"
	}
	return "n"
}

var (
	ipv6Payload = newPayload("ipv6", "Internet Protocol Version 6", dissectIPv6)

	_ = etherTypes.register(0x86dd, ipv6Payload)
	_ = greProtos.register(0x86dd, ipv6Payload)
	_ = ipProtos.register(41, ipv6Payload) // IPv6 in IP (6in4, 6in6)
	_ = pppProtos.register(0x0057, ipv6Payload)
)

// ipv6Text is an IPv6 address field's bytes written as an address.
func ipv6Text(f *Field) string { return formatIPv6(f.B) }
