package ui

import (
	"sync"
	"time"
)

// refreshInterval is how often the list follows a growing capture and the
// filter progress: redraws are batched, never one per packet.
const refreshInterval = 66 * time.Millisecond

// tickState is what the ticker watches; a redraw is asked for only when it
// changed.
type tickState struct {
	frames   int
	indexed  bool
	filter   int64 // the filter pass's progress word
	report   int64 // the report computation's progress word
	liveStat LiveStats
	relayout int64 // the view's relayouts: one asks for a second draw
}

// ticker asks for a refresh when the capture grew, indexing ended or a
// background pass progressed: at most ~15 times a second, however fast
// packets come. sample runs on the ticker's goroutine, so it may only read
// what is safe to read from there (the source's counts, atomics); changed
// is called there too and is expected to queue the work on the UI.
type ticker struct {
	every   time.Duration
	sample  func() tickState
	changed func()

	once    sync.Once
	quit    chan struct{}
	started bool
}

func newTicker(every time.Duration, sample func() tickState, changed func()) *ticker {
	return &ticker{every: every, sample: sample, changed: changed, quit: make(chan struct{})}
}

// start runs the ticker; a second start does nothing.
func (t *ticker) start() {
	if t.started {
		return
	}
	t.started = true
	goSafe(t.loop)
}

// stop ends the ticker (safe to call more than once, or before start).
func (t *ticker) stop() { t.once.Do(func() { close(t.quit) }) }

func (t *ticker) loop() {
	tk := time.NewTicker(t.every)
	defer tk.Stop()
	last, first := tickState{}, true
	for {
		select {
		case <-t.quit:
			return
		case <-tk.C:
		}
		s := t.sample()
		if !first && s == last {
			continue
		}
		first, last = false, s
		t.changed()
	}
}

// tickState samples the view for the ticker (off the UI goroutine). The
// sampler holds the source and passes of the moment it was made: opening
// another capture (open.go) replaces them on the UI goroutine and starts a
// new ticker, while the old one may still be sampling.
func (v *view) tickState() func() tickState {
	src, filt, rep, relayouts := v.src, v.filt, v.report, &v.relayouts
	var stats func() LiveStats
	if v.opts.Live {
		stats = v.opts.Stats
	}
	return func() tickState {
		done, _ := src.Indexing()
		s := tickState{frames: src.Len(), indexed: done, filter: filt.progress.Load(), report: rep.prog.raw(),
			relayout: relayouts.Load()}
		if stats != nil {
			s.liveStat = stats()
		}
		return s
	}
}
