package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestParseRange(t *testing.T) {
	for in, want := range map[string][]int{
		"10-12,15":  {9, 10, 11, 14},
		" -3 ":      {0, 1, 2},
		"18-":       {17, 18, 19},
		"5,5,4-5,":  {3, 4},
		"1-20":      nil, // all 20, checked by length below
		"20":        {19},
		"2 - 3, 7 ": {1, 2, 6},
	} {
		got, err := parseRange(in, 20)
		if err != nil {
			t.Errorf("parseRange(%q): %v", in, err)
			continue
		}
		if want == nil {
			if len(got) != 20 {
				t.Errorf("parseRange(%q) = %v", in, got)
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("parseRange(%q) = %v, want %v", in, got, want)
		}
	}
	for in, msg := range map[string]string{
		"":      "give a range",
		"21":    `range "21": packet 21 is past the last one (20)`,
		"0":     `"0" is not a packet number`,
		"a-b":   `"a" is not a packet number`,
		"9-3":   `"9-3" runs backwards`,
		"-":     `"-" has no packet numbers`,
		",":     "no packets",
		"3-x,4": `"x" is not a packet number`,
	} {
		if _, err := parseRange(in, 20); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parseRange(%q): %v, want %q", in, err, msg)
		}
	}
}

// TestExportDialog: x opens the dialog as Export, a range is typed after
// Tab chooses it, Ctrl-O switches to pcap, Save gets the frames and format.
func TestExportDialog(t *testing.T) {
	sc := &saveCall{}
	h := start(t, newFake(standardFrames()), Options{Save: sc.save}, 100, 30)
	h.typeText("m") // mark packet 1: the dialog offers the marked too
	h.typeText("x")
	screen := h.dump()
	if !strings.Contains(screen, "Export packets") || !strings.Contains(screen, "(•) all 8 packets") ||
		!strings.Contains(screen, "( ) only the 1 marked") || !strings.Contains(screen, "( ) range") ||
		!strings.Contains(screen, "Format: pcapng") {
		t.Fatalf("export dialog:\n%s", screen)
	}
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab) // range: the cursor goes to the range line
	if !strings.Contains(h.dump(), "(•) range") {
		t.Fatalf("Tab Tab did not choose the range:\n%s", h.dump())
	}
	h.do(func() {
		if !h.v.save.rangeIn.HasFocus() {
			t.Error("the range line has no focus")
		}
	})
	h.typeText("2-3,9")
	h.key(tcell.KeyEnter)
	if st := h.lines()[29]; !strings.Contains(st, `range "2-3,9": packet 9 is past the last one (8)`) {
		t.Fatalf("bad range: %q", st)
	}
	if !strings.Contains(h.dump(), "Export packets") {
		t.Fatal("a bad range closed the dialog")
	}
	h.key(tcell.KeyBackspace)
	h.typeText("7")
	h.key(tcell.KeyCtrlO)
	if !strings.Contains(h.dump(), "Format: pcap (one link type") {
		t.Fatalf("Ctrl-O:\n%s", h.dump())
	}
	var path string
	h.do(func() { path = h.v.save.input.GetText() })
	if !strings.HasSuffix(path, ".pcap") {
		t.Errorf("Ctrl-O left the name %q", path)
	}
	h.key(tcell.KeyEnter)
	h.waitFor("saved", func() bool { return strings.Contains(h.v.status.msg, "saved 3 packets to "+path+" (pcap)") })
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.path != path || !slices.Equal(sc.frames, []int{1, 2, 6}) || sc.format != "pcap" {
		t.Errorf("Save(%q, %v, %q)", sc.path, sc.frames, sc.format)
	}
}

func TestSaveFormat(t *testing.T) {
	for in, want := range map[string]string{"a.pcap": "pcap", "a.PCAP": "pcap", "a.cap": "pcap", "a.pcapng": "pcapng", "a": "pcapng", "a.pcap.gz": "pcapng"} {
		if got := saveFormat(in); got != want {
			t.Errorf("saveFormat(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"a.pcapng": "a.pcap", "a.pcap": "a.pcapng", "a": "a.pcap", "./w.x/y": "./w.x/y.pcap"} {
		if got := otherFormat(in); got != want {
			t.Errorf("otherFormat(%q) = %q, want %q", in, got, want)
		}
	}
}
