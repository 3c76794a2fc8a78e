package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// peakHeap runs fn while sampling the live heap and returns the most it
// grew above what it was before. A memory bound is not a timing: it holds
// however loaded the machine is.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	runtime.ReadMemStats(&ms)
	p := max(peak.Load(), ms.HeapAlloc)
	if p < base {
		return 0
	}
	return p - base
}

const maxBombHeap = 100 << 20

// TestHostileCommentBombs: one 16 MiB EPB of two million 1-byte comments,
// and 25 interfaces of 4 MiB of comments each (they live as long as the
// file), stay under 100 MB in batch and through the TUI's capture, show
// at most 32 comments a block and say how many were dropped.
func TestHostileCommentBombs(t *testing.T) {
	epb := filepath.Join(hostileDir, "ng-comment-bomb-epb.pcapng.gz")
	idb := filepath.Join(hostileDir, "ng-comment-bomb-idb.pcapng.gz")
	var out string
	var code int
	if grew := peakHeap(func() { out, _, code = runCapture(t, []string{"-r", epb, "-V"}) }); grew > maxBombHeap {
		t.Errorf("batch -V of %s: heap grew %d MB", epb, grew>>20)
	}
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(out, "    Comment: A\n"); n != 32 {
		t.Errorf("%d comment lines, want 32", n)
	}
	if !strings.Contains(out, "[2097108 more comments dropped: ") {
		t.Errorf("no note on the dropped comments")
	}
	if grew := peakHeap(func() { _, _, code = runCapture(t, []string{"-r", idb, "-T", "fields", "-e", "frame.number"}) }); grew > maxBombHeap || code != exitOK {
		t.Errorf("batch of %s: exit %d, heap grew %d MB", idb, code, grew>>20)
	}
	for _, path := range []string{epb, idb} {
		grew := peakHeap(func() {
			c, err := capture.Open(path, prefs.Default())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for {
				done, err := c.Indexing()
				if err != nil {
					t.Fatal(err)
				}
				if done {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			for i := 0; i < c.Len(); i++ {
				if _, err := c.Dissect(i); err != nil {
					t.Fatal(err)
				}
			}
			if ifs := c.Interfaces(); path == idb && (len(ifs) != 25 || len(ifs[24].Comments) != 32 || ifs[24].CommentsDropped == 0) {
				t.Errorf("%s: %d interfaces, the last with %d comments", path, len(ifs), len(ifs[len(ifs)-1].Comments))
			}
		})
		if grew > maxBombHeap {
			t.Errorf("TUI capture of %s: heap grew %d MB", path, grew>>20)
		}
	}
}
