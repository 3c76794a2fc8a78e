package decode

import (
	"encoding/binary"
	"fmt"
)

// IEEE 802.11 (LINKTYPE_IEEE802_11, 105) and with a radiotap header
// (LINKTYPE_IEEE802_11_RADIOTAP, 127): data frames carrying an LLC/SNAP
// header are dissected down to their EtherType's payload; management frames
// (beacon, probe, association ...) and control frames (ACK, RTS, CTS ...)
// get their header, wlan.fc.* fields, the SSID and Wireshark's Info; their
// other elements and protected data are shown as data.

var (
	fRadiotap       = Register(FieldDef{Name: "radiotap", Label: "Radiotap Header", Type: FTProtocol})
	fRadiotapVer    = Register(FieldDef{Name: "radiotap.version", Label: "Header revision", Type: FTUint})
	fRadiotapPad    = Register(FieldDef{Name: "radiotap.pad", Label: "Header pad", Type: FTUint})
	fRadiotapLen    = Register(FieldDef{Name: "radiotap.length", Label: "Header length", Type: FTUint})
	fRadiotapPresnt = Register(FieldDef{Name: "radiotap.present.word", Label: "Present flags word", Type: FTUint, Base: BaseHex, Bits: 32})

	fWlan        = Register(FieldDef{Name: "wlan", Label: "IEEE 802.11", Type: FTProtocol})
	fWlanFC      = Register(FieldDef{Name: "wlan.fc", Label: "Frame Control Field", Type: FTUint, Base: BaseHex, Bits: 16})
	fWlanSubtype = Register(FieldDef{Name: "wlan.fc.type_subtype", Label: "Type/Subtype", Type: FTUint, Base: BaseHex, Bits: 16})
	fWlanType    = Register(FieldDef{Name: "wlan.fc.type", Label: "Type", Type: FTUint, Values: map[uint64]string{0: "Management frame", 1: "Control frame", 2: "Data frame", 3: "Extension frame"}})
	fWlanSub     = Register(FieldDef{Name: "wlan.fc.subtype", Label: "Subtype", Type: FTUint})
	fWlanFlags   = Register(FieldDef{Name: "wlan.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fWlanSSID    = Register(FieldDef{Name: "wlan.ssid", Label: "SSID", Type: FTBytes, Display: func(f *Field) string { return "SSID: " + Sanitize(string(f.B)) }})
	fWlanDS      = Register(FieldDef{Name: "wlan.fc.ds", Label: "DS status", Type: FTUint, Base: BaseHex, Bits: 8})
	fWlanProt    = Register(FieldDef{Name: "wlan.fc.protected", Label: "Protected flag", Type: FTBool})
	fWlanDur     = Register(FieldDef{Name: "wlan.duration", Label: "Duration", Type: FTUint})
	fWlanRA      = Register(FieldDef{Name: "wlan.ra", Label: "Receiver address", Type: FTEther})
	fWlanTA      = Register(FieldDef{Name: "wlan.ta", Label: "Transmitter address", Type: FTEther})
	fWlanDA      = Register(FieldDef{Name: "wlan.da", Label: "Destination address", Type: FTEther})
	fWlanSA      = Register(FieldDef{Name: "wlan.sa", Label: "Source address", Type: FTEther})
	fWlanBSSID   = Register(FieldDef{Name: "wlan.bssid", Label: "BSS Id", Type: FTEther})
	fWlanFrag    = Register(FieldDef{Name: "wlan.frag", Label: "Fragment number", Type: FTUint})
	fWlanSeq     = Register(FieldDef{Name: "wlan.seq", Label: "Sequence number", Type: FTUint})

	fLLC     = Register(FieldDef{Name: "llc", Label: "Logical-Link Control", Type: FTProtocol})
	fLLCDSAP = Register(FieldDef{Name: "llc.dsap", Label: "DSAP", Type: FTUint, Base: BaseHex, Bits: 8})
	fLLCSSAP = Register(FieldDef{Name: "llc.ssap", Label: "SSAP", Type: FTUint, Base: BaseHex, Bits: 8})
	fLLCCtl  = Register(FieldDef{Name: "llc.control", Label: "Control field", Type: FTUint, Base: BaseHex, Bits: 16})
	fLLCOUI  = Register(FieldDef{Name: "llc.oui", Label: "Organization Code", Type: FTUint}) // BASE_OUI: -T fields prints it in decimal
	fLLCPID  = Register(FieldDef{Name: "llc.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
)

func dissectRadiotap(b *builder, off int) int {
	b.addProtocol("radiotap")
	if b.ds.Summary {
		b.proto = "802.11"
	}
	d := b.data[off:]
	if len(d) < 8 {
		b.malformed("Radiotap", off, "header cut short")
		return len(b.data)
	}
	l := int(binary.LittleEndian.Uint16(d[2:]))
	if l < 8 || l > len(d) {
		b.malformed("Radiotap", off, fmt.Sprintf("header length %d past the frame", l))
		return len(b.data)
	}
	b.open(fRadiotap, off, l)
	b.addU(fRadiotapVer, off, 1, uint64(d[0]))
	b.addU(fRadiotapPad, off+1, 1, uint64(d[1]))
	b.addU(fRadiotapLen, off+2, 2, uint64(l))
	b.addU(fRadiotapPresnt, off+4, 4, uint64(binary.LittleEndian.Uint32(d[4:])))
	b.close()
	// The flags field (bit 1 of the first present word, right after it
	// unless bit 0, the 8-byte TSFT, comes first) says whether the frame
	// ends with an FCS.
	present := binary.LittleEndian.Uint32(d[4:])
	end := len(b.data)
	if present&2 != 0 && present&0x80000001 == 0 && l > 8 && d[8]&0x10 != 0 {
		end -= 4
	}
	return dissectDot11(b, off+l, end)
}

func dissectDot11(b *builder, off, end int) int {
	b.addProtocol("wlan")
	if b.ds.Summary {
		b.proto = "802.11"
	}
	if end < off {
		end = off
	}
	d := b.data[off:end]
	if len(d) >= 2 && d[0]>>2&3 == 1 {
		return dissectDot11Control(b, off, end)
	}
	if len(d) < 24 {
		b.malformed("IEEE 802.11", off, "header cut short")
		return len(b.data)
	}
	fc := binary.BigEndian.Uint16(d)
	typ, sub := d[0]>>2&3, d[0]>>4
	ds := d[1] & 3
	hl := 24
	if typ == 2 && sub&8 != 0 {
		hl += 2 // QoS control
	}
	if typ == 2 && ds == 3 {
		hl += 6 // fourth address
	}
	if len(d) < hl {
		b.malformed("IEEE 802.11", off, "header cut short")
		return len(b.data)
	}
	b.open(fWlan, off, hl)
	b.addU(fWlanSubtype, off, 1, uint64(typ)<<4|uint64(sub))
	b.addU(fWlanFC, off, 2, uint64(fc))
	b.depth++
	b.addU(fWlanType, off, 1, uint64(typ))
	b.addU(fWlanSub, off, 1, uint64(sub))
	b.addU(fWlanFlags, off+1, 1, uint64(d[1]))
	b.addU(fWlanDS, off+1, 1, uint64(ds))
	b.addU(fWlanProt, off+1, 1, uint64(d[1]>>6&1))
	b.depth--
	b.addU(fWlanDur, off+2, 2, uint64(binary.LittleEndian.Uint16(d[2:])))
	b.addB(fWlanRA, off+4, 6)
	b.addB(fWlanTA, off+10, 6)
	// Which address is which depends on the To DS / From DS bits.
	var da, sa, bssid int
	layout := ds
	if typ != 2 && ds == 3 {
		layout = 0 // only data frames carry a fourth address
	}
	switch layout {
	case 0:
		da, sa, bssid = 4, 10, 16
	case 1:
		bssid, sa, da = 4, 10, 16
	case 2:
		da, bssid, sa = 4, 10, 16
	default:
		da, sa, bssid = 16, 24, -1
	}
	b.addB(fWlanDA, off+da, 6)
	b.addB(fWlanSA, off+sa, 6)
	if bssid >= 0 {
		b.addB(fWlanBSSID, off+bssid, 6)
	}
	sc := binary.LittleEndian.Uint16(d[22:])
	b.addU(fWlanFrag, off+22, 2, uint64(sc&15))
	b.addU(fWlanSeq, off+22, 2, uint64(sc>>4))
	b.close()
	if b.ds.Summary {
		b.setAddrs(formatMAC(d[sa:sa+6]), formatMAC(d[da:da+6]))
	}
	body := off + hl
	if typ == 0 {
		dissectDot11Mgmt(b, d, off, hl, end, sub)
		return len(b.data)
	}
	if typ != 2 || d[1]&0x40 != 0 || sub&4 != 0 || len(d) < hl+8 ||
		d[hl] != 0xaa || d[hl+1] != 0xaa || d[hl+2] != 0x03 {
		dissectDataRange(b, body, end)
		return len(b.data)
	}
	b.addProtocol("llc")
	l := d[hl:]
	et := binary.BigEndian.Uint16(l[6:])
	b.open(fLLC, body, 8)
	b.addU(fLLCDSAP, body, 1, uint64(l[0]))
	b.addU(fLLCSSAP, body+1, 1, uint64(l[1]))
	b.addU(fLLCCtl, body+2, 1, uint64(l[2]))
	b.addU(fLLCOUI, body+3, 3, uint64(l[3])<<16|uint64(l[4])<<8|uint64(l[5]))
	b.addU(fLLCPID, body+6, 2, uint64(et))
	b.close()
	if b.ds.Summary {
		b.proto = "LLC"
	}
	if _, ok := b.dispatch(etherTypes, uint32(et), body+8, end); !ok {
		dissectDataRange(b, body+8, end)
	}
	return len(b.data)
}

var (
	_ = registerLink(105, 20, "IEEE 802.11 Wireless LAN", func(b *builder) { dissectDot11(b, 0, len(b.data)) })
	_ = registerLink(127, 23, "IEEE 802.11 plus radiotap radio header", func(b *builder) { dissectRadiotap(b, 0) })
)

// Management and control frames: Wireshark's names and Info, e.g.
// "Beacon frame, SN=1, FN=0, Flags=........, BI=100, SSID="net"" and
// "Request-to-send, Flags=........".
var (
	dot11MgmtNames = map[uint8]string{0: "Association Request", 1: "Association Response", 2: "Reassociation Request",
		3: "Reassociation Response", 4: "Probe Request", 5: "Probe Response", 6: "Measurement Pilot", 8: "Beacon frame",
		9: "ATIM", 10: "Disassociate", 11: "Authentication", 12: "Deauthentication", 13: "Action", 14: "Action No Ack"}
	dot11CtrlNames = map[uint8]string{4: "Beamforming Report Poll", 5: "VHT/HE NDP Announcement", 7: "Control Wrapper",
		8: "802.11 Block Ack Req", 9: "802.11 Block Ack", 10: "Power-Save poll", 11: "Request-to-send", 12: "Clear-to-send",
		13: "Acknowledgement", 14: "CF-End", 15: "CF-End + CF-Ack"}
)

// dot11FlagString is Wireshark's Flags=........ : one letter for each
// frame control flag set (o order, p protected, m more data, P power
// management, R retry, M more fragments, F from DS, T to DS).
func dot11FlagString(fl byte) string {
	const letters = "opmPRMFT"
	out := []byte("........")
	for i := 0; i < 8; i++ {
		if fl&(0x80>>uint(i)) != 0 {
			out[i] = letters[i]
		}
	}
	return string(out)
}

// dissectDot11Control reads a control frame: ACK and CTS carry the
// receiver only (10 bytes), the others a transmitter too (16 bytes).
func dissectDot11Control(b *builder, off, end int) int {
	d := b.data[off:end]
	sub := d[0] >> 4
	hl := 16
	if sub == 12 || sub == 13 {
		hl = 10
	}
	if len(d) < hl {
		b.malformed("IEEE 802.11", off, "header cut short")
		return len(b.data)
	}
	b.open(fWlan, off, hl)
	b.addU(fWlanSubtype, off, 1, 1<<4|uint64(sub))
	b.addU(fWlanFC, off, 2, uint64(binary.BigEndian.Uint16(d)))
	b.depth++
	b.addU(fWlanType, off, 1, 1)
	b.addU(fWlanSub, off, 1, uint64(sub))
	b.addU(fWlanFlags, off+1, 1, uint64(d[1]))
	b.addU(fWlanDS, off+1, 1, uint64(d[1]&3))
	b.addU(fWlanProt, off+1, 1, uint64(d[1]>>6&1))
	b.depth--
	b.addU(fWlanDur, off+2, 2, uint64(binary.LittleEndian.Uint16(d[2:])))
	b.addB(fWlanRA, off+4, 6)
	if hl == 16 {
		b.addB(fWlanTA, off+10, 6)
	}
	b.close()
	if b.ds.Summary {
		src := ""
		if hl == 16 {
			src = formatMAC(d[10:16]) + " (TA)"
		}
		b.setAddrs(src, formatMAC(d[4:10])+" (RA)")
		name, ok := dot11CtrlNames[sub]
		if !ok {
			name = fmt.Sprintf("Unknown frame type/subtype (0x%02x)", 1<<4|sub)
		}
		b.setInfo(name + ", Flags=" + dot11FlagString(d[1]))
	}
	if off+hl < end {
		dissectDataRange(b, off+hl, end)
	}
	return len(b.data)
}

// dissectDot11Mgmt adds a management frame's SSID (the element Info
// names) and writes its Info; the rest of the body is data.
func dissectDot11Mgmt(b *builder, d []byte, off, hl, end int, sub uint8) {
	p := hl
	switch sub {
	case 8, 5: // beacon, probe response: timestamp, interval, capabilities
		p += 12
	case 0, 2: // association/reassociation request
		p += 4
		if sub == 2 {
			p += 6
		}
	case 1, 3:
		p += 6
	}
	var ssid []byte
	hasSSID := false
	if sub == 8 || sub == 5 || sub == 4 || sub <= 3 {
		if p+2 <= len(d) && d[p] == 0 && p+2+int(d[p+1]) <= len(d) {
			ssid, hasSSID = d[p+2:p+2+int(d[p+1])], true
			b.addB(fWlanSSID, off+p+2, int(d[p+1]))
		}
	}
	if b.ds.Summary {
		name, ok := dot11MgmtNames[sub]
		if !ok {
			name = fmt.Sprintf("Unknown frame type/subtype (0x%02x)", sub)
		}
		sc := binary.LittleEndian.Uint16(d[22:])
		info := fmt.Sprintf("%s, SN=%d, FN=%d, Flags=%s", name, sc>>4, sc&15, dot11FlagString(d[1]))
		if (sub == 8 || sub == 5) && len(d) >= hl+10 {
			info += fmt.Sprintf(", BI=%d", binary.LittleEndian.Uint16(d[hl+8:]))
		}
		if hasSSID {
			info += ", SSID=\"" + Sanitize(string(ssid)) + "\""
		}
		b.setInfo(info)
	}
	if off+hl < end {
		dissectDataRange(b, off+hl, end)
	}
}
