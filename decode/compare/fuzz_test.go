package compare

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// pcapOf writes frames as an Ethernet pcap, 10 µs apart.
func pcapOf(frames [][]byte, t0 int64) []byte {
	var b bytes.Buffer
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h, 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], 262144)
	binary.LittleEndian.PutUint32(h[20:], 1)
	b.Write(h)
	for i, f := range frames {
		ts := t0 + int64(i)*10
		r := make([]byte, 16)
		binary.LittleEndian.PutUint32(r, uint32(ts/1e6))
		binary.LittleEndian.PutUint32(r[4:], uint32(ts%1e6))
		binary.LittleEndian.PutUint32(r[8:], uint32(len(f)))
		binary.LittleEndian.PutUint32(r[12:], uint32(len(f)))
		b.Write(r)
		b.Write(f)
	}
	return b.Bytes()
}

// split cuts fuzz input into frames at each 0xff 0x00 0xff marker.
func split(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 && len(out) < 64 {
		i := bytes.Index(data, []byte{0xff, 0x00, 0xff})
		if i < 0 {
			out = append(out, data)
			break
		}
		out = append(out, data[:i])
		data = data[i+3:]
	}
	return out
}

// FuzzCompare runs the join on two captures made of arbitrary frames: the
// extraction reads every header of both, the judge compares them; nothing
// may panic, and every packet of A comes out once, in order.
func FuzzCompare(f *testing.F) {
	if r, err := capfile.Open("../../testdata/compare/a.pcap", capfile.Options{}); err == nil {
		var frames [][]byte
		for len(frames) < 40 {
			_, d, err := r.Next()
			if err != nil {
				break
			}
			frames = append(frames, append([]byte(nil), d...))
		}
		r.Close()
		for i := 0; i+4 <= len(frames); i += 4 {
			f.Add(bytes.Join(frames[i:i+4], []byte{0xff, 0x00, 0xff}), bytes.Join(frames[i:i+4], []byte{0xff, 0x00, 0xff}))
		}
	}
	f.Add([]byte{}, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		fa, fb := split(a), split(b)
		ra, err := capfile.NewReader(bytes.NewReader(pcapOf(fa, 1e15)), "A", capfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rb, err := capfile.NewReader(bytes.NewReader(pcapOf(fb, 1e15+5)), "B", capfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		rep, err := Run(Source{Reader: ra, Name: "A"}, Source{Reader: rb, Name: "B"}, Options{Prefs: prefs.Default()}, func(p *Packet) error {
			n++
			if p.Number != n {
				t.Fatalf("packet %d handed out as %d", n, p.Number)
			}
			return nil
		})
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if n != len(fa) || rep.Frames[0] != len(fa) || rep.Frames[1] != len(fb) {
			t.Fatalf("%d of %d packets of A out, report %v (B %d)", n, len(fa), rep.Frames, len(fb))
		}
		rep.Write(io.Discard)
	})
}
