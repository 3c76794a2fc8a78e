// Command gzopen times what the TUI does when it opens a capture: the scan
// to the last frame, the verdict pass to the end, and then a jump to the
// end (the last screenful of rows, as End shows them, and the last frame's
// tree), for each file given: run it on a plain capture and its gzip to
// compare random access through the gzip checkpoints with a plain file.
//
//	go run ./bench/gencap -n 1000000 -o /tmp/bench-1m.pcap
//	gzip -6 -k /tmp/bench-1m.pcap
//	go run ./bench/gzopen /tmp/bench-1m.pcap /tmp/bench-1m.pcap.gz
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

func main() {
	for _, path := range os.Args[1:] {
		if err := measure(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func measure(path string) error {
	runtime.GC()
	t0 := time.Now()
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		return err
	}
	defer c.Close()
	// The scan's end is when the frame count last grew; the verdict pass
	// may run on after it.
	var scanned time.Duration
	last := -1
	for {
		done, err := c.Indexing()
		if err != nil {
			return err
		}
		if n := c.Len(); n != last {
			last, scanned = n, time.Since(t0)
		}
		if done {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	indexed := time.Since(t0)
	n := c.Len()
	t1 := time.Now()
	for i := max(n-60, 0); i < n; i++ {
		c.Row(i)
	}
	if _, err := c.Dissect(n - 1); err != nil {
		return err
	}
	end := time.Since(t1)
	t2 := time.Now()
	for i := n/2 - 60; i < n/2; i++ {
		c.Row(i)
	}
	middle := time.Since(t2)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%s: %d frames, scanned in %.2f s, judged in %.2f s; End (60 rows + tree) %.1f ms; middle (60 rows) %.1f ms; live heap %d MB\n",
		path, n, scanned.Seconds(), indexed.Seconds(), float64(end.Microseconds())/1000, float64(middle.Microseconds())/1000, ms.HeapAlloc>>20)
	return nil
}
