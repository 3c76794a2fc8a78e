package decode

import (
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
)

// Every result put on the in-order pass comes back exactly, whatever its
// fields hold, in any order of reading; out-of-order puts are kept too.
func TestTCPResultsRoundTrip(t *testing.T) {
	for _, spill := range []bool{false, true} {
		var sf spillFile
		var r tcpResults
		if spill {
			r.s.spill = &sf
		}
		checkTCPResultsRoundTrip(t, &r)
		if spill && (sf.f == nil || sf.end == 0) {
			t.Fatalf("no page went to the spill file (%q)", sf.warning)
		}
		sf.close()
	}
}

func checkTCPResultsRoundTrip(t *testing.T, r *tcpResults) {
	rng := rand.New(rand.NewSource(1))
	want := map[int]tcpResult{}
	frame := 0
	randTime := func() int64 {
		switch rng.Intn(4) {
		case 0:
			return 0
		case 1:
			return int64(rng.Intn(1e6)) * 1000
		case 2:
			return rng.Int63n(1e12) - 5e11
		}
		return -int64(rng.Intn(1000))
	}
	randRef := func(n int) uint32 {
		if rng.Intn(3) == 0 {
			return 0
		}
		return uint32(rng.Intn(n + 50))
	}
	for k := 0; k < 30000; k++ {
		frame += 1 + rng.Intn(3)*rng.Intn(40)
		v := tcpResult{
			flags: uint32(rng.Intn(1 << 15)), hasTA: rng.Intn(2) == 0,
			completeness: uint8(rng.Intn(64)), ackedFrame: randRef(frame),
			bif: uint32(rng.Intn(1 << 20)), push: rng.Uint32(), rtt: randTime(),
			delta: randTime(), rel: randTime(), firstRTT: randTime(),
			dupNum: uint32(rng.Intn(100)), dupFrame: randRef(frame), rto: randTime(),
			rtoFrame: randRef(frame), retransBad: randRef(frame), finActive: rng.Intn(5) == 0,
		}
		if rng.Intn(4) == 0 {
			v = tcpResult{}
		}
		r.put(frame, v)
		want[frame] = v
	}
	late := tcpResult{flags: taRetransmission, hasTA: true, rel: 7}
	r.put(5, late)
	want[5] = late
	check := func(f int) {
		got, ok := r.get(f)
		w, should := want[f]
		if ok != should || got != w {
			t.Fatalf("frame %d: got %+v %v, want %+v %v", f, got, ok, w, should)
		}
	}
	for f := 0; f <= frame+10; f++ {
		check(f)
	}
	// backwards and at random, as rows are looked at: pages come back
	// through the small cache in any order
	for f := frame + 10; f >= 0; f-- {
		check(f)
	}
	for k := 0; k < 20000; k++ {
		check(rng.Intn(frame + 10))
	}
}

// With a spill file, the complete pages leave the heap: what stays is the
// page being filled, the per-page bitmaps and the few cached pages.
func TestTCPResultsSpilledMemory(t *testing.T) {
	var sf spillFile
	defer sf.close()
	r := tcpResults{s: frameStore{spill: &sf}}
	const n = 400000
	for f := 1; f <= n; f++ {
		r.put(f, tcpResult{completeness: 31, ackedFrame: uint32(f - 2), bif: 1448 * 8,
			push: 1448 * 3, rtt: 120000, delta: 35000, rel: int64(f) * 35000})
	}
	for f := 1; f <= n; f += 997 {
		if v, ok := r.get(f); !ok || v.rel != int64(f)*35000 {
			t.Fatalf("frame %d: %+v %v", f, v, ok)
		}
	}
	// the bitmaps are 0.375 bytes a frame; the page being filled and the
	// cached ones at most 16 bytes a frame of their page each
	if got, limit := r.s.bytes(), n*3/8+(spillCache+1)*16*tcpResultsPage; got > limit {
		t.Fatalf("%d bytes in memory for %d frames with a spill file, want at most %d", got, n, limit)
	}
	if sf.end < n*5 {
		t.Fatalf("spill file holds %d bytes for %d frames", sf.end, n)
	}
}

// Without a writable TMPDIR the pages stay in memory, every result still
// comes back, and the warning says so (once, naming the cause).
func TestTCPResultsNoSpillDir(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	var sf spillFile
	r := tcpResults{s: frameStore{spill: &sf}}
	for f := 1; f <= 3*tcpResultsPage; f++ {
		r.put(f, tcpResult{rel: int64(f) * 1000})
	}
	for f := 1; f <= 3*tcpResultsPage; f++ {
		if v, ok := r.get(f); !ok || v.rel != int64(f)*1000 {
			t.Fatalf("frame %d: %+v %v", f, v, ok)
		}
	}
	if sf.f != nil || !strings.Contains(sf.warning, "TMPDIR") || !strings.Contains(sf.warning, "missing") {
		t.Fatalf("file %v, warning %q", sf.f, sf.warning)
	}
}

// A typical data segment's result stays near 15 bytes: the budget that lets
// ten million frames fit in the TUI's memory target.
func TestTCPResultsSize(t *testing.T) {
	var r tcpResults
	const n = 100000
	for f := 1; f <= n; f++ {
		r.put(f, tcpResult{completeness: 31, ackedFrame: uint32(f - 2), bif: 1448 * 8,
			push: 1448 * 3, rtt: 120000, delta: 35000, rel: int64(f) * 35000})
	}
	total := r.s.bytes()
	if per := float64(total) / n; per > 16 {
		t.Fatalf("%.1f bytes a frame, want at most 16", per)
	} else {
		t.Logf("%.1f bytes a frame", per)
	}
}

// An overlay frame has an outer and an inner UDP layer, each with its own
// conversation delta: both come back, for the right layer.
func TestUDPDeltasPerLayer(t *testing.T) {
	var c convTable
	defer c.spill.close()
	for n := 1; n <= 20000; n++ {
		layers := 1 + n%3
		for k := 0; k < layers; k++ {
			c.putUDPDelta(n, k, int64(n*1000+k*7))
		}
	}
	for n := 1; n <= 20000; n++ {
		layers := 1 + n%3
		for k := 0; k < 4; k++ {
			d, ok := c.udpDelta(n, k)
			if ok != (k < layers) || (ok && d != int64(n*1000+k*7)) {
				t.Fatalf("frame %d layer %d: %d %v", n, k, d, ok)
			}
		}
	}
}
