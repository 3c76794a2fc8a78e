package decode

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/prefs"
)

// The accusing lines come before the explanations, whatever the
// protocols' order in the table: a reader acts on the first line.
func TestVerdictOrderAccusesFirst(t *testing.T) {
	r := NewReport(prefs.Default())
	r.Frames = 100
	r.Protos["ip"] = &ProtoStats{Bad: 4, Offload: 4}
	r.Protos["tcp"] = &ProtoStats{Bad: 10, Offload: 8, Suspect: 2, SuspectAt: []int{40, 7}}
	r.Confirmed = map[int]int{7: 9}
	r.Oversize, r.Largest = 1, 30000
	v := r.Verdict()
	if len(v) < 5 {
		t.Fatalf("verdict:\n%s", strings.Join(v, "\n"))
	}
	for i, want := range []string{"retransmitted by the sender", "no offload pattern", "IPv4 header checksums", "TCP checksums", "larger than the link MTU"} {
		if !strings.Contains(v[i], want) {
			t.Errorf("line %d = %q, want it to say %q\n%s", i, v[i], want, strings.Join(v, "\n"))
		}
	}
	if !strings.Contains(v[1], "frames 7, 40)") {
		t.Errorf("suspect frames not sorted: %q", v[1])
	}
}

// A SPAN capture of many offloading hosts names the busiest three and
// counts the rest in one line, keeping the sums exact.
func TestVerdictCountsManySenders(t *testing.T) {
	r := NewReport(prefs.Default())
	r.Frames = 1000
	r.Senders = map[string]*SenderStats{}
	for i := 1; i <= 7; i++ {
		r.Senders[fmt.Sprintf("10.0.0.%d", i)] = &SenderStats{Oversize: i * 10, Largest: (20 + i) * 1024}
	}
	r.Senders["10.0.0.9"] = &SenderStats{Zero: 5, ZeroProto: "ip"}
	r.Senders["10.0.0.10"] = &SenderStats{Zero: 5, ZeroProto: "ip"}
	got := strings.Join(r.Verdict(), "\n")
	for _, want := range []string{
		"10.0.0.7 sends frames up to 27 KB (70 larger",
		"10.0.0.6 sends frames up to 26 KB (60 larger",
		"10.0.0.5 sends frames up to 25 KB (50 larger",
		"4 more hosts send frames up to 24 KB (100 larger than the MTU or MSS)",
		"10.0.0.10 sends IPv4 header checksums of 0x0000 (5 frames)",
		"10.0.0.9 sends IPv4 header checksums of 0x0000 (5 frames)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verdict lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "10.0.0.4 sends") || strings.Contains(got, "more hosts send IPv4") {
		t.Errorf("named a host beyond the busiest three, or counted two zero senders as more:\n%s", got)
	}
	// exactly one more than the limit is named rather than counted as "1 more hosts"
	delete(r.Senders, "10.0.0.1")
	delete(r.Senders, "10.0.0.2")
	delete(r.Senders, "10.0.0.3")
	got = strings.Join(r.Verdict(), "\n")
	if !strings.Contains(got, "10.0.0.4 sends frames") || strings.Contains(got, "more hosts") {
		t.Errorf("four senders:\n%s", got)
	}
}
