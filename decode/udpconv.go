package decode

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

// maxUDPDeltas bounds the per-frame deltas kept for re-dissection.
const maxUDPDeltas = 1 << 22

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
		d, seen := t.udpDeltas[n]
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
		t.udpDeltas = map[int]int64{}
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
	if len(t.udpDeltas) < maxUDPDeltas {
		t.udpDeltas[n] = delta
	}
	return c.index, ts - c.first, delta, true
}

// udpStreamFields adds udp.stream and the [Timestamps] subtree.
func udpStreamFields(b *builder, off int, sport, dport uint16) {
	if b.netSrc == nil {
		return
	}
	idx, rel, delta, ok := b.ds.conv.udp(b, sport, dport)
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
