package ui

// A live capture (Options.Live) differs from a file in three ways: the
// list follows the newest packet until the user moves away from it (End or
// G goes back and follows again), Space freezes the view while the capture
// goes on (the status bar keeps counting), and the display filter follows
// the new frames instead of waiting for the end of the file.
//
// The view state for it lives in view (follow, paused) and in the filter
// run (filterrun.go: its shown is the filter's full result, of which the
// list shows a snapshot while paused).

// refreshLive is refresh for a live capture: n frames are indexed.
func (v *view) refreshLive(n int) {
	if v.paused {
		return
	}
	if v.filt.matcher == nil {
		if n != v.list.n || v.list.shown != nil {
			v.list.setRows(n, nil)
		}
	} else {
		if !v.filt.running && n > v.filt.upto {
			v.extendFilter(n)
		}
		if !v.filt.running && len(v.filt.shown) != v.list.n {
			v.list.setRows(0, v.filt.shown)
		}
	}
	v.followNewest()
}

// followNewest selects the last row when the list follows the newest.
func (v *view) followNewest() {
	if !v.follow || v.list.n == 0 {
		return
	}
	if row, _ := v.list.table.GetSelection(); row != v.list.n {
		v.list.table.Select(v.list.n, 0)
	}
}

// extendFilter runs the display filter over the frames that arrived since
// it last ran (up to frame to) and appends what matches. A source that
// cannot filter a range gets the whole filter again.
func (v *view) extendFilter(to int) {
	ok := v.filt.extend(to, func() {
		if !v.paused {
			v.list.setRows(0, v.filt.shown)
			v.followNewest()
		}
	})
	if !ok {
		v.applyFilter(v.filt.expr, v.filt.matcher)
	}
}

// userMoved runs after the user moved in the list (keys, mouse, goto, n/N):
// the list follows the newest again only when the last row is selected.
// scrolledUp: the wheel moved the view away from the newest.
func (v *view) userMoved(scrolledUp bool) {
	if !v.opts.Live && !v.growing {
		return
	}
	if scrolledUp {
		v.follow = false
		return
	}
	row, _ := v.list.table.GetSelection()
	v.follow = v.list.n > 0 && row == v.list.n
}

// togglePause is Space in a live capture: the view stays as it is while
// the capture goes on (the status bar says "view paused (Space resumes)").
func (v *view) togglePause() {
	v.paused = !v.paused
	v.message("", false)
	if !v.paused {
		v.refresh()
	}
}

// followAgain is End / G in a live capture's list: follow the newest.
func (v *view) followAgain() {
	v.paused, v.follow = false, true
	v.message("", false)
	v.refresh()
	v.followNewest()
}
