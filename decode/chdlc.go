package decode

import (
	"encoding/binary"
	"fmt"
)

// Cisco HDLC (LINKTYPE_C_HDLC, 104): address (0x0f unicast, 0x8f
// broadcast), control, and an EtherType.

var (
	fCHDLC      = Register(FieldDef{Name: "chdlc", Label: "Cisco HDLC", Type: FTProtocol})
	fCHDLCAddr  = Register(FieldDef{Name: "chdlc.address", Label: "Address", Type: FTUint, Base: BaseHex, Bits: 8, Values: map[uint64]string{0x0f: "Unicast", 0x8f: "Broadcast"}})
	fCHDLCCtl   = Register(FieldDef{Name: "chdlc.control", Label: "Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fCHDLCProto = Register(FieldDef{Name: "chdlc.protocol", Label: "Protocol", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
)

func dissectCHDLC(b *builder, off int) int {
	b.addProtocol("chdlc")
	if b.ds.Summary {
		b.proto = "CHDLC"
	}
	d := b.data[off:]
	if len(d) < 4 {
		b.malformed("Cisco HDLC", off, fmt.Sprintf("frame of %d bytes is shorter than the 4-byte header", len(d)))
		return len(b.data)
	}
	et := binary.BigEndian.Uint16(d[2:])
	b.open(fCHDLC, off, 4)
	b.addU(fCHDLCAddr, off, 1, uint64(d[0]))
	b.addU(fCHDLCCtl, off+1, 1, uint64(d[1]))
	b.addU(fCHDLCProto, off+2, 2, uint64(et))
	b.close()
	if end, ok := b.dispatch(etherTypes, uint32(et), off+4, len(b.data)); ok {
		return end
	}
	dissectData(b, off+4)
	return len(b.data)
}

var _ = registerLink(104, 28, "Cisco HDLC", func(b *builder) { dissectCHDLC(b, 0) })
