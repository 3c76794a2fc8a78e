package decode

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// frameIndex is what the capture keeps per frame: where its bytes are, its
// metadata and which checksums are bad. 40 bytes, so a million frames cost
// 40 MB and nothing else stays in memory.
type frameIndex struct {
	dataOff  int64
	ts       int64
	capLen   uint32
	origLen  uint32
	flags    uint32
	iface    uint32
	linkType uint16
	bad      ProtoSet // checksums that fail when validated
	offload  ProtoSet // bad ones that carry an offload pattern
	hasFlags bool
	dir      capfile.Direction
}

// ProtoSet is a set of checksum protocols, bit i for ChecksumProtos[i].
type ProtoSet uint16

func protoBit(proto string) ProtoSet {
	for i, p := range ChecksumProtos {
		if p == proto {
			return 1 << i
		}
	}
	return 0
}

// validatedSet is the set of protocols p validates.
func validatedSet(p prefs.Prefs) ProtoSet {
	var s ProtoSet
	for i, proto := range ChecksumProtos {
		if p.Validates(proto) {
			s |= 1 << i
		}
	}
	return s
}

// allOn validates everything, so the index records every bad checksum once
// and preference changes only mask it.
func allOn(p prefs.Prefs) prefs.Prefs {
	for _, proto := range ChecksumProtos {
		p.SetValidates(proto, true)
	}
	return p
}

type extraMeta struct {
	comments  []string
	dropCount uint64
}

// chunkBits sizes the index chunks: the index grows a chunk at a time, so
// a million frames never need a 40 MB array copied into an 80 MB one.
const chunkBits = 16

// frameTable is the capture's index, in fixed-size chunks.
type frameTable struct {
	chunks [][]frameIndex
	n      int
}

func (t *frameTable) at(i int) *frameIndex { return &t.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

func (t *frameTable) add(fi frameIndex) {
	if t.n>>chunkBits == len(t.chunks) {
		t.chunks = append(t.chunks, make([]frameIndex, 1<<chunkBits))
	}
	*t.at(t.n) = fi
	t.n++
}

type capture struct {
	name string
	rd   *capfile.Reader
	path string // re-opened for the verdict pass when it is a regular file
	// stream: packets arrive as they are captured (a pipe, live capture),
	// so each is published at once instead of in batches.
	stream bool

	mu       sync.RWMutex
	frames   frameTable
	analyzed int // frames whose checksum verdicts and conversation state are known
	extra    map[int]extraMeta
	done     bool // the scan reached the end of the file
	err      error
	prefs    prefs.Prefs
	mask     ProtoSet
	ifaces   []capfile.Interface
	rows     map[int]Row
	closeCh  chan struct{}
	scanned  chan struct{} // signalled (non-blocking) when the scan publishes frames

	dmu sync.Mutex // guards ds (re-dissection for the UI)
	ds  *Dissector
	// the verdict pass's dissector: shares conversation state with ds
	ids *Dissector
}

const rowCacheMax = 4096

func openCapture(path string, p prefs.Prefs) (*Capture, error) {
	rd, err := capfile.Open(path, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, err
	}
	return newCapture(rd, path, path == "-", p), nil
}

func openCaptureStream(r io.Reader, name string, p prefs.Prefs) (*Capture, error) {
	rd, err := capfile.NewReader(r, name, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, err
	}
	return newCapture(rd, name, true, p), nil
}

func newCapture(rd *capfile.Reader, path string, stream bool, p prefs.Prefs) *Capture {
	c := &Capture{}
	c.stream = stream
	c.name = path
	c.rd = rd
	c.prefs = p
	c.mask = validatedSet(p)
	c.extra = map[int]extraMeta{}
	c.rows = map[int]Row{}
	c.closeCh = make(chan struct{})
	c.scanned = make(chan struct{}, 1)
	c.ids = NewDissector(allOn(p))
	c.ids.Summary = false
	// The verdict pass reads only checksums and hints (and teaches the
	// conversation state, which does not depend on the fields kept).
	c.ids.Want([]*FieldDef{})
	c.ds = c.ids.Sibling()
	c.ds.Prefs = p
	c.ds.Summary = true
	c.ds.Frozen = true
	if st, err := os.Stat(path); !stream && err == nil && st.Mode().IsRegular() && !rd.Compressed() {
		c.path = path
	}
	go c.scan()
	go c.analyze()
	return c
}

// scan reads the file once, recording where each frame is, and publishes
// frames in batches: End reaches the last frame as fast as the file can be
// read, while analyze catches up behind it.
func (c *capture) scan() {
	batch := make([]frameIndex, 0, 4096)
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
		c.ifaces = append(c.ifaces[:0], c.rd.Interfaces()...)
		c.mu.Unlock()
		batch = batch[:0]
		batchExtra = nil
		select {
		case c.scanned <- struct{}{}:
		default:
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
			flush()
			c.mu.Lock()
			c.done = true
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
			c.mu.Unlock()
			return
		}
		n++
		batch = append(batch, frameIndex{dataOff: rec.DataOff, ts: rec.Timestamp, capLen: rec.CapLen, origLen: rec.OrigLen,
			flags: rec.Flags, hasFlags: rec.HasFlags, iface: rec.Interface, linkType: rec.LinkType, dir: rec.Direction})
		if len(rec.Comments) > 0 || rec.DropCount != 0 {
			if batchExtra == nil {
				batchExtra = map[int]extraMeta{}
			}
			batchExtra[n-1] = extraMeta{comments: rec.Comments, dropCount: rec.DropCount}
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
func (c *capture) analyze() {
	var d Dissection
	var seq *capfile.Reader
	if c.path != "" {
		// A second sequential reader is far cheaper than a pread per frame.
		if r, err := capfile.Open(c.path, capfile.Options{}); err == nil {
			seq = r
			defer seq.Close()
		}
	}
	var buf []byte
	type verdict struct{ bad, offload ProtoSet }
	out := make([]verdict, 0, 4096)
	i := 0
	publish := func() {
		c.mu.Lock()
		for k, v := range out {
			fi := c.frames.at(i - len(out) + k)
			fi.bad, fi.offload = v.bad, v.offload
		}
		c.analyzed = i
		c.mu.Unlock()
		out = out[:0]
	}
	for {
		c.mu.RLock()
		total, done := c.frames.n, c.done
		c.mu.RUnlock()
		if i >= total {
			publish()
			if done {
				return
			}
			select {
			case <-c.closeCh:
				return
			case <-c.scanned:
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		select {
		case <-c.closeCh:
			return
		default:
		}
		var fr Frame
		var err error
		if seq != nil {
			fr, err = c.frameFrom(i, seq)
		} else {
			fr, buf, err = c.frame(i, buf)
		}
		if err != nil {
			// The file changed under us; the frames stay listed, unjudged.
			seq = nil
			out = append(out, verdict{})
			i++
			continue
		}
		c.ids.Dissect(&fr, &d)
		var v verdict
		for k := range d.Checksums {
			ck := &d.Checksums[k]
			if ck.Status == StatusBad {
				bit := protoBit(ck.Proto)
				v.bad |= bit
				if OffloadPattern(&d, ck) {
					v.offload |= bit
				}
			}
		}
		out = append(out, v)
		i++
		if len(out) == cap(out) {
			publish()
		}
	}
}

// frameFrom reads frame i from the sequential reader, which must be at it.
func (c *capture) frameFrom(i int, r *capfile.Reader) (Frame, error) {
	rec, data, err := r.Next()
	if err != nil {
		return Frame{}, err
	}
	fr, _, err := c.frameMeta(i)
	if err != nil {
		return Frame{}, err
	}
	if rec.DataOff != fr.Record.DataOff {
		return Frame{}, errors.New("the file changed while it was being read")
	}
	fr.Data = data
	return fr, nil
}

func (c *capture) length() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.frames.n
}

func (c *capture) status() (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.done && c.analyzed == c.frames.n, c.err
}

func (c *capture) getPrefs() prefs.Prefs {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.prefs
}

func (c *capture) setPrefs(p prefs.Prefs) {
	c.mu.Lock()
	c.prefs = p
	c.mask = validatedSet(p)
	c.rows = map[int]Row{}
	c.mu.Unlock()
	c.dmu.Lock()
	c.ds.Prefs = p
	c.dmu.Unlock()
}

// frameMeta rebuilds frame i's Frame from the index, without its bytes.
func (c *capture) frameMeta(i int) (Frame, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i < 0 || i >= c.frames.n {
		return Frame{}, false, fmt.Errorf("no frame %d in %s", i+1, c.name)
	}
	fi := *c.frames.at(i)
	first := c.frames.at(0).ts
	prev := fi.ts
	if i > 0 {
		prev = c.frames.at(i - 1).ts
	}
	ex := c.extra[i]
	var iface *capfile.Interface
	if int(fi.iface) < len(c.ifaces) {
		ifc := c.ifaces[fi.iface]
		iface = &ifc
	}
	rec := capfile.Record{DataOff: fi.dataOff, Timestamp: fi.ts, CapLen: fi.capLen, OrigLen: fi.origLen,
		LinkType: fi.linkType, Interface: fi.iface, Flags: fi.flags, HasFlags: fi.hasFlags, Direction: fi.dir,
		Comments: ex.comments, DropCount: ex.dropCount}
	return Frame{Number: i + 1, Record: rec, RelTime: fi.ts - first, Delta: fi.ts - prev, Iface: iface}, i < c.analyzed, nil
}

// frame rebuilds frame i and reads its bytes into buf.
func (c *capture) frame(i int, buf []byte) (Frame, []byte, error) {
	fr, _, err := c.frameMeta(i)
	if err != nil {
		return fr, buf, err
	}
	data, err := c.rd.ReadFrame(&fr.Record, buf)
	if err != nil {
		return Frame{}, buf, err
	}
	fr.Data = data
	return fr, data, nil
}

func (c *capture) dissect(i int) (*Dissection, error) {
	d, _, err := c.dissectFor(i)
	return d, err
}

// dissectFor dissects frame i for display. A frame the verdict pass has not
// reached is dissected frozen: it may lack conversation context for now
// (say whether with the second result), but leaves nothing wrong behind.
func (c *capture) dissectFor(i int) (*Dissection, bool, error) {
	fr, _, err := c.frame(i, nil)
	if err != nil {
		return nil, false, err
	}
	c.mu.RLock()
	final := i < c.analyzed
	c.mu.RUnlock()
	d := &Dissection{}
	c.dmu.Lock()
	c.ds.Dissect(&fr, d)
	c.dmu.Unlock()
	return d, final, nil
}

func (c *capture) row(i int) Row {
	c.mu.RLock()
	r, ok := c.rows[i]
	c.mu.RUnlock()
	if ok {
		return r
	}
	d, final, err := c.dissectFor(i)
	if err != nil {
		return Row{Summary: Summary{Number: i + 1, Protocol: "?", Info: Sanitize(err.Error())}}
	}
	r = RowOf(d)
	if final {
		c.mu.Lock()
		if len(c.rows) >= rowCacheMax {
			c.rows = map[int]Row{}
		}
		c.rows[i] = r
		c.mu.Unlock()
	}
	return r
}

// RowOf builds the packet-list row of a dissected frame.
func RowOf(d *Dissection) Row {
	r := Row{Summary: d.Summary}
	allOffload := true
	for i := range d.Checksums {
		ck := &d.Checksums[i]
		m := ChecksumMark{Proto: ck.Proto, Status: ck.Status}
		if ck.Status == StatusBad {
			r.Bad = true
			m.Offload = OffloadPattern(d, ck)
			allOffload = allOffload && m.Offload
		}
		r.Checksums = append(r.Checksums, m)
	}
	switch {
	case r.Bad && allOffload:
		r.Class = ColorOffloadChecksum
	case r.Bad:
		r.Class = ColorBadChecksum
	default:
		r.Class = classify(d)
	}
	return r
}

func (c *capture) badCount() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for i := 0; i < c.analyzed; i++ {
		if c.frames.at(i).bad&c.mask != 0 {
			n++
		}
	}
	return n
}

func (c *capture) nextBad(i, dir int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if dir >= 0 {
		dir = 1
	} else {
		dir = -1
	}
	for j := i + dir; j >= 0 && j < c.analyzed; j += dir {
		if c.frames.at(j).bad&c.mask != 0 {
			return j
		}
	}
	return -1
}

func (c *capture) filter(m Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	return c.filterRange(m, 0, c.length(), progress, stop)
}

func (c *capture) filterRange(m Matcher, from, total int, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	var out []int
	ds := c.frozenSibling()
	ds.Want(m.Fields()) // build only what the filter reads
	ok := c.each(ds, from, total, progress, stop, func(i int, _ *Frame, d *Dissection) {
		if m.Match(d) {
			out = append(out, i)
		}
	})
	if !ok {
		return nil, false
	}
	return out, true
}

// report dissects with a frozen sibling, like filter: the UI's dissector
// stays free for the rows on screen, and the conversation state the verdict
// pass builds is read, never changed.
func (c *capture) report(progress func(done, total int), stop <-chan struct{}) (*Report, bool) {
	ds := c.frozenSibling()
	r := NewReport(ds.Prefs)
	if !c.each(ds, 0, c.length(), progress, stop, func(_ int, fr *Frame, d *Dissection) { r.Add(fr, d) }) {
		return nil, false
	}
	return r, true
}

// frozenSibling is a dissector for a pass over the capture on another
// goroutine: the preferences in force now, nothing learnt into the shared
// conversation state.
func (c *capture) frozenSibling() *Dissector {
	c.dmu.Lock()
	ds := c.ds.Sibling()
	ds.Prefs = c.ds.Prefs
	c.dmu.Unlock()
	ds.Summary = false
	ds.Frozen = true
	return ds
}

// each dissects frames [from, total) in order with ds and hands each to
// fn, reporting progress and giving up (false) when stop closes.
func (c *capture) each(ds *Dissector, from, total int, progress func(done, total int), stop <-chan struct{},
	fn func(i int, fr *Frame, d *Dissection)) bool {
	total = min(total, c.length())
	from = max(from, 0)
	var d Dissection
	var buf []byte
	for i := from; i < total; i++ {
		if (i-from)%4096 == 0 {
			select {
			case <-stop:
				return false
			default:
			}
			if progress != nil {
				progress(i, total)
			}
		}
		fr, data, err := c.frame(i, buf)
		if err != nil {
			continue
		}
		buf = data
		ds.Dissect(&fr, &d)
		fn(i, &fr, &d)
	}
	if progress != nil {
		progress(total, total)
	}
	return true
}

func (c *capture) close() error {
	select {
	case <-c.closeCh:
	default:
		close(c.closeCh)
	}
	return c.rd.Close()
}
