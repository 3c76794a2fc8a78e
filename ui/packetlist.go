package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// colID names a packet-list column.
type colID uint8

const (
	colMark colID = iota // '!' bad checksum, '~' offload artifact: readable without colour
	colNo
	colTime
	colSrc
	colDst
	colProto
	colLen
	colChecks
	colInfo
	colCustom // a field's values (columns.go)
)

var colTitles = [...]string{"", "No.", "Time", "Source", "Destination", "Proto", "Length", "Checks", "Info", "Field"}

// column is one visible column with its fixed width.
type column struct {
	id    colID
	width int
	right bool
	def   *colDef // the configured column; nil for the mark column
}

// title is the column's header text.
func (c column) title() string {
	if c.def != nil {
		return c.def.title
	}
	return colTitles[c.id]
}

// widthHints are what column widths depend on besides the screen width. They
// only grow, so columns do not jump while scrolling.
type widthHints struct {
	lastNumber int                   // largest frame number
	lastRel    int64                 // largest relative time
	src, dst   int                   // widest addresses seen
	proto      int                   // widest protocol name seen
	timeW      int                   // the time format's width (timeWidths)
	checks     int                   // widest Checks text seen
	fields     [prefs.MaxColumns]int // widest value seen per field column
}

func (h *widthHints) see(r decode.Row) {
	if r.Summary.Number > h.lastNumber {
		h.lastNumber = r.Summary.Number
	}
	if r.Summary.RelTime > h.lastRel {
		h.lastRel = r.Summary.RelTime
	}
	h.src = max(h.src, textWidth(r.Summary.Source))
	h.dst = max(h.dst, textWidth(r.Summary.Destination))
	h.proto = max(h.proto, textWidth(r.Summary.Protocol))
	w := 0
	for i, m := range r.Checksums {
		w += textWidth(m.Proto) + 1
		if i > 0 {
			w++
		}
	}
	h.checks = max(h.checks, w)
}

// listColumns lays out the packet list's columns defs for a pane `width`
// cells wide. Widths come from what the columns need, as far as the rows
// fetched so far show it (they only grow, so columns do not jump while
// scrolling), or from the preferences; the Info column takes what is left.
// Below 90 cells the Length column is left out, unless given a width.
func listColumns(width int, h widthHints, defs []colDef) []column {
	addrCap := min(max((width-70)/3, 15), 39)
	checksCap := 9
	if width >= 110 {
		checksCap = 14
	}
	cols := []column{{id: colMark, width: 1}}
	for i := range defs {
		d := &defs[i]
		if d.pc.Hidden {
			continue
		}
		c := column{id: d.id, def: d}
		switch d.id {
		case colNo:
			c.width, c.right = max(3, len(strconv.Itoa(h.lastNumber))), true
		case colTime:
			tw := h.timeW
			if d.tfmt >= 0 {
				tw = timeWidths[d.tfmt]
			}
			c.width, c.right = max(8, len(formatRelTime(h.lastRel)), tw), true
		case colSrc:
			c.width = min(max(h.src, textWidth(d.title), 1), addrCap)
		case colDst:
			c.width = min(max(h.dst, textWidth(d.title), 1), addrCap)
		case colProto:
			c.width = min(max(h.proto, textWidth(d.title), 5), 8)
		case colLen:
			if width < 90 && d.pc.Width == 0 {
				continue
			}
			c.width, c.right = 6, true
		case colChecks:
			c.width = min(max(h.checks, textWidth(d.title), 6), checksCap)
		case colCustom:
			c.width = min(max(textWidth(d.title), h.fields[d.slot], fieldNeed(d)), maxFieldWidth)
			c.right = numeric(d)
		case colInfo:
			c.width = 0 // what is left, below
		}
		if d.pc.Width > 0 {
			c.width = d.pc.Width
		}
		cols = append(cols, c)
	}
	flex := -1
	used := 0
	for i, c := range cols {
		if c.id == colInfo && c.def.pc.Width == 0 && flex < 0 {
			flex = i
			continue
		}
		used += c.width + 1 // tview leaves one cell between columns
	}
	if flex < 0 {
		return cols
	}
	// On a narrow screen Info is what is read: the addresses give way to
	// it, down to 11 cells each (an IPv4 address of up to 11 characters),
	// then field columns sized from their content, down to their title.
	for _, ids := range [][]colID{{colSrc, colDst}, {colCustom}} {
		for i := range cols {
			info := width - used
			if info >= infoMin {
				break
			}
			c := &cols[i]
			if !slices.Contains(ids, c.id) || c.def.pc.Width > 0 {
				continue
			}
			floor := 11
			if c.id == colCustom {
				floor = max(8, textWidth(c.def.title))
			}
			if give := min((infoMin-info+1)/2, c.width-min(floor, c.width)); give > 0 {
				c.width -= give
				used -= give
			}
		}
	}
	cols[flex].width = max(width-used, 10)
	return cols
}

// fieldNeed is the width a field column needs before any value was seen,
// where the definition tells it (a 16-bit number takes up to 5 digits), so
// the column does not widen when the first such packet scrolls in.
func fieldNeed(d *colDef) int {
	need := 1
	if d.pc.Occurrence == 0 && len(d.defs) > 1 {
		return need
	}
	for _, f := range d.defs {
		switch {
		case f.Type == decode.FTIPv4:
			need = max(need, 15)
		case (f.Type == decode.FTUint || f.Type == decode.FTInt) && f.Values == nil && f.Bits > 0 && f.Bits <= 32:
			digits := len(strconv.FormatUint(1<<f.Bits-1, 10))
			if f.Base == decode.BaseHex {
				digits = 2 + (f.Bits+3)/4
			}
			need = max(need, digits)
		}
	}
	return need
}

// numeric says whether a field column holds numbers (drawn right-aligned).
func numeric(d *colDef) bool {
	for _, f := range d.defs {
		if (f.Type != decode.FTUint && f.Type != decode.FTInt) || f.Base == decode.BaseHex || f.Base == decode.BaseHexDec || f.Values != nil && d.pc.Resolved {
			return false
		}
	}
	return len(d.defs) > 0
}

// infoMin is the Info width the other columns shrink for on narrow screens.
const infoMin = 32

// formatRelTime writes nanoseconds as seconds with 6 decimals, as Wireshark's
// Time column does by default.
func formatRelTime(ns int64) string {
	sign := ""
	if ns < 0 {
		sign, ns = "-", -ns
	}
	us := (ns + 500) / 1000
	return fmt.Sprintf("%s%d.%06d", sign, us/1_000_000, us%1_000_000)
}

// rowMark is the one-character marker column: it keeps bad rows visible
// without colour (NO_COLOR, vt100) and when the row is selected.
func rowMark(r decode.Row) string {
	switch {
	case r.Class == decode.ColorOffloadChecksum:
		return "~"
	case r.Bad:
		return "!"
	}
	return " "
}

// checksumText renders the checksum marks, outermost first: "ip✓ tcp✗",
// "tcp~" for a bad checksum that looks like an offload artifact, "udp?" for
// unverified (validation off), "udp-" not present, "udp!" illegal. When the
// marks do not fit in width the spaces go first.
func checksumText(marks []decode.ChecksumMark, th *theme, width int) string {
	if len(marks) == 0 {
		return ""
	}
	parts := make([]string, len(marks))
	for i, m := range marks {
		parts[i] = decode.Sanitize(m.Proto) + th.glyph(m.Status, m.Offload)
	}
	s := strings.Join(parts, " ")
	if textWidth(s) > width {
		s = strings.Join(parts, "")
	}
	return s
}

// cellText is the (unescaped, unpadded) text of column c for row r.
func cellText(c colID, r decode.Row, th *theme, width int) string {
	s := &r.Summary
	switch c {
	case colMark:
		return rowMark(r)
	case colNo:
		return strconv.Itoa(s.Number)
	case colTime:
		return formatRelTime(s.RelTime)
	case colSrc:
		return decode.Sanitize(s.Source)
	case colDst:
		return decode.Sanitize(s.Destination)
	case colProto:
		return decode.Sanitize(s.Protocol)
	case colLen:
		return strconv.Itoa(s.Length)
	case colChecks:
		return checksumText(r.Checksums, th, width)
	case colInfo:
		return decode.Sanitize(s.Info)
	}
	return ""
}

// rowCells renders a row to exactly-sized cell texts, one per column.
func rowCells(r decode.Row, cols []column, th *theme) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = fit(cellText(c.id, r, th, c.width), c.width, c.right, th)
	}
	// field columns are filled by the list, which dissects the frame
	return out
}

// fit pads or cuts s to exactly w cells.
func fit(s string, w int, right bool, th *theme) string {
	sw := textWidth(s)
	if sw > w {
		s = cut(s, w, th)
		sw = textWidth(s)
	}
	pad := strings.Repeat(" ", max(w-sw, 0))
	if right {
		return pad + s
	}
	return s + pad
}

// cut shortens s to at most w cells, ending with an ellipsis.
func cut(s string, w int, th *theme) string {
	ell := th.ellipsis()
	if w <= 0 {
		return ""
	}
	if textWidth(s) <= w {
		return s
	}
	limit := w - textWidth(ell)
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > limit {
			break
		}
		b.WriteString(g.Str())
		used += cw
	}
	return b.String() + ell
}

func textWidth(s string) int { return uniseg.StringWidth(s) }

// packetList is the top pane: a virtual table over the displayed frames.
type packetList struct {
	table   *tview.Table
	view    *listTable // what the layout holds
	src     Source
	th      *theme
	n       int        // rows shown (a snapshot, changed only by refresh)
	shown   []int      // frame indices when a filter is active; nil shows all frames
	hints   widthHints // grows as rows are fetched
	used    widthHints // what cols were laid out with (changes only between draws)
	cols    []column
	width   int
	cache   map[int]decode.Row
	focused bool
	times   *timeColumn      // the Time column's format and reference
	marked  map[int]bool     // frames marked with m
	defs    []colDef         // the configured columns (columns.go)
	fields  int              // field columns among defs
	vals    map[int][]string // frame -> its field columns' values; only rows drawn are dissected

	onSelect func(frame int) // frame index, or -1 when nothing is selected
	// onUserMove runs after a key or mouse event the list handled;
	// scrolledUp when the wheel scrolled it up.
	onUserMove func(scrolledUp bool)
}

// listTable is the table primitive of the packet list. Its Draw lays the
// columns out for the size the table has just been given, so the first draw
// is already right.
type listTable struct {
	*tview.Table
	l *packetList
}

// Draw fetches the visible rows, fixes the column layout, then draws.
func (t *listTable) Draw(screen tcell.Screen) {
	t.l.focused = t.HasFocus()
	t.l.prepare()
	t.Table.Draw(screen)
}

// InputHandler passes keys to the table, then says the user moved.
func (t *listTable) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	h := t.Table.InputHandler()
	return func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
		h(event, setFocus)
		if t.l.onUserMove != nil {
			t.l.onUserMove(false)
		}
	}
}

// MouseHandler passes mouse events to the table, then says the user moved.
func (t *listTable) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	h := t.Table.MouseHandler()
	return func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		consumed, capture := h(action, event, setFocus)
		if consumed && t.l.onUserMove != nil {
			t.l.onUserMove(action == tview.MouseScrollUp)
		}
		return consumed, capture
	}
}

func newPacketList(src Source, th *theme) *packetList {
	l := &packetList{src: src, th: th, cache: map[int]decode.Row{}, times: newTimeColumn(), marked: map[int]bool{},
		vals: map[int][]string{}}
	l.setDefs(columnDefs(src.Prefs()))
	l.table = tview.NewTable().SetContent(&listContent{l: l}).SetFixed(1, 0)
	l.view = &listTable{Table: l.table, l: l}
	l.table.SetSelectionChangedFunc(func(row, _ int) {
		if l.onSelect != nil {
			l.onSelect(l.frameAt(row))
		}
	})
	return l
}

// frameAt maps a table row (1-based: row 0 is the header) to a frame index.
func (l *packetList) frameAt(row int) int {
	i := row - 1
	if i < 0 || i >= l.n {
		return -1
	}
	if l.shown != nil {
		return l.shown[i]
	}
	return i
}

// rowOf maps a frame index to its table row, or -1 when it is not shown.
func (l *packetList) rowOf(frame int) int {
	if l.shown == nil {
		if frame >= 0 && frame < l.n {
			return frame + 1
		}
		return -1
	}
	lo, hi := 0, len(l.shown)
	for lo < hi {
		m := (lo + hi) / 2
		if l.shown[m] < frame {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(l.shown) && l.shown[lo] == frame {
		return lo + 1
	}
	return -1
}

// nearestRow is the row of the first shown frame at or after frame (or the
// last row), for goto and for keeping the selection across filters.
func (l *packetList) nearestRow(frame int) int {
	if l.n == 0 {
		return -1
	}
	if l.shown == nil {
		return min(max(frame, 0), l.n-1) + 1
	}
	for i, f := range l.shown {
		if f >= frame {
			return i + 1
		}
	}
	return l.n
}

// selected returns the selected frame index or -1.
func (l *packetList) selected() int {
	row, _ := l.table.GetSelection()
	return l.frameAt(row)
}

// selectFrame selects frame's row (which fires onSelect) and scrolls to it.
func (l *packetList) selectFrame(frame int) bool {
	row := l.rowOf(frame)
	if row < 0 {
		return false
	}
	l.table.Select(row, 0)
	return true
}

// row fetches (and caches) a frame's list row.
func (l *packetList) row(frame int) decode.Row {
	if r, ok := l.cache[frame]; ok {
		return r
	}
	if len(l.cache) > 4096 {
		clear(l.cache)
	}
	r := l.src.Row(frame)
	l.cache[frame] = r
	l.hints.see(r)
	return r
}

// invalidate forgets cached rows (preferences changed).
func (l *packetList) invalidate() {
	clear(l.cache)
	clear(l.vals)
}

// setDefs makes defs the list's columns.
func (l *packetList) setDefs(defs []colDef) {
	numberSlots(defs)
	l.defs, l.fields = defs, 0
	for _, d := range defs {
		if d.id == colCustom {
			l.fields++
		}
	}
	clear(l.vals)
	l.hints.fields = [prefs.MaxColumns]int{}
	l.cols = nil
}

// fieldRow returns (and caches) frame's field-column values: the frame is
// dissected once, when it is first drawn.
func (l *packetList) fieldRow(frame int) []string {
	if v, ok := l.vals[frame]; ok {
		return v
	}
	if len(l.vals) > 4096 {
		clear(l.vals)
	}
	var v []string
	if d, err := l.src.Dissect(frame); err == nil {
		v = fieldValues(d, l.defs)
	} else {
		v = make([]string, l.fields)
	}
	l.vals[frame] = v
	for i, s := range v {
		l.hints.fields[i] = max(l.hints.fields[i], min(textWidth(s), maxFieldWidth))
	}
	return v
}

// setRows changes what is shown: n frames, or the frames in shown when it is
// not nil. The scroll position is kept (tview would otherwise follow the end
// as rows arrive).
func (l *packetList) setRows(n int, shown []int) {
	prevSel := l.selected()
	r, c := l.table.GetOffset()
	l.shown, l.n = shown, n
	if shown != nil {
		l.n = len(shown)
	}
	if l.n > 0 {
		last := l.frameAt(l.n)
		if last >= 0 {
			l.row(last) // widths follow the newest frame
		}
	}
	l.table.SetOffset(r, c)
	// An empty table must not be selectable: tview loops looking for a
	// selectable cell when the only row is the header.
	l.table.SetSelectable(l.n > 0, false)
	if l.n == 0 {
		if prevSel >= 0 && l.onSelect != nil {
			l.onSelect(-1)
		}
		return
	}
	if prevSel < 0 {
		l.table.Select(1, 0)
		return
	}
	if row := l.rowOf(prevSel); row > 0 {
		selRow, _ := l.table.GetSelection()
		if selRow != row {
			l.table.Select(row, 0)
		}
		return
	}
	l.table.Select(l.nearestRow(prevSel), 0)
}

// listContent is the virtual TableContent: cells are made when drawn.
type listContent struct {
	tview.TableContentReadOnly
	l *packetList
}

func (c *listContent) GetRowCount() int { return c.l.n + 1 }

func (c *listContent) GetColumnCount() int { return len(c.l.columns()) }

func (c *listContent) GetCell(row, column int) *tview.TableCell {
	l := c.l
	cols := l.columns()
	if column < 0 || column >= len(cols) {
		return nil
	}
	col := cols[column]
	if row == 0 {
		st := l.th.header
		if l.focused {
			st = st.Underline(true)
		}
		text := fit(decode.Sanitize(col.title()), col.width, col.right, l.th)
		return tview.NewTableCell(tview.Escape(text)).SetStyle(st).SetMaxWidth(col.width).SetSelectable(false).SetTransparency(false)
	}
	frame := l.frameAt(row)
	if frame < 0 {
		return nil
	}
	r := l.row(frame)
	raw := cellText(col.id, r, l.th, col.width)
	switch {
	case col.id == colTime && col.def != nil && col.def.tfmt >= 0:
		raw = l.timeCellAs(col.def.tfmt, frame, r)
	case col.id == colTime:
		raw = l.timeCell(frame, r)
	case col.id == colCustom:
		if v := l.fieldRow(frame); col.def.slot < len(v) {
			raw = v[col.def.slot]
		}
	case col.id == colMark && l.marked[frame]:
		raw = "*"
	}
	text := fit(raw, col.width, col.right, l.th)
	st := l.th.rowStyle(r.Class)
	sel := l.th.selectedStyle(r.Class)
	if l.marked[frame] {
		// Wireshark draws marked packets white on black.
		st = l.th.base.Reverse(true)
		if l.th.colors > 0 {
			st = l.th.base.Foreground(tcell.ColorWhite).Background(tcell.ColorBlack)
		}
		return tview.NewTableCell(tview.Escape(text)).SetStyle(st).SetSelectedStyle(sel).SetMaxWidth(col.width).SetTransparency(false)
	}
	if col.id == colChecks && r.Class == decode.ColorNone && l.th.colors > 0 {
		// An uncoloured row still shows its verdicts in colour.
		st = checksumCellStyle(r, l.th)
	}
	return tview.NewTableCell(tview.Escape(text)).SetStyle(st).SetSelectedStyle(sel).SetMaxWidth(col.width).SetTransparency(false)
}

func checksumCellStyle(r decode.Row, th *theme) tcell.Style {
	st := th.base
	for _, m := range r.Checksums {
		if m.Status == decode.StatusBad && !m.Offload {
			return th.bad
		}
		if m.Status == decode.StatusBad {
			st = th.offload
		}
	}
	return st
}

// columns returns the layout for the table's current width. It changes only
// in prepare, so every row of one draw has the same widths.
func (l *packetList) columns() []column {
	if l.cols == nil {
		l.layout()
	}
	return l.cols
}

func (l *packetList) layout() {
	_, _, w, _ := l.table.GetInnerRect()
	if w <= 0 {
		w = 80
	}
	l.cols, l.width, l.used = listColumns(w, l.hints, l.defs), w, l.hints
}

// prepare runs before each draw: it fetches the rows about to be shown, so
// the column widths account for them, and fixes the layout for the draw.
func (l *packetList) prepare() {
	off, _ := l.table.GetOffset()
	sel, _ := l.table.GetSelection()
	_, _, w, h := l.table.GetInnerRect()
	for _, start := range []int{off + 1, sel - h} {
		for row := max(start, 1); row < start+h+1 && row <= l.n; row++ {
			if f := l.frameAt(row); f >= 0 {
				l.row(f)
				if l.fields > 0 {
					l.fieldRow(f)
				}
			}
		}
	}
	if l.cols == nil || w != l.width || l.hints != l.used {
		l.layout()
	}
}

// timeCell is frame's Time cell in the chosen format.
func (l *packetList) timeCell(frame int, r decode.Row) string {
	return l.timeCellAs(l.times.format, frame, r)
}

// timeCellAs is frame's Time cell in format f.
func (l *packetList) timeCellAs(f timeFormat, frame int, r decode.Row) string {
	prev := func() (decode.Row, bool) {
		if frame <= 0 {
			return decode.Row{}, false
		}
		return l.row(frame - 1), true
	}
	prevShown := func() (decode.Row, bool) {
		p := l.frameAt(l.rowOf(frame) - 1)
		if p < 0 {
			return decode.Row{}, false
		}
		return l.row(p), true
	}
	return l.times.textAs(f, l.src, frame, r, prev, prevShown)
}

// timeChanged relays the columns for a new time format or reference.
func (l *packetList) timeChanged() {
	l.hints.timeW = timeWidths[l.times.format]
	if l.times.ref >= 0 {
		// times before the reference are negative
		l.hints.timeW = max(l.hints.timeW, len(formatRelTime(l.hints.lastRel))+1)
	}
	l.cols = nil
}

// widthOf is the width configured column i has on screen (0: not shown).
func (l *packetList) widthOf(i int) int {
	if i < 0 || i >= len(l.defs) {
		return 0
	}
	for _, c := range l.columns() {
		if c.def == &l.defs[i] {
			return c.width
		}
	}
	return 0
}
