package ui

import (
	"fmt"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
)

// timeFormat is the Time column's format, as Wireshark's View > Time
// Display Format; t cycles through them.
type timeFormat int

const (
	timeRelative timeFormat = iota // seconds since the beginning of the capture (or the reference)
	timeOfDay
	timeDateOfDay
	timeUTCDate
	timeEpoch
	timeDeltaCaptured
	timeDeltaDisplayed
	numTimeFormats
)

var timeFormatNames = [numTimeFormats]string{
	"seconds since the beginning of the capture",
	"time of day",
	"date and time of day",
	"UTC date and time of day",
	"seconds since the epoch (1970-01-01)",
	"seconds since the previous captured packet",
	"seconds since the previous displayed packet",
}

// timeWidths are each format's column width.
var timeWidths = [numTimeFormats]int{8, 15, 26, 26, 17, 8, 8}

// framer reads a frame's record: the first one gives absolute times.
type framer interface {
	Frame(i int) (capfile.Record, []byte, error)
}

// timeColumn formats the Time column for the list. It owns the format, the
// time reference (Ctrl-T) and the first frame's absolute time.
type timeColumn struct {
	format timeFormat
	ref    int // frame index of the time reference, -1 none
	loc    *time.Location

	first   int64 // absolute time of frame 0, ns since the epoch
	haveAbs bool
}

func newTimeColumn() *timeColumn { return &timeColumn{ref: -1, loc: time.Local} }

// absolute says whether this format needs the capture's absolute times,
// which the source may not have (the fake in tests): it falls back to
// relative times then.
func (t *timeColumn) absolute() bool {
	return t.format == timeOfDay || t.format == timeDateOfDay || t.format == timeUTCDate || t.format == timeEpoch
}

func (t *timeColumn) loadFirst(src Source) bool {
	if t.haveAbs {
		return true
	}
	f, ok := src.(framer)
	if !ok || src.Len() == 0 {
		return false
	}
	rec, _, err := f.Frame(0)
	if err != nil {
		return false
	}
	t.first, t.haveAbs = rec.Timestamp, true
	return true
}

// text is the Time cell of frame (row r); prev is the previous captured
// frame's row, prevShown the previous displayed one's (ok false: none).
func (t *timeColumn) text(src Source, frame int, r decode.Row, prev, prevShown func() (decode.Row, bool)) string {
	return t.textAs(t.format, src, frame, r, prev, prevShown)
}

// textAs is text in format f (a Time column with a fixed format, %At...).
func (t *timeColumn) textAs(f timeFormat, src Source, frame int, r decode.Row, prev, prevShown func() (decode.Row, bool)) string {
	if frame == t.ref {
		return "*REF*"
	}
	rel := r.Summary.RelTime
	switch f {
	case timeDeltaCaptured, timeDeltaDisplayed:
		get := prev
		if f == timeDeltaDisplayed {
			get = prevShown
		}
		if p, ok := get(); ok {
			return formatRelTime(rel - p.Summary.RelTime)
		}
		return formatRelTime(0)
	case timeOfDay, timeDateOfDay, timeUTCDate, timeEpoch:
		if !t.loadFirst(src) {
			break
		}
		ns := t.first + rel
		at := time.Unix(0, ns)
		switch f {
		case timeOfDay:
			return at.In(t.loc).Format("15:04:05.000000")
		case timeDateOfDay:
			return at.In(t.loc).Format("2006-01-02 15:04:05.000000")
		case timeUTCDate:
			return at.UTC().Format("2006-01-02 15:04:05.000000")
		case timeEpoch:
			return fmt.Sprintf("%d.%06d", ns/1e9, (ns%1e9)/1e3)
		}
	}
	if t.ref >= 0 {
		if rr, ok := t.refRow(src); ok {
			rel -= rr.Summary.RelTime
		}
	}
	return formatRelTime(rel)
}

func (t *timeColumn) refRow(src Source) (decode.Row, bool) {
	if t.ref < 0 || t.ref >= src.Len() {
		return decode.Row{}, false
	}
	return src.Row(t.ref), true
}

// cycleTime is t: the next time format; the status bar names it.
func (v *view) cycleTime() {
	tc := v.list.times
	tc.format = (tc.format + 1) % numTimeFormats
	if tc.absolute() && !tc.loadFirst(v.src) {
		v.message("this capture has no absolute times; "+timeFormatNames[timeRelative], false)
	} else {
		v.message("Time: "+timeFormatNames[tc.format], false)
	}
	v.list.timeChanged()
}

// toggleRef is Ctrl-T: the selected packet becomes the time reference
// (again: no reference), as Wireshark's Set Time Reference.
func (v *view) toggleRef() {
	f := v.list.selected()
	if f < 0 {
		return
	}
	tc := v.list.times
	if tc.ref == f {
		tc.ref = -1
		v.message("no time reference", false)
	} else {
		tc.ref = f
		v.message(fmt.Sprintf("packet %d is the time reference", f+1), false)
	}
	v.list.timeChanged()
}
