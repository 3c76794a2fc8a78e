package ui

import "github.com/wirelens/wirelens/decode"

// warner is a Source that can say what was odd about its file without it
// being damaged (bytes after the gzip data): *capture.Capture is one.
type warner interface {
	Warnings() []string
}

// reportWarnings shows the source's warnings once indexing is done: in the
// message area (the first, with how many more) and as a mark after the
// packet count in the status.
func (v *view) reportWarnings(done bool) {
	w, ok := v.src.(warner)
	if !ok || !done || v.reportedWarn {
		return
	}
	v.reportedWarn = true
	ws := w.Warnings()
	if len(ws) == 0 {
		return
	}
	v.warned = true
	msg := "warning: " + ws[0]
	if len(ws) > 1 {
		msg += " (and more)"
	}
	if !v.reportedErr {
		v.message(decode.Sanitize(msg), false)
	}
}
