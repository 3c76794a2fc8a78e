package decode

import "encoding/binary"

// UDP conversations, as Wireshark's udp.stream: an index per address and
// port pair in order of first appearance, and the time since the
// conversation's first frame and since its previous one.

var (
	fUDPStream     = Register(FieldDef{Name: "udp.stream", Label: "Stream index", Type: FTUint})
	fUDPTimestamps = Register(FieldDef{Name: "udp.timestamps", Label: "[Timestamps]", Type: FTNone, Display: func(*Field) string { return "[Timestamps]" }})
	fUDPTimeRel    = Register(FieldDef{Name: "udp.time_relative", Label: "Time since first frame", Type: FTRelTime})
	fUDPTimeDelta  = Register(FieldDef{Name: "udp.time_delta", Label: "Time since previous frame", Type: FTRelTime})
)

type udpConv struct {
	index       int
	first, prev int64
}

// maxUDPDeltaMem bounds the memory of the per-frame deltas kept for
// re-dissection (packed: about 3 bytes a datagram).
const maxUDPDeltaMem = 256 << 20

// putUDPDelta keeps the k-th UDP layer's time since the previous datagram of
// its conversation, in microseconds when whole (the low bit says).
func (t *convTable) putUDPDelta(n, k int, delta int64) {
	u := zig(delta) << 1
	if delta%1000 == 0 {
		u = zig(delta/1000)<<1 | 1
	}
	s := &t.udpDeltas
	s.limit = maxUDPDeltaMem
	s.spill = &t.spill
	s.putLayer(n, k, u)
}

func (t *convTable) udpDelta(n, k int) (int64, bool) {
	u, ok := t.udpDeltas.layer(n, k)
	if !ok {
		return 0, false
	}
	if u&1 != 0 {
		return unzig(u>>1) * 1000, true
	}
	return unzig(u >> 1), true
}

// putLayer keeps u as the k-th layer's value of frame n. A frame's record
// is a count, then one varint per layer (an overlay frame has an outer
// and an inner UDP or TCP layer); layer k is only kept after layers 0 to
// k-1.
func (s *frameStore) putLayer(n, k int, u uint64) {
	var vals []uint64
	if k > 0 && n == s.last {
		if old, ok := s.get(n, layerRecordLen); ok {
			vals = readLayerRecord(old)
		}
		s.dropLast()
	}
	if len(vals) != k {
		return // the layers before this one were not kept
	}
	vals = append(vals, u)
	rec := binary.AppendUvarint(s.scratch[:0], uint64(len(vals)))
	for _, v := range vals {
		rec = binary.AppendUvarint(rec, v)
	}
	s.put(n, rec)
}

// layer is the k-th layer's value of frame n.
func (s *frameStore) layer(n, k int) (uint64, bool) {
	b, ok := s.get(n, layerRecordLen)
	if !ok {
		return 0, false
	}
	vals := readLayerRecord(b)
	if k >= len(vals) {
		return 0, false
	}
	return vals[k], true
}

func readLayerRecord(b []byte) []uint64 {
	c, n := binary.Uvarint(b)
	if n <= 0 || c > 64 {
		return nil
	}
	vals := make([]uint64, 0, c)
	for ; c > 0; c-- {
		v, k := binary.Uvarint(b[n:])
		if k <= 0 {
			return nil
		}
		n += k
		vals = append(vals, v)
	}
	return vals
}

func layerRecordLen(b []byte) int {
	c, n := binary.Uvarint(b)
	if n <= 0 {
		return len(b)
	}
	for ; c > 0 && n < len(b); c-- {
		_, k := binary.Uvarint(b[n:])
		if k <= 0 {
			return len(b)
		}
		n += k
	}
	return n
}

// udp returns the stream index of the datagram's conversation and its
// times; frozen dissections read what the in-order pass found.
func (t *convTable) udp(b *builder, sport, dport uint16) (index int, rel, delta int64, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	src, dst := addrKey(b.netSrc), addrKey(b.netDst)
	k := convKey{src, dst, sport, dport}
	if less(dst, dport, src, sport) {
		k = convKey{dst, src, dport, sport}
	}
	ts := b.fr.Record.Timestamp
	c := t.udpConvs[k]
	n := b.fr.Number
	if b.ds.Frozen {
		if c == nil {
			return 0, 0, 0, false
		}
		d, seen := t.udpDelta(n, b.udpSeen)
		if b.inQuote {
			return c.index, 0, 0, true
		}
		if !seen {
			return 0, 0, 0, false
		}
		return c.index, ts - c.first, d, true
	}
	if t.udpConvs == nil {
		t.udpConvs = map[convKey]*udpConv{}
	}
	if c == nil {
		if len(t.udpConvs) >= maxTCPConvs {
			t.udpConvs = map[convKey]*udpConv{} // forget them all rather than grow
		}
		c = &udpConv{index: t.udpNext, first: ts, prev: ts}
		t.udpNext++
		t.udpConvs[k] = c
	}
	if b.inQuote {
		return c.index, 0, 0, true
	}
	delta = ts - c.prev
	c.prev = ts
	t.putUDPDelta(n, b.udpSeen, delta)
	return c.index, ts - c.first, delta, true
}

// udpStreamFields adds udp.stream and the [Timestamps] subtree.
func udpStreamFields(b *builder, off int, sport, dport uint16) {
	if b.netSrc == nil {
		return
	}
	if w := b.ds.want; b.ds.OnePass && w != nil && !w[fUDPStream.ID] && !w[fUDPTimestamps.ID] && !w[fUDPTimeRel.ID] && !w[fUDPTimeDelta.ID] {
		// A one-pass dissector (a batch run, a --compare join) whose
		// reader wants neither the stream nor its times: no other
		// dissection shares its conversation table, so it need not keep one.
		if !b.inQuote {
			b.udpSeen++
		}
		return
	}
	idx, rel, delta, ok := b.ds.conv.udp(b, sport, dport)
	if !b.inQuote {
		b.udpSeen++
	}
	if !ok {
		return
	}
	b.addU(fUDPStream, off, 0, uint64(idx)).Generated = true
	if b.inQuote {
		return // a quoted datagram has a conversation but no times
	}
	b.add(fUDPTimestamps, off, 0).Generated = true
	b.depth++
	b.addU(fUDPTimeRel, off, 0, uint64(rel)).Generated = true
	b.addU(fUDPTimeDelta, off, 0, uint64(delta)).Generated = true
	b.depth--
}
