package decode

// Reassembly of application messages that span TCP segments, as
// Wireshark's desegmentation does for the protocols that ask for it: the
// first segments of a message say "[TCP segment of a reassembled PDU]",
// the last one carries the message's tree, dissected from the reassembled
// bytes. State is built on the in-order pass and bounded; each frame's
// outcome is kept for re-dissection in any order.

// tcpReassembler is what a protocol tells TCP about its messages: pduLen
// gives the length of the message at the start of data (-1 when more is
// needed to know, 0 when data does not start one), firstInfo the Info its
// first segment shows.
type tcpReassembler struct {
	pduLen    func(data []byte) int
	firstInfo func(data []byte) (string, bool)
}

var tcpReassemblers = map[*Payload]tcpReassembler{}

// Bounds: a message is reassembled up to maxPDU bytes (beyond, its
// segments are dissected one by one), and outcomes are kept for at most
// maxPDUFrames frames.
const (
	maxPDU       = 1 << 20
	maxPDUFrames = 1 << 20
)

type tcpPDU struct {
	next  uint32 // sequence number the next segment must start at
	buf   []byte
	total int // -1 while unknown
	p     *Payload
	info  string
}

const (
	pduNone   = iota // dissect the segment by itself
	pduMiddle        // part of a message whose end is still to come
	pduFirst         // starts a message that continues
	pduFinal         // ends a message: buf is the whole of it
)

type pduAction struct {
	kind uint8
	p    *Payload
	buf  []byte
	info string
}

// tcpPDUStep decides what the payload data of this segment is part of.
func (t *convTable) tcpPDUStep(b *builder, c *tcpConv, seq uint32, data []byte, p *Payload) pduAction {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := b.fr.Number
	if c.frozen {
		return t.pdus[n]
	}
	live := t.tcpConvs[c.key]
	if live == nil {
		return pduAction{}
	}
	d := c.dir
	act := pduAction{}
	if pd := live.pdu[d]; pd != nil {
		live.pdu[d] = nil
		if seq == pd.next && len(pd.buf)+len(data) <= maxPDU {
			pd.buf = append(pd.buf, data...)
			pd.next += uint32(len(data))
			if pd.total < 0 {
				pd.total = tcpReassemblers[pd.p].pduLen(pd.buf)
				if pd.total == 0 {
					pd.total = len(pd.buf)
				}
			}
			if pd.total >= 0 && len(pd.buf) >= pd.total {
				act = pduAction{kind: pduFinal, p: pd.p, buf: pd.buf}
			} else {
				live.pdu[d] = pd
				act = pduAction{kind: pduMiddle}
			}
		}
	}
	if act.kind == pduNone && p != nil {
		ra := tcpReassemblers[p]
		if total := ra.pduLen(data); total < 0 || total > len(data) {
			pd := &tcpPDU{next: seq + uint32(len(data)), buf: append([]byte(nil), data...), total: total, p: p}
			pd.info, _ = ra.firstInfo(data)
			live.pdu[d] = pd
			act = pduAction{kind: pduFirst, info: pd.info}
		}
	}
	// Only a re-dissection reads the outcome back: a one-pass run keeps
	// none (each final one holds its whole message).
	if act.kind != pduNone && !b.ds.OnePass {
		if t.pdus == nil {
			t.pdus = map[int]pduAction{}
		}
		if len(t.pdus) < maxPDUFrames {
			t.pdus[n] = act
		}
	}
	return act
}

// reassemblerFor is the protocol the ports select, if it reassembles.
func (b *builder) reassemblerFor(sport, dport uint16, data []byte) *Payload {
	lo, hi := sport, dport
	if lo > hi {
		lo, hi = hi, lo
	}
	for _, port := range [2]uint16{lo, hi} {
		if p := tcpPorts.lookup(b, uint32(port)); p != nil {
			if p == httpPayload && b.http2Conv(data) {
				return nil // HTTP/2 frames are not HTTP/1 messages
			}
			if _, ok := tcpReassemblers[p]; ok && b.wanted(p) {
				return p
			}
			return nil
		}
	}
	if tlsRecordStart(data) && b.wanted(tlsPayload) {
		return tlsPayload // the TLS heuristic
	}
	return nil
}

// tcpPayload dissects a segment's payload [off, end): by itself, or as
// part of a reassembled message. It reports whether a dissector took it.
func (b *builder) tcpPayload(c *tcpConv, sport, dport uint16, seq uint32, off, end int, reassemble, cut bool) bool {
	var act pduAction
	if cut && b.reassemblerFor(sport, dport, b.data[off:end]) != nil {
		// a protocol that reassembles gets nothing from a segment cut by
		// the snap length, and tshark shows no layer for it
		return true
	}
	if reassemble {
		act = b.ds.conv.tcpPDUStep(b, c, seq, b.data[off:end], b.reassemblerFor(sport, dport, b.data[off:end]))
	}
	const suffix = " [TCP segment of a reassembled PDU]"
	switch act.kind {
	case pduMiddle:
		if b.ds.Summary {
			b.appendInfo(suffix)
		}
		return true
	case pduFirst:
		if b.ds.Summary {
			if act.info != "" {
				b.setInfo(act.info + suffix)
			} else {
				b.appendInfo(suffix)
			}
		}
		return true
	case pduFinal:
		saved := b.data
		from := b.mark()
		b.data = act.buf
		act.p.fn(b, 0)
		b.data = saved
		// The fields point into the reassembled bytes, not this frame's.
		for i := from; i < b.mark(); i++ {
			if f := b.at(i); f != &b.scratch {
				f.Offset, f.Length = 0, 0
			}
		}
		return true
	}
	return b.dispatchPorts(tcpPorts, sport, dport, off, end)
}
