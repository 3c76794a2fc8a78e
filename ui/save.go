package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// Size of the Ctrl-S dialog.
const (
	saveWidth  = 72
	saveHeight = 6
)

// defaultSavePath is the file Ctrl-S offers: in the current directory,
// named after the time, so two saves never collide.
func defaultSavePath(now time.Time) string {
	return "./wirelens-" + now.Format("20060102-150405") + ".pcapng"
}

// saveDialog asks where to save the packets (Ctrl-S) and, when a display
// filter is applied, whether to save all of them or only those shown.
type saveDialog struct {
	root   *tview.Flex
	input  *tview.InputField
	choice *tview.TextView
	th     *theme

	all, shown int   // packets captured; shown by the filter, -1 without one
	marked     int   // packets marked with m
	picks      []int // the choices offered (saveAll, saveShown, saveMarked)
	pick       int   // index into picks

	onSave  func(path string, what int)
	onClose func()
}

func newSaveDialog(th *theme) *saveDialog {
	d := &saveDialog{th: th}
	d.input = tview.NewInputField().SetLabel("File: ")
	d.input.SetFieldStyle(th.base.Underline(true)).SetLabelStyle(th.header)
	d.choice = tview.NewTextView().SetDynamicColors(true).SetWrap(false)
	d.choice.SetTextStyle(th.base)
	keys := tview.NewTextView().SetWrap(false).
		SetText("Enter save   Tab all / shown / marked   Esc cancel   (never overwrites)")
	keys.SetTextStyle(th.base.Dim(true))
	d.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(d.input, 1, 0, true).
		AddItem(d.choice, 1, 0, false).
		AddItem(tview.NewBox(), 1, 0, false).
		AddItem(keys, 1, 0, false)
	d.root.SetBorder(true).SetTitle(" Save packets ")
	d.input.SetInputCapture(d.keys)
	return d
}

// What to save.
const (
	saveAll = iota
	saveShown
	saveMarked
)

// open fills the dialog: all packets captured, shown by the filter (-1:
// no filter), marked, the path to offer. The filter's packets are offered
// first when there is one, as Wireshark's "Displayed".
func (d *saveDialog) open(all, shown, marked int, path string) {
	d.all, d.shown, d.marked = all, shown, marked
	d.picks, d.pick = []int{saveAll}, 0
	if shown >= 0 {
		d.picks = append(d.picks, saveShown)
		d.pick = 1
	}
	if marked > 0 {
		d.picks = append(d.picks, saveMarked)
	}
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
			text += "   "
		}
		on := i == d.pick
		switch p {
		case saveAll:
			text += fmt.Sprintf("%s all %d packets", mark(on), d.all)
		case saveShown:
			text += fmt.Sprintf("%s only the %d shown by the filter", mark(on), d.shown)
		case saveMarked:
			text += fmt.Sprintf("%s only the %d marked", mark(on), d.marked)
		}
	}
	d.choice.SetText(tview.Escape(text))
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
	case tcell.KeyEnter:
		if d.onSave != nil {
			d.onSave(d.input.GetText(), d.what())
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

// openSave shows the Ctrl-S dialog.
func (v *view) openSave() {
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
	v.save.open(v.src.Len(), shown, len(v.list.marked), defaultSavePath(time.Now()))
	v.pages.ShowPage("save")
	v.app.SetFocus(v.save.input)
}

// saveFrames writes the packets chosen in the dialog through Options.Save,
// in the background; the status bar shows the outcome.
func (v *view) saveFrames(path string, what int) {
	path = expandHome(strings.TrimSpace(path))
	if path == "" {
		v.message("give a file name", true)
		return
	}
	var frames []int
	switch {
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
	save := v.opts.Save
	goSafe(func() {
		err := save(path, frames)
		v.app.QueueUpdateDraw(func() {
			v.saving = false
			if err != nil {
				v.message(fmt.Sprintf("cannot save to %s: %s", shownPath, saveError(err)), true)
				return
			}
			what := "packets"
			if len(frames) == 1 {
				what = "packet"
			}
			v.message(fmt.Sprintf("saved %d %s to %s", len(frames), what, shownPath), false)
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
