package capture

import (
	"encoding/binary"

	"github.com/wirelens/wirelens/decode/capfile"
)

// The frame index keeps what the UI needs of every frame in about 7 bytes:
// frames are coded in blocks of blockLen, each frame as deltas from the one
// before it (timestamp, where its bytes start past the previous frame's,
// captured length), with the rarely changing fields (interface, link type,
// EPB flags, direction) and the original length written only when they
// differ. A block records the state before its first frame, so frame i is
// found by decoding at most blockLen-1 frames before it. The verdicts
// (which checksums are bad) are one byte a frame, an index into the few
// distinct verdicts a capture has. Nothing grows faster than the frame
// count: 100 million frames cost under 1 GB.

const (
	blockBits = 7
	blockLen  = 1 << blockBits
	// pageSize: the coded frames live in pages of this size, so growing
	// the index never copies it (a 700 MB slice doubling would need 2 GB).
	pageSize = 1 << 20
	// maxFrameCode bounds one coded frame: head byte, 10-byte varints for
	// the timestamp, original length, gap and flags, 5 for the captured
	// length, interface and link type, and the direction byte.
	maxFrameCode = 1 + 10 + 5 + 10 + 10 + 5 + 5 + 10 + 1
)

// frameMeta is one frame's entry, decoded.
type frameMeta struct {
	dataOff  int64
	ts       int64
	capLen   uint32
	origLen  uint32
	flags    uint32
	iface    uint32
	linkType uint16
	hasFlags bool
	dir      capfile.Direction
	extra    bool // comments or a drop count, kept in Capture.extra
}

// codeState is what a frame is coded against: the frame before it.
type codeState struct {
	dataOff  int64 // of the previous frame
	ts       int64
	gap      int64 // bytes between the previous frame's data and the one before
	capLen   uint32
	flags    uint32
	iface    uint32
	linkType uint16
	hasFlags bool
	dir      capfile.Direction
}

type block struct {
	start codeState // the state before the block's first frame
	page  uint32
	off   uint32
}

const (
	headMeta  = 1 << iota // iface, link type, flags or direction changed
	headOrig              // original length differs from captured length
	headGap               // header bytes before the data changed (options, padding)
	headExtra             // comments or a drop count
)

// frameIndex is the coded index. It is not safe for concurrent use: the
// capture's lock guards it.
type frameIndex struct {
	n      int
	blocks []block
	pages  [][]byte
	last   codeState // after the last frame added
	first  int64     // timestamp of frame 0
}

func zig(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func unzig(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func (x *frameIndex) add(m frameMeta) {
	if x.n%blockLen == 0 {
		if len(x.pages) == 0 || len(x.pages[len(x.pages)-1])+blockLen*maxFrameCode > cap(x.pages[len(x.pages)-1]) {
			// Small captures get small pages: 32 KiB, doubling to pageSize.
			size := pageSize
			if len(x.pages) < 5 {
				size = pageSize >> (5 - len(x.pages))
			}
			x.pages = append(x.pages, make([]byte, 0, size))
		}
		x.blocks = append(x.blocks, block{start: x.last, page: uint32(len(x.pages) - 1), off: uint32(len(x.pages[len(x.pages)-1]))})
	}
	if x.n == 0 {
		x.first = m.ts
	}
	s := &x.last
	gap := m.dataOff - s.dataOff - int64(s.capLen)
	var head byte
	if m.iface != s.iface || m.linkType != s.linkType || m.flags != s.flags || m.hasFlags != s.hasFlags || m.dir != s.dir {
		head |= headMeta
	}
	if m.origLen != m.capLen {
		head |= headOrig
	}
	if gap != s.gap {
		head |= headGap
	}
	if m.extra {
		head |= headExtra
	}
	p := x.pages[len(x.pages)-1]
	p = append(p, head)
	p = binary.AppendUvarint(p, zig(m.ts-s.ts))
	p = binary.AppendUvarint(p, uint64(m.capLen))
	if head&headOrig != 0 {
		p = binary.AppendUvarint(p, zig(int64(m.origLen)-int64(m.capLen)))
	}
	if head&headGap != 0 {
		p = binary.AppendUvarint(p, zig(gap))
	}
	if head&headMeta != 0 {
		p = binary.AppendUvarint(p, uint64(m.iface))
		p = binary.AppendUvarint(p, uint64(m.linkType))
		p = binary.AppendUvarint(p, uint64(m.flags))
		d := byte(m.dir) << 1
		if m.hasFlags {
			d |= 1
		}
		p = append(p, d)
	}
	x.pages[len(x.pages)-1] = p
	*s = codeState{dataOff: m.dataOff, ts: m.ts, gap: gap, capLen: m.capLen, flags: m.flags, iface: m.iface,
		linkType: m.linkType, hasFlags: m.hasFlags, dir: m.dir}
	x.n++
}

// bytes is the memory the index holds.
func (x *frameIndex) bytes() int {
	n := len(x.blocks) * 64
	for _, p := range x.pages {
		n += cap(p)
	}
	return n
}

// cursor decodes frames in order from a given one.
type cursor struct {
	x    *frameIndex
	i    int // the frame next returns
	st   codeState
	page int
	pos  int
}

// at returns a cursor on frame i (0 <= i < x.n).
func (x *frameIndex) at(i int) cursor {
	c := x.blockStart(i >> blockBits)
	for c.i < i {
		c.skip()
	}
	return c
}

func (x *frameIndex) blockStart(b int) cursor {
	bl := &x.blocks[b]
	return cursor{x: x, i: b << blockBits, st: bl.start, page: int(bl.page), pos: int(bl.off)}
}

func uvarint(buf []byte, pos *int) uint64 {
	v, n := binary.Uvarint(buf[*pos:])
	*pos += n
	return v
}

// next decodes frame c.i and moves to the one after it. The caller holds
// the capture's lock (the page it reads may be growing) and keeps c.i < x.n.
func (c *cursor) next() frameMeta {
	if c.i&(blockLen-1) == 0 && c.i != 0 {
		// Blocks are contiguous within a page; a new page starts a block.
		bl := &c.x.blocks[c.i>>blockBits]
		c.page, c.pos = int(bl.page), int(bl.off)
	}
	buf, pos := c.x.pages[c.page], c.pos
	s := &c.st
	head := buf[pos]
	pos++
	m := frameMeta{ts: s.ts + unzig(uvarint(buf, &pos)), flags: s.flags, iface: s.iface, linkType: s.linkType,
		hasFlags: s.hasFlags, dir: s.dir, extra: head&headExtra != 0}
	m.capLen = uint32(uvarint(buf, &pos))
	m.origLen = m.capLen
	if head&headOrig != 0 {
		m.origLen = uint32(int64(m.capLen) + unzig(uvarint(buf, &pos)))
	}
	gap := s.gap
	if head&headGap != 0 {
		gap = unzig(uvarint(buf, &pos))
	}
	if head&headMeta != 0 {
		m.iface = uint32(uvarint(buf, &pos))
		m.linkType = uint16(uvarint(buf, &pos))
		m.flags = uint32(uvarint(buf, &pos))
		d := buf[pos]
		pos++
		m.hasFlags = d&1 != 0
		m.dir = capfile.Direction(d >> 1)
	}
	c.pos = pos
	m.dataOff = s.dataOff + int64(s.capLen) + gap
	*s = codeState{dataOff: m.dataOff, ts: m.ts, gap: gap, capLen: m.capLen, flags: m.flags, iface: m.iface,
		linkType: m.linkType, hasFlags: m.hasFlags, dir: m.dir}
	c.i++
	return m
}

func (c *cursor) skip() { c.next() }

// verdict is what the verdict pass found in one frame.
type verdict struct{ bad, offload ProtoSet }

// verdictTable keeps one byte a frame: an index into the distinct verdicts
// seen (a capture has a handful: good, bad IP, bad TCP with an offload
// pattern...). Frames beyond 254 distinct verdicts go to a map.
type verdictTable struct {
	chunks   [][]uint8
	n        int
	palette  []verdict // palette[0] is the good frame
	lookup   map[verdict]uint8
	counts   []int // frames per palette entry
	overflow map[int]verdict
	blockBad []ProtoSet // bad checksums of any frame in each index block
}

const (
	verdictChunk = 1 << 16
	overflowMark = 255
)

func (v *verdictTable) add(vd verdict) {
	if v.palette == nil {
		v.palette = []verdict{{}}
		v.lookup = map[verdict]uint8{{}: 0}
		v.counts = []int{0}
	}
	k, ok := v.lookup[vd]
	if !ok && len(v.palette) < overflowMark {
		k = uint8(len(v.palette))
		v.lookup[vd] = k
		v.palette = append(v.palette, vd)
		v.counts = append(v.counts, 0)
		ok = true
	}
	if !ok {
		k = overflowMark
		if v.overflow == nil {
			v.overflow = map[int]verdict{}
		}
		v.overflow[v.n] = vd
	} else {
		v.counts[k]++
	}
	if v.n%verdictChunk == 0 {
		v.chunks = append(v.chunks, make([]uint8, verdictChunk))
	}
	v.chunks[v.n/verdictChunk][v.n%verdictChunk] = k
	if b := v.n >> blockBits; b == len(v.blockBad) {
		v.blockBad = append(v.blockBad, vd.bad)
	} else {
		v.blockBad[b] |= vd.bad
	}
	v.n++
}

func (v *verdictTable) at(i int) verdict {
	k := v.chunks[i/verdictChunk][i%verdictChunk]
	if k == overflowMark {
		return v.overflow[i]
	}
	return v.palette[k]
}

// badCount counts the frames with a bad checksum in mask.
func (v *verdictTable) badCount(mask ProtoSet) int {
	n := 0
	for k, vd := range v.palette {
		if vd.bad&mask != 0 {
			n += v.counts[k]
		}
	}
	for _, vd := range v.overflow {
		if vd.bad&mask != 0 {
			n++
		}
	}
	return n
}

// nextBad finds the next frame after i (dir +1 or -1) with a bad checksum
// in mask, skipping blocks that have none.
func (v *verdictTable) nextBad(i, dir int, mask ProtoSet) int {
	for j := i + dir; j >= 0 && j < v.n; {
		if b := j >> blockBits; v.blockBad[b]&mask == 0 {
			if dir > 0 {
				j = (b + 1) << blockBits
			} else {
				j = b<<blockBits - 1
			}
			continue
		}
		if v.at(j).bad&mask != 0 {
			return j
		}
		j += dir
	}
	return -1
}

func (v *verdictTable) bytes() int {
	return len(v.chunks)*verdictChunk + len(v.blockBad)*2 + len(v.overflow)*48
}
