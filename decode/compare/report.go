package compare

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// maxExamples bounds the frames listed per verdict line.
const maxExamples = 12

// Example is one frame of a verdict: its number in each capture.
type Example struct {
	A, B []int
}

// FlowCounts is one flow's tally in capture A.
type FlowCounts struct {
	Flow     string
	Counts   [numStatus]int
	key      flowKey
	other    bool
	overflow bool
}

// maxFlows bounds the flows the report counts one by one.
const (
	maxFlows     = 1 << 17
	overflowFlow = 1<<64 - 1
)

// Report is the comparison of two captures as a whole.
type Report struct {
	Names  [2]string
	Frames [2]int
	Counts [2][numStatus]int
	// Verdicts counts frames of the end that could judge them (the
	// downstream end for damage, the upstream end for losses).
	Verdicts [numVerdict]int
	Examples [numVerdict][]Example
	// Retransmitted counts lost TCP frames whose bytes were sent again
	// and arrived.
	Retransmitted int
	Flows         []FlowCounts

	ClockKnown bool
	Offset     int64 // B's clock minus A's, ns
	Delay      int64 // one-way delay, ns (when traffic went both ways)
	BothWays   bool
	Matches    int // packets the estimate rests on
	Window     int64

	flowIdx map[uint64]int
	lost    map[uint64][][2]uint32 // per flow, lost sequence ranges not yet seen sent again
}

func newReport(a, b string) *Report {
	return &Report{Names: [2]string{a, b}, flowIdx: map[uint64]int{}, lost: map[uint64][][2]uint32{}}
}

func (r *Report) add(j *joiner, u *unit) {
	res := &u.res
	r.Frames[u.side]++
	r.Counts[u.side][res.Status]++
	if u.side == 0 {
		k := u.flow
		if u.kind == kindOther {
			k = 0
		}
		i, ok := r.flowIdx[k]
		if !ok && len(r.Flows) >= maxFlows {
			// Bounded: the flows past the first maxFlows share a line.
			k = overflowFlow
			i, ok = r.flowIdx[k]
			if !ok {
				i = len(r.Flows)
				r.flowIdx[k] = i
				r.Flows = append(r.Flows, FlowCounts{overflow: true})
				ok = true
			}
		}
		if !ok {
			i = len(r.Flows)
			r.flowIdx[k] = i
			r.Flows = append(r.Flows, FlowCounts{key: u.fk, other: u.kind == kindOther})
		}
		r.Flows[i].Counts[res.Status]++
	}
	v := res.Verdict
	count := false
	switch v {
	case VerdictLost:
		count = !res.Downstream
	case VerdictNone:
	case VerdictOutside:
		count = true
	default:
		count = res.Downstream
	}
	if !res.Downstream && u.kind == kindTCPData && len(u.links) > 0 && !u.fullyCovered() && v != VerdictLost {
		// Part of a frame (a segment of a TSO frame) was lost, besides
		// what else happened to it.
		r.note(u, VerdictLost)
	}
	if !res.Downstream && u.kind == kindTCPData && !u.fullyCovered() {
		o, e, ok := u.uncovered(0, u.payLen)
		for ; ok; o, e, ok = u.uncovered(e, u.payLen) {
			r.lost[u.flow] = append(r.lost[u.flow], [2]uint32{u.seq + uint32(o), u.seq + uint32(e)})
		}
	}
	if !res.Downstream && u.kind == kindTCPData && len(u.links) > 0 && len(r.lost[u.flow]) > 0 {
		// Sent again and (at least partly) arrived: the loss was repaired.
		l := r.lost[u.flow]
		for i := 0; i < len(l); i++ {
			if seqIn(l[i][0], u.seq, u.payLen) {
				r.Retransmitted++
				l = slices.Delete(l, i, i+1)
				i--
			}
		}
		r.lost[u.flow] = l
	}
	if count {
		r.note(u, v)
	}
}

func (r *Report) note(u *unit, v Verdict) {
	res := &u.res
	r.Verdicts[v]++
	if len(r.Examples[v]) < maxExamples {
		ex := Example{}
		mine := []int{u.frame}
		if u.side == 0 {
			ex.A, ex.B = mine, res.Peers
		} else {
			ex.A, ex.B = res.Peers, mine
		}
		r.Examples[v] = append(r.Examples[v], ex)
	}
}

func (r *Report) finish(j *joiner) {
	for i := range r.Flows {
		f := &r.Flows[i]
		if f.overflow {
			f.Flow = fmt.Sprintf("(flows after the first %d)", maxFlows)
		} else if f.other {
			f.Flow = "not IP"
		} else {
			f.Flow = flowString(f.key)
		}
	}
	c := &j.clock
	r.ClockKnown, r.Offset, r.Delay, r.BothWays, r.Matches, r.Window = c.known, c.offset, c.delay, c.both, c.matches, j.window
}

func addrString(a [16]byte, v6 bool) string {
	if v6 {
		return netip.AddrFrom16(a).String()
	}
	return netip.AddrFrom4([4]byte(a[:4])).String()
}

func duration(ns int64) string {
	neg := ""
	if ns < 0 {
		neg, ns = "-", -ns
	}
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%s%.3f s", neg, float64(ns)/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%s%.3f ms", neg, float64(ns)/1e6)
	}
	return fmt.Sprintf("%s%.1f µs", neg, float64(ns)/1e3)
}

func frameList(ex []Example, total int) string {
	var s []string
	for _, e := range ex {
		a, b := ints(e.A), ints(e.B)
		switch {
		case a == "":
			s = append(s, "B "+b)
		case b == "":
			s = append(s, "A "+a)
		default:
			s = append(s, a+"↔"+b)
		}
	}
	out := strings.Join(s, ", ")
	if total > len(ex) {
		out += fmt.Sprintf(", and %d more", total-len(ex))
	}
	return out
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "+")
}

// verdictText explains each verdict, worst first.
var verdictText = []struct {
	v    Verdict
	text string
}{
	{VerdictCorrupt, "the data differs but the receiver's checksum is good: corrupted before the checksum was computed (the sending NIC, its driver or memory), and the receiver accepted the wrong data"},
	{VerdictDamaged, "the data differs and the receiver's checksum is bad: damaged after the sender's capture point (the NIC, the wire or the receiver)"},
	{VerdictBadChecksum, "the bytes are the sender's but the checksum that arrived is wrong: written wrong after the sender's capture point (the NIC) or damaged on the way"},
	{VerdictPartialLeft, "arrived holding the partial pseudo-header sum, with no sign the receiving kernel took it as offloaded: the sending NIC did not finish the checksum"},
	{VerdictLost, "sent but never seen at the other end: lost"},
	{VerdictUnsent, "seen at the receiving end but not at the sending one"},
	{VerdictUnchecked, "the data differs where no checksum was verified"},
	{VerdictOutside, "no counterpart, because the other capture was not running yet (or any more)"},
	{VerdictOffloadConfirmed, "left to checksum offload at the sender and good at the receiver: offload confirmed, not corruption"},
	{VerdictBadBoth, "the same bad checksum at both ends: wrong before the first capture point (judge it from that capture alone), unchanged between the two"},
	{VerdictPartialBoth, "the same partial sum at both ends: nothing between the two capture points computed it (a virtual path), and the bytes are equal"},
}

// Write prints the report.
func (r *Report) Write(w io.Writer) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	san := decode.Sanitize
	fmt.Fprintf(bw, "Comparison of two captures\n  A: %s (%d frames)\n  B: %s (%d frames)\n", san(r.Names[0]), r.Frames[0], san(r.Names[1]), r.Frames[1])
	switch {
	case !r.ClockKnown:
		fmt.Fprintf(bw, "Clock: no packet found in both captures among the first %d of each; the clocks are taken as equal\n", calibrateN)
	case r.BothWays:
		fmt.Fprintf(bw, "Clock: B's clock is %s ahead of A's; one-way delay %s (from %d packets seen at both ends, traffic both ways)\n",
			duration(r.Offset), duration(r.Delay), r.Matches)
	default:
		fmt.Fprintf(bw, "Clock: B's timestamps are %s later than A's (clock offset plus delay: traffic went one way only, so they cannot be told apart; from %d packets)\n",
			duration(r.Offset), r.Matches)
	}
	fmt.Fprintf(bw, "Window: copies of a packet are looked for within %s of each other\n\n", duration(r.Window))
	fmt.Fprintf(bw, "  %-10s %8s %8s %8s %12s\n", "", "same", "altered", "missing", "resegmented")
	for i, n := range []string{"A", "B"} {
		c := r.Counts[i]
		fmt.Fprintf(bw, "  %-10s %8d %8d %8d %12d\n", n, c[StatusSame], c[StatusAltered], c[StatusMissing], c[StatusResegmented])
	}
	flows := slices.Clone(r.Flows)
	slices.SortStableFunc(flows, func(p, q FlowCounts) int {
		bad := func(f FlowCounts) int { return f.Counts[StatusAltered] + f.Counts[StatusMissing] }
		return bad(q) - bad(p)
	})
	if len(flows) > 10 {
		flows = flows[:10]
	}
	if len(flows) > 0 {
		fmt.Fprintf(bw, "\nFlows of A (most differences first):\n")
		for _, f := range flows {
			c := f.Counts
			fmt.Fprintf(bw, "  %-50s %6d same %4d altered %4d missing %5d resegmented\n", san(f.Flow), c[StatusSame], c[StatusAltered], c[StatusMissing], c[StatusResegmented])
		}
	}
	fmt.Fprintf(bw, "\nVerdict (frames A↔B):\n")
	bad := false
	for _, vt := range verdictText {
		n := r.Verdicts[vt.v]
		if n == 0 {
			continue
		}
		bad = bad || vt.v < VerdictOutside
		extra := ""
		if vt.v == VerdictLost && r.Retransmitted > 0 {
			extra = fmt.Sprintf("; %d of them were sent again and arrived", min(r.Retransmitted, n))
		}
		fmt.Fprintf(bw, "  %d %s: %s%s (%s).\n", n, plural(n, "frame", "frames"), vt.text, extra, frameList(r.Examples[vt.v], n))
	}
	if !bad {
		if r.Frames[0] == 0 || r.Frames[1] == 0 {
			fmt.Fprintf(bw, "  Nothing to compare: a capture is empty.\n")
		} else {
			fmt.Fprintf(bw, "  Every packet arrived as it was sent.\n")
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ClockLine is the clock estimate in a few words, for a summary line.
func (r *Report) ClockLine() string {
	switch {
	case !r.ClockKnown:
		return "clock: taken as equal (no packet in both)"
	case r.BothWays:
		return "clock: B " + signed(r.Offset) + ", one-way delay " + duration(r.Delay)
	}
	return "clock: B " + signed(r.Offset) + " (offset + delay, one way)"
}

func signed(ns int64) string {
	if ns >= 0 {
		return "+" + duration(ns)
	}
	return duration(ns)
}

// VerdictLine names the verdicts found, worst first, with their counts:
// the report's verdict in one line.
func (r *Report) VerdictLine() string {
	var parts []string
	for _, vt := range verdictText {
		if n := r.Verdicts[vt.v]; n > 0 && vt.v < VerdictOutside {
			parts = append(parts, fmt.Sprintf("%d %s", n, vt.v))
		}
	}
	if len(parts) == 0 {
		if r.Frames[0] == 0 || r.Frames[1] == 0 {
			return "verdict: nothing to compare (a capture is empty)"
		}
		return "verdict: every packet arrived as it was sent"
	}
	return "verdict: " + strings.Join(parts, ", ")
}
