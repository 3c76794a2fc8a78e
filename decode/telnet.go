package decode

// Telnet (RFC 854; TCP 23) as tshark's packet list shows it: Protocol
// "TELNET", Info "Telnet Data ..." for every segment (packet-telnet.c).
// The option negotiation (IAC commands) and the data lines are not
// decoded yet.

var fTelnet = Register(FieldDef{Name: "telnet", Label: "Telnet", Type: FTProtocol})

func dissectTelnet(b *builder, off int) int {
	d := b.enterLayer("telnet", "TELNET", off, len(b.data))
	b.add(fTelnet, off, len(d))
	if b.ds.Summary {
		b.setInfo("Telnet Data ...")
	}
	return len(b.data)
}

var _ = tcpPorts.register(23, newPayload("telnet", "Telnet", dissectTelnet))
