package decode

// classify picks the Wireshark colouring rule for a frame without a bad
// checksum, checking the rules in Wireshark's default order.
func classify(d *Dissection) ColorClass {
	var tcp, udp, icmp, arp bool
	var tcpFlags uint64
	var icmpType uint64
	icmpErr := false
	for i := range d.Fields {
		f := &d.Fields[i]
		switch f.Def {
		case fTCP:
			tcp = true
		case fTCPFlags:
			tcpFlags = f.U
		case fUDP:
			udp = true
		case fARP:
			arp = true
		case fICMPType:
			icmp = true
			icmpType = f.U
			icmpErr = icmpErr || icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11
		case fICMPv6Type:
			icmp = true
			icmpErr = icmpErr || f.U < 128
		}
	}
	switch {
	case tcp && tcpFlags&0x004 != 0:
		return ColorTCPRst
	case tcp && tcpFlags&0x003 != 0:
		return ColorTCPSynFin
	case icmpErr:
		return ColorICMPError
	case arp:
		return ColorARP
	case icmp:
		return ColorICMP
	case tcp:
		return ColorTCP
	case udp:
		return ColorUDP
	}
	return ColorNone
}
