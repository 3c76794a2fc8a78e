package output

import (
	"fmt"
	"io"
	"time"
)

// Progress shows how far a long batch run has got, on one line it rewrites
// (packets, percent, rate, time left), at most four times a second. It is
// meant for a terminal: the caller gives it one only when standard error
// is a terminal and the line would not land among the packets printed.
type Progress struct {
	w      io.Writer
	total  int64 // bytes to read; 0 when unknown (gzip, a pipe)
	start  time.Time
	last   time.Time
	shown  bool
	frames int
}

// NewProgress writes progress to w; total is the size of the input in the
// units Update's offset counts (bytes of the uncompressed stream), or 0.
func NewProgress(w io.Writer, total int64) *Progress {
	now := time.Now()
	return &Progress{w: w, total: total, start: now, last: now}
}

// progressDelay: runs shorter than this print nothing.
const progressDelay = time.Second

// Update records that packets frames (offset bytes) have been read. Cheap
// when nothing is due: callers call it every few thousand frames.
func (p *Progress) Update(packets int, offset int64) {
	if p == nil {
		return
	}
	p.frames = packets
	now := time.Now()
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	p.shown = true
	el := now.Sub(p.start).Seconds()
	line := fmt.Sprintf("%s packets", group(packets))
	if p.total > 0 && offset > 0 {
		frac := min(float64(offset)/float64(p.total), 1)
		left := time.Duration(el / frac * (1 - frac) * float64(time.Second))
		line += fmt.Sprintf(", %.0f%%, %s packets/s, %s left", frac*100, group(int(float64(packets)/el)), clock(left))
	} else {
		line += fmt.Sprintf(", %s packets/s", group(int(float64(packets)/el)))
	}
	// \r and erase-to-end-of-line: the line is rewritten in place.
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
}

// Done erases the progress line, if one was shown.
func (p *Progress) Done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

func group(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
