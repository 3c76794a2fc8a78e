package output

import (
	"bufio"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// Creator names wirelens in the XML formats' creator attribute, where
// tshark writes "wireshark/VERSION".
var Creator = "wirelens"

// writeXMLAttr writes s escaped for an XML attribute value, sanitised
// first so no control or invisible character reaches the output (XML 1.0
// cannot carry most controls at all).
func writeXMLAttr(w *bufio.Writer, s string) {
	s = decode.Sanitize(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			w.WriteString("&amp;")
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		case '"':
			w.WriteString("&quot;")
		case '\'':
			w.WriteString("&apos;")
		default:
			if c < 0x20 {
				// Sanitize leaves none; a stray one must not make the
				// document invalid.
				w.WriteString("\\x")
				w.WriteByte(hexDigit[c>>4])
				w.WriteByte(hexDigit[c&0xf])
				continue
			}
			w.WriteByte(c)
		}
	}
}

// psmlFormat is -T psml: the summary columns of each packet.
type psmlFormat struct{ time TimeFormat }

var psmlColumns = []string{"No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"}

func (p *psmlFormat) begin(w *bufio.Writer) {
	w.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<psml version=\"0\" creator=\"")
	writeXMLAttr(w, Creator)
	w.WriteString("\">\n<structure>\n")
	for _, c := range psmlColumns {
		w.WriteString("<section>" + c + "</section>\n")
	}
	w.WriteString("</structure>\n\n")
}

func (p *psmlFormat) packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int) {
	s := &d.Summary
	w.WriteString("<packet>\n")
	for _, v := range []string{strconv.Itoa(s.Number), p.time.Column(fr, s.Digits), s.Source, s.Destination, s.Protocol, strconv.Itoa(s.Length), s.Info} {
		w.WriteString("<section>")
		writeXMLAttr(w, v)
		w.WriteString("</section>\n")
	}
	w.WriteString("</packet>\n\n")
}

func (p *psmlFormat) end(w *bufio.Writer) { w.WriteString("</psml>\n") }

// pdmlFormat is -T pdml: every field of each packet as XML, with
// Wireshark's element and attribute names.
type pdmlFormat struct {
	file string
	now  func() time.Time
}

func (p *pdmlFormat) begin(w *bufio.Writer) {
	w.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"pdml2html.xsl\"?>\n")
	w.WriteString("<!-- You can find pdml2html.xsl in /usr/share/wireshark or at https://gitlab.com/wireshark/wireshark/-/raw/master/pdml2html.xsl. -->\n")
	w.WriteString("<pdml version=\"0\" creator=\"")
	writeXMLAttr(w, Creator)
	w.WriteString("\" time=\"")
	writeXMLAttr(w, p.now().Format("Mon Jan _2 15:04:05 2006"))
	w.WriteString("\" capture_file=\"")
	writeXMLAttr(w, p.file)
	w.WriteString("\">\n")
}

func (p *pdmlFormat) packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int) {
	size := strconv.Itoa(len(d.Data))
	ts := fr.Record.Timestamp
	w.WriteString("<packet>\n  <proto name=\"geninfo\" pos=\"0\" showname=\"General information\" size=\"" + size + "\">\n")
	num := strconv.Itoa(d.Summary.Number)
	w.WriteString("    <field name=\"num\" pos=\"0\" show=\"" + num + "\" showname=\"Number\" value=\"" + strconv.FormatInt(int64(d.Summary.Number), 16) + "\" size=\"" + size + "\"/>\n")
	l := strconv.Itoa(int(fr.Record.OrigLen))
	w.WriteString("    <field name=\"len\" pos=\"0\" show=\"" + l + "\" showname=\"Frame Length\" value=\"" + strconv.FormatInt(int64(fr.Record.OrigLen), 16) + "\" size=\"" + size + "\"/>\n")
	w.WriteString("    <field name=\"caplen\" pos=\"0\" show=\"" + size + "\" showname=\"Captured Length\" value=\"" + strconv.FormatInt(int64(len(d.Data)), 16) + "\" size=\"" + size + "\"/>\n")
	w.WriteString("    <field name=\"timestamp\" pos=\"0\" show=\"")
	writeXMLAttr(w, time.Unix(0, ts).UTC().Format("Jan _2, 2006 15:04:05.000000000 UTC"))
	w.WriteString("\" showname=\"Captured Time\" value=\"" + fracSeconds(ts, 9) + "\" size=\"" + size + "\"/>\n  </proto>\n")
	for i := 0; i < len(d.Fields); {
		_, end := d.Children(i)
		if f := &d.Fields[i]; f.Depth == 0 && f.Def.Type == decode.FTProtocol {
			p.field(w, d, i, end, 1, true)
		}
		i = end
	}
	w.WriteString("</packet>\n\n")
}

// field writes field i (its children are [i+1, end)) at an indent level.
func (p *pdmlFormat) field(w *bufio.Writer, d *decode.Dissection, i, end, level int, proto bool) {
	f := &d.Fields[i]
	pad := strings.Repeat("  ", level)
	w.WriteString(pad)
	if proto {
		w.WriteString("<proto name=\"")
	} else {
		w.WriteString("<field name=\"")
	}
	writeXMLAttr(w, f.Def.Name)
	w.WriteString("\" showname=\"")
	writeXMLAttr(w, f.Line())
	w.WriteString("\"")
	if f.Hidden {
		w.WriteString(" hide=\"yes\"")
	}
	w.WriteString(" size=\"" + strconv.Itoa(int(f.Length)) + "\" pos=\"" + strconv.Itoa(int(f.Offset)) + "\"")
	if !proto {
		w.WriteString(" show=\"")
		if f.Def.Type != decode.FTNone {
			writeXMLAttr(w, f.Value())
		}
		w.WriteString("\"")
		if raw := fieldBytes(d, f); len(raw) > 0 {
			if f.Def.Bitmask != 0 {
				w.WriteString(" value=\"" + strconv.FormatUint(f.U, 16) + "\" unmaskedvalue=\"" + hex.EncodeToString(raw) + "\"")
			} else {
				w.WriteString(" value=\"" + hex.EncodeToString(raw) + "\"")
			}
		}
	}
	if end == i+1 {
		if proto {
			w.WriteString(">\n" + pad + "</proto>\n")
		} else {
			w.WriteString("/>\n")
		}
		return
	}
	w.WriteString(">\n")
	for j := i + 1; j < end; {
		_, cend := d.Children(j)
		p.field(w, d, j, cend, level+1, false)
		j = cend
	}
	if proto {
		w.WriteString(pad + "</proto>\n")
	} else {
		w.WriteString(pad + "</field>\n")
	}
}

// fieldBytes is the bytes a field covers in the frame.
func fieldBytes(d *decode.Dissection, f *decode.Field) []byte {
	s, n := int(f.Offset), int(f.Length)
	if n <= 0 || s < 0 || s+n > len(d.Data) {
		return nil
	}
	return d.Data[s : s+n]
}

func (p *pdmlFormat) end(w *bufio.Writer) { w.WriteString("</pdml>\n") }

// ekFormat is -T ek: two lines a packet for Elasticsearch's bulk API,
// an index line and the packet, each layer's fields flattened into one
// object keyed PROTO_FIELD (dots as underscores), a field seen more than
// once an array, booleans as JSON booleans.
type ekFormat struct{ spec *Spec }

func (*ekFormat) begin(w *bufio.Writer) {}
func (*ekFormat) end(w *bufio.Writer)   {}

func (e *ekFormat) packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int) {
	w.WriteString("{\"index\":{\"_index\":")
	WriteJSONString(w, "packets-"+packetDate(d))
	w.WriteString(",\"_type\":\"doc\"}}\n{\"timestamp\":")
	WriteJSONString(w, strconv.FormatInt(fr.Record.Timestamp/1e6, 10))
	w.WriteString(",\"layers\":{")
	if e.spec != nil {
		first := true
		for i, def := range e.spec.Defs {
			var vals []string
			if def == nil {
				vals = []string{columns[e.spec.Names[i]](&d.Summary)}
			} else {
				for j := range d.Fields {
					if d.Fields[j].Def == def {
						vals = append(vals, d.Fields[j].Value())
					}
				}
			}
			if len(vals) == 0 {
				continue
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			WriteJSONString(w, ekName(e.spec.Names[i]))
			w.WriteString(":[")
			for k, v := range vals {
				if k > 0 {
					w.WriteByte(',')
				}
				WriteJSONString(w, v)
			}
			w.WriteByte(']')
		}
		w.WriteString("}}\n")
		return
	}
	first := true
	for i := 0; i < len(d.Fields); {
		_, end := d.Children(i)
		if f := &d.Fields[i]; f.Depth == 0 && f.Def.Type == decode.FTProtocol {
			if !first {
				w.WriteByte(',')
			}
			first = false
			WriteJSONString(w, ekName(f.Def.Name))
			w.WriteByte(':')
			writeEKObject(w, d, i, end)
		}
		i = end
	}
	w.WriteString("}}\n")
}

func ekName(s string) string { return strings.ReplaceAll(s, ".", "_") }

// writeEKObject writes protocol field i's descendants as one object:
// flattened in tree order, a field's subtree right after it; fields of
// one name under one parent are one key with an array (at the first of
// them), as tshark 4.0 writes them. The same name under two parents
// (eth.addr under eth.dst and eth.src) is two keys, as in tshark.
func writeEKObject(w *bufio.Writer, d *decode.Dissection, i, end int) {
	w.WriteByte('{')
	first := true
	writeEKChildren(w, d, i+1, end, ekName(d.Fields[i].Def.Name)+"_", &first)
	w.WriteByte('}')
}

func writeEKChildren(w *bufio.Writer, d *decode.Dissection, start, end int, prefix string, first *bool) {
	// siblings by name, in order of their first occurrence
	var order []*decode.FieldDef
	groups := map[*decode.FieldDef][]int{}
	for j := start; j < end; {
		_, cend := d.Children(j)
		def := d.Fields[j].Def
		if groups[def] == nil {
			order = append(order, def)
		}
		groups[def] = append(groups[def], j)
		j = cend
	}
	for _, def := range order {
		members := groups[def]
		if !*first {
			w.WriteByte(',')
		}
		*first = false
		if def.Type == decode.FTProtocol {
			// A protocol inside a layer (_ws.expert) is its own
			// object, as tshark nests it.
			WriteJSONString(w, ekName(def.Name))
			w.WriteByte(':')
			if len(members) > 1 {
				w.WriteByte('[')
			}
			for k, m := range members {
				if k > 0 {
					w.WriteByte(',')
				}
				_, cend := d.Children(m)
				writeEKObject(w, d, m, cend)
			}
			if len(members) > 1 {
				w.WriteByte(']')
			}
			continue
		}
		WriteJSONString(w, prefix+ekName(def.Name))
		w.WriteByte(':')
		if len(members) > 1 {
			w.WriteByte('[')
		}
		for k, m := range members {
			if k > 0 {
				w.WriteByte(',')
			}
			writeEKValue(w, &d.Fields[m])
		}
		if len(members) > 1 {
			w.WriteByte(']')
		}
		for _, m := range members {
			cs, ce := d.Children(m)
			writeEKChildren(w, d, cs, ce, prefix, first)
		}
	}
}

func writeEKValue(w *bufio.Writer, f *decode.Field) {
	switch f.Def.Type {
	case decode.FTNone:
		w.WriteString("null")
	case decode.FTBool:
		if f.U != 0 {
			w.WriteString("true")
		} else {
			w.WriteString("false")
		}
	case decode.FTAbsTime:
		WriteJSONString(w, time.Unix(0, int64(f.U)).UTC().Format("2006-01-02T15:04:05.000000000Z"))
	default:
		WriteJSONString(w, jsonValue(f))
	}
}

// jsonrawFormat is -T jsonraw: -T json's shape with each field's raw
// bytes instead of its value, as [hex, offset, length, bitmask, type].
type jsonrawFormat struct{ n int }

func (*jsonrawFormat) begin(w *bufio.Writer) { w.WriteString("[") }

func (j *jsonrawFormat) end(w *bufio.Writer) {
	if j.n > 0 {
		w.WriteString("\n")
	}
	w.WriteString("]\n")
}

func (j *jsonrawFormat) packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int) {
	if j.n > 0 {
		w.WriteString(",")
	}
	w.WriteString("\n")
	j.n++
	w.WriteString("  {\n    \"_index\": ")
	WriteJSONString(w, "packets-"+packetDate(d))
	w.WriteString(",\n    \"_type\": \"doc\",\n    \"_score\": null,\n    \"_source\": {\n      \"layers\": {\n")
	w.WriteString("        \"frame_raw\": ")
	writeRaw(w, d.Data, 0, len(d.Data), 0, 1)
	for i := 0; i < len(d.Fields); {
		f := &d.Fields[i]
		_, end := d.Children(i)
		if f.Depth == 0 && f.Def.Type == decode.FTProtocol {
			w.WriteString(",\n")
			if f.Def.Name != "frame" {
				w.WriteString("        ")
				WriteJSONString(w, f.Def.Name+"_raw")
				w.WriteString(": ")
				writeRaw(w, fieldBytes(d, f), int(f.Offset), int(f.Length), 0, 1)
				w.WriteString(",\n")
			}
			w.WriteString("        ")
			WriteJSONString(w, f.Def.Name)
			w.WriteString(": ")
			writeRawObject(w, d, i+1, end, 8)
		}
		i = end
	}
	w.WriteString("\n      }\n    }\n  }")
}

func writeRaw(w *bufio.Writer, b []byte, off, length int, mask uint64, ftype int) {
	w.WriteString("[")
	WriteJSONString(w, hex.EncodeToString(b))
	w.WriteString(", " + strconv.Itoa(off) + ", " + strconv.Itoa(length) + ", " + strconv.FormatUint(mask, 10) + ", " + strconv.Itoa(ftype) + "]")
}

func writeRawObject(w *bufio.Writer, d *decode.Dissection, start, end, indent int) {
	pad := strings.Repeat(" ", indent+2)
	w.WriteString("{")
	first := true
	for i := start; i < end; {
		f := &d.Fields[i]
		cs, ce := d.Children(i)
		if !first {
			w.WriteString(",")
		}
		first = false
		w.WriteString("\n" + pad)
		WriteJSONString(w, f.Def.Name+"_raw")
		w.WriteString(": ")
		writeRaw(w, fieldBytes(d, f), int(f.Offset), int(f.Length), f.Def.Bitmask, wiresharkFType(f.Def))
		if ce > cs {
			w.WriteString(",\n" + pad)
			WriteJSONString(w, f.Def.Name+"_tree")
			w.WriteString(": ")
			writeRawObject(w, d, cs, ce, indent+2)
		}
		i = ce
	}
	w.WriteString("\n" + strings.Repeat(" ", indent) + "}")
}

// wiresharkFType is the field's type as Wireshark's ftenum numbers it.
func wiresharkFType(d *decode.FieldDef) int {
	switch d.Type {
	case decode.FTNone:
		return 0
	case decode.FTProtocol:
		return 1
	case decode.FTBool:
		return 2
	case decode.FTUint:
		switch {
		case d.Bits == 0 || d.Bits > 32:
			return 11 // FT_UINT64
		case d.Bits <= 8:
			return 4
		case d.Bits <= 16:
			return 5
		case d.Bits <= 24:
			return 6
		}
		return 7
	case decode.FTInt:
		return 19 // FT_INT64
	case decode.FTFloat:
		return 23
	case decode.FTAbsTime:
		return 24
	case decode.FTRelTime:
		return 25
	case decode.FTString:
		return 26
	case decode.FTEther:
		return 29
	case decode.FTBytes:
		return 30
	case decode.FTIPv4:
		return 32
	case decode.FTIPv6:
		return 33
	}
	return 0
}
