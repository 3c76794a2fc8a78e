package decode

import (
	"encoding/binary"
	"errors"
)

// A capture of a busy link opens a TCP conversation every few dozen frames,
// and the sequence analysis of one (tcpConvAnalysis, its unacked segments)
// is about half a kilobyte: kept for the whole capture, the conversations
// would outgrow everything else. So the table holds in full only the
// conversations seen lately. One idle for a while (tcpIdleClosed after
// both FINs or a RST, tcpIdleOpen otherwise, in capture time) is evicted:
// its analysis state goes to the spill file, byte for byte, and what frozen
// re-dissection needs of it stays as a tcpStream (about 50 bytes), with its
// 4-tuple in the gone maps (about 30 bytes for IPv4). A later segment on
// the same ports finds it there and revives it with the state read back,
// so every answer (the stream number, a retransmission seen minutes
// later, a SYN reusing the ports) is the one keeping it live would give.

// tcpStream is what is kept of every TCP conversation, by stream number.
type tcpStream struct {
	base       [2]uint32
	mss        [2]uint16
	scale      [2]int8
	bits       uint8
	tlsVersion uint16
	tlsVerFrom uint32
	tlsEnc     [2]uint32
	sshFrom    uint32
	// the conversation's spilled state, flen bytes at foff (0: none)
	foff int64
	flen uint32
}

const (
	tsBaseSet0 = 1 << iota
	tsBaseSet1
	tsSawSYN0
	tsSawSYN1
	tsTLS
	tsRetired // the record holds the conversation's state (it is not live)
)

// Eviction thresholds, in capture time: TIME_WAIT's 2 MSL is far longer,
// but eviction loses nothing, so it can be early; a revival costs a read.
const (
	tcpIdleClosed = 2e9
	tcpIdleOpen   = 30e9
	tcpSweepEvery = 1e9
)

// goneKey is a 4-tuple of IPv4 addresses, in a third of convKey's bytes.
type goneKey [12]byte

func v4Key(k convKey) (goneKey, bool) {
	var g goneKey
	for i := 4; i < 16; i++ {
		if k.a[i] != 0 || k.b[i] != 0 {
			return g, false
		}
	}
	copy(g[0:4], k.a[:4])
	copy(g[4:8], k.b[:4])
	binary.BigEndian.PutUint16(g[8:], k.pa)
	binary.BigEndian.PutUint16(g[10:], k.pb)
	return g, true
}

// gone is the stream number of the evicted conversation on k.
func (t *convTable) gone(k convKey) (int, bool) {
	if g, ok := v4Key(k); ok {
		s, ok := t.gone4[g]
		return int(s), ok
	}
	s, ok := t.gone6[k]
	return int(s), ok
}

func (t *convTable) setGone(k convKey, s int) {
	if g, ok := v4Key(k); ok {
		if t.gone4 == nil {
			t.gone4 = map[goneKey]uint32{}
		}
		t.gone4[g] = uint32(s)
		return
	}
	if t.gone6 == nil {
		t.gone6 = map[convKey]uint32{}
	}
	t.gone6[k] = uint32(s)
}

func (t *convTable) dropGone(k convKey) {
	if g, ok := v4Key(k); ok {
		delete(t.gone4, g)
		return
	}
	delete(t.gone6, k)
}

// newStream numbers a new conversation.
func (t *convTable) newStream() int {
	t.streams = append(t.streams, tcpStream{})
	t.next++
	return t.next - 1
}

// retire copies what frozen re-dissection needs of c into its stream
// record: c leaves the table (evicted, or replaced by a conversation
// reusing its ports).
func (t *convTable) retire(c *tcpConv) {
	if c.index < 0 || c.index >= len(t.streams) {
		return
	}
	s := &t.streams[c.index]
	s.base, s.mss, s.scale = c.base, c.mss, c.scale
	s.bits = tsRetired
	for d := 0; d < 2; d++ {
		if c.baseSet[d] {
			s.bits |= tsBaseSet0 << d
		}
		if c.sawSYN[d] {
			s.bits |= tsSawSYN0 << d
		}
	}
	if c.tls != nil {
		s.bits |= tsTLS
		s.tlsVersion, s.tlsVerFrom = c.tls.version, uint32(c.tls.versionFrom)
		s.tlsEnc = [2]uint32{uint32(c.tls.encFrom[0]), uint32(c.tls.encFrom[1])}
	}
	s.sshFrom = uint32(c.sshFrom)
}

// fromStream rebuilds a conversation from its stream record (without its
// analysis state).
func (t *convTable) fromStream(index int) *tcpConv {
	s := &t.streams[index]
	c := &tcpConv{index: index, base: s.base, mss: s.mss, scale: s.scale, sshFrom: int(s.sshFrom)}
	for d := 0; d < 2; d++ {
		c.baseSet[d] = s.bits&(tsBaseSet0<<d) != 0
		c.sawSYN[d] = s.bits&(tsSawSYN0<<d) != 0
	}
	if s.bits&tsTLS != 0 {
		c.tls = &tlsState{version: s.tlsVersion, versionFrom: int(s.tlsVerFrom), encFrom: [2]int{int(s.tlsEnc[0]), int(s.tlsEnc[1])}}
	}
	return c
}

// stream is the conversation a frozen dissection of stream index on k
// reads: the live one if it is still that stream, else the record.
func (t *convTable) stream(k convKey, index int) *tcpConv {
	if live := t.tcpConvs[k]; live != nil && live.index == index {
		return live
	}
	if index >= 0 && index < len(t.streams) && t.streams[index].bits&tsRetired != 0 {
		return t.fromStream(index)
	}
	return nil
}

// evict moves the conversation on k to the spill file; false if it stays.
func (t *convTable) evict(k convKey, c *tcpConv) bool {
	if t.evictOff || c.index >= len(t.streams) {
		return false
	}
	rec := appendConvState(t.stateBuf[:0], c)
	t.stateBuf = rec[:0]
	off, ok := t.spill.write(rec)
	if !ok {
		return false
	}
	t.retire(c)
	s := &t.streams[c.index]
	s.foff, s.flen = off, uint32(len(rec))
	delete(t.tcpConvs, k)
	t.setGone(k, c.index)
	return true
}

// revive brings back the evicted conversation on k, or returns nil.
func (t *convTable) revive(k convKey) *tcpConv {
	index, ok := t.gone(k)
	if !ok {
		return nil
	}
	t.dropGone(k)
	t.revivals++
	c := t.fromStream(index)
	s := &t.streams[index]
	c.an = &tcpConvAnalysis{}
	if s.flen > 0 {
		buf := make([]byte, s.flen)
		if err := t.spill.read(buf, s.foff); err == nil {
			readConvState(buf, c)
		}
	}
	s.bits &^= tsRetired
	c.last = t.maxTS
	t.tcpConvs[k] = c
	return c
}

// sweep evicts the conversations idle long enough; force (the table is
// full) evicts every one idle at all, and then forgets some if it must.
// keep is never evicted (the conversation being created).
func (t *convTable) sweep(force bool, keep *tcpConv) {
	t.lastSweep = t.maxTS
	for k, c := range t.tcpConvs {
		idle := t.maxTS - c.last
		if c != keep && (force && idle > 0 || idle > tcpIdleOpen || c.closed() && idle > tcpIdleClosed) {
			t.evict(k, c)
		}
	}
	for k, c := range t.tcpConvs {
		if len(t.tcpConvs) <= maxTCPConvs {
			break
		}
		if c != keep {
			t.retire(c)
			delete(t.tcpConvs, k)
		}
	}
}

func (c *tcpConv) closed() bool {
	return c.rst || c.fin[0] && c.fin[1]
}

// The spilled state: the conversation's sequence analysis, its bad
// segments and its activity, as varints (most fields are small or zero).

func appendConvState(b []byte, c *tcpConv) []byte {
	u := func(v uint64) { b = binary.AppendUvarint(b, v) }
	i := func(v int64) { b = binary.AppendVarint(b, v) }
	bit := func(v bool) uint64 {
		if v {
			return 1
		}
		return 0
	}
	a := c.an
	if a == nil {
		a = &tcpConvAnalysis{}
		u(0)
	} else {
		u(1)
	}
	for d := 0; d < 2; d++ {
		f := &a.flow[d]
		u(uint64(f.baseSeq))
		u(uint64(f.nextseq))
		u(uint64(f.nextseqFrame))
		i(f.nextseqTime)
		u(uint64(f.maxseqtobeacked))
		u(uint64(f.lastack))
		i(f.lastackTime)
		u(uint64(f.window))
		i(int64(f.winScale))
		u(uint64(f.lastSegFlags))
		i(int64(f.dupacknum))
		u(uint64(f.lastnondupack))
		u(uint64(f.pushBytes))
		u(bit(f.baseSet) | bit(f.isFirstAck)<<1 | bit(f.validBif)<<2 | bit(f.pushSetLast)<<3 | bit(f.closing)<<4)
		u(uint64(f.numSack))
		for k := range f.sackL {
			u(uint64(f.sackL[k]))
			u(uint64(f.sackR[k]))
		}
		u(uint64(len(f.segs)))
		for _, s := range f.segs {
			u(uint64(s.frame))
			u(uint64(s.seq))
			u(uint64(s.nextseq))
			i(s.ts)
		}
		u(uint64(len(c.badAt[d])))
		for seq, fr := range c.badAt[d] {
			u(uint64(seq))
			u(uint64(fr))
		}
		// the application message being reassembled, if any
		if pd := c.pdu[d]; pd != nil && pd.p != nil {
			u(1)
			u(uint64(pd.next))
			i(int64(pd.total))
			u(uint64(len(pd.buf)))
			b = append(b, pd.buf...)
			u(uint64(len(pd.info)))
			b = append(b, pd.info...)
			u(uint64(len(pd.p.Name)))
			b = append(b, pd.p.Name...)
		} else {
			u(0)
		}
	}
	i(a.tsFirst)
	i(a.tsPrev)
	i(a.tsMruSyn)
	i(a.tsFirstRTT)
	u(uint64(a.firstRTTAt))
	u(uint64(a.completeness))
	u(bit(a.started) | bit(c.fin[0])<<1 | bit(c.fin[1])<<2 | bit(c.rst)<<3)
	i(c.last)
	return b
}

var errConvState = errors.New("spilled TCP conversation state cut short")

// readConvState restores what appendConvState wrote into c.
func readConvState(b []byte, c *tcpConv) error {
	var err error
	u := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			err = errConvState
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	// binary.Varint's zig-zag form, read through u
	i := func() int64 {
		v := u()
		return int64(v>>1) ^ -int64(v&1)
	}
	hasAn := u() == 1
	a := &tcpConvAnalysis{}
	for d := 0; d < 2; d++ {
		f := &a.flow[d]
		f.baseSeq = uint32(u())
		f.nextseq = uint32(u())
		f.nextseqFrame = uint32(u())
		f.nextseqTime = i()
		f.maxseqtobeacked = uint32(u())
		f.lastack = uint32(u())
		f.lastackTime = i()
		f.window = uint32(u())
		f.winScale = int8(i())
		f.lastSegFlags = uint32(u())
		f.dupacknum = int32(i())
		f.lastnondupack = uint32(u())
		f.pushBytes = uint32(u())
		fl := u()
		f.baseSet, f.isFirstAck, f.validBif, f.pushSetLast, f.closing = fl&1 != 0, fl&2 != 0, fl&4 != 0, fl&8 != 0, fl&16 != 0
		f.numSack = int(u())
		for k := range f.sackL {
			f.sackL[k] = uint32(u())
			f.sackR[k] = uint32(u())
		}
		if n := u(); n > 0 && n <= tcpMaxUnacked {
			f.segs = make([]tcpSeg, n)
			for k := range f.segs {
				f.segs[k] = tcpSeg{frame: uint32(u()), seq: uint32(u()), nextseq: uint32(u()), ts: i()}
			}
		}
		if n := u(); n > 0 && n <= maxBadSeqs {
			c.badAt[d] = make(map[uint32]int, n)
			for ; n > 0; n-- {
				seq := uint32(u())
				c.badAt[d][seq] = int(u())
			}
		}
		if u() == 1 {
			pd := &tcpPDU{next: uint32(u()), total: int(i())}
			bytes := func() []byte {
				n := u()
				if n > uint64(len(b)) {
					err, b = errConvState, nil
					return nil
				}
				v := b[:n:n]
				b = b[n:]
				return v
			}
			pd.buf = append([]byte(nil), bytes()...)
			pd.info = string(bytes())
			name := string(bytes())
			for p := range tcpReassemblers {
				if p.Name == name {
					pd.p = p
				}
			}
			if pd.p != nil {
				c.pdu[d] = pd
			}
		}
	}
	a.tsFirst = i()
	a.tsPrev = i()
	a.tsMruSyn = i()
	a.tsFirstRTT = i()
	a.firstRTTAt = uint32(u())
	a.completeness = uint8(u())
	fl := u()
	a.started = fl&1 != 0
	c.fin, c.rst = [2]bool{fl&2 != 0, fl&4 != 0}, fl&8 != 0
	c.last = i()
	if err != nil {
		return err
	}
	if hasAn {
		c.an = a
	} else {
		c.an = nil
	}
	return nil
}
