package live

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"golang.org/x/sys/unix"
)

// fakeFrame is one frame to lay out in a fakeRing block as the kernel
// would: tpacket3_hdr, sockaddr_ll, the frame at tp_mac.
type fakeFrame struct {
	tsNs    int64
	status  uint32
	pktType uint8
	ifindex int32
	data    []byte
}

// fakeRing builds a TPACKET_V3 ring in ordinary memory, blocks handed to
// user space, with frames laid out as the kernel lays them for SOCK_RAW
// (tp_mac 82 for a 14-byte link header): what ring.next parses without a
// socket.
func fakeRing(blockSize int, blocks [][]fakeFrame) *ring {
	r := &ring{mem: make([]byte, blockSize*len(blocks)), blockSize: blockSize, blockNr: len(blocks)}
	for i, fs := range blocks {
		fillBlock(r, i, fs)
	}
	return r
}

// fillBlock writes fs into block i and hands it to user space.
func fillBlock(r *ring, i int, fs []fakeFrame) {
	ne := binary.NativeEndian
	b := r.mem[i*r.blockSize : (i+1)*r.blockSize]
	clear(b)
	ne.PutUint32(b[blkNumPkts:], uint32(len(fs)))
	ne.PutUint32(b[blkFirstPkt:], blkHdrLen)
	off := blkHdrLen
	for k, f := range fs {
		const mac = 82
		size := (mac + len(f.data) + 7) &^ 7
		if off+size > len(b) {
			panic("fakeRing: block too small")
		}
		h := b[off:]
		if k < len(fs)-1 {
			ne.PutUint32(h[fNextOffset:], uint32(size))
		}
		ne.PutUint32(h[fSec:], uint32(f.tsNs/1e9))
		ne.PutUint32(h[fNsec:], uint32(f.tsNs%1e9))
		ne.PutUint32(h[fSnaplen:], uint32(len(f.data)))
		ne.PutUint32(h[fLen:], uint32(len(f.data)))
		ne.PutUint32(h[fStatus:], f.status|unix.TP_STATUS_USER)
		ne.PutUint16(h[fMac:], mac)
		binary.BigEndian.PutUint16(h[sllProtocol:], unix.ETH_P_IP)
		ne.PutUint32(h[sllIfindex:], uint32(f.ifindex))
		ne.PutUint16(h[sllHatype:], unix.ARPHRD_LOOPBACK)
		h[sllPkttype] = f.pktType
		h[sllHalen] = 6
		copy(h[mac:], f.data)
		off += size
	}
	ne.PutUint32(b[blkStatus:], unix.TP_STATUS_USER)
}

// fakeHandle is a Handle reading r, as Open would set one up on lo.
func fakeHandle(r *ring) *Handle {
	return &Handle{name: "lo", fd: -1, efd: -1, linkType: capfile.LinkEthernet, snaplen: DefaultSnapLen,
		loIndex: map[int32]bool{1: true}, ring: r, useRing: true}
}

// udpFrame is a 74-byte Ethernet/IPv4/UDP frame with seq in its payload.
func udpFrame(seq uint64) []byte {
	b := make([]byte, 74)
	binary.BigEndian.PutUint16(b[12:], 0x0800)
	b[14] = 0x45
	binary.BigEndian.PutUint16(b[16:], 60)
	b[22], b[23] = 64, 17
	copy(b[26:], []byte{127, 0, 0, 1, 127, 0, 0, 1})
	binary.BigEndian.PutUint16(b[36:], 9999)
	binary.BigEndian.PutUint16(b[38:], 40)
	binary.BigEndian.PutUint64(b[42:], seq)
	return b
}

func TestFakeRingNext(t *testing.T) {
	blocks := [][]fakeFrame{
		{{tsNs: 1e9 + 5, pktType: PktOutgoing, ifindex: 1, data: udpFrame(0)}, {tsNs: 1e9 + 6, pktType: PktHost, ifindex: 1, status: unix.TP_STATUS_CSUMNOTREADY, data: udpFrame(0)}},
		{{tsNs: 2e9 + 7, pktType: PktHost, ifindex: 1, data: udpFrame(1)}},
	}
	h := fakeHandle(fakeRing(4096, blocks))
	var got []uint64
	for h.ring.ready() {
		rec, data, err := h.Next()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, binary.BigEndian.Uint64(data[42:]))
		if rec.CapLen != 74 || rec.OrigLen != 74 || rec.Direction != capfile.DirInbound {
			t.Errorf("frame %d: %+v", len(got), rec)
		}
		if len(got) == 1 && (rec.Timestamp != 1e9+6 || !ChecksumNotReady(&rec)) {
			t.Errorf("first frame: timestamp %d, comments %q: want the received copy with its status", rec.Timestamp, rec.Comments)
		}
	}
	if len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Fatalf("frames %v, want [0 1] (the sent lo copy dropped)", got)
	}
	if st, _ := h.Stats(); st.LoopbackDuplicates != 1 || st.Delivered != 2 {
		t.Errorf("stats %+v", st)
	}
	for i := 0; i < 2; i++ {
		if s := *h.ring.status(i); s != unix.TP_STATUS_KERNEL {
			t.Errorf("block %d status %#x after reading: not given back", i, s)
		}
	}
}

// BenchmarkRingToPcapng is the user-space part of a -w capture of lo: the
// ring's frames (74-byte UDP frames received on lo, checksum not ready: the
// kernel filter rejected the sent copies) parsed and written as pcapng to
// io.Discard.
func BenchmarkRingToPcapng(b *testing.B) {
	const bs = 128 << 10
	var fs []fakeFrame
	for i := 0; ; i++ {
		f := fakeFrame{tsNs: 1.7e18 + int64(i)*1000, ifindex: 1, pktType: PktHost, status: unix.TP_STATUS_CSUMNOTREADY, data: udpFrame(uint64(i))}
		if (len(fs)+1)*160+blkHdrLen > bs {
			break
		}
		fs = append(fs, f)
	}
	r := fakeRing(bs, [][]fakeFrame{fs, fs})
	h := fakeHandle(r)
	w := NewWriter(io.Discard)
	id, _ := w.AddInterface(h.Interface(), Offloads{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !r.ready() {
			b.StopTimer()
			fillBlock(r, r.blk, fs)
			b.StartTimer()
		}
		rec, data, err := h.Next()
		if err != nil {
			b.Fatal(err)
		}
		rec.Interface = id
		if err := w.WritePacket(rec, data); err != nil {
			b.Fatal(err)
		}
	}
}
