package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// closingFake is a fake source that records being closed.
type closingFake struct {
	*fakeSource
	closed atomic.Bool
}

func (c *closingFake) Close() error { c.closed.Store(true); return nil }

func TestCompletePath(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.pcap", "abc.pcapng", ".hidden.pcap", "sub/x.pcap"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		in, want string
		cands    []string
	}{
		{dir + "/a", dir + "/a", []string{"a.pcap", "abc.pcapng"}},
		{dir + "/ab", dir + "/abc.pcapng", []string{"abc.pcapng"}},
		{dir + "/s", dir + "/sub/", []string{"sub/"}},
		{dir + "/", dir + "/", []string{"a.pcap", "abc.pcapng", "sub/"}},
		{dir + "/.h", dir + "/.hidden.pcap", []string{".hidden.pcap"}},
		{dir + "/z", dir + "/z", nil},
		{dir + "/nodir/a", dir + "/nodir/a", nil},
	} {
		got, cands := completePath(tc.in)
		if got != tc.want || !slices.Equal(cands, tc.cands) {
			t.Errorf("completePath(%q) = %q %v, want %q %v", tc.in, got, cands, tc.want, tc.cands)
		}
	}
}

// TestOpenAnother: o opens another capture in place (Tab completes the
// path), the old one is closed and the display filter stays; a file that
// does not open leaves the capture shown; Ctrl-W goes to the start screen.
func TestOpenAnother(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	dir := t.TempDir()
	for _, f := range []string{"a.pcap", "abc.pcapng"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := &closingFake{fakeSource: newFake(standardFrames())}
	second := &closingFake{fakeSource: newFake(standardFrames()[2:5])}
	third := &closingFake{fakeSource: newFake(standardFrames()[:2])}
	opens := 0
	opts := Options{Open: func(path string) (Source, error) {
		opens++
		if filepath.Base(path) == "abc.pcapng" {
			if opens > 2 {
				return third, nil
			}
			return second, nil
		}
		return nil, errors.New("not a capture file")
	}}
	h := startSource(t, first, opts, 100, 30)
	h.typeText("/udp")
	h.key(tcell.KeyEnter)
	h.waitFor("the filter", func() bool { return !h.v.filt.busy() && h.v.list.n == 1 })

	h.typeText("o")
	if _, _, ok := h.find("Open capture"); !ok {
		t.Fatalf("no open dialog:\n%s", h.dump())
	}
	h.typeText(dir + "/a")
	h.key(tcell.KeyTab)
	if _, _, ok := h.find("a.pcap  abc.pcapng"); !ok {
		t.Fatalf("Tab shows no candidates:\n%s", h.dump())
	}
	// a file that does not open: the dialog says why, the capture stays
	h.typeText(".pcap")
	h.key(tcell.KeyEnter)
	if _, _, ok := h.find("cannot open a.pcap: not a capture file"); !ok || first.closed.Load() {
		t.Fatalf("bad file: closed %v\n%s", first.closed.Load(), h.dump())
	}
	h.key(tcell.KeyBackspace) // ".../a.pca"
	for range ".pca" {
		h.key(tcell.KeyBackspace)
	}
	h.typeText("b")
	h.key(tcell.KeyTab)
	var text string
	h.do(func() { text = h.v.openDlg.input.GetText() })
	if text != dir+"/abc.pcapng" {
		t.Fatalf("Tab completed %q", text)
	}
	h.key(tcell.KeyEnter)
	h.waitFor("the new capture filtered", func() bool { return h.v.src == second && !h.v.filt.busy() && h.v.list.n == 1 })
	if !first.closed.Load() {
		t.Error("the first capture was not closed")
	}
	screen := h.dump()
	t.Logf("opened:\n%s", screen)
	ls := h.lines()
	if !strings.Contains(ls[0], "Filter: udp") || !strings.Contains(ls[29], "abc.pcapng") ||
		!strings.Contains(ls[29], "1 of 3 shown") || strings.Contains(screen, "Open capture") {
		t.Errorf("after opening:\n%s", screen)
	}
	if recent := loadRecent(); len(recent) != 1 || recent[0] != dir+"/abc.pcapng" {
		t.Errorf("recent files: %q", recent)
	}
	// the keys work on the new capture
	h.typeText("/")
	h.key(tcell.KeyCtrlU)
	h.key(tcell.KeyEnter)
	h.waitFor("all 3", func() bool { return h.v.list.n == 3 })
	h.key(tcell.KeyEnd)
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("End on the new capture: frame %d", got)
	}

	// Esc closes the dialog without opening anything
	h.typeText("o")
	h.key(tcell.KeyEscape)
	if _, _, ok := h.find("Open capture"); ok || opens != 2 {
		t.Errorf("Esc: opens %d\n%s", opens, h.dump())
	}

	// Ctrl-W: the start screen, the capture closed
	h.sim.InjectKey(tcell.KeyCtrlW, 0, tcell.ModNone)
	select {
	case err := <-h.done:
		var pe *PanicError
		errors.As(err, &pe)
		t.Fatalf("Ctrl-W ended the UI: %v\n%s", err, pe.Stack)
	case <-time.After(200 * time.Millisecond):
	}
	if _, _, ok := h.find("wirelens: tell checksum-offload artifacts"); !ok || !second.closed.Load() {
		t.Fatalf("Ctrl-W: closed %v\n%s", second.closed.Load(), h.dump())
	}
	if _, _, ok := h.find("abc.pcapng"); !ok {
		t.Errorf("the start screen does not list the recent file:\n%s", h.dump())
	}
	h.do(func() {
		select {
		case <-h.v.tick.quit:
		default:
			t.Error("the closed capture's ticker still runs")
		}
	})

	// and from the start screen, a capture again, with its own ticker
	h.typeText("o")
	h.typeText(dir + "/abc.pcapng")
	h.key(tcell.KeyEnter)
	h.waitFor("the third capture", func() bool { return h.v.src == third && h.v.list.n == 2 })
	third.mu.Lock()
	third.frames = append(third.frames, standardFrames()[5:]...)
	third.mu.Unlock()
	third.grow(5, true)
	h.waitFor("the ticker to show new frames", func() bool { return h.v.list.n == 5 })
}

// TestStartScreenCompletes: o on the start screen completes paths with Tab
// too.
func TestStartScreenCompletes(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	for _, f := range []string{"one.pcap", "other.pcapng"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := startSource(t, nil, Options{}, 100, 30)
	h.typeText("o")
	h.typeText(dir + "/o")
	h.key(tcell.KeyTab)
	if _, _, ok := h.find("one.pcap  other.pcapng"); !ok {
		t.Fatalf("no candidates:\n%s", h.dump())
	}
	h.typeText("t")
	h.key(tcell.KeyTab)
	var text string
	h.do(func() { text = h.v.start.input.GetText() })
	if text != dir+"/other.pcapng" {
		t.Errorf("Tab completed %q", text)
	}
}
