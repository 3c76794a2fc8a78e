package capfile

import (
	"io"
	"math"
	"math/bits"
)

// pcapng block types that carry something wirelens uses; every other block
// (NRB, ISB, DSB, custom, unknown) is checked for framing and skipped.
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 1
	blockOPB = 2
	blockSPB = 3
	blockEPB = 6
)

const (
	optEnd        = 0
	optComment    = 1
	optIfName     = 2
	optIfDesc     = 3
	optIfTSResol  = 9
	optIfFCSLen   = 13
	optIfTSOffset = 14
	optPktFlags   = 2 // epb_flags and pack_flags
	optDropCount  = 4 // epb_dropcount
)

// tsConv turns an interface's timestamp units into ns since the epoch
// exactly, whatever if_tsresol says, or TimeNotRepresentable when the
// result does not fit in int64 ns.
type tsConv struct {
	mul    int64  // ns per unit, when that is a whole number
	per    uint64 // units per second, with mul
	div    uint64 // units per ns, for units finer than 1 ns
	shift  uint   // for 2^-shift s units: ns = ts*1e9 >> shift
	offSec int64  // if_tsoffset in seconds
}

func newTSConv(resol uint8, offSec int64) (tsConv, int64) {
	c := tsConv{offSec: offSec}
	if resol&0x80 != 0 {
		c.shift = uint(resol & 0x7f)
		if c.shift <= 9 {
			// 1e9 = 2^9 * 1953125, so these units are whole nanoseconds.
			c.mul, c.per = 1e9>>c.shift, 1<<c.shift
			return c, c.mul
		}
		return c, 0
	}
	e := int(resol)
	if e <= 9 {
		c.mul, c.per = 1, 1
		for ; e < 9; e++ {
			c.mul *= 10
		}
		for e = int(resol); e > 0; e-- {
			c.per *= 10
		}
		return c, c.mul
	}
	if e-9 > 19 {
		// 10^20 overflows; every 64-bit timestamp is then under 1 ns.
		c.shift = 128
		return c, 0
	}
	c.div = 1
	for ; e > 9; e-- {
		c.div *= 10
	}
	return c, 0
}

// Bounds of whole seconds whose nanoseconds fit in an int64.
const (
	maxSec = math.MaxInt64 / 1_000_000_000
	minSec = math.MinInt64 / 1_000_000_000
)

func (c *tsConv) ns(ts uint64) int64 {
	var v int64
	switch {
	case c.mul != 0:
		// Whole seconds are the quotient taken as a signed time_t, as
		// tshark's wiretap does: in 1-second units a top bit set is
		// before 1970 there too.
		secs := int64(ts / c.per)
		if secs > maxSec || secs < minSec {
			return TimeNotRepresentable
		}
		var ok bool
		if v, ok = addNs(secs*1e9, int64(ts%c.per)*c.mul); !ok {
			return TimeNotRepresentable
		}
	case c.div != 0:
		v = int64(ts / c.div) // under 2^64/10: fits
	case c.shift >= 128:
		v = 0
	default:
		hi, lo := bits.Mul64(ts, 1e9)
		if c.shift >= 64 {
			hi, lo = 0, hi>>(c.shift-64)
		} else {
			hi, lo = hi>>c.shift, lo>>c.shift|hi<<(64-c.shift)
		}
		if hi != 0 || lo > math.MaxInt64 {
			return TimeNotRepresentable
		}
		v = int64(lo)
	}
	if c.offSec != 0 {
		if c.offSec > maxSec || c.offSec < minSec {
			return TimeNotRepresentable
		}
		var ok bool
		if v, ok = addNs(v, c.offSec*1e9); !ok {
			return TimeNotRepresentable
		}
	}
	if v == TimeNotRepresentable {
		return TimeNotRepresentable
	}
	return v
}

// addNs adds without wrapping; ok is false on overflow.
func addNs(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

func pad4(n int) int { return (n + 3) &^ 3 }

// A block's options are walked in full, but what is kept of them is
// bounded: one 16 MiB block can hold two million comments, and interface
// comments live as long as the file. What is not kept is counted
// (CommentsDropped), so the tree can say it was dropped.
const (
	maxBlockComments     = 32       // comments kept per block
	maxBlockCommentBytes = 16 << 10 // bytes of comment text kept per block
	maxIfaceCommentBytes = 1 << 20  // comment text kept for all interfaces of the file together
	// MaxInterfaces bounds the interface description blocks of one file
	// (each costs memory for the whole file; real captures have a few).
	MaxInterfaces = 1 << 16
)

// commentKeeper applies those bounds to one block's comments.
type commentKeeper struct {
	kept    []string
	bytes   int
	budget  int // bytes the block may still keep
	dropped uint32
}

func (k *commentKeeper) add(v []byte) {
	if len(k.kept) >= maxBlockComments || k.bytes+len(v) > k.budget {
		if k.dropped < ^uint32(0) {
			k.dropped++
		}
		return
	}
	k.kept = append(k.kept, string(v))
	k.bytes += len(v)
}

// readSHB reads a section header block at start, which sets the byte order
// and empties the section's interface list.
func (r *Reader) readSHB(start int64) error {
	h, err := r.in.Peek(12)
	if err != nil {
		return r.streamErr(err, start, len(h))
	}
	switch string(h[8:12]) {
	case "\x4d\x3c\x2b\x1a":
		r.be = false
	case "\x1a\x2b\x3c\x4d":
		r.be = true
	default:
		return r.corrupt(start, "section header block at byte offset %d has byte-order magic %#x, not 0x1a2b3c4d in either byte order", start, h[8:12])
	}
	blen := r.u32(h[4:])
	if err := r.checkBlockLen(start, blen, 28, "section header"); err != nil {
		return err
	}
	b, err := r.take(int(blen))
	if err != nil {
		return r.streamErr(err, start, len(b))
	}
	if end := r.u32(b[blen-4:]); end != blen {
		return r.corrupt(start, "block at byte offset %d has length %d at its start but %d at its end", start, blen, end)
	}
	if major := r.u16(b[12:]); major != 1 {
		return r.corrupt(start, "section header block at byte offset %d has version %d.%d; wirelens reads version 1", start, major, r.u16(b[14:]))
	}
	r.secBase = len(r.ifaces)
	return nil
}

func (r *Reader) checkBlockLen(start int64, blen uint32, minLen uint32, kind string) error {
	switch {
	case blen%4 != 0:
		return r.corrupt(start, "block at byte offset %d has length %d, not a multiple of 4", start, blen)
	case blen < 12:
		return r.corrupt(start, "block at byte offset %d has length %d, less than the minimum of 12", start, blen)
	case blen > maxBlockLen:
		return r.corrupt(start, "block at byte offset %d has a huge length of %d bytes (the maximum is %d)", start, blen, maxBlockLen)
	case blen < minLen:
		return r.corrupt(start, "%s block at byte offset %d has length %d, less than the minimum of %d", kind, start, blen, minLen)
	}
	return nil
}

func (r *Reader) nextNG(rec *Record) ([]byte, error) {
	for {
		start := r.off
		h, err := r.in.Peek(8)
		if err != nil {
			if len(h) == 0 && err == io.EOF {
				return nil, io.EOF
			}
			return nil, r.streamErr(err, start, len(h))
		}
		typ := r.u32(h)
		if typ == blockSHB {
			if err := r.readSHB(start); err != nil {
				return nil, err
			}
			continue
		}
		blen := r.u32(h[4:])
		var minLen uint32
		var kind string
		switch typ {
		case blockEPB:
			minLen, kind = 32, "enhanced packet"
		case blockOPB:
			minLen, kind = 32, "packet"
		case blockSPB:
			minLen, kind = 16, "simple packet"
		case blockIDB:
			minLen, kind = 20, "interface description"
		}
		if err := r.checkBlockLen(start, blen, minLen, kind); err != nil {
			return nil, err
		}
		b, err := r.take(int(blen))
		if err != nil {
			return nil, r.streamErr(err, start, len(b))
		}
		if end := r.u32(b[blen-4:]); end != blen {
			return nil, r.corrupt(start, "block at byte offset %d has length %d at its start but %d at its end", start, blen, end)
		}
		body := b[8 : blen-4]
		switch typ {
		case blockEPB, blockOPB:
			return r.packetBlock(rec, start, typ, body)
		case blockSPB:
			return r.simplePacket(rec, start, body)
		case blockIDB:
			if err := r.interfaceBlock(start, body); err != nil {
				return nil, err
			}
		}
	}
}

// options walks a pcapng option list, calling fn for each option until
// opt_endofopt or the end of the block.
func (r *Reader) options(start int64, b []byte, fn func(code uint16, v []byte)) error {
	for len(b) >= 4 {
		code, n := r.u16(b), int(r.u16(b[2:]))
		if code == optEnd {
			return nil
		}
		if 4+pad4(n) > len(b) {
			return r.corrupt(start, "option %d of the block at byte offset %d has length %d, which runs past the end of the block", code, start, n)
		}
		fn(code, b[4:4+n])
		b = b[4+pad4(n):]
	}
	return nil
}

func (r *Reader) interfaceBlock(start int64, body []byte) error {
	if len(r.ifaces) >= MaxInterfaces {
		return r.corrupt(start, "interface description block at byte offset %d is one more than the %d interfaces wirelens reads in one file", start, MaxInterfaces)
	}
	ifc := Interface{LinkType: r.u16(body), SnapLen: r.u32(body[4:]), TSResol: 6, FCSLen: -1}
	comments := commentKeeper{budget: min(maxBlockCommentBytes, maxIfaceCommentBytes-r.ifCommentBytes)}
	err := r.options(start, body[8:], func(code uint16, v []byte) {
		switch code {
		case optComment:
			comments.add(v)
		case optIfName:
			ifc.Name = string(v)
		case optIfDesc:
			ifc.Description = string(v)
		case optIfTSResol:
			if len(v) >= 1 {
				ifc.TSResol = v[0]
			}
		case optIfFCSLen:
			if len(v) >= 1 {
				ifc.FCSLen = int(v[0])
			}
		case optIfTSOffset:
			if len(v) == 8 {
				ifc.TSOffset = int64(r.u64(v))
			}
		}
	})
	if err != nil {
		return err
	}
	ifc.Comments, ifc.CommentsDropped = comments.kept, comments.dropped
	r.ifCommentBytes += comments.bytes
	c, resNs := newTSConv(ifc.TSResol, ifc.TSOffset)
	ifc.TSResolNs = resNs
	r.ifaces = append(r.ifaces, ifc)
	r.conv = append(r.conv, c)
	return nil
}

// packetBlock decodes an EPB or the obsolete OPB, which differ only in how
// the first word splits into interface ID and drop count.
func (r *Reader) packetBlock(rec *Record, start int64, typ uint32, body []byte) ([]byte, error) {
	kind := "enhanced packet"
	var ifid uint32
	if typ == blockOPB {
		kind = "packet"
		ifid = uint32(r.u16(body))
		if drops := r.u16(body[2:]); drops != 0xffff {
			// 0xffff means the count is unknown.
			rec.DropCount = uint64(drops)
		}
	} else {
		ifid = r.u32(body)
	}
	capLen := r.u32(body[12:])
	room := len(body) - 20
	switch {
	case capLen > MaxCapLen:
		return nil, r.corrupt(start, "%s block at byte offset %d has %d captured bytes, more than the maximum of %d", kind, start, capLen, MaxCapLen)
	case int(capLen) > room:
		return nil, r.corrupt(start, "%s block at byte offset %d claims %d captured bytes but has room for only %d", kind, start, capLen, room)
	case uint64(ifid) >= uint64(len(r.ifaces)-r.secBase):
		return nil, r.corrupt(start, "%s block at byte offset %d refers to interface %d, but its section has only %d interface(s)", kind, start, ifid, len(r.ifaces)-r.secBase)
	}
	g := r.secBase + int(ifid)
	rec.Offset = start
	rec.DataOff = start + 28
	rec.Timestamp = r.conv[g].ns(uint64(r.u32(body[4:]))<<32 | uint64(r.u32(body[8:])))
	rec.CapLen = capLen
	rec.OrigLen = r.u32(body[16:])
	rec.LinkType = r.ifaces[g].LinkType
	rec.Interface = uint32(g)
	comments := commentKeeper{budget: maxBlockCommentBytes}
	err := r.options(start, body[20+pad4(int(capLen)):], func(code uint16, v []byte) {
		switch code {
		case optComment:
			comments.add(v)
		case optPktFlags:
			if len(v) == 4 {
				rec.Flags = r.u32(v)
				rec.HasFlags = true
				rec.Direction = Direction(rec.Flags & 3)
				if rec.Direction == 3 {
					rec.Direction = DirUnknown
				}
			}
		case optDropCount:
			if len(v) == 8 && typ == blockEPB {
				rec.DropCount = r.u64(v)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	rec.Comments, rec.CommentsDropped = comments.kept, comments.dropped
	return body[20 : 20+capLen], nil
}

// simplePacket decodes an SPB: interface 0 of the section, no timestamp, and
// a captured length the reader must work out.
func (r *Reader) simplePacket(rec *Record, start int64, body []byte) ([]byte, error) {
	if len(r.ifaces) == r.secBase {
		return nil, r.corrupt(start, "simple packet block at byte offset %d comes before any interface description block in its section", start)
	}
	ifc := &r.ifaces[r.secBase]
	orig := r.u32(body)
	// The captured length is the original one cut at the snap length
	// and, leniently, at what the block holds. But an original length
	// past the maximum the block cannot hold (0xffffffff) is not a 4 GB
	// packet: tshark rejects the file, and so does wirelens.
	capLen := orig
	if ifc.SnapLen != 0 {
		capLen = min(capLen, ifc.SnapLen)
	}
	room := uint32(len(body) - 4)
	if capLen > room && orig > MaxCapLen {
		return nil, r.corrupt(start, "simple packet block at byte offset %d has an original length of %d bytes, more than the maximum of %d, and holds only %d", start, orig, MaxCapLen, room)
	}
	capLen = min(capLen, room)
	if capLen > MaxCapLen {
		return nil, r.corrupt(start, "simple packet block at byte offset %d has %d captured bytes, more than the maximum of %d", start, capLen, MaxCapLen)
	}
	rec.Offset = start
	rec.DataOff = start + 12
	rec.CapLen = capLen
	rec.OrigLen = orig
	rec.LinkType = ifc.LinkType
	rec.Interface = uint32(r.secBase)
	return body[4 : 4+capLen], nil
}
