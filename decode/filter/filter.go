// Package filter compiles and runs Wireshark display filters
// ("tcp.port in {80, 443} and not ip.addr == 10.0.0.0/8") over dissected
// frames.
//
// The language follows Wireshark 4.0 as tshark 4.0 behaves, checked case by
// case: "not" binds tightest, then "and", then "or" (so "a or b and c" is
// "a or (b and c)"); a field alone tests presence; a
// repeated field (ip.addr, tcp.port) matches when any occurrence does, and
// "!=" means no occurrence equals (with the field present) while "!==" means
// some occurrence differs; "matches" ignores case unless the pattern says
// (?-i); literals are read according to the field they are compared with.
//
// Filters are compiled once and type checked against the registered field
// definitions, so Match compares integers, addresses and byte strings
// directly and does not allocate.
package filter

import (
	"slices"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// Filter is a compiled display filter. It is safe for concurrent use.
type Filter struct {
	expr   string
	root   node // nil for an empty expression, which matches every frame
	fields []*decode.FieldDef
}

// Compile parses and type checks expr against the registered fields.
// Errors are *SyntaxError. An empty expression gives a filter that matches
// everything, as an empty display filter does in Wireshark.
func Compile(expr string) (*Filter, error) {
	f := &Filter{expr: expr}
	if strings.TrimSpace(expr) == "" {
		return f, nil
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{expr: expr, toks: toks, seen: map[*decode.FieldDef]bool{}}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	f.root, f.fields = root, p.fields
	return f, nil
}

// Fields lists the fields the filter names, in order of first use, so a
// dissector can skip work no filter or column needs.
func (f *Filter) Fields() []*decode.FieldDef { return slices.Clone(f.fields) }

// Match reports whether the frame passes the filter.
func (f *Filter) Match(d *decode.Dissection) bool {
	if f.root == nil {
		return true
	}
	return f.root.match(d)
}

// String returns the expression as given.
func (f *Filter) String() string { return f.expr }

var _ decode.Matcher = (*Filter)(nil)
