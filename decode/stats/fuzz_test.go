package stats

import (
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// FuzzFollowSummary dissects a fuzzed capture (2-byte big-endian length,
// that many bytes, as Ethernet frames; at most 64) with one dissector, so
// streams and TCP state span the frames, and feeds every frame to the
// follower of TCP and UDP stream 0 (with a small limit) and to the
// summary: nothing may panic, the follower never keeps more than its
// limit nor an empty chunk, and the summary and its I/O buckets count
// every frame.
func FuzzFollowSummary(f *testing.F) {
	for _, path := range []string{"../../testdata/captures/tcp-lossy-a.pcap", "../../testdata/captures/apps-a.pcap", "../../testdata/crafted/dns.pcap"} {
		if seed := seedFrom(path, 40); seed != nil {
			f.Add(seed)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ds := decode.NewDissector(prefs.Default())
		ft := NewFollower("tcp", 0, 3000)
		fu := NewFollower("udp", 0, 3000)
		s := NewSummary()
		var d decode.Dissection
		n := 0
		for len(in) >= 2 && n < 64 {
			l := min(int(binary.BigEndian.Uint16(in)), len(in)-2)
			data := in[2 : 2+l]
			in = in[2+l:]
			n++
			fr := &decode.Frame{Number: n, Data: data, RelTime: int64(n) * 1e6,
				Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)), LinkType: capfile.LinkEthernet}}
			ds.Dissect(fr, &d)
			ft.Packet(n, &d)
			fu.Packet(n, &d)
			s.Packet(fr, &d)
		}
		for _, fl := range []*Follower{ft, fu} {
			st := fl.Stream()
			kept := 0
			for _, c := range st.Chunks {
				if len(c.Data) == 0 || c.Dir < 0 || c.Dir > 1 {
					t.Fatalf("bad chunk %+v", c)
				}
				kept += len(c.Data)
			}
			if kept != st.Bytes[0]+st.Bytes[1] || kept > st.Limit {
				t.Fatalf("kept %d, counted %d, limit %d", kept, st.Bytes[0]+st.Bytes[1], st.Limit)
			}
		}
		var io uint64
		for _, v := range s.IO.Packets {
			io += v
		}
		if s.Frames != uint64(n) || io != uint64(n) {
			t.Fatalf("%d frames, summary %d, io %d", n, s.Frames, io)
		}
	})
}

// seedFrom joins the first max frames of a capture as a fuzz input.
func seedFrom(path string, max int) []byte {
	r, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		return nil
	}
	defer r.Close()
	var out []byte
	for i := 0; i < max; i++ {
		rec, data, err := r.Next()
		if errors.Is(err, io.EOF) || err != nil {
			break
		}
		if rec.LinkType != capfile.LinkEthernet {
			return nil
		}
		data = data[:min(len(data), 0xffff)]
		out = binary.BigEndian.AppendUint16(out, uint16(len(data)))
		out = append(out, data...)
	}
	return out
}
