package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/stats"
)

// statsTab is a tab of the statistics view.
type statsTab int

const (
	tabConv statsTab = iota
	tabEndpoints
	tabPHS
	tabExpert
	tabIO
	numStatsTabs
)

var statsTabNames = [numStatsTabs]string{"Conversations", "Endpoints", "Protocols", "Expert", "I/O"}

// maxShownRows bounds the rows a table tab lists (the list lays every
// row out at each draw); the rest are reachable by sorting otherwise.
const maxShownRows = 2000

// statsAction is what Enter on a line does: apply filter (if any) and
// select frame (0-based, -1 none).
type statsAction struct {
	filter string
	frame  int
}

// statsLine is one line of a tab.
type statsLine struct {
	text  string // sanitised
	kind  lineKind
	act   *statsAction
	style *tcell.Style // overrides kind's style (sparklines)
}

// statsColumn is a column of a conversation or endpoint table.
type statsColumn struct {
	title string
	width int // 0: an address statsColumn, sized to the room left
	num   bool
	wide  bool // shown only when the table has room
	text  func(r *stats.ConvRow) string
	less  func(a, b *stats.ConvRow) bool // ascending order
}

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

// secs writes nanoseconds as seconds with 4 decimals, as Wireshark's
// conversation dialog; secs6 with 6, as the packet list.
func secs(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 4, 64) }

func secs6(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 6, 64) }

func addrPort(a, p string) string {
	if p == "" {
		return a
	}
	if strings.Contains(a, ":") {
		return "[" + a + "]:" + p
	}
	return a + ":" + p
}

var convColumns = []statsColumn{
	{title: "Address A", text: func(r *stats.ConvRow) string { return addrPort(r.A, r.APort) },
		less: func(a, b *stats.ConvRow) bool { return addrPort(a.A, a.APort) < addrPort(b.A, b.APort) }},
	{title: "Address B", text: func(r *stats.ConvRow) string { return addrPort(r.B, r.BPort) },
		less: func(a, b *stats.ConvRow) bool { return addrPort(a.B, a.BPort) < addrPort(b.B, b.BPort) }},
	{title: "Packets", width: 8, num: true, text: func(r *stats.ConvRow) string { return u64(r.Frames()) },
		less: func(a, b *stats.ConvRow) bool { return a.Frames() < b.Frames() }},
	{title: "Bytes", width: 10, num: true, text: func(r *stats.ConvRow) string { return u64(r.Bytes()) },
		less: func(a, b *stats.ConvRow) bool { return a.Bytes() < b.Bytes() }},
	{title: "Pkts A→B", width: 9, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.TxFrames) },
		less: func(a, b *stats.ConvRow) bool { return a.TxFrames < b.TxFrames }},
	{title: "Bytes A→B", width: 11, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.TxBytes) },
		less: func(a, b *stats.ConvRow) bool { return a.TxBytes < b.TxBytes }},
	{title: "Pkts B→A", width: 9, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.RxFrames) },
		less: func(a, b *stats.ConvRow) bool { return a.RxFrames < b.RxFrames }},
	{title: "Bytes B→A", width: 11, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.RxBytes) },
		less: func(a, b *stats.ConvRow) bool { return a.RxBytes < b.RxBytes }},
	{title: "Start", width: 8, num: true, text: func(r *stats.ConvRow) string { return secs(r.Start) },
		less: func(a, b *stats.ConvRow) bool { return a.Start < b.Start }},
	{title: "Duration", width: 8, num: true, text: func(r *stats.ConvRow) string { return secs(r.Stop - r.Start) },
		less: func(a, b *stats.ConvRow) bool { return a.Stop-a.Start < b.Stop-b.Start }},
	{title: "Bad", width: 5, num: true, text: func(r *stats.ConvRow) string { return u64(r.Bad) },
		less: func(a, b *stats.ConvRow) bool { return a.Bad < b.Bad }},
}

var endpointColumns = []statsColumn{
	{title: "Address", text: func(r *stats.ConvRow) string { return addrPort(r.A, r.APort) },
		less: func(a, b *stats.ConvRow) bool { return addrPort(a.A, a.APort) < addrPort(b.A, b.APort) }},
	{title: "Packets", width: 8, num: true, text: func(r *stats.ConvRow) string { return u64(r.Frames()) },
		less: func(a, b *stats.ConvRow) bool { return a.Frames() < b.Frames() }},
	{title: "Bytes", width: 10, num: true, text: func(r *stats.ConvRow) string { return u64(r.Bytes()) },
		less: func(a, b *stats.ConvRow) bool { return a.Bytes() < b.Bytes() }},
	{title: "Tx Pkts", width: 8, num: true, text: func(r *stats.ConvRow) string { return u64(r.TxFrames) },
		less: func(a, b *stats.ConvRow) bool { return a.TxFrames < b.TxFrames }},
	{title: "Tx Bytes", width: 11, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.TxBytes) },
		less: func(a, b *stats.ConvRow) bool { return a.TxBytes < b.TxBytes }},
	{title: "Rx Pkts", width: 8, num: true, text: func(r *stats.ConvRow) string { return u64(r.RxFrames) },
		less: func(a, b *stats.ConvRow) bool { return a.RxFrames < b.RxFrames }},
	{title: "Rx Bytes", width: 11, num: true, wide: true, text: func(r *stats.ConvRow) string { return u64(r.RxBytes) },
		less: func(a, b *stats.ConvRow) bool { return a.RxBytes < b.RxBytes }},
	{title: "Bad", width: 5, num: true, text: func(r *stats.ConvRow) string { return u64(r.Bad) },
		less: func(a, b *stats.ConvRow) bool { return a.Bad < b.Bad }},
}

// defaultSort is the Packets statsColumn, most first (Wireshark's first look).
func defaultSort(endpoints bool) int {
	if endpoints {
		return 1
	}
	return 2
}

// fitColumns picks the columns shown at width w: every narrow statsColumn, the
// wide ones when they leave each address statsColumn at least 24 cells; the
// address columns share the rest (at most 45 each).
func fitColumns(cols []statsColumn, w int) (shown []int, addrW int) {
	fixed, addrs, wideFixed := 0, 0, 0
	for _, c := range cols {
		switch {
		case c.width == 0:
			addrs++
		case c.wide:
			wideFixed += c.width + 1
		default:
			fixed += c.width + 1
		}
	}
	wide := (w-fixed-wideFixed-1)/max(addrs, 1) >= 24
	if wide {
		fixed += wideFixed
	}
	addrW = min(max((w-fixed-1)/max(addrs, 1)-1, 8), 45)
	for i, c := range cols {
		if c.wide && !wide {
			continue
		}
		shown = append(shown, i)
	}
	return shown, addrW
}

func pad(s string, w int, right bool, th *theme) string {
	s = cut(s, w, th)
	n := w - textWidth(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// tableHeader is the statsColumn titles at width w, the sorted one marked.
func tableHeader(cols []statsColumn, w, sortCol int, desc bool, th *theme) string {
	shown, aw := fitColumns(cols, w)
	var b strings.Builder
	b.WriteByte(' ')
	for _, i := range shown {
		c := cols[i]
		t := c.title
		if th.ascii {
			t = strings.ReplaceAll(t, "→", ">")
		}
		if i == sortCol {
			switch {
			case th.ascii && desc:
				t += " v"
			case th.ascii:
				t += " ^"
			case desc:
				t += "▼"
			default:
				t += "▲"
			}
		}
		cw := c.width
		if cw == 0 {
			cw = aw
		}
		b.WriteString(pad(t, cw, c.num, th))
		b.WriteByte(' ')
	}
	return b.String()
}

// rowFilter is the display filter of a table row, as Wireshark's
// Conversation and Endpoint dialogs build them (a TCP conversation is its
// stream).
func rowFilter(kind string, endpoints bool, r *stats.ConvRow) string {
	ipField := func(a string) string {
		if strings.Contains(a, ":") {
			return "ipv6"
		}
		return "ip"
	}
	if endpoints {
		switch kind {
		case "eth":
			return "eth.addr == " + r.A
		case "ip", "ipv6":
			return kind + ".addr == " + r.A
		}
		return fmt.Sprintf("%s.addr == %s && %s.port == %s", ipField(r.A), r.A, kind, r.APort)
	}
	switch kind {
	case "eth":
		return fmt.Sprintf("eth.addr == %s && eth.addr == %s", r.A, r.B)
	case "ip", "ipv6":
		return fmt.Sprintf("%s.addr == %s && %s.addr == %s", kind, r.A, kind, r.B)
	case "tcp":
		if r.Stream != "" {
			return "tcp.stream eq " + r.Stream
		}
	}
	ipa, ipb := ipField(r.A), ipField(r.B)
	return fmt.Sprintf("(%s.src == %s && %s.srcport == %s && %s.dst == %s && %s.dstport == %s) || (%s.src == %s && %s.srcport == %s && %s.dst == %s && %s.dstport == %s)",
		ipa, r.A, kind, r.APort, ipb, r.B, kind, r.BPort,
		ipb, r.B, kind, r.BPort, ipa, r.A, kind, r.APort)
}

// tableLines lists t's rows sorted by statsColumn sortCol at width w.
func tableLines(t *stats.ConvTable, sortCol int, desc bool, w int, th *theme) []statsLine {
	cols := convColumns
	if t.Endpoints {
		cols = endpointColumns
	}
	rows := t.Ordered()
	if sortCol >= 0 && sortCol < len(cols) {
		less := cols[sortCol].less
		sort.SliceStable(rows, func(i, j int) bool {
			if desc {
				return less(rows[j], rows[i])
			}
			return less(rows[i], rows[j])
		})
	}
	shown, aw := fitColumns(cols, w)
	var out []statsLine
	for k, r := range rows {
		if k == maxShownRows {
			out = append(out, statsLine{text: fmt.Sprintf(" ... %d more rows: sort by another column (o) to see others", len(rows)-k), kind: lkDim})
			break
		}
		var b strings.Builder
		b.WriteByte(' ')
		for _, i := range shown {
			c := cols[i]
			cw := c.width
			if cw == 0 {
				cw = aw
			}
			b.WriteString(pad(decode.Sanitize(c.text(r)), cw, c.num, th))
			b.WriteByte(' ')
		}
		kind := lkText
		if r.Bad > 0 {
			kind = lkBad
		}
		out = append(out, statsLine{text: b.String(), kind: kind, act: &statsAction{filter: rowFilter(t.Kind, t.Endpoints, r), frame: -1}})
	}
	if len(rows) == 0 {
		out = append(out, statsLine{text: " No " + kindTitle(t.Kind) + " traffic in the capture.", kind: lkDim})
	}
	if t.Dropped > 0 {
		out = append(out, statsLine{text: fmt.Sprintf(" The table stops at %d rows: %d frames of further %s were not counted.",
			stats.MaxTableRows, t.Dropped, map[bool]string{false: "conversations", true: "endpoints"}[t.Endpoints]), kind: lkDim})
	}
	return out
}

func kindTitle(kind string) string {
	for _, k := range stats.ConvKinds {
		if k.Kind == kind {
			return k.Title
		}
	}
	return kind
}

func pct(part, whole uint64) string {
	if whole == 0 {
		return "0.0"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64)
}

// phsLines is the protocol hierarchy, indented; Enter filters by the
// protocol.
func phsLines(s *stats.Summary, w int, th *theme) []statsLine {
	nameW := min(max(w-48, 20), 50)
	var out []statsLine
	var walk func(n *stats.PHSNode, depth int)
	walk = func(n *stats.PHSNode, depth int) {
		for _, c := range n.Children {
			name := decode.Sanitize(c.Name)
			text := " " + pad(strings.Repeat("  ", depth)+name, nameW, false, th) +
				pad(u64(c.Frames), 9, true, th) + pad(pct(c.Frames, s.Frames), 7, true, th) +
				pad(u64(c.Bytes), 12, true, th) + pad(pct(c.Bytes, s.Bytes), 8, true, th)
			out = append(out, statsLine{text: text, act: &statsAction{filter: name, frame: -1}})
			walk(c, depth+1)
		}
	}
	walk(&s.PHS.Root, 0)
	if len(out) == 0 {
		out = append(out, statsLine{text: " No frames.", kind: lkDim})
	}
	return out
}

func phsHeader(w int, th *theme) string {
	nameW := min(max(w-48, 20), 50)
	return " " + pad("Protocol", nameW, false, th) + pad("Packets", 9, true, th) + pad("% Pkts", 7, true, th) +
		pad("Bytes", 12, true, th) + pad("% Bytes", 8, true, th)
}

// expertLines are the expert groups, most severe first; Enter filters to
// the group's message and selects its first frame.
func expertLines(s *stats.Summary, th *theme) []statsLine {
	var out []statsLine
	for _, g := range s.Expert.Classes() {
		sev := decode.ExpertSeverityName(g.Severity)
		kind := lkText
		switch sev {
		case "Error":
			kind = lkBad
		case "Warning":
			kind = lkOffload
		case "Chat", "Comment":
			kind = lkDim
		}
		msg := decode.Sanitize(g.Example)
		flt := "_ws.expert.message == " + filterQuote(g.Message)
		switch {
		case g.Other:
			msg = fmt.Sprintf("(%d other messages, past the first %d kinds)", g.Count, stats.MaxExpertClasses)
			flt = fmt.Sprintf("_ws.expert.severity == 0x%08x && _ws.expert.group == 0x%08x", g.Severity, g.Group)
		case g.Pattern != "":
			msg += " (and others like it)"
			flt = "_ws.expert.message matches " + filterQuote(g.Pattern)
		}
		text := " " + pad(sev, 8, false, th) + " " + pad(decode.ExpertGroupName(g.Group), 10, false, th) + " " +
			pad(decode.Sanitize(g.Protocol), 8, false, th) + " " + pad(u64(g.Count), 7, true, th) + "  " + msg
		out = append(out, statsLine{text: text, kind: kind, act: &statsAction{filter: flt, frame: g.First - 1}})
	}
	if len(out) == 0 {
		out = append(out, statsLine{text: " No expert information.", kind: lkDim})
	}
	return out
}

func expertHeader(th *theme) string {
	return " " + pad("Severity", 8, false, th) + " " + pad("Group", 10, false, th) + " " + pad("Protocol", 8, false, th) + " " +
		pad("Count", 7, true, th) + "  Summary"
}

// sparkRows draws vals as a bar chart rows high, one statsColumn per value, in
// eighth-block characters (ASCII: a ramp of punctuation); a non-zero value
// always shows at least its lowest level, so one bad frame is seen.
func sparkRows(vals []uint64, rows int, ascii bool) []string {
	levels := []rune(" ▁▂▃▄▅▆▇█")
	if ascii {
		levels = []rune(" .,:;=+*#")
	}
	var peak uint64
	for _, v := range vals {
		peak = max(peak, v)
	}
	out := make([]string, rows)
	for r := range out {
		line := make([]rune, len(vals))
		for c, v := range vals {
			lvl := 0
			if peak > 0 && v > 0 {
				lvl = max(int((v*uint64(rows*8)+peak-1)/peak), 1)
			}
			fill := min(max(lvl-(rows-1-r)*8, 0), 8)
			line[c] = levels[fill]
		}
		out[r] = string(line)
	}
	return out
}

// durText writes a duration for the time axis: whole units where it can.
func durText(ns int64) string {
	switch {
	case ns == 0:
		return "0"
	case ns >= int64(time.Second):
		return strconv.FormatFloat(float64(ns/1e6)/1e3, 'f', -1, 64) + "s"
	case ns >= int64(time.Millisecond):
		return strconv.FormatFloat(float64(ns)/1e6, 'f', -1, 64) + "ms"
	}
	return strconv.FormatFloat(float64(ns)/1e3, 'f', -1, 64) + "us"
}

// rebin merges the buckets k at a time so they fit cols columns.
func rebin(v []uint64, k int) []uint64 {
	out := make([]uint64, (len(v)+k-1)/k)
	for i, x := range v {
		out[i/k] += x
	}
	return out
}

// timeAxis labels the columns (each step ns wide) with ticks every few
// columns, labels never overlapping.
func timeAxis(n int, step int64, ascii bool) string {
	line := []rune(strings.Repeat(" ", n))
	tick := '╵'
	if ascii {
		tick = '|'
	}
	for c := 0; c < n; {
		label := durText(int64(c) * step)
		if c+1+len(label) > n {
			break
		}
		line[c] = tick
		copy(line[c+1:], []rune(label))
		c += max(len(label)+3, 10)
	}
	return string(line)
}

// ioLines draws packets and bad checksums per interval over the capture,
// w cells wide, with a time axis under them.
func ioLines(s *stats.Summary, w int, th *theme) []statsLine {
	b := &s.IO
	cols := max(w-2, 10)
	if len(b.Packets) == 0 {
		return []statsLine{{text: " No frames.", kind: lkDim}}
	}
	k := (len(b.Packets) + cols - 1) / cols
	step := b.Interval * int64(k)
	pk, bad := rebin(b.Packets, k), rebin(b.Bad, k)
	var peakP, peakB uint64
	for i := range pk {
		peakP, peakB = max(peakP, pk[i]), max(peakB, bad[i])
	}
	var out []statsLine
	out = append(out, statsLine{text: fmt.Sprintf(" Packets per %s (highest column %d)", durText(step), peakP), kind: lkHeading})
	pst := th.base
	for _, r := range sparkRows(pk, 4, th.ascii) {
		out = append(out, statsLine{text: " " + r, style: &pst})
	}
	out = append(out, statsLine{text: " " + timeAxis(len(pk), step, th.ascii), kind: lkDim})
	out = append(out, statsLine{text: ""})
	out = append(out, statsLine{text: fmt.Sprintf(" Frames with a bad checksum per %s (highest column %d)", durText(step), peakB), kind: lkHeading})
	bst := th.bad
	for _, r := range sparkRows(bad, 2, th.ascii) {
		out = append(out, statsLine{text: " " + r, style: &bst})
	}
	out = append(out, statsLine{text: " " + timeAxis(len(pk), step, th.ascii), kind: lkDim})
	out = append(out, statsLine{text: ""})
	if b.FirstBad > 0 {
		out = append(out, statsLine{text: fmt.Sprintf(" First bad checksum: frame %d at %s s (Enter goes to it); %d frames with one in all.",
			b.FirstBad, secs6(b.FirstBadAt), s.BadFrames), kind: lkBad, act: &statsAction{frame: b.FirstBad - 1}})
	} else {
		out = append(out, statsLine{text: " No bad checksum in the capture (under the validation switches in force).", kind: lkGood})
	}
	out = append(out, statsLine{text: fmt.Sprintf(" %d frames, %d bytes over %s s.", s.Frames, s.Bytes, secs(s.Last-s.First)), kind: lkDim})
	return out
}

// statsView is the statistics view (S): conversations, endpoints, protocol
// hierarchy, expert info and I/O over the whole capture, computed in one
// background pass (Source.Tap) with progress, each table bounded.
type statsView struct {
	src   Source
	th    *theme
	name  string
	queue func(func())

	root *tview.Flex
	body *statsBody

	tab     statsTab
	kind    int            // ConvKinds index in the two table tabs
	sortCol [2]int         // per table tab
	desc    [2]bool        // per table tab
	sum     *stats.Summary // nil until computed
	sumN    int            // frames it covers
	stale   bool           // preferences changed since
	bgPass
	onAct    func(a statsAction) // Enter on a line
	lastW    int                 // width of the last render
	lastKey  [4]int              // tab, kind, sort, desc of the last render
	rendered bool
}

func newStatsView(src Source, th *theme, name string, queue func(func())) *statsView {
	v := &statsView{src: src, th: th, name: name, queue: queue,
		sortCol: [2]int{defaultSort(false), defaultSort(true)}, desc: [2]bool{true, true}}
	v.body = newStatsBody(v)
	keys := " Tab tab · ←→ type · o O sort · Enter filter · r recompute · Esc back · ? help"
	if th.ascii {
		keys = strings.NewReplacer("·", "|", "←→", "Left/Right").Replace(keys)
	}
	v.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(newFillLine(th, th.title, v.title), 1, 0, false).
		AddItem(newFillLine(th, th.base, v.tabBar), 1, 0, false).
		AddItem(v.body, 0, 1, true).
		AddItem(newFillLine(th, th.status, func() string { return keys }), 1, 0, false)
	return v
}

func (v *statsView) needsRun() bool {
	if v.active {
		return false
	}
	return v.sum == nil || v.stale || v.src.Len() != v.sumN
}

// start computes the statistics in the background, cancelling any run.
func (v *statsView) start() {
	gen, stop := v.begin()
	v.stale = false
	total := v.src.Len()
	v.prog.Store(0, total)
	v.invalidateRender()
	src := v.src
	finished := make(chan struct{})
	goSafe(func() {
		defer close(finished)
		s := stats.NewSummary()
		ok := src.Tap(s.Packet, v.prog.Store, stop)
		if !ok {
			return
		}
		v.queue(func() {
			if !v.end(gen) {
				return
			}
			v.sum, v.sumN = s, total
			v.invalidateRender()
		})
	})
	goSafe(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-finished:
				return
			case <-t.C:
			}
			v.queue(func() {})
		}
	})
}

func (v *statsView) invalidate() {
	v.stale = true
	if v.active {
		v.cancel()
	}
}

func (v *statsView) invalidateRender() { v.rendered = false }

func (v *statsView) setTab(t statsTab) {
	v.tab = (t + numStatsTabs) % numStatsTabs
	v.body.list.sel, v.body.list.top = -1, 0
	v.invalidateRender()
}

func (v *statsView) setKind(d int) {
	if v.tab != tabConv && v.tab != tabEndpoints {
		return
	}
	v.kind = (v.kind + d + len(stats.ConvKinds)) % len(stats.ConvKinds)
	v.body.list.sel, v.body.list.top = -1, 0
	v.invalidateRender()
}

// cycleSort moves the sort to the next statsColumn (o) or reverses it (O).
func (v *statsView) cycleSort(reverse bool) {
	if v.tab != tabConv && v.tab != tabEndpoints {
		return
	}
	t := int(v.tab)
	if reverse {
		v.desc[t] = !v.desc[t]
	} else {
		n := len(convColumns)
		if v.tab == tabEndpoints {
			n = len(endpointColumns)
		}
		v.sortCol[t] = (v.sortCol[t] + 1) % n
		cols := convColumns
		if v.tab == tabEndpoints {
			cols = endpointColumns
		}
		v.desc[t] = cols[v.sortCol[t]].num // numbers most first, addresses A to Z
	}
	v.invalidateRender()
}

func (v *statsView) title() string {
	name := titleName(v.name)
	switch {
	case v.active:
		return " Statistics" + name + ": " + v.prog.computing()
	case v.sum == nil:
		return " Statistics" + name
	}
	s := fmt.Sprintf(" Statistics%s: %d frames, %d bytes, %d with a bad checksum", name, v.sum.Frames, v.sum.Bytes, v.sum.BadFrames)
	if n := v.src.Len(); n != v.sumN {
		s += fmt.Sprintf(" (capture now has %d: r recomputes)", n)
	}
	return s
}

// tabBar names the tabs, the current one in brackets (and in the focus
// style's place: brackets read without colour).
func (v *statsView) tabBar() string {
	var b strings.Builder
	for t := statsTab(0); t < numStatsTabs; t++ {
		if t == v.tab {
			b.WriteString(" [" + statsTabNames[t] + "]")
		} else {
			b.WriteString("  " + statsTabNames[t] + " ")
		}
	}
	return b.String()
}

// kindBar names the table types with their row counts, the current one
// in angle brackets.
func (v *statsView) kindBar() string {
	var b strings.Builder
	for i, k := range stats.ConvKinds {
		n := 0
		if v.sum != nil {
			if v.tab == tabConv {
				n = len(v.sum.Conv[i].Rows)
			} else {
				n = len(v.sum.Endpoints[i].Rows)
			}
		}
		label := fmt.Sprintf("%s %d", k.Title, n)
		if i == v.kind {
			b.WriteString(" <" + label + ">")
		} else {
			b.WriteString("  " + label + " ")
		}
	}
	return b.String()
}

// render rebuilds the body for width w when anything it shows changed.
func (v *statsView) render(w int) {
	key := [4]int{int(v.tab), v.kind, 0, 0}
	if v.tab == tabConv || v.tab == tabEndpoints {
		key[2] = v.sortCol[v.tab]
		if v.desc[v.tab] {
			key[3] = 1
		}
	}
	if v.rendered && w == v.lastW && key == v.lastKey {
		return
	}
	v.rendered, v.lastW, v.lastKey = true, w, key
	var lines []statsLine
	var header []string
	switch {
	case v.active:
		lines = []statsLine{{text: " Dissecting every frame once to count it...", kind: lkDim}}
	case v.sum == nil:
	default:
		switch v.tab {
		case tabConv, tabEndpoints:
			t := v.sum.Conv[v.kind]
			cols := convColumns
			if v.tab == tabEndpoints {
				t, cols = v.sum.Endpoints[v.kind], endpointColumns
			}
			header = []string{v.kindBar(), tableHeader(cols, w, v.sortCol[v.tab], v.desc[v.tab], v.th)}
			lines = tableLines(t, v.sortCol[v.tab], v.desc[v.tab], w, v.th)
		case tabPHS:
			header = []string{phsHeader(w, v.th)}
			lines = phsLines(v.sum, w, v.th)
		case tabExpert:
			header = []string{expertHeader(v.th)}
			lines = expertLines(v.sum, v.th)
		case tabIO:
			lines = ioLines(v.sum, w, v.th)
		}
	}
	v.body.header = header
	items := make([]listItem, len(lines))
	rs := reportView{th: v.th}
	for i, l := range lines {
		st := rs.style(l.kind)
		if l.style != nil {
			st = *l.style
		}
		it := listItem{text: l.text, style: st}
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
	v.body.list.setItems(items)
}

// statsBody draws the statsColumn titles above the tab's list, re-rendering
// the lines for the width it is drawn at.
type statsBody struct {
	*tview.Box
	v      *statsView
	list   *lineList
	header []string // fixed lines above the list: type bar, column titles
}

func newStatsBody(v *statsView) *statsBody {
	return &statsBody{Box: tview.NewBox(), v: v, list: newLineList(v.th)}
}

func (b *statsBody) Draw(screen tcell.Screen) {
	x, y, w, h := b.GetRect()
	b.v.render(w)
	top := y
	for k, l := range b.header {
		st := b.v.th.header
		if k+1 < len(b.header) {
			st = b.v.th.base
		}
		for i := 0; i < w; i++ {
			screen.SetContent(x+i, top, ' ', nil, st)
		}
		printAt(screen, x, top, cut(l, w, b.v.th), st)
		top++
	}
	b.list.SetRect(x, top, w, max(h-(top-y), 0))
	b.list.Draw(screen)
}

func (b *statsBody) Focus(delegate func(p tview.Primitive)) { delegate(b.list) }

func (b *statsBody) HasFocus() bool { return b.list.HasFocus() }

func (b *statsBody) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return b.list.InputHandler()
}

func (b *statsBody) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return b.list.MouseHandler()
}

// openStats is S: the statistics view, computed when missing or out of
// date.
func (v *view) openStats() {
	v.pages.ShowPage("stats")
	v.app.SetFocus(v.stats.body.list)
	if v.stats.needsRun() {
		v.stats.start()
	}
}

// closeStats returns to the list. A computation in progress goes on (S
// again shows how far it got): on a big file it is what S was pressed for.
func (v *view) closeStats() {
	v.pages.HidePage("stats")
	v.focusPane(paneList)
}

// statsAct runs Enter on a statistics line: its filter through the filter
// bar, then the frame to select; or only the frame.
func (v *view) statsAct(a statsAction) {
	if a.filter == "" {
		v.closeStats()
		if a.frame >= 0 {
			v.refresh()
			if !v.list.selectFrame(a.frame) {
				v.message(fmt.Sprintf("packet %d is hidden by the display filter", a.frame+1), false)
				return
			}
			v.userMoved(false)
		}
		return
	}
	m, err := v.filter.applyText(a.filter)
	if err != nil {
		v.message("filter: "+errorLine(err), true)
		return
	}
	keep := a.frame
	if keep < 0 {
		keep = v.list.selected()
	}
	v.closeStats()
	v.applyFilterAndJump(a.filter, m, keep)
}
