package decode

import (
	"encoding/binary"
	"fmt"
)

// MPLS (RFC 3032) label stacks, unicast (0x8847) and multicast (0x8848),
// over Ethernet, GRE and UDP (RFC 7510, port 6635), as Wireshark's
// packet-mpls.c shows them. MPLS does not say what it carries: like
// Wireshark, the first nibble after the bottom label decides (4 IPv4,
// 6 IPv6, 0 an Ethernet pseudowire behind a control word, 1 an associated
// channel, as after the GAL label 13), anything else is data.
//
// A 0 nibble is Wireshark's pwethheuristic: Ethernet without a control
// word (pwethnocw) when both MACs have known manufacturers (the IEEE OUI
// list, from gopacket's macs package), else behind a control word.

var (
	fMPLS = Register(FieldDef{Name: "mpls", Label: "MultiProtocol Label Switching Header", Type: FTProtocol,
		Display: func(f *Field) string {
			w := f.U
			return fmt.Sprintf("MultiProtocol Label Switching Header, Label: %s, Exp: %d, S: %d, TTL: %d", mplsLabelText(w>>12, false), w>>9&7, w>>8&1, w&0xff)
		}})
	fMPLSLabel = Register(FieldDef{Name: "mpls.label", Label: "MPLS Label", Type: FTUint, Bits: 32, Bitmask: 0xfffff000,
		Display: func(f *Field) string {
			return bitPattern(f.U, 0xfffff000, 32) + " = MPLS Label: " + mplsLabelText(f.U, true)
		}})
	fMPLSExp    = Register(FieldDef{Name: "mpls.exp", Label: "MPLS Experimental Bits", Type: FTUint, Bits: 32, Bitmask: 0xe00, Display: bitLine})
	fMPLSBottom = Register(FieldDef{Name: "mpls.bottom", Label: "MPLS Bottom Of Label Stack", Type: FTUint, Bits: 32, Bitmask: 0x100, Display: bitLine})
	fMPLSTTL    = Register(FieldDef{Name: "mpls.ttl", Label: "MPLS TTL", Type: FTUint, Bits: 32, Bitmask: 0xff, Display: bitLine})

	fPWACH     = Register(FieldDef{Name: "pwach", Label: "Generic Associated Channel Header", Type: FTProtocol})
	fPWACHVer  = Register(FieldDef{Name: "pwach.ver", Label: "Channel Version", Type: FTUint, Bits: 8, Bitmask: 0x0f, Display: bitLine})
	fPWACHRes  = Register(FieldDef{Name: "pwach.res", Label: "Reserved", Type: FTUint, Base: BaseHex, Bits: 8})
	fPWACHType = Register(FieldDef{Name: "pwach.channel_type", Label: "Channel Type", Type: FTUint, Base: BaseHex, Bits: 16,
		Display: func(f *Field) string { return fmt.Sprintf("Channel Type: Unknown (0x%04x)", f.U) }})
	fPWEthCW    = Register(FieldDef{Name: "pwethcw", Label: "PW Ethernet Control Word", Type: FTProtocol})
	fPWEth      = Register(FieldDef{Name: "pweth", Label: "PW (ethernet)", Type: FTBool})
	fPWEthCWSeq = Register(FieldDef{Name: "pweth.cw.sequence_number", Label: "Sequence Number", Type: FTUint})
)

// mplsSpecial are the reserved labels (RFC 3032, 5586, 6790, 7274).
var mplsSpecial = map[uint64]string{0: "IPv4 Explicit-Null", 1: "Router Alert", 2: "IPv6 Explicit-Null", 3: "Implicit-Null",
	7: "Entropy Label Indicator (ELI)", 13: "Generic Associated Channel Label (GAL)", 14: "OAM Alert"}

// mplsLabelText writes a label as Wireshark does: in the header line
// "0 (IPv4 Explicit-Null)", on the label's own line (line)
// "IPv4 Explicit-Null (0)"; the other reserved labels (below 16) are
// "Reserved - Unknown" and "Unknown".
func mplsLabelText(l uint64, line bool) string {
	n, ok := mplsSpecial[l]
	switch {
	case !ok && l < 16 && line:
		n, ok = "Unknown", true
	case !ok && l < 16:
		n, ok = "Reserved - Unknown", true
	}
	switch {
	case ok && line:
		return fmt.Sprintf("%s (%d)", n, l)
	case ok:
		return fmt.Sprintf("%d (%s)", l, n)
	case line:
		return fmt.Sprintf("%d (0x%05x)", l, l)
	}
	return fmt.Sprint(l)
}

func dissectMPLS(b *builder, off int) int {
	b.addProtocol("mpls")
	if b.ds.Summary {
		b.proto = "MPLS"
		b.setInfo("MPLS Label Switched Packet")
	}
	p := off
	var label uint64
	for {
		if len(b.data)-p < 4 {
			b.malformed("MPLS", p, "label stack cut short")
			return len(b.data)
		}
		w := uint64(binary.BigEndian.Uint32(b.data[p:]))
		b.open(fMPLS, p, 4).U = w
		b.addU(fMPLSLabel, p, 4, w>>12)
		b.addU(fMPLSExp, p, 4, w>>9&7)
		b.addU(fMPLSBottom, p, 4, w>>8&1)
		b.addU(fMPLSTTL, p, 4, w&0xff)
		b.close()
		p += 4
		label = w >> 12
		if w&0x100 != 0 {
			break
		}
	}
	if p >= len(b.data) {
		return len(b.data)
	}
	nibble := b.data[p] >> 4
	if label == 13 || nibble == 1 {
		// The Generic Associated Channel (RFC 5586): OAM, BFD, LSP ping.
		// wirelens shows its header; the channel's message is data.
		nibble = 1
	}
	switch nibble {
	case 1:
		if len(b.data)-p < 4 {
			break
		}
		b.addProtocol("pwach")
		b.open(fPWACH, p, 4)
		b.addU(fPWACHVer, p, 1, uint64(b.data[p]&0x0f))
		b.addU(fPWACHRes, p+1, 1, uint64(b.data[p+1]))
		b.addU(fPWACHType, p+2, 2, uint64(binary.BigEndian.Uint16(b.data[p+2:])))
		b.close()
		dissectData(b, p+4)
		return len(b.data)
	case 4:
		return dissectIPv4(b, p)
	case 6:
		return dissectIPv6(b, p)
	case 0:
		// Wireshark's pwethheuristic: a destination MAC may start with a
		// 0 nibble too; when both MACs have known manufacturers it is an
		// Ethernet pseudowire without a control word.
		if len(b.data)-p >= 14 && knownManufacturer(b.data[p:]) && knownManufacturer(b.data[p+6:]) {
			b.addProtocol("pwethheuristic")
			b.addProtocol("pwethnocw")
			b.addHidden(fPWEth, p, 0, 1)
			dissectEthernet(b, p)
			return len(b.data)
		}
		if len(b.data)-p >= 4+14 {
			b.addProtocol("pwethheuristic")
			b.addProtocol("pwethcw")
			b.open(fPWEthCW, p, 4)
			b.addU(fPWEthCWSeq, p+2, 2, uint64(binary.BigEndian.Uint16(b.data[p+2:])))
			b.close()
			dissectEthernet(b, p+4)
			return len(b.data)
		}
	}
	b.noteUndissected("mpls", 0)
	dissectData(b, p)
	return len(b.data)
}

var (
	mplsPayload = newPayload("mpls", "MultiProtocol Label Switching", dissectMPLS)

	_ = etherTypes.register(0x8847, mplsPayload)
	_ = etherTypes.register(0x8848, mplsPayload)
	_ = greProtos.register(0x8847, mplsPayload)
	_ = greProtos.register(0x8848, mplsPayload)
	_ = udpPorts.register(6635, mplsPayload)
	_ = pppProtos.register(0x0281, mplsPayload)
	_ = pppProtos.register(0x0283, mplsPayload)
	_ = ipProtos.register(137, mplsPayload) // MPLS in IP (RFC 4023)
)
