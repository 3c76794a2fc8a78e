package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// Filters from fields and copying, as Wireshark's "Apply as Filter",
// "Prepare as Filter" and "Copy" menus: the selected tree field becomes
// `name == value`, alone or joined to the applied filter.

// fieldFilter is the display filter that matches f's value: `name` for a
// protocol or a field without a value, `name == value` otherwise. Strings
// are quoted with every byte outside printable ASCII escaped, so the text
// is exact and safe to show.
func fieldFilter(f *decode.Field) string {
	d := f.Def
	switch d.Type {
	case decode.FTNone, decode.FTProtocol:
		return d.Name
	case decode.FTString:
		return d.Name + " == " + filterQuote(f.S)
	case decode.FTBytes:
		if len(f.B) == 0 {
			return d.Name
		}
		var b strings.Builder
		for i, c := range f.B {
			if i > 0 {
				b.WriteByte(':')
			}
			fmt.Fprintf(&b, "%02x", c)
		}
		return d.Name + " == " + b.String()
	case decode.FTAbsTime:
		// Seconds since the epoch: exact, and free of time zones.
		ns := int64(f.U)
		if ns < 0 {
			return d.Name
		}
		return fmt.Sprintf("%s == %d.%09d", d.Name, ns/1e9, ns%1e9)
	}
	v := f.Value()
	if v == "" {
		return d.Name
	}
	return d.Name + " == " + v
}

func filterQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\x%02x", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// combineFilter joins the field's filter to the applied one as Wireshark's
// "...and Selected", "...or Selected", "Not Selected" do.
func combineFilter(applied, field string, op rune) string {
	switch op {
	case '!':
		field = "!(" + field + ")"
		if applied == "" {
			return field
		}
		return "(" + applied + ") && " + field
	case '&':
		if applied != "" {
			return "(" + applied + ") && " + field
		}
	case '|':
		if applied != "" {
			return "(" + applied + ") || " + field
		}
	}
	return field
}

// selectedField is the field under the tree cursor, or nil.
func (v *view) selectedField() *decode.Field {
	i := v.detail.selectedField()
	if v.diss == nil || i < 0 || i >= len(v.diss.Fields) {
		return nil
	}
	return &v.diss.Fields[i]
}

// fieldAsFilter is a / A / & / | / ! on a tree field: apply the filter made
// from it (alone or joined to the applied one), or only prepare it in the
// filter bar (A) for editing.
func (v *view) fieldAsFilter(op rune) bool {
	f := v.selectedField()
	if f == nil {
		v.message("no field selected", true)
		return true
	}
	expr := combineFilter(v.filt.expr, fieldFilter(f), op)
	if op == 'A' {
		v.filter.input.SetText(expr)
		v.focusFilter()
		return true
	}
	m, err := v.filter.applyText(expr)
	if err != nil {
		v.message("filter: "+errorLine(err), true)
		return true
	}
	keep := v.list.selected()
	v.applyFilter(expr, m)
	v.filt.jumpTo = keep
	return true
}

// fieldStatus is what the status bar says about the selected field, as
// Wireshark's: its description, filter name and size.
func fieldStatus(f *decode.Field) string {
	if f == nil || f.Def == nil {
		return ""
	}
	s := decode.Sanitize(f.Def.Label) + " (" + decode.Sanitize(f.Def.Name) + ")"
	switch f.Length {
	case 0:
	case 1:
		s += ", 1 byte"
	default:
		s += fmt.Sprintf(", %d bytes", f.Length)
	}
	return s
}

// copyText puts text on the clipboard through OSC 52 (tcell base64-encodes
// it, so nothing in it reaches the terminal as a control) and always says
// what was copied, which is the fallback when the terminal ignores OSC 52.
// Every text comes from wirelens's own output, sanitised.
func (v *view) copyText(what, text string) {
	text = decode.Sanitize(text)
	v.screen.SetClipboard([]byte(text))
	v.lastCopy = text
	v.message(fmt.Sprintf("copied %s: %s", what, text), false)
}

// copySelected is y: the packet summary in the list, the field's value in
// the tree, the bytes (the field's, or the whole frame's) as hex in the
// bytes pane; Y copies the field as a display filter.
func (v *view) copySelected(ev *tcell.EventKey) bool {
	if ev.Rune() == 'Y' {
		if f := v.selectedField(); f != nil {
			v.copyText("filter", fieldFilter(f))
		} else {
			v.message("no field selected", true)
		}
		return true
	}
	switch {
	case v.detail.tree.HasFocus():
		f := v.selectedField()
		if f == nil {
			v.message("no field selected", true)
			return true
		}
		val := f.DisplayValue()
		if val == "" {
			val = f.Line()
		}
		v.copyText(decode.Sanitize(f.Def.Name), val)
	case v.bytes.HasFocus():
		if v.diss == nil {
			return true
		}
		data := v.diss.Data
		if f := v.selectedField(); f != nil && f.Length > 0 && int(f.Offset+f.Length) <= len(data) {
			data = data[f.Offset : f.Offset+f.Length]
		}
		v.copyText(fmt.Sprintf("%d bytes", len(data)), fmt.Sprintf("%x", data))
	default:
		fr := v.list.selected()
		if fr < 0 {
			return true
		}
		r := v.list.row(fr)
		s := r.Summary
		v.copyText("summary", fmt.Sprintf("%d %s %s → %s %s %d %s", s.Number, formatRelTime(s.RelTime),
			s.Source, s.Destination, s.Protocol, s.Length, s.Info))
	}
	return true
}
