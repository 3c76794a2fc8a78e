package ui

// A growing file is a capture file another program is still writing
// (tcpdump -U -w FILE). Nothing needs switching on: when the source says
// the file grew after it was read to its end (capture.Capture follows
// plain files), the view behaves as for a live capture — the list follows
// the newest packet (End or G again after moving away), Space pauses the
// view, the display filter extends over the new frames — and the status
// bar says "● growing".

// growingSource is a Source that follows a file being written.
type growingSource interface {
	Growing() bool
}

// checkGrowing switches to following once the file grows. The list
// follows if it was at the end or still at the first packet (nobody moved
// yet), as tail -f would.
func (v *view) checkGrowing() {
	if v.growing || v.opts.Live {
		return
	}
	g, ok := v.src.(growingSource)
	if !ok || !g.Growing() {
		return
	}
	v.growing = true
	row, _ := v.list.table.GetSelection()
	v.follow = v.list.n == 0 || row <= 1 || row == v.list.n
	v.message("the file is growing: new packets appear as they are written (End follows them)", false)
}
