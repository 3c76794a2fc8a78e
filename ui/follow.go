package ui

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/stats"
)

// followMode is how the follow view shows the payload, as Wireshark's
// "Show data as": ASCII, a hex dump, or raw (one hex string per chunk).
type followMode int

const (
	followASCII followMode = iota
	followHex
	followRaw
	numFollowModes
)

var followModeNames = [numFollowModes]string{"ASCII", "Hex dump", "Raw"}

// followLimit bounds the payload the view keeps (stats.Stream.Cut counts
// the rest): a hex dump of it is already a million lines.
const followLimit = 4 << 20

// fline is one line of the follow view: text (sanitised) and the
// direction it shows (0 from node 0, 1 from node 1, -1 a note).
type fline struct {
	text string
	dir  int8
}

// dirMarks mark each line with its direction, so the two sides read apart
// without colour.
func dirMarks(ascii bool) [2]string {
	if ascii {
		return [2]string{"> ", "< "}
	}
	return [2]string{"▶ ", "◀ "}
}

// streamOf finds the TCP or UDP stream of a dissected frame: the first
// top-level transport layer carrying a stream index.
func streamOf(d *decode.Dissection) (proto string, index uint64, ok bool) {
	if d == nil {
		return "", 0, false
	}
	for i := 0; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if f.Depth != 0 || f.Def.Type != decode.FTProtocol || (f.Def.Name != "tcp" && f.Def.Name != "udp") {
			continue
		}
		s, e := d.Children(i)
		for j := s; j < e; j++ {
			if d.Fields[j].Def.Name == f.Def.Name+".stream" {
				return f.Def.Name, d.Fields[j].U, true
			}
		}
	}
	return "", 0, false
}

// followLines renders s in mode, each line marked with its direction.
// ASCII splits chunks at newlines (CR LF ends a line too; other control
// bytes are dots); the hex dump is tshark's, offsets counted per direction;
// raw is each chunk's bytes as hex, 32 to a line.
func followLines(s *stats.Stream, mode followMode, ascii bool) []fline {
	marks := dirMarks(ascii)
	var out []fline
	var off [2]int
	for _, c := range s.Chunks {
		m := marks[c.Dir]
		dir := int8(c.Dir)
		switch mode {
		case followASCII:
			text := strings.ReplaceAll(string(c.Data), "\r\n", "\n")
			text = strings.TrimSuffix(text, "\n")
			for _, l := range strings.Split(text, "\n") {
				out = append(out, fline{m + string(stats.PrintableASCII([]byte(l))), dir})
			}
		case followHex:
			for i := 0; i < len(c.Data); i += 16 {
				out = append(out, fline{m + stats.HexDumpLine(c.Data[i:min(i+16, len(c.Data))], off[c.Dir]+i), dir})
			}
		case followRaw:
			for i := 0; i < len(c.Data); i += 32 {
				out = append(out, fline{m + hex.EncodeToString(c.Data[i:min(i+32, len(c.Data))]), dir})
			}
		}
		off[c.Dir] += len(c.Data)
	}
	return out
}

// followHeader is the lines above the payload: the two nodes with their
// marks and byte counts, and what the limit cut.
func followHeader(s *stats.Stream, unread int, ascii bool) []fline {
	marks := dirMarks(ascii)
	if s.Node[0] == "" {
		return []fline{{"No frames of " + s.Filter() + ".", -1}}
	}
	out := []fline{
		{fmt.Sprintf("%sNode 0: %s  (%d bytes)", marks[0], decode.Sanitize(s.Node[0]), s.Bytes[0]), 0},
		{fmt.Sprintf("%sNode 1: %s  (%d bytes)", marks[1], decode.Sanitize(s.Node[1]), s.Bytes[1]), 1},
	}
	if s.Cut > 0 || unread > 0 {
		note := fmt.Sprintf("Only the first %s of payload is shown", sizeText(s.Limit))
		if s.Cut > 0 {
			note += fmt.Sprintf(": %d bytes after it were dropped", s.Cut)
		}
		if unread > 0 {
			note += fmt.Sprintf(", %d later frames of the stream not read", unread)
		}
		out = append(out, fline{note + ".", -1})
	}
	if s.Pending > 0 {
		out = append(out, fline{fmt.Sprintf("%d bytes wait behind a segment missing from the capture (not shown, as in Wireshark).", s.Pending), -1})
	}
	if len(s.Chunks) == 0 {
		out = append(out, fline{"The stream carries no payload.", -1})
	}
	return append(out, fline{"", -1})
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// followView is Follow Stream: the payload of one TCP or UDP stream, read
// in the background from only that stream's frames (a filter pass finds
// them; only they are dissected in full).
type followView struct {
	src   Source
	th    *theme
	name  string
	queue func(func())

	root *tview.Flex
	pane *followPane

	proto  string
	index  uint64
	expr   string
	mode   followMode
	stream *stats.Stream
	unread int // frames of the stream not read once the limit was reached
	err    string

	bgPass       // reading the stream's frames
	waiting bool // for the list's filter pass to find the frames
	// filterProg reads the progress of that pass
	filterProg func() (done, total int)
}

func newFollowView(src Source, th *theme, name string, queue func(func())) *followView {
	v := &followView{src: src, th: th, name: name, queue: queue}
	v.pane = newFollowPane(th)
	keys := " a x r: ASCII/hex/raw · Esc back (filter kept) · Bksp back, filter undone · ? help"
	if th.ascii {
		keys = strings.ReplaceAll(keys, "·", "|")
	}
	v.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(newFillLine(th, th.title, v.title), 1, 0, false).
		AddItem(v.pane, 0, 1, true).
		AddItem(newFillLine(th, th.status, func() string { return keys }), 1, 0, false)
	return v
}

// begin follows stream index of proto, whose frames the list's filter
// pass for expr is finding: haveFrames gets them (one pass over the file
// serves both). progress reads that pass's progress.
func (v *followView) begin(proto string, index uint64, expr string, progress func() (done, total int)) {
	v.bgPass.begin()
	v.waiting = true
	v.proto, v.index, v.expr = proto, index, expr
	v.stream, v.unread, v.err = nil, 0, ""
	v.filterProg = progress
	v.prog.Store(0, 0)
	v.pane.top = 0
	v.show()
	v.redrawWhileActive(v.gen, v.stop)
}

// haveFrames reads the stream's frames (in capture order) in the
// background.
func (v *followView) haveFrames(frames []int) {
	if !v.active || !v.waiting {
		return
	}
	v.waiting = false
	gen, stop, src := v.gen, v.stop, v.src
	proto, index := v.proto, v.index
	goSafe(func() {
		s, unread, ok := readStream(src, proto, index, frames, followLimit, &v.prog, stop)
		if !ok {
			return
		}
		v.queue(func() {
			if !v.end(gen) {
				return
			}
			v.stream, v.unread = s, unread
			v.show()
		})
	})
}

// redrawWhileActive asks for a redraw ten times a second while the load
// runs (the ticker does not watch it), until stop closes or it ends.
func (v *followView) redrawWhileActive(gen int, stop chan struct{}) {
	goSafe(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			ended := make(chan bool, 1)
			v.queue(func() { ended <- gen != v.gen || !v.active })
			select {
			case e := <-ended:
				if e {
					return
				}
			case <-stop:
				return
			}
		}
	})
}

// loadStream finds the frames m matches (the stream's) with a filter pass
// and reads them as readStream does.
func loadStream(src Source, proto string, index uint64, m decode.Matcher, limit int,
	prog *passProgress, stop <-chan struct{}) (s *stats.Stream, unread int, ok bool) {
	frames, ok := src.Filter(m, prog.Store, stop)
	if !ok {
		return nil, 0, false
	}
	return readStream(src, proto, index, frames, limit, prog, stop)
}

// readStream feeds frames, in order, to a follower keeping at most limit
// bytes; once it is full the rest are not read and counted in unread.
func readStream(src Source, proto string, index uint64, frames []int, limit int,
	prog *passProgress, stop <-chan struct{}) (s *stats.Stream, unread int, ok bool) {
	fl := stats.NewFollower(proto, index, limit)
	for k, f := range frames {
		select {
		case <-stop:
			return nil, 0, false
		default:
		}
		if fl.Full() {
			unread = len(frames) - k
			break
		}
		prog.Store(k, len(frames))
		d, err := src.Dissect(f)
		if err != nil {
			continue
		}
		fl.Packet(f+1, d)
	}
	return fl.Stream(), unread, true
}

func (v *followView) setMode(m followMode) {
	if m != v.mode {
		v.mode = m
		v.pane.top = 0
		v.show()
	}
}

// show fills the pane from the stream (or a note while loading).
func (v *followView) show() {
	switch {
	case v.active:
		v.pane.setLines([]fline{{"Reading the stream's frames...", -1}})
	case v.stream == nil:
		v.pane.setLines(nil)
	default:
		lines := followHeader(v.stream, v.unread, v.th.ascii)
		v.pane.setLines(append(lines, followLines(v.stream, v.mode, v.th.ascii)...))
	}
}

func (v *followView) title() string {
	name := titleName(v.name)
	head := fmt.Sprintf(" Follow %s stream %d (%s)", strings.ToUpper(v.proto), v.index, v.expr)
	if v.active {
		done, total := v.prog.Load()
		what := "reading its frames"
		if v.waiting {
			what, done, total = "finding its frames", 0, 0
			if v.filterProg != nil {
				done, total = v.filterProg()
			}
		}
		return fmt.Sprintf("%s: %s, %d of %d%s", head, what, done, total, name)
	}
	if v.stream == nil {
		return head + name
	}
	return fmt.Sprintf("%s: %s, %d frames, %d bytes%s", head, followModeNames[v.mode], v.stream.Frames, v.stream.Bytes[0]+v.stream.Bytes[1], name)
}

// followPane draws the follow view's lines, wrapped at its width, with the
// two directions in their colours.
type followPane struct {
	*tview.Box
	th    *theme
	lines []fline
	vis   []fline // lines wrapped at visW
	visW  int
	top   int
	h     int
}

func newFollowPane(th *theme) *followPane {
	return &followPane{Box: tview.NewBox(), th: th}
}

func (p *followPane) setLines(l []fline) {
	p.lines, p.vis, p.visW = l, nil, -1
}

// wrap splits the lines at width w; continuation lines keep the direction
// and are indented past its mark.
func (p *followPane) wrap(w int) {
	if w == p.visW {
		return
	}
	p.visW = w
	p.vis = p.vis[:0]
	for _, l := range p.lines {
		if textWidth(l.text) <= w || w < 8 {
			p.vis = append(p.vis, l)
			continue
		}
		for _, part := range wrapText(l.text, w, 2) {
			p.vis = append(p.vis, fline{part, l.dir})
		}
	}
}

func (p *followPane) style(dir int8) tcell.Style {
	switch dir {
	case 0:
		return p.th.dir[0]
	case 1:
		return p.th.dir[1]
	}
	return p.th.dim
}

func (p *followPane) Draw(screen tcell.Screen) {
	p.Box.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	p.h = h
	p.wrap(w)
	p.top = min(p.top, max(len(p.vis)-h, 0))
	p.top = max(p.top, 0)
	for row := 0; row < h && p.top+row < len(p.vis); row++ {
		l := p.vis[p.top+row]
		st := p.style(l.dir)
		if l.dir >= 0 {
			for i := 0; i < w; i++ {
				screen.SetContent(x+i, y+row, ' ', nil, st)
			}
		}
		printAt(screen, x, y+row, cut(l.text, w, p.th), st)
	}
}

func (p *followPane) scroll(d int) {
	p.top = max(p.top+d, 0)
	if n := len(p.vis) - p.h; p.h > 0 && p.top > n {
		p.top = max(n, 0)
	}
}

func (p *followPane) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return p.WrapInputHandler(func(ev *tcell.EventKey, _ func(p tview.Primitive)) {
		page := max(p.h-1, 1)
		switch ev.Key() {
		case tcell.KeyUp:
			p.scroll(-1)
		case tcell.KeyDown:
			p.scroll(+1)
		case tcell.KeyPgUp:
			p.scroll(-page)
		case tcell.KeyPgDn:
			p.scroll(+page)
		case tcell.KeyHome:
			p.top = 0
		case tcell.KeyEnd:
			p.scroll(1 << 30)
		case tcell.KeyRune:
			switch ev.Rune() {
			case 'k':
				p.scroll(-1)
			case 'j':
				p.scroll(+1)
			case ' ':
				p.scroll(+page)
			case 'g':
				p.top = 0
			case 'G':
				p.scroll(1 << 30)
			}
		}
	})
}

func (p *followPane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if !p.InRect(ev.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseScrollUp:
			p.scroll(-3)
		case tview.MouseScrollDown:
			p.scroll(+3)
		case tview.MouseLeftClick:
			setFocus(p)
		default:
			return false, nil
		}
		return true, nil
	})
}

// openFollow is f: follow the selected packet's stream. Like Wireshark it
// makes the stream's filter the display filter, so the list behind the
// view shows the stream's packets.
func (v *view) openFollow() { v.followFrame(v.diss, v.list.selected()) }

// followFromReport is f in the checksum report: follow the stream of the
// selected line's first packet (the flow lines name one).
func (v *view) followFromReport() {
	f := v.report.selectedFrame()
	if f < 0 {
		v.report.note = "f: this line names no packet (the flow lines do)"
		return
	}
	d, err := v.src.Dissect(f)
	if err != nil {
		v.report.note = fmt.Sprintf("packet %d: %s", f+1, decode.Sanitize(err.Error()))
		return
	}
	if _, _, ok := streamOf(d); !ok {
		v.report.note = fmt.Sprintf("f: packet %d is neither TCP nor UDP", f+1)
		return
	}
	v.report.note = ""
	v.reports.close()
	v.followFrame(d, f)
}

// followFrame follows the stream of frame keep, dissected as d; the list
// selects keep once the stream's filter has run.
func (v *view) followFrame(d *decode.Dissection, keep int) {
	proto, index, ok := streamOf(d)
	if !ok {
		if d == nil {
			v.message("no packet selected", true)
		} else {
			v.message("follow: this packet is neither TCP nor UDP", true)
		}
		return
	}
	expr := fmt.Sprintf("%s.stream eq %d", proto, index)
	compile := v.opts.Compile
	if compile == nil {
		v.message("follow: "+errNoCompiler.Error(), true)
		return
	}
	prev := v.filt.expr
	m, err := v.filter.applyText(expr)
	if err != nil {
		v.message("follow: "+errorLine(err), true)
		return
	}
	if prev != expr {
		v.preFollow = prev
	}
	// The list's filter pass finds the stream's frames for the view too
	// (filterDone hands them over): one pass over a big file, not two.
	v.streams.begin(proto, index, expr, func() (int, int) {
		p := v.filt.progress.Load()
		return int(p >> 32), int(p & 0xffffffff)
	})
	v.applyFilterAndJump(expr, m, keep)
	if done, _ := v.src.Indexing(); !done {
		v.message("the capture is still being read: the stream covers the frames read so far", false)
	}
	v.last = nil
	v.pages.ShowPage("follow")
	v.app.SetFocus(v.streams.pane)
}

// closeFollow returns to the list; restore puts back the display filter
// from before f.
func (v *view) closeFollow(restore bool) {
	v.streams.cancel()
	v.pages.HidePage("follow")
	v.focusPane(paneList)
	if !restore {
		v.message(v.streams.expr+" stays applied (Backspace in the follow view restores the filter before it)", false)
		return
	}
	expr := v.preFollow
	keep := v.list.selected()
	if expr == "" {
		v.filter.applyText("")
		v.applyFilterAndJump("", nil, keep)
		v.message("filter cleared", false)
		return
	}
	m, err := v.filter.applyText(expr)
	if err != nil {
		v.message("filter: "+errorLine(err), true)
		return
	}
	v.applyFilterAndJump(expr, m, keep)
	v.message("filter restored: "+decode.Sanitize(expr), false)
}
