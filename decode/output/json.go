package output

import (
	"bufio"

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
			WriteJSONString(w, f.Def.Name)
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
		WriteJSONString(w, m.name)
		w.WriteString(": ")
		if len(m.items) > 1 {
			w.WriteString("[")
			for j, it := range m.items {
				if j > 0 {
					w.WriteString(", ")
				}
				WriteJSONString(w, d.Fields[it].Value())
			}
			w.WriteString("]")
		} else {
			WriteJSONString(w, d.Fields[m.items[0]].Value())
		}
		// Subtrees of the first occurrence, as "<name>_tree".
		it := m.items[0]
		cs, ce := d.Children(it)
		if ce > cs {
			w.WriteString(",\n")
			pad(indent + 2)
			WriteJSONString(w, m.name+"_tree")
			w.WriteString(": ")
			writeObject(w, d, cs, ce, indent+2)
		}
	}
	w.WriteString("\n")
	pad(indent)
	w.WriteString("}")
}

// AppendJSONString appends s as a JSON string (RFC 8259) that is also safe
// to print: s is first Sanitized, so bytes that are not UTF-8, controls,
// bidi and invisible format characters arrive as visible text (the JSON
// value "A\\x9b" reads back as the text A\x9b (a backslash, x, 9, b), not a C1
// control a consumer might print raw); what is left to escape is '"', '\\'
// and, should any remain, C0 controls as \u00XX. Go's strconv.Quote is not
// JSON: it writes \x9b and \U000e0041, which JSON parsers reject.
func AppendJSONString(dst []byte, s string) []byte {
	s = decode.Sanitize(s)
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20 || c == 0x7f:
			dst = append(dst, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

const hexDigit = "0123456789abcdef"

// WriteJSONString writes s as AppendJSONString does.
func WriteJSONString(w *bufio.Writer, s string) {
	var buf [128]byte
	w.Write(AppendJSONString(buf[:0], s))
}
