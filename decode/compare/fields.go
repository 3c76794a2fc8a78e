package compare

import (
	"strconv"

	"github.com/wirelens/wirelens/decode"
)

var (
	fCompare = decode.Register(decode.FieldDef{Name: "wirelens.compare", Label: "wirelens comparison with the other capture", Type: decode.FTProtocol})
	fStatus  = decode.Register(decode.FieldDef{Name: "wirelens.compare.status", Label: "Status", Type: decode.FTString})
	fPeer    = decode.Register(decode.FieldDef{Name: "wirelens.compare.peer", Label: "Counterpart frame", Type: decode.FTUint})
	fDiff    = decode.Register(decode.FieldDef{Name: "wirelens.compare.diff", Label: "First difference", Type: decode.FTString})
	fVerdict = decode.Register(decode.FieldDef{Name: "wirelens.compare.verdict", Label: "Verdict", Type: decode.FTString})
)

// Fields are the comparison's field definitions, for a lean dissection to
// know they are computed outside the dissector.
func Fields() []*decode.FieldDef {
	return []*decode.FieldDef{fCompare, fStatus, fPeer, fDiff, fVerdict}
}

// DiffText is wirelens.compare.diff's value: "OFFSET FIELD", the byte
// offset in the frame and the field that holds it.
func (r *Result) DiffText() string {
	if r.DiffField == "" {
		return ""
	}
	if r.DiffOff < 0 {
		return r.DiffField
	}
	return strconv.Itoa(r.DiffOff) + " " + r.DiffField
}

// Annotate appends the comparison's fields to a dissection of the
// compared frame, at the end of its tree as the hints are, so display
// filters and -T fields read them like any other field.
func Annotate(d *decode.Dissection, r *Result) {
	d.Fields = append(d.Fields, decode.Field{Def: fCompare, Generated: true, S: "wirelens comparison: " + r.Status.String()})
	add := func(f decode.Field) {
		f.Depth, f.Generated = 1, true
		d.Fields = append(d.Fields, f)
	}
	add(decode.Field{Def: fStatus, S: r.Status.String()})
	for _, p := range r.Peers {
		add(decode.Field{Def: fPeer, U: uint64(p)})
	}
	if t := r.DiffText(); t != "" {
		add(decode.Field{Def: fDiff, S: t})
	}
	if r.Verdict != VerdictNone {
		add(decode.Field{Def: fVerdict, S: r.Verdict.String()})
	}
}
