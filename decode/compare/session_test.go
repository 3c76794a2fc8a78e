package compare

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/prefs"
)

// TestSession keeps what Run hands out, for both sides, in each side's
// order; the ranges of an altered frame hold the first difference, and
// a frame flipped on the wire differs in its payload there.
func TestSession(t *testing.T) {
	a, b := "../../testdata/compare/a.pcapng", "../../testdata/compare/b.pcapng"
	rep, pkts := runPair(t, a, b)
	s := Start(open(t, a), open(t, b), Options{Prefs: prefs.Default()})
	s.Wait()
	if done, err := s.Done(); !done || err != nil {
		t.Fatalf("Done = %v, %v", done, err)
	}
	if s.Known(0) != rep.Frames[0] || s.Known(1) != rep.Frames[1] {
		t.Fatalf("known %d/%d frames, the report says %v", s.Known(0), s.Known(1), rep.Frames)
	}
	got, times := s.Results(0, 0, nil, nil)
	if len(got) != len(pkts) || len(times) != len(pkts) {
		t.Fatalf("%d results of A, Run handed out %d", len(got), len(pkts))
	}
	altered := 0
	for i, p := range pkts {
		r := got[i]
		if r.Status != p.Result.Status || !slices.Equal(r.Peers, p.Result.Peers) || r.DiffText() != p.Result.DiffText() {
			t.Errorf("frame %d: session %v %v %q, Run %v %v %q", p.Number, r.Status, r.Peers, r.DiffText(), p.Result.Status, p.Result.Peers, p.Result.DiffText())
		}
		if i > 0 && times[i] < times[i-1]-int64(1e9) {
			t.Errorf("frame %d: time goes back a second", p.Number)
		}
		if r.Status != StatusAltered {
			continue
		}
		altered++
		if len(r.Ranges) == 0 {
			t.Errorf("frame %d altered (%s) without ranges", p.Number, r.DiffText())
			continue
		}
		in := false
		for _, g := range r.Ranges {
			if g[0] >= g[1] || g[1] > len(p.Data) {
				t.Errorf("frame %d: range %v outside the frame (%d bytes)", p.Number, g, len(p.Data))
			}
			in = in || r.DiffOff < 0 || g[0] <= r.DiffOff && r.DiffOff < g[1]
		}
		if !in {
			t.Errorf("frame %d: ranges %v miss the first difference %d", p.Number, r.Ranges, r.DiffOff)
		}
		if r.DiffField == "tcp.payload" && r.Verdict == VerdictDamaged {
			// A flipped bit: one byte, in the payload.
			if len(r.Ranges) != 1 || r.Ranges[0][1]-r.Ranges[0][0] != 1 {
				t.Errorf("frame %d: a flipped bit shows as %v", p.Number, r.Ranges)
			}
		}
	}
	if altered == 0 {
		t.Fatal("no altered frame in the test pair")
	}
	gb, _ := s.Results(1, 0, nil, nil)
	peersOfB := 0
	for _, r := range gb {
		peersOfB += len(r.Peers)
	}
	if peersOfB == 0 {
		t.Fatal("B's results name no counterparts")
	}
	if sum := s.Summary(); !strings.Contains(sum, "verdict: ") || !strings.Contains(sum, "clock: ") {
		t.Errorf("summary %q", sum)
	}
}
