package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
)

var (
	fICMP     = Register(FieldDef{Name: "icmp", Label: "Internet Control Message Protocol", Type: FTProtocol})
	fICMPType = Register(FieldDef{Name: "icmp.type", Label: "Type", Type: FTUint, Values: icmpTypeNames,
		Display: func(f *Field) string { return fmt.Sprintf("Type: %d (%s)", f.U, icmpTypeName(uint8(f.U))) }})
	// The code's name depends on the type, so it is kept in S by the dissector.
	fICMPCode = Register(FieldDef{Name: "icmp.code", Label: "Code", Type: FTUint,
		Display: func(f *Field) string {
			if f.S != "" {
				return fmt.Sprintf("Code: %d (%s)", f.U, f.S)
			}
			return fmt.Sprintf("Code: %d", f.U)
		}})
	fICMPIdent    = Register(FieldDef{Name: "icmp.ident", Label: "Identifier (BE)", Type: FTUint, Base: BaseDecHex, Bits: 16})
	fICMPIdentLE  = Register(FieldDef{Name: "icmp.ident_le", Label: "Identifier (LE)", Type: FTUint, Base: BaseDecHex, Bits: 16})
	fICMPSeq      = Register(FieldDef{Name: "icmp.seq", Label: "Sequence Number (BE)", Type: FTUint, Base: BaseDecHex, Bits: 16})
	fICMPSeqLE    = Register(FieldDef{Name: "icmp.seq_le", Label: "Sequence Number (LE)", Type: FTUint, Base: BaseDecHex, Bits: 16})
	fICMPUnused   = Register(FieldDef{Name: "icmp.unused", Label: "Unused", Type: FTBytes})
	fICMPPointer  = Register(FieldDef{Name: "icmp.pointer", Label: "Pointer", Type: FTUint})
	fICMPMTU      = Register(FieldDef{Name: "icmp.mtu", Label: "MTU of next hop", Type: FTUint})
	fICMPGateway  = Register(FieldDef{Name: "icmp.redir_gw", Label: "Gateway Address", Type: FTIPv4})
	fICMPDataTime = Register(FieldDef{Name: "icmp.data_time", Label: "Timestamp from icmp data", Type: FTAbsTime})
	fICMPDataRel  = Register(FieldDef{Name: "icmp.data_time_relative", Label: "Timestamp from icmp data (relative)", Type: FTRelTime})
	fICMPOrigTS   = Register(FieldDef{Name: "icmp.originate_timestamp", Label: "Originate Timestamp", Type: FTUint, Display: icmpMidnightLine})
	fICMPRecvTS   = Register(FieldDef{Name: "icmp.receive_timestamp", Label: "Receive Timestamp", Type: FTUint, Display: icmpMidnightLine})
	fICMPXmitTS   = Register(FieldDef{Name: "icmp.transmit_timestamp", Label: "Transmit Timestamp", Type: FTUint, Display: icmpMidnightLine})
	fICMPAddrMask = Register(FieldDef{Name: "icmp.address_mask", Label: "Address Mask", Type: FTIPv4})

	// Wireshark has no preference for the ICMP checksum; wirelens's switch
	// shows the unverified value the way tshark shows any unchecked one.
	icmpCsum = registerChecksum(ChecksumProto{Name: "icmp", Title: "ICMP", Label: "ICMP", Order: 50}, prefs.Switch{
		Name: "icmp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the ICMP checksum", notInWireshark("ICMP")}})
	icmpChecksum = newChecksumDefs(icmpCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

var fICMPRespTo = Register(FieldDef{Name: "icmp.resp_to", Label: "Response to", Type: FTUint,
	Display: func(f *Field) string { return fmt.Sprintf("[Request frame: %d]", f.U) }})

// icmpVerdict judges an ICMP or ICMPv6 checksum, which covers the whole
// message (and, for ICMPv6, the pseudo-header). tshark words an unverified
// one by why: a fragment, a quoted packet, or data cut short.
func icmpVerdict(b *builder, cd *checksumDefs, off int, d []byte, reported int, v6 bool) {
	value := binary.BigEndian.Uint16(d[2:])
	switch {
	case !b.validates(cd.cp):
		b.addChecksum(cd, off+2, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	case b.fragmented || len(d) < reported || b.inQuote || v6 && b.netSrc == nil:
		reason, text := reasonTruncated, "fragmented datagram"
		switch {
		case b.inQuote:
			reason, text = reasonQuoted, "in ICMP error packet"
		case b.fragmented:
			reason = reasonFragment
		case v6 && b.netSrc == nil:
			reason = "no IP layer for the pseudo-header"
		}
		i := b.mark()
		b.addChecksum(cd, off+2, 2, uint32(value), 0, StatusUnverified, reason)
		b.at(i).Text = fmt.Sprintf("Checksum: 0x%04x [unverified] [%s]", value, text)
	default:
		if reported < len(d) {
			d = d[:reported]
		}
		var pseudo uint64
		if v6 {
			pseudo = b.transportPseudo(58, len(d))
		}
		i := b.mark()
		st, calc := verify(value, onesSum(d, pseudo))
		b.addChecksum(cd, off+2, 2, uint32(value), uint32(calc), st, "")
		b.checksumExpert(i, fmt.Sprintf("[Expert Info (Warning/Checksum): Bad checksum [should be 0x%04x]]", calc))
	}
}

// echoPair records an echo request or finds the request a reply answers.
func (b *builder) echoPair(request, reply bool, id, seq uint16, v6 bool) int {
	if b.inQuote || b.netSrc == nil {
		return 0
	}
	switch {
	case request && !b.ds.Frozen:
		b.ds.conv.echoRequest(echoKey{addrKey(b.netSrc), addrKey(b.netDst), id, seq, v6}, b.fr.Number)
	case reply:
		return b.ds.conv.echoReply(echoKey{addrKey(b.netDst), addrKey(b.netSrc), id, seq, v6}, b.fr.Number)
	}
	return 0
}

var icmpTypeNames = map[uint64]string{0: "Echo (ping) reply", 1: "Reserved", 2: "Reserved", 3: "Destination unreachable",
	4: "Source quench (flow control)", 5: "Redirect", 6: "Alternate host address", 8: "Echo (ping) request",
	9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem",
	13: "Timestamp request", 14: "Timestamp reply", 15: "Information request", 16: "Information reply",
	17: "Address mask request", 18: "Address mask reply", 19: "Reserved (for security)", 30: "Traceroute",
	31: "Datagram Conversion Error", 32: "Mobile Host Redirect", 33: "IPv6 Where-Are-You", 34: "IPv6 I-Am-Here",
	35: "Mobile Registration Request", 36: "Mobile Registration Reply", 37: "Domain Name Request",
	38: "Domain Name Reply", 39: "SKIP", 40: "Photuris", 41: "Experimental mobility protocols",
	42: "Extended Echo request", 43: "Extended Echo reply"}

// icmpCodeNames holds the code tables of the types that have one; other
// types show a bare code number, as Wireshark does.
var icmpCodeNames = map[uint8]map[uint8]string{
	3: {0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable", 3: "Port unreachable",
		4: "Fragmentation needed", 5: "Source route failed", 6: "Destination network unknown",
		7: "Destination host unknown", 8: "Source host isolated", 9: "Network administratively prohibited",
		10: "Host administratively prohibited", 11: "Network unreachable for TOS", 12: "Host unreachable for TOS",
		13: "Communication administratively filtered", 14: "Host precedence violation", 15: "Precedence cutoff in effect"},
	5:  {0: "Redirect for network", 1: "Redirect for host", 2: "Redirect for TOS and network", 3: "Redirect for TOS and host"},
	6:  {0: "Alternate address for host"},
	9:  {0: "Normal router advertisement", 16: "Does not route common traffic"},
	11: {0: "Time to live exceeded in transit", 1: "Fragment reassembly time exceeded"},
	12: {0: "Pointer indicates the error", 1: "Required option missing", 2: "Bad length"},
	40: {0: "Bad SPI", 1: "Authentication Failed", 2: "Decompression Failed", 3: "Decryption Failed",
		4: "Need Authentication", 5: "Need Authorization"},
	42: {0: "No error"},
	43: {0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry",
		4: "Multiple Interfaces Satisfy Query"},
}

func icmpTypeName(t uint8) string {
	if n, ok := icmpTypeNames[uint64(t)]; ok {
		return n
	}
	return "Unknown ICMP (obsolete or malformed?)"
}

// icmpCodeName is "" for types without a code table.
func icmpCodeName(t, c uint8) string {
	tab, ok := icmpCodeNames[t]
	if !ok {
		return ""
	}
	if n, ok := tab[c]; ok {
		return n
	}
	return fmt.Sprintf("Unknown code: %d", c)
}

// icmpMidnightLine writes RFC 792 timestamps as Wireshark does:
// "Originate Timestamp: 1000 (1 second after midnight UTC)".
func icmpMidnightLine(f *Field) string {
	return fmt.Sprintf("%s: %d (%s after midnight UTC)", f.Def.Label, f.U, msecsText(uint32(f.U)))
}

// msecsText is Wireshark's time_msecs_to_str.
func msecsText(ms uint32) string { return durationText(ms/1000, ms%1000) }

func dissectICMP(b *builder, off, end int) {
	d := b.enterLayer("icmp", "ICMP", off, end)
	if len(d) < 4 {
		b.malformed("ICMP", off, fmt.Sprintf("message cut short: %d bytes captured", len(d)))
		return
	}
	typ, code := d[0], d[1]
	b.open(fICMP, off, len(d))
	b.addU(fICMPType, off, 1, uint64(typ))
	codeName := icmpCodeName(typ, code)
	b.addU(fICMPCode, off+1, 1, uint64(code)).S = codeName

	// The whole message is covered; it must all be here and be no quote.
	reported := b.payloadLen
	icmpVerdict(b, icmpChecksum, off, d, reported, false)

	info := fmt.Sprintf("%-20s", icmpTypeName(typ))
	if codeName != "" {
		info += " (" + codeName + ")"
	}
	switch typ {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		if len(d) < 8 {
			b.close()
			b.malformed("ICMP", off+4, "identifier and sequence number cut short")
			return
		}
		id, seq := binary.BigEndian.Uint16(d[4:]), binary.BigEndian.Uint16(d[6:])
		b.addU(fICMPIdent, off+4, 2, uint64(id))
		b.addU(fICMPIdentLE, off+4, 2, uint64(swap16(id)))
		b.addU(fICMPSeq, off+6, 2, uint64(seq))
		b.addU(fICMPSeqLE, off+6, 2, uint64(swap16(seq)))
		info += fmt.Sprintf(" id=0x%04x, seq=%d/%d", id, seq, swap16(seq))
		if ttl, ok := b.ipTTL(); ok {
			info += fmt.Sprintf(", ttl=%d", ttl)
		}
		if req := b.echoPair(typ == 8, typ == 0, id, seq, false); req > 0 {
			b.addU(fICMPRespTo, off, 0, uint64(req)).Generated = true
			info += fmt.Sprintf(" (request in %d)", req)
		}
		switch typ {
		case 0, 8:
			icmpEchoData(b, off+8, d[8:])
		case 13, 14:
			for i, def := range []*FieldDef{fICMPOrigTS, fICMPRecvTS, fICMPXmitTS} {
				if o := 8 + 4*i; o+4 <= len(d) {
					b.addU(def, off+o, 4, uint64(binary.BigEndian.Uint32(d[o:])))
				}
			}
		case 17, 18:
			if len(d) >= 12 {
				b.addU(fICMPAddrMask, off+8, 4, uint64(binary.BigEndian.Uint32(d[8:])))
			}
		}
	case 3, 4, 5, 11, 12:
		if len(d) < 8 {
			b.close()
			b.malformed("ICMP", off+4, "header cut short")
			return
		}
		switch {
		case typ == 3 && code == 4:
			b.addB(fICMPUnused, off+4, 2)
			b.addU(fICMPMTU, off+6, 2, uint64(binary.BigEndian.Uint16(d[6:])))
		case typ == 3 || typ == 11:
			b.addB(fICMPUnused, off+4, 4)
		case typ == 5:
			b.addU(fICMPGateway, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
		case typ == 12:
			b.addU(fICMPPointer, off+4, 1, uint64(d[4]))
			b.addB(fICMPUnused, off+5, 3)
		}
		icmpQuote(b, off+8, end, false)
	default:
		if len(d) > 4 {
			dissectDataRange(b, off+4, end)
		}
	}
	b.close()
	if b.ds.Summary {
		b.setInfo(info)
	}
}

// icmpEchoData shows an echo payload; like Wireshark it first looks for the
// timeval ping puts there (either byte order, within a day of the frame).
func icmpEchoData(b *builder, off int, p []byte) {
	if len(p) > 8 {
		frame := b.fr.Record.Timestamp / 1e9
		near := func(sec, usec uint32) bool {
			d := int32(sec - uint32(frame))
			return d > -86400 && d < 86400 && usec < 1e6
		}
		sec, usec := binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:])
		if !near(sec, usec) {
			sec, usec = binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])
		}
		if near(sec, usec) {
			ts := int64(sec)*1e9 + int64(usec)*1e3
			b.addU(fICMPDataTime, off, 8, uint64(ts))
			b.addU(fICMPDataRel, off, 8, uint64(b.fr.Record.Timestamp-ts)).Generated = true
			off, p = off+8, p[8:]
		}
	}
	if len(p) > 0 {
		dissectDataRange(b, off, off+len(p))
	}
}

// icmpQuote dissects the datagram an ICMP error quotes. Wireshark keeps the
// packet list showing the error itself, so the summary is put back after.
func icmpQuote(b *builder, off, end int, v6 bool) {
	if off >= end {
		return
	}
	proto, src, dst, info := b.proto, b.src, b.dst, string(b.info)
	saved, quoted := b.netSnapshot(), b.inQuote
	b.inQuote = true
	b.fragmented = false
	if v6 {
		dissectIPv6(b, off)
	} else {
		dissectIPv4(b, off)
	}
	b.inQuote = quoted
	b.netRestore(saved)
	b.proto, b.src, b.dst = proto, src, dst
	b.setInfo(info)
}

// ipTTL is the TTL of the IPv4 header this message came in, for the Info
// column; false over IPv6.
func (b *builder) ipTTL() (uint8, bool) {
	if b.netV6 || b.netSrc == nil {
		return 0, false
	}
	return b.ttl, b.ttlSeen
}

// checksumExpert rewrites the "Bad checksum" expert note added after field
// i, for protocols where Wireshark words or rates it differently from the
// default Error/Checksum note.
func (b *builder) checksumExpert(i int, text string) {
	for i = b.physFrom(i); i < len(b.d.Fields); i++ {
		f := &b.d.Fields[i]
		if f.Def == fExpertChecksum {
			f.Text, f.S = text, text
			if n := len(b.d.Expert); n > 0 {
				b.d.Expert[n-1] = text
			}
			b.rewriteExpertFields(i, text)
			return
		}
	}
}

func swap16(v uint16) uint16 { return v<<8 | v>>8 }

var _ = ipProtos.register(1, newPayload("icmp", "Internet Control Message Protocol", func(b *builder, off int) int {
	dissectICMP(b, off, len(b.data))
	return len(b.data)
}))
