package output

import (
	"bufio"
	"strconv"

	"github.com/wirelens/wirelens/decode"
)

// WriteJSON writes one packet in the shape of tshark -T json: the layers
// keyed by protocol, each field's value as a string, a field seen more
// than once in a layer as an array. Subtrees of a field go in a
// "<field>_tree" object as tshark does.
func WriteJSON(w *bufio.Writer, d *decode.Dissection) {
	w.WriteString("  {\n    \"_index\": \"packets\",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {\n")
	i := 0
	firstLayer := true
	for i < len(d.Fields) {
		f := &d.Fields[i]
		_, end := d.Children(i)
		if f.Depth == 0 && f.Def.Type == decode.FTProtocol {
			if !firstLayer {
				w.WriteString(",\n")
			}
			firstLayer = false
			w.WriteString("        ")
			w.WriteString(strconv.Quote(f.Def.Name))
			w.WriteString(": ")
			writeObject(w, d, i+1, end, 10)
		}
		i = end
	}
	w.WriteString("\n      }\n    }\n  }")
}

// writeObject writes the fields in [start, end) at one depth as an object.
func writeObject(w *bufio.Writer, d *decode.Dissection, start, end, indent int) {
	type member struct {
		name  string
		items []int
	}
	var members []member
	index := map[string]int{}
	for i := start; i < end; {
		f := &d.Fields[i]
		_, cend := d.Children(i)
		name := f.Def.Name
		if f.Def.Type == decode.FTNone {
			name = decode.Sanitize(f.Line())
		}
		if k, ok := index[name]; ok {
			members[k].items = append(members[k].items, i)
		} else {
			index[name] = len(members)
			members = append(members, member{name, []int{i}})
		}
		i = cend
	}
	pad := func(n int) {
		for j := 0; j < n; j++ {
			w.WriteByte(' ')
		}
	}
	w.WriteString("{")
	for k, m := range members {
		if k > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n")
		pad(indent + 2)
		w.WriteString(strconv.Quote(m.name))
		w.WriteString(": ")
		if len(m.items) > 1 {
			w.WriteString("[")
			for j, it := range m.items {
				if j > 0 {
					w.WriteString(", ")
				}
				w.WriteString(strconv.Quote(d.Fields[it].Value()))
			}
			w.WriteString("]")
		} else {
			w.WriteString(strconv.Quote(d.Fields[m.items[0]].Value()))
		}
		// Subtrees of the first occurrence, as "<name>_tree".
		it := m.items[0]
		cs, ce := d.Children(it)
		if ce > cs {
			w.WriteString(",\n")
			pad(indent + 2)
			w.WriteString(strconv.Quote(m.name + "_tree"))
			w.WriteString(": ")
			writeObject(w, d, cs, ce, indent+2)
		}
	}
	w.WriteString("\n")
	pad(indent)
	w.WriteString("}")
}
