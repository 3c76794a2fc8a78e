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
