package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// countingCompile accepts every filter and counts the work: calls and the
// characters compiled (a compile costs time in proportion to its length).
type countingCompile struct{ calls, chars int }

func (c *countingCompile) compile(expr string) (decode.Matcher, error) {
	c.calls++
	c.chars += len(expr)
	return &fakeMatcher{def: tfTCP, any: true}, nil
}

// longFilter is a valid-looking display filter of n characters.
func longFilter(n int) string {
	s := strings.Repeat("tcp.port == 80 || ", n/18+1)
	return s[:n]
}

func openFilterBar(t *testing.T) (*harness, *countingCompile) {
	t.Helper()
	cc := &countingCompile{}
	h := start(t, newFake(standardFrames()), Options{Compile: cc.compile}, 120, 30)
	h.do(func() { h.v.filter.arm = func() {} }) // the pause is the test's to decide
	h.typeText("/")
	return h, cc
}

// pause is typing pausing for checkDelay: the timer's callback runs.
func (h *harness) pause() { h.do(func() { h.v.filter.checkPending() }) }

func (h *harness) work(cc *countingCompile) (calls, chars int) {
	h.do(func() { calls, chars = cc.calls, cc.chars })
	return
}

// Typing a long filter character by character compiled it after every
// character (n²/2 characters of work: 1k took 3.4 s). Now only the first
// quickCheckLen characters are checked as typed; beyond that the text is
// checked once typing pauses. (Each typed character redraws the screen,
// so this types a little over quickCheckLen, not 16k: checking every
// character would compile 51k characters, the bound is 33k.)
func TestFilterLongTypingBoundedWork(t *testing.T) {
	h, cc := openFilterBar(t)
	text := longFilter(quickCheckLen + 64)
	for i := 0; i < len(text); i += 16 {
		h.typeText(text[i:min(i+16, len(text))]) // a few at a time: each redraws
	}
	calls, chars := h.work(cc)
	if limit := (quickCheckLen + 1) * quickCheckLen / 2; chars > limit || calls != quickCheckLen {
		t.Errorf("typing %d characters compiled %d characters in %d calls, want at most %d in %d", len(text), chars, calls, limit, quickCheckLen)
	}
	h.pause()
	if _, c := h.work(cc); c != chars+len(text) {
		t.Errorf("the check after the pause compiled %d characters, want the %d typed", c-chars, len(text))
	}
	h.do(func() {
		if got := h.v.filter.input.GetText(); got != text {
			t.Errorf("the bar holds %d characters, want %d", len(got), len(text))
		}
		if h.v.filter.input.GetFieldStyle() != h.v.th.okField {
			t.Errorf("after the check the field is not coloured valid")
		}
	})
}

// One keystroke on a 16k filter does no compile at all: its work is an
// edit and a timer reset. The check follows once, after checkDelay.
func TestFilterKeystrokeOn16kFilter(t *testing.T) {
	h, cc := openFilterBar(t)
	text := longFilter(16 << 10)
	h.paste(text)
	h.pause()
	calls, _ := h.work(cc)
	h.typeText("x")
	if c, _ := h.work(cc); c != calls {
		t.Errorf("a keystroke on a %d-character filter compiled it %d times, want 0", len(text), c-calls)
	}
	h.pause()
	if c, _ := h.work(cc); c != calls+1 {
		t.Errorf("the pause after the keystroke compiled %d times, want 1", c-calls)
	}
	h.do(func() {
		if got := h.v.filter.input.GetText(); got != text+"x" {
			t.Errorf("the bar holds %d characters, want %d", len(got), len(text)+1)
		}
	})
}

// A bracketed paste arrives as one change: 16k characters are inserted at
// once and compiled once, not per character.
func TestFilterBracketedPaste(t *testing.T) {
	h, cc := openFilterBar(t)
	text := longFilter(16 << 10)
	h.paste(text)
	if calls, _ := h.work(cc); calls != 0 {
		t.Errorf("the paste compiled the filter %d times at once, want 0 (it is checked after the pause)", calls)
	}
	h.pause()
	if calls, _ := h.work(cc); calls != 1 {
		t.Errorf("after the pause: %d compiles, want 1", calls)
	}
	h.do(func() {
		if got := h.v.filter.input.GetText(); got != text {
			t.Errorf("the bar holds %d characters, want %d", len(got), len(text))
		}
	})
	// Enter applies it at once (one more compile), whatever its length.
	h.key(tcell.KeyEnter)
	if calls, _ := h.work(cc); calls != 2 {
		t.Errorf("Enter: %d compiles in all, want 2", calls)
	}
	h.do(func() {
		if h.v.filt.expr != text {
			t.Errorf("Enter did not apply the pasted filter")
		}
	})
}

// A short filter is still checked as it is typed.
func TestFilterShortCheckedAtOnce(t *testing.T) {
	h, cc := openFilterBar(t)
	h.typeText("tcp")
	if calls, _ := h.work(cc); calls != 3 {
		t.Errorf("typing 3 characters compiled %d times, want 3", calls)
	}
}

// paste sends text as a bracketed paste.
func (h *harness) paste(text string) {
	h.sim.PostEventWait(tcell.NewEventPaste(true))
	for _, r := range text {
		h.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	h.sim.PostEventWait(tcell.NewEventPaste(false))
	h.sync()
}

// BenchmarkFilterKeystroke16k times one keystroke (edit, redraw) in the
// filter bar holding a 16k filter; the target is well under 10 ms.
func BenchmarkFilterKeystroke16k(b *testing.B) {
	cc := &countingCompile{}
	h := startSource(b, newFake(standardFrames()), Options{Compile: cc.compile}, 120, 30)
	h.typeText("/")
	h.paste(longFilter(16 << 10))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.sim.InjectKey(tcell.KeyRune, 'x', tcell.ModNone)
		h.sync()
	}
}

func BenchmarkFilterKeystrokeShort(b *testing.B) {
	cc := &countingCompile{}
	h := startSource(b, newFake(standardFrames()), Options{Compile: cc.compile}, 120, 30)
	h.typeText("/")
	h.paste("tcp")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.sim.InjectKey(tcell.KeyRune, 'x', tcell.ModNone)
		h.sync()
	}
}

// The real timer checks a long filter once typing pauses.
func TestFilterDelayedCheckFires(t *testing.T) {
	cc := &countingCompile{}
	h := start(t, newFake(standardFrames()), Options{Compile: cc.compile}, 120, 30)
	h.typeText("/")
	h.paste(longFilter(4 << 10))
	h.waitFor("the delayed check", func() bool { return cc.calls == 1 && h.v.filter.input.GetFieldStyle() == h.v.th.okField })
}

// BenchmarkLineInputKeystroke16k times the field alone: a keystroke and a
// draw with 16k characters in it (tview's InputField took ~40 ms of CPU).
func BenchmarkLineInputKeystroke16k(b *testing.B) {
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		b.Fatal(err)
	}
	sim.SetSize(120, 1)
	l := newLineInput().SetLabel(filterLabel)
	l.SetRect(0, 0, 120, 1)
	l.SetText(longFilter(16 << 10))
	handle := l.InputHandler()
	ev := tcell.NewEventKey(tcell.KeyRune, 'x', tcell.ModNone)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		handle(ev, nil)
		l.Draw(sim)
	}
}
