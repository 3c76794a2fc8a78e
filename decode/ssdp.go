package decode

// SSDP (UPnP discovery, HTTP over UDP 1900) as tshark shows it: Protocol
// SSDP, Info the start line and a space, and the HTTP fields of the
// message.

func dissectSSDP(b *builder, off int) int {
	d := b.data[off:]
	if _, ok := httpStart(d); !ok {
		if _, isNotify := httpStartNotify(d); !isNotify {
			dissectDataRange(b, off, len(b.data))
			return len(b.data)
		}
	}
	b.addProtocol("ssdp")
	httpMessage(b, off, d)
	if b.ds.Summary {
		b.proto = "SSDP"
		info, _ := httpFirstLineInfo(d)
		b.setInfo(info)
	}
	return len(b.data)
}

// httpStartNotify accepts SSDP's NOTIFY, which is not an HTTP method.
func httpStartNotify(d []byte) (bool, bool) {
	return true, len(d) > 7 && string(d[:7]) == "NOTIFY "
}

var ssdpPayload = func() *Payload {
	p := newPayload("ssdp", "Simple Service Discovery Protocol", dissectSSDP)
	p.Optional = true
	return p
}()

var _ = udpPorts.register(1900, ssdpPayload)
