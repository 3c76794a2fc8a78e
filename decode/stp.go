package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// STP, RSTP and MSTP BPDUs (IEEE 802.1D/802.1Q) with Wireshark's field
// names (packet-stp.c) and tshark's Info, "Conf. Root = 32768/1/00:1b:..
// Cost = 0  Port = 0x8001". MSTP's MSTI records are not dissected.

var stpVersions = map[uint64]string{0: "Spanning Tree", 2: "Rapid Spanning Tree", 3: "Multiple Spanning Tree", 4: "Shortest Path Tree"}

var stpTypes = map[uint64]string{0x00: "Configuration", 0x02: "Rapid/Multiple Spanning Tree", 0x80: "Topology Change Notification"}

var stpRoles = map[uint64]string{0: "Unknown", 1: "Alternate or Backup", 2: "Root", 3: "Designated"}

var yesNo = map[uint64]string{0: "No", 1: "Yes"}

func stpFlag(name, label string, mask uint64) *FieldDef {
	return Register(FieldDef{Name: name, Label: label, Type: FTBool, Bits: 8, Bitmask: mask,
		Display: func(f *Field) string { return bitPattern(f.U, mask, 8) + " = " + label + ": " + yesNo[f.U] }})
}

var (
	fSTP         = Register(FieldDef{Name: "stp", Label: "Spanning Tree Protocol", Type: FTProtocol})
	fSTPProto    = Register(FieldDef{Name: "stp.protocol", Label: "Protocol Identifier", Type: FTUint, Base: BaseHex, Bits: 16, Values: map[uint64]string{0: "Spanning Tree Protocol"}})
	fSTPVersion  = Register(FieldDef{Name: "stp.version", Label: "Protocol Version Identifier", Type: FTUint, Values: stpVersions})
	fSTPType     = Register(FieldDef{Name: "stp.type", Label: "BPDU Type", Type: FTUint, Base: BaseHex, Bits: 8, Values: stpTypes})
	fSTPFlags    = Register(FieldDef{Name: "stp.flags", Label: "BPDU flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fSTPTCAck    = stpFlag("stp.flags.tcack", "Topology Change Acknowledgment", 0x80)
	fSTPAgree    = stpFlag("stp.flags.agreement", "Agreement", 0x40)
	fSTPFwd      = stpFlag("stp.flags.forwarding", "Forwarding", 0x20)
	fSTPLearn    = stpFlag("stp.flags.learning", "Learning", 0x10)
	fSTPRole     = Register(FieldDef{Name: "stp.flags.port_role", Label: "Port Role", Type: FTUint, Bits: 8, Bitmask: 0x0c, Values: stpRoles, Display: bitLine})
	fSTPProposal = stpFlag("stp.flags.proposal", "Proposal", 0x02)
	fSTPTC       = stpFlag("stp.flags.tc", "Topology Change", 0x01)
	fSTPRootID   = Register(FieldDef{Name: "stp.root", Label: "Root Identifier", Type: FTNone})
	fSTPRootPrio = Register(FieldDef{Name: "stp.root.prio", Label: "Root Bridge Priority", Type: FTUint})
	fSTPRootExt  = Register(FieldDef{Name: "stp.root.ext", Label: "Root Bridge System ID Extension", Type: FTUint})
	fSTPRootHW   = Register(FieldDef{Name: "stp.root.hw", Label: "Root Bridge System ID", Type: FTEther})
	fSTPCost     = Register(FieldDef{Name: "stp.root.cost", Label: "Root Path Cost", Type: FTUint})
	fSTPBridgeID = Register(FieldDef{Name: "stp.bridge", Label: "Bridge Identifier", Type: FTNone})
	fSTPBrPrio   = Register(FieldDef{Name: "stp.bridge.prio", Label: "Bridge Priority", Type: FTUint})
	fSTPBrExt    = Register(FieldDef{Name: "stp.bridge.ext", Label: "Bridge System ID Extension", Type: FTUint})
	fSTPBrHW     = Register(FieldDef{Name: "stp.bridge.hw", Label: "Bridge System ID", Type: FTEther})
	fSTPPort     = Register(FieldDef{Name: "stp.port", Label: "Port identifier", Type: FTUint, Base: BaseHex, Bits: 16})
	fSTPMsgAge   = Register(FieldDef{Name: "stp.msg_age", Label: "Message Age", Type: FTFloat})
	fSTPMaxAge   = Register(FieldDef{Name: "stp.max_age", Label: "Max Age", Type: FTFloat})
	fSTPHello    = Register(FieldDef{Name: "stp.hello", Label: "Hello Time", Type: FTFloat})
	fSTPForward  = Register(FieldDef{Name: "stp.forward", Label: "Forward Delay", Type: FTFloat})
	fSTPV1Len    = Register(FieldDef{Name: "stp.version_1_length", Label: "Version 1 Length", Type: FTUint})
	fSTPV3Len    = Register(FieldDef{Name: "stp.version_3_length", Label: "Version 3 Length", Type: FTUint})
)

// stpFlagsText is the flags line: the value and the names of what is set.
func stpFlagsText(fl byte, rapid bool) string {
	var set []string
	add := func(mask byte, name string) {
		if fl&mask != 0 {
			set = append(set, name)
		}
	}
	add(0x80, "Topology Change Acknowledgment")
	if rapid {
		add(0x40, "Agreement")
		add(0x20, "Forwarding")
		add(0x10, "Learning")
		if r := fl >> 2 & 3; r != 0 {
			set = append(set, "Port Role: "+stpRoles[uint64(r)])
		}
		add(0x02, "Proposal")
	}
	add(0x01, "Topology Change")
	s := fmt.Sprintf("BPDU flags: 0x%02x", fl)
	if len(set) > 0 {
		s += ", " + strings.Join(set, ", ")
	}
	return s
}

func stpBridge(b *builder, off int, d []byte, root bool) string {
	prio, ext := binary.BigEndian.Uint16(d)&0xf000, binary.BigEndian.Uint16(d)&0x0fff
	s := fmt.Sprintf("%d / %d / %s", prio, ext, formatMAC(d[2:8]))
	def, fp, fe, fh := fSTPBridgeID, fSTPBrPrio, fSTPBrExt, fSTPBrHW
	if root {
		def, fp, fe, fh = fSTPRootID, fSTPRootPrio, fSTPRootExt, fSTPRootHW
	}
	b.open(def, off, 8).Text = def.Label + ": " + s
	b.addU(fp, off, 2, uint64(prio))
	b.addU(fe, off, 2, uint64(ext))
	b.addB(fh, off+2, 6)
	b.close()
	return fmt.Sprintf("%d/%d/%s", prio, ext, formatMAC(d[2:8]))
}

func dissectSTP(b *builder, off int) int {
	d := b.enterLayer("stp", "STP", off, len(b.data))
	if len(d) < 4 {
		b.malformed("STP", off, "BPDU cut short")
		return len(b.data)
	}
	b.open(fSTP, off, len(d))
	root := b.mark() - 1
	b.addU(fSTPProto, off, 2, uint64(binary.BigEndian.Uint16(d)))
	ver, typ := d[2], d[3]
	b.addU(fSTPVersion, off+2, 1, uint64(ver))
	b.addU(fSTPType, off+3, 1, uint64(typ))
	info := "Unknown BPDU type"
	switch {
	case typ == 0x80:
		info = "Topology Change Notification"
		b.at(root).Length = 4
	case len(d) < 35:
		b.close()
		b.malformed("STP", off, "BPDU cut short")
		return len(b.data)
	default:
		fl := d[4]
		rapid := ver >= 2
		b.addU(fSTPFlags, off+4, 1, uint64(fl)).Text = stpFlagsText(fl, rapid)
		b.depth++
		b.addU(fSTPTCAck, off+4, 1, uint64(fl>>7))
		if rapid {
			b.addU(fSTPAgree, off+4, 1, uint64(fl>>6&1))
			b.addU(fSTPFwd, off+4, 1, uint64(fl>>5&1))
			b.addU(fSTPLearn, off+4, 1, uint64(fl>>4&1))
			b.addU(fSTPRole, off+4, 1, uint64(fl>>2&3))
			b.addU(fSTPProposal, off+4, 1, uint64(fl>>1&1))
		}
		b.addU(fSTPTC, off+4, 1, uint64(fl&1))
		b.depth--
		rootID := stpBridge(b, off+5, d[5:13], true)
		cost := binary.BigEndian.Uint32(d[13:])
		b.addU(fSTPCost, off+13, 4, uint64(cost))
		stpBridge(b, off+17, d[17:25], false)
		port := binary.BigEndian.Uint16(d[25:])
		b.addU(fSTPPort, off+25, 2, uint64(port))
		for i, def := range []*FieldDef{fSTPMsgAge, fSTPMaxAge, fSTPHello, fSTPForward} {
			b.add(def, off+27+2*i, 2).SetFloat(float64(binary.BigEndian.Uint16(d[27+2*i:])) / 256)
		}
		end := 35
		if rapid && len(d) >= 36 {
			b.addU(fSTPV1Len, off+35, 1, uint64(d[35]))
			end = 36
			if ver >= 3 && len(d) >= 38 {
				b.addU(fSTPV3Len, off+36, 2, uint64(binary.BigEndian.Uint16(d[36:])))
				end = 38
			}
		}
		b.at(root).Length = int32(end)
		kind := "Conf. "
		switch ver {
		case 2:
			kind = "RST. "
		case 3:
			kind = "MST. "
		}
		if fl&1 != 0 {
			kind += "TC + "
		}
		info = fmt.Sprintf("%sRoot = %s  Cost = %d  Port = 0x%04x", kind, rootID, cost, port)
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
	return len(b.data)
}

var stpPayload = func() *Payload {
	p := newPayload("stp", "Spanning Tree Protocol", dissectSTP)
	p.Optional = true
	return p
}()

var _ = llcSAPs.register(0x42, stpPayload)
