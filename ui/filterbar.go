package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// filterBar is the display-filter input: checked as you type (green when it
// parses, red with the error otherwise), applied with Enter, with history on
// Up/Down. Esc leaves it without changing the applied filter.
//
// A keystroke's work stays bounded however long the text: a short filter is
// checked at once, a long one (pasted, say) only when typing pauses for
// checkDelay, so typing or pasting 16k characters compiles the filter once
// rather than once per character (which took minutes). A bracketed paste
// arrives as one change (tview's paste handling, enabled in run).
type filterBar struct {
	input   *lineInput
	th      *theme
	compile func(string) (decode.Matcher, error)
	history []string
	histPos int    // index into history while browsing; len(history) = the line being typed
	draft   string // what was typed before browsing history
	applied string
	errMsg  string // compile error of the current text, "" when it parses

	// delayed checking of long text
	queue   func(func()) // runs f on the UI goroutine; nil: long text is checked at once too
	timer   *time.Timer
	pending string // the text waiting to be checked
	waiting bool
	arm     func() // tests: replaces the timer (they call checkPending themselves)

	onApply func(expr string, m decode.Matcher) // m is nil for an empty filter
	onLeave func()
	message func(text string, isErr bool)
}

const filterLabel = "Filter: "

func newFilterBar(th *theme, compile func(string) (decode.Matcher, error)) *filterBar {
	f := &filterBar{th: th, compile: compile}
	f.input = newLineInput().SetLabel(filterLabel).SetLabelStyle(th.header)
	f.input.SetPlaceholder("Apply a display filter ... </>")
	f.input.SetPlaceholderStyle(th.dim)
	f.input.SetFieldStyle(th.base)
	f.input.SetChangedFunc(f.changed)
	f.input.SetDoneFunc(func(key tcell.Key) {
		switch key {
		case tcell.KeyEnter:
			f.apply()
		case tcell.KeyEscape:
			f.input.SetText(f.applied)
			f.check(f.applied)
			if f.onLeave != nil {
				f.onLeave()
			}
		}
	})
	f.input.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		switch ev.Key() {
		case tcell.KeyUp:
			f.browse(-1)
			return nil
		case tcell.KeyDown:
			f.browse(+1)
			return nil
		}
		return ev
	})
	return f
}

// Text longer than quickCheckLen is checked after checkDelay without a
// keystroke; shorter text compiles in microseconds and is checked at once.
const (
	quickCheckLen = 256
	checkDelay    = 150 * time.Millisecond
)

// changed runs on every edit of the text.
func (f *filterBar) changed(text string) {
	if len(text) <= quickCheckLen || f.queue == nil {
		f.stopWaiting()
		f.check(text)
		return
	}
	// Uncoloured until checked: neither "valid" nor an error it may not have.
	f.pending, f.waiting = text, true
	f.errMsg = ""
	f.input.SetFieldStyle(f.th.base)
	f.setMessage("", false)
	if f.arm != nil {
		f.arm()
		return
	}
	if f.timer == nil {
		f.timer = time.AfterFunc(checkDelay, func() { f.queue(f.checkPending) })
	} else {
		f.timer.Reset(checkDelay)
	}
}

// checkPending checks the text once typing has paused (UI goroutine).
func (f *filterBar) checkPending() {
	if !f.waiting {
		return
	}
	f.waiting = false
	if text := f.input.GetText(); text == f.pending {
		f.check(text)
	}
}

func (f *filterBar) stopWaiting() {
	f.waiting = false
	if f.timer != nil {
		f.timer.Stop()
	}
}

// check compiles text and colours the field; it returns the matcher.
func (f *filterBar) check(text string) (decode.Matcher, error) {
	f.stopWaiting()
	f.errMsg = ""
	if text == "" {
		f.input.SetFieldStyle(f.th.base)
		f.setMessage("", false)
		return nil, nil
	}
	if f.compile == nil {
		f.errMsg = "display filters are not available"
		f.input.SetFieldStyle(f.th.badFld)
		f.setMessage(f.errMsg, true)
		return nil, errNoCompiler
	}
	m, err := f.compile(text)
	if err != nil {
		f.errMsg = errorLine(err)
		f.input.SetFieldStyle(f.th.badFld)
		f.setMessage(f.errMsg, true)
		return nil, err
	}
	f.input.SetFieldStyle(f.th.okField)
	f.setMessage("", false)
	return m, nil
}

func (f *filterBar) setMessage(text string, isErr bool) {
	if f.message != nil && f.input.HasFocus() {
		f.message(text, isErr)
	}
}

// apply runs the text in the bar as the display filter.
func (f *filterBar) apply() {
	text := f.input.GetText()
	m, err := f.check(text)
	if err != nil {
		return // stay in the bar; the error is shown
	}
	if text != "" && (len(f.history) == 0 || f.history[len(f.history)-1] != text) {
		f.history = append(f.history, text)
	}
	f.histPos = len(f.history)
	f.applied = text
	if f.onApply != nil {
		f.onApply(text, m)
	}
	if f.onLeave != nil {
		f.onLeave()
	}
}

func (f *filterBar) browse(dir int) {
	if len(f.history) == 0 {
		return
	}
	if f.histPos == len(f.history) {
		f.draft = f.input.GetText()
	}
	f.histPos = min(max(f.histPos+dir, 0), len(f.history))
	if f.histPos == len(f.history) {
		f.input.SetText(f.draft)
	} else {
		f.input.SetText(f.history[f.histPos])
	}
}

// applyText puts expr in the bar and makes it the applied filter, as if
// typed and entered (the report view's lines use it). A filter that does
// not compile leaves the bar as it was and returns the error.
func (f *filterBar) applyText(expr string) (decode.Matcher, error) {
	m, err := f.check(expr)
	if err != nil {
		f.check(f.applied)
		return nil, err
	}
	f.input.SetText(expr)
	if expr != "" && (len(f.history) == 0 || f.history[len(f.history)-1] != expr) {
		f.history = append(f.history, expr)
	}
	f.histPos = len(f.history)
	f.applied = expr
	return m, nil
}

// set puts expr in the bar without applying it (used for -Y at start).
func (f *filterBar) set(expr string) {
	f.input.SetText(expr)
	f.applied = expr
}

type uiError string

func (e uiError) Error() string { return string(e) }

const errNoCompiler = uiError("display filters are not available")

// errorLine makes a one-line message of a filter error. The filter package
// writes the expression and a caret line under the message, as Wireshark
// does; on one line the caret becomes "at column N".
func errorLine(err error) string {
	lines := strings.Split(err.Error(), "\n")
	msg := decode.Sanitize(strings.TrimSpace(lines[0]))
	if len(lines) >= 3 {
		caret := strings.TrimPrefix(lines[2], "    ")
		if i := strings.IndexRune(caret, '^'); i >= 0 && strings.TrimSpace(caret[:i]) == "" {
			msg += fmt.Sprintf(" (at column %d)", utf8.RuneCountInString(caret[:i])+1)
		}
	}
	return msg
}
