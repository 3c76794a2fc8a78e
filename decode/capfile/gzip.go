package capfile

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// countReader counts the bytes read through it, so the file offset of a
// bufio.Reader above it is known (count minus what is buffered).
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gzStream reads a gzip file member after member, as gzip -d does, but
// bytes after the last member that do not start another one end the
// stream with a warning, not as damage: tools pad or append to .gz files,
// and the capture before them is whole.
//
// The first pass (verify set) checks each member's CRC-32 and length and,
// with idx set, records checkpoints at deflate block boundaries; a cursor
// started at a checkpoint (verify unset) reads on from there, across
// members, to serve random access.
type gzStream struct {
	br        *bufio.Reader
	cnt       *countReader
	base      int64         // file offset of the first byte cnt read
	fl        io.ReadCloser // the current member's inflater; nil between members
	inflater  io.ReadCloser // kept for the next member when not indexing
	out       int64         // decompressed bytes returned so far: the stream offset
	memberOut int64         // out where the current member's data began
	defl      int64         // file offset of the current member's deflate data
	verify    bool
	crc       uint32
	isize     uint32
	trailing  int64 // bytes of trailing garbage, once done
	done      bool
	idx       *gzIndex
}

// pos is the file offset of the next compressed byte br returns.
func (s *gzStream) pos() int64 { return s.base + s.cnt.n - int64(s.br.Buffered()) }

// newGzStream reads the first member's header from br (over cnt, which
// counts from file offset 0) and is ready to inflate its data.
func newGzStream(br *bufio.Reader, cnt *countReader, idx *gzIndex) (*gzStream, error) {
	s := &gzStream{br: br, cnt: cnt, verify: true, idx: idx}
	if err := s.startMember(); err != nil {
		return nil, err
	}
	return s, nil
}

// startMember reads a member header (RFC 1952 section 2.3) and starts
// inflating the data after it.
func (s *gzStream) startMember() error {
	var h [10]byte
	if _, err := io.ReadFull(s.br, h[:]); err != nil {
		return noEOF(err)
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || h[3]&0xe0 != 0 {
		return gzip.ErrHeader
	}
	flg := h[3]
	if flg&0x04 != 0 { // FEXTRA
		var x [2]byte
		if _, err := io.ReadFull(s.br, x[:]); err != nil {
			return noEOF(err)
		}
		if _, err := s.br.Discard(int(binary.LittleEndian.Uint16(x[:]))); err != nil {
			return noEOF(err)
		}
	}
	for _, bit := range []byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flg&bit == 0 {
			continue
		}
		for {
			c, err := s.br.ReadByte()
			if err != nil {
				return noEOF(err)
			}
			if c == 0 {
				break
			}
		}
	}
	if flg&0x02 != 0 { // FHCRC
		if _, err := s.br.Discard(2); err != nil {
			return noEOF(err)
		}
	}
	s.memberOut = s.out
	s.defl = s.pos()
	s.crc, s.isize = 0, 0
	if s.idx != nil {
		s.idx.memberStart(s.out, s.defl)
		memberOut, defl := s.memberOut, s.defl
		// klauspost/compress v1.20.4 counts the whole bytes left in its
		// bit buffer twice when a stored block starts (dataBlock adds them
		// to roffset though they were counted when read), so every
		// checkpoint after such a block is reported that many bytes too
		// far. The bytes it really consumed (pos) bound the error: the
		// reported bit position is the true one plus skew bytes, where
		// ceil(reported/8) - consumed <= skew, with equality right after a
		// stored block (the bit buffer is empty then), and skew only grows
		// at stored blocks; so the running maximum of that bound is skew.
		// Were the count fixed, skew would stay 0.
		var skew int64
		s.fl = flate.NewReaderOpts(s.br, flate.WithEobCallback(func(cp flate.InflateCheckpoint) {
			bit := cp.CompressedOffset*8 + int64(cp.BitOffset)
			skew = max(skew, (bit+7)/8-(s.pos()-defl))
			bit -= skew * 8
			if skew > 0 {
				s.idx.skewed++
			}
			if !cp.Final {
				s.idx.blockEnd(memberOut+cp.UncompressedOffset, defl+bit/8, uint8(bit&7), cp.Window)
			}
		}))
	} else if s.inflater != nil {
		s.inflater.(flate.Resetter).Reset(s.br, nil)
		s.fl = s.inflater
	} else {
		s.inflater = flate.NewReader(s.br)
		s.fl = s.inflater
	}
	return nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// endMember reads the member trailer and looks at what follows: another
// member, or the end (with trailing garbage counted when verifying).
func (s *gzStream) endMember() error {
	s.fl = nil
	var t [8]byte
	if _, err := io.ReadFull(s.br, t[:]); err != nil {
		return noEOF(err)
	}
	if s.verify && (binary.LittleEndian.Uint32(t[:4]) != s.crc || binary.LittleEndian.Uint32(t[4:]) != s.isize) {
		return gzip.ErrChecksum
	}
	if next, _ := s.br.Peek(2); len(next) == 2 && next[0] == 0x1f && next[1] == 0x8b {
		return s.startMember()
	}
	s.done = true
	if s.verify {
		s.trailing, _ = io.Copy(io.Discard, s.br)
	}
	return nil
}

func (s *gzStream) Read(p []byte) (int, error) {
	for {
		if s.done {
			return 0, io.EOF
		}
		n, err := s.fl.Read(p)
		if s.verify {
			s.crc = crc32.Update(s.crc, crc32.IEEETable, p[:n])
			s.isize += uint32(n)
		}
		s.out += int64(n)
		if err == io.EOF {
			err = s.endMember()
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// Warnings says what was odd about the file without making it damaged:
// trailing bytes after the last gzip member. Complete only once Next has
// returned io.EOF.
func (r *Reader) Warnings() []string {
	if r.gzs == nil || r.gzs.trailing == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%q has %d bytes after its gzip-compressed data that are not gzip; they were ignored", r.name, r.gzs.trailing)}
}
