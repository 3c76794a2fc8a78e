package decode

import (
	"encoding/binary"
	"math/rand"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// tcpFrame is an Ethernet frame with a TCP segment between 192.0.2.1:sport
// and 192.0.2.2:dport (rev: sent by the latter), checksums correct.
func tcpFrame(rev bool, host byte, sport, dport uint16, seq, ack uint32, flags byte, payload []byte) []byte {
	src, dst := []byte{192, 0, 2, 1}, []byte{192, 0, host, 2}
	if rev {
		src, dst = dst, src
		sport, dport = dport, sport
	}
	h := make([]byte, 20)
	binary.BigEndian.PutUint16(h, sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint32(h[4:], seq)
	binary.BigEndian.PutUint32(h[8:], ack)
	h[12] = 5 << 4
	h[13] = flags
	binary.BigEndian.PutUint16(h[14:], 1000)
	seg := append(h, payload...)
	ph := append(append(append([]byte(nil), src...), dst...), 0, 6, byte(len(seg)>>8), byte(len(seg)))
	binary.BigEndian.PutUint16(seg[16:], hcsum(append(ph, seg...)))
	ip := hIPv4(6, seg)
	copy(ip[12:], src)
	copy(ip[16:], dst)
	ip[10], ip[11] = 0, 0
	binary.BigEndian.PutUint16(ip[10:], hcsum(ip[:20]))
	return hEth(0x0800, ip)
}

type timedFrame struct {
	data []byte
	ts   int64
}

func fieldsText(d *Dissection) string {
	var b strings.Builder
	for i := range d.Fields {
		f := &d.Fields[i]
		b.WriteString(f.Def.Name)
		b.WriteByte('=')
		b.WriteString(f.Value())
		b.WriteByte(' ')
	}
	return b.String()
}

// dissectTimed dissects frames in order, then frozen in reverse order (as
// the TUI re-dissects rows), and returns both texts per frame and the
// conversations still live at the end.
func dissectTimed(t *testing.T, frames []timedFrame, evictOff bool) (inOrder, frozen []string, live, revived int) {
	ds := NewDissector(prefs.Default())
	defer ds.Close()
	ds.conv.evictOff = evictOff
	rec := func(i int) *Frame {
		f := frames[i]
		return &Frame{Number: i + 1, Data: f.data, RelTime: f.ts - frames[0].ts,
			Record: capfile.Record{CapLen: uint32(len(f.data)), OrigLen: uint32(len(f.data)), LinkType: capfile.LinkEthernet, Timestamp: f.ts}}
	}
	var d Dissection
	for i := range frames {
		ds.Dissect(rec(i), &d)
		checkFields(t, &d)
		inOrder = append(inOrder, fieldsText(&d))
	}
	frozen = make([]string, len(frames))
	fz := ds.Sibling()
	fz.Frozen = true
	for i := len(frames) - 1; i >= 0; i-- {
		fz.Dissect(rec(i), &d)
		frozen[i] = fieldsText(&d)
	}
	return inOrder, frozen, len(ds.conv.tcpConvs), ds.conv.revivals
}

func fieldOf(text, name string) []string {
	var out []string
	for _, w := range strings.Split(text, " ") {
		if v, ok := strings.CutPrefix(w, name+"="); ok {
			out = append(out, v)
		}
	}
	return out
}

// compareEviction requires the same fields with eviction as without it
// (every conversation kept live: the table as it was, whose answers the
// tshark goldens check), in order and frozen.
func compareEviction(t *testing.T, frames []timedFrame) (inOrder []string) {
	t.Helper()
	want, wantFz, _, _ := dissectTimed(t, frames, true)
	got, gotFz, _, _ := dissectTimed(t, frames, false)
	for i := range frames {
		if got[i] != want[i] {
			t.Fatalf("frame %d in order, evicting: %s", i+1, firstWordDiff(got[i], want[i]))
		}
		if gotFz[i] != wantFz[i] {
			t.Fatalf("frame %d frozen, evicting: %s", i+1, firstWordDiff(gotFz[i], wantFz[i]))
		}
	}
	return got
}

func firstWordDiff(got, want string) string {
	g, w := strings.Split(got, " "), strings.Split(want, " ")
	k := 0
	for k < len(g) && k < len(w) && g[k] == w[k] {
		k++
	}
	from := max(0, k-2)
	return "\n got: " + strings.Join(g[from:min(len(g), k+5)], " ") + "\nwant: " + strings.Join(w[from:min(len(w), k+5)], " ")
}

// A closed conversation is evicted once idle; a FIN retransmitted a minute
// later still belongs to it (same stream, flagged as a retransmission, as
// tshark keeps every conversation), and a SYN with a new ISN on the same
// ports starts a new stream with the ports flagged reused. Frames of the
// first conversation re-dissected after all that still show stream 0.
func TestTCPEvictionPortReuse(t *testing.T) {
	const s = int64(1e9)
	var frames []timedFrame
	add := func(ts int64, rev bool, seq, ack uint32, flags byte, payload string) {
		frames = append(frames, timedFrame{tcpFrame(rev, 2, 40000, 80, seq, ack, flags, []byte(payload)), ts})
	}
	add(0, false, 1000, 0, thSYN, "")
	add(s/100, true, 5000, 1001, thSYN|thACK, "")
	add(2*s/100, false, 1001, 5001, thACK, "")
	add(3*s/100, false, 1001, 5001, thACK|thPSH, "hello")
	add(4*s/100, true, 5001, 1006, thACK|thFIN, "")
	add(5*s/100, false, 1006, 5002, thACK|thFIN, "")
	add(6*s/100, true, 5002, 1007, thACK, "")
	// another conversation moves the clock on: the first is evicted
	for i := 0; i < 5; i++ {
		frames = append(frames, timedFrame{tcpFrame(false, 3, uint16(41000+i), 443, 7000, 0, thSYN, nil), 10*s + int64(i)*s})
	}
	add(60*s, false, 1006, 5002, thACK|thFIN, "") // the FIN again
	for i := 0; i < 5; i++ {
		frames = append(frames, timedFrame{tcpFrame(false, 3, uint16(42000+i), 443, 7000, 0, thSYN, nil), 70*s + int64(i)*s})
	}
	add(120*s, false, 90000, 0, thSYN, "") // the ports reused
	add(120*s+s/100, true, 70000, 90001, thSYN|thACK, "")

	got := compareEviction(t, frames)
	stream := func(i int) string { return strings.Join(fieldOf(got[i], "tcp.stream"), ",") }
	if st := stream(12); st != "0" || len(fieldOf(got[12], "tcp.analysis.retransmission")) == 0 {
		t.Errorf("the FIN a minute later: stream %s, retransmission %v, want stream 0, a retransmission", st, fieldOf(got[12], "tcp.analysis.retransmission"))
	}
	if st := stream(18); st != "11" || len(fieldOf(got[18], "tcp.analysis.reused_ports")) == 0 {
		t.Errorf("the new SYN: stream %s, reused_ports %v, want stream 11 and reused ports", st, fieldOf(got[18], "tcp.analysis.reused_ports"))
	}
	if st := stream(19); st != "11" {
		t.Errorf("the new SYN/ACK: stream %s, want 11", st)
	}
	_, _, live, revived := dissectTimed(t, frames, false)
	if live > 3 || revived != 2 {
		t.Errorf("%d conversations live at the end, %d revived; want the few of the last seconds, and the first conversation revived twice", live, revived)
	}
}

// The spilled state comes back field for field, whatever it holds.
func TestConvStateRoundTrip(t *testing.T) {
	// a field added to these structs must be spilled too
	if n := reflect.TypeOf(tcpFlowAnalysis{}).NumField(); n != 22 {
		t.Fatalf("tcpFlowAnalysis has %d fields: spill the new one (appendConvState)", n)
	}
	if n := reflect.TypeOf(tcpConvAnalysis{}).NumField(); n != 8 {
		t.Fatalf("tcpConvAnalysis has %d fields: spill the new one (appendConvState)", n)
	}
	rng := rand.New(rand.NewSource(3))
	u32 := func() uint32 {
		if rng.Intn(3) == 0 {
			return 0
		}
		return rng.Uint32()
	}
	i64 := func() int64 { return rng.Int63() - rng.Int63() }
	for k := 0; k < 500; k++ {
		a := &tcpConvAnalysis{tsFirst: i64(), tsPrev: i64(), tsMruSyn: i64(), tsFirstRTT: i64(), firstRTTAt: u32(),
			completeness: uint8(rng.Intn(64)), started: rng.Intn(2) == 0}
		c := &tcpConv{an: a, last: i64(), fin: [2]bool{rng.Intn(2) == 0, rng.Intn(2) == 0}, rst: rng.Intn(2) == 0}
		for d := 0; d < 2; d++ {
			f := &a.flow[d]
			*f = tcpFlowAnalysis{baseSeq: u32(), baseSet: rng.Intn(2) == 0, nextseq: u32(), nextseqFrame: u32(), nextseqTime: i64(),
				maxseqtobeacked: u32(), lastack: u32(), lastackTime: i64(), window: u32(), winScale: int8(rng.Intn(17) - 2),
				isFirstAck: rng.Intn(2) == 0, lastSegFlags: u32(), dupacknum: int32(rng.Intn(1000) - 10), lastnondupack: u32(),
				validBif: rng.Intn(2) == 0, pushBytes: u32(), pushSetLast: rng.Intn(2) == 0, closing: rng.Intn(2) == 0, numSack: rng.Intn(5)}
			for j := range f.sackL {
				f.sackL[j], f.sackR[j] = u32(), u32()
			}
			for j := rng.Intn(4); j > 0; j-- {
				f.segs = append(f.segs, tcpSeg{frame: u32(), seq: u32(), nextseq: u32(), ts: i64()})
			}
			if rng.Intn(3) == 0 {
				c.badAt[d] = map[uint32]int{u32(): int(u32()), u32(): int(u32())}
			}
			if rng.Intn(3) == 0 {
				c.pdu[d] = &tcpPDU{next: u32(), buf: []byte("GET / HTTP/1.1\r\nContent-Length: 99\r\n\r\nabc"), total: rng.Intn(200) - 1, p: httpPayload, info: "GET / HTTP/1.1"}
			}
		}
		var back tcpConv
		if err := readConvState(appendConvState(nil, c), &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.an, c.an) || !reflect.DeepEqual(back.badAt, c.badAt) || !reflect.DeepEqual(back.pdu, c.pdu) ||
			back.last != c.last || back.fin != c.fin || back.rst != c.rst {
			t.Fatalf("state %d changed in the spill file:\n got %+v %+v\nwant %+v %+v", k, back.an, back.badAt, c.an, c.badAt)
		}
		if err := readConvState(appendConvState(nil, c)[:10], &back); err == nil {
			t.Fatal("a cut-short state read without error")
		}
	}
}

// Many short conversations (each closed after a few frames, a new one
// every millisecond of capture time): the table keeps the last seconds'
// live and about a hundred bytes for each of the others, however many.
func TestTCPConversationMemoryBounded(t *testing.T) {
	const convs = 40000
	ds := NewDissector(prefs.Default())
	defer ds.Close()
	var d Dissection
	n := 0
	dissect := func(ts int64, data []byte) {
		n++
		ds.Dissect(&Frame{Number: n, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)),
			LinkType: capfile.LinkEthernet, Timestamp: ts}}, &d)
	}
	run := func(from, to int) {
		for c := from; c < to; c++ {
			ts := int64(c) * 1e6
			host, port := byte(c>>16), uint16(c)
			isn := uint32(c) * 7919
			dissect(ts, tcpFrame(false, host, port, 80, isn, 0, thSYN, nil))
			dissect(ts+1e5, tcpFrame(true, host, port, 80, 1, isn+1, thSYN|thACK, nil))
			dissect(ts+2e5, tcpFrame(false, host, port, 80, isn+1, 2, thACK|thPSH, []byte("GET / HTTP/1.0\r\n\r\n")))
			dissect(ts+3e5, tcpFrame(true, host, port, 80, 2, isn+19, thACK|thFIN, nil))
			dissect(ts+4e5, tcpFrame(false, host, port, 80, isn+19, 3, thACK|thRST, nil))
		}
	}
	run(0, 1000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run(1000, convs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := len(ds.conv.tcpConvs)
	if live > 4000 {
		t.Errorf("%d conversations live of %d, want those of the last few seconds (about 3000)", live, convs)
	}
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	per := float64(grown) / (convs - 1000)
	t.Logf("%d live; heap grew %d bytes: %.0f bytes a conversation (5 frames each)", live, grown, per)
	if per > 150 {
		t.Errorf("the heap grew %.0f bytes a conversation, want at most 150", per)
	}
	// and every one of them is still there for re-dissection
	fz := ds.Sibling()
	fz.Frozen = true
	for _, c := range []int{3, 777, 20000, convs - 1} {
		fr := 5*c + 4
		host, port := byte(c>>16), uint16(c)
		isn := uint32(c) * 7919
		data := tcpFrame(false, host, port, 80, isn+19, 3, thACK|thRST, nil)
		fz.Dissect(&Frame{Number: fr, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)),
			LinkType: capfile.LinkEthernet, Timestamp: int64(c)*1e6 + 4e5}}, &d)
		text := fieldsText(&d)
		if st := fieldOf(text, "tcp.stream"); len(st) != 1 || st[0] != strconv.Itoa(c) {
			t.Errorf("frame %d re-dissected: tcp.stream %v, want %d", fr, st, c)
		}
		if seq := fieldOf(text, "tcp.seq"); len(seq) != 1 || seq[0] != "19" {
			t.Errorf("frame %d re-dissected: tcp.seq %v, want 19 (relative)", fr, seq)
		}
	}
}

// FuzzTCPEviction builds TCP segments on three port pairs from the input,
// with gaps of up to minutes of capture time between them so that
// conversations are evicted and revived in every state (mid-handshake,
// with data unacknowledged, a message half reassembled, closed, their
// ports reused), and requires the same fields as with every conversation
// kept live, in order and re-dissected frozen. Each segment is 6 bytes:
// port pair and direction, flags, sequence step, acknowledgment step,
// payload length, gap (a power of two in milliseconds).
func FuzzTCPEviction(f *testing.F) {
	f.Add([]byte{0, thSYN, 0, 0, 0, 0, 1, thSYN | thACK, 0, 1, 0, 3, 0, thACK, 1, 1, 0, 3, 0, thACK | thPSH, 0, 0, 30, 3,
		1, thACK, 0, 31, 0, 16, 0, thACK | thPSH, 0, 0, 30, 17, 0, thSYN, 200, 0, 0, 18})
	f.Add([]byte{2, thSYN, 0, 0, 0, 0, 3, thSYN | thACK, 0, 1, 0, 2, 2, thACK | thFIN, 1, 1, 0, 2, 3, thACK | thFIN, 1, 1, 0, 2,
		2, thACK, 1, 1, 0, 15, 2, thACK | thFIN, 0, 0, 0, 12, 4, thSYN, 9, 0, 0, 20, 5, thRST, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		var frames []timedFrame
		type flow struct{ seq, ack uint32 }
		var flows [3][2]flow
		ts := int64(0)
		for len(in) >= 6 && len(frames) < maxSeqFrames {
			pair, dir := int(in[0]>>1)%3, int(in[0]&1)
			fl := &flows[pair][dir]
			fl.seq += uint32(in[2]) * 100
			fl.ack += uint32(in[3]) * 100
			payload := make([]byte, int(in[4]))
			copy(payload, "GET / HTTP/1.1\r\nContent-Length: 300\r\n\r\n")
			ts += int64(1) << (in[5] % 28) * 1e6 / 1024
			port := uint16(40000 + pair)
			if pair == 2 {
				port = 40000 // the first pair's ports to another host
			}
			frames = append(frames, timedFrame{tcpFrame(dir == 1, byte(2+pair/2), port, 80, fl.seq, fl.ack, in[1]&0x3f, payload), ts})
			fl.seq += uint32(len(payload))
			in = in[6:]
		}
		if len(frames) > 0 {
			compareEviction(t, frames)
		}
	})
}
