package decode

import (
	"encoding/binary"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// dnp3Wire frames user data as DNP3's link layer does, CRCs included.
func dnp3Wire(ctl uint8, user []byte) []byte {
	h := []byte{0x05, 0x64, byte(5 + len(user)), ctl, 4, 0, 3, 0}
	out := binary.LittleEndian.AppendUint16(h, dnp3CRC(h))
	for len(user) > 0 {
		n := min(16, len(user))
		out = append(out, user[:n]...)
		out = binary.LittleEndian.AppendUint16(out, dnp3CRC(user[:n]))
		user = user[n:]
	}
	return out
}

// dnp3Segments cuts an application fragment into transport segments of
// at most 249 bytes, each in its own link frame.
func dnp3Segments(ctl, seq uint8, al []byte) []byte {
	var out []byte
	for p, i := 0, 0; p < len(al) || i == 0; i++ {
		n := min(249, len(al)-p)
		tr := (seq + uint8(i)) & 0x3f
		if p == 0 {
			tr |= 0x40
		}
		if p+n == len(al) {
			tr |= 0x80
		}
		out = append(out, dnp3Wire(ctl, append([]byte{tr}, al[p:p+n]...))...)
		p += n
	}
	return out
}

// dissectAll dissects Ethernet frames in order, then re-dissects them
// frozen and backwards, checking every dissection's fields stay in their
// frame and its strings are safe to print: the body of the application
// fuzz targets.
func dissectAll(t *testing.T, datas [][]byte) {
	ds := NewDissector(prefs.Default())
	var frames []*Frame
	for i, data := range datas {
		fr := &Frame{Number: i + 1, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)), LinkType: capfile.LinkEthernet}}
		frames = append(frames, fr)
		var d Dissection
		ds.Dissect(fr, &d)
		checkFields(t, &d)
		checkSafe(t, &d)
	}
	fz := ds.Sibling()
	fz.Frozen = true
	for i := len(frames) - 1; i >= 0; i-- {
		var d Dissection
		fz.Dissect(frames[i], &d)
		checkFields(t, &d)
		checkSafe(t, &d)
	}
}

// FuzzDNP3 feeds application fragments (and raw bytes) to DNP3: framed
// with right CRCs so the fuzzer reaches the objects, over TCP split at
// cut so TCP reassembly runs, and over UDP; then raw, so the link layer
// sees anything. Re-dissected frozen: no panic, fields inside their
// frame, strings safe to print.
func FuzzDNP3(f *testing.F) {
	f.Add(uint8(0xc4), uint8(1), []byte{0xc0, 0x01, 60, 2, 6, 60, 3, 6, 60, 4, 6, 60, 1, 6}, uint16(7), []byte{5, 0x64})
	f.Add(uint8(0x44), uint8(3), []byte{0xe3, 0x81, 0x02, 0x00, 2, 2, 0x17, 2, 0, 0x81, 1, 2, 3, 4, 5, 6, 7, 1, 1, 2, 3, 4, 5, 6}, uint16(30), []byte{})
	f.Add(uint8(0x44), uint8(9), []byte{0xc1, 0x81, 0, 0, 1, 2, 0, 0, 3, 0x81, 1, 0x81, 2, 30, 1, 0, 0, 1, 1, 0x39, 0x30, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}, uint16(0), []byte{5, 0x64, 0xff})
	f.Add(uint8(0xc4), uint8(10), []byte{0xca, 0x05, 12, 1, 0x28, 1, 0, 3, 0, 0x41, 1, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0}, uint16(12), []byte{})
	f.Add(uint8(0x44), uint8(5), []byte{0xf0, 0x82, 0x80, 0x00, 50, 1, 0x07, 1, 1, 2, 3, 4, 5, 6, 110, 3, 0x00, 0, 0, 'a', 'b', 'c'}, uint16(3), []byte{})
	f.Fuzz(func(t *testing.T, ctl, seq uint8, al []byte, cut uint16, raw []byte) {
		if len(al) > 4096 {
			al = al[:4096]
		}
		wire := dnp3Segments(ctl, seq, al)
		c := int(cut) % (len(wire) + 1)
		dissectAll(t, [][]byte{
			hEth(0x0800, hIPv4(6, tcpTo(20000, 1000, wire[:c]))),
			hEth(0x0800, hIPv4(6, tcpTo(20000, 1000+uint32(c), wire[c:]))),
			udpTo(20000, 20000, false, wire),
			udpTo(20000, 20000, true, raw),
			hEth(0x0800, hIPv4(6, tcpTo(20000, 5000, raw))),
		})
	})
}
