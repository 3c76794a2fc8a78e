package stats

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// follow is -z follow,tcp|udp,ascii|hex,N: the payload of stream N in
// both directions, as tshark's tap-follow prints it.
type follow struct {
	proto  string // tcp or udp
	mode   string // ascii or hex
	stream uint64
	// the two ends, as "addr:port", node 0 the sender of the first segment
	node   [2]string
	chunks []chunk
	bytes  [2]int
}

type chunk struct {
	dir  int
	data []byte
}

var (
	fUDPStream = lookupOptional("udp.stream")
	fTCPPay    = lookupOptional("tcp.payload")
)

func lookupOptional(name string) *decode.FieldDef {
	d, _ := decode.LookupField(name)
	return d
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
	if p[1] == "udp" && fUDPStream == nil {
		return nil, fmt.Errorf("invalid -z argument %q: wirelens does not number UDP streams yet", arg)
	}
	return &follow{proto: p[1], mode: p[2], stream: n}, nil
}

func (f *follow) Fields() []*decode.FieldDef { return nil }

func (f *follow) Packet(fr *decode.Frame, d *decode.Dissection) {
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
		case fl.Def == fTCP && f.proto == "tcp":
			st := child(d, s, e, fTCPStream)
			if st == nil || st.U != f.stream {
				break
			}
			f.add(netSrc+":"+value(d, s, e, fTCPSrc), netDst+":"+value(d, s, e, fTCPDst), payload(d, i, e))
		case fl.Def == fUDP && f.proto == "udp":
			st := child(d, s, e, fUDPStream)
			if st == nil || st.U != f.stream {
				break
			}
			f.add(netSrc+":"+value(d, s, e, fUDPSrc), netDst+":"+value(d, s, e, fUDPDst), payload(d, i, e))
		}
		i = e - 1
	}
}

// payload is the bytes after the transport header: the next layer's
// range, or tcp.payload when the dissector records it.
func payload(d *decode.Dissection, i, end int) []byte {
	if fTCPPay != nil {
		if p := child(d, i+1, end, fTCPPay); p != nil && len(p.B) > 0 {
			return p.B
		}
	}
	hdr := &d.Fields[i]
	off := int(hdr.Offset + hdr.Length)
	if off <= 0 || off > len(d.Data) {
		return nil
	}
	// The transport layer's own range ends at its header for TCP and
	// UDP in wirelens; what follows in the frame is the payload, up to
	// the next layer's end.
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

func (f *follow) add(src, dst string, data []byte) {
	if f.node[0] == "" {
		f.node[0], f.node[1] = src, dst
	}
	if len(data) == 0 {
		return
	}
	dir := 0
	if src != f.node[0] {
		dir = 1
	}
	f.chunks = append(f.chunks, chunk{dir, append([]byte(nil), data...)})
	f.bytes[dir] += len(data)
}

func (f *follow) Write(w io.Writer) {
	rule := strings.Repeat("=", 67)
	writeLines(w, "", rule, "Follow: "+f.proto+","+f.mode, "Filter: "+f.proto+".stream eq "+strconv.FormatUint(f.stream, 10))
	if f.node[0] == "" {
		writeLines(w, "Node 0: :0", "Node 1: :0")
	} else {
		writeLines(w, "Node 0: "+f.node[0], "Node 1: "+f.node[1])
	}
	var off [2]int
	for _, c := range f.chunks {
		switch f.mode {
		case "ascii":
			// tshark writes the bytes as they are; wirelens writes
			// control characters other than newline as dots, so a
			// stream cannot drive the terminal.
			if c.dir == 1 {
				io.WriteString(w, "\t")
			}
			fmt.Fprintf(w, "%d\n", len(c.data))
			b := make([]byte, 0, len(c.data))
			for _, x := range c.data {
				if x == '\n' || x >= 0x20 && x < 0x7f {
					b = append(b, x)
				} else {
					b = append(b, '.')
				}
			}
			w.Write(b)
			io.WriteString(w, "\n")
		case "hex":
			for i := 0; i < len(c.data); i += 16 {
				end := min(i+16, len(c.data))
				if c.dir == 1 {
					io.WriteString(w, "\t")
				}
				fmt.Fprintf(w, "%08X  ", off[c.dir]+i)
				for j := i; j < i+16; j++ {
					if j < end {
						fmt.Fprintf(w, "%02x ", c.data[j])
					} else {
						io.WriteString(w, "   ")
					}
					if j == i+7 {
						io.WriteString(w, " ")
					}
				}
				io.WriteString(w, " ")
				for j := i; j < end; j++ {
					if j == i+8 {
						io.WriteString(w, " ")
					}
					x := c.data[j]
					if x < 0x20 || x >= 0x7f {
						x = '.'
					}
					w.Write([]byte{x})
				}
				io.WriteString(w, "\n")
			}
			off[c.dir] += len(c.data)
		}
	}
	writeLines(w, rule)
}
