// Command relay is the "sending NIC + wire" between two tap devices, for
// making captures at both ends of a faulty path (testdata/make-compare.sh):
// the kernel on side A hands it frames as it would hand them to a NIC with
// checksum and segmentation offload (virtio-net headers: partial checksums,
// TSO super-frames); the relay finishes them as a NIC does (segments, fills
// in checksums) and writes them to side B, damaging the data segments it is
// told to, and logging the truth of what it did.
//
//	relay -a tapA -b tapB -damage 30:flip,45:badsum,... -truth truth.log
//
// Damage kinds, applied to the Nth TCP data segment going from A to B:
//
//	flip       checksum computed, then a payload bit flipped (damage on the wire)
//	badsum     checksum computed wrong (the NIC wrote a wrong checksum)
//	partial    checksum left as the partial pseudo-header sum (the NIC did not finish it)
//	predamage  a payload bit flipped before the checksum was computed (bad NIC/driver memory)
//	drop       not forwarded (lost)
//
// It prints "ready" once both taps are open, and runs until killed.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	vnetHdrLen   = 10
	vnetNeedCsum = 1
	gsoNone      = 0
	gsoTCPv4     = 1
	gsoTCPv6     = 4
	gsoECN       = 0x80
)

func openTap(name string) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	var req [unix.IFNAMSIZ + 64]byte
	copy(req[:], name)
	binary.NativeEndian.PutUint16(req[unix.IFNAMSIZ:], unix.IFF_TAP|unix.IFF_NO_PI|unix.IFF_VNET_HDR)
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETIFF, uintptr(unsafe.Pointer(&req[0]))); e != 0 {
		unix.Close(fd)
		return nil, fmt.Errorf("TUNSETIFF %s: %v", name, e)
	}
	off := uintptr(unix.TUN_F_CSUM | unix.TUN_F_TSO4 | unix.TUN_F_TSO6)
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETOFFLOAD, off); e != 0 {
		unix.Close(fd)
		return nil, fmt.Errorf("TUNSETOFFLOAD %s: %v", name, e)
	}
	return os.NewFile(uintptr(fd), name), nil
}

type damage map[int]string

func parseDamage(s string) (damage, error) {
	d := damage{}
	if s == "" {
		return d, nil
	}
	for _, item := range strings.Split(s, ",") {
		n, kind, ok := strings.Cut(item, ":")
		i, err := strconv.Atoi(n)
		if !ok || err != nil || i <= 0 {
			return nil, fmt.Errorf("bad damage item %q: want N:KIND", item)
		}
		switch kind {
		case "flip", "badsum", "partial", "predamage", "drop":
		default:
			return nil, fmt.Errorf("unknown damage kind %q", kind)
		}
		d[i] = kind
	}
	return d, nil
}

// frame is an Ethernet frame with the positions the NIC needs.
type frame struct {
	b      []byte
	ip     int // offset of the IP header
	v6     bool
	l4     int // offset of the transport header
	proto  byte
	l4Hdr  int
	csumAt int // offset of the transport checksum field, -1 if unknown
}

func parse(b []byte) (frame, bool) {
	f := frame{b: b, csumAt: -1}
	if len(b) < 14 {
		return f, false
	}
	et := binary.BigEndian.Uint16(b[12:])
	f.ip = 14
	switch et {
	case 0x0800:
		if len(b) < 34 {
			return f, false
		}
		f.l4 = f.ip + int(b[f.ip]&0xf)*4
		f.proto = b[f.ip+9]
	case 0x86dd:
		if len(b) < 54 {
			return f, false
		}
		f.v6 = true
		f.l4 = f.ip + 40
		f.proto = b[f.ip+6]
	default:
		return f, false
	}
	switch f.proto {
	case 6:
		if len(b) < f.l4+20 {
			return f, false
		}
		f.l4Hdr = int(b[f.l4+12]>>4) * 4
		f.csumAt = f.l4 + 16
	case 17:
		f.l4Hdr = 8
		f.csumAt = f.l4 + 6
	case 1, 58:
		f.l4Hdr = 8
		f.csumAt = f.l4 + 2
	}
	return f, true
}

func sum16(b []byte, s uint32) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// pseudo is the folded pseudo-header sum Linux leaves in the checksum field
// for the device (CHECKSUM_PARTIAL).
func (f *frame) pseudo() uint16 {
	b := f.b
	n := len(b) - f.l4
	var s uint32
	if f.v6 {
		s = sum16(b[f.ip+8:f.ip+40], 0)
	} else {
		s = sum16(b[f.ip+12:f.ip+20], 0)
	}
	s += uint32(f.proto) + uint32(n)
	return fold(s)
}

// finish computes the transport checksum as the NIC does: over everything
// from the transport header on, with the pseudo-header sum in the field.
func (f *frame) finish() {
	b := f.b
	binary.BigEndian.PutUint16(b[f.csumAt:], f.pseudo())
	c := ^fold(sum16(b[f.l4:], 0))
	if c == 0 && f.proto == 17 {
		c = 0xffff
	}
	binary.BigEndian.PutUint16(b[f.csumAt:], c)
}

func (f *frame) ipChecksum() {
	if f.v6 {
		return
	}
	h := f.b[f.ip:f.l4]
	binary.BigEndian.PutUint16(h[10:], 0)
	binary.BigEndian.PutUint16(h[10:], ^fold(sum16(h, 0)))
}

// segment splits a TSO super-frame as a NIC does: headers copied, IPv4 ID
// counting up, lengths, sequence numbers and flags per segment.
func segment(f frame, mss int) []frame {
	hdr := f.l4 + f.l4Hdr
	payload := f.b[hdr:]
	if mss <= 0 || len(payload) <= mss {
		return []frame{f}
	}
	var out []frame
	seq := binary.BigEndian.Uint32(f.b[f.l4+4:])
	id := binary.BigEndian.Uint16(f.b[f.ip+4:])
	flags := f.b[f.l4+13]
	for off, i := 0, 0; off < len(payload); off, i = off+mss, i+1 {
		n := min(mss, len(payload)-off)
		b := make([]byte, hdr+n)
		copy(b, f.b[:hdr])
		copy(b[hdr:], payload[off:off+n])
		s := f
		s.b = b
		if s.v6 {
			binary.BigEndian.PutUint16(b[s.ip+4:], uint16(len(b)-s.ip-40))
		} else {
			binary.BigEndian.PutUint16(b[s.ip+2:], uint16(len(b)-s.ip))
			binary.BigEndian.PutUint16(b[s.ip+4:], id+uint16(i))
		}
		binary.BigEndian.PutUint32(b[s.l4+4:], seq+uint32(off))
		fl := flags
		if off+n < len(payload) {
			fl &^= 0x09 // FIN, PSH only on the last segment
		}
		if i > 0 {
			fl &^= 0x80 // CWR only on the first
		}
		b[s.l4+13] = fl
		out = append(out, s)
	}
	return out
}

type relay struct {
	mu     sync.Mutex
	dmg    damage
	n      int // TCP data segments A→B so far
	truth  *os.File
	counts map[string]int
}

func (r *relay) forward(src, dst *os.File, damageIt bool) {
	buf := make([]byte, 70000)
	out := make([]byte, 0, 70000)
	for {
		n, err := src.Read(buf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "relay: read:", err)
			os.Exit(1)
		}
		if n < vnetHdrLen {
			continue
		}
		h := buf[:vnetHdrLen]
		flags, gso := h[0], h[1]&^gsoECN
		gsoSize := int(binary.LittleEndian.Uint16(h[4:]))
		csumStart := int(binary.LittleEndian.Uint16(h[6:]))
		csumOff := int(binary.LittleEndian.Uint16(h[8:]))
		data := append([]byte(nil), buf[vnetHdrLen:n]...)
		f, ok := parse(data)
		var segs []frame
		switch {
		case ok && f.proto == 6 && (gso == gsoTCPv4 || gso == gsoTCPv6):
			segs = segment(f, gsoSize)
			for i := range segs {
				segs[i].ipChecksum()
			}
		case ok:
			segs = []frame{f}
		default:
			segs = []frame{{b: data, csumAt: -1}}
		}
		for _, s := range segs {
			need := flags&vnetNeedCsum != 0 || gso != gsoNone
			if need && s.csumAt < 0 && csumStart+csumOff+2 <= len(s.b) {
				// Not a protocol this relay knows: do what the header says.
				c := ^fold(sum16(s.b[csumStart:], 0))
				binary.BigEndian.PutUint16(s.b[csumStart+csumOff:], c)
				need = false
			}
			kind := ""
			if damageIt && s.proto == 6 && len(s.b) > s.l4+s.l4Hdr {
				r.mu.Lock()
				r.n++
				kind = r.dmg[r.n]
				if kind != "" {
					r.log(s, kind)
				}
				r.mu.Unlock()
			}
			pay := s.l4 + s.l4Hdr
			switch kind {
			case "drop":
				continue
			case "predamage":
				s.b[pay+(len(s.b)-pay)/2] ^= 0x10
			}
			if need && s.csumAt >= 0 {
				if kind == "partial" {
					binary.BigEndian.PutUint16(s.b[s.csumAt:], s.pseudo())
				} else {
					s.finish()
				}
			}
			switch kind {
			case "flip":
				s.b[pay+(len(s.b)-pay)/3] ^= 0x04
			case "badsum":
				v := binary.BigEndian.Uint16(s.b[s.csumAt:])
				binary.BigEndian.PutUint16(s.b[s.csumAt:], v^0x5a5a)
			}
			// A plain frame to the receiving kernel: no offload flags, so
			// it verifies every checksum itself, as after a real wire.
			out = append(out[:0], make([]byte, vnetHdrLen)...)
			out = append(out, s.b...)
			if _, err := dst.Write(out); err != nil {
				fmt.Fprintln(os.Stderr, "relay: write:", err)
			}
		}
	}
}

func (r *relay) log(s frame, kind string) {
	b := s.b
	src, dst := "", ""
	if s.v6 {
		src, dst = ip6(b[s.ip+8:s.ip+24]), ip6(b[s.ip+24:s.ip+40])
	} else {
		src, dst = fmt.Sprintf("%d.%d.%d.%d", b[s.ip+12], b[s.ip+13], b[s.ip+14], b[s.ip+15]),
			fmt.Sprintf("%d.%d.%d.%d", b[s.ip+16], b[s.ip+17], b[s.ip+18], b[s.ip+19])
	}
	seq := binary.BigEndian.Uint32(b[s.l4+4:])
	n := len(b) - s.l4 - s.l4Hdr
	// The timestamp tells this copy from a retransmission of the same bytes.
	var tsval uint32
	opts := b[s.l4+20 : s.l4+s.l4Hdr]
	for i := 0; i < len(opts); {
		switch opts[i] {
		case 0:
			i = len(opts)
			continue
		case 1:
			i++
			continue
		}
		if i+1 >= len(opts) || opts[i+1] < 2 {
			break
		}
		if opts[i] == 8 && opts[i+1] == 10 && i+6 <= len(opts) {
			tsval = binary.BigEndian.Uint32(opts[i+2:])
		}
		i += int(opts[i+1])
	}
	fmt.Fprintf(r.truth, "segment=%d kind=%s src=%s sport=%d dst=%s dport=%d seq=%d len=%d tsval=%d\n", r.n, kind, src,
		binary.BigEndian.Uint16(b[s.l4:]), dst, binary.BigEndian.Uint16(b[s.l4+2:]), seq, n, tsval)
	r.truth.Sync()
}

func ip6(b []byte) string {
	var parts []string
	for i := 0; i < 16; i += 2 {
		parts = append(parts, strconv.FormatUint(uint64(binary.BigEndian.Uint16(b[i:])), 16))
	}
	return strings.Join(parts, ":")
}

func main() {
	a := flag.String("a", "", "tap device on the sending side")
	b := flag.String("b", "", "tap device on the receiving side")
	spec := flag.String("damage", "", "N:KIND,... damage the Nth TCP data segment from a to b")
	truth := flag.String("truth", "", "file to log the damage done")
	flag.Parse()
	dmg, err := parseDamage(*spec)
	if err != nil || *a == "" || *b == "" || *truth == "" {
		fmt.Fprintln(os.Stderr, "usage: relay -a TAP -b TAP -truth FILE [-damage N:KIND,...]", err)
		os.Exit(2)
	}
	ta, err := openTap(*a)
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
	tb, err := openTap(*b)
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
	tf, err := os.Create(*truth)
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
	r := &relay{dmg: dmg, truth: tf}
	go r.forward(ta, tb, true)
	go r.forward(tb, ta, false)
	fmt.Println("ready")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	tf.Close()
}
