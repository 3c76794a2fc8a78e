package decode

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// Report gathers the per-capture checksum verdict: counts by protocol,
// status, hint and direction, the flows with most bad checksums, and the
// frames worth a second look. It holds counters, not frames, so it runs over
// a capture of any size.
type Report struct {
	Prefs      prefs.Prefs
	Frames     int
	Counts     map[CountKey]int
	Protos     map[string]*ProtoStats
	Flows      map[string]*FlowStats
	Oversize   int   // frames with the oversize hint
	Largest    int   // largest oversize IP packet
	OverFrames []int // first few oversize frames
	// Retrans counts TCP retransmissions; RetransOffloaded those of
	// segments whose checksum was left to the NIC (sent by this host),
	// out of SentOffloaded such segments.
	Retrans, RetransOffloaded, SentOffloaded int
	sentKnown                                int // of SentOffloaded, known to be sent by the capturing host
	// Senders names, when the capture does not say which frames were
	// sent and which received, the hosts whose frames show offload:
	// oversize (the largest) and zero checksums, by source address.
	Senders map[string]*SenderStats
	// Confirmed maps a frame with a bad TCP checksum to the later frame
	// that retransmitted it: the receiver dropped it, so it was real.
	Confirmed map[int]int
	// Undissected counts, per kind of payload no dissector took, the
	// frames that carried one (see Dissection.Undissected).
	Undissected map[string]int
}

// CountKey is one cell of the protocol x status x hint x direction table.
// Hint is "" for checksums that are not Bad.
type CountKey struct {
	Proto     string
	Status    ChecksumStatus
	Hint      string
	Direction string
}

// ProtoStats sums one protocol's checksums.
type ProtoStats struct {
	Status    [5]int
	Bad       int
	Offload   int // bad, with offload evidence
	Suspect   int // bad, with none
	ByHint    [numHints]int
	SuspectAt []int // frame numbers, the first maxFrames of them
	BadAt     []int
}

// SenderStats is what one source address's frames show of its NIC's
// offloads.
type SenderStats struct {
	Oversize, Largest, Zero int
	ZeroProto               string
}

// FlowStats counts bad checksums of one flow (addresses and ports).
type FlowStats struct {
	Flow    string
	Bad     int
	Suspect int
	First   int
}

const maxFrames = 20

// NewReport starts an empty report for checksums judged under p.
func NewReport(p prefs.Prefs) *Report {
	return &Report{Prefs: p, Counts: map[CountKey]int{}, Protos: map[string]*ProtoStats{}, Flows: map[string]*FlowStats{}}
}

func direction(fr *Frame, d *Dissection) string {
	switch {
	case d.Outbound:
		return "outbound"
	case fr.Record.Direction == capfile.DirInbound:
		return "inbound"
	}
	for i := range d.Fields {
		if d.Fields[i].Def == fSLLPkttype {
			if d.Fields[i].U <= 3 {
				return "inbound"
			}
		}
	}
	return "unknown"
}

// Add counts one dissected frame.
func (r *Report) Add(fr *Frame, d *Dissection) {
	r.Frames++
	dir := ""
	var oversize, retrans, data bool
	for i := range d.Fields {
		f := &d.Fields[i]
		switch {
		case f.Def == fTCPLen:
			data = data || f.U > 0
		case f.Def == fTCPRetrans:
			retrans = true
		case f.Def == fHint && f.U == uint64(HintOversize):
			oversize = true
		case f.Def == fRetransmitsBad:
			if r.Confirmed == nil {
				r.Confirmed = map[int]int{}
			}
			if _, ok := r.Confirmed[int(f.U)]; !ok {
				r.Confirmed[int(f.U)] = fr.Number
			}
		}
	}
	if oversize {
		r.Oversize++
		if len(r.OverFrames) < maxFrames {
			r.OverFrames = append(r.OverFrames, fr.Number)
		}
		for i := range d.Fields {
			if d.Fields[i].Def == fHintText && d.Fields[i].U == uint64(HintOversize) {
				if n := int(d.Fields[i].Aux & auxSize); n > r.Largest {
					r.Largest = n
				}
				break
			}
		}
	}
	for i, u := range d.Undissected {
		if i > 0 && slices.Contains(d.Undissected[:i], u) {
			continue // one frame counts once per kind
		}
		if r.Undissected == nil {
			r.Undissected = map[string]int{}
		}
		r.Undissected[u.String()]++
	}
	offloadedTCP, known := false, false
	for i := 0; data && i < len(d.Checksums); i++ {
		ck := &d.Checksums[i]
		if ck.Proto == "tcp" && ck.Status == StatusBad && ck.Hints.Offload() && !ck.Hints.Has(HintVirtual) &&
			(ck.Hints.Has(HintOutbound) || ck.Hints.Has(HintPartial) || ck.Hints.Has(HintZero)) {
			offloadedTCP = true
			known = known || ck.Hints.Has(HintOutbound)
		}
	}
	if offloadedTCP {
		r.SentOffloaded++
		if known {
			r.sentKnown++
		}
	}
	if retrans {
		r.Retrans++
		if offloadedTCP {
			r.RetransOffloaded++
		}
	}
	if (oversize || len(d.Checksums) > 0) && direction(fr, d) == "unknown" {
		r.addSender(d, oversize)
	}
	var flow *FlowStats
	for i := range d.Checksums {
		ck := &d.Checksums[i]
		if dir == "" {
			dir = direction(fr, d)
		}
		ps := r.Protos[ck.Proto]
		if ps == nil {
			ps = &ProtoStats{}
			r.Protos[ck.Proto] = ps
		}
		ps.Status[ck.Status]++
		if ck.Status != StatusBad {
			r.Counts[CountKey{ck.Proto, ck.Status, "", dir}]++
			continue
		}
		ps.Bad++
		if len(ps.BadAt) < maxFrames {
			ps.BadAt = append(ps.BadAt, fr.Number)
		}
		if ck.Hints.Offload() {
			ps.Offload++
		} else {
			ps.Suspect++
			if len(ps.SuspectAt) < maxFrames {
				ps.SuspectAt = append(ps.SuspectAt, fr.Number)
			}
		}
		for h := Hint(0); h < numHints; h++ {
			if ck.Hints.Has(h) {
				ps.ByHint[h]++
				r.Counts[CountKey{ck.Proto, ck.Status, HintNames[h], dir}]++
			}
		}
		if flow == nil {
			key := flowKey(d)
			flow = r.Flows[key]
			if flow == nil {
				flow = &FlowStats{Flow: key, First: fr.Number}
				r.Flows[key] = flow
			}
		}
		flow.Bad++
		if !ck.Hints.Offload() {
			flow.Suspect++
		}
	}
}

// addSender notes, for a capture without direction, what a source
// address's frame shows of its NIC: the question "is there any sign in
// the trace that LSO is on" is answered per host.
func (r *Report) addSender(d *Dissection, oversize bool) {
	zero := ""
	for i := range d.Checksums {
		ck := &d.Checksums[i]
		if ck.Status == StatusBad && ck.Value == 0 && ck.Proto != "ip" {
			zero = ck.Proto
		}
	}
	if !oversize && zero == "" {
		return
	}
	src := ""
	size := 0
	for i := range d.Fields {
		f := &d.Fields[i]
		switch {
		case src == "" && (f.Def == fIPSrc || f.Def == fIPv6Src):
			src = f.Value()
		case f.Def == fHintText && f.U == uint64(HintOversize):
			size = int(f.Aux & auxSize)
		}
	}
	if src == "" {
		return
	}
	if r.Senders == nil {
		r.Senders = map[string]*SenderStats{}
	}
	st := r.Senders[src]
	if st == nil {
		if len(r.Senders) >= 64 {
			return
		}
		st = &SenderStats{}
		r.Senders[src] = st
	}
	if oversize {
		st.Oversize++
		st.Largest = max(st.Largest, size)
	}
	if zero != "" {
		st.Zero++
		st.ZeroProto = zero
	}
}

// flowKey names a frame's flow: addresses and, where present, ports.
func flowKey(d *Dissection) string {
	var src, dst string
	var sport, dport uint64
	var proto string
	for i := range d.Fields {
		f := &d.Fields[i]
		switch f.Def {
		case fIPSrc, fIPv6Src:
			// A tunnel's inner packet names the flow: its addresses and
			// the ports that follow them.
			src, proto = f.Value(), ""
		case fIPDst, fIPv6Dst:
			dst = f.Value()
		case fIPv6Routing:
			if len(f.B) == 16 {
				dst = formatIPv6(f.B)
			}
		case fTCPSrcPort, fUDPSrcPort:
			if proto == "" {
				sport = f.U
			}
		case fTCPDstPort, fUDPDstPort:
			if proto == "" {
				dport = f.U
				proto = strings.ToUpper(strings.SplitN(f.Def.Name, ".", 2)[0])
			}
		}
	}
	if proto == "" {
		return src + " → " + dst
	}
	if strings.Contains(src, ":") {
		src, dst = "["+src+"]", "["+dst+"]"
	}
	return fmt.Sprintf("%s %s:%d → %s:%d", proto, src, sport, dst, dport)
}

// Verdict is the short text a person can act on.
func (r *Report) Verdict() []string {
	var out []string
	totalBad, totalSuspect := 0, 0
	var suspectFrames []int
	cut := false // some protocol's list of suspect frames was cut short
	// The lines that accuse come first: at 3 a.m. the reader acts on the
	// first line, and evidence of real damage must not sit below a page
	// of offload explanations.
	var offload []string
	for _, proto := range ChecksumProtos {
		ps := r.Protos[proto]
		if ps == nil || ps.Bad == 0 {
			continue
		}
		totalBad += ps.Bad
		totalSuspect += ps.Suspect
		suspectFrames = append(suspectFrames, ps.SuspectAt...)
		cut = cut || ps.Suspect > len(ps.SuspectAt)
		if ps.Offload > 0 {
			offload = append(offload, fmt.Sprintf("%d of %d bad %s checksums %s: checksum offload, not corruption.",
				ps.Offload, ps.Bad, ChecksumTitle(proto), evidence(ps)))
		}
	}
	if len(r.Confirmed) > 0 {
		var pairs []string
		keys := make([]int, 0, len(r.Confirmed))
		for k := range r.Confirmed {
			keys = append(keys, k)
		}
		sort.Ints(keys)
		for i, k := range keys {
			if i == maxFrames {
				pairs = append(pairs, "...")
				break
			}
			pairs = append(pairs, fmt.Sprintf("%d in %d", k, r.Confirmed[k]))
		}
		out = append(out, fmt.Sprintf("%d segment%s with a bad TCP or IPv4 header checksum %s retransmitted by the sender (frame %s): the receiver dropped %s, so the damage was real, not an offload artifact.",
			len(keys), plural(len(keys), "", "s"), plural(len(keys), "was", "were"), strings.Join(pairs, ", "), plural(len(keys), "it", "them")))
	}
	if totalSuspect > 0 {
		sort.Ints(suspectFrames)
		suspectFrames = uniq(suspectFrames)
		more := ""
		if len(suspectFrames) > maxFrames || cut {
			suspectFrames = suspectFrames[:min(len(suspectFrames), maxFrames)]
			more = ", ..."
		}
		out = append(out, fmt.Sprintf("%d bad checksum%s with no offload pattern: possible corruption or a faulty NIC/driver (frames %s%s). Capture at the sender as well to compare.",
			totalSuspect, plural(totalSuspect, "", "s"), joinInts(suspectFrames), more))
	}
	out = append(out, offload...)
	if r.SentOffloaded > 0 {
		out = append(out, r.senderSide())
	}
	out = append(out, r.senderLines()...)
	switch {
	case totalBad == 0 && len(r.Undissected) == 0:
		out = append(out, fmt.Sprintf("No bad checksums in %d frame%s.", r.Frames, plural(r.Frames, "", "s")))
	case totalBad == 0:
		out = append(out, fmt.Sprintf("No bad checksums in what was dissected of %d frame%s; not everything was (below).", r.Frames, plural(r.Frames, "", "s")))
	}
	if len(r.Undissected) > 0 {
		out = append(out, r.undissectedLine())
	}
	if r.Oversize > 0 {
		out = append(out, fmt.Sprintf("%d frame%s larger than the link MTU or the negotiated MSS (largest IP packet %d bytes): segmentation offload (TSO/GSO) where this host sent them, receive coalescing (GRO/LRO) where it received them; they never crossed the wire at that size.",
			r.Oversize, plural(r.Oversize, " is", "s are"), r.Largest))
	}
	var off []string
	for _, proto := range ChecksumProtos {
		if !r.Prefs.Validates(proto) {
			off = append(off, ChecksumTitle(proto))
		}
	}
	if len(off) > 0 {
		out = append(out, fmt.Sprintf("Not validated (switched off): %s. Their checksums are Unverified: nothing is reported clean that was never checked.", strings.Join(off, ", ")))
	}
	return out
}

// undissectedLine names what was not dissected, most frames first.
func (r *Report) undissectedLine() string {
	kinds := make([]string, 0, len(r.Undissected))
	for k := range r.Undissected {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		a, b := r.Undissected[kinds[i]], r.Undissected[kinds[j]]
		if a != b {
			return a > b
		}
		return kinds[i] < kinds[j]
	})
	const show = 8
	var parts []string
	for i, k := range kinds {
		if i == show {
			parts = append(parts, fmt.Sprintf("and %d more kinds", len(kinds)-show))
			break
		}
		n := r.Undissected[k]
		parts = append(parts, fmt.Sprintf("%d frame%s %s", n, plural(n, " carries", "s carry"), k))
	}
	line := "Not dissected, so checksums inside them were not checked: " + strings.Join(parts, ", ") + " that wirelens did not decode (Decode As, -d, names a dissector for a port or type)."
	if r.Undissected[(Undissected{"udp.port", 8472}).String()] > 0 {
		line += " UDP/8472 is Linux's default VXLAN port: -d udp.port==8472,vxlan decodes it."
	}
	return line
}

// senderSide says what a capture made before the NIC cannot show, and
// what its retransmissions do show.
func (r *Report) senderSide() string {
	s := fmt.Sprintf("%d TCP data segment%s sent with the checksum left to the NIC: the NIC fills %s in after the capture point, so whether it does so correctly is not visible here.",
		r.SentOffloaded, plural(r.SentOffloaded, "", "s"), plural(r.SentOffloaded, "it", "these"))
	if r.sentKnown < r.SentOffloaded {
		s = fmt.Sprintf("%d TCP data segment%s the checksum %s sender left to its NIC (the capture does not say on which host it was made): if on the sender, the NIC fills %s in after the capture point, so whether it does so correctly is not visible here.",
			r.SentOffloaded, plural(r.SentOffloaded, " carries", "s carry"), plural(r.SentOffloaded, "its", "their"), plural(r.SentOffloaded, "it", "these"))
	}
	switch {
	case r.RetransOffloaded == 0 && r.SentOffloaded == 1:
		s += " It was not retransmitted, so the receiver accepted it."
	case r.RetransOffloaded == 0:
		s += " None of them was retransmitted, so the receiver accepted them."
	case r.RetransOffloaded*100 >= r.SentOffloaded && r.RetransOffloaded >= 3:
		s += fmt.Sprintf(" %d of them %s retransmitted (%.1f%%): many retransmissions of segments whose checksum the NIC computes point to the NIC (or the path after it). Capture at the receiver as well and compare: wirelens --compare THIS-CAPTURE RECEIVER-CAPTURE.",
			r.RetransOffloaded, plural(r.RetransOffloaded, "was", "were"), 100*float64(r.RetransOffloaded)/float64(r.SentOffloaded))
	default:
		s += fmt.Sprintf(" %d of them %s retransmitted: a few losses, as any path has; to see what arrived, capture at the receiver and compare (wirelens --compare).",
			r.RetransOffloaded, plural(r.RetransOffloaded, "was", "were"))
	}
	return s
}

// senderLines names, for a capture that does not say which frames it
// sent, the hosts whose NICs offload. A busy capture has dozens of such
// hosts; the ones with the most frames are named and the rest counted,
// so the verdict stays a screenful.
func (r *Report) senderLines() []string {
	var over, zero []string
	for k, st := range r.Senders {
		if st.Oversize > 0 {
			over = append(over, k)
		}
		if st.Zero > 0 {
			zero = append(zero, k)
		}
	}
	byCount := func(hosts []string, n func(*SenderStats) int) {
		sort.Slice(hosts, func(i, j int) bool {
			a, b := n(r.Senders[hosts[i]]), n(r.Senders[hosts[j]])
			if a != b {
				return a > b
			}
			return hosts[i] < hosts[j]
		})
	}
	byCount(over, func(st *SenderStats) int { return st.Oversize })
	byCount(zero, func(st *SenderStats) int { return st.Zero })
	var out []string
	for i, src := range over {
		st := r.Senders[src]
		if i == maxSenders && len(over) > maxSenders+1 {
			frames, largest := 0, 0
			for _, k := range over[i:] {
				frames += r.Senders[k].Oversize
				largest = max(largest, r.Senders[k].Largest)
			}
			out = append(out, fmt.Sprintf("%d more hosts send frames up to %s (%d larger than the MTU or MSS): large send offload on their NICs where the capture was made on them, receive coalescing on the capturing host's NIC otherwise.",
				len(over)-i, sizeText(largest), frames))
			break
		}
		out = append(out, fmt.Sprintf("%s sends frames up to %s (%d larger than the MTU or MSS): large send offload (TSO/LSO) on its NIC, if this capture was made on %s; receive coalescing (GRO/LRO) on the capturing host's NIC otherwise.",
			Sanitize(src), sizeText(st.Largest), st.Oversize, Sanitize(src)))
	}
	for i, src := range zero {
		st := r.Senders[src]
		if i == maxSenders && len(zero) > maxSenders+1 {
			frames := 0
			var protos []string
			for _, k := range zero[i:] {
				frames += r.Senders[k].Zero
				if t := ChecksumTitle(r.Senders[k].ZeroProto); !slices.Contains(protos, t) {
					protos = append(protos, t)
				}
			}
			sort.Strings(protos)
			out = append(out, fmt.Sprintf("%d more hosts send %s checksums of 0x0000 (%d frames): checksum offload on their NICs (the capture was made on them, before the NIC).",
				len(zero)-i, strings.Join(protos, " or "), frames))
			break
		}
		out = append(out, fmt.Sprintf("%s sends %s checksums of 0x0000 (%d frame%s): checksum offload on its NIC (the capture was made on %s, before the NIC).",
			Sanitize(src), ChecksumTitle(st.ZeroProto), st.Zero, plural(st.Zero, "", "s"), Sanitize(src)))
	}
	return out
}

// maxSenders is how many offloading hosts the verdict names one by one.
const maxSenders = 3

func sizeText(n int) string {
	if n >= 10000 {
		return fmt.Sprintf("%d KB", (n+512)/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}

// evidence says which offload patterns a protocol's bad checksums showed.
func evidence(ps *ProtoStats) string {
	var parts []string
	add := func(h Hint, what string) {
		if n := ps.ByHint[h]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s (%d)", what, n))
		}
	}
	add(HintOutbound, "are on frames this host sent")
	add(HintPartial, "hold the partial pseudo-header sum")
	add(HintVirtual, "were received through a virtual device")
	add(HintZero, "are zero")
	add(HintOversize, "are on oversize (TSO/GRO) frames")
	add(HintTunnel, "are outer tunnel checksums computed with local checksum offload (right once the inner partial sum is filled in)")
	add(HintVerified, "were marked verified by the capturing kernel (pcapng flags: checksum valid)")
	switch len(parts) {
	case 0:
		return "carry offload evidence"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Write prints the report as --checksum-report shows it.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "Checksum report: %d frame%s\n\n", r.Frames, plural(r.Frames, "", "s"))
	fmt.Fprintln(w, "Verdict:")
	for _, v := range r.Verdict() {
		fmt.Fprintf(w, "  %s\n", v)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-12s %-9s %8s %8s %8s %8s %12s %8s %8s\n", "Protocol", "Validated", "Checked", "Good", "Bad", "Unver.", "Not present", "Illegal", "Suspect")
	for _, proto := range ChecksumProtos {
		ps := r.Protos[proto]
		if ps == nil {
			continue
		}
		n := 0
		for _, c := range ps.Status {
			n += c
		}
		val := "yes"
		if !r.Prefs.Validates(proto) {
			val = "no"
		}
		fmt.Fprintf(w, "%-12s %-9s %8d %8d %8d %8d %12d %8d %8d\n", ChecksumTitle(proto), val, n, ps.Status[StatusGood], ps.Status[StatusBad],
			ps.Status[StatusUnverified], ps.Status[StatusNotPresent], ps.Status[StatusIllegal], ps.Suspect)
	}
	if len(r.Counts) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%-12s %-12s %-9s %-9s %8s\n", "Protocol", "Status", "Hint", "Direction", "Count")
		keys := make([]CountKey, 0, len(r.Counts))
		for k := range r.Counts {
			keys = append(keys, k)
		}
		order := map[string]int{}
		for i, p := range ChecksumProtos {
			order[p] = i
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if a.Proto != b.Proto {
				return order[a.Proto] < order[b.Proto]
			}
			if a.Status != b.Status {
				return a.Status < b.Status
			}
			if a.Hint != b.Hint {
				return a.Hint < b.Hint
			}
			return a.Direction < b.Direction
		})
		for _, k := range keys {
			hint := k.Hint
			if hint == "" {
				hint = "-"
			}
			fmt.Fprintf(w, "%-12s %-12s %-9s %-9s %8d\n", ChecksumTitle(k.Proto), k.Status, hint, k.Direction, r.Counts[k])
		}
	}
	if len(r.Flows) > 0 {
		flows := r.TopFlows(10)
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Flows with most bad checksums:")
		for _, f := range flows {
			fmt.Fprintf(w, "  %6d bad (%d suspect)  %s  (first frame %d)\n", f.Bad, f.Suspect, Sanitize(f.Flow), f.First)
		}
	}
}

// TopFlows returns the n flows with most bad checksums.
func (r *Report) TopFlows(n int) []*FlowStats {
	flows := make([]*FlowStats, 0, len(r.Flows))
	for _, f := range r.Flows {
		flows = append(flows, f)
	}
	sort.Slice(flows, func(i, j int) bool {
		if flows[i].Bad != flows[j].Bad {
			return flows[i].Bad > flows[j].Bad
		}
		return flows[i].First < flows[j].First
	})
	if len(flows) > n {
		flows = flows[:n]
	}
	return flows
}

func uniq(a []int) []int {
	out := a[:0]
	for i, v := range a {
		if i == 0 || v != a[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func joinInts(a []int) string {
	s := make([]string, len(a))
	for i, v := range a {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}
