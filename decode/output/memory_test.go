package output

import (
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

// flowFrames builds the frames of HTTP exchanges over many TCP
// conversations, one after the other, each a handshake, a GET and a
// response of respLen bytes cut into 1400-byte segments (which HTTP
// reassembles), then FIN/ACK. Checksums are right except on every 50th
// segment's TCP checksum, so that -Y has frames to show.
func flowFrames(flows, respLen int) [][]byte {
	var out [][]byte
	n := 0
	seg := func(src, dst [4]byte, sport, dport uint16, seq, ack uint32, flags byte, payload []byte) {
		f := make([]byte, 14+20+20+len(payload))
		copy(f, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0})
		ip := f[14:34]
		ip[0], ip[8], ip[9] = 0x45, 64, 6
		binary.BigEndian.PutUint16(ip[2:], uint16(40+len(payload)))
		binary.BigEndian.PutUint16(ip[4:], uint16(n))
		copy(ip[12:], src[:])
		copy(ip[16:], dst[:])
		binary.BigEndian.PutUint16(ip[10:], ^fold16(sum16(ip, 0)))
		tcp := f[34:]
		binary.BigEndian.PutUint16(tcp, sport)
		binary.BigEndian.PutUint16(tcp[2:], dport)
		binary.BigEndian.PutUint32(tcp[4:], seq)
		binary.BigEndian.PutUint32(tcp[8:], ack)
		tcp[12], tcp[13] = 5<<4, flags
		binary.BigEndian.PutUint16(tcp[14:], 65535)
		copy(tcp[20:], payload)
		pseudo := sum16(src[:], 0) + sum16(dst[:], 0) + 6 + uint32(len(tcp))
		ck := ^fold16(sum16(tcp, pseudo))
		n++
		if n%50 == 0 {
			ck ^= 0x5a5a
		}
		binary.BigEndian.PutUint16(tcp[16:], ck)
		out = append(out, f)
	}
	body := make([]byte, respLen)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	for i := 0; i < flows; i++ {
		cli, srv := [4]byte{10, 1, byte(i >> 8), byte(i)}, [4]byte{10, 2, 0, 1}
		cp := uint16(10000 + i%50000)
		var c, s uint32 = 1000, 50000
		seg(cli, srv, cp, 80, c, 0, 0x02, nil)
		seg(srv, cli, 80, cp, s, c+1, 0x12, nil)
		c, s = c+1, s+1
		seg(cli, srv, cp, 80, c, s, 0x10, nil)
		req := []byte(fmt.Sprintf("GET /%d HTTP/1.1\r\nHost: example.com\r\n\r\n", i))
		seg(cli, srv, cp, 80, c, s, 0x18, req)
		c += uint32(len(req))
		resp := append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", respLen)), body...)
		for len(resp) > 0 {
			k := min(1400, len(resp))
			seg(srv, cli, 80, cp, s, c, 0x18, resp[:k])
			s += uint32(k)
			resp = resp[k:]
		}
		seg(cli, srv, cp, 80, c, s, 0x11, nil)
		seg(srv, cli, 80, cp, s, c+1, 0x11, nil)
		seg(cli, srv, cp, 80, c+1, s+1, 0x10, nil)
	}
	return out
}

func sum16(b []byte, s uint32) uint32 {
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold16(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// liveHeap is the heap still reachable after a collection: what the run
// keeps, not the garbage it makes along the way.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestFilterMemoryBounded: a -Y run with the text summary over 3,000 HTTP
// conversations (45,000 frames, 30 MB of reassembled responses) keeps
// what it learns per conversation, not per frame or per message: the live
// heap, sampled every 2,000 frames, grows by less than 8 MB. Batch once
// kept each frame's reassembly outcome, the whole reassembled message
// included, for a re-dissection that a one-pass run never makes: 620 MB
// at 1M gencap packets.
func TestFilterMemoryBounded(t *testing.T) {
	frames := flowFrames(3000, 10000)
	p := prefs.Default()
	p.SetValidates("ip", true)
	p.SetValidates("tcp", true)
	f, err := filter.Compile("tcp.checksum.status == 0 || ip.checksum.status == 0")
	if err != nil {
		t.Fatal(err)
	}
	pr := NewPrinter(io.Discard, p, Config{Filter: f})
	iface := &capfile.Interface{LinkType: capfile.LinkEthernet, TSResol: 6, TSResolNs: 1000}
	base := liveHeap()
	var peak uint64
	for i, data := range frames {
		rec := capfile.Record{Timestamp: 1e18 + int64(i)*1000, CapLen: uint32(len(data)), OrigLen: uint32(len(data)), LinkType: capfile.LinkEthernet}
		pr.Packet(rec, data, iface)
		if i%2000 == 1999 {
			peak = max(peak, liveHeap())
		}
	}
	pr.Finish()
	_, _, shown := pr.Counts()
	if shown < len(frames)/60 {
		t.Fatalf("%d of %d frames shown: the filter found too few bad checksums to be a test", shown, len(frames))
	}
	grew := int64(peak) - int64(base)
	t.Logf("live heap grew %d kB", grew>>10)
	if grew > 8<<20 {
		t.Errorf("live heap grew %d MB over %d frames of %d conversations", grew>>20, len(frames), 3000)
	}
	runtime.KeepAlive(pr)
}
