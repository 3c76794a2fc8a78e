package ui

import (
	"path/filepath"
	"testing"
)

// TestE2ECompare runs wirelens --compare A B in tmux: the compare view
// side by side and merged, the next difference, the report, the packet
// view of A and back; then C from a capture opens the comparison too.
func TestE2ECompare(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	a, err := filepath.Abs("../testdata/compare/a.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := filepath.Abs("../testdata/compare/b.pcapng")
	env := []string{"TERM=tmux-256color", "LANG=C.UTF-8"}
	s := tm.start("cmp", env, bin, "--compare", a, b)
	screen := tm.waitFor(s, "Compare [side by side]  A: "+a, "A No.", "Status", "B No.", "verdict: 3 corrupt-before-checksum", "= same")
	t.Logf("compare view:\n%s", screen)
	tm.keys(s, "n")
	screen = tm.waitFor(s, "≠ altered", "altered, damaged-after-capture", "differing range marked")
	t.Logf("first difference:\n%s", screen)
	tm.keys(s, "v")
	tm.waitFor(s, "Compare [merged]", "In   Status", "A+B  ≠ altered")
	tm.keys(s, "r")
	tm.waitFor(s, "Comparison of two captures", "Clock: B's clock is")
	tm.keys(s, "Escape")
	tm.waitGone(s, "Comparison of two captures")
	tm.keys(s, "Escape")
	tm.waitFor(s, "Filter:", "C: back to the comparison")
	tm.keys(s, "C")
	tm.waitFor(s, "Compare [merged]")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")

	s = tm.start("cmpkey", env, bin, a)
	tm.waitFor(s, "Filter:", "136 packets")
	tm.keys(s, "C")
	tm.waitFor(s, "Compare with capture:")
	tm.literal(s, b)
	tm.keys(s, "Enter")
	tm.waitFor(s, "Compare [side by side]  A: "+a, "verdict: ")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
