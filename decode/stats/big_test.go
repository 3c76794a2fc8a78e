package stats

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

// TestSummaryBig measures the statistics pass on a big capture given in
// WIRELENS_BIG (e.g. bench/gencap's million packets): time, heap after, and
// that the tables stayed within their bounds.
//
//	WIRELENS_BIG=/tmp/bench-1m.pcap go test ./decode/stats -run TestSummaryBig -v
func TestSummaryBig(t *testing.T) {
	path := os.Getenv("WIRELENS_BIG")
	if path == "" {
		t.Skip("set WIRELENS_BIG to a big capture")
	}
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	s := NewSummary()
	if !c.Tap(s.Packet, nil, nil) {
		t.Fatal("stopped")
	}
	el := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rows := 0
	for k := range s.Conv {
		rows += len(s.Conv[k].Rows) + len(s.Endpoints[k].Rows)
		if len(s.Conv[k].Rows) > MaxTableRows || len(s.Endpoints[k].Rows) > MaxTableRows {
			t.Errorf("table %s over its bound", s.Conv[k].Kind)
		}
	}
	t.Logf("%d frames in %v (%.0f frames/s), %d table rows, %d expert groups (%d classes), %d io buckets; heap %d MB",
		s.Frames, el, float64(s.Frames)/el.Seconds(), rows, len(s.Expert.Groups), len(s.Expert.Classes()), len(s.IO.Packets), ms.HeapAlloc>>20)

	// Follow one stream the way the UI does: a filter pass, then only
	// its frames dissected.
	start = time.Now()
	m, err := filter.Compile("tcp.stream eq 7")
	if err != nil {
		t.Fatal(err)
	}
	frames, _ := c.Filter(m, nil, nil)
	mid := time.Since(start)
	fl := NewFollower("tcp", 7, 0)
	for _, f := range frames {
		d, err := c.Dissect(f)
		if err == nil {
			fl.Packet(f+1, d)
		}
	}
	st := fl.Stream()
	t.Logf("follow tcp.stream eq 7: %d frames found in %v, read in %v more; %d + %d bytes",
		len(frames), mid, time.Since(start)-mid, st.Bytes[0], st.Bytes[1])
}
