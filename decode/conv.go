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
	badAt [2]map[uint32]int
	// an is Wireshark's sequence analysis state (tcpanalysis.go)
	an *tcpConvAnalysis
	// pdu is the application message being reassembled per direction
	pdu [2]*tcpPDU
	tls *tlsState
	// sshFrom is the frame whose banner told the SSH version
	sshFrom int
	// resolved for the frame being dissected
	fwdBase, revBase uint32
	fwdScale         int8
	dir              int // direction of the frame being dissected
	key              convKey
	frozen           bool // a copy for a frozen dissector: learn nothing into the table
	reused           bool // this SYN reused the ports of an earlier conversation
	fresh            bool // created by this frame (until its analysis has run)
	// last is the capture time of its latest segment, fin the FINs seen
	// each way and rst a reset: when it may be evicted (tcpstreams.go)
	last int64
	fin  [2]bool
	rst  bool
}

// convTable is shared between the dissector that indexes a capture in order
// and the ones that re-dissect frames for the UI, hence the lock.
type convTable struct {
	mu       sync.Mutex
	tcpConvs map[convKey]*tcpConv
	next     int
	reasm    reassembler
	echo     map[echoKey]int
	// results holds what the sequence analysis found for each frame on
	// the in-order pass: random re-dissection reads it back.
	results   tcpResults
	udpConvs  map[convKey]*udpConv
	udpNext   int
	udpDeltas frameStore // per frame: zig(delta) in µs or ns
	// pdus holds, per frame, what reassembly made of its payload
	pdus map[int]pduAction
	// streams has a record of every TCP conversation by stream number,
	// gone4 and gone6 the 4-tuples of those evicted from tcpConvs, and
	// streamOf each frame's stream numbers (tcpstreams.go)
	streams   []tcpStream
	gone4     map[goneKey]uint32
	gone6     map[convKey]uint32
	streamOf  frameStore
	stateBuf  []byte
	maxTS     int64
	lastSweep int64
	evictOff  bool // tests: keep every conversation live, as before eviction
	revivals  int  // conversations brought back from the spill file
	// quic holds the QUIC conversations (quic.go)
	quic     map[convKey]*quicConn
	quicNext int
	// apps is the application protocols' state (appstate.go)
	apps appTable
	// spill takes the per-frame stores' complete pages (spill.go)
	spill spillFile
}

// maxTCPConvs bounds the conversations tracked in full at once: past it
// every idle one is evicted, and if that is not enough (no spill file)
// some are forgotten (their later frames start a new stream).
const maxTCPConvs = 1 << 20

// maxStreamMem bounds the per-frame stream numbers kept for re-dissection.
const maxStreamMem = 256 << 20

// maxBadSeqs bounds the bad segments remembered per direction.
const maxBadSeqs = 4096

// tcpAnalyze runs the sequence analysis for a segment on the in-order
// pass, keeps its result for the frame, and records segments with a bad
// checksum: a receiver drops a segment whose checksum is really wrong, so
// its retransmission confirms corruption on the wire; an offload artifact
// is never retransmitted. Frozen dissections read the kept result.
func (t *convTable) tcpAnalyze(b *builder, c *tcpConv, in tcpSeqIn) (tcpResult, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := b.fr.Number
	if c.frozen {
		return t.results.get(n)
	}
	live := t.tcpConvs[c.key]
	if live == nil || live.an == nil {
		return tcpResult{}, false
	}
	d := c.dir
	r := live.an.analyze(d, in, live.badAt[d])
	if c.reused {
		r.flags |= taReusedPorts
		r.hasTA = true
	}
	if !b.ds.OnePass {
		t.results.s.spill = &t.spill
		t.results.put(n, r)
	}
	return r, true
}

// tcpMarkBad remembers a segment whose checksum is bad with no offload
// pattern, so that its retransmission can be tied to it.
func (t *convTable) tcpMarkBad(c *tcpConv, seq uint32, segLen int, flags uint16, frame int) {
	if c.frozen || (segLen == 0 && flags&(thSYN|thFIN) == 0) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	live := t.tcpConvs[c.key]
	if live == nil {
		return
	}
	d := c.dir
	if live.badAt[d] == nil {
		live.badAt[d] = map[uint32]int{}
	}
	if len(live.badAt[d]) < maxBadSeqs {
		if _, seen := live.badAt[d][seq]; !seen {
			live.badAt[d][seq] = frame
		}
	}
}

// tcpLearn passes a SYN's window-scale option or a segment's SACK blocks
// to the analysis (on the in-order pass only).
func (t *convTable) tcpLearn(c *tcpConv, f func(a *tcpConvAnalysis, dir int)) {
	if c.frozen {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if live := t.tcpConvs[c.key]; live != nil && live.an != nil {
		f(live.an, c.dir)
	}
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
	n := b.fr.Number
	if b.ds.Frozen {
		return t.frozenTCP(b, k, dir)
	}
	ts := b.fr.Record.Timestamp
	learn := !b.inQuote
	if learn && ts > t.maxTS {
		t.maxTS = ts
	}
	if learn && t.maxTS-t.lastSweep > tcpSweepEvery {
		t.sweep(false, nil)
	}
	c := t.tcpConvs[k]
	if c == nil {
		c = t.revive(k)
	}
	reused := false
	if c != nil && !b.inQuote && flags&0x012 == 0x002 && c.baseSet[dir] && c.base[dir] != seq {
		// A new SYN with another ISN on the same ports: Wireshark starts a
		// new conversation and says the ports were reused.
		t.retire(c)
		c, reused = nil, true
	}
	if c == nil {
		c = &tcpConv{index: t.newStream(), scale: [2]int8{-1, -1}, an: &tcpConvAnalysis{}, last: ts}
		t.tcpConvs[k] = c
		c.fresh = true
		if len(t.tcpConvs) > maxTCPConvs {
			t.sweep(true, c)
		}
	}
	if learn {
		c.last = ts
		if flags&thRST != 0 {
			c.rst = true
		}
		if flags&thFIN != 0 {
			c.fin[dir] = true
		}
		if !b.ds.OnePass {
			t.streamOf.limit = maxStreamMem
			t.streamOf.spill = &t.spill
			t.streamOf.putLayer(n, b.tcpSeen, uint64(c.index))
		}
	}
	c.reused = reused
	// Quoted headers in ICMP errors are not part of the conversation.
	// tcp.relative_sequence_numbers:FALSE: the bases stay 0, so the
	// "relative" numbers are the raw ones.
	if learn && !c.baseSet[dir] && b.ds.Prefs.On(prefTCPRelSeq) {
		c.baseSet[dir] = true
		if flags&0x002 != 0 {
			c.base[dir] = seq
		} else {
			c.base[dir] = seq - 1
		}
	}
	if learn && !c.baseSet[1-dir] && flags&0x010 != 0 && b.ds.Prefs.On(prefTCPRelSeq) {
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
	out := *c
	c.fresh = false
	return out
}

// frozenTCP is tcp for a frozen dissection: the conversation the in-order
// pass found for this frame (by its stream number, which outlives the
// conversation's place in the table), resolved for the segment's
// direction, and nothing learnt.
func (t *convTable) frozenTCP(b *builder, k convKey, dir int) tcpConv {
	var c *tcpConv
	if s, ok := t.streamOf.layer(b.fr.Number, b.tcpSeen); ok && !b.inQuote {
		c = t.stream(k, int(s))
	}
	if c == nil {
		c = t.tcpConvs[k]
	}
	if c == nil {
		if s, ok := t.gone(k); ok {
			c = t.stream(k, s)
		}
	}
	var out tcpConv
	if c == nil {
		out = tcpConv{index: t.next, scale: [2]int8{-1, -1}}
	} else {
		out = *c
	}
	out.frozen = true
	out.an = nil
	out.fresh = false
	out.fwdBase, out.revBase = out.base[dir], out.base[1-dir]
	out.fwdScale = out.scale[dir]
	if out.sawSYN[0] && out.sawSYN[1] && out.scale[dir] < 0 {
		out.fwdScale = 0
	}
	out.dir = dir
	out.key = k
	return out
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
		if live.an != nil {
			live.an.setWinScale(c.dir, shift)
		}
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

// tls returns the TLS state of the segment's conversation and its
// direction.
func (t *convTable) tls(b *builder) (tlsState, int) {
	c := b.tcp
	if c == nil {
		return tlsState{}, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if live := t.stream(c.key, c.index); live != nil && live.tls != nil {
		return *live.tls, c.dir
	}
	return tlsState{}, c.dir
}

func (t *convTable) tlsUpdate(b *builder, f func(s *tlsState, dir int)) {
	c := b.tcp
	if c == nil || c.frozen || b.inQuote {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if live := t.tcpConvs[c.key]; live != nil {
		if live.tls == nil {
			live.tls = &tlsState{}
		}
		f(live.tls, c.dir)
	}
}

// tlsCCS records that this direction's records are encrypted after frame.
func (t *convTable) tlsCCS(b *builder, dir int) {
	n := b.fr.Number
	t.tlsUpdate(b, func(s *tlsState, d int) {
		if s.encFrom[d] == 0 {
			s.encFrom[d] = n
		}
	})
}

// tlsVersion records the version a Server Hello chose.
func (t *convTable) tlsVersion(b *builder, v uint16) {
	n := b.fr.Number
	t.tlsUpdate(b, func(s *tlsState, d int) {
		if s.version == 0 {
			s.version, s.versionFrom = v, n
		}
	})
}

// sshVersionKnown says whether an earlier frame of the conversation gave
// the SSH version, and records this one's banner.
func (t *convTable) sshVersionKnown(b *builder, banner bool) bool {
	c := b.tcp
	if c == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	live := t.stream(c.key, c.index)
	if live == nil {
		return false
	}
	if banner && live.sshFrom == 0 && !c.frozen {
		live.sshFrom = b.fr.Number
	}
	return live.sshFrom != 0 && live.sshFrom < b.fr.Number
}
