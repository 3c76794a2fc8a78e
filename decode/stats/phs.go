package stats

import (
	"fmt"
	"io"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
)

// PHSNode is one protocol of Wireshark's protocol hierarchy: the frames
// and bytes in which it was carried by its parent, children in the order
// first seen.
type PHSNode struct {
	Name     string
	Frames   uint64
	Bytes    uint64
	Children []*PHSNode
}

// maxPHSNodes bounds the hierarchy (a fuzzed capture could nest many
// distinct protocols); frames past it stop at the last node made.
const maxPHSNodes = 4096

// PHS builds the protocol hierarchy frame by frame.
type PHS struct {
	Root  PHSNode
	nodes int
}

// Add counts frame d of size bytes: the layers are the tree's top-level
// protocols, as Wireshark's hierarchy walks them (a header quoted by an
// ICMP error is inside the ICMP layer and not counted).
func (p *PHS) Add(d *decode.Dissection, size uint64) {
	n := &p.Root
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Depth != 0 || f.Def.Type != decode.FTProtocol || f.Def.Name == "frame" {
			continue
		}
		name := f.Def.Name
		var next *PHSNode
		for _, c := range n.Children {
			if c.Name == name {
				next = c
				break
			}
		}
		if next == nil {
			if p.nodes >= maxPHSNodes {
				return
			}
			p.nodes++
			next = &PHSNode{Name: name}
			n.Children = append(n.Children, next)
		}
		next.Frames++
		next.Bytes += size
		n = next
	}
}

// phs is -z io,phs.
type phs struct {
	flt     *filter.Filter
	fltText string
	PHS
}

func newPHS(flt *filter.Filter, text string) *phs { return &phs{flt: flt, fltText: text} }

func (p *phs) Fields() []*decode.FieldDef { return nil }

func (p *phs) Packet(fr *decode.Frame, d *decode.Dissection) {
	if p.flt != nil && !p.flt.Match(d) {
		return
	}
	p.Add(d, uint64(fr.Record.OrigLen))
}

func (p *phs) Write(w io.Writer) {
	rule := strings.Repeat("=", 67)
	writeLines(w, "", rule, "Protocol Hierarchy Statistics", "Filter: "+p.fltText, "")
	var walk func(n *PHSNode, depth int)
	walk = func(n *PHSNode, depth int) {
		for _, c := range n.Children {
			fmt.Fprintf(w, "%-40s frames:%d bytes:%d\n", strings.Repeat("  ", depth)+c.Name, c.Frames, c.Bytes)
			walk(c, depth+1)
		}
	}
	walk(&p.Root, 0)
	writeLines(w, rule)
}
