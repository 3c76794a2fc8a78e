// Package ui is wirelens's terminal interface: a Wireshark-style packet list,
// detail tree and bytes pane over a capture.Capture (through the Source
// interface), with a display-filter bar, a status bar, a checksum-validation
// dialog and a help overlay.
//
// Each view lives in its own file and owns its state (packetlist.go,
// detail.go, bytes.go, filterbar.go, statusbar.go, validation.go, help.go),
// as do the background machinery around them: the display-filter runs
// (filterrun.go), the refresh ticker (ticker.go) and the checksum report's
// orchestration (reportflow.go). app.go only composes them and routes keys. The text each view draws comes
// from pure functions (rowCells, treeLines, hexLine, statusText, helpText)
// that are tested without a screen. Nothing here decodes packets: it asks
// the Source, and every packet-derived string is sanitised and escaped
// before it is drawn.
package ui

import (
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"sync/atomic"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// Run shows src until the user quits (q or Ctrl-C). With a nil src it
// shows the start screen first (demo, recent files, interfaces; see
// Options.Open). It returns an error when the terminal cannot be opened (the
// caller should then fall back to batch output) or when the screen fails.
//
// A signal (see Signals) or a panic in the UI ends it too, with the terminal
// restored: Run then returns a *SignalError or a *PanicError.
func Run(src Source, opts Options) (err error) {
	v, err := newView(src, opts)
	if err != nil {
		return err
	}
	return v.run()
}

// Pane indices.
const (
	paneList = iota
	paneDetail
	paneBytes
	numPanes
)

var paneNames = [numPanes]string{"Packet list", "Packet details", "Packet bytes"}

// view composes the panes. Each pane owns its own state; view only holds
// what spans them: the frame shown, the active filter and the layout.
type view struct {
	app    *tview.Application
	screen *initScreen
	src    Source
	opts   Options
	th     *theme

	list   *packetList
	detail *detailView
	bytes  *bytesView
	filter *filterBar
	status *statusBar
	dlg    *validationDialog
	colDlg *columnsDialog
	daDlg  *decodeAsDialog
	report *reportView
	help   *tview.TextView
	start  *startScreen // nil unless Run was given no source
	gotoIn *tview.InputField

	pages   *tview.Pages
	main    *tview.Flex
	panes   [numPanes]tview.Primitive
	titles  [numPanes]*paneTitle
	weights [numPanes]int
	zoomed  int // pane index, -1 when not zoomed
	statusH int // the status bar's height (it grows for long texts)
	// relayouts counts status-height changes; the ticker redraws on one
	relayouts atomic.Int64
	last      tview.Primitive

	// the frame in the detail and bytes panes
	diss *decode.Dissection

	filt    *filterRun  // the display filter and its background runs
	tick    *ticker     // follows the source and the background passes
	reports *reportFlow // the checksum report over the panes
	streams *followView // follow stream (follow.go)
	stats   *statsView  // statistics (statsview.go)
	// the display filter before f set the stream's: Backspace in the
	// follow view restores it
	preFollow string

	opened Source // opened from the start screen: closed when Run ends

	// live capture (live.go)
	follow  bool // the list selects the newest packet as it arrives
	growing bool // the file is still being written (growing.go): shown as live
	paused  bool // Space: the list stays as it is while the capture goes on

	find    *findBar
	openDlg *openDialog // o: open another capture (open.go)

	save   *saveDialog
	saving bool // a Save runs in the background

	lastCopy string // the text y put on the clipboard last

	cmp *compareView // the comparison with another capture (compare.go), if any

	reportedErr bool
	onSync      func() // tests: called on keySync, after earlier events were drawn
	// reportedWarn: the source's warnings were looked at once indexing
	// ended; warned: there were some (warnings.go).
	reportedWarn, warned bool
}

// keySync is injected by tests to wait until earlier events are handled.
const keySync = tcell.KeyF64

// initScreen remembers Init's error (tview's SetScreen drops it).
type initScreen struct {
	tcell.Screen
	err  error
	done bool
}

func (s *initScreen) Init() error {
	if !s.done {
		s.done, s.err = true, s.Screen.Init()
	}
	return s.err
}

func newView(src Source, opts Options) (*view, error) {
	var scr tcell.Screen = opts.Screen
	var termNote string
	asciiTerm := false
	if scr == nil {
		var err error
		if scr, termNote, asciiTerm, err = openTerminal(); err != nil {
			return nil, fmt.Errorf("cannot use this terminal: %w", err)
		}
	}
	v := &view{src: src, opts: opts, screen: &initScreen{Screen: scr}, zoomed: -1,
		weights: [numPanes]int{5, 4, 3}, follow: opts.Live}
	v.tick = newTicker(refreshInterval, nil, v.tickChanged) // begin sets what it samples
	v.app = tview.NewApplication()
	v.app.SetScreen(v.screen)
	if v.screen.err != nil {
		return nil, fmt.Errorf("cannot use this terminal: %w", v.screen.err)
	}
	v.app.EnableMouse(true)
	colors := colorCount(scr)
	if opts.NoColor {
		colors = 0
	}
	v.th = newTheme(colors, opts.ASCII || asciiTerm || !scr.CanDisplay('✓', false) || !scr.CanDisplay('▸', false))
	plainStyles(v.th.ascii)
	var cmp *compareView
	if opts.Compare != nil {
		cmp = newCompareView(v, opts.Compare)
		src, v.src = cmp.sides[0], cmp.sides[0]
	}
	if src == nil {
		v.buildStart()
		if termNote != "" {
			v.start.message(termNote, false)
		}
	} else {
		v.build()
		if termNote != "" {
			v.message(termNote, false)
		}
		if cmp != nil {
			v.attachCompare(cmp)
		}
	}
	return v, nil
}

// unicodeBorders are tview's own border runes, restored for UTF-8 screens.
var unicodeBorders = tview.Borders

// plainStyles makes tview's defaults follow the terminal's own colours
// instead of forcing white on black, and its borders plain ASCII when the
// terminal cannot draw box characters (tcell has no fallback for the double
// lines tview uses around a focused box).
func plainStyles(ascii bool) {
	tview.Borders = unicodeBorders
	if ascii {
		b := &tview.Borders
		b.Horizontal, b.Vertical, b.HorizontalFocus, b.VerticalFocus = '-', '|', '=', '|'
		b.TopLeft, b.TopRight, b.BottomLeft, b.BottomRight = '+', '+', '+', '+'
		b.TopLeftFocus, b.TopRightFocus, b.BottomLeftFocus, b.BottomRightFocus = '+', '+', '+', '+'
		b.LeftT, b.RightT, b.TopT, b.BottomT, b.Cross = '+', '+', '+', '+', '+'
	}
	tview.Styles.PrimitiveBackgroundColor = tcell.ColorDefault
	tview.Styles.ContrastBackgroundColor = tcell.ColorDefault
	tview.Styles.MoreContrastBackgroundColor = tcell.ColorDefault
	tview.Styles.PrimaryTextColor = tcell.ColorDefault
	tview.Styles.BorderColor = tcell.ColorDefault
	tview.Styles.TitleColor = tcell.ColorDefault
	tview.Styles.GraphicsColor = tcell.ColorDefault
}

func (v *view) build() {
	th := v.th
	v.list = newPacketList(v.src, th)
	v.detail = newDetailView(th)
	v.bytes = newBytesView(th)
	v.filter = newFilterBar(th, v.opts.Compile)
	v.filter.queue = func(f func()) { v.app.QueueUpdateDraw(f) }
	v.status = newStatusBar(th)
	v.dlg = newValidationDialog(v.src, th)
	v.report = newReportView(v.src, th, v.opts.FileName, func(f func()) { v.app.QueueUpdateDraw(f) })
	v.filt = newFilterRun(v.src, func(f func()) { v.app.QueueUpdateDraw(f) })
	v.reports = newReportFlow(v.report)
	v.reports.show = func() {
		v.last = v.app.GetFocus()
		v.pages.ShowPage("report")
		v.app.SetFocus(v.report.list)
	}
	v.reports.hide = func() {
		v.pages.HidePage("report")
		v.focusPane(paneList)
	}
	v.reports.validation = v.openValidation
	v.reports.compile = v.filter.applyText
	v.reports.apply = v.applyFilterAndJump
	v.reports.message = v.message
	v.stats = newStatsView(v.src, th, v.opts.FileName, func(f func()) { v.app.QueueUpdateDraw(f) })
	v.stats.onAct = v.statsAct
	v.streams = newFollowView(v.src, th, v.opts.FileName, func(f func()) { v.app.QueueUpdateDraw(f) })
	v.help = newHelp(th)
	v.gotoIn = tview.NewInputField().SetLabel("Go to packet: ").SetAcceptanceFunc(tview.InputFieldInteger)
	v.gotoIn.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	v.gotoIn.SetBorder(true)

	v.panes = [numPanes]tview.Primitive{v.list.view, v.detail.tree, v.bytes}
	for i := range v.titles {
		v.titles[i] = &paneTitle{Box: tview.NewBox(), th: th, name: paneNames[i], pane: v.panes[i]}
	}

	v.list.onSelect = v.showFrame
	v.list.onUserMove = v.userMoved
	v.detail.onField = v.fieldSelected
	v.bytes.onPick = v.bytePicked
	v.filter.onApply = v.applyFilter
	v.filter.onLeave = func() { v.focusPane(paneList) }
	v.filter.message = v.message
	v.dlg.onChange = v.prefsChanged
	v.dlg.onSave = v.savePrefs
	v.dlg.onClose = func() { v.closeOverlay("validation") }
	v.dlg.message = v.message
	v.find = newFindBar(th)
	v.find.onFind = v.findNext
	v.find.onClose = v.closeFind
	v.find.onStop = v.stopFind
	v.colDlg = newColumnsDialog(th)
	v.colDlg.onChange = v.setColumns
	v.colDlg.onSave = func() error { return v.savePrefs(v.src.Prefs()) }
	v.colDlg.onClose = func() { v.closeOverlay("columns") }
	v.colDlg.onFocusList = func() { v.app.SetFocus(v.colDlg.list) }
	v.colDlg.widthOf = v.list.widthOf
	v.daDlg = newDecodeAsDialog(th)
	v.daDlg.onChange = v.setDecodeAs
	v.daDlg.onSave = func() error { return v.savePrefs(v.src.Prefs()) }
	v.daDlg.onClose = func() { v.closeOverlay("decodeas") }
	v.daDlg.onFocusList = func() { v.app.SetFocus(v.daDlg.list) }
	v.openDlg = newOpenDialog(th)
	v.openDlg.onOpen = v.openAnother
	v.openDlg.onClose = func() { v.closeOverlay("open") }
	v.save = newSaveDialog(th)
	v.save.onSave = v.saveFrames
	v.save.setFocus = func(p tview.Primitive) { v.app.SetFocus(p) }
	v.save.onClose = func() { v.closeOverlay("save") }
	v.gotoIn.SetDoneFunc(func(key tcell.Key) {
		if key == tcell.KeyEnter {
			v.gotoPacket(v.gotoIn.GetText())
		}
		v.closeOverlay("goto")
	})
	v.list.table.SetSelectedFunc(func(int, int) { v.focusPane(paneDetail) })

	v.main = tview.NewFlex().SetDirection(tview.FlexRow)
	v.pages = tview.NewPages().
		AddPage("main", v.main, true, true).
		AddPage("report", v.report.root, true, false).
		AddPage("follow", v.streams.root, true, false).
		AddPage("stats", v.stats.root, true, false).
		AddPage("validation", center(v.dlg.root, validationWidth, validationHeight), true, false).
		AddPage("goto", center(v.gotoIn, 34, 3), true, false).
		AddPage("columns", center(v.colDlg.root, columnsWidth, columnsHeight), true, false).
		AddPage("decodeas", center(v.daDlg.root, decodeAsWidth, decodeAsHeight), true, false).
		AddPage("save", center(v.save.root, saveWidth, saveHeight), true, false).
		AddPage("open", center(v.openDlg.root, openWidth, openHeight), true, false).
		AddPage("help", centerFill(v.help, 78), true, false)
	v.layout()
	v.app.SetRoot(v.pages, true)
	v.app.SetInputCapture(v.keys)
	v.app.SetBeforeDrawFunc(func(scr tcell.Screen) bool {
		v.status.info = v.statusInfo()
		v.status.full = ""
		if v.detail.tree.HasFocus() {
			v.status.full = v.detail.cutLine()
		}
		w, _ := scr.Size()
		if h := v.status.lines(w); h != v.statusH {
			v.statusH = h
			v.main.ResizeItem(v.status, h, 0)
			// the panes change size: the tree keeps its selected line in
			// view (Move makes it place its lines again when drawn), and
			// the ticker draws once more, for what this draw placed
			// before the sizes changed
			v.detail.tree.Move(0)
			v.relayouts.Add(1)
		}
		return false
	})
	v.focusPane(paneList)
	v.refresh()
}

// center places p, w×h, in the middle of the screen.
func center(p tview.Primitive, w, h int) tview.Primitive {
	return tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).
			AddItem(p, h, 0, true).
			AddItem(nil, 0, 1, false), w, 0, true).
		AddItem(nil, 0, 1, false)
}

// centerFill places p, w wide, over the whole height but one line each side.
func centerFill(p tview.Primitive, w int) tview.Primitive {
	return tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 1, 0, false).
			AddItem(p, 0, 1, true).
			AddItem(nil, 1, 0, false), w, 0, true).
		AddItem(nil, 0, 1, false)
}

// layout (re)builds the main column: filter bar, the panes (only the zoomed
// one when zoomed) with a title line above detail and bytes, status bar.
func (v *view) layout() {
	focus := v.focusedPane()
	v.main.Clear()
	v.main.AddItem(v.filter.input, 1, 0, false)
	if v.find.shown {
		v.main.AddItem(v.find.root, 1, 0, false)
	}
	for i, p := range v.panes {
		if v.zoomed >= 0 && v.zoomed != i {
			continue
		}
		if i != paneList {
			v.main.AddItem(v.titles[i], 1, 0, false)
		}
		v.main.AddItem(p, 0, v.weights[i], i == focus)
	}
	v.main.AddItem(v.status, max(v.statusH, 1), 0, false)
}

// paneTitle is the one-line divider above a pane; it shows which pane has
// the focus.
type paneTitle struct {
	*tview.Box
	th   *theme
	name string
	pane tview.Primitive
	note string
}

func (p *paneTitle) Draw(screen tcell.Screen) {
	x, y, w, _ := p.GetRect()
	st, mark := p.th.title, "  "
	if p.pane.HasFocus() {
		st, mark = p.th.focus, "▶ "
		if p.th.ascii {
			mark = "> "
		}
	}
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, st)
	}
	printAt(screen, x, y, cut(mark+p.name+p.note, w, p.th), st)
}

func (v *view) focusedPane() int {
	for i, p := range v.panes {
		if p.HasFocus() {
			return i
		}
	}
	return paneList
}

func (v *view) focusPane(i int) {
	if v.zoomed >= 0 && v.zoomed != i {
		v.zoomed = i
		v.layout()
	}
	v.app.SetFocus(v.panes[i])
}

// keys handles the global keys; everything else goes to the focused pane.
func (v *view) keys(ev *tcell.EventKey) *tcell.EventKey {
	if ev.Key() == keySync {
		if v.onSync != nil {
			v.onSync()
		}
		return nil
	}
	front, _ := v.pages.GetFrontPage()
	switch front {
	case "help":
		switch {
		case ev.Key() == tcell.KeyEscape, ev.Key() == tcell.KeyRune && (ev.Rune() == 'q' || ev.Rune() == '?'):
			v.closeOverlay("help")
			return nil
		}
		return ev
	case "validation", "goto", "save", "open":
		return ev
	case "columns":
		return v.columnKeys(ev)
	case "decodeas":
		return v.decodeAsKeys(ev)
	case "report":
		if v.dispatch(reportBindings, ev) {
			return nil
		}
		return ev
	case "follow":
		if v.dispatch(followBindings, ev) {
			return nil
		}
		return ev
	case "stats":
		if v.dispatch(statsBindings, ev) {
			return nil
		}
		return ev
	case "compare", "cmpreport", "cmpopen":
		return v.cmpKeys(front, ev)
	}
	if ev.Key() == tcell.KeyCtrlS {
		v.openSave()
		return nil
	}
	if v.filter.input.HasFocus() || v.find.input.HasFocus() {
		return ev
	}
	if v.dispatch(mainBindings, ev) {
		return nil
	}
	return ev
}

func (v *view) focusFilter() {
	v.status.setMessage("", false)
	v.app.SetFocus(v.filter.input)
	v.filter.check(v.filter.input.GetText())
}

func (v *view) openHelp() {
	v.last = v.app.GetFocus()
	v.pages.ShowPage("help")
	v.app.SetFocus(v.help)
}

func (v *view) toggleZoom() {
	if v.zoomed >= 0 {
		v.zoomed = -1
	} else {
		v.zoomed = v.focusedPane()
	}
	v.layout()
}

func (v *view) cycle(dir int) {
	i := (v.focusedPane() + dir + numPanes) % numPanes
	v.focusPane(i)
}

func (v *view) resize(d int) {
	i := v.focusedPane()
	v.weights[i] = min(max(v.weights[i]+d, 1), 12)
	v.layout()
}

func (v *view) closeOverlay(name string) {
	v.pages.HidePage(name)
	if v.last != nil {
		v.app.SetFocus(v.last)
	} else {
		v.focusPane(paneList)
	}
}

func (v *view) openGoto() {
	v.last = v.app.GetFocus()
	v.gotoIn.SetText("")
	v.pages.ShowPage("goto")
	v.app.SetFocus(v.gotoIn)
}

func (v *view) message(text string, isErr bool) { v.status.setMessage(text, isErr) }

// gotoPacket selects packet number s (1-based, as shown in No.).
func (v *view) gotoPacket(s string) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > v.src.Len() {
		if s != "" {
			v.message(fmt.Sprintf("no packet %s", s), true)
		}
		return
	}
	v.refresh()
	defer v.userMoved(false)
	if v.list.selectFrame(n - 1) {
		v.message("", false)
		return
	}
	if v.paused && (v.list.n == 0 || n-1 > v.list.frameAt(v.list.n)) {
		v.message(fmt.Sprintf("packet %d arrived after the view was paused (Space resumes)", n), false)
		return
	}
	if row := v.list.nearestRow(n - 1); row > 0 {
		v.list.table.Select(row, 0)
		v.message(fmt.Sprintf("packet %d is hidden by the filter; showing packet %d", n, v.list.frameAt(row)+1), false)
	}
}

// nextBad jumps to the next (dir +1) or previous (-1) shown packet with a
// bad checksum.
func (v *view) nextBad(dir int) {
	v.refresh()
	cur := v.list.selected()
	if cur < 0 && dir < 0 {
		cur = v.src.Len()
	}
	for f := v.src.NextBad(cur, dir); f >= 0; f = v.src.NextBad(f, dir) {
		if v.list.selectFrame(f) {
			v.message("", false)
			v.userMoved(false)
			return
		}
	}
	if dir > 0 {
		v.message("no bad checksum after this packet", false)
	} else {
		v.message("no bad checksum before this packet", false)
	}
}

// showFrame fills the detail and bytes panes with frame f (-1 clears them).
func (v *view) showFrame(f int) {
	v.diss = nil
	if f < 0 {
		v.bytes.setData(nil)
		v.detail.show(nil, decode.Row{})
		return
	}
	d, err := v.src.Dissect(f)
	if err != nil {
		v.bytes.setData(nil)
		v.detail.show(nil, decode.Row{})
		v.message(fmt.Sprintf("packet %d: %s", f+1, decode.Sanitize(err.Error())), true)
		return
	}
	v.diss = d
	v.bytes.setData(d.Data)
	v.detail.show(d, v.list.row(f))
}

func (v *view) fieldSelected(i int) {
	if v.diss == nil || i < 0 || i >= len(v.diss.Fields) {
		v.bytes.highlight(0, 0)
		return
	}
	f := &v.diss.Fields[i]
	v.bytes.highlight(int(f.Offset), int(f.Length))
}

func (v *view) bytePicked(off int) {
	if v.diss == nil {
		return
	}
	if i := deepestField(v.diss, off); i >= 0 {
		v.detail.selectField(i)
	}
}

// prefsChanged runs after a validation switch: rows, tree, counts, the
// active filter and the checksum report all follow the new preferences at
// once (the report recomputes now if it is open, else when next opened).
func (v *view) prefsChanged() {
	v.list.invalidate()
	v.showFrame(v.list.selected())
	v.reports.prefsChanged()
	v.stats.invalidate()
	if front, _ := v.pages.GetFrontPage(); front == "stats" {
		v.stats.start()
	}
	if v.filt.matcher != nil {
		v.applyFilter(v.filt.expr, v.filt.matcher)
	}
}

func (v *view) savePrefs(p prefs.Prefs) error {
	if v.opts.PrefsPath == "" {
		return uiError("no preferences file (none given)")
	}
	if err := prefs.Save(v.opts.PrefsPath, p); err != nil {
		return err
	}
	v.message("saved to "+decode.Sanitize(v.opts.PrefsPath), false)
	return nil
}

// applyFilter makes m the display filter (nil shows everything). It runs in
// the background; a newer filter, or a preference change, cancels it.
func (v *view) applyFilter(expr string, m decode.Matcher) {
	if !v.filt.start(expr, m, v.filterDone) {
		v.list.setRows(v.src.Len(), nil)
		v.followNewest()
	}
}

// filterDone shows a filter pass's result.
func (v *view) filterDone(shown []int) {
	v.list.setRows(0, shown)
	if v.streams.waiting && v.filt.expr == v.streams.expr {
		v.streams.haveFrames(shown)
	}
	if f := v.filt.takeJump(); f >= 0 {
		v.list.selectFrame(f)
		v.userMoved(false)
	}
	v.followNewest()
}

// applyFilterAndJump applies m and selects frame (-1 none) once it has run.
func (v *view) applyFilterAndJump(expr string, m decode.Matcher, frame int) {
	v.applyFilter(expr, m)
	v.filt.jumpTo = frame
	if !v.filt.running && frame >= 0 {
		v.list.selectFrame(frame)
		v.filt.jumpTo = -1
		v.userMoved(false)
	}
}

// refresh follows the source: new frames, the end of indexing, and a filter
// that must run again over frames indexed since it last ran.
func (v *view) refresh() {
	n := v.src.Len()
	done, err := v.src.Indexing()
	if err != nil && !v.reportedErr {
		v.reportedErr = true
		v.message(decode.Sanitize(err.Error()), true)
	}
	v.reportWarnings(done)
	v.checkGrowing()
	if v.opts.Live || v.growing {
		v.refreshLive(n)
		return
	}
	switch {
	case v.filt.matcher == nil:
		if n != v.list.n || v.list.shown != nil {
			v.list.setRows(n, nil)
		}
	case !v.filt.running && done && n > v.filt.upto:
		v.applyFilter(v.filt.expr, v.filt.matcher)
	}
}

func (v *view) statusInfo() statusInfo {
	done, err := v.src.Indexing()
	s := statusInfo{
		file:     v.opts.FileName,
		total:    v.src.Len(),
		shown:    -1,
		indexing: !done,
		damaged:  err != nil,
		warned:   v.warned,
		bad:      v.src.BadCount(),
	}
	if v.filt.matcher != nil {
		s.shown = v.list.n
	}
	if v.detail.tree.HasFocus() {
		s.field = fieldStatus(v.selectedField())
	}
	if v.growing {
		s.live = &liveInfo{paused: v.paused, following: v.follow, stopped: !v.src.(growingSource).Growing(), growing: true}
		s.indexing = false
	}
	if v.opts.Live {
		s.live = &liveInfo{paused: v.paused, following: v.follow, stopped: done}
		s.indexing = false
		if v.opts.Stats != nil {
			st := v.opts.Stats()
			s.live.stats = &st
		}
	}
	s.filtering, s.filterDone, s.filterTotal = v.filt.filtering()
	p := v.src.Prefs()
	for _, c := range checksumProtos {
		if p.Validates(c.name) {
			s.validated = append(s.validated, c.name)
		}
	}
	return s
}

func (v *view) run() (err error) {
	st := &stopper{stop: v.app.Stop}
	current.Store(st)
	defer current.CompareAndSwap(st, nil)
	unwatch := watchSignals(v.opts.Signals, v.opts.Screen == nil, st)
	defer unwatch()
	defer func() {
		// tview finalises the screen before it re-panics.
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	v.app.EnablePaste(true)
	if v.src != nil {
		v.begin()
	}
	err = v.app.Run()
	v.tick.stop()
	v.stopPasses()
	if c, ok := v.opened.(io.Closer); ok {
		c.Close()
	}
	if st.err != nil {
		return st.err
	}
	return err
}

// stopPasses stops every background pass over the source: at the end of
// Run, and when another capture replaces it (open.go).
func (v *view) stopPasses() {
	if v.filt != nil {
		v.filt.cancel()
	}
	if v.report != nil {
		v.report.cancel()
	}
	if v.find != nil {
		v.find.cancel()
	}
	if v.streams != nil {
		v.streams.cancel()
	}
	if v.stats != nil {
		v.stats.cancel()
	}
}

// tickChanged queues a refresh when the ticker saw a change. A refresh
// queued just before Ctrl-W closed the capture finds no source.
func (v *view) tickChanged() {
	v.app.QueueUpdateDraw(func() {
		if v.src != nil {
			v.refresh()
		}
	})
}

// begin starts following the source: the -Y filter, then the ticker.
func (v *view) begin() {
	if v.tick.started {
		return
	}
	v.tick.sample = v.tickState()
	if v.opts.Filter != "" {
		v.filter.set(v.opts.Filter)
		if m, err := v.filter.check(v.opts.Filter); err == nil {
			v.applyFilter(v.opts.Filter, m)
		} else {
			v.message("filter: "+decode.Sanitize(err.Error()), true)
		}
	}
	v.tick.start()
}

func (v *view) openValidation() {
	v.last = v.app.GetFocus()
	v.dlg.refresh()
	v.pages.ShowPage("validation")
	v.app.SetFocus(v.dlg.list)
}

// buildStart shows the start screen (Run without a source).
func (v *view) buildStart() {
	v.start = newStartScreen(v.th, v.opts, func(f func()) { v.app.QueueUpdateDraw(f) })
	v.start.onOpen = v.openSource
	v.start.onCompare = v.openCompareSetup
	v.start.onQuit = v.app.Stop
	v.start.setFocus = func(p tview.Primitive) { v.app.SetFocus(p) }
	v.app.SetRoot(v.start.root, true)
	v.app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if ev.Key() == keySync {
			if v.onSync != nil {
				v.onSync()
			}
			return nil
		}
		return v.start.keys(ev)
	})
	v.app.SetFocus(v.start.list)
	v.start.load()
}

// openSource leaves the start screen for the packet list of src, a live
// capture when live.
func (v *view) openSource(src Source, name string, live bool) {
	if v.tick.started { // a capture was shown before (open.go): its ticker was stopped
		v.tick = newTicker(refreshInterval, nil, v.tickChanged)
	}
	v.src, v.opened = src, src
	v.cmp = nil // a comparison belongs to the capture it was made from
	v.opts.FileName = name
	v.opts.Live, v.follow = live, live
	v.start = nil
	v.build()
	v.begin()
}
