package capfile

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

const (
	// MaxCapLen is the largest captured length accepted for one packet; it
	// is tshark's limit, so a file wirelens rejects is one tshark rejects.
	MaxCapLen = 262144
	// maxBlockLen bounds a pcapng block before anything is allocated for it.
	maxBlockLen = 16 << 20
	// bufSize lets a whole ordinary packet record be peeked in place, so
	// Next can hand out a slice of the buffer without copying.
	bufSize = 128 << 10
)

// Options controls how a capture is read.
type Options struct {
	// RandomAccess: the caller will call ReadFrame later. Plain seekable
	// files are re-read in place; gzip through checkpoints over its
	// compressed bytes (a gzip pipe's compressed bytes are kept in an
	// unlinked temporary file); other pipes and the other compressed
	// formats are copied, decompressed, as Next consumes them, into an
	// unlinked temporary file.
	RandomAccess bool
}

// Reader reads records from a pcap or pcapng capture, one at a time, without
// reading ahead of the record being returned, so a live pipe shows packets as
// they arrive. Only ReadFrame may be called concurrently with Next.
type Reader struct {
	name       string
	in         *bufio.Reader // decompressed stream
	closers    []io.Closer
	compressed bool
	codec      string // "gzip", "zstd", "lz4", "bzip2", "xz" or "" (not compressed)
	format     string
	off        int64 // stream offset of the next unread byte
	count      int   // records returned so far
	err        error // sticky: once damaged or at EOF, stay there
	closed     bool
	big        []byte

	ra  io.ReaderAt // the input itself, when it can be re-read in place
	tee *tee

	// Byte order of the pcap file or of the current pcapng section.
	be bool

	// pcap
	fracMul int64
	// pcapng
	ng             bool
	secBase        int // global index of the current section's interface 0
	ifaces         []Interface
	ifCommentBytes int       // comment text kept for all interfaces so far
	gzs            *gzStream // the gzip stream Next reads
	gzi            *gzIndex  // checkpoints for ReadFrame into a gzip file
	conv           []tsConv
}

// Open opens a capture file; path "-" means standard input.
func Open(path string, opt Options) (*Reader, error) {
	if path == "-" {
		return NewReader(os.Stdin, path, opt)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, path, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closers = append(r.closers, f)
	return r, nil
}

// NewReader reads a capture from src; name is used in messages. It reads the
// file header (and nothing more) before returning.
func NewReader(src io.Reader, name string, opt Options) (*Reader, error) {
	r := &Reader{name: name}
	var ra io.ReaderAt
	if opt.RandomAccess {
		// Before anything is read: the position tells whether stream
		// offsets are file offsets.
		ra = readerAt(src)
	}
	cnt := &countReader{r: src}
	raw := bufio.NewReaderSize(cnt, bufSize)
	if m, _ := raw.Peek(2); len(m) == 2 && m[0] == 0x1f && m[1] == 0x8b {
		if opt.RandomAccess {
			// Re-read through checkpoints over the compressed bytes: in
			// place for a file, from a copy of the compressed stream for
			// a pipe; never a copy of the decompressed data.
			if ra == nil {
				t, err := newTee()
				if err != nil {
					return nil, fmt.Errorf("keeping a copy of %q for random access: %w", name, err)
				}
				r.closers = append(r.closers, t.f)
				head, _ := raw.Peek(raw.Buffered())
				if err := t.write(head); err != nil {
					t.f.Close()
					return nil, fmt.Errorf("keeping a copy of %q for random access: %w", name, err)
				}
				cnt = &countReader{r: io.MultiReader(bytes.NewReader(bytes.Clone(head)), teeReader{src, t})}
				raw = bufio.NewReaderSize(cnt, bufSize)
				ra = t
			}
			r.gzi = newGzIndex(ra)
			ra = nil
		}
		gs, err := newGzStream(raw, cnt, r.gzi)
		if err != nil {
			r.Close()
			return nil, r.streamErr(err, 0, 0)
		}
		r.gzs = gs
		r.compressed = true
		r.codec = "gzip"
		r.in = bufio.NewReaderSize(gs, bufSize)
	} else if codec := codecOf(raw); codec != "" {
		dec, closer, err := decompressor(raw, codec)
		if err != nil {
			return nil, &FormatError{File: name, Msg: fmt.Sprintf("%s-compressed data is damaged: %v", codec, err)}
		}
		if closer != nil {
			r.closers = append(r.closers, closer)
		}
		r.compressed = true
		r.codec = codec
		r.in = bufio.NewReaderSize(dec, bufSize)
	} else {
		r.in = raw
		r.ra = ra
	}
	if opt.RandomAccess && r.ra == nil && r.gzi == nil {
		t, err := newTee()
		if err != nil {
			return nil, fmt.Errorf("keeping a copy of %q for random access: %w", name, err)
		}
		r.tee = t
	}
	if err := r.readHeader(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// readerAt returns src when it can be re-read at stream offsets, that is when
// it is a regular file (or in-memory reader) positioned at its start.
func readerAt(src io.Reader) io.ReaderAt {
	ra, ok := src.(io.ReaderAt)
	sk, ok2 := src.(io.Seeker)
	if !ok || !ok2 {
		return nil
	}
	if f, ok := src.(*os.File); ok {
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil
		}
	}
	if pos, err := sk.Seek(0, io.SeekCurrent); err != nil || pos != 0 {
		return nil
	}
	return ra
}

var (
	magicPcapngLE  = []byte{0x0a, 0x0d, 0x0d, 0x0a}
	magicPcapUsLE  = []byte{0xd4, 0xc3, 0xb2, 0xa1}
	magicPcapUsBE  = []byte{0xa1, 0xb2, 0xc3, 0xd4}
	magicPcapNsLE  = []byte{0x4d, 0x3c, 0xb2, 0xa1}
	magicPcapNsBE  = []byte{0xa1, 0xb2, 0x3c, 0x4d}
	captureMagics  = [][]byte{magicPcapngLE, magicPcapUsLE, magicPcapUsBE, magicPcapNsLE, magicPcapNsBE}
	errReaderClose = errors.New("reader is closed")
)

func (r *Reader) readHeader() error {
	m, err := r.in.Peek(4)
	if err != nil {
		if len(m) == 0 && err == io.EOF {
			return fmt.Errorf("%q %w; it %w", r.name, ErrEmpty, ErrNotCapture)
		}
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			return r.streamErr(err, 0, len(m))
		}
		for _, magic := range captureMagics {
			if string(magic[:len(m)]) == string(m) {
				return r.streamErr(err, 0, len(m))
			}
		}
		return fmt.Errorf("%q %w", r.name, ErrNotCapture)
	}
	switch string(m) {
	case string(magicPcapngLE):
		r.ng = true
		r.format = "pcapng"
		return r.readSHB(0)
	case string(magicPcapUsLE), string(magicPcapUsBE), string(magicPcapNsLE), string(magicPcapNsBE):
		return r.readPcapHeader()
	}
	return fmt.Errorf("%q %w", r.name, ErrNotCapture)
}

// Next returns the next packet record and its captured bytes, which stay
// valid until the next call. It returns io.EOF at a clean end of the file
// and a *FormatError once every good record before damage has been returned.
func (r *Reader) Next() (Record, []byte, error) {
	var rec Record
	if r.err != nil {
		return rec, nil, r.err
	}
	var data []byte
	var err error
	if r.ng {
		data, err = r.nextNG(&rec)
	} else {
		data, err = r.nextPcap(&rec)
	}
	if err != nil {
		r.err = err
		return Record{}, nil, err
	}
	r.count++
	return rec, data, nil
}

// take consumes n bytes and returns them; the slice is valid until the next
// read. On error it returns what was available.
func (r *Reader) take(n int) ([]byte, error) {
	var b []byte
	if n <= r.in.Size() {
		var err error
		if b, err = r.in.Peek(n); err != nil {
			return b, err
		}
		// The peeked bytes stay in place until the next read refills the buffer.
		r.in.Discard(n)
	} else {
		var err error
		if b, err = r.readBig(n); err != nil {
			return b, err
		}
	}
	if r.tee != nil {
		if err := r.tee.write(b); err != nil {
			return nil, fmt.Errorf("keeping a copy of %q for random access: %w", r.name, err)
		}
	}
	r.off += int64(n)
	return b, nil
}

// readBig reads a block that does not fit the buffer. It grows its buffer
// only as data arrives, so a lying length in a short file costs little.
func (r *Reader) readBig(n int) ([]byte, error) {
	r.big = r.big[:0]
	for len(r.big) < n {
		if len(r.big) == cap(r.big) {
			c := min(n, max(2*cap(r.big), bufSize))
			nb := make([]byte, len(r.big), c)
			copy(nb, r.big)
			r.big = nb
		}
		m, err := r.in.Read(r.big[len(r.big):min(cap(r.big), n)])
		r.big = r.big[:len(r.big)+m]
		if err != nil && len(r.big) < n {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.big, err
		}
	}
	return r.big, nil
}

// pkt is the packet number to blame for damage found at start: 0 in the
// file header, else the record after the last one returned.
func (r *Reader) pkt(start int64) int {
	if start == 0 {
		return 0
	}
	return r.count + 1
}

// streamErr turns a read error at the record starting at start into what the
// caller should see, after got bytes of the record were available.
func (r *Reader) streamErr(err error, start int64, got int) error {
	var ce flate.CorruptInputError
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return &FormatError{File: r.name, Packet: r.pkt(start), Offset: start, Truncated: true,
			Msg: fmt.Sprintf("cut short after %d bytes of the record", got)}
	case errors.As(err, &ce), errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return &FormatError{File: r.name, Packet: r.pkt(start), Offset: start,
			Msg: fmt.Sprintf("gzip-compressed data is damaged near decompressed byte offset %d: %v", start+int64(got), err)}
	}
	if r.codec != "" && r.codec != "gzip" {
		// The decoders of the other formats report damage as errors of
		// their own; the file below them is read the same way as a plain
		// file, whose errors come through the same path.
		return &FormatError{File: r.name, Packet: r.pkt(start), Offset: start,
			Msg: fmt.Sprintf("%s-compressed data is damaged near decompressed byte offset %d: %v", r.codec, start+int64(got), err)}
	}
	return fmt.Errorf("reading %q at byte offset %d (packet %d): %w", r.name, start, r.pkt(start), err)
}

func (r *Reader) corrupt(start int64, format string, args ...any) error {
	return &FormatError{File: r.name, Packet: r.pkt(start), Offset: start, Msg: fmt.Sprintf(format, args...)}
}

func (r *Reader) u16(b []byte) uint16 {
	if r.be {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *Reader) u32(b []byte) uint32 {
	if r.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *Reader) u64(b []byte) uint64 {
	if r.be {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}

// Interfaces returns every interface seen so far; Record.Interface indexes
// it. The slice is the reader's own: do not modify it.
func (r *Reader) Interfaces() []Interface { return r.ifaces }

// Interface returns interface i, or nil if no such interface has been seen.
func (r *Reader) Interface(i uint32) *Interface {
	if uint64(i) >= uint64(len(r.ifaces)) {
		return nil
	}
	return &r.ifaces[i]
}

// Format is "pcap", "pcap-ns" or "pcapng".
func (r *Reader) Format() string { return r.format }

// Codec names the compression of the file: "gzip", "zstd", "lz4",
// "bzip2", "xz", or "" when it is not compressed.
func (r *Reader) Codec() string { return r.codec }

// Compressed reports whether the input was compressed (any codec).
func (r *Reader) Compressed() bool { return r.compressed }

// Name is the name given to Open or NewReader.
func (r *Reader) Name() string { return r.name }

// Offset is the decompressed stream offset just past the last record read.
func (r *Reader) Offset() int64 { return r.off }

// ReadFrame reads rec's captured bytes again, into buf when it is big
// enough. The reader must have been opened with RandomAccess and rec must
// come from it.
func (r *Reader) ReadFrame(rec *Record, buf []byte) ([]byte, error) {
	if r.ra == nil && r.tee == nil && r.gzi == nil {
		return nil, fmt.Errorf("re-reading a packet of %q: the file was not opened for random access", r.name)
	}
	if rec.CapLen > MaxCapLen || rec.DataOff < 0 {
		return nil, fmt.Errorf("re-reading a packet of %q at byte offset %d: %d captured bytes is not a length this reader returns", r.name, rec.DataOff, rec.CapLen)
	}
	n := int(rec.CapLen)
	if cap(buf) >= n {
		buf = buf[:n]
	} else {
		buf = make([]byte, n)
	}
	if r.gzi != nil {
		if err := r.gzi.readAt(buf, rec.DataOff); err != nil {
			return nil, fmt.Errorf("re-reading a packet of %q at decompressed byte offset %d: %w", r.name, rec.DataOff, err)
		}
		return buf, nil
	}
	ra := r.ra
	if r.tee != nil {
		if err := r.tee.sync(rec.DataOff + int64(n)); err != nil {
			return nil, fmt.Errorf("re-reading a packet of %q at byte offset %d: %w", r.name, rec.DataOff, err)
		}
		ra = r.tee.f
	}
	m, err := ra.ReadAt(buf, rec.DataOff)
	if m < n {
		if err == nil || err == io.EOF {
			err = errors.New("the file is now shorter than when it was read (was it truncated?)")
		}
		return nil, fmt.Errorf("re-reading a packet of %q at byte offset %d: %w", r.name, rec.DataOff, err)
	}
	return buf, nil
}

// Close releases the input and the random-access copy, if any.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var first error
	if r.tee != nil {
		if err := r.tee.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, c := range r.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.closers = nil
	r.err = fmt.Errorf("reading %q: %w", r.name, errReaderClose)
	return first
}
