package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// A gzip capture with bytes after its gzip data opens whole; once indexed
// the status bar says so (a warning, not "file damaged"), and the message
// area gives the warning.
func TestGzipTrailingWarningOnScreen(t *testing.T) {
	c, err := capture.Open("../testdata/hostile/gz-trailing-garbage.pcap.gz", prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		time.Sleep(time.Millisecond)
	}
	h := startSource(t, c, Options{FileName: "gz-trailing-garbage.pcap.gz"}, 200, 30)
	h.do(func() { h.v.refresh() })
	screen := h.dump()
	last := h.lines()[len(h.lines())-1]
	if !strings.Contains(last, "200 packets (see warning)") || strings.Contains(screen, "damaged") {
		t.Errorf("status line %q", last)
	}
	if !strings.Contains(screen, "warning:") || !strings.Contains(screen, "bytes after its gzip-compressed data") {
		t.Errorf("no warning message:\n%s", screen)
	}
}
