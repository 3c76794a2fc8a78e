package capfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Random access into a gzip file without a decompressed copy, as zlib's
// examples/zran.c does: while the first pass inflates the file, a
// checkpoint is kept about every span bytes of output, at a deflate block
// boundary: where the block starts (byte and bit in the file) and the 32 KiB
// of output before it, which later blocks may copy from. A frame is then
// read by inflating from the nearest checkpoint before it, at most about one
// span, instead of from the start of the file.
var (
	// gzSpan is the first spacing of checkpoints in decompressed bytes
	// (variables so tests can make many).
	gzSpan int64 = 1 << 20
	// gzWindowBudget bounds the memory the checkpoints' windows take in
	// all: past it the spacing doubles and every other checkpoint goes,
	// so a capture of any size costs at most this (and its spans grow).
	gzWindowBudget int64 = 32 << 20
)

const (
	// gzHist is how much output each cursor keeps behind it, so a frame
	// just before the last one read (scrolling up) is a copy.
	gzHist = 256 << 10
	// gzCursors is how many places in the file are kept open at once:
	// the list, the detail view and a search each keep their own.
	gzCursors = 3
)

// gzPoint is a checkpoint: inflating can start at bit bits of file byte
// in, which produces stream offset out, given the window.
type gzPoint struct {
	out    int64
	in     int64
	bits   uint8
	window []byte // the 32 KiB before out, deflate-compressed; nil when there is none (a member's start)
}

type gzIndex struct {
	src io.ReaderAt // the compressed file, re-read in place

	mu       sync.Mutex // the first pass adds points while ReadFrame reads them
	span     int64
	points   []gzPoint
	winBytes int64
	zw       *flate.Writer // compresses windows (first pass only)
	skewed   int           // block ends whose offset needed the correction in startMember (for tests)
	zbuf     bytes.Buffer

	cursors [gzCursors]*gzCursor
	tick    int64
	scratch []byte
	wr      io.ReadCloser // inflates checkpoint windows
	win     bytes.Buffer
}

func newGzIndex(src io.ReaderAt) *gzIndex {
	return &gzIndex{src: src, span: gzSpan}
}

// memberStart is called by the first pass where a member's deflate data
// starts: no window is needed there.
func (x *gzIndex) memberStart(out, in int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if n := len(x.points); n == 0 || out-x.points[n-1].out >= x.span {
		x.points = append(x.points, gzPoint{out: out, in: in})
	}
}

// blockEnd is called by the first pass at each deflate block boundary
// with the window, which is only valid during the call.
func (x *gzIndex) blockEnd(out, in int64, bits uint8, window []byte) {
	x.mu.Lock()
	n := len(x.points)
	due := n == 0 || out-x.points[n-1].out >= x.span
	x.mu.Unlock()
	if !due {
		return
	}
	// Compressed outside the lock: ReadFrame need not wait for it.
	x.zbuf.Reset()
	if x.zw == nil {
		x.zw, _ = flate.NewWriter(&x.zbuf, flate.BestSpeed)
	} else {
		x.zw.Reset(&x.zbuf)
	}
	x.zw.Write(window)
	x.zw.Close()
	w := bytes.Clone(x.zbuf.Bytes())
	x.mu.Lock()
	defer x.mu.Unlock()
	x.points = append(x.points, gzPoint{out: out, in: in, bits: bits, window: w})
	x.winBytes += int64(len(w))
	if x.winBytes > gzWindowBudget {
		x.thin()
	}
}

// thin doubles the spacing and keeps the points that are that far apart.
func (x *gzIndex) thin() {
	x.span *= 2
	kept := x.points[:1]
	x.winBytes = int64(len(kept[0].window))
	for _, p := range x.points[1:] {
		if p.out-kept[len(kept)-1].out >= x.span {
			kept = append(kept, p)
			x.winBytes += int64(len(p.window))
		}
	}
	clear(x.points[len(kept):])
	x.points = kept
}

// Cost is the index's size: checkpoints and the bytes of their windows.
func (x *gzIndex) cost() (points int, bytes int64, span int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.points), x.winBytes, x.span
}

// gzCursor is a place in the file being inflated, with the output just
// behind it.
type gzCursor struct {
	s    *gzStream
	hist []byte // ring: stream byte i is at hist[i%gzHist]
	have int64  // bytes of output behind s.out held in hist
	used int64  // tick of the last use
}

// resetCursor makes c (nil for a new one) start at p, reusing c's buffers
// and inflater: a read far from every cursor is one such restart.
func (x *gzIndex) resetCursor(c *gzCursor, p gzPoint) (*gzCursor, error) {
	var window []byte
	if p.window != nil {
		if x.wr == nil {
			x.wr = flate.NewReader(bytes.NewReader(p.window))
		} else {
			x.wr.(flate.Resetter).Reset(bytes.NewReader(p.window), nil)
		}
		x.win.Reset()
		if _, err := x.win.ReadFrom(x.wr); err != nil {
			return nil, err
		}
		window = x.win.Bytes()
	}
	if c == nil {
		c = &gzCursor{hist: make([]byte, gzHist), s: &gzStream{cnt: &countReader{}}}
		c.s.br = bufio.NewReaderSize(c.s.cnt, 64<<10)
	}
	s := c.s
	*s.cnt = countReader{r: io.NewSectionReader(x.src, p.in, 1<<62)}
	s.br.Reset(s.cnt)
	s.base, s.out, s.done = p.in, p.out, false
	cp := flate.InflateCheckpoint{CompressedOffset: p.in, BitOffset: p.bits, Window: window}
	if s.inflater == nil {
		s.inflater = flate.NewReaderOpts(s.br, flate.WithResumeFrom(cp))
	} else if err := s.inflater.(cpResetter).ResetCP(s.br, cp); err != nil {
		return nil, err
	}
	s.fl = s.inflater
	c.have = 0
	return c, nil
}

// cpResetter restarts klauspost's inflater at a checkpoint.
type cpResetter interface {
	ResetCP(io.Reader, flate.InflateCheckpoint) error
}

// read inflates into p, keeping what it read in the ring.
func (c *gzCursor) read(p []byte) (int, error) {
	n, err := c.s.Read(p)
	b := p[:n]
	if len(b) > gzHist {
		b = b[len(b)-gzHist:]
	}
	at := (c.s.out - int64(len(b))) % gzHist
	k := copy(c.hist[at:], b)
	copy(c.hist, b[k:])
	c.have = min(c.have+int64(n), gzHist)
	return n, err
}

// fromHist copies stream bytes [off, off+len(dst)) out of the ring if it
// holds them all.
func (c *gzCursor) fromHist(dst []byte, off int64) bool {
	if off < c.s.out-c.have || off+int64(len(dst)) > c.s.out {
		return false
	}
	at := off % gzHist
	k := copy(dst, c.hist[at:])
	copy(dst[k:], c.hist)
	return true
}

// readAt fills dst with stream bytes from off on.
func (x *gzIndex) readAt(dst []byte, off int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.tick++
	for _, c := range x.cursors {
		if c != nil && c.fromHist(dst, off) {
			c.used = x.tick
			return nil
		}
	}
	i := sort.Search(len(x.points), func(i int) bool { return x.points[i].out > off }) - 1
	if i < 0 {
		return errors.New("that part of the stream has not been read yet")
	}
	p := x.points[i]
	// The cursor that gets there with least inflating: one already between
	// the checkpoint and off, else a new one at the checkpoint in place of
	// the one used longest ago.
	slot, best := -1, int64(-1)
	for k, c := range x.cursors {
		if c != nil && c.s.out <= off && c.s.out >= p.out && c.s.out > best {
			slot, best = k, c.s.out
		}
	}
	if slot < 0 {
		for k, c := range x.cursors {
			if c == nil {
				slot = k
				break
			}
			if slot < 0 || c.used < x.cursors[slot].used {
				slot = k
			}
		}
		c, err := x.resetCursor(x.cursors[slot], p)
		if err != nil {
			x.cursors[slot] = nil
			return fmt.Errorf("the checkpoint at decompressed byte offset %d is damaged: %w", p.out, err)
		}
		x.cursors[slot] = c
	}
	c := x.cursors[slot]
	c.used = x.tick
	if x.scratch == nil {
		x.scratch = make([]byte, 64<<10)
	}
	for c.s.out < off {
		_, err := c.read(x.scratch[:min(int64(len(x.scratch)), off-c.s.out)])
		if err != nil {
			x.cursors[slot] = nil
			return gzReadErr(err)
		}
	}
	for got := 0; got < len(dst); {
		n, err := c.read(dst[got:])
		got += n
		if err != nil && got < len(dst) {
			x.cursors[slot] = nil
			return gzReadErr(err)
		}
	}
	return nil
}

func gzReadErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("the file is now shorter than when it was read (was it truncated?)")
	}
	return fmt.Errorf("the gzip-compressed data no longer inflates as it did (was the file changed?): %w", err)
}
