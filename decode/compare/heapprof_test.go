package compare

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestHeapAtEnd writes the heap profile of a comparison of CMP_A with
// CMP_B (large captures: bench/compare.sh's) near its end to
// WIRELENS_HEAP_PROFILE, for `go tool pprof`: what the join holds.
func TestHeapAtEnd(t *testing.T) {
	a, b, out := os.Getenv("CMP_A"), os.Getenv("CMP_B"), os.Getenv("WIRELENS_HEAP_PROFILE")
	if a == "" || out == "" {
		t.Skip("set CMP_A, CMP_B and WIRELENS_HEAP_PROFILE")
	}
	ra, _ := capfile.Open(a, capfile.Options{})
	rb, _ := capfile.Open(b, capfile.Options{})
	defer ra.Close()
	defer rb.Close()
	n := 0
	Run(Source{Reader: ra, Name: a}, Source{Reader: rb, Name: b}, Options{Prefs: prefs.Default()}, func(p *Packet) error {
		n++
		if n == 900000 {
			runtime.GC()
			f, _ := os.Create(out)
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		return nil
	})
}
