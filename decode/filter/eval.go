package filter

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"unsafe"

	"github.com/wirelens/wirelens/decode"
)

// cmpOp is a comparison. The "all" forms need every occurrence of a
// repeated field to pass and at least one to exist; the others need one.
type cmpOp uint8

const (
	opEq       cmpOp = iota + 1 // == eq any_eq
	opAllNe                     // != ne all_ne: Wireshark 4 reads a != b as "no occurrence equals"
	opAllEq                     // === all_eq
	opAnyNe                     // !== ~= any_ne
	opLt                        // <
	opLe                        // <=
	opGt                        // >
	opGe                        // >=
	opContains                  // contains
	opMatches                   // matches ~
)

// test applies op to one pair of values of kind k.
func test(k kind, op cmpOp, a, b *value) bool {
	if op == opContains {
		if k == kString {
			return strings.Contains(a.s, b.s)
		}
		return bytes.Contains(a.b, b.b)
	}
	c := order(k, a, b)
	switch op {
	case opEq, opAllEq:
		return c == 0
	case opAllNe, opAnyNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	}
	return false
}

func (op cmpOp) all() bool { return op == opAllNe || op == opAllEq }

type fnKind uint8

const (
	fnNone  fnKind = iota
	fnLen          // len(f): bytes in each occurrence's value
	fnCount        // count(f): how many occurrences the frame has
)

// rng is a slice [start:length]; a negative start counts from the end.
type rng struct {
	start, length int
	toEnd         bool
}

// apply cuts b; a range that does not fit yields no value, so the
// occurrence simply does not match, as in Wireshark.
func (r *rng) apply(b []byte) ([]byte, bool) {
	s := r.start
	if s < 0 {
		s += len(b)
	}
	if s < 0 || s >= len(b) {
		return nil, false
	}
	if r.toEnd {
		return b[s:], true
	}
	if r.length > len(b)-s {
		return nil, false
	}
	return b[s : s+r.length], true
}

// operand is a field as one side of a test, possibly sliced or wrapped in
// a function.
type operand struct {
	def     *decode.FieldDef
	kind    kind
	sl      *rng
	fn      fnKind
	asBytes bool // compared with a slice: use the field's byte form
	hasMask bool // "field & mask": compare the value ANDed with mask
	mask    value
	// tail: a protocol searched by contains or matches. Wireshark searches
	// its whole buffer, from its first byte to the end of the frame (tcp
	// contains "GET" finds the payload), while ==, slices and len() see
	// only the bytes the protocol's tree item covers (its header).
	tail bool
}

func (o *operand) name() string {
	switch o.fn {
	case fnLen:
		return "len(" + o.def.Name + ")"
	case fnCount:
		return "count(" + o.def.Name + ")"
	}
	return o.def.Name
}

func (o *operand) typeName() string {
	if o.fn != fnNone {
		return "Unsigned integer"
	}
	if o.sl != nil {
		return "Byte sequence"
	}
	return typeName(o.def)
}

// rawBytes is an occurrence's value as bytes, for slices and len(). IPv4
// addresses are written into buf so nothing is allocated.
func rawBytes(d *decode.Dissection, f *decode.Field, buf *[16]byte) []byte {
	switch f.Def.Type {
	case decode.FTProtocol:
		return protoBytes(d, f)
	case decode.FTIPv4:
		u := uint32(f.U)
		buf[0], buf[1], buf[2], buf[3] = byte(u>>24), byte(u>>16), byte(u>>8), byte(u)
		return buf[:4]
	case decode.FTString:
		// A read-only view of the string's bytes; nothing here writes to it.
		return unsafe.Slice(unsafe.StringData(f.S), len(f.S))
	}
	return f.B
}

// protoBytes is the part of the frame a protocol covers, clipped to the
// captured data so a bad length from a truncated frame cannot panic.
func protoBytes(d *decode.Dissection, f *decode.Field) []byte {
	off, n := int(f.Offset), int(f.Length)
	if off < 0 || off > len(d.Data) {
		return nil
	}
	if n < 0 || n > len(d.Data)-off {
		n = len(d.Data) - off
	}
	return d.Data[off : off+n]
}

// extract builds the value of one occurrence; false when it has none (a
// slice out of range).
func (o *operand) extract(d *decode.Dissection, f *decode.Field, buf *[16]byte) (v value, ok bool) {
	v, ok = o.extractRaw(d, f, buf)
	if !ok || !o.hasMask {
		return v, ok
	}
	switch o.kind {
	case kUint, kIPv4:
		v.u &= o.mask.u
	case kInt:
		v.i &= o.mask.i
	case kBytes:
		// The result goes into buf; when the value already lives there
		// (an IPv4 slice) each byte is read before it is overwritten.
		n := min(len(v.b), len(o.mask.b))
		for k := 0; k < n; k++ {
			buf[k] = v.b[k] & o.mask.b[k]
		}
		v.b = buf[:n]
	}
	return v, true
}

func (o *operand) extractRaw(d *decode.Dissection, f *decode.Field, buf *[16]byte) (v value, ok bool) {
	if o.fn == fnLen {
		v.u = uint64(len(rawBytes(d, f, buf)))
		return v, true
	}
	if o.sl != nil || o.asBytes {
		b := rawBytes(d, f, buf)
		if o.sl != nil {
			if b, ok = o.sl.apply(b); !ok {
				return v, false
			}
		}
		v.b = b
		return v, true
	}
	switch f.Def.Type {
	case decode.FTUint:
		v.u = f.U
	case decode.FTBool:
		v.u = b2u(f.U != 0)
	case decode.FTInt, decode.FTAbsTime, decode.FTRelTime:
		v.i = int64(f.U)
	case decode.FTFloat:
		v.f = f.Float()
	case decode.FTIPv4:
		v.u = uint64(uint32(f.U))
		v.mask = ^uint32(0)
	case decode.FTIPv6:
		v.b = f.B
		v.bits = 128
	case decode.FTEther, decode.FTBytes:
		v.b = f.B
	case decode.FTProtocol:
		if o.tail && f.Offset >= 0 && int(f.Offset) <= len(d.Data) {
			v.b = d.Data[f.Offset:]
		} else {
			v.b = protoBytes(d, f)
		}
	case decode.FTString:
		v.s = f.S
	}
	return v, true
}

// next returns the value of the first occurrence at or after index i of
// d.Fields and the index to continue from. Scanning the flat tree for the
// definition pointer beats building an index for the few dozen fields a
// frame has.
func (o *operand) next(d *decode.Dissection, i int, buf *[16]byte) (v value, j int, ok bool) {
	if o.fn == fnCount {
		if i > 0 {
			return v, i, false
		}
		n := 0
		for k := range d.Fields {
			if d.Fields[k].Def == o.def {
				n++
			}
		}
		v.u = uint64(n)
		return v, len(d.Fields) + 1, true
	}
	for ; i < len(d.Fields); i++ {
		f := &d.Fields[i]
		if f.Def != o.def {
			continue
		}
		if v, ok = o.extract(d, f, buf); ok {
			return v, i + 1, true
		}
	}
	return v, i, false
}

// node is a compiled test. Nodes are pointers or small values so the
// interface call in Match copies nothing.
type node interface {
	match(d *decode.Dissection) bool
}

type andNode []node

func (n andNode) match(d *decode.Dissection) bool {
	for _, c := range n {
		if !c.match(d) {
			return false
		}
	}
	return true
}

type orNode []node

func (n orNode) match(d *decode.Dissection) bool {
	for _, c := range n {
		if c.match(d) {
			return true
		}
	}
	return false
}

type xorNode [2]node

func (n xorNode) match(d *decode.Dissection) bool { return n[0].match(d) != n[1].match(d) }

type notNode struct{ n node }

func (n notNode) match(d *decode.Dissection) bool { return !n.n.match(d) }

// presentNode is a bare field name: true when the field occurs at all.
type presentNode struct{ def *decode.FieldDef }

func (n presentNode) match(d *decode.Dissection) bool {
	for i := range d.Fields {
		if d.Fields[i].Def == n.def {
			return true
		}
	}
	return false
}

// existsNode is a bare slice, true when some occurrence is long enough.
type existsNode struct{ o operand }

func (n *existsNode) match(d *decode.Dissection) bool {
	var buf [16]byte
	_, _, ok := n.o.next(d, 0, &buf)
	return ok
}

// nonZeroNode is "field & mask" alone: true when some occurrence has a
// masked bit set.
type nonZeroNode struct{ o operand }

func (n *nonZeroNode) match(d *decode.Dissection) bool {
	var buf [16]byte
	for i := 0; ; {
		v, j, ok := n.o.next(d, i, &buf)
		if !ok {
			return false
		}
		i = j
		switch n.o.kind {
		case kUint, kIPv4:
			if v.u != 0 {
				return true
			}
		case kInt:
			if v.i != 0 {
				return true
			}
		case kBytes:
			for _, c := range v.b {
				if c != 0 {
					return true
				}
			}
		}
	}
}

// cmpNode compares a field with a literal.
type cmpNode struct {
	lhs operand
	op  cmpOp
	rhs value
}

func (n *cmpNode) match(d *decode.Dissection) bool {
	if n.lhs.fn == fnNone && n.lhs.sl == nil && !n.lhs.hasMask && n.lhs.kind == kUint && n.op != opContains {
		return n.matchUint(d)
	}
	var buf [16]byte
	all, seen := n.op.all(), false
	for i := 0; ; {
		v, j, ok := n.lhs.next(d, i, &buf)
		if !ok {
			break
		}
		i = j
		r := test(n.lhs.kind, n.op, &v, &n.rhs)
		if all {
			if !r {
				return false
			}
			seen = true
		} else if r {
			return true
		}
	}
	return seen
}

// matchUint is the common case (ports, flags, lengths, status codes)
// without building a value per occurrence.
func (n *cmpNode) matchUint(d *decode.Dissection) bool {
	def, want, isBool := n.lhs.def, n.rhs.u, n.lhs.def.Type == decode.FTBool
	all, seen := n.op.all(), false
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Def != def {
			continue
		}
		u := f.U
		if isBool && u != 0 {
			u = 1
		}
		var r bool
		switch n.op {
		case opEq, opAllEq:
			r = u == want
		case opAllNe, opAnyNe:
			r = u != want
		case opLt:
			r = u < want
		case opLe:
			r = u <= want
		case opGt:
			r = u > want
		case opGe:
			r = u >= want
		}
		if all {
			if !r {
				return false
			}
			seen = true
		} else if r {
			return true
		}
	}
	return seen
}

// fieldCmpNode compares two fields; any pair of occurrences may satisfy
// it (every pair for the "all" operators).
type fieldCmpNode struct {
	lhs, rhs operand
	op       cmpOp
}

func (n *fieldCmpNode) match(d *decode.Dissection) bool {
	var ba, bb [16]byte
	all, seen := n.op.all(), false
	for i := 0; ; {
		a, ni, ok := n.lhs.next(d, i, &ba)
		if !ok {
			break
		}
		i = ni
		for j := 0; ; {
			b, nj, ok := n.rhs.next(d, j, &bb)
			if !ok {
				break
			}
			j = nj
			r := test(n.lhs.kind, n.op, &a, &b)
			if all {
				if !r {
					return false
				}
				seen = true
			} else if r {
				return true
			}
		}
	}
	return seen
}

type matchesNode struct {
	lhs operand
	re  *regexp.Regexp
	// latin1: the pattern names bytes 0x80-0xff (\xff, [\x80-\xff]).
	// RE2 reads its input as UTF-8, where such bytes are not runes, so
	// the bytes are fed one rune each instead, as PCRE sees them in
	// Wireshark. That path allocates; patterns without such bytes keep
	// the fast one, where UTF-8 decoding gives the same answer.
	latin1 bool
}

// latin1Reader reads each byte as the rune of the same number.
type latin1Reader struct {
	b []byte
	i int
}

func (r *latin1Reader) ReadRune() (rune, int, error) {
	if r.i >= len(r.b) {
		return 0, 0, io.EOF
	}
	r.i++
	return rune(r.b[r.i-1]), 1, nil
}

func (n *matchesNode) match(d *decode.Dissection) bool {
	if n.lhs.def.Type == decode.FTIPv4 || n.lhs.hasMask {
		// The regexp keeps its input in pooled state, so a buffer handed
		// to it escapes; only IPv4 byte forms need one, so only they pay.
		var buf [16]byte
		return n.run(d, &buf)
	}
	return n.run(d, nil)
}

// run needs buf only for IPv4 fields (see rawBytes) and masks.
func (n *matchesNode) run(d *decode.Dissection, buf *[16]byte) bool {
	for i := 0; ; {
		v, j, ok := n.lhs.next(d, i, buf)
		if !ok {
			return false
		}
		i = j
		switch {
		case n.lhs.kind == kString:
			if n.re.MatchString(v.s) {
				return true
			}
		case n.latin1:
			if n.re.MatchReader(&latin1Reader{b: v.b}) {
				return true
			}
		case n.re.Match(v.b):
			return true
		}
	}
}

type setElem struct {
	lo, hi  value
	isRange bool
}

// setNode is "in {...}": some occurrence equals an element or falls in a
// range.
type setNode struct {
	lhs   operand
	elems []setElem
}

func (n *setNode) match(d *decode.Dissection) bool {
	if n.lhs.kind == kUint && n.lhs.fn == fnNone && n.lhs.sl == nil && !n.lhs.hasMask {
		return n.matchUint(d)
	}
	var buf [16]byte
	k := n.lhs.kind
	for i := 0; ; {
		v, j, ok := n.lhs.next(d, i, &buf)
		if !ok {
			return false
		}
		i = j
		for e := range n.elems {
			el := &n.elems[e]
			if el.isRange {
				if order(k, &v, &el.lo) >= 0 && order(k, &v, &el.hi) <= 0 {
					return true
				}
			} else if order(k, &v, &el.lo) == 0 {
				return true
			}
		}
	}
}

// matchUint is the common "tcp.port in {...}" without building values.
func (n *setNode) matchUint(d *decode.Dissection) bool {
	def, isBool := n.lhs.def, n.lhs.def.Type == decode.FTBool
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Def != def {
			continue
		}
		u := f.U
		if isBool && u != 0 {
			u = 1
		}
		for e := range n.elems {
			if el := &n.elems[e]; u >= el.lo.u && u <= el.hi.u {
				return true
			}
		}
	}
	return false
}
