package decode

import (
	"encoding/binary"
	"fmt"
)

// ERSPAN (Cisco's Encapsulated Remote SPAN) in GRE: type I (protocol
// 0x88be without a GRE sequence number: no header of its own), type II
// (0x88be with one) and type III (0x22eb, with the optional platform
// subheader), as Wireshark's packet-erspan.c shows them. The mirrored
// frame is Ethernet.

var (
	fERSPAN    = Register(FieldDef{Name: "erspan", Label: "Encapsulated Remote Switch Packet ANalysis", Type: FTProtocol})
	fERSPANVer = Register(FieldDef{Name: "erspan.version", Label: "Version", Type: FTUint, Bits: 16, Bitmask: 0xf000,
		Values: map[uint64]string{1: "Type II", 2: "Type III"}, Display: bitLine})
	fERSPANVlan  = Register(FieldDef{Name: "erspan.vlan", Label: "Vlan", Type: FTUint, Bits: 16, Bitmask: 0x0fff, Display: bitLine})
	fERSPANCos   = Register(FieldDef{Name: "erspan.cos", Label: "COS", Type: FTUint, Bits: 16, Bitmask: 0xe000, Display: bitLine})
	fERSPANEncap = Register(FieldDef{Name: "erspan.encap", Label: "Encap", Type: FTUint, Bits: 16, Bitmask: 0x1800, Display: bitLine,
		Values: map[uint64]string{0: "Originally without VLAN tag", 1: "ISL encapsulated", 2: "802.1Q encapsulated", 3: "VLAN tag preserved in frame"}})
	fERSPANBSO = Register(FieldDef{Name: "erspan.bso", Label: "Bad/Short/Oversized", Type: FTUint, Bits: 16, Bitmask: 0x1800, Display: bitLine,
		Values: map[uint64]string{0: "Good or unknown integrity", 1: "Payload is a Short Frame", 2: "Payload is an Oversized Frame", 3: "Payload is a Bad Frame with CRC or Alignment Error"}})
	fERSPANTrunc = Register(FieldDef{Name: "erspan.truncated", Label: "Truncated", Type: FTUint, Bits: 16, Bitmask: 0x0400, Display: bitLine,
		Values: map[uint64]string{0: "Not truncated", 1: "Truncated"}})
	fERSPANSpan  = Register(FieldDef{Name: "erspan.spanid", Label: "SpanID", Type: FTUint, Bits: 16, Bitmask: 0x03ff, Display: bitLine})
	fERSPANRsv   = Register(FieldDef{Name: "erspan.reserved", Label: "Reserved", Type: FTUint, Bits: 32, Bitmask: 0xfff00000, Display: bitLine})
	fERSPANIndex = Register(FieldDef{Name: "erspan.index", Label: "Index", Type: FTUint, Bits: 32, Bitmask: 0x000fffff, Display: bitLine})
	fERSPANTS    = Register(FieldDef{Name: "erspan.timestamp", Label: "Timestamp", Type: FTUint, Bits: 32, Bitmask: 0xffffffff, Display: bitLine})
	fERSPANSGT   = Register(FieldDef{Name: "erspan.sgt", Label: "Security Group Tag", Type: FTUint, Bits: 16, Bitmask: 0xffff, Display: bitLine})
	fERSPANP     = Register(FieldDef{Name: "erspan.p", Label: "Has Ethernet PDU", Type: FTUint, Bits: 16, Bitmask: 0x8000, Display: bitLine})
	fERSPANFT    = Register(FieldDef{Name: "erspan.ft", Label: "Frame Type", Type: FTUint, Bits: 16, Bitmask: 0x7c00, Display: bitLine,
		Values: map[uint64]string{0: "Ethernet", 2: "IP"}})
	fERSPANHW  = Register(FieldDef{Name: "erspan.hw", Label: "Hardware ID", Type: FTUint, Bits: 16, Bitmask: 0x03f0, Display: bitLine})
	fERSPANDir = Register(FieldDef{Name: "erspan.direction", Label: "Direction", Type: FTBool, Bits: 16, Bitmask: 0x0008,
		Display: func(f *Field) string { return tfsLine(f, "Egress", "Ingress") }})
	fERSPANGra = Register(FieldDef{Name: "erspan.gra", Label: "Timestamp granularity", Type: FTUint, Bits: 16, Bitmask: 0x0006, Display: bitLine,
		Values: map[uint64]string{0: "100 microseconds", 1: "100 nanoseconds", 2: "IEEE 1588", 3: "User-defined"}})
	fERSPANO      = Register(FieldDef{Name: "erspan.o", Label: "Optional Sub headers", Type: FTUint, Bits: 16, Bitmask: 0x0001, Display: bitLine})
	fERSPANPlatID = Register(FieldDef{Name: "erspan.platid", Label: "Platform ID", Type: FTUint, Bits: 32, Bitmask: 0xfc000000, Display: bitLine})
	fERSPANP1Rsv  = Register(FieldDef{Name: "erspan.pid1.rsvd1", Label: "Reserved", Type: FTUint, Bits: 32, Bitmask: 0x03fff000, Display: bitLine})
	fERSPANP1VSM  = Register(FieldDef{Name: "erspan.pid1.vsmid", Label: "VSM Domain ID", Type: FTUint, Bits: 32, Bitmask: 0x00000fff, Display: bitLine})
	fERSPANP1Port = Register(FieldDef{Name: "erspan.pid1.port_index", Label: "Port ID/Index", Type: FTUint, Bits: 32, Bitmask: 0xffffffff, Display: bitLine})
)

var erspanTypeNames = [...]string{"Type I", "Type II", "Type III"}

// dissectERSPAN reads the header whose type the GRE layer below decided
// (b.greFlags: a sequence number makes 0x88be type II).
func dissectERSPAN(b *builder, off int, typ int) int {
	d := b.data[off:]
	b.addProtocol("erspan")
	if b.ds.Summary {
		b.proto = "ERSPAN"
	}
	hl := [...]int{0, 8, 12}[typ]
	if len(d) < hl {
		b.malformed("ERSPAN", off, fmt.Sprintf("header cut short: %d of %d bytes captured", len(d), hl))
		return len(b.data)
	}
	if typ == 2 && len(d) >= 12 && d[11]&1 != 0 {
		hl = 20
		if len(d) < hl {
			b.malformed("ERSPAN", off, fmt.Sprintf("platform subheader cut short: %d of %d bytes captured", len(d), hl))
			return len(b.data)
		}
	}
	b.open(fERSPAN, off, hl).S = fERSPAN.Label + " " + erspanTypeNames[typ]
	if typ > 0 {
		// Type I has no header at all: nothing to read for it (a 1-byte
		// payload once crashed here).
		w0 := uint64(binary.BigEndian.Uint16(d))
		w1 := uint64(binary.BigEndian.Uint16(d[2:]))
		b.addU(fERSPANVer, off, 2, w0>>12)
		b.addU(fERSPANVlan, off, 2, w0&0xfff)
		b.addU(fERSPANCos, off+2, 2, w1>>13)
		if typ == 1 {
			b.addU(fERSPANEncap, off+2, 2, w1>>11&3)
		} else {
			b.addU(fERSPANBSO, off+2, 2, w1>>11&3)
		}
		b.addU(fERSPANTrunc, off+2, 2, w1>>10&1)
		b.addU(fERSPANSpan, off+2, 2, w1&0x3ff)
	}
	if typ == 1 {
		w := uint64(binary.BigEndian.Uint32(d[4:]))
		b.addU(fERSPANRsv, off+4, 4, w>>20)
		b.addU(fERSPANIndex, off+4, 4, w&0xfffff)
	}
	if typ == 2 {
		b.addU(fERSPANTS, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
		b.addU(fERSPANSGT, off+8, 2, uint64(binary.BigEndian.Uint16(d[8:])))
		w := uint64(binary.BigEndian.Uint16(d[10:]))
		b.addU(fERSPANP, off+10, 2, w>>15)
		b.addU(fERSPANFT, off+10, 2, w>>10&0x1f)
		b.addU(fERSPANHW, off+10, 2, w>>4&0x3f)
		b.addU(fERSPANDir, off+10, 2, w>>3&1)
		b.addU(fERSPANGra, off+10, 2, w>>1&3)
		b.addU(fERSPANO, off+10, 2, w&1)
		if hl == 20 {
			p := uint64(binary.BigEndian.Uint32(d[12:]))
			b.addU(fERSPANPlatID, off+12, 4, p>>26)
			if p>>26 == 1 {
				b.addU(fERSPANP1Rsv, off+12, 4, p>>12&0x3fff)
				b.addU(fERSPANP1VSM, off+12, 4, p&0xfff)
				b.addU(fERSPANP1Port, off+16, 4, uint64(binary.BigEndian.Uint32(d[16:])))
			}
		}
	}
	b.close()
	if off+hl < len(b.data) {
		dissectEthernet(b, off+hl)
	}
	return len(b.data)
}

var (
	_ = greProtos.register(0x88be, newPayload("erspan", "Encapsulated Remote Switch Packet ANalysis", func(b *builder, off int) int {
		typ := 0
		if b.greFlags&0x1000 != 0 {
			typ = 1
		}
		return dissectERSPAN(b, off, typ)
	}))
	_ = greProtos.register(0x22eb, newPayload("erspan3", "Encapsulated Remote Switch Packet ANalysis Type III", func(b *builder, off int) int {
		return dissectERSPAN(b, off, 2)
	}))
)
