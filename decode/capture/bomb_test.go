package capture_test

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// heapPeak runs fn while sampling the live heap and returns the most it
// grew above what it was before.
func heapPeak(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
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
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// TestGzipBombCapture: a 2.4 MB gzip that decompresses to 2 GiB (32 767
// frames of 65 535 zero bytes, testdata/bomb) opens in the TUI's capture
// with TMPDIR pointing nowhere (any temporary file would fail), is indexed
// and judged to the end, and its last and first frames read back right,
// all with the heap under 64 MB: the checkpoints cost what the compressed
// file does, not what it decompresses to.
func TestGzipBombCapture(t *testing.T) {
	if raceOn {
		t.Skip("2 GiB to inflate twice: run without -race")
	}
	path := filepath.Join("..", "..", "testdata", "bomb", "zeros-2g.pcap.gz")
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "does-not-exist"))
	var c *capture.Capture
	grew := heapPeak(func() {
		var err error
		c, err = capture.Open(path, prefs.Default())
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Minute)
		for {
			done, err := c.Indexing()
			if err != nil {
				t.Fatalf("indexing: %v", err)
			}
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("indexing did not finish")
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, i := range []int{c.Len() - 1, 0, c.Len() / 2, c.Len() - 2} {
			rec, data, err := c.Frame(i)
			if err != nil || rec.CapLen != 65535 || len(data) != 65535 || !bytes.Equal(data, make([]byte, 65535)) {
				t.Fatalf("frame %d: %d bytes, %v", i+1, len(data), err)
			}
		}
		if r := c.Row(c.Len() - 1); r.Summary.Number != c.Len() || strings.Contains(r.Summary.Info, "re-reading") {
			t.Errorf("last row %+v", r.Summary)
		}
	})
	defer c.Close()
	if c.Len() != 32767 {
		t.Errorf("%d frames, want 32767", c.Len())
	}
	if grew > 64<<20 {
		t.Errorf("heap grew %d MB", grew>>20)
	}
	t.Logf("heap grew %d MB", grew>>20)
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings %q", w)
	}
}

// TestGzipWarningCapture: trailing garbage after a gzip capture is a
// warning the capture reports once indexed, not damage.
func TestGzipWarningCapture(t *testing.T) {
	c, err := capture.Open(filepath.Join("..", "..", "testdata", "hostile", "gz-trailing-garbage.pcap.gz"), prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitIndexed(t, c)
	if w := c.Warnings(); len(w) != 1 || !strings.Contains(w[0], "bytes after its gzip-compressed data") || c.Len() != 200 {
		t.Errorf("%d frames, warnings %q", c.Len(), w)
	}
}
