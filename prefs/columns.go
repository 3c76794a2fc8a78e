package prefs

import (
	"fmt"
	"strconv"
	"strings"
)

// Column is one packet-list column as Wireshark's gui.column.format
// describes it: a title and a format, "%m" (No.), "%t" (Time), ..., or a
// custom column "%Cus:FIELDS:OCCURRENCE:DISPLAY" that shows the values of
// fields ("tcp.window_size", or several joined by "||"). Hidden comes from
// gui.column.hidden, Width from wirelens.column.width. It is plain data:
// which formats and fields exist is for the user of the columns to say.
type Column struct {
	Title  string
	Format string // the format code: "%m", "%t", ..., "%Cus"

	// custom columns ("%Cus") only
	Fields     []string // field names, in the order the column shows them
	Occurrence int      // 0: all occurrences; n > 0 the nth; n < 0 the nth from the end
	Resolved   bool     // 'R': value names ("UDP"); 'U': raw values ("17")

	Hidden bool
	Width  int // cells; 0: sized from the content
}

// MaxColumns bounds the columns one preference holds.
const MaxColumns = 64

// CustomFormat is the format code of a custom (field) column.
const CustomFormat = "%Cus"

// Spec is the column's full format as gui.column.format and
// gui.column.hidden write it: "%m", or "%Cus:tcp.window_size:0:R".
func (c Column) Spec() string {
	if c.Format != CustomFormat {
		return c.Format
	}
	d := "U"
	if c.Resolved {
		d = "R"
	}
	return fmt.Sprintf("%s:%s:%d:%s", CustomFormat, strings.Join(c.Fields, " || "), c.Occurrence, d)
}

// ParseColumnSpec reads one column format: "%m", or a custom column
// "%Cus:FIELDS[:OCCURRENCE[:DISPLAY]]" (occurrence 0 and R when left
// out, as Wireshark takes them). The title is left empty.
func ParseColumnSpec(spec string) (Column, error) {
	spec = trimSpace(spec)
	if !strings.HasPrefix(spec, "%") || len(spec) < 2 {
		return Column{}, fmt.Errorf("column format %s does not start with %% (e.g. %%m, %%Cus:tcp.window_size:0:R)", quoteShort(spec))
	}
	if !strings.HasPrefix(spec, CustomFormat) {
		if strings.ContainsRune(spec, ':') {
			return Column{}, fmt.Errorf("column format %s: only %%Cus columns take fields", quoteShort(spec))
		}
		for _, r := range spec[1:] {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return Column{}, fmt.Errorf("column format %s: a format is %% and letters (e.g. %%m, %%Yut)", quoteShort(spec))
			}
		}
		return Column{Format: spec}, nil
	}
	rest, ok := strings.CutPrefix(spec, CustomFormat+":")
	if !ok {
		return Column{}, fmt.Errorf("custom column %s needs its fields: %%Cus:FIELD[:OCCURRENCE[:R|U]]", quoteShort(spec))
	}
	c := Column{Format: CustomFormat, Resolved: true}
	parts := strings.Split(rest, ":")
	if len(parts) > 3 {
		return Column{}, fmt.Errorf("custom column %s has too many parts: want %%Cus:FIELD[:OCCURRENCE[:R|U]]", quoteShort(spec))
	}
	for _, f := range strings.Split(parts[0], "||") {
		f = trimSpace(f)
		if f == "" || strings.ContainsFunc(f, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
		}) {
			return Column{}, fmt.Errorf("custom column %s: bad field name %s (fields are joined by ||)", quoteShort(spec), quoteShort(f))
		}
		c.Fields = append(c.Fields, f)
	}
	if len(parts) > 1 && trimSpace(parts[1]) != "" {
		n, err := strconv.Atoi(trimSpace(parts[1]))
		if err != nil || n < -1000 || n > 1000 {
			return Column{}, fmt.Errorf("custom column %s: bad occurrence %s (0 all, 1 the first, -1 the last)", quoteShort(spec), quoteShort(parts[1]))
		}
		c.Occurrence = n
	}
	if len(parts) > 2 {
		switch trimSpace(parts[2]) {
		case "R", "":
		case "U":
			c.Resolved = false
		default:
			return Column{}, fmt.Errorf("custom column %s: display %s is not R (resolved) or U (unresolved)", quoteShort(spec), quoteShort(parts[2]))
		}
	}
	return c, nil
}

// ParseColumnFormat reads gui.column.format: pairs of quoted strings,
// title and format, separated by commas.
func ParseColumnFormat(s string) ([]Column, error) {
	items, err := parseStringList(s)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no columns: want \"title\", \"format\" pairs, e.g. \"No.\", \"%%m\", \"Info\", \"%%i\"")
	}
	if len(items)%2 != 0 {
		return nil, fmt.Errorf("%d strings: want \"title\", \"format\" pairs (the last title, %s, has no format)", len(items), quoteShort(items[len(items)-1]))
	}
	if len(items)/2 > MaxColumns {
		return nil, fmt.Errorf("%d columns: at most %d", len(items)/2, MaxColumns)
	}
	var cols []Column
	for i := 0; i < len(items); i += 2 {
		c, err := ParseColumnSpec(items[i+1])
		if err != nil {
			return nil, fmt.Errorf("column %d (%s): %w", i/2+1, quoteShort(items[i]), err)
		}
		if strings.ContainsFunc(items[i], func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, fmt.Errorf("column %d: title %s has a control character", i/2+1, quoteShort(items[i]))
		}
		c.Title = items[i]
		cols = append(cols, c)
	}
	return cols, nil
}

// ParseColumnHidden reads gui.column.hidden: column formats separated by
// commas; a column whose format is listed is hidden.
func ParseColumnHidden(s string) ([]string, error) {
	items, err := parseStringList(s)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range items {
		c, err := ParseColumnSpec(it)
		if err != nil {
			return nil, err
		}
		out = append(out, c.Spec())
	}
	return out, nil
}

// ParseColumnWidths reads wirelens.column.width: pairs of a column format
// and its width in cells (0: sized from the content).
func ParseColumnWidths(s string) (map[string]int, error) {
	items, err := parseStringList(s)
	if err != nil {
		return nil, err
	}
	if len(items)%2 != 0 {
		return nil, fmt.Errorf("%d strings: want \"format\", \"width\" pairs", len(items))
	}
	out := map[string]int{}
	for i := 0; i < len(items); i += 2 {
		c, err := ParseColumnSpec(items[i])
		if err != nil {
			return nil, err
		}
		w, err := strconv.Atoi(trimSpace(items[i+1]))
		if err != nil || w < 0 || w > 500 {
			return nil, fmt.Errorf("width %s of column %s: want a number of cells from 0 (from the content) to 500", quoteShort(items[i+1]), quoteShort(items[i]))
		}
		out[c.Spec()] = w
	}
	return out, nil
}

// ApplyColumnPrefs completes cols from the hidden list and the widths.
func ApplyColumnPrefs(cols []Column, hidden []string, widths map[string]int) []Column {
	hide := map[string]bool{}
	for _, h := range hidden {
		hide[h] = true
	}
	out := make([]Column, len(cols))
	for i, c := range cols {
		c.Hidden = hide[c.Spec()]
		c.Width = widths[c.Spec()]
		out[i] = c
	}
	return out
}

// FormatColumns writes cols back as the three preferences' values.
func FormatColumns(cols []Column) (format, hidden, widths string) {
	var f, h, w []string
	for _, c := range cols {
		f = append(f, quoteList(c.Title), quoteList(c.Spec()))
		if c.Hidden {
			h = append(h, c.Spec())
		}
		if c.Width > 0 {
			w = append(w, quoteList(c.Spec()), quoteList(strconv.Itoa(c.Width)))
		}
	}
	return strings.Join(f, ", "), strings.Join(h, ","), strings.Join(w, ", ")
}

// quoteList quotes a list item as Wireshark's string lists do.
func quoteList(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// parseStringList reads a Wireshark string list: items separated by
// commas, each "quoted" (with \" and \\ escapes) or bare (trimmed). An
// empty list is no items.
func parseStringList(s string) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(s) && strings.IndexByte(asciiSpace, s[i]) >= 0 {
			i++
		}
		if i >= len(s) {
			if len(out) > 0 {
				return nil, fmt.Errorf("the list ends with a comma")
			}
			return out, nil
		}
		var item string
		if s[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				i++
				if c == '\\' && i < len(s) {
					b.WriteByte(s[i])
					i++
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("unterminated quote in %s", quoteShort(s))
			}
			item = b.String()
			for i < len(s) && strings.IndexByte(asciiSpace, s[i]) >= 0 {
				i++
			}
			if i < len(s) && s[i] != ',' {
				return nil, fmt.Errorf("text after a quoted item in %s: items are separated by commas", quoteShort(s))
			}
		} else {
			j := strings.IndexByte(s[i:], ',')
			if j < 0 {
				j = len(s) - i
			}
			item = trimSpace(s[i : i+j])
			if strings.ContainsRune(item, '"') {
				return nil, fmt.Errorf("stray quote in %s", quoteShort(item))
			}
			i += j
		}
		out = append(out, item)
		if len(out) > 4*MaxColumns {
			return nil, fmt.Errorf("more than %d items", 4*MaxColumns)
		}
		if i >= len(s) {
			return out, nil
		}
		i++ // the comma
	}
}
