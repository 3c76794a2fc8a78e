// Package output writes dissections the way tshark does: one summary line
// per packet, -T fields columns, -V trees, -x hex dumps and -T json, so that
// scripts written for tshark read wirelens's output unchanged.
package output

import (
	"bufio"
	"fmt"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/suggest"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirelens/wirelens/decode"
)

// Column fields: tshark's _ws.col.* pseudo-fields, filled from the summary.
var columns = map[string]func(s *decode.Summary) string{
	"_ws.col.No.":         func(s *decode.Summary) string { return strconv.Itoa(s.Number) },
	"_ws.col.number":      func(s *decode.Summary) string { return strconv.Itoa(s.Number) },
	"_ws.col.Time":        func(s *decode.Summary) string { return TimeColumn(s) },
	"_ws.col.Source":      func(s *decode.Summary) string { return s.Source },
	"_ws.col.def_src":     func(s *decode.Summary) string { return s.Source },
	"_ws.col.Destination": func(s *decode.Summary) string { return s.Destination },
	"_ws.col.def_dst":     func(s *decode.Summary) string { return s.Destination },
	"_ws.col.Protocol":    func(s *decode.Summary) string { return s.Protocol },
	"_ws.col.protocol":    func(s *decode.Summary) string { return s.Protocol },
	"_ws.col.Length":      func(s *decode.Summary) string { return strconv.Itoa(s.Length) },
	"_ws.col.Info":        func(s *decode.Summary) string { return s.Info },
	"_ws.col.info":        func(s *decode.Summary) string { return s.Info },
}

// Spec is the -T fields configuration (-e and -E).
type Spec struct {
	Names      []string
	Defs       []*decode.FieldDef // nil for column pseudo-fields
	Header     bool
	Separator  string
	Occurrence string // "a" all, "f" first, "l" last (tshark's -E occurrence)
	Aggregator string
	Quote      byte // 0, '"' or '\''
	BOM        bool // -E bom=y: a UTF-8 byte order mark first
	// Escape (-E escape=y, tshark 4.2) writes a backslash in a value as
	// \\ so that the \xNN escapes of control characters stay
	// unambiguous. Off by default, as tshark 4.0 has no such option.
	Escape bool

	// Time, when set, is this packet's Time column (-t); else the
	// relative time.
	Time string

	colOf [][]int  // field ID -> the columns printing it
	cols  [][]byte // each column's text for the current packet
	count []int    // occurrences written per column
}

// NewSpec resolves field names; an unknown name is an error naming it,
// with the nearest known names.
func NewSpec(names []string) (*Spec, error) {
	s := &Spec{Names: names, Separator: "\t", Occurrence: "a", Aggregator: ","}
	for _, n := range names {
		if _, ok := columns[n]; ok {
			s.Defs = append(s.Defs, nil)
			continue
		}
		d, ok := decode.LookupField(n)
		if !ok {
			return nil, fmt.Errorf("some fields aren't valid: %q is not a field wirelens knows%s", n, Suggest(n))
		}
		s.Defs = append(s.Defs, d)
	}
	return s, nil
}

// SetOption applies one -E option ("header=y", "separator=,", ...).
func (s *Spec) SetOption(opt string) error {
	k, v, ok := strings.Cut(opt, "=")
	if !ok {
		return fmt.Errorf("invalid -E option %q: want name=value (bom, header, separator, occurrence, aggregator, quote, escape)", opt)
	}
	switch k {
	case "bom", "escape":
		var on bool
		switch v {
		case "y", "Y":
			on = true
		case "n", "N":
		default:
			return fmt.Errorf("invalid -E %s value %q: want y or n", k, v)
		}
		if k == "bom" {
			s.BOM = on
		} else {
			s.Escape = on
		}
	case "header":
		switch v {
		case "y", "Y":
			s.Header = true
		case "n", "N":
			s.Header = false
		default:
			return fmt.Errorf("invalid -E header value %q: want y or n", v)
		}
	case "separator":
		switch v {
		case "/t":
			s.Separator = "\t"
		case "/s":
			s.Separator = " "
		default:
			s.Separator = v
		}
	case "occurrence":
		if v != "a" && v != "f" && v != "l" {
			return fmt.Errorf("invalid -E occurrence value %q: want a, f or l", v)
		}
		s.Occurrence = v
	case "aggregator":
		switch v {
		case "/s":
			s.Aggregator = " "
		default:
			s.Aggregator = v
		}
	case "quote":
		switch v {
		case "d":
			s.Quote = '"'
		case "s":
			s.Quote = '\''
		case "n":
			s.Quote = 0
		default:
			return fmt.Errorf("invalid -E quote value %q: want d, s or n", v)
		}
	default:
		return fmt.Errorf("invalid -E option %q: unknown name %q (bom, header, separator, occurrence, aggregator, quote, escape)", opt, k)
	}
	return nil
}

// WriteHeader writes the header line when -E header=y.
func (s *Spec) WriteHeader(w *bufio.Writer) {
	if s.BOM {
		w.WriteString("\ufeff")
	}
	if !s.Header {
		return
	}
	for i, n := range s.Names {
		if i > 0 {
			w.WriteString(s.Separator)
		}
		w.WriteString(n)
	}
	w.WriteByte('\n')
}

// WriteFields writes one -T fields line. The tree is walked once, each
// field going to the columns that print it, instead of once per column.
func (s *Spec) WriteFields(w *bufio.Writer, d *decode.Dissection) {
	s.prepare()
	for i := range s.cols {
		s.cols[i] = s.cols[i][:0]
		s.count[i] = 0
	}
	for j := range d.Fields {
		f := &d.Fields[j]
		id := f.Def.ID
		if id >= len(s.colOf) || s.colOf[id] == nil {
			continue
		}
		for _, c := range s.colOf[id] {
			switch {
			case s.Occurrence == "f" && s.count[c] > 0:
				continue
			case s.Occurrence == "l":
				s.cols[c] = s.cols[c][:0]
			case s.count[c] > 0:
				s.cols[c] = append(s.cols[c], s.Aggregator...)
			}
			if s.Escape {
				s.cols[c] = appendEscaped(s.cols[c], f.Value())
			} else {
				s.cols[c] = f.AppendValue(s.cols[c])
			}
			s.count[c]++
		}
	}
	for i, def := range s.Defs {
		if i > 0 {
			w.WriteString(s.Separator)
		}
		v := s.cols[i]
		if def == nil {
			if s.Time != "" && (s.Names[i] == "_ws.col.Time") {
				v = append(v[:0], s.Time...)
			} else {
				v = append(v[:0], columns[s.Names[i]](&d.Summary)...)
			}
			s.cols[i] = v
		}
		// tshark quotes only fields that have a value.
		if s.Quote != 0 && len(v) > 0 {
			w.WriteByte(s.Quote)
			w.Write(v)
			w.WriteByte(s.Quote)
		} else {
			w.Write(v)
		}
	}
	w.WriteByte('\n')
}

// appendEscaped doubles backslashes, as tshark 4.2's -E escape=y does
// (control characters are already \xNN, from Sanitize).
func appendEscaped(dst []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, v[i])
	}
	return dst
}

// prepare builds the field-ID to column map once.
func (s *Spec) prepare() {
	if s.colOf != nil {
		return
	}
	maxID := 0
	for _, def := range s.Defs {
		if def != nil && def.ID > maxID {
			maxID = def.ID
		}
	}
	s.colOf = make([][]int, maxID+1)
	for i, def := range s.Defs {
		if def != nil {
			s.colOf[def.ID] = append(s.colOf[def.ID], i)
		}
	}
	s.cols = make([][]byte, len(s.Defs))
	s.count = make([]int, len(s.Defs))
}

// WriteSummary writes tshark's default one-line output.
func WriteSummary(w *bufio.Writer, s *decode.Summary) {
	writeSummaryLine(w, s, TimeColumn(s))
}

// writeSummaryLine is tshark's "%5d %10s %12s → %-12s %s %d %s" line,
// written without fmt: it is the whole output of a -Y run.
func writeSummaryLine(w *bufio.Writer, s *decode.Summary, time string) {
	var num [20]byte
	n := strconv.AppendInt(num[:0], int64(s.Number), 10)
	pad(w, 5-len(n))
	w.Write(n)
	w.WriteByte(' ')
	pad(w, 10-utf8.RuneCountInString(time))
	w.WriteString(time)
	w.WriteByte(' ')
	pad(w, 12-utf8.RuneCountInString(s.Source))
	w.WriteString(s.Source)
	w.WriteString(" → ")
	w.WriteString(s.Destination)
	pad(w, 12-utf8.RuneCountInString(s.Destination))
	w.WriteByte(' ')
	w.WriteString(s.Protocol)
	w.WriteByte(' ')
	w.Write(strconv.AppendInt(num[:0], int64(s.Length), 10))
	w.WriteByte(' ')
	w.WriteString(s.Info)
	w.WriteByte('\n')
}

// pad writes n spaces (none if n <= 0), as fmt pads a width in runes.
func pad(w *bufio.Writer, n int) {
	for ; n > 0; n-- {
		w.WriteByte(' ')
	}
}

// TimeColumn writes the relative time with the file's precision, as
// tshark's Time column does.
func TimeColumn(s *decode.Summary) string {
	if s.Digits == 9 {
		return relSeconds(s.RelTime, 9)
	}
	return relSeconds(s.RelTime, 6)
}

func relSeconds(ns int64, digits int) string {
	if ns == capfile.TimeNotRepresentable {
		return "Not representable"
	}
	neg := ns < 0
	u := uint64(ns)
	if neg {
		u = -u // safe for the most negative value too
	}
	var buf [32]byte
	b := buf[:0]
	if neg {
		b = append(b, '-')
	}
	whole, frac := u/1e9, u%1e9
	if digits != 9 {
		us := (u + 500) / 1000
		whole, frac = us/1e6, us%1e6
	}
	b = strconv.AppendUint(b, whole, 10)
	b = append(b, '.')
	// the fraction with its leading zeros: digits wide
	var fd [9]byte
	for i := digits - 1; i >= 0; i-- {
		fd[i] = byte('0' + frac%10)
		frac /= 10
	}
	b = append(b, fd[:digits]...)
	return string(b)
}

// WriteTree writes the -V tree: every shown field, four spaces a level.
func WriteTree(w *bufio.Writer, d *decode.Dissection) {
	writeTreeOnly(w, d, nil)
}

// writeTreeOnly writes the tree; with only (-O) the layers not named
// there are shown by their top line alone.
func writeTreeOnly(w *bufio.Writer, d *decode.Dissection, only []string) {
	hiddenDepth := int16(-1)
	collapsed := int16(-1)
	for i := range d.Fields {
		f := &d.Fields[i]
		if hiddenDepth >= 0 {
			if f.Depth > hiddenDepth {
				continue
			}
			hiddenDepth = -1
		}
		if f.Hidden {
			hiddenDepth = f.Depth
			continue
		}
		if collapsed >= 0 {
			if f.Depth > collapsed {
				continue
			}
			collapsed = -1
		}
		if only != nil && f.Depth == 0 && f.Def.Type == decode.FTProtocol && !contains(only, f.Def.Name) {
			collapsed = f.Depth
		}
		for j := int16(0); j < f.Depth; j++ {
			w.WriteString("    ")
		}
		w.WriteString(decode.Sanitize(f.Line()))
		w.WriteByte('\n')
	}
}

// WriteHex writes the -x dump: offset, 16 bytes in hex, then ASCII with
// dots for everything not printable, so packet bytes never reach the
// terminal raw.
func WriteHex(w *bufio.Writer, data []byte) {
	for off := 0; off < len(data); off += 16 {
		end := min(off+16, len(data))
		fmt.Fprintf(w, "%04x  ", off)
		for i := off; i < off+16; i++ {
			if i < end {
				fmt.Fprintf(w, "%02x ", data[i])
			} else {
				w.WriteString("   ")
			}
		}
		w.WriteString("  ")
		for i := off; i < end; i++ {
			c := data[i]
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			w.WriteByte(c)
		}
		w.WriteByte('\n')
	}
}

// Suggest returns ", did you mean X or Y?" for the field names nearest to
// name, or "".
func Suggest(name string) string {
	best := nearest(name, 3)
	if len(best) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(best, " or ") + "?"
}

func nearest(name string, n int) []string {
	var names, prefixed []string
	for _, def := range decode.Fields() {
		names = append(names, def.Name)
		if strings.HasPrefix(def.Name, name+".") && len(prefixed) < n {
			prefixed = append(prefixed, def.Name)
		}
	}
	if near := suggest.Nearest(name, names, max(2, len(name)/4), n); len(near) > 0 {
		return near
	}
	return prefixed
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
