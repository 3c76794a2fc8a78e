package stats

import (
	"fmt"
	"io"
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

// table is -z conv,TYPE or -z endpoints,TYPE: Wireshark's conversation
// and endpoint tables, rows in the order they were first seen and printed
// by total frames, most first.
type table struct {
	kind      string
	endpoints bool
	flt       *filter.Filter
	fltText   string
	index     map[string]int
	rows      []*row
}

type row struct {
	a, b         string // conversation: first source, first destination; endpoint: a
	aport, bport string
	rxF, txF     uint64
	rxB, txB     uint64
	start, stop  int64
	started      bool
}

func newTable(arg string, endpoints bool, kind string, flt *filter.Filter, text string) (*table, error) {
	if _, ok := kinds[kind]; !ok {
		what := "conv"
		if endpoints {
			what = "endpoints"
		}
		return nil, fmt.Errorf("invalid -z argument %q: wirelens has %s,eth, %s,ip, %s,ipv6, %s,tcp and %s,udp", arg, what, what, what, what, what)
	}
	return &table{kind: kind, endpoints: endpoints, flt: flt, fltText: text, index: map[string]int{}}, nil
}

// Fields: the whole tree (a tap's own filter may read any field).
func (t *table) Fields() []*decode.FieldDef { return nil }

// Packet adds one frame: each layer of the table's type in it counts, as
// each tap_queue_packet does in Wireshark.
func (t *table) Packet(fr *decode.Frame, d *decode.Dissection) {
	if t.flt != nil && !t.flt.Match(d) {
		return
	}
	size := uint64(fr.Record.OrigLen)
	var netSrc, netDst string
	for i := 0; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if f.Depth != 0 {
			continue
		}
		s, e := d.Children(i)
		switch f.Def {
		case fEth:
			if t.kind == "eth" {
				t.add(value(d, s, e, fEthSrc), value(d, s, e, fEthDst), "", "", "", size, fr.RelTime)
			}
		case fIP, fIP6:
			src, dst := fIPSrc, fIPDst
			if f.Def == fIP6 {
				src, dst = fIP6Src, fIP6Dst
			}
			netSrc, netDst = value(d, s, e, src), value(d, s, e, dst)
			if t.kind == "ip" && f.Def == fIP || t.kind == "ipv6" && f.Def == fIP6 {
				t.add(netSrc, netDst, "", "", "", size, fr.RelTime)
			}
		case fTCP:
			if t.kind == "tcp" {
				t.add(netSrc, netDst, value(d, s, e, fTCPSrc), value(d, s, e, fTCPDst), value(d, s, e, fTCPStream), size, fr.RelTime)
			}
		case fUDP:
			if t.kind == "udp" {
				t.add(netSrc, netDst, value(d, s, e, fUDPSrc), value(d, s, e, fUDPDst), "", size, fr.RelTime)
			}
		}
		i = e - 1
	}
}

func value(d *decode.Dissection, start, end int, def *decode.FieldDef) string {
	if f := child(d, start, end, def); f != nil {
		return f.Value()
	}
	return ""
}

func (t *table) add(src, dst, sport, dport, conv string, size uint64, rel int64) {
	if src == "" || dst == "" {
		return
	}
	if t.endpoints {
		t.count(src, sport, "", "", "", true, size, rel)
		t.count(dst, dport, "", "", "", false, size, rel)
		return
	}
	t.count(src, sport, dst, dport, conv, true, size, rel)
}

// count finds or makes the row and adds the frame to it; tx is the
// direction from the row's first side.
func (t *table) count(a, aport, b, bport, conv string, tx bool, size uint64, rel int64) {
	k := conv + "|" + a + "|" + aport + "|" + b + "|" + bport
	i, ok := t.index[k]
	if !ok && !t.endpoints {
		if j, rev := t.index[conv+"|"+b+"|"+bport+"|"+a+"|"+aport]; rev {
			i, ok, tx = j, true, !tx
		}
	}
	if !ok {
		i = len(t.rows)
		t.index[k] = i
		t.rows = append(t.rows, &row{a: a, aport: aport, b: b, bport: bport})
	}
	r := t.rows[i]
	if tx {
		r.txF++
		r.txB += size
	} else {
		r.rxF++
		r.rxB += size
	}
	if !r.started || rel < r.start {
		r.start = rel
	}
	if !r.started || rel > r.stop {
		r.stop = rel
	}
	r.started = true
}

// ordered returns the rows by total frames, most first; rows with equal
// totals keep the order they were first seen in (tshark's draw loop).
func (t *table) ordered() []*row {
	out := make([]*row, len(t.rows))
	copy(out, t.rows)
	// A stable insertion sort keeps ties in order without a comparator
	// that breaks them.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].rxF+out[j].txF > out[j-1].rxF+out[j-1].txF; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (t *table) Write(w io.Writer) {
	k := kinds[t.kind]
	flt := t.fltText
	if flt == "" {
		flt = "<No Filter>"
	}
	if t.endpoints {
		writeLines(w, rule80, k.title+" Endpoints", "Filter:"+flt)
		port := ""
		if k.ports {
			port = "Port  ||  "
		}
		writeLines(w, "                       |  "+port+"Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |")
		for _, r := range t.ordered() {
			if k.ports {
				fmt.Fprintf(w, "%-20s      %5s     %6d     %9d     %6d       %9d      %6d       %9d   \n",
					r.a, r.aport, r.txF+r.rxF, r.txB+r.rxB, r.txF, r.txB, r.rxF, r.rxB)
			} else {
				fmt.Fprintf(w, "%-20s      %6d     %9d     %6d       %9d      %6d       %9d   \n",
					r.a, r.txF+r.rxF, r.txB+r.rxB, r.txF, r.txB, r.rxF, r.rxB)
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
	for _, r := range t.ordered() {
		if k.ports {
			fmt.Fprintf(w, "%-26s <-> %-26s  %6d %-9s  %6d %-9s  %6d %-9s  ", r.a+":"+r.aport, r.b+":"+r.bport,
				r.rxF, formatSize(r.rxB), r.txF, formatSize(r.txB), r.rxF+r.txF, formatSize(r.rxB+r.txB))
		} else {
			fmt.Fprintf(w, "%-20s <-> %-20s  %6d %-9s  %6d %-9s  %6d %-9s  ", r.a, r.b,
				r.rxF, formatSize(r.rxB), r.txF, formatSize(r.txB), r.rxF+r.txF, formatSize(r.rxB+r.txB))
		}
		fmt.Fprintf(w, "%14.9f   %12.4f\n", seconds(r.start), seconds(r.stop)-seconds(r.start))
	}
	writeLines(w, rule80)
}

// seconds converts nanoseconds as nstime_to_sec does.
func seconds(ns int64) float64 { return float64(ns/1e9) + float64(ns%1e9)/1e9 }

var _ = strconv.Itoa
