package decode

import (
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// State that spans frames (IP reassembly, TCP sequence analysis and
// retransmission tracking, conversation and request/response tables) is
// only reached by a capture, not by one frame: these targets dissect a
// fuzzed capture. The input is a link-type byte, then frames, each a
// 2-byte big-endian length and that many bytes (a length past the end
// takes what is left).

const maxSeqFrames = 64

func splitSeq(in []byte) (uint16, [][]byte) {
	if len(in) == 0 {
		return 0, nil
	}
	lt := fuzzLinkTypes[int(in[0])%len(fuzzLinkTypes)]
	in = in[1:]
	var frames [][]byte
	for len(in) >= 2 && len(frames) < maxSeqFrames {
		n := int(binary.BigEndian.Uint16(in))
		in = in[2:]
		n = min(n, len(in))
		frames = append(frames, in[:n])
		in = in[n:]
	}
	return lt, frames
}

// joinSeq is splitSeq's inverse, for seeds.
func joinSeq(ltIndex byte, frames [][]byte) []byte {
	out := []byte{ltIndex}
	for _, f := range frames {
		f = f[:min(len(f), 0xffff)]
		out = binary.BigEndian.AppendUint16(out, uint16(len(f)))
		out = append(out, f...)
	}
	return out
}

// seqSeeds are the first frames of captures with fragment trains,
// retransmissions and request/response pairs.
func seqSeeds(f *testing.F) {
	seqSeedsInto(func(b []byte) { f.Add(b) })
}

func seqSeedsInto(add func([]byte)) {
	for _, name := range []string{
		"crafted/ipv4-frag-overlap.pcap", "crafted/ipv6-frag-overlap.pcap", "crafted/ipv4-fragments.pcap",
		"crafted/tcp-bad-cksum.pcap", "crafted/dns.pcap", "crafted/icmp-echo.pcap", "crafted/sctp-crc32c.pcap",
		"captures/veth-nooffload-a-eth.pcap", "captures/veth-offload-a-eth.pcap",
	} {
		r, err := capfile.Open(filepath.Join("..", "testdata", name), capfile.Options{})
		if err != nil {
			continue // captures/ may be absent
		}
		var frames [][]byte
		for len(frames) < 24 { // small seeds keep each execution fast
			_, data, err := r.Next()
			if errors.Is(err, io.EOF) || err != nil {
				break
			}
			frames = append(frames, append([]byte(nil), data[:min(len(data), 600)]...))
		}
		r.Close()
		add(joinSeq(0, frames)) // all of these are Ethernet
	}
}

// dissectSeq dissects the frames as a reader does: in order (teaching
// the shared state), then again out of order and frozen, as the TUI
// re-dissects a selected row, and with a lean dissector as batch does.
func dissectSeq(t *testing.T, p prefs.Prefs, lt uint16, frames [][]byte, lean []*FieldDef) {
	ds := NewDissector(p)
	var d Dissection
	rec := func(i int) *Frame {
		data := frames[i]
		return &Frame{Number: i + 1, Data: data, RelTime: int64(i) * 1000, Delta: 1000,
			Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)) + uint32(i&1)*4, LinkType: lt, Timestamp: int64(i) * 1000}}
	}
	for i := range frames {
		ds.Dissect(rec(i), &d)
		checkFields(t, &d)
	}
	sib := ds.Sibling()
	for i := len(frames) - 1; i >= 0; i-- {
		sib.Frozen = i%2 == 0
		sib.Dissect(rec(i), &d)
		checkFields(t, &d)
	}
	lds := NewDissector(p)
	lds.Summary = false
	lds.Want(lean)
	for i := range frames {
		lds.Dissect(rec(i), &d)
		checkFields(t, &d)
	}
}

// FuzzDissectSequence dissects a fuzzed capture with the default
// preferences and with validation and SCTP guessing switched around.
func FuzzDissectSequence(f *testing.F) {
	seqSeeds(f)
	alt := prefs.Default()
	alt.SetValue(sctpCsum.Pref, uint8(SCTPAutomatic))
	alt.SetValidates("ip", false)
	var lean []*FieldDef
	for _, n := range []string{"ip.reassembled.length", "ipv6.fragment.overlap", "tcp.checksum.status", "udp.checksum.status", "dns.qry.name"} {
		if def, ok := LookupField(n); ok {
			lean = append(lean, def)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lt, frames := splitSeq(in)
		if len(frames) == 0 {
			return
		}
		dissectSeq(t, prefs.Default(), lt, frames, lean)
		dissectSeq(t, alt, lt, frames, nil)
	})
}

// FuzzFragmentTrain builds well-formed IPv4 and IPv6 fragments from the
// input, so every input reaches reassembly (random frames seldom agree on
// an ID): each fragment is 4 bytes (flags: bit 0 More Fragments, bit 1
// IPv6, bits 2-3 which of 4 IDs; offset in 8-byte units, 2 bytes; length)
// and then its payload.
func FuzzFragmentTrain(f *testing.F) {
	f.Add([]byte{1, 0, 0, 16, 0, 0, 2, 16, 0, 0, 0, 0, 8, 16, 2, 0, 0, 16, 0, 0, 3, 0, 2, 16})
	f.Add([]byte{1, 0, 50, 8, 1, 0, 0, 16, 0, 0, 2, 32, 3, 0, 0, 16, 2, 0, 2, 24})
	ds := NewDissector(prefs.Default())
	f.Fuzz(func(t *testing.T, in []byte) {
		var frames [][]byte
		for len(in) >= 4 && len(frames) < maxSeqFrames {
			fl, off, n := in[0], int(binary.BigEndian.Uint16(in[1:])), int(in[3])
			in = in[4:]
			n = min(n, len(in))
			payload := in[:n]
			in = in[n:]
			id := uint32(fl>>2&3) + 0x100
			var frame []byte
			if fl&2 == 0 {
				ip := make([]byte, 20, 20+len(payload))
				ip[0] = 0x45
				binary.BigEndian.PutUint16(ip[2:], uint16(20+len(payload)))
				binary.BigEndian.PutUint16(ip[4:], uint16(id))
				w := uint16(off & 0x1fff)
				if fl&1 != 0 {
					w |= 0x2000
				}
				binary.BigEndian.PutUint16(ip[6:], w)
				ip[8], ip[9] = 64, []byte{17, 6, 1}[int(fl>>4)%3]
				copy(ip[12:], []byte{192, 0, 2, 1, 192, 0, 2, 2})
				binary.BigEndian.PutUint16(ip[10:], internetChecksum(ip, 0, 10))
				frame = append(ip, payload...)
				frame = append([]byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 8, 0}, frame...)
			} else {
				ip := make([]byte, 48, 48+len(payload))
				ip[0] = 0x60
				binary.BigEndian.PutUint16(ip[4:], uint16(8+len(payload)))
				ip[6], ip[7] = 44, 64
				ip[8], ip[23] = 0x20, 1
				ip[24], ip[39] = 0x20, 2
				ip[40] = []byte{17, 6, 58}[int(fl>>4)%3]
				w := uint16(off&0x1fff) << 3
				if fl&1 != 0 {
					w |= 1
				}
				binary.BigEndian.PutUint16(ip[42:], w)
				binary.BigEndian.PutUint32(ip[44:], id)
				frame = append(ip, payload...)
				frame = append([]byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x86, 0xdd}, frame...)
			}
			frames = append(frames, frame)
		}
		if len(frames) == 0 {
			return
		}
		ds.conv = &convTable{} // each input is its own capture
		var d Dissection
		for i, fr := range frames {
			ds.Dissect(&Frame{Number: i + 1, Data: fr, Record: capfile.Record{CapLen: uint32(len(fr)), OrigLen: uint32(len(fr)), LinkType: capfile.LinkEthernet}}, &d)
			checkFields(t, &d)
		}
		for i, fr := range frames {
			ds.Dissect(&Frame{Number: i + 1, Data: fr, Record: capfile.Record{CapLen: uint32(len(fr)), OrigLen: uint32(len(fr)), LinkType: capfile.LinkEthernet}}, &d)
			checkFields(t, &d)
		}
	})
}
