// Package capture keeps an index of a capture file for the terminal UI:
// where each frame is and which checksums fail, built by a scan and a
// verdict pass in the background while the frames already indexed are
// shown. Frames are read again by offset and dissected on demand, so memory
// follows what is on screen, not the file.
package capture

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// ProtoSet is a set of checksum protocols, bit i for decode.ChecksumProtos[i].
type ProtoSet uint16

func protoBit(proto string) ProtoSet {
	for i, p := range decode.ChecksumProtos {
		if p == proto {
			return 1 << i
		}
	}
	return 0
}

// validatedSet is the set of protocols p validates.
func validatedSet(p prefs.Prefs) ProtoSet {
	var s ProtoSet
	for i, proto := range decode.ChecksumProtos {
		if p.Validates(proto) {
			s |= 1 << i
		}
	}
	return s
}

// allOn validates everything, so the index records every bad checksum once
// and preference changes only mask it.
func allOn(p prefs.Prefs) prefs.Prefs {
	for _, proto := range decode.ChecksumProtos {
		p.SetValidates(proto, true)
	}
	return p
}

type extraMeta struct {
	comments        []string
	dropCount       uint64
	commentsDropped uint32
}

// Capture is an indexed capture file. Indexing runs in the background;
// every method is safe to call meanwhile, and Close stops it.
type Capture struct {
	name string
	rd   *capfile.Reader
	path string // re-opened for the verdict pass when it is a regular file
	size int64  // of the file at path when opened
	// stream: packets arrive as they are captured (a pipe, live capture),
	// so each is published at once instead of in batches.
	stream bool
	// src, when not nil, is closed first by Close: it interrupts a scan
	// blocked reading a pipe, which nothing else would wake.
	src io.Closer

	mu       sync.RWMutex
	frames   frameIndex
	verdicts verdictTable // one per frame analysed: checksum verdicts and conversation state are known
	extra    map[int]extraMeta
	done     bool // the scan reached the end of the file
	// following: the scan waits at the end of a plain file for it to grow
	// (tcpdump -U -w); growing: it did grow since it was first read to the
	// end, and is still followed (follow.go).
	following, growing bool
	warnings           []string // what was odd about the file but not damage, once done
	err                error
	prefs              prefs.Prefs
	mask               ProtoSet
	ifaces             []*capfile.Interface
	rows               map[int]decode.Row
	closed             bool          // Close has begun: no new background pass starts
	closeCh            chan struct{} // closed by Close: every background pass stops
	scanned            chan struct{} // signalled (non-blocking) when the scan publishes frames
	// passes counts the background goroutines (scan, analyze, and the
	// Filter and Report runs): Close waits for them before it releases the
	// reader they use.
	passes    sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	tail tailState // the file's end, found before the scan reached it (tail.go)
	// tailFrom is the offset of the tail's first record: the scan checks
	// the records from there against the tail (noTailFrom: none to check).
	tailFrom atomic.Int64

	dmu sync.Mutex // guards ds (re-dissection for the UI)
	ds  *decode.Dissector
	// the verdict pass's dissector: shares conversation state with ds
	ids *decode.Dissector
	// tds dissects tail frames: without conversation state, which the
	// frames before them would have built (made when first needed)
	tds *decode.Dissector
}

const rowCacheMax = 4096

// afterFlush, set by tests before Open, runs in the scan after each batch
// it publishes: a test holds the scan there to see the capture mid-scan.
var afterFlush func()

// Open opens path ("-" for standard input) and starts indexing it.
func Open(path string, p prefs.Prefs) (*Capture, error) {
	if path == "-" {
		return openStdin(p)
	}
	rd, err := capfile.Open(path, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, err
	}
	return newCapture(rd, path, false, nil, p), nil
}

// openStdin reads standard input. A regular file there is re-read in place
// like any file; a pipe or terminal is read through an io.Pipe, so Close can
// interrupt a scan waiting for the next packet (a read of a blocking
// descriptor cannot be interrupted; the copying goroutine is left waiting
// on it, holding nothing else).
func openStdin(p prefs.Prefs) (*Capture, error) {
	if st, err := os.Stdin.Stat(); err == nil && st.Mode().IsRegular() {
		rd, err := capfile.Open("-", capfile.Options{RandomAccess: true})
		if err != nil {
			return nil, err
		}
		return newCapture(rd, "-", true, nil, p), nil
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, os.Stdin)
		pw.CloseWithError(err)
	}()
	rd, err := capfile.NewReader(pr, "-", capfile.Options{RandomAccess: true})
	if err != nil {
		pr.Close()
		return nil, err
	}
	return newCapture(rd, "-", true, pr, p), nil
}

// OpenStream reads a capture as it arrives on r (a pipe from tcpdump -U -w
// -, or wirelens's own live capture), showing each frame as soon as it is
// read; name is used in messages. If r is an io.Closer, Close closes it to
// stop the scan waiting for more.
func OpenStream(r io.Reader, name string, p prefs.Prefs) (*Capture, error) {
	rd, err := capfile.NewReader(r, name, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, err
	}
	src, _ := r.(io.Closer)
	return newCapture(rd, name, true, src, p), nil
}

func newCapture(rd *capfile.Reader, path string, stream bool, src io.Closer, p prefs.Prefs) *Capture {
	c := &Capture{}
	c.stream = stream
	c.src = src
	c.name = path
	c.rd = rd
	c.prefs = p
	c.mask = validatedSet(p)
	c.extra = map[int]extraMeta{}
	c.rows = map[int]decode.Row{}
	c.closeCh = make(chan struct{})
	c.scanned = make(chan struct{}, 1)
	c.ids = decode.NewDissector(allOn(p))
	c.ids.Summary = false
	// The verdict pass reads only checksums and hints (and teaches the
	// conversation state, which does not depend on the fields kept).
	c.ids.Want([]*decode.FieldDef{})
	c.ds = c.ids.Sibling()
	c.ds.Prefs = p
	c.ds.Summary = true
	c.ds.Frozen = true
	if st, err := os.Stat(path); !stream && err == nil && st.Mode().IsRegular() && !rd.Compressed() {
		c.path, c.size = path, st.Size()
	}
	c.tail.base = -1
	c.tailFrom.Store(noTailFrom)
	c.passes.Add(2)
	go c.scan()
	go c.analyze()
	return c
}

// begin registers a background pass; false once Close has begun.
func (c *Capture) begin() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.passes.Add(1)
	return true
}

// scan reads the file once, recording where each frame is, and publishes
// frames in batches: End reaches the last frame as fast as the file can be
// read, while analyze catches up behind it.
func (c *Capture) scan() {
	defer c.passes.Done()
	batch := make([]frameMeta, 0, 4096)
	var batchExtra map[int]extraMeta
	n := 0
	flush := func() {
		c.mu.Lock()
		for _, fi := range batch {
			c.frames.add(fi)
		}
		for k, v := range batchExtra {
			c.extra[k] = v
		}
		if ifs := c.rd.Interfaces(); len(ifs) != len(c.ifaces) {
			// A block once read does not change: copies made once serve
			// every frame (Frame.Iface points at them).
			c.ifaces = make([]*capfile.Interface, len(ifs))
			for k := range ifs {
				ifc := ifs[k]
				c.ifaces[k] = &ifc
			}
		}
		c.mu.Unlock()
		batch = batch[:0]
		batchExtra = nil
		select {
		case c.scanned <- struct{}{}:
		default:
		}
		if afterFlush != nil {
			afterFlush()
		}
	}
	for {
		select {
		case <-c.closeCh:
			return
		default:
		}
		rec, _, err := c.rd.Next()
		if err != nil {
			select {
			case <-c.closeCh:
				return // the error is Close interrupting the read
			default:
			}
			flush()
			if c.path != "" && (errors.Is(err, io.EOF) || capfile.CutShort(err)) && c.waitGrowth(err) {
				continue
			}
			c.mu.Lock()
			c.done, c.following = true, false
			c.endTail()
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
			c.warnings = c.rd.Warnings()
			c.mu.Unlock()
			return
		}
		n++
		if rec.Offset >= c.tailFrom.Load() {
			c.meetTail(&rec, n-1)
		}
		extra := len(rec.Comments) > 0 || rec.DropCount != 0 || rec.CommentsDropped != 0
		batch = append(batch, frameMeta{dataOff: rec.DataOff, ts: rec.Timestamp, capLen: rec.CapLen, origLen: rec.OrigLen,
			flags: rec.Flags, hasFlags: rec.HasFlags, iface: rec.Interface, linkType: rec.LinkType, dir: rec.Direction, extra: extra})
		if extra {
			if batchExtra == nil {
				batchExtra = map[int]extraMeta{}
			}
			batchExtra[n-1] = extraMeta{comments: rec.Comments, dropCount: rec.DropCount, commentsDropped: rec.CommentsDropped}
		}
		if len(batch) == cap(batch) || c.stream {
			flush()
		}
	}
}

// analyze dissects every frame in capture order, behind the scan: it
// records which checksums are bad (with every protocol validated, so a
// preference change only masks the result) and teaches the conversation
// table what later frames need (relative sequence numbers, reassembly).
func (c *Capture) analyze() {
	defer c.passes.Done()
	var d decode.Dissection
	var seq *capfile.Reader
	if c.path != "" {
		// A second sequential reader is far cheaper than a pread per frame.
		if r, err := capfile.Open(c.path, capfile.Options{}); err == nil {
			seq = r
			defer seq.Close()
		}
	}
	var buf []byte
	out := make([]verdict, 0, 4096)
	var frames []decode.Frame
	i := 0
	publish := func() {
		c.mu.Lock()
		for _, v := range out {
			c.verdicts.add(v)
		}
		c.mu.Unlock()
		out = out[:0]
	}
	freed := false
	for {
		c.mu.RLock()
		total, done := c.frames.n, c.done
		c.mu.RUnlock()
		if i >= total {
			publish()
			if done && !freed {
				// Indexing peaks at about twice the heap it leaves (the
				// collector's headroom while the tables grow); hand the
				// difference back now rather than hold it for the session.
				debug.FreeOSMemory()
				freed = true
			}
			c.mu.RLock()
			following := c.following
			c.mu.RUnlock()
			if done && !following {
				return
			}
			// While the scan reads, look again now and then; at the end
			// of a file being followed, only its signal (a flush after
			// the file grew) is worth waking for.
			var wake <-chan time.Time
			if !done {
				wake = time.After(50 * time.Millisecond)
			}
			select {
			case <-c.closeCh:
				return
			case <-c.scanned:
			case <-wake:
			}
			continue
		}
		frames = c.frameRange(i, min(total, i+cap(out)-len(out)), frames[:0])
		for k := range frames {
			select {
			case <-c.closeCh:
				return
			default:
			}
			fr := &frames[k]
			var err error
			if seq != nil {
				err = c.readFrom(fr, seq)
			} else {
				buf, err = c.readFrame(fr, buf)
			}
			if err != nil {
				// The file changed under us; the frames stay listed, unjudged.
				seq = nil
				out = append(out, verdict{})
				continue
			}
			c.ids.Dissect(fr, &d)
			var v verdict
			for k := range d.Checksums {
				ck := &d.Checksums[k]
				if ck.Status == decode.StatusBad {
					bit := protoBit(ck.Proto)
					v.bad |= bit
					if decode.OffloadPattern(&d, ck) {
						v.offload |= bit
					}
				}
			}
			out = append(out, v)
		}
		i += len(frames)
		if len(out) == cap(out) {
			publish()
		}
	}
}

// readFrom reads fr's bytes from the sequential reader, which must be at it.
func (c *Capture) readFrom(fr *decode.Frame, r *capfile.Reader) error {
	rec, data, err := r.Next()
	if err != nil {
		return err
	}
	if rec.DataOff != fr.Record.DataOff {
		return errors.New("the file changed while it was being read")
	}
	fr.Data = data
	return nil
}

// Name is the file name as given.
func (c *Capture) Name() string { return c.name }

// Len is the number of frames indexed so far.
func (c *Capture) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.frames.n
}

// Indexing reports whether the whole file has been read and the damage found
// at its end, if any (every good frame before it stays available).
func (c *Capture) Indexing() (done bool, err error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.done && c.verdicts.n == c.frames.n, c.err
}

// Warnings says what was odd about the file without making it damaged
// (bytes after the gzip data), once the scan has reached its end.
func (c *Capture) Warnings() []string {
	c.mu.RLock()
	w := c.warnings[:len(c.warnings):len(c.warnings)]
	c.mu.RUnlock()
	return append(w, c.ids.StateWarnings()...)
}

// Prefs returns the preferences in force.
func (c *Capture) Prefs() prefs.Prefs {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.prefs
}

// SetPrefs changes the preferences; rows and trees follow at once, without
// re-reading the file.
func (c *Capture) SetPrefs(p prefs.Prefs) {
	c.mu.Lock()
	c.prefs = p
	c.mask = validatedSet(p)
	c.rows = map[int]decode.Row{}
	c.mu.Unlock()
	c.dmu.Lock()
	c.ds.Prefs = p
	if c.tds != nil {
		c.tds.Prefs = p
	}
	c.dmu.Unlock()
}

// frameAt rebuilds frame i's Frame from the index, without its bytes, and
// says whether the verdict pass has been over it.
func (c *Capture) frameAt(i int) (decode.Frame, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i >= TailFirst-1 {
		if fr, ok := c.tailFrame(i); ok {
			return fr, false, nil
		}
		return decode.Frame{}, false, fmt.Errorf("the packets found at the end of %s are no longer shown", c.name)
	}
	if i < 0 || i >= c.frames.n {
		return decode.Frame{}, false, fmt.Errorf("no frame %d in %s", i+1, c.name)
	}
	cur := c.frames.at(max(i-1, 0))
	m := cur.next()
	prev := m.ts
	if i > 0 {
		m = cur.next()
	}
	return c.frameOf(i, &m, prev), i < c.verdicts.n, nil
}

// frameRange appends frames [from, to) (to clamped to the frames indexed)
// to dst, decoding the index in order.
func (c *Capture) frameRange(from, to int, dst []decode.Frame) []decode.Frame {
	c.mu.RLock()
	defer c.mu.RUnlock()
	to = min(to, c.frames.n)
	if from < 0 || from >= to {
		return dst
	}
	cur := c.frames.at(max(from-1, 0))
	prev := c.frames.first
	if from > 0 {
		prev = cur.next().ts
	}
	for i := from; i < to; i++ {
		m := cur.next()
		dst = append(dst, c.frameOf(i, &m, prev))
		prev = m.ts
	}
	return dst
}

// frameOf builds frame i from its index entry; prev is the previous frame's
// timestamp. The caller holds the lock.
func (c *Capture) frameOf(i int, m *frameMeta, prev int64) decode.Frame {
	var ex extraMeta
	if m.extra {
		ex = c.extra[i]
	}
	var iface *capfile.Interface
	if int(m.iface) < len(c.ifaces) {
		iface = c.ifaces[m.iface]
	}
	rec := capfile.Record{DataOff: m.dataOff, Timestamp: m.ts, CapLen: m.capLen, OrigLen: m.origLen,
		LinkType: m.linkType, Interface: m.iface, Flags: m.flags, HasFlags: m.hasFlags, Direction: m.dir,
		Comments: ex.comments, DropCount: ex.dropCount, CommentsDropped: ex.commentsDropped}
	return decode.Frame{Number: i + 1, Record: rec, RelTime: capfile.SubTime(m.ts, c.frames.first), Delta: capfile.SubTime(m.ts, prev), Iface: iface}
}

var errClosed = errors.New("the capture is closed")

// frame rebuilds frame i and reads its bytes into buf.
func (c *Capture) frame(i int, buf []byte) (decode.Frame, []byte, error) {
	fr, _, err := c.frameAt(i)
	if err != nil {
		return fr, buf, err
	}
	buf, err = c.readFrame(&fr, buf)
	return fr, buf, err
}

// readFrame reads fr's bytes into buf.
func (c *Capture) readFrame(fr *decode.Frame, buf []byte) ([]byte, error) {
	c.mu.RLock()
	closed := c.closed
	c.mu.RUnlock()
	if closed {
		return buf, fmt.Errorf("reading frame %d of %s: %w", fr.Number, c.name, errClosed)
	}
	data, err := c.rd.ReadFrame(&fr.Record, buf)
	if err != nil {
		return buf, err
	}
	fr.Data = data
	return data, nil
}

// Dissect returns the full field tree of frame i (0-based); its Data holds
// the frame bytes.
func (c *Capture) Dissect(i int) (*decode.Dissection, error) {
	d, _, err := c.dissectFor(i)
	return d, err
}

// dissectFor dissects frame i for display. A frame the verdict pass has not
// reached is dissected frozen: it may lack conversation context for now
// (say whether with the second result), but leaves nothing wrong behind.
func (c *Capture) dissectFor(i int) (*decode.Dissection, bool, error) {
	fr, _, err := c.frame(i, nil)
	if err != nil {
		return nil, false, err
	}
	c.mu.RLock()
	final := i < c.verdicts.n
	c.mu.RUnlock()
	d := &decode.Dissection{}
	c.dmu.Lock()
	ds := c.ds
	if i >= TailFirst {
		if c.tds == nil {
			c.tds = decode.NewDissector(c.ds.Prefs)
			c.tds.Summary, c.tds.Frozen = true, true
		}
		ds = c.tds
	}
	ds.Dissect(&fr, d)
	c.dmu.Unlock()
	return d, final, nil
}

// Row returns the list row of frame i (0-based) under the current preferences.
func (c *Capture) Row(i int) decode.Row {
	c.mu.RLock()
	r, ok := c.rows[i]
	c.mu.RUnlock()
	if ok {
		return r
	}
	d, final, err := c.dissectFor(i)
	if err != nil {
		num := i + 1
		if i >= TailFirst-1 {
			num = 0 // pending
		}
		return decode.Row{Summary: decode.Summary{Number: num, Protocol: "?", Info: decode.Sanitize(err.Error())}}
	}
	r = decode.RowOf(d)
	if final {
		c.mu.Lock()
		if len(c.rows) >= rowCacheMax {
			c.rows = map[int]decode.Row{}
		}
		c.rows[i] = r
		c.mu.Unlock()
	}
	return r
}

// BadCount returns how many frames have at least one Bad checksum under the
// current preferences, among those indexed so far.
func (c *Capture) BadCount() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.verdicts.badCount(c.mask)
}

// NextBad returns the index of the next (dir=+1) or previous (dir=-1) frame
// after i with a Bad checksum, or -1.
func (c *Capture) NextBad(i, dir int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if dir >= 0 {
		dir = 1
	} else {
		dir = -1
	}
	return c.verdicts.nextBad(i, dir, c.mask)
}

// Filter runs m over every indexed frame and returns the matching indices.
// progress, if not nil, is called now and then with frames done and total;
// stop, if closed, abandons the run (returning nil, false), as Close does.
func (c *Capture) Filter(m decode.Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	return c.filterRange(m, 0, c.Len(), progress, stop)
}

// FilterRange runs m over frames from to to-1 only (to is clamped to the
// frames indexed), as Filter does over all of them: a live capture's filter
// then follows new frames without going over the old ones again.
func (c *Capture) FilterRange(m decode.Matcher, from, to int, stop <-chan struct{}) ([]int, bool) {
	return c.filterRange(m, from, to, nil, stop)
}

func (c *Capture) filterRange(m decode.Matcher, from, total int, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	var out []int
	base := c.frozenSibling()
	mk := func() *decode.Dissector {
		ds := base.Sibling()
		ds.Summary, ds.Frozen = false, true
		if sm, ok := m.(decode.SummaryMatcher); ok && sm.NeedsSummary() {
			ds.Summary = true
		}
		ds.Want(m.Fields()) // build only what the filter reads
		return ds
	}
	ok := c.each(mk, from, total, progress, stop, func(i int, _ *decode.Frame, d *decode.Dissection) {
		if m.Match(d) {
			out = append(out, i)
		}
	})
	if !ok {
		return nil, false
	}
	return out, true
}

// Report computes the checksum report over every frame indexed when it
// starts, dissected in order under the current preferences, as
// --checksum-report does. progress and stop work as for Filter; a stopped run
// returns nil, false.
//
// It dissects with a frozen sibling, like Filter: the UI's dissector stays
// free for the rows on screen, and the conversation state the verdict pass
// builds is read, never changed.
func (c *Capture) Report(progress func(done, total int), stop <-chan struct{}) (*decode.Report, bool) {
	base := c.frozenSibling()
	mk := func() *decode.Dissector {
		ds := base.Sibling()
		ds.Summary, ds.Frozen = false, true
		return ds
	}
	r := decode.NewReport(base.Prefs)
	if !c.each(mk, 0, c.Len(), progress, stop, func(_ int, fr *decode.Frame, d *decode.Dissection) { r.Add(fr, d) }) {
		return nil, false
	}
	return r, true
}

// Tap dissects every frame indexed when it starts with the whole tree,
// under the current preferences, and hands each to fn in capture order on
// the calling goroutine (the statistics view's pass). progress and stop
// work as for Filter; a stopped run returns false. Like Report it reads the
// conversation state the verdict pass builds and never changes it.
func (c *Capture) Tap(fn func(fr *decode.Frame, d *decode.Dissection), progress func(done, total int), stop <-chan struct{}) bool {
	base := c.frozenSibling()
	mk := func() *decode.Dissector {
		ds := base.Sibling()
		ds.Summary, ds.Frozen = false, true
		return ds
	}
	return c.each(mk, 0, c.Len(), progress, stop, func(_ int, fr *decode.Frame, d *decode.Dissection) { fn(fr, d) })
}

// frozenSibling is a dissector for a pass over the capture on another
// goroutine: the preferences in force now, nothing learnt into the shared
// conversation state.
func (c *Capture) frozenSibling() *decode.Dissector {
	c.dmu.Lock()
	ds := c.ds.Sibling()
	ds.Prefs = c.ds.Prefs
	c.dmu.Unlock()
	ds.Summary = false
	ds.Frozen = true
	return ds
}

// each dissects frames [from, total) and hands each to fn in order,
// reporting progress and giving up (false) when stop closes or the capture
// is closed. On more than one core the frames are dissected by a worker a
// core, each with its own dissector from mk (frozen: the frames are
// independent of one another then) and its own buffers, a chunk at a time;
// fn still sees them one by one, in order, on this goroutine.
func (c *Capture) each(mk func() *decode.Dissector, from, total int, progress func(done, total int), stop <-chan struct{},
	fn func(i int, fr *decode.Frame, d *decode.Dissection)) bool {
	if !c.begin() {
		return false
	}
	defer c.passes.Done()
	total = min(total, c.Len())
	from = max(from, 0)
	workers := runtime.GOMAXPROCS(0)
	if workers == 1 || total-from < 2*passChunkLen {
		return c.eachSequential(mk(), from, total, progress, stop, fn)
	}
	quit := make(chan struct{})
	work := make(chan *passChunk, workers)
	order := make(chan *passChunk, 2*workers)
	pool := make(chan *passChunk, 3*workers)
	for k := 0; k < cap(pool); k++ {
		pool <- &passChunk{}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds := mk()
			for ch := range work {
				c.dissectChunk(ds, ch)
			}
		}()
	}
	// The producer hands out chunks in order; it stops when quit closes.
	go func() {
		defer close(order)
		defer close(work)
		for i := from; i < total; i += passChunkLen {
			select {
			case <-quit:
				return
			default:
			}
			var ch *passChunk
			select {
			case ch = <-pool:
			case <-quit:
				return
			}
			ch.from, ch.to = i, min(total, i+passChunkLen)
			ch.done = make(chan struct{})
			work <- ch
			order <- ch
		}
	}()
	finish := func(ok bool) bool {
		close(quit)
		for range order {
		}
		wg.Wait()
		return ok
	}
	for ch := range order {
		<-ch.done
		select {
		case <-stop:
			return finish(false)
		case <-c.closeCh:
			return finish(false)
		default:
		}
		if ch.closed {
			return finish(false)
		}
		if progress != nil {
			progress(ch.from, total)
		}
		for k := range ch.frames {
			if ch.ok[k] {
				fr := &ch.frames[k]
				fn(fr.Number-1, fr, &ch.ds[k])
			}
		}
		pool <- ch
	}
	finish(true)
	if progress != nil {
		progress(total, total)
	}
	return true
}

const passChunkLen = 128

// passChunk is a run of frames a worker dissects for each.
type passChunk struct {
	from, to int
	frames   []decode.Frame
	ds       []decode.Dissection
	ok       []bool
	bufs     [][]byte
	closed   bool // the capture was closed under the worker
	done     chan struct{}
}

func (c *Capture) dissectChunk(ds *decode.Dissector, ch *passChunk) {
	defer close(ch.done)
	ch.frames = c.frameRange(ch.from, ch.to, ch.frames[:0])
	n := len(ch.frames)
	for len(ch.ds) < n {
		ch.ds = append(ch.ds, decode.Dissection{})
		ch.bufs = append(ch.bufs, nil)
	}
	ch.ok = append(ch.ok[:0], make([]bool, n)...)
	ch.closed = false
	for k := range ch.frames {
		fr := &ch.frames[k]
		data, err := c.readFrame(fr, ch.bufs[k])
		if err != nil {
			if errors.Is(err, errClosed) {
				ch.closed = true
				return
			}
			continue
		}
		ch.bufs[k] = data
		ds.Dissect(fr, &ch.ds[k])
		ch.ok[k] = true
	}
}

// eachSequential is each on one core.
func (c *Capture) eachSequential(ds *decode.Dissector, from, total int, progress func(done, total int), stop <-chan struct{},
	fn func(i int, fr *decode.Frame, d *decode.Dissection)) bool {
	var d decode.Dissection
	var buf []byte
	var frames []decode.Frame
	for i := from; i < total; i += len(frames) {
		select {
		case <-stop:
			return false
		case <-c.closeCh:
			return false
		default:
		}
		if progress != nil {
			progress(i, total)
		}
		frames = c.frameRange(i, min(total, i+4096), frames[:0])
		if len(frames) == 0 {
			break
		}
		for k := range frames {
			fr := &frames[k]
			data, err := c.readFrame(fr, buf)
			if err != nil {
				if errors.Is(err, errClosed) {
					return false
				}
				continue
			}
			buf = data
			ds.Dissect(fr, &d)
			fn(fr.Number-1, fr, &d)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return true
}

// Frame returns frame i's record (as the file gave it; Record.Interface
// indexes Interfaces) and its bytes, for writing the frame out again.
func (c *Capture) Frame(i int) (capfile.Record, []byte, error) {
	fr, data, err := c.frame(i, nil)
	return fr.Record, data, err
}

// Interfaces returns the capture's interfaces read so far (pcapng IDBs; one
// synthetic entry for pcap).
func (c *Capture) Interfaces() []capfile.Interface {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]capfile.Interface, len(c.ifaces))
	for i, ifc := range c.ifaces {
		out[i] = *ifc
	}
	return out
}

// Close stops the background passes (the scan, the verdict pass, any Filter
// or Report run), waits for them, then releases the file. It may be called
// more than once, from any goroutine.
func (c *Capture) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		close(c.closeCh)
		if c.src != nil {
			c.src.Close() // wake a scan waiting on a pipe
		}
		c.passes.Wait()
		c.ids.Close() // the spill file of per-frame state
		c.closeErr = c.rd.Close()
	})
	return c.closeErr
}
