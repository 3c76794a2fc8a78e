package capture

import (
	"errors"
	"fmt"
	"os"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
)

// The end of the file before the index reaches it: End on a capture of tens
// of gigabytes shows its last frames at once, found from the file's end
// (capfile's Tail), while the scan is still counting the frames before
// them. Their numbers are unknown until the scan reaches the first of them:
// they are addressed as frames TailFirst, TailFirst+1... (far beyond any
// index), shown without a number, and when the scan meets the first of
// them at index base, frame TailFirst+k is frame base+k.

// TailFirst is the frame index of the first tail frame.
const TailFirst = 1 << 40

// tailMax is how many frames the tail holds: a few screens.
const tailMax = 1024

// tailState is what Tail found and what became of it.
type tailState struct {
	asked  bool
	recs   []capfile.Record // frame TailFirst+k is recs[k]
	skip   int              // 1: recs[0] is not shown, only read for the next frame's delta
	ifaces []*capfile.Interface
	base   int   // index of recs[0] once the scan met it; -1 before
	err    error // why there is no tail, or why it was withdrawn
}

// ErrTailWithdrawn is returned by TailJoined when the scan found frames
// other than those Tail had found.
var ErrTailWithdrawn = errors.New("the packets found from the end of the file are not the file's last packets (it changed, or its end looked like packet records)")

// Tail finds the last frames of the file from its end while the scan has not
// reached them, once (later calls give the same answer): n frames addressed
// from TailFirst on, for Row and Dissect. n == 0 with no error: the index
// has reached the end already, or is about to. An error says why the end
// cannot be shown before the index reaches it (a compressed file, a pipe, a
// growing file, an end that cannot be told apart from packet bytes).
func (c *Capture) Tail() (first, n int, err error) {
	c.mu.Lock()
	t := &c.tail
	switch {
	case t.asked:
		defer c.mu.Unlock()
		return TailFirst + t.skip, len(t.recs) - t.skip, t.err
	case c.done || c.frames.n == 0:
		// Nothing to find, or nothing yet to show it against.
		c.mu.Unlock()
		return TailFirst, 0, nil
	}
	t.asked = true
	c.mu.Unlock()
	recs, ifaces, skip, err := c.findTail()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		t.err = err
		return TailFirst, 0, err
	}
	if len(recs) == 0 || c.done || c.frames.last.dataOff >= recs[0].DataOff {
		// The scan got there first, or is about to.
		return TailFirst, 0, nil
	}
	t.recs, t.ifaces, t.skip = recs, ifaces, skip
	c.tailFrom.Store(recs[0].Offset)
	return TailFirst + skip, len(recs) - skip, nil
}

// findTail reads the tail with a reader of its own; skip is 1 when the
// first record is there only for the second's delta.
func (c *Capture) findTail() (recs []capfile.Record, ifaces []*capfile.Interface, skip int, err error) {
	switch {
	case c.stream:
		return nil, nil, 0, errors.New("the capture is read from a pipe")
	case c.rd.Compressed():
		return nil, nil, 0, fmt.Errorf("the file is %s-compressed", c.rd.Codec())
	case c.path == "":
		return nil, nil, 0, errors.New("the file cannot be re-read in place")
	}
	st, err := os.Stat(c.path)
	if err != nil {
		return nil, nil, 0, err
	}
	if st.Size() != c.size {
		return nil, nil, 0, errors.New("the file is growing")
	}
	rd, err := capfile.Open(c.path, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, nil, 0, err
	}
	defer rd.Close()
	recs, err = rd.Tail(st.Size(), tailMax+1)
	if err != nil {
		return nil, nil, 0, err
	}
	if len(recs) == tailMax+1 {
		skip = 1
	}
	ifs := rd.Interfaces()
	ifaces = make([]*capfile.Interface, len(ifs))
	for k := range ifs {
		ifc := ifs[k]
		ifaces[k] = &ifc
	}
	return recs, ifaces, skip, nil
}

// TailJoined says what became of the tail: once the scan has indexed every
// tail frame, the index of the first one shown (joined); done is the share
// of the file scanned so far, for the status bar; err is ErrTailWithdrawn
// when the scan found other frames there.
func (c *Capture) TailJoined() (base int, joined bool, done float64, err error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t := &c.tail
	if c.size > 0 && c.frames.n > 0 {
		done = min(float64(c.frames.last.dataOff+int64(c.frames.last.capLen))/float64(c.size), 1)
	}
	if len(t.recs) == 0 {
		return 0, false, done, nil
	}
	if t.err != nil {
		return 0, false, done, t.err
	}
	if t.base < 0 || c.frames.n < t.base+len(t.recs) {
		return 0, false, done, nil
	}
	return t.base + t.skip, true, done, nil
}

// meetTail runs in the scan for every record at or past the tail's first
// frame's offset; i is the record's index. It joins the tail on its first
// frame and withdraws it if the scan's frames are not the tail's.
func (c *Capture) meetTail(rec *capfile.Record, i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &c.tail
	if len(t.recs) == 0 || t.err != nil {
		c.tailFrom.Store(noTailFrom)
		return
	}
	k := 0
	if t.base >= 0 {
		k = i - t.base
	}
	if k >= len(t.recs) {
		c.tailFrom.Store(noTailFrom)
		return
	}
	if !sameRecord(rec, &t.recs[k]) {
		t.err = ErrTailWithdrawn
		c.tailFrom.Store(noTailFrom)
		return
	}
	if k == 0 {
		t.base = i
	}
}

// endTail runs when the scan ends: a tail it never fully met is withdrawn.
func (c *Capture) endTail() {
	t := &c.tail
	if len(t.recs) > 0 && t.err == nil && (t.base < 0 || c.frames.n < t.base+len(t.recs)) {
		t.err = ErrTailWithdrawn
	}
}

const noTailFrom = int64(1<<63 - 1)

func sameRecord(a, b *capfile.Record) bool {
	return a.Offset == b.Offset && a.DataOff == b.DataOff && a.CapLen == b.CapLen && a.OrigLen == b.OrigLen &&
		a.Timestamp == b.Timestamp && a.Interface == b.Interface && a.LinkType == b.LinkType && a.Flags == b.Flags
}

// tailFrame builds tail frame k (i = TailFirst+k) without its bytes; ok is
// false when there is no such frame. Its number is 0: pending. The caller
// holds the lock.
func (c *Capture) tailFrame(i int) (decode.Frame, bool) {
	t := &c.tail
	k := i - TailFirst
	if k < 0 || k >= len(t.recs) || (t.err != nil) {
		return decode.Frame{}, false
	}
	rec := t.recs[k]
	prev := rec.Timestamp
	if k > 0 {
		prev = t.recs[k-1].Timestamp
	}
	first := c.frames.first
	var iface *capfile.Interface
	if int(rec.Interface) < len(t.ifaces) {
		iface = t.ifaces[rec.Interface]
	}
	return decode.Frame{Record: rec, RelTime: capfile.SubTime(rec.Timestamp, first), Delta: capfile.SubTime(rec.Timestamp, prev), Iface: iface}, true
}
