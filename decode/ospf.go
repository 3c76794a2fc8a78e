package decode

import (
	"encoding/binary"
	"fmt"
)

// OSPF (RFC 2328 version 2, RFC 5340 version 3; IP protocol 89) with
// Wireshark's field names (packet-ospf.c) and tshark's Info, the packet
// type's name. The packet body (Hello, LSAs) is not decoded yet, nor is
// the checksum verified.

var ospfTypes = map[uint64]string{1: "Hello Packet", 2: "DB Description", 3: "LS Request", 4: "LS Update", 5: "LS Acknowledge"}

var (
	fOSPF        = Register(FieldDef{Name: "ospf", Label: "Open Shortest Path First", Type: FTProtocol})
	fOSPFVersion = Register(FieldDef{Name: "ospf.version", Label: "Version", Type: FTUint})
	fOSPFMsg     = Register(FieldDef{Name: "ospf.msg", Label: "Message Type", Type: FTUint, Values: ospfTypes})
	fOSPFLen     = Register(FieldDef{Name: "ospf.packet_length", Label: "Packet Length", Type: FTUint})
	fOSPFRouter  = Register(FieldDef{Name: "ospf.srcrouter", Label: "Source OSPF Router", Type: FTIPv4})
	fOSPFArea    = Register(FieldDef{Name: "ospf.area_id", Label: "Area ID", Type: FTIPv4})
)

func dissectOSPF(b *builder, off int) int {
	d := b.enterLayer("ospf", "OSPF", off, len(b.data))
	if len(d) < 12 {
		b.malformed("OSPF", off, "header cut short")
		return len(b.data)
	}
	typ := uint64(d[1])
	b.open(fOSPF, off, len(d))
	b.addU(fOSPFVersion, off, 1, uint64(d[0]))
	b.addU(fOSPFMsg, off+1, 1, typ)
	b.addU(fOSPFLen, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	b.addU(fOSPFRouter, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
	b.addU(fOSPFArea, off+8, 4, uint64(binary.BigEndian.Uint32(d[8:])))
	b.close()
	if b.ds.Summary {
		name, ok := ospfTypes[typ]
		if !ok {
			name = fmt.Sprintf("Unknown (%d)", typ)
		}
		b.setInfo(name)
	}
	return len(b.data)
}

var _ = ipProtos.register(89, newPayload("ospf", "Open Shortest Path First", dissectOSPF))
