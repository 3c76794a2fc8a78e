package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

var (
	fARP          = Register(FieldDef{Name: "arp", Label: "Address Resolution Protocol", Type: FTProtocol})
	fARPHwType    = Register(FieldDef{Name: "arp.hw.type", Label: "Hardware type", Type: FTUint, Values: arpHwNames})
	fARPProtoType = Register(FieldDef{Name: "arp.proto.type", Label: "Protocol type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fARPHwSize    = Register(FieldDef{Name: "arp.hw.size", Label: "Hardware size", Type: FTUint})
	fARPProtoSize = Register(FieldDef{Name: "arp.proto.size", Label: "Protocol size", Type: FTUint})
	fARPOpcode    = Register(FieldDef{Name: "arp.opcode", Label: "Opcode", Type: FTUint, Values: arpOpNames})
	fARPGratuit   = Register(FieldDef{Name: "arp.isgratuitous", Label: "Is gratuitous", Type: FTBool})
	fARPProbe     = Register(FieldDef{Name: "arp.isprobe", Label: "Is probe", Type: FTBool})
	fARPAnnounce  = Register(FieldDef{Name: "arp.isannouncement", Label: "Is announcement", Type: FTBool})
	fARPSrcMAC    = Register(FieldDef{Name: "arp.src.hw_mac", Label: "Sender MAC address", Type: FTEther, Display: arpMACLine})
	fARPSrcHw     = Register(FieldDef{Name: "arp.src.hw", Label: "Sender hardware address", Type: FTBytes})
	fARPSrcIPv4   = Register(FieldDef{Name: "arp.src.proto_ipv4", Label: "Sender IP address", Type: FTIPv4})
	fARPSrcProto  = Register(FieldDef{Name: "arp.src.proto", Label: "Sender protocol address", Type: FTBytes})
	fARPDstMAC    = Register(FieldDef{Name: "arp.dst.hw_mac", Label: "Target MAC address", Type: FTEther, Display: arpMACLine})
	fARPDstHw     = Register(FieldDef{Name: "arp.dst.hw", Label: "Target hardware address", Type: FTBytes})
	fARPDstIPv4   = Register(FieldDef{Name: "arp.dst.proto_ipv4", Label: "Target IP address", Type: FTIPv4})
	fARPDstProto  = Register(FieldDef{Name: "arp.dst.proto", Label: "Target protocol address", Type: FTBytes})
)

var arpHwNames = map[uint64]string{1: "Ethernet", 6: "IEEE 802", 7: "ARCNET", 15: "Frame Relay", 16: "ATM",
	18: "Fibre Channel", 19: "ATM", 20: "Serial Line", 24: "IEEE 1394.1995", 32: "InfiniBand"}

var arpOpNames = map[uint64]string{1: "request", 2: "reply", 3: "reverse request", 4: "reverse reply",
	5: "DRARP-Request", 6: "DRARP-Reply", 7: "DRARP-Error", 8: "InARP-Request", 9: "InARP-Reply", 10: "ARP-NAK"}

// arpMACLine resolves only the two names every tshark shows the same way;
// vendor prefixes need a manuf table wirelens does not carry.
func arpMACLine(f *Field) string {
	m := formatMAC(f.B)
	name := m
	switch {
	case bytes.Equal(f.B, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}):
		name = "Broadcast"
	case bytes.Equal(f.B, make([]byte, 6)):
		name = "00:00:00_00:00:00"
	}
	return f.Def.Label + ": " + name + " (" + m + ")"
}

// dissectARP dissects ARP/RARP and returns where the packet ends, so the
// Ethernet layer can show what follows as padding.
func dissectARP(b *builder, off int) int {
	b.addProtocol("arp")
	d := b.data[off:]
	if b.ds.Summary {
		b.proto = "ARP"
	}
	root := b.mark()
	if len(d) < 8 {
		b.malformed("ARP/RARP", off, "header cut short")
		return len(b.data)
	}
	hw, pt := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	hln, pln := int(d[4]), int(d[5])
	op := binary.BigEndian.Uint16(d[6:])
	total := 8 + 2*hln + 2*pln
	b.open(fARP, off, min(total, len(d)))
	b.addU(fARPHwType, off, 2, uint64(hw))
	b.addU(fARPProtoType, off+2, 2, uint64(pt))
	b.addU(fARPHwSize, off+4, 1, uint64(hln))
	b.addU(fARPProtoSize, off+5, 1, uint64(pln))
	b.addU(fARPOpcode, off+6, 2, uint64(op))
	if op == 3 || op == 4 {
		b.proto = "RARP"
	}
	if total > len(d) {
		b.close()
		b.malformed("ARP/RARP", off+len(d), "addresses cut short")
		if b.ds.Summary {
			b.setInfo("[Malformed Packet]")
		}
		return len(b.data)
	}
	sha, spa := d[8:8+hln], d[8+hln:8+hln+pln]
	tha, tpa := d[8+hln+pln:8+2*hln+pln], d[8+2*hln+pln:total]
	ether, ipv4 := hln == 6 && (hw == 1 || hw == 6), pln == 4 && pt == 0x0800

	// RFC 5227's special requests, as Wireshark names them.
	gratuitous := ipv4 && (op == 1 || op == 2) && bytes.Equal(spa, tpa)
	zeroTHA := bytes.Equal(tha, make([]byte, len(tha)))
	announce := gratuitous && op == 1 && zeroTHA
	probe := ipv4 && op == 1 && bytes.Equal(spa, []byte{0, 0, 0, 0}) && zeroTHA
	if gratuitous {
		b.add(fARPGratuit, off, 0).U = 1
		b.last().Generated = true
	}
	if probe {
		b.add(fARPProbe, off, 0).U = 1
		b.last().Generated = true
	}
	if announce {
		b.add(fARPAnnounce, off, 0).U = 1
		b.last().Generated = true
	}
	addHw := func(def, raw *FieldDef, o int) {
		if ether {
			b.addB(def, off+o, hln)
		} else if hln > 0 {
			b.addB(raw, off+o, hln)
		}
	}
	addProto := func(def, raw *FieldDef, o int, a []byte) {
		if ipv4 {
			b.addU(def, off+o, 4, uint64(binary.BigEndian.Uint32(a)))
		} else if pln > 0 {
			b.addB(raw, off+o, pln)
		}
	}
	addHw(fARPSrcMAC, fARPSrcHw, 8)
	addProto(fARPSrcIPv4, fARPSrcProto, 8+hln, spa)
	addHw(fARPDstMAC, fARPDstHw, 8+hln+pln)
	addProto(fARPDstIPv4, fARPDstProto, 8+2*hln+pln, tpa)
	b.close()

	opName, ok := arpOpNames[uint64(op)]
	if !ok {
		opName = fmt.Sprintf("Unknown (%d)", op)
	}
	suffix := " (" + opName + ")"
	switch {
	case announce:
		suffix = " (ARP Announcement)"
	case probe:
		suffix = " (ARP Probe)"
	case gratuitous:
		suffix = " (" + opName + "/gratuitous ARP)"
	}
	b.at(root).S = fARP.Label + suffix

	if b.ds.Summary {
		hwS := func(a []byte) string {
			if ether {
				return formatMAC(a)
			}
			return formatBytes(a, ":")
		}
		prS := func(a []byte) string {
			if ipv4 {
				return formatIPv4(binary.BigEndian.Uint32(a))
			}
			return formatBytes(a, ":")
		}
		var info string
		switch {
		case announce:
			info = "ARP Announcement for " + prS(spa)
		case gratuitous:
			kind := "Request"
			if op == 2 {
				kind = "Reply"
			}
			info = "Gratuitous ARP for " + prS(spa) + " (" + kind + ")"
		case probe:
			info = "Who has " + prS(tpa) + "? (ARP Probe)"
		case op == 1:
			info = "Who has " + prS(tpa) + "? Tell " + prS(spa)
		case op == 2:
			info = prS(spa) + " is at " + hwS(sha)
		case op == 3:
			info = "Who is " + hwS(tha) + "? Tell " + hwS(sha)
		case op == 4:
			info = hwS(tha) + " is at " + prS(tpa)
		default:
			info = fmt.Sprintf("Unknown ARP opcode 0x%04x", op)
		}
		b.setInfo(info)
	}
	return off + total
}

var (
	arpPayload = newPayload("arp", "Address Resolution Protocol", dissectARP)

	_ = etherTypes.register(0x0806, arpPayload)
	_ = greProtos.register(0x0806, arpPayload)
)
