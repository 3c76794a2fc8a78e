package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// withConfig points $XDG_CONFIG_HOME at a fresh directory and returns the
// recent file's path.
func withConfig(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	return filepath.Join(dir, "wirelens", "recent")
}

func TestRecentList(t *testing.T) {
	file := withConfig(t)
	if got := loadRecent(); len(got) != 0 {
		t.Errorf("missing file: %q", got)
	}
	dir := t.TempDir()
	for i := 0; i < 12; i++ {
		if err := RecordRecent(filepath.Join(dir, string(rune('a'+i))+".pcap")); err != nil {
			t.Fatal(err)
		}
	}
	got := loadRecent()
	if len(got) != maxRecent || got[0] != filepath.Join(dir, "l.pcap") || got[9] != filepath.Join(dir, "c.pcap") {
		t.Errorf("recent after 12: %q", got)
	}
	// again: moves to the top, no duplicate
	if err := RecordRecent(filepath.Join(dir, "e.pcap")); err != nil {
		t.Fatal(err)
	}
	got = loadRecent()
	if got[0] != filepath.Join(dir, "e.pcap") || len(got) != maxRecent || got[1] != filepath.Join(dir, "l.pcap") {
		t.Errorf("re-recorded: %q", got)
	}
	// relative paths are stored absolute; stdin and newlines never
	wd, _ := os.Getwd()
	_ = RecordRecent("rel.pcap")
	_ = RecordRecent("-")
	_ = RecordRecent(filepath.Join(dir, "x\ny.pcap"))
	got = loadRecent()
	if got[0] != filepath.Join(wd, "rel.pcap") || got[1] != filepath.Join(dir, "e.pcap") {
		t.Errorf("rel/stdin/newline: %q", got)
	}
	// written atomically: no temporary file is left behind
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("files in config dir: %v", entries)
	}
	// a damaged file is an empty list, and is replaced by the next record
	for _, bad := range []string{"\x00\x01garbage\xff\n", "relative/path\n", strings.Repeat("/x\n", 40000)} {
		if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := loadRecent(); len(got) != 0 {
			t.Errorf("damaged %.10q: %q", bad, got)
		}
	}
	if err := RecordRecent("/tmp/a.pcap"); err != nil {
		t.Fatal(err)
	}
	if got := loadRecent(); len(got) != 1 || got[0] != "/tmp/a.pcap" {
		t.Errorf("after damage: %q", got)
	}
	// a config dir that cannot be used is an error for RecordRecent only
	t.Setenv("XDG_CONFIG_HOME", "relative")
	if got := loadRecent(); got != nil {
		t.Errorf("bad config dir: %q", got)
	}
}

// startOpts is a start screen whose Open returns the fake capture.
func startOpts(t *testing.T, opened *[]string) Options {
	return Options{
		DemoPath: "/tmp/wirelens-demo.pcap",
		Open: func(path string) (Source, error) {
			*opened = append(*opened, path)
			if strings.Contains(path, "broken") {
				return nil, errors.New("not a capture file")
			}
			return newFake(standardFrames()), nil
		},
		FileName: "-",
	}
}

func TestStartScreenDemo(t *testing.T) {
	file := withConfig(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "seen.pcap")
	os.WriteFile(existing, []byte("x"), 0o644)
	os.MkdirAll(filepath.Dir(file), 0o755)
	os.WriteFile(file, []byte(existing+"\n"+filepath.Join(dir, "gone.pcap")+"\n"), 0o644)

	var opened []string
	opts := startOpts(t, &opened)
	opts.Interfaces = func() ([]InterfaceInfo, error) {
		return []InterfaceInfo{
			{Name: "eth0", Up: true, MTU: 1500, Offloads: "rx-checksum on, tx-checksum on, tso on, gro on"},
			{Name: "veth\x1b[31m", Up: false, MTU: 9000},
		}, nil
	}
	h := startSource(t, nil, opts, 80, 24)
	h.waitFor("interfaces", func() bool { return h.v.start.ifaceDone })
	screen := h.dump()
	t.Logf("start screen:\n%s", screen)
	for _, want := range []string{"Capture files", "Demo capture (built in)", existing, "gone.pcap  (missing)",
		"Open a file...", "Network interfaces", "eth0            up   MTU 1500   rx-checksum on", "veth\\x1b[31m",
		"offloads unknown", "Enter open"} {
		if !strings.Contains(screen, want) {
			t.Errorf("start screen lacks %q", want)
		}
	}
	x, y, _ := h.find("Demo capture")
	if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrReverse == 0 {
		t.Error("demo not selected first")
	}
	x, y, _ = h.find("gone.pcap")
	if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrDim == 0 {
		t.Error("missing file not dim")
	}
	h.key(tcell.KeyEnter)
	h.waitFor("packet list", func() bool { return h.v.start == nil && h.v.list != nil && h.v.list.n == 8 })
	if len(opened) != 1 || opened[0] != opts.DemoPath {
		t.Errorf("opened %q", opened)
	}
	if !strings.Contains(h.lines()[23], "demo (built in)") {
		t.Errorf("status: %q", h.lines()[23])
	}
	if got := loadRecent(); len(got) != 2 || got[0] != existing {
		t.Errorf("the demo was recorded: %q", got)
	}
	// the normal view works: n, the report
	h.typeText("n")
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("n: %d", got)
	}
	h.typeText("e")
	h.waitReport()
}

func TestStartScreenRecentAndErrors(t *testing.T) {
	withConfig(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pcap"), filepath.Join(dir, "b.pcap")
	_ = RecordRecent(a)
	_ = RecordRecent(b)
	var opened []string
	opts := startOpts(t, &opened)
	opts.DemoPath = ""
	h := startSource(t, nil, opts, 80, 24)
	screen := h.dump()
	if strings.Contains(screen, "Demo capture") || !strings.Contains(screen, "Live capture is not available") {
		t.Errorf("start screen:\n%s", screen)
	}
	// o: type a path that fails to open; the error shows, the screen stays
	h.typeText("o")
	h.typeText(filepath.Join(dir, "broken.pcap"))
	h.key(tcell.KeyEnter)
	if !strings.Contains(h.lines()[23], "cannot open") || !strings.Contains(h.lines()[23], "not a capture file") {
		t.Errorf("error line: %q", h.lines()[23])
	}
	if h.v.start == nil {
		t.Fatal("left the start screen after an error")
	}
	// Down selects a.pcap (b is newest, first); Enter opens it
	h.key(tcell.KeyDown)
	h.key(tcell.KeyEnter)
	h.waitFor("opened", func() bool { return h.v.start == nil })
	if opened[len(opened)-1] != a {
		t.Errorf("opened %q", opened)
	}
	if got := loadRecent(); len(got) != 2 || got[0] != a {
		t.Errorf("recent after opening a: %q", got)
	}
	if !strings.Contains(h.lines()[23], "a.pcap") {
		t.Errorf("status: %q", h.lines()[23])
	}
}

func TestStartScreenInterfacesWithoutCapture(t *testing.T) {
	withConfig(t)
	var opened []string
	opts := startOpts(t, &opened)
	opts.Interfaces = func() ([]InterfaceInfo, error) { return []InterfaceInfo{{Name: "lo", Up: true, MTU: 65536}}, nil }
	h := startSource(t, nil, opts, 80, 24)
	h.waitFor("interfaces", func() bool { return h.v.start.ifaceDone })
	h.key(tcell.KeyEnd)
	h.key(tcell.KeyEnter)
	if !strings.Contains(h.lines()[23], "live capture is not available yet") {
		t.Errorf("no message: %q", h.lines()[23])
	}
	// with Capture set, the interface opens
	var captured string
	h.do(func() {
		h.v.start.opts.Capture = func(name string) (Source, error) { captured = name; return newFake(standardFrames()), nil }
	})
	h.key(tcell.KeyEnter)
	h.waitFor("live view", func() bool { return h.v.start == nil })
	if captured != "lo" || !strings.Contains(h.lines()[23], "live: lo") {
		t.Errorf("captured %q, status %q", captured, h.lines()[23])
	}
}

func TestStartScreenInterfaceError(t *testing.T) {
	withConfig(t)
	var opened []string
	opts := startOpts(t, &opened)
	opts.Interfaces = func() ([]InterfaceInfo, error) { return nil, errors.New("permission denied") }
	h := startSource(t, nil, opts, 80, 24)
	h.waitFor("interfaces", func() bool { return h.v.start.ifaceDone })
	if !strings.Contains(h.dump(), "Cannot list interfaces: permission denied") {
		t.Errorf("screen:\n%s", h.dump())
	}
	// One q asks; another key stays; q twice quits.
	h.typeText("q")
	if !strings.Contains(h.dump(), "Quit wirelens?") {
		t.Errorf("q did not ask:\n%s", h.dump())
	}
	h.typeText("j")
	select {
	case <-h.done:
		t.Fatal("a key after q quit the start screen")
	default:
	}
	if strings.Contains(h.dump(), "Quit wirelens?") {
		t.Errorf("the question stayed after another key")
	}
	h.typeText("qq")
	select {
	case <-h.done:
		h.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("q q did not quit the start screen")
	}
}

func TestStartScreenNoColor(t *testing.T) {
	withConfig(t)
	var opened []string
	opts := startOpts(t, &opened)
	opts.NoColor, opts.ASCII = true, true
	h2 := startSource(t, nil, opts, 80, 24)
	cells, w, ht := h2.cells()
	for i, c := range cells[:w*ht] {
		fg, bg, _ := c.Style.Decompose()
		if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
			t.Fatalf("colour at %d,%d", i%w, i/w)
		}
	}
	if !strings.Contains(h2.dump(), "Enter open | o open a path") {
		t.Errorf("ascii footer:\n%s", h2.dump())
	}
	x, y, _ := h2.find("Demo capture")
	if _, _, a := h2.style(x, y).Decompose(); a&tcell.AttrReverse == 0 {
		t.Error("selection not reverse without colour")
	}
}
