package decode

import "encoding/binary"

// VN-Tag (EtherType 0x8926, Cisco's IEEE 802.1Qbh precursor): a 4-byte
// tag naming the virtual interfaces a frame goes from and to, then the
// EtherType of the payload.

var (
	fVNTag       = Register(FieldDef{Name: "vntag", Label: "VN-Tag", Type: FTProtocol})
	fVNTagDir    = Register(FieldDef{Name: "vntag.dir", Label: "Direction", Type: FTBool, Bits: 32, Bitmask: 0x80000000, Display: bitLine})
	fVNTagPtr    = Register(FieldDef{Name: "vntag.ptr", Label: "Pointer", Type: FTBool, Bits: 32, Bitmask: 0x40000000, Display: bitLine})
	fVNTagDst    = Register(FieldDef{Name: "vntag.dst", Label: "Dest", Type: FTUint, Bits: 32, Bitmask: 0x3fff0000, Display: bitLine})
	fVNTagLooped = Register(FieldDef{Name: "vntag.looped", Label: "Looped", Type: FTBool, Bits: 32, Bitmask: 0x00008000, Display: bitLine})
	fVNTagR      = Register(FieldDef{Name: "vntag.r", Label: "Reserved", Type: FTBool, Bits: 32, Bitmask: 0x00004000, Display: bitLine})
	fVNTagVer    = Register(FieldDef{Name: "vntag.version", Label: "Version", Type: FTUint, Bits: 32, Bitmask: 0x00003000, Display: bitLine})
	fVNTagSrc    = Register(FieldDef{Name: "vntag.src", Label: "Source", Type: FTUint, Bits: 32, Bitmask: 0x00000fff, Display: bitLine})
	fVNTagEtype  = Register(FieldDef{Name: "vntag.etype", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
)

func dissectVNTag(b *builder, off int) int {
	b.addProtocol("vntag")
	d := b.data[off:]
	if len(d) < 6 {
		b.malformed("VN-Tag", off, "tag cut short")
		return len(b.data)
	}
	w := binary.BigEndian.Uint32(d)
	et := binary.BigEndian.Uint16(d[4:])
	b.open(fVNTag, off, 6)
	b.addU(fVNTagDir, off, 4, uint64(w>>31))
	b.addU(fVNTagPtr, off, 4, uint64(w>>30&1))
	b.addU(fVNTagDst, off, 4, uint64(w>>16&0x3fff))
	b.addU(fVNTagLooped, off, 4, uint64(w>>15&1))
	b.addU(fVNTagR, off, 4, uint64(w>>14&1))
	b.addU(fVNTagVer, off, 4, uint64(w>>12&3))
	b.addU(fVNTagSrc, off, 4, uint64(w&0xfff))
	b.addU(fVNTagEtype, off+4, 2, uint64(et))
	b.close()
	return dissectEthertype(b, off+6, et)
}

var _ = etherTypes.register(0x8926, newPayload("vntag", "VN-Tag", dissectVNTag))
