package ui

import (
	"testing"

	"github.com/wirelens/wirelens/decode/compare"
)

// TestAligner: every frame of each side on exactly one row, matched
// frames beside their counterpart, the further counterparts of a
// resegmented frame below it, B's frames without counterpart among A's
// by time; results arriving piecemeal give the same rows as all at once.
func TestAligner(t *testing.T) {
	st := func(s compare.Status, peers ...int) compare.Result { return compare.Result{Status: s, Peers: peers} }
	same, miss, reseg := compare.StatusSame, compare.StatusMissing, compare.StatusResegmented
	// A: 1 same(B1), 2 TSO(B2,B3), 3 lost, 4 same(B5), 5 same(B6)
	// B: 1, 2, 3, 4 B-only (between A3 and A4 by time), 5, 6, 7 B-only after all
	ra := []compare.Result{st(same, 1), st(reseg, 2, 3), st(miss), st(same, 5), st(same, 6)}
	ta := []int64{10, 20, 30, 40, 50}
	rb := []compare.Result{st(same, 1), st(reseg, 2), st(reseg, 2), st(miss), st(same, 4), st(same, 5), st(miss)}
	tb := []int64{11, 21, 22, 35, 41, 51, 60}
	want := []cmpRow{{a: 0, b: 0}, {a: 1, b: 1}, {a: -1, b: 2, contA: true}, {a: 2, b: -1}, {a: -1, b: 3}, {a: 3, b: 4}, {a: 4, b: 5}, {a: -1, b: 6}}
	check := func(name string, rows []cmpRow) {
		t.Helper()
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows %v, want %v", name, len(rows), rows, want)
		}
		for i := range want {
			if rows[i] != want[i] {
				t.Errorf("%s: row %d = %+v, want %+v", name, i, rows[i], want[i])
			}
		}
	}
	d := &cmpData{res: [2][]compare.Result{ra, rb}, times: [2][]int64{ta, tb}}
	var al aligner
	check("at once", al.step(d, true, nil))
	// Piecemeal, as a live comparison hands them out.
	var al2 aligner
	var rows []cmpRow
	d2 := &cmpData{}
	for k := 0; k <= 7; k++ {
		na, nb := min(k, len(ra)), min(k, len(rb))
		d2.res = [2][]compare.Result{ra[:na], rb[:nb]}
		d2.times = [2][]int64{ta[:na], tb[:nb]}
		rows = al2.step(d2, k == 7, rows)
	}
	check("piecemeal", rows)
	// The rows a frame is on.
	for s, n := range []int{len(ra), len(rb)} {
		for f := 0; f < n; f++ {
			r := al2.rowOf[s][f]
			if r < 0 || [2]int32{rows[r].a, rows[r].b}[s] != int32(f) {
				t.Errorf("side %d frame %d: rowOf %d", s, f, r)
			}
		}
	}
	// A quiet B (no results yet) does not hold A's rows back.
	var al3 aligner
	d3 := &cmpData{res: [2][]compare.Result{ra[2:3], nil}, times: [2][]int64{ta[2:3], nil}}
	if got := al3.step(d3, false, nil); len(got) != 1 || got[0] != (cmpRow{a: 0, b: -1}) {
		t.Errorf("A alone: %v", got)
	}
}
