// Package stats computes tshark's -z statistics (conversations,
// endpoints, protocol hierarchy, stream following) over the frames a
// batch run displays, and writes them in tshark's own layout so that
// scripts that parse tshark's tables read wirelens's unchanged.
package stats

import (
	"fmt"
	"io"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/decode/output"
)

// New parses one -z argument (tshark's syntax: NAME,ARGS[,FILTER]).
func New(arg string) (output.Tap, error) {
	parts := strings.SplitN(arg, ",", 3)
	switch parts[0] {
	case "conv", "endpoints":
		if len(parts) < 2 {
			return nil, fmt.Errorf("invalid -z argument %q: want %s,TYPE[,FILTER] with TYPE eth, ip, ipv6, tcp or udp", arg, parts[0])
		}
		flt, text, err := tapFilter(arg, parts)
		if err != nil {
			return nil, err
		}
		return newTable(arg, parts[0] == "endpoints", parts[1], flt, text)
	case "io":
		if len(parts) >= 2 && parts[1] == "phs" {
			flt, text, err := tapFilter(arg, parts)
			if err != nil {
				return nil, err
			}
			return newPHS(flt, text), nil
		}
		if len(parts) >= 2 && strings.HasPrefix(arg, "io,stat,") {
			return newIOStat(arg)
		}
		return nil, fmt.Errorf("invalid -z argument %q: want io,phs[,FILTER] or io,stat,INTERVAL[,FILTER...]", arg)
	case "expert":
		return newExpert(arg)
	case "follow":
		return newFollow(arg)
	}
	return nil, fmt.Errorf("invalid -z argument %q: unknown statistic %q (wirelens has conv, endpoints, io,phs, io,stat, expert, follow and checksum)", arg, parts[0])
}

// NewAll parses every -z argument of a run. Expert taps share one
// severity level in tshark 4.0 (a static variable that the last
// expert argument sets), and so they do here.
func NewAll(args []string) ([]output.Tap, error) {
	var taps []output.Tap
	var experts []*Expert
	for _, a := range args {
		t, err := New(a)
		if err != nil {
			return nil, err
		}
		if e, ok := t.(*Expert); ok {
			experts = append(experts, e)
		}
		taps = append(taps, t)
	}
	for _, e := range experts {
		e.Lowest = experts[len(experts)-1].Lowest
	}
	return taps, nil
}

// tapFilter compiles the optional display filter after NAME,TYPE.
func tapFilter(arg string, parts []string) (*filter.Filter, string, error) {
	if len(parts) < 3 || parts[2] == "" {
		return nil, "", nil
	}
	f, err := filter.Compile(parts[2])
	if err != nil {
		return nil, "", fmt.Errorf("invalid -z argument %q: filter: %v", arg, err)
	}
	return f, parts[2], nil
}

// field finds a registered field; the names are Wireshark's, fixed here.
func field(name string) *decode.FieldDef {
	d, ok := decode.LookupField(name)
	if !ok {
		panic("stats: no field " + name)
	}
	return d
}

// layers calls fn for each top-level occurrence of protocol proto in d,
// with the index range of its children: tunnels give several, while a
// header quoted inside an ICMP error is deeper in the tree and gives none,
// as Wireshark's taps skip packets in error packets.
func layers(d *decode.Dissection, proto *decode.FieldDef, fn func(start, end int)) {
	for i := 0; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if f.Depth == 0 && f.Def == proto {
			s, e := d.Children(i)
			fn(s, e)
			i = e - 1
		}
	}
}

// child returns the first field def among d.Fields[start:end].
func child(d *decode.Dissection, start, end int, def *decode.FieldDef) *decode.Field {
	for i := start; i < end; i++ {
		if d.Fields[i].Def == def {
			return &d.Fields[i]
		}
	}
	return nil
}

// formatSize is Wireshark's format_size with SI prefixes and the unit
// "bytes": whole numbers, a prefix only from 10 000 on.
func formatSize(n uint64) string {
	switch {
	case n/1e12 >= 10:
		return fmt.Sprintf("%d TB", n/1e12)
	case n/1e9 >= 10:
		return fmt.Sprintf("%d GB", n/1e9)
	case n/1e6 >= 10:
		return fmt.Sprintf("%d MB", n/1e6)
	case n/1e3 >= 10:
		return fmt.Sprintf("%d kB", n/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

var rule80 = strings.Repeat("=", 80)

func writeLines(w io.Writer, lines ...string) {
	for _, l := range lines {
		io.WriteString(w, l)
		io.WriteString(w, "\n")
	}
}
