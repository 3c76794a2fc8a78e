package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// bytesPerLine is the width of the hex dump, as in Wireshark.
const bytesPerLine = 16

// offsetWidth is how many hex digits the offset column needs for n bytes.
func offsetWidth(n int) int {
	w := 4
	for n-1 > 0xffff && w < 8 {
		n >>= 4
		w++
	}
	return w
}

// hexColumn is the x position (from the line's start) of the hex digits of
// byte i (0..15) in a line whose offset column is offW wide.
func hexColumn(offW, i int) int {
	x := offW + 2 + i*3
	if i >= 8 {
		x++
	}
	return x
}

// asciiColumn is the x position of byte i's ASCII character.
func asciiColumn(offW, i int) int {
	x := hexColumn(offW, bytesPerLine-1) + 2 + 2 + i
	if i >= 8 {
		x++
	}
	return x
}

// lineWidth is the width of a full dump line.
func lineWidth(offW int) int { return asciiColumn(offW, bytesPerLine-1) + 1 }

// byteAtColumn maps an x position within a line to the byte (0..15) drawn
// there, in the hex or the ASCII part, or -1.
func byteAtColumn(offW, x int) int {
	for i := 0; i < bytesPerLine; i++ {
		hx := hexColumn(offW, i)
		if x >= hx && x <= hx+2 { // the two digits and the space after
			return i
		}
		if x == asciiColumn(offW, i) {
			return i
		}
	}
	return -1
}

// printable is what the ASCII column shows for b: itself when it is
// printable ASCII, '.' otherwise (raw bytes never reach the terminal).
func printable(b byte) byte {
	if b >= 0x20 && b < 0x7f {
		return b
	}
	return '.'
}

// hexLine renders line `line` of the dump of data: offset, 16 hex bytes in
// two groups of 8, then the ASCII column.
func hexLine(data []byte, line int) string {
	offW := offsetWidth(len(data))
	start := line * bytesPerLine
	if start >= len(data) {
		return ""
	}
	end := min(start+bytesPerLine, len(data))
	buf := []byte(strings.Repeat(" ", lineWidth(offW)))
	copy(buf, fmt.Sprintf("%0*x", offW, start))
	for i := start; i < end; i++ {
		x := hexColumn(offW, i-start)
		copy(buf[x:], fmt.Sprintf("%02x", data[i]))
		buf[asciiColumn(offW, i-start)] = printable(data[i])
	}
	return strings.TrimRight(string(buf), " ")
}

// hexDump renders all of data, one string per line.
func hexDump(data []byte) []string {
	n := (len(data) + bytesPerLine - 1) / bytesPerLine
	out := make([]string, n)
	for i := range out {
		out[i] = hexLine(data, i)
	}
	return out
}

// deepestField returns the index of the deepest drawn field covering byte
// off (the last one in tree order among equals), or -1.
func deepestField(d *decode.Dissection, off int) int {
	best, bestDepth := -1, -1
	for i, f := range shownFields(d) {
		if f.Length <= 0 || off < int(f.Offset) || off >= int(f.Offset)+int(f.Length) {
			continue
		}
		if int(f.Depth) >= bestDepth {
			best, bestDepth = i, int(f.Depth)
		}
	}
	return best
}

// bytesView is the bottom pane: the frame's bytes, with the selected field's
// range highlighted. Clicking a byte (or moving the cursor onto it) selects
// the deepest field that covers it.
type bytesView struct {
	*tview.Box
	th           *theme
	data         []byte
	hlOff, hlLen int
	cursor       int // -1: no cursor
	top          int // first line shown
	onPick       func(off int)
	// diffs are byte ranges [start, end) that differ from the
	// counterpart in another capture (the compare view), marked apart
	// from the selected field.
	diffs [][2]int
}

func (b *bytesView) inDiff(at int) bool {
	for _, r := range b.diffs {
		if at >= r[0] && at < r[1] {
			return true
		}
	}
	return false
}

func newBytesView(th *theme) *bytesView {
	return &bytesView{Box: tview.NewBox(), th: th, cursor: -1}
}

func (b *bytesView) setData(data []byte) {
	b.data, b.top, b.cursor, b.hlOff, b.hlLen = data, 0, -1, 0, 0
}

// highlight marks [off, off+n) and scrolls it into view.
func (b *bytesView) highlight(off, n int) {
	b.hlOff, b.hlLen = off, n
	if n <= 0 {
		return
	}
	_, _, _, h := b.GetInnerRect()
	first, last := off/bytesPerLine, (off+n-1)/bytesPerLine
	if h <= 0 {
		return
	}
	if first < b.top || last >= b.top+h {
		b.top = first
		if last-first < h && last >= b.top+h {
			b.top = last - h + 1
		}
	}
}

func (b *bytesView) lines() int { return (len(b.data) + bytesPerLine - 1) / bytesPerLine }

func (b *bytesView) clampTop() {
	_, _, _, h := b.GetInnerRect()
	b.top = min(b.top, b.lines()-h)
	b.top = max(b.top, 0)
}

// Draw draws the dump.
func (b *bytesView) Draw(screen tcell.Screen) {
	b.DrawForSubclass(screen, b)
	x, y, w, h := b.GetInnerRect()
	b.clampTop()
	offW := offsetWidth(len(b.data))
	for row := 0; row < h; row++ {
		line := b.top + row
		if line >= b.lines() {
			break
		}
		text := hexLine(b.data, line)
		for i, ch := range []byte(text) {
			if i >= w {
				break
			}
			screen.SetContent(x+i, y+row, rune(ch), nil, b.th.base)
		}
		for i := 0; i < bytesPerLine; i++ {
			at := line*bytesPerLine + i
			if at >= len(b.data) {
				break
			}
			st, ok := b.th.base, false
			if b.hlLen > 0 && at >= b.hlOff && at < b.hlOff+b.hlLen {
				st, ok = b.th.hilite, true
			}
			if len(b.diffs) > 0 && b.inDiff(at) {
				// A difference stays visible inside the selected field.
				st, ok = b.th.diffStyle(), true
				if b.hlLen > 0 && at >= b.hlOff && at < b.hlOff+b.hlLen {
					st = st.Underline(true)
				}
			}
			if at == b.cursor && b.HasFocus() {
				st, ok = b.th.cursor, true
			}
			if !ok {
				continue
			}
			restyle := func(cx, n int) {
				for k := 0; k < n && cx+k < w; k++ {
					r, comb, _, _ := screen.GetContent(x+cx+k, y+row)
					screen.SetContent(x+cx+k, y+row, r, comb, st)
				}
			}
			n := 2
			if b.hlLen > 0 && at+1 < b.hlOff+b.hlLen && at >= b.hlOff && i != 7 && i != bytesPerLine-1 && at != b.cursor {
				n = 3 // join the highlighted run through the separating space
			}
			restyle(hexColumn(offW, i), n)
			restyle(asciiColumn(offW, i), 1)
		}
	}
}

func (b *bytesView) moveCursor(to int) {
	if len(b.data) == 0 {
		return
	}
	b.cursor = min(max(to, 0), len(b.data)-1)
	_, _, _, h := b.GetInnerRect()
	line := b.cursor / bytesPerLine
	if line < b.top {
		b.top = line
	} else if h > 0 && line >= b.top+h {
		b.top = line - h + 1
	}
	if b.onPick != nil {
		b.onPick(b.cursor)
	}
}

// InputHandler moves the byte cursor; the field under it gets selected.
func (b *bytesView) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return b.WrapInputHandler(func(ev *tcell.EventKey, _ func(p tview.Primitive)) {
		_, _, _, h := b.GetInnerRect()
		cur := b.cursor
		if cur < 0 {
			cur = b.hlOff
		}
		switch ev.Key() {
		case tcell.KeyLeft:
			b.moveCursor(cur - 1)
		case tcell.KeyRight:
			b.moveCursor(cur + 1)
		case tcell.KeyUp:
			b.moveCursor(cur - bytesPerLine)
		case tcell.KeyDown:
			b.moveCursor(cur + bytesPerLine)
		case tcell.KeyPgUp:
			b.moveCursor(cur - bytesPerLine*max(h, 1))
		case tcell.KeyPgDn:
			b.moveCursor(cur + bytesPerLine*max(h, 1))
		case tcell.KeyHome:
			b.moveCursor(0)
		case tcell.KeyEnd:
			b.moveCursor(len(b.data) - 1)
		case tcell.KeyRune:
			switch ev.Rune() {
			case 'h':
				b.moveCursor(cur - 1)
			case 'l':
				b.moveCursor(cur + 1)
			case 'k':
				b.moveCursor(cur - bytesPerLine)
			case 'j':
				b.moveCursor(cur + bytesPerLine)
			case 'g':
				b.moveCursor(0)
			case 'G':
				b.moveCursor(len(b.data) - 1)
			}
		}
	})
}

// MouseHandler selects the clicked byte; the wheel scrolls.
func (b *bytesView) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return b.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		mx, my := ev.Position()
		if !b.InRect(mx, my) {
			return false, nil
		}
		x, y, _, _ := b.GetInnerRect()
		switch action {
		case tview.MouseLeftDown:
			setFocus(b)
			return true, nil
		case tview.MouseLeftClick:
			i := byteAtColumn(offsetWidth(len(b.data)), mx-x)
			at := (b.top+my-y)*bytesPerLine + i
			if i >= 0 && at < len(b.data) {
				b.moveCursor(at)
			}
			return true, nil
		case tview.MouseScrollUp:
			b.top--
			return true, nil
		case tview.MouseScrollDown:
			b.top++
			return true, nil
		}
		return false, nil
	})
}
