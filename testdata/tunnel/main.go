//go:build linux

// Command tunnel is a small user-space overlay tunnel for testdata/make-captures.sh,
// for the encapsulations this kernel has no device for (Geneve, GRE with checksums).
// It bridges a tap device to a peer over IPv4, computing the outer checksum as
// Linux's own tunnel devices do (udp_set_csum and gre_build_header), so the
// captures on the underlay look like those of a kernel tunnel:
//
//   - the inner TCP/UDP checksum handed over partial (CHECKSUM_PARTIAL, the tap
//     offers TUN_F_CSUM when -offload) stays partial, and the outer UDP or GRE
//     checksum is computed with local checksum offload (LCO): as if the inner
//     checksum were already filled in;
//   - an inner packet with a complete checksum gets, with -offload, an outer UDP
//     checksum left partial for the underlay device (the folded pseudo-header
//     sum; GRE has no such form and is always complete); without -offload every
//     checksum is complete.
//
// -flip damages chosen frames after the outer checksum was computed (as if on
// the wire) and writes which to -truth, so a test can require exactly those
// frames to be called corrupt. A byte of the inner segment is flipped when its
// checksum is complete; when it is still partial no checksum covers those
// bytes (LCO makes the outer sum independent of them), so a byte of the inner
// IP header is flipped instead, which the outer checksum covers.
//
//	tunnel -tap tap0 -local 10.98.0.1 -remote 10.98.0.2 -proto geneve|gre [-offload] [-flip 3,9] [-truth FILE]
//
// Run as root inside the namespace that holds the tap device and the underlay.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"hash/fnv"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

const (
	vnetHdrLen   = 10 // struct virtio_net_hdr
	vnetNeedCsum = 1  // VIRTIO_NET_HDR_F_NEEDS_CSUM
	genevePort   = 6081
	vni          = 42
	ethBridging  = 0x6558 // transparent Ethernet bridging
)

var be = binary.BigEndian

type tunnel struct {
	tap           int
	send          int
	local, remote [4]byte
	geneve        bool
	offload       bool
	flip          map[int]bool
	truth         *os.File

	mu       sync.Mutex
	ipID     uint16
	seq      uint32
	segments int // inner TCP segments with payload sent so far
}

func main() {
	tapName := flag.String("tap", "tap0", "tap device to create and attach")
	local := flag.String("local", "", "local underlay IPv4 address")
	remote := flag.String("remote", "", "peer underlay IPv4 address")
	proto := flag.String("proto", "geneve", "geneve or gre")
	offload := flag.Bool("offload", false, "let the kernel hand over partial checksums (TUN_F_CSUM) and leave outer ones partial as an offloading underlay would")
	flip := flag.String("flip", "", "comma-separated: damage the Nth inner TCP segments with payload (1-based)")
	truth := flag.String("truth", "", "file listing the damaged frames (outer IPv4 identification)")
	flag.Parse()
	t, err := setup(*tapName, *local, *remote, *proto, *offload, *flip, *truth)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tunnel:", err)
		os.Exit(1)
	}
	errc := make(chan error, 2)
	go func() { errc <- t.fromTap() }()
	go func() { errc <- t.fromUnderlay() }()
	fmt.Fprintln(os.Stderr, "tunnel: listening on", *tapName)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
	case err := <-errc:
		fmt.Fprintln(os.Stderr, "tunnel:", err)
		os.Exit(1)
	}
	if t.truth != nil {
		t.mu.Lock()
		t.truth.Close()
		t.mu.Unlock()
	}
}

func setup(tapName, local, remote, proto string, offload bool, flip, truth string) (*tunnel, error) {
	t := &tunnel{geneve: proto == "geneve", offload: offload, flip: map[int]bool{}}
	if proto != "geneve" && proto != "gre" {
		return nil, fmt.Errorf("-proto must be geneve or gre, not %q", proto)
	}
	for i, s := range []string{local, remote} {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("need IPv4 -local and -remote, got %q", s)
		}
		if i == 0 {
			t.local = a.As4()
		} else {
			t.remote = a.As4()
		}
	}
	for _, s := range strings.Split(flip, ",") {
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-flip: %q is not a frame count", s)
		}
		t.flip[n] = true
	}
	// Each end numbers its packets from its own base, so the truth file's
	// identifications name one frame of the capture.
	t.ipID = uint16(t.local[3]) << 12
	if truth != "" {
		f, err := os.Create(truth)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(f, "# frames damaged by testdata/tunnel (%s from %s) after the outer checksum was computed\n# outer ip.id\tinner byte offset\n", proto, local)
		t.truth = f
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("/dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(tapName)
	if err != nil {
		return nil, err
	}
	ifr.SetUint16(unix.IFF_TAP | unix.IFF_NO_PI | unix.IFF_VNET_HDR)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		return nil, fmt.Errorf("TUNSETIFF %s: %w", tapName, err)
	}
	var off uintptr
	if offload {
		off = unix.TUN_F_CSUM
	}
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETOFFLOAD, off); e != 0 {
		return nil, fmt.Errorf("TUNSETOFFLOAD: %w", e)
	}
	t.tap = fd
	if t.send, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW); err != nil {
		return nil, fmt.Errorf("raw socket: %w", err)
	}
	return t, nil
}

// fromTap encapsulates every frame the bridge sends into the tap.
func (t *tunnel) fromTap() error {
	buf := make([]byte, 65536)
	for {
		n, err := unix.Read(t.tap, buf)
		if err != nil {
			return fmt.Errorf("read tap: %w", err)
		}
		if n <= vnetHdrLen {
			continue
		}
		h := buf[:vnetHdrLen]
		frame := append([]byte(nil), buf[vnetHdrLen:n]...)
		partial := -1 // offset of a partial inner checksum field
		start := 0
		if h[0]&vnetNeedCsum != 0 {
			start = int(binary.LittleEndian.Uint16(h[6:]))
			partial = start + int(binary.LittleEndian.Uint16(h[8:]))
			if partial+2 > len(frame) {
				partial = -1
			}
		}
		if err := t.encapsulate(frame, start, partial); err != nil {
			return err
		}
	}
}

func (t *tunnel) encapsulate(frame []byte, start, partial int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var hdr []byte
	if t.geneve {
		// Geneve with one OVN-style option (class 0x0102, type 0x80, 4 bytes).
		hdr = []byte{0, 0, 0, 0, 0, 0, 0, 0 /* geneve */, 0x01, 0x02, 0x80, 0x01, 0, 0, 0, 7}
		hdr[0] = 2 // option length in 4-byte words
		be.PutUint16(hdr[2:], ethBridging)
		be.PutUint32(hdr[4:], vni<<8)
		udp := make([]byte, 8)
		be.PutUint16(udp[0:], flowPort(frame))
		be.PutUint16(udp[2:], genevePort)
		be.PutUint16(udp[4:], uint16(8+len(hdr)+len(frame)))
		hdr = append(udp, hdr...)
	} else {
		// GRE with checksum, key and sequence number (C, K, S).
		t.seq++
		hdr = make([]byte, 16)
		be.PutUint16(hdr[0:], 0xb000)
		be.PutUint16(hdr[2:], ethBridging)
		be.PutUint32(hdr[8:], vni)
		be.PutUint32(hdr[12:], t.seq)
	}
	pkt := append(hdr, frame...)
	inner := len(hdr)
	if t.geneve {
		pseudo := sum(t.local[:]) + sum(t.remote[:]) + 17 + uint32(len(pkt))
		switch {
		case partial >= 0:
			// LCO: the outer sum as if the inner checksum were filled in.
			be.PutUint16(pkt[6:], nonZero(^fold(pseudo+sum(completed(pkt, inner+start, inner+partial)))))
		case t.offload:
			be.PutUint16(pkt[6:], fold(pseudo)) // left for the underlay device
		default:
			be.PutUint16(pkt[6:], nonZero(^fold(pseudo+sum(pkt))))
		}
	} else {
		if partial >= 0 {
			be.PutUint16(pkt[4:], ^fold(sum(completed(pkt, inner+start, inner+partial))))
		} else {
			be.PutUint16(pkt[4:], ^fold(sum(pkt)))
		}
	}
	if tcpPayload(frame) {
		t.segments++
		if t.flip[t.segments] {
			at := len(frame) - 1 - len(frame)/4
			if partial >= 0 {
				// With the inner checksum still partial, LCO makes the outer
				// sum independent of the inner segment's bytes: no checksum
				// covers them. Damage what the outer one does cover, the
				// inner IP header (IPv4 TTL, IPv6 flow label).
				at = 14 + 8
				if be.Uint16(frame[12:]) == 0x86dd {
					at = 14 + 3
				}
			}
			pkt[inner+at] ^= 0x5a
			if t.truth != nil {
				fmt.Fprintf(t.truth, "0x%04x\t%d\n", t.ipID, at)
			}
		}
	}
	ip := make([]byte, 20)
	ip[0] = 0x45
	be.PutUint16(ip[2:], uint16(20+len(pkt)))
	be.PutUint16(ip[4:], t.ipID)
	t.ipID++
	ip[8] = 64
	ip[9] = 17
	if !t.geneve {
		ip[9] = 47
	}
	copy(ip[12:], t.local[:])
	copy(ip[16:], t.remote[:])
	be.PutUint16(ip[10:], ^fold(sum(ip)))
	to := &unix.SockaddrInet4{Addr: t.remote}
	if err := unix.Sendto(t.send, append(ip, pkt...), 0, to); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// completed is a copy of pkt with the partial checksum at field, whose sum
// starts at start, filled in: what the device would have written.
func completed(pkt []byte, start, field int) []byte {
	c := append([]byte(nil), pkt...)
	be.PutUint16(c[field:], ^fold(sum(c[start:])))
	return c
}

// fromUnderlay decapsulates what the peer sends and hands it to the tap. A
// raw socket sees datagrams whatever their checksum; one bound to the port
// keeps the kernel from answering port unreachable.
func (t *tunnel) fromUnderlay() error {
	proto := unix.IPPROTO_GRE
	if t.geneve {
		proto = unix.IPPROTO_UDP
		u, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		if err := unix.Bind(u, &unix.SockaddrInet4{Port: genevePort, Addr: t.local}); err != nil {
			return fmt.Errorf("bind %d: %w", genevePort, err)
		}
		go func() {
			b := make([]byte, 65536)
			for {
				if _, _, err := unix.Recvfrom(u, b, 0); err != nil {
					return
				}
			}
		}()
	}
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return err
	}
	buf := make([]byte, 65536)
	for {
		n, _, err := unix.Recvfrom(s, buf, 0)
		if err != nil {
			return fmt.Errorf("receive: %w", err)
		}
		p := buf[:n]
		if n < 20 || [4]byte(p[12:16]) != t.remote {
			continue
		}
		p = p[int(p[0]&15)*4:]
		var frame []byte
		if t.geneve {
			if len(p) < 16 || be.Uint16(p[2:]) != genevePort {
				continue
			}
			g := p[8:]
			hl := 8 + int(g[0]&0x3f)*4
			if len(g) < hl {
				continue
			}
			frame = g[hl:]
		} else {
			if len(p) < 16 || be.Uint16(p[0:]) != 0xb000 {
				continue
			}
			frame = p[16:]
		}
		if err := t.deliver(frame); err != nil {
			return err
		}
	}
}

// deliver writes frame to the tap. An inner checksum still partial is
// marked so (NEEDS_CSUM), as the kernel's own decapsulation leaves it.
func (t *tunnel) deliver(frame []byte) error {
	h := make([]byte, vnetHdrLen, vnetHdrLen+len(frame))
	if start, field, ok := partialField(frame); ok {
		h[0] = vnetNeedCsum
		binary.LittleEndian.PutUint16(h[6:], uint16(start))
		binary.LittleEndian.PutUint16(h[8:], uint16(field-start))
	}
	_, err := unix.Write(t.tap, append(h, frame...))
	if err == unix.EIO || err == unix.EAGAIN {
		return nil // the tap is down or full: drop, as a device would
	}
	return err
}

// partialField finds an inner TCP/UDP checksum that holds the folded
// pseudo-header sum (left for the device), with where its sum starts.
func partialField(f []byte) (start, field int, ok bool) {
	if len(f) < 14 {
		return 0, 0, false
	}
	var pseudo uint32
	var proto byte
	var l4len int
	switch be.Uint16(f[12:]) {
	case 0x0800:
		ip := f[14:]
		if len(ip) < 20 || be.Uint16(ip[6:])&0x3fff != 0 {
			return 0, 0, false
		}
		ihl := int(ip[0]&15) * 4
		proto = ip[9]
		l4len = int(be.Uint16(ip[2:])) - ihl
		pseudo = sum(ip[12:20]) + uint32(proto) + uint32(l4len)
		start = 14 + ihl
	case 0x86dd:
		ip := f[14:]
		if len(ip) < 40 {
			return 0, 0, false
		}
		proto = ip[6]
		l4len = int(be.Uint16(ip[4:]))
		pseudo = sum(ip[8:40]) + uint32(proto) + uint32(l4len)
		start = 54
	default:
		return 0, 0, false
	}
	switch proto {
	case 6:
		field = start + 16
	case 17:
		field = start + 6
	default:
		return 0, 0, false
	}
	if field+2 > len(f) || be.Uint16(f[field:]) != fold(pseudo) {
		return 0, 0, false
	}
	return start, field, true
}

// tcpPayload reports an IPv4 or IPv6 TCP segment carrying data.
func tcpPayload(f []byte) bool {
	if len(f) < 14 {
		return false
	}
	switch be.Uint16(f[12:]) {
	case 0x0800:
		ip := f[14:]
		if len(ip) < 20 || ip[9] != 6 {
			return false
		}
		ihl := int(ip[0]&15) * 4
		return len(ip) >= ihl+20 && int(be.Uint16(ip[2:])) > ihl+int(ip[ihl+12]>>4)*4
	case 0x86dd:
		ip := f[14:]
		return len(ip) >= 60 && ip[6] == 6 && int(be.Uint16(ip[4:])) > int(ip[52]>>4)*4
	}
	return false
}

// flowPort is the outer UDP source port, a hash of the inner headers as the
// kernel's udp_flow_src_port picks it, so one flow keeps one port.
func flowPort(frame []byte) uint16 {
	h := fnv.New32a()
	n := min(len(frame), 14+20)
	h.Write(frame[:n])
	return uint16(49152 + h.Sum32()%16384)
}

func sum(b []byte) uint32 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(be.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

func nonZero(c uint16) uint16 {
	if c == 0 {
		return 0xffff
	}
	return c
}
