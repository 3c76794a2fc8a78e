package compare

import (
	"bytes"
	"strconv"
	"sync"
)

// Session runs a comparison in the background and keeps every packet's
// result, for a view that shows both captures while (and after) they are
// compared: files, or live captures still arriving. Results come in each
// capture's order, so what is known of a side is always a prefix of it.
//
// It holds one Result per frame of each capture (no frame data): the view
// of two captures keeps their index anyway; batch runs use Run, which
// keeps nothing.
type Session struct {
	mu     sync.Mutex
	res    [2][]Result
	times  [2][]int64
	counts [2][numStatus]int
	done   bool
	err    error
	rep    *Report
	clock  *Report // the clock estimate, once made
	names  [2]string
	fin    chan struct{}
}

// Start compares a with b in the background.
func Start(a, b Source, opt Options) *Session {
	s := &Session{names: [2]string{a.Name, b.Name}, fin: make(chan struct{})}
	opt.EmitB = true
	opt.Calibrated = func(c *Report) {
		s.mu.Lock()
		s.clock = c
		s.mu.Unlock()
	}
	go func() {
		defer close(s.fin)
		rep, err := Run(a, b, opt, s.add)
		s.mu.Lock()
		s.done, s.err, s.rep = true, err, rep
		s.mu.Unlock()
	}()
	return s
}

func (s *Session) add(p *Packet) error {
	r := p.Result
	r.Peers = append([]int(nil), r.Peers...)
	r.Ranges = append([][2]int(nil), r.Ranges...)
	s.mu.Lock()
	s.res[p.Side] = append(s.res[p.Side], r)
	s.times[p.Side] = append(s.times[p.Side], p.Time)
	s.counts[p.Side][r.Status]++
	s.mu.Unlock()
	return nil
}

// Names are the two captures' names.
func (s *Session) Names() [2]string { return s.names }

// Known is how many frames of side (0: A, 1: B) have their result.
func (s *Session) Known(side int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.res[side])
}

// Results appends to dst the results of side's frames from index from
// (0-based) on, as far as known, with their times on A's clock (ns).
func (s *Session) Results(side, from int, dst []Result, times []int64) ([]Result, []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from >= len(s.res[side]) {
		return dst, times
	}
	return append(dst, s.res[side][from:]...), append(times, s.times[side][from:]...)
}

// Result is frame i's (0-based) result in side, if known.
func (s *Session) Result(side, i int) (Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.res[side]) {
		return Result{}, false
	}
	return s.res[side][i], true
}

// Counts are the status counts of each side so far.
func (s *Session) Counts() [2][numStatus]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// Done says whether the comparison has ended, and how.
func (s *Session) Done() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done, s.err
}

// Wait waits for the end of the comparison.
func (s *Session) Wait() { <-s.fin }

// Report is the finished comparison's report (nil while it runs).
func (s *Session) Report() *Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rep
}

// ReportText is the finished report as Write prints it ("" while it runs).
func (s *Session) ReportText() string {
	rep := s.Report()
	if rep == nil {
		return ""
	}
	var b bytes.Buffer
	rep.Write(&b)
	return b.String()
}

// Summary is the comparison in one line: the verdict (worst first), the
// clock and the counts per status; while it runs, the counts so far.
func (s *Session) Summary() string {
	rep := s.Report()
	c := s.Counts()
	line := ""
	for side, n := range []string{"A", "B"} {
		if side > 0 {
			line += "  "
		}
		line += n + ":"
		for st := Status(0); st < numStatus; st++ {
			line += " " + strconv.Itoa(c[side][st]) + " " + st.String()
		}
	}
	if rep == nil {
		s.mu.Lock()
		clock := s.clock
		s.mu.Unlock()
		if clock != nil {
			return "comparing…  " + clock.ClockLine() + "  " + line
		}
		return "comparing…  " + line
	}
	return rep.VerdictLine() + "  " + rep.ClockLine() + "  " + line
}
