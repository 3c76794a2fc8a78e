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
