package decode

import (
	"encoding/binary"
	"fmt"
)

// HSRP (RFC 2281 version 1; version 2, Cisco's TLVs; UDP 1985, and 2029
// for IPv6) with Wireshark's field names (packet-hsrp.c) and tshark's
// Info, "Hello (state Active)". Version 2 is told apart by its first
// TLV (a group state TLV of 40 bytes), as Wireshark does.

var hsrpOpcodes = map[uint64]string{0: "Hello", 1: "Coup", 2: "Resign", 3: "Advertise"}

var hsrpStates = map[uint64]string{0: "Initial", 1: "Learn", 2: "Listen", 4: "Speak", 8: "Standby", 16: "Active"}

var hsrp2States = map[uint64]string{0: "Disabled", 1: "Init", 2: "Learn", 3: "Listen", 4: "Speak", 5: "Standby", 6: "Active"}

var (
	fHSRP        = Register(FieldDef{Name: "hsrp", Label: "Cisco Hot Standby Router Protocol", Type: FTProtocol})
	fHSRPVersion = Register(FieldDef{Name: "hsrp.version", Label: "Version", Type: FTUint})
	fHSRPOpcode  = Register(FieldDef{Name: "hsrp.opcode", Label: "Op Code", Type: FTUint, Values: hsrpOpcodes})
	fHSRPState   = Register(FieldDef{Name: "hsrp.state", Label: "State", Type: FTUint, Values: hsrpStates})
	fHSRPPrio    = Register(FieldDef{Name: "hsrp.priority", Label: "Priority", Type: FTUint})
	fHSRPGroup   = Register(FieldDef{Name: "hsrp.group", Label: "Group", Type: FTUint})
	fHSRPVIP     = Register(FieldDef{Name: "hsrp.virt_ip", Label: "Virtual IP Address", Type: FTIPv4})
	fHSRP2Ver    = Register(FieldDef{Name: "hsrp2.version", Label: "Version", Type: FTUint})
	fHSRP2Opcode = Register(FieldDef{Name: "hsrp2.opcode", Label: "Op Code", Type: FTUint, Values: hsrpOpcodes})
	fHSRP2State  = Register(FieldDef{Name: "hsrp2.state", Label: "State", Type: FTUint, Values: hsrp2States})
	fHSRP2Group  = Register(FieldDef{Name: "hsrp2.group", Label: "Group", Type: FTUint})
	fHSRP2Prio   = Register(FieldDef{Name: "hsrp2.priority", Label: "Priority", Type: FTUint})
)

func hsrpInfo(op, state uint64, states map[uint64]string) string {
	o, ok := hsrpOpcodes[op]
	if !ok {
		o = fmt.Sprintf("Unknown (%d)", op)
	}
	s, ok := states[state]
	if !ok {
		s = fmt.Sprintf("Unknown (%d)", state)
	}
	return o + " (state " + s + ")"
}

func dissectHSRP(b *builder, off int) int {
	d := b.data[off:]
	if len(d) >= 2 && d[0] == 1 && d[1] == 40 {
		return dissectHSRP2(b, off)
	}
	b.enterLayer("hsrp", "HSRP", off, len(b.data))
	if len(d) < 8 {
		b.malformed("HSRP", off, "header cut short")
		return len(b.data)
	}
	b.open(fHSRP, off, len(d))
	b.addU(fHSRPVersion, off, 1, uint64(d[0]))
	b.addU(fHSRPOpcode, off+1, 1, uint64(d[1]))
	b.addU(fHSRPState, off+2, 1, uint64(d[2]))
	b.addU(fHSRPPrio, off+5, 1, uint64(d[5]))
	b.addU(fHSRPGroup, off+6, 1, uint64(d[6]))
	if len(d) >= 20 {
		b.addU(fHSRPVIP, off+16, 4, uint64(binary.BigEndian.Uint32(d[16:])))
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(hsrpInfo(uint64(d[1]), uint64(d[2]), hsrpStates))
	}
	return len(b.data)
}

func dissectHSRP2(b *builder, off int) int {
	d := b.enterLayer("hsrp", "HSRPv2", off, len(b.data))
	if len(d) < 14 {
		b.malformed("HSRPv2", off, "group state TLV cut short")
		return len(b.data)
	}
	b.open(fHSRP, off, len(d))
	b.addU(fHSRP2Ver, off+2, 1, uint64(d[2]))
	b.addU(fHSRP2Opcode, off+3, 1, uint64(d[3]))
	b.addU(fHSRP2State, off+4, 1, uint64(d[4]))
	b.addU(fHSRP2Group, off+6, 2, uint64(binary.BigEndian.Uint16(d[6:])))
	b.addU(fHSRP2Prio, off+14, 4, uint64(binary.BigEndian.Uint32(d[14:])))
	b.close()
	if b.ds.Summary {
		b.setInfo(hsrpInfo(uint64(d[3]), uint64(d[4]), hsrp2States))
	}
	return len(b.data)
}

var hsrpPayload = newPayload("hsrp", "Cisco Hot Standby Router Protocol", dissectHSRP)

var (
	_ = udpPorts.register(1985, hsrpPayload)
	_ = udpPorts.register(2029, hsrpPayload)
)
