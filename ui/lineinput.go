package ui

import (
	"unicode"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
)

// lineInput is a one-line text field whose keystroke costs do not grow
// with its text: it keeps runes and a cursor, and draws only the cells
// that show. tview's InputField re-segments the whole text on every key
// and draw (about 40 ms of CPU per keystroke on a 16k pasted filter).
// Control and format characters never enter it: a pasted newline or tab
// becomes a space, others are dropped, so nothing typed or pasted can
// reach the terminal as a control sequence.
type lineInput struct {
	*tview.Box
	label       string
	labelStyle  tcell.Style
	fieldStyle  tcell.Style
	placeholder string
	phStyle     tcell.Style
	text        []rune
	cur         int // cursor, an index into text
	off         int // first rune shown

	changed func(text string)
	done    func(key tcell.Key)
}

func newLineInput() *lineInput { return &lineInput{Box: tview.NewBox()} }

func (l *lineInput) SetLabel(s string) *lineInput                  { l.label = s; return l }
func (l *lineInput) SetLabelStyle(st tcell.Style) *lineInput       { l.labelStyle = st; return l }
func (l *lineInput) SetFieldStyle(st tcell.Style) *lineInput       { l.fieldStyle = st; return l }
func (l *lineInput) GetFieldStyle() tcell.Style                    { return l.fieldStyle }
func (l *lineInput) SetPlaceholder(s string) *lineInput            { l.placeholder = s; return l }
func (l *lineInput) SetPlaceholderStyle(st tcell.Style) *lineInput { l.phStyle = st; return l }
func (l *lineInput) SetChangedFunc(f func(string)) *lineInput      { l.changed = f; return l }
func (l *lineInput) SetDoneFunc(f func(tcell.Key)) *lineInput      { l.done = f; return l }
func (l *lineInput) GetText() string                               { return string(l.text) }

// SetText replaces the text, the cursor at its end, and reports the change.
func (l *lineInput) SetText(s string) *lineInput {
	l.text = clean(nil, s)
	l.cur, l.off = len(l.text), 0
	l.change()
	return l
}

func (l *lineInput) change() {
	if l.changed != nil {
		l.changed(string(l.text))
	}
}

// clean appends the runes of s that may be shown, as a field holds them.
func clean(dst []rune, s string) []rune {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			dst = append(dst, ' ')
		case r == utf8RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
		default:
			dst = append(dst, r)
		}
	}
	return dst
}

const utf8RuneError = '\uFFFD'

func (l *lineInput) insert(s string) {
	add := clean(nil, s)
	if len(add) == 0 {
		return
	}
	l.text = append(l.text[:l.cur], append(add, l.text[l.cur:]...)...)
	l.cur += len(add)
	l.change()
}

func (l *lineInput) deleteRange(from, to int) {
	if from >= to {
		return
	}
	l.text = append(l.text[:from], l.text[to:]...)
	l.cur = from
	l.change()
}

// wordStart is the start of the word before the cursor (Ctrl-W).
func (l *lineInput) wordStart() int {
	i := l.cur
	for i > 0 && l.text[i-1] == ' ' {
		i--
	}
	for i > 0 && l.text[i-1] != ' ' {
		i--
	}
	return i
}

// InputHandler edits: Left Right Home End (Ctrl-A Ctrl-E), Backspace,
// Delete (Ctrl-D), Ctrl-U and Ctrl-K (delete to the start / end), Ctrl-W
// (the word before); Enter, Esc, Tab and Backtab end the edit.
func (l *lineInput) InputHandler() func(ev *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return l.WrapInputHandler(func(ev *tcell.EventKey, _ func(p tview.Primitive)) {
		switch ev.Key() {
		case tcell.KeyRune:
			l.insert(string(ev.Rune()))
		case tcell.KeyLeft:
			l.cur = max(l.cur-1, 0)
		case tcell.KeyRight:
			l.cur = min(l.cur+1, len(l.text))
		case tcell.KeyHome, tcell.KeyCtrlA:
			l.cur = 0
		case tcell.KeyEnd, tcell.KeyCtrlE:
			l.cur = len(l.text)
		case tcell.KeyBackspace, tcell.KeyBackspace2:
			if l.cur > 0 {
				l.deleteRange(l.cur-1, l.cur)
			}
		case tcell.KeyDelete, tcell.KeyCtrlD:
			if l.cur < len(l.text) {
				l.deleteRange(l.cur, l.cur+1)
			}
		case tcell.KeyCtrlU:
			l.deleteRange(0, l.cur)
		case tcell.KeyCtrlK:
			if l.cur < len(l.text) {
				l.text = l.text[:l.cur]
				l.change()
			}
		case tcell.KeyCtrlW:
			l.deleteRange(l.wordStart(), l.cur)
		case tcell.KeyEnter, tcell.KeyEscape, tcell.KeyTab, tcell.KeyBacktab:
			if l.done != nil {
				l.done(ev.Key())
			}
		}
	})
}

// PasteHandler inserts a bracketed paste at once: one change, one check.
func (l *lineInput) PasteHandler() func(text string, setFocus func(p tview.Primitive)) {
	return l.WrapPasteHandler(func(text string, _ func(p tview.Primitive)) { l.insert(text) })
}

// MouseHandler focuses the field on a click and puts the cursor there.
func (l *lineInput) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return l.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		x, y := event.Position()
		if !l.InRect(x, y) || action != tview.MouseLeftDown {
			return false, nil
		}
		setFocus(l)
		bx, _, _, _ := l.GetInnerRect()
		col := x - bx - uniseg.StringWidth(l.label)
		i := l.off
		for w := 0; i < len(l.text); i++ {
			w += runeWidth(l.text[i])
			if w > col {
				break
			}
		}
		l.cur = min(i, len(l.text))
		return true, nil
	})
}

func runeWidth(r rune) int { return max(uniseg.StringWidth(string(r)), 1) }

// Draw shows the label and the part of the text around the cursor; the
// work is proportional to the field's width, not to the text.
func (l *lineInput) Draw(screen tcell.Screen) {
	l.DrawForSubclass(screen, l)
	x, y, w, h := l.GetInnerRect()
	if w <= 0 || h <= 0 {
		return
	}
	lx := printAt(screen, x, y, cutWidth(l.label, w), l.labelStyle)
	fw := x + w - lx
	if fw <= 0 {
		return
	}
	for i := 0; i < fw; i++ {
		screen.SetContent(lx+i, y, ' ', nil, l.fieldStyle)
	}
	if len(l.text) == 0 {
		if l.placeholder != "" {
			printAt(screen, lx, y, cutWidth(l.placeholder, fw), l.phStyle)
		}
		if l.HasFocus() {
			screen.ShowCursor(lx, y)
		}
		return
	}
	// Unfocused, the text shows from its start (what the filter is);
	// focused, the cursor stays in view, one cell left for it at the end.
	l.cur = min(l.cur, len(l.text))
	if !l.HasFocus() {
		l.off = 0
	} else if l.off > l.cur {
		l.off = l.cur
	}
	start, used := l.cur, 1
	for start > 0 && used+runeWidth(l.text[start-1]) <= fw {
		start--
		used += runeWidth(l.text[start])
	}
	if l.off < start && l.HasFocus() {
		l.off = start
	}
	cx, cursorX := lx, -1
	for i := l.off; i <= len(l.text); i++ {
		if i == l.cur {
			cursorX = cx
		}
		if i == len(l.text) {
			break
		}
		rw := runeWidth(l.text[i])
		if cx+rw > lx+fw {
			break
		}
		screen.SetContent(cx, y, l.text[i], nil, l.fieldStyle)
		cx += rw
	}
	if l.HasFocus() && cursorX >= 0 {
		screen.ShowCursor(cursorX, y)
	}
}

// cutWidth returns the longest prefix of s at most w cells wide.
func cutWidth(s string, w int) string {
	used := 0
	for i, r := range s {
		rw := runeWidth(r)
		if used+rw > w {
			return s[:i]
		}
		used += rw
	}
	return s
}
