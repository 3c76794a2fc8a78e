package capture_test

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// BenchmarkIndexedHeap opens a capture as the TUI does, waits until it is
// indexed and analysed, and reports the live heap per frame: the number the
// scale target (at most 16 bytes a frame of index, 250 MB in all at 10M
// frames) is about. WIRELENS_BENCH_CAPTURE names the capture (e.g. one made
// by bench/gencap); without it a generated UDP capture is used.
// WIRELENS_HEAP_PROFILE=path writes the heap profile for `go tool pprof`.
func BenchmarkIndexedHeap(b *testing.B) {
	path := os.Getenv("WIRELENS_BENCH_CAPTURE")
	if path == "" {
		b.Skip("set WIRELENS_BENCH_CAPTURE to a capture (bench/gencap makes one)")
	}
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		c, err := capture.Open(path, prefs.Default())
		if err != nil {
			b.Fatal(err)
		}
		for {
			done, err := c.Indexing()
			if err != nil {
				b.Fatal(err)
			}
			if done {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		// The bad-checksum count needs the whole analysis: wait for it too.
		_ = c.BadCount()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if p := os.Getenv("WIRELENS_HEAP_PROFILE"); p != "" {
			f, err := os.Create(p)
			if err != nil {
				b.Fatal(err)
			}
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		n := c.Len()
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heapB/frame")
		b.ReportMetric(float64(n), "frames")
		runtime.KeepAlive(c)
		c.Close()
	}
}
