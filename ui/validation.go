package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/prefs"
)

// validationDialog is the `c` dialog: one switch per checksum. A toggle takes
// effect at once (onChange); `s` saves the preferences; Esc closes. Nothing
// is written unless the user presses `s`.
type validationDialog struct {
	list  *tview.List
	root  *tview.Flex
	src   Source
	th    *theme
	dirty bool // changed since opened or saved

	onChange func()
	onSave   func(p prefs.Prefs) error
	onClose  func()
	message  func(text string, isErr bool)
}

const (
	validationWidth  = 44
	validationHeight = 15
)

func newValidationDialog(src Source, th *theme) *validationDialog {
	v := &validationDialog{src: src, th: th}
	v.list = tview.NewList().ShowSecondaryText(false).SetHighlightFullLine(true).SetWrapAround(false)
	v.list.SetSelectedStyle(th.base.Reverse(true))
	v.list.SetMainTextStyle(th.base)
	for range checksumProtos {
		v.list.AddItem("", "", 0, nil)
	}
	v.list.SetSelectedFunc(func(i int, _, _ string, _ rune) { v.toggle(i) })
	v.list.SetInputCapture(v.keys)
	help := tview.NewTextView().SetText(" Space/Enter toggle · s save · Esc close")
	if th.ascii {
		help.SetText(" Space/Enter toggle, s save, Esc close")
	}
	help.SetTextStyle(th.dim)
	v.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(tview.NewTextView().SetText(" Verify checksums of:").SetTextStyle(th.base), 1, 0, false).
		AddItem(v.list, len(checksumProtos), 0, true).
		AddItem(tview.NewBox(), 1, 0, false).
		AddItem(help, 1, 0, false)
	v.root.SetBorder(true).SetTitle(" Checksum validation ")
	v.refresh()
	return v
}

func (v *validationDialog) keys(ev *tcell.EventKey) *tcell.EventKey {
	switch ev.Key() {
	case tcell.KeyEscape:
		v.close()
		return nil
	case tcell.KeyRune:
		switch ev.Rune() {
		case ' ':
			v.toggle(v.list.GetCurrentItem())
			return nil
		case 's':
			v.save()
			return nil
		case 'c', 'q':
			v.close()
			return nil
		case 'j':
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case 'k':
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		}
		return nil // no shortcuts: keep letters from jumping around
	}
	return ev
}

// switchText is one line of the dialog: "[✓] TCP (tcp)".
func switchText(label, name string, on bool, ascii bool) string {
	box := "[ ]"
	if on {
		box = "[✓]"
		if ascii {
			box = "[x]"
		}
	}
	return " " + box + " " + label + " (" + name + ")"
}

// refresh redraws the switches from the source's preferences.
func (v *validationDialog) refresh() {
	p := v.src.Prefs()
	for i, c := range checksumProtos {
		v.list.SetItemText(i, tview.Escape(switchText(c.label, c.name, p.Validates(c.name), v.th.ascii)), "")
	}
}

func (v *validationDialog) toggle(i int) {
	if i < 0 || i >= len(checksumProtos) {
		return
	}
	p := v.src.Prefs()
	name := checksumProtos[i].name
	p.SetValidates(name, !p.Validates(name))
	v.src.SetPrefs(p)
	v.dirty = true
	v.refresh()
	if v.onChange != nil {
		v.onChange()
	}
}

func (v *validationDialog) save() {
	if v.onSave == nil {
		return
	}
	if err := v.onSave(v.src.Prefs()); err != nil {
		v.message("not saved: "+err.Error(), true)
		return
	}
	v.dirty = false
}

func (v *validationDialog) close() {
	if v.onClose != nil {
		v.onClose()
	}
}
