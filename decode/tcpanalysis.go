package decode

import (
	"fmt"
)

var (
	fTCPCompleteness = Register(FieldDef{Name: "tcp.completeness", Label: "Conversation completeness", Type: FTUint,
		Display: func(f *Field) string { return "[Conversation completeness: " + completenessText(uint32(f.U)) + "]" }})
	fTCPTimestamps = Register(FieldDef{Name: "tcp.timestamps", Label: "[Timestamps]", Type: FTNone, Display: func(*Field) string { return "[Timestamps]" }})
	fTCPTimeRel    = Register(FieldDef{Name: "tcp.time_relative", Label: "Time since first frame in this TCP stream", Type: FTRelTime})
	fTCPTimeDelta  = Register(FieldDef{Name: "tcp.time_delta", Label: "Time since previous frame in this TCP stream", Type: FTRelTime})
	fTCPAnalysis   = Register(FieldDef{Name: "tcp.analysis", Label: "SEQ/ACK analysis", Type: FTNone, Display: func(*Field) string { return "[SEQ/ACK analysis]" }})
	fTCPAcksFrame  = Register(FieldDef{Name: "tcp.analysis.acks_frame", Label: "This is an ACK to the segment in frame", Type: FTUint})
	fTCPAckRTT     = Register(FieldDef{Name: "tcp.analysis.ack_rtt", Label: "The RTT to ACK the segment was", Type: FTRelTime})
	fTCPInitialRTT = Register(FieldDef{Name: "tcp.analysis.initial_rtt", Label: "iRTT", Type: FTRelTime})
	fTCPBIF        = Register(FieldDef{Name: "tcp.analysis.bytes_in_flight", Label: "Bytes in flight", Type: FTUint})
	fTCPPushBytes  = Register(FieldDef{Name: "tcp.analysis.push_bytes_sent", Label: "Bytes sent since last PSH flag", Type: FTUint})
	fTCPAFlags     = Register(FieldDef{Name: "tcp.analysis.flags", Label: "TCP Analysis Flags", Type: FTNone, Display: func(*Field) string { return "[TCP Analysis Flags]" }})
	fTCPRTO        = Register(FieldDef{Name: "tcp.analysis.rto", Label: "The RTO for this segment was", Type: FTRelTime})
	fTCPRTOFrame   = Register(FieldDef{Name: "tcp.analysis.rto_frame", Label: "RTO based on delta from frame", Type: FTUint})
	// the flag line and the expert note share the name, as in Wireshark
	fTCPDupAck    = tcpExpertDef("tcp.analysis.duplicate_ack", "Duplicate ACK")
	fTCPDupAckNum = Register(FieldDef{Name: "tcp.analysis.duplicate_ack_num", Label: "Duplicate ACK #", Type: FTUint})
	fTCPDupAckFrm = Register(FieldDef{Name: "tcp.analysis.duplicate_ack_frame", Label: "Duplicate to the ACK in frame", Type: FTUint})

	fTCPRetrans  = tcpExpertDef("tcp.analysis.retransmission", "This frame is a (suspected) retransmission")
	fTCPFastRetr = tcpExpertDef("tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission")
	fTCPSpurious = tcpExpertDef("tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission")
	fTCPOOO      = tcpExpertDef("tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment")
	fTCPReused   = tcpExpertDef("tcp.analysis.reused_ports", "A new tcp session is started with the same ports as an earlier session in this trace")
	fTCPLost     = tcpExpertDef("tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)")
	fTCPAckLost  = tcpExpertDef("tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)")
	fTCPWinUpd   = tcpExpertDef("tcp.analysis.window_update", "TCP window update")
	fTCPWinFull  = tcpExpertDef("tcp.analysis.window_full", "TCP window specified by the receiver is now completely full")
	fTCPKA       = tcpExpertDef("tcp.analysis.keep_alive", "TCP keep-alive segment")
	fTCPKAAck    = tcpExpertDef("tcp.analysis.keep_alive_ack", "ACK to a TCP keep-alive segment")
	fTCPZWP      = tcpExpertDef("tcp.analysis.zero_window_probe", "TCP Zero Window Probe")
	fTCPZW       = tcpExpertDef("tcp.analysis.zero_window", "TCP Zero Window segment")
	fTCPZWPAck   = tcpExpertDef("tcp.analysis.zero_window_probe_ack", "ACK to a TCP Zero Window Probe")

	fTCPSynExpert    = tcpExpertDef("tcp.connection.syn", "Connection establish request (SYN)")
	fTCPSynAckExpert = tcpExpertDef("tcp.connection.synack", "Connection establish acknowledge (SYN+ACK)")
	fTCPFinExpert    = tcpExpertDef("tcp.connection.fin", "Connection finish (FIN)")
	fTCPFinActive    = tcpExpertDef("tcp.connection.fin_active", "This frame initiates the connection closing")
	fTCPFinPassive   = tcpExpertDef("tcp.connection.fin_passive", "This frame undergoes the connection closing")
	fTCPRstExpert    = tcpExpertDef("tcp.connection.rst", "Connection reset (RST)")
	fTCPAckNonzero   = tcpExpertDef("tcp.ack.nonzero", "The acknowledgment number field is nonzero while the ACK flag is not set")
	fTCPDSack        = tcpExpertDef("tcp.options.sack.dsack", "D-SACK Sequence")
)

// tcpExpertDef is an expert field: tshark prints "1" for it in -T fields.
func tcpExpertDef(name, label string) *FieldDef {
	return Register(FieldDef{Name: name, Label: label, Type: FTNone, Format: func(*Field) string { return "1" }})
}

func completenessText(v uint32) string {
	var s string
	switch v {
	case 1:
		s = "Incomplete, SYN_SENT"
	case 3:
		s = "Incomplete, CLIENT_ESTABLISHED"
	case 7:
		s = "Incomplete, ESTABLISHED"
	case 15:
		s = "Incomplete, DATA"
	case 31, 47, 63:
		s = "Complete, WITH_DATA"
	case 23, 39, 55:
		s = "Complete, NO_DATA"
	default:
		s = "Incomplete"
	}
	return fmt.Sprintf("%s (%d)", s, v)
}

// tcpAnalysisTree adds the [Timestamps] and [SEQ/ACK analysis] subtrees.
func tcpAnalysisTree(b *builder, r *tcpResult) {
	off := b.mark() // nothing: generated fields cover no bytes
	_ = off
	b.add(fTCPTimestamps, 0, 0).Generated = true
	b.depth++
	b.addU(fTCPTimeRel, 0, 0, uint64(r.rel)).Generated = true
	b.addU(fTCPTimeDelta, 0, 0, uint64(r.delta)).Generated = true
	b.depth--
	if !r.hasTA {
		return
	}
	b.add(fTCPAnalysis, 0, 0).Generated = true
	b.depth++
	if r.ackedFrame != 0 {
		b.addU(fTCPAcksFrame, 0, 0, uint64(r.ackedFrame)).Generated = true
		if r.rtt != 0 {
			b.addU(fTCPAckRTT, 0, 0, uint64(r.rtt)).Generated = true
		}
	}
	if r.firstRTT != 0 {
		b.addU(fTCPInitialRTT, 0, 0, uint64(r.firstRTT)).Generated = true
	}
	if r.bif != 0 {
		b.addU(fTCPBIF, 0, 0, uint64(r.bif)).Generated = true
		b.addU(fTCPPushBytes, 0, 0, uint64(r.push)).Generated = true
	}
	if r.flags != 0 {
		f := r.flags
		b.add(fTCPAFlags, 0, 0).Generated = true
		b.depth++
		ex := func(bit uint32, def *FieldDef, sev string) {
			if f&bit != 0 {
				b.expert(def, 0, 0, "[Expert Info ("+sev+"/Sequence): "+def.Label+"]")
			}
		}
		ex(taReusedPorts, fTCPReused, "Note")
		if f&taRetransmission != 0 {
			ex(taRetransmission, fTCPRetrans, "Note")
			if r.rto != 0 {
				b.addU(fTCPRTO, 0, 0, uint64(r.rto)).Generated = true
				b.addU(fTCPRTOFrame, 0, 0, uint64(r.rtoFrame)).Generated = true
			}
		}
		if f&taFastRetransmission != 0 {
			ex(taFastRetransmission, fTCPFastRetr, "Note")
			ex(taFastRetransmission, fTCPRetrans, "Note")
		}
		if f&taSpuriousRetransmission != 0 {
			ex(taSpuriousRetransmission, fTCPSpurious, "Note")
			ex(taSpuriousRetransmission, fTCPRetrans, "Note")
		}
		ex(taOutOfOrder, fTCPOOO, "Warning")
		ex(taLostPacket, fTCPLost, "Warning")
		ex(taAckLostPacket, fTCPAckLost, "Warning")
		ex(taWindowUpdate, fTCPWinUpd, "Chat")
		ex(taWindowFull, fTCPWinFull, "Warning")
		ex(taKeepAlive, fTCPKA, "Note")
		ex(taKeepAliveAck, fTCPKAAck, "Note")
		if f&taDuplicateAck != 0 && r.dupNum != 0 {
			d := b.add(fTCPDupAck, 0, 0)
			d.Generated, d.Text = true, "[This is a TCP duplicate ack]"
		}
		ex(taZeroWindowProbe, fTCPZWP, "Note")
		ex(taZeroWindow, fTCPZW, "Warning")
		ex(taZeroWindowProbeAck, fTCPZWPAck, "Note")
		b.depth--
		if r.dupNum != 0 {
			b.addU(fTCPDupAckNum, 0, 0, uint64(r.dupNum)).Generated = true
			b.addU(fTCPDupAckFrm, 0, 0, uint64(r.dupFrame)).Generated = true
			b.depth++
			b.expert(fTCPDupAck, 0, 0, fmt.Sprintf("[Expert Info (Note/Sequence): Duplicate ACK (#%d)]", r.dupNum))
			b.depth--
		}
	}
	if r.retransBad != 0 {
		b.addU(fRetransmitsBad, 0, 0, uint64(r.retransBad)).Generated = true
	}
	b.depth--
}

// TCP sequence analysis as Wireshark's tcp_analyze_sequence_number: the
// same checks in the same order, on the same state, so the flags equal
// tshark's. The state lives in the conversation table and is computed on
// the in-order pass; what each frame was found to be is kept per frame
// (tcpResults) for frozen re-dissection in any order.

// Wireshark's TCP_A_* flags.
const (
	taRetransmission = 1 << iota
	taLostPacket
	taAckLostPacket
	taKeepAlive
	taDuplicateAck
	taZeroWindow
	taZeroWindowProbe
	taZeroWindowProbeAck
	taKeepAliveAck
	taOutOfOrder
	taFastRetransmission
	taWindowUpdate
	taWindowFull
	taReusedPorts
	taSpuriousRetransmission
)

// Bounds on cross-frame state: Wireshark's TCP_MAX_UNACKED_SEGMENTS per
// direction, and the memory kept per capture for re-dissection of frames'
// analysis (packed, about 15 bytes a frame: some 50 million frames).
const (
	tcpMaxUnacked   = 10000
	tcpMaxResultMem = 768 << 20
	tcpResultsPage  = 4096
)

type tcpSeg struct {
	frame        uint32
	seq, nextseq uint32
	ts           int64
}

// tcpFlowAnalysis is one direction of a conversation (Wireshark's tcp_flow_t
// with its tcp_analyze_seq_info).
type tcpFlowAnalysis struct {
	baseSeq         uint32
	baseSet         bool
	nextseq         uint32
	nextseqFrame    uint32
	nextseqTime     int64
	maxseqtobeacked uint32
	lastack         uint32
	lastackTime     int64
	window          uint32 // as on the wire, unscaled
	winScale        int8   // -1 unknown, -2 no scaling
	isFirstAck      bool
	lastSegFlags    uint32
	dupacknum       int32
	lastnondupack   uint32
	validBif        bool
	pushBytes       uint32
	pushSetLast     bool
	closing         bool
	numSack         int
	sackL, sackR    [4]uint32
	segs            []tcpSeg // unacked segments, oldest first
}

// tcpConvAnalysis is the per-conversation part (Wireshark's tcp_analysis).
type tcpConvAnalysis struct {
	flow         [2]tcpFlowAnalysis
	tsFirst      int64
	tsPrev       int64
	tsMruSyn     int64
	tsFirstRTT   int64
	firstRTTAt   uint32 // frame from which tsFirstRTT is known
	completeness uint8
	started      bool
}

// tcpResult is what the analysis found for one frame.
type tcpResult struct {
	flags        uint32
	hasTA        bool
	completeness uint8
	ackedFrame   uint32
	bif, push    uint32
	rtt          int64
	delta        int64
	rel          int64
	firstRTT     int64
	dupNum       uint32
	dupFrame     uint32
	rto          int64
	rtoFrame     uint32
	retransBad   uint32 // frame of the bad-checksum segment this one repeats
	finActive    bool   // this FIN initiates the closing
}

func seqGT(a, b uint32) bool { return int32(a-b) > 0 }
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqLE(a, b uint32) bool { return int32(a-b) <= 0 }

// tcpSeqIn describes the segment being analysed.
type tcpSeqIn struct {
	frame    uint32
	ts       int64
	seq, ack uint32
	seglen   uint32
	flags    uint16
	window   uint32 // unscaled
	bad      bool   // a bad checksum with no offload pattern
	newConv  bool
}

const (
	thFIN = 0x01
	thSYN = 0x02
	thRST = 0x04
	thPSH = 0x08
	thACK = 0x10
)

// analyze runs Wireshark's sequence analysis for one segment of direction
// d and returns what it found.
func (a *tcpConvAnalysis) analyze(d int, in tcpSeqIn, badAt map[uint32]int) tcpResult {
	var r tcpResult
	fwd, rev := &a.flow[d], &a.flow[1-d]
	seq, ack, seglen, flags, window := in.seq, in.ack, in.seglen, in.flags, in.window

	// Timestamps relative to the conversation (tcp_calculate_timestamps).
	if !a.started {
		a.started = true
		a.tsFirst, a.tsPrev = in.ts, in.ts
		fwd.winScale, rev.winScale = -1, -1
		fwd.validBif, rev.validBif = true, true
	}
	r.delta = in.ts - a.tsPrev
	a.tsPrev = in.ts
	r.rel = in.ts - a.tsFirst
	r.completeness = a.completeness

	// Conversation completeness, as it stands after this frame.
	switch {
	case in.newConv:
		if flags&(thSYN|thACK) == thSYN {
			a.completeness |= 1
			if seglen > 0 { // TCP Fast Open
				a.completeness |= 8
			}
		}
	default:
		if flags&(thSYN|thACK) == thSYN|thACK {
			a.completeness |= 2
		}
		if flags&(thSYN|thACK) == thACK {
			if seglen > 0 {
				a.completeness |= 8
			} else {
				a.completeness |= 4
			}
		}
		if flags&(thFIN|thACK) == thFIN|thACK {
			a.completeness |= 16
		}
		if flags&thRST != 0 {
			a.completeness |= 32
		}
	}

	if flags&thFIN != 0 {
		r.finActive = a.closing(d)
	}
	if !fwd.baseSet {
		if flags&thSYN != 0 {
			fwd.baseSeq = seq
		} else {
			fwd.baseSeq = seq - 1
		}
		fwd.baseSet = true
	}
	if !rev.baseSet && flags&thACK != 0 {
		rev.baseSeq = ack - 1
		rev.baseSet = true
	}
	if flags&thACK != 0 {
		rev.validBif = true
	}

	ta := uint32(0)
	have := false
	mark := func(f uint32) { ta |= f; have = true }

	switch {
	case seglen == 1 && seq == fwd.nextseq && rev.window == 0:
		mark(taZeroWindowProbe)
		goto finishedFwd
	}
	if window == 0 && flags&(thRST|thFIN|thSYN) == 0 {
		mark(taZeroWindow)
	}
	if fwd.nextseq != 0 && seqGT(seq, fwd.nextseq) && flags&thRST == 0 {
		mark(taLostPacket)
		fwd.validBif = false
	}
	if (seglen == 0 || seglen == 1) && seq == fwd.nextseq-1 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(taKeepAlive)
	}
	if seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextseq && ack == fwd.lastack && flags&(thSYN|thFIN|thRST) == 0 {
		mark(taWindowUpdate)
	}
	if seglen > 0 && rev.winScale != -1 && flags&(thSYN|thFIN|thRST) == 0 {
		shift := uint(0)
		if !rev.isFirstAck && rev.winScale >= 0 {
			shift = uint(rev.winScale)
		}
		if seq+seglen == rev.lastack+(rev.window<<shift) {
			mark(taWindowFull)
		}
	}
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack &&
		rev.lastSegFlags&taKeepAlive != 0 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(taKeepAliveAck)
		goto finishedFwd
	}
	if seglen == 0 && window == 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack &&
		rev.lastSegFlags&taZeroWindowProbe != 0 && flags&(thSYN|thFIN|thRST) == 0 {
		mark(taZeroWindowProbeAck)
		goto finishedFwd
	}
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastack && flags&(thSYN|thFIN|thRST) == 0 {
		fwd.dupacknum++
		mark(taDuplicateAck)
		r.dupNum = uint32(fwd.dupacknum)
		r.dupFrame = fwd.lastnondupack
	}

finishedFwd:
	if ack != fwd.lastack {
		fwd.lastnondupack = in.frame
		fwd.dupacknum = 0
	}
	if rev.maxseqtobeacked != 0 && seqGT(ack, rev.maxseqtobeacked) && flags&thACK != 0 {
		mark(taAckLostPacket)
		rev.maxseqtobeacked = rev.nextseq
	}

	if seglen > 0 || flags&(thSYN|thFIN) != 0 {
		notAdvanced := fwd.nextseq != 0 && seqLT(seq, fwd.nextseq)
		if ta&taKeepAlive != 0 {
			goto finishedRetrans
		}
		if seglen > 1 && fwd.nextseq-1 == seq {
			notAdvanced = false
		}
		if seglen > 0 && rev.lastack != 0 && seqLE(seq+seglen, rev.lastack) {
			mark(taSpuriousRetransmission)
			goto finishedRetrans
		}
		if notAdvanced && rev.dupacknum >= 2 && rev.lastack == seq && in.ts-rev.lastackTime < 20000000 {
			mark(taFastRetransmission)
			goto finishedRetrans
		}
		thres := int64(3000000)
		if a.tsFirstRTT != 0 {
			thres = a.tsFirstRTT
		}
		synfin := uint32(0)
		if flags&(thSYN|thFIN) != 0 {
			synfin = 1
		}
		if notAdvanced && in.ts-fwd.nextseqTime < thres && fwd.nextseq != seq+seglen+synfin {
			mark(taOutOfOrder)
			goto finishedRetrans
		}
		if notAdvanced {
			mark(taRetransmission)
			r.rto = in.ts - fwd.nextseqTime
			r.rtoFrame = fwd.nextseqFrame
			if len(fwd.segs) > 0 {
				// the eldest unacked segment, likely the one sent again
				r.rto = in.ts - fwd.segs[0].ts
				r.rtoFrame = fwd.segs[0].frame
			}
		}
	}

finishedRetrans:
	if ta&(taRetransmission|taFastRetransmission|taSpuriousRetransmission) != 0 && badAt != nil {
		r.retransBad = uint32(badAt[seq])
	}
	nextseq := seq + seglen
	if seglen > 0 || flags&(thSYN|thFIN) != 0 {
		if flags&(thSYN|thFIN) != 0 {
			nextseq++
		}
		if len(fwd.segs) < tcpMaxUnacked {
			fwd.segs = append(fwd.segs, tcpSeg{frame: in.frame, seq: seq, nextseq: nextseq, ts: in.ts})
		}
	}
	if seqGT(nextseq, fwd.nextseq) || fwd.nextseq == 0 {
		if ta&taZeroWindowProbe == 0 {
			fwd.nextseq = nextseq
			fwd.nextseqFrame = in.frame
			fwd.nextseqTime = in.ts
		}
	}
	if seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0 {
		if ta&taZeroWindowProbe == 0 {
			fwd.maxseqtobeacked = fwd.nextseq
		}
	}
	fwd.window = window
	fwd.lastack = ack
	fwd.lastackTime = in.ts
	fwd.lastSegFlags = ta

	// Remove what this ACKs from the other direction's unacked list.
	// Wireshark walks the list newest first and keeps the last exact
	// match: the oldest segment ending at ack gives the RTT.
	kept := rev.segs[:0]
	for _, s := range rev.segs {
		switch {
		case ack == s.nextseq:
			if r.ackedFrame == 0 {
				have = true
				r.ackedFrame = s.frame
				r.rtt = in.ts - s.ts
			}
			continue
		case seqGT(ack, s.seq) && seqLE(ack, s.nextseq):
			s.seq = ack
			kept = append(kept, s)
		case seqGT(s.nextseq, ack):
			kept = append(kept, s)
		}
	}
	rev.segs = kept

	// Bytes in flight, from the unacked segments (the default method).
	if seglen != 0 && len(fwd.segs) > 0 && fwd.validBif {
		first, last := fwd.segs[0].seq-fwd.baseSeq, fwd.segs[0].nextseq-fwd.baseSeq
		for _, s := range fwd.segs {
			if s.nextseq-fwd.baseSeq > last {
				last = s.nextseq - fwd.baseSeq
			}
			if s.seq-fwd.baseSeq < first {
				first = s.seq - fwd.baseSeq
			}
		}
		inFlight := last - first
		for i := 0; i < rev.numSack; i++ {
			inFlight -= rev.sackR[i] - rev.sackL[i]
		}
		if inFlight > 0 && inFlight < 2000000000 {
			have = true
			r.bif = inFlight
			if flags&(thSYN|thFIN) != 0 {
				r.bif--
			}
		}
		switch {
		case flags&thPSH != 0 && !fwd.pushSetLast:
			fwd.pushBytes += seglen
			fwd.pushSetLast = true
		case flags&thPSH != 0:
			fwd.pushBytes = seglen
		case fwd.pushSetLast:
			fwd.pushBytes = seglen
			fwd.pushSetLast = false
		default:
			fwd.pushBytes += seglen
		}
		have = true
		r.push = fwd.pushBytes
	}
	r.flags = ta
	r.hasTA = have

	// After the analysis, as dissect_tcp goes on: SYN bookkeeping and the
	// initial RTT.
	if flags&thSYN != 0 {
		if flags&thACK == 0 {
			a.tsMruSyn = in.ts
		}
		fwd.isFirstAck = true
	}
	if flags&(thSYN|thACK) == thACK && a.tsMruSyn != 0 && a.tsFirstRTT == 0 {
		a.tsFirstRTT = in.ts - a.tsMruSyn
		a.firstRTTAt = in.frame
	}
	if flags&(thSYN|thACK) == thACK {
		fwd.isFirstAck = false
	}
	r.firstRTT = a.tsFirstRTT
	fwd.numSack = 0
	return r
}

// sack records the SACK blocks of this segment (relative edges do not
// matter: only their widths are used).
func (a *tcpConvAnalysis) sack(d int, left, right uint32) {
	f := &a.flow[d]
	if f.numSack < len(f.sackL) {
		f.sackL[f.numSack], f.sackR[f.numSack] = left, right
		f.numSack++
	}
}

// setWinScale is the window-scale option of a SYN.
func (a *tcpConvAnalysis) setWinScale(d int, shift uint8) {
	if shift > 14 {
		shift = 14
	}
	a.flow[d].winScale = int8(shift)
}

// verifyWinScale is Wireshark's verify_tcp_window_scaling, after a SYN.
func (a *tcpConvAnalysis) verifyWinScale(d int, synack bool) {
	fwd, rev := &a.flow[d], &a.flow[1-d]
	if fwd.winScale == -1 {
		fwd.winScale, rev.winScale = -2, -2
	} else if synack && rev.winScale == -2 {
		fwd.winScale = -2
	}
}

// closing says whether this FIN starts the closing (the other side has not
// sent one yet) and remembers it.
func (a *tcpConvAnalysis) closing(d int) bool {
	if a.flow[1-d].closing {
		return false
	}
	a.flow[d].closing = true
	return true
}

// The analysis's Info tags, in the order tshark prepends them: each is put
// in front of what is there, so the last one printed comes first.
func tcpAnalysisInfo(r *tcpResult) string {
	f := r.flags
	var tags []string
	add := func(bit uint32, s string) {
		if f&bit != 0 {
			tags = append(tags, s)
		}
	}
	add(taReusedPorts, "[TCP Port numbers reused] ")
	add(taRetransmission, "[TCP Retransmission] ")
	add(taFastRetransmission, "[TCP Fast Retransmission] ")
	add(taSpuriousRetransmission, "[TCP Spurious Retransmission] ")
	add(taOutOfOrder, "[TCP Out-Of-Order] ")
	add(taLostPacket, "[TCP Previous segment not captured] ")
	add(taAckLostPacket, "[TCP ACKed unseen segment] ")
	add(taWindowUpdate, "[TCP Window Update] ")
	add(taWindowFull, "[TCP Window Full] ")
	add(taKeepAlive, "[TCP Keep-Alive] ")
	add(taKeepAliveAck, "[TCP Keep-Alive ACK] ")
	if f&taDuplicateAck != 0 && r.dupNum != 0 {
		tags = append(tags, fmt.Sprintf("[TCP Dup ACK %d#%d] ", r.dupFrame, r.dupNum))
	}
	add(taZeroWindowProbe, "[TCP ZeroWindowProbe] ")
	add(taZeroWindow, "[TCP ZeroWindow] ")
	add(taZeroWindowProbeAck, "[TCP ZeroWindowProbeAck] ")
	s := ""
	for _, t := range tags {
		s = t + s
	}
	return s
}
