package compare

import (
	"slices"
	"time"
)

// clock maps B's timestamps onto A's. Packets going from A's end to B's
// arrive offset+delay later by B's clock, those going back offset-delay:
// with traffic both ways the two are told apart (assuming the delay is
// the same both ways, as NTP does); with traffic one way only their sum is
// known.
type clock struct {
	known   bool
	offset  int64 // B's clock minus A's
	delay   int64 // one-way delay, when traffic went both ways
	both    bool
	matches int
	perPair map[uint64]int64 // median (tB - tA) of an address pair's direction
	ab      map[uint64]bool  // the pair's packets go from A's end to B's
	spread  int64
}

func (c *clock) expect(pair uint64) int64 {
	if m, ok := c.perPair[pair]; ok {
		return m
	}
	return c.offset
}

// upstreamA reports whether capture A is upstream for packets of pair, and
// whether that is known from the timing.
func (c *clock) upstreamA(pair uint64) (up, ok bool) {
	up, ok = c.ab[pair]
	return
}

func median(v []int64) int64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// fill reads until s holds n units ahead or the capture ends.
func (j *joiner) fill(s *side, n int) {
	for len(s.buf) < n && !s.eof {
		b, ok := <-s.ch
		j.take(s, b, ok)
	}
}

// fillWait is fill for live captures: it gives up after d without a
// batch, so a side that is quiet does not hold the other one back.
func (j *joiner) fillWait(s *side, n int, d time.Duration) {
	var timer <-chan time.Time
	for len(s.buf) < n && !s.eof {
		select {
		case b, ok := <-s.ch:
			j.take(s, b, ok)
			continue
		default:
		}
		if timer == nil {
			timer = time.After(d)
		}
		select {
		case b, ok := <-s.ch:
			j.take(s, b, ok)
		case <-timer:
			return
		}
	}
}

func (j *joiner) take(s *side, b []*unit, ok bool) {
	if !ok {
		s.eof = true
		return
	}
	for _, u := range b {
		if u.side < 0 {
			s.err = errString(string(u.data))
			continue
		}
		if u.side == 1 && j.calibrated {
			u.t = u.rawT - j.clock.expect(u.pair)
		}
		if j.opt.Live && (u.side == 0 || j.calibrated) && u.t > j.liveT {
			j.liveT, j.liveAt = u.t, time.Now()
		}
		s.buf = append(s.buf, u)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func calKey(u *unit) uint64 {
	if u.kind == kindTCPData {
		return u.flow ^ uint64(u.seq)*0x9e3779b97f4a7c15
	}
	return u.strict ^ uint64(u.kind)<<60
}

// calibrate estimates the clock offset, the delay and the window from the
// first packets whose keys occur once in each capture.
func (j *joiner) calibrate() {
	a, b := j.s[0], j.s[1]
	if j.opt.Live {
		// Calibrate on what the first seconds bring once both sides
		// have begun.
		j.fill(a, 1)
		j.fill(b, 1)
		deadline := time.Now().Add(liveCalibration)
		j.fillWait(a, calibrateN, time.Until(deadline))
		j.fillWait(b, calibrateN, max(time.Until(deadline), time.Millisecond))
	} else {
		j.fill(a, calibrateN)
		j.fill(b, calibrateN)
	}
	first := map[uint64]int64{}
	dup := map[uint64]bool{}
	for _, u := range a.buf {
		k := calKey(u)
		if _, ok := first[k]; ok {
			dup[k] = true
		}
		first[k] = u.rawT
	}
	diffs := map[uint64][]int64{}
	rev := map[uint64]uint64{}
	seen := map[uint64]bool{}
	var all []int64
	for _, u := range b.buf {
		k := calKey(u)
		ta, ok := first[k]
		if !ok || dup[k] || seen[k] {
			if seen[k] {
				dup[k] = true
			}
			seen[k] = true
			continue
		}
		seen[k] = true
		d := u.rawT - ta
		diffs[u.pair] = append(diffs[u.pair], d)
		rev[u.pair] = u.rpair
		all = append(all, d)
	}
	c := &j.clock
	c.perPair, c.ab = map[uint64]int64{}, map[uint64]bool{}
	j.window = j.opt.Window
	if len(all) == 0 {
		j.calibrated = true
		if j.window == 0 {
			j.window = 1e9
		}
		return
	}
	c.known, c.matches = true, len(all)
	mad := map[uint64]int64{}
	for p, d := range diffs {
		m := median(d)
		if len(d) >= 8 {
			// A pair seen a few times only falls back on the global
			// offset: two samples make no median.
			c.perPair[p] = m
		}
		dev := make([]int64, len(d))
		for i, x := range d {
			dev[i] = abs64(x - m)
		}
		mad[p] = median(dev)
	}
	var offs, delays []int64
	for p, m := range c.perPair {
		mr, ok := c.perPair[rev[p]]
		if _, mine := c.perPair[p]; !mine {
			ok = false
		}
		if !ok {
			continue
		}
		// Which end is upstream is read from the timing only when the
		// delay stands out of the jitter.
		if len(diffs[p]) >= 8 && len(diffs[rev[p]]) >= 8 && abs64(m-mr) > 4*(mad[p]+mad[rev[p]])+1000 {
			c.ab[p] = m > mr
		}
		offs = append(offs, (m+mr)/2)
		dl := (m - mr) / 2
		if dl < 0 {
			dl = -dl
		}
		delays = append(delays, dl)
	}
	if len(offs) > 0 {
		c.both = true
		c.offset, c.delay = median(offs), median(delays)
	} else {
		c.offset = median(all)
	}
	var dev []int64
	for p, d := range diffs {
		for _, x := range d {
			dev = append(dev, abs64(x-c.expect(p)))
		}
	}
	slices.Sort(dev)
	c.spread = dev[len(dev)*99/100]
	if j.window == 0 {
		j.window = min(max(4*c.spread+minWindow, minWindow), maxWindow)
	}
	j.calibrated = true
	// The units read ahead were keyed before the clock was known.
	for _, u := range b.buf {
		u.t = u.rawT - c.expect(u.pair)
	}
}
