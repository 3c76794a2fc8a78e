package bpf

import (
	"golang.org/x/net/bpf"
)

type arithKind uint8

const (
	aConst arithKind = iota
	aLen
	aLoad
	aBin
	aNeg
)

// arith is an arithmetic expression. Loads carry the offsets that were
// current when they were parsed (after any "vlan") and a guard: the
// protocol test that must pass before the load is meaningful.
type arith struct {
	kind arithKind
	val  uint32
	op   bpf.ALUOp
	l, r *arith

	// aLoad
	idx       *arith
	size      int
	guard     cond
	base      uint32 // offset of the protocol header (or of the IPv4 header for transport loads)
	transport bool   // base + 4*IHL, i.e. relative to the TCP/UDP/... header
}

// Precedence levels from libpcap's grammar, lowest first.
var arithLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

var aluOps = map[string]bpf.ALUOp{
	"|": bpf.ALUOpOr, "^": bpf.ALUOpXor, "&": bpf.ALUOpAnd, "<<": bpf.ALUOpShiftLeft,
	">>": bpf.ALUOpShiftRight, "+": bpf.ALUOpAdd, "-": bpf.ALUOpSub, "*": bpf.ALUOpMul,
	"/": bpf.ALUOpDiv, "%": bpf.ALUOpMod,
}

func (p *parser) parseArith() (*arith, error) { return p.parseBinary(0) }

func (p *parser) parseBinary(level int) (*arith, error) {
	if level == len(arithLevels) {
		return p.parseArithUnary()
	}
	l, err := p.parseBinary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.cur()
		if !isOp(t, arithLevels[level]...) {
			return l, nil
		}
		p.pos++
		r, err := p.parseBinary(level + 1)
		if err != nil {
			return nil, err
		}
		op := aluOps[t.text]
		if r.kind == aConst && r.val == 0 && (op == bpf.ALUOpDiv || op == bpf.ALUOpMod) {
			return nil, p.errAt(t, "division by zero")
		}
		if l.kind == aConst && r.kind == aConst {
			l = &arith{kind: aConst, val: fold(op, l.val, r.val)}
			continue
		}
		l = &arith{kind: aBin, op: op, l: l, r: r}
	}
}

// fold evaluates constant subexpressions with the BPF machine's 32-bit
// unsigned semantics.
func fold(op bpf.ALUOp, a, b uint32) uint32 {
	switch op {
	case bpf.ALUOpOr:
		return a | b
	case bpf.ALUOpXor:
		return a ^ b
	case bpf.ALUOpAnd:
		return a & b
	case bpf.ALUOpShiftLeft:
		return a << b
	case bpf.ALUOpShiftRight:
		return a >> b
	case bpf.ALUOpAdd:
		return a + b
	case bpf.ALUOpSub:
		return a - b
	case bpf.ALUOpMul:
		return a * b
	case bpf.ALUOpDiv:
		return a / b
	case bpf.ALUOpMod:
		return a % b
	}
	panic("bpf: unknown ALU op")
}

func (p *parser) parseArithUnary() (*arith, error) {
	if isOp(p.cur(), "-") {
		p.pos++
		a, err := p.parseArithUnary()
		if err != nil {
			return nil, err
		}
		if a.kind == aConst {
			return &arith{kind: aConst, val: -a.val}, nil
		}
		return &arith{kind: aNeg, l: a}, nil
	}
	return p.parseArithPrimary()
}

var loadProtos = map[string]bool{
	"ether": true, "link": true, "ip": true, "ip6": true, "arp": true, "rarp": true,
	"tcp": true, "udp": true, "sctp": true, "icmp": true, "igmp": true, "icmp6": true,
}

func (p *parser) parseArithPrimary() (*arith, error) {
	t := p.cur()
	if isOp(t, "(") {
		if err := p.enter(t); err != nil {
			p.commit = true
			return nil, err
		}
		defer func() { p.depth-- }()
		p.pos++
		a, err := p.parseArith()
		if err != nil {
			return nil, err
		}
		if !isOp(p.cur(), ")") {
			return nil, p.unexpected(p.cur(), `")"`)
		}
		p.pos++
		return a, nil
	}
	if t.kind != tWord {
		return nil, p.unexpected(t, "a number or packet data reference")
	}
	if v, ok := parseNum(t.text); ok {
		p.pos++
		return &arith{kind: aConst, val: v}, nil
	}
	if v, ok := arithNames[t.text]; ok {
		p.pos++
		return &arith{kind: aConst, val: v}, nil
	}
	if t.text == "len" {
		p.pos++
		return &arith{kind: aLen}, nil
	}
	if !isOp(p.peek(1), "[") {
		return nil, p.errAt(t, "%q is not a number or packet data reference", t.text)
	}
	p.commit = true
	if !loadProtos[t.text] {
		return nil, p.errAt(t, "%q[...] is not supported", t.text)
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos += 2
	idx, err := p.parseArith()
	if err != nil {
		return nil, err
	}
	size := 1
	if isOp(p.cur(), ":") {
		p.pos++
		s := p.cur()
		n, ok := parseNum(s.text)
		if s.kind != tWord || !ok || n != 1 && n != 2 && n != 4 {
			return nil, p.errAt(s, "data size must be 1, 2, or 4")
		}
		p.pos++
		size = int(n)
	}
	if !isOp(p.cur(), "]") {
		return nil, p.unexpected(p.cur(), `"]"`)
	}
	p.pos++
	return p.load(t, idx, size)
}

// load resolves proto[idx:size] to offsets and a guard, following libpcap:
// ip/ip6/arp/rarp data is relative to the network header; tcp, udp, sctp,
// icmp and igmp data to the transport header of unfragmented IPv4 packets
// and first fragments (never IPv6); icmp6 data to the byte after a fixed
// IPv6 header whose next header is ICMPv6.
func (p *parser) load(t token, idx *arith, size int) (*arith, error) {
	a := &arith{kind: aLoad, idx: idx, size: size}
	pl := p.l.offLinkPL
	switch t.text {
	case "ether", "link":
		if p.l.lt == Cooked {
			return nil, p.errAt(t, "%s[...]: a cooked-socket filter does not see a link-layer header", t.text)
		}
		a.base = 0
	case "ip":
		a.guard, a.base = p.linkType(etherTypeIPv4), pl
	case "ip6":
		a.guard, a.base = p.linkType(etherTypeIPv6), pl
	case "arp":
		a.guard, a.base = p.linkType(etherTypeARP), pl
	case "rarp":
		a.guard, a.base = p.linkType(etherTypeRARP), pl
	case "icmp6":
		a.guard, a.base = and(p.linkType(etherTypeIPv6), p.cmp(pl+6, 1, 58)), pl+40
	default:
		protos := map[string]uint32{"tcp": 6, "udp": 17, "sctp": 132, "icmp": 1, "igmp": 2}
		a.guard = and(p.ipProto(protos[t.text]), p.notFrag())
		a.base, a.transport = pl, true
	}
	return a, nil
}

func guards(a *arith) []cond {
	switch a.kind {
	case aLoad:
		return append(guards(a.idx), a.guard)
	case aBin:
		// libpcap's gen_arth keeps only the left operand's protocol
		// test: in "ip[2:2] - tcp[12]" the tcp guard is dropped and
		// tcp[12] is read from any IPv4 packet. tcpdump behaves so,
		// and verdicts must match it.
		return guards(a.l)
	case aNeg:
		return guards(a.l)
	}
	return nil
}

// maxScratch is the number of BPF scratch memory slots (BPF_MEMWORDS).
const maxScratch = 16

var errTooComplex = &Error{Msg: "arithmetic expression needs more than 16 scratch registers"}

// code emits statements leaving a's value in A. Scratch slots from depth
// up may be used; X is clobbered.
func code(a *arith, depth int) ([]bpf.Instruction, error) {
	switch a.kind {
	case aConst:
		return []bpf.Instruction{bpf.LoadConstant{Dst: bpf.RegA, Val: a.val}}, nil
	case aLen:
		return []bpf.Instruction{bpf.LoadExtension{Num: bpf.ExtLen}}, nil
	case aNeg:
		// 0 - A rather than BPF_NEG, which the x/net/bpf VM (used to
		// test these programs) does not implement.
		s, err := code(a.l, depth)
		return append(s, bpf.TAX{}, bpf.LoadConstant{Dst: bpf.RegA, Val: 0}, bpf.ALUOpX{Op: bpf.ALUOpSub}), err
	case aBin:
		if a.r.kind == aConst {
			s, err := code(a.l, depth)
			return append(s, bpf.ALUOpConstant{Op: a.op, Val: a.r.val}), err
		}
		if depth >= maxScratch {
			return nil, errTooComplex
		}
		s, err := code(a.r, depth)
		if err != nil {
			return nil, err
		}
		s = append(s, bpf.StoreScratch{Src: bpf.RegA, N: depth})
		sl, err := code(a.l, depth+1)
		if err != nil {
			return nil, err
		}
		s = append(s, sl...)
		return append(s, bpf.LoadScratch{Dst: bpf.RegX, N: depth}, bpf.ALUOpX{Op: a.op}), nil
	case aLoad:
		if a.idx.kind == aConst {
			if a.transport {
				return []bpf.Instruction{bpf.LoadMemShift{Off: a.base}, bpf.LoadIndirect{Off: a.base + a.idx.val, Size: a.size}}, nil
			}
			return []bpf.Instruction{bpf.LoadAbsolute{Off: a.base + a.idx.val, Size: a.size}}, nil
		}
		s, err := code(a.idx, depth)
		if err != nil {
			return nil, err
		}
		if a.transport {
			// LoadMemShift only writes X, so the index stays in A.
			s = append(s, bpf.LoadMemShift{Off: a.base}, bpf.ALUOpX{Op: bpf.ALUOpAdd})
		}
		return append(s, bpf.TAX{}, bpf.LoadIndirect{Off: a.base, Size: a.size}), nil
	}
	panic("bpf: unknown arithmetic node")
}

// relation compiles "l op r". All protocol guards of both sides are tested
// first, left to right, then the values are computed and compared, which
// is libpcap's order; it matters because a load past the end of the packet
// rejects the packet outright.
func (p *parser) relation(l *arith, op token, r *arith) (cond, error) {
	var stmts []bpf.Instruction
	var lf *leaf
	if r.kind == aConst {
		s, err := code(l, 0)
		if err != nil {
			return nil, p.errAt(op, "%s", err.(*Error).Msg)
		}
		stmts = s
		lf = &leaf{k: r.val}
	} else {
		s, err := code(r, 0)
		if err != nil {
			return nil, p.errAt(op, "%s", err.(*Error).Msg)
		}
		sl, err := code(l, 1)
		if err != nil {
			return nil, p.errAt(op, "%s", err.(*Error).Msg)
		}
		stmts = append(append(append(s, bpf.StoreScratch{Src: bpf.RegA, N: 0}), sl...), bpf.LoadScratch{Dst: bpf.RegX, N: 0})
		lf = &leaf{useX: true}
	}
	lf.stmts = stmts
	var c cond = lf
	switch op.text {
	case "=", "==":
		lf.test = bpf.JumpEqual
	case "!=":
		lf.test = bpf.JumpEqual
		c = not(lf)
	case ">":
		lf.test = bpf.JumpGreaterThan
	case ">=":
		lf.test = bpf.JumpGreaterOrEqual
	case "<":
		lf.test = bpf.JumpGreaterOrEqual
		c = not(lf)
	case "<=":
		lf.test = bpf.JumpGreaterThan
		c = not(lf)
	}
	return and(append(guards(l), append(guards(r), c)...)...), nil
}
