package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/wirelens/wirelens/decode/capfile"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// AnyDevice is the pseudo-interface that captures on every interface of the
// network namespace, as in tcpdump -i any.
const AnyDevice = "any"

const (
	// DefaultSnapLen is capfile.MaxCapLen, so every frame captured can be
	// read back by wirelens and tshark.
	DefaultSnapLen = capfile.MaxCapLen
	// DefaultBufferSize is 16 times libpcap's 2 MiB: the ring is the only
	// thing between a burst and dropped frames while the UI draws or the
	// machine is busy. A small frame takes about 144 bytes of ring, so 32
	// MiB hold some 230,000 frames: a 1-second burst at 1 Mpps is kept
	// whole as long as the reader drains at least 0.8 Mpps meanwhile (it
	// writes -w at about 0.4 µs a frame).
	DefaultBufferSize = 32 << 20
	// defaultRetire is how long a frame may wait in a partly filled ring
	// block when no Timeout is set: short enough for a live display.
	defaultRetire = 50 * time.Millisecond
)

// ErrTimeout is returned by Next and NextPacket when Options.Timeout passed
// without a frame. The handle stays usable.
var ErrTimeout = errors.New("no packet before the capture timeout")

// Options controls a capture. The zero value captures whole frames (up to
// DefaultSnapLen), not in promiscuous mode, with no filter, waiting forever.
type Options struct {
	// SnapLen cuts frames to this many bytes (the SLL2 header and a
	// re-inserted VLAN tag count); 0 or more than DefaultSnapLen means
	// DefaultSnapLen.
	SnapLen uint32
	// Promisc puts the interface in promiscuous mode for as long as the
	// handle is open (the kernel undoes it when the socket closes). It is
	// ignored on "any", as libpcap does: there is no single device to set.
	Promisc bool
	// BufferSize is the size in bytes of the kernel ring (or socket
	// receive buffer); 0 means DefaultBufferSize.
	BufferSize int
	// Filter is a classic BPF program compiled for the frames Next returns
	// (link type LinkTypeOf(ifname), see live/bpf), run by the kernel so
	// frames it rejects cost nothing and do not count in Stats. For SLL2
	// handles ("any") Open rewrites it for the header-less frames the kernel
	// filters, as libpcap does, or, when a load cannot be rewritten, runs it
	// in wirelens on each frame (rejected frames then count as Received).
	// VLAN tags the kernel stripped are seen by the kernel only through
	// BPF ancillary loads.
	Filter []bpf.RawInstruction
	// Timeout, when positive, makes Next return ErrTimeout after that long
	// without a frame; it also bounds how long a frame can wait in a partly
	// filled ring block. Zero waits until a frame arrives or Close.
	Timeout time.Duration
	// NoRing uses recvmsg instead of the memory-mapped ring: one system call
	// per frame. Open falls back to it by itself when the kernel has no
	// TPACKET_V3; the option is there to test that path.
	NoRing bool
}

// Error is what Open and Next return when the system refuses something;
// it names the interface and what failed, and wraps the errno (so
// errors.Is(err, os.ErrPermission) works).
// ErrNoInterface is why an interface that does not exist cannot be opened:
// a bad -i, not a failed capture (the command line tells them apart).
var ErrNoInterface = errors.New("no such interface (wirelens -D lists them)")

type Error struct {
	Iface string
	Op    string // what failed, as a phrase: "opening a packet socket"
	Err   error
}

func (e *Error) Error() string {
	if errors.Is(e.Err, os.ErrPermission) {
		return fmt.Sprintf("capturing on %s needs root or the capabilities cap_net_raw,cap_net_admin "+
			"(sudo setcap cap_net_raw,cap_net_admin=eip $(which wirelens)): %s: %v", e.Iface, e.Op, e.Err)
	}
	return fmt.Sprintf("capturing on %s: %s: %v", e.Iface, e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Packet is one captured frame with what the kernel said about it.
type Packet struct {
	Record capfile.Record // as capfile.Reader would return it from a file wirelens wrote
	Data   []byte         // the frame, owned by the caller
	// CsumNotReady: TP_STATUS_CSUMNOTREADY, the transport checksum was left
	// to the device (transmit offload, or CHECKSUM_PARTIAL through veth/tap):
	// the checksum field holds only the pseudo-header sum.
	CsumNotReady bool
	// CsumValid: TP_STATUS_CSUM_VALID, the device or the stack already
	// verified the checksum of this received frame.
	CsumValid bool
	PktType   uint8  // sll_pkttype: PktHost, PktOutgoing, ...
	IfIndex   int    // interface the frame was seen on (tells them apart on "any")
	Status    uint32 // raw tp_status
}

// Stats counts frames since Open.
type Stats struct {
	// Received: frames that passed the filter, including those dropped
	// (the kernel's tp_packets, what tcpdump calls "received by filter").
	Received uint64
	// Dropped: frames lost because the ring or buffer was full.
	Dropped uint64
	// Delivered: frames returned by Next/NextPacket.
	Delivered uint64
	// LoopbackDuplicates: sent copies on a loopback device that were
	// dropped because the received copy follows (they count in Received).
	LoopbackDuplicates uint64
}

// Handle is an open capture. Next and NextPacket must be called from one
// goroutine at a time; Stats and Close may be called from any goroutine, and
// Close makes a blocked Next return io.EOF.
type Handle struct {
	name     string
	ifindex  int
	linkType uint16
	cooked   bool // SOCK_DGRAM: build an SLL2 header
	loIndex  map[int32]bool
	snaplen  uint32
	timeout  time.Duration

	fd, efd int
	// pf and rc put a ring socket in the Go runtime's poller, so that a
	// wait parks the goroutine instead of blocking a thread in poll(2)
	// (which makes the runtime hand the processor to another thread on
	// every wait). pf holds a duplicate of fd.
	pf      *os.File
	rc      syscall.RawConn
	ring    *ring
	useRing bool
	rbuf    []byte // recvmsg buffer
	oob     []byte
	buf     []byte // the frame being returned by Next
	meta    frameMeta
	ufilter *userFilter // filter run here when the kernel cannot run it
	idle    func()      // SetIdle's

	mu      sync.Mutex // held by Next, and by Close while tearing down
	closing atomic.Bool
	closed  bool

	statsMu   sync.Mutex
	kRecv     uint64
	kDrop     uint64
	delivered atomic.Uint64
	loDup     atomic.Uint64
}

// Open starts capturing on the interface named ifname ("any" for all of
// them) in the calling thread's network namespace.
//
// The socket is created with protocol 0, so it receives nothing until it is
// bound; the filter and the ring are set up before that bind, so the kernel
// never queues a frame the filter would reject (the socket is drained all the
// same, as libpcap does, in case a kernel behaves otherwise).
func Open(ifname string, opt Options) (*Handle, error) {
	h := &Handle{name: ifname, fd: -1, efd: -1, snaplen: opt.SnapLen, timeout: opt.Timeout, loIndex: map[int32]bool{}}
	if h.snaplen == 0 || h.snaplen > DefaultSnapLen {
		h.snaplen = DefaultSnapLen
	}
	bufSize := opt.BufferSize
	if bufSize <= 0 {
		bufSize = DefaultBufferSize
	}
	if ifname == "" {
		return nil, errors.New("capturing: no interface name given (wirelens -D lists them)")
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, &Error{ifname, "listing interfaces", err}
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback != 0 {
			h.loIndex[int32(ifc.Index)] = true
		}
	}
	if ifname == AnyDevice {
		opt.Promisc = false
	} else {
		ifc, err := net.InterfaceByName(ifname)
		if err != nil {
			return nil, &Error{ifname, "looking up the interface", ErrNoInterface}
		}
		h.ifindex = ifc.Index
	}
	sockType, err := h.chooseLink()
	if err != nil {
		return nil, err
	}
	fd, err := unix.Socket(unix.AF_PACKET, sockType|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{ifname, "opening a packet socket", err}
	}
	h.fd = fd
	if err := h.setup(opt, bufSize); err != nil {
		h.teardown()
		return nil, err
	}
	return h, nil
}

func (h *Handle) setup(opt Options, bufSize int) error {
	prog := opt.Filter
	if len(prog) > 0 && h.cooked {
		// The filter was compiled for the SLL2 frames we return,
		// but the kernel runs it on frames with no link header.
		var ok bool
		if prog, ok = cookedFilter(prog); !ok {
			uf, err := newUserFilter(opt.Filter)
			if err != nil {
				return &Error{h.name, "setting up the capture filter", err}
			}
			h.ufilter, prog = uf, nil
		}
	}
	var lo []int32
	if h.name == AnyDevice {
		for ix := range h.loIndex {
			lo = append(lo, ix)
		}
		slices.Sort(lo)
	}
	full := skipLoopbackSent(prog, h.name != AnyDevice && h.loIndex[int32(h.ifindex)], lo)
	if len(full) > 0 {
		err := attachFilter(h.fd, full)
		if err != nil && len(full) != len(prog) {
			// The loopback prefix only saves work (read drops the
			// sent copies too); a kernel refusing it gets prog alone.
			err = nil
			if len(prog) > 0 {
				err = attachFilter(h.fd, prog)
			}
		}
		if err != nil {
			return &Error{h.name, "attaching the capture filter", err}
		}
	}
	drain(h.fd)
	if !opt.NoRing {
		r, err := newRing(h.fd, bufSize, h.snaplen, h.retire())
		if err == nil {
			h.ring, h.useRing = r, true
		} else if errors.Is(err, unix.EPERM) {
			return &Error{h.name, "setting up the receive ring", err}
		}
		// Otherwise (old kernel, no memory for the ring) recvmsg works.
	}
	if h.ring == nil {
		if err := unix.SetsockoptInt(h.fd, unix.SOL_PACKET, unix.PACKET_AUXDATA, 1); err != nil {
			return &Error{h.name, "asking for packet auxiliary data", err}
		}
		if err := unix.SetsockoptInt(h.fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			return &Error{h.name, "asking for timestamps", err}
		}
		// FORCE goes past net.core.rmem_max but needs CAP_NET_ADMIN.
		if unix.SetsockoptInt(h.fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, bufSize) != nil {
			unix.SetsockoptInt(h.fd, unix.SOL_SOCKET, unix.SO_RCVBUF, bufSize)
		}
		h.rbuf = make([]byte, h.snaplen)
		h.oob = make([]byte, 256)
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: h.ifindex}
	if err := unix.Bind(h.fd, sa); err != nil {
		return &Error{h.name, "binding the packet socket", err}
	}
	// Binding to a device that is down succeeds but leaves ENETDOWN
	// pending; libpcap reports it here rather than on the first read.
	if e, err := unix.GetsockoptInt(h.fd, unix.SOL_SOCKET, unix.SO_ERROR); err == nil && e != 0 {
		if syscall.Errno(e) == unix.ENETDOWN {
			return &Error{h.name, "binding the packet socket", errors.New("the interface is down (ip link set " + h.name + " up)")}
		}
		return &Error{h.name, "binding the packet socket", syscall.Errno(e)}
	}
	if opt.Promisc {
		mr := &unix.PacketMreq{Ifindex: int32(h.ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(h.fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, mr); err != nil {
			return &Error{h.name, "entering promiscuous mode", err}
		}
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return &Error{h.name, "creating the wake-up eventfd", err}
	}
	h.efd = efd
	// The poller gets its own descriptor of the socket (the same open
	// socket), so that if it refuses it, closing the File leaves fd alone.
	if dfd, err := unix.Dup(h.fd); h.ring != nil && err == nil {
		unix.CloseOnExec(dfd)
		// Non-blocking before NewFile: that is what makes it pollable.
		nbErr := unix.SetNonblock(dfd, true)
		pf := os.NewFile(uintptr(dfd), h.name)
		if nbErr != nil {
			pf.Close()
		} else if rc, err := pf.SyscallConn(); err == nil && pf.SetReadDeadline(time.Time{}) == nil {
			// SetReadDeadline fails unless the poller took the socket.
			h.pf, h.rc = pf, rc
		} else {
			pf.Close()
		}
	} else if err == nil {
		unix.Close(dfd)
	}
	return nil
}

// waitPoller is wait through the runtime's poller (ring sockets).
func (h *Handle) waitPoller(deadline time.Time) error {
	if err := h.pf.SetReadDeadline(deadline); err != nil {
		return &Error{h.name, "waiting for packets", err}
	}
	calls := 0
	var sockErr error
	err := h.rc.Read(func(fd uintptr) bool {
		calls++
		if h.closing.Load() || h.ring.ready() {
			return true
		}
		if calls > 1 {
			// Woken with nothing in the ring: an error on the socket
			// (the interface went away) wakes us too.
			if e, gerr := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR); gerr == nil && e != 0 {
				sockErr = h.readErr(syscall.Errno(e))
				return true
			}
		}
		return false
	})
	switch {
	case h.closing.Load():
		return io.EOF
	case sockErr != nil:
		return sockErr
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrTimeout
	case err != nil:
		return &Error{h.name, "waiting for packets", err}
	}
	return nil
}

// chooseLink sets the link type of the handle's frames and returns the
// socket type that gives them.
func (h *Handle) chooseLink() (int, error) {
	h.linkType = capfile.LinkEthernet
	if h.name == AnyDevice {
		h.cooked, h.linkType = true, capfile.LinkSLL2
		return unix.SOCK_DGRAM, nil
	}
	hatype, err := hardwareType(h.name)
	if err != nil {
		return 0, &Error{h.name, "reading the link type", err}
	}
	switch hatype {
	case unix.ARPHRD_ETHER, unix.ARPHRD_LOOPBACK:
		return unix.SOCK_RAW, nil
	case unix.ARPHRD_NONE:
		// tun devices: bare IP packets.
		h.linkType = capfile.LinkRaw
		return unix.SOCK_RAW, nil
	}
	// No link header wirelens decodes: let the kernel strip it and describe
	// the frame in SLL2, as libpcap does.
	h.cooked, h.linkType = true, capfile.LinkSLL2
	return unix.SOCK_DGRAM, nil
}

// LinkTypeOf is the LINKTYPE_* the frames of Open(ifname) will have: what a
// capture filter must be compiled for (bpf.Compile) before Open.
func LinkTypeOf(ifname string) (uint16, error) {
	h := &Handle{name: ifname}
	if ifname != AnyDevice {
		if _, err := net.InterfaceByName(ifname); err != nil {
			return 0, &Error{ifname, "looking up the interface", ErrNoInterface}
		}
	}
	if _, err := h.chooseLink(); err != nil {
		return 0, err
	}
	return h.linkType, nil
}

func (h *Handle) retire() time.Duration {
	if h.timeout > 0 {
		return min(h.timeout, time.Second)
	}
	return defaultRetire
}

// hardwareType asks the kernel for the interface's ARPHRD_* type through
// SIOCGIFHWADDR on a throwaway socket, which needs no privilege.
func hardwareType(ifname string) (uint16, error) {
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(s)
	ifr, err := unix.NewIfreq(ifname)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(s, unix.SIOCGIFHWADDR, ifr); err != nil {
		return 0, err
	}
	// ifr_hwaddr is a sockaddr whose family is the ARPHRD type.
	return ifr.Uint16(), nil
}

func attachFilter(fd int, prog []bpf.RawInstruction) error {
	if len(prog) > 0xffff {
		return fmt.Errorf("the filter has %d instructions, more than the kernel's 65535", len(prog))
	}
	ins := make([]unix.SockFilter, len(prog))
	for i, r := range prog {
		ins[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER,
		&unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]})
}

// drain throws away frames queued before the filter was attached.
func drain(fd int) {
	var b [1]byte
	for {
		if _, _, err := unix.Recvfrom(fd, b[:], unix.MSG_DONTWAIT|unix.MSG_TRUNC); err != nil {
			return
		}
	}
}

func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

// Name is the interface name given to Open.
func (h *Handle) Name() string { return h.name }

// LinkType is the LINKTYPE_* of every frame of this handle.
func (h *Handle) LinkType() uint16 { return h.linkType }

// UsesRing reports whether frames come from the memory-mapped ring (false:
// recvmsg).
func (h *Handle) UsesRing() bool { return h.useRing }

// Interface describes the handle as a pcapng interface, ready for
// Writer.AddInterface.
func (h *Handle) Interface() capfile.Interface {
	return capfile.Interface{Name: h.name, LinkType: h.linkType, SnapLen: h.snaplen, TSResol: 9, TSResolNs: 1, FCSLen: -1}
}

// Next returns the next frame in the shape capfile.Reader.Next gives; the
// bytes stay valid until the next call. It returns io.EOF once the handle is
// closed and ErrTimeout when Options.Timeout passed without a frame.
func (h *Handle) Next() (capfile.Record, []byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.read(); err != nil {
		return capfile.Record{}, nil, err
	}
	return record(&h.meta, h.linkType, uint32(len(h.buf)), h.origLen()), h.buf, nil
}

// NextPacket returns the next frame with its checksum status and packet
// type; unlike Next, the Packet and its Data belong to the caller.
func (h *Handle) NextPacket() (*Packet, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.read(); err != nil {
		return nil, err
	}
	m := &h.meta
	return &Packet{
		Record:       record(m, h.linkType, uint32(len(h.buf)), h.origLen()),
		Data:         append([]byte(nil), h.buf...),
		CsumNotReady: m.status&unix.TP_STATUS_CSUMNOTREADY != 0,
		CsumValid:    m.status&unix.TP_STATUS_CSUM_VALID != 0,
		PktType:      m.pktType,
		IfIndex:      int(m.ifindex),
		Status:       m.status,
	}, nil
}

func (h *Handle) origLen() uint32 { return h.meta.origLen }

// read waits for the next frame worth returning and leaves it in h.meta and
// h.buf (h.meta.origLen becomes the final length on the wire).
func (h *Handle) read() error {
	if h.closed || h.closing.Load() {
		return io.EOF
	}
	var deadline time.Time
	if h.timeout > 0 {
		deadline = time.Now().Add(h.timeout)
	}
	for {
		if h.closing.Load() {
			return io.EOF
		}
		frame, ok, err := h.fetch()
		if err != nil {
			return err
		}
		if ok {
			m := &h.meta
			// A loopback device hands every frame to packet sockets
			// twice: as sent, then as received. Keep the received copy
			// (it has the same bytes and checksum status).
			if m.pktType == PktOutgoing && h.loIndex[m.ifindex] {
				h.release()
				h.loDup.Add(1)
				continue
			}
			var orig uint32
			h.buf, orig = buildFrame(h.buf, m, frame, h.cooked, h.snaplen)
			m.origLen = orig
			h.release()
			if h.ufilter != nil {
				n := h.ufilter.keep(h.buf)
				if n == 0 {
					continue
				}
				h.buf = h.buf[:n]
			}
			h.delivered.Add(1)
			return nil
		}
		if h.idle != nil {
			h.idle()
		}
		if err := h.wait(deadline); err != nil {
			return err
		}
	}
}

// SetIdle makes Next and NextPacket call fn each time they have no frame to
// return and are about to wait for one: the moment to write out what is
// buffered. Flushing there, rather than on a timer, writes a burst in large
// blocks and a lone frame as soon as it is read, and keeps the process from
// waking when nothing arrives (each system call made after a wait also
// wakes the Go runtime's monitor thread for a while, a cost per wait
// rather than per write). fn runs in the goroutine calling Next, which
// holds the handle meanwhile; set it before the first Next.
func (h *Handle) SetIdle(fn func()) { h.idle = fn }

// fetch gets the next frame already available, without waiting.
func (h *Handle) fetch() ([]byte, bool, error) {
	if h.ring != nil {
		f, ok := h.ring.next(&h.meta)
		return f, ok, nil
	}
	return h.recv()
}

// release gives the ring slot of the frame just read back to the kernel.
func (h *Handle) release() {
	if h.ring != nil {
		h.ring.done()
	}
}

func (h *Handle) recv() ([]byte, bool, error) {
	for {
		n, oobn, _, from, err := unix.Recvmsg(h.fd, h.rbuf, h.oob, unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return nil, false, nil
		case err != nil:
			return nil, false, h.readErr(err)
		}
		m := &h.meta
		*m = frameMeta{origLen: uint32(n)}
		if sa, ok := from.(*unix.SockaddrLinklayer); ok {
			m.protocol = htons(sa.Protocol) // stored as it is in memory: network order
			m.ifindex = int32(sa.Ifindex)
			m.hatype = sa.Hatype
			m.pktType = sa.Pkttype
			m.halen = sa.Halen
			m.addr = sa.Addr
		}
		msgs, _ := unix.ParseSocketControlMessage(h.oob[:oobn])
		for _, c := range msgs {
			switch {
			case c.Header.Level == unix.SOL_PACKET && c.Header.Type == unix.PACKET_AUXDATA && len(c.Data) >= int(unsafe.Sizeof(unix.TpacketAuxdata{})):
				aux := (*unix.TpacketAuxdata)(unsafe.Pointer(&c.Data[0]))
				m.status = aux.Status
				m.origLen = aux.Len
				m.vlanTCI = aux.Vlan_tci
				m.vlanTPID = aux.Vlan_tpid
			case c.Header.Level == unix.SOL_SOCKET && c.Header.Type == unix.SCM_TIMESTAMPNS && len(c.Data) >= int(unsafe.Sizeof(unix.Timespec{})):
				ts := (*unix.Timespec)(unsafe.Pointer(&c.Data[0]))
				m.tsNs = ts.Nano()
			}
		}
		if m.tsNs == 0 {
			m.tsNs = time.Now().UnixNano()
		}
		return h.rbuf[:min(n, len(h.rbuf))], true, nil
	}
}

// wait blocks until the socket has something, Close is called, or the
// deadline passes.
func (h *Handle) wait(deadline time.Time) error {
	if h.pf != nil {
		return h.waitPoller(deadline)
	}
	for {
		ms := -1
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return ErrTimeout
			}
			ms = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		fds := []unix.PollFd{{Fd: int32(h.fd), Events: unix.POLLIN | unix.POLLERR}, {Fd: int32(h.efd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &Error{h.name, "waiting for packets", err}
		}
		if n == 0 {
			continue // deadline check at the top
		}
		if fds[1].Revents != 0 || h.closing.Load() {
			return io.EOF
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 {
			e, gerr := unix.GetsockoptInt(h.fd, unix.SOL_SOCKET, unix.SO_ERROR)
			if gerr == nil && e != 0 {
				return h.readErr(syscall.Errno(e))
			}
		}
		return nil
	}
}

func (h *Handle) readErr(err error) error {
	if err == unix.ENETDOWN || err == unix.ENODEV || err == unix.ENXIO {
		return &Error{h.name, "reading packets", fmt.Errorf("the interface went down or was removed (%w)", err)}
	}
	return &Error{h.name, "reading packets", err}
}

// Stats returns the counters since Open. The kernel resets its counters on
// each read, so they are accumulated here.
func (h *Handle) Stats() (Stats, error) {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	var err error
	if h.fd >= 0 && !h.closing.Load() {
		err = h.pollStatsLocked()
	}
	return Stats{Received: h.kRecv, Dropped: h.kDrop, Delivered: h.delivered.Load(), LoopbackDuplicates: h.loDup.Load()}, err
}

func (h *Handle) pollStatsLocked() error {
	if h.ring != nil {
		st, err := unix.GetsockoptTpacketStatsV3(h.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
		if err != nil {
			return &Error{h.name, "reading packet statistics", err}
		}
		h.kRecv += uint64(st.Packets)
		h.kDrop += uint64(st.Drops)
		return nil
	}
	st, err := unix.GetsockoptTpacketStats(h.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		return &Error{h.name, "reading packet statistics", err}
	}
	h.kRecv += uint64(st.Packets)
	h.kDrop += uint64(st.Drops)
	return nil
}

// Close stops the capture; a Next blocked in another goroutine returns
// io.EOF. The final counters stay available from Stats.
func (h *Handle) Close() error {
	if h.closing.Swap(true) {
		return nil
	}
	h.statsMu.Lock()
	if h.fd >= 0 {
		h.pollStatsLocked()
	}
	h.statsMu.Unlock()
	if h.efd >= 0 {
		var one [8]byte
		binary.NativeEndian.PutUint64(one[:], 1)
		unix.Write(h.efd, one[:])
	}
	if h.pf != nil {
		h.pf.SetReadDeadline(time.Unix(1, 0)) // wakes a waiter at once
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.teardown()
}

func (h *Handle) teardown() error {
	h.closed = true
	var first error
	if h.ring != nil {
		first = h.ring.close()
		h.ring = nil
	}
	// Stats may be reading the socket from another goroutine.
	h.statsMu.Lock()
	if h.pf != nil {
		h.pf.Close()
		h.pf = nil
	}
	if h.fd >= 0 {
		if err := unix.Close(h.fd); err != nil && first == nil {
			first = err
		}
		h.fd = -1
	}
	h.statsMu.Unlock()
	if h.efd >= 0 {
		unix.Close(h.efd)
		h.efd = -1
	}
	if first != nil {
		return &Error{h.name, "closing", first}
	}
	return nil
}
