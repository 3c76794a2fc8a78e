package bpf

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// qual is the qualifier set of a primitive ("tcp dst port"). It is
// remembered so that "port 80 or 443" and "host a or b" reuse it, as in
// tcpdump.
type qual struct {
	proto string // "", ether, link, ip, ip6, arp, rarp, tcp, udp, sctp, ...
	dir   string // "", src, dst, or ("src or dst"), and ("src and dst")
	typ   string // "", host, net, port, portrange
}

// parser is a recursive-descent parser that generates conditions while it
// reads, like libpcap's yacc grammar does. That order matters: "vlan"
// shifts the offsets of everything parsed after it, including the other
// side of an "or".
type parser struct {
	expr string
	toks []token
	pos  int
	l    link
	last *qual
	ferr *Error // furthest error seen, reported when every alternative fails
	// commit is set once "proto[" is read: the input is then certainly
	// arithmetic, so its errors are final rather than a reason to try
	// the primitive grammar.
	commit bool
	depth  int // nesting of ( and [, bounded so hostile input stays cheap
}

// maxDepth bounds nesting; the relation-or-primitive backtracking makes
// parsing quadratic in it, and no real filter comes close.
const maxDepth = 100

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(t, "expression nested more than %d levels deep", maxDepth)
	}
	return nil
}

type parserState struct {
	pos  int
	l    link
	last *qual
}

func newParser(expr string, l link) (*parser, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	return &parser{expr: expr, toks: toks, l: l}, nil
}

func (p *parser) save() parserState     { return parserState{p.pos, p.l, p.last} }
func (p *parser) restore(s parserState) { p.pos, p.l, p.last = s.pos, s.l, s.last }
func (p *parser) cur() token            { return p.toks[p.pos] }
func (p *parser) peek(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

// errAt builds an error at tok and remembers it if it is the furthest so
// far. With backtracking (relation or primitive?), the alternative that got
// furthest into the input usually has the most useful message.
func (p *parser) errAt(tok token, format string, args ...any) error {
	e := &Error{Expr: p.expr, Column: tok.col, Msg: fmt.Sprintf(format, args...)}
	if p.ferr == nil || e.Column > p.ferr.Column {
		p.ferr = e
	}
	return e
}

// best returns the furthest error, which after a failed parse is the one to
// report.
func (p *parser) best(err error) error {
	if e, ok := err.(*Error); ok && p.ferr != nil && p.ferr.Column > e.Column {
		return p.ferr
	}
	return err
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

func isWord(t token, words ...string) bool {
	if t.kind != tWord {
		return false
	}
	for _, w := range words {
		if t.text == w {
			return true
		}
	}
	return false
}

func (p *parser) unexpected(t token, want string) error {
	switch {
	case t.kind == tEOF:
		return p.errAt(t, "unexpected end of expression, expected %s", want)
	case t.kind == tWord && unsupported[t.text]:
		return p.errAt(t, "%q is valid tcpdump syntax but not supported by this compiler", t.text)
	case t.kind == tWord && !keywords[t.text] && !looksLikeValue(t.text):
		return p.errAt(t, "unknown keyword %q", t.text)
	}
	return p.errAt(t, "unexpected %s, expected %s", t, want)
}

// looksLikeValue reports whether a word can only be an address, a number
// or a host name (rather than a misspelt keyword).
func looksLikeValue(w string) bool {
	if w == "" {
		return false
	}
	c := w[0]
	return c >= '0' && c <= '9' || strings.ContainsAny(w, ".:")
}

func (p *parser) parseAll() (cond, error) {
	if p.cur().kind == tEOF {
		return constCond(true), nil
	}
	c, err := p.parseExpr()
	if err != nil {
		return nil, p.best(err)
	}
	if t := p.cur(); t.kind != tEOF {
		return nil, p.best(p.unexpected(t, `"and" or "or"`))
	}
	return c, nil
}

// parseExpr parses a chain of and/or. In pcap-filter(7) "and" and "or"
// have equal precedence and associate left to right: "a or b and c" is
// "(a or b) and c".
func (p *parser) parseExpr() (cond, error) {
	c, err := p.parseUnary(false)
	if err != nil {
		return nil, err
	}
	for {
		t := p.cur()
		isAnd := isWord(t, "and") || isOp(t, "&&")
		isOr := isWord(t, "or") || isOp(t, "||")
		if !isAnd && !isOr {
			return c, nil
		}
		p.pos++
		r, err := p.parseUnary(true)
		if err != nil {
			return nil, err
		}
		if isAnd {
			c = and(c, r)
		} else {
			c = or(c, r)
		}
	}
}

func (p *parser) parseUnary(afterBool bool) (cond, error) {
	t := p.cur()
	if isWord(t, "not") || isOp(t, "!") {
		p.pos++
		c, err := p.parseUnary(afterBool)
		if err != nil {
			return nil, err
		}
		return not(c), nil
	}
	// "port 80 or 443": a bare value after and/or takes the qualifiers of
	// the previous primitive.
	if afterBool && p.last != nil && t.kind == tWord && !keywords[t.text] && !unsupported[t.text] {
		if _, isConst := arithNames[t.text]; !isConst && !isArithOrRelOp(p.peek(1)) {
			p.pos++
			return p.value(*p.last, t)
		}
	}
	// A relation or a primitive? Try the relation first and fall back;
	// "(" can open either an arithmetic or a boolean group.
	st := p.save()
	if c, ok, err := p.tryRelation(); ok {
		return c, err
	}
	p.restore(st)
	return p.parsePrimary()
}

func isArithOrRelOp(t token) bool {
	return isOp(t, "[", "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "=", "==", "!=", "<", ">", "<=", ">=")
}

var relOps = []string{"=", "==", "!=", "<", ">", "<=", ">="}

// tryRelation parses "arith relop arith". ok is false when the input does
// not start with an arithmetic expression followed by a relational
// operator; once the operator is seen the relation is committed and errors
// are final.
func (p *parser) tryRelation() (c cond, ok bool, err error) {
	p.commit = false
	start := p.pos
	l, err := p.parseArith()
	if err != nil {
		return nil, p.commit, err
	}
	op := p.cur()
	if !isOp(op, relOps...) {
		// A lone number is more likely a value missing its qualifier
		// ("tcp and 22"); let the primitive grammar report it.
		if _, isNum := parseNum(p.toks[start].text); !isNum || p.pos-start > 1 {
			p.errAt(op, "expected a comparison operator after the arithmetic expression")
		}
		return nil, false, nil
	}
	p.pos++
	r, err := p.parseArith()
	if err != nil {
		return nil, true, err
	}
	c, err = p.relation(l, op, r)
	p.last = nil
	return c, true, err
}

func (p *parser) parsePrimary() (cond, error) {
	t := p.cur()
	if isOp(t, "(") {
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		p.pos++
		c, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if !isOp(p.cur(), ")") {
			return nil, p.unexpected(p.cur(), `")"`)
		}
		p.pos++
		return c, nil
	}
	return p.parsePrimitive()
}

var protoQuals = map[string]bool{
	"ether": true, "link": true, "ip": true, "ip6": true, "arp": true, "rarp": true,
	"tcp": true, "udp": true, "sctp": true, "icmp": true, "icmp6": true, "igmp": true,
}

func (p *parser) parsePrimitive() (cond, error) {
	t := p.cur()
	if t.kind != tWord {
		return nil, p.unexpected(t, "a primitive such as host, net, port or a protocol")
	}
	w := t.text
	switch w {
	case "vlan":
		p.pos++
		return p.vlan(t)
	case "greater", "less":
		p.pos++
		n := p.cur()
		v, ok := parseNum(n.text)
		if n.kind != tWord || !ok {
			return nil, p.unexpected(n, "a length")
		}
		p.pos++
		p.last = nil
		ld := []bpf.Instruction{bpf.LoadExtension{Num: bpf.ExtLen}}
		if w == "greater" {
			return &leaf{stmts: ld, test: bpf.JumpGreaterOrEqual, k: v}, nil
		}
		return not(&leaf{stmts: ld, test: bpf.JumpGreaterThan, k: v}), nil
	case "inbound", "outbound":
		p.pos++
		p.last = nil
		out := p.outgoing()
		if w == "inbound" {
			return not(out), nil
		}
		return out, nil
	case "broadcast", "multicast":
		p.pos++
		p.last = nil
		return p.cast("", w, t)
	case "proto":
		p.pos++
		p.last = nil
		return p.protoValue("", t)
	case "len":
		return nil, p.errAt(t, `"len" must be compared with a value, e.g. "len > 100"`)
	}
	if unsupported[w] {
		return nil, p.unexpected(t, "")
	}
	var q qual
	if protoQuals[w] {
		q.proto = w
		p.pos++
		n := p.cur()
		switch {
		case isWord(n, "proto"):
			p.pos++
			p.last = nil
			return p.protoValue(w, t)
		case isWord(n, "broadcast", "multicast"):
			p.pos++
			p.last = nil
			return p.cast(w, n.text, n)
		case isWord(n, "src", "dst", "host", "net", "port", "portrange"):
		case n.kind == tWord && !keywords[n.text] && !unsupported[n.text] && looksLikeValue(n.text):
		default:
			p.last = nil
			return p.protoAbbrev(w, t)
		}
	}
	if n := p.cur(); isWord(n, "src", "dst") {
		q.dir = n.text
		p.pos++
		if c, o := p.cur(), p.peek(1); isWord(c, "or", "and") && isWord(o, "src", "dst") && o.text != n.text {
			q.dir = c.text
			p.pos += 2
		}
	}
	if n := p.cur(); isWord(n, "host", "net", "port", "portrange") {
		q.typ = n.text
		p.pos++
	}
	v := p.cur()
	if v.kind != tWord || keywords[v.text] || unsupported[v.text] {
		if q == (qual{}) {
			return nil, p.unexpected(v, "a primitive such as host, net, port or a protocol")
		}
		return nil, p.unexpected(v, "an address, number or name")
	}
	if q == (qual{}) && !looksLikeValue(v.text) {
		return nil, p.unexpected(v, "a primitive such as host, net, port or a protocol")
	}
	p.pos++
	return p.value(q, v)
}

// value compiles "qualifiers value" where v is the (already consumed)
// value token. It may consume "/len" or "mask M" after it.
func (p *parser) value(q qual, v token) (cond, error) {
	c, err := p.valueInner(q, v)
	if err != nil {
		return nil, err
	}
	p.last = &q
	return c, nil
}

func (p *parser) valueInner(q qual, v token) (cond, error) {
	switch q.typ {
	case "port", "portrange":
		return p.port(q, v)
	}
	if q.proto == "ether" || q.proto == "link" {
		if q.typ != "" && q.typ != "host" {
			return nil, p.errAt(v, "%q is not valid with %q", q.typ, q.proto)
		}
		mac, ok := parseMAC(v.text)
		if !ok {
			return nil, p.errAt(v, "%q is not an Ethernet address", v.text)
		}
		return p.etherHost(q.dir, mac, v)
	}
	if _, ok := parseMAC(v.text); ok {
		return nil, p.errAt(v, "Ethernet address %q needs the \"ether\" qualifier", v.text)
	}
	isNet := q.typ == "net" || q.typ == "" && (isOp(p.cur(), "/") || isWord(p.cur(), "mask"))
	if a6, ok := parseIPv6(v.text); ok {
		bits := 128
		if isOp(p.cur(), "/") {
			if !isNet {
				return nil, p.errAt(p.cur(), "%q takes a single address; use \"net\" for a prefix", "host")
			}
			p.pos++
			n := p.cur()
			b, ok := parseNum(n.text)
			if n.kind != tWord || !ok || b > 128 {
				return nil, p.unexpected(n, "a prefix length from 0 to 128")
			}
			p.pos++
			bits = int(b)
		} else if isWord(p.cur(), "mask") {
			return nil, p.errAt(p.cur(), `"mask" is not valid with IPv6 addresses; use /len`)
		}
		var mask [16]byte
		for i := 0; i < bits; i++ {
			mask[i/8] |= 0x80 >> (i % 8)
		}
		for i := range a6 {
			if a6[i]&^mask[i] != 0 {
				return nil, p.errAt(v, "non-network bits set in %q", v.text+fmt.Sprintf("/%d", bits))
			}
		}
		return p.hostV6(q, a6, mask, v)
	}
	a4, parts, ok := parseIPv4(v.text)
	if !ok {
		if _, isNum := parseNum(v.text); isNum {
			return nil, p.errAt(v, "bare number %q needs a qualifier such as host, net, port or proto", v.text)
		}
		return nil, p.errAt(v, "%q is not an address; host names need DNS lookups, which capture filters here do not do", v.text)
	}
	if !isNet {
		if parts != 4 {
			if q.typ == "" && parts == 1 {
				return nil, p.errAt(v, "bare number %q needs a qualifier such as host, net, port or proto", v.text)
			}
			return nil, p.errAt(v, "%q is not a complete IPv4 address", v.text)
		}
		if isOp(p.cur(), "/") || isWord(p.cur(), "mask") {
			return nil, p.errAt(p.cur(), "%q takes a single address; use \"net\" for a prefix", "host")
		}
		return p.hostV4(q, a4, 0xffffffff, v)
	}
	mask := uint32(0xffffffff) << (32 - 8*uint(parts))
	desc := v.text
	switch n := p.cur(); {
	case isOp(n, "/"):
		p.pos++
		b := p.cur()
		bits, ok := parseNum(b.text)
		if b.kind != tWord || !ok || bits > 32 {
			return nil, p.unexpected(b, "a prefix length from 0 to 32")
		}
		p.pos++
		mask = 0
		if bits > 0 {
			mask = uint32(0xffffffff) << (32 - bits)
		}
		desc = fmt.Sprintf("%s/%d", v.text, bits)
	case isWord(n, "mask"):
		p.pos++
		m := p.cur()
		mv, mparts, ok := parseIPv4(m.text)
		if m.kind != tWord || !ok || mparts != 4 {
			return nil, p.unexpected(m, "a dotted IPv4 netmask")
		}
		p.pos++
		mask = mv
		desc = v.text + " mask " + m.text
	}
	if a4&^mask != 0 {
		return nil, p.errAt(v, "non-network bits set in %q", desc)
	}
	return p.hostV4(q, a4, mask, v)
}

// port compiles port and portrange primitives.
func (p *parser) port(q qual, v token) (cond, error) {
	var protos []uint32
	switch q.proto {
	case "":
		protos = []uint32{132, 6, 17} // libpcap's order: sctp, tcp, udp
	case "tcp":
		protos = []uint32{6}
	case "udp":
		protos = []uint32{17}
	case "sctp":
		protos = []uint32{132}
	default:
		return nil, p.errAt(v, "illegal qualifier %q of %q", q.proto, q.typ)
	}
	num := func(s string) (uint32, bool, error) {
		if n, ok := parseNum(s); ok {
			if n > 65535 {
				return 0, false, p.errAt(v, "port %s is larger than 65535", s)
			}
			return n, true, nil
		}
		return 0, false, nil
	}
	if q.typ == "portrange" {
		a, b, found := strings.Cut(v.text, "-")
		if !found {
			return nil, p.errAt(v, "port range %q must be written low-high", v.text)
		}
		lo, ok1, err := num(a)
		if err != nil {
			return nil, err
		}
		hi, ok2, err := num(b)
		if err != nil {
			return nil, err
		}
		if !ok1 || !ok2 {
			return nil, p.errAt(v, "port range %q must be two numbers (service names are not supported in ranges)", v.text)
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		return p.portCond(protos, q.dir, lo, hi, true), nil
	}
	n, ok, err := num(v.text)
	if err != nil {
		return nil, err
	}
	if !ok {
		e, known := portNames[v.text]
		if !known {
			return nil, p.errAt(v, "unknown port name %q", v.text)
		}
		n = uint32(e.port)
		switch {
		case q.proto == "tcp" && e.protos&pTCP == 0:
			return nil, p.errAt(v, "port %q is udp", v.text)
		case q.proto == "udp" && e.protos&pUDP == 0:
			return nil, p.errAt(v, "port %q is tcp", v.text)
		case q.proto == "sctp" && e.protos != pTCP|pUDP:
			if e.protos == pTCP {
				return nil, p.errAt(v, "port %q is tcp", v.text)
			}
			return nil, p.errAt(v, "port %q is udp", v.text)
		case q.proto == "" && e.protos == pTCP:
			protos = []uint32{6}
		case q.proto == "" && e.protos == pUDP:
			protos = []uint32{17}
		}
	}
	return p.portCond(protos, q.dir, n, n, false), nil
}

func (p *parser) protoValue(proto string, kw token) (cond, error) {
	v := p.cur()
	if v.kind != tWord && v.kind != tEscaped {
		return nil, p.unexpected(v, "a protocol number or name")
	}
	p.pos++
	n, ok := parseNum(v.text)
	if proto == "ether" || proto == "link" {
		if !ok {
			if n, ok = etherProtoNames[v.text]; !ok {
				if unsupported[v.text] {
					return nil, p.errAt(v, "ether proto %q is valid tcpdump syntax but not supported by this compiler", v.text)
				}
				return nil, p.errAt(v, "unknown Ethernet protocol %q", v.text)
			}
		}
		return p.etherProto(n, v)
	}
	if !ok {
		if n, ok = ipProtoNames[v.text]; !ok {
			return nil, p.errAt(v, "unknown IP protocol %q", v.text)
		}
	}
	if n > 255 {
		return nil, p.errAt(v, "IP protocol %d is larger than 255", n)
	}
	switch proto {
	case "ip":
		return p.ipProto(n), nil
	case "ip6":
		return p.ip6Proto(n), nil
	case "":
		return or(p.ipProto(n), p.ip6Proto(n)), nil
	}
	return nil, p.errAt(kw, "%q cannot be followed by \"proto\"", proto)
}

func (p *parser) vlan(kw token) (cond, error) {
	if p.l.lt != Ethernet {
		return nil, p.errAt(kw, "no VLAN support for %s", p.l.lt)
	}
	p.last = nil
	tags := or(p.cmp(p.l.offLinkType, 2, 0x8100), p.cmp(p.l.offLinkType, 2, 0x88a8), p.cmp(p.l.offLinkType, 2, 0x9100))
	c := tags
	if n := p.cur(); n.kind == tWord && !isArithOrRelOp(p.peek(1)) {
		if id, ok := parseNum(n.text); ok {
			if id > 4095 {
				return nil, p.errAt(n, "VLAN tag %d greater than maximum 4095", id)
			}
			p.pos++
			c = and(tags, p.mcmp(p.l.offLinkPL, 2, id, 0x0fff))
		}
	}
	// As in libpcap, every later offset moves past the 4-byte tag, also
	// for primitives on the other side of an "or".
	p.l.offLinkType += 4
	p.l.offLinkPL += 4
	return c, nil
}
