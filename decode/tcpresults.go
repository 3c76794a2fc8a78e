package decode

import (
	"encoding/binary"
	"math/bits"
)

// tcpResults keeps what the sequence analysis found for each frame, so that
// frozen re-dissection in any order shows the flags, RTT and bytes in flight
// of the in-order pass. A tcpResult is about 100 bytes in memory but mostly
// zeros and small numbers, and a day of a busy link is tens of millions of
// frames, so each result is stored packed (frameStore): a mask of the
// non-zero fields, then those fields as varints, frame references as
// distances back from the frame and times in microseconds when they are
// whole microseconds (pcap files only have microseconds). A typical data
// segment takes about 15 bytes.
type tcpResults struct{ s frameStore }

func (r *tcpResults) put(frame int, v tcpResult) {
	r.s.limit = tcpMaxResultMem
	r.s.put(frame, appendTCPResult(r.s.scratch[:0], uint32(frame), v))
}

func (r *tcpResults) get(frame int) (tcpResult, bool) {
	b, ok := r.s.get(frame, func(b []byte) int {
		_, n := readTCPResult(b, 0)
		return n
	})
	if !ok {
		return tcpResult{}, false
	}
	v, _ := readTCPResult(b, uint32(frame))
	return v, true
}

// frameStore keeps a small self-delimiting record per frame for frozen
// re-dissection. Frames arrive in increasing order on the in-order pass, so
// each page of tcpResultsPage frames is one append-only byte slice; a bitmap
// says which frames have a record and an offset every frameStoreGroup frames
// bounds the records to skip to find one. The few records put out of order
// are kept aside, bounded.
type frameStore struct {
	pages   []*framePage
	last    int
	late    map[int][]byte
	scratch []byte
	// limit bounds the bytes held in memory (0: no limit); held counts them.
	limit, held int
	// spill, when set, takes each page once it is complete (spill.go);
	// cache keeps the few pages read back last.
	spill *spillFile
	cache [spillCache]struct {
		pg   *framePage
		data []byte
	}
	clock int
	// lastOff is where the last frame's record starts in its page, and
	// prevLast the frame before it (for dropLast).
	lastOff, prevLast int
}

const (
	frameStoreGroup = 16
	frameStoreLate  = 1 << 16
	// spillCache pages read back stay cached: the rows on screen span one
	// or two, a pass over the capture reads them in order.
	spillCache = 4
)

type framePage struct {
	data []byte
	set  [tcpResultsPage / 64]uint64
	off  [tcpResultsPage / frameStoreGroup]uint32
	// a spilled page's data is at foff in the spill file, flen bytes
	spilled bool
	foff    int64
	flen    int
}

// put stores rec for frame.
func (s *frameStore) put(frame int, rec []byte) {
	s.scratch = rec[:0]
	if frame <= 0 || (s.limit > 0 && s.held+len(rec) > s.limit) {
		return
	}
	if frame <= s.last {
		if s.late == nil {
			s.late = map[int][]byte{}
		}
		if _, ok := s.late[frame]; ok || len(s.late) < frameStoreLate {
			s.late[frame] = append([]byte(nil), rec...)
			s.held += len(rec) + 48
		}
		return
	}
	p, i := frame/tcpResultsPage, frame%tcpResultsPage
	if lp := s.last / tcpResultsPage; lp < p && lp < len(s.pages) && s.pages[lp] != nil {
		s.complete(s.pages[lp])
	}
	s.prevLast, s.last = s.last, frame
	for len(s.pages) <= p {
		s.pages = append(s.pages, nil)
	}
	pg := s.pages[p]
	if pg == nil {
		pg = &framePage{}
		s.pages[p] = pg
		s.held += len(pg.set)*8 + len(pg.off)*4
	}
	s.held += len(rec)
	// The first record of a group says where the group's records start.
	if g := i / frameStoreGroup; !pg.groupHasAny(g) {
		pg.off[g] = uint32(len(pg.data))
	}
	pg.set[i/64] |= 1 << (i % 64)
	s.lastOff = len(pg.data)
	pg.data = append(pg.data, rec...)
}

// complete is called once no more records go into pg: it moves to the
// spill file, or else gives back what append over-allocated.
func (s *frameStore) complete(pg *framePage) {
	if pg.spilled || len(pg.data) == 0 {
		return
	}
	if off, ok := s.spill.write(pg.data); ok {
		s.held -= len(pg.data)
		pg.spilled, pg.foff, pg.flen = true, off, len(pg.data)
		pg.data = nil
		return
	}
	pg.data = append([]byte(nil), pg.data...)
}

// pageData is pg's records, read back from the spill file if need be.
func (s *frameStore) pageData(pg *framePage) ([]byte, bool) {
	if !pg.spilled {
		return pg.data, true
	}
	for k := range s.cache {
		if s.cache[k].pg == pg {
			return s.cache[k].data, true
		}
	}
	k := s.clock % spillCache
	s.clock++
	c := &s.cache[k]
	buf := c.data[:0]
	if cap(buf) < pg.flen {
		buf = make([]byte, pg.flen)
	}
	buf = buf[:pg.flen]
	c.pg, c.data = nil, buf
	if err := s.spill.read(buf, pg.foff); err != nil {
		return nil, false
	}
	c.pg = pg
	return buf, true
}

func (pg *framePage) groupHasAny(g int) bool {
	w := pg.set[g*frameStoreGroup/64]
	sh := (g * frameStoreGroup) % 64
	return (w>>sh)&(1<<frameStoreGroup-1) != 0
}

// dropLast forgets the record of the last frame put in order, so that it can
// be put again with more in it.
func (s *frameStore) dropLast() {
	p, i := s.last/tcpResultsPage, s.last%tcpResultsPage
	if s.last <= 0 || p >= len(s.pages) || s.pages[p] == nil || s.pages[p].set[i/64]&(1<<(i%64)) == 0 {
		return
	}
	pg := s.pages[p]
	start := s.lastOff
	s.held -= len(pg.data) - start
	pg.data = pg.data[:start]
	pg.set[i/64] &^= 1 << (i % 64)
	s.last = s.prevLast
}

// get returns frame's record (and what follows it in its page).
func (s *frameStore) get(frame int, size func([]byte) int) ([]byte, bool) {
	if frame <= 0 {
		return nil, false
	}
	if v, ok := s.late[frame]; ok {
		return v, true
	}
	p, i := frame/tcpResultsPage, frame%tcpResultsPage
	if p >= len(s.pages) || s.pages[p] == nil {
		return nil, false
	}
	pg := s.pages[p]
	if pg.set[i/64]&(1<<(i%64)) == 0 {
		return nil, false
	}
	g := i / frameStoreGroup
	w := pg.set[g*frameStoreGroup/64] >> ((g * frameStoreGroup) % 64)
	skip := bits.OnesCount64(w & (1<<(i%frameStoreGroup) - 1))
	data, ok := s.pageData(pg)
	if !ok || int(pg.off[g]) > len(data) {
		return nil, false
	}
	data = data[pg.off[g]:]
	for ; skip > 0 && len(data) > 0; skip-- {
		data = data[size(data):]
	}
	return data, true
}

// bytes is the memory the store holds (not what it spilled).
func (s *frameStore) bytes() int {
	n := 0
	for _, pg := range s.pages {
		if pg != nil {
			n += cap(pg.data) + len(pg.set)*8 + len(pg.off)*4
		}
	}
	for _, c := range s.cache {
		n += cap(c.data)
	}
	return n
}

// Mask bits of a packed tcpResult, the ones set on most data segments first
// so that the mask usually fits in two varint bytes.
const (
	rmMicro = 1 << iota // times are in microseconds
	rmDelta
	rmRel
	rmBif
	rmPush
	rmAcked
	rmRTT
	rmCompleteness
	rmFlags
	rmHasTA
	rmFirstRTT
	rmDupNum
	rmDupFrame
	rmRTO
	rmRTOFrame
	rmRetransBad
	rmFinActive
)

func zig(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzig(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func appendTCPResult(b []byte, frame uint32, v tcpResult) []byte {
	var mask uint64
	micro := v.rtt%1000 == 0 && v.delta%1000 == 0 && v.rel%1000 == 0 &&
		v.firstRTT%1000 == 0 && v.rto%1000 == 0
	unit := int64(1)
	if micro {
		mask |= rmMicro
		unit = 1000
	}
	type field struct {
		bit uint64
		u   uint64
	}
	ref := func(x uint32) uint64 { return zig(int64(frame) - int64(x)) }
	fs := [...]field{
		{rmDelta, zig(v.delta / unit)},
		{rmRel, zig(v.rel / unit)},
		{rmBif, uint64(v.bif)},
		{rmPush, uint64(v.push)},
		{rmAcked, uint64(v.ackedFrame)},
		{rmRTT, zig(v.rtt / unit)},
		{rmCompleteness, uint64(v.completeness)},
		{rmFlags, uint64(v.flags)},
		{rmHasTA, b2u(v.hasTA)},
		{rmFirstRTT, zig(v.firstRTT / unit)},
		{rmDupNum, uint64(v.dupNum)},
		{rmDupFrame, uint64(v.dupFrame)},
		{rmRTO, zig(v.rto / unit)},
		{rmRTOFrame, uint64(v.rtoFrame)},
		{rmRetransBad, uint64(v.retransBad)},
		{rmFinActive, b2u(v.finActive)},
	}
	// Frame references are stored as distances back, which are small.
	for k := range fs {
		switch fs[k].bit {
		case rmAcked, rmDupFrame, rmRTOFrame, rmRetransBad:
			if fs[k].u != 0 {
				fs[k].u = ref(uint32(fs[k].u)) + 1
			}
		}
		if fs[k].u != 0 {
			mask |= fs[k].bit
		}
	}
	b = binary.AppendUvarint(b, mask)
	for _, f := range fs {
		if f.u != 0 && f.bit != rmHasTA && f.bit != rmFinActive {
			b = binary.AppendUvarint(b, f.u)
		}
	}
	return b
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// readTCPResult decodes one record and says how many bytes it took.
func readTCPResult(b []byte, frame uint32) (tcpResult, int) {
	var v tcpResult
	n := 0
	next := func() uint64 {
		u, k := binary.Uvarint(b[n:])
		if k <= 0 {
			n = len(b)
			return 0
		}
		n += k
		return u
	}
	mask := next()
	unit := int64(1)
	if mask&rmMicro != 0 {
		unit = 1000
	}
	deref := func(u uint64) uint32 { return uint32(int64(frame) - unzig(u-1)) }
	get := func(bit uint64) uint64 {
		if mask&bit == 0 {
			return 0
		}
		return next()
	}
	v.delta = unzig(get(rmDelta)) * unit
	v.rel = unzig(get(rmRel)) * unit
	v.bif = uint32(get(rmBif))
	v.push = uint32(get(rmPush))
	if u := get(rmAcked); u != 0 {
		v.ackedFrame = deref(u)
	}
	v.rtt = unzig(get(rmRTT)) * unit
	v.completeness = uint8(get(rmCompleteness))
	v.flags = uint32(get(rmFlags))
	v.hasTA = mask&rmHasTA != 0
	v.firstRTT = unzig(get(rmFirstRTT)) * unit
	v.dupNum = uint32(get(rmDupNum))
	if u := get(rmDupFrame); u != 0 {
		v.dupFrame = deref(u)
	}
	v.rto = unzig(get(rmRTO)) * unit
	if u := get(rmRTOFrame); u != 0 {
		v.rtoFrame = deref(u)
	}
	if u := get(rmRetransBad); u != 0 {
		v.retransBad = deref(u)
	}
	v.finActive = mask&rmFinActive != 0
	return v, n
}
