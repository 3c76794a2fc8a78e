package decode

import (
	"encoding/binary"
	"fmt"

	"github.com/wirelens/wirelens/prefs"
)

// VRRP (RFC 3768 version 2, RFC 5798 version 3; IP protocol 112) with
// Wireshark's field names (packet-vrrp.c) and tshark's Info,
// "Announcement (v3)". Version 2's checksum covers the message, version
// 3's the IPv4 or IPv6 pseudo-header too.

var vrrpPrioNames = map[uint64]string{0: "Current Master has stopped participating in VRRP", 100: "Default priority for a backup VRRP router",
	255: "This VRRP router owns the virtual router's IP address(es)"}

func vrrpPrio(p uint64) string {
	if n, ok := vrrpPrioNames[p]; ok {
		return n
	}
	return "Non-default backup priority"
}

var (
	fVRRP        = Register(FieldDef{Name: "vrrp", Label: "Virtual Router Redundancy Protocol", Type: FTProtocol})
	fVRRPTypeVer = Register(FieldDef{Name: "vrrp.typever", Label: "VRRP message version and type", Type: FTUint,
		Display: func(f *Field) string {
			s := fmt.Sprintf("Version %d, Packet type %d", f.U>>4, f.U&15)
			if f.U&15 == 1 {
				s += " (Advertisement)"
			}
			return s
		}})
	fVRRPVersion = Register(FieldDef{Name: "vrrp.version", Label: "VRRP protocol version", Type: FTUint, Bits: 8, Bitmask: 0xf0, Display: bitLine})
	fVRRPType    = Register(FieldDef{Name: "vrrp.type", Label: "VRRP packet type", Type: FTUint, Bits: 8, Bitmask: 0x0f, Values: map[uint64]string{1: "Advertisement"}, Display: bitLine})
	fVRRPVRID    = Register(FieldDef{Name: "vrrp.virt_rtr_id", Label: "Virtual Rtr ID", Type: FTUint})
	fVRRPPrio    = Register(FieldDef{Name: "vrrp.prio", Label: "Priority", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Priority: %d (%s)", f.U, vrrpPrio(f.U)) }})
	fVRRPCount   = Register(FieldDef{Name: "vrrp.addr_count", Label: "Addr Count", Type: FTUint})
	fVRRPAuth    = Register(FieldDef{Name: "vrrp.auth_type", Label: "Auth Type", Type: FTUint, Values: map[uint64]string{0: "No Authentication", 1: "Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]", 2: "IP Authentication Header [RFC 2338] / Reserved [RFC 3768]"}})
	fVRRPAdver   = Register(FieldDef{Name: "vrrp.adver_int", Label: "Adver Int", Type: FTUint})
	fVRRPRes     = Register(FieldDef{Name: "vrrp.reserved_mbz", Label: "Reserved", Type: FTUint, Bits: 8, Bitmask: 0xf0, Display: bitLine})
	fVRRPShort   = Register(FieldDef{Name: "vrrp.short_adver_int", Label: "Adver Int", Type: FTUint, Bits: 16, Bitmask: 0x0fff, Display: bitLine})
	fVRRPIP      = Register(FieldDef{Name: "vrrp.ip_addr", Label: "IP Address", Type: FTIPv4})
	fVRRPIP6     = Register(FieldDef{Name: "vrrp.ipv6_addr", Label: "IPv6 Address", Type: FTIPv6})
	fVRRPAuthStr = Register(FieldDef{Name: "vrrp.auth_string", Label: "Authentication String", Type: FTString})

	vrrpCsum = registerChecksum(ChecksumProto{Name: "vrrp", Title: "VRRP", Label: "VRRP", Order: 75}, prefs.Switch{
		Name: "vrrp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the VRRP checksum", notInWireshark("VRRP")}})
	vrrpChecksum = newChecksumDefs(vrrpCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

func dissectVRRP(b *builder, off int) int {
	d := b.enterLayer("vrrp", "VRRP", off, len(b.data))
	if len(d) < 8 {
		b.malformed("VRRP", off, "header cut short")
		return len(b.data)
	}
	ver := d[0] >> 4
	b.open(fVRRP, off, len(d))
	b.addU(fVRRPTypeVer, off, 1, uint64(d[0]))
	b.depth++
	b.addU(fVRRPVersion, off, 1, uint64(ver))
	b.addU(fVRRPType, off, 1, uint64(d[0]&15))
	b.depth--
	b.addU(fVRRPVRID, off+1, 1, uint64(d[1]))
	b.addU(fVRRPPrio, off+2, 1, uint64(d[2]))
	n := int(d[3])
	b.addU(fVRRPCount, off+3, 1, uint64(n))
	if ver == 3 {
		b.addU(fVRRPRes, off+4, 1, uint64(d[4]>>4))
		b.addU(fVRRPShort, off+4, 2, uint64(binary.BigEndian.Uint16(d[4:])&0x0fff))
	} else {
		b.addU(fVRRPAuth, off+4, 1, uint64(d[4]))
		b.addU(fVRRPAdver, off+5, 1, uint64(d[5]))
	}
	value := binary.BigEndian.Uint16(d[6:])
	switch {
	case !b.validates(vrrpCsum):
		b.addChecksum(vrrpChecksum, off+6, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	case b.fragmented:
		b.addChecksum(vrrpChecksum, off+6, 2, uint32(value), 0, StatusUnverified, reasonFragment)
	default:
		sum := uint64(0)
		if ver == 3 && b.netSrc != nil {
			sum = b.transportPseudo(112, len(d))
		}
		st, calc := verify(value, onesSum(d, sum))
		b.addChecksum(vrrpChecksum, off+6, 2, uint32(value), uint32(calc), st, "")
	}
	p := 8
	alen := 4
	if b.netV6 {
		alen = 16
	}
	for i := 0; i < n && p+alen <= len(d); i++ {
		if alen == 4 {
			b.addU(fVRRPIP, off+p, 4, uint64(binary.BigEndian.Uint32(d[p:])))
		} else {
			b.addB(fVRRPIP6, off+p, 16)
		}
		p += alen
	}
	if ver == 2 && d[4] == 1 && p+8 <= len(d) {
		b.add(fVRRPAuthStr, off+p, 8).S = cString(d[p : p+8])
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(fmt.Sprintf("Announcement (v%d)", ver))
	}
	return len(b.data)
}

var _ = ipProtos.register(112, newPayload("vrrp", "Virtual Router Redundancy Protocol", dissectVRRP))
