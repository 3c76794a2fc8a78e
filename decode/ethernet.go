package decode

import (
	"encoding/binary"
	"fmt"
	"github.com/wirelens/wirelens/decode/capfile"
)

var (
	fEth = Register(FieldDef{Name: "eth", Label: "Ethernet II", Type: FTProtocol,
		Display: func(f *Field) string {
			return "Ethernet II, Src: " + formatMAC(f.B[6:12]) + ", Dst: " + formatMAC(f.B[0:6])
		}})
	fEthDst  = Register(FieldDef{Name: "eth.dst", Label: "Destination", Type: FTEther})
	fEthSrc  = Register(FieldDef{Name: "eth.src", Label: "Source", Type: FTEther})
	fEthAddr = Register(FieldDef{Name: "eth.addr", Label: "Address", Type: FTEther})
	// The *_resolved names are tshark's hidden name-resolution fields;
	// wirelens never resolves names, so they hold the address as tshark
	// -n writes them.
	fEthDstRes  = Register(FieldDef{Name: "eth.dst_resolved", Label: "Destination (resolved)", Type: FTString, Format: macText})
	fEthSrcRes  = Register(FieldDef{Name: "eth.src_resolved", Label: "Source (resolved)", Type: FTString, Format: macText})
	fEthAddrRes = Register(FieldDef{Name: "eth.addr_resolved", Label: "Address (resolved)", Type: FTString, Format: macText})
	fEthLG      = Register(FieldDef{Name: "eth.lg", Label: "LG bit", Type: FTBool, Bits: 24, Bitmask: 0x020000, Display: lgLine})
	fEthIG      = Register(FieldDef{Name: "eth.ig", Label: "IG bit", Type: FTBool, Bits: 24, Bitmask: 0x010000, Display: igLine})
	fEthType    = Register(FieldDef{Name: "eth.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fEthPad     = Register(FieldDef{Name: "eth.padding", Label: "Padding", Type: FTBytes})
	fEthLen     = Register(FieldDef{Name: "eth.len", Label: "Length", Type: FTUint})

	fVlan      = Register(FieldDef{Name: "vlan", Label: "802.1Q Virtual LAN", Type: FTProtocol, Display: vlanLine})
	fVlanPrio  = Register(FieldDef{Name: "vlan.priority", Label: "Priority", Type: FTUint, Bits: 16, Bitmask: 0xe000, Values: vlanPrioNames, Display: bitLine})
	fVlanDEI   = Register(FieldDef{Name: "vlan.dei", Label: "DEI", Type: FTUint, Bits: 16, Bitmask: 0x1000, Values: map[uint64]string{0: "Ineligible", 1: "Eligible"}, Display: bitLine})
	fVlanID    = Register(FieldDef{Name: "vlan.id", Label: "ID", Type: FTUint, Bits: 16, Bitmask: 0x0fff, Display: bitLine})
	fVlanEtype = Register(FieldDef{Name: "vlan.etype", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})

	fQinQ      = Register(FieldDef{Name: "ieee8021ad", Label: "IEEE 802.1ad", Type: FTProtocol, Display: vlanLine})
	fQinQPrio  = Register(FieldDef{Name: "ieee8021ad.priority", Label: "Priority", Type: FTUint, Bits: 16, Bitmask: 0xe000, Values: vlanPrioNames, Display: bitLine})
	fQinQDEI   = Register(FieldDef{Name: "ieee8021ad.dei", Label: "DEI", Type: FTUint, Bits: 16, Bitmask: 0x1000, Display: bitLine})
	fQinQID    = Register(FieldDef{Name: "ieee8021ad.id", Label: "ID", Type: FTUint, Bits: 16, Bitmask: 0x0fff, Display: bitLine})
	fQinQEtype = Register(FieldDef{Name: "ieee8021ad.etype", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
)

var etherTypeNames = map[uint64]string{
	0x0800: "IPv4", 0x86dd: "IPv6", 0x0806: "ARP", 0x8100: "802.1Q Virtual LAN",
	0x88a8: "802.1ad Provider Bridge (Q-in-Q)", 0x9100: "VLAN-tagged frame (Q-in-Q)",
	0x8035: "RARP", 0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet", 0x6558: "Transparent Ethernet bridging", 0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)",
	0x8863: "PPPoE Discovery", 0x8864: "PPPoE Session", 0x888e: "802.1X Authentication",
}

var vlanPrioNames = map[uint64]string{0: "Best Effort (default)", 1: "Background", 2: "Excellent Effort",
	3: "Critical Applications", 4: "Video, < 100ms latency and jitter", 5: "Voice, < 10ms latency and jitter",
	6: "Internetwork Control", 7: "Network Control"}

func etherTypeLine(f *Field) string {
	name, ok := f.Def.Values[f.U]
	if !ok {
		name = "Unknown"
	}
	return fmt.Sprintf("%s: %s (0x%04x)", f.Def.Label, name, f.U)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func vlanLine(f *Field) string {
	return fmt.Sprintf("%s, PRI: %d, DEI: %d, ID: %d", f.Def.Label, f.U>>13, f.U>>12&1, f.U&0xfff)
}

func lgLine(f *Field) string {
	s := "Globally unique address (factory default)"
	if f.U != 0 {
		s = "Locally administered address (this is NOT the factory default)"
	}
	return bitPattern(f.U, 0x020000, 24) + " = LG bit: " + s
}

func igLine(f *Field) string {
	s := "Individual address (unicast)"
	if f.U != 0 {
		s = "Group address (multicast/broadcast)"
	}
	return bitPattern(f.U, 0x010000, 24) + " = IG bit: " + s
}

func dissectEthernet(b *builder, off int) {
	if len(b.data)-off < 14 {
		b.addProtocol("eth")
		b.proto = "Ethernet"
		b.malformed("Ethernet", off, fmt.Sprintf("frame of %d bytes is shorter than an Ethernet header (14)", len(b.data)-off))
		return
	}
	b.addProtocol("eth")
	dst, src := b.data[off:off+6], b.data[off+6:off+12]
	b.loopback = b.loopback || allZero(dst) && allZero(src)
	et := binary.BigEndian.Uint16(b.data[off+12:])
	ethRoot := b.mark()
	b.open(fEth, off, 14).B = b.data[off : off+14]
	for i, a := range [][]byte{dst, src} {
		def := fEthDst
		if i == 1 {
			def = fEthSrc
		}
		b.addB(def, off+6*i, 6)
		b.depth++
		res := fEthDstRes
		if i == 1 {
			res = fEthSrcRes
		}
		b.addB(res, off+6*i, 6).Hidden = true
		b.addB(fEthAddr, off+6*i, 6) // tshark shows it as "Address:"
		b.addB(fEthAddrRes, off+6*i, 6).Hidden = true
		b.addU(fEthLG, off+6*i, 3, uint64(a[0]>>1&1))
		b.addU(fEthIG, off+6*i, 3, uint64(a[0]&1))
		b.depth--
	}
	if b.ds.Summary {
		b.setAddrs(formatMAC(src), formatMAC(dst))
		b.proto = "Ethernet"
	}
	if et < 0x0600 {
		// 802.3: a length field, LLC follows, and what is after its
		// length is padding, shown in the Ethernet subtree as tshark.
		b.at(ethRoot).Text = "IEEE 802.3 Ethernet "
		b.addU(fEthLen, off+12, 2, uint64(et))
		end := off + 14 + int(et)
		if end > len(b.data) {
			end = len(b.data)
		}
		if end < len(b.data) {
			b.addB(fEthPad, end, len(b.data)-end)
		}
		b.close()
		dissectLLC(b, off+14, end)
		return
	}
	b.addU(fEthType, off+12, 2, uint64(et))
	b.close()
	ethEnd, depth := len(b.d.Fields), b.depth+1 // a position in Fields, not a logical index
	end := dissectEthertype(b, off+14, et)
	if end < len(b.data) && end >= off+14 {
		// Bytes after the network layer's own length are Ethernet
		// padding: they belong in the Ethernet subtree, which the layers
		// above have already been appended after.
		fs := b.d.Fields
		fs = append(fs, Field{})
		copy(fs[ethEnd+1:], fs[ethEnd:])
		fs[ethEnd] = Field{Def: fEthPad, Depth: depth, Offset: int32(end), Length: int32(len(b.data) - end), B: b.data[end:]}
		b.d.Fields = fs
		for i, p := range b.phys {
			if p >= int32(ethEnd) {
				b.phys[i] = p + 1
			}
		}
	}
}

// dissectEthertype dispatches on an EtherType and returns where the payload's
// own length says it ends (for padding), or len(data).
func dissectEthertype(b *builder, off int, et uint16) int {
	if b.nest++; b.nest > maxDepth {
		b.malformed("Ethertype", off, fmt.Sprintf("more than %d nested encapsulations", maxDepth))
		return len(b.data)
	}
	b.addProtocol("ethertype")
	if end, ok := b.dispatch(etherTypes, uint32(et), off, len(b.data)); ok {
		return end
	}
	dissectData(b, off)
	if b.ds.Summary {
		if name, ok := etherTypeNames[uint64(et)]; ok {
			b.proto = name
		} else {
			b.proto = fmt.Sprintf("0x%04x", et)
		}
		b.setInfo("Ethernet II")
	}
	return len(b.data)
}

func dissectVLAN(b *builder, off int, tpid uint16) int {
	proto, fp, fd, fi, fe, name := fVlan, fVlanPrio, fVlanDEI, fVlanID, fVlanEtype, "vlan"
	if tpid == 0x88a8 {
		proto, fp, fd, fi, fe, name = fQinQ, fQinQPrio, fQinQDEI, fQinQID, fQinQEtype, "ieee8021ad"
	}
	b.addProtocol(name)
	if len(b.data)-off < 4 {
		b.malformed(proto.Label, off, "tag cut short")
		return len(b.data)
	}
	tci := binary.BigEndian.Uint16(b.data[off:])
	et := binary.BigEndian.Uint16(b.data[off+2:])
	b.open(proto, off, 4).U = uint64(tci)
	b.addU(fp, off, 2, uint64(tci>>13))
	b.addU(fd, off, 2, uint64(tci>>12&1))
	b.addU(fi, off, 2, uint64(tci&0xfff))
	b.addU(fe, off+2, 2, uint64(et))
	b.close()
	return dissectEthertype(b, off+4, et)
}

var (
	ethPayload = newPayload("eth", "Ethernet II", func(b *builder, off int) int {
		dissectEthernet(b, off)
		return len(b.data)
	})
	vlanPayload = newPayload("vlan", "802.1Q Virtual LAN", func(b *builder, off int) int { return dissectVLAN(b, off, 0x8100) })
	qinqPayload = newPayload("ieee8021ad", "IEEE 802.1ad", func(b *builder, off int) int { return dissectVLAN(b, off, 0x88a8) })

	_ = registerLink(capfile.LinkEthernet, 1, "Ethernet", func(b *builder) { dissectEthernet(b, 0) })
	_ = etherTypes.register(0x8100, vlanPayload)
	_ = etherTypes.register(0x9100, vlanPayload)
	_ = etherTypes.register(0x88a8, qinqPayload)
	_ = greProtos.register(0x6558, ethPayload) // transparent Ethernet bridging
	_ = etherTypes.register(0x6558, ethPayload)
)

// macText is a MAC address field's bytes written as an address.
func macText(f *Field) string { return formatMAC(f.B) }
