package output

import (
	"strings"
	"testing"
	"time"
)

// TestProgressLine: nothing in the first second, then one line rewritten
// in place with packets, percent, rate and time left; Done erases it. A
// nil Progress (a pipe, not a terminal) does nothing.
func TestProgressLine(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b, 1000)
	p.Update(10, 100)
	if b.Len() != 0 {
		t.Fatalf("progress within the first second: %q", b.String())
	}
	p.start = p.start.Add(-2 * time.Second)
	p.last = p.last.Add(-time.Second)
	p.Update(1234567, 250)
	got := b.String()
	for _, want := range []string{"\r1,234,567 packets", "25%", "packets/s", "0:06 left", "\x1b[K"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	p.Update(1234568, 260) // within 250 ms of the last: nothing
	if b.String() != got {
		t.Errorf("progress rewritten too often: %q", b.String())
	}
	p.Done()
	if !strings.HasSuffix(b.String(), "\r\x1b[K") {
		t.Errorf("Done did not erase the line: %q", b.String())
	}
	var np *Progress
	np.Update(1, 1)
	np.Done()
}
