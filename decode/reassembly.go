package decode

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// IP reassembly, as tshark does by default (ip.defragment, ipv6.reass):
// the transport layer of a fragmented datagram is dissected, and its
// checksum verified, in the frame that completes the datagram. Fragments
// are collected on the first, in-order pass; the finished datagram is kept
// by frame number so a later re-dissection of that frame finds it. What is
// kept is bounded: beyond maxReassembled bytes the oldest datagrams are
// dropped and their frames show the fragment alone.
//
// Overlaps follow epan/reassemble.c (fragment_add_work) in tshark 4.0, so
// the checksum verdict on the datagram is the one tshark gives: fragments
// are ordered by offset, a later arrival after earlier ones at the same
// offset; walking that order, bytes already placed are kept and a fragment
// covering them is flagged as an overlap, and as a conflict where its bytes
// differ. A last fragment that ends elsewhere than the first one seen is a
// "multiple tail"; bytes past the datagram's end are "too long" and dropped.
// None of these stops the datagram from completing.

type fragKey struct {
	src, dst [16]byte
	id       uint32
	proto    uint8
	v6       bool
}

// fragFlags are reassemble.c's per-fragment error flags.
type fragFlags uint8

const (
	fragOverlap fragFlags = 1 << iota
	fragConflict
	fragMultiTails
	fragTooLong
)

// fragErrors are the flags that make tshark list a fragment as
// ip.fragment.error rather than ip.fragment.
const fragErrors = fragConflict | fragMultiTails | fragTooLong

type fragPiece struct {
	off   int
	n     int // bytes the fragment carries
	data  []byte
	frame int
	flags fragFlags
}

type fragBuf struct {
	pieces []fragPiece // by offset; equal offsets in arrival order
	total  int         // datagram length once the last fragment is seen; -1 before
}

// reassembled is a completed datagram: its bytes and, for the tree, the
// fragments it was made of (without their data).
type reassembled struct {
	data   []byte
	pieces []fragPiece
}

const maxReassembled = 64 << 20

// maxFragPieces bounds the fragments kept for one datagram (a 64 KiB
// datagram in 576-byte packets has 117).
const maxFragPieces = 512

type reassembler struct {
	pending map[fragKey]*fragBuf
	done    map[int]*reassembled // frame number -> the datagram it completed
	frames  []int                // keys of done, oldest first
	bytes   int
	pend    int // bytes held in pending fragments
}

// fragment records one fragment seen in frame n and returns the datagram
// when n is the frame that completes it.
func (t *convTable) fragment(n int, k fragKey, off int, payload []byte, more, frozen bool) *reassembled {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := &t.reasm
	if d, ok := r.done[n]; ok || frozen {
		return d
	}
	if r.pending == nil {
		r.pending = map[fragKey]*fragBuf{}
		r.done = map[int]*reassembled{}
	}
	fb := r.pending[k]
	if fb == nil {
		fb = &fragBuf{total: -1}
		r.pending[k] = fb
	}
	for _, p := range fb.pieces {
		if p.frame == n {
			return nil // seen before: a re-dissection of an incomplete datagram
		}
	}
	if len(fb.pieces) >= maxFragPieces {
		// Every fragment costs a pass over the datagram's pieces: a
		// datagram of thousands of tiny fragments would make reading
		// the file quadratic. No real one comes close; give it up.
		for _, p := range fb.pieces {
			r.pend -= len(p.data)
		}
		delete(r.pending, k)
		return nil
	}
	if r.pend+len(payload) > maxReassembled {
		// Unfinished datagrams must not grow without bound either.
		r.pending = map[fragKey]*fragBuf{}
		r.pend = 0
		return nil
	}
	p := fragPiece{off: off, n: len(payload), data: append([]byte(nil), payload...), frame: n}
	if !more {
		switch end := off + len(payload); {
		case fb.total < 0:
			fb.total = end
		case fb.total != end:
			p.flags |= fragMultiTails
		}
	}
	i := sort.Search(len(fb.pieces), func(i int) bool { return fb.pieces[i].off > off })
	fb.pieces = append(fb.pieces, fragPiece{})
	copy(fb.pieces[i+1:], fb.pieces[i:])
	fb.pieces[i] = p
	r.pend += len(payload)
	if fb.total < 0 {
		return nil
	}
	have := 0
	for _, p := range fb.pieces {
		if p.off > have {
			break // a hole; what lies beyond it does not count
		}
		have = max(have, p.off+p.n)
	}
	if have < fb.total {
		return nil
	}
	out := make([]byte, fb.total)
	pos := 0
	for i := range fb.pieces {
		p := &fb.pieces[i]
		r.pend -= len(p.data)
		if p.n == 0 {
			continue
		}
		if p.off >= fb.total {
			p.flags |= fragTooLong
			continue
		}
		n := p.n
		if p.off+n > fb.total {
			p.flags |= fragTooLong
			n = fb.total - p.off
		}
		if p.off > pos {
			continue // cannot happen: the loop above found no hole before total
		}
		if p.off < pos {
			p.flags |= fragOverlap
			c := min(n, pos-p.off)
			if !bytes.Equal(out[p.off:p.off+c], p.data[:c]) {
				p.flags |= fragConflict
			}
		}
		if p.off+n > pos {
			copy(out[pos:], p.data[pos-p.off:n])
			pos = p.off + n
		}
		p.data = nil
	}
	delete(r.pending, k)
	d := &reassembled{data: out, pieces: fb.pieces}
	r.done[n] = d
	r.frames = append(r.frames, n)
	r.bytes += len(out)
	for r.bytes > maxReassembled && len(r.frames) > 1 {
		old := r.frames[0]
		r.bytes -= len(r.done[old].data)
		delete(r.done, old)
		r.frames = r.frames[1:]
	}
	return d
}

// fragDefs are one IP version's reassembly fields (tshark's
// fragment_items), so IPv4 and IPv6 share one tree builder.
type fragDefs struct {
	name                                   string // "IPv4"
	fragments, fragment, errorFrag, count  *FieldDef
	overlap, conflict, multiTails, tooLong *FieldDef
	length, data                           *FieldDef
}

func fragFieldDefs(proto, name string) *fragDefs {
	frame := func(f *Field) string {
		return fmt.Sprintf("[Frame: %d, payload: %d-%d (%d bytes)]", f.U, f.Aux>>32, f.Aux>>32+f.Aux&0xffffffff-1, f.Aux&0xffffffff)
	}
	flag := func(suffix, label string) *FieldDef {
		return Register(FieldDef{Name: proto + ".fragment." + suffix, Label: label, Type: FTBool})
	}
	return &fragDefs{
		name:       name,
		fragments:  Register(FieldDef{Name: proto + ".fragments", Label: name + " Fragments", Type: FTNone}),
		fragment:   Register(FieldDef{Name: proto + ".fragment", Label: name + " Fragment", Type: FTUint, Display: frame}),
		errorFrag:  Register(FieldDef{Name: proto + ".fragment.error", Label: "Defragmentation error", Type: FTUint, Display: frame}),
		count:      Register(FieldDef{Name: proto + ".fragment.count", Label: "Fragment count", Type: FTUint}),
		overlap:    flag("overlap", "Fragment overlap"),
		conflict:   flag("overlap.conflict", "Conflicting data in fragment overlap"),
		multiTails: flag("multipletails", "Multiple tail fragments found"),
		tooLong:    flag("toolongfragment", "Fragment too long"),
		length: Register(FieldDef{Name: proto + ".reassembled.length", Label: "Reassembled " + name + " length", Type: FTUint,
			Display: func(f *Field) string { return fmt.Sprintf("[Reassembled %s length: %d]", name, f.U) }}),
		data: Register(FieldDef{Name: proto + ".reassembled.data", Label: "Reassembled " + name + " data", Type: FTBytes,
			Display: func(f *Field) string {
				s := formatBytes(f.B, "")
				if len(s) > 72 { // tshark shows 36 bytes
					s = s[:72] + "…"
				}
				return "[Reassembled " + name + " data: " + s + "]"
			}}),
	}
}

var fFragConflict = Register(FieldDef{Name: "_ws.expert.fragment_conflict", Label: "Conflicting fragment data", Type: FTNone})

var (
	ipFragDefs   = fragFieldDefs("ip", "IPv4")
	ipv6FragDefs = fragFieldDefs("ipv6", "IPv6")
)

// maxFragLabel is where tshark cuts a tree label (ITEM_LABEL_LENGTH).
const maxFragLabel = 240

// fragTree adds tshark's "[N IPv4 Fragments (L bytes): #1(8), ...]"
// subtree: every fragment with its range and flags, the count and the
// reassembled length. Nothing in it is on the wire of this frame.
func fragTree(b *builder, at int, d *reassembled, defs *fragDefs) {
	label := fmt.Sprintf("[%d %s Fragments (%d bytes): ", len(d.pieces), defs.name, len(d.data))
	for i, p := range d.pieces {
		if i > 0 {
			label += ", "
		}
		label += "#" + strconv.Itoa(p.frame) + "(" + strconv.Itoa(p.n) + ")"
		if len(label) > maxFragLabel {
			label = label[:maxFragLabel] + "…"
			break
		}
	}
	if len(label) <= maxFragLabel {
		label += "]"
	}
	b.open(defs.fragments, at, 0).Text = label
	for _, p := range d.pieces {
		def := defs.fragment
		if p.flags&fragErrors != 0 {
			def = defs.errorFrag
		}
		f := b.addU(def, at, 0, uint64(p.frame))
		f.Generated = true
		f.Aux = uint64(p.off)<<32 | uint64(uint32(p.n))
		b.depth++
		for _, fl := range []struct {
			bit fragFlags
			def *FieldDef
		}{{fragOverlap, defs.overlap}, {fragConflict, defs.conflict}, {fragMultiTails, defs.multiTails}, {fragTooLong, defs.tooLong}} {
			if p.flags&fl.bit != 0 {
				b.addU(fl.def, at, 0, 1).Generated = true
			}
		}
		b.depth--
	}
	var conflicts []string
	for _, p := range d.pieces {
		if p.flags&fragConflict != 0 {
			conflicts = append(conflicts, strconv.Itoa(p.frame))
		}
	}
	if len(conflicts) > 0 {
		// A bad checksum over such a datagram says which copy won, not
		// that a link corrupted anything: say so where it is read.
		b.expert(fFragConflict, at, 0, "[Overlapping fragments with different data (frame "+strings.Join(conflicts, ", ")+
			"): the datagram holds the bytes that came first by offset, and its checksum is over those]")
	}
	b.addU(defs.count, at, 0, uint64(len(d.pieces))).Generated = true
	b.addU(defs.length, at, 0, uint64(len(d.data))).Generated = true
	f := b.add(defs.data, at, 0)
	f.B, f.Generated = d.data, true
	b.close()
}

// dissectReassembled dissects a reassembled transport payload, after the
// fragment tree inside the IP layer's subtree. Its fields cover bytes that
// are not all in this frame, so they point at the IP payload's start with
// no length: the bytes pane highlights nothing rather than the wrong bytes.
func dissectReassembled(b *builder, at int, d *reassembled, proto uint8, defs *fragDefs) {
	b.depth++
	fragTree(b, at, d, defs)
	b.depth--
	payload := d.data
	saved := b.data
	savedFrag, savedLen := b.fragmented, b.payloadLen
	b.data = payload
	b.fragmented = false
	b.payloadLen = len(payload)
	start, ckStart := len(b.d.Fields), len(b.d.Checksums)
	dissectIPProto(b, 0, len(payload), proto)
	for i := start; i < len(b.d.Fields); i++ {
		b.d.Fields[i].Offset, b.d.Fields[i].Length = int32(at), 0
	}
	for i := ckStart; i < len(b.d.Checksums); i++ {
		b.d.Checksums[i].Offset, b.d.Checksums[i].Length = at, 0
	}
	b.data = saved
	b.fragmented, b.payloadLen = savedFrag, savedLen
}
