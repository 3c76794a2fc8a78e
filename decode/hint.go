package decode

import (
	"fmt"
	"strings"

	"github.com/wirelens/wirelens/decode/capfile"
)

// Hint is one piece of evidence about why a checksum is bad or a frame is
// too large: the question every "checksum incorrect" report asks is
// whether the network corrupted data or the capture point saw the frame
// before the NIC finished it.
type Hint uint8

const (
	HintPartial  Hint = iota // field holds the partial pseudo-header sum (CHECKSUM_PARTIAL)
	HintZero                 // field is 0x0000, left for the NIC
	HintOutbound             // the capturing host sent the frame
	HintVirtual              // received with a partial sum: came through veth/tap/bridge on this host
	HintOversize             // larger than the link allows: TSO/GSO or GRO/LRO
	HintTunnel               // an outer tunnel checksum that is right once the inner partial sum is completed (LCO)
	HintSuspect              // bad, with none of the above: possible corruption
	numHints
)

// HintNames are the values of the wirelens.hint field.
var HintNames = [numHints]string{"partial", "zero", "outbound", "virtual", "oversize", "tunnel", "suspect"}

func (h Hint) String() string {
	if h < numHints {
		return HintNames[h]
	}
	return "unknown"
}

// HintSet is a set of hints.
type HintSet uint8

func (s HintSet) Has(h Hint) bool { return s&(1<<h) != 0 }

// Offload reports whether the set holds any offload evidence.
func (s HintSet) Offload() bool { return s&^(1<<HintSuspect) != 0 && s != 0 }

var (
	fWirelens = Register(FieldDef{Name: "wirelens", Label: "wirelens offload diagnosis", Type: FTProtocol})
	fHint     = Register(FieldDef{Name: "wirelens.hint", Label: "wirelens hint", Type: FTString,
		Display: func(f *Field) string { return "[wirelens hint: " + f.S + "]" }})
	fHintText = Register(FieldDef{Name: "wirelens.hint.text", Label: "Why", Type: FTString, Format: hintText})
)

// CommentCsumNotReady is the packet comment wirelens's live capture writes
// when the kernel reported TP_STATUS_CSUMNOTREADY for the frame.
const CommentCsumNotReady = "wirelens: checksum not ready (transmit offload)"

// mtuPayload is the largest IP packet a standard Ethernet link carries;
// loopback carries 64 KiB.
const mtuPayload = 1500

// OffloadPattern reports whether a bad checksum carries offload evidence.
func OffloadPattern(_ *Dissection, ck *Checksum) bool {
	return ck.Status == StatusBad && ck.Hints.Offload()
}

// mtu is the link MTU the frame is judged against: a capture file does not
// record it, but a loopback frame (all-zero MACs, or the SLL loopback
// hardware type) is known to come from a 64 KiB link.
func (b *builder) mtu() int {
	if b.loopback {
		return 65536
	}
	return mtuPayload
}

// inbound reports whether the frame is known to have been received.
func (b *builder) inbound() bool {
	return b.fr.Record.Direction == capfile.DirInbound || b.sllIn
}

// addHints judges every bad checksum of the frame and the frame's size,
// and adds the wirelens.hint fields at the end of the tree.
func (b *builder) addHints() {
	d := b.d
	var frameHints HintSet
	if b.oversize > 0 {
		frameHints |= 1 << HintOversize
	}
	anyBad := false
	for i := range d.Checksums {
		ck := &d.Checksums[i]
		if ck.Status != StatusBad {
			continue
		}
		var s HintSet
		if ck.Partial {
			s |= 1 << HintPartial
			if b.inbound() && !d.Outbound {
				s |= 1 << HintVirtual
			}
		}
		if ck.Value == 0 {
			s |= 1 << HintZero
		}
		if d.Outbound {
			s |= 1 << HintOutbound
		}
		if b.csumNotReady && ck.Proto != "ip" {
			// The kernel itself said the checksum was left for the
			// device (TP_STATUS_CSUMNOTREADY, recorded by a live capture).
			if d.Outbound {
				s |= 1 << HintOutbound
			} else {
				s |= 1 << HintVirtual
			}
		}
		if b.lcoOuter(i) {
			s |= 1 << HintTunnel
		}
		s |= frameHints
		if s == 0 {
			s = 1 << HintSuspect
		}
		ck.Hints = s
		anyBad = true
	}
	if (anyBad || frameHints != 0) && b.fr.Iface != nil {
		b.ifOffloads = ifaceOffloads(b.fr.Iface.Name, b.fr.Iface.Description)
	}
	switch {
	case anyBad:
		b.placeHints()
	case frameHints.Has(HintOversize):
		// No checksum to hang it on: the frame's own diagnosis block.
		b.depth = 0
		b.open(fWirelens, 0, 0)
		b.d.Fields = appendHint(b.d.Fields, HintOversize, nil, b.depth, b.oversize, b.ifOffloads)
		b.close()
	}
}

// lcoOuter reports whether the bad checksum i covers an inner checksum
// that holds the partial sum, and would be right with that inner checksum
// completed: Linux computes the outer checksum of a UDP tunnel or GRE with
// local checksum offload (LCO), as if the device had already filled in the
// inner one. Both are offload artifacts then.
func (b *builder) lcoOuter(i int) bool {
	cks := b.d.Checksums
	ck := &cks[i]
	if ck.cov1 <= ck.cov0 {
		return false
	}
	for j := i + 1; j < len(cks); j++ {
		in := &cks[j]
		if !in.Partial || in.Status != StatusBad || in.Length != 2 || in.Offset < ck.cov0 || in.Offset+2 > ck.cov1 {
			continue
		}
		old, fixed := uint64(in.Value), uint64(in.Calculated)
		if (in.Offset-ck.cov0)%2 == 1 {
			// A word at an odd distance adds byte-swapped.
			old, fixed = uint64(swap16(uint16(old))), uint64(swap16(uint16(fixed)))
		}
		if fold(ck.sum+(^old&0xffff)+fixed) == 0xffff {
			return true
		}
	}
	return false
}

// placeHints puts each bad checksum's hints right beneath its checksum
// line, where a reader of the tree looks. The n-th checksum value field is
// the n-th entry of Checksums: addChecksum adds them together.
func (b *builder) placeHints() {
	d := b.d
	// Rebuild into the Dissection's spare slice and keep the old one as the
	// next spare: a bad frame then costs no allocation in a batch loop.
	out := d.spare[:0]
	n := 0
	var seen HintSet
	for i := 0; i < len(d.Fields); i++ {
		f := d.Fields[i]
		out = append(out, f)
		if _, isValue := checksumByDef[f.Def]; !isValue || n >= len(d.Checksums) {
			continue
		}
		ck := &d.Checksums[n]
		n++
		if ck.Status != StatusBad {
			continue
		}
		for i+1 < len(d.Fields) && d.Fields[i+1].Depth > f.Depth {
			i++
			out = append(out, d.Fields[i])
		}
		for h := Hint(0); h < numHints; h++ {
			if !ck.Hints.Has(h) {
				continue
			}
			if seen.Has(h) {
				// wirelens.hint names each value once a frame (so -T fields
				// reads "outbound,partial", not "outbound,partial,outbound");
				// this checksum still gets its explanation.
				n := len(out)
				out = appendHint(out, h, ck, f.Depth+1, b.oversize, b.ifOffloads)
				out[n] = out[n+1]
				out[n].Depth = f.Depth + 1
				out = out[:n+1]
				continue
			}
			seen |= 1 << h
			out = appendHint(out, h, ck, f.Depth+1, b.oversize, b.ifOffloads)
		}
	}
	d.spare, d.Fields = d.Fields, out
}

// appendHint appends one hint and its explanation at depth.
func appendHint(fs []Field, h Hint, ck *Checksum, depth int16, oversize int, ifOffloads []byte) []Field {
	off, length, proto, value := 0, 0, "", uint64(0)
	if ck != nil {
		off, length, proto, value = ck.Offset, ck.Length, ck.Proto, uint64(ck.Value)
	}
	fs = append(fs, Field{Def: fHint, Depth: depth, Offset: int32(off), Length: int32(length), S: HintNames[h], U: uint64(h)})
	fs = append(fs, Field{Def: fHintText, Depth: depth + 1, Offset: int32(off), Length: int32(length), S: proto, U: uint64(h),
		Aux: value<<32 | uint64(oversize), B: ifOffloads})
	return fs
}

// offloadPrefix starts the offload list wirelens's live capture writes into
// a pcapng interface description (live.OffloadDescription).
const offloadPrefix = "wirelens: offloads "

// ifaceOffloads returns "NAME|rx-csum tx-csum ..." when the interface
// description carries the offloads a wirelens capture recorded, or nil.
func ifaceOffloads(name, desc string) []byte {
	i := strings.LastIndex(desc, offloadPrefix)
	if i < 0 {
		return nil
	}
	rest := desc[i+len(offloadPrefix):]
	if j := strings.IndexByte(rest, ')'); j >= 0 {
		rest = rest[:j]
	}
	return []byte(name + "|" + rest)
}

// offloadNote says which of the capture interface's offloads explain a
// hint, e.g. " (eth0 had tx-csum on when this was captured)".
func offloadNote(b []byte, want ...string) string {
	name, list, ok := strings.Cut(string(b), "|")
	if !ok {
		return ""
	}
	var on []string
	for _, tok := range strings.Fields(list) {
		for _, w := range want {
			if tok == w {
				on = append(on, tok)
			}
		}
	}
	if len(on) == 0 {
		return fmt.Sprintf(" (%s had %s off when this was captured)", Sanitize(name), strings.Join(want, ", "))
	}
	return fmt.Sprintf(" (%s had %s on when this was captured)", Sanitize(name), strings.Join(on, ", "))
}

// hintText explains a hint in words, naming its evidence. Built on demand:
// most frames never have their explanation read.
func hintText(f *Field) string {
	proto := ChecksumTitle(f.S)
	value := f.Aux >> 32
	size := f.Aux & 0xffffffff
	switch Hint(f.U) {
	case HintPartial:
		return fmt.Sprintf("the %s checksum field holds 0x%04x, the partial pseudo-header sum Linux leaves for the device to finish (CHECKSUM_PARTIAL): checksum offload, not corruption", proto, value) + offloadNote(f.B, "tx-csum")
	case HintZero:
		return fmt.Sprintf("the %s checksum is 0x0000: the sender left it for the NIC to fill in (checksum offload)", proto)
	case HintOutbound:
		return fmt.Sprintf("this host sent the frame (capture direction: outbound): with transmit checksum offload the %s checksum is filled in by the NIC after the capture point", proto) + offloadNote(f.B, "tx-csum")
	case HintVirtual:
		return fmt.Sprintf("received with the partial %s pseudo-header sum: the frame came through a virtual device on this host (veth, tap, bridge: containers, VMs), not off a wire; not corruption", proto)
	case HintOversize:
		return fmt.Sprintf("%d-byte IP packet is larger than the link MTU (%d) or the negotiated MSS: segmentation offload (TSO/GSO) on a sent frame, receive coalescing (GRO/LRO) on a received one; it never crossed the wire at this size", size, mtuPayload) + offloadNote(f.B, "tso", "gso", "gro", "lro")
	case HintTunnel:
		return fmt.Sprintf("the outer %s checksum is right once the inner checksum, left as the partial sum for the device, is filled in: the tunnel (VXLAN, Geneve, GRE) computed it with local checksum offload (LCO); an offload artifact, not corruption", proto) + offloadNote(f.B, "tx-udp_tnl-csum-segmentation", "tx-gre-csum-segmentation", "tx-checksum-ip-generic")
	case HintSuspect:
		return fmt.Sprintf("bad %s checksum with no offload pattern (not a partial sum, not zero, not sent by this host, normal size): possible corruption or a faulty NIC/driver; capture at the sender to compare", proto)
	}
	return ""
}
