package capture

import (
	"errors"
	"io"
	"os"
	"time"
)

// Following a growing file: a plain capture file that another program is
// still writing (tcpdump -U -w FILE) is not finished at its end. The scan
// waits there, looking at the file's size five times a second (once a second
// after growIdle without growth), and reads
// on when it grows: new frames appear as with tail -f. A packet record cut
// short at the end is the writer's next packet, half written: it is waited
// for, and reported as damage only when the file stays as it is for
// cutShortGrace. Compressed files, pipes and standard input are read once
// (a pipe's growth arrives by itself: OpenStream).

// How often the size is looked at, and how long a cut-short end may stay
// before it is reported. A file that has not grown for growIdle is looked
// at once a second, as tail -f does: a capture left open overnight on a
// finished file costs nothing, and a writer that starts again shows up
// within a second.
var (
	growPoll      = 200 * time.Millisecond
	growIdle      = 5 * time.Second
	growIdlePoll  = time.Second
	cutShortGrace = time.Second
	statFile      = os.Stat // a test counts the looks
)

// waitGrowth waits at the end of the file (err is io.EOF or a record cut
// short) until it grows, then lets the reader go on: true. False when the
// capture is closed, the file shrank (replaced or truncated: it is not the
// same capture any more) or the reader cannot resume; the scan then ends
// with err.
func (c *Capture) waitGrowth(err error) bool {
	st, serr := os.Stat(c.path)
	if serr != nil {
		return false
	}
	size := st.Size()
	cutShort := !errors.Is(err, io.EOF)
	c.mu.Lock()
	c.done, c.following = true, true
	c.warnings = c.rd.Warnings() // so far: the file is read to its end for now
	c.mu.Unlock()
	reported := false
	since := time.Now()
	t := time.NewTicker(growPoll)
	defer t.Stop()
	idle := false
	for {
		select {
		case <-c.closeCh:
			return false
		case <-t.C:
		}
		if !idle && time.Since(since) >= growIdle {
			idle = true
			t.Reset(growIdlePoll)
		}
		st, serr := statFile(c.path)
		switch {
		case serr != nil || st.Size() < size:
			return false
		case st.Size() > size:
			if !c.rd.Resume() {
				return false
			}
			c.mu.Lock()
			c.growing = true
			if reported {
				c.err = nil // the record was whole after all
			}
			c.mu.Unlock()
			return true
		case cutShort && !reported && time.Since(since) >= cutShortGrace:
			reported = true
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
		}
	}
}

// Growing reports whether the file has grown since it was first read to
// its end and is still being followed.
func (c *Capture) Growing() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.growing && c.following
}
