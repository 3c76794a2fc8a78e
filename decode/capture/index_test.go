package capture

import (
	"encoding/binary"
	"math/rand"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
)

// metasFrom turns fuzz bytes into frames: mostly ordinary successors (a
// few microseconds later, just past the previous frame), with every field
// sometimes jumping anywhere, backwards included.
func metasFrom(b []byte) []frameMeta {
	var out []frameMeta
	var m frameMeta
	for len(b) >= 9 {
		op := b[0]
		v := binary.LittleEndian.Uint64(b[1:9])
		b = b[9:]
		m.dataOff += int64(m.capLen) + 16
		m.ts += int64(v % 50000)
		m.capLen = uint32(v>>16) % (capfile.MaxCapLen + 1)
		m.origLen = m.capLen
		m.extra = op&0x80 != 0
		switch op & 7 {
		case 1:
			m.origLen = uint32(v >> 32)
		case 2:
			m.ts = int64(v) // anywhere, negative too
		case 3:
			m.dataOff = int64(v >> 1)
		case 4:
			m.iface, m.linkType = uint32(v>>40), uint16(v>>8)
		case 5:
			m.flags, m.hasFlags, m.dir = uint32(v>>24), op&8 != 0, capfile.Direction(op>>4&3)
		}
		out = append(out, m)
	}
	return out
}

func checkRoundTrip(t *testing.T, in []frameMeta) {
	var x frameIndex
	for _, m := range in {
		x.add(m)
	}
	if x.n != len(in) {
		t.Fatalf("n = %d, added %d", x.n, len(in))
	}
	if len(in) == 0 {
		return
	}
	cur := x.at(0)
	for i, want := range in {
		if got := cur.next(); got != want {
			t.Fatalf("frame %d in order: got %+v, want %+v", i, got, want)
		}
	}
	for _, i := range []int{0, len(in) - 1, len(in) / 2, len(in) / 3, blockLen - 1, blockLen, blockLen + 1} {
		if i >= len(in) {
			continue
		}
		c := x.at(i)
		if got := c.next(); got != in[i] {
			t.Fatalf("frame %d at random: got %+v, want %+v", i, got, in[i])
		}
	}
}

func FuzzIndexRoundTrip(f *testing.F) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 9 * 3, 9 * blockLen, 9 * (3*blockLen + 5)} {
		b := make([]byte, n)
		rng.Read(b)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkRoundTrip(t, metasFrom(b)) })
}

// TestIndexSize holds the index to its budget on frames like a busy link's
// (a few microseconds apart, 60-1514 bytes, pcapng EPB flags, a comment
// now and then): at most 16 bytes a frame with the verdicts, and every
// frame read back exactly.
func TestIndexSize(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const n = 1 << 20
	in := make([]frameMeta, n)
	var m frameMeta
	m.hasFlags = true
	for i := range in {
		m.dataOff += int64(m.capLen) + 32 + int64(-m.capLen&3)
		m.ts += 1000 + rng.Int63n(47000)
		m.capLen = uint32(60 + rng.Intn(1455))
		m.origLen = m.capLen
		m.dir = capfile.Direction(1 + rng.Intn(2))
		m.flags = uint32(m.dir)
		m.extra = rng.Intn(1000) == 0
		in[i] = m
	}
	var x frameIndex
	var v verdictTable
	for i, m := range in {
		x.add(m)
		var vd verdict
		if i%37 == 0 {
			vd = verdict{bad: 2, offload: 2}
		}
		v.add(vd)
	}
	perFrame := float64(x.bytes()+v.bytes()) / n
	t.Logf("%.1f bytes a frame", perFrame)
	if perFrame > 16 {
		t.Errorf("the index costs %.1f bytes a frame, more than 16", perFrame)
	}
	checkRoundTrip(t, in)
	if got, want := v.badCount(2), (n+36)/37; got != want {
		t.Errorf("badCount = %d, want %d", got, want)
	}
	if got := v.nextBad(0, 1, 2); got != 37 {
		t.Errorf("nextBad(0, +1) = %d, want 37", got)
	}
	if got := v.nextBad(37, -1, 2); got != 0 {
		t.Errorf("nextBad(37, -1) = %d, want 0", got)
	}
	if got := v.nextBad(0, 1, 1); got != -1 {
		t.Errorf("nextBad for a protocol never bad = %d, want -1", got)
	}
}

// TestVerdictPaletteOverflow gives every frame its own verdict, beyond
// what one byte indexes: the rest must still be counted and found.
func TestVerdictPaletteOverflow(t *testing.T) {
	var v verdictTable
	for i := 0; i < 1000; i++ {
		v.add(verdict{bad: ProtoSet(i), offload: ProtoSet(i >> 1)})
	}
	for i := 0; i < 1000; i++ {
		if got := v.at(i); got != (verdict{bad: ProtoSet(i), offload: ProtoSet(i >> 1)}) {
			t.Fatalf("frame %d: %+v", i, got)
		}
	}
	want := 0
	for i := 0; i < 1000; i++ {
		if ProtoSet(i)&4 != 0 {
			want++
		}
	}
	if got := v.badCount(4); got != want {
		t.Errorf("badCount = %d, want %d", got, want)
	}
	if got := v.nextBad(0, 1, 1<<9); got != 512 {
		t.Errorf("nextBad from 0 for bit 9 = %d, want 512", got)
	}
	if got := v.nextBad(511, -1, 1<<9); got != -1 {
		t.Errorf("nextBad back from 511 for bit 9 = %d, want -1", got)
	}
	if got := v.nextBad(999, -1, 1<<10); got != -1 {
		t.Errorf("nextBad for a bit never set = %d, want -1", got)
	}
}
