package ui

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EFollowStats opens a capture in the real binary, follows packet
// 4's TCP stream (the HTTP request and response show, the filter is the
// stream's), goes back, and opens the statistics on a TCP conversation.
func TestE2EFollowStats(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	capture, err := filepath.Abs("../testdata/captures/apps-a.pcap")
	if err != nil {
		t.Fatal(err)
	}
	s := tm.start("views", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, capture)
	tm.waitFor(s, "Filter:", "No.", "apps-a.pcap")
	tm.keys(s, ":")
	tm.waitFor(s, "Go to packet:")
	tm.literal(s, "4")
	tm.keys(s, "Enter")
	tm.waitFor(s, "Frame 4:")
	tm.keys(s, "f")
	screen := tm.waitFor(s, "Follow TCP stream 0", "▶ GET /hello.txt HTTP/1.1", "◀ HTTP/1.0 200 OK", "◀ hello from wirelens")
	t.Logf("follow:\n%s", screen)
	tm.keys(s, "x")
	tm.waitFor(s, "Hex dump", "▶ 00000000  47 45 54 20")
	tm.keys(s, "Escape")
	screen = tm.waitFor(s, "tcp.stream eq 0", "10 of 125 shown")
	if strings.Contains(screen, "Follow TCP stream") {
		t.Errorf("Esc left the follow view up:\n%s", screen)
	}
	tm.keys(s, "S")
	screen = tm.waitFor(s, "Statistics - apps-a.pcap: 125 frames", "[Conversations]")
	tm.keys(s, "Right", "Right", "Right")
	screen = tm.waitFor(s, "<TCP 6>", "10.77.0.1:41416", "10.77.0.2:8080")
	t.Logf("statistics:\n%s", screen)
	tm.keys(s, "Escape")
	tm.waitGone(s, "[Conversations]")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
