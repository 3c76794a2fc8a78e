package stats

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// Stream is one followed conversation as Wireshark's Follow Stream shows
// it: the two ends and the payload chunks in the order they are read, TCP
// in sequence order without retransmitted bytes. It is plain data, shared
// by -z follow and the terminal UI's follow view.
type Stream struct {
	Proto string // "tcp" or "udp"
	Index uint64 // tcp.stream / udp.stream
	// Node 0 sent the first frame of the stream (the client, for TCP),
	// as "addr:port" ("[addr]:port" for IPv6); empty before any frame.
	Node   [2]string
	Chunks []Chunk
	Bytes  [2]int // payload bytes kept, by direction
	Frames int    // frames of the stream seen
	// Cut counts payload bytes dropped because the stream reached its
	// limit (they are not in Chunks); Limit is that limit.
	Cut   int
	Limit int
	// Pending counts TCP bytes still held out of order at the end (a
	// segment never arrived and nothing acknowledged it): Wireshark does
	// not show them either.
	Pending int
}

// Chunk is the payload of one frame (or, for TCP, the bytes that frame
// completed), in one direction.
type Chunk struct {
	Dir   int // 0: from Node[0]; 1: from Node[1]
	Frame int // 1-based frame number
	Data  []byte
}

// Filter is the display filter that shows the stream's frames, as
// Wireshark sets it when following.
func (s *Stream) Filter() string { return s.Proto + ".stream eq " + strconv.FormatUint(s.Index, 10) }

// DefaultFollowLimit bounds a followed stream's payload: past it, bytes
// are counted in Stream.Cut and not kept.
const DefaultFollowLimit = 16 << 20

// Follower builds a Stream from the frames given to Packet, in capture
// order. Frames of other streams are ignored, so it can be fed every frame
// or only those a `tcp.stream eq N` filter pass found.
type Follower struct {
	s Stream
	// TCP: the next sequence number expected and the out-of-order
	// segments held until the gap before them fills, by direction.
	seq     [2]uint32
	written [2]int
	frags   [2][]tcpFrag
	held    int // bytes in frags
}

type tcpFrag struct {
	seq   uint32
	frame int
	data  []byte
}

// NewFollower follows stream index of proto ("tcp" or "udp"), keeping at
// most limit payload bytes (DefaultFollowLimit when limit <= 0).
func NewFollower(proto string, index uint64, limit int) *Follower {
	if limit <= 0 {
		limit = DefaultFollowLimit
	}
	return &Follower{s: Stream{Proto: proto, Index: index, Limit: limit}}
}

// Full reports whether the limit is reached: later frames only add to Cut.
func (f *Follower) Full() bool { return f.s.Bytes[0]+f.s.Bytes[1]+f.held >= f.s.Limit }

// Stream returns the stream so far. It shares memory with the follower.
func (f *Follower) Stream() *Stream {
	f.s.Pending = f.held
	return &f.s
}

var (
	fUDPStream = field("udp.stream")
	fTCPPay    = field("tcp.payload")
	fUDPPay    = field("udp.payload")
	fTCPSeqRaw = field("tcp.seq_raw")
	fTCPAckRaw = field("tcp.ack_raw")
	fTCPLen    = field("tcp.len")
	fTCPSyn    = field("tcp.flags.syn")
)

// Packet adds frame number frame, dissected as d, if it belongs to the
// stream. A frame tunnelled inside another counts at its first matching
// transport layer.
func (f *Follower) Packet(frame int, d *decode.Dissection) {
	var netSrc, netDst string
	for i := 0; i < len(d.Fields); i++ {
		fl := &d.Fields[i]
		if fl.Depth != 0 {
			continue
		}
		s, e := d.Children(i)
		switch {
		case fl.Def == fIP:
			netSrc, netDst = value(d, s, e, fIPSrc), value(d, s, e, fIPDst)
		case fl.Def == fIP6:
			netSrc, netDst = "["+value(d, s, e, fIP6Src)+"]", "["+value(d, s, e, fIP6Dst)+"]"
		case fl.Def == fTCP && f.s.Proto == "tcp":
			if st := child(d, s, e, fTCPStream); st != nil && st.U == f.s.Index {
				f.s.Frames++
				f.tcp(frame, netSrc+":"+value(d, s, e, fTCPSrc), netDst+":"+value(d, s, e, fTCPDst), d, i, e)
				return
			}
		case fl.Def == fUDP && f.s.Proto == "udp":
			if st := child(d, s, e, fUDPStream); st != nil && st.U == f.s.Index {
				f.s.Frames++
				dir := f.dir(netSrc+":"+value(d, s, e, fUDPSrc), netDst+":"+value(d, s, e, fUDPDst))
				f.emit(dir, frame, payload(d, i, e, fUDPPay))
				return
			}
		}
		i = e - 1
	}
}

// dir names the direction of a frame from src to dst; the first frame's
// source is node 0.
func (f *Follower) dir(src, dst string) int {
	if f.s.Node[0] == "" {
		f.s.Node[0], f.s.Node[1] = src, dst
	}
	if src == f.s.Node[0] {
		return 0
	}
	return 1
}

// emit keeps data (copied) as a chunk of frame in direction dir, up to the
// limit. Each emit is its own chunk, as each is its own record in
// Wireshark (tshark's ascii output prints each one's length).
func (f *Follower) emit(dir, frame int, data []byte) {
	if len(data) == 0 {
		return
	}
	room := f.s.Limit - f.s.Bytes[0] - f.s.Bytes[1]
	if room < len(data) {
		f.s.Cut += len(data) - max(room, 0)
		if room <= 0 {
			return
		}
		data = data[:room]
	}
	f.s.Bytes[dir] += len(data)
	f.s.Chunks = append(f.s.Chunks, Chunk{Dir: dir, Frame: frame, Data: append([]byte(nil), data...)})
}

// seqLT compares sequence numbers modulo 2^32, as Wireshark's LT_SEQ.
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }

// tcp adds one segment the way Wireshark's follow_tcp_tap_listener does:
// bytes already seen are dropped (retransmissions), a segment past the
// expected sequence number waits until the gap fills, and a segment that
// acknowledges held data of the other side releases it after a note of
// the bytes missing from the capture.
func (f *Follower) tcp(frame int, src, dst string, d *decode.Dissection, i, e int) {
	dir := f.dir(src, dst)
	var seq, ack, seglen uint32
	syn := false
	if x := child(d, i+1, e, fTCPSeqRaw); x != nil {
		seq = uint32(x.U)
	}
	if x := child(d, i+1, e, fTCPAckRaw); x != nil {
		ack = uint32(x.U)
	}
	if x := child(d, i+1, e, fTCPLen); x != nil {
		seglen = uint32(x.U)
	}
	if x := child(d, i+1, e, fTCPSyn); x != nil && x.U != 0 {
		syn = true
	}
	data := payload(d, i, e, fTCPPay)
	if syn {
		seq++
	}
	for len(f.frags[1-dir]) > 0 && f.checkFrags(1-dir, ack, frame, true) {
	}
	if f.written[dir] == 0 && f.seq[dir] == 0 {
		f.seq[dir] = seq
	}
	if seqLT(seq, f.seq[dir]) {
		if next := seq + seglen; seqLT(f.seq[dir], next) {
			off := int(f.seq[dir] - seq)
			if len(data) <= off {
				data = nil
			} else {
				data = data[off:]
			}
			seq, seglen = f.seq[dir], next-f.seq[dir]
		}
	}
	if len(data) == 0 || seqLT(seq, f.seq[dir]) {
		return
	}
	if seq == f.seq[dir] {
		f.seq[dir] += seglen
		f.written[dir] += len(data)
		f.emit(dir, frame, data)
		for f.checkFrags(dir, 0, frame, false) {
		}
		return
	}
	if f.Full() {
		f.s.Cut += len(data)
		return
	}
	f.frags[dir] = append(f.frags[dir], tcpFrag{seq: seq, frame: frame, data: append([]byte(nil), data...)})
	f.held += len(data)
}

// checkFrags applies one held segment of direction dir that now fits, as
// Wireshark's check_follow_fragments; with useAck, data the other side
// acknowledged past a gap is released after a "[N bytes missing in
// capture file]" note. It reports whether it applied one.
func (f *Follower) checkFrags(dir int, acked uint32, frame int, useAck bool) bool {
	fr := f.frags[dir]
	if len(fr) == 0 {
		return false
	}
	lowest := fr[0].seq
	for k := range fr {
		g := &fr[k]
		if seqLT(g.seq, lowest) {
			lowest = g.seq
		}
		if seqLT(g.seq, f.seq[dir]) {
			if next := g.seq + uint32(len(g.data)); seqLT(f.seq[dir], next) {
				off := f.seq[dir] - g.seq
				f.emit(dir, g.frame, g.data[off:])
				f.seq[dir] += uint32(len(g.data)) - off
			}
			f.drop(dir, k)
			return true
		}
		if g.seq == f.seq[dir] {
			f.emit(dir, g.frame, g.data)
			f.seq[dir] += uint32(len(g.data))
			f.drop(dir, k)
			return true
		}
	}
	if useAck && seqLT(lowest, acked) {
		// Wireshark's note includes the C string's NUL.
		note := fmt.Sprintf("[%d bytes missing in capture file]\x00", int32(lowest-f.seq[dir]))
		f.emit(dir, frame, []byte(note))
		f.seq[dir] = lowest
		return true
	}
	return false
}

func (f *Follower) drop(dir, k int) {
	f.held -= len(f.frags[dir][k].data)
	f.frags[dir] = append(f.frags[dir][:k], f.frags[dir][k+1:]...)
}

// payload is the bytes after the transport header: the protocol's payload
// field when the dissector records it, else the next layer's range.
func payload(d *decode.Dissection, i, end int, pay *decode.FieldDef) []byte {
	if p := child(d, i+1, end, pay); p != nil && len(p.B) > 0 {
		return p.B
	}
	hdr := &d.Fields[i]
	off := int(hdr.Offset + hdr.Length)
	if off <= 0 || off > len(d.Data) {
		return nil
	}
	// The transport layer's own range ends at its header; what follows
	// is the payload, up to the next layer's end.
	stop := len(d.Data)
	if end < len(d.Fields) {
		n := &d.Fields[end]
		if n.Depth == 0 && n.Length > 0 && int(n.Offset) == off {
			stop = int(n.Offset + n.Length)
		}
	}
	if stop > len(d.Data) || stop <= off {
		return nil
	}
	return d.Data[off:stop]
}

// PrintableASCII is data with every byte outside printable ASCII but
// newline written as a dot: a stream cannot drive the terminal.
func PrintableASCII(data []byte) []byte {
	b := make([]byte, 0, len(data))
	for _, x := range data {
		if x == '\n' || x >= 0x20 && x < 0x7f {
			b = append(b, x)
		} else {
			b = append(b, '.')
		}
	}
	return b
}

// HexDumpLine is one line of tshark's follow hex dump: the offset, 16
// bytes of data from off (fewer on the last line) and their ASCII.
func HexDumpLine(data []byte, off int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%08X  ", off)
	for j := 0; j < 16; j++ {
		if j < len(data) {
			fmt.Fprintf(&b, "%02x ", data[j])
		} else {
			b.WriteString("   ")
		}
		if j == 7 {
			b.WriteByte(' ')
		}
	}
	b.WriteByte(' ')
	for j, x := range data {
		if x < 0x20 || x >= 0x7f {
			x = '.'
		}
		b.WriteByte(x)
		if j == 7 {
			b.WriteByte(' ')
		}
	}
	// tshark's follow_print_hex drops one trailing space: the gap after
	// the eighth byte, or a space byte ending the line.
	return strings.TrimSuffix(b.String(), " ")
}

// follow is -z follow,tcp|udp,ascii|hex,N: the payload of stream N in
// both directions, as tshark's tap-follow prints it.
type follow struct {
	mode string // ascii or hex
	f    *Follower
}

func newFollow(arg string) (*follow, error) {
	p := strings.Split(arg, ",")
	if len(p) != 4 || (p[1] != "tcp" && p[1] != "udp") || (p[2] != "ascii" && p[2] != "hex") {
		return nil, fmt.Errorf("invalid -z argument %q: want follow,tcp|udp,ascii|hex,STREAM", arg)
	}
	n, err := strconv.ParseUint(p[3], 10, 32)
	if err != nil {
		return nil, fmt.Errorf("invalid -z argument %q: stream %q is not a number", arg, p[3])
	}
	// Batch follows keep more than the UI, still bounded.
	return &follow{mode: p[2], f: NewFollower(p[1], n, 256<<20)}, nil
}

func (f *follow) Fields() []*decode.FieldDef { return nil }

func (f *follow) Packet(fr *decode.Frame, d *decode.Dissection) { f.f.Packet(fr.Number, d) }

func (f *follow) Write(w io.Writer) { WriteFollow(w, f.f.Stream(), f.mode) }

// WriteFollow writes s as tshark's -z follow does in mode "ascii" or "hex"
// (control characters, CR too, as dots in ascii).
func WriteFollow(w io.Writer, s *Stream, mode string) {
	rule := strings.Repeat("=", 67)
	writeLines(w, "", rule, "Follow: "+s.Proto+","+mode, "Filter: "+s.Filter())
	if s.Node[0] == "" {
		writeLines(w, "Node 0: :0", "Node 1: :0")
	} else {
		writeLines(w, "Node 0: "+s.Node[0], "Node 1: "+s.Node[1])
	}
	var off [2]int
	for _, c := range s.Chunks {
		switch mode {
		case "ascii":
			if c.Dir == 1 {
				io.WriteString(w, "\t")
			}
			fmt.Fprintf(w, "%d\n", len(c.Data))
			w.Write(PrintableASCII(c.Data))
			io.WriteString(w, "\n")
		case "hex":
			for i := 0; i < len(c.Data); i += 16 {
				if c.Dir == 1 {
					io.WriteString(w, "\t")
				}
				io.WriteString(w, HexDumpLine(c.Data[i:min(i+16, len(c.Data))], off[c.Dir]+i))
				io.WriteString(w, "\n")
			}
			off[c.Dir] += len(c.Data)
		}
	}
	writeLines(w, rule)
	if s.Cut > 0 {
		fmt.Fprintf(w, "wirelens: %d payload bytes past the first %d not shown\n", s.Cut, s.Limit)
	}
}
