package output

import (
	"bufio"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// WriteJSON writes one packet in the shape of tshark -T json: the layers
// keyed by protocol, each field's value as a string (bytes as colon-
// separated hex), a field seen more than once written as a repeated key,
// and a field's subtree in a "<field>_tree" object after it.
func WriteJSON(w *bufio.Writer, d *decode.Dissection) {
	writeJSON(w, d, false)
}

// writeJSON writes one packet; merge writes repeated keys as one array
// (tshark's --no-duplicate-keys).
func writeJSON(w *bufio.Writer, d *decode.Dissection, merge bool) {
	w.WriteString("  {\n    \"_index\": ")
	WriteJSONString(w, "packets-"+packetDate(d))
	w.WriteString(",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {\n")
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
			writeObject(w, d, i+1, end, 8, merge)
		}
		i = end
	}
	w.WriteString("\n      }\n    }\n  }")
}

var fieldFrameTime, _ = decode.LookupField("frame.time")

// packetDate is the frame's arrival date, local time, as tshark names the
// Elasticsearch index of a packet.
func packetDate(d *decode.Dissection) string {
	for i := range d.Fields {
		if d.Fields[i].Def == fieldFrameTime {
			return time.Unix(0, int64(d.Fields[i].U)).Format("2006-01-02")
		}
	}
	return "1970-01-01"
}

// jsonValue is a field's value as tshark's JSON writes it.
func jsonValue(f *decode.Field) string {
	if f.Def.Type == decode.FTBytes && f.Def.Format == nil {
		b := make([]byte, 0, 3*len(f.B))
		for i, x := range f.B {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, hexDigit[x>>4], hexDigit[x&0xf])
		}
		return string(b)
	}
	return f.Value()
}

// writeObject writes the fields in [start, end) at one depth as an object
// whose brace is at column indent.
func writeObject(w *bufio.Writer, d *decode.Dissection, start, end, indent int, merge bool) {
	pad := func(n int) {
		for j := 0; j < n; j++ {
			w.WriteByte(' ')
		}
	}
	name := func(f *decode.Field) string {
		if f.Def.Type == decode.FTNone {
			return decode.Sanitize(f.Line())
		}
		return f.Def.Name
	}
	// With merge, the occurrences of a name are gathered at its first.
	var groups map[string][]int
	if merge {
		groups = map[string][]int{}
		for i := start; i < end; {
			_, cend := d.Children(i)
			n := name(&d.Fields[i])
			groups[n] = append(groups[n], i)
			i = cend
		}
	}
	w.WriteString("{")
	first := true
	for i := start; i < end; {
		f := &d.Fields[i]
		_, cend := d.Children(i)
		n := name(f)
		items := []int{i}
		if merge {
			items = groups[n]
			if items == nil || items[0] != i {
				i = cend
				continue
			}
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n")
		pad(indent + 2)
		WriteJSONString(w, n)
		w.WriteString(": ")
		if len(items) > 1 {
			w.WriteString("[")
			for j, it := range items {
				if j > 0 {
					w.WriteString(", ")
				}
				WriteJSONString(w, jsonValue(&d.Fields[it]))
			}
			w.WriteString("]")
		} else {
			WriteJSONString(w, jsonValue(f))
		}
		for _, it := range items {
			cs, ce := d.Children(it)
			if ce > cs {
				w.WriteString(",\n")
				pad(indent + 2)
				WriteJSONString(w, n+"_tree")
				w.WriteString(": ")
				writeObject(w, d, cs, ce, indent+2, merge)
			}
		}
		i = cend
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

// writeJSONFields writes one packet of -T json -e: only the named fields,
// each as an array of its values in the order they occur, fields without
// a value left out, as tshark does.
func writeJSONFields(w *bufio.Writer, d *decode.Dissection, s *Spec) {
	w.WriteString("  {\n    \"_index\": ")
	WriteJSONString(w, "packets-"+packetDate(d))
	w.WriteString(",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {")
	first := true
	for i, def := range s.Defs {
		var vals []string
		if def == nil {
			vals = []string{columns[s.Names[i]](&d.Summary)}
		} else {
			for j := range d.Fields {
				if d.Fields[j].Def == def {
					vals = append(vals, d.Fields[j].Value()) // as -T fields writes it
				}
			}
		}
		if len(vals) == 0 {
			continue
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n        ")
		WriteJSONString(w, s.Names[i])
		w.WriteString(": [")
		for k, v := range vals {
			if k > 0 {
				w.WriteString(",")
			}
			w.WriteString("\n          ")
			WriteJSONString(w, v)
		}
		w.WriteString("\n        ]")
	}
	if !first {
		w.WriteString("\n      ")
	}
	w.WriteString("}\n    }\n  }")
}
