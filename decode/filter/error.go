package filter

import (
	"github.com/wirelens/wirelens/decode/suggest"
	"strings"
	"unicode/utf8"

	"github.com/wirelens/wirelens/decode"
)

// SyntaxError is why an expression did not compile. Pos and Len are byte
// offsets into Expr of the part that is wrong; Len 0 means "at this point"
// (e.g. the end of the expression).
type SyntaxError struct {
	Expr     string
	Pos, Len int
	Msg      string
}

// Error writes the message and, as Wireshark does, the expression with a
// caret line under the bad part, so the user sees where without counting.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	b.WriteString("\n    ")
	b.WriteString(e.Expr)
	b.WriteString("\n    ")
	// Columns count runes, not bytes, so the caret lines up on a terminal
	// when the expression holds non-ASCII text.
	pos := min(max(e.Pos, 0), len(e.Expr))
	b.WriteString(strings.Repeat(" ", utf8.RuneCountInString(e.Expr[:pos])))
	b.WriteByte('^')
	end := min(pos+e.Len, len(e.Expr))
	if n := utf8.RuneCountInString(e.Expr[pos:end]); n > 1 {
		b.WriteString(strings.Repeat("~", n-1))
	}
	return b.String()
}

func errAt(expr string, pos, n int, msg string) *SyntaxError {
	return &SyntaxError{Expr: expr, Pos: pos, Len: n, Msg: msg}
}

// unknownField words the error for a name that is no registered field, with
// the nearest registered names by edit distance, since most such errors are
// typos (tcp.chksum) or half-remembered names.
func unknownField(name string) string {
	msg := quote(name) + " is not a valid protocol or protocol field"
	if s := nearFields(name, decode.Fields()); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg
}

// nearFields returns up to three names closest to name, or none when nothing is
// close enough to be a plausible typo.
func nearFields(name string, defs []*decode.FieldDef) []string {
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	return suggest.Nearest(name, names, min(max(1, len(name)/5), 3), 3) // short names need a closer match
}
