package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// statusInfo is everything the status bar shows.
type statusInfo struct {
	file        string
	total       int
	shown       int // frames displayed when a filter is applied; -1 without one
	indexing    bool
	damaged     bool // indexing stopped at damage in the file
	warned      bool // the file had something odd but harmless (trailing data after gzip)
	filtering   bool
	filterDone  int
	filterTotal int
	validated   []string // pref names whose checksums are validated
	bad         int
	live        *liveInfo // a live capture; nil for a file
	field       string    // the selected tree field (name, size), shown instead of the file
}

// liveInfo is the live capture's part of the status bar.
type liveInfo struct {
	paused    bool
	following bool
	stopped   bool       // the capture ended (the stream closed; a growing file is no longer followed)
	growing   bool       // a file being written, not a live capture
	stats     *LiveStats // kernel counters; nil when not known
}

// liveText says what the capture and the view are doing: "● live" (or
// "● growing" for a file still being written),
// "● live, End follows" (the user moved away from the newest), "paused"
// or "capture stopped"; then the kernel counters, shortened when short.
func liveText(l *liveInfo, ascii, short bool) (state, counters string) {
	dot := "● "
	if ascii {
		dot = "* "
	}
	word, ended := "live", "capture stopped"
	if l.growing {
		word, ended = "growing", "file no longer followed"
	}
	switch {
	case l.paused && l.stopped:
		state = ended + ", view paused"
	case l.paused:
		state = "view paused (Space resumes)"
		if short {
			state = "paused"
		}
	case l.stopped:
		state = ended
	case l.following:
		state = dot + word
	default:
		state = dot + word + ", End follows"
		if short {
			state = dot + word
		}
	}
	if l.stats != nil {
		counters = fmt.Sprintf("%d received, %d dropped", l.stats.Received, l.stats.Dropped)
		if short {
			counters = fmt.Sprintf("%d dropped", l.stats.Dropped)
		}
	}
	return state, counters
}

// validationText says which checksums are validated, as briefly as possible:
// "check all", "check none", "check ip tcp", or "check all but udp".
func validationText(on []string) string {
	var off []string
	isOn := map[string]bool{}
	for _, p := range on {
		isOn[p] = true
	}
	for _, p := range checksumProtos {
		if !isOn[p.name] {
			off = append(off, p.name)
		}
	}
	switch {
	case len(off) == 0:
		return "check all"
	case len(on) == 0:
		return "check none"
	case len(off) < len(on):
		return "check all but " + strings.Join(off, " ")
	}
	return "check " + strings.Join(on, " ")
}

// statusText renders the status line for a bar `width` cells wide; less
// important parts go first when it does not fit.
func statusText(s statusInfo, width int, ascii bool) string {
	sep := " │ "
	if ascii {
		sep = " | "
	}
	packets := fmt.Sprintf("%d packets", s.total)
	if s.shown >= 0 {
		pct := 0.0
		if s.total > 0 {
			pct = 100 * float64(s.shown) / float64(s.total)
		}
		packets = fmt.Sprintf("%d of %d shown (%.1f%%)", s.shown, s.total, pct)
	}
	switch {
	case s.indexing:
		packets += ", reading…"
		if ascii {
			packets = strings.TrimSuffix(packets, "…") + "..."
		}
	case s.damaged:
		packets += " (file damaged)"
	case s.warned:
		packets += " (see warning)"
	}
	var parts []string
	if s.filtering {
		pct := 0
		if s.filterTotal > 0 {
			pct = 100 * s.filterDone / s.filterTotal
		}
		parts = append(parts, fmt.Sprintf("filtering %d%%", pct))
	}
	bad := "no bad checksums"
	switch s.bad {
	case 0:
	case 1:
		bad = "1 bad checksum"
	default:
		bad = fmt.Sprintf("%d bad checksums", s.bad)
	}
	file := decode.Sanitize(filepath.Base(s.file))
	if s.file == "" {
		file = ""
	}
	if s.live != nil && !s.live.growing {
		// "live: eth0" is not a path
		file = decode.Sanitize(s.file)
	}
	if s.field != "" {
		file = s.field
	}
	short, validation := false, true
	full := func(file string) string {
		ps := append([]string{}, parts...)
		var counters string
		if s.live != nil {
			var state string
			state, counters = liveText(s.live, ascii, short)
			ps = append([]string{state}, ps...)
		}
		if file != "" {
			ps = append([]string{file}, ps...)
		}
		ps = append(ps, packets)
		if counters != "" {
			ps = append(ps, counters)
		}
		ps = append(ps, bad)
		if validation {
			ps = append(ps, validationText(s.validated))
		}
		return " " + strings.Join(ps, sep)
	}
	text := full(file)
	if limit := max(16, width/2); textWidth(text) > width && textWidth(file) > limit && s.field != "" {
		file = cut(file, limit, &theme{ascii: ascii})
		text = full(file)
	}
	if textWidth(text) > width && textWidth(file) > 16 {
		file = cut(file, 16, &theme{ascii: ascii})
		text = full(file)
	}
	if s.live != nil {
		// A live capture keeps its name and state: the counters shorten
		// and the validation switches go first.
		if textWidth(text) > width {
			validation = false
			text = full(file)
		}
		if textWidth(text) > width {
			short = true
			text = full(file)
		}
	}
	if textWidth(text) > width {
		text = full("")
	}
	return text
}

// statusBar is the bottom line: the status on the left, a message (errors,
// "saved", "no more bad checksums") on the right. Long texts never vanish:
// a message too long for the line, and the selected tree line when the
// detail pane cuts it, are wrapped on lines of their own above it (the view
// gives the bar the height lines asks for).
type statusBar struct {
	*tview.Box
	th     *theme
	info   statusInfo
	msg    string
	msgErr bool
	full   string // the selected tree line, whole, when its pane cuts it
}

// maxStatusLines bounds the bar's height, so the panes keep the screen.
const maxStatusLines = 5

// above are the wrapped lines over the status line for a bar w cells wide,
// with whether each is the (error) message.
func (s *statusBar) above(w int) (lines []string, isMsg []bool) {
	if w <= 0 {
		return nil, nil
	}
	var tree, msg []string
	if s.full != "" {
		tree = wrapText(decode.Sanitize(s.full), w-1, 4)
	}
	if m := s.message(); m != "" && textWidth(m) > s.room(w) {
		msg = wrapText(m, w-1, 2)
	}
	// the message (the newest) is kept first; what does not fit ends "…"
	limit := maxStatusLines - 1
	clip := func(ls []string, n int) []string {
		if len(ls) <= n {
			return ls
		}
		ls = ls[:n]
		if n > 0 {
			last := ls[n-1]
			ls[n-1] = cut(last, max(textWidth(last)-1, 1), s.th)
		}
		return ls
	}
	msg = clip(msg, limit)
	tree = clip(tree, limit-len(msg))
	for _, l := range tree {
		lines, isMsg = append(lines, " "+l), append(isMsg, false)
	}
	for _, l := range msg {
		lines, isMsg = append(lines, " "+l), append(isMsg, true)
	}
	return lines, isMsg
}

// lines is the height the bar needs at width w.
func (s *statusBar) lines(w int) int {
	a, _ := s.above(w)
	return 1 + len(a)
}

func (s *statusBar) message() string {
	if s.msg == "" {
		return ""
	}
	return decode.Sanitize(s.msg)
}

// room is the cells the message may take on the status line itself: the
// status keeps its first cells, the packet count at least.
func (s *statusBar) room(w int) int {
	left := statusText(s.info, w, s.th.ascii)
	return w - min(textWidth(left), max(w/3, 24)) - 3
}

func newStatusBar(th *theme) *statusBar { return &statusBar{Box: tview.NewBox(), th: th} }

func (s *statusBar) setMessage(text string, isErr bool) { s.msg, s.msgErr = text, isErr }

// Draw draws the lines above, then the status line.
func (s *statusBar) Draw(screen tcell.Screen) {
	x, y, w, h := s.GetRect()
	if h <= 0 || w <= 0 {
		return
	}
	msgSt := s.th.status
	if s.msgErr {
		msgSt = s.th.errMsg
		if s.th.colors == 0 {
			msgSt = msgSt.Reverse(false)
		}
	}
	above, isMsg := s.above(w)
	if len(above) > h-1 {
		above, isMsg = above[len(above)-(h-1):], isMsg[len(isMsg)-(h-1):]
	}
	for i, l := range above {
		st := s.th.status
		if isMsg[i] {
			st = msgSt
		}
		for j := 0; j < w; j++ {
			screen.SetContent(x+j, y+i, ' ', nil, st)
		}
		printAt(screen, x, y+i, l, st)
	}
	y += h - 1
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, s.th.status)
	}
	left := statusText(s.info, w, s.th.ascii)
	msg := ""
	if m := s.message(); m != "" && textWidth(m) <= s.room(w) {
		msg = " " + m + " "
	}
	mw := textWidth(msg)
	if textWidth(left) > w-mw {
		left = cut(left, max(w-mw, 0), s.th)
	}
	printAt(screen, x, y, left, s.th.status)
	printAt(screen, x+w-mw, y, msg, msgSt)
}

// printAt writes plain (already sanitised) text, no style tags.
func printAt(screen tcell.Screen, x, y int, text string, st tcell.Style) int {
	for _, r := range text {
		screen.SetContent(x, y, r, nil, st)
		x += max(textWidth(string(r)), 1)
	}
	return x
}
