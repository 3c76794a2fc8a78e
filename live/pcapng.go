package live

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/wirelens/wirelens/decode/capfile"
)

// pcapng block types and option codes written here.
const (
	ngSHB = 0x0A0D0D0A
	ngIDB = 1
	ngEPB = 6
	ngISB = 5

	optEndOfOpt   = 0
	optComment    = 1
	optShbUserApp = 4
	optIfName     = 2
	optIfDesc     = 3
	optIfTSResol  = 9
	optIfFCSLen   = 13
	optEpbFlags   = 2
	optEpbDrops   = 4
	optIsbStart   = 2
	optIsbEnd     = 3
	optIsbIfRecv  = 4
	optIsbIfDrop  = 5
)

// maxBlock is capfile's limit on a pcapng block.
const maxBlock = 16 << 20

// Writer writes a pcapng file in the host's byte order with nanosecond
// timestamps: one section, interfaces added as they are opened. Errors are
// sticky; call Flush at the end.
type Writer struct {
	w      *bufio.Writer
	err    error
	header bool
	nIf    uint32
	blk    []byte
	inBuf  bool // the block being built is in w's free space, not blk
	// written counts what went past the buffer, for Size.
	written int64
}

// NewWriter writes pcapng to w; nothing is written before the first block.
func NewWriter(w io.Writer) *Writer {
	nw := &Writer{}
	nw.w = bufio.NewWriterSize(countWriter{w, &nw.written}, 256<<10)
	return nw
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// AddInterface writes an interface description block and returns the
// interface ID that Record.Interface must carry in WritePacket. The
// offloads, when known, go in if_description (readable with
// ParseOffloadDescription) and are explained in a comment; timestamps are in
// nanoseconds (if_tsresol 9) whatever ifc says.
func (w *Writer) AddInterface(ifc capfile.Interface, off Offloads) (uint32, error) {
	if err := w.start(); err != nil {
		return 0, err
	}
	b := w.begin(ngIDB)
	b = binary.NativeEndian.AppendUint16(b, ifc.LinkType)
	b = binary.NativeEndian.AppendUint16(b, 0)
	b = binary.NativeEndian.AppendUint32(b, ifc.SnapLen)
	var err error
	if ifc.Name != "" {
		b, err = appendOpt(b, optIfName, []byte(ifc.Name))
	}
	if d := OffloadDescription(ifc.Description, off); d != "" && err == nil {
		b, err = appendOpt(b, optIfDesc, []byte(d))
	}
	comments := ifc.Comments
	if c := offloadComment(off); c != "" {
		comments = append(comments[:len(comments):len(comments)], c)
	}
	for _, c := range comments {
		if err == nil {
			b, err = appendOpt(b, optComment, []byte(c))
		}
	}
	b, _ = appendOpt(b, optIfTSResol, []byte{9})
	if ifc.FCSLen >= 0 && ifc.FCSLen <= 0xff {
		b, _ = appendOpt(b, optIfFCSLen, []byte{byte(ifc.FCSLen)})
	}
	b, _ = appendOpt(b, optEndOfOpt, []byte(nil))
	if err != nil {
		return 0, fmt.Errorf("writing pcapng interface %q: %w", ifc.Name, err)
	}
	if err := w.end(b); err != nil {
		return 0, err
	}
	id := w.nIf
	w.nIf++
	return id, nil
}

// offloadComment says, in words, what the offloads mean for the frames that
// follow, for whoever opens the file in another tool.
func offloadComment(o Offloads) string {
	if !o.Known {
		return ""
	}
	var s []string
	if o.TxChecksum {
		s = append(s, "transmit checksum offload is on: frames sent by this host may show bad TCP/UDP checksums")
	}
	if o.TSO || o.GSO {
		s = append(s, "segmentation offload is on: sent TCP frames may be larger than the MTU")
	}
	if o.GRO || o.LRO {
		s = append(s, "receive offload is on: received frames may be merged and larger than the MTU")
	}
	if len(s) == 0 {
		return ""
	}
	c := "wirelens: "
	for i, x := range s {
		if i > 0 {
			c += "; "
		}
		c += x
	}
	return c
}

// WritePacket writes an enhanced packet block for data on interface
// rec.Interface, with rec's timestamp, original length, flags and comments.
// When rec has no flags but a direction, the direction alone is written.
// Record.Offset and DataOff are ignored.
func (w *Writer) WritePacket(rec capfile.Record, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if rec.Interface >= w.nIf {
		return fmt.Errorf("writing a pcapng packet: interface %d was not added (%d so far)", rec.Interface, w.nIf)
	}
	if len(data) > capfile.MaxCapLen {
		return fmt.Errorf("writing a pcapng packet: %d bytes is more than the %d wirelens and tshark read back", len(data), capfile.MaxCapLen)
	}
	b := w.begin(ngEPB)
	ts := uint64(rec.Timestamp)
	b = binary.NativeEndian.AppendUint32(b, rec.Interface)
	b = binary.NativeEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.NativeEndian.AppendUint32(b, uint32(ts))
	b = binary.NativeEndian.AppendUint32(b, uint32(len(data)))
	b = binary.NativeEndian.AppendUint32(b, max(rec.OrigLen, uint32(len(data))))
	b = append(b, data...)
	b = pad(b)
	opts := len(b)
	var err error
	var num [8]byte
	switch {
	case rec.HasFlags:
		binary.NativeEndian.PutUint32(num[:], rec.Flags)
		b, _ = appendOpt(b, optEpbFlags, num[:4])
	case rec.Direction != capfile.DirUnknown:
		binary.NativeEndian.PutUint32(num[:], uint32(rec.Direction))
		b, _ = appendOpt(b, optEpbFlags, num[:4])
	}
	for _, c := range rec.Comments {
		if err == nil {
			b, err = appendOpt(b, optComment, c)
		}
	}
	if rec.DropCount != 0 {
		binary.NativeEndian.PutUint64(num[:], rec.DropCount)
		b, _ = appendOpt(b, optEpbDrops, num[:])
	}
	if err != nil {
		return fmt.Errorf("writing a pcapng packet: %w", err)
	}
	if len(b) > opts {
		b, _ = appendOpt(b, optEndOfOpt, []byte(nil))
	}
	return w.end(b)
}

// WriteStats writes an interface statistics block: what the kernel counted
// for interface id between start and end (ns since the epoch). tshark shows
// it in capinfos and the capture file properties; capfile skips it.
func (w *Writer) WriteStats(id uint32, start, end int64, st Stats) error {
	if w.err != nil {
		return w.err
	}
	if id >= w.nIf {
		return fmt.Errorf("writing pcapng statistics: interface %d was not added", id)
	}
	b := w.begin(ngISB)
	ts := uint64(end)
	b = binary.NativeEndian.AppendUint32(b, id)
	b = binary.NativeEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.NativeEndian.AppendUint32(b, uint32(ts))
	tsOpt := func(code uint16, t int64) {
		v := binary.NativeEndian.AppendUint32(nil, uint32(uint64(t)>>32))
		b, _ = appendOpt(b, code, binary.NativeEndian.AppendUint32(v, uint32(t)))
	}
	tsOpt(optIsbStart, start)
	tsOpt(optIsbEnd, end)
	b, _ = appendOpt(b, optIsbIfRecv, binary.NativeEndian.AppendUint64(nil, st.Received))
	b, _ = appendOpt(b, optIsbIfDrop, binary.NativeEndian.AppendUint64(nil, st.Dropped))
	b, _ = appendOpt(b, optEndOfOpt, []byte(nil))
	return w.end(b)
}

// Flush writes out buffered blocks (the section header too, so even a
// capture with no packets is a valid file).
func (w *Writer) Flush() error {
	if err := w.start(); err != nil {
		return err
	}
	if err := w.w.Flush(); err != nil {
		w.err = fmt.Errorf("writing pcapng: %w", err)
	}
	return w.err
}

func (w *Writer) start() error {
	if w.err != nil || w.header {
		return w.err
	}
	w.header = true
	b := w.begin(ngSHB)
	b = binary.NativeEndian.AppendUint32(b, 0x1A2B3C4D)
	b = binary.NativeEndian.AppendUint16(b, 1)
	b = binary.NativeEndian.AppendUint16(b, 0)
	b = binary.NativeEndian.AppendUint64(b, ^uint64(0)) // section length not known
	b, _ = appendOpt(b, optShbUserApp, []byte("wirelens"))
	b, _ = appendOpt(b, optEndOfOpt, []byte(nil))
	return w.end(b)
}

// begin starts a block, length to be filled by end: in the output buffer's
// free space when a large packet block fits there (then end's Write copies
// nothing), else in the reusable buffer.
func (w *Writer) begin(typ uint32) []byte {
	b := w.blk[:0]
	w.inBuf = w.w.Available() >= 64<<10+256
	if w.inBuf {
		b = w.w.AvailableBuffer()
	}
	b = binary.NativeEndian.AppendUint32(b, typ)
	return binary.NativeEndian.AppendUint32(b, 0)
}

func (w *Writer) end(b []byte) error {
	n := uint32(len(b) + 4)
	if n > maxBlock {
		// Not sticky: the block is simply not written.
		return fmt.Errorf("writing pcapng: a block of %d bytes is more than the %d capfile reads", n, maxBlock)
	}
	binary.NativeEndian.PutUint32(b[4:], n)
	b = binary.NativeEndian.AppendUint32(b, n)
	if !w.inBuf {
		w.blk = b
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("writing pcapng: %w", err)
	}
	return w.err
}

func appendOpt[T []byte | string](b []byte, code uint16, v T) ([]byte, error) {
	if len(v) > 0xffff {
		return b, fmt.Errorf("option %d is %d bytes, more than pcapng's 65535", code, len(v))
	}
	b = binary.NativeEndian.AppendUint16(b, code)
	b = binary.NativeEndian.AppendUint16(b, uint16(len(v)))
	b = append(b, v...)
	return pad(b), nil
}

func pad(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// Size is how many bytes the file has so far, written and buffered: what
// a ring buffer's filesize condition compares.
func (w *Writer) Size() int64 { return w.written + int64(w.w.Buffered()) }
