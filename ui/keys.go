package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Key bindings are data: the key, where it applies, what it does and the
// line the help shows, so the `?` overlay is generated from the same table
// the keys are dispatched from (as lazygit does) and cannot drift from it.

// key is one key a binding answers to: a special key, or a rune.
type key struct {
	k tcell.Key
	r rune
}

func rk(r rune) key      { return key{k: tcell.KeyRune, r: r} }
func sk(k tcell.Key) key { return key{k: k} }
func (k key) matches(ev *tcell.EventKey) bool {
	if k.k == tcell.KeyRune {
		return ev.Key() == tcell.KeyRune && ev.Rune() == k.r
	}
	return ev.Key() == k.k
}

// scope says where a binding applies; the help groups bindings by it.
type scope struct {
	name string // help section; "" joins the previous one
	when func(v *view) bool
}

var (
	always  = scope{when: func(*view) bool { return true }}
	inTree  = scope{when: func(v *view) bool { return v.detail.tree.HasFocus() }}
	outTree = scope{when: func(v *view) bool { return !v.detail.tree.HasFocus() }}
	inList  = scope{when: func(v *view) bool { return v.list.table.HasFocus() }}
	live    = scope{when: func(v *view) bool { return (v.opts.Live || v.growing) && !v.detail.tree.HasFocus() }}
	finding = scope{when: func(v *view) bool { return v.find.running }}
	liveEnd = scope{when: func(v *view) bool { return (v.opts.Live || v.growing) && v.list.table.HasFocus() }}
)

// binding is one line of the help and the keys it dispatches.
type binding struct {
	keys  []key
	label string // the keys as the help shows them
	desc  string
	where scope
	// act runs the action; false passes the key on (to the focused pane).
	// Nil: the pane handles the key itself and the binding only documents it.
	act func(v *view, ev *tcell.EventKey) bool
}

func do(f func(v *view)) func(v *view, ev *tcell.EventKey) bool {
	return func(v *view, _ *tcell.EventKey) bool { f(v); return true }
}

// mainBindings are the packet view's keys (filter bar not focused), in the
// order the help lists them.
var mainBindings = []binding{
	{label: "Up Down j k", desc: "move (also PgUp PgDn Home End g G)"},
	{keys: []key{sk(tcell.KeyTab)}, label: "Tab Shift-Tab", desc: "next / previous pane", where: always,
		act: do(func(v *view) { v.cycle(+1) })},
	{keys: []key{sk(tcell.KeyBacktab)}, where: always, act: do(func(v *view) { v.cycle(-1) })},
	{label: "Enter Space", desc: "open or close a tree line"},
	{label: "Left Right h l", desc: "collapse / expand (tree); move the byte cursor"},
	{keys: []key{rk('e'), rk('E')}, label: "e E  ] [", desc: "in the tree: expand / collapse all (Ctrl-Right/Left)", where: inTree,
		act: func(v *view, ev *tcell.EventKey) bool { v.detail.expandAll(ev.Rune() == 'e'); return true }},
	{keys: []key{rk(']'), rk('[')}, where: outTree,
		act: func(v *view, ev *tcell.EventKey) bool { v.detail.expandAll(ev.Rune() == ']'); return true }},
	{keys: []key{rk('a')}, label: "a A & | !", desc: "tree: field as filter: apply / prepare / and / or / not", where: inTree,
		act: func(v *view, ev *tcell.EventKey) bool { return v.fieldAsFilter(ev.Rune()) }},
	{keys: []key{rk('A')}, where: inTree, act: func(v *view, ev *tcell.EventKey) bool { return v.fieldAsFilter('A') }},
	{keys: []key{rk('&'), rk('|'), rk('!')}, where: inTree,
		act: func(v *view, ev *tcell.EventKey) bool { return v.fieldAsFilter(ev.Rune()) }},
	{keys: []key{rk('y')}, label: "y  Y", desc: "copy the summary, value or bytes (hex) / field as filter", where: always,
		act: func(v *view, ev *tcell.EventKey) bool { return v.copySelected(ev) }},
	{keys: []key{rk('Y')}, where: always, act: func(v *view, ev *tcell.EventKey) bool { return v.copySelected(ev) }},
	{keys: []key{rk('m')}, label: "m  M  Ctrl-B", desc: "mark / unmark the packet; next / previous marked", where: always,
		act: do(func(v *view) { v.toggleMark() })},
	{keys: []key{rk('M')}, where: always, act: do(func(v *view) { v.nextMark(+1) })},
	{keys: []key{sk(tcell.KeyCtrlB)}, where: always, act: do(func(v *view) { v.nextMark(-1) })},
	{keys: []key{rk('t')}, label: "t  Ctrl-T", desc: "cycle the time formats / set the time reference", where: always,
		act: do(func(v *view) { v.cycleTime() })},
	{keys: []key{sk(tcell.KeyCtrlT)}, where: always, act: do(func(v *view) { v.toggleRef() })},
	{keys: []key{rk('n')}, label: "n  N", desc: "next / previous packet with a bad checksum", where: always,
		act: do(func(v *view) { v.nextBad(+1) })},
	{keys: []key{rk('N')}, where: always, act: do(func(v *view) { v.nextBad(-1) })},
	{keys: []key{rk(':'), sk(tcell.KeyCtrlG)}, label: ":  Ctrl-G", desc: "go to packet number", where: always,
		act: do(func(v *view) { v.openGoto() })},
	{keys: []key{rk('/')}, label: "/", desc: "display filter: Enter applies, empty clears,", where: always,
		act: do(func(v *view) { v.focusFilter() })},
	{label: "", desc: "Esc cancels, Up/Down recall history"},
	{keys: []key{sk(tcell.KeyCtrlF)}, label: "Ctrl-F", desc: "find: display filter, string or hex bytes (Tab switches);", where: always,
		act: do(func(v *view) { v.openFind() })},
	{label: "", desc: "strings in list/details/bytes (Shift-Tab), Ctrl-R case"},
	{keys: []key{sk(tcell.KeyCtrlN)}, label: "Ctrl-N  Ctrl-P", desc: "find next / previous (Enter Down Up in the bar; Esc stops)", where: always,
		act: do(func(v *view) { v.findNext(+1) })},
	{keys: []key{sk(tcell.KeyCtrlP)}, where: always, act: do(func(v *view) { v.findNext(-1) })},
	{keys: []key{sk(tcell.KeyEscape)}, where: finding, act: do(func(v *view) { v.stopFind() })},
	{keys: []key{rk('c')}, label: "c", desc: "checksum validation switches (s saves them)", where: always,
		act: do(func(v *view) { v.openValidation() })},
	{keys: []key{rk('L')}, label: "L", desc: "columns: show, hide, move, resize, add any field (s saves);", where: always,
		act: do(func(v *view) { v.openColumns() })},
	{label: "", desc: "on a tree field, a in it offers that field (Apply as Column)"},
	{keys: []key{rk('D')}, label: "D", desc: "Decode As: list, add (Tab completes), remove rules (s saves)", where: always,
		act: do(func(v *view) { v.openDecodeAs() })},
	{keys: []key{rk('e')}, label: "e", desc: "elsewhere: checksum report (Enter: the packets of a line)", where: outTree,
		act: do(func(v *view) { v.reports.openReport() })},
	{keys: []key{rk('f')}, label: "f", desc: "follow the packet's TCP / UDP stream (filters to tcp.stream eq N)", where: always,
		act: do(func(v *view) { v.openFollow() })},
	{keys: []key{rk('S')}, label: "S", desc: "statistics: conversations, endpoints, protocols, expert info, I/O", where: always,
		act: do(func(v *view) { v.openStats() })},
	{keys: []key{rk('z')}, label: "z  +  -", desc: "zoom (again to restore) / grow / shrink the focused pane", where: always,
		act: do(func(v *view) { v.toggleZoom() })},
	{keys: []key{rk('+'), rk('=')}, where: always, act: do(func(v *view) { v.resize(+1) })},
	{keys: []key{rk('-'), rk('_')}, where: always, act: do(func(v *view) { v.resize(-1) })},
	{keys: []key{rk('o')}, label: "o  Ctrl-W", desc: "open another capture (Tab completes) / the start screen", where: always,
		act: do(func(v *view) { v.openPrompt() })},
	{keys: []key{sk(tcell.KeyCtrlW)}, where: always, act: do(func(v *view) { closeToStart(v) })},
	{keys: []key{rk('x'), sk(tcell.KeyCtrlS)}, label: "x  Ctrl-S", desc: "export / save all, shown, marked or a range: pcapng, pcap", where: always,
		act: func(v *view, ev *tcell.EventKey) bool {
			if ev.Key() == tcell.KeyCtrlS {
				v.openSave()
			} else {
				v.openExport()
			}
			return true
		}},
	{keys: []key{rk(' ')}, label: "Space  End", desc: "live, growing file: pause / resume; End follows the newest", where: live,
		act: do(func(v *view) { v.togglePause() })},
	{keys: []key{sk(tcell.KeyEnd), rk('G')}, where: liveEnd, act: do(func(v *view) { v.followAgain() })},
	{keys: []key{rk('C')}, label: "C", desc: "compare with another capture (the compare view; again: back to it)", where: always,
		act: do(func(v *view) { v.compareKey() })},
	{keys: []key{rk('?')}, label: "?  q  Ctrl-C", desc: "this help (Esc, q or ? closes it) / quit", where: always,
		act: do(func(v *view) { v.openHelp() })},
	{keys: []key{rk('q')}, where: always, act: do(func(v *view) { v.app.Stop() })},
	{label: "mouse", desc: "click selects (a byte selects its field), wheel scrolls"},
}

// reportBindings are the checksum report's own keys; the rest move in it.
var reportBindings = []binding{
	{label: "Enter", desc: "the packets of a line (as a display filter)"},
	{keys: []key{sk(tcell.KeyEscape), rk('q'), rk('e')}, label: "Esc q e", desc: "close the report", where: always,
		act: do(func(v *view) { v.reports.close() })},
	{keys: []key{rk('r')}, label: "r", desc: "recompute it", where: always,
		act: do(func(v *view) { v.reports.recompute() })},
	{keys: []key{rk('f')}, label: "f", desc: "follow the stream of the line's first packet (flow lines)", where: always,
		act: do(func(v *view) { v.followFromReport() })},
	{keys: []key{rk('c')}, label: "c", desc: "checksum validation switches", where: always,
		act: do(func(v *view) { v.openValidation() })},
	{keys: []key{rk('?')}, label: "?", desc: "help", where: always,
		act: do(func(v *view) { v.openHelp() })},
}

// followBindings are the follow-stream view's keys; the rest scroll it.
var followBindings = []binding{
	{label: "Up Down j k", desc: "scroll (also PgUp PgDn Space Home End g G, the wheel)"},
	{keys: []key{rk('a')}, label: "a  x  r  Tab", desc: "show as ASCII / hex dump / raw hex; Tab the next", where: always,
		act: do(func(v *view) { v.streams.setMode(followASCII) })},
	{keys: []key{rk('x')}, where: always, act: do(func(v *view) { v.streams.setMode(followHex) })},
	{keys: []key{rk('r')}, where: always, act: do(func(v *view) { v.streams.setMode(followRaw) })},
	{keys: []key{sk(tcell.KeyTab)}, where: always,
		act: do(func(v *view) { v.streams.setMode((v.streams.mode + 1) % numFollowModes) })},
	{keys: []key{sk(tcell.KeyEscape), rk('q'), rk('f')}, label: "Esc q f", desc: "back to the list, the stream's filter kept (as Wireshark)", where: always,
		act: do(func(v *view) { v.closeFollow(false) })},
	{keys: []key{sk(tcell.KeyBackspace), sk(tcell.KeyBackspace2)}, label: "Backspace", desc: "back to the list, the filter from before restored", where: always,
		act: do(func(v *view) { v.closeFollow(true) })},
	{keys: []key{rk('?')}, label: "?", desc: "help", where: always,
		act: do(func(v *view) { v.openHelp() })},
}

var (
	cmpAny  = scope{when: func(v *view) bool { return v.cmp != nil && !v.cmp.input.HasFocus() }}
	cmpList = scope{when: func(v *view) bool { return v.cmp != nil && v.cmp.table.HasFocus() }}
)

// compareBindings are the compare view's keys, in the order the help
// lists them.
var compareBindings = []binding{
	{label: "Up Down j k", desc: "move in the list (also PgUp PgDn Home End g G)"},
	{keys: []key{sk(tcell.KeyTab)}, label: "Tab Shift-Tab", desc: "list / tree / bytes", where: cmpAny,
		act: do(func(v *view) { v.cmp.focus(v.cmp.focusAt + 1) })},
	{keys: []key{sk(tcell.KeyBacktab)}, where: cmpAny, act: do(func(v *view) { v.cmp.focus(v.cmp.focusAt - 1) })},
	{keys: []key{rk('v')}, label: "v", desc: "side by side / merged", where: cmpAny,
		act: do(func(v *view) { v.cmp.toggleMerged() })},
	{keys: []key{sk(tcell.KeyLeft), rk('h')}, label: "Left Right h l", desc: "show A's / B's packet of the row below", where: cmpList,
		act: do(func(v *view) { v.cmp.setSide(0) })},
	{keys: []key{sk(tcell.KeyRight), rk('l')}, where: cmpList, act: do(func(v *view) { v.cmp.setSide(1) })},
	{keys: []key{rk('p')}, label: "p", desc: "jump to the counterpart in the other capture", where: cmpAny,
		act: do(func(v *view) { v.cmp.counterpart() })},
	{keys: []key{rk('n')}, label: "n  N", desc: "next / previous altered or missing packet", where: cmpAny,
		act: do(func(v *view) { v.cmp.nextDiff(+1) })},
	{keys: []key{rk('N')}, where: cmpAny, act: do(func(v *view) { v.cmp.nextDiff(-1) })},
	{keys: []key{rk('r')}, label: "r", desc: "the comparison's report (counts, clock, verdict)", where: cmpAny,
		act: do(func(v *view) { v.cmp.openReport() })},
	{keys: []key{rk('/')}, label: "/", desc: "display filter over both captures (wirelens.compare.status == \"altered\")", where: cmpAny,
		act: do(func(v *view) { v.cmp.openInput("filter", "Filter: ", v.cmp.filterExpr) })},
	{keys: []key{sk(tcell.KeyCtrlS)}, label: "Ctrl-S", desc: "save both captures as pcapng (PREFIX-a.pcapng, PREFIX-b.pcapng)", where: cmpAny,
		act: do(func(v *view) { v.cmp.openInput("save", "Save both as (prefix): ", "") })},
	{keys: []key{sk(tcell.KeyEscape), rk('C')}, label: "Esc  C", desc: "capture A's packet view (C comes back)", where: cmpAny,
		act: do(func(v *view) { v.leaveCompare() })},
	{keys: []key{rk('?')}, label: "?  q", desc: "help / quit", where: cmpAny,
		act: do(func(v *view) { v.openHelp(); v.pages.SendToFront("help") })},
	{keys: []key{rk('q')}, where: cmpAny, act: do(func(v *view) { v.app.Stop() })},
}

// columnBindings are the columns dialog's keys (L); Up/Down move in it.
var columnBindings = []binding{
	{keys: []key{rk(' '), sk(tcell.KeyEnter)}, label: "Space Enter", desc: "hide / show the column", where: always,
		act: do(func(v *view) { v.colDlg.toggleHidden() })},
	{keys: []key{rk('a'), sk(tcell.KeyInsert)}, label: "a", desc: "add a column after it: a field name or a format (%Cus:ip.ttl:0:U)", where: always,
		act: do(func(v *view) { v.colDlg.startAdd(func(p tview.Primitive) { v.app.SetFocus(p) }) })},
	{keys: []key{rk('d'), sk(tcell.KeyDelete)}, label: "d Delete", desc: "remove the column", where: always,
		act: do(func(v *view) { v.colDlg.remove() })},
	{keys: []key{rk('K')}, label: "K J", desc: "move the column left / right (up / down here)", where: always,
		act: do(func(v *view) { v.colDlg.move(-1) })},
	{keys: []key{rk('J')}, where: always, act: do(func(v *view) { v.colDlg.move(+1) })},
	{keys: []key{rk('<'), rk('h'), sk(tcell.KeyLeft)}, label: "< >  0", desc: "narrower / wider / width from the content", where: always,
		act: do(func(v *view) { v.colDlg.resize(-1) })},
	{keys: []key{rk('>'), rk('l'), sk(tcell.KeyRight)}, where: always, act: do(func(v *view) { v.colDlg.resize(+1) })},
	{keys: []key{rk('0')}, where: always, act: do(func(v *view) { v.colDlg.autoWidth() })},
	{keys: []key{rk('s')}, label: "s", desc: "save them with the preferences", where: always,
		act: do(func(v *view) { v.saveColumns() })},
	{keys: []key{sk(tcell.KeyEscape), rk('q'), rk('L')}, label: "Esc q L", desc: "close", where: always,
		act: do(func(v *view) { v.colDlg.close() })},
}

// decodeAsBindings are the Decode As dialog's keys (D); Up/Down move in it.
var decodeAsBindings = []binding{
	{keys: []key{rk('a'), sk(tcell.KeyInsert)}, label: "a", desc: "add a rule, prefilled from the packet (Tab completes table, protocol)", where: always,
		act: do(func(v *view) { v.daDlg.startAdd(func(p tview.Primitive) { v.app.SetFocus(p) }) })},
	{keys: []key{rk('d'), sk(tcell.KeyDelete)}, label: "d Delete", desc: "remove the rule", where: always,
		act: do(func(v *view) { v.daDlg.remove() })},
	{keys: []key{rk('s')}, label: "s", desc: "save the rules with the preferences", where: always,
		act: do(func(v *view) { v.saveDecodeAs() })},
	{keys: []key{sk(tcell.KeyEscape), rk('q'), rk('D')}, label: "Esc q D", desc: "close", where: always,
		act: do(func(v *view) { v.daDlg.close() })},
}

// statsBindings are the statistics view's keys; the rest move in its list.
var statsBindings = []binding{
	{keys: []key{sk(tcell.KeyTab)}, label: "Tab Shift-Tab", desc: "next / previous tab (conversations, endpoints, protocols, expert, I/O)", where: always,
		act: do(func(v *view) { v.stats.setTab(v.stats.tab + 1) })},
	{keys: []key{sk(tcell.KeyBacktab)}, where: always, act: do(func(v *view) { v.stats.setTab(v.stats.tab - 1) })},
	{keys: []key{sk(tcell.KeyRight), rk('l')}, label: "Left Right h l", desc: "conversations, endpoints: Ethernet, IPv4, IPv6, TCP, UDP", where: always,
		act: do(func(v *view) { v.stats.setKind(+1) })},
	{keys: []key{sk(tcell.KeyLeft), rk('h')}, where: always, act: do(func(v *view) { v.stats.setKind(-1) })},
	{keys: []key{rk('o')}, label: "o  O", desc: "sort by the next column / reverse the order", where: always,
		act: do(func(v *view) { v.stats.cycleSort(false) })},
	{keys: []key{rk('O')}, where: always, act: do(func(v *view) { v.stats.cycleSort(true) })},
	{label: "Enter", desc: "filter to the line's packets (expert: and go to the first)"},
	{keys: []key{rk('r')}, label: "r", desc: "recompute", where: always,
		act: do(func(v *view) { v.stats.start() })},
	{keys: []key{sk(tcell.KeyEscape), rk('q'), rk('S')}, label: "Esc q S", desc: "back to the list (a computation goes on)", where: always,
		act: do(func(v *view) { v.closeStats() })},
	{keys: []key{rk('?')}, label: "?", desc: "help", where: always,
		act: do(func(v *view) { v.openHelp() })},
}

// closeToStart is Ctrl-W, set by init: the start screen it builds leads
// back to a capture view whose keys are mainBindings.
var closeToStart func(v *view)

func init() { closeToStart = (*view).closeToStart }

// dispatch runs the first binding in bs that matches ev where it applies.
func (v *view) dispatch(bs []binding, ev *tcell.EventKey) bool {
	for i := range bs {
		b := &bs[i]
		if b.act == nil || !b.where.when(v) {
			continue
		}
		for _, k := range b.keys {
			if k.matches(ev) && b.act(v, ev) {
				return true
			}
		}
	}
	return false
}

// helpLines are the help's key lines, generated from the bindings.
func helpLines(bs []binding) [][2]string {
	var out [][2]string
	for _, b := range bs {
		if b.label == "" && b.desc == "" {
			continue
		}
		out = append(out, [2]string{b.label, b.desc})
	}
	return out
}
