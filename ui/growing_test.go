package ui

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// growingFake is a fake file that another program is writing.
type growingFake struct {
	*fakeSource
	growing atomic.Bool
}

func (g *growingFake) Growing() bool { return g.growing.Load() }

// TestGrowingFile: a file that grows while open is shown as a live
// capture: the list follows the newest packet, moving away stops that, End
// follows again, and the status bar says "growing".
func TestGrowingFile(t *testing.T) {
	src := &growingFake{fakeSource: newFake(liveFrames(200))}
	src.grow(5, true)
	h := startSource(t, src, Options{FileName: "dump.pcap"}, 100, 24)
	h.waitFor("5 rows", func() bool { return h.v.list.n == 5 })
	if st := h.statusNow(); strings.Contains(st, "growing") {
		t.Fatalf("growing before it grew: %q", st)
	}
	// tcpdump writes on
	src.growing.Store(true)
	src.grow(12, true)
	h.waitFor("12 rows, following", func() bool { return h.v.list.n == 12 && h.v.list.selected() == 11 })
	if st := h.status(); !strings.Contains(st, "● growing") || !strings.Contains(st, "12 packets") {
		t.Errorf("status %q", st)
	}
	// moving away stops following
	h.key(tcell.KeyUp)
	h.key(tcell.KeyUp)
	src.grow(20, true)
	h.waitFor("20 rows", func() bool { return h.v.list.n == 20 })
	if got := h.selectedFrame(); got != 9 {
		t.Errorf("after moving up the selection went to frame %d", got)
	}
	if st := h.statusNow(); !strings.Contains(st, "growing, End follows") {
		t.Errorf("status after moving: %q", st)
	}
	// G follows again, and a display filter extends over new frames
	h.typeText("G")
	if got := h.selectedFrame(); got != 19 {
		t.Errorf("G: frame %d", got)
	}
	h.typeText("/udp")
	h.key(tcell.KeyEnter)
	h.waitFor("the filter", func() bool { return !h.v.filt.busy() && h.v.list.n > 0 })
	var before int
	h.do(func() { before = h.v.list.n })
	src.grow(40, true)
	h.waitFor("the filter to extend", func() bool { return h.v.list.n > before && !h.v.filt.running })
	// the writer stopped: no longer followed
	src.growing.Store(false)
	h.waitFor("stopped", func() bool { return strings.Contains(h.statusNow(), "file no longer followed") })
}
