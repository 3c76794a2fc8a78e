package live

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Offsets in the TPACKET_V3 ring (linux/if_packet.h). A block starts with
// tpacket_block_desc {version, offset_to_priv, tpacket_hdr_v1}; each frame
// with tpacket3_hdr, then sockaddr_ll at TPACKET_ALIGN(sizeof(tpacket3_hdr)).
const (
	blkStatus    = 8  // tpacket_hdr_v1.block_status
	blkNumPkts   = 12 // tpacket_hdr_v1.num_pkts
	blkFirstPkt  = 16 // tpacket_hdr_v1.offset_to_first_pkt
	blkHdrLen    = 48
	fNextOffset  = 0
	fSec         = 4
	fNsec        = 8
	fSnaplen     = 12
	fLen         = 16
	fStatus      = 20
	fMac         = 24
	fVlanTCI     = 32
	fVlanTPID    = 34
	fSll         = 48 // TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
	sllProtocol  = fSll + 2
	sllIfindex   = fSll + 4
	sllHatype    = fSll + 8
	sllPkttype   = fSll + 10
	sllHalen     = fSll + 11
	sllAddr      = fSll + 12
	frameHdrRoom = 96 // TPACKET_ALIGN(tp_hdrlen 68 + 16) for the headers before a frame's MAC header
)

// ring is a TPACKET_V3 receive ring: blocks the kernel fills with many
// frames each and hands over whole (when full or when the retire timer fires).
type ring struct {
	mem       []byte
	blockSize int
	blockNr   int
	blk       int    // block being read
	left      uint32 // frames of blk not read yet; 0: blk not taken from the kernel
	off       uint32 // offset in blk of the next frame
}

func newRing(fd int, bufSize int, snaplen uint32, retire time.Duration) (*ring, error) {
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return nil, fmt.Errorf("TPACKET_V3: %w", err)
	}
	// A block must hold the largest frame with its headers; big blocks
	// mean fewer hand-overs between kernel and reader at high rates.
	need := blkHdrLen + frameHdrRoom + int(snaplen) + vlanTagLen + sll2HdrLen
	page := os.Getpagesize()
	bs := max(page, 128<<10)
	for bs < need {
		bs <<= 1
	}
	nr := max(bufSize/bs, 2)
	// tp_frame_size only matters to TPACKET_V1/V2, but the kernel checks
	// that frames_per_block*block_nr equals tp_frame_nr.
	const frameSize = 2048
	req := unix.TpacketReq3{
		Block_size:     uint32(bs),
		Block_nr:       uint32(nr),
		Frame_size:     frameSize,
		Frame_nr:       uint32(bs / frameSize * nr),
		Retire_blk_tov: uint32(max(retire/time.Millisecond, 1)),
	}
	if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return nil, fmt.Errorf("PACKET_RX_RING: %w", err)
	}
	mem, err := unix.Mmap(fd, 0, bs*nr, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_LOCKED)
	if err != nil {
		// MAP_LOCKED fails beyond RLIMIT_MEMLOCK; it only avoids page faults.
		mem, err = unix.Mmap(fd, 0, bs*nr, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	}
	if err != nil {
		return nil, fmt.Errorf("mapping the ring: %w", err)
	}
	return &ring{mem: mem, blockSize: bs, blockNr: nr}, nil
}

func (r *ring) status(blk int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[blk*r.blockSize+blkStatus]))
}

// next fills m and returns the bytes of the next frame the kernel has
// handed over, or false when there is none yet. The bytes are in the ring:
// call done once they are copied.
func (r *ring) next(m *frameMeta) ([]byte, bool) {
	base := r.blk * r.blockSize
	if r.left == 0 {
		// The atomic load orders the reads of the block after the
		// kernel's release of it.
		if atomic.LoadUint32(r.status(r.blk))&unix.TP_STATUS_USER == 0 {
			return nil, false
		}
		b := r.mem[base:]
		r.left = binary.NativeEndian.Uint32(b[blkNumPkts:])
		r.off = binary.NativeEndian.Uint32(b[blkFirstPkt:])
		if r.left == 0 {
			r.giveBack()
			return nil, false
		}
	}
	f := r.mem[base+int(r.off) : base+r.blockSize]
	ne := binary.NativeEndian
	*m = frameMeta{
		tsNs:     int64(ne.Uint32(f[fSec:]))*1e9 + int64(ne.Uint32(f[fNsec:])),
		status:   ne.Uint32(f[fStatus:]),
		origLen:  ne.Uint32(f[fLen:]),
		vlanTCI:  ne.Uint16(f[fVlanTCI:]),
		vlanTPID: ne.Uint16(f[fVlanTPID:]),
		protocol: binary.BigEndian.Uint16(f[sllProtocol:]),
		ifindex:  int32(ne.Uint32(f[sllIfindex:])),
		hatype:   ne.Uint16(f[sllHatype:]),
		pktType:  f[sllPkttype],
		halen:    f[sllHalen],
	}
	copy(m.addr[:], f[sllAddr:sllAddr+8])
	mac := int(ne.Uint16(f[fMac:]))
	snap := int(ne.Uint32(f[fSnaplen:]))
	if mac+snap > len(f) {
		// Never from a sane kernel; do not read past the block.
		snap = max(len(f)-mac, 0)
	}
	data := f[mac : mac+snap]
	r.off += ne.Uint32(f[fNextOffset:])
	return data, true
}

// ready says whether next has a frame to return without waiting.
func (r *ring) ready() bool {
	return r.left > 0 || atomic.LoadUint32(r.status(r.blk))&unix.TP_STATUS_USER != 0
}

// done marks the frame returned by next as read, and gives its block back
// to the kernel after its last frame.
func (r *ring) done() {
	r.left--
	if r.left == 0 {
		r.giveBack()
	}
}

func (r *ring) giveBack() {
	atomic.StoreUint32(r.status(r.blk), unix.TP_STATUS_KERNEL)
	r.left = 0
	r.blk = (r.blk + 1) % r.blockNr
}

func (r *ring) close() error {
	return unix.Munmap(r.mem)
}
