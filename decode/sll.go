package decode

import (
	"encoding/binary"
	"fmt"

	"github.com/wirelens/wirelens/decode/capfile"
)

var (
	fSLL         = Register(FieldDef{Name: "sll", Label: "Linux cooked capture", Type: FTProtocol})
	fSLLPkttype  = Register(FieldDef{Name: "sll.pkttype", Label: "Packet type", Type: FTUint, Values: sllPkttypeNames})
	fSLLHatype   = Register(FieldDef{Name: "sll.hatype", Label: "Link-layer address type", Type: FTUint, Values: map[uint64]string{1: "Ethernet", 772: "Loopback", 776: "IPv6-in-IPv4", 778: "IP GRE", 65534: "None"}})
	fSLLHalen    = Register(FieldDef{Name: "sll.halen", Label: "Link-layer address length", Type: FTUint})
	fSLLSrcEth   = Register(FieldDef{Name: "sll.src.eth", Label: "Source", Type: FTEther})
	fSLLSrcOth   = Register(FieldDef{Name: "sll.src.other", Label: "Source", Type: FTBytes})
	fSLLUnused   = Register(FieldDef{Name: "sll.unused", Label: "Unused", Type: FTBytes})
	fSLLEtype    = Register(FieldDef{Name: "sll.etype", Label: "Protocol", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fSLLLtype    = Register(FieldDef{Name: "sll.ltype", Label: "Protocol", Type: FTUint, Base: BaseHex, Bits: 16})
	fSLLReserved = Register(FieldDef{Name: "sll.reserved", Label: "Reserved", Type: FTUint, Base: BaseHex, Bits: 16})
	fSLLIfindex  = Register(FieldDef{Name: "sll.ifindex", Label: "Interface index", Type: FTUint})

	fNull       = Register(FieldDef{Name: "null", Label: "Null/Loopback", Type: FTProtocol})
	fNullFamily = Register(FieldDef{Name: "null.family", Label: "Family", Type: FTUint, Values: map[uint64]string{2: "IP", 10: "IPv6", 24: "IPv6", 28: "IPv6", 30: "IPv6"}})
)

var sllPkttypeNames = map[uint64]string{0: "Unicast to us", 1: "Broadcast", 2: "Multicast", 3: "Unicast to another host", 4: "Sent by us"}

// sllOutgoing is PACKET_OUTGOING: the capturing host sent the frame.
const sllOutgoing = 4

func dissectSLL(b *builder, off int) {
	b.addProtocol("sll")
	if len(b.data)-off < 16 {
		b.proto = "SLL"
		b.malformed("Linux cooked capture", off, fmt.Sprintf("frame of %d bytes is shorter than the 16-byte header", len(b.data)-off))
		return
	}
	d := b.data[off:]
	pkttype := binary.BigEndian.Uint16(d)
	hatype := binary.BigEndian.Uint16(d[2:])
	halen := binary.BigEndian.Uint16(d[4:])
	proto := binary.BigEndian.Uint16(d[14:])
	root := b.open(fSLL, off, 16)
	root.S = "Linux cooked capture v1"
	b.addU(fSLLPkttype, off, 2, uint64(pkttype))
	b.addU(fSLLHatype, off+2, 2, uint64(hatype))
	b.addU(fSLLHalen, off+4, 2, uint64(halen))
	sllAddress(b, off+6, int(halen), hatype)
	if proto < 0x0600 {
		b.addU(fSLLLtype, off+14, 2, uint64(proto))
	} else {
		b.addU(fSLLEtype, off+14, 2, uint64(proto))
	}
	b.noteDirection(pkttype)
	b.close()
	sllPayload(b, off+16, hatype, proto)
}

func dissectSLL2(b *builder, off int) {
	b.addProtocol("sll")
	if len(b.data)-off < 20 {
		b.proto = "SLL"
		b.malformed("Linux cooked capture v2", off, fmt.Sprintf("frame of %d bytes is shorter than the 20-byte header", len(b.data)-off))
		return
	}
	d := b.data[off:]
	proto := binary.BigEndian.Uint16(d)
	hatype := binary.BigEndian.Uint16(d[8:])
	pkttype := uint16(d[10])
	halen := d[11]
	root := b.open(fSLL, off, 20)
	root.S = "Linux cooked capture v2"
	protoIdx := b.mark()
	b.add(fSLLEtype, off, 2) // filled by sllPayload's choice below
	b.addU(fSLLReserved, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	b.addU(fSLLIfindex, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
	b.addU(fSLLHatype, off+8, 2, uint64(hatype))
	b.addU(fSLLPkttype, off+10, 1, uint64(pkttype))
	b.addU(fSLLHalen, off+11, 1, uint64(halen))
	sllAddress(b, off+12, int(halen), hatype)
	b.noteDirection(pkttype)
	b.close()
	pf := b.at(protoIdx)
	pf.U = uint64(proto)
	if proto < 0x0600 {
		pf.Def = fSLLLtype
	}
	sllPayload(b, off+20, hatype, proto)
}

func (b *builder) noteDirection(pkttype uint16) {
	if pkttype == sllOutgoing {
		b.sllOut = true
	} else if pkttype <= 3 {
		b.sllIn = true
	}
}

func sllAddress(b *builder, off, halen int, hatype uint16) {
	if halen > 8 {
		halen = 8
	}
	switch {
	case halen == 6 && (hatype == 1 || hatype == 772):
		b.addB(fSLLSrcEth, off, 6)
		if b.ds.Summary {
			b.setAddrs(formatMAC(b.data[off:off+6]), "")
		}
	case halen > 0:
		b.addB(fSLLSrcOth, off, halen)
	}
	if halen < 8 {
		b.addB(fSLLUnused, off+halen, 8-halen)
	}
}

// sllPayload dispatches on the protocol field: an EtherType for most
// hardware types; small values are Linux's own (802.2 LLC, CAN ...).
func sllPayload(b *builder, off int, hatype, proto uint16) {
	b.loopback = b.loopback || hatype == 772
	if b.ds.Summary && b.proto == "Frame" {
		b.proto = "SLL"
	}
	if hatype == 778 || proto < 0x0600 {
		dissectData(b, off)
		return
	}
	dissectEthertype(b, off, proto)
}

func dissectNull(b *builder, off int, lt uint16) {
	b.addProtocol("null")
	if len(b.data)-off < 4 {
		b.proto = "NULL"
		b.malformed("Null/Loopback", off, "header cut short")
		return
	}
	var fam uint32
	if lt == capfile.LinkLoop {
		fam = binary.BigEndian.Uint32(b.data[off:])
	} else {
		// DLT_NULL's family is in the capturing host's byte order; values
		// are small, so whichever reading is small is the right one.
		fam = binary.LittleEndian.Uint32(b.data[off:])
		if fam > 0xffff {
			fam = binary.BigEndian.Uint32(b.data[off:])
		}
	}
	root := b.open(fNull, off, 4)
	root.S = "Null/Loopback"
	b.addU(fNullFamily, off, 4, uint64(fam))
	b.close()
	switch fam {
	case 2:
		dissectIPv4(b, off+4)
	case 10, 24, 28, 30:
		dissectIPv6(b, off+4)
	default:
		dissectData(b, off+4)
	}
}

// dissectRawIP picks IPv4 or IPv6 by the version nibble (LINKTYPE_RAW).
func dissectRawIP(b *builder, off int) {
	if off >= len(b.data) {
		return
	}
	switch b.data[off] >> 4 {
	case 4:
		dissectIPv4(b, off)
	case 6:
		dissectIPv6(b, off)
	default:
		b.proto = "Raw IP"
		dissectData(b, off)
	}
}

var (
	_ = registerLink(capfile.LinkSLL, 25, "Linux cooked-mode capture v1", func(b *builder) { dissectSLL(b, 0) })
	_ = registerLink(capfile.LinkSLL2, 210, "Linux cooked-mode capture v2", func(b *builder) { dissectSLL2(b, 0) })
	_ = registerLink(capfile.LinkNull, 15, "NULL/Loopback", func(b *builder) { dissectNull(b, 0, capfile.LinkNull) })
	_ = registerLink(capfile.LinkLoop, 15, "NULL/Loopback", func(b *builder) { dissectNull(b, 0, capfile.LinkLoop) })
	_ = registerLink(capfile.LinkRaw, 7, "Raw IP", func(b *builder) {
		b.addProtocol("raw")
		dissectRawIP(b, 0)
	})
	_ = registerLink(capfile.LinkIPv4, 7, "Raw IP", func(b *builder) {
		b.addProtocol("raw")
		dissectIPv4(b, 0)
	})
	_ = registerLink(capfile.LinkIPv6, 7, "Raw IP", func(b *builder) {
		b.addProtocol("raw")
		dissectIPv6(b, 0)
	})
)
