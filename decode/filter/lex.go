package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // unparsed text: a field name, keyword or literal (80, 10.0.0.0/8, fe80::1, aa:bb, Bad)
	tString         // "quoted" or r"raw"; val holds the unescaped text
	tChar           // 'c'; val holds the single byte
	tLParen         // (
	tRParen         // )
	tLBrace         // {
	tRBrace         // }
	tComma          // ,
	tDotDot         // ..
	tSlice          // [ ... ]; val holds the text between the brackets
	tOp             // == != === !== ~= < > <= >= ~ && || ! ^^
)

type token struct {
	kind tokKind
	pos  int    // byte offset of the token in the expression
	len  int    // bytes the token spans, for the caret line
	text string // the source text
	val  string // unescaped value of strings and chars, range text of slices
}

// wordByte reports whether c may appear in an unparsed word. Wireshark lexes
// field names, numbers, addresses and byte strings as one class of word and
// decides what it is only once the field on the other side is known, which
// is what lets "00:11:22", "fe80::1", "10.0.0.0/8" and "ip.src" share a lexer.
func wordByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '_', c == '.', c == ':', c == '-', c == '/', c == '+':
		return true
	}
	return c >= 0x80 // let non-ASCII into words so the error names the whole word
}

// lex splits expr into tokens. Errors carry the position of the bad input.
func lex(expr string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(expr) && isSpace(expr[i]) {
			i++
		}
		if i >= len(expr) {
			toks = append(toks, token{kind: tEOF, pos: len(expr)})
			return toks, nil
		}
		c := expr[i]
		start := i
		tk := func(k tokKind, n int) {
			toks = append(toks, token{kind: k, pos: start, len: n, text: expr[start : start+n]})
			i = start + n
		}
		switch {
		case c == '(':
			tk(tLParen, 1)
		case c == ')':
			tk(tRParen, 1)
		case c == '{':
			tk(tLBrace, 1)
		case c == '}':
			tk(tRBrace, 1)
		case c == ',':
			tk(tComma, 1)
		case c == '.' && strings.HasPrefix(expr[i:], ".."):
			tk(tDotDot, 2)
		case c == '[':
			end := strings.IndexByte(expr[i:], ']')
			if end < 0 {
				return nil, errAt(expr, i, 1, "The left bracket was missing its closing bracket.")
			}
			tk(tSlice, end+1)
			toks[len(toks)-1].val = expr[start+1 : start+end]
		case c == '=' || c == '!' || c == '~' || c == '<' || c == '>' || c == '&' || c == '|' || c == '^':
			n := opLen(expr[i:])
			if n == 0 {
				return nil, errAt(expr, i, 1, quote(expr[i:i+1])+" was unexpected in this context.")
			}
			tk(tOp, n)
		case c == '"' || ((c == 'r' || c == 'R') && strings.HasPrefix(expr[i+1:], `"`)):
			raw := c != '"'
			q := i
			if raw {
				q++
			}
			val, end, err := lexString(expr, q, raw)
			if err != nil {
				return nil, err
			}
			tk(tString, end-start)
			toks[len(toks)-1].val = val
		case c == '\'':
			val, end, err := lexChar(expr, i)
			if err != nil {
				return nil, err
			}
			tk(tChar, end-start)
			toks[len(toks)-1].val = val
		case wordByte(c):
			j := i
			for j < len(expr) && wordByte(expr[j]) {
				// ".." is the range operator; no literal contains it, so
				// "1..3" is three tokens.
				if expr[j] == '.' && j+1 < len(expr) && expr[j+1] == '.' {
					break
				}
				j++
			}
			tk(tWord, j-i)
		default:
			_, n := utf8.DecodeRuneInString(expr[i:])
			return nil, errAt(expr, i, n, quote(expr[i:i+n])+" was unexpected in this context.")
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// opLen returns the length of the operator at the start of s, longest first.
func opLen(s string) int {
	for _, op := range [...]string{"===", "!==", "==", "!=", "~=", "<=", ">=", "&&", "||", "^^", "<", ">", "!", "~", "&"} {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	return 0
}

// lexString reads a string starting at the quote at q. Escapes follow
// Wireshark (C-like: \n \t \xHH \ooo \" \\ ...), plus \uXXXX and
// \UXXXXXXXX as newer Wireshark allows. Raw strings keep backslashes except
// before a quote, so regexes need no doubling.
func lexString(expr string, q int, raw bool) (val string, end int, err error) {
	var b strings.Builder
	i := q + 1
	for {
		if i >= len(expr) {
			return "", 0, errAt(expr, len(expr), 0, "The final quote was missing from a quoted string.")
		}
		c := expr[i]
		if c == '"' {
			return b.String(), i + 1, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(expr) {
			return "", 0, errAt(expr, len(expr), 0, "The final quote was missing from a quoted string.")
		}
		if raw {
			if expr[i+1] == '"' {
				b.WriteByte('"')
			} else {
				b.WriteByte('\\')
				b.WriteByte(expr[i+1])
			}
			i += 2
			continue
		}
		n, err := unescape(expr, i, &b)
		if err != nil {
			return "", 0, err
		}
		i += n
	}
}

// lexChar reads a character constant such as 'a', '\n' or '\x41'.
func lexChar(expr string, q int) (val string, end int, err error) {
	var b strings.Builder
	i := q + 1
	if i < len(expr) && expr[i] == '\\' {
		n, err := unescape(expr, i, &b)
		if err != nil {
			return "", 0, err
		}
		i += n
	} else if i < len(expr) && expr[i] != '\'' {
		_, n := utf8.DecodeRuneInString(expr[i:])
		b.WriteString(expr[i : i+n])
		i += n
	}
	if i >= len(expr) || expr[i] != '\'' || b.Len() == 0 {
		e := strings.IndexByte(expr[q+1:], '\'')
		n := len(expr) - q
		if e >= 0 {
			n = e + 2
		}
		return "", 0, errAt(expr, q, n, quote(expr[q:q+n])+" is not a valid character constant.")
	}
	return b.String(), i + 1, nil
}

var simpleEscapes = map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"', '\'': '\''}

// unescape decodes the escape sequence at expr[i] (a backslash) into b and
// returns how many bytes it took.
func unescape(expr string, i int, b *strings.Builder) (int, error) {
	if i+1 >= len(expr) {
		return 0, errAt(expr, i, 1, `\ at the end of the expression is not a valid character escape sequence`)
	}
	c := expr[i+1]
	if r, ok := simpleEscapes[c]; ok {
		b.WriteByte(r)
		return 2, nil
	}
	switch {
	case c == 'x':
		n := hexRun(expr[i+2:], 2)
		if n == 0 {
			return 0, errAt(expr, i, 2, `\x is not a valid character escape sequence`)
		}
		v, _ := strconv.ParseUint(expr[i+2:i+2+n], 16, 8)
		b.WriteByte(byte(v))
		return 2 + n, nil
	case c >= '0' && c <= '7':
		n := 1
		for n < 3 && i+1+n < len(expr) && expr[i+1+n] >= '0' && expr[i+1+n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(expr[i+1:i+1+n], 8, 16)
		if v > 0xff {
			return 0, errAt(expr, i, 1+n, expr[i:i+1+n]+" is not a valid character escape sequence")
		}
		b.WriteByte(byte(v))
		return 1 + n, nil
	case c == 'u' || c == 'U':
		want := 4
		if c == 'U' {
			want = 8
		}
		n := hexRun(expr[i+2:], want)
		if n != want {
			return 0, errAt(expr, i, 2+n, expr[i:i+2+n]+" is not a valid universal character name")
		}
		v, _ := strconv.ParseUint(expr[i+2:i+2+n], 16, 32)
		if v > utf8.MaxRune || (v >= 0xd800 && v <= 0xdfff) {
			return 0, errAt(expr, i, 2+n, expr[i:i+2+n]+" is not a valid universal character name")
		}
		b.WriteRune(rune(v))
		return 2 + n, nil
	}
	_, n := utf8.DecodeRuneInString(expr[i+1:])
	return 0, errAt(expr, i, 1+n, expr[i:i+1+n]+" is not a valid character escape sequence")
}

// hexRun counts the hex digits at the start of s, at most max.
func hexRun(s string, max int) int {
	n := 0
	for n < max && n < len(s) && isHex(s[n]) {
		n++
	}
	return n
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func quote(s string) string { return `"` + s + `"` }
