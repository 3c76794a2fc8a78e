package decode

import "encoding/binary"

// lcoUndecoded is lcoOuter for a UDP payload no dissector took: Linux's
// VXLAN devices default to port 8472, which tshark (and so wirelens) leaves
// undecoded unless told (-d udp.port==8472,vxlan). Their outer checksum,
// computed with local checksum offload, is wrong as it stands; calling it
// possible corruption because the payload was not decoded would accuse a
// healthy host. So the payload is read as VXLAN just far enough to find the
// inner TCP/UDP checksum, and the outer one is called a tunnel artifact
// only when that inner checksum holds the partial sum and completing it
// makes the outer one right: the arithmetic, not the port, is the evidence.
func (b *builder) lcoUndecoded(i int) bool {
	ck := &b.d.Checksums[i]
	if ck.Proto != "udp" || len(b.d.Undissected) == 0 || ck.cov1-ck.cov0 < 8 || ck.cov1 > len(b.data) {
		return false
	}
	p := b.data[ck.cov0+8 : ck.cov1]
	// VXLAN (RFC 7348): flags with the I bit, 24 reserved bits, the VNI,
	// 8 reserved bits.
	if len(p) < 8+14 || p[0]&0x08 == 0 || p[1]|p[2]|p[3]|p[7] != 0 {
		return false
	}
	at := 8 + 12 // the inner EtherType
	et := binary.BigEndian.Uint16(p[at:])
	if et == 0x8100 && len(p) >= at+6 {
		at += 4
		et = binary.BigEndian.Uint16(p[at:])
	}
	ip := p[at+2:]
	var l4 []byte
	var pseudo uint64
	var proto uint8
	switch {
	case et == 0x0800 && len(ip) >= 20 && ip[0]>>4 == 4:
		ihl := int(ip[0]&0xf) * 4
		tot := int(binary.BigEndian.Uint16(ip[2:]))
		if ihl < 20 || tot < ihl || tot > len(ip) || binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 {
			return false // cut, or a fragment: the inner checksum is not all here
		}
		proto, l4 = ip[9], ip[ihl:tot]
		pseudo = pseudoSum4(ip[12:16], ip[16:20], proto, len(l4))
	case et == 0x86dd && len(ip) >= 40 && ip[0]>>4 == 6:
		plen := int(binary.BigEndian.Uint16(ip[4:]))
		if 40+plen > len(ip) {
			return false
		}
		proto, l4 = ip[6], ip[40:40+plen]
		pseudo = pseudoSum6(ip[8:24], ip[24:40], proto, len(l4))
	default:
		return false
	}
	field := 0
	switch {
	case proto == 6 && len(l4) >= 20:
		field = 16
	case proto == 17 && len(l4) >= 8:
		field = 6
	default:
		return false
	}
	value := binary.BigEndian.Uint16(l4[field:])
	if value != fold(pseudo) {
		return false // the inner checksum is not the partial sum: no LCO
	}
	fixed := internetChecksum(l4, pseudo, field)
	if proto == 17 && fixed == 0 {
		fixed = 0xffff
	}
	// Where the inner field sits from the start of what the outer sum covers.
	dist := 8 + (len(p) - len(l4[field:])) // UDP header + payload up to the field
	old, fx := uint64(value), uint64(fixed)
	if dist%2 == 1 {
		old, fx = uint64(swap16(value)), uint64(swap16(fixed))
	}
	return fold(ck.sum+(^old&0xffff)+fx) == 0xffff
}
