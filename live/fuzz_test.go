package live

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
)

// fuzzSrc hands out bytes of the fuzz input as record fields; zeros once
// it runs out.
type fuzzSrc struct{ b []byte }

func (s *fuzzSrc) bytes(n int) []byte {
	n = min(n, len(s.b))
	v := s.b[:n]
	s.b = s.b[n:]
	return v
}

func (s *fuzzSrc) u8() uint8 {
	if v := s.bytes(1); len(v) == 1 {
		return v[0]
	}
	return 0
}

func (s *fuzzSrc) u32() uint32 {
	var b [4]byte
	copy(b[:], s.bytes(4))
	return binary.LittleEndian.Uint32(b[:])
}

func (s *fuzzSrc) u64() uint64 {
	var b [8]byte
	copy(b[:], s.bytes(8))
	return binary.LittleEndian.Uint64(b[:])
}

func (s *fuzzSrc) str() string { return string(s.bytes(int(s.u8()))) }

// FuzzWriterRoundTrip writes records built from the input and reads them
// back with capfile: every field the writer keeps must come back the same.
func FuzzWriterRoundTrip(f *testing.F) {
	f.Add([]byte("\x01\x05lo\x00\x03\x01\x00\x00\x00\x07"))
	f.Add(bytes.Repeat([]byte{0xff}, 64))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := &fuzzSrc{b: in}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		nIf := int(s.u8()%3) + 1
		var ifs []capfile.Interface
		var offs []Offloads
		for i := 0; i < nIf; i++ {
			ifc := capfile.Interface{Name: s.str(), Description: s.str(), LinkType: uint16(s.u32()), SnapLen: s.u32(), FCSLen: -1}
			if c := s.u8(); c&1 != 0 {
				ifc.Comments = []string{s.str()}
			}
			bits := s.u8()
			off := Offloads{RxChecksum: bits&1 != 0, TxChecksum: bits&2 != 0, TSO: bits&4 != 0, GSO: bits&8 != 0,
				GRO: bits&16 != 0, LRO: bits&32 != 0, SG: bits&64 != 0, Known: bits&128 != 0}
			if _, err := w.AddInterface(ifc, off); err != nil {
				t.Fatal(err)
			}
			ifs, offs = append(ifs, ifc), append(offs, off)
		}
		var want []capfile.Record
		var datas [][]byte
		for len(s.b) > 0 {
			id := uint32(s.u8()) % uint32(nIf)
			data := s.bytes(int(s.u8()))
			rec := capfile.Record{Interface: id, Timestamp: int64(s.u64()), OrigLen: s.u32(), LinkType: ifs[id].LinkType, CapLen: uint32(len(data))}
			switch k := s.u8(); k % 3 {
			case 1:
				rec.Flags, rec.HasFlags = s.u32(), true
			case 2:
				rec.Direction = capfile.Direction(s.u8() % 3)
			}
			for c := s.u8() % 3; c > 0; c-- {
				rec.Comments = append(rec.Comments, s.str())
			}
			if s.u8()&1 != 0 {
				rec.DropCount = s.u64()
			}
			if err := w.WritePacket(rec, data); err != nil {
				t.Fatal(err)
			}
			// What capfile gives back: the wire length is at least what
			// was captured, and a direction alone comes back as flags.
			rec.OrigLen = max(rec.OrigLen, rec.CapLen)
			if !rec.HasFlags && rec.Direction != capfile.DirUnknown {
				rec.Flags, rec.HasFlags = uint32(rec.Direction), true
			}
			if rec.HasFlags {
				rec.Direction = capfile.Direction(rec.Flags & 3)
				if rec.Direction == 3 {
					rec.Direction = capfile.DirUnknown
				}
			}
			want = append(want, rec)
			datas = append(datas, data)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		gotIfs, got, gotData := readBack(t, buf.Bytes())
		if len(gotIfs) != nIf {
			t.Fatalf("%d interfaces back, %d written", len(gotIfs), nIf)
		}
		for i, g := range gotIfs {
			w := ifs[i]
			if g.Name != w.Name || g.LinkType != w.LinkType || g.SnapLen != w.SnapLen || g.TSResolNs != 1 || g.FCSLen != -1 {
				t.Fatalf("interface %d: got %+v, wrote %+v", i, g, w)
			}
			if g.Description != OffloadDescription(w.Description, offs[i]) {
				t.Fatalf("interface %d: description %q", i, g.Description)
			}
			if o, ok := ParseOffloadDescription(g.Description); offs[i].Known && (!ok || o != offs[i]) {
				t.Fatalf("interface %d: offloads %v back from %q, wrote %v", i, o, g.Description, offs[i])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d records back, %d written", len(got), len(want))
		}
		for i := range want {
			if !sameRecord(got[i], want[i]) || !bytes.Equal(gotData[i], datas[i]) {
				t.Fatalf("record %d:\n got %+v % x\nwant %+v % x", i, got[i], gotData[i], want[i], datas[i])
			}
		}
	})
}
