package ui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
)

// listItem is one entry of a lineList: a heading, a blank line or a
// selectable line. Long text wraps; continuation lines are indented.
type listItem struct {
	text   string // sanitised, plain (no style tags)
	style  tcell.Style
	indent int    // cells of indent for wrapped continuation lines
	wrap   bool   // wrap at the width; otherwise cut with an ellipsis
	act    func() // run by Enter; nil makes the item unselectable
}

// lineList is a scrolling list of items of which some can be selected and
// activated with Enter. The report view and the start screen both use it:
// tview.List neither wraps nor has unselectable headings.
type lineList struct {
	*tview.Box
	th    *theme
	items []listItem
	sel   int // selected item, -1 when none is selectable
	top   int // first visual line drawn
	h     int // visual lines of the last draw (for paging)

	onChange func(item int) // selection moved
}

func newLineList(th *theme) *lineList {
	return &lineList{Box: tview.NewBox(), th: th, sel: -1}
}

// setItems replaces the content, keeping the selection on the same index
// when it is still selectable (a recomputed report keeps its place).
func (l *lineList) setItems(items []listItem) {
	l.items = items
	if l.sel < 0 || l.sel >= len(items) || items[l.sel].act == nil {
		l.sel = l.next(-1, +1)
	}
	if l.sel < 0 {
		l.top = 0
	}
}

// next returns the first selectable item after i in direction dir, or -1.
func (l *lineList) next(i, dir int) int {
	for j := i + dir; j >= 0 && j < len(l.items); j += dir {
		if l.items[j].act != nil {
			return j
		}
	}
	return -1
}

func (l *lineList) selectItem(i int) {
	if i < 0 || i >= len(l.items) || l.items[i].act == nil || i == l.sel {
		return
	}
	l.sel = i
	if l.onChange != nil {
		l.onChange(i)
	}
}

// move steps the selection; at either end it scrolls to show the headings
// above the first item or the text below the last.
func (l *lineList) move(dir int) {
	j := l.next(l.sel, dir)
	if j < 0 {
		if dir < 0 {
			l.top = 0
		} else {
			l.top = 1 << 30 // clamped when drawn
		}
		return
	}
	l.selectItem(j)
}

// wrapText breaks s into lines at most w cells wide, at spaces where it can;
// continuation lines get indent spaces.
func wrapText(s string, w, indent int) []string {
	if w <= 0 {
		return nil
	}
	if textWidth(s) <= w {
		return []string{s}
	}
	var out []string
	pad := ""
	for textWidth(pad+s) > w {
		room := w - textWidth(pad)
		if room < 8 { // too narrow to indent
			pad, room = "", w
		}
		// longest prefix that fits, by grapheme
		cutAt, used, lastSpace := 0, 0, -1
		g := uniseg.NewGraphemes(s)
		for g.Next() {
			cw := g.Width()
			if used+cw > room {
				break
			}
			from, to := g.Positions()
			if g.Str() == " " {
				lastSpace = from
			}
			cutAt, used = to, used+cw
		}
		if cutAt == 0 {
			break
		}
		line, rest := s[:cutAt], s[cutAt:]
		if lastSpace > 0 && !strings.HasPrefix(rest, " ") && rest != "" {
			line, rest = s[:lastSpace], s[lastSpace:]
		}
		out = append(out, pad+line)
		s = strings.TrimLeft(rest, " ")
		pad = strings.Repeat(" ", indent)
	}
	if s != "" {
		out = append(out, pad+s)
	}
	return out
}

// visual lays the items out for width w: the lines to draw and, for each,
// the item it belongs to.
func (l *lineList) visual(w int) (lines []string, owner []int) {
	for i, it := range l.items {
		var ls []string
		if it.wrap {
			ls = wrapText(it.text, w, it.indent)
		} else {
			ls = []string{cut(it.text, w, l.th)}
		}
		if len(ls) == 0 {
			ls = []string{""}
		}
		for _, s := range ls {
			lines = append(lines, s)
			owner = append(owner, i)
		}
	}
	return lines, owner
}

// Draw draws the visible lines, the selected item in reverse video so it
// shows without colour too.
func (l *lineList) Draw(screen tcell.Screen) {
	l.DrawForSubclass(screen, l)
	x, y, w, h := l.GetInnerRect()
	if w <= 0 || h <= 0 {
		return
	}
	l.h = h
	lines, owner := l.visual(w)
	// keep the selected item in view
	if l.sel >= 0 {
		first, last := -1, -1
		for i, o := range owner {
			if o == l.sel {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if last >= l.top+h {
			l.top = last - h + 1
		}
		if first >= 0 && first < l.top {
			l.top = first
		}
	}
	l.top = max(min(l.top, len(lines)-h), 0)
	for row := 0; row < h; row++ {
		for col := 0; col < w; col++ {
			screen.SetContent(x+col, y+row, ' ', nil, l.th.base)
		}
		i := l.top + row
		if i >= len(lines) {
			continue
		}
		st := l.items[owner[i]].style
		if owner[i] == l.sel && l.HasFocus() {
			st = st.Reverse(true)
			for col := 0; col < w; col++ {
				screen.SetContent(x+col, y+row, ' ', nil, st)
			}
		}
		printAt(screen, x, y+row, lines[i], st)
	}
}

// InputHandler moves the selection (arrows, j k, PgUp PgDn, Home End, g G)
// and runs the selected item's action on Enter.
func (l *lineList) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return l.WrapInputHandler(func(ev *tcell.EventKey, _ func(p tview.Primitive)) {
		key := ev.Key()
		if key == tcell.KeyRune {
			switch ev.Rune() {
			case 'j':
				key = tcell.KeyDown
			case 'k':
				key = tcell.KeyUp
			case 'g':
				key = tcell.KeyHome
			case 'G':
				key = tcell.KeyEnd
			}
		}
		switch key {
		case tcell.KeyDown:
			l.move(+1)
		case tcell.KeyUp:
			l.move(-1)
		case tcell.KeyPgDn, tcell.KeyPgUp:
			dir := +1
			if key == tcell.KeyPgUp {
				dir = -1
			}
			for range max(l.h/2, 1) {
				if l.next(l.sel, dir) < 0 {
					break
				}
				l.move(dir)
			}
		case tcell.KeyHome:
			l.selectItem(l.next(-1, +1))
			l.top = 0
		case tcell.KeyEnd:
			l.selectItem(l.next(len(l.items), -1))
			l.top = 1 << 30
		case tcell.KeyEnter:
			if l.sel >= 0 && l.sel < len(l.items) && l.items[l.sel].act != nil {
				l.items[l.sel].act()
			}
		}
	})
}

// MouseHandler selects the clicked item (a second click on it runs it); the
// wheel moves the selection, since Draw keeps the selection in view.
func (l *lineList) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return l.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		mx, my := ev.Position()
		if !l.InRect(mx, my) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftClick:
			setFocus(l)
			_, y, w, _ := l.GetInnerRect()
			_, owner := l.visual(w)
			if i := l.top + my - y; i >= 0 && i < len(owner) {
				if owner[i] == l.sel {
					if it := l.items[l.sel]; it.act != nil {
						it.act()
					}
				} else {
					l.selectItem(owner[i])
				}
			}
			return true, nil
		case tview.MouseScrollUp:
			l.move(-1)
			return true, nil
		case tview.MouseScrollDown:
			l.move(+1)
			return true, nil
		}
		return false, nil
	})
}
