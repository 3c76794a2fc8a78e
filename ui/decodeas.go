package ui

import (
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// decodeAsDialog is the `D` dialog (Wireshark's Analyze > Decode As): the
// rules of the wirelens.decode_as preference, each removable, and a line
// to add one in tshark's -d syntax, prefilled from the selected packet,
// Tab completing the table and the protocol. A change applies at once
// (onChange re-dissects rows and tree); `s` saves the preferences. Its
// keys are decodeAsBindings (keys.go).
type decodeAsDialog struct {
	root   *tview.Flex
	list   *tview.List
	add    *tview.InputField
	msg    *tview.TextView
	th     *theme
	rules  []string // the preference's rules, as written
	adding bool

	// onChange makes text the preference and re-dissects; an error (a
	// rule the parser refuses) leaves the preference as it was.
	onChange    func(text string) error
	onSave      func() error
	onClose     func()
	onFocusList func()
}

const (
	decodeAsWidth  = 72
	decodeAsHeight = 16
)

// prefDecodeAsName is the preference the dialog edits (decode/dispatch.go).
const prefDecodeAsName = "wirelens.decode_as"

func newDecodeAsDialog(th *theme) *decodeAsDialog {
	d := &decodeAsDialog{th: th}
	d.list = tview.NewList().ShowSecondaryText(false).SetHighlightFullLine(true).SetWrapAround(false)
	d.list.SetSelectedStyle(th.base.Reverse(true))
	d.list.SetMainTextStyle(th.base)
	d.add = tview.NewInputField().SetLabel(" Add: ")
	d.add.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	d.add.SetDoneFunc(d.addDone)
	d.add.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if ev.Key() == tcell.KeyTab {
			d.complete()
			return nil
		}
		return ev
	})
	d.msg = tview.NewTextView().SetWrap(true).SetWordWrap(true)
	d.msg.SetTextStyle(th.dim)
	sep := " · "
	if th.ascii {
		sep = ", "
	}
	help := tview.NewTextView().SetWrap(true).SetWordWrap(true).SetText(strings.Join([]string{
		" a add (Tab completes)", "d remove", "s save", "Esc close"}, sep))
	help.SetTextStyle(th.dim)
	d.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(tview.NewTextView().SetText(" Rules (TABLE==VALUE,PROTOCOL):").SetTextStyle(th.header), 1, 0, false).
		AddItem(d.list, 0, 1, true).
		AddItem(d.add, 1, 0, false).
		AddItem(d.msg, 4, 0, false).
		AddItem(help, 1, 0, false)
	d.root.SetBorder(true).SetTitle(" Decode As (" + prefDecodeAsName + ") ")
	return d
}

// splitRules are the rules of a preference value, as written.
func splitRules(text string) []string {
	var out []string
	for _, r := range strings.Split(text, ";") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// open shows the preference's rules; suggest is what `a` starts with.
func (d *decodeAsDialog) open(text, suggest string) {
	d.rules = splitRules(text)
	d.adding = false
	d.add.SetText(suggest)
	d.msg.SetText("")
	d.refresh()
}

func (d *decodeAsDialog) refresh() {
	cur := d.list.GetCurrentItem()
	d.list.Clear()
	for _, r := range d.rules {
		line := " " + r
		if _, p, ok := strings.Cut(r, ","); ok {
			if t := decode.DecodeAsTitle(strings.ToLower(strings.TrimSpace(p))); t != "" {
				line += "  (" + t + ")"
			}
		}
		d.list.AddItem(tview.Escape(decode.Sanitize(line)), "", 0, nil)
	}
	if len(d.rules) == 0 {
		d.list.AddItem(" (none: a adds one)", "", 0, nil)
	}
	if n := d.list.GetItemCount(); n > 0 {
		d.list.SetCurrentItem(min(max(cur, 0), n-1))
	}
}

func (d *decodeAsDialog) message(text string, isErr bool) {
	st := d.th.dim
	if isErr {
		st = d.th.bad
	}
	d.msg.SetTextStyle(st)
	d.msg.SetText(" " + decode.Sanitize(text))
}

// apply makes rules the preference; refused, the rules go back.
func (d *decodeAsDialog) apply(rules []string) bool {
	if d.onChange != nil {
		if err := d.onChange(strings.Join(rules, ";")); err != nil {
			d.message(err.Error(), true)
			return false
		}
	}
	d.rules = rules
	d.refresh()
	return true
}

func (d *decodeAsDialog) startAdd(focus func(tview.Primitive)) {
	d.adding = true
	d.message("Tab completes the table, then the protocol", false)
	focus(d.add)
}

func (d *decodeAsDialog) addDone(k tcell.Key) {
	if k == tcell.KeyEnter {
		text := strings.TrimSpace(d.add.GetText())
		if text == "" {
			d.message("empty rule: want TABLE==VALUE,PROTOCOL, e.g. udp.port==8472,vxlan", true)
			return
		}
		if _, err := decode.ParseDecodeAs(text); err != nil {
			d.message(err.Error(), true)
			return
		}
		if !d.apply(append(append([]string(nil), d.rules...), text)) {
			return
		}
		d.list.SetCurrentItem(len(d.rules) - 1)
		d.message("added "+text+" (s saves it)", false)
		d.add.SetText("")
	} else if k != tcell.KeyEscape {
		return
	}
	d.adding = false
	if d.onFocusList != nil {
		d.onFocusList()
	}
}

func (d *decodeAsDialog) remove() {
	i := d.list.GetCurrentItem()
	if i < 0 || i >= len(d.rules) {
		return
	}
	gone := d.rules[i]
	rules := append(append([]string(nil), d.rules[:i]...), d.rules[i+1:]...)
	if d.apply(rules) {
		d.message("removed "+gone+" (s saves it)", false)
	}
}

// complete is Tab in the add line: before the "==" it completes the
// table, after the comma the protocol; several candidates are listed
// (protocols with their titles) and their common prefix filled in.
func (d *decodeAsDialog) complete() {
	text := d.add.GetText()
	var prefix, word string
	var cands []string
	if i := strings.Index(text, ","); i >= 0 {
		prefix, word = text[:i+1], strings.ToLower(strings.TrimSpace(text[i+1:]))
		cands = matching(decode.DecodeAsProtocols(), word)
	} else if !strings.Contains(text, "=") {
		word = strings.TrimSpace(text)
		cands = matching(decode.DecodeAsTables(), word)
	} else {
		d.message("after the value, a comma and the protocol: "+text+",vxlan", false)
		return
	}
	switch len(cands) {
	case 0:
		d.message("nothing starts with "+strconv.Quote(word), true)
		return
	case 1:
		if prefix == "" {
			d.add.SetText(cands[0] + "==")
		} else {
			d.add.SetText(prefix + cands[0])
			d.message(cands[0]+": "+decode.DecodeAsTitle(cands[0]), false)
		}
		return
	}
	d.add.SetText(prefix + commonPrefix(cands))
	var b strings.Builder
	for i, c := range cands {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c)
		if t := decode.DecodeAsTitle(c); t != "" && len(cands) <= 6 {
			b.WriteString(" (" + t + ")")
		}
	}
	d.message(b.String(), false)
}

func matching(all []string, prefix string) []string {
	var out []string
	for _, s := range all {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

func (d *decodeAsDialog) close() {
	if d.onClose != nil {
		d.onClose()
	}
}

// decodeAsSuggest is what `a` starts with: the tree's selected field when
// it is a selector Decode As takes, else the packet's innermost UDP (or
// TCP) destination port, else nothing.
func decodeAsSuggest(diss *decode.Dissection, sel *decode.Field) string {
	table := map[string]string{
		"udp.port": "udp.port", "udp.srcport": "udp.port", "udp.dstport": "udp.port",
		"tcp.port": "tcp.port", "tcp.srcport": "tcp.port", "tcp.dstport": "tcp.port",
		"eth.type": "ethertype", "ip.proto": "ip.proto", "ipv6.nxt": "ip.proto",
	}
	if sel != nil && sel.Def != nil {
		if t, ok := table[sel.Def.Name]; ok {
			return t + "==" + strconv.FormatUint(sel.U, 10) + ","
		}
	}
	if diss == nil {
		return ""
	}
	for _, name := range []string{"udp.dstport", "tcp.dstport"} {
		for i := range diss.Fields {
			if f := &diss.Fields[i]; f.Def != nil && f.Def.Name == name {
				return table[name] + "==" + strconv.FormatUint(f.U, 10) + ","
			}
		}
	}
	return ""
}

func (v *view) openDecodeAs() {
	v.last = v.app.GetFocus()
	var sel *decode.Field
	if v.detail.tree.HasFocus() {
		sel = v.selectedField()
	}
	text, _ := v.src.Prefs().Get(prefDecodeAsName)
	v.daDlg.open(text, decodeAsSuggest(v.diss, sel))
	v.pages.ShowPage("decodeas")
	v.app.SetFocus(v.daDlg.list)
}

// setDecodeAs makes text the Decode As preference and re-dissects, as
// the validation switches do.
func (v *view) setDecodeAs(text string) error {
	p := v.src.Prefs()
	if err := p.Set(prefDecodeAsName, text); err != nil {
		return err
	}
	v.src.SetPrefs(p)
	v.prefsChanged()
	return nil
}

// saveDecodeAs is s in the Decode As dialog.
func (v *view) saveDecodeAs() {
	if err := v.daDlg.onSave(); err != nil {
		v.daDlg.message("not saved: "+err.Error(), true)
		return
	}
	v.daDlg.message("saved to "+v.opts.PrefsPath, false)
}

// decodeAsKeys routes the dialog's keys: the add line takes all while
// it is open; j k move as Down Up.
func (v *view) decodeAsKeys(ev *tcell.EventKey) *tcell.EventKey {
	return v.dialogListKeys(v.daDlg.adding, decodeAsBindings, ev)
}
