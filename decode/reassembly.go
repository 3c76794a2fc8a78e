package decode

import (
	"fmt"
	"sort"
)

// IP reassembly, as tshark does by default (ip.defragment, ipv6.reass):
// the transport layer of a fragmented datagram is dissected, and its
// checksum verified, in the frame that completes the datagram. Fragments
// are collected on the first, in-order pass; the finished datagram is kept
// by frame number so a later re-dissection of that frame finds it. What is
// kept is bounded: beyond maxReassembled bytes the oldest datagrams are
// dropped and their frames show the fragment alone.

type fragKey struct {
	src, dst [16]byte
	id       uint32
	proto    uint8
	v6       bool
}

type fragPiece struct {
	off   int
	data  []byte
	frame int
}

type fragBuf struct {
	pieces []fragPiece
	total  int // datagram length once the last fragment is seen; -1 before
}

const maxReassembled = 64 << 20

// maxFragPieces bounds the fragments kept for one datagram (a 64 KiB
// datagram in 576-byte packets has 117).
const maxFragPieces = 512

type reassembler struct {
	pending map[fragKey]*fragBuf
	done    map[int][]byte // frame number -> reassembled transport payload
	frames  []int          // keys of done, oldest first
	bytes   int
	pend    int // bytes held in pending fragments
}

// fragment records one fragment seen in frame n and returns the whole
// datagram payload when n is the frame that completes it.
func (t *convTable) fragment(n int, k fragKey, off int, payload []byte, more, frozen bool) []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := &t.reasm
	if d, ok := r.done[n]; ok || frozen {
		return d
	}
	if r.pending == nil {
		r.pending = map[fragKey]*fragBuf{}
		r.done = map[int][]byte{}
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
	fb.pieces = append(fb.pieces, fragPiece{off: off, data: append([]byte(nil), payload...), frame: n})
	r.pend += len(payload)
	if !more {
		fb.total = off + len(payload)
	}
	if fb.total < 0 {
		return nil
	}
	sort.Slice(fb.pieces, func(i, j int) bool { return fb.pieces[i].off < fb.pieces[j].off })
	have := 0
	for _, p := range fb.pieces {
		if p.off > have {
			return nil // a hole
		}
		if end := p.off + len(p.data); end > have {
			have = end
		}
	}
	if have < fb.total {
		return nil
	}
	out := make([]byte, fb.total)
	for _, p := range fb.pieces {
		copy(out[p.off:], p.data)
		r.pend -= len(p.data)
	}
	delete(r.pending, k)
	r.done[n] = out
	r.frames = append(r.frames, n)
	r.bytes += len(out)
	for r.bytes > maxReassembled && len(r.frames) > 1 {
		old := r.frames[0]
		r.bytes -= len(r.done[old])
		delete(r.done, old)
		r.frames = r.frames[1:]
	}
	return out
}

var fIPReassembled = Register(FieldDef{Name: "ip.reassembled.length", Label: "Reassembled IPv4 length", Type: FTUint,
	Display: func(f *Field) string { return fmt.Sprintf("[Reassembled IPv4 length: %d]", f.U) }})
var fIPv6Reassembled = Register(FieldDef{Name: "ipv6.reassembled.length", Label: "Reassembled IPv6 length", Type: FTUint,
	Display: func(f *Field) string { return fmt.Sprintf("[Reassembled IPv6 length: %d]", f.U) }})

// dissectReassembled dissects a reassembled transport payload. Its fields
// cover bytes that are not all in this frame, so they point at the IP
// payload's start with no length: the bytes pane highlights nothing rather
// than the wrong bytes.
func dissectReassembled(b *builder, at int, payload []byte, proto uint8, lenDef *FieldDef) {
	b.addU(lenDef, at, 0, uint64(len(payload))).Generated = true
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
