package ui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/compare"
)

// The compare view (C, or wirelens --compare A B on a terminal) shows two
// captures of the same traffic, A and B, as decode/compare matched them:
// side by side (A's packets left, B's right, a row per matched pair,
// gaps where a packet has no counterpart) or merged (one list, a column
// saying which capture holds the packet), with each pair's status
// (same, altered, missing, resegmented) as a mark readable without
// colour, and the selected packet's tree and bytes below, its differing
// bytes highlighted. It owns its state; the comparison itself runs
// elsewhere (Comparison) and its results arrive as plain data.

// Comparison is two captures being compared (decode/compare.Session in
// the binary). What is known of a side is a prefix of it, growing until
// Done.
type Comparison interface {
	Names() [2]string
	// Results appends side's results from frame index from on (and
	// their times on A's clock, ns).
	Results(side, from int, dst []compare.Result, times []int64) ([]compare.Result, []int64)
	Done() (bool, error)
	// Summary is the comparison in one line (counts, clock, verdict).
	Summary() string
	// ReportText is the full report once Done ("" before).
	ReportText() string
}

// CompareSetup is what the compare view shows: the two captures (their
// packets, trees and bytes) and their comparison.
type CompareSetup struct {
	Sides [2]Source
	Cmp   Comparison
	// Live: the sides are live captures still arriving.
	Live bool
	// SaveBoth writes both captures as pcapng for Ctrl-S, named from
	// prefix; it returns the two paths. Nil: saving is not available.
	SaveBoth func(prefix string) ([2]string, error)
	// SideErr says why a side's capture ended early ("" if it did not):
	// the other side's frames are still shown and compared.
	SideErr func(side int) string
}

// cmpData holds the results known so far; the annotated sources read it
// from filter goroutines, the view from the UI goroutine.
type cmpData struct {
	mu    sync.RWMutex
	res   [2][]compare.Result
	times [2][]int64
}

func (d *cmpData) result(side, i int) (compare.Result, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if i < 0 || i >= len(d.res[side]) {
		return compare.Result{}, false
	}
	return d.res[side][i], true
}

// pull fetches new results from c; it reports whether there were any.
func (d *cmpData) pull(c Comparison) bool {
	got := false
	for s := 0; s < 2; s++ {
		d.mu.RLock()
		n := len(d.res[s])
		d.mu.RUnlock()
		r, t := c.Results(s, n, nil, nil)
		if len(r) == 0 {
			continue
		}
		got = true
		d.mu.Lock()
		d.res[s] = append(d.res[s], r...)
		d.times[s] = append(d.times[s], t...)
		d.mu.Unlock()
	}
	return got
}

// annotated is one side of a comparison as a Source whose dissections
// carry the wirelens.compare fields, so the tree shows them and display
// filters and columns read them.
type annotated struct {
	Source
	data *cmpData
	side int
}

// Unwrap is the capture itself (for saving it).
func (a *annotated) Unwrap() Source { return a.Source }

func (a *annotated) Dissect(i int) (*decode.Dissection, error) {
	d, err := a.Source.Dissect(i)
	if err == nil {
		if r, ok := a.data.result(a.side, i); ok {
			compare.Annotate(d, &r)
		}
	}
	return d, err
}

var frameNumberField, _ = decode.LookupField("frame.number")

// cmpMatcher annotates each dissection of a filter run before m reads it:
// the frame number (asked of the lean dissection) finds the result.
type cmpMatcher struct {
	m    decode.Matcher
	a    *annotated
	want []*decode.FieldDef
}

func (c *cmpMatcher) Fields() []*decode.FieldDef { return c.want }

func (c *cmpMatcher) Match(d *decode.Dissection) bool {
	for i := range d.Fields {
		if d.Fields[i].Def == frameNumberField {
			if r, ok := c.a.data.result(c.a.side, int(d.Fields[i].U)-1); ok {
				compare.Annotate(d, &r)
			}
			break
		}
	}
	return c.m.Match(d)
}

func (a *annotated) wrap(m decode.Matcher) decode.Matcher {
	want := append([]*decode.FieldDef{frameNumberField}, m.Fields()...)
	return &cmpMatcher{m: m, a: a, want: append(want, compare.Fields()...)}
}

func (a *annotated) Filter(m decode.Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	return a.Source.Filter(a.wrap(m), progress, stop)
}

// FilterRange keeps a live capture's filter incremental (rangeFilterer).
func (a *annotated) FilterRange(m decode.Matcher, from, to int, stop <-chan struct{}) ([]int, bool) {
	if rf, ok := a.Source.(rangeFilterer); ok {
		return rf.FilterRange(a.wrap(m), from, to, stop)
	}
	if from > 0 {
		return nil, false
	}
	return a.Source.Filter(a.wrap(m), nil, stop)
}

// cmpRow is one row of the side-by-side list: a frame of A and of B
// (indices, -1 for a gap). cont marks a gap that is not missing: the
// packet is part of the counterpart shown on another row (one TSO frame
// on one side, several segments on the other).
type cmpRow struct {
	a, b         int32
	contA, contB bool
}

// aligner builds the rows as results arrive, appending only: each frame
// of A in A's order, with its counterparts in B beside it (the further
// ones of a resegmented pair on the rows below), B's frames without
// counterpart at their time among A's.
type aligner struct {
	i, jb  int
	placed []bool // B frames already on a row
	rowOf  [2][]int32
}

func (al *aligner) isPlaced(j int) bool { return j < len(al.placed) && al.placed[j] }

func (al *aligner) place(rows []cmpRow, r cmpRow) []cmpRow {
	n := int32(len(rows))
	for s, f := range []int32{r.a, r.b} {
		if f < 0 {
			continue
		}
		for len(al.rowOf[s]) <= int(f) {
			al.rowOf[s] = append(al.rowOf[s], -1)
		}
		if al.rowOf[s][f] < 0 {
			al.rowOf[s][f] = n
		}
	}
	if r.b >= 0 {
		for len(al.placed) <= int(r.b) {
			al.placed = append(al.placed, false)
		}
		al.placed[r.b] = true
	}
	return append(rows, r)
}

// step appends the rows the results known so far decide.
func (al *aligner) step(d *cmpData, doneA bool, rows []cmpRow) []cmpRow {
	d.mu.RLock()
	ra, rb, ta, tb := d.res[0], d.res[1], d.times[0], d.times[1]
	d.mu.RUnlock()
	for {
		// B's frames before A's next one.
		for al.jb < len(rb) {
			if al.isPlaced(al.jb) {
				al.jb++
				continue
			}
			peers := rb[al.jb].Peers
			if al.i < len(ra) && len(peers) > 0 && peers[len(peers)-1]-1 < al.i {
				// Its counterparts are listed already (and did not
				// name it): show it below them.
				rows = al.place(rows, cmpRow{a: -1, b: int32(al.jb), contA: true})
				al.jb++
				continue
			}
			if al.i < len(ra) && (len(peers) > 0 || tb[al.jb] > ta[al.i]) {
				break
			}
			if al.i >= len(ra) && !doneA {
				break
			}
			rows = al.place(rows, cmpRow{a: -1, b: int32(al.jb)})
			al.jb++
		}
		// A's next result is known only once the join settled everything
		// before it, B's frames included: it need not wait for B (a
		// quiet or failed side must not hold A's rows back).
		if al.i >= len(ra) {
			return rows
		}
		r := ra[al.i]
		first := true
		for _, p := range r.Peers {
			j := p - 1
			if j < 0 || al.isPlaced(j) {
				continue
			}
			if first {
				rows = al.place(rows, cmpRow{a: int32(al.i), b: int32(j)})
				first = false
			} else {
				rows = al.place(rows, cmpRow{a: -1, b: int32(j), contA: true})
			}
		}
		if first {
			rows = al.place(rows, cmpRow{a: int32(al.i), b: -1, contB: len(r.Peers) > 0})
		}
		al.i++
	}
}

// cmpStatusGlyph is the status mark, readable without colour.
func cmpStatusGlyph(s compare.Status, ascii bool) string {
	switch s {
	case compare.StatusSame:
		return "="
	case compare.StatusAltered:
		if ascii {
			return "!"
		}
		return "≠"
	case compare.StatusMissing:
		if ascii {
			return "-"
		}
		return "∅"
	}
	if ascii {
		return "~"
	}
	return "≈"
}

func (t *theme) cmpStyle(s compare.Status) tcell.Style {
	switch s {
	case compare.StatusAltered:
		return t.bad
	case compare.StatusMissing:
		return t.offload
	case compare.StatusResegmented:
		return t.good.Bold(false)
	}
	return t.base
}

// diffStyle marks the differing bytes in the bytes pane.
func (t *theme) diffStyle() tcell.Style {
	switch {
	case t.colors >= 256:
		return t.base.Background(tcell.NewHexColor(0xC03030)).Foreground(tcell.ColorWhite).Bold(true)
	case t.colors >= 8:
		return t.base.Background(tcell.ColorMaroon).Foreground(tcell.ColorWhite).Bold(true)
	}
	return t.base.Bold(true).Underline(true)
}

// compareView is the comparison page.
type compareView struct {
	v      *view
	th     *theme
	setup  *CompareSetup
	data   *cmpData
	sides  [2]*annotated
	al     aligner
	rows   []cmpRow
	shown  []int // row indices the filter shows; nil: all
	merged bool
	side   int // the capture whose packet the panes below show
	done   bool

	filterExpr string
	filterIn   [2]map[int]bool
	filterGen  int
	filterStop chan struct{}

	head    *cmpHead
	table   *tview.Table
	detail  *detailView
	bytes   *bytesView
	input   *tview.InputField
	inputOn string // "filter", "save" or ""
	hint    *cmpHint
	root    *tview.Flex
	report  *tview.TextView
	diss    *decode.Dissection
	ranges  [][2]int
	msg     string
	msgErr  bool
	focusAt int // 0 list, 1 tree, 2 bytes
	wantTop int // first line of the bytes to show at the next draw, -1 none
	rowsN   int // rows when last drawn, for the ticker
}

func newCompareView(v *view, setup *CompareSetup) *compareView {
	c := &compareView{v: v, th: v.th, setup: setup, data: &cmpData{}, wantTop: -1}
	for s := range c.sides {
		c.sides[s] = &annotated{Source: setup.Sides[s], data: c.data, side: s}
	}
	th := c.th
	c.head = &cmpHead{Box: tview.NewBox(), c: c}
	c.table = tview.NewTable().SetContent(&cmpContent{c: c}).SetFixed(1, 0).SetSelectable(true, false)
	c.table.SetSelectedStyle(th.base.Reverse(true))
	c.table.SetSelectionChangedFunc(func(int, int) { c.showSelected() })
	c.detail = newDetailView(th)
	c.bytes = newBytesView(th)
	c.detail.onField = func(i int) {
		if c.diss == nil || i < 0 || i >= len(c.diss.Fields) {
			c.bytes.highlight(0, 0)
			return
		}
		f := &c.diss.Fields[i]
		c.bytes.highlight(int(f.Offset), int(f.Length))
	}
	c.bytes.onPick = func(off int) {
		if c.diss != nil {
			if i := deepestField(c.diss, off); i >= 0 {
				c.detail.selectField(i)
			}
		}
	}
	c.input = tview.NewInputField()
	c.input.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	c.input.SetDoneFunc(c.inputDone)
	c.hint = &cmpHint{Box: tview.NewBox(), c: c}
	c.report = tview.NewTextView().SetWrap(true).SetWordWrap(true)
	c.report.SetBorder(true).SetTitle(" Comparison report (Esc closes) ")
	c.root = tview.NewFlex().SetDirection(tview.FlexRow)
	c.layout()
	c.pull()
	return c
}

func (c *compareView) layout() {
	c.root.Clear()
	c.root.AddItem(c.head, 2, 0, false)
	c.root.AddItem(c.table, 0, 5, true)
	c.root.AddItem(&cmpTitle{Box: tview.NewBox(), c: c, pane: 1}, 1, 0, false)
	c.root.AddItem(c.detail.tree, 0, 4, false)
	c.root.AddItem(&cmpTitle{Box: tview.NewBox(), c: c, pane: 2}, 1, 0, false)
	c.root.AddItem(c.bytes, 0, 3, false)
	if c.inputOn != "" {
		c.root.AddItem(c.input, 1, 0, false)
	} else {
		c.root.AddItem(c.hint, 1, 0, false)
	}
}

func (c *compareView) panes() [3]tview.Primitive {
	return [3]tview.Primitive{c.table, c.detail.tree, c.bytes}
}

// pull takes the new results and extends the rows; it reports a change.
func (c *compareView) pull() bool {
	got := c.data.pull(c.setup.Cmp)
	done, _ := c.setup.Cmp.Done()
	changed := got || done != c.done
	c.done = done
	before := len(c.rows)
	// tview would follow the end as rows arrive: keep the scroll.
	or, oc := c.table.GetOffset()
	c.rows = c.al.step(c.data, done, c.rows)
	c.table.SetOffset(or, oc)
	if len(c.rows) != before {
		changed = true
		if c.shown != nil {
			c.extendShown(before)
		}
	}
	if len(c.rows) > 0 {
		if r, _ := c.table.GetSelection(); r < 1 {
			c.table.Select(1, 0)
		}
	}
	return changed
}

func (c *compareView) n() int {
	if c.shown != nil {
		return len(c.shown)
	}
	return len(c.rows)
}

// rowAt maps a table row (row 0 is the header) to a row index, or -1.
func (c *compareView) rowAt(tr int) int {
	i := tr - 1
	if i < 0 || i >= c.n() {
		return -1
	}
	if c.shown != nil {
		return c.shown[i]
	}
	return i
}

func (c *compareView) tableRowOf(row int) int {
	if c.shown == nil {
		return row + 1
	}
	for i, r := range c.shown {
		if r >= row {
			return i + 1
		}
	}
	return -1
}

// status is a row's status: the pair's, from whichever side it has.
func (c *compareView) status(r cmpRow) (compare.Status, bool) {
	if r.a >= 0 {
		if res, ok := c.data.result(0, int(r.a)); ok {
			return res.Status, true
		}
	}
	if r.b >= 0 {
		if res, ok := c.data.result(1, int(r.b)); ok {
			return res.Status, true
		}
	}
	return 0, false
}

func (c *compareView) frameOf(r cmpRow, side int) int {
	if side == 0 {
		return int(r.a)
	}
	return int(r.b)
}

// current is the selected row and the side and frame the panes show.
func (c *compareView) current() (row, side, frame int) {
	tr, _ := c.table.GetSelection()
	row = c.rowAt(tr)
	if row < 0 {
		return -1, c.side, -1
	}
	r := c.rows[row]
	side = c.side
	if c.frameOf(r, side) < 0 {
		side = 1 - side
	}
	return row, side, c.frameOf(r, side)
}

func (c *compareView) showSelected() {
	_, side, f := c.current()
	c.diss, c.ranges = nil, nil
	if f < 0 {
		c.detail.show(nil, decode.Row{})
		c.bytes.setData(nil)
		c.bytes.diffs = nil
		return
	}
	src := c.sides[side]
	d, err := src.Dissect(f)
	if err != nil {
		c.detail.show(nil, decode.Row{})
		c.bytes.setData(nil)
		c.bytes.diffs = nil
		c.message(fmt.Sprintf("%s packet %d: %s", sideName(side), f+1, decode.Sanitize(err.Error())), true)
		return
	}
	c.diss = d
	c.bytes.setData(d.Data)
	if res, ok := c.data.result(side, f); ok {
		c.ranges = res.Ranges
	}
	c.bytes.diffs = c.ranges
	c.detail.show(d, src.Row(f))
	if len(c.ranges) > 0 {
		// The field of the first difference, and its bytes in view
		// (once the tree has drawn: it moves the bytes to its field).
		if i := deepestField(d, c.ranges[0][0]); i >= 0 {
			c.detail.selectField(i)
		}
		c.wantTop = max(c.ranges[0][0]/bytesPerLine-1, 0)
	}
}

func sideName(s int) string { return [2]string{"A", "B"}[s] }

func (c *compareView) message(s string, isErr bool) { c.msg, c.msgErr = s, isErr }

// setSide shows side's packet of the selected row below.
func (c *compareView) setSide(s int) {
	c.side = s
	c.showSelected()
}

// counterpart jumps to the selected packet's counterpart in the other
// capture (its first, when several).
func (c *compareView) counterpart() {
	_, side, f := c.current()
	if f < 0 {
		return
	}
	res, ok := c.data.result(side, f)
	if !ok || len(res.Peers) == 0 {
		c.message(fmt.Sprintf("%s packet %d has no counterpart in %s", sideName(side), f+1, sideName(1-side)), false)
		return
	}
	o := 1 - side
	p := res.Peers[0] - 1
	if p >= len(c.al.rowOf[o]) || c.al.rowOf[o][p] < 0 {
		c.message(fmt.Sprintf("%s packet %d is not listed yet", sideName(o), p+1), false)
		return
	}
	tr := c.tableRowOf(int(c.al.rowOf[o][p]))
	if tr < 0 || c.rowAt(tr) != int(c.al.rowOf[o][p]) {
		c.message(fmt.Sprintf("%s packet %d is hidden by the filter", sideName(o), p+1), false)
		return
	}
	c.side = o
	c.table.Select(tr, 0)
	c.showSelected()
	peers := make([]string, len(res.Peers))
	for i, q := range res.Peers {
		peers[i] = strconv.Itoa(q)
	}
	c.message(fmt.Sprintf("%s %d ↔ %s %s", sideName(side), f+1, sideName(o), strings.Join(peers, "+")), false)
}

// nextDiff selects the next (dir +1) or previous (-1) altered or missing row.
func (c *compareView) nextDiff(dir int) {
	tr, _ := c.table.GetSelection()
	for t := tr + dir; t >= 1 && t <= c.n(); t += dir {
		st, ok := c.status(c.rows[c.rowAt(t)])
		if ok && (st == compare.StatusAltered || st == compare.StatusMissing) {
			c.table.Select(t, 0)
			c.message("", false)
			return
		}
	}
	if dir > 0 {
		c.message("no altered or missing packet after this one", false)
	} else {
		c.message("no altered or missing packet before this one", false)
	}
}

func (c *compareView) toggleMerged() {
	c.merged = !c.merged
	c.table.SetOffset(0, 0)
	if r, _ := c.table.GetSelection(); r > 0 {
		c.table.Select(r, 0)
	}
}

func (c *compareView) focus(i int) {
	c.focusAt = (i + 3) % 3
	c.v.app.SetFocus(c.panes()[c.focusAt])
}

func (c *compareView) openInput(kind, label, text string) {
	c.inputOn = kind
	c.input.SetLabel(label).SetText(text)
	c.layout()
	c.v.app.SetFocus(c.input)
}

func (c *compareView) inputDone(k tcell.Key) {
	kind, text := c.inputOn, c.input.GetText()
	c.inputOn = ""
	c.layout()
	c.focus(0)
	if k != tcell.KeyEnter {
		return
	}
	switch kind {
	case "filter":
		c.applyFilter(strings.TrimSpace(text))
	case "save":
		c.save(strings.TrimSpace(text))
	}
}

// applyFilter shows the rows where either packet matches expr.
func (c *compareView) applyFilter(expr string) {
	if c.filterStop != nil {
		close(c.filterStop)
		c.filterStop = nil
	}
	c.filterGen++
	c.filterExpr = expr
	if expr == "" {
		c.shown, c.filterIn = nil, [2]map[int]bool{}
		c.message("", false)
		c.keepSelection()
		return
	}
	if c.v.opts.Compile == nil {
		c.message("display filters are not available", true)
		return
	}
	m, err := c.v.opts.Compile(expr)
	if err != nil {
		c.message("filter: "+errorLine(err), true)
		return
	}
	gen, stop := c.filterGen, make(chan struct{})
	c.filterStop = stop
	c.message("filtering both captures…", false)
	sides := c.sides
	goSafe(func() {
		var in [2]map[int]bool
		for s := range sides {
			got, ok := sides[s].Filter(m, nil, stop)
			if !ok {
				return
			}
			in[s] = make(map[int]bool, len(got))
			for _, f := range got {
				in[s][f] = true
			}
		}
		c.v.app.QueueUpdateDraw(func() {
			if gen != c.filterGen {
				return
			}
			c.filterStop = nil
			c.filterIn = in
			c.shown = []int{}
			c.extendShown(0)
			c.message(fmt.Sprintf("%d of %d rows match %s", len(c.shown), len(c.rows), decode.Sanitize(expr)), false)
			c.keepSelection()
		})
	})
}

func (c *compareView) extendShown(from int) {
	if c.filterIn[0] == nil {
		return
	}
	for i := from; i < len(c.rows); i++ {
		r := c.rows[i]
		if r.a >= 0 && c.filterIn[0][int(r.a)] || r.b >= 0 && c.filterIn[1][int(r.b)] {
			c.shown = append(c.shown, i)
		}
	}
}

func (c *compareView) keepSelection() {
	c.table.SetOffset(0, 0)
	if c.n() > 0 {
		c.table.Select(1, 0)
	}
	c.showSelected()
}

func (c *compareView) save(prefix string) {
	if prefix == "" {
		return
	}
	if c.setup.SaveBoth == nil {
		c.message("saving is not available here", true)
		return
	}
	c.message("saving both captures…", false)
	save := c.setup.SaveBoth
	goSafe(func() {
		paths, err := save(prefix)
		c.v.app.QueueUpdateDraw(func() {
			if err != nil {
				c.message("save: "+decode.Sanitize(err.Error()), true)
				return
			}
			c.message("saved A to "+decode.Sanitize(paths[0])+" and B to "+decode.Sanitize(paths[1]), false)
		})
	})
}

func (c *compareView) openReport() {
	text := c.setup.Cmp.ReportText()
	if text == "" {
		text = "The comparison is still running: the report comes when it ends.\n\n" + c.setup.Cmp.Summary()
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = tview.Escape(decode.Sanitize(l))
	}
	c.report.SetText(strings.Join(lines, "\n"))
	c.report.ScrollToBeginning()
	c.v.pages.ShowPage("cmpreport")
	c.v.pages.SendToFront("cmpreport")
	c.v.app.SetFocus(c.report)
}

// ticker follows the comparison while it runs.
func (c *compareView) ticker() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-c.v.tick.quit:
			return
		case <-t.C:
		}
		c.v.app.QueueUpdateDraw(func() {
			if c.pull() {
				if _, _, f := c.current(); f >= 0 && c.diss == nil {
					c.showSelected()
				}
			}
		})
		if c.done {
			// One more pull catches the last results; then nothing changes.
			c.v.app.QueueUpdateDraw(func() { c.pull() })
			return
		}
	}
}

// cmpHead is the two lines above the list: the captures and the summary.
type cmpHead struct {
	*tview.Box
	c *compareView
}

func (h *cmpHead) Draw(screen tcell.Screen) {
	x, y, w, _ := h.GetInnerRect()
	c := h.c
	names := c.setup.Cmp.Names()
	mode := "side by side"
	if c.merged {
		mode = "merged"
	}
	if c.setup.Live {
		mode += ", live"
	}
	line := fmt.Sprintf("Compare [%s]  A: %s (%d)  B: %s (%d)", mode, decode.Sanitize(names[0]), c.sides[0].Len(), decode.Sanitize(names[1]), c.sides[1].Len())
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, c.th.title)
		screen.SetContent(x+i, y+1, ' ', nil, c.th.base)
	}
	printAt(screen, x, y, cut(line, w, c.th), c.th.title)
	sum := decode.Sanitize(c.setup.Cmp.Summary())
	st := c.th.header
	if c.setup.SideErr != nil {
		for s := 0; s < 2; s++ {
			if e := c.setup.SideErr(s); e != "" {
				sum = sideName(s) + " ended: " + decode.Sanitize(e) + "  " + sum
				st = c.th.errMsg
			}
		}
	}
	printAt(screen, x, y+1, cut(sum, w, c.th), st)
}

// cmpTitle is the divider above the tree or the bytes.
type cmpTitle struct {
	*tview.Box
	c    *compareView
	pane int
}

func (p *cmpTitle) Draw(screen tcell.Screen) {
	x, y, w, _ := p.GetInnerRect()
	c := p.c
	if p.pane == paneBytes && c.wantTop >= 0 {
		c.bytes.top, c.wantTop = c.wantTop, -1
	}
	_, side, f := c.current()
	name := paneNames[p.pane]
	if f >= 0 {
		name += fmt.Sprintf(" — %s packet %d", sideName(side), f+1)
		if res, ok := c.data.result(side, f); ok && p.pane == paneBytes && len(res.Ranges) > 0 {
			what := "differing ranges"
			if len(res.Ranges) == 1 {
				what = "differing range"
			}
			if res.Status == compare.StatusMissing {
				what = "ranges without counterpart"
			}
			name += fmt.Sprintf(" (%d %s marked; first %s)", len(res.Ranges), what, decode.Sanitize(res.DiffText()))
		} else if ok && p.pane == paneDetail {
			name += ": " + res.Status.String()
			if res.Verdict != compare.VerdictNone {
				name += ", " + res.Verdict.String()
			}
		}
	}
	st, mark := c.th.title, "  "
	if c.panes()[p.pane].HasFocus() {
		st, mark = c.th.focus, "▶ "
		if c.th.ascii {
			mark = "> "
		}
	}
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, st)
	}
	printAt(screen, x, y, cut(mark+name, w, c.th), st)
}

// cmpHint is the bottom line: a message, or the view's main keys.
type cmpHint struct {
	*tview.Box
	c *compareView
}

func (h *cmpHint) Draw(screen tcell.Screen) {
	x, y, w, _ := h.GetInnerRect()
	c := h.c
	st := c.th.status
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, st)
	}
	text := "v merged/side by side  ←→ A/B  p counterpart  n N next/prev difference  r report  / filter  Esc packets  ? help"
	if c.th.ascii {
		text = strings.ReplaceAll(text, "←→", "Left Right")
	}
	if c.filterExpr != "" && c.msg == "" {
		text = "filter: " + decode.Sanitize(c.filterExpr) + "  |  " + text
	}
	if c.msg != "" {
		text = c.msg
		if c.msgErr {
			st = c.th.errMsg
		}
	}
	printAt(screen, x, y, cut(text, w, c.th), st)
}

// cmpCol is a column of the compare list.
type cmpCol struct {
	side  int // 0 A, 1 B, -1 the pair
	id    colID
	width int
	right bool
	kind  string // "status", "where" or "" (a packet column)
}

// compareColumns lays the list out for width cells.
func compareColumns(width int, merged bool) []cmpCol {
	const statusW = 13
	if merged {
		cols := []cmpCol{{side: -1, kind: "where", width: 4}, {side: -1, kind: "status", width: statusW},
			{side: 0, id: colNo, width: 5, right: true}, {side: 1, id: colNo, width: 5, right: true},
			{side: -1, id: colTime, width: 10, right: true}}
		used := 4 + statusW + 5 + 5 + 10 + 5
		if width >= 100 {
			cols = append(cols, cmpCol{side: -1, id: colSrc, width: 16}, cmpCol{side: -1, id: colDst, width: 16})
			used += 34
		}
		cols = append(cols, cmpCol{side: -1, id: colProto, width: 6})
		used += 7
		return append(cols, cmpCol{side: -1, id: colInfo, width: max(width-used-1, 8)})
	}
	half := (width - statusW - 2) / 2
	var cols []cmpCol
	for s := 0; s < 2; s++ {
		hc := []cmpCol{{side: s, id: colNo, width: 5, right: true}}
		used := 5 + 1
		if half >= 50 {
			// On a narrow screen Info is what is read.
			hc = append(hc, cmpCol{side: s, id: colTime, width: 10, right: true})
			used += 11
		}
		if half >= 70 {
			hc = append(hc, cmpCol{side: s, id: colSrc, width: 14}, cmpCol{side: s, id: colDst, width: 14})
			used += 30
		}
		hc = append(hc, cmpCol{side: s, id: colProto, width: 5})
		used += 6
		hc = append(hc, cmpCol{side: s, id: colInfo, width: max(half-used, 6)})
		cols = append(cols, hc...)
		if s == 0 {
			cols = append(cols, cmpCol{side: -1, kind: "status", width: statusW})
		}
	}
	return cols
}

// cmpContent is the list's virtual table content.
type cmpContent struct {
	tview.TableContentReadOnly
	c *compareView
}

func (t *cmpContent) cols() []cmpCol {
	_, _, w, _ := t.c.table.GetInnerRect()
	if w <= 0 {
		w = 80
	}
	return compareColumns(w, t.c.merged)
}

func (t *cmpContent) GetRowCount() int    { return t.c.n() + 1 }
func (t *cmpContent) GetColumnCount() int { return len(t.cols()) }

func (t *cmpContent) GetCell(row, column int) *tview.TableCell {
	c := t.c
	cols := t.cols()
	if column < 0 || column >= len(cols) {
		return nil
	}
	col := cols[column]
	th := c.th
	if row == 0 {
		title := colTitles[col.id]
		switch {
		case col.kind == "status":
			title = "Status"
		case col.kind == "where":
			title = "In"
		case col.id == colNo && col.side >= 0:
			title = sideName(col.side) + " No."
		case col.id == colInfo && col.side >= 0 && !c.merged:
			title = sideName(col.side) + " " + title
		}
		return tview.NewTableCell(tview.Escape(fit(title, col.width, col.right, th))).SetStyle(th.header).SetSelectable(false).SetMaxWidth(col.width)
	}
	ri := c.rowAt(row)
	if ri < 0 {
		return nil
	}
	r := c.rows[ri]
	st, known := c.status(r)
	text, style := "", th.base
	switch {
	case col.kind == "status":
		text = "…"
		if known {
			text = cmpStatusGlyph(st, th.ascii) + " " + st.String()
			style = th.cmpStyle(st)
		}
	case col.kind == "where":
		switch {
		case r.a >= 0 && r.b >= 0:
			text = "A+B"
		case r.a >= 0:
			text = "A"
		default:
			text = "B"
		}
	default:
		side := col.side
		if side < 0 {
			side = 0
			if r.a < 0 {
				side = 1
			}
		}
		f := c.frameOf(r, side)
		switch {
		case f >= 0:
			pr := c.sides[side].Row(f)
			text = cellText(col.id, pr, th, col.width)
			style = th.rowStyle(pr.Class)
		case col.id == colNo && (side == 0 && r.contA || side == 1 && r.contB):
			text = "↑"
			if th.ascii {
				text = "^"
			}
			style = th.dim
		case col.id == colInfo && !c.merged && (side == 0 && r.contA || side == 1 && r.contB):
			text = "(part of above)"
			style = th.dim
		case col.id == colInfo && !c.merged:
			text = "(no counterpart)"
			style = th.dim
		}
	}
	cell := tview.NewTableCell(tview.Escape(fit(text, col.width, col.right, th))).SetStyle(style).SetMaxWidth(col.width)
	if col.kind == "status" && known && st != compare.StatusSame {
		cell.SetSelectedStyle(th.cmpStyle(st).Reverse(true))
	}
	return cell
}

// attachCompare adds the compare view and shows it.
func (v *view) attachCompare(c *compareView) {
	v.cmp = c
	v.pages.AddPage("compare", c.root, true, true)
	v.pages.AddPage("cmpreport", centerFill(c.report, 100), true, false)
	c.focus(0)
	c.showSelected()
	goSafe(c.ticker)
}

// compareKey is C in the packet view: back to the comparison, or ask for
// the capture to compare the one shown with.
func (v *view) compareKey() {
	if v.cmp != nil {
		v.pages.ShowPage("compare")
		v.pages.SendToFront("compare")
		v.cmp.focus(v.cmp.focusAt)
		return
	}
	if v.opts.CompareWith == nil {
		v.message("comparing is not available here (wirelens --compare A B)", true)
		return
	}
	v.last = v.app.GetFocus()
	in := tview.NewInputField().SetLabel("Compare with capture: ")
	in.SetFieldStyle(v.th.base.Underline(true)).SetLabelStyle(v.th.header)
	in.SetBorder(true)
	in.SetDoneFunc(func(k tcell.Key) {
		v.pages.RemovePage("cmpopen")
		v.closeOverlay("cmpopen")
		path := strings.TrimSpace(in.GetText())
		if k != tcell.KeyEnter || path == "" {
			return
		}
		setup, err := v.opts.CompareWith(path)
		if err != nil {
			v.message(decode.Sanitize(path)+": "+decode.Sanitize(err.Error()), true)
			return
		}
		c := newCompareView(v, setup)
		// The packet view shows A with the compare fields from now on.
		v.src, v.list.src, v.filt.src = c.sides[0], c.sides[0], c.sides[0]
		v.list.invalidate()
		v.attachCompare(c)
	})
	v.pages.AddPage("cmpopen", center(in, 70, 3), true, true)
	v.app.SetFocus(in)
}

// leaveCompare shows capture A's packet view, at A's selected packet.
func (v *view) leaveCompare() {
	_, side, f := v.cmp.current()
	v.pages.HidePage("compare")
	v.focusPane(paneList)
	if side == 0 && f >= 0 {
		v.refresh()
		v.list.selectFrame(f)
	}
	v.message("C: back to the comparison", false)
}

// cmpKeys routes the keys of the compare pages.
func (v *view) cmpKeys(front string, ev *tcell.EventKey) *tcell.EventKey {
	if front == "cmpopen" {
		return ev // the path being typed
	}
	if front == "cmpreport" {
		if ev.Key() == tcell.KeyEscape || ev.Key() == tcell.KeyRune && (ev.Rune() == 'q' || ev.Rune() == 'r') {
			v.pages.HidePage("cmpreport")
			v.cmp.focus(0)
			return nil
		}
		return ev
	}
	if v.cmp.input.HasFocus() {
		return ev
	}
	if v.dispatch(compareBindings, ev) {
		return nil
	}
	return ev
}
