package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// Opening another capture without quitting: `o` asks for a path (Tab
// completes it, as a shell does) and shows that file in place of the
// current one; Ctrl-W closes the capture and goes back to the start screen
// (Wireshark's File > Close). Either way the old capture's background work
// (indexing, filter, report, find, ticker) stops and its file is closed; a
// file that does not open leaves the current capture as it was.

// Size of the open dialog.
const (
	openWidth  = 76
	openHeight = 7
)

// openDialog is the path prompt.
type openDialog struct {
	root  *tview.Flex
	input *tview.InputField
	hint  *tview.TextView // completions, or why the file did not open
	th    *theme

	onOpen  func(path string)
	onClose func()
}

func newOpenDialog(th *theme) *openDialog {
	d := &openDialog{th: th}
	d.input = tview.NewInputField().SetLabel("File: ")
	d.input.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	d.input.SetPlaceholder("path of a pcap or pcapng file (Tab completes)").SetPlaceholderStyle(th.dim)
	d.hint = tview.NewTextView().SetWrap(true)
	d.hint.SetTextStyle(th.dim)
	keys := tview.NewTextView().SetWrap(false).SetText("Enter open   Tab complete   Esc cancel")
	keys.SetTextStyle(th.base.Dim(true))
	d.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(d.input, 1, 0, true).
		AddItem(d.hint, 3, 0, false).
		AddItem(keys, 1, 0, false)
	d.root.SetBorder(true).SetTitle(" Open capture ")
	d.input.SetInputCapture(d.keys)
	return d
}

func (d *openDialog) keys(ev *tcell.EventKey) *tcell.EventKey {
	switch ev.Key() {
	case tcell.KeyTab:
		text, cands := completePath(d.input.GetText())
		d.input.SetText(text)
		switch {
		case len(cands) > 1:
			d.setHint(strings.Join(cands, "  "), false)
		case len(cands) == 0:
			d.setHint("no file matches", false)
		default:
			d.setHint("", false)
		}
		return nil
	case tcell.KeyEnter:
		d.onOpen(d.input.GetText())
		return nil
	case tcell.KeyEscape:
		d.onClose()
		return nil
	}
	return ev
}

func (d *openDialog) setHint(text string, isErr bool) {
	st := d.th.dim
	if isErr {
		st = d.th.errMsg
	}
	d.hint.SetTextStyle(st)
	d.hint.SetText(decode.Sanitize(text))
}

// completePath completes the last element of a typed path from the
// directory's entries: the longest prefix they share (a single directory
// gets its slash). It returns the new text and the names that matched
// (directories with a slash), hidden ones only when a dot was typed.
func completePath(text string) (string, []string) {
	dirTyped, base := filepath.Split(text)
	dir := expandHome(dirTyped)
	if dir == "" {
		dir = "."
	}
	if dirTyped == "~" || text == "~" {
		return "~/", nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return text, nil
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, base) || strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, n)); err == nil && st.IsDir() {
				isDir = true
			}
		}
		if isDir {
			n += "/"
		}
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return text, nil
	}
	prefix := names[0]
	for _, n := range names[1:] {
		k := 0
		for k < len(prefix) && k < len(n) && prefix[k] == n[k] {
			k++
		}
		prefix = prefix[:k]
	}
	if len(prefix) < len(base) {
		prefix = base
	}
	return dirTyped + prefix, names
}

// openPrompt is o: the path prompt.
func (v *view) openPrompt() {
	switch {
	case v.cmp != nil:
		v.message("a comparison is shown: quit to open another capture", true)
		return
	case v.opts.Open == nil:
		v.message("opening files is not available here", true)
		return
	}
	v.last = v.app.GetFocus()
	v.openDlg.setHint("", false)
	if v.openDlg.input.GetText() == "" {
		if dir := filepath.Dir(v.opts.FileName); v.opts.FileName != "" && !v.opts.Live && dir != "." {
			v.openDlg.input.SetText(dir + string(filepath.Separator))
		}
	}
	v.pages.ShowPage("open")
	v.app.SetFocus(v.openDlg.input)
}

// openAnother opens path in place of the capture shown; on failure the
// dialog stays with the reason and the capture is kept.
func (v *view) openAnother(text string) {
	path := expandHome(strings.TrimSpace(text))
	if path == "" {
		v.openDlg.setHint("type the path of a capture file", true)
		return
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		v.openDlg.setHint(fmt.Sprintf("%s is a directory (Tab lists it)", path), true)
		return
	}
	src, err := v.opts.Open(path)
	if err != nil {
		v.openDlg.setHint(fmt.Sprintf("cannot open %s: %s", filepath.Base(path), errorLine(err)), true)
		return
	}
	note := ""
	if err := RecordRecent(path); err != nil {
		note = " (recent files not saved: " + errorLine(err) + ")"
	}
	v.pages.HidePage("open")
	v.openDlg.input.SetText("")
	filter := v.filt.expr
	v.leaveSource()
	v.opts.Filter = filter // the display filter stays, as in Wireshark
	v.openSource(src, path, false)
	v.message("opened "+decode.Sanitize(path)+note, note != "")
}

// closeToStart is Ctrl-W: close the capture, show the start screen.
func (v *view) closeToStart() {
	if v.cmp != nil {
		v.message("a comparison is shown: quit to close it", true)
		return
	}
	v.leaveSource()
	v.src = nil
	v.opts.Filter = ""
	v.app.SetBeforeDrawFunc(nil) // the status bar's, which reads the source
	v.buildStart()
}

// leaveSource stops everything that works on the shown capture and closes
// it (the caller may close it again: capture.Capture's Close is
// idempotent).
func (v *view) leaveSource() {
	v.tick.stop()
	v.stopPasses()
	if c, ok := v.src.(io.Closer); ok {
		c.Close()
	}
	v.opened = nil
	v.diss = nil
}
