package live

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// modes runs a test over the ring and over recvmsg.
func modes(t *testing.T, fn func(t *testing.T, opt Options)) {
	t.Run("ring", func(t *testing.T) { fn(t, Options{}) })
	t.Run("recvmsg", func(t *testing.T) { fn(t, Options{NoRing: true}) })
}

// echoes counts ICMP echo requests and replies by sequence number and
// direction.
func echoes(t *testing.T, pkts []*Packet) (req, rep map[int]capfile.Direction) {
	t.Helper()
	req, rep = map[int]capfile.Direction{}, map[int]capfile.Direction{}
	for _, p := range pkts {
		ip, ok := parseIPv4(p.Record.LinkType, p.Data)
		if !ok {
			continue
		}
		typ, seq, ok := ip.icmpEcho()
		if !ok {
			continue
		}
		m := req
		if typ == 0 {
			m = rep
		}
		if _, dup := m[seq]; dup {
			t.Errorf("ICMP type %d seq %d seen twice", typ, seq)
		}
		m[seq] = p.Record.Direction
	}
	return req, rep
}

func TestLiveLoopback(t *testing.T) {
	needLive(t, "ping")
	modes(t, func(t *testing.T, opt Options) {
		script := trafficScript(t)
		ns := newNetns(t)
		h := openIn(t, ns, "lo", opt)
		if h.UsesRing() == opt.NoRing {
			t.Fatalf("UsesRing = %v with NoRing %v", h.UsesRing(), opt.NoRing)
		}
		c := collect(h)
		nsRun(t, ns, "ping", "-c", "3", "-i", "0.2", "127.0.0.1")
		tcpTransfer(t, script, ns, ns, "127.0.0.1", "5001", 100000)
		pkts, st := c.stop(t)

		req, rep := echoes(t, pkts)
		if len(req) != 3 || len(rep) != 3 {
			t.Fatalf("saw %d echo requests and %d replies, want 3 and 3 (each once)", len(req), len(rep))
		}
		var tcp, notReady int
		for _, p := range pkts {
			if p.Record.LinkType != capfile.LinkEthernet || !bytes.Equal(p.Data[:12], make([]byte, 12)) {
				t.Fatalf("lo frame is not Ethernet with zero MACs: % x", p.Data[:14])
			}
			if p.Record.Direction != capfile.DirInbound || p.PktType != PktHost {
				t.Fatalf("lo frame with direction %v, packet type %d: the sent copy was not dropped", p.Record.Direction, p.PktType)
			}
			if ip, ok := parseIPv4(p.Record.LinkType, p.Data); ok && ip.proto == 6 {
				tcp++
				if p.CsumNotReady {
					notReady++
				}
			}
		}
		// lo has tx checksumming on: TCP checksums are never filled in.
		if tcp == 0 || notReady != tcp {
			t.Fatalf("%d of %d TCP frames on lo had CSUMNOTREADY", notReady, tcp)
		}
		// The kernel filter rejects the sent copies: they neither reach
		// the ring nor count as received.
		if st.Delivered != uint64(len(pkts)) || st.LoopbackDuplicates != 0 || st.Received != st.Delivered || st.Dropped != 0 {
			t.Fatalf("stats %+v with %d packets read", st, len(pkts))
		}
		t.Logf("lo: %d frames (%d TCP, all CSUMNOTREADY), stats %+v", len(pkts), tcp, st)
	})
}

func TestLiveVeth(t *testing.T) {
	needLive(t, "ping", "ethtool")
	modes(t, func(t *testing.T, opt Options) {
		script := trafficScript(t)
		v := newVeth(t)
		// Sent TCP frames on A's side, with the checksum status the kernel gave.
		sentTCP := func(pkts []*Packet) (n, notReady, goodSum int) {
			for _, p := range pkts {
				ip, ok := parseIPv4(p.Record.LinkType, p.Data)
				if !ok || ip.proto != 6 || p.Record.Direction != capfile.DirOutbound {
					continue
				}
				n++
				if p.CsumNotReady {
					notReady++
				}
				if ip.transportChecksumOK() {
					goodSum++
				}
			}
			return
		}

		h := openIn(t, v.nsA, v.ifA, opt)
		c := collect(h)
		nsRun(t, v.nsA, "ping", "-c", "3", "-i", "0.2", v.ipB)
		tcpTransfer(t, script, v.nsB, v.nsA, v.ipB, "5002", 200000)
		pkts, st := c.stop(t)
		req, rep := echoes(t, pkts)
		if len(req) != 3 || len(rep) != 3 {
			t.Fatalf("saw %d echo requests and %d replies, want 3 and 3", len(req), len(rep))
		}
		for seq, d := range req {
			if d != capfile.DirOutbound || rep[seq] != capfile.DirInbound {
				t.Fatalf("echo %d: request %v, reply %v; want Outbound, Inbound", seq, d, rep[seq])
			}
		}
		n, notReady, _ := sentTCP(pkts)
		if n == 0 || notReady != n {
			t.Fatalf("tx checksumming on: %d of %d sent TCP frames had CSUMNOTREADY, want all", notReady, n)
		}
		// B also offloads: its frames cross the veth with the checksum
		// still partial, the "received through veth" case.
		var inTCP, inNotReady int
		for _, p := range pkts {
			if ip, ok := parseIPv4(p.Record.LinkType, p.Data); ok && ip.proto == 6 && p.Record.Direction == capfile.DirInbound {
				inTCP++
				if p.CsumNotReady {
					inNotReady++
				}
			}
		}
		t.Logf("tx on: %d frames, %d sent TCP all CSUMNOTREADY; received TCP %d, %d CSUMNOTREADY; stats %+v", len(pkts), n, inTCP, inNotReady, st)

		nsRun(t, v.nsA, "ethtool", "-K", v.ifA, "tx", "off")
		h = openIn(t, v.nsA, v.ifA, opt)
		c = collect(h)
		tcpTransfer(t, script, v.nsB, v.nsA, v.ipB, "5003", 200000)
		pkts, _ = c.stop(t)
		n, notReady, good := sentTCP(pkts)
		if n == 0 || notReady != 0 || good != n {
			t.Fatalf("tx checksumming off: %d sent TCP frames, %d CSUMNOTREADY (want 0), %d with a correct checksum (want all)", n, notReady, good)
		}
		t.Logf("tx off: %d sent TCP frames, none CSUMNOTREADY, all checksums correct", n)
	})
}

// udpOnly is "ip proto udp" by hand: EtherType IPv4 and protocol 17.
func udpOnly(t testing.TB) []bpf.RawInstruction {
	t.Helper()
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 12, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x0800, SkipFalse: 3},
		bpf.LoadAbsolute{Off: 23, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 17, SkipFalse: 1},
		bpf.RetConstant{Val: 262144},
		bpf.RetConstant{Val: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func TestLiveFilter(t *testing.T) {
	needLive(t, "ping")
	modes(t, func(t *testing.T, opt Options) {
		script := trafficScript(t)
		v := newVeth(t)
		all := collect(openIn(t, v.nsA, v.ifA, opt))
		opt.Filter = udpOnly(t)
		udp := collect(openIn(t, v.nsA, v.ifA, opt))
		nsRun(t, v.nsA, "ping", "-c", "5", "-i", "0.2", v.ipB)
		nsRun(t, v.nsA, "python3", script, "udp", v.ipB, "5004", "10")
		allPkts, allSt := all.stop(t)
		udpPkts, udpSt := udp.stop(t)
		for _, p := range udpPkts {
			if ip, ok := parseIPv4(p.Record.LinkType, p.Data); !ok || ip.proto != 17 {
				t.Fatalf("the UDP filter let through % x", p.Data)
			}
		}
		// Nobody listens on B: each datagram draws an ICMP port unreachable,
		// which carries a UDP header but is not UDP.
		if len(udpPkts) != 10 || udpSt.Received != 10 {
			t.Fatalf("filtered capture: %d packets, stats %+v; want 10 datagrams", len(udpPkts), udpSt)
		}
		// The unreachables are rate-limited, so only a lower bound.
		if allSt.Received < 21 || len(allPkts) != int(allSt.Received) {
			t.Fatalf("unfiltered capture: %d packets, stats %+v; want 5 pings, 5 replies, 10 datagrams and some unreachables", len(allPkts), allSt)
		}
		t.Logf("filter applied in the kernel: received %d with the UDP filter, %d without", udpSt.Received, allSt.Received)
	})
}

func TestLiveAny(t *testing.T) {
	needLive(t, "ping")
	modes(t, func(t *testing.T, opt Options) {
		v := newVeth(t)
		var ifA *net.Interface
		if err := inNetns(v.nsA, func() (err error) { ifA, err = net.InterfaceByName(v.ifA); return err }); err != nil {
			t.Fatal(err)
		}
		opt.Promisc = true // ignored on any
		h := openIn(t, v.nsA, AnyDevice, opt)
		if h.LinkType() != capfile.LinkSLL2 {
			t.Fatalf("link type %d", h.LinkType())
		}
		c := collect(h)
		nsRun(t, v.nsA, "ping", "-c", "2", "-i", "0.2", v.ipB)
		nsRun(t, v.nsA, "ping", "-c", "2", "-i", "0.2", "127.0.0.1")
		pkts, st := c.stop(t)
		var veth, lo int
		for _, p := range pkts {
			ip, ok := parseIPv4(p.Record.LinkType, p.Data)
			if !ok || ip.proto != 1 {
				continue
			}
			d := p.Data
			ifindex := int(uint32(d[4])<<24 | uint32(d[5])<<16 | uint32(d[6])<<8 | uint32(d[7]))
			if ifindex != p.IfIndex || d[10] != p.PktType || d[2] != 0 || d[3] != 0 {
				t.Fatalf("SLL2 header % x does not match ifindex %d type %d", d[:20], p.IfIndex, p.PktType)
			}
			if ip.dst.String() == "127.0.0.1" {
				lo++
				if p.PktType != PktHost || d[8] != 0x03 || d[9] != 0x04 { // ARPHRD_LOOPBACK 772
					t.Fatalf("lo frame: % x", d[:20])
				}
				continue
			}
			veth++
			want := PktHost
			if ip.src.String() == v.ipA {
				want = PktOutgoing
			}
			if p.IfIndex != ifA.Index || p.PktType != want || d[9] != 1 || d[11] != 6 || p.Record.Direction != DirectionOf(want) {
				t.Fatalf("veth frame from %v: SLL2 % x, direction %v", ip.src, d[:20], p.Record.Direction)
			}
			if want == PktOutgoing && !bytes.Equal(d[12:18], ifA.HardwareAddr) {
				t.Fatalf("sent frame: address % x, want %v", d[12:18], ifA.HardwareAddr)
			}
		}
		if veth != 4 || lo != 4 {
			t.Fatalf("any: %d ICMP frames on the veth (want 4), %d on lo (want 4, each once); stats %+v", veth, lo, st)
		}
		// The sent lo copies are rejected by the kernel filter (sent
		// veth frames are kept), so none reaches read.
		if st.LoopbackDuplicates != 0 {
			t.Fatalf("any: %d sent lo copies reached read: the kernel filter let them through", st.LoopbackDuplicates)
		}
	})
}

// TestLiveVLAN sends 802.1Q-tagged frames into one end of a veth pair: the
// receiving kernel strips the tag into the packet metadata (with or without
// the 8021q module), and the capture must put it back byte for byte.
func TestLiveVLAN(t *testing.T) {
	needLive(t)
	modes(t, func(t *testing.T, opt Options) {
		v := newVeth(t)
		var ifB *net.Interface
		if err := inNetns(v.nsB, func() (err error) { ifB, err = net.InterfaceByName(v.ifB); return err }); err != nil {
			t.Fatal(err)
		}
		frame := []byte{
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a,
			0x81, 0x00, 0x20, 0x0a, // PCP 1, VID 10
			0x08, 0x00,
			0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 232, 0, 1, 10, 232, 0, 2, // IPv4, UDP
			0x30, 0x39, 0x30, 0x39, 0, 8, 0, 0, // UDP header, no checksum
		}
		frame = append(frame, make([]byte, 60-len(frame))...) // veth does not pad: keep it a minimum-size frame
		onB := collect(openIn(t, v.nsB, v.ifB, opt))
		anyB := collect(openIn(t, v.nsB, AnyDevice, opt))
		err := inNetns(v.nsA, func() error {
			fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				return err
			}
			defer unix.Close(fd)
			ifA, err := net.InterfaceByName(v.ifA)
			if err != nil {
				return err
			}
			for i := 0; i < 3; i++ {
				if err := unix.Sendto(fd, frame, 0, &unix.SockaddrLinklayer{Ifindex: ifA.Index, Halen: 6, Addr: [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		pkts, _ := onB.stop(t)
		anyPkts, _ := anyB.stop(t)
		var n, stripped int
		for _, p := range pkts {
			if ip, ok := parseIPv4(p.Record.LinkType, p.Data); ok && ip.vlan == 10 {
				n++
				if !bytes.Equal(p.Data, frame) || p.Record.OrigLen != uint32(len(frame)) || p.PktType != PktBroadcast {
					t.Fatalf("got  % x (orig %d, type %d)\nsent % x", p.Data, p.Record.OrigLen, p.PktType, frame)
				}
				if p.Status&unix.TP_STATUS_VLAN_VALID != 0 {
					stripped++
				}
			}
		}
		if n != 3 || stripped != 3 {
			t.Fatalf("%s: %d tagged frames (want 3), %d of them stripped by the kernel (want 3)", v.ifB, n, stripped)
		}
		n = 0
		for _, p := range anyPkts {
			if ip, ok := parseIPv4(p.Record.LinkType, p.Data); ok && ip.vlan == 10 {
				n++
				d := p.Data
				if !bytes.Equal(d[:2], []byte{0x81, 0}) || !bytes.Equal(d[20:], frame[14:]) || p.IfIndex != ifB.Index ||
					!bytes.Equal(d[12:18], frame[6:12]) || p.Record.OrigLen != uint32(20+len(frame)-14) {
					t.Fatalf("any: got % x (orig %d)", d, p.Record.OrigLen)
				}
			}
		}
		if n != 3 {
			t.Fatalf("any: %d tagged frames, want 3", n)
		}
		t.Logf("3 tagged frames stripped by the kernel and re-tagged, on %s and on any", v.ifB)
	})
}

func TestLiveInterfaces(t *testing.T) {
	needLive(t, "ethtool")
	v := newVeth(t)
	check := func() IfaceInfo {
		var ifs []IfaceInfo
		if err := inNetns(v.nsA, func() (err error) { ifs, err = Interfaces(); return err }); err != nil {
			t.Fatal(err)
		}
		for _, i := range ifs {
			want := ethtoolK(t, v.nsA, i.Name)
			if want != nil && *want != i.Offloads {
				t.Fatalf("%s: Interfaces says %v, ethtool -k says %v", i.Name, i.Offloads, *want)
			}
		}
		for _, i := range ifs {
			if i.Name == v.ifA {
				return i
			}
		}
		t.Fatalf("%s not in %+v", v.ifA, ifs)
		return IfaceInfo{}
	}
	i := check()
	if !i.Up || i.MTU != 1500 || len(i.Addrs) != 1 || i.Addrs[0].String() != v.ipA+"/24" || i.Loopback {
		t.Fatalf("%+v", i)
	}
	// veth defaults, as the notes say: tx checksum, TSO, GSO on; GRO off.
	if !i.Offloads.TxChecksum || !i.Offloads.TSO || !i.Offloads.GSO || i.Offloads.GRO {
		t.Fatalf("veth offloads: %v", i.Offloads)
	}
	t.Logf("%s: %v", i.Name, i.Offloads)
	nsRun(t, v.nsA, "ethtool", "-K", v.ifA, "tx", "off", "gro", "on")
	i = check()
	if i.Offloads.TxChecksum || !i.Offloads.GRO {
		t.Fatalf("after ethtool -K tx off gro on: %v", i.Offloads)
	}
	t.Logf("%s after ethtool -K tx off gro on: %v", i.Name, i.Offloads)
}

func TestLiveErrors(t *testing.T) {
	needLive(t)
	v := newVeth(t)
	run(t, "ip", "-n", v.nsA, "link", "add", "wlC", "type", "veth", "peer", "name", "wlD")
	err := inNetns(v.nsA, func() error { _, err := Open("wlD", Options{}); return err })
	if err == nil || !strings.Contains(err.Error(), "capturing on wlD") || !strings.Contains(err.Error(), "is down") {
		t.Fatalf("down interface: %v", err)
	}
	h := openIn(t, v.nsA, v.ifA, Options{})
	errc := make(chan error, 1)
	go func() {
		for {
			if _, _, err := h.Next(); err != nil {
				errc <- err
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	run(t, "ip", "-n", v.nsA, "link", "del", v.ifA)
	select {
	case err := <-errc:
		if !strings.Contains(err.Error(), "capturing on "+v.ifA) || !strings.Contains(err.Error(), "went down") {
			t.Fatalf("interface removed: %v", err)
		}
		t.Logf("interface removed: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not notice the interface was removed")
	}
	// Timeout: no traffic on a fresh lo.
	h = openIn(t, newNetns(t), "lo", Options{Timeout: 100 * time.Millisecond})
	start := time.Now()
	if _, err := h.NextPacket(); !errors.Is(err, ErrTimeout) || time.Since(start) > time.Second {
		t.Fatalf("Timeout: %v after %v", err, time.Since(start))
	}
}

// testBinary copies the test binary where an unprivileged user can run it
// (go test builds it in a directory only root can enter).
func testBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "live.test")
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLivePrivileges runs TestPrivilegeChild twice in a namespace: as
// nobody (Open must say what is missing) and as root started by sudo
// (DropPrivileges must leave a working capture and no power to open another).
func TestLivePrivileges(t *testing.T) {
	needLive(t)
	ns := newNetns(t)
	bin := testBinary(t)
	for _, mode := range []string{"unprivileged", "sudo"} {
		var cmd *exec.Cmd
		if mode == "unprivileged" {
			cmd = nsCmd(ns, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-test.run=^TestPrivilegeChild$", "-test.v")
		} else {
			cmd = nsCmd(ns, bin, "-test.run=^TestPrivilegeChild$", "-test.v")
		}
		cmd.Env = append(os.Environ(), "WIRELENS_PRIV_CHILD="+mode, "SUDO_UID=65534", "SUDO_GID=65534")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestPrivilegeChild") {
			t.Fatalf("%s child: %v\n%s", mode, err, out)
		}
		t.Logf("%s child:\n%s", mode, out)
	}
}

func TestPrivilegeChild(t *testing.T) {
	mode := os.Getenv("WIRELENS_PRIV_CHILD")
	switch mode {
	case "":
		t.Skip("run by TestLivePrivileges")
	case "unprivileged":
		_, err := Open("lo", Options{})
		want := "capturing on lo needs root or the capabilities cap_net_raw,cap_net_admin (sudo setcap cap_net_raw,cap_net_admin=eip $(which wirelens))"
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, os.ErrPermission) {
			t.Fatalf("Open as uid %d: %v", os.Getuid(), err)
		}
		t.Logf("as uid %d: %v", os.Getuid(), err)
		return
	}
	h, err := Open("lo", Options{Filter: udpOnly(t), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	uid, err := DropPrivileges()
	if err != nil || uid != 65534 || os.Getuid() != 65534 || os.Geteuid() != 65534 || os.Getegid() != 65534 {
		t.Fatalf("DropPrivileges = %d, %v; now uid %d euid %d egid %d", uid, err, os.Getuid(), os.Geteuid(), os.Getegid())
	}
	if gs, _ := os.Getgroups(); len(gs) != 1 || gs[0] != 65534 {
		t.Fatalf("groups after dropping: %v", gs)
	}
	if _, err := Open("lo", Options{}); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("opening another capture after dropping privileges: %v", err)
	}
	conn, err := net.Dial("udp", "127.0.0.1:5005")
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("after the drop"))
	conn.Close()
	p, err := h.NextPacket()
	if err != nil || !bytes.HasSuffix(p.Data, []byte("after the drop")) {
		t.Fatalf("capture after dropping privileges: %v", err)
	}
	t.Logf("running as uid %d, still capturing: %d bytes", os.Getuid(), len(p.Data))
}

// sll2UDP is "udp" for SLL2 frames; with halen it also tests the SLL2
// address length, which only a user-space filter can see.
func sll2UDP(t testing.TB, halen bool) []bpf.RawInstruction {
	t.Helper()
	ins := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x0800, SkipFalse: 3},
		bpf.LoadAbsolute{Off: 29, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 17, SkipFalse: 1},
		bpf.RetConstant{Val: 262144},
		bpf.RetConstant{Val: 0},
	}
	if halen {
		ins = append([]bpf.Instruction{
			bpf.LoadAbsolute{Off: 11, Size: 1},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: 6, SkipFalse: 5},
		}, ins...)
	}
	prog, err := bpf.Assemble(ins)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func TestLiveFilterAny(t *testing.T) {
	needLive(t, "ping")
	modes(t, func(t *testing.T, opt Options) {
		script := trafficScript(t)
		v := newVeth(t)
		if lt, err := LinkTypeOf(AnyDevice); err != nil || lt != capfile.LinkSLL2 {
			t.Fatalf("LinkTypeOf(any) = %d, %v", lt, err)
		}
		opt.Filter = sll2UDP(t, false)
		hk := openIn(t, v.nsA, AnyDevice, opt)
		opt.Filter = sll2UDP(t, true)
		hu := openIn(t, v.nsA, AnyDevice, opt)
		if hk.ufilter != nil || hu.ufilter == nil {
			t.Fatal("filter placement: want the first in the kernel, the second in user space")
		}
		kernel, user := collect(hk), collect(hu)
		nsRun(t, v.nsA, "ping", "-c", "3", "-i", "0.2", v.ipB)
		nsRun(t, v.nsA, "python3", script, "udp", v.ipB, "5009", "10")
		kp, kst := kernel.stop(t)
		up, ust := user.stop(t)
		for _, ps := range [][]*Packet{kp, up} {
			for _, p := range ps {
				if ip, ok := parseIPv4(p.Record.LinkType, p.Data); !ok || ip.proto != 17 {
					t.Fatalf("the UDP filter let through % x", p.Data)
				}
			}
		}
		if len(kp) != 10 || kst.Received != 10 || len(up) != 10 || ust.Received <= 20 {
			t.Fatalf("kernel filter: %d packets, %+v; user-space filter: %d packets, %+v", len(kp), kst, len(up), ust)
		}
		t.Logf("any: kernel filter received %d, user-space filter received %d and kept %d", kst.Received, ust.Received, len(up))
	})
}

// TestLiveCloseWakesNext: a Next waiting for traffic that never comes (the
// goroutine parked in the runtime's poller, no timeout) returns io.EOF as
// soon as another goroutine closes the handle.
func TestLiveCloseWakesNext(t *testing.T) {
	h := openIn(t, newNetns(t), "lo", Options{})
	got := make(chan error, 1)
	go func() {
		_, _, err := h.Next()
		got <- err
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	h.Close()
	select {
	case err := <-got:
		if !errors.Is(err, io.EOF) {
			t.Fatalf("Next after Close: %v, want io.EOF", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("Next took %v to see Close", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Next still blocked 3 s after Close")
	}
}
