package ui

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EFind drives the find bar (Ctrl-F) on the demo capture in tmux: a
// string in the packet list, a display filter, hex bytes, a bad filter.
func TestE2EFind(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	demo, err := filepath.Abs("../cmd/wirelens/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	s := tm.start("find", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, demo)
	tm.waitFor(s, "Filter:", "83 packets")
	tm.waitGone(s, "reading")
	tm.keys(s, "C-f")
	tm.waitFor(s, "Find display filter:")
	tm.literal(s, "udp.dstport == 9999")
	tm.keys(s, "Enter")
	screen := tm.waitFor(s, `found "udp.dstport == 9999" in packet 35`)
	t.Logf("find udp:\n%s", screen)
	if !strings.Contains(screen, "User Datagram Protocol, Src Port: 48351, Dst Port: 9999") {
		t.Errorf("the found packet's tree is not that UDP:\n%s", screen)
	}
	tm.keys(s, "C-u")
	tm.literal(s, "udp.dstprt")
	tm.keys(s, "Enter")
	tm.waitFor(s, `bad display filter "udp.dstprt"`)
	// string mode, in the packet list, case ignored
	tm.keys(s, "Tab", "C-u")
	tm.waitFor(s, "Find string:", "in packet list")
	tm.literal(s, "get /")
	tm.keys(s, "Enter")
	// from packet 35 it wraps around to the first GET
	screen = tm.waitFor(s, `found "get /" in packet 18 (wrapped around to the beginning)`)
	t.Logf("find GET:\n%s", screen)
	// hex bytes: "HTTP" is 48 54 54 50
	tm.keys(s, "Tab", "C-u")
	tm.waitFor(s, "Find hex bytes:")
	tm.literal(s, "48 54 54 5g")
	tm.keys(s, "Enter")
	tm.waitFor(s, `bad hex bytes "48 54 54 5g"`)
	tm.keys(s, "C-u")
	tm.literal(s, "48 54 54 50")
	tm.keys(s, "Enter")
	tm.waitFor(s, `found "48 54 54 50" in packet 20`) // HTTP/1.0 200 OK
	tm.keys(s, "Escape")
	tm.waitGone(s, "Find hex bytes:")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
