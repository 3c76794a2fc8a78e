package decode

import (
	"encoding/binary"
	"fmt"

	"github.com/wirelens/wirelens/prefs"
)

// CDP, the Cisco Discovery Protocol (LLC/SNAP, OUI 00:00:0c, PID
// 0x2000), with Wireshark's field names (packet-cdp.c) and tshark's Info,
// "Device ID: sw1  Port ID: Gi0/1  ". Its checksum is the Internet
// checksum as Cisco computes it over an odd length (see cdpChecksum).

var cdpTLVNames = map[uint64]string{0x01: "Device ID", 0x02: "Addresses", 0x03: "Port ID", 0x04: "Capabilities",
	0x05: "Software version", 0x06: "Platform", 0x07: "IP Prefixes", 0x08: "Protocol Hello", 0x09: "VTP Management Domain",
	0x0a: "Native VLAN", 0x0b: "Duplex", 0x0e: "VoIP VLAN Reply", 0x0f: "VoIP VLAN Query", 0x10: "Power consumption",
	0x11: "MTU", 0x12: "Trust Bitmap", 0x13: "Untrusted Port CoS", 0x14: "System Name", 0x15: "System Object ID",
	0x16: "Management Address", 0x17: "Location"}

var (
	fCDP        = Register(FieldDef{Name: "cdp", Label: "Cisco Discovery Protocol", Type: FTProtocol})
	fCDPVersion = Register(FieldDef{Name: "cdp.version", Label: "Version", Type: FTUint})
	fCDPTTL     = Register(FieldDef{Name: "cdp.ttl", Label: "TTL", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("TTL: %d seconds", f.U) }})
	fCDPTLV     = Register(FieldDef{Name: "cdp.tlv", Label: "TLV", Type: FTNone})
	fCDPTLVType = Register(FieldDef{Name: "cdp.tlv.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: cdpTLVNames,
		Display: func(f *Field) string { return fmt.Sprintf("Type: %s (0x%04x)", cdpTLVName(f.U), f.U) }})
	fCDPTLVLen   = Register(FieldDef{Name: "cdp.tlv.len", Label: "Length", Type: FTUint})
	fCDPDevice   = Register(FieldDef{Name: "cdp.deviceid", Label: "Device ID", Type: FTString})
	fCDPNAddr    = Register(FieldDef{Name: "cdp.number_of_addresses", Label: "Number of addresses", Type: FTUint})
	fCDPPType    = Register(FieldDef{Name: "cdp.protocol_type", Label: "Protocol type", Type: FTUint, Base: BaseHex, Bits: 8, Values: map[uint64]string{1: "NLPID", 2: "802.2"}})
	fCDPPLen     = Register(FieldDef{Name: "cdp.protocol_length", Label: "Protocol length", Type: FTUint})
	fCDPProto    = Register(FieldDef{Name: "cdp.protocol", Label: "Protocol", Type: FTBytes})
	fCDPAddrLen  = Register(FieldDef{Name: "cdp.address_length", Label: "Address length", Type: FTUint})
	fCDPIPAddr   = Register(FieldDef{Name: "cdp.nrgyz.ip_address", Label: "IP Address", Type: FTIPv4})
	fCDPPortID   = Register(FieldDef{Name: "cdp.portid", Label: "Sent through Interface", Type: FTString})
	fCDPCaps     = Register(FieldDef{Name: "cdp.capabilities", Label: "Capabilities", Type: FTUint, Base: BaseHex, Bits: 32})
	fCDPSoftware = Register(FieldDef{Name: "cdp.software_version", Label: "Software version", Type: FTString})
	fCDPPlatform = Register(FieldDef{Name: "cdp.platform", Label: "Platform", Type: FTString})
	fCDPVLAN     = Register(FieldDef{Name: "cdp.native_vlan", Label: "Native VLAN", Type: FTUint})
	fCDPDuplex   = Register(FieldDef{Name: "cdp.duplex", Label: "Duplex", Type: FTUint, Values: map[uint64]string{0: "Half", 1: "Full"},
		Display: func(f *Field) string { return "Duplex: " + map[uint64]string{0: "Half", 1: "Full"}[f.U] }})
	fCDPSysName = Register(FieldDef{Name: "cdp.system_name", Label: "System Name", Type: FTString})
	fCDPData    = Register(FieldDef{Name: "cdp.data", Label: "Data", Type: FTBytes})

	cdpCsum = registerChecksum(ChecksumProto{Name: "cdp", Title: "CDP", Label: "CDP", Order: 95}, prefs.Switch{
		Name: "cdp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the CDP checksum", notInWireshark("CDP")}})
	cdpChecksum = newChecksumDefs(cdpCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

func cdpTLVName(t uint64) string {
	if n, ok := cdpTLVNames[t]; ok {
		return n
	}
	return "Unknown"
}

// cdpSum is the sum Cisco computes: an odd last byte is the low
// byte of the last word, less one in both bytes when its top bit is set
// (Wireshark's packet-cdp.c explains Cisco's sign-extension bug).
func cdpSum(d []byte) uint64 {
	n := len(d) &^ 1
	sum := onesSum(d[:n], 0)
	if len(d)&1 == 1 {
		last := d[len(d)-1]
		hi := byte(0)
		if last&0x80 != 0 {
			last--
			hi = 0xff
		}
		sum += uint64(hi)<<8 | uint64(last)
	}
	return sum
}

func dissectCDP(b *builder, off int) int {
	d := b.enterLayer("cdp", "CDP", off, len(b.data))
	if len(d) < 4 {
		b.malformed("CDP", off, "header cut short")
		return len(b.data)
	}
	b.open(fCDP, off, len(d))
	b.addU(fCDPVersion, off, 1, uint64(d[0]))
	b.addU(fCDPTTL, off+1, 1, uint64(d[1]))
	value := binary.BigEndian.Uint16(d[2:])
	if !b.validates(cdpCsum) {
		b.addChecksum(cdpChecksum, off+2, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	} else {
		st, calc := verify(value, cdpSum(d))
		b.addChecksum(cdpChecksum, off+2, 2, uint32(value), uint32(calc), st, "")
	}
	dev, port := "", ""
	for p := 4; p+4 <= len(d); {
		t, l := binary.BigEndian.Uint16(d[p:]), int(binary.BigEndian.Uint16(d[p+2:]))
		if l < 4 || p+l > len(d) {
			b.malformed("CDP", off+p, fmt.Sprintf("TLV length %d", l))
			break
		}
		v, vo := d[p+4:p+l], off+p+4
		s := Sanitize(string(v))
		root := b.mark()
		b.open(fCDPTLV, off+p, l).Text = cdpTLVName(uint64(t))
		b.addU(fCDPTLVType, off+p, 2, uint64(t))
		b.addU(fCDPTLVLen, off+p+2, 2, uint64(l))
		switch t {
		case 0x01:
			b.add(fCDPDevice, vo, len(v)).S = string(v)
			b.at(root).Text = "Device ID: " + s
			dev = s
		case 0x02:
			b.at(root).Text = "Addresses"
			if len(v) >= 4 {
				b.addU(fCDPNAddr, vo, 4, uint64(binary.BigEndian.Uint32(v)))
				for q := 4; q+2 <= len(v); {
					pl := int(v[q+1])
					if q+2+pl+2 > len(v) {
						break
					}
					al := int(binary.BigEndian.Uint16(v[q+2+pl:]))
					if q+4+pl+al > len(v) {
						break
					}
					b.open(fCDPTLV, vo+q, 4+pl+al).Text = "Address"
					b.addU(fCDPPType, vo+q, 1, uint64(v[q]))
					b.addU(fCDPPLen, vo+q+1, 1, uint64(pl))
					if pl == 1 {
						b.addB(fCDPProto, vo+q+2, 1)
					}
					b.addU(fCDPAddrLen, vo+q+2+pl, 2, uint64(al))
					if v[q] == 1 && pl == 1 && v[q+2] == 0xcc && al == 4 {
						a := binary.BigEndian.Uint32(v[q+4+pl:])
						b.addU(fCDPIPAddr, vo+q+4+pl, 4, uint64(a))
						b.at(b.mark() - 5).Text = fmt.Sprintf("IP address: %d.%d.%d.%d", a>>24, a>>16&0xff, a>>8&0xff, a&0xff)
					}
					b.close()
					q += 4 + pl + al
				}
			}
		case 0x03:
			b.add(fCDPPortID, vo, len(v)).S = string(v)
			b.at(root).Text = "Port ID: " + s
			port = s
		case 0x04:
			if len(v) == 4 {
				b.addU(fCDPCaps, vo, 4, uint64(binary.BigEndian.Uint32(v)))
			}
		case 0x05:
			b.at(root).Text = "Software Version"
			b.add(fCDPSoftware, vo, len(v)).S = string(v)
		case 0x06:
			b.add(fCDPPlatform, vo, len(v)).S = string(v)
			b.at(root).Text = "Platform: " + s
		case 0x0a:
			if len(v) == 2 {
				n := binary.BigEndian.Uint16(v)
				b.addU(fCDPVLAN, vo, 2, uint64(n))
				b.at(root).Text = fmt.Sprintf("Native VLAN: %d", n)
			}
		case 0x0b:
			if len(v) == 1 {
				b.addU(fCDPDuplex, vo, 1, uint64(v[0]))
				b.at(root).Text = "Duplex: " + map[byte]string{0: "Half", 1: "Full"}[v[0]]
			}
		case 0x14:
			b.add(fCDPSysName, vo, len(v)).S = string(v)
		default:
			if len(v) > 0 {
				b.addB(fCDPData, vo, len(v))
			}
		}
		b.close()
		p += l
	}
	b.close()
	if b.ds.Summary {
		info := ""
		if dev != "" {
			info += "Device ID: " + dev + "  "
		}
		if port != "" {
			info += "Port ID: " + port + "  "
		}
		b.setInfo(info)
	}
	return len(b.data)
}

// Not optional: its checksum is counted in the report.
var cdpPayload = newPayload("cdp", "Cisco Discovery Protocol", dissectCDP)

var _ = llcCiscoPIDs.register(0x2000, cdpPayload)
