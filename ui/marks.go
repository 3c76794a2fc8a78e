package ui

import (
	"fmt"
	"slices"
)

// Marks are Wireshark's marked packets: m marks or unmarks the selected
// one, M and Ctrl-B walk them forward and back; Ctrl-S offers to save them. They belong
// to the list (packetList.marked) and survive filters.

// toggleMark is m.
func (v *view) toggleMark() {
	f := v.list.selected()
	if f < 0 {
		return
	}
	if v.list.marked[f] {
		delete(v.list.marked, f)
	} else {
		v.list.marked[f] = true
	}
	v.message(fmt.Sprintf("%d marked", len(v.list.marked)), false)
}

// markedFrames are the marked frames in order.
func (v *view) markedFrames() []int {
	out := make([]int, 0, len(v.list.marked))
	for f := range v.list.marked {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// nextMark selects the next (dir +1) or previous (-1) marked packet the
// list shows, wrapping around.
func (v *view) nextMark(dir int) {
	marks := v.markedFrames()
	if len(marks) == 0 {
		v.message("no marked packets (m marks one)", false)
		return
	}
	cur := v.list.selected()
	n := len(marks)
	start, _ := slices.BinarySearch(marks, cur)
	for k := 0; k < n; k++ {
		var i int
		if dir > 0 {
			i = start + k
			if i < n && marks[i] == cur {
				continue
			}
		} else {
			i = start - 1 - k
		}
		f := marks[((i%n)+n)%n]
		if f != cur && v.list.selectFrame(f) {
			v.message("", false)
			v.userMoved(false)
			return
		}
	}
	v.message("no other marked packet is shown", false)
}
