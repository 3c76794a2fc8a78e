package decode

// Teredo (RFC 4380): IPv6 carried in UDP (port 3544) across IPv4 NATs. The
// authentication and origin indications that may precede the IPv6 header
// are shown; the IPv6 packet is dissected and its checksums judged like
// any other.

var (
	fTeredo     = Register(FieldDef{Name: "teredo", Label: "Teredo IPv6 over UDP tunneling", Type: FTProtocol})
	fTeredoAuth = Register(FieldDef{Name: "teredo.auth", Label: "Teredo Authentication header", Type: FTBytes})
	fTeredoOrig = Register(FieldDef{Name: "teredo.orig", Label: "Teredo Origin Indication header", Type: FTBytes})
)

func dissectTeredo(b *builder, off int) int {
	d := b.data[off:]
	p := 0
	b.addProtocol("teredo")
	f := b.open(fTeredo, off, 0)
	idx := b.mark() - 1
	// Authentication: 0x0001, ID length, AU length, ID, AU, nonce (8), confirmation (1).
	if len(d) >= 4 && d[0] == 0 && d[1] == 1 {
		l := 4 + int(d[2]) + int(d[3]) + 9
		if l <= len(d) {
			b.addB(fTeredoAuth, off, l)
			p = l
		}
	}
	// Origin indication: 0x0000, port (2), address (4), obfuscated.
	if len(d) >= p+8 && d[p] == 0 && d[p+1] == 0 {
		b.addB(fTeredoOrig, off+p, 8)
		p += 8
	}
	_ = f
	b.at(idx).Length = int32(p)
	b.close()
	return b.run(ipv6Payload, off+p, len(b.data))
}

// teredoHeuristic takes a UDP payload on port 3544 only when it is an IPv6
// packet (after optional Teredo indications): the port is also used for
// Teredo's own qualification traffic.
var _ = udpPorts.register(3544, newPayload("teredo", "Teredo IPv6 over UDP tunneling", dissectTeredo))
