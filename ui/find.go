package ui

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// The find bar is Wireshark's Edit > Find Packet (Ctrl-F): a line under
// the filter bar that looks for the next packet, among those the list
// shows, matching a display filter, a string (in the packet list's
// columns, the detail tree's lines or the bytes) or a hex byte sequence.
// The search runs in the background over the index, from the selected
// packet onwards, wrapping around at the end; the status bar shows its
// progress and Esc cancels it.

// What the find bar looks for.
const (
	findFilter = iota
	findString
	findHex
	numFindModes
)

var findModeNames = [numFindModes]string{"Display filter", "String", "Hex bytes"}

// Where a string is looked for.
const (
	whereList = iota
	whereDetails
	whereBytes
	numFindWhere
)

var findWhereNames = [numFindWhere]string{"packet list", "packet details", "packet bytes"}

// findChunk is how many frames a search hands the capture's parallel
// filter first: big enough to keep its workers busy, small enough that a
// match near the selection comes back at once. Each further chunk is twice
// as big, up to findChunkMax, so a long search pays the pass's start-up
// cost less often.
const (
	findChunk    = 4096
	findChunkMax = 1 << 17
)

// findBar is the find line and the search it runs.
type findBar struct {
	root  *tview.Flex
	input *lineInput
	opts  *tview.TextView
	th    *theme

	mode      int
	where     int
	matchCase bool
	shown     bool // the bar is part of the layout

	running  bool
	stop     chan struct{}
	gen      int
	progress atomic.Int64 // done<<32 | total of the running search

	onFind  func(dir int) // Enter / Ctrl-N / Down: +1; Ctrl-P / Up: -1
	onClose func()        // Esc with no search running
	onStop  func()        // Esc while a search runs
}

func newFindBar(th *theme) *findBar {
	f := &findBar{th: th}
	f.input = newLineInput().SetLabelStyle(th.header)
	f.input.SetFieldStyle(th.base.Underline(true))
	f.input.SetPlaceholderStyle(th.dim)
	f.opts = tview.NewTextView().SetWrap(false)
	f.opts.SetTextStyle(th.dim)
	f.root = tview.NewFlex().
		AddItem(f.input, 0, 1, true).
		AddItem(f.opts, 0, 1, false)
	f.input.SetInputCapture(f.keys)
	f.update()
	return f
}

// update redraws the label and the options line after a switch.
func (f *findBar) update() {
	f.input.SetLabel("Find " + strings.ToLower(findModeNames[f.mode]) + ": ")
	switch f.mode {
	case findFilter:
		f.input.SetPlaceholder("tcp.flags.syn == 1 ...")
	case findString:
		f.input.SetPlaceholder("text ...")
	case findHex:
		f.input.SetPlaceholder("de ad be ef ...")
	}
	var b strings.Builder
	if f.mode == findString {
		// the switches first: the keys are in the help (?) too
		fmt.Fprintf(&b, " in %s (S-Tab), ", findWhereNames[f.where])
		if f.matchCase {
			b.WriteString("match case (^R)")
		} else {
			b.WriteString("ignore case (^R)")
		}
	} else {
		b.WriteString(" Tab: filter/string/hex  Enter ^N next  ^P prev")
	}
	f.opts.SetText(b.String())
}

func (f *findBar) keys(ev *tcell.EventKey) *tcell.EventKey {
	switch ev.Key() {
	case tcell.KeyTab:
		f.mode = (f.mode + 1) % numFindModes
		f.update()
		return nil
	case tcell.KeyBacktab:
		if f.mode == findString {
			f.where = (f.where + 1) % numFindWhere
			f.update()
		}
		return nil
	case tcell.KeyCtrlR:
		f.matchCase = !f.matchCase
		f.update()
		return nil
	case tcell.KeyEnter, tcell.KeyCtrlN, tcell.KeyDown:
		f.onFind(+1)
		return nil
	case tcell.KeyCtrlP, tcell.KeyUp:
		f.onFind(-1)
		return nil
	case tcell.KeyEscape:
		if f.running {
			f.onStop()
		} else {
			f.onClose()
		}
		return nil
	}
	return ev
}

// cancel abandons the running search, if any.
func (f *findBar) cancel() {
	if f.stop != nil {
		close(f.stop)
		f.stop = nil
	}
	f.gen++
	f.running = false
}

// findQuery is a compiled search: a matcher the capture's parallel
// filter pass runs (a display filter, or one of the find matchers below),
// and where the tree's selection goes in the frame found.
type findQuery struct {
	text    string
	matcher decode.Matcher
	locate  func(d *decode.Dissection) int // the tree field to select (-1 none); nil: none
}

// findMatcher is a find test as a decode.Matcher: fields nil keeps the
// whole tree (strings in the details), an empty list keeps none (bytes);
// summary asks for the packet list's row.
type findMatcher struct {
	fields  []*decode.FieldDef
	summary bool
	match   func(d *decode.Dissection) bool
}

func (m *findMatcher) Fields() []*decode.FieldDef      { return m.fields }
func (m *findMatcher) Match(d *decode.Dissection) bool { return m.match(d) }
func (m *findMatcher) NeedsSummary() bool              { return m.summary }

// compileFind turns the bar's text into a query; the error names the input.
func compileFind(mode, where int, matchCase bool, text string, compile func(string) (decode.Matcher, error)) (*findQuery, error) {
	q := &findQuery{text: text}
	if strings.TrimSpace(text) == "" {
		return nil, uiError("type what to find")
	}
	none := []*decode.FieldDef{}
	switch mode {
	case findFilter:
		if compile == nil {
			return nil, uiError("display filters are not available here")
		}
		m, err := compile(text)
		if err != nil {
			return nil, fmt.Errorf("bad display filter %q: %s", text, errorLine(err))
		}
		q.matcher = m
	case findHex:
		pat, err := parseHex(text)
		if err != nil {
			return nil, fmt.Errorf("bad hex bytes %q: %s", text, err)
		}
		q.matcher = &findMatcher{fields: none, match: func(d *decode.Dissection) bool { return bytes.Contains(d.Data, pat) }}
		q.locate = func(d *decode.Dissection) int { return fieldAtByte(d, bytes.Index(d.Data, pat)) }
	case findString:
		needle := text
		if !matchCase {
			needle = strings.ToLower(text)
		}
		has := func(s string) bool {
			if !matchCase {
				s = strings.ToLower(s)
			}
			return strings.Contains(s, needle)
		}
		switch where {
		case whereList:
			q.matcher = &findMatcher{fields: none, summary: true, match: func(d *decode.Dissection) bool {
				s := &d.Summary
				return has(s.Protocol) || has(s.Info) || has(s.Source) || has(s.Destination)
			}}
		case whereDetails:
			q.matcher = &findMatcher{match: func(d *decode.Dissection) bool { return treeMatch(d, has) >= 0 }}
			q.locate = func(d *decode.Dissection) int { return treeMatch(d, has) }
		case whereBytes:
			pat := []byte(text)
			q.matcher = &findMatcher{fields: none, match: func(d *decode.Dissection) bool { return indexBytes(d.Data, pat, matchCase) >= 0 }}
			q.locate = func(d *decode.Dissection) int { return fieldAtByte(d, indexBytes(d.Data, pat, matchCase)) }
		}
	}
	return q, nil
}

// treeMatch is the first tree line (field index) whose text has the
// string, skipping hidden fields and what is under them as the tree does.
func treeMatch(d *decode.Dissection, has func(string) bool) int {
	for i, f := range shownFields(d) {
		if has(decode.Sanitize(f.Line())) {
			return i
		}
	}
	return -1
}

// fieldAtByte is the deepest field covering byte off (-1 for none).
func fieldAtByte(d *decode.Dissection, off int) int {
	if off < 0 {
		return -1
	}
	return deepestField(d, off)
}

// indexBytes finds pat in data; without matchCase ASCII letters match
// either case (packet bytes are not text: no Unicode folding).
func indexBytes(data, pat []byte, matchCase bool) int {
	if matchCase {
		return bytes.Index(data, pat)
	}
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i := 0; i+len(pat) <= len(data); i++ {
		ok := true
		for k := range pat {
			if lower(data[i+k]) != lower(pat[k]) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// parseHex reads bytes written as Wireshark's find accepts them: "de ad
// be ef", "deadbeef", "de:ad:be:ef", "0xde 0xad", "de-ad".
func parseHex(s string) ([]byte, error) {
	var out []byte
	digits := func(c byte) (byte, bool) {
		switch {
		case '0' <= c && c <= '9':
			return c - '0', true
		case 'a' <= c && c <= 'f':
			return c - 'a' + 10, true
		case 'A' <= c && c <= 'F':
			return c - 'A' + 10, true
		}
		return 0, false
	}
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ':' || r == '-' || r == ',' }) {
		if len(word) > 2 && (word[:2] == "0x" || word[:2] == "0X") {
			word = word[2:]
		}
		if len(word)%2 != 0 {
			return nil, fmt.Errorf("%q has an odd number of hex digits", word)
		}
		for i := 0; i < len(word); i += 2 {
			hi, ok1 := digits(word[i])
			lo, ok2 := digits(word[i+1])
			if !ok1 || !ok2 {
				bad := word[i]
				if ok1 {
					bad = word[i+1]
				}
				return nil, fmt.Errorf("%q is not a hex digit", decode.Sanitize(string(rune(bad))))
			}
			out = append(out, hi<<4|lo)
		}
	}
	if len(out) == 0 {
		return nil, uiError("no bytes given")
	}
	return out, nil
}

// openFind shows the find bar (Ctrl-F) and puts the cursor in it.
func (v *view) openFind() {
	if !v.find.shown {
		v.find.shown = true
		v.layout()
	}
	v.status.setMessage("", false)
	v.app.SetFocus(v.find.input)
}

// closeFind hides the bar (Esc); the last search stays for Ctrl-N / Ctrl-P.
func (v *view) closeFind() {
	v.find.shown = false
	v.layout()
	v.focusPane(paneList)
}

// findNext searches from the selected packet for the next (dir +1) or
// previous (-1) shown packet matching the bar's query, in the background.
func (v *view) findNext(dir int) {
	f := v.find
	if f.running {
		v.message("still searching (Esc stops)", false)
		return
	}
	text := f.input.GetText()
	if strings.TrimSpace(text) == "" {
		v.openFind()
		v.message("type what to find (Ctrl-F)", false)
		return
	}
	q, err := compileFind(f.mode, f.where, f.matchCase, text, v.opts.Compile)
	if err != nil {
		v.message("find: "+errorLine(err), true)
		return
	}
	v.refresh()
	var shown []int // nil: every frame up to n
	n := v.src.Len()
	if v.list.shown != nil {
		shown = slices.Clone(v.list.shown[:v.list.n])
		n = len(shown)
	} else {
		n = v.list.n
	}
	if n == 0 {
		v.message("no packets to search", false)
		return
	}
	frameAt := func(p int) int {
		if shown != nil {
			return shown[p]
		}
		return p
	}
	// the position of the selected packet among those shown
	cur := -1
	if sel := v.list.selected(); sel >= 0 {
		if shown == nil {
			cur = sel
		} else {
			cur, _ = slices.BinarySearch(shown, sel)
		}
	}
	if cur < 0 && dir < 0 {
		cur = n
	}
	f.cancel()
	f.running = true
	stop := make(chan struct{})
	f.stop = stop
	gen := f.gen
	f.progress.Store(int64(n))
	src, app := v.src, v.app
	rf, _ := src.(rangeFilterer)
	what := decode.Sanitize(text)
	goSafe(func() {
		found, wrapped, ok := searchFrames(src, rf, q, n, cur, dir, frameAt, shown, &f.progress, stop)
		app.QueueUpdateDraw(func() {
			if gen != f.gen {
				return
			}
			close(stop) // ends the progress line
			f.running, f.stop = false, nil
			if !ok {
				return
			}
			if found < 0 {
				v.message(fmt.Sprintf("find: no packet matches %q", what), false)
				return
			}
			v.list.selectFrame(found)
			v.userMoved(false)
			if q.locate != nil && v.diss != nil {
				if field := q.locate(v.diss); field >= 0 {
					v.detail.selectField(field)
				}
			}
			msg := fmt.Sprintf("found %q in packet %d", what, found+1)
			if wrapped {
				if dir > 0 {
					msg += " (wrapped around to the beginning)"
				} else {
					msg += " (wrapped around to the end)"
				}
			}
			v.message(msg, false)
		})
	})
	go func() {
		// The status bar shows the progress while the search runs.
		t := time.NewTicker(refreshInterval * 3)
		defer t.Stop()
		for {
			select {
			case <-stop: // the search ended or was cancelled (Run's end cancels it too)
				return
			case <-t.C:
			}
			app.QueueUpdateDraw(func() {
				if gen != f.gen || !f.running {
					return
				}
				p := f.progress.Load()
				done, total := int(p>>32), int(p&0xffffffff)
				v.message(fmt.Sprintf("finding %q… %d%% (Esc stops)", what, 100*done/max(total, 1)), false)
			})
		}
	}()
}

// stopFind is Esc while a search runs.
func (v *view) stopFind() {
	v.find.cancel()
	v.message("find stopped", false)
}

// searchFrames walks the n shown positions from cur (exclusive) in
// direction dir, wrapping around, and returns the first frame matching q,
// whether it wrapped, and false when stopped. The positions go in chunks
// to the capture's parallel filter pass (FilterRange), so the first match
// near the selection comes back at once and a miss costs one pass.
func searchFrames(src Source, rf rangeFilterer, q *findQuery, n, cur, dir int, frameAt func(int) int, shown []int,
	progress *atomic.Int64, stop <-chan struct{}) (found int, wrapped, ok bool) {
	done := 0
	type run struct{ lo, hi int } // positions lo..hi, walked in direction dir
	var runs []run
	if dir > 0 {
		runs = []run{{cur + 1, n - 1}, {0, min(cur, n-1)}}
	} else {
		runs = []run{{0, cur - 1}, {max(cur, 0), n - 1}}
	}
	var all []int // without FilterRange: one whole pass, then picked from
	for ri, r := range runs {
		wrapped = ri == 1
		chunk := findChunk
		for k := 0; k <= r.hi-r.lo; k, chunk = k+chunk, min(2*chunk, findChunkMax) {
			var a, b int // positions, a <= b
			if dir > 0 {
				a, b = r.lo+k, min(r.lo+k+chunk-1, r.hi)
			} else {
				a, b = max(r.hi-k-chunk+1, r.lo), r.hi-k
			}
			from, to := frameAt(a), frameAt(b)+1
			var hits []int
			if rf != nil {
				hits, ok = rf.FilterRange(q.matcher, from, to, stop)
			} else {
				if all == nil {
					if all, ok = src.Filter(q.matcher, nil, stop); all == nil {
						all = []int{}
					}
				}
				lo, _ := slices.BinarySearch(all, from)
				hi, _ := slices.BinarySearch(all, to)
				hits = all[lo:hi]
			}
			select {
			case <-stop:
				ok = false
			default:
			}
			if !ok {
				return -1, false, false
			}
			if shown != nil {
				hits = slices.DeleteFunc(slices.Clone(hits), func(h int) bool {
					_, in := slices.BinarySearch(shown, h)
					return !in
				})
			}
			done += b - a + 1
			progress.Store(int64(done)<<32 | int64(n))
			if len(hits) > 0 {
				if dir > 0 {
					return hits[0], wrapped, true
				}
				return hits[len(hits)-1], wrapped, true
			}
		}
	}
	return -1, false, true
}
