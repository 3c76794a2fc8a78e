package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/prefs"
)

// columnsDialog is the `L` dialog: the packet list's columns, to hide,
// move, resize, add (any field) and remove. Each change shows at once
// (onChange); `s` saves the preferences. Its keys are columnBindings
// (keys.go).
type columnsDialog struct {
	root   *tview.Flex
	list   *tview.List
	add    *tview.InputField
	msg    *tview.TextView
	th     *theme
	defs   []colDef // the working copy, as shown
	adding bool
	field  string // the tree's selected field when opened from there: `a` offers it

	onChange    func(defs []colDef) error
	onSave      func() error
	onClose     func()
	onFocusList func()
	widthOf     func(i int) int // the width column i has on screen now (0: not shown)
}

const (
	columnsWidth  = 78
	columnsHeight = 20
)

func newColumnsDialog(th *theme) *columnsDialog {
	d := &columnsDialog{th: th}
	d.list = tview.NewList().ShowSecondaryText(false).SetHighlightFullLine(true).SetWrapAround(false)
	d.list.SetSelectedStyle(th.base.Reverse(true))
	d.list.SetMainTextStyle(th.base)
	d.add = tview.NewInputField().SetLabel(" Add field: ")
	d.add.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	d.add.SetDoneFunc(d.addDone)
	d.msg = tview.NewTextView().SetWrap(true).SetWordWrap(true)
	d.msg.SetTextStyle(th.dim)
	sep := " · "
	if th.ascii {
		sep = ", "
	}
	help := tview.NewTextView().SetWrap(true).SetWordWrap(true).SetText(strings.Join([]string{
		" Space hide/show", "a add a field", "d remove", "K J move", "< > width", "0 auto width", "s save", "Esc close"}, sep))
	help.SetTextStyle(th.dim)
	d.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(tview.NewTextView().SetText(" Shown  Title              Format                              Width").SetTextStyle(th.header), 1, 0, false).
		AddItem(d.list, 0, 1, true).
		AddItem(d.add, 1, 0, false).
		AddItem(d.msg, 2, 0, false).
		AddItem(help, 2, 0, false)
	d.root.SetBorder(true).SetTitle(" Columns (gui.column.format) ")
	return d
}

// open shows defs (a copy is kept); field, when not "", is what `a`
// offers to add (Wireshark's Apply as Column on a tree field).
func (d *columnsDialog) open(defs []colDef, field string) {
	d.defs = append([]colDef(nil), defs...)
	d.field = field
	d.adding = false
	d.add.SetText("")
	d.msg.SetText("")
	d.refresh()
}

// columnLine is one line of the dialog.
func columnLine(c colDef, ascii bool) string {
	box := "[✓]"
	if ascii {
		box = "[x]"
	}
	if c.pc.Hidden {
		box = "[ ]"
	}
	w := "auto"
	if c.pc.Width > 0 {
		w = fmt.Sprint(c.pc.Width)
	}
	return fmt.Sprintf(" %s   %-18s %-35s %s", box, cutPlain(decode.Sanitize(c.title), 18), cutPlain(c.spec(), 35), w)
}

// cutPlain shortens s to w runes with a trailing "~" (the dialog's lines
// are plain; the title may be anything the user typed).
func cutPlain(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return string(r[:w-1]) + "~"
}

func (d *columnsDialog) refresh() {
	cur := d.list.GetCurrentItem()
	d.list.Clear()
	for _, c := range d.defs {
		d.list.AddItem(tview.Escape(columnLine(c, d.th.ascii)), "", 0, nil)
	}
	if n := d.list.GetItemCount(); n > 0 {
		d.list.SetCurrentItem(min(max(cur, 0), n-1))
	}
}

func (d *columnsDialog) message(text string, isErr bool) {
	st := d.th.dim
	if isErr {
		st = d.th.bad
	}
	d.msg.SetTextStyle(st)
	d.msg.SetText(" " + text)
}

// changed applies the working copy; a refusal (a preference that does not
// take it) is shown and the copy goes back.
func (d *columnsDialog) changed(before []colDef) {
	if d.onChange != nil {
		if err := d.onChange(d.defs); err != nil {
			d.defs = before
			d.message(err.Error(), true)
		}
	}
	d.refresh()
}

func (d *columnsDialog) edit(f func(i int) string) {
	i := d.list.GetCurrentItem()
	if i < 0 || i >= len(d.defs) {
		return
	}
	before := append([]colDef(nil), d.defs...)
	d.message(f(i), false)
	d.changed(before)
}

func (d *columnsDialog) toggleHidden() {
	d.edit(func(i int) string {
		shown := 0
		for _, c := range d.defs {
			if !c.pc.Hidden {
				shown++
			}
		}
		if !d.defs[i].pc.Hidden && shown == 1 {
			return "the last shown column stays"
		}
		d.defs[i].pc.Hidden = !d.defs[i].pc.Hidden
		return ""
	})
}

func (d *columnsDialog) move(dir int) {
	i := d.list.GetCurrentItem()
	j := i + dir
	if i < 0 || j < 0 || j >= len(d.defs) {
		return
	}
	before := append([]colDef(nil), d.defs...)
	d.defs[i], d.defs[j] = d.defs[j], d.defs[i]
	d.list.SetCurrentItem(j)
	d.message("", false)
	d.changed(before)
}

func (d *columnsDialog) resize(delta int) {
	d.edit(func(i int) string {
		w := d.defs[i].pc.Width
		if w == 0 && d.widthOf != nil {
			w = d.widthOf(i)
		}
		if w == 0 {
			w = max(textWidth(d.defs[i].title), 4)
		}
		d.defs[i].pc.Width = min(max(w+delta, 1), 500)
		return ""
	})
}

func (d *columnsDialog) autoWidth() {
	d.edit(func(i int) string { d.defs[i].pc.Width = 0; return "" })
}

func (d *columnsDialog) remove() {
	d.edit(func(i int) string {
		if len(d.defs) == 1 {
			return "the last column stays"
		}
		t := d.defs[i].title
		d.defs = append(d.defs[:i:i], d.defs[i+1:]...)
		return "removed " + quoteText(t)
	})
}

// startAdd focuses the field input; setFocus is the application's.
func (d *columnsDialog) startAdd(setFocus func(tview.Primitive)) {
	d.adding = true
	d.add.SetText(d.field)
	d.message("a field name (tcp.window_size), a custom format (%Cus:ip.ttl:0:U) or a built-in one (%m); Enter adds it", false)
	setFocus(d.add)
}

// addDone ends the input: Enter adds the column after the selected one.
func (d *columnsDialog) addDone(key tcell.Key) {
	text := strings.TrimSpace(d.add.GetText())
	if key == tcell.KeyEnter && text != "" {
		c, err := columnFromText(text)
		if err != nil {
			d.message(err.Error(), true)
			return
		}
		before := append([]colDef(nil), d.defs...)
		i := min(d.list.GetCurrentItem()+1, len(d.defs))
		d.defs = append(d.defs[:i:i], append([]colDef{c}, d.defs[i:]...)...)
		d.changed(before)
		d.list.SetCurrentItem(i)
		if len(d.defs) > len(before) {
			d.message("added "+quoteText(c.title)+" ("+c.spec()+")", false)
		}
	}
	d.adding = false
	d.add.SetText("")
	d.focusList()
}

// focusList is set by the view (the application owns the focus).
func (d *columnsDialog) focusList() {
	if d.onFocusList != nil {
		d.onFocusList()
	}
}

// columnFromText makes a column from what the user typed: a field name
// (titled with the field's label, as Wireshark's Apply as Column does), or
// a format.
func columnFromText(text string) (colDef, error) {
	spec := text
	if !strings.HasPrefix(text, "%") {
		spec = prefs.CustomFormat + ":" + text + ":0:R"
	}
	pc, err := prefs.ParseColumnSpec(spec)
	if err != nil {
		return colDef{}, err
	}
	pc.Title = builtinTitle(pc.Format)
	for _, n := range pc.Fields {
		if _, ok := decode.LookupField(n); !ok && n != checksField {
			return colDef{}, fmt.Errorf("%q is not a field wirelens knows%s", n, output.Suggest(n))
		}
	}
	if pc.Format == prefs.CustomFormat {
		pc.Title = strings.Join(pc.Fields, " or ")
		if len(pc.Fields) == 1 {
			if def, ok := decode.LookupField(pc.Fields[0]); ok && def.Label != "" {
				pc.Title = def.Label
			}
			if pc.Fields[0] == checksField {
				pc.Title = "Checks"
			}
		}
	}
	return resolveColumn(pc)
}

// builtinTitles are Wireshark's titles for the built-in formats a user
// may add by hand.
var builtinTitles = map[string]string{
	"%m": "No.", "%t": "Time", "%Rt": "Time", "%At": "Time", "%Yt": "Time", "%Yut": "Time", "%Tt": "Delta", "%Gt": "Delta",
	"%s": "Source", "%d": "Destination", "%p": "Protocol", "%L": "Length", "%i": "Info",
	"%S": "Src port", "%D": "Dst port", "%hs": "Hw src", "%hd": "Hw dest", "%ns": "Net src", "%nd": "Net dest",
	"%q": "VLAN", "%f": "DSCP",
}

// builtinTitle is the title of a column added as a built-in format.
func builtinTitle(format string) string {
	if t, ok := builtinTitles[format]; ok {
		return t
	}
	if t, ok := builtinTitles[strings.Replace(strings.Replace(format, "%r", "%", 1), "%u", "%", 1)]; ok {
		return t
	}
	return strings.TrimPrefix(format, "%")
}

func (d *columnsDialog) close() {
	if d.onClose != nil {
		d.onClose()
	}
}

// openColumns shows the columns dialog.
func (v *view) openColumns() {
	v.last = v.app.GetFocus()
	field := ""
	if f := v.selectedField(); f != nil && v.detail.tree.HasFocus() && f.Def.Type != decode.FTNone {
		field = f.Def.Name
	}
	v.colDlg.open(v.list.defs, field)
	v.pages.ShowPage("columns")
	v.app.SetFocus(v.colDlg.list)
}

// columnKeys routes the columns dialog's keys: the field input takes all
// while it is open; j k move as Down Up.
func (v *view) columnKeys(ev *tcell.EventKey) *tcell.EventKey {
	return v.dialogListKeys(v.colDlg.adding, columnBindings, ev)
}

// dialogListKeys routes a list dialog's keys (columns, Decode As): an open
// input line takes all; otherwise the dialog's bindings, j k as Down Up,
// and no other letter (the list would jump to it).
func (v *view) dialogListKeys(inputOpen bool, bs []binding, ev *tcell.EventKey) *tcell.EventKey {
	if inputOpen {
		return ev
	}
	if v.dispatch(bs, ev) {
		return nil
	}
	if ev.Key() == tcell.KeyRune {
		switch ev.Rune() {
		case 'j':
			return tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone)
		case 'k':
			return tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone)
		}
		return nil
	}
	return ev
}

// setColumns makes defs the list's columns, in the preferences too (so
// that saving them, here or in the validation dialog, writes them).
func (v *view) setColumns(defs []colDef) error {
	p := v.src.Prefs()
	if err := setColumnPrefs(&p, defs); err != nil {
		return err
	}
	v.src.SetPrefs(p)
	v.list.setDefs(append([]colDef(nil), defs...))
	return nil
}

// saveColumns is s in the columns dialog.
func (v *view) saveColumns() {
	if err := v.colDlg.onSave(); err != nil {
		v.colDlg.message("not saved: "+decode.Sanitize(err.Error()), true)
		return
	}
	v.colDlg.message("saved to "+decode.Sanitize(v.opts.PrefsPath), false)
}
