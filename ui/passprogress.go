package ui

import (
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/wirelens/wirelens/decode"
)

// passProgress is how far a view's background pass over the frames got
// (the report, statistics, follow), published by the pass as done<<32 |
// total and read by the view's title.
type passProgress struct{ v atomic.Int64 }

func (p *passProgress) Store(done, total int) { p.v.Store(int64(done)<<32 | int64(total)) }

// Load returns done and total.
func (p *passProgress) Load() (done, total int) {
	x := p.v.Load()
	return int(x >> 32), int(x & 0xffffffff)
}

// computing is a title's "computing N% (done of total frames)".
func (p *passProgress) computing() string {
	done, total := p.Load()
	pc := 0
	if total > 0 {
		pc = 100 * done / total
	}
	return fmt.Sprintf("computing %d%% (%d of %d frames)", pc, done, total)
}

// titleName is " - FILE" for a view's title, or "" without a name.
func titleName(name string) string {
	if name == "" {
		return ""
	}
	return " - " + decode.Sanitize(filepath.Base(name))
}

// raw is the packed value, for telling whether it moved.
func (p *passProgress) raw() int64 { return p.v.Load() }

// bgPass is a view's background pass over the frames (the report, the
// statistics, a follow): the generation that tells a stale result from the
// current one, the channel that stops the pass, and how far it got.
type bgPass struct {
	gen    int
	stop   chan struct{}
	active bool // computing
	prog   passProgress
}

// begin cancels a pass in progress and starts the next generation.
func (p *bgPass) begin() (gen int, stop chan struct{}) {
	p.cancel()
	p.gen++
	p.stop, p.active = make(chan struct{}), true
	return p.gen, p.stop
}

// cancel stops a pass in progress; its result, if it still comes, is stale.
func (p *bgPass) cancel() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.active {
		p.active = false
		p.gen++
	}
}

// end marks the pass of generation gen finished, or reports false when a
// later pass or a cancel made its result stale.
func (p *bgPass) end(gen int) bool {
	if gen != p.gen {
		return false
	}
	p.active, p.stop = false, nil
	return true
}
