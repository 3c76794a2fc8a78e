package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
	"strconv"
)

// Wireshark's TCP analysis switches: both on by default, as in Wireshark.
var (
	prefTCPAnalyze = prefs.Register(prefs.Switch{Name: "tcp.analyze_sequence_numbers", Default: 1,
		Desc: []string{"Make the TCP dissector analyze TCP sequence numbers to find and flag segment retransmissions, missing segments and RTT"}})
	prefTCPRelSeq = prefs.Register(prefs.Switch{Name: "tcp.relative_sequence_numbers", Default: 1,
		Desc: []string{"Make the TCP dissector use relative sequence numbers instead of absolute ones. To use this option you must also enable \"Analyze TCP sequence numbers\". "}})
)

var (
	fTCP = Register(FieldDef{Name: "tcp", Label: "Transmission Control Protocol", Type: FTProtocol,
		// B: the header; U: relative seq | segment length << 32; Aux: relative ack | 1<<32 when ACK is set
		Display: func(f *Field) string {
			s := fmt.Sprintf("Transmission Control Protocol, Src Port: %d, Dst Port: %d", binary.BigEndian.Uint16(f.B), binary.BigEndian.Uint16(f.B[2:]))
			if len(f.B) < 20 {
				return s
			}
			s += fmt.Sprintf(", Seq: %d", f.U&0xffffffff)
			if f.Aux>>32 != 0 {
				s += fmt.Sprintf(", Ack: %d", f.Aux&0xffffffff)
			}
			return s + fmt.Sprintf(", Len: %d", f.U>>32)
		}})
	fTCPSrcPort = Register(FieldDef{Name: "tcp.srcport", Label: "Source Port", Type: FTUint})
	fTCPDstPort = Register(FieldDef{Name: "tcp.dstport", Label: "Destination Port", Type: FTUint})
	fTCPPort    = Register(FieldDef{Name: "tcp.port", Label: "Source or Destination Port", Type: FTUint})
	fTCPStream  = Register(FieldDef{Name: "tcp.stream", Label: "Stream index", Type: FTUint})
	fTCPLen     = Register(FieldDef{Name: "tcp.len", Label: "TCP Segment Len", Type: FTUint})
	fTCPSeq     = Register(FieldDef{Name: "tcp.seq", Label: "Sequence Number", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Sequence Number: %d    (relative sequence number)", f.U) }})
	fTCPSeqRaw = Register(FieldDef{Name: "tcp.seq_raw", Label: "Sequence Number (raw)", Type: FTUint})
	fTCPNxtSeq = Register(FieldDef{Name: "tcp.nxtseq", Label: "Next Sequence Number", Type: FTUint,
		Display: func(f *Field) string {
			return fmt.Sprintf("[Next Sequence Number: %d    (relative sequence number)]", f.U)
		}})
	fTCPAck = Register(FieldDef{Name: "tcp.ack", Label: "Acknowledgment Number", Type: FTUint,
		Display: func(f *Field) string {
			if f.Aux == 1 {
				return fmt.Sprintf("Acknowledgment Number: %d    (relative ack number)", f.U)
			}
			return fmt.Sprintf("Acknowledgment Number: %d", f.U)
		}})
	fTCPAckRaw = Register(FieldDef{Name: "tcp.ack_raw", Label: "Acknowledgment number (raw)", Type: FTUint})
	fTCPHdrLen = Register(FieldDef{Name: "tcp.hdr_len", Label: "Header Length", Type: FTUint,
		Display: func(f *Field) string {
			return bitPattern(f.U/4, 0xf0, 8) + fmt.Sprintf(" = Header Length: %d bytes (%d)", f.U, f.U/4)
		}})
	fTCPFlags = Register(FieldDef{Name: "tcp.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 16, Bitmask: 0x0fff,
		Display: func(f *Field) string { return fmt.Sprintf("Flags: 0x%03x (%s)", f.U, tcpFlagNames(uint16(f.U))) }})
	fTCPFlagRes  = Register(FieldDef{Name: "tcp.flags.res", Label: "Reserved", Type: FTBool, Bits: 12, Bitmask: 0xe00, Display: flagLine})
	fTCPFlagAE   = Register(FieldDef{Name: "tcp.flags.ae", Label: "Accurate ECN", Type: FTBool, Bits: 12, Bitmask: 0x100, Display: flagLine})
	fTCPFlagCWR  = Register(FieldDef{Name: "tcp.flags.cwr", Label: "Congestion Window Reduced", Type: FTBool, Bits: 12, Bitmask: 0x080, Display: flagLine})
	fTCPFlagECE  = Register(FieldDef{Name: "tcp.flags.ece", Label: "ECN-Echo", Type: FTBool, Bits: 12, Bitmask: 0x040, Display: flagLine})
	fTCPFlagURG  = Register(FieldDef{Name: "tcp.flags.urg", Label: "Urgent", Type: FTBool, Bits: 12, Bitmask: 0x020, Display: flagLine})
	fTCPFlagACK  = Register(FieldDef{Name: "tcp.flags.ack", Label: "Acknowledgment", Type: FTBool, Bits: 12, Bitmask: 0x010, Display: flagLine})
	fTCPFlagPSH  = Register(FieldDef{Name: "tcp.flags.push", Label: "Push", Type: FTBool, Bits: 12, Bitmask: 0x008, Display: flagLine})
	fTCPFlagRST  = Register(FieldDef{Name: "tcp.flags.reset", Label: "Reset", Type: FTBool, Bits: 12, Bitmask: 0x004, Display: flagLine})
	fTCPFlagSYN  = Register(FieldDef{Name: "tcp.flags.syn", Label: "Syn", Type: FTBool, Bits: 12, Bitmask: 0x002, Display: flagLine})
	fTCPFlagFIN  = Register(FieldDef{Name: "tcp.flags.fin", Label: "Fin", Type: FTBool, Bits: 12, Bitmask: 0x001, Display: flagLine})
	fTCPFlagsStr = Register(FieldDef{Name: "tcp.flags.str", Label: "TCP Flags", Type: FTString,
		Format: func(f *Field) string { return tcpFlagsStr(uint16(f.U)) }})
	fTCPWinVal  = Register(FieldDef{Name: "tcp.window_size_value", Label: "Window", Type: FTUint})
	fTCPWin     = Register(FieldDef{Name: "tcp.window_size", Label: "Calculated window size", Type: FTUint})
	fTCPUrgPtr  = Register(FieldDef{Name: "tcp.urgent_pointer", Label: "Urgent Pointer", Type: FTUint})
	fTCPOptions = Register(FieldDef{Name: "tcp.options", Label: "Options", Type: FTBytes,
		Display: tcpOptionsLine})
	fTCPOptKind     = Register(FieldDef{Name: "tcp.option_kind", Label: "Kind", Type: FTUint, Values: tcpKindNames})
	fTCPOptLen      = Register(FieldDef{Name: "tcp.option_len", Label: "Length", Type: FTUint})
	fTCPOpt         = Register(FieldDef{Name: "tcp.option", Label: "TCP Option", Type: FTNone, Display: tcpOptLine})
	fTCPMSS         = Register(FieldDef{Name: "tcp.options.mss_val", Label: "MSS Value", Type: FTUint})
	fTCPWScale      = Register(FieldDef{Name: "tcp.options.wscale.shift", Label: "Shift count", Type: FTUint})
	fTCPSackPerm    = Register(FieldDef{Name: "tcp.options.sack_perm", Label: "TCP SACK Permitted Option", Type: FTNone})
	fTCPTSval       = Register(FieldDef{Name: "tcp.options.timestamp.tsval", Label: "Timestamp value", Type: FTUint})
	fTCPTSecr       = Register(FieldDef{Name: "tcp.options.timestamp.tsecr", Label: "Timestamp echo reply", Type: FTUint})
	fTCPSackLE      = Register(FieldDef{Name: "tcp.options.sack_le", Label: "left edge", Type: FTUint})
	fTCPSackRE      = Register(FieldDef{Name: "tcp.options.sack_re", Label: "right edge", Type: FTUint})
	fRetransmitsBad = Register(FieldDef{Name: "wirelens.retransmits_bad", Label: "Retransmits a segment with a bad checksum", Type: FTUint,
		Display: func(f *Field) string {
			return fmt.Sprintf("[wirelens: retransmits frame %d, whose TCP checksum was bad: the receiver dropped it, so the damage was real]", f.U)
		}})
	fTCPSegData = Register(FieldDef{Name: "tcp.segment_data", Label: "TCP segment data", Type: FTBytes,
		Display: func(f *Field) string {
			return fmt.Sprintf("TCP segment data (%d byte%s)", len(f.B), plural(len(f.B), "", "s"))
		}})
	fTCPPayload = Register(FieldDef{Name: "tcp.payload", Label: "TCP payload", Type: FTBytes,
		Display: func(f *Field) string {
			return fmt.Sprintf("TCP payload (%d byte%s)", len(f.B), plural(len(f.B), "", "s"))
		}})
	fTCPBogusHdr = Register(FieldDef{Name: "tcp.bogus_header_length", Label: "Bogus TCP header length", Type: FTNone})

	tcpCsum = registerChecksum(ChecksumProto{Name: "tcp", Title: "TCP", Label: "TCP", Order: 20}, prefs.Switch{
		Name: "tcp.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)", wiresharkOff}})
	tcpChecksum = newChecksumDefs(tcpCsum, "Checksum", "Checksum Status", `(maybe caused by "TCP checksum offload"?)`, "[unverified]", calcSibling)
)

var tcpOptNames = map[uint64]string{0: "End of Option List (EOL)", 1: "No-Operation (NOP)", 2: "Maximum Segment Size", 3: "Window Scale",
	4: "SACK Permitted", 5: "SACK", 8: "Time Stamp Option", 28: "User Timeout", 29: "TCP Authentication Option", 30: "Multipath TCP", 34: "TCP Fast Open Cookie"}

func tcpFlagNames(f uint16) string {
	var s []byte
	for _, n := range []struct {
		bit  uint16
		name string
	}{{0x001, "FIN"}, {0x002, "SYN"}, {0x004, "RST"}, {0x008, "PSH"}, {0x010, "ACK"}, {0x020, "URG"}, {0x040, "ECE"}, {0x080, "CWR"}, {0x100, "AE"}} {
		if f&n.bit != 0 {
			if len(s) > 0 {
				s = append(s, ", "...)
			}
			s = append(s, n.name...)
		}
	}
	if len(s) == 0 {
		return "<None>"
	}
	return string(s)
}

// tcpChecksumFFFF shows a 0xffff checksum where 0x0000 is due, laid out
// as tshark does: the calculated value beneath the checksum, the RFC 1624
// warning beneath the status.
func tcpChecksumFFFF(b *builder, off int) *Checksum {
	f := b.addU(tcpChecksum.value, off, 2, 0xffff)
	f.Aux = uint64(StatusBad) << 32
	f.Text = "Checksum: 0xffff [should be 0x0000 (see RFC 1624)]"
	b.depth++
	b.addU(tcpChecksum.calc, off, 2, 0).Generated = true
	b.depth--
	b.addU(tcpChecksum.status, off, 0, uint64(StatusBad)).Generated = true
	b.depth++
	b.expert(fExpertChecksum, off, 2, "[Expert Info (Warning/Checksum): TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)]")
	b.depth--
	b.d.Checksums = append(b.d.Checksums, Checksum{Proto: "tcp", Value: 0xffff, Calculated: 0, Status: StatusBad, Offset: off, Length: 2})
	return &b.d.Checksums[len(b.d.Checksums)-1]
}

// tcpKindNames are the names of the Kind values (tshark's tcp.option_kind);
// the option lines use the longer tcpOptNames.
var tcpKindNames = map[uint64]string{0: "End of Option List", 1: "No-Operation", 2: "Maximum Segment Size", 3: "Window Scale",
	4: "SACK Permitted", 5: "SACK", 8: "Time Stamp Option", 28: "User Timeout", 29: "TCP Authentication Option", 30: "Multipath TCP", 34: "TCP Fast Open Cookie"}

// tcpOptShort are the option names tshark lists on the "Options:" line.
var tcpOptShort = map[byte]string{0: "End of Option List (EOL)", 1: "No-Operation (NOP)", 2: "Maximum segment size", 3: "Window scale",
	4: "SACK permitted", 5: "SACK", 8: "Timestamps"}

// tcpOptionsLine is "Options: (20 bytes), Maximum segment size, SACK
// permitted, ...", built from the option bytes.
func tcpOptionsLine(f *Field) string {
	s := fmt.Sprintf("Options: (%d bytes)", len(f.B))
	o := f.B
	for i := 0; i < len(o); {
		kind := o[i]
		name, ok := tcpOptShort[kind]
		if !ok {
			name = fmt.Sprintf("Unknown (%d)", kind)
		}
		s += ", " + name
		if kind == 0 {
			break
		}
		if kind == 1 {
			i++
			continue
		}
		if i+1 >= len(o) || o[i+1] < 2 {
			break
		}
		i += int(o[i+1])
	}
	return s
}

// tcpOptLine is the "TCP Option - ..." line; B holds the option's bytes.
func tcpOptLine(f *Field) string {
	o := f.B
	kind := o[0]
	switch {
	case kind == 2 && len(o) == 4:
		return fmt.Sprintf("TCP Option - Maximum segment size: %d bytes", binary.BigEndian.Uint16(o[2:]))
	case kind == 3 && len(o) == 3:
		return fmt.Sprintf("TCP Option - Window scale: %d (multiply by %d)", o[2], 1<<min(o[2], 14))
	case kind == 4 && len(o) == 2:
		return "TCP Option - SACK permitted"
	case kind == 8 && len(o) == 10:
		return fmt.Sprintf("TCP Option - Timestamps: TSval %d, TSecr %d", binary.BigEndian.Uint32(o[2:]), binary.BigEndian.Uint32(o[6:]))
	}
	name, ok := tcpOptNames[uint64(kind)]
	if !ok {
		name = fmt.Sprintf("Unknown (%d)", kind)
	}
	return "TCP Option - " + name
}

// tcpFlagsStr is Wireshark's [TCP Flags: ··········S·] picture.
func tcpFlagsStr(f uint16) string {
	const letters = "RRRACEUAPRSF"
	out := make([]rune, 12)
	for i := 0; i < 12; i++ {
		if f&(1<<(11-i)) != 0 {
			out[i] = rune(letters[i])
		} else {
			out[i] = '·'
		}
	}
	return string(out)
}

func dissectTCP(b *builder, off, end int) {
	b.addProtocol("tcp")
	if b.ds.Summary {
		b.proto = "TCP"
	}
	d := b.data[off:]
	if len(d) < 20 {
		if b.inQuote && len(d) >= 8 {
			tcpQuoted(b, off, d)
			return
		}
		b.malformed("TCP", off, fmt.Sprintf("header cut short: %d of 20 bytes captured", len(d)))
		return
	}
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	seq, ack := binary.BigEndian.Uint32(d[4:]), binary.BigEndian.Uint32(d[8:])
	hl := int(d[12]>>4) * 4
	flags := binary.BigEndian.Uint16(d[12:]) & 0x0fff
	win := binary.BigEndian.Uint16(d[14:])
	value := binary.BigEndian.Uint16(d[16:])
	urg := binary.BigEndian.Uint16(d[18:])
	segLen := b.payloadLen - hl
	if segLen < 0 {
		segLen = 0
	}

	convp := b.tcpSlot()
	*convp = b.ds.conv.tcp(b, sport, dport, seq, ack, flags)
	conv := convp
	b.tcp = convp
	if !b.inQuote {
		b.tcpSeen++
	}
	b.sport, b.dport = sport, dport
	// Sequence analysis, before anything of this segment is shown, as in
	// dissect_tcp: only for segments whose length is known.
	var an tcpResult
	analyzed := false
	if b.netSrc != nil && !b.inQuote && !b.fragmented && b.payloadLen >= hl && hl >= 20 && b.ds.Prefs.On(prefTCPAnalyze) {
		an, analyzed = b.ds.conv.tcpAnalyze(b, convp, tcpSeqIn{frame: uint32(b.fr.Number), ts: b.fr.Record.Timestamp,
			seq: seq, ack: ack, seglen: uint32(segLen), flags: flags, window: uint32(win), newConv: conv.fresh})
	}
	rseq, rack := seq-conv.fwdBase, ack-conv.revBase
	nxt := rseq + uint32(segLen)
	if flags&0x003 != 0 {
		nxt++
	}
	hdrEnd := hl
	if hdrEnd > len(d) {
		hdrEnd = len(d)
	}
	root := b.open(fTCP, off, hdrEnd)
	root.B = d[:20]
	root.U = uint64(rseq) | uint64(segLen)<<32
	root.Aux = uint64(rack)
	if flags&0x010 != 0 {
		root.Aux |= 1 << 32
	}
	b.addU(fTCPSrcPort, off, 2, uint64(sport))
	b.addU(fTCPDstPort, off+2, 2, uint64(dport))
	b.addHidden(fTCPPort, off, 2, uint64(sport))
	b.addHidden(fTCPPort, off+2, 2, uint64(dport))
	b.addU(fTCPStream, off, 0, uint64(conv.index)).Generated = true
	if analyzed {
		b.addU(fTCPCompleteness, off, 0, uint64(an.completeness)).Generated = true
	}
	b.addU(fTCPLen, off, 0, uint64(segLen)).Generated = true
	b.addU(fTCPSeq, off+4, 4, uint64(rseq))
	b.addU(fTCPSeqRaw, off+4, 4, uint64(seq))
	b.addU(fTCPNxtSeq, off, 0, uint64(nxt)).Generated = true
	if flags&0x010 != 0 {
		b.addU(fTCPAck, off+8, 4, uint64(rack)).Aux = 1
	} else {
		b.addU(fTCPAck, off+8, 4, 0)
	}
	b.addU(fTCPAckRaw, off+8, 4, uint64(ack))
	if flags&thACK == 0 && ack != 0 && !b.inQuote {
		b.depth++
		b.expert(fTCPAckNonzero, off+8, 4, "[Expert Info (Note/Protocol): "+fTCPAckNonzero.Label+"]")
		b.depth--
	}
	b.addU(fTCPHdrLen, off+12, 1, uint64(hl))
	if hl < 20 {
		b.expert(fTCPBogusHdr, off+12, 1, fmt.Sprintf("[Bogus TCP header length (%d, must be at least 20)]", hl))
		b.close()
		b.malformed("TCP", off+12, fmt.Sprintf("bogus header length %d", hl))
		return
	}
	b.addU(fTCPFlags, off+12, 2, uint64(flags))
	b.depth++
	b.addU(fTCPFlagRes, off+12, 2, uint64(flags>>9&7))
	for i, def := range []*FieldDef{fTCPFlagAE, fTCPFlagCWR, fTCPFlagECE, fTCPFlagURG, fTCPFlagACK, fTCPFlagPSH, fTCPFlagRST, fTCPFlagSYN, fTCPFlagFIN} {
		b.addU(def, off+12, 2, uint64(flags>>(8-i)&1))
	}
	b.addU(fTCPFlagsStr, off+12, 2, uint64(flags)).Generated = true
	if !b.inQuote {
		tcpFlagExperts(b, off, flags, sport, dport, analyzed && an.finActive, analyzed)
	}
	b.depth--
	b.addU(fTCPWinVal, off+14, 2, uint64(win))
	scaled := uint64(win)
	if flags&0x002 == 0 && conv.fwdScale >= 0 {
		scaled <<= uint(conv.fwdScale)
	}
	b.addU(fTCPWin, off+14, 2, scaled).Generated = true

	segTotal := b.payloadLen
	reason := b.transportVerdict(tcpCsum, off, segTotal)
	var ck *Checksum
	if reason != "" {
		ck = b.addChecksum(tcpChecksum, off+16, 2, uint32(value), 0, StatusUnverified, reason)
	} else {
		pseudo := b.transportPseudo(6, segTotal)
		st, calc := verify(value, onesSum(b.data[off:off+segTotal], pseudo))
		if st == StatusGood && value == 0xffff {
			// One's complement has two zeros; TCP senders must send
			// 0x0000 (RFC 1624), and tshark calls 0xffff Bad.
			ck = tcpChecksumFFFF(b, off+16)
		} else {
			ck = b.addChecksum(tcpChecksum, off+16, 2, uint32(value), uint32(calc), st, "")
		}
	}
	if segTotal >= 0 && b.netSrc != nil {
		ck.Partial = value == fold(b.transportPseudo(6, segTotal))
	}
	if analyzed && (ck.Status == StatusBad && !ck.Partial && value != 0 || b.ipHdrBad) {
		b.ds.conv.tcpMarkBad(convp, seq, segLen, flags, b.fr.Number)
	}
	b.addU(fTCPUrgPtr, off+18, 2, uint64(urg))

	var optInfo []byte
	if hl > 20 {
		if hl > len(d) {
			b.close()
			b.malformed("TCP", off+20, fmt.Sprintf("options cut short: header length %d, %d bytes captured", hl, len(d)))
			return
		}
		optInfo = tcpOptions(b, off+20, d[20:hl], convp, flags, ack)
	}
	if analyzed {
		if flags&thSYN != 0 && !b.inQuote {
			synack := flags&thACK != 0
			b.ds.conv.tcpLearn(convp, func(a *tcpConvAnalysis, dir int) { a.verifyWinScale(dir, synack) })
		}
		tcpAnalysisTree(b, &an)
	}
	pend := off + hl + segLen
	if pend > len(b.data) {
		pend = len(b.data)
	}
	if segLen > 0 && off+hl < pend {
		b.addB(fTCPPayload, off+hl, pend-off-hl)
	}
	b.close()
	if b.ds.Summary {
		info := make([]byte, 0, 128)
		fence := 0
		if analyzed {
			info = append(info, tcpAnalysisInfo(&an)...)
			fence = len(info) // what an application layer keeps of Info
		}
		info = strconv.AppendUint(info, uint64(sport), 10)
		info = append(info, " → "...)
		info = strconv.AppendUint(info, uint64(dport), 10)
		info = append(info, " ["...)
		info = append(info, tcpFlagNames(flags)...)
		info = append(info, "] Seq="...)
		info = strconv.AppendUint(info, uint64(rseq), 10)
		if flags&0x010 != 0 {
			info = append(info, " Ack="...)
			info = strconv.AppendUint(info, uint64(rack), 10)
		}
		info = append(info, " Win="...)
		info = strconv.AppendUint(info, scaled, 10)
		switch {
		case ck.Status == StatusBad && ck.Value == 0xffff && ck.Calculated == 0:
			info = append(info, " [TCP CHECKSUM 0xFFFF]"...)
		case ck.Status == StatusBad:
			info = append(info, " [TCP CHECKSUM INCORRECT]"...)
		}
		if flags&0x020 != 0 {
			info = append(info, " Urg="...)
			info = strconv.AppendUint(info, uint64(urg), 10)
		}
		info = append(info, " Len="...)
		info = strconv.AppendInt(info, int64(segLen), 10)
		info = append(info, optInfo...)
		b.info = append(b.info[:0], info...)
		b.fence = fence
	}
	if segLen > 0 && off+hl < pend {
		switch {
		case b.inQuote:
			b.addProtocol("data")
			b.depth = 0
			b.addB(fTCPSegData, off+hl, pend-off-hl)
		case analyzed && an.flags&taRetransmission != 0:
			// tshark hands data it has seen before to no dissector
			b.depth = 0
			f := b.addB(fTCPSegData, off+hl, pend-off-hl)
			f.Text = fmt.Sprintf("Retransmitted TCP segment data (%d byte%s)", pend-off-hl, plural(pend-off-hl, "", "s"))
		case analyzed && an.flags&(taSpuriousRetransmission|taOutOfOrder) != 0:
		case !b.tcpPayload(convp, sport, dport, seq, off+hl, pend, analyzed && (ck.Status != StatusBad || value == 0xffff), pend < off+hl+segLen):
			b.depth = 0
			dissectDataRange(b, off+hl, pend)
		}
	}

	if !b.inQuote && b.oversize == 0 {
		// The receiver's MSS bounds every segment on the wire; without a
		// handshake in the capture, the Ethernet MTU does.
		limit := int(conv.mss[1-conv.dir])
		switch {
		case b.ipTSO:
			b.oversize = b.ipTotal
		case limit > 0 && segLen > limit:
			b.oversize = b.ipTotal
		case limit == 0 && b.ipTotal > b.mtu():
			b.oversize = b.ipTotal
		}
	}

}

// tcpQuoted shows the first 8 bytes of a TCP header quoted by an ICMP error:
// ports and sequence number are all RFC 792 promises.
func tcpQuoted(b *builder, off int, d []byte) {
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	b.open(fTCP, off, len(d)).B = d
	b.addU(fTCPSrcPort, off, 2, uint64(sport))
	b.addU(fTCPDstPort, off+2, 2, uint64(dport))
	b.addHidden(fTCPPort, off, 2, uint64(sport))
	b.addHidden(fTCPPort, off+2, 2, uint64(dport))
	b.addU(fTCPSeqRaw, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
	b.close()
}

// tcpDSack says whether the first block of SACK option o is a D-SACK: at
// or below the cumulative ACK, or inside the second block.
func tcpDSack(o []byte, flags uint16, rack uint32) bool {
	le, re := binary.BigEndian.Uint32(o[2:]), binary.BigEndian.Uint32(o[6:])
	ack := rack
	_ = flags
	if len(o) >= 18 {
		le2, re2 := binary.BigEndian.Uint32(o[10:]), binary.BigEndian.Uint32(o[14:])
		if !seqLT(le, le2) && !seqGT(re, re2) {
			return true
		}
	}
	return seqLE(re, ack)
}

func tcpOptions(b *builder, off int, opts []byte, conv *tcpConv, flags uint16, rawAck uint32) []byte {
	rack := rawAck
	var info []byte
	b.addB(fTCPOptions, off, len(opts))
	b.depth++
	for i := 0; i < len(opts); {
		kind := opts[i]
		if kind == 0 || kind == 1 {
			b.open(fTCPOpt, off+i, 1).B = opts[i : i+1]
			b.addU(fTCPOptKind, off+i, 1, uint64(kind))
			b.close()
			i++
			if kind == 0 {
				break
			}
			continue
		}
		if i+1 >= len(opts) || opts[i+1] < 2 || i+int(opts[i+1]) > len(opts) {
			b.expert(fMalformed, off+i, len(opts)-i, "[TCP option length is bogus]")
			break
		}
		l := int(opts[i+1])
		o := opts[i : i+l]
		b.open(fTCPOpt, off+i, l).B = o
		b.addU(fTCPOptKind, off+i, 1, uint64(kind))
		b.addU(fTCPOptLen, off+i+1, 1, uint64(l))
		switch {
		case kind == 2 && l == 4:
			mss := binary.BigEndian.Uint16(o[2:])
			b.addU(fTCPMSS, off+i+2, 2, uint64(mss))
			if flags&0x002 != 0 && !b.inQuote {
				b.ds.conv.setMSS(conv, mss)
			}
			if b.ds.Summary {
				info = fmt.Appendf(info, " MSS=%d", mss)
			}
		case kind == 3 && l == 3:
			b.addU(fTCPWScale, off+i+2, 1, uint64(o[2]))
			if flags&0x002 != 0 && !b.inQuote {
				b.ds.conv.setScale(conv, o[2])
			}
			if b.ds.Summary {
				info = fmt.Appendf(info, " WS=%d", 1<<min(o[2], 14))
			}
		case kind == 4 && l == 2:
			b.add(fTCPSackPerm, off+i, 2)
			if b.ds.Summary {
				info = append(info, " SACK_PERM"...)
			}
		case kind == 8 && l == 10:
			tsval, tsecr := binary.BigEndian.Uint32(o[2:]), binary.BigEndian.Uint32(o[6:])
			b.addU(fTCPTSval, off+i+2, 4, uint64(tsval))
			b.addU(fTCPTSecr, off+i+6, 4, uint64(tsecr))
			if b.ds.Summary {
				info = fmt.Appendf(info, " TSval=%d TSecr=%d", tsval, tsecr)
			}
		case kind == 5 && (l-2)%8 == 0:
			for j := 2; j+8 <= l; j += 8 {
				le := binary.BigEndian.Uint32(o[j:]) - conv.revBase
				re := binary.BigEndian.Uint32(o[j+4:]) - conv.revBase
				if !b.inQuote && !conv.frozen {
					b.ds.conv.tcpLearn(conv, func(a *tcpConvAnalysis, dir int) { a.sack(dir, le, re) })
				}
				b.addU(fTCPSackLE, off+i+j, 4, uint64(le))
				b.addU(fTCPSackRE, off+i+j+4, 4, uint64(re))
				if j == 2 && !b.inQuote && tcpDSack(o, flags, rack) {
					// RFC 2883: the first block reports data received twice
					b.expert(fTCPDSack, off+i+j, 8, "[Expert Info (Warning/Sequence): D-SACK Sequence]")
				}
				if b.ds.Summary {
					info = fmt.Appendf(info, " SLE=%d SRE=%d", le, re)
				}
			}
		}
		b.close()
		i += l
	}
	b.depth--
	return info
}

var _ = ipProtos.register(6, newPayload("tcp", "Transmission Control Protocol", func(b *builder, off int) int {
	dissectTCP(b, off, len(b.data))
	return len(b.data)
}))

// tcpFlagExperts adds the notes tshark hangs on the SYN, FIN and RST flags.
func tcpFlagExperts(b *builder, off int, flags, sport, dport uint16, finActive, analyzed bool) {
	b.depth++
	if flags&thSYN != 0 {
		if flags&thACK != 0 {
			b.expert(fTCPSynAckExpert, off+12, 2, fmt.Sprintf("[Expert Info (Chat/Sequence): Connection establish acknowledge (SYN+ACK): server port %d]", sport))
		} else {
			b.expert(fTCPSynExpert, off+12, 2, fmt.Sprintf("[Expert Info (Chat/Sequence): Connection establish request (SYN): server port %d]", dport))
		}
	}
	if flags&thFIN != 0 {
		b.expert(fTCPFinExpert, off+12, 2, "[Expert Info (Chat/Sequence): Connection finish (FIN)]")
		if analyzed {
			if finActive {
				b.expert(fTCPFinActive, off+12, 2, "[Expert Info (Note/Sequence): "+fTCPFinActive.Label+"]")
			} else {
				b.expert(fTCPFinPassive, off+12, 2, "[Expert Info (Note/Sequence): "+fTCPFinPassive.Label+"]")
			}
		}
	}
	if flags&thRST != 0 {
		b.expert(fTCPRstExpert, off+12, 2, "[Expert Info (Warning/Sequence): Connection reset (RST)]")
	}
	b.depth--
}
