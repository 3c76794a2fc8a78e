package compare

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/wirelens/wirelens/decode"
)

// upstream reports whether u is the copy nearer the sender of the pair
// (u, y): known from the timing when traffic went both ways, else from
// what each capture says (sent by this host, checksum left to offload),
// else A is taken as the sender.
func (j *joiner) upstream(u, y *unit) bool {
	if up, ok := j.clock.upstreamA(u.pair); ok {
		return up == (u.side == 0)
	}
	switch {
	case u.out != y.out:
		return u.out
	case u.l4ck.offload != y.l4ck.offload:
		return u.l4ck.offload
	case u.l4ck.status != y.l4ck.status && (u.l4ck.status == decode.StatusGood || y.l4ck.status == decode.StatusGood):
		// A checksum is computed at the sender: damage after it makes
		// it bad, so the good one is the sender's.
		return u.l4ck.status == decode.StatusGood
	}
	return u.side == 0
}

// diffResult is the outcome of comparing one link.
type diffResult struct {
	altered bool
	off     int // in u's frame, -1 if none
	field   string
	verdict Verdict
}

// judge computes u's Result from its links.
func (j *joiner) judge(u *unit) {
	r := &u.res
	r.DiffOff = -1
	if len(u.links) == 0 {
		r.Status = StatusMissing
		r.Downstream = !j.upstreamAlone(u)
		r.Verdict = VerdictLost
		if r.Downstream {
			r.Verdict = VerdictUnsent
		}
		if o := j.s[1-u.side]; !o.started || u.t < o.firstT-j.window || o.eof && len(o.buf) == 0 && u.t > o.lastT+j.window {
			r.Verdict = VerdictOutside
		}
		return
	}
	reseg := false
	var dsBuf [4]diffResult
	ds := dsBuf[:0]
	var worst diffResult
	worst.off = -1
	if r.Peers == nil {
		r.Peers = u.peerBuf[:0]
	}
	for _, l := range u.links {
		y := l.peer
		if !slices.Contains(r.Peers, y.frame) {
			r.Peers = append(r.Peers, y.frame)
		}
		one := u.kind != kindTCPData || l.off == 0 && l.poff == 0 && l.end == u.payLen && y.payLen == u.payLen
		if !one {
			reseg = true
		}
		r.Downstream = !j.upstream(u, y)
		d := j.compareLink(u, l, one)
		ds = append(ds, d)
		if d.altered && (!worst.altered || d.verdict < worst.verdict || d.verdict == worst.verdict && d.off < worst.off) {
			worst = d
		} else if !worst.altered && worst.verdict == VerdictNone && d.verdict != VerdictNone {
			worst = d
		}
	}
	slices.Sort(r.Peers)
	r.Verdict = worst.verdict
	switch {
	case worst.altered:
		r.Status = StatusAltered
		r.DiffOff, r.DiffField = worst.off, worst.field
		// The bytes of the links that show the verdict.
		for k, d := range ds {
			if d.altered && d.verdict == worst.verdict {
				l := u.links[k]
				r.Ranges = diffRanges(r.Ranges, u, l, u.kind != kindTCPData || l.off == 0 && l.poff == 0 && l.end == u.payLen && l.peer.payLen == u.payLen, d)
			}
		}
	case !u.fullyCovered():
		r.Status = StatusMissing
		r.Ranges = nil
		o, e, ok := u.uncovered(0, u.payLen)
		r.DiffOff, r.DiffField = u.payOff+o, "tcp.payload"
		for ; ok && len(r.Ranges) < maxRanges; o, e, ok = u.uncovered(e, u.payLen) {
			r.Ranges = append(r.Ranges, [2]int{u.payOff + o, u.payOff + e})
		}
		if r.Downstream {
			r.Verdict = VerdictUnsent
		} else {
			r.Verdict = VerdictLost
		}
	case reseg:
		r.Status = StatusResegmented
	default:
		r.Status = StatusSame
	}
	if r.Status != StatusAltered && r.Status != StatusMissing {
		r.Ranges = nil
	}
}

// maxRanges bounds the differing byte ranges kept per frame.
const maxRanges = 32

// diffRanges appends to dst the bytes of u that differ from l's peer:
// the headers by headerDiffs's rule, the payload of the overlap, and the
// checksum field when only the checksum is wrong. Adjacent bytes join
// one range.
func diffRanges(dst [][2]int, u *unit, l link, one bool, d diffResult) [][2]int {
	add := func(from, to int) bool {
		if n := len(dst); n > 0 && dst[n-1][1] >= from && dst[n-1][0] <= from {
			dst[n-1][1] = max(dst[n-1][1], to)
			return true
		}
		if len(dst) >= maxRanges {
			return false
		}
		dst = append(dst, [2]int{from, to})
		return true
	}
	y := l.peer
	headerDiffs(u, y, one, func(off int) bool { return add(off, off+1) })
	po, pe, qo := l.off, l.end, l.poff
	if u.kind != kindTCPData {
		po, pe, qo = 0, u.payLen, 0
	}
	if u.kind != kindOther || y.kind == kindOther {
		a := clip(u.data, u.payOff+po, u.payOff+pe)
		b := clip(y.data, y.payOff+qo, y.payOff+qo+(pe-po))
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] && !add(u.payOff+po+i, u.payOff+po+i+1) {
				break
			}
		}
	}
	if d.verdict == VerdictBadChecksum || d.verdict == VerdictPartialLeft {
		if d.field == "ip.checksum" {
			add(u.ipOff+10, u.ipOff+12)
		} else if u.l4ck.present {
			add(u.l4ck.off, u.l4ck.off+2)
		}
	}
	if len(dst) == 0 && d.off >= 0 {
		add(d.off, d.off+1)
	}
	slices.SortFunc(dst, func(p, q [2]int) int { return p[0] - q[0] })
	return dst
}

// upstreamAlone guesses, for a packet without counterpart, whether its
// capture is the sender's end.
func (j *joiner) upstreamAlone(u *unit) bool {
	if up, ok := j.clock.upstreamA(u.pair); ok {
		return up == (u.side == 0)
	}
	if u.out || u.l4ck.offload {
		return true
	}
	return u.side == 0
}

// compareLink compares u with one counterpart. one: the two are the same
// packet (not resegmented), so every header byte is compared except
// what a router or the offload legitimately changes.
func (j *joiner) compareLink(u *unit, l link, one bool) diffResult {
	y := l.peer
	res := diffResult{off: -1}
	up, down := u, y
	if !j.upstream(u, y) {
		up, down = y, u
	}
	// Headers.
	if one && sameMasked(u, y) {
		// The common case, checked with a few block compares.
	} else if off := headerDiff(u, y, one); off >= 0 {
		res.altered, res.off, res.field = true, off, fieldAt(u, off)
	} else if u.kind == kindTCPData || u.kind == kindIP || u.kind == kindOther {
		// Payload bytes of the overlap, as far as both captured them.
		po, pe := l.off, l.end
		qo := l.poff
		if !(u.kind == kindTCPData) {
			po, pe, qo = 0, u.payLen, 0
		}
		a := clip(u.data, u.payOff+po, u.payOff+pe)
		b := clip(y.data, y.payOff+qo, y.payOff+qo+(pe-po))
		n := min(len(a), len(b))
		differ := !bytes.Equal(a[:n], b[:n])
		for i := 0; differ && i < n; i++ {
			if a[i] != b[i] {
				res.altered, res.off = true, u.payOff+po+i
				res.field = fieldAt(u, res.off)
				break
			}
		}
		if !res.altered && u.kind != kindTCPData && one && u.payLen != y.payLen {
			res.altered, res.off, res.field = true, u.payOff, fieldAt(u, u.payOff)
		}
	}
	dc, uc := down.l4ck, up.l4ck
	if res.altered {
		// Only the checksum at the receiving end can say when it happened.
		switch {
		case dc.present && dc.status == decode.StatusGood:
			res.verdict = VerdictCorrupt
		case dc.present && dc.status == decode.StatusBad || !down.v6 && down.ipck.status == decode.StatusBad:
			res.verdict = VerdictDamaged
		default:
			res.verdict = VerdictUnchecked
		}
		return res
	}
	// The bytes are equal: the checksums decide.
	if !down.v6 && down.ipck.present && down.ipck.status == decode.StatusBad && !down.ipck.offload {
		res.altered, res.off, res.field, res.verdict = true, u.ipOff+10, "ip.checksum", VerdictBadChecksum
		if u == up {
			res.off, res.field = -1, "ip.checksum (at the other end)"
		}
		return res
	}
	if dc.present && dc.status == decode.StatusBad {
		field := fieldAt(down, dc.off)
		if dc.partial {
			// Left partial on the way: a fault when nothing excuses it
			// downstream, when the receiving kernel would have marked it
			// (and did not), or when the sender had to send it again.
			fault := !dc.offload || down.canCnr && !down.cnr || j.sentAgain(up, down.seq)
			if !fault && (!one || uc.partial && uc.value == dc.value) {
				res.verdict = VerdictPartialBoth
				return res
			}
			res.verdict = VerdictPartialLeft
		} else if uc.present && uc.status == decode.StatusBad && !uc.offload && one && uc.value == dc.value {
			// Bad the same way at both ends: it happened before either
			// capture point.
			res.verdict = VerdictBadBoth
			return res
		} else {
			res.verdict = VerdictBadChecksum
		}
		res.altered, res.field = true, field
		res.off = u.l4ck.off
		if !u.l4ck.present {
			res.off = -1
		}
		return res
	}
	if dc.present && dc.status == decode.StatusGood && uc.present && uc.status == decode.StatusBad && uc.offload {
		res.verdict = VerdictOffloadConfirmed
	}
	return res
}

// sentAgain reports whether the sender's capture holds a later copy of
// byte seq of up (its first byte if seq is not in it): the receiver dropped the one that arrived, so its
// checksum was really bad (an offload artifact is never retransmitted).
func (j *joiner) sentAgain(up *unit, seq uint32) bool {
	if up.kind != kindTCPData {
		return false
	}
	if !seqIn(seq, up.seq, up.payLen) {
		seq = up.seq
	}
	for _, z := range j.s[up.side].rng[rngKey(up.flow, seq>>bucketBits)] {
		if z != up && z.flow == up.flow && z.t > up.t && seqIn(seq, z.seq, z.payLen) {
			return true
		}
	}
	return false
}

// sameMasked reports whether u and y, the same packet, are equal but for
// the TTL or hop limit and the checksums.
func sameMasked(u, y *unit) bool {
	a, b := u.data[u.ipOff:u.ipEnd], y.data[y.ipOff:y.ipEnd]
	if len(a) != len(b) || u.ipHdr != y.ipHdr || u.kind != y.kind || u.v6 != y.v6 || u.kind == kindOther || u.ipHdr > len(a) || len(a) < 20 {
		return false
	}
	eq := func(from, to int) bool { return bytes.Equal(a[from:to], b[from:to]) }
	if u.v6 {
		if !eq(0, 7) || !eq(8, u.ipHdr) {
			return false
		}
	} else if !eq(0, 8) || a[9] != b[9] || !eq(12, u.ipHdr) {
		return false
	}
	if !u.l4ck.present {
		return eq(u.ipHdr, len(a))
	}
	ck := u.l4ck.off - u.ipOff
	if y.l4ck.off-y.ipOff != ck || ck+2 > len(a) || ck < u.ipHdr {
		return false
	}
	return eq(u.ipHdr, ck) && eq(ck+2, len(a))
}

func clip(b []byte, from, to int) []byte {
	to = min(to, len(b))
	if from >= to {
		return nil
	}
	return b[from:to]
}

// headerDiff returns the offset in u's frame of the first header byte
// that differs from y's and should not have, or -1. TTL and hop limit,
// the IPv4 header checksum and the transport checksum are not compared
// here; after resegmentation neither are the lengths, the IPv4 ID, the
// sequence number and the flags a segmenter sets per segment.
func headerDiff(u, y *unit, one bool) int {
	first := -1
	headerDiffs(u, y, one, func(off int) bool { first = off; return false })
	return first
}

// headerDiffs calls each with the offset in u's frame of every header byte
// that differs from y's and should not have (headerDiff's rule), in
// order, until each returns false.
func headerDiffs(u, y *unit, one bool, each func(off int) bool) {
	if u.kind == kindOther || y.kind != u.kind || u.v6 != y.v6 {
		if u.kind == kindOther && y.kind == kindOther {
			return // compared as payload
		}
		each(u.ipOff)
		return
	}
	a := u.data[u.ipOff:u.ipEnd]
	b := y.data[y.ipOff:y.ipEnd]
	skip := func(i int) bool {
		if u.v6 {
			return i == 7 || !one && (i == 4 || i == 5)
		}
		return i == 8 || i == 10 || i == 11 || !one && (i >= 2 && i <= 5)
	}
	hl := u.ipHdr
	if y.ipHdr != hl {
		each(u.ipOff)
		return
	}
	for i := 0; i < hl && i < len(a) && i < len(b); i++ {
		if a[i] != b[i] && !skip(i) && !each(u.ipOff+i) {
			return
		}
	}
	lh := u.l4Hdr
	if y.l4Hdr != lh {
		each(u.l4Off)
		return
	}
	ta, tb := clip(u.data, u.l4Off, u.l4Off+lh), clip(y.data, y.l4Off, y.l4Off+lh)
	ckOff := -1
	if u.l4ck.present {
		ckOff = u.l4ck.off - u.l4Off
	}
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if i == ckOff || i == ckOff+1 {
			continue
		}
		if u.kind == kindTCPData || u.kind == kindTCPCtl {
			if !one && i >= 4 && i < 8 {
				continue // sequence number
			}
			if i == 13 && !one {
				// PSH, FIN and CWR are set on one segment of several.
				if (ta[i]^tb[i])&^0x89 != 0 && !each(u.l4Off+i) {
					return
				}
				continue
			}
		}
		if u.proto == 17 && !one && (i == 4 || i == 5) {
			continue
		}
		if ta[i] != tb[i] && !each(u.l4Off+i) {
			return
		}
	}
}

var ipv4Fields = []struct {
	end  int
	name string
}{{1, "ip.hdr_len"}, {2, "ip.dsfield"}, {4, "ip.len"}, {6, "ip.id"}, {8, "ip.flags"}, {9, "ip.ttl"},
	{10, "ip.proto"}, {12, "ip.checksum"}, {16, "ip.src"}, {20, "ip.dst"}}
var ipv6Fields = []struct {
	end  int
	name string
}{{4, "ipv6.flow"}, {6, "ipv6.plen"}, {7, "ipv6.nxt"}, {8, "ipv6.hlim"}, {24, "ipv6.src"}, {40, "ipv6.dst"}}
var tcpFields = []struct {
	end  int
	name string
}{{2, "tcp.srcport"}, {4, "tcp.dstport"}, {8, "tcp.seq"}, {12, "tcp.ack"}, {13, "tcp.hdr_len"},
	{14, "tcp.flags"}, {16, "tcp.window_size_value"}, {18, "tcp.checksum"}, {20, "tcp.urgent_pointer"}}
var udpFields = []struct {
	end  int
	name string
}{{2, "udp.srcport"}, {4, "udp.dstport"}, {6, "udp.length"}, {8, "udp.checksum"}}
var icmpFields = []struct {
	end  int
	name string
}{{1, "icmp.type"}, {2, "icmp.code"}, {4, "icmp.checksum"}}

// fieldAt names the field holding byte off of u's frame.
func fieldAt(u *unit, off int) string {
	pick := func(tab []struct {
		end  int
		name string
	}, i int, rest string) string {
		for _, f := range tab {
			if i < f.end {
				return f.name
			}
		}
		return rest
	}
	switch {
	case u.kind == kindOther || off < u.ipOff:
		return "frame"
	case off < u.l4Off:
		if u.v6 {
			return pick(ipv6Fields, off-u.ipOff, "ipv6.ext")
		}
		return pick(ipv4Fields, off-u.ipOff, "ip.options")
	case off >= u.payOff:
		switch u.proto {
		case 6:
			return "tcp.payload"
		case 17:
			return "udp.payload"
		}
		return "data"
	}
	i := off - u.l4Off
	switch u.proto {
	case 6:
		return pick(tcpFields, i, "tcp.options")
	case 17, 136:
		return pick(udpFields, i, "udp")
	case 1:
		return pick(icmpFields, i, "icmp")
	case 58:
		return pick(icmpFields, i, "icmpv6")
	}
	return protoName(u.proto)
}

func protoName(p uint8) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	case 58:
		return "icmpv6"
	case 132:
		return "sctp"
	case 136:
		return "udplite"
	case 47:
		return "gre"
	case 2:
		return "igmp"
	}
	return "ip.proto=" + strconv.Itoa(int(p))
}
