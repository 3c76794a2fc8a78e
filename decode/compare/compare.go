// Package compare matches every packet of one capture with its counterpart
// in another capture of the same traffic (taken at the other end of a link,
// or at both sides of a NIC) and says what changed on the way: the one
// question a single capture cannot settle is whether a bad checksum is an
// offload artifact or real damage, and whether data with a good checksum is
// the data that was sent.
//
// The join streams: both files are read once, in order, and a packet is
// held only for a window of time around its counterpart's expected
// arrival, so two captures of millions of packets are compared in the
// memory of a few seconds of traffic.
package compare

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// Status is what happened to a packet between the two capture points.
type Status uint8

const (
	StatusSame        Status = iota // equal but for what legitimately changes on the way
	StatusAltered                   // bytes differ (Diff names the first difference)
	StatusMissing                   // no counterpart (or part of it has none)
	StatusResegmented               // matched across TSO/GSO/GRO: one frame on one side, several on the other
	numStatus
)

// StatusNames are the values of wirelens.compare.status.
var StatusNames = [numStatus]string{"same", "altered", "missing", "resegmented"}

func (s Status) String() string { return StatusNames[s] }

// Verdict is what the pair says about a packet's checksum and data: what
// neither capture alone can tell.
type Verdict uint8

const (
	VerdictNone Verdict = iota
	// Data differs but the downstream checksum is good: corrupted before
	// the checksum was computed (NIC, driver or memory); the worst case,
	// since the receiver accepts it.
	VerdictCorrupt
	// Data differs and the downstream checksum is bad: damaged after the
	// upstream capture point (NIC, wire or receiver).
	VerdictDamaged
	// Data equal but the downstream checksum is bad: the checksum was
	// written wrong (or the checksum field itself was damaged).
	VerdictBadChecksum
	// Downstream still holds the partial pseudo-header sum on a frame the
	// kernel did not take as offloaded: the sending NIC did not finish it.
	VerdictPartialLeft
	// Sent but not seen downstream.
	VerdictLost
	// Seen downstream but not upstream.
	VerdictUnsent
	// Data differs where no checksum could judge it.
	VerdictUnchecked
	// No counterpart, but the other capture was not running then.
	VerdictOutside
	// Upstream left the checksum to offload and downstream it is good.
	VerdictOffloadConfirmed
	// The checksum is bad the same way at both ends: it was wrong before
	// the first capture point; nothing changed between the two.
	VerdictBadBoth
	// Both ends hold the same partial sum: no device between the capture
	// points computed it (a virtual path); the bytes are equal.
	VerdictPartialBoth
	numVerdict
)

// VerdictNames are the values of wirelens.compare.verdict.
var VerdictNames = [numVerdict]string{"", "corrupt-before-checksum", "damaged-after-capture", "bad-checksum",
	"partial-left", "lost", "not-sent", "altered-unchecked", "outside-other-capture", "offload-confirmed", "bad-both", "partial-both"}

func (v Verdict) String() string { return VerdictNames[v] }

// Result is the comparison of one packet.
type Result struct {
	Status    Status
	Peers     []int  // the counterpart's frame numbers in the other capture
	DiffOff   int    // first differing byte in this frame, -1 if none
	DiffField string // the field holding it
	Verdict   Verdict
	// Ranges are the bytes of this frame that differ from the
	// counterpart's ([start, end) offsets, at most maxRanges) or, for a
	// frame partly missing, the payload bytes without counterpart.
	Ranges [][2]int
	// Retransmitted: a lost packet's bytes were sent again (seen in this
	// capture) and that copy arrived.
	Retransmitted bool
	Downstream    bool // this capture is the downstream end for this packet
}

// Packet is one frame of capture A (or, with Options.EmitB, of B) with
// its comparison, handed out in its capture's order. It (and Data) is valid only
// during the callback.
type Packet struct {
	Side   int   // 0: capture A, 1: capture B
	Time   int64 // ns, on A's clock (B's timestamps moved by the clock offset)
	Number int
	Record capfile.Record
	Data   []byte
	Iface  *capfile.Interface
	Result Result
}

// Source is one capture to compare.
type Source struct {
	Reader FrameReader
	Name   string
}

// FrameReader gives a capture's frames in order: a *capfile.Reader, or a
// capture still growing (a live capture the UI also shows).
type FrameReader interface {
	// Next returns the next frame (data valid until the next call), or
	// io.EOF at the end.
	Next() (capfile.Record, []byte, error)
	// Interface describes the interface a record names (nil if none).
	Interface(i uint32) *capfile.Interface
}

// Options tune a comparison.
type Options struct {
	Prefs prefs.Prefs
	// Window is how far apart (after the clock offset) two copies of a
	// packet may be; 0 estimates it from the first matches.
	Window int64
	// EmitB hands B's packets to emit too (Packet.Side 1), each in B's
	// order: for a view of both captures.
	EmitB bool
	// Calibrated, if set, receives the clock estimate (the Clock fields
	// of a Report) as soon as it is made, before any packet is judged.
	Calibrated func(clock *Report)
	// Live: the captures are still arriving (their readers wait for
	// frames). The clock is estimated from the first seconds, and a
	// side that has been quiet for a while is taken to have nothing
	// older than liveSlack before now, so the packets of the other side
	// are judged without waiting for its next one.
	Live bool
}

const (
	liveCalibration = 2 * time.Second
	liveSlack       = int64(2 * time.Second)
	liveIdle        = 200 * time.Millisecond
)

const (
	calibrateN = 4000
	minWindow  = 2e6 // 2 ms
	maxWindow  = 2e9
	bucketBits = 10
)

// side is one capture being read.
type side struct {
	idx     int8
	name    string
	ch      chan []*unit
	buf     []*unit
	eof     bool
	err     error
	frames  int
	pending []*unit // read, not yet retired, in read order
	grave   []*unit // retired, still in the tables
	ripe    int     // pending[:ripe] have been matched
	firstT  int64   // time of the first unit read
	lastT   int64   // latest time read
	started bool
	rng     map[uint64][]*unit
	strict  map[uint64][]*unit
	loose   map[uint64][]*unit
	lists   [][]*unit // emptied table lists, for reuse
}

type joiner struct {
	opt        Options
	seed       maphash.Seed
	s          [2]*side
	window     int64
	clock      clock
	calibrated bool
	emit       func(*Packet) error
	pkt        Packet
	rep        *Report
	// live: the newest time read (on A's clock) and when it was read,
	// for the time now on A's clock (the captures' clocks need not be
	// this host's).
	liveT  int64
	liveAt time.Time
}

// liveNow is the time now on A's clock, as far as the frames tell.
func (j *joiner) liveNow() int64 {
	if j.liveAt.IsZero() {
		return math.MinInt64 / 2
	}
	return j.liveT + int64(time.Since(j.liveAt))
}

// Run compares a with b. emit receives every packet of a, in a's order,
// with its result; the report covers both captures.
func Run(a, b Source, opt Options, emit func(*Packet) error) (*Report, error) {
	j := &joiner{opt: opt, seed: maphash.MakeSeed(), emit: emit}
	j.rep = newReport(a.Name, b.Name)
	stop := make(chan struct{})
	defer close(stop)
	for i, src := range []Source{a, b} {
		s := &side{idx: int8(i), name: src.Name, ch: make(chan []*unit, 8),
			rng: map[uint64][]*unit{}, strict: map[uint64][]*unit{}, loose: map[uint64][]*unit{}}
		j.s[i] = s
		go read(src, int8(i), opt.Prefs, j.seed, s.ch, stop)
	}
	if err := j.run(); err != nil {
		return j.rep, err
	}
	j.rep.finish(j)
	for _, s := range j.s {
		if s.err != nil {
			return j.rep, s.err
		}
	}
	return j.rep, nil
}

// read reads and extracts one capture on its own goroutine, in batches.
func read(src Source, idx int8, p prefs.Prefs, seed maphash.Seed, ch chan<- []*unit, stop <-chan struct{}) {
	ds := decode.NewDissector(p)
	x := newExtractor(ds)
	var batch []*unit
	var slab []byte
	n := 0
	var first int64
	for {
		if len(batch) > 0 {
			if r, ok := src.Reader.(interface{ Ready() bool }); ok && !r.Ready() {
				// A live capture: hand out what arrived before waiting.
				select {
				case ch <- batch:
				case <-stop:
					return
				}
				batch = nil
			}
		}
		rec, data, err := src.Reader.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				batch = append(batch, &unit{side: -1, data: []byte(err.Error())})
			}
			select {
			case ch <- batch:
			case <-stop:
			}
			close(ch)
			return
		}
		n++
		if n == 1 {
			first = rec.Timestamp
		}
		u := &unit{side: idx, frame: n, rawT: rec.Timestamp, t: rec.Timestamp, rec: rec, iface: src.Reader.Interface(rec.Interface)}
		u.links = u.linkBuf[:0]
		// Frames are copied into shared slabs: a million small
		// allocations would cost more than the join itself.
		if len(data) > len(slab) {
			slab = make([]byte, max(1<<20, len(data)))
		}
		u.data = slab[:len(data):len(data)]
		slab = slab[len(data):]
		copy(u.data, data)
		fr := decode.Frame{Number: n, Data: u.data, Record: rec, RelTime: rec.Timestamp - first, Iface: u.iface}
		x.extract(u, &fr)
		keys(seed, u)
		batch = append(batch, u)
		if len(batch) == 512 {
			select {
			case ch <- batch:
			case <-stop:
				return
			}
			batch = nil
		}
	}
}

// peek returns s's next unit without consuming it, or nil at the end.
func (j *joiner) peek(s *side) *unit {
	j.fill(s, 1)
	if len(s.buf) == 0 {
		return nil
	}
	return s.buf[0]
}

// peekLive is peek for live captures: nil, not eof, when the side has
// nothing for a moment.
func (j *joiner) peekLive(s *side) *unit {
	j.fillWait(s, 1, liveIdle)
	if len(s.buf) == 0 {
		return nil
	}
	return s.buf[0]
}

func (j *joiner) run() error {
	j.calibrate()
	if j.opt.Calibrated != nil {
		c := &j.clock
		j.opt.Calibrated(&Report{ClockKnown: c.known, Offset: c.offset, Delay: c.delay, BothWays: c.both, Matches: c.matches, Window: j.window})
	}
	for {
		var ua, ub *unit
		if j.opt.Live {
			ua, ub = j.peekLive(j.s[0]), j.peekLive(j.s[1])
			idle := false
			for _, s := range j.s {
				idle = idle || len(s.buf) == 0 && !s.eof
			}
			if idle {
				// A quiet side: what is older than the slack is settled.
				f := j.liveNow() - liveSlack
				for _, u := range []*unit{ua, ub} {
					if u != nil {
						f = min(f, u.t)
					}
				}
				if err := j.advance(f); err != nil {
					return err
				}
				if ua == nil && ub == nil {
					continue
				}
				// Take the side that has a unit, if it is not newer
				// than what the quiet side may still send.
				u := ua
				if u == nil {
					u = ub
				}
				if u.t > j.liveNow()-liveSlack {
					continue
				}
			}
		} else {
			ua, ub = j.peek(j.s[0]), j.peek(j.s[1])
		}
		var u *unit
		switch {
		case ua == nil && ub == nil:
			if j.opt.Live && !(j.s[0].eof && j.s[1].eof) {
				continue
			}
			j.advance(math.MaxInt64)
			return nil
		case ub == nil || ua != nil && ua.t <= ub.t:
			u = ua
		default:
			u = ub
		}
		s := j.s[u.side]
		s.buf = s.buf[1:]
		s.frames++
		if !s.started {
			s.started, s.firstT = true, u.t
		}
		s.lastT = max(s.lastT, u.t)
		j.insert(u)
		f := u.t
		if ua != nil && ub != nil {
			f = min(ua.t, ub.t)
		}
		if err := j.advance(f); err != nil {
			return err
		}
	}
}

// advance matches and retires what the frontier (no later-read unit can
// be earlier than it) has left behind.
func (j *joiner) advance(frontier int64) error {
	w := j.window
	for _, s := range j.s {
		for s.ripe < len(s.pending) && s.pending[s.ripe].t < sat(frontier, -2*w) {
			j.match(s.pending[s.ripe])
			s.ripe++
		}
	}
	for _, s := range j.s {
		k := 0
		for k < s.ripe && s.pending[k].t < sat(frontier, -4*w) {
			if err := j.retire(s.pending[k]); err != nil {
				return err
			}
			k++
		}
		if k > 0 {
			s.pending = s.pending[k:]
			s.ripe -= k
		}
		j.bury(s, frontier)
	}
	return nil
}

func sat(t, d int64) int64 {
	if t == math.MaxInt64 {
		return t
	}
	return t + d
}

func bucketsOf(u *unit) (first uint32, n int) {
	first = u.seq >> bucketBits
	n = int((uint64(u.seq&(1<<bucketBits-1))+uint64(u.payLen)-1)>>bucketBits) + 1
	return
}

func rngKey(flow uint64, bucket uint32) uint64 {
	return flow ^ uint64(bucket&(1<<(32-bucketBits)-1))*0x9e3779b97f4a7c15
}

func (j *joiner) insert(u *unit) {
	s := j.s[u.side]
	s.pending = append(s.pending, u)
	if u.kind == kindTCPData {
		b, n := bucketsOf(u)
		for i := 0; i < n; i++ {
			s.put(s.rng, rngKey(u.flow, b+uint32(i)), u)
		}
		return
	}
	s.put(s.strict, u.strict, u)
	s.put(s.loose, u.loose, u)
}

// put adds u to m's list for k. Most keys hold one unit for a moment:
// their lists are recycled (see remove) rather than allocated per packet.
func (s *side) put(m map[uint64][]*unit, k uint64, u *unit) {
	l, ok := m[k]
	if !ok && len(s.lists) > 0 {
		l = s.lists[len(s.lists)-1]
		s.lists = s.lists[:len(s.lists)-1]
	}
	m[k] = append(l, u)
}

func (s *side) remove(m map[uint64][]*unit, k uint64, u *unit) {
	l := m[k]
	for i, v := range l {
		if v == u {
			l = slices.Delete(l, i, i+1)
			break
		}
	}
	if len(l) == 0 {
		delete(m, k)
		if cap(l) <= 8 {
			s.lists = append(s.lists, l)
		}
	} else {
		m[k] = l
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// seqIn reports whether sequence number x falls in [s, s+n).
func seqIn(x, s uint32, n int) bool { return int64(x-s) >= 0 && int64(x-s) < int64(n) && x-s < 1<<31 }

// cost ranks y as u's counterpart: the nearer in time the better, and a
// copy whose TCP header is u's (same ack, window and options: the
// timestamps tell a retransmission from the original) before any other.
func (j *joiner) cost(u, y *unit) int64 {
	c := abs64(y.t - u.t)
	if u.hsig != y.hsig {
		c += 4 * j.window
	}
	return c
}

// match finds u's counterparts among the other capture's units. A copy is
// taken only if no other unit of u's capture is nearer to it in time
// (retransmissions carry the same bytes: the nearest copy is the one).
func (j *joiner) match(u *unit) {
	other := j.s[1-u.side]
	mine := j.s[u.side]
	w := j.window
	if u.kind == kindTCPData {
		j.matchRange(u, other, mine)
		return
	}
	if len(u.links) > 0 {
		return
	}
	for _, m := range []struct {
		o, me map[uint64][]*unit
		k     uint64
	}{{other.strict, mine.strict, u.strict}, {other.loose, mine.loose, u.loose}} {
		var best *unit
		loose := m.k == u.loose
		for _, y := range m.o[m.k] {
			e := j.cost(u, y)
			if y.retired || len(y.links) > 0 || y.kind != u.kind || abs64(y.t-u.t) > w || best != nil && e >= j.cost(u, best) {
				continue
			}
			rival := false
			for _, z := range m.me[m.k] {
				if z != u && !z.retired && len(z.links) == 0 && z.kind == u.kind && j.cost(z, y) < e {
					rival = true
					break
				}
			}
			if loose && !rival {
				// y's exact copy may still be unmatched on u's side.
				for _, z := range mine.strict[y.strict] {
					if z != u && len(z.links) == 0 && z.strict == y.strict && abs64(z.t-y.t) <= w {
						rival = true
						break
					}
				}
			}
			if !rival {
				best = y
			}
		}
		if best != nil {
			u.links = append(u.links, link{peer: best})
			best.links = append(best.links, link{peer: u})
			return
		}
	}
}

func (j *joiner) matchRange(u *unit, other, mine *side) {
	w := j.window
	var cands []*unit
	b, n := bucketsOf(u)
	for i := 0; i < n; i++ {
		for _, y := range other.rng[rngKey(u.flow, b+uint32(i))] {
			if !y.retired && y.flow == u.flow && abs64(y.t-u.t) <= w && !slices.Contains(cands, y) {
				cands = append(cands, y)
			}
		}
	}
	if len(cands) == 0 {
		return
	}
	slices.SortFunc(cands, func(p, q *unit) int {
		return int(j.cost(u, p) - j.cost(u, q))
	})
	for o, e, ok := u.uncovered(0, u.payLen); ok; o, e, ok = u.uncovered(o, u.payLen) {
		s := u.seq + uint32(o)
		var got *unit
		var gyo, glen int
		for _, y := range cands {
			if !seqIn(s, y.seq, y.payLen) {
				continue
			}
			yo := int(s - y.seq)
			ys, ye, free := y.uncovered(yo, y.payLen)
			if !free || ys != yo {
				continue
			}
			if j.rival(u, y, s, mine) {
				continue
			}
			got, gyo, glen = y, yo, min(e-o, ye-yo)
			break
		}
		if got == nil {
			// Nothing here for this byte: skip to where a candidate
			// starts, leaving a hole (missing bytes).
			next := e
			for _, y := range cands {
				if d := int(y.seq - u.seq); d > o && d < next && y.seq-u.seq < 1<<31 {
					next = d
				}
			}
			if next <= o {
				next = o + 1
			}
			o = next
			continue
		}
		u.links = append(u.links, link{peer: got, off: o, end: o + glen, poff: gyo})
		got.links = append(got.links, link{peer: u, off: gyo, end: gyo + glen, poff: o})
		o += glen
	}
}

// rival reports whether another unit of u's capture, still unmatched at
// sequence s, is nearer in time to y than u is.
func (j *joiner) rival(u, y *unit, s uint32, mine *side) bool {
	e := j.cost(u, y)
	for _, z := range mine.rng[rngKey(u.flow, s>>bucketBits)] {
		if z == u || z.retired || z.flow != u.flow || !seqIn(s, z.seq, z.payLen) || j.cost(z, y) >= e || abs64(z.t-y.t) > j.window {
			continue
		}
		zo := int(s - z.seq)
		if zs, _, free := z.uncovered(zo, z.payLen); free && zs == zo {
			return true
		}
	}
	return false
}

// retire judges u, hands it out (capture A) and forgets it.
func (j *joiner) retire(u *unit) error {
	s := j.s[u.side]
	// It stays in the tables a while longer, retired (no longer matched),
	// so a peer judged later still sees it was sent again.
	s.grave = append(s.grave, u)
	j.judge(u)
	j.rep.add(j, u)
	if (u.side == 0 || j.opt.EmitB) && j.emit != nil {
		// One Packet for all: it is valid only during the callback.
		j.pkt = Packet{Side: int(u.side), Time: u.t, Number: u.frame, Record: u.rec, Data: u.data, Iface: u.iface, Result: u.res}
		if err := j.emit(&j.pkt); err != nil {
			return err
		}
	}
	u.retired = true
	return nil
}

// bury removes retired units from the tables.
func (j *joiner) bury(s *side, frontier int64) {
	limit := sat(frontier, -8*j.window)
	if o := j.s[1-s.idx]; len(o.pending) > 0 {
		// The other capture's units still to be judged may look at these.
		limit = min(limit, o.pending[0].t-4*j.window)
	}
	k := 0
	for k < len(s.grave) && s.grave[k].t < limit {
		u := s.grave[k]
		if u.kind == kindTCPData {
			// The keys insert used: flow, seq and length do not change.
			b, n := bucketsOf(u)
			for i := 0; i < n; i++ {
				s.remove(s.rng, rngKey(u.flow, b+uint32(i)), u)
			}
		} else {
			s.remove(s.strict, u.strict, u)
			s.remove(s.loose, u.loose, u)
		}
		k++
	}
	s.grave = s.grave[k:]
}

func flowString(fk flowKey) string {
	src, dst := addrString(fk.src, fk.v6), addrString(fk.dst, fk.v6)
	name := protoName(fk.proto)
	if fk.sport != 0 || fk.dport != 0 {
		if fk.v6 {
			return fmt.Sprintf("[%s]:%d → [%s]:%d %s", src, fk.sport, dst, fk.dport, name)
		}
		return fmt.Sprintf("%s:%d → %s:%d %s", src, fk.sport, dst, fk.dport, name)
	}
	return fmt.Sprintf("%s → %s %s", src, dst, name)
}
