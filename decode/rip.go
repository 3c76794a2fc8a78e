package decode

import "fmt"

// RIP (RFC 1058, RFC 2453; UDP 520) and RIPng (RFC 2080; UDP 521) with
// Wireshark's field names (packet-rip.c, packet-ripng.c) and tshark's
// Protocol column ("RIPv1", "RIPv2", "RIPng") and Info. The route
// entries are not decoded yet.

var ripCommands = map[uint64]string{1: "Request", 2: "Response", 3: "Traceon", 4: "Traceoff", 5: "Vendor specific (Sun)"}

var ripngCommands = map[uint64]string{1: "Request", 2: "Response"}

var (
	fRIP          = Register(FieldDef{Name: "rip", Label: "Routing Information Protocol", Type: FTProtocol})
	fRIPCommand   = Register(FieldDef{Name: "rip.command", Label: "Command", Type: FTUint, Values: ripCommands})
	fRIPVersion   = Register(FieldDef{Name: "rip.version", Label: "Version", Type: FTUint, Values: map[uint64]string{1: "RIPv1", 2: "RIPv2"}})
	fRIPng        = Register(FieldDef{Name: "ripng", Label: "RIPng", Type: FTProtocol})
	fRIPngCmd     = Register(FieldDef{Name: "ripng.cmd", Label: "Command", Type: FTUint, Values: ripngCommands})
	fRIPngVersion = Register(FieldDef{Name: "ripng.version", Label: "Version", Type: FTUint})
)

func dissectRIP(b *builder, off int) int {
	d := b.enterLayer("rip", "RIP", off, len(b.data))
	if len(d) < 4 {
		b.malformed("RIP", off, "header cut short")
		return len(b.data)
	}
	b.open(fRIP, off, len(d))
	b.addU(fRIPCommand, off, 1, uint64(d[0]))
	b.addU(fRIPVersion, off+1, 1, uint64(d[1]))
	b.close()
	if b.ds.Summary {
		b.proto = fmt.Sprintf("RIPv%d", d[1])
		name, ok := ripCommands[uint64(d[0])]
		if !ok {
			name = fmt.Sprintf("Unknown command (%d)", d[0])
		}
		b.setInfo(name)
	}
	return len(b.data)
}

func dissectRIPng(b *builder, off int) int {
	d := b.enterLayer("ripng", "RIPng", off, len(b.data))
	if len(d) < 4 {
		b.malformed("RIPng", off, "header cut short")
		return len(b.data)
	}
	b.open(fRIPng, off, len(d))
	b.addU(fRIPngCmd, off, 1, uint64(d[0]))
	b.addU(fRIPngVersion, off+1, 1, uint64(d[1]))
	b.close()
	if b.ds.Summary {
		name, ok := ripngCommands[uint64(d[0])]
		if !ok {
			name = fmt.Sprintf("Unknown (%d)", d[0])
		}
		b.setInfo(fmt.Sprintf(" Command %s, Version %d", name, d[1]))
	}
	return len(b.data)
}

var (
	_ = udpPorts.register(520, newPayload("rip", "Routing Information Protocol", dissectRIP))
	_ = udpPorts.register(521, newPayload("ripng", "RIPng", dissectRIPng))
)
