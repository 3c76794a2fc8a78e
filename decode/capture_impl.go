package decode

import (
	"errors"
	"io"
	"sync"

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

type capture struct {
	name string
	rd   *capfile.Reader

	mu      sync.RWMutex
	frames  []frameIndex
	extra   map[int]extraMeta
	done    bool
	err     error
	prefs   prefs.Prefs
	mask    ProtoSet
	ifaces  []capfile.Interface
	rows    map[int]Row
	closeCh chan struct{}

	dmu sync.Mutex // guards ds and buf (re-dissection for the UI)
	ds  *Dissector
	buf []byte
	// indexer's dissector: shares conversation state with ds
	ids *Dissector
}

const rowCacheMax = 4096

func openCapture(path string, p prefs.Prefs) (*Capture, error) {
	rd, err := capfile.Open(path, capfile.Options{RandomAccess: true})
	if err != nil {
		return nil, err
	}
	c := &Capture{}
	c.name = path
	c.rd = rd
	c.prefs = p
	c.mask = validatedSet(p)
	c.extra = map[int]extraMeta{}
	c.rows = map[int]Row{}
	c.closeCh = make(chan struct{})
	c.ids = NewDissector(allOn(p))
	c.ids.Summary = false
	c.ds = c.ids.Sibling()
	c.ds.Prefs = p
	c.ds.Summary = true
	go c.index()
	return c, nil
}

// index reads the file once in order, dissecting each frame to learn its
// checksum verdicts and conversation state, and publishes frames in batches
// so readers see progress without contending on every frame.
func (c *capture) index() {
	var d Dissection
	batch := make([]frameIndex, 0, 1024)
	var batchExtra map[int]extraMeta
	var first, prev int64
	n := 0
	flush := func() {
		c.mu.Lock()
		c.frames = append(c.frames, batch...)
		for k, v := range batchExtra {
			c.extra[k] = v
		}
		c.ifaces = append(c.ifaces[:0], c.rd.Interfaces()...)
		c.mu.Unlock()
		batch = batch[:0]
		batchExtra = nil
	}
	for {
		select {
		case <-c.closeCh:
			return
		default:
		}
		rec, data, err := c.rd.Next()
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
		if n == 0 {
			first, prev = rec.Timestamp, rec.Timestamp
		}
		n++
		fr := Frame{Number: n, Data: data, Record: rec, RelTime: rec.Timestamp - first, Delta: rec.Timestamp - prev, Iface: c.rd.Interface(rec.Interface)}
		prev = rec.Timestamp
		c.ids.Dissect(&fr, &d)
		fi := frameIndex{dataOff: rec.DataOff, ts: rec.Timestamp, capLen: rec.CapLen, origLen: rec.OrigLen,
			flags: rec.Flags, hasFlags: rec.HasFlags, iface: rec.Interface, linkType: rec.LinkType, dir: rec.Direction}
		for i := range d.Checksums {
			ck := &d.Checksums[i]
			if ck.Status == StatusBad {
				bit := protoBit(ck.Proto)
				fi.bad |= bit
				if OffloadPattern(&d, ck) {
					fi.offload |= bit
				}
			}
		}
		if len(rec.Comments) > 0 || rec.DropCount != 0 {
			if batchExtra == nil {
				batchExtra = map[int]extraMeta{}
			}
			batchExtra[n-1] = extraMeta{comments: rec.Comments, dropCount: rec.DropCount}
		}
		batch = append(batch, fi)
		if len(batch) == cap(batch) {
			flush()
		}
	}
}

func (c *capture) length() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.frames)
}

func (c *capture) status() (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.done, c.err
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

// frame rebuilds frame i's Frame from the index, reading its bytes into buf.
func (c *capture) frame(i int, buf []byte) (Frame, []byte, error) {
	c.mu.RLock()
	if i < 0 || i >= len(c.frames) {
		c.mu.RUnlock()
		return Frame{}, buf, errors.New("no such frame")
	}
	fi := c.frames[i]
	first := c.frames[0].ts
	prev := fi.ts
	if i > 0 {
		prev = c.frames[i-1].ts
	}
	ex := c.extra[i]
	var iface *capfile.Interface
	if int(fi.iface) < len(c.ifaces) {
		ifc := c.ifaces[fi.iface]
		iface = &ifc
	}
	c.mu.RUnlock()
	rec := capfile.Record{DataOff: fi.dataOff, Timestamp: fi.ts, CapLen: fi.capLen, OrigLen: fi.origLen,
		LinkType: fi.linkType, Interface: fi.iface, Flags: fi.flags, HasFlags: fi.hasFlags, Direction: fi.dir,
		Comments: ex.comments, DropCount: ex.dropCount}
	data, err := c.rd.ReadFrame(&rec, buf)
	if err != nil {
		return Frame{}, buf, err
	}
	return Frame{Number: i + 1, Data: data, Record: rec, RelTime: fi.ts - first, Delta: fi.ts - prev, Iface: iface}, data, nil
}

func (c *capture) dissect(i int) (*Dissection, error) {
	fr, _, err := c.frame(i, nil)
	if err != nil {
		return nil, err
	}
	d := &Dissection{}
	c.dmu.Lock()
	c.ds.Dissect(&fr, d)
	c.dmu.Unlock()
	return d, nil
}

func (c *capture) row(i int) Row {
	c.mu.RLock()
	r, ok := c.rows[i]
	c.mu.RUnlock()
	if ok {
		return r
	}
	d, err := c.dissect(i)
	if err != nil {
		return Row{Summary: Summary{Number: i + 1, Protocol: "?", Info: Sanitize(err.Error())}}
	}
	r = RowOf(d)
	c.mu.Lock()
	if len(c.rows) >= rowCacheMax {
		c.rows = map[int]Row{}
	}
	c.rows[i] = r
	c.mu.Unlock()
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
	for i := range c.frames {
		if c.frames[i].bad&c.mask != 0 {
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
	for j := i + dir; j >= 0 && j < len(c.frames); j += dir {
		if c.frames[j].bad&c.mask != 0 {
			return j
		}
	}
	return -1
}

func (c *capture) filter(m Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	total := c.length()
	c.dmu.Lock()
	ds := c.ds.Sibling()
	ds.Prefs = c.ds.Prefs
	c.dmu.Unlock()
	ds.Summary = false
	var d Dissection
	var buf []byte
	var out []int
	for i := 0; i < total; i++ {
		if i%4096 == 0 {
			select {
			case <-stop:
				return nil, false
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
		if m.Match(&d) {
			out = append(out, i)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return out, true
}

func (c *capture) close() error {
	select {
	case <-c.closeCh:
	default:
		close(c.closeCh)
	}
	return c.rd.Close()
}
