package decode

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// LLDP (IEEE 802.1AB, EtherType 0x88cc) with Wireshark's field names
// (packet-lldp.c) and tshark's Info, "MA/00:1b:54:aa:bb:01 IN/eth0 120
// SysN=host1 ": the chassis and port IDs with their subtype's tag, the
// time to live, and the system name and description. Organisation-specific
// TLVs are shown by type and length.

var lldpTLVNames = map[uint64]string{0: "End of LLDPDU", 1: "Chassis Id", 2: "Port Id", 3: "Time to Live", 4: "Port Description",
	5: "System Name", 6: "System Description", 7: "System Capabilities", 8: "Management Address", 127: "Organization Specific"}

var lldpChassisSubtypes = map[uint64]string{0: "Reserved", 1: "Chassis component", 2: "Interface alias", 3: "Port component",
	4: "MAC address", 5: "Network address", 6: "Interface name", 7: "Locally assigned"}

var lldpPortSubtypes = map[uint64]string{0: "Reserved", 1: "Interface alias", 2: "Port component", 3: "MAC address",
	4: "Network address", 5: "Interface name", 6: "Agent circuit Id", 7: "Locally assigned"}

// The Info tags of the ID subtypes.
var (
	lldpChassisTags = map[byte]string{1: "CO/", 2: "IA/", 3: "PC/", 4: "MA/", 5: "NA/", 6: "IN/", 7: "LA/"}
	lldpPortTags    = map[byte]string{1: "IA/", 2: "PC/", 3: "MA/", 4: "NA/", 5: "IN/", 6: "AC/", 7: "LA/"}
)

var (
	fLLDP        = Register(FieldDef{Name: "lldp", Label: "Link Layer Discovery Protocol", Type: FTProtocol})
	fLLDPTLV     = Register(FieldDef{Name: "lldp.tlv", Label: "TLV", Type: FTNone})
	fLLDPTLVType = Register(FieldDef{Name: "lldp.tlv.type", Label: "TLV Type", Type: FTUint, Bits: 16, Bitmask: 0xfe00, Values: lldpTLVNames, Display: bitLine})
	fLLDPTLVLen  = Register(FieldDef{Name: "lldp.tlv.len", Label: "TLV Length", Type: FTUint, Bits: 16, Bitmask: 0x01ff, Display: bitLine})
	fLLDPChSub   = Register(FieldDef{Name: "lldp.chassis.subtype", Label: "Chassis Id Subtype", Type: FTUint, Values: lldpChassisSubtypes})
	fLLDPChMAC   = Register(FieldDef{Name: "lldp.chassis.id.mac", Label: "Chassis Id", Type: FTEther})
	fLLDPChIP4   = Register(FieldDef{Name: "lldp.chassis.id.ip4", Label: "Chassis Id", Type: FTIPv4})
	fLLDPChID    = Register(FieldDef{Name: "lldp.chassis.id", Label: "Chassis Id", Type: FTBytes})
	fLLDPPortSub = Register(FieldDef{Name: "lldp.port.subtype", Label: "Port Id Subtype", Type: FTUint, Values: lldpPortSubtypes})
	fLLDPPortMAC = Register(FieldDef{Name: "lldp.port.id.mac", Label: "Port Id", Type: FTEther})
	fLLDPPortID  = Register(FieldDef{Name: "lldp.port.id", Label: "Port Id", Type: FTString})
	fLLDPTTL     = Register(FieldDef{Name: "lldp.time_to_live", Label: "Seconds", Type: FTUint})
	fLLDPPortDsc = Register(FieldDef{Name: "lldp.port.desc", Label: "Port Description", Type: FTString})
	fLLDPSysName = Register(FieldDef{Name: "lldp.tlv.system.name", Label: "System Name", Type: FTString})
	fLLDPSysDesc = Register(FieldDef{Name: "lldp.tlv.system.desc", Label: "System Description", Type: FTString})
	fLLDPSysCap  = Register(FieldDef{Name: "lldp.tlv.system_cap", Label: "Capabilities", Type: FTUint, Base: BaseHex, Bits: 16})
	fLLDPEnCap   = Register(FieldDef{Name: "lldp.tlv.enable_system_cap", Label: "Enabled Capabilities", Type: FTUint, Base: BaseHex, Bits: 16})
	fLLDPMgmtLen = Register(FieldDef{Name: "lldp.mgn.address.len", Label: "Address String Length", Type: FTUint})
	fLLDPMgmtSub = Register(FieldDef{Name: "lldp.mgn.address.subtype", Label: "Address Subtype", Type: FTUint, Values: map[uint64]string{1: "IPv4", 2: "IPv6", 6: "802 media plus Ethernet 'canonical format'"}})
	fLLDPMgmtIP4 = Register(FieldDef{Name: "lldp.mgn.addr.ip4", Label: "Management Address", Type: FTIPv4})
	fLLDPMgmtIP6 = Register(FieldDef{Name: "lldp.mgn.addr.ip6", Label: "Management Address", Type: FTIPv6})
	fLLDPIfSub   = Register(FieldDef{Name: "lldp.mgn.interface.subtype", Label: "Interface Subtype", Type: FTUint, Values: map[uint64]string{1: "Unknown", 2: "ifIndex", 3: "System port number"}})
	fLLDPIfNum   = Register(FieldDef{Name: "lldp.mgn.interface.number", Label: "Interface Number", Type: FTUint})
	fLLDPOIDLen  = Register(FieldDef{Name: "lldp.mgn.obj.len", Label: "OID String Length", Type: FTUint})
	fLLDPOrgOUI  = Register(FieldDef{Name: "lldp.orgtlv.oui", Label: "Organization Unique Code", Type: FTUint})
	fLLDPUnknown = Register(FieldDef{Name: "lldp.unknown_subtype.content", Label: "Content", Type: FTBytes})
)

func dissectLLDP(b *builder, off int) int {
	d := b.enterLayer("lldp", "LLDP", off, len(b.data))
	b.open(fLLDP, off, len(d))
	root := b.mark() - 1
	info := ""
	p := 0
	for p+2 <= len(d) {
		hdr := binary.BigEndian.Uint16(d[p:])
		t, l := hdr>>9, int(hdr&0x1ff)
		if p+2+l > len(d) {
			b.malformed("LLDP", off+p, fmt.Sprintf("TLV length %d past the frame", l))
			break
		}
		v, vo := d[p+2:p+2+l], off+p+2
		tlv := b.mark()
		name, ok := lldpTLVNames[uint64(t)]
		if !ok {
			name = "Reserved"
		}
		b.open(fLLDPTLV, off+p, 2+l).Text = name
		b.addU(fLLDPTLVType, off+p, 2, uint64(t))
		b.addU(fLLDPTLVLen, off+p, 2, uint64(l))
		text := func(s string) { b.at(tlv).Text = s }
		switch {
		case (t == 1 || t == 2) && l >= 1:
			sub := v[0]
			id := v[1:]
			var shown, tag string
			if t == 1 {
				b.addU(fLLDPChSub, vo, 1, uint64(sub))
				tag = lldpChassisTags[sub]
				switch {
				case sub == 4 && len(id) == 6:
					b.addB(fLLDPChMAC, vo+1, 6)
					shown = formatMAC(id)
				case sub == 5 && len(id) == 5 && id[0] == 1:
					b.addU(fLLDPChIP4, vo+2, 4, uint64(binary.BigEndian.Uint32(id[1:])))
					shown = fmt.Sprintf("%d.%d.%d.%d", id[1], id[2], id[3], id[4])
				default:
					b.addB(fLLDPChID, vo+1, len(id))
					shown = Sanitize(string(id))
				}
				text("Chassis Subtype = " + lldpChassisSubtypes[uint64(sub)] + ", Id: " + shown)
			} else {
				b.addU(fLLDPPortSub, vo, 1, uint64(sub))
				tag = lldpPortTags[sub]
				if sub == 3 && len(id) == 6 {
					b.addB(fLLDPPortMAC, vo+1, 6)
					shown = formatMAC(id)
				} else {
					b.add(fLLDPPortID, vo+1, len(id)).S = string(id)
					shown = Sanitize(string(id))
				}
				text("Port Subtype = " + lldpPortSubtypes[uint64(sub)] + ", Id: " + shown)
			}
			info += tag + shown + " "
		case t == 3 && l >= 2:
			ttl := binary.BigEndian.Uint16(v)
			b.addU(fLLDPTTL, vo, 2, uint64(ttl))
			text("Time To Live = " + strconv.Itoa(int(ttl)) + " sec")
			info += strconv.Itoa(int(ttl)) + " "
		case t == 4:
			b.add(fLLDPPortDsc, vo, l).S = string(v)
			text("Port Description = " + Sanitize(string(v)))
		case t == 5:
			b.add(fLLDPSysName, vo, l).S = string(v)
			text("System Name = " + Sanitize(string(v)))
			info += "SysN=" + Sanitize(string(v)) + " "
		case t == 6:
			b.add(fLLDPSysDesc, vo, l).S = string(v)
			text("System Description = " + Sanitize(string(v)))
			info += "SysD=" + Sanitize(string(v)) + " "
		case t == 7 && l >= 4:
			text("Capabilities")
			b.addU(fLLDPSysCap, vo, 2, uint64(binary.BigEndian.Uint16(v)))
			b.addU(fLLDPEnCap, vo+2, 2, uint64(binary.BigEndian.Uint16(v[2:])))
		case t == 8 && l >= 1:
			text("Management Address")
			al := int(v[0])
			b.addU(fLLDPMgmtLen, vo, 1, uint64(al))
			if al >= 1 && 1+al+6 <= l {
				b.addU(fLLDPMgmtSub, vo+1, 1, uint64(v[1]))
				switch {
				case v[1] == 1 && al == 5:
					b.addU(fLLDPMgmtIP4, vo+2, 4, uint64(binary.BigEndian.Uint32(v[2:])))
				case v[1] == 2 && al == 17:
					b.addB(fLLDPMgmtIP6, vo+2, 16)
				}
				q := 1 + al
				b.addU(fLLDPIfSub, vo+q, 1, uint64(v[q]))
				b.addU(fLLDPIfNum, vo+q+1, 4, uint64(binary.BigEndian.Uint32(v[q+1:])))
				b.addU(fLLDPOIDLen, vo+q+5, 1, uint64(v[q+5]))
			}
		case t == 127 && l >= 4:
			text("Organization Specific")
			b.addU(fLLDPOrgOUI, vo, 3, uint64(v[0])<<16|uint64(v[1])<<8|uint64(v[2]))
			b.addB(fLLDPUnknown, vo+3, l-3)
		}
		b.close()
		p += 2 + l
		if t == 0 {
			break
		}
	}
	b.at(root).Length = int32(p)
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
	// tshark shows no Ethernet padding after an LLDPDU with an end TLV
	return len(b.data)
}

var lldpPayload = func() *Payload {
	p := newPayload("lldp", "Link Layer Discovery Protocol", dissectLLDP)
	p.Optional = true
	return p
}()

var _ = etherTypes.register(0x88cc, lldpPayload)
