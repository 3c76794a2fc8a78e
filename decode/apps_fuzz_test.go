package decode

import (
	"encoding/binary"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// tcpTo is hTCP to another port with a sequence number.
func tcpTo(port uint16, seq uint32, payload []byte) []byte {
	seg := hTCP(payload)
	binary.BigEndian.PutUint16(seg[2:], port)
	binary.BigEndian.PutUint32(seg[4:], seq)
	seg[16], seg[17] = 0, 0
	ph := []byte{192, 0, 2, 1, 192, 0, 2, 2, 0, 6, byte(len(seg) >> 8), byte(len(seg))}
	binary.BigEndian.PutUint16(seg[16:], hcsum(append(ph, seg...)))
	return seg
}

// FuzzTCPApps feeds arbitrary bytes to the application layers over TCP
// (HTTP, TLS and those found by heuristics), split at cut into two
// consecutive segments so reassembly runs, then re-dissects both frozen:
// no panic, every field inside its frame, every string safe to print.
func FuzzTCPApps(f *testing.F) {
	f.Add(uint16(80), []byte("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"), uint16(20))
	f.Add(uint16(80), []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), uint16(30))
	f.Add(uint16(4433), []byte{22, 3, 1, 0, 10, 1, 0, 0, 6, 3, 3, 0, 0, 0, 0}, uint16(7))
	f.Add(uint16(443), []byte{23, 3, 3, 0, 3, 'a', 'b', '\x1b'}, uint16(3))
	f.Fuzz(func(t *testing.T, port uint16, p []byte, cut uint16) {
		c := int(cut) % (len(p) + 1)
		segs := [][]byte{tcpTo(port, 1000, p[:c]), tcpTo(port, 1000+uint32(c), p[c:])}
		ds := NewDissector(prefs.Default())
		var frames []*Frame
		for i, s := range segs {
			data := hEth(0x0800, hIPv4(6, s))
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
	})
}
