package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// Size of the save / export dialog.
const (
	saveWidth  = 76
	saveHeight = 8
)

// defaultSavePath is the file Ctrl-S and x offer: in the current
// directory, named after the time, so two saves never collide.
func defaultSavePath(now time.Time) string {
	return "./wirelens-" + now.Format("20060102-150405") + ".pcapng"
}

// saveFormat is the file format a path asks for: classic pcap for a name
// ending in .pcap (or .cap), else pcapng, which keeps everything.
func saveFormat(path string) string {
	switch strings.ToLower(filepath.Ext(strings.TrimSpace(path))) {
	case ".pcap", ".cap":
		return "pcap"
	}
	return "pcapng"
}

// otherFormat renames path to the other format's extension (Ctrl-O).
func otherFormat(path string) string {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	if saveFormat(path) == "pcap" {
		return base + ".pcapng"
	}
	if ext != ".pcapng" {
		base = path
	}
	return base + ".pcap"
}

// saveDialog asks where to save which packets: Ctrl-S (save) and x
// (Wireshark's Export Specified Packets) are the same dialog. It offers all
// packets, those a display filter shows, the marked ones and a range of
// packet numbers; the format follows the file name (.pcap or pcapng).
type saveDialog struct {
	root    *tview.Flex
	input   *tview.InputField
	choice  *tview.TextView
	rangeIn *tview.InputField
	format  *tview.TextView
	th      *theme

	all, shown int   // packets captured; shown by the filter, -1 without one
	marked     int   // packets marked with m
	picks      []int // the choices offered (saveAll, saveShown, saveMarked, saveRange)
	pick       int   // index into picks

	setFocus func(p tview.Primitive)
	onSave   func(path string, what int, ranges string)
	onClose  func()
}

func newSaveDialog(th *theme) *saveDialog {
	d := &saveDialog{th: th}
	d.input = tview.NewInputField().SetLabel("File: ")
	d.input.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	d.input.SetChangedFunc(func(string) { d.updateFormat() })
	d.choice = tview.NewTextView().SetDynamicColors(true).SetWrap(false)
	d.choice.SetTextStyle(th.base)
	d.rangeIn = tview.NewInputField().SetLabel("Range: ").SetPlaceholder("e.g. 10-200,305 (Tab to choose range)")
	d.rangeIn.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header).SetPlaceholderStyle(th.dim)
	d.format = tview.NewTextView().SetWrap(false)
	d.format.SetTextStyle(th.base)
	keys := tview.NewTextView().SetWrap(false).
		SetText("Enter save   Tab which packets   Ctrl-O pcap/pcapng   Esc cancel")
	keys.SetTextStyle(th.base.Dim(true))
	d.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(d.input, 1, 0, true).
		AddItem(d.choice, 1, 0, false).
		AddItem(d.rangeIn, 1, 0, false).
		AddItem(d.format, 1, 0, false).
		AddItem(tview.NewBox(), 1, 0, false).
		AddItem(keys, 1, 0, false)
	d.root.SetBorder(true).SetTitle(" Save packets ")
	d.input.SetInputCapture(d.keys)
	d.rangeIn.SetInputCapture(d.keys)
	return d
}

// What to save.
const (
	saveAll = iota
	saveShown
	saveMarked
	saveRange
)

// open fills the dialog: its title, all packets captured, shown by the
// filter (-1: no filter), marked, the path to offer. The filter's packets
// are offered first when there is one, as Wireshark's "Displayed".
func (d *saveDialog) open(title string, all, shown, marked int, path string) {
	d.root.SetTitle(" " + title + " ")
	d.all, d.shown, d.marked = all, shown, marked
	d.picks, d.pick = []int{saveAll}, 0
	if shown >= 0 {
		d.picks = append(d.picks, saveShown)
		d.pick = 1
	}
	if marked > 0 {
		d.picks = append(d.picks, saveMarked)
	}
	d.picks = append(d.picks, saveRange)
	d.input.SetText(path)
	d.update()
}

func (d *saveDialog) what() int { return d.picks[d.pick] }

func (d *saveDialog) update() {
	mark := func(on bool) string {
		if on {
			return "(•)"
		}
		return "( )"
	}
	if d.th.ascii {
		mark = func(on bool) string {
			if on {
				return "(*)"
			}
			return "( )"
		}
	}
	var text string
	for i, p := range d.picks {
		if i > 0 {
			text += "  "
		}
		on := i == d.pick
		switch p {
		case saveAll:
			text += fmt.Sprintf("%s all %d packets", mark(on), d.all)
		case saveShown:
			text += fmt.Sprintf("%s only the %d shown by the filter", mark(on), d.shown)
		case saveMarked:
			text += fmt.Sprintf("%s only the %d marked", mark(on), d.marked)
		case saveRange:
			text += mark(on) + " range"
		}
	}
	d.choice.SetText(tview.Escape(text))
	d.updateFormat()
	if d.setFocus != nil {
		if d.what() == saveRange {
			d.setFocus(d.rangeIn)
		} else {
			d.setFocus(d.input)
		}
	}
}

func (d *saveDialog) updateFormat() {
	if saveFormat(d.input.GetText()) == "pcap" {
		d.format.SetText("Format: pcap (one link type, microseconds, no comments)")
	} else {
		d.format.SetText("Format: pcapng (interfaces, nanoseconds and comments kept)")
	}
}

func (d *saveDialog) keys(ev *tcell.EventKey) *tcell.EventKey {
	switch ev.Key() {
	case tcell.KeyTab, tcell.KeyBacktab, tcell.KeyUp, tcell.KeyDown:
		dir := 1
		if ev.Key() == tcell.KeyBacktab || ev.Key() == tcell.KeyUp {
			dir = len(d.picks) - 1
		}
		d.pick = (d.pick + dir) % len(d.picks)
		d.update()
		return nil
	case tcell.KeyCtrlO:
		d.input.SetText(otherFormat(d.input.GetText()))
		return nil
	case tcell.KeyEnter:
		if d.onSave != nil {
			d.onSave(d.input.GetText(), d.what(), d.rangeIn.GetText())
		}
		return nil
	case tcell.KeyEscape:
		if d.onClose != nil {
			d.onClose()
		}
		return nil
	}
	return ev
}

// openSave shows the dialog as Ctrl-S.
func (v *view) openSave() { v.openSaveAs("Save packets") }

// openSaveAs shows the save dialog with its title (x: "Export packets").
func (v *view) openSaveAs(title string) {
	switch {
	case v.opts.Save == nil:
		v.message("saving is not available here", true)
		return
	case v.saving:
		v.message("still saving the last packets", true)
		return
	case v.filt.busy():
		v.message("the display filter is still running: save when it is done", true)
		return
	case v.src.Len() == 0:
		v.message("no packets to save yet", true)
		return
	}
	shown := -1
	if v.filt.matcher != nil {
		shown = v.list.n
	}
	v.last = v.app.GetFocus()
	v.pages.ShowPage("save")
	v.save.open(title, v.src.Len(), shown, len(v.list.marked), defaultSavePath(time.Now()))
}

// saveFrames writes the packets chosen in the dialog through Options.Save,
// in the background; the status bar shows the outcome. A bad range keeps
// the dialog open.
func (v *view) saveFrames(path string, what int, ranges string) {
	path = expandHome(strings.TrimSpace(path))
	if path == "" {
		v.message("give a file name", true)
		return
	}
	var frames []int
	switch {
	case what == saveRange:
		var err error
		if frames, err = parseRange(ranges, v.src.Len()); err != nil {
			v.message(errorLine(err), true)
			return
		}
	case what == saveMarked:
		frames = v.markedFrames()
	case what == saveShown && v.filt.matcher != nil:
		frames = slices.Clone(v.list.shown)
	default:
		frames = make([]int, v.src.Len())
		for i := range frames {
			frames[i] = i
		}
	}
	v.closeOverlay("save")
	if len(frames) == 0 {
		v.message("no packets to save", true)
		return
	}
	v.saving = true
	shownPath := decode.Sanitize(path)
	v.message(fmt.Sprintf("saving %d packets to %s…", len(frames), shownPath), false)
	save, src, format := v.opts.Save, v.src, saveFormat(path)
	goSafe(func() {
		err := save(src, path, frames, format)
		v.app.QueueUpdateDraw(func() {
			v.saving = false
			if err != nil {
				// the reason first: a long path is what gets cut
				v.message(fmt.Sprintf("cannot save (%s): %s", saveError(err), shownPath), true)
				return
			}
			what := "packets"
			if len(frames) == 1 {
				what = "packet"
			}
			v.message(fmt.Sprintf("saved %d %s to %s (%s)", len(frames), what, shownPath, format), false)
		})
	})
}

// saveError is the reason a save failed, without the path the message
// already names.
func saveError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return errorLine(err)
}
