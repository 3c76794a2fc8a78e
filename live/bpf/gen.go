package bpf

import "golang.org/x/net/bpf"

// cond is a boolean condition tree. Leaves carry the statements that load
// the value to test and the test itself; inner nodes are short-circuit
// and/or/not. The tree is turned into straight-line code with forward jumps
// only, which is all classic BPF allows.
type cond interface{ isCond() }

// leaf runs stmts and then tests A (or A against X when useX) with test/k.
// test is one of JumpEqual, JumpGreaterThan, JumpGreaterOrEqual and
// JumpBitsSet, the four conditions BPF encodes; the others are built by
// negating the leaf, which only swaps the jump targets.
type leaf struct {
	stmts []bpf.Instruction
	test  bpf.JumpTest
	k     uint32
	useX  bool
}

type andCond struct{ l, r cond }
type orCond struct{ l, r cond }
type notCond struct{ c cond }
type constCond bool

func (*leaf) isCond()     {}
func (andCond) isCond()   {}
func (orCond) isCond()    {}
func (notCond) isCond()   {}
func (constCond) isCond() {}

// and, or and not fold constants where that cannot change a verdict: a
// constant on the left short-circuits, and "x and true" / "x or false"
// are x. "x or true" is not folded: x may read past the end of the
// packet, which rejects it in BPF.
func and(cs ...cond) cond {
	var out cond
	for _, c := range cs {
		switch {
		case c == nil:
		case out == nil:
			out = c
		case out == constCond(true):
			out = c
		case out == constCond(false), c == constCond(true):
		case c == constCond(false):
			out = c // x is evaluated for nothing: false either way
		default:
			out = andCond{out, c}
		}
	}
	if out == nil {
		return constCond(true)
	}
	return out
}

func or(cs ...cond) cond {
	var out cond
	for _, c := range cs {
		switch {
		case out == nil:
			out = c
		case out == constCond(false):
			out = c
		case out == constCond(true), c == constCond(false):
		default:
			out = orCond{out, c}
		}
	}
	if out == nil {
		return constCond(false)
	}
	return out
}

func not(c cond) cond {
	if k, ok := c.(constCond); ok {
		return !k
	}
	return notCond{c}
}

// item is one element of the label-addressed program built before layout:
// a label marker, a plain instruction, a conditional jump or a "ja".
type item struct {
	kind   itemKind
	label  int             // itemLabel
	ins    bpf.Instruction // itemPlain
	test   bpf.JumpTest    // itemCond
	k      uint32          // itemCond
	useX   bool            // itemCond
	jt, jf int             // itemCond targets; itemJa uses jt
}

type itemKind uint8

const (
	itemLabel itemKind = iota
	itemPlain
	itemCond
	itemJa
)

type emitter struct {
	items  []item
	labels int
}

func (e *emitter) newLabel() int { e.labels++; return e.labels }

func (e *emitter) place(l int) { e.items = append(e.items, item{kind: itemLabel, label: l}) }

// gen emits code that continues at label t when c holds and at f
// otherwise. Both labels are placed by the caller after the emitted code,
// so every jump goes forward.
func (e *emitter) gen(c cond, t, f int) {
	switch c := c.(type) {
	case constCond:
		target := f
		if c {
			target = t
		}
		e.items = append(e.items, item{kind: itemJa, jt: target})
	case *leaf:
		for _, s := range c.stmts {
			e.items = append(e.items, item{kind: itemPlain, ins: s})
		}
		e.items = append(e.items, item{kind: itemCond, test: c.test, k: c.k, useX: c.useX, jt: t, jf: f})
	case notCond:
		e.gen(c.c, f, t)
	case andCond:
		m := e.newLabel()
		e.gen(c.l, m, f)
		e.place(m)
		e.gen(c.r, t, f)
	case orCond:
		m := e.newLabel()
		e.gen(c.l, t, m)
		e.place(m)
		e.gen(c.r, t, f)
	default:
		panic("bpf: unknown condition type")
	}
}

// generate lays out the condition as a program ending in "ret #snaplen"
// (accept) and "ret #0" (reject). It also returns the program length; the
// program is nil when that exceeds MaxInstructions.
func generate(c cond, snaplen uint32) ([]bpf.Instruction, int) {
	if k, ok := c.(constCond); ok {
		if k {
			return []bpf.Instruction{bpf.RetConstant{Val: snaplen}}, 1
		}
		return []bpf.Instruction{bpf.RetConstant{Val: 0}}, 1
	}
	e := &emitter{}
	accept, reject := e.newLabel(), e.newLabel()
	e.gen(c, accept, reject)
	e.place(accept)
	e.items = append(e.items, item{kind: itemPlain, ins: bpf.RetConstant{Val: snaplen}})
	e.place(reject)
	e.items = append(e.items, item{kind: itemPlain, ins: bpf.RetConstant{Val: 0}})
	// Layout only adds instructions (besides dropping empty jumps), so a
	// program already over the kernel limit is not worth laying out.
	n := 0
	for _, it := range e.items {
		if it.kind == itemPlain || it.kind == itemCond {
			n++
		}
	}
	if n > MaxInstructions {
		return nil, n
	}
	prog := e.layout()
	return prog, len(prog)
}

// layout resolves labels to relative offsets. Conditional jumps have only
// 8-bit offsets, so a branch further than 255 instructions is routed
// through an inserted "ja" (32-bit offset) placed right after the jump;
// the insertion can push other branches out of range, hence the loop.
// Jumps of length zero ("ja" to the next instruction) are dropped.
func (e *emitter) layout() []bpf.Instruction {
	for {
		pos, at := e.positions()
		changed := false
		// Drop "ja" whose target is the very next instruction.
		out := e.items[:0:0]
		for i, it := range e.items {
			if it.kind == itemJa && pos[it.jt] == at[i]+1 {
				changed = true
				continue
			}
			out = append(out, it)
		}
		if changed {
			e.items = out
			continue
		}
		// Give every out-of-range branch its trampoline in one pass,
		// then measure again.
		var grown []item
		for i, it := range e.items {
			if it.kind != itemCond {
				grown = append(grown, it)
				continue
			}
			far := func(l int) bool { return pos[l]-at[i]-1 > 255 }
			var tramp []item
			if far(it.jt) {
				l := e.newLabel()
				tramp = append(tramp, item{kind: itemLabel, label: l}, item{kind: itemJa, jt: it.jt})
				it.jt = l
			}
			if far(it.jf) {
				l := e.newLabel()
				tramp = append(tramp, item{kind: itemLabel, label: l}, item{kind: itemJa, jt: it.jf})
				it.jf = l
			}
			grown = append(grown, it)
			grown = append(grown, tramp...)
			changed = changed || len(tramp) > 0
		}
		e.items = grown
		if !changed {
			break
		}
	}
	pos, at := e.positions()
	var prog []bpf.Instruction
	for i, it := range e.items {
		switch it.kind {
		case itemPlain:
			prog = append(prog, it.ins)
		case itemJa:
			prog = append(prog, bpf.Jump{Skip: uint32(pos[it.jt] - at[i] - 1)})
		case itemCond:
			st := uint8(pos[it.jt] - at[i] - 1)
			sf := uint8(pos[it.jf] - at[i] - 1)
			if it.useX {
				prog = append(prog, bpf.JumpIfX{Cond: it.test, SkipTrue: st, SkipFalse: sf})
			} else {
				prog = append(prog, bpf.JumpIf{Cond: it.test, Val: it.k, SkipTrue: st, SkipFalse: sf})
			}
		}
	}
	return prog
}

// positions maps each label to the index of the instruction it precedes,
// and each item to the index of its instruction.
func (e *emitter) positions() (map[int]int, []int) {
	pos := make(map[int]int, e.labels)
	at := make([]int, len(e.items))
	n := 0
	for i, it := range e.items {
		at[i] = n
		if it.kind == itemLabel {
			pos[it.label] = n
			continue
		}
		n++
	}
	return pos, at
}
