package stats

import (
	"fmt"
	"io"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
)

// phs is -z io,phs: Wireshark's protocol hierarchy, each layer of a frame
// a child of the layer that carried it, children in the order first seen.
type phs struct {
	flt     *filter.Filter
	fltText string
	root    phsNode
}

type phsNode struct {
	name     string
	frames   uint64
	bytes    uint64
	children []*phsNode
}

func newPHS(flt *filter.Filter, text string) *phs { return &phs{flt: flt, fltText: text} }

func (p *phs) Fields() []*decode.FieldDef { return nil }

func (p *phs) Packet(fr *decode.Frame, d *decode.Dissection) {
	if p.flt != nil && !p.flt.Match(d) {
		return
	}
	// The layers are the tree's top-level protocols, as Wireshark's
	// hierarchy walks them: a header quoted by an ICMP error is inside
	// the ICMP layer and not counted.
	n := &p.root
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Depth != 0 || f.Def.Type != decode.FTProtocol || f.Def.Name == "frame" {
			continue
		}
		name := f.Def.Name
		var next *phsNode
		for _, c := range n.children {
			if c.name == name {
				next = c
				break
			}
		}
		if next == nil {
			next = &phsNode{name: name}
			n.children = append(n.children, next)
		}
		next.frames++
		next.bytes += uint64(fr.Record.OrigLen)
		n = next
	}
}

func (p *phs) Write(w io.Writer) {
	rule := strings.Repeat("=", 67)
	writeLines(w, "", rule, "Protocol Hierarchy Statistics", "Filter: "+p.fltText, "")
	var walk func(n *phsNode, depth int)
	walk = func(n *phsNode, depth int) {
		for _, c := range n.children {
			fmt.Fprintf(w, "%-40s frames:%d bytes:%d\n", strings.Repeat("  ", depth)+c.name, c.frames, c.bytes)
			walk(c, depth+1)
		}
	}
	walk(&p.root, 0)
	writeLines(w, rule)
}
