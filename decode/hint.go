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
	HintVerified             // the capturing kernel says the NIC or the stack verified it (EPB flags bit 10)
	HintSuspect              // bad, with none of the above: possible corruption
	numHints
)

// HintNames are the values of the wirelens.hint field.
var HintNames = [numHints]string{"partial", "zero", "outbound", "virtual", "oversize", "tunnel", "verified", "suspect"}

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
// A set with HintSuspect is never offload: a partial sum received on a
// physical NIC carries both, and is a fault.
func (s HintSet) Offload() bool { return s != 0 && !s.Has(HintSuspect) }

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
				// Only a device on this host hands a frame over with the
				// sum unfinished; off a wire it means the sender's NIC
				// did not finish it.
				switch drv := b.ifaceDriver(); {
				case drv != "" && !virtualDriver(drv):
					s |= 1 << HintSuspect // off a wire: the sender's NIC did not finish it
				case b.csumNotReady:
					s |= 1 << HintVirtual // the kernel says it holds the sum unfinished
				case b.recordsCsumState():
					// A wirelens capture marks every frame the kernel
					// holds with the sum left to finish; this one it
					// will verify, and drop.
					s |= 1<<HintSuspect | 1<<HintVirtual
				default:
					s |= 1 << HintVirtual
				}
			}
		}
		if cp := ChecksumProtoOf(ck.Proto); cp != nil && cp.NotOffloaded {
			// No NIC computes it: direction, offload flags and frame
			// size say nothing about it.
			ck.Hints = 1 << HintSuspect
			anyBad = true
			continue
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
		if b.lcoOuter(i) || b.lcoUndecoded(i) {
			s |= 1 << HintTunnel
		}
		if b.csumValid && ck.Proto != "ip" {
			// The kernel verified this frame's checksum on receipt (the
			// NIC, or the stack): what was captured is not what it
			// checked (GRO merges segments without recomputing it).
			s |= 1 << HintVerified
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
	b.hintDir = 0
	switch {
	case d.Outbound:
		b.hintDir = auxSent
	case b.inbound():
		b.hintDir = auxReceived
	}
	switch {
	case anyBad:
		b.placeHints()
	case frameHints.Has(HintOversize):
		// No checksum to hang it on: the frame's own diagnosis block.
		b.depth = 0
		b.open(fWirelens, 0, 0)
		b.d.Fields = appendHint(b.d.Fields, HintOversize, nil, b.depth, b.oversize|b.hintDir, b.ifOffloads)
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
				out = appendHint(out, h, ck, f.Depth+1, b.oversize|b.hintDir, b.ifOffloads)
				out[n] = out[n+1]
				out[n].Depth = f.Depth + 1
				out = out[:n+1]
				continue
			}
			seen |= 1 << h
			out = appendHint(out, h, ck, f.Depth+1, b.oversize|b.hintDir, b.ifOffloads)
		}
	}
	d.spare, d.Fields = d.Fields, out
}

// appendHint appends one hint and its explanation at depth.
func appendHint(fs []Field, h Hint, ck *Checksum, depth int16, oversize int, ifOffloads []byte) []Field {
	off, length, proto, value := 0, 0, "", uint64(0)
	if ck != nil {
		off, length, proto, value = ck.Offset, ck.Length, ck.Proto, uint64(ck.Value)
		switch {
		case ck.Hints.Has(HintPartial) && ck.Hints.Has(HintSuspect) && ck.Hints.Has(HintVirtual):
			oversize |= auxUnready
		case ck.Hints.Has(HintPartial) && ck.Hints.Has(HintSuspect):
			oversize |= auxPhysical
		}
		// The size (below the flags) is clamped, so it never sets one.
		oversize = oversize&^(1<<28-1) | min(oversize&(1<<28-1), auxSize)
		switch ck.tunnel {
		case tunnelUDP:
			oversize |= auxInnerUDP
		case tunnelGRE:
			oversize |= auxInnerGRE
		}
	}
	fs = append(fs, Field{Def: fHint, Depth: depth, Offset: int32(off), Length: int32(length), S: HintNames[h], U: uint64(h)})
	fs = append(fs, Field{Def: fHintText, Depth: depth + 1, Offset: int32(off), Length: int32(length), S: proto, U: uint64(h),
		Aux: value<<32 | uint64(oversize), B: ifOffloads})
	return fs
}

// offloadPrefix starts the offload list wirelens's live capture writes into
// a pcapng interface description (live.OffloadDescription); driverPrefix
// the interface's driver.
const (
	offloadPrefix = "wirelens: offloads "
	driverPrefix  = "wirelens: driver "
)

// Flags in a hint text field's Aux, beside the oversize packet's size.
const (
	auxReceived = 1 << 31 // the frame was received
	auxSent     = 1 << 30 // the capturing host sent it
	auxPhysical = 1 << 29 // a partial sum received on a physical NIC
	auxUnready  = 1 << 28 // a partial sum received that the kernel did not mark as left unfinished
	auxInnerUDP = 1 << 27 // the checksum is inside a UDP tunnel (VXLAN, Geneve)
	auxInnerGRE = 1 << 26 // the checksum is inside GRE
	auxSize     = 1<<26 - 1
)

// Tunnels a checksum can be inside (builder.tunnel, Checksum.tunnel).
const (
	tunnelUDP = 1 + iota
	tunnelGRE
)

// virtualDrivers are the drivers of devices that hand frames over inside
// the host (containers, VMs, tunnels): a frame received through one may
// still carry the checksum the sender left to offload.
var virtualDrivers = map[string]bool{"veth": true, "tun": true, "bridge": true, "vxlan": true, "geneve": true,
	"macvlan": true, "macvtap": true, "ipvlan": true, "dummy": true, "openvswitch": true, "vrf": true,
	"team": true, "bonding": true, "wireguard": true, "ip_gre": true, "ip6_gre": true, "ipip": true, "sit": true,
	"ip6_tunnel": true, "ip_vti": true, "virtio_net": true, "vif": true, "xen-netfront": true, "hv_netvsc": true,
	"nlmon": true, "loopback": true}

func virtualDriver(d string) bool { return virtualDrivers[d] }

// recordsCsumState reports whether the capture came from wirelens's live
// capture, which marks frames with TP_STATUS_CSUMNOTREADY: there, a frame
// without the mark is one the kernel will verify.
func (b *builder) recordsCsumState() bool {
	return b.fr.Iface != nil && strings.Contains(b.fr.Iface.Description, offloadPrefix)
}

// ifaceDriver is the capture interface's driver as a wirelens capture
// recorded it, or "".
func (b *builder) ifaceDriver() string {
	if b.fr.Iface == nil {
		return ""
	}
	return descDriver(b.fr.Iface.Description)
}

func descDriver(desc string) string {
	i := strings.LastIndex(desc, driverPrefix)
	if i < 0 {
		return ""
	}
	rest := desc[i+len(driverPrefix):]
	if j := strings.IndexAny(rest, "() "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// ifaceOffloads returns "NAME|rx-csum tx-csum ..." when the interface
// description carries the offloads a wirelens capture recorded, or nil.
func ifaceOffloads(name, desc string) []byte {
	i := strings.LastIndex(desc, offloadPrefix)
	if drv := descDriver(desc); drv != "" {
		// The driver rides along after a second separator (no offloads
		// known: an empty list, which offloadNote reads as none).
		if i < 0 {
			return []byte(name + "||" + drv)
		}
		rest := desc[i+len(offloadPrefix):]
		if j := strings.IndexAny(rest, "()"); j >= 0 {
			rest = rest[:j]
		}
		return []byte(name + "|" + rest + "|" + drv)
	}
	if i < 0 {
		return nil
	}
	rest := desc[i+len(offloadPrefix):]
	if j := strings.IndexAny(rest, "()"); j >= 0 {
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
	list, _, _ = strings.Cut(list, "|")
	if strings.TrimSpace(list) == "" {
		return "" // the driver alone was recorded
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

// ifaceOf returns the interface name and driver a hint's bytes carry.
func ifaceOf(b []byte) (name, drv string) {
	parts := strings.SplitN(string(b), "|", 3)
	name = Sanitize(parts[0])
	if len(parts) == 3 {
		drv = Sanitize(parts[2])
	}
	return
}

// hintText explains a hint in words, naming its evidence. Built on demand:
// most frames never have their explanation read.
func hintText(f *Field) string {
	proto := ChecksumTitle(f.S)
	value := f.Aux >> 32
	size := f.Aux & auxSize
	name, drv := ifaceOf(f.B)
	physical := f.Aux&auxPhysical != 0
	unready := f.Aux&auxUnready != 0
	dev := name
	if drv != "" {
		dev += " (driver " + drv + ")"
	}
	switch Hint(f.U) {
	case HintPartial, HintVirtual, HintSuspect:
		if unready {
			switch Hint(f.U) {
			case HintPartial:
				return fmt.Sprintf("the %s checksum field holds 0x%04x, the partial pseudo-header sum, on a frame received on %s that the kernel did not mark as left for offload (no CSUMNOTREADY): it verifies it and drops the frame", proto, value, dev)
			case HintVirtual:
				return fmt.Sprintf("%s is a device on this host, but it delivered the frame as finished: the virtual device (or what feeds it) did not complete the checksum", dev)
			}
			return fmt.Sprintf("a partial %s sum the receiving kernel will reject: the sending NIC (or the device that delivered the frame) did not finish its checksum, a real fault; capture at the sender as well and compare (wirelens --compare)", proto)
		}
	}
	switch Hint(f.U) {
	case HintPartial:
		if physical {
			return fmt.Sprintf("the %s checksum field holds 0x%04x, the partial pseudo-header sum, on a frame received on %s (driver %s, a physical NIC): the sending NIC did not finish its checksum, a real fault, not an artifact of this capture; the receiver drops such frames", proto, value, name, drv)
		}
		switch {
		case f.Aux&auxInnerUDP != 0:
			return fmt.Sprintf("the inner %s checksum field holds 0x%04x, the partial pseudo-header sum Linux leaves for the device to finish (CHECKSUM_PARTIAL): the tunnel (VXLAN, Geneve) handed the encapsulated packet on with its inner checksum offloaded (tunnel segmentation and checksum offload); not corruption", proto, value) +
				offloadNote(f.B, "tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "tx-checksum-ip-generic")
		case f.Aux&auxInnerGRE != 0:
			return fmt.Sprintf("the inner %s checksum field holds 0x%04x, the partial pseudo-header sum Linux leaves for the device to finish (CHECKSUM_PARTIAL): the GRE tunnel handed the encapsulated packet on with its inner checksum offloaded (GRE segmentation and checksum offload); not corruption", proto, value) +
				offloadNote(f.B, "tx-gre-segmentation", "tx-gre-csum-segmentation", "tx-checksum-ip-generic")
		}
		return fmt.Sprintf("the %s checksum field holds 0x%04x, the partial pseudo-header sum Linux leaves for the device to finish (CHECKSUM_PARTIAL): checksum offload, not corruption", proto, value) + offloadNote(f.B, "tx-csum")
	case HintZero:
		return fmt.Sprintf("the %s checksum is 0x0000: the sender left it for the NIC to fill in (checksum offload)", proto)
	case HintOutbound:
		return fmt.Sprintf("this host sent the frame (capture direction: outbound): with transmit checksum offload the %s checksum is filled in by the NIC after the capture point", proto) + offloadNote(f.B, "tx-csum")
	case HintVirtual:
		if drv != "" {
			return fmt.Sprintf("received with the partial %s pseudo-header sum on %s (driver %s, a virtual device): the frame came from this host (veth, tap, bridge: containers, VMs), not off a wire; not corruption", proto, name, drv)
		}
		return fmt.Sprintf("received with the partial %s pseudo-header sum: the frame came through a virtual device on this host (veth, tap, bridge: containers, VMs), not off a wire; not corruption. The capture does not say which device it was made on: a virtual one is assumed; on a physical NIC this would mean the sender's NIC did not finish the checksum", proto)
	case HintOversize:
		switch {
		case f.Aux&auxReceived != 0:
			return fmt.Sprintf("%d-byte IP packet received, larger than the link MTU (%d) or the negotiated MSS: receive coalescing (GRO/LRO) on the capturing interface merged it, or a peer on this host sent it unsegmented through a virtual device (TSO/GSO on the peer); it never crossed a wire at this size", size, mtuPayload) + offloadNote(f.B, "gro", "lro", "rx-gro-list", "rx-udp-gro-forwarding")
		case f.Aux&auxSent != 0:
			return fmt.Sprintf("%d-byte IP packet sent, larger than the link MTU (%d) or the negotiated MSS: segmentation offload (TSO/GSO), the NIC cuts it into segments after the capture point; it never crossed the wire at this size", size, mtuPayload) + offloadNote(f.B, "tso", "gso", "tx-udp-segmentation")
		}
		return fmt.Sprintf("%d-byte IP packet is larger than the link MTU (%d) or the negotiated MSS: segmentation offload (TSO/GSO) on a sent frame, receive coalescing (GRO/LRO) on a received one; it never crossed the wire at this size", size, mtuPayload) + offloadNote(f.B, "tso", "gso", "gro", "lro")
	case HintTunnel:
		return fmt.Sprintf("the outer %s checksum is right once the inner checksum, left as the partial sum for the device, is filled in: the tunnel (VXLAN, Geneve, GRE) computed it with local checksum offload (LCO); an offload artifact, not corruption", proto) + offloadNote(f.B, "tx-udp_tnl-csum-segmentation", "tx-gre-csum-segmentation", "tx-checksum-ip-generic")
	case HintVerified:
		return fmt.Sprintf("the capturing kernel marked this frame's checksum as verified (pcapng flags: checksum valid; TP_STATUS_CSUM_VALID: the NIC or the stack checked it on receipt): the %s checksum was good when it arrived; the captured bytes are not what was checked (GRO merges segments without recomputing it): not corruption", proto)
	case HintSuspect:
		if cp := ChecksumProtoOf(f.S); cp != nil && cp.NotOffloaded {
			return fmt.Sprintf("bad %s: no NIC computes it, so it is no offload artifact; the bytes changed on the way (a serial link, a gateway) or the sender computed it wrong", proto)
		}
		if physical {
			return fmt.Sprintf("a partial %s sum received on a physical NIC (%s, driver %s): the sender's NIC did not finish its checksum; capture at the sender as well and compare (wirelens --compare)", proto, name, drv)
		}
		return fmt.Sprintf("bad %s checksum with no offload pattern (not a partial sum, not zero, not sent by this host, normal size): possible corruption or a faulty NIC/driver; capture at the sender to compare", proto)
	}
	return ""
}
