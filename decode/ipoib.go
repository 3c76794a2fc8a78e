package decode

import (
	"encoding/binary"
	"fmt"
)

// IP over InfiniBand (LINKTYPE_IPOIB, 242) as Wireshark reads it: the
// InfiniBand global route header (40 bytes: version, traffic class, flow
// label, source queue pair, source and destination GIDs), then RFC 4391's
// 4-byte encapsulation header (an EtherType and a reserved word).

var (
	fIPoIB          = Register(FieldDef{Name: "ipoib", Label: "IP over Infiniband", Type: FTProtocol})
	fIPoIBGRH       = Register(FieldDef{Name: "ipoib.grh", Label: "Global Route Header", Type: FTNone})
	fIPoIBGRHVer    = Register(FieldDef{Name: "ipoib.grh.ipver", Label: "IP Version", Type: FTUint})
	fIPoIBGRHTClass = Register(FieldDef{Name: "ipoib.grh.tclass", Label: "Traffic Class", Type: FTUint})
	fIPoIBGRHFlow   = Register(FieldDef{Name: "ipoib.grh.flowlabel", Label: "Flow Label", Type: FTUint})
	fIPoIBGRHSQPN   = Register(FieldDef{Name: "ipoib.grh.sqpn", Label: "Source QPN", Type: FTUint, Base: BaseHex, Bits: 24})
	fIPoIBGRHSGID   = Register(FieldDef{Name: "ipoib.grh.sgid", Label: "Source GID", Type: FTIPv6})
	fIPoIBDGID      = Register(FieldDef{Name: "ipoib.dgid", Label: "Destination GID", Type: FTIPv6})
	fIPoIBType      = Register(FieldDef{Name: "ipoib.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fIPoIBReserved  = Register(FieldDef{Name: "ipoib.reserved", Label: "Reserved", Type: FTUint, Base: BaseHex, Bits: 16})
)

func dissectIPoIB(b *builder, off int) int {
	b.addProtocol("ipoib")
	if b.ds.Summary {
		b.proto = "IPoIB"
		b.setInfo("IP over Infiniband")
	}
	d := b.data[off:]
	if len(d) < 44 {
		b.malformed("IP over Infiniband", off, fmt.Sprintf("frame of %d bytes is shorter than the 44-byte header", len(d)))
		return len(b.data)
	}
	w := binary.BigEndian.Uint32(d)
	et := binary.BigEndian.Uint16(d[40:])
	b.open(fIPoIB, off, 44)
	b.open(fIPoIBGRH, off, 40)
	b.addU(fIPoIBGRHVer, off, 1, uint64(w>>28))
	b.addU(fIPoIBGRHTClass, off, 2, uint64(w>>20&0xff))
	b.addU(fIPoIBGRHFlow, off+1, 3, uint64(w&0xfffff))
	b.addU(fIPoIBGRHSQPN, off+5, 3, uint64(binary.BigEndian.Uint32(d[4:])&0xffffff))
	b.addB(fIPoIBGRHSGID, off+8, 16)
	b.addB(fIPoIBDGID, off+24, 16)
	b.close()
	b.addU(fIPoIBType, off+40, 2, uint64(et))
	b.addU(fIPoIBReserved, off+42, 2, uint64(binary.BigEndian.Uint16(d[42:])))
	b.close()
	if end, ok := b.dispatch(etherTypes, uint32(et), off+44, len(b.data)); ok {
		return end
	}
	dissectData(b, off+44)
	return len(b.data)
}

var _ = registerLink(242, 180, "IP over IB", func(b *builder) { dissectIPoIB(b, 0) })
