package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// The grammar, with Wireshark 4.0's precedence (checked against tshark:
// "a or b and c" is "a or (b and c)"):
//
//	expr    = xor { ("or" | "||") xor }
//	xor     = and { ("xor" | "^^") and }
//	and     = unary { ("and" | "&&") unary }
//	unary   = ("not" | "!") unary | "(" expr ")" | test
//	test    = entity [ relop entity | "in" set | "not" "in" set ]
//	entity  = field | func "(" field ")" | string | char
//	field   = word [ "[" range "]" ] [ ("&" | "bitwise_and") literal ]
//	set     = "{" elem { [","] elem } "}"
//	elem    = literal [ ".." literal ]
//
// Parsing and type checking happen in one pass: a literal's meaning
// (number, address, bytes, value name) depends on the field it is compared
// with, which is known by the time the literal is reached.

type parser struct {
	expr   string
	toks   []token
	p      int
	fields []*decode.FieldDef
	seen   map[*decode.FieldDef]bool
	depth  int // nesting of parentheses and "not", bounded by maxNesting
}

// maxNesting bounds how deep parentheses and "not" may nest: the parser
// recurses per level, and a pasted filter a million levels deep must be an
// error, not a stack overflow.
const maxNesting = 256

func (p *parser) peek() token { return p.toks[p.p] }

func (p *parser) next() token {
	t := p.toks[p.p]
	if t.kind != tEOF {
		p.p++
	}
	return t
}

// isKW reports whether t is one of the keywords. Keywords are lower case
// only; tshark rejects "AND".
func isKW(t token, kws ...string) bool {
	if t.kind != tWord {
		return false
	}
	for _, k := range kws {
		if t.text == k {
			return true
		}
	}
	return false
}

func isOp(t token, ops ...string) bool {
	if t.kind != tOp {
		return false
	}
	for _, o := range ops {
		if t.text == o {
			return true
		}
	}
	return false
}

// unexpected is the error for a token that cannot stand where it is.
func (p *parser) unexpected(t token) error {
	if t.kind == tEOF {
		return errAt(p.expr, len(p.expr), 0, "Unexpected end of filter expression.")
	}
	return errAt(p.expr, t.pos, t.len, quote(t.text)+" was unexpected in this context.")
}

func (p *parser) errTok(t token, msg string) error { return errAt(p.expr, t.pos, t.len, msg) }

func (p *parser) use(d *decode.FieldDef) {
	if !p.seen[d] {
		p.seen[d] = true
		p.fields = append(p.fields, d)
	}
}

func (p *parser) parseOr() (node, error) {
	n, err := p.parseXor()
	if err != nil {
		return nil, err
	}
	for isKW(p.peek(), "or") || isOp(p.peek(), "||") {
		p.next()
		r, err := p.parseXor()
		if err != nil {
			return nil, err
		}
		if o, ok := n.(orNode); ok {
			n = append(o, r)
		} else {
			n = orNode{n, r}
		}
	}
	return n, nil
}

// parseXor: tshark 4.0 has no xor; newer Wireshark places it between
// "or" and "and", and so does wirelens.
func (p *parser) parseXor() (node, error) {
	n, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for isKW(p.peek(), "xor") || isOp(p.peek(), "^^") {
		p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		n = xorNode{n, r}
	}
	return n, nil
}

func (p *parser) parseAnd() (node, error) {
	n, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for isKW(p.peek(), "and") || isOp(p.peek(), "&&") {
		p.next()
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if a, ok := n.(andNode); ok {
			n = append(a, r)
		} else {
			n = andNode{n, r}
		}
	}
	return n, nil
}

func (p *parser) parseUnary() (node, error) {
	t := p.peek()
	if p.depth++; p.depth > maxNesting {
		return nil, p.errTok(t, fmt.Sprintf("the filter nests parentheses or \"not\" more than %d deep", maxNesting))
	}
	defer func() { p.depth-- }()
	switch {
	case isKW(t, "not") || isOp(t, "!"):
		p.next()
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if nn, ok := n.(notNode); ok {
			return nn.n, nil
		}
		return notNode{n}, nil
	case t.kind == tLParen:
		p.next()
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.unexpected(c)
		}
		return n, nil
	}
	return p.parseTest()
}

// entity is one side of a test: a field reference or a literal.
type entity struct {
	tok   token    // the literal, or the field's first token
	pos   int      // span in the expression, for carets
	end   int      // "
	field *operand // nil for a literal
}

// relops maps each comparison spelling to its operator.
var relops = map[string]cmpOp{
	"==": opEq, "eq": opEq, "any_eq": opEq,
	"!=": opAllNe, "ne": opAllNe, "all_ne": opAllNe,
	"===": opAllEq, "all_eq": opAllEq,
	"!==": opAnyNe, "~=": opAnyNe, "any_ne": opAnyNe,
	"<": opLt, "lt": opLt, ">": opGt, "gt": opGt,
	"<=": opLe, "le": opLe, ">=": opGe, "ge": opGe,
	"contains": opContains, "~": opMatches, "matches": opMatches,
}

// maskMax bounds a byte mask so the masked value fits the stack buffer
// extract writes it into.
const maskMax = 16

func (p *parser) parseTest() (node, error) {
	lhs, err := p.parseEntity()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	op, isRel := cmpOp(0), false
	if t.kind == tOp || t.kind == tWord {
		op, isRel = relops[t.text]
	}
	isIn := isKW(t, "in")
	isNotIn := isKW(t, "not") && isKW(p.toks[p.p+1], "in")
	if !isRel && !isIn && !isNotIn {
		// A field alone tests for its presence.
		if lhs.field == nil || lhs.field.fn != fnNone {
			return nil, p.notAField(lhs, "")
		}
		if lhs.field.hasMask {
			return &nonZeroNode{*lhs.field}, nil
		}
		if lhs.field.sl == nil {
			return presentNode{lhs.field.def}, nil
		}
		return &existsNode{*lhs.field}, nil
	}
	if lhs.field == nil {
		return nil, p.notAField(lhs, t.text)
	}
	o := lhs.field
	p.next()
	if isNotIn {
		p.next()
	}
	if isIn || isNotIn {
		n, err := p.parseSet(o)
		if err != nil {
			return nil, err
		}
		if isNotIn {
			return notNode{n}, nil
		}
		return n, nil
	}
	if err := p.checkOp(lhs, op, t); err != nil {
		return nil, err
	}
	rhs, err := p.parseEntity()
	if err != nil {
		return nil, err
	}
	if rhs.field != nil {
		return p.fieldCompare(lhs, op, rhs)
	}
	if (op == opContains || op == opMatches) && o.sl == nil && !o.hasMask && o.fn == fnNone && o.def.Type == decode.FTProtocol {
		o.tail = true
	}
	if op == opMatches {
		if rhs.tok.kind == tChar {
			return nil, p.errTok(rhs.tok, "A regular expression must be a string, not "+rhs.tok.text+".")
		}
		// Wireshark's matches ignores case unless the pattern says (?-i).
		re, err := regexp.Compile("(?i)" + litText(rhs.tok))
		if err != nil {
			// The code alone: the offending text RE2 quotes would include
			// the (?i) added above.
			var se *syntax.Error
			msg := err.Error()
			if errors.As(err, &se) {
				msg = string(se.Code)
			}
			return nil, p.errTok(rhs.tok, "Regex compilation error: "+msg+".")
		}
		return &matchesNode{lhs: *o, re: re, latin1: namesHighBytes(re.String())}, nil
	}
	if op == opContains && o.kind == kString {
		// contains on a string field takes the literal as text even when it
		// looks like bytes, as tshark does.
		return &cmpNode{lhs: *o, op: op, rhs: value{s: litText(rhs.tok)}}, nil
	}
	var v value
	if op == opContains {
		// contains looks for any run of bytes, so the literal is a byte
		// string even when the field is an Ethernet address.
		err = convertBytes(rhs.tok, &v)
	} else {
		v, err = convert(o, rhs.tok)
	}
	if err != nil {
		return nil, p.litErr(rhs.tok, err)
	}
	return &cmpNode{lhs: *o, op: op, rhs: v}, nil
}

func (p *parser) litErr(t token, err error) error {
	return p.errTok(t, err.Error())
}

// notAField words the error for a test whose left side is no field.
func (p *parser) notAField(e entity, op string) error {
	t := e.tok
	if e.field != nil { // a function call alone
		return errAt(p.expr, e.pos, e.end-e.pos, "A function call such as "+p.expr[e.pos:e.end]+" is not a test; compare its result.")
	}
	if t.kind == tWord && looksLikeField(t.text) {
		return p.errTok(t, unknownField(t.text))
	}
	if op != "" {
		return p.errTok(t, fmt.Sprintf("Left side of %q expression must be a field or function, not %s.", op, t.text))
	}
	return p.errTok(t, t.text+" is neither a field nor a protocol name.")
}

// looksLikeField tells a mistyped field name from a literal in the wrong
// place, so only the former gets "did you mean".
func looksLikeField(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z' || s[0] == '_') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// checkOp refuses operators the left side's type cannot take, naming the
// field and its type as tshark does.
func (p *parser) checkOp(lhs entity, op cmpOp, t token) error {
	o := lhs.field
	bad := false
	switch op {
	case opContains, opMatches:
		bad = o.kind != kBytes && o.kind != kString
	default:
		bad = o.kind == kNone
	}
	if bad {
		return errAt(p.expr, lhs.pos, lhs.end-lhs.pos, fmt.Sprintf("%s (type=%s) cannot participate in %s comparison.", o.name(), o.typeName(), opWord(t)))
	}
	return nil
}

func opWord(t token) string {
	switch t.text {
	case "~":
		return "matches"
	case "contains", "matches":
		return t.text
	}
	return quote(t.text)
}

// fieldCompare builds a test between two fields. A slice on either side
// makes both sides byte strings (ip.src == ip.src[0:4] holds); otherwise
// the kinds must agree, and times only compare with the same kind of time.
func (p *parser) fieldCompare(lhs entity, op cmpOp, rhs entity) (node, error) {
	a, b := *lhs.field, *rhs.field
	incompatible := func() error {
		return errAt(p.expr, rhs.pos, rhs.end-rhs.pos, fmt.Sprintf("%s and %s are not of compatible types.", a.name(), b.name()))
	}
	if op == opMatches {
		return nil, errAt(p.expr, rhs.pos, rhs.end-rhs.pos, "A regular expression must be a string, not the field "+b.name()+".")
	}
	// A slice, or a string searched for in bytes, turns the other
	// side into its byte form too.
	if a.sl != nil || b.sl != nil || op == opContains && a.kind == kBytes && b.kind == kString {
		for _, x := range []*operand{&a, &b} {
			if x.kind != kBytes {
				if x.fn != fnNone || !sliceable(x.def.Type) {
					return nil, incompatible()
				}
				x.asBytes, x.kind = true, kBytes
			}
		}
	}
	if a.kind != b.kind {
		return nil, incompatible()
	}
	if a.kind == kInt && a.fn == fnNone && b.fn == fnNone && a.def.Type != b.def.Type {
		return nil, incompatible() // nanoseconds since the epoch are no offset
	}
	return &fieldCmpNode{lhs: a, op: op, rhs: b}, nil
}

// funcs are the functions Wireshark offers that fit wirelens's values.
var funcs = map[string]fnKind{"len": fnLen, "count": fnCount}

// parseEntity reads one side of a test. A word that names a registered
// field is that field; any other word is a literal whose meaning the left
// side decides.
func (p *parser) parseEntity() (entity, error) {
	t := p.next()
	switch t.kind {
	case tString, tChar:
		return entity{tok: t, pos: t.pos, end: t.pos + t.len}, nil
	case tWord:
	default:
		return entity{}, p.unexpected(t)
	}
	if _, rel := relops[t.text]; rel || isKW(t, "and", "or", "not", "in", "xor", "bitwise_and") {
		return entity{}, p.unexpected(t)
	}
	if fn, ok := funcs[t.text]; ok && p.peek().kind == tLParen {
		return p.parseCall(t, fn)
	}
	def, ok := decode.LookupField(t.text)
	if !ok {
		if p.peek().kind == tSlice {
			if looksLikeField(t.text) {
				return entity{}, p.errTok(t, unknownField(t.text))
			}
			return entity{}, p.unexpected(p.peek())
		}
		return entity{tok: t, pos: t.pos, end: t.pos + t.len}, nil
	}
	p.use(def)
	o := &operand{def: def, kind: kindOf(def.Type)}
	e := entity{tok: t, pos: t.pos, end: t.pos + t.len, field: o}
	if s := p.peek(); s.kind == tSlice {
		p.next()
		if !sliceable(def.Type) {
			return entity{}, p.errTok(t, fmt.Sprintf("%q is a %s and cannot be sliced into a sequence of bytes.", def.Name, typeName(def)))
		}
		r, err := p.parseRange(s)
		if err != nil {
			return entity{}, err
		}
		o.sl = r
		o.kind = kBytes
		e.end = s.pos + s.len
	}
	if a := p.peek(); isOp(a, "&") || isKW(a, "bitwise_and") {
		p.next()
		if err := p.parseMask(&e, a); err != nil {
			return entity{}, err
		}
	}
	return e, nil
}

// parseMask reads the mask of "field & mask": the field's value ANDed with
// the mask is what gets compared, or tested for non-zero when nothing
// follows, as in Wireshark.
func (p *parser) parseMask(e *entity, amp token) error {
	o := e.field
	switch o.kind {
	case kUint, kInt, kIPv4, kBytes:
	default:
		return errAt(p.expr, e.pos, e.end-e.pos, fmt.Sprintf("%s (type=%s) cannot participate in bitwise and.", o.name(), o.typeName()))
	}
	t := p.next()
	if t.kind != tWord && t.kind != tChar {
		return p.unexpected(t)
	}
	var m value
	var err error
	if o.kind == kBytes {
		err = convertBytes(t, &m)
		if err == nil && len(m.b) > maskMax {
			err = litError(fmt.Sprintf("A byte mask may be at most %d bytes long, not %d.", maskMax, len(m.b)))
		}
	} else {
		m, err = convert(o, t)
	}
	if err != nil {
		return p.litErr(t, err)
	}
	o.mask, o.hasMask = m, true
	e.end = t.pos + t.len
	return nil
}

func (p *parser) parseCall(name token, fn fnKind) (entity, error) {
	p.next() // (
	arg, err := p.parseEntity()
	if err != nil {
		return entity{}, err
	}
	if arg.field == nil || arg.field.fn != fnNone {
		if arg.tok.kind == tWord && looksLikeField(arg.tok.text) {
			return entity{}, p.errTok(arg.tok, unknownField(arg.tok.text))
		}
		return entity{}, errAt(p.expr, arg.pos, arg.end-arg.pos, fmt.Sprintf("Only a field may be an argument to %s().", name.text))
	}
	if fn == fnLen && arg.field.sl == nil && !sliceable(arg.field.def.Type) {
		return entity{}, errAt(p.expr, arg.pos, arg.end-arg.pos, fmt.Sprintf("%s (type=%s) has no length in bytes for len().", arg.field.def.Name, typeName(arg.field.def)))
	}
	c := p.next()
	if c.kind != tRParen {
		return entity{}, p.unexpected(c)
	}
	o := *arg.field
	o.fn = fn
	o.kind = kUint
	return entity{tok: name, pos: name.pos, end: c.pos + 1, field: &o}, nil
}

// parseRange reads the text inside [ ]: i:j (start, length), i-j (first
// and last, inclusive), i (one byte), i: (to the end), :j (first j).
// A negative start counts from the end.
func (p *parser) parseRange(t token) (*rng, error) {
	s := strings.TrimSpace(t.val)
	bad := func(msg string) error { return errAt(p.expr, t.pos+1, max(len(t.val), 1), msg) }
	num := func(x string) (int, bool) {
		x = strings.TrimSpace(x)
		n, err := strconv.Atoi(x)
		return n, err == nil && x != "" && x[0] != '+' && n > -1<<30 && n < 1<<30
	}
	if strings.Contains(s, ",") {
		return nil, bad("Slices of several ranges (" + s + ") are not supported.")
	}
	if a, b, ok := strings.Cut(s, ":"); ok {
		r := &rng{}
		if strings.TrimSpace(a) != "" {
			n, ok := num(a)
			if !ok {
				return nil, bad(quote(s) + " is not a valid range.")
			}
			r.start = n
		}
		if strings.TrimSpace(b) == "" {
			r.toEnd = true
			return r, nil
		}
		n, ok := num(b)
		if !ok {
			return nil, bad(quote(s) + " is not a valid range.")
		}
		if n <= 0 {
			return nil, bad(fmt.Sprintf("Range %s isn't valid because length %d isn't positive", s, n))
		}
		r.length = n
		return r, nil
	}
	// i-j: the dash that separates is the first one after a digit, so
	// "-3" is a single negative index.
	if k := strings.Index(strings.TrimSpace(s)[min(1, len(s)):], "-"); k >= 0 && len(s) > 0 {
		k++
		a, ok1 := num(s[:k])
		b, ok2 := num(s[k+1:])
		if !ok1 || !ok2 {
			return nil, bad(quote(s) + " is not a valid range.")
		}
		if a < 0 || b < a {
			return nil, bad(fmt.Sprintf("Range %s isn't valid because the end comes before the start", s))
		}
		return &rng{start: a, length: b - a + 1}, nil
	}
	n, ok := num(s)
	if !ok {
		return nil, bad(quote(s) + " is not a valid range.")
	}
	return &rng{start: n, length: 1}, nil
}

// parseSet reads { a, b, lo..hi } after "in". Elements may be separated by
// commas (tshark 4.0 requires them) or just by spaces (as Wireshark 3 did).
func (p *parser) parseSet(o *operand) (node, error) {
	if t := p.next(); t.kind != tLBrace {
		return nil, p.unexpected(t)
	}
	n := &setNode{lhs: *o}
	for {
		t := p.next()
		if t.kind == tRBrace && len(n.elems) > 0 {
			return n, nil
		}
		if t.kind != tWord && t.kind != tString && t.kind != tChar || isKW(t, "and", "or", "not", "in") {
			return nil, p.unexpected(t)
		}
		lo, err := p.setValue(o, t)
		if err != nil {
			return nil, err
		}
		el := setElem{lo: lo, hi: lo}
		if p.peek().kind == tDotDot {
			p.next()
			ht := p.next()
			if ht.kind != tWord && ht.kind != tString && ht.kind != tChar {
				return nil, p.unexpected(ht)
			}
			if el.hi, err = p.setValue(o, ht); err != nil {
				return nil, err
			}
			el.isRange = true
		}
		n.elems = append(n.elems, el)
		switch c := p.peek(); c.kind {
		case tComma:
			p.next()
			if p.peek().kind == tRBrace {
				return nil, p.unexpected(p.peek())
			}
		case tRBrace, tWord, tString, tChar:
		default:
			return nil, p.unexpected(c)
		}
	}
}

func (p *parser) setValue(o *operand, t token) (value, error) {
	if o.kind == kNone {
		return value{}, p.errTok(t, fmt.Sprintf("%s (type=%s) cannot participate in membership comparison.", o.name(), o.typeName()))
	}
	if o.kind == kString {
		return value{s: litText(t)}, nil
	}
	v, err := convert(o, t)
	if err != nil {
		return v, p.litErr(t, err)
	}
	return v, nil
}

// namesHighBytes reports whether a pattern spells out a character from
// 0x80 to 0xff, which in a byte field means that byte (see matchesNode).
// Classes that merely run past 0x7f, such as [^a], do not count: they
// match the same bytes either way.
func namesHighBytes(pattern string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false
	}
	high := func(r rune) bool { return r >= 0x80 && r <= 0xff }
	var walk func(*syntax.Regexp) bool
	walk = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				if high(r) {
					return true
				}
			}
		case syntax.OpCharClass:
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if high(re.Rune[i]) || re.Rune[i+1] >= 0x80 && re.Rune[i+1] < 0xff {
					return true
				}
			}
		}
		for _, s := range re.Sub {
			if walk(s) {
				return true
			}
		}
		return false
	}
	return walk(re)
}
