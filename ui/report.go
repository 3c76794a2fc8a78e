package ui

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// reportAction is what Enter on a report line does. It is data, not a
// closure, so the lines can be tested without a screen.
type reportAction struct {
	filter string // display filter to apply ("" applies none)
	frame  int    // 0-based frame to select once the filter has run; -1: none
	prefs  bool   // open the validation dialog instead
}

// lineKind picks a report line's style.
type lineKind uint8

const (
	lkText lineKind = iota
	lkHeading
	lkColumns // table column titles
	lkGood
	lkOffload
	lkBad
	lkDim
)

// reportLine is one line of the report view.
type reportLine struct {
	text   string // sanitised
	kind   lineKind
	indent int  // continuation indent when wrapped
	wrap   bool // prose wraps; table rows are cut
	act    *reportAction
}

func protoTitle(p string) string { return decode.ChecksumTitle(p) }

// statusClause filters frames whose proto checksum has status st. UDP-Lite
// shares UDP's checksum fields, as in Wireshark.
func statusClause(proto string, st decode.ChecksumStatus) string {
	if proto == "udplite" {
		return fmt.Sprintf("udp.checksum.status == %d && udplite", st)
	}
	return fmt.Sprintf("%s.checksum.status == %d", proto, st)
}

// directionClause filters frames by capture direction the way the report
// counts it: pcapng packet flags, else the SLL packet type.
func directionClause(dir string) string {
	in := "(frame.packet_flags_direction == 1 || sll.pkttype <= 3)"
	out := "(frame.packet_flags_direction == 2 || sll.pkttype == 4)"
	switch dir {
	case "inbound":
		return in
	case "outbound":
		return out
	case "unknown":
		return "!" + in + " && !" + out
	}
	return ""
}

// flowFilter turns a report flow ("TCP 10.0.0.1:5 → 10.0.0.2:80",
// "UDP [fd00::1]:5 → [fd00::2]:53" or "10.0.0.1 → 10.0.0.2") into a display
// filter matching both directions of it; "" when it cannot.
func flowFilter(flow string) string {
	proto := ""
	if p, rest, ok := strings.Cut(flow, " "); ok && (p == "TCP" || p == "UDP") {
		proto, flow = strings.ToLower(p), rest
	}
	a, b, ok := strings.Cut(flow, " → ")
	if !ok {
		return ""
	}
	split := func(s string) (addr, port string, ok bool) {
		if proto == "" {
			return strings.Trim(s, "[]"), "", s != ""
		}
		i := strings.LastIndexByte(s, ':')
		if i <= 0 {
			return "", "", false
		}
		addr, port = strings.Trim(s[:i], "[]"), s[i+1:]
		if _, err := strconv.ParseUint(port, 10, 16); err != nil || addr == "" {
			return "", "", false
		}
		return addr, port, true
	}
	addrA, portA, okA := split(a)
	addrB, portB, okB := split(b)
	if !okA || !okB || strings.ContainsAny(addrA+addrB, " \"()&|!=") {
		return ""
	}
	field := "ip.addr"
	if strings.Contains(addrA, ":") {
		field = "ipv6.addr"
	}
	f := fmt.Sprintf("%s == %s && %s == %s", field, addrA, field, addrB)
	if proto != "" {
		f += fmt.Sprintf(" && %s.port == %s && %s.port == %s", proto, portA, proto, portB)
	}
	return f
}

// verdictActions pairs each line of r.Verdict() with what Enter on it does.
// It follows the order Verdict writes them in: one offload line per
// protocol with offload evidence, the suspect line, the clean line, the
// oversize line, the validation line; lines it does not recognise get none.
func verdictActions(r *decode.Report, lines []string) []*reportAction {
	acts := make([]*reportAction, len(lines))
	var offloadProtos []string
	firstSuspect := 0
	for _, p := range decode.ChecksumProtos {
		ps := r.Protos[p]
		if ps == nil || ps.Bad == 0 {
			continue
		}
		if ps.Offload > 0 {
			offloadProtos = append(offloadProtos, p)
		}
		if len(ps.SuspectAt) > 0 && (firstSuspect == 0 || ps.SuspectAt[0] < firstSuspect) {
			firstSuspect = ps.SuspectAt[0]
		}
	}
	for i, l := range lines {
		switch {
		case strings.Contains(l, "checksum offload, not corruption") && len(offloadProtos) > 0:
			p := offloadProtos[0]
			offloadProtos = offloadProtos[1:]
			acts[i] = &reportAction{filter: statusClause(p, decode.StatusBad) + ` && wirelens.hint != "suspect"`, frame: -1}
		case strings.Contains(l, "with no offload pattern"):
			acts[i] = &reportAction{filter: `wirelens.hint == "suspect"`, frame: firstSuspect - 1}
		case strings.Contains(l, "larger than the link MTU"):
			a := &reportAction{filter: `wirelens.hint == "oversize"`, frame: -1}
			if len(r.OverFrames) > 0 {
				a.frame = r.OverFrames[0] - 1
			}
			acts[i] = a
		case strings.HasPrefix(l, "Not validated"):
			acts[i] = &reportAction{prefs: true, frame: -1}
		}
	}
	return acts
}

// reportLines lays out the report: the verdict, the protocol x status
// table, the status x hint x direction counts and the flows with most bad
// checksums. Tables fit in 78 columns.
func reportLines(r *decode.Report) []reportLine {
	var out []reportLine
	add := func(l reportLine) { out = append(out, l) }
	blank := func() { add(reportLine{}) }

	add(reportLine{text: "Verdict", kind: lkHeading})
	verdict := r.Verdict()
	acts := verdictActions(r, verdict)
	for i, v := range verdict {
		kind := lkText
		switch {
		case strings.Contains(v, "no offload pattern"):
			kind = lkBad
		case strings.Contains(v, "not corruption"):
			kind = lkOffload
		case strings.HasPrefix(v, "No bad checksums"):
			kind = lkGood
		}
		add(reportLine{text: "  " + decode.Sanitize(v), kind: kind, indent: 4, wrap: true, act: acts[i]})
	}

	blank()
	add(reportLine{text: "Checksums by protocol", kind: lkHeading})
	add(reportLine{text: fmt.Sprintf("  %-12s %-6s %7s %7s %7s %7s %7s %7s %7s",
		"Protocol", "Valid.", "Checked", "Good", "Bad", "Unver.", "Absent", "Illegal", "Suspect"), kind: lkColumns})
	listed := false
	for _, p := range decode.ChecksumProtos {
		ps := r.Protos[p]
		if ps == nil {
			continue
		}
		listed = true
		n := 0
		for _, c := range ps.Status {
			n += c
		}
		val := "yes"
		if !r.Prefs.Validates(p) {
			val = "NO"
		}
		a := &reportAction{filter: p + ".checksum", frame: -1}
		if p == "udplite" {
			a.filter = "udplite"
		}
		if ps.Bad > 0 {
			a.filter = statusClause(p, decode.StatusBad)
		}
		kind := lkText
		switch {
		case ps.Suspect > 0:
			kind = lkBad
		case ps.Bad > 0:
			kind = lkOffload
		}
		add(reportLine{text: fmt.Sprintf("  %-12s %-6s %7d %7d %7d %7d %7d %7d %7d", protoTitle(p), val, n,
			ps.Status[decode.StatusGood], ps.Status[decode.StatusBad], ps.Status[decode.StatusUnverified],
			ps.Status[decode.StatusNotPresent], ps.Status[decode.StatusIllegal], ps.Suspect), kind: kind, act: a})
	}
	if !listed {
		add(reportLine{text: "  (no checksums in the capture)", kind: lkDim})
	}

	if len(r.Counts) > 0 {
		blank()
		add(reportLine{text: "Checksums by status, hint and direction", kind: lkHeading})
		add(reportLine{text: fmt.Sprintf("  %-12s %-11s %-9s %-9s %9s", "Protocol", "Status", "Hint", "Direction", "Count"), kind: lkColumns})
		keys := make([]decode.CountKey, 0, len(r.Counts))
		for k := range r.Counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if a.Proto != b.Proto {
				return slices.Index(decode.ChecksumProtos, a.Proto) < slices.Index(decode.ChecksumProtos, b.Proto)
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
			f := statusClause(k.Proto, k.Status)
			if hint == "" {
				hint = "-"
			} else {
				f += fmt.Sprintf(" && wirelens.hint == %q", k.Hint)
			}
			if d := directionClause(k.Direction); d != "" {
				f += " && " + d
			}
			kind := lkText
			switch {
			case k.Hint == decode.HintNames[decode.HintSuspect]:
				kind = lkBad
			case k.Status == decode.StatusBad:
				kind = lkOffload
			}
			add(reportLine{text: fmt.Sprintf("  %-12s %-11s %-9s %-9s %9d", protoTitle(k.Proto), k.Status,
				decode.Sanitize(hint), decode.Sanitize(k.Direction), r.Counts[k]), kind: kind, act: &reportAction{filter: f, frame: -1}})
		}
	}

	if len(r.Flows) > 0 {
		blank()
		add(reportLine{text: "Flows with most bad checksums", kind: lkHeading})
		add(reportLine{text: fmt.Sprintf("  %6s %7s  %s", "Bad", "Suspect", "Flow (first frame)"), kind: lkColumns})
		for _, f := range r.TopFlows(10) {
			kind := lkOffload
			if f.Suspect > 0 {
				kind = lkBad
			}
			var a *reportAction
			if ff := flowFilter(f.Flow); ff != "" {
				a = &reportAction{filter: ff, frame: f.First - 1}
			}
			add(reportLine{text: fmt.Sprintf("  %6d %7d  %s  (%d)", f.Bad, f.Suspect, decode.Sanitize(f.Flow), f.First),
				kind: kind, indent: 18, wrap: true, act: a})
		}
	}
	return out
}

// reportView is the `e` view: the checksum report of the whole capture,
// computed in the background (every frame is dissected once), kept until
// the preferences change or the capture grows.
type reportView struct {
	root  *tview.Flex
	list  *lineList
	th    *theme
	src   Source
	name  string // capture name for the title
	queue func(func())
	rep   *decode.Report
	repN  int  // frames the report covers
	stale bool // the preferences changed since it was computed
	bgPass
	onAct func(a reportAction) // Enter on a line
	acts  []*reportAction      // each shown line's action (nil: none)
	note  string               // a message in the footer (the status bar is hidden under the report)
}

func newReportView(src Source, th *theme, name string, queue func(func())) *reportView {
	v := &reportView{src: src, th: th, name: name, queue: queue}
	v.list = newLineList(th)
	v.list.onChange = func(int) { v.note = "" }
	keys := " Enter show packets · c validation · r recompute · Esc close"
	if th.ascii {
		keys = strings.ReplaceAll(keys, "·", "|")
	}
	v.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(newFillLine(th, th.title, v.title), 1, 0, false).
		AddItem(v.list, 0, 1, true).
		AddItem(newFillLine(th, th.status, func() string {
			if v.note != "" {
				return " " + v.note + " |" + keys
			}
			return keys
		}), 1, 0, false)
	return v
}

// fillLine is a one-line bar painted across its width in st; its text is
// asked for at each draw, so progress shows without anyone setting it.
type fillLine struct {
	*tview.Box
	th   *theme
	st   tcell.Style
	text func() string
}

func newFillLine(th *theme, st tcell.Style, text func() string) *fillLine {
	return &fillLine{Box: tview.NewBox(), th: th, st: st, text: text}
}

func (f *fillLine) Draw(screen tcell.Screen) {
	x, y, w, h := f.GetRect()
	for row := 0; row < h; row++ {
		for i := 0; i < w; i++ {
			screen.SetContent(x+i, y+row, ' ', nil, f.st)
		}
	}
	printAt(screen, x, y, cut(f.text(), w, f.th), f.st)
}

// needsRun reports whether the report must be (re)computed to be current.
func (v *reportView) needsRun() bool {
	if v.active {
		return false
	}
	return v.rep == nil || v.stale || v.src.Len() != v.repN
}

// start computes the report in the background, cancelling any run.
func (v *reportView) start() {
	gen, stop := v.begin()
	v.stale = false
	total := v.src.Len()
	v.prog.Store(0, total)
	v.show()
	src := v.src
	goSafe(func() {
		rep, ok := src.Report(v.prog.Store, stop)
		if !ok {
			return
		}
		v.queue(func() {
			if !v.end(gen) {
				return
			}
			v.rep, v.repN = rep, total
			v.show()
		})
	})
}

// cancel stops a running computation (closing the view, new preferences).

// invalidate marks the report out of date after a preference change.
func (v *reportView) invalidate() {
	v.stale = true
	if v.active {
		v.cancel()
	}
}

// title is the header text: what the report covers, or how far it got.
func (v *reportView) title() string {
	name := titleName(v.name)
	switch {
	case v.active:
		return " Checksum report" + name + ": " + v.prog.computing()
	case v.rep == nil:
		return " Checksum report" + name
	}
	s := fmt.Sprintf(" Checksum report%s: %d frames", name, v.rep.Frames)
	if n := v.src.Len(); n != v.repN {
		s += fmt.Sprintf(" (capture now has %d: r recomputes)", n)
	}
	return s
}

// show fills the list from the report (or a progress note while computing).
func (v *reportView) show() {
	if v.active || v.rep == nil {
		v.list.setItems([]listItem{{text: "  Dissecting every frame once to judge its checksums...", style: v.th.dim}})
		return
	}
	lines := reportLines(v.rep)
	items := make([]listItem, len(lines))
	v.acts = make([]*reportAction, len(lines))
	for i, l := range lines {
		v.acts[i] = l.act
		it := listItem{text: l.text, indent: l.indent, wrap: l.wrap, style: v.style(l.kind)}
		if l.act != nil {
			a := *l.act
			it.act = func() {
				if v.onAct != nil {
					v.onAct(a)
				}
			}
		}
		items[i] = it
	}
	v.list.setItems(items)
}

// selectedFrame is the packet the selected line leads to (0-based), -1
// when it names none.
func (v *reportView) selectedFrame() int {
	if i := v.list.sel; i >= 0 && i < len(v.acts) && v.acts[i] != nil {
		return v.acts[i].frame
	}
	return -1
}

func (v *reportView) style(k lineKind) tcell.Style {
	switch k {
	case lkHeading:
		return v.th.header.Underline(true)
	case lkColumns:
		return v.th.header
	case lkGood:
		return v.th.good
	case lkOffload:
		return v.th.offload
	case lkBad:
		return v.th.bad
	case lkDim:
		return v.th.dim
	}
	return v.th.base
}
