package ui

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// t cycles the Time column through Wireshark's formats; on a real capture
// each format shows what tshark's -t shows for it (asked of tshark when it
// is installed, else the values it printed for this file).
func TestTimeFormatsOnScreen(t *testing.T) {
	const path = "../testdata/crafted/vlan-8021q.pcap"
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		time.Sleep(time.Millisecond)
	}
	h := startSource(t, c, Options{}, 140, 30)
	h.do(func() { h.v.list.times.loc = time.UTC })
	want := map[timeFormat][]string{
		timeUTCDate:       {"2023-11-14 22:13:20.000123", "2023-11-14 22:13:20.001123"},
		timeEpoch:         {"1700000000.000123", "1700000000.001123"},
		timeDeltaCaptured: {"0.000000", "0.001000"},
	}
	tsharkFlag := map[timeFormat]string{timeUTCDate: "ud", timeEpoch: "e", timeDeltaCaptured: "dd"}
	for f, flag := range tsharkFlag {
		out, err := exec.Command("tshark", "-r", path, "-t", flag, "-T", "fields", "-e", "_ws.col.Time").Output()
		if err == nil {
			want[f] = strings.Fields(string(out))[:2]
		}
	}
	for f := timeFormat(1); f < numTimeFormats; f++ {
		h.typeText("t")
		exp, ok := want[f]
		if !ok {
			continue
		}
		screen := h.dump()
		for _, w := range exp {
			if !strings.Contains(screen, w) {
				t.Errorf("format %q: screen lacks %q:\n%s", timeFormatNames[f], w, screen)
			}
		}
		if !strings.Contains(screen, timeFormatNames[f]) {
			t.Errorf("the status bar does not name %q", timeFormatNames[f])
		}
	}
	h.typeText("t") // back to relative
	h.key(tcell.KeyDown)
	h.key(tcell.KeyCtrlT)
	screen := h.dump()
	if !strings.Contains(screen, "*REF*") || !strings.Contains(screen, "-0.001000") {
		t.Errorf("Ctrl-T on packet 2: no *REF* or negative time before it:\n%s", screen)
	}
}

// m marks packets (a * in the mark column), M and Ctrl-B walk them, and
// the save dialog offers the marked ones.
func TestMarks(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{Save: func(Source, string, []int, string) error { return nil }}, 120, 30)
	h.typeText("m")
	h.key(tcell.KeyDown)
	h.key(tcell.KeyDown)
	h.typeText("m")
	if y := h.rowY(3); !strings.HasPrefix(h.lines()[y], "*") {
		t.Errorf("marked row 3: %q", h.lines()[y])
	}
	h.typeText("M")
	if f := h.selectedFrame(); f != 0 {
		t.Errorf("M from the last mark: frame %d, want 0 (wraps)", f)
	}
	h.typeText("M")
	if f := h.selectedFrame(); f != 2 {
		t.Errorf("M: frame %d, want 2", f)
	}
	h.key(tcell.KeyCtrlB)
	if f := h.selectedFrame(); f != 0 {
		t.Errorf("Ctrl-B: frame %d, want 0", f)
	}
	h.key(tcell.KeyCtrlS)
	h.key(tcell.KeyTab)
	if !strings.Contains(h.dump(), "(•) only the 2 marked") {
		t.Errorf("save dialog does not offer the marked:\n%s", h.dump())
	}
	var frames []int
	h.do(func() { frames = h.v.markedFrames() })
	if len(frames) != 2 || frames[0] != 0 || frames[1] != 2 {
		t.Errorf("marked frames %v", frames)
	}
}
