package decode

import (
	"encoding/binary"
	"fmt"
)

// IEEE 802.2 LLC after an 802.3 length field, as Wireshark's packet-llc.c
// dispatches it: by DSAP (STP's 0x42), and for SNAP (0xaa) by
// Organization Code and PID: OUI 0 is an EtherType, Cisco's (00:00:0c)
// its own PIDs (CDP 0x2000). What no table claims is data.

var (
	llcSAPs      = newTable("llc.dsap", "LLC SAP")
	llcCiscoPIDs = newTable("llc.cisco_pid", "LLC SNAP PID (Cisco)")
)

var llcSAPNames = map[uint64]string{0x00: "NULL LSAP", 0x02: "LLC Sub-Layer Management", 0x06: "TCP/IP",
	0x42: "Spanning Tree BPDU", 0xaa: "SNAP", 0xe0: "NetWare", 0xf0: "NetBIOS", 0xfe: "ISO Network Layer", 0xff: "Global LSAP"}

var llcOUINames = map[uint64]string{0x000000: "Encapsulated Ethernet", 0x00000c: "Cisco Systems, Inc", 0x0080c2: "IEEE 802.1"}

var (
	fLLCCiscoPID = Register(FieldDef{Name: "llc.cisco_pid", Label: "PID", Type: FTUint, Base: BaseHex, Bits: 16,
		Values: map[uint64]string{0x2000: "CDP", 0x2003: "VTP", 0x2004: "DTP", 0x010b: "PVSTP+", 0x0104: "PAgP", 0x0111: "UDLD"}})
)

func llcSAPLine(f *Field) string {
	name, ok := llcSAPNames[f.U&0xfe]
	if !ok {
		name = "Unknown"
	}
	return fmt.Sprintf("%s: %s (0x%02x)", f.Def.Label, name, f.U)
}

// llcInfo is tshark's Info for an LLC frame no dissector takes: the frame
// kind and sequence numbers, and the SAPs.
func llcInfo(d []byte) string {
	sap := func(v byte, bit string) string {
		name, ok := llcSAPNames[uint64(v&0xfe)]
		if !ok {
			name = fmt.Sprintf("0x%02x", v&0xfe)
		}
		return name + " " + bit
	}
	dbit, sbit := "Individual", "Command"
	if d[0]&1 != 0 {
		dbit = "Group"
	}
	if d[1]&1 != 0 {
		sbit = "Response"
	}
	saps := "; DSAP " + sap(d[0], dbit) + ", SSAP " + sap(d[1], sbit)
	ctl := d[2]
	switch {
	case ctl&1 == 0:
		c := binary.LittleEndian.Uint16(d[2:])
		return fmt.Sprintf("I, N(R)=%d, N(S)=%d", c>>9, c>>1&0x7f) + saps
	case ctl&3 == 1:
		c := binary.LittleEndian.Uint16(d[2:])
		fn := map[uint16]string{0: "RR", 1: "RNR", 2: "REJ"}[c>>2&3]
		return fmt.Sprintf("S, func=%s, N(R)=%d", fn, c>>9) + saps
	}
	fn := map[byte]string{0x03: "UI", 0xaf: "XID", 0xe3: "TEST", 0x6f: "SABME", 0x43: "DISC", 0x63: "UA", 0x0f: "DM", 0x87: "FRMR"}[ctl&0xef]
	if fn == "" {
		fn = fmt.Sprintf("0x%02x", ctl)
	}
	return "U, func=" + fn + saps
}

// dissectLLC dissects an 802.2 header at off and its payload up to end.
func dissectLLC(b *builder, off, end int) {
	b.addProtocol("llc")
	if b.ds.Summary {
		b.proto = "LLC"
	}
	d := b.data[off:end]
	if len(d) < 3 {
		b.malformed("LLC", off, "header cut short")
		return
	}
	dsap, ssap, ctl := d[0], d[1], d[2]
	snap := dsap == 0xaa && ssap == 0xaa && ctl == 0x03 && len(d) >= 8
	hl := 3
	if snap {
		hl = 8
	}
	b.open(fLLC, off, hl)
	b.addU(fLLCDSAP, off, 1, uint64(dsap)).Text = llcSAPLine(&Field{Def: fLLCDSAP, U: uint64(dsap)})
	b.addU(fLLCSSAP, off+1, 1, uint64(ssap)).Text = llcSAPLine(&Field{Def: fLLCSSAP, U: uint64(ssap)})
	ctlText := fmt.Sprintf("Control field: 0x%02x", ctl)
	if ctl == 0x03 {
		ctlText = "Control field: U, func=UI (0x03)"
	}
	b.addU(fLLCCtl, off+2, 1, uint64(ctl)).Text = ctlText
	if !snap {
		b.close()
		if _, ok := b.dispatch(llcSAPs, uint32(dsap), off+3, end); !ok {
			hl := 3
			if ctl&1 == 0 || ctl&3 == 1 {
				hl = 4 // I and S frames have a two-byte control field
			}
			if b.ds.Summary && len(d) >= hl {
				b.setInfo(llcInfo(d))
			}
			dissectDataRange(b, off+hl, end)
		}
		return
	}
	oui := uint64(d[3])<<16 | uint64(d[4])<<8 | uint64(d[5])
	pid := binary.BigEndian.Uint16(d[6:])
	name, ok := llcOUINames[oui]
	if !ok {
		name = "Unknown"
	}
	b.addU(fLLCOUI, off+3, 3, oui).Text = fmt.Sprintf("Organization Code: %02x:%02x:%02x (%s)", d[3], d[4], d[5], name)
	var table *Table
	switch oui {
	case 0:
		b.addU(fLLCPID, off+6, 2, uint64(pid))
		table = etherTypes
	case 0x00000c:
		f := b.addU(fLLCCiscoPID, off+6, 2, uint64(pid))
		if n, ok := fLLCCiscoPID.Values[uint64(pid)]; ok {
			f.Text = fmt.Sprintf("PID: %s (0x%04x)", n, pid)
		}
		table = llcCiscoPIDs
	default:
		b.addU(fLLCPID, off+6, 2, uint64(pid))
	}
	b.close()
	if table != nil {
		if _, ok := b.dispatch(table, uint32(pid), off+8, end); ok {
			return
		}
	}
	dissectDataRange(b, off+8, end)
}
