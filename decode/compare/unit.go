package compare

import (
	"encoding/binary"
	"hash/maphash"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
)

// kind is how a packet is matched with its counterpart.
type kind uint8

const (
	kindOther   kind = iota // not IP: matched by its bytes
	kindTCPData             // TCP with payload: matched by flow and sequence range
	kindTCPCtl              // TCP without payload (ACK, SYN, FIN, RST): flow, seq, ack, flags
	kindIP                  // other IP: IPv4 by ID, IPv6 by payload
)

// csum is one checksum's verdict as the pair judgement needs it.
type csum struct {
	present  bool
	off      int // in the frame
	status   decode.ChecksumStatus
	partial  bool
	value    uint32
	offload  bool // Bad with an offload pattern (partial, zero, sent by this host ...)
	hints    decode.HintSet
	outbound bool
}

// unit is one packet of one side, held while its counterpart may still
// arrive. It owns a copy of the frame.
type unit struct {
	side   int8
	frame  int
	t      int64 // ns; B's times are moved onto A's clock
	rawT   int64
	rec    capfile.Record
	iface  *capfile.Interface
	data   []byte
	kind   kind
	v6     bool
	ipOff  int // inner IP header in data
	ipHdr  int // IP header length (IPv6: 40, extension headers count as payload)
	ipEnd  int // end of the IP packet's captured bytes
	ipLen  int // IP packet length as its header says
	proto  uint8
	l4Off  int
	l4Hdr  int // transport header length
	payOff int
	payLen int // payload length as the headers say (may exceed what was captured)
	cut    bool
	sport  uint16
	dport  uint16
	seq    uint32
	ack    uint32
	flags  uint8
	ipID   uint16
	frag   bool
	fk     flowKey
	flow   uint64 // directional flow (addresses, protocol, ports), hashed
	pair   uint64 // directional address pair, hashed
	rpair  uint64 // the reverse pair
	strict uint64 // exact key (non-range kinds)
	loose  uint64 // key for a second chance: same flow and length, bytes may differ
	hsig   uint64 // the TCP header fields a segmenter copies (ack, window, options): a retransmission differs in them
	ipck   csum
	l4ck   csum
	out    bool // the capturing host sent it
	cnr    bool // the kernel said its checksum was not ready (CSUMNOTREADY)
	canCnr bool // the capture would have said so (a wirelens live capture)

	links []link
	// Most packets have one counterpart: links and res.Peers start in
	// these, not in an allocation of their own.
	linkBuf  [1]link
	peerBuf  [1]int
	ripe     bool
	lastUsed *unit // the last counterpart used: GRO/TSO chains continue from it
	res      Result
	retired  bool
}

// link is one match: bytes [off, end) of this unit's payload (the whole
// packet for non-range kinds) are bytes [poff, ...) of peer's.
type link struct {
	peer     *unit
	off, end int
	poff     int
}

func (u *unit) seqEnd() uint32 { return u.seq + uint32(u.payLen) }

// covered reports whether [off, end) of u's payload is already matched and,
// if partly, the first uncovered subrange.
func (u *unit) uncovered(off, end int) (int, int, bool) {
	for changed := true; changed && off < end; {
		changed = false
		for _, l := range u.links {
			if l.off <= off && off < l.end {
				off, changed = l.end, true
			}
		}
	}
	if off >= end {
		return 0, 0, false
	}
	stop := end
	for _, l := range u.links {
		if l.off > off && l.off < stop {
			stop = l.off
		}
	}
	return off, stop, true
}

func (u *unit) fullyCovered() bool {
	if u.kind != kindTCPData {
		return len(u.links) > 0
	}
	_, _, ok := u.uncovered(0, u.payLen)
	return !ok
}

// extractor dissects frames far enough to find the packet to compare: the
// innermost IP packet that is not quoted by an ICMP error, so a tunnel's
// underlay matches its overlay.
type extractor struct {
	ds                    *decode.Dissector
	d                     decode.Dissection
	fIP, fIPv6, fICMP, f6 *decode.FieldDef
	fARP                  *decode.FieldDef
}

// netOffset is where a non-IP frame's network layer starts, so frames
// match across link types (Ethernet on one side, Linux cooked on the
// other).
func (x *extractor) netOffset(u *unit) int {
	for i := range x.d.Fields {
		if x.d.Fields[i].Def == x.fARP {
			return int(x.d.Fields[i].Offset)
		}
	}
	n := 0
	switch u.rec.LinkType {
	case capfile.LinkEthernet:
		n = 14
	case capfile.LinkSLL:
		n = 16
	case capfile.LinkSLL2:
		n = 20
	case capfile.LinkNull, capfile.LinkLoop:
		n = 4
	}
	return min(n, len(u.data))
}

type pairKey struct {
	src, dst [16]byte
	v6       bool
}

type flowKey struct {
	pairKey
	proto        uint8
	sport, dport uint16
}

func newExtractor(ds *decode.Dissector) *extractor {
	x := &extractor{ds: ds}
	x.fIP, _ = decode.LookupField("ip")
	x.fIPv6, _ = decode.LookupField("ipv6")
	x.fICMP, _ = decode.LookupField("icmp")
	x.f6, _ = decode.LookupField("icmpv6")
	x.fARP, _ = decode.LookupField("arp")
	ds.Summary = false
	// The join reads addresses, ports, sequence numbers and checksum
	// verdicts, none of which the sequence analysis (retransmissions,
	// reassembly) changes: it was a third of the time per frame.
	_ = ds.Prefs.Set("tcp.analyze_sequence_numbers", "FALSE")
	// Each frame is dissected once, in order: the conversation analyses
	// need not keep their per-frame results (a million of them).
	ds.OnePass = true
	ds.Want([]*decode.FieldDef{x.fIP, x.fIPv6, x.fICMP, x.f6, x.fARP})
	return x
}

// extract fills u from one frame; u.data must already hold its bytes.
func (x *extractor) extract(u *unit, fr *decode.Frame) {
	x.ds.Dissect(fr, &x.d)
	d := &x.d
	u.out = d.Outbound
	for _, c := range fr.Record.Comments {
		u.cnr = u.cnr || c == decode.CommentCsumNotReady
	}
	u.canCnr = fr.Iface != nil && strings.Contains(fr.Iface.Description, "wirelens: offloads ")
	ip := -1
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Def == x.fICMP || f.Def == x.f6 {
			break // what follows is the packet an ICMP error quotes
		}
		if f.Def == x.fIP || f.Def == x.fIPv6 {
			ip = i
		}
	}
	if ip < 0 {
		x.other(u, x.netOffset(u))
		return
	}
	off := int(d.Fields[ip].Offset)
	u.v6 = d.Fields[ip].Def == x.fIPv6
	if !x.ipHeader(u, off) {
		x.other(u, 0)
		return
	}
	for i := range d.Checksums {
		c := &d.Checksums[i]
		cs := csum{present: true, off: c.Offset, status: c.Status, partial: c.Partial, value: c.Value,
			offload: c.Status == decode.StatusBad && c.Hints.Offload(), outbound: c.Hints.Has(decode.HintOutbound), hints: c.Hints}
		switch {
		case !u.v6 && c.Proto == "ip" && c.Offset == off+10:
			u.ipck = cs
		case c.Proto != "ip" && c.Offset >= u.l4Off && c.Offset < u.l4Off+max(u.l4Hdr, 8) && !u.l4ck.present:
			u.l4ck = cs
		}
	}
}

// other keys a frame wirelens cannot place in an IP flow by its bytes
// from off.
func (x *extractor) other(u *unit, off int) {
	u.kind = kindOther
	u.payOff, u.payLen = off, len(u.data)-off
}

// ipHeader reads the IP and transport headers at off.
func (x *extractor) ipHeader(u *unit, off int) bool {
	b := u.data[off:]
	var fk flowKey
	u.ipOff = off
	if u.v6 {
		if len(b) < 40 {
			return false
		}
		u.ipHdr = 40
		u.ipLen = 40 + int(binary.BigEndian.Uint16(b[4:]))
		u.proto = b[6]
		copy(fk.src[:], b[8:24])
		copy(fk.dst[:], b[24:40])
		fk.v6 = true
		// Extension headers: only the common ones are walked; the rest
		// count as payload, which is still compared byte for byte.
		for p := 40; ; {
			switch u.proto {
			case 0, 43, 60:
				if len(b) < p+8 {
					goto done
				}
				u.proto = b[p]
				p += 8 + int(b[p+1])*8
				u.ipHdr = p
				continue
			case 44:
				u.frag = true
				if len(b) >= p+8 {
					u.ipID = binary.BigEndian.Uint16(b[p+6:]) // low bits of the identification
					u.proto = b[p]
					u.ipHdr = p + 8
				}
			}
			break
		}
	done:
	} else {
		if len(b) < 20 || b[0]>>4 != 4 {
			return false
		}
		u.ipHdr = int(b[0]&0x0f) * 4
		if u.ipHdr < 20 || u.ipHdr > len(b) {
			return false
		}
		u.ipLen = int(binary.BigEndian.Uint16(b[2:]))
		if u.ipLen == 0 { // TSO super-frame: the NIC fills the length in
			u.ipLen = int(u.rec.OrigLen) - off
		}
		u.ipID = binary.BigEndian.Uint16(b[4:])
		u.frag = binary.BigEndian.Uint16(b[6:])&0x3fff != 0
		u.proto = b[9]
		copy(fk.src[:4], b[12:16])
		copy(fk.dst[:4], b[16:20])
	}
	fk.proto = u.proto
	u.ipEnd = off + min(u.ipLen, len(b))
	if u.ipLen < u.ipHdr {
		u.ipLen = u.ipHdr
		u.ipEnd = off + min(u.ipHdr, len(b))
	}
	u.cut = off+u.ipLen > len(u.data)
	u.l4Off = min(off+u.ipHdr, u.ipEnd) // extension headers may claim more than was captured
	l4 := u.data[u.l4Off:u.ipEnd]
	u.kind = kindIP
	switch {
	case u.frag:
	case (u.proto == 6) && len(l4) >= 20 && int(l4[12]>>4)*4 >= 20 && int(l4[12]>>4)*4 <= len(l4):
		u.sport, u.dport = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
		u.seq, u.ack = binary.BigEndian.Uint32(l4[4:]), binary.BigEndian.Uint32(l4[8:])
		u.flags = l4[13]
		u.l4Hdr = int(l4[12]>>4) * 4
		u.payOff = u.l4Off + u.l4Hdr
		u.payLen = u.ipLen - u.ipHdr - u.l4Hdr
		u.kind = kindTCPCtl
		if u.payLen > 0 {
			u.kind = kindTCPData
		}
	case (u.proto == 17 || u.proto == 136 || u.proto == 132) && len(l4) >= 8:
		u.sport, u.dport = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
		u.l4Hdr = 8
		if u.proto == 132 {
			u.l4Hdr = 12
		}
	case (u.proto == 1 || u.proto == 58) && len(l4) >= 8:
		u.l4Hdr = 8
	}
	if u.kind != kindTCPData {
		u.payOff = u.l4Off + u.l4Hdr
		u.payLen = u.ipLen - u.ipHdr - u.l4Hdr
	}
	fk.sport, fk.dport = u.sport, u.dport
	u.fk = fk
	return true
}

// keys computes u's flow hashes and lookup keys; it runs on the reading
// goroutine (the seed is shared and read-only).
func keys(seed maphash.Seed, u *unit) {
	if u.kind == kindOther {
		u.strict = maphash.Bytes(seed, u.data[u.payOff:])
		u.loose = u.strict
		return
	}
	u.flow = maphash.Comparable(seed, u.fk)
	u.pair = maphash.Comparable(seed, u.fk.pairKey)
	u.rpair = maphash.Comparable(seed, pairKey{src: u.fk.dst, dst: u.fk.src, v6: u.fk.v6})
	var h maphash.Hash
	h.SetSeed(seed)
	var w [16]byte
	binary.BigEndian.PutUint32(w[:], uint32(u.flow))
	w[4] = byte(u.kind)
	if u.kind == kindTCPData || u.kind == kindTCPCtl {
		th := u.data[u.l4Off : u.l4Off+u.l4Hdr]
		h.Write(th[8:13])
		h.WriteByte(th[13] &^ 0x89) // PSH, FIN, CWR: set on one segment of several
		h.Write(th[14:16])
		h.Write(th[18:])
		u.hsig = h.Sum64()
		h.Reset()
	}
	switch u.kind {
	case kindTCPCtl:
		binary.BigEndian.PutUint32(w[5:], u.seq)
		h.Write(w[:9])
		u.loose = h.Sum64()
		// Duplicate ACKs differ in their window, options (SACK blocks,
		// timestamps) or IPv4 ID only.
		h.Reset()
		h.Write(w[:9])
		binary.BigEndian.PutUint64(w[5:], u.hsig)
		h.Write(w[5:13])
		if !u.v6 {
			h.Write(u.data[u.ipOff+4 : u.ipOff+6])
		}
		u.strict = h.Sum64()
	case kindIP:
		binary.BigEndian.PutUint32(w[5:], uint32(u.payLen))
		h.Write(w[:9])
		u.loose = h.Sum64()
		h.Reset()
		if !u.v6 && u.ipID != 0 || u.frag {
			// IPv4 is identified by its ID (and fragments by their offset);
			// the payload is compared once matched, so damage shows as
			// altered, not as two missing packets.
			binary.BigEndian.PutUint16(w[9:], u.ipID)
			if !u.v6 {
				copy(w[11:13], u.data[u.ipOff+6:u.ipOff+8])
			}
			h.Write(w[:13])
		} else {
			h.Write(w[:9])
			h.Write(u.data[min(u.payOff, u.ipEnd):u.ipEnd])
		}
		u.strict = h.Sum64()
	}
}
