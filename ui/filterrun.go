package ui

import (
	"slices"
	"sync/atomic"

	"github.com/wirelens/wirelens/decode"
)

// filterRun is the display filter in force and its runs over the source.
// A run goes in the background: a newer filter (or a preference change)
// cancels it, its progress is readable from any goroutine (the ticker and
// the status bar), and its result reaches the caller on the UI goroutine
// only if no newer run replaced it. For a live capture it also keeps the
// frames matched so far and extends them over frames that arrived since.
//
// Everything but progress is touched on the UI goroutine only.
type filterRun struct {
	src   Source
	queue func(func()) // runs f on the UI goroutine, then redraws

	matcher   decode.Matcher // nil: no filter, every frame shows
	expr      string
	gen       int // bumped by each start: an older run's result is dropped
	stop      chan struct{}
	running   bool
	extending bool         // the running pass only covers new frames (live)
	upto      int          // frames indexed when the last run started
	progress  atomic.Int64 // done<<32 | total of the running pass
	jumpTo    int          // frame to select when the running pass ends, -1 none
	shown     []int        // the last result (live: all of it so far; the list may show less while paused)
}

func newFilterRun(src Source, queue func(func())) *filterRun {
	return &filterRun{src: src, queue: queue, jumpTo: -1}
}

// cancel stops the pass under way, if any.
func (r *filterRun) cancel() {
	if r.stop != nil {
		close(r.stop)
		r.stop = nil
	}
}

// start makes m the filter (nil: none) and runs it over the whole source
// in the background; done gets the frames it shows, on the UI goroutine.
// It reports whether a pass started (false for a nil m).
func (r *filterRun) start(expr string, m decode.Matcher, done func(shown []int)) bool {
	r.cancel()
	r.gen++
	r.matcher, r.expr = m, expr
	r.running, r.extending = false, false
	r.jumpTo = -1
	r.shown = nil
	if m == nil {
		return false
	}
	gen, stop := r.gen, make(chan struct{})
	r.stop, r.running = stop, true
	r.upto = r.src.Len()
	r.progress.Store(int64(r.upto))
	src := r.src
	goSafe(func() {
		shown, ok := src.Filter(m, func(done, total int) {
			r.progress.Store(int64(done)<<32 | int64(total))
		}, stop)
		if !ok {
			return
		}
		if shown == nil {
			shown = []int{}
		}
		r.queue(func() {
			if gen != r.gen {
				return
			}
			r.running = false
			r.stop = nil
			if n := len(shown); n > 0 {
				r.upto = max(r.upto, shown[n-1]+1)
			}
			r.shown = shown
			done(shown)
		})
	})
	return true
}

// extend runs the filter over the frames that arrived since it last ran
// (up to frame to) and appends what matches to shown; done runs after, on
// the UI goroutine. It reports false, starting nothing, when the source
// cannot filter a range (the caller then runs the whole filter again).
func (r *filterRun) extend(to int, done func()) bool {
	rf, ok := r.src.(rangeFilterer)
	if !ok {
		return false
	}
	from, gen, m, stop := r.upto, r.gen, r.matcher, make(chan struct{})
	r.stop, r.running, r.extending = stop, true, true
	r.upto = to
	goSafe(func() {
		more, ok := rf.FilterRange(m, from, to, stop)
		if !ok {
			return
		}
		r.queue(func() {
			if gen != r.gen {
				return
			}
			r.running, r.extending, r.stop = false, false, nil
			r.shown = append(slices.Clip(r.shown), more...)
			done()
		})
	})
	return true
}

// takeJump returns the frame to select now that a pass ended (-1 none) and
// forgets it.
func (r *filterRun) takeJump() int {
	f := r.jumpTo
	r.jumpTo = -1
	return f
}

// filtering reports the progress of a full pass under way, for the status
// bar (an extension over new live frames is not shown).
func (r *filterRun) filtering() (on bool, done, total int) {
	if !r.running || r.extending {
		return false, 0, 0
	}
	p := r.progress.Load()
	return true, int(p >> 32), int(p & 0xffffffff)
}

// busy reports a full pass under way (an extension over new live frames
// does not count: what is shown is complete up to it).
func (r *filterRun) busy() bool { return r.running && !r.extending }
