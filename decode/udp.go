package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
	"strconv"
)

var (
	fUDP        = Register(FieldDef{Name: "udp", Label: "User Datagram Protocol", Type: FTProtocol, Display: udpLine})
	fUDPSrcPort = Register(FieldDef{Name: "udp.srcport", Label: "Source Port", Type: FTUint})
	fUDPDstPort = Register(FieldDef{Name: "udp.dstport", Label: "Destination Port", Type: FTUint})
	fUDPPort    = Register(FieldDef{Name: "udp.port", Label: "Source or Destination Port", Type: FTUint})
	fUDPLength  = Register(FieldDef{Name: "udp.length", Label: "Length", Type: FTUint})
	fUDPLenBad  = Register(FieldDef{Name: "udp.length.bad", Label: "Bad length value", Type: FTNone})
	fUDPPayload = Register(FieldDef{Name: "udp.payload", Label: "UDP payload", Type: FTBytes,
		Display: func(f *Field) string {
			return fmt.Sprintf("UDP payload (%d byte%s)", len(f.B), plural(len(f.B), "", "s"))
		}})

	fUDPLite         = Register(FieldDef{Name: "udplite", Label: "Lightweight User Datagram Protocol", Type: FTProtocol, Display: udpLine})
	fUDPLiteCoverage = Register(FieldDef{Name: "udp.checksum_coverage", Label: "Checksum coverage", Type: FTUint})
	fUDPLiteCovBad   = Register(FieldDef{Name: "udp.checksum_coverage.bad", Label: "Bad checksum coverage", Type: FTNone})

	udpCsum = registerChecksum(ChecksumProto{Name: "udp", Title: "UDP", Label: "UDP", Order: 30}, prefs.Switch{
		Name: "udp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the UDP checksum", wiresharkOff}})
	udpLiteCsum = registerChecksum(ChecksumProto{Name: "udplite", Title: "UDP-Lite", Label: "UDP-Lite", Order: 40}, prefs.Switch{
		Name: "udplite.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the UDP-Lite checksum", wiresharkOff}})
	udpChecksum = newChecksumDefs(udpCsum, "Checksum", "Checksum Status", ` (maybe caused by "UDP checksum offload"?)`, "[unverified]", calcChild)
	// tshark shows UDP-Lite with the udp.* fields; only the preference
	// (udplite.check_checksum) is its own.
	udpLiteChecksum = &checksumDefs{proto: "udplite", cp: udpLiteCsum, value: udpChecksum.value, status: udpChecksum.status, calc: udpChecksum.calc,
		offloadHint: udpChecksum.offloadHint, disabled: udpChecksum.disabled, layout: calcChild}
)

type udpDefs struct {
	proto, src, dst, port *FieldDef
	cksum                 *checksumDefs
	name, label           string
	ipProto               uint8
}

var (
	udpPlain = udpDefs{fUDP, fUDPSrcPort, fUDPDstPort, fUDPPort, udpChecksum, "udp", "User Datagram Protocol", 17}
	udpLite  = udpDefs{fUDPLite, fUDPSrcPort, fUDPDstPort, fUDPPort, udpLiteChecksum, "udplite", "Lightweight User Datagram Protocol", 136}
)

// dissectUDP handles UDP and UDP-Lite (RFC 3828), which differ only in the
// length field (a checksum coverage in UDP-Lite) and the zero checksum rule.
func dissectUDP(b *builder, off, end int, lite bool) {
	u := &udpPlain
	if lite {
		u = &udpLite
	}
	b.addProtocol(u.name)
	if b.ds.Summary {
		b.proto = "UDP"
		if lite {
			b.proto = "UDP-Lite"
		}
	}
	d := b.data[off:]
	if len(d) < 8 {
		b.malformed(u.label, off, fmt.Sprintf("header cut short: %d of 8 bytes captured", len(d)))
		return
	}
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	ulen := int(binary.BigEndian.Uint16(d[4:]))
	value := binary.BigEndian.Uint16(d[6:])
	ipLen := b.payloadLen // what the IP layer says the datagram is
	b.open(u.proto, off, 8).B = d[:8]
	b.addU(u.src, off, 2, uint64(sport))
	b.addU(u.dst, off+2, 2, uint64(dport))
	b.addHidden(u.port, off, 2, uint64(sport))
	b.addHidden(u.port, off+2, 2, uint64(dport))

	// covered is how many bytes the checksum covers; total is the datagram.
	total, covered := ipLen, ipLen
	badLen := ""
	if lite {
		b.addU(fUDPLiteCoverage, off+4, 2, uint64(ulen))
		switch {
		case ulen == 0:
			covered = ipLen
		case ulen < 8 || ulen > ipLen:
			badLen = fmt.Sprintf("[Bad checksum coverage length value %d", ulen)
			covered = -1
		default:
			covered = ulen
		}
		if badLen != "" {
			b.depth++
			b.expert(fUDPLiteCovBad, off+4, 2, badLen+"]")
			b.depth--
		}
		b.addU(fUDPLength, off+4, 0, uint64(ipLen)).Generated = true
	} else {
		b.addU(fUDPLength, off+4, 2, uint64(ulen))
		switch {
		case ulen < 8:
			badLen = fmt.Sprintf("[Bad length value %d < 8]", ulen)
		case ulen > ipLen && !b.inQuote && !b.fragmented:
			badLen = fmt.Sprintf("[Bad length value %d > IP payload length]", ulen)
		default:
			total, covered = ulen, ulen
		}
		if badLen != "" {
			b.depth++
			b.expert(fUDPLenBad, off+4, 2, badLen)
			b.depth--
		}
	}

	var ck *Checksum
	switch {
	case value == 0 && !lite && !b.netV6:
		ck = b.addChecksum(u.cksum, off+6, 2, 0, 0, StatusNotPresent, "UDP over IPv4 without a checksum (zero value)")
	case value == 0:
		// RFC 8200 8.1 (UDP over IPv6) and RFC 3828 3.1 forbid a zero checksum.
		ck = b.addChecksum(u.cksum, off+6, 2, 0, 0, StatusIllegal, "zero checksum is illegal here")
	default:
		reason := b.transportVerdict(u.cksum.cp, off, covered)
		if reason == "" && covered < 0 {
			reason = "bad checksum coverage"
		}
		if reason != "" {
			ck = b.addChecksum(u.cksum, off+6, 2, uint32(value), 0, StatusUnverified, reason)
		} else {
			pseudo := b.transportPseudo(u.ipProto, ipLen)
			if !lite {
				pseudo = b.transportPseudo(u.ipProto, total)
			}
			sum := onesSum(b.data[off:off+covered], pseudo)
			st, calc := verify(value, sum)
			ck = b.addChecksum(u.cksum, off+6, 2, uint32(value), uint32(calc), st, "")
			ck.sum, ck.cov0, ck.cov1 = sum, off, off+covered
		}
		if b.netSrc != nil {
			ck.Partial = value == fold(b.transportPseudo(u.ipProto, total))
		}
	}
	udpStreamFields(b, off, sport, dport)
	b.sport, b.dport = sport, dport // for protocols whose side they tell
	payOff, payEnd := off+8, off+total
	if payEnd > len(b.data) {
		payEnd = len(b.data)
	}
	if payEnd > payOff {
		b.addB(fUDPPayload, payOff, payEnd-payOff)
	}
	b.close()

	if b.ds.Summary {
		info := make([]byte, 0, 64)
		info = strconv.AppendUint(info, uint64(sport), 10)
		info = append(info, " → "...)
		info = strconv.AppendUint(info, uint64(dport), 10)
		info = append(info, " Len="...)
		info = strconv.AppendInt(info, int64(total-8), 10)
		b.info = append(b.info[:0], info...)
	}
	if b.ds.Summary {
		// Before the payload, as in tshark: a tunnel's inner layers
		// write their own Info over it.
		switch ck.Status {
		case StatusBad:
			b.appendInfo(" [UDP CHECKSUM INCORRECT]")
		case StatusIllegal:
			b.appendInfo(" [ILLEGAL CHECKSUM (0)]")
		}
	}
	if payEnd > payOff {
		// A quoted datagram's payload is shown as data: tshark stops there.
		// UDP-Lite dispatches on its ports as UDP does (Wireshark shares
		// the udp.port table).
		if b.inQuote || !b.dispatchPorts(udpPorts, sport, dport, payOff, payEnd) {
			dissectDataRange(b, payOff, payEnd)
		}
	}
}

func udpLine(f *Field) string {
	return fmt.Sprintf("%s, Src Port: %d, Dst Port: %d", f.Def.Label, binary.BigEndian.Uint16(f.B), binary.BigEndian.Uint16(f.B[2:]))
}

var _ = ipProtos.register(17, newPayload("udp", "User Datagram Protocol", func(b *builder, off int) int {
	dissectUDP(b, off, len(b.data), false)
	return len(b.data)
}))

var _ = ipProtos.register(136, newPayload("udplite", "Lightweight User Datagram Protocol", func(b *builder, off int) int {
	dissectUDP(b, off, len(b.data), true)
	return len(b.data)
}))
