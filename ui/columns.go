package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/prefs"
)

// The packet list's columns are data: Wireshark's gui.column.format (title
// and format pairs), gui.column.hidden and wirelens's own
// wirelens.column.width, registered here because the list is what reads
// them. A format is one of Wireshark's built-in codes (%m No., %t Time,
// %s Source, ...), a custom column of any field ("%Cus:tcp.window_size"),
// whose values come from the field's one definition as for the filter and
// -e, or wirelens's Checks column, the custom column of the pseudo-field
// wirelens.checks (Wireshark shows it empty). The one-cell mark column
// (! ~ *) always comes first and is not configurable.

// checksField is the Checks column's pseudo-field.
const checksField = "wirelens.checks"

// defaultColumnFormat is wirelens's default gui.column.format: Wireshark's
// with the Checks column, and shorter titles where a narrow terminal needs
// the room.
const defaultColumnFormat = `"No.", "%m", "Time", "%t", "Source", "%s", "Destination", "%d", "Proto", "%p", ` +
	`"Length", "%L", "Checks", "%Cus:` + checksField + `:0:R", "Info", "%i"`

var (
	prefColFormat = prefs.Register(prefs.Switch{Name: "gui.column.format",
		Desc: []string{"Packet list column format",
			"Each pair of strings consists of a column title and its format",
			"(Wireshark's; %Cus:" + checksField + " is wirelens's Checks column)"},
		DefaultText: defaultColumnFormat,
		Check:       checkColumnFormat})
	prefColHidden = prefs.Register(prefs.Switch{Name: "gui.column.hidden",
		Desc:  []string{"Packet list hidden columns", "List all columns to hide in the packet list."},
		Check: func(s string) error { _, err := prefs.ParseColumnHidden(s); return err }})
	prefColWidth = prefs.Register(prefs.Switch{Name: "wirelens.column.width",
		Desc: []string{"Packet list column widths, in terminal cells",
			"Each pair of strings consists of a column format and its width (0: from the content)",
			"Not a Wireshark preference: Wireshark keeps its pixel widths in its recent file"},
		Check: func(s string) error { _, err := prefs.ParseColumnWidths(s); return err }})
)

// builtinFormats are the Wireshark formats the list draws from the summary
// row; Wireshark's resolved and unresolved variants are the same here
// (wirelens never resolves names).
var builtinFormats = map[string]colID{
	"%m": colNo, "%t": colTime, "%Rt": colTime, "%At": colTime, "%Yt": colTime, "%Yut": colTime,
	"%Tt": colTime, "%Gt": colTime,
	"%s": colSrc, "%rs": colSrc, "%us": colSrc,
	"%d": colDst, "%rd": colDst, "%ud": colDst,
	"%p": colProto, "%L": colLen, "%i": colInfo,
}

// timeFormats are the fixed time formats of the Time codes other than %t
// (which follows t).
var timeFormats = map[string]timeFormat{
	"%Rt": timeRelative, "%At": timeOfDay, "%Yt": timeDateOfDay, "%Yut": timeUTCDate,
	"%Tt": timeDeltaCaptured, "%Gt": timeDeltaDisplayed,
}

// fieldFormats are the Wireshark formats that are the value of fields:
// they are custom columns over these.
var fieldFormats = map[string][]string{
	"%S": {"tcp.srcport", "udp.srcport", "sctp.srcport"}, "%rS": {"tcp.srcport", "udp.srcport", "sctp.srcport"},
	"%uS": {"tcp.srcport", "udp.srcport", "sctp.srcport"},
	"%D":  {"tcp.dstport", "udp.dstport", "sctp.dstport"}, "%rD": {"tcp.dstport", "udp.dstport", "sctp.dstport"},
	"%uD": {"tcp.dstport", "udp.dstport", "sctp.dstport"},
	"%hs": {"eth.src"}, "%rhs": {"eth.src"}, "%uhs": {"eth.src"},
	"%hd": {"eth.dst"}, "%rhd": {"eth.dst"}, "%uhd": {"eth.dst"},
	"%ns": {"ip.src", "ipv6.src"}, "%rns": {"ip.src", "ipv6.src"}, "%uns": {"ip.src", "ipv6.src"},
	"%nd": {"ip.dst", "ipv6.dst"}, "%rnd": {"ip.dst", "ipv6.dst"}, "%und": {"ip.dst", "ipv6.dst"},
	"%q": {"vlan.id"}, "%f": {"ip.dsfield.dscp"},
}

// colDef is one configured column, resolved against the fields wirelens
// knows.
type colDef struct {
	id    colID
	title string
	pc    prefs.Column
	tfmt  timeFormat         // a Time column's fixed format; -1 follows t
	defs  []*decode.FieldDef // a field column's fields
	slot  int                // a field column's index among them (value cache, width hints)
}

// spec is the column's format, which names it in gui.column.hidden and
// wirelens.column.width.
func (d *colDef) spec() string { return d.pc.Spec() }

// resolveColumn checks one column and says how it is drawn.
func resolveColumn(c prefs.Column) (colDef, error) {
	d := colDef{title: c.Title, pc: c, tfmt: -1}
	if id, ok := builtinFormats[c.Format]; ok {
		d.id = id
		if f, ok := timeFormats[c.Format]; ok {
			d.tfmt = f
		}
		return d, nil
	}
	names := c.Fields
	if fs, ok := fieldFormats[c.Format]; ok {
		names = fs
	} else if c.Format != prefs.CustomFormat {
		return d, fmt.Errorf("column %s: format %s is not one wirelens shows (it shows %s and %%Cus:FIELD)",
			quoteText(c.Title), quoteText(c.Format), strings.Join(knownFormats(), " "))
	}
	if c.Format == prefs.CustomFormat && len(names) == 1 && names[0] == checksField {
		d.id = colChecks
		return d, nil
	}
	d.id = colCustom
	for _, n := range names {
		def, ok := decode.LookupField(n)
		if !ok {
			if c.Format != prefs.CustomFormat {
				continue // a protocol this build does not have
			}
			return d, fmt.Errorf("column %s: %q is not a field wirelens knows%s", quoteText(c.Title), n, output.Suggest(n))
		}
		d.defs = append(d.defs, def)
	}
	if len(d.defs) == 0 {
		return d, fmt.Errorf("column %s: format %s needs fields this build does not have", quoteText(c.Title), c.Format)
	}
	return d, nil
}

func quoteText(s string) string { return fmt.Sprintf("%q", decode.Sanitize(s)) }

// knownFormats lists the built-in formats, for error messages and help.
func knownFormats() []string {
	var out []string
	for f := range builtinFormats {
		out = append(out, f)
	}
	for f := range fieldFormats {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// checkColumnFormat is gui.column.format's check: the syntax, then every
// format and field.
func checkColumnFormat(s string) error {
	cols, err := prefs.ParseColumnFormat(s)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if _, err := resolveColumn(c); err != nil {
			return err
		}
	}
	return nil
}

// columnDefs reads the columns from the preferences. A value that does not
// resolve (which Set refuses, so only a Prefs built otherwise) gives the
// defaults.
func columnDefs(p prefs.Prefs) []colDef {
	defs, err := parseColumnDefs(p.Text(prefColFormat), p.Text(prefColHidden), p.Text(prefColWidth))
	if err != nil {
		return defaultColumnDefs()
	}
	return defs
}

func defaultColumnDefs() []colDef {
	defs, err := parseColumnDefs(defaultColumnFormat, "", "")
	if err != nil {
		panic("ui: bad default columns: " + err.Error())
	}
	return defs
}

func parseColumnDefs(format, hidden, widths string) ([]colDef, error) {
	cols, err := prefs.ParseColumnFormat(format)
	if err != nil {
		return nil, err
	}
	hid, err := prefs.ParseColumnHidden(hidden)
	if err != nil {
		return nil, err
	}
	wid, err := prefs.ParseColumnWidths(widths)
	if err != nil {
		return nil, err
	}
	cols = prefs.ApplyColumnPrefs(cols, hid, wid)
	out := make([]colDef, 0, len(cols))
	for _, c := range cols {
		d, err := resolveColumn(c)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	numberSlots(out)
	return out, nil
}

// numberSlots gives each field column its value slot.
func numberSlots(defs []colDef) {
	n := 0
	for i := range defs {
		if defs[i].id == colCustom {
			defs[i].slot = n
			n++
		}
	}
}

// setColumnPrefs writes defs into p's three column preferences.
func setColumnPrefs(p *prefs.Prefs, defs []colDef) error {
	cols := make([]prefs.Column, len(defs))
	for i, d := range defs {
		cols[i] = d.pc
	}
	f, h, w := prefs.FormatColumns(cols)
	for _, kv := range [][2]string{{"gui.column.format", f}, {"gui.column.hidden", h}, {"wirelens.column.width", w}} {
		if err := p.Set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// maxFieldWidth bounds a field column sized from its content.
const maxFieldWidth = 30

// fieldValues are frame's values for the field columns among defs, one
// string per slot: the occurrences the column asks for, joined by commas,
// as tshark's custom columns show them.
func fieldValues(d *decode.Dissection, defs []colDef) []string {
	var out []string
	for i := range defs {
		c := &defs[i]
		if c.id != colCustom {
			continue
		}
		var vals []string
		for _, def := range c.defs {
			for j := range d.Fields {
				f := &d.Fields[j]
				if f.Def != def {
					continue
				}
				vals = append(vals, fieldText(f, c.pc.Resolved))
			}
		}
		switch n := c.pc.Occurrence; {
		case n > 0 && n <= len(vals):
			vals = vals[n-1 : n]
		case n < 0 && -n <= len(vals):
			vals = vals[len(vals)+n : len(vals)+n+1]
		case n != 0:
			vals = nil
		}
		out = append(out, decode.Sanitize(strings.Join(vals, ",")))
	}
	return out
}

// fieldText is a field's value in a column: resolved shows the value's
// name where the field has one ("UDP" for ip.proto 17), as Wireshark does.
func fieldText(f *decode.Field, resolved bool) string {
	if resolved && f.Def.Values != nil && (f.Def.Type == decode.FTUint || f.Def.Type == decode.FTInt) {
		if name, ok := f.Def.Values[f.U]; ok {
			return name
		}
	}
	return f.Value()
}
