package ui

import "github.com/wirelens/wirelens/decode"

// reportFlow is the checksum report's place in the packet view: opening it
// over the panes (computing it when it is missing or out of date), closing
// it (stopping a computation nobody looks at), following preference
// changes, and turning Enter on a line into a display filter. The report
// itself (its computation and lines) is reportView, report.go.
type reportFlow struct {
	rv   *reportView
	open bool // shown (maybe under the validation dialog)

	// hooks into the view, set by it
	show       func() // show the page and focus its list
	hide       func() // hide the page and focus the packet list
	validation func() // open the validation dialog
	// compile takes expr through the filter bar (so it shows there, joins
	// the history and n/N walk what it shows); apply runs it and selects
	// frame (-1 none) once it has run.
	compile func(expr string) (decode.Matcher, error)
	apply   func(expr string, m decode.Matcher, frame int)
	message func(text string, isErr bool)
}

func newReportFlow(rv *reportView) *reportFlow {
	f := &reportFlow{rv: rv}
	rv.onAct = f.act
	return f
}

// openReport shows the report, computing it when it is missing or out of
// date (new preferences, more frames).
func (f *reportFlow) openReport() {
	f.open = true
	f.show()
	if f.rv.needsRun() {
		f.rv.start()
	} else {
		f.rv.show()
	}
}

// close hides the report and stops a computation in progress: a million
// frames are not dissected for a view nobody looks at.
func (f *reportFlow) close() {
	f.rv.cancel()
	f.open = false
	f.hide()
}

// recompute is r in the report.
func (f *reportFlow) recompute() { f.rv.start() }

// prefsChanged marks the report out of date; it recomputes now if it is
// open, else when next opened.
func (f *reportFlow) prefsChanged() {
	f.rv.invalidate()
	if f.open {
		f.rv.start()
	}
}

// act runs Enter on a report line: the validation dialog, or a display
// filter, then the frame to select.
func (f *reportFlow) act(a reportAction) {
	if a.prefs {
		f.validation()
		return
	}
	if a.filter == "" {
		return
	}
	m, err := f.compile(a.filter)
	if err != nil {
		f.message("filter: "+errorLine(err), true)
		return
	}
	f.close()
	f.apply(a.filter, m, a.frame)
	f.message("n / N walk the bad checksums shown", false)
}
