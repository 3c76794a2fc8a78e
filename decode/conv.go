package decode

import "sync"

// The conversation table gives TCP what Wireshark derives from earlier
// frames: the stream index, the relative sequence base of each direction
// and the window scale from the handshake. Frames must first be dissected in
// capture order (the batch loop and the indexer do that); later random
// re-dissection then finds the same state.

type convKey struct {
	a, b   [16]byte
	pa, pb uint16
}

type tcpConv struct {
	index int
	// base sequence numbers for the a->b and b->a directions
	base    [2]uint32
	baseSet [2]bool
	// window scale shift per direction; -1 unknown
	scale  [2]int8
	sawSYN [2]bool
	// MSS announced on each direction's SYN; 0 unknown
	mss [2]uint16
	// highest sequence number sent so far per direction, and the frames
	// whose segments had a bad TCP checksum, by sequence number
	next    [2]uint32
	nextSet [2]bool
	badAt   [2]map[uint32]int
	// resolved for the frame being dissected
	fwdBase, revBase uint32
	fwdScale         int8
	dir              int // direction of the frame being dissected
	key              convKey
	frozen           bool // a copy for a frozen dissector: learn nothing into the table
}

// convTable is shared between the dissector that indexes a capture in order
// and the ones that re-dissect frames for the UI, hence the lock.
type convTable struct {
	mu       sync.Mutex
	tcpConvs map[convKey]*tcpConv
	next     int
	reasm    reassembler
	echo     map[echoKey]int
	// retrans holds, for each frame found to be a retransmission on the
	// in-order pass, the frame it repeats when that one had a bad TCP
	// checksum (0 otherwise): random re-dissection reads it back.
	retrans map[int]int
}

// maxBadSeqs bounds the bad segments remembered per direction.
const maxBadSeqs = 4096

// tcpSequence records a segment and says whether it repeats data already
// sent in its direction (a retransmission) and, if the segment it repeats
// had a bad checksum, that frame's number. A receiver drops a segment whose
// checksum is really wrong, so its retransmission confirms corruption on
// the wire; an offload artifact is never retransmitted.
func (t *convTable) tcpSequence(b *builder, c *tcpConv, seq uint32, segLen int, flags uint16, bad bool) (retrans bool, orig int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := b.fr.Number
	if c.frozen || b.inQuote {
		o, ok := t.retrans[n]
		return ok, o
	}
	live := t.tcpConvs[c.key]
	if live == nil {
		return false, 0
	}
	d := c.dir
	span := uint32(segLen)
	if flags&0x003 != 0 {
		span++ // SYN and FIN take a sequence number
	}
	if span > 0 && live.nextSet[d] && int32(seq-live.next[d]) < 0 &&
		!(segLen <= 1 && seq == live.next[d]-1 && flags&0x003 == 0) { // not a keep-alive
		retrans = true
		orig = live.badAt[d][seq]
		if t.retrans == nil {
			t.retrans = map[int]int{}
		}
		t.retrans[n] = orig
	}
	if end := seq + span; !live.nextSet[d] || int32(end-live.next[d]) > 0 {
		live.next[d], live.nextSet[d] = end, true
	}
	if bad && span > 0 {
		if live.badAt[d] == nil {
			live.badAt[d] = map[uint32]int{}
		}
		if len(live.badAt[d]) < maxBadSeqs {
			if _, seen := live.badAt[d][seq]; !seen {
				live.badAt[d][seq] = n
			}
		}
	}
	return retrans, orig
}

// echoKey pairs an ICMP echo reply with its request: the request's
// addresses, identifier and sequence number.
type echoKey struct {
	src, dst [16]byte
	id, seq  uint16
	v6       bool
}

// echoRequest records the first frame that sent this request.
func (t *convTable) echoRequest(k echoKey, frame int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.echo == nil {
		t.echo = map[echoKey]int{}
	}
	if _, ok := t.echo[k]; !ok {
		t.echo[k] = frame
	}
}

// echoReply returns the request frame a reply answers, or 0. Only requests
// seen before the reply count, as in tshark's single pass.
func (t *convTable) echoReply(k echoKey, frame int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, ok := t.echo[k]; ok && n < frame {
		return n
	}
	return 0
}

func addrKey(a []byte) (k [16]byte) {
	copy(k[:], a)
	return k
}

// tcp finds or creates the conversation of this segment and resolves the
// relative bases for it.
func (t *convTable) tcp(b *builder, sport, dport uint16, seq, ack uint32, flags uint16) tcpConv {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tcpConvs == nil {
		t.tcpConvs = map[convKey]*tcpConv{}
	}
	src, dst := addrKey(b.netSrc), addrKey(b.netDst)
	dir := 0
	k := convKey{src, dst, sport, dport}
	if less(dst, dport, src, sport) {
		k = convKey{dst, src, dport, sport}
		dir = 1
	}
	c := t.tcpConvs[k]
	switch {
	case c == nil && b.ds.Frozen:
		c = &tcpConv{index: t.next, scale: [2]int8{-1, -1}}
	case c == nil:
		c = &tcpConv{index: t.next, scale: [2]int8{-1, -1}}
		t.next++
		t.tcpConvs[k] = c
	case b.ds.Frozen:
		cc := *c
		c = &cc
	}
	c.frozen = b.ds.Frozen
	// Quoted headers in ICMP errors are not part of the conversation.
	learn := !b.inQuote
	if learn && !c.baseSet[dir] {
		c.baseSet[dir] = true
		if flags&0x002 != 0 {
			c.base[dir] = seq
		} else {
			c.base[dir] = seq - 1
		}
	}
	if learn && !c.baseSet[1-dir] && flags&0x010 != 0 {
		c.baseSet[1-dir] = true
		c.base[1-dir] = ack - 1
	}
	if learn && flags&0x002 != 0 {
		c.sawSYN[dir] = true
	}
	c.fwdBase, c.revBase = c.base[dir], c.base[1-dir]
	c.fwdScale = c.scale[dir]
	if c.sawSYN[0] && c.sawSYN[1] && c.scale[dir] < 0 {
		c.fwdScale = 0
	}
	c.dir = dir
	c.key = k
	return *c
}

// setMSS records the MSS option of a SYN: the largest segment the sender
// of the SYN will accept.
func (t *convTable) setMSS(c *tcpConv, mss uint16) {
	if c.frozen {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if live := t.tcpConvs[c.key]; live != nil {
		live.mss[c.dir] = mss
	}
}

// setScale records a window-scale option seen on a SYN.
func (t *convTable) setScale(c *tcpConv, shift uint8) {
	if c.frozen {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if shift > 14 {
		shift = 14
	}
	if live := t.tcpConvs[c.key]; live != nil {
		live.scale[c.dir] = int8(shift)
	}
}

func less(a [16]byte, pa uint16, b [16]byte, pb uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return pa < pb
}
