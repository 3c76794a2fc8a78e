package ui

import (
	"path/filepath"
	"testing"
)

// TestE2EOpen opens another capture from a capture in tmux (o, Tab
// completion), keeps it on a file that does not open, and goes back to
// the start screen with Ctrl-W.
func TestE2EOpen(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	demo, err := filepath.Abs("../cmd/wirelens/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs("../testdata/crafted")
	if err != nil {
		t.Fatal(err)
	}
	s := tm.start("open", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, demo)
	tm.waitFor(s, "83 packets")
	tm.keys(s, "o")
	tm.waitFor(s, "Open capture")
	tm.keys(s, "C-u")
	tm.literal(s, dir+"/pcapng-multi")
	tm.keys(s, "Tab")
	tm.waitFor(s, "pcapng-multi-if.pcapng")
	tm.keys(s, "Enter")
	screen := tm.waitFor(s, "pcapng-multi-if.pcapng │ 6 packets", "opened "+dir+"/pcapng-multi-if.pcapng")
	t.Logf("opened:\n%s", screen)
	// a file that is not a capture: the dialog says so, the capture stays
	tm.keys(s, "o")
	tm.waitFor(s, "Open capture")
	tm.keys(s, "C-u")
	tm.literal(s, dir+"/../README.md")
	tm.keys(s, "Enter")
	screen = tm.waitFor(s, "cannot open README.md:")
	t.Logf("bad file:\n%s", screen)
	tm.keys(s, "Escape")
	tm.waitGone(s, "Open capture")
	tm.waitFor(s, "6 packets")
	tm.keys(s, "C-w")
	screen = tm.waitFor(s, "tell checksum-offload artifacts", "pcapng-multi-if.pcapng")
	t.Logf("start screen:\n%s", screen)
	tm.keys(s, "q", "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
