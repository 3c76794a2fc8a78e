package main

import (
	"io"
	"testing"
)

// Closing the stream the UI reads (leaving a live capture with o, Ctrl-W
// or a new capture) stops the capture itself: before, an idle interface's
// socket, or a remote ssh session, stayed open until wirelens exited.
func TestLiveStreamCloseStopsCapture(t *testing.T) {
	pr, pw := io.Pipe()
	stops := 0
	lc := &liveCapture{r: pr, stopFn: func() { stops++ }, done: make(chan struct{})}
	s := lc.stream()
	go pw.Write([]byte("pcapng"))
	buf := make([]byte, 6)
	if n, err := io.ReadFull(s, buf); err != nil || string(buf[:n]) != "pcapng" {
		t.Fatalf("read through the stream: %q %v", buf[:n], err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if stops != 1 {
		t.Fatalf("capture stopped %d times after Close, want 1", stops)
	}
	if _, err := pw.Write([]byte("more")); err == nil {
		t.Fatal("the capture's writer can still write after the UI closed the stream")
	}
	s.Close()
	if stops != 1 {
		t.Fatalf("a second Close stopped the capture again (%d)", stops)
	}
}
