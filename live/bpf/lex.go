package bpf

import (
	"fmt"
	"net/netip"
	"strings"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tWord
	tEscaped // \name, a protocol name that would otherwise be a keyword
	tOp      // punctuation and operators; text holds the operator
)

type token struct {
	kind tokKind
	text string
	col  int // 1-based
}

func (t token) String() string {
	if t.kind == tEOF {
		return "end of expression"
	}
	if t.kind == tEscaped {
		return fmt.Sprintf("%q", `\`+t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lex splits the expression like libpcap's scanner does where it matters:
// words may contain '-', '.', and '_' (so "tcp-syn", "ftp-data" and
// "1-1023" are single words, and "len-1" is a word, not len minus 1, as in
// tcpdump), and ':' only when the result is a MAC or IPv6 address, so that
// "tcp[2:2]" still splits at the colon.
func lex(expr string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(expr) {
		c := expr[i]
		col := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case isAlnum(c) || c == ':' && i+1 < len(expr) && expr[i+1] == ':':
			w := scanWord(expr[i:])
			if w == "" {
				return nil, &Error{Expr: expr, Column: col, Msg: fmt.Sprintf("unexpected character %q", c)}
			}
			toks = append(toks, token{kind: tWord, text: w, col: col})
			i += len(w)
			continue
		case c == '\\':
			w := scanWord(expr[i+1:])
			if w == "" {
				return nil, &Error{Expr: expr, Column: col, Msg: `"\" must be followed by a name`}
			}
			toks = append(toks, token{kind: tEscaped, text: w, col: col})
			i += 1 + len(w)
			continue
		}
		two := ""
		if i+1 < len(expr) {
			two = expr[i : i+2]
		}
		switch two {
		case "&&", "||", "==", "!=", "<=", ">=", "<<", ">>":
			toks = append(toks, token{kind: tOp, text: two, col: col})
			i += 2
			continue
		}
		if strings.IndexByte("()[]:!&|+-*/%^=<>", c) >= 0 {
			toks = append(toks, token{kind: tOp, text: string(c), col: col})
			i++
			continue
		}
		return nil, &Error{Expr: expr, Column: col, Msg: fmt.Sprintf("unexpected character %q", c)}
	}
	toks = append(toks, token{kind: tEOF, col: len(expr) + 1})
	return toks, nil
}

// scanWord returns the longest word at the start of s. A word ends in an
// alphanumeric or '.', like libpcap's ID pattern, so "tcp-" is "tcp"
// followed by a minus.
func scanWord(s string) string {
	// First try a run including ':' for MAC and IPv6 addresses.
	j := 0
	for j < len(s) && (isWordByte(s[j]) || s[j] == ':') {
		j++
	}
	w := s[:j]
	if strings.Contains(w, ":") {
		if _, ok := parseMAC(w); ok {
			return w
		}
		if a, err := netip.ParseAddr(w); err == nil && a.Is6() && a.Zone() == "" {
			return w
		}
		j = 0
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w = s[:j]
	}
	for len(w) > 0 && (w[len(w)-1] == '-' || w[len(w)-1] == '_') {
		w = w[:len(w)-1]
	}
	return w
}
