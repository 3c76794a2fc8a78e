package capture_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// TestFollowGrowingFile opens a capture while it is being written: the
// frames written later appear, a record cut short at the end is waited
// for (no damage reported), and every frame gets its checksum verdicts.
func TestFollowGrowingFile(t *testing.T) {
	full, err := os.ReadFile(offloadCapture)
	if err != nil {
		t.Fatal(err)
	}
	all, err := capture.Open(offloadCapture, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	waitIndexed(t, all)
	path := filepath.Join(t.TempDir(), "growing.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// the header and the first ~third, ending in the middle of a record
	cut := len(full) / 3
	f.Write(full[:cut])
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	waitFor("the first part", func() bool { done, _ := c.Indexing(); return done && c.Len() > 0 })
	first := c.Len()
	if c.Growing() {
		t.Error("growing before the file grew")
	}
	// the rest in pieces, each ending inside a record
	for w := cut; w < len(full); {
		n := min(len(full)-w, 10007)
		f.Write(full[w : w+n])
		w += n
		time.Sleep(30 * time.Millisecond)
		if _, err := c.Indexing(); err != nil {
			t.Fatalf("a record being written was reported: %v", err)
		}
	}
	waitFor("every frame", func() bool { done, _ := c.Indexing(); return done && c.Len() == all.Len() })
	if first >= all.Len() || !c.Growing() {
		t.Errorf("first %d of %d frames; growing %v", first, all.Len(), c.Growing())
	}
	if c.BadCount() != all.BadCount() {
		t.Errorf("%d bad checksums, the whole file has %d", c.BadCount(), all.BadCount())
	}
	for i := 0; i < all.Len(); i++ {
		if a, b := c.Row(i).Summary, all.Row(i).Summary; a != b {
			t.Fatalf("frame %d: %+v, want %+v", i+1, a, b)
		}
	}
}

// TestFollowCutShortReported: a file whose last record stays cut short is
// damaged after all, once it has stopped growing for a while.
func TestFollowCutShortReported(t *testing.T) {
	full, err := os.ReadFile(offloadCapture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(path, full[:len(full)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	for {
		_, err := c.Indexing()
		if err != nil {
			if !strings.Contains(err.Error(), "cut short in the middle of a packet") {
				t.Fatalf("error %v", err)
			}
			if time.Since(start) < 900*time.Millisecond {
				t.Errorf("reported after %v, before the grace period", time.Since(start))
			}
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the cut-short end was never reported")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// infoMatcher matches frames whose Info has a string: it needs the summary.
type infoMatcher struct{ s string }

func (m infoMatcher) Fields() []*decode.FieldDef      { return []*decode.FieldDef{} }
func (m infoMatcher) Match(d *decode.Dissection) bool { return strings.Contains(d.Summary.Info, m.s) }
func (m infoMatcher) NeedsSummary() bool              { return true }

// TestFilterSummaryMatcher: a SummaryMatcher's filter pass builds the
// packet-list row, the same the list shows (the UI's find in the list).
func TestFilterSummaryMatcher(t *testing.T) {
	c, err := capture.Open(offloadCapture, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitIndexed(t, c)
	var want []int
	for i := 0; i < c.Len(); i++ {
		if strings.Contains(c.Row(i).Summary.Info, "[SYN") {
			want = append(want, i)
		}
	}
	got, ok := c.FilterRange(infoMatcher{"[SYN"}, 0, c.Len(), nil)
	if !ok || len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("FilterRange with the summary: %v, want %v", got, want)
	}
}
