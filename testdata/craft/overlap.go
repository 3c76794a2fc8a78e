package main

// Overlapping, duplicate and conflicting IP fragments: what tshark 4.0's
// reassembly (epan/reassemble.c) flags and which bytes it keeps. Each
// datagram of the train has its own ID; the UDP checksum is computed over
// the original bytes, so it tells which copy of an overlapped range won.

// fragSpec is one fragment of a train: its byte range of the datagram,
// whether More Fragments is set, and whether its bytes are altered (a
// conflicting copy).
type fragSpec struct {
	off, end int
	more     bool
	altered  bool
}

// overlapTrains are the cases, one datagram each.
var overlapTrains = [][]fragSpec{
	// 1: an exact duplicate of the first fragment.
	{{0, 16, true, false}, {0, 16, true, false}, {16, 48, false, false}},
	// 2: a later fragment at an offset already covered, with other bytes.
	{{0, 16, true, false}, {8, 16, true, true}, {16, 48, false, false}},
	// 3: a fragment straddling the end of the first, other bytes.
	{{0, 16, true, false}, {8, 24, true, true}, {24, 48, false, false}},
	// 4: a conflicting fragment first, then one covering it.
	{{8, 16, true, true}, {0, 24, true, false}, {24, 48, false, false}},
	// 5: two last fragments ending at different places.
	{{16, 48, false, false}, {16, 40, false, false}, {0, 16, true, false}},
	// 6: a fragment past the end the last fragment sets (the old crash).
	{{400, 408, true, false}, {0, 16, true, false}, {16, 48, false, false}},
	// 7: a fragment running past the end of the datagram.
	{{0, 16, true, false}, {8, 56, true, false}, {40, 48, false, false}},
	// 8: a conflicting duplicate of the last fragment before the first.
	{{16, 48, false, false}, {16, 48, false, true}, {0, 16, true, false}},
	// 9: a datagram done, then a copy of its first fragment: a new,
	// unfinished datagram, as in tshark.
	{{0, 16, true, false}, {16, 48, false, false}, {0, 16, true, true}},
}

// overlapDatagram is the 48-byte UDP datagram (plus 8 spare bytes so case
// 7 can run past its end) every train splits.
func overlapDatagram(src, dst string, port uint16) []byte {
	payload := make([]byte, 40)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	d := udp(src, dst, port, 9, payload)
	return append(d, "overrun!"...)
}

func fragPayload(d []byte, s fragSpec) []byte {
	p := make([]byte, s.end-s.off)
	for i := range p {
		p[i] = 'x' // past the datagram: filler
	}
	if s.off < len(d) {
		copy(p, d[s.off:min(s.end, len(d))])
	}
	if s.altered {
		for i := range p {
			p[i] ^= 0x5a
		}
	}
	return p
}

func buildOverlap(out map[string][]byte) {
	var v4 [][]byte
	d4 := overlapDatagram(v4a, v4b, 40030)
	for i, train := range overlapTrains {
		for _, s := range train {
			w := uint16(s.off / 8)
			if s.more {
				w |= 0x2000
			}
			v4 = append(v4, ethIP4(ip4x(v4a, v4b, 17, ip4opts{id: uint16(0x300 + i), flags: w}, fragPayload(d4, s))))
		}
	}
	out["ipv4-frag-overlap.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(v4...))

	var v6 [][]byte
	d6 := overlapDatagram(v6a, v6b, 40031)
	for i, train := range overlapTrains {
		for _, s := range train {
			fh := make([]byte, 8)
			fh[0] = 17
			w := uint16(s.off)
			if s.more {
				w |= 1
			}
			put16(fh, 2, w)
			be.PutUint32(fh[4:], uint32(0x6000+i))
			v6 = append(v6, ethIP6(ip6(v6a, v6b, 44, cat(fh, fragPayload(d6, s)))))
		}
	}
	out["ipv6-frag-overlap.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(v6...))
}
