package stats

import (
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
)

// kinds are the -z conv/endpoints types: the layer, tshark's title, and
// whether rows carry ports.
var kinds = map[string]struct {
	title string
	layer string
	ports bool
}{
	"eth":  {"Ethernet", "eth", false},
	"ip":   {"IPv4", "ip", false},
	"ipv6": {"IPv6", "ipv6", false},
	"tcp":  {"TCP", "tcp", true},
	"udp":  {"UDP", "udp", true},
}

var (
	fEth, fEthSrc, fEthDst = field("eth"), field("eth.src"), field("eth.dst")
	fIP, fIPSrc, fIPDst    = field("ip"), field("ip.src"), field("ip.dst")
	fIP6, fIP6Src, fIP6Dst = field("ipv6"), field("ipv6.src"), field("ipv6.dst")
	fTCP, fTCPSrc, fTCPDst = field("tcp"), field("tcp.srcport"), field("tcp.dstport")
	fTCPStream             = field("tcp.stream")
	fUDP, fUDPSrc, fUDPDst = field("udp"), field("udp.srcport"), field("udp.dstport")
)

// MaxTableRows bounds a conversation or endpoint table: frames of rows
// past it are counted in ConvTable.Dropped, not in a row.
const MaxTableRows = 200000

// ConvTable is one of Wireshark's conversation or endpoint tables as plain
// data, rows in the order they were first seen. -z conv / -z endpoints
// print it; the terminal UI's statistics view shows it.
type ConvTable struct {
	Kind      string // eth, ip, ipv6, tcp, udp
	Endpoints bool
	Rows      []*ConvRow
	// Dropped counts the frames (per row they would have made) that
	// found the table full.
	Dropped uint64
	index   map[string]int
}

// ConvRow is a conversation (A, B: first source and destination seen) or
// an endpoint (A only). Tx is from A, Rx towards A.
type ConvRow struct {
	A, B         string
	APort, BPort string
	Stream       string // tcp.stream of a TCP conversation
	TxFrames     uint64
	RxFrames     uint64
	TxBytes      uint64
	RxBytes      uint64
	Start, Stop  int64 // nanoseconds since the first frame of the capture
	Bad          uint64
	started      bool
}

// Frames and Bytes are the row's totals.
func (r *ConvRow) Frames() uint64 { return r.TxFrames + r.RxFrames }
func (r *ConvRow) Bytes() uint64  { return r.TxBytes + r.RxBytes }

// NewConvTable makes an empty table of kind (eth, ip, ipv6, tcp, udp).
func NewConvTable(kind string, endpoints bool) *ConvTable {
	return &ConvTable{Kind: kind, Endpoints: endpoints, index: map[string]int{}}
}

// ConvKinds are the table kinds in Wireshark's order, with their titles.
var ConvKinds = []struct{ Kind, Title string }{
	{"eth", "Ethernet"}, {"ip", "IPv4"}, {"ipv6", "IPv6"}, {"tcp", "TCP"}, {"udp", "UDP"},
}

// Layer is one layer of a frame a table counts: addresses (and ports and
// TCP stream) as tshark prints them.
type Layer struct {
	Kind             string
	Src, Dst         string
	SrcPort, DstPort string
	Stream           string
}

// Layers lists the layers of d the tables count, in tree order: each
// top-level Ethernet, IP, IPv6, TCP and UDP layer (a tunnel gives several;
// TCP and UDP take the addresses of the IP layer before them).
func Layers(d *decode.Dissection, dst []Layer) []Layer {
	var netSrc, netDst string
	for i := 0; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if f.Depth != 0 {
			continue
		}
		s, e := d.Children(i)
		switch f.Def {
		case fEth:
			dst = append(dst, Layer{Kind: "eth", Src: value(d, s, e, fEthSrc), Dst: value(d, s, e, fEthDst)})
		case fIP, fIP6:
			src, dd, kind := fIPSrc, fIPDst, "ip"
			if f.Def == fIP6 {
				src, dd, kind = fIP6Src, fIP6Dst, "ipv6"
			}
			netSrc, netDst = value(d, s, e, src), value(d, s, e, dd)
			dst = append(dst, Layer{Kind: kind, Src: netSrc, Dst: netDst})
		case fTCP:
			dst = append(dst, Layer{Kind: "tcp", Src: netSrc, Dst: netDst, SrcPort: value(d, s, e, fTCPSrc), DstPort: value(d, s, e, fTCPDst), Stream: value(d, s, e, fTCPStream)})
		case fUDP:
			dst = append(dst, Layer{Kind: "udp", Src: netSrc, Dst: netDst, SrcPort: value(d, s, e, fUDPSrc), DstPort: value(d, s, e, fUDPDst)})
		}
		i = e - 1
	}
	return dst
}

// Bad reports whether any checksum of d is bad.
func Bad(d *decode.Dissection) bool {
	for k := range d.Checksums {
		if d.Checksums[k].Status == decode.StatusBad {
			return true
		}
	}
	return false
}

// Add counts a frame's layers of the table's kind: size bytes at rel
// nanoseconds, bad when a checksum of it is bad.
func (t *ConvTable) Add(layers []Layer, size uint64, rel int64, bad bool) {
	for k := range layers {
		l := &layers[k]
		if l.Kind != t.Kind || l.Src == "" || l.Dst == "" {
			continue
		}
		if t.Endpoints {
			t.count(l.Src, l.SrcPort, "", "", "", true, size, rel, bad)
			t.count(l.Dst, l.DstPort, "", "", "", false, size, rel, bad)
			continue
		}
		t.count(l.Src, l.SrcPort, l.Dst, l.DstPort, l.Stream, true, size, rel, bad)
	}
}

// count finds or makes the row and adds the frame to it; tx is the
// direction from the row's first side.
func (t *ConvTable) count(a, aport, b, bport, conv string, tx bool, size uint64, rel int64, bad bool) {
	k := conv + "|" + a + "|" + aport + "|" + b + "|" + bport
	i, ok := t.index[k]
	if !ok && !t.Endpoints {
		if j, rev := t.index[conv+"|"+b+"|"+bport+"|"+a+"|"+aport]; rev {
			i, ok, tx = j, true, !tx
		}
	}
	if !ok {
		if len(t.Rows) >= MaxTableRows {
			t.Dropped++
			return
		}
		i = len(t.Rows)
		t.index[k] = i
		t.Rows = append(t.Rows, &ConvRow{A: a, APort: aport, B: b, BPort: bport, Stream: conv})
	}
	r := t.Rows[i]
	if tx {
		r.TxFrames++
		r.TxBytes += size
	} else {
		r.RxFrames++
		r.RxBytes += size
	}
	if bad {
		r.Bad++
	}
	if !r.started || rel < r.Start {
		r.Start = rel
	}
	if !r.started || rel > r.Stop {
		r.Stop = rel
	}
	r.started = true
}

// Ordered returns the rows by total frames, most first; rows with equal
// totals keep the order they were first seen in (tshark's draw loop).
func (t *ConvTable) Ordered() []*ConvRow {
	out := make([]*ConvRow, len(t.Rows))
	copy(out, t.Rows)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Frames() > out[j].Frames() })
	return out
}

// table is -z conv,TYPE or -z endpoints,TYPE: Wireshark's conversation
// and endpoint tables, printed by total frames, most first.
type table struct {
	*ConvTable
	flt     *filter.Filter
	fltText string
	layers  []Layer
}

func newTable(arg string, endpoints bool, kind string, flt *filter.Filter, text string) (*table, error) {
	if _, ok := kinds[kind]; !ok {
		what := "conv"
		if endpoints {
			what = "endpoints"
		}
		return nil, fmt.Errorf("invalid -z argument %q: wirelens has %s,eth, %s,ip, %s,ipv6, %s,tcp and %s,udp", arg, what, what, what, what, what)
	}
	return &table{ConvTable: NewConvTable(kind, endpoints), flt: flt, fltText: text}, nil
}

// Fields: the whole tree (a tap's own filter may read any field).
func (t *table) Fields() []*decode.FieldDef { return nil }

// Packet adds one frame: each layer of the table's type in it counts, as
// each tap_queue_packet does in Wireshark.
func (t *table) Packet(fr *decode.Frame, d *decode.Dissection) {
	if t.flt != nil && !t.flt.Match(d) {
		return
	}
	t.layers = Layers(d, t.layers[:0])
	t.Add(t.layers, uint64(fr.Record.OrigLen), fr.RelTime, Bad(d))
}

func value(d *decode.Dissection, start, end int, def *decode.FieldDef) string {
	if f := child(d, start, end, def); f != nil {
		return f.Value()
	}
	return ""
}

func (t *table) Write(w io.Writer) {
	k := kinds[t.Kind]
	flt := t.fltText
	if flt == "" {
		flt = "<No Filter>"
	}
	if t.Endpoints {
		writeLines(w, rule80, k.title+" Endpoints", "Filter:"+flt)
		port := ""
		if k.ports {
			port = "Port  ||  "
		}
		writeLines(w, "                       |  "+port+"Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |")
		for _, r := range t.Ordered() {
			if k.ports {
				fmt.Fprintf(w, "%-20s      %5s     %6d     %9d     %6d       %9d      %6d       %9d   \n",
					r.A, r.APort, r.Frames(), r.Bytes(), r.TxFrames, r.TxBytes, r.RxFrames, r.RxBytes)
			} else {
				fmt.Fprintf(w, "%-20s      %6d     %9d     %6d       %9d      %6d       %9d   \n",
					r.A, r.Frames(), r.Bytes(), r.TxFrames, r.TxBytes, r.RxFrames, r.RxBytes)
			}
		}
		writeLines(w, rule80)
		return
	}
	writeLines(w, rule80, k.title+" Conversations", "Filter:"+flt)
	pad := ""
	if k.ports {
		pad = "            "
	}
	writeLines(w,
		pad+"                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |",
		pad+"                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |")
	for _, r := range t.Ordered() {
		if k.ports {
			fmt.Fprintf(w, "%-26s <-> %-26s  %6d %-9s  %6d %-9s  %6d %-9s  ", r.A+":"+r.APort, r.B+":"+r.BPort,
				r.RxFrames, formatSize(r.RxBytes), r.TxFrames, formatSize(r.TxBytes), r.Frames(), formatSize(r.Bytes()))
		} else {
			fmt.Fprintf(w, "%-20s <-> %-20s  %6d %-9s  %6d %-9s  %6d %-9s  ", r.A, r.B,
				r.RxFrames, formatSize(r.RxBytes), r.TxFrames, formatSize(r.TxBytes), r.Frames(), formatSize(r.Bytes()))
		}
		fmt.Fprintf(w, "%14.9f   %12.4f\n", seconds(r.Start), seconds(r.Stop)-seconds(r.Start))
	}
	writeLines(w, rule80)
}

// seconds converts nanoseconds as nstime_to_sec does.
func seconds(ns int64) float64 { return float64(ns/1e9) + float64(ns%1e9)/1e9 }

var _ = strconv.Itoa
