package decode

import (
	"encoding/binary"
	"fmt"
)

// IPsec ESP (RFC 4303; IP protocol 50) with Wireshark's field names
// (packet-ipsec.c) and tshark's Info, "ESP (SPI=0x0000f00d)". The payload
// is encrypted: nothing past the sequence number is decoded. ESP in UDP
// (port 4500) is not dispatched yet.

var (
	fESP     = Register(FieldDef{Name: "esp", Label: "Encapsulating Security Payload", Type: FTProtocol})
	fESPSPI  = Register(FieldDef{Name: "esp.spi", Label: "ESP SPI", Type: FTUint, Base: BaseHex, Bits: 32})
	fESPSequ = Register(FieldDef{Name: "esp.sequence", Label: "ESP Sequence", Type: FTUint})
)

func dissectESP(b *builder, off int) int {
	d := b.enterLayer("esp", "ESP", off, len(b.data))
	if len(d) < 8 {
		b.malformed("ESP", off, "header cut short")
		return len(b.data)
	}
	spi := binary.BigEndian.Uint32(d)
	b.open(fESP, off, len(d))
	b.addU(fESPSPI, off, 4, uint64(spi))
	b.addU(fESPSequ, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
	b.close()
	if b.ds.Summary {
		b.setInfo(fmt.Sprintf("ESP (SPI=0x%08x)", spi))
	}
	return len(b.data)
}

var _ = ipProtos.register(50, newPayload("esp", "Encapsulating Security Payload", dissectESP))
