package filter

import (
	"sort"
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
	if s := suggest(name, decode.Fields()); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg
}

// suggest returns up to three names closest to name, or none when nothing is
// close enough to be a plausible typo.
func suggest(name string, defs []*decode.FieldDef) []string {
	limit := min(max(1, len(name)/5), 3) // short names need a closer match
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	for _, d := range defs {
		if abs(len(d.Name)-len(name)) > limit {
			continue // cannot be within the limit; skips most of a large registry cheaply
		}
		if dist := editDistance(strings.ToLower(name), strings.ToLower(d.Name)); dist <= limit {
			cs = append(cs, cand{d.Name, dist})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	var out []string
	for _, c := range cs {
		if len(out) == 3 || c.dist > cs[0].dist {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one, the last
// because "tcp.prot" is a common slip.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
