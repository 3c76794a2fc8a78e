package decode

import (
	"encoding/binary"
	"fmt"
)

// NBNS, the NetBIOS name service (RFC 1002; UDP 137), as Wireshark's
// packet-nbns.c: "Name query NB WORKGROUP<00>", "Name query response NB
// 192.0.2.5", "Registration NB HOST<20>".

var nbnsOpcodes = map[uint64]string{0: "Name query", 5: "Registration", 6: "Release", 7: "Wait for acknowledgment",
	8: "Refresh", 9: "Refresh (alternate opcode)", 15: "Multi-homed registration"}

var (
	fNBNS      = Register(FieldDef{Name: "nbns", Label: "NetBIOS Name Service", Type: FTProtocol})
	fNBNSID    = Register(FieldDef{Name: "nbns.id", Label: "Transaction ID", Type: FTUint, Base: BaseHex, Bits: 16})
	fNBNSFlags = Register(FieldDef{Name: "nbns.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 16})
	fNBNSName  = Register(FieldDef{Name: "nbns.name", Label: "Name", Type: FTString})
	fNBNSAddr  = Register(FieldDef{Name: "nbns.addr", Label: "Addr", Type: FTIPv4})
	fNBNSCount = Register(FieldDef{Name: "nbns.count.queries", Label: "Questions", Type: FTUint})
)

func nbnsRRType(t uint16) string {
	switch t {
	case 0x20:
		return "NB"
	case 0x21:
		return "NBSTAT"
	}
	return fmt.Sprintf("Unknown (%d)", t)
}

func dissectNBNS(b *builder, off int) int {
	d := b.enterLayer("nbns", "NBNS", off, len(b.data))
	if len(d) < 12 {
		b.malformed("NBNS", off, "header cut short")
		return len(b.data)
	}
	b.open(fNBNS, off, len(d))
	fl := binary.BigEndian.Uint16(d[2:])
	b.addU(fNBNSID, off, 2, uint64(binary.BigEndian.Uint16(d)))
	b.addU(fNBNSFlags, off+2, 2, uint64(fl))
	qd, an := binary.BigEndian.Uint16(d[4:]), binary.BigEndian.Uint16(d[6:])
	b.addU(fNBNSCount, off+4, 2, uint64(qd))
	op := uint64(fl >> 11 & 15)
	info, ok := nbnsOpcodes[op]
	if !ok {
		info = fmt.Sprintf("Unknown operation (%d)", op)
	}
	resp := fl&0x8000 != 0
	if resp {
		info += " response"
		if rc := fl & 15; rc != 0 {
			info += fmt.Sprintf(", %s", map[uint16]string{1: "Format error", 2: "Server failure", 3: "Name error",
				4: "Unsupported request", 5: "Refused", 6: "Active error", 7: "Name in conflict"}[rc])
		}
	}
	p := 12
	if qd > 0 || an > 0 {
		name, n := netbiosDecode(d[p:])
		if n > 0 && p+n+4 <= len(d) {
			b.add(fNBNSName, off+p, n).S = name
			t := binary.BigEndian.Uint16(d[p+n:])
			if qd > 0 {
				info += " " + nbnsRRType(t) + " " + name
			} else if an > 0 {
				// an answer: type, class, TTL, length, then flags + address
				q := p + n + 10
				info += " " + nbnsRRType(t)
				if t == 0x20 && q+6 <= len(d) {
					a := binary.BigEndian.Uint32(d[q+2:])
					b.addU(fNBNSAddr, off+q+2, 4, uint64(a))
					info += fmt.Sprintf(" %d.%d.%d.%d", a>>24, a>>16&0xff, a>>8&0xff, a&0xff)
				} else {
					info += " " + name
				}
			}
		}
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
	return len(b.data)
}

var nbnsPayload = func() *Payload {
	p := newPayload("nbns", "NetBIOS Name Service", dissectNBNS)
	p.Optional = true
	return p
}()

var _ = udpPorts.register(137, nbnsPayload)
