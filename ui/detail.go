package ui

import (
	"iter"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// verdict is the checksum state a tree line is coloured by.
type verdict struct {
	status  decode.ChecksumStatus
	offload bool
}

// checksumProto returns "tcp" for "tcp.checksum" and "tcp.checksum.status"
// (the component before ".checksum"), or "" when name is neither.
func checksumProto(name string) string {
	base, ok := strings.CutSuffix(name, ".checksum.status")
	if !ok {
		base, ok = strings.CutSuffix(name, ".checksum")
	}
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		base = base[i+1:]
	}
	return base
}

// checksumVerdicts finds, for every checksum line of d (fields named
// "X.checksum" and "X.checksum.status", and expert notes under them), the
// verdict to colour it with. The status comes from the ".checksum.status"
// field next to the value; whether it looks like offload comes from the
// row's marks, matched by protocol in order of appearance.
func checksumVerdicts(d *decode.Dissection, marks []decode.ChecksumMark) map[int]verdict {
	out := map[int]verdict{}
	seen := map[string]int{} // occurrences of each protocol's checksum so far
	markFor := func(proto string, n int) (decode.ChecksumMark, bool) {
		for _, m := range marks {
			if m.Proto == proto {
				if n == 0 {
					return m, true
				}
				n--
			}
		}
		return decode.ChecksumMark{}, false
	}
	fs := d.Fields
	for i := range fs {
		name := fs[i].Def.Name
		if !strings.HasSuffix(name, ".checksum") {
			continue
		}
		proto := checksumProto(name)
		m, hasMark := markFor(proto, seen[proto])
		seen[proto]++
		v := verdict{status: decode.StatusUnverified}
		if hasMark {
			v = verdict{status: m.Status, offload: m.Offload}
		}
		// The status field follows the value at the same depth.
		statusName := name + ".status"
		status := -1
		for j := i + 1; j < len(fs) && fs[j].Depth >= fs[i].Depth; j++ {
			if fs[j].Depth != fs[i].Depth {
				continue
			}
			if fs[j].Def.Name == statusName {
				status = j
				break
			}
			if strings.HasSuffix(fs[j].Def.Name, ".checksum") {
				break
			}
		}
		if status >= 0 {
			v.status = decode.ChecksumStatus(fs[status].U)
		}
		v.offload = v.offload && v.status == decode.StatusBad
		if status >= 0 {
			out[status] = v
		}
		out[i] = v
		for j := i + 1; j < len(fs) && fs[j].Depth > fs[i].Depth; j++ {
			if strings.HasPrefix(fs[j].Def.Name, "_ws.expert") {
				out[j] = v
			}
		}
	}
	return out
}

// treeLine is one drawn line of the detail tree.
type treeLine struct {
	field  int // index in Dissection.Fields
	parent int // index of the parent line's field, -1 at top level
	depth  int
	text   string // sanitised, not escaped
	style  tcell.Style
	marked bool // has a checksum verdict
}

// shownFields walks the fields the tree draws, in order: hidden fields and
// everything under them are skipped.
func shownFields(d *decode.Dissection) iter.Seq2[int, *decode.Field] {
	return func(yield func(int, *decode.Field) bool) {
		skipBelow := -1 // depth of a hidden field whose subtree is skipped
		for i := range d.Fields {
			f := &d.Fields[i]
			if skipBelow >= 0 {
				if int(f.Depth) > skipBelow {
					continue
				}
				skipBelow = -1
			}
			if f.Hidden {
				skipBelow = int(f.Depth)
				continue
			}
			if !yield(i, f) {
				return
			}
		}
	}
}

// treeLines turns the flat pre-order field list into the lines to draw,
// skipping hidden fields and everything under them.
func treeLines(d *decode.Dissection, row decode.Row, th *theme) []treeLine {
	verdicts := checksumVerdicts(d, row.Checksums)
	var out []treeLine
	var stack []int // field indices of open ancestors
	for i, f := range shownFields(d) {
		depth := int(f.Depth)
		for len(stack) > 0 && int(d.Fields[stack[len(stack)-1]].Depth) >= depth {
			stack = stack[:len(stack)-1]
		}
		parent := -1
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		ln := treeLine{field: i, parent: parent, depth: len(stack), text: decode.Sanitize(f.Line()), style: th.base}
		if v, ok := verdicts[i]; ok {
			ln.style = th.checkStyle(v.status, v.offload)
			ln.marked = v.status == decode.StatusBad || v.status == decode.StatusIllegal
		}
		out = append(out, ln)
		stack = append(stack, i)
	}
	return out
}

// detailView is the middle pane: the selected frame's protocol tree.
type detailView struct {
	tree     *tview.TreeView
	th       *theme
	d        *decode.Dissection
	lines    []treeLine
	nodes    map[int]*tview.TreeNode // by field index
	parent   map[int]int
	expanded map[string]bool // remembered per field name, as Wireshark does
	texts    map[*tview.TreeNode]string

	onField func(field int) // selected field changed (-1: none)
}

func newDetailView(th *theme) *detailView {
	v := &detailView{th: th, expanded: map[string]bool{}}
	v.tree = tview.NewTreeView().SetTopLevel(1).SetGraphics(false)
	v.tree.SetRoot(tview.NewTreeNode(""))
	v.tree.SetChangedFunc(func(n *tview.TreeNode) { v.changed(n) })
	v.tree.SetSelectedFunc(func(n *tview.TreeNode) { v.toggle(n) })
	v.tree.SetInputCapture(v.keys)
	return v
}

func (v *detailView) keys(ev *tcell.EventKey) *tcell.EventKey {
	n := v.tree.GetCurrentNode()
	if n == nil {
		return ev
	}
	switch ev.Key() {
	case tcell.KeyLeft:
		if ev.Modifiers()&tcell.ModCtrl != 0 { // Wireshark's Collapse All
			v.expandAll(false)
			return nil
		}
		if len(n.GetChildren()) > 0 && n.IsExpanded() {
			v.setExpanded(n, false)
		} else if p, ok := v.parent[v.fieldOf(n)]; ok && p >= 0 {
			v.selectNode(v.nodes[p])
		}
		return nil
	case tcell.KeyRight:
		if ev.Modifiers()&tcell.ModCtrl != 0 { // Wireshark's Expand All
			v.expandAll(true)
			return nil
		}
		if len(n.GetChildren()) > 0 {
			if !n.IsExpanded() {
				v.setExpanded(n, true)
			} else {
				v.selectNode(n.GetChildren()[0])
			}
		}
		return nil
	case tcell.KeyRune:
		switch ev.Rune() {
		case ']':
			v.expandAll(true)
			return nil
		case '[':
			v.expandAll(false)
			return nil
		case 'h':
			return tcell.NewEventKey(tcell.KeyLeft, 0, tcell.ModNone)
		case 'l':
			return tcell.NewEventKey(tcell.KeyRight, 0, tcell.ModNone)
		}
	}
	return ev
}

func (v *detailView) fieldOf(n *tview.TreeNode) int {
	if n == nil {
		return -1
	}
	if i, ok := n.GetReference().(int); ok {
		return i
	}
	return -1
}

func (v *detailView) changed(n *tview.TreeNode) {
	if v.onField != nil {
		v.onField(v.fieldOf(n))
	}
}

func (v *detailView) selectNode(n *tview.TreeNode) {
	if n == nil {
		return
	}
	v.tree.SetCurrentNode(n)
	v.changed(n)
}

func (v *detailView) toggle(n *tview.TreeNode) {
	if len(n.GetChildren()) > 0 {
		v.setExpanded(n, !n.IsExpanded())
	}
}

func (v *detailView) setExpanded(n *tview.TreeNode, on bool) {
	n.SetExpanded(on)
	if f := v.fieldOf(n); f >= 0 && v.d != nil {
		v.expanded[v.d.Fields[f].Def.Name] = on
	}
	v.label(n)
}

func (v *detailView) expandAll(on bool) {
	for _, n := range v.nodes {
		if len(n.GetChildren()) > 0 {
			v.setExpanded(n, on)
		}
	}
	if !on {
		// keep the selection visible: move it to its top-level ancestor
		f := v.fieldOf(v.tree.GetCurrentNode())
		for f >= 0 && v.parent[f] >= 0 {
			f = v.parent[f]
		}
		if f >= 0 {
			v.selectNode(v.nodes[f])
		}
	}
}

// label writes a node's text with its expander (▸ collapsed, ▾ expanded).
func (v *detailView) label(n *tview.TreeNode) {
	text := v.texts[n]
	prefix := "  "
	if len(n.GetChildren()) > 0 {
		switch {
		case v.th.ascii && n.IsExpanded():
			prefix = "- "
		case v.th.ascii:
			prefix = "+ "
		case n.IsExpanded():
			prefix = "▾ "
		default:
			prefix = "▸ "
		}
	}
	n.SetText(prefix + tview.Escape(text))
}

// show replaces the tree with frame d's fields (nil clears it). The same
// field as before stays selected when the new frame has it; on a frame with a
// bad checksum the first bad checksum line is selected and opened instead.
func (v *detailView) show(d *decode.Dissection, row decode.Row) {
	prevName := ""
	if f := v.selectedField(); f >= 0 && v.d != nil {
		prevName = v.d.Fields[f].Def.Name
	}
	v.d = d
	root := tview.NewTreeNode("")
	v.nodes = map[int]*tview.TreeNode{}
	v.parent = map[int]int{}
	v.texts = map[*tview.TreeNode]string{}
	v.lines = nil
	if d == nil {
		v.tree.SetRoot(root).SetCurrentNode(nil)
		v.changed(nil)
		return
	}
	v.lines = treeLines(d, row, v.th)
	for _, ln := range v.lines {
		n := tview.NewTreeNode("").SetReference(ln.field).SetTextStyle(ln.style).
			SetSelectedTextStyle(ln.style.Reverse(true))
		v.texts[n] = ln.text
		v.nodes[ln.field] = n
		v.parent[ln.field] = ln.parent
		if ln.parent >= 0 {
			v.nodes[ln.parent].AddChild(n)
		} else {
			root.AddChild(n)
		}
	}
	for _, ln := range v.lines {
		n := v.nodes[ln.field]
		n.SetExpanded(v.expanded[d.Fields[ln.field].Def.Name])
	}
	var target *tview.TreeNode
	if row.Bad {
		for _, ln := range v.lines {
			if ln.marked && strings.HasSuffix(d.Fields[ln.field].Def.Name, ".checksum") {
				target = v.nodes[ln.field]
				break
			}
		}
	}
	if target == nil && prevName != "" {
		for _, ln := range v.lines {
			if d.Fields[ln.field].Def.Name == prevName {
				target = v.nodes[ln.field]
				break
			}
		}
	}
	if target == nil && len(v.lines) > 0 {
		target = v.nodes[v.lines[0].field]
	}
	v.reveal(target)
	for _, n := range v.nodes {
		v.label(n)
	}
	v.tree.SetRoot(root)
	v.selectNode(target)
}

// reveal expands the ancestors of n (without remembering them).
func (v *detailView) reveal(n *tview.TreeNode) {
	f := v.fieldOf(n)
	for {
		p, ok := v.parent[f]
		if !ok || p < 0 {
			return
		}
		v.nodes[p].SetExpanded(true)
		v.label(v.nodes[p])
		f = p
	}
}

// selectField selects the line of field i (opening its ancestors).
func (v *detailView) selectField(i int) bool {
	n, ok := v.nodes[i]
	if !ok {
		return false
	}
	v.reveal(n)
	v.selectNode(n)
	return true
}

func (v *detailView) selectedField() int { return v.fieldOf(v.tree.GetCurrentNode()) }

// cutLine is the selected line's whole text when the pane is too narrow to
// show it (the status bar then shows it wrapped); "" when it fits.
func (v *detailView) cutLine() string {
	n := v.tree.GetCurrentNode()
	if n == nil {
		return ""
	}
	text, ok := v.texts[n]
	if !ok {
		return ""
	}
	_, _, w, _ := v.tree.GetInnerRect()
	// tview indents 2 cells a level below the top one; 2 for the expander
	if (n.GetLevel()-1)*2+2+textWidth(text) <= w {
		return ""
	}
	return text
}
