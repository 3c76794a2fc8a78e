package stats

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
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
	// ByEnds, when set, is the filter naming a stream followed by its two
	// ends (ADDR:PORT,ADDR:PORT) instead of its index.
	ByEnds string
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
func (s *Stream) Filter() string {
	if s.ByEnds != "" {
		return s.ByEnds
	}
	return s.Proto + ".stream eq " + strconv.FormatUint(s.Index, 10)
}

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
	// ends, when byEnds, name the stream instead of its index.
	ends   [2]Endpoint
	byEnds bool
}

// Endpoint is one end of a stream: an address and a port.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
}

// NewFollowerByEnds follows the proto stream between a and b, the frames
// from either to the other, as tshark's -z follow,PROTO,MODE,A,B.
func NewFollowerByEnds(proto string, a, b Endpoint, limit int) *Follower {
	f := NewFollower(proto, 0, limit)
	f.ends, f.byEnds = [2]Endpoint{a, b}, true
	ip := func(e Endpoint) string {
		if e.Addr.Is4() {
			return "ip"
		}
		return "ipv6"
	}
	side := func(x, y Endpoint) string {
		return fmt.Sprintf("(%s.src eq %s and %s.srcport eq %d) and (%s.dst eq %s and %s.dstport eq %d)",
			ip(x), x.Addr, proto, x.Port, ip(y), y.Addr, proto, y.Port)
	}
	f.s.ByEnds = "(" + side(a, b) + ") or (" + side(b, a) + ")"
	return f
}

// ParseEndpoint reads ADDR:PORT, an IPv6 address in brackets.
func ParseEndpoint(s string) (Endpoint, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return Endpoint{}, fmt.Errorf("%q is not ADDR:PORT", s)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s[:i], "["), "]")
	a, err := netip.ParseAddr(host)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%q is not an IP address", host)
	}
	n, err := strconv.ParseUint(s[i+1:], 10, 16)
	if err != nil {
		return Endpoint{}, fmt.Errorf("%q is not a port number", s[i+1:])
	}
	return Endpoint{a.Unmap(), uint16(n)}, nil
}

// isStream reports whether a transport layer from src to dst with index
// belongs to the followed stream.
func (f *Follower) isStream(index *decode.Field, srcIP, dstIP, sport, dport string) bool {
	if !f.byEnds {
		return index != nil && index.U == f.s.Index
	}
	sa, err1 := netip.ParseAddr(srcIP)
	da, err2 := netip.ParseAddr(dstIP)
	sp, err3 := strconv.ParseUint(sport, 10, 16)
	dp, err4 := strconv.ParseUint(dport, 10, 16)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return false
	}
	src, dst := Endpoint{sa.Unmap(), uint16(sp)}, Endpoint{da.Unmap(), uint16(dp)}
	a, b := f.ends[0], f.ends[1]
	return src == a && dst == b || src == b && dst == a
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
	fUDPLength = field("udp.length")
	fTCPSyn    = field("tcp.flags.syn")
)

// Packet adds frame number frame, dissected as d, if it belongs to the
// stream. A frame tunnelled inside another counts at its first matching
// transport layer.
func (f *Follower) Packet(frame int, d *decode.Dissection) {
	var netSrc, netDst, srcIP, dstIP string
	for i := 0; i < len(d.Fields); i++ {
		fl := &d.Fields[i]
		if fl.Depth != 0 {
			continue
		}
		s, e := d.Children(i)
		switch {
		case fl.Def == fIP:
			srcIP, dstIP = value(d, s, e, fIPSrc), value(d, s, e, fIPDst)
			netSrc, netDst = srcIP, dstIP
		case fl.Def == fIP6:
			srcIP, dstIP = value(d, s, e, fIP6Src), value(d, s, e, fIP6Dst)
			netSrc, netDst = "["+srcIP+"]", "["+dstIP+"]"
		case fl.Def == fTCP && f.s.Proto == "tcp":
			if f.isStream(child(d, s, e, fTCPStream), srcIP, dstIP, value(d, s, e, fTCPSrc), value(d, s, e, fTCPDst)) {
				f.s.Frames++
				f.tcp(frame, netSrc+":"+value(d, s, e, fTCPSrc), netDst+":"+value(d, s, e, fTCPDst), d, i, e)
				return
			}
		case fl.Def == fUDP && f.s.Proto == "udp":
			if f.isStream(child(d, s, e, fUDPStream), srcIP, dstIP, value(d, s, e, fUDPSrc), value(d, s, e, fUDPDst)) {
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
	// Bytes past the segment's or datagram's length are the link
	// layer's padding, not payload.
	if l := child(d, i+1, end, fTCPLen); l != nil && hdr.Def == fTCP {
		stop = min(stop, off+int(l.U))
	} else if l := child(d, i+1, end, fUDPLength); l != nil && hdr.Def == fUDP {
		stop = min(stop, off+max(int(l.U)-8, 0))
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

// follow is -z follow,tcp|udp,ascii|hex|raw,STREAM (or ADDR:PORT,ADDR:PORT):
// the payload of one stream in both directions, as tshark's tap-follow
// prints it.
type follow struct {
	mode string // ascii, hex or raw
	f    *Follower
}

func newFollow(arg string) (*follow, error) {
	bad := func(why string) error {
		return fmt.Errorf("invalid -z argument %q: %s (want follow,tcp|udp,ascii|hex|raw,STREAM or follow,tcp|udp,MODE,ADDR:PORT,ADDR:PORT)", arg, why)
	}
	p := strings.SplitN(arg, ",", 4)
	if len(p) != 4 {
		return nil, bad("too few parts")
	}
	if p[1] != "tcp" && p[1] != "udp" {
		return nil, bad(fmt.Sprintf("wirelens follows tcp and udp, not %q", p[1]))
	}
	switch p[2] {
	case "ascii", "hex", "raw":
	case "ebcdic", "yaml", "utf-8":
		return nil, bad(fmt.Sprintf("the %s mode is not done in wirelens", p[2]))
	default:
		return nil, bad(fmt.Sprintf("unknown mode %q", p[2]))
	}
	// Batch follows keep more than the UI, still bounded.
	const limit = 256 << 20
	if a, b, two := strings.Cut(p[3], ","); two {
		ea, err := ParseEndpoint(a)
		if err != nil {
			return nil, bad(err.Error())
		}
		eb, err := ParseEndpoint(b)
		if err != nil {
			return nil, bad(err.Error())
		}
		return &follow{mode: p[2], f: NewFollowerByEnds(p[1], ea, eb, limit)}, nil
	}
	n, err := strconv.ParseUint(p[3], 10, 32)
	if err != nil {
		return nil, bad(fmt.Sprintf("stream %q is not a number", p[3]))
	}
	return &follow{mode: p[2], f: NewFollower(p[1], n, limit)}, nil
}

func (f *follow) Fields() []*decode.FieldDef { return nil }

func (f *follow) Packet(fr *decode.Frame, d *decode.Dissection) { f.f.Packet(fr.Number, d) }

func (f *follow) Write(w io.Writer) { WriteFollow(w, f.f.Stream(), f.mode) }

// WriteFollow writes s as tshark's -z follow does in mode "ascii", "hex"
// or "raw" (control characters, CR too, as dots in ascii; tshark keeps
// CR).
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
		case "raw":
			if c.Dir == 1 {
				io.WriteString(w, "\t")
			}
			io.WriteString(w, hex.EncodeToString(c.Data)+"\n")
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
