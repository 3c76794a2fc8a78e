package live

import (
	"bytes"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

func TestEPBFlags(t *testing.T) {
	for _, c := range []struct {
		pt   uint8
		want uint32
		dir  capfile.Direction
	}{
		{PktHost, 1 | 1<<2, capfile.DirInbound},
		{PktBroadcast, 1 | 3<<2, capfile.DirInbound},
		{PktMulticast, 1 | 2<<2, capfile.DirInbound},
		{PktOtherHost, 1 | 4<<2, capfile.DirInbound},
		{PktOutgoing, 2, capfile.DirOutbound},
		{PktLoopback, 1 | 2<<2, capfile.DirInbound},
		{7, 1, capfile.DirInbound}, // PACKET_KERNEL: received, type unknown
	} {
		if got := EPBFlags(c.pt); got != c.want {
			t.Errorf("EPBFlags(%d) = %#x, want %#x", c.pt, got, c.want)
		}
		if got := DirectionOf(c.pt); got != c.dir {
			t.Errorf("DirectionOf(%d) = %v, want %v", c.pt, got, c.dir)
		}
	}
}

// ipv4 is an arbitrary network-layer payload for the cooked frames.
var ipv4 = []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}

func TestBuildFrameSLL2(t *testing.T) {
	m := &frameMeta{origLen: 20, protocol: 0x0800, ifindex: 7, hatype: unix.ARPHRD_ETHER, pktType: PktOutgoing,
		halen: 6, addr: [8]byte{2, 0, 0, 0, 0, 1, 0xee, 0xee}}
	got, orig := buildFrame(nil, m, ipv4, true, 0)
	want := append([]byte{
		0x08, 0x00, 0, 0, // protocol, reserved
		0, 0, 0, 7, // ifindex
		0, 1, // ARPHRD_ETHER
		4, 6, // outgoing, halen
		2, 0, 0, 0, 0, 1, 0, 0, // address, padded (not the bytes past halen)
	}, ipv4...)
	if !bytes.Equal(got, want) || orig != 40 {
		t.Fatalf("got % x (orig %d)\nwant % x (orig 40)", got, orig, want)
	}
}

func TestBuildFrameVLAN(t *testing.T) {
	eth := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0xaa, 0xbb}
	m := &frameMeta{origLen: 16, status: unix.TP_STATUS_VLAN_VALID, vlanTCI: 0x200a}
	got, orig := buildFrame(nil, m, eth, false, 0)
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81, 0x00, 0x20, 0x0a, 0x08, 0x00, 0xaa, 0xbb}
	if !bytes.Equal(got, want) || orig != 20 {
		t.Fatalf("Ethernet: got % x (orig %d), want % x (orig 20)", got, orig, want)
	}
	// 802.1ad outer tag: the TPID the kernel reports is kept.
	m.status |= unix.TP_STATUS_VLAN_TPID_VALID
	m.vlanTPID = 0x88a8
	got, _ = buildFrame(got, m, eth, false, 0)
	if got[12] != 0x88 || got[13] != 0xa8 {
		t.Fatalf("802.1ad: got % x", got)
	}
	// Cooked: SLL2 protocol becomes the TPID, an 802.1Q header (TCI,
	// inner type) goes before the payload.
	m = &frameMeta{origLen: 20, protocol: 0x0800, vlanTCI: 10, status: unix.TP_STATUS_VLAN_VALID}
	got, orig = buildFrame(nil, m, ipv4, true, 0)
	if got[0] != 0x81 || got[1] != 0 || !bytes.Equal(got[20:24], []byte{0, 10, 8, 0}) || !bytes.Equal(got[24:], ipv4) || orig != 44 {
		t.Fatalf("SLL2: got % x (orig %d)", got, orig)
	}
}

func TestBuildFrameSnapLen(t *testing.T) {
	eth := make([]byte, 100)
	m := &frameMeta{origLen: 1500, vlanTCI: 5}
	got, orig := buildFrame(nil, m, eth, false, 64)
	if len(got) != 64 || orig != 1504 {
		t.Fatalf("got %d bytes, orig %d; want 64, 1504", len(got), orig)
	}
	// A frame shorter than two MAC addresses cannot take a tag.
	got, _ = buildFrame(nil, m, eth[:6], false, 0)
	if len(got) != 6 {
		t.Fatalf("short frame: got %d bytes", len(got))
	}
}

func TestRecordChecksumComment(t *testing.T) {
	m := &frameMeta{tsNs: 5, status: unix.TP_STATUS_CSUMNOTREADY, pktType: PktOutgoing}
	rec := record(m, capfile.LinkEthernet, 10, 10)
	// Direction outbound (2) and flags bit 9, checksum not ready; the
	// comment stays for older readers.
	if !ChecksumNotReady(&rec) || rec.Direction != capfile.DirOutbound || !rec.HasFlags || rec.Flags != 2|capfile.EPBCsumNotReady ||
		len(rec.Comments) != 1 {
		t.Fatalf("record = %+v", rec)
	}
	m.status = unix.TP_STATUS_CSUM_VALID
	rec = record(m, capfile.LinkEthernet, 10, 10)
	if ChecksumNotReady(&rec) || len(rec.Comments) != 0 || rec.Flags != 2|capfile.EPBCsumValid {
		t.Fatalf("record = %+v", rec)
	}
	m.status = unix.TP_STATUS_GSO_TCP | unix.TP_STATUS_CSUMNOTREADY
	rec = record(m, capfile.LinkEthernet, 10, 10)
	if rec.Flags != 2|capfile.EPBCsumNotReady|capfile.EPBTSO {
		t.Fatalf("record = %+v", rec)
	}
}

func TestErrorMessages(t *testing.T) {
	err := error(&Error{"eth0", "opening a packet socket", unix.EPERM})
	want := "capturing on eth0 needs root or the capabilities cap_net_raw,cap_net_admin (sudo setcap cap_net_raw,cap_net_admin=eip $(which wirelens))"
	if !bytes.HasPrefix([]byte(err.Error()), []byte(want)) {
		t.Fatalf("got %q", err)
	}
	if _, err := Open("wl-no-such-if0", Options{}); err == nil || !bytes.Contains([]byte(err.Error()), []byte("capturing on wl-no-such-if0")) {
		t.Fatalf("Open of a missing interface: %v", err)
	}
}

func TestCookedFilter(t *testing.T) {
	// "udp" for SLL2: protocol at 0, IP protocol at 20+9.
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x0800, SkipFalse: 5},
		bpf.LoadAbsolute{Off: 10, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(PktOutgoing), SkipTrue: 3},
		bpf.LoadAbsolute{Off: 29, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 17, SkipFalse: 1},
		bpf.RetConstant{Val: 96},
		bpf.RetConstant{Val: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, ok := cookedFilter(prog)
	if !ok {
		t.Fatal("not translated")
	}
	want := []uint32{skfAdOff + skfAdProtocol, 0x0800, skfAdOff + skfAdPktType, 4, 9, 17, DefaultSnapLen, 0}
	for i, w := range want {
		if out[i].K != w {
			t.Fatalf("instruction %d: K = %#x, want %#x", i, out[i].K, w)
		}
	}
	if prog[0].K != 0 {
		t.Fatal("the caller's program was modified")
	}
	// The link-layer address length has no ancillary load: user space.
	bad, _ := bpf.Assemble([]bpf.Instruction{bpf.LoadAbsolute{Off: 11, Size: 1}, bpf.RetA{}})
	if _, ok := cookedFilter(bad); ok {
		t.Fatal("halen load translated")
	}
	uf, err := newUserFilter(prog)
	if err != nil {
		t.Fatal(err)
	}
	m := &frameMeta{origLen: 28, protocol: 0x0800, pktType: PktHost}
	udp := append([]byte(nil), ipv4...)
	udp[9] = 17
	udp = append(udp, 0, 1, 0, 2, 0, 8, 0, 0)
	f, _ := buildFrame(nil, m, udp, true, 0)
	if n := uf.keep(f); n != len(f) {
		t.Fatalf("UDP frame: keep %d of %d", n, len(f))
	}
	m.pktType = PktOutgoing
	f, _ = buildFrame(nil, m, udp, true, 0)
	if n := uf.keep(f); n != 0 {
		t.Fatalf("outgoing frame kept")
	}
}
