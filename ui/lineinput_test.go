package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestLineInputEditing(t *testing.T) {
	var changes []string
	l := newLineInput().SetChangedFunc(func(s string) { changes = append(changes, s) })
	handle := l.InputHandler()
	key := func(k tcell.Key, r rune) { handle(tcell.NewEventKey(k, r, tcell.ModNone), nil) }
	for _, r := range "ip.src" {
		key(tcell.KeyRune, r)
	}
	key(tcell.KeyHome, 0)
	key(tcell.KeyRune, '!')
	key(tcell.KeyEnd, 0)
	key(tcell.KeyBackspace2, 0)
	key(tcell.KeyLeft, 0)
	key(tcell.KeyDelete, 0)
	if got := l.GetText(); got != "!ip.s" {
		t.Errorf("text %q, want !ip.s", got)
	}
	key(tcell.KeyCtrlW, 0)
	if got := l.GetText(); got != "" {
		t.Errorf("Ctrl-W left %q", got)
	}
	if len(changes) != 10 {
		t.Errorf("%d changes, want 10", len(changes))
	}
	// Pasted control and format characters never enter the field.
	l.PasteHandler()("tcp\n&&\tudp\x1b[2J\u202e\u200b\x9b", nil)
	if got := l.GetText(); got != "tcp && udp[2J" {
		t.Errorf("pasted text became %q", got)
	}
}

// The field shows the part of a long text around the cursor.
func TestLineInputScrolls(t *testing.T) {
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		t.Fatal(err)
	}
	sim.SetSize(30, 1)
	l := newLineInput().SetLabel("Filter: ")
	l.SetRect(0, 0, 30, 1)
	l.Focus(nil)
	text := strings.Repeat("a", 100) + "END"
	l.SetText(text)
	l.Draw(sim)
	sim.Show()
	line := func() string {
		cells, w, h := sim.GetContents()
		return cellLines(cells, w, h)[0]
	}
	if got := line(); !strings.HasPrefix(got, "Filter: ") || !strings.Contains(got, "aaaEND ") {
		t.Errorf("cursor at the end: %q", got)
	}
	l.InputHandler()(tcell.NewEventKey(tcell.KeyHome, 0, tcell.ModNone), nil)
	l.Draw(sim)
	sim.Show()
	if got := line(); got != "Filter: "+strings.Repeat("a", 22) {
		t.Errorf("cursor at the start: %q", got)
	}
}
