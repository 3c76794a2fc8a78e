package ui

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// FilterRange lets the fake follow a live filter as capture.Capture does;
// each range asked for is recorded.
func (s *fakeSource) FilterRange(m decode.Matcher, from, to int, stop <-chan struct{}) ([]int, bool) {
	s.mu.Lock()
	s.ranges = append(s.ranges, [2]int{from, to})
	to = min(to, s.n)
	s.mu.Unlock()
	out := []int{}
	for i := from; i < to; i++ {
		select {
		case <-stop:
			return nil, false
		default:
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		if d, err := s.Dissect(i); err == nil && m.Match(d) {
			out = append(out, i)
		}
	}
	return out, true
}

// liveCounters are the fake kernel counters a test changes.
type liveCounters struct {
	mu sync.Mutex
	st LiveStats
}

func (c *liveCounters) get() LiveStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

func (c *liveCounters) set(recv, drop uint64) {
	c.mu.Lock()
	c.st = LiveStats{Received: recv, Dropped: drop}
	c.mu.Unlock()
}

// liveFrames is a long fake capture, shown n frames at a time.
func liveFrames(n int) []fakeFrame {
	var frames []fakeFrame
	for len(frames) < n {
		frames = append(frames, standardFrames()...)
	}
	return frames[:n]
}

func startLive(t *testing.T, n int, opts Options) (*harness, *fakeSource, *liveCounters) {
	t.Helper()
	src := newFake(liveFrames(200))
	src.grow(n, false)
	ctr := &liveCounters{}
	opts.Live = true
	opts.FileName = "live: lo"
	if opts.Stats == nil {
		opts.Stats = ctr.get
	}
	h := start(t, src, opts, 100, 24)
	return h, src, ctr
}

// status is the status bar as drawn.
func (h *harness) status() string { return h.lines()[23] }

// statusNow is the status text (not the message) now: for waitFor
// conditions, which run on the UI goroutine.
func (h *harness) statusNow() string { return statusText(h.v.statusInfo(), 200, false) }

// onScreen says whether packet number n is a row on screen.
func (h *harness) onScreen(n int) bool {
	for _, l := range h.lines() {
		f := strings.Fields(strings.TrimLeft(l, "!~ "))
		if len(f) > 2 && f[0] == strconv.Itoa(n) && strings.Contains(l, "10.0.0.1") {
			return true
		}
	}
	return false
}

func (h *harness) listRows() (n, off int) {
	h.do(func() { n = h.v.list.n; off, _ = h.v.list.table.GetOffset() })
	return n, off
}

func TestLiveFollowsNewest(t *testing.T) {
	h, src, ctr := startLive(t, 3, Options{})
	h.waitFor("3 rows", func() bool { return h.v.list.n == 3 })
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("selected %d at the start, want the newest (2)", got)
	}
	ctr.set(61, 1)
	src.grow(60, false)
	h.waitFor("60 rows, the newest selected", func() bool { return h.v.list.n == 60 && h.v.list.selected() == 59 })
	h.waitFor("counters", func() bool { return strings.Contains(h.statusNow(), "61 received, 1 dropped") })
	st := h.status()
	t.Logf("following:\n%s", h.dump())
	for _, want := range []string{"live: lo", "● live │", "60 packets", "61 received, 1 dropped"} {
		if !strings.Contains(st, want) {
			t.Errorf("status lacks %q: %q", want, st)
		}
	}
	if strings.Contains(st, "reading") {
		t.Errorf("a live capture says reading: %q", st)
	}
	if !h.onScreen(60) {
		t.Error("the newest row is not on screen")
	}
	if !strings.Contains(h.dump(), "Frame 60:") {
		t.Error("the detail pane does not show the newest frame")
	}

	// a manual move stops following: new rows come, the selection and
	// the view stay
	h.key(tcell.KeyUp)
	h.key(tcell.KeyUp)
	_, off := h.listRows()
	src.grow(80, false)
	h.waitFor("80 rows", func() bool { return h.v.list.n == 80 })
	if got := h.selectedFrame(); got != 57 {
		t.Errorf("selection moved to %d after the user left the newest", got)
	}
	if _, off2 := h.listRows(); off2 != off {
		t.Errorf("list scrolled from %d to %d while not following", off, off2)
	}
	if st := h.status(); !strings.Contains(st, "End follows") {
		t.Errorf("status does not say End follows: %q", st)
	}

	// End follows again
	h.key(tcell.KeyEnd)
	if got := h.selectedFrame(); got != 79 {
		t.Errorf("End selected %d", got)
	}
	src.grow(90, false)
	h.waitFor("following after End", func() bool { return h.v.list.n == 90 && h.v.list.selected() == 89 })
	if !h.onScreen(90) {
		t.Error("row 90 is not on screen")
	}

	// going down to the last row by hand follows too; the wheel stops it
	h.key(tcell.KeyUp)
	h.key(tcell.KeyDown)
	src.grow(95, false)
	h.waitFor("following after Down", func() bool { return h.v.list.n == 95 && h.v.list.selected() == 94 })
	h.sim.InjectMouse(10, 4, tcell.WheelUp, tcell.ModNone)
	h.sync()
	src.grow(100, false)
	h.waitFor("100 rows", func() bool { return h.v.list.n == 100 })
	if got := h.selectedFrame(); got != 94 {
		t.Errorf("the wheel did not stop following: selected %d", got)
	}
	h.typeText("G")
	if got := h.selectedFrame(); got != 99 {
		t.Errorf("G selected %d", got)
	}
	// the capture ends
	src.grow(100, true)
	h.waitFor("stopped", func() bool { return strings.Contains(statusText(h.v.statusInfo(), 200, false), "capture stopped") })
}

func TestLivePause(t *testing.T) {
	h, src, _ := startLive(t, 40, Options{})
	h.waitFor("40 rows", func() bool { return h.v.list.n == 40 && h.v.list.selected() == 39 })
	_, off := h.listRows()
	h.typeText(" ")
	src.grow(70, false)
	// the status bar keeps counting, the list stays
	h.waitFor("the count", func() bool { return strings.Contains(h.statusNow(), "70 packets") })
	st := h.status()
	t.Logf("paused:\n%s", h.dump())
	if !strings.Contains(st, "view paused (Space resumes)") {
		t.Errorf("status while paused: %q", st)
	}
	n, off2 := h.listRows()
	if n != 40 || off2 != off || h.selectedFrame() != 39 {
		t.Errorf("paused list: %d rows, offset %d (was %d), selected %d", n, off2, off, h.selectedFrame())
	}
	if h.onScreen(41) {
		t.Error("a packet that arrived while paused is on screen")
	}
	// moving in the paused list works; goto says the packet came later
	h.typeText("k")
	if got := h.selectedFrame(); got != 38 {
		t.Errorf("k while paused: %d", got)
	}
	h.typeText(":")
	h.typeText("60")
	h.key(tcell.KeyEnter)
	if st := h.status(); !strings.Contains(st, "after the view was paused") {
		t.Errorf("goto past the pause: %q", st)
	}
	// Space resumes: the rows come, the selection stays (the user moved)
	h.typeText(" ")
	h.waitFor("70 rows", func() bool { return h.v.list.n == 70 })
	if got := h.selectedFrame(); got != 38 {
		t.Errorf("after resuming: selected %d", got)
	}
	// End while paused resumes and follows
	h.typeText(" ")
	src.grow(75, false)
	h.waitFor("the count", func() bool { return strings.Contains(h.statusNow(), "75 packets") })
	h.key(tcell.KeyEnd)
	h.waitFor("75 rows, the newest", func() bool { return h.v.list.n == 75 && h.v.list.selected() == 74 })
	if st := h.status(); strings.Contains(st, "paused") {
		t.Errorf("still paused after End: %q", st)
	}
	// Space in the detail tree still opens and closes lines
	h.key(tcell.KeyTab)
	h.typeText(" ")
	if h.v.paused {
		t.Error("Space in the tree paused the view")
	}
}

func TestLiveFilterFollowsNewFrames(t *testing.T) {
	h, src, _ := startLive(t, 16, Options{})
	h.waitFor("16 rows", func() bool { return h.v.list.n == 16 })
	h.typeText("/udp")
	h.key(tcell.KeyEnter)
	h.waitFor("the filter", func() bool { return h.v.list.n == 2 && !h.v.filt.running })
	if got := h.selectedFrame(); got != 11 {
		t.Errorf("filtered: selected %d, want the newest UDP frame 11", got)
	}
	src.grow(40, false)
	h.waitFor("new UDP frames", func() bool { return h.v.list.n == 5 && h.v.list.selected() == 35 })
	if st := h.status(); !strings.Contains(st, "5 of 40 shown") || strings.Contains(st, "filtering") {
		t.Errorf("status: %q", st)
	}
	src.mu.Lock()
	ranges := slices.Clone(src.ranges)
	src.mu.Unlock()
	if len(ranges) == 0 || ranges[0][0] != 16 {
		t.Errorf("the filter ran over %v, not only the new frames", ranges)
	}
	// paused: the filtered list stays too
	h.typeText(" ")
	src.grow(60, false)
	h.waitFor("the count", func() bool { return strings.Contains(h.statusNow(), "of 60 shown") })
	if n, _ := h.listRows(); n != 5 {
		t.Errorf("paused filtered list grew to %d", n)
	}
	h.typeText(" ")
	h.waitFor("resumed", func() bool { return h.v.list.n == 8 && h.v.list.selected() == 59 })
	// the validation switches work during the capture
	h.typeText("c")
	h.waitFor("dialog", func() bool { front, _ := h.v.pages.GetFrontPage(); return front == "validation" })
	h.key(tcell.KeyDown)
	h.typeText(" ")
	h.key(tcell.KeyEscape)
	h.waitFor("tcp off", func() bool { return strings.Contains(h.statusNow(), "check all but tcp") })
	h.waitFor("refiltered", func() bool { return h.v.list.n == 8 && !h.v.filt.running })
}

func TestLiveStatusFits80(t *testing.T) {
	s := statusInfo{file: "live: enp0s31f6", total: 123456, shown: 1234, bad: 12,
		validated: []string{"ip", "tcp"}, live: &liveInfo{following: true,
			stats: &LiveStats{Received: 1234567, Dropped: 89}}}
	got := statusText(s, 80, false)
	if textWidth(got) > 80 || !strings.Contains(got, "● live") ||
		!strings.Contains(got, "89 dropped") || !strings.Contains(got, "1234 of 123456 shown") {
		t.Errorf("80 columns: %q (%d)", got, textWidth(got))
	}
	s.live.paused = true
	got = statusText(s, 80, true)
	if textWidth(got) > 80 || !strings.Contains(got, "paused") || !strings.Contains(got, "89 dropped") {
		t.Errorf("paused, ASCII: %q", got)
	}
	wide := statusText(s, 200, false)
	if !strings.Contains(wide, "1234567 received, 89 dropped") || !strings.Contains(wide, "view paused (Space resumes)") ||
		!strings.Contains(wide, "check ip tcp") {
		t.Errorf("wide: %q", wide)
	}
}

// saveCall records what Options.Save was asked to write.
type saveCall struct {
	mu     sync.Mutex
	path   string
	frames []int
	format string
	calls  int
	err    error
}

func (c *saveCall) save(_ Source, path string, frames []int, format string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.path, c.frames, c.format, c.calls = path, frames, format, c.calls+1
	return c.err
}

func (c *saveCall) get() (string, []int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.path, c.frames, c.calls
}

func TestSaveAllAndShown(t *testing.T) {
	sc := &saveCall{}
	h, _, _ := startLive(t, 20, Options{Save: sc.save})
	h.waitFor("20 rows", func() bool { return h.v.list.n == 20 })
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	screen := h.dump()
	t.Logf("save dialog:\n%s", screen)
	if !strings.Contains(screen, "Save packets") || !strings.Contains(screen, "all 20 packets") ||
		strings.Contains(screen, "shown by the filter") {
		t.Fatalf("no save dialog:\n%s", screen)
	}
	var path string
	h.do(func() { path = h.v.save.input.GetText() })
	if !regexp.MustCompile(`^\./wirelens-\d{8}-\d{6}\.pcapng$`).MatchString(path) {
		t.Errorf("default path %q", path)
	}
	h.key(tcell.KeyEnter)
	h.waitFor("saved", func() bool { return strings.Contains(h.v.status.msg, "saved 20 packets to "+path) })
	p, frames, _ := sc.get()
	if p != path || len(frames) != 20 || frames[0] != 0 || frames[19] != 19 {
		t.Errorf("Save(%q, %v)", p, frames)
	}
	if strings.Contains(h.dump(), "Save packets") {
		t.Error("the dialog stayed open")
	}

	// with a filter: the shown packets by default, Tab for all
	h.typeText("/udp")
	h.key(tcell.KeyEnter)
	h.waitFor("filter", func() bool { return h.v.list.n == 3 && !h.v.filt.running })
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	if !strings.Contains(h.dump(), "(•) only the 3 shown by the filter") {
		t.Fatalf("dialog with a filter:\n%s", h.dump())
	}
	h.keyMod(tcell.KeyCtrlU, tcell.ModCtrl)
	h.typeText("/tmp/udp.pcapng")
	h.key(tcell.KeyEnter)
	h.waitFor("saved", func() bool { return strings.Contains(h.v.status.msg, "saved 3 packets to /tmp/udp.pcapng") })
	if p, frames, _ := sc.get(); p != "/tmp/udp.pcapng" || !slices.Equal(frames, []int{3, 11, 19}) {
		t.Errorf("Save(%q, %v)", p, frames)
	}
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	h.key(tcell.KeyBacktab)
	if !strings.Contains(h.dump(), "(•) all 20 packets") {
		t.Errorf("Shift-Tab did not choose all:\n%s", h.dump())
	}
	h.key(tcell.KeyEnter)
	h.waitFor("saved all", func() bool { return strings.Contains(h.v.status.msg, "saved 20 packets") })

	// Esc cancels
	_, _, calls := sc.get()
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	h.key(tcell.KeyEscape)
	if _, _, c := sc.get(); c != calls || strings.Contains(h.dump(), "Save packets") {
		t.Errorf("Esc: %d saves (was %d)", c, calls)
	}

	// an error names the path
	sc.mu.Lock()
	sc.err = &os.PathError{Op: "open", Path: "/ro/x.pcapng", Err: errors.New("read-only file system")}
	sc.mu.Unlock()
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	h.keyMod(tcell.KeyCtrlU, tcell.ModCtrl)
	h.typeText("/ro/x.pcapng")
	h.key(tcell.KeyEnter)
	h.waitFor("error", func() bool {
		return strings.Contains(h.v.status.msg, "cannot save (read-only file system): /ro/x.pcapng")
	})
	t.Logf("error:\n%s", h.status())
}

func TestSaveUnavailable(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	if st := h.status(); !strings.Contains(st, "saving is not available") {
		t.Errorf("Ctrl-S without Save: %q", st)
	}
}

// TestSaveFromFile: Ctrl-S saves a file's packets too, and works from the
// filter bar. (Two UIs must not run at once: tview's styles are global.)
func TestSaveFromFile(t *testing.T) {
	sc := &saveCall{}
	h2 := start(t, newFake(standardFrames()), Options{Save: sc.save}, 80, 24)
	// Ctrl-S works from the filter bar too
	h2.typeText("/")
	h2.keyMod(tcell.KeyCtrlS, tcell.ModCtrl)
	h2.key(tcell.KeyEnter)
	h2.waitFor("saved", func() bool { return strings.Contains(h2.v.status.msg, "saved 8 packets") })
	if st := h2.status(); strings.Contains(st, "live") {
		t.Errorf("a file says live: %q", st)
	}
}
