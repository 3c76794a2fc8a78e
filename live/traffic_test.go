package live

import (
	"bufio"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
)

// trafficPy generates the test traffic: python3 is on every CI image, nc
// flavours differ in their flags.
const trafficPy = `
import socket, sys, time
mode = sys.argv[1]
if mode == "tcp-server":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[2], int(sys.argv[3])))
    s.listen(1)
    print("ready", flush=True)
    c, _ = s.accept()
    n = 0
    while True:
        d = c.recv(65536)
        if not d:
            break
        n += len(d)
    c.close()
    print(n, flush=True)
elif mode == "tcp-client":
    c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5)
    c.sendall(b"w" * int(sys.argv[4]))
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    c.close()
elif mode == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(int(sys.argv[4])):
        s.sendto(b"wirelens %d" % i, (sys.argv[2], int(sys.argv[3])))
        time.sleep(0.005)
`

func trafficScript(t testing.TB) string {
	t.Helper()
	needTools(t, "python3")
	p := filepath.Join(t.TempDir(), "traffic.py")
	if err := os.WriteFile(p, []byte(trafficPy), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tcpTransfer sends size bytes over TCP from a client in clientNs to a
// server on host:port in serverNs.
func tcpTransfer(t testing.TB, script, serverNs, clientNs, host, port string, size int) {
	t.Helper()
	srv := nsCmd(serverNs, "python3", script, "tcp-server", host, port)
	out, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "ready" {
		t.Fatalf("TCP server in %s did not start", serverNs)
	}
	nsRun(t, clientNs, "python3", script, "tcp-client", host, port, strconv.Itoa(size))
	if !sc.Scan() || sc.Text() != strconv.Itoa(size) {
		t.Fatalf("TCP server got %q bytes, want %d", sc.Text(), size)
	}
	srv.Wait()
}

// ip4 is what the tests look at in an IPv4 frame.
type ip4 struct {
	proto    byte
	src, dst netip.Addr
	ip, l4   []byte
	vlan     int // VLAN ID, -1 without a tag
}

// parseIPv4 finds the IPv4 packet in an Ethernet or SLL2 frame.
func parseIPv4(linkType uint16, b []byte) (ip4, bool) {
	var et uint16
	var off int
	switch linkType {
	case capfile.LinkEthernet:
		if len(b) < 14 {
			return ip4{}, false
		}
		et, off = binary.BigEndian.Uint16(b[12:]), 14
	case capfile.LinkSLL2:
		if len(b) < 20 {
			return ip4{}, false
		}
		et, off = binary.BigEndian.Uint16(b), 20
	default:
		return ip4{}, false
	}
	p := ip4{vlan: -1}
	if et == 0x8100 && len(b) >= off+4 {
		p.vlan = int(binary.BigEndian.Uint16(b[off:]) & 0xfff)
		et, off = binary.BigEndian.Uint16(b[off+2:]), off+4
	}
	if et != 0x0800 || len(b) < off+20 {
		return ip4{}, false
	}
	ip := b[off:]
	hl := int(ip[0]&0xf) * 4
	tot := int(binary.BigEndian.Uint16(ip[2:]))
	if hl < 20 || tot < hl || len(ip) < tot {
		return ip4{}, false
	}
	p.proto = ip[9]
	p.src = netip.AddrFrom4([4]byte(ip[12:16]))
	p.dst = netip.AddrFrom4([4]byte(ip[16:20]))
	p.ip = ip[:tot]
	p.l4 = ip[hl:tot]
	return p, true
}

// transportChecksumOK verifies a TCP or UDP checksum with the pseudo-header.
func (p ip4) transportChecksumOK() bool {
	var sum uint32
	add := func(b []byte) {
		for len(b) >= 2 {
			sum += uint32(binary.BigEndian.Uint16(b))
			b = b[2:]
		}
		if len(b) == 1 {
			sum += uint32(b[0]) << 8
		}
	}
	add(p.ip[12:20])
	sum += uint32(p.proto) + uint32(len(p.l4))
	add(p.l4)
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return sum == 0xffff
}

// icmpEcho returns the ICMP type (8 request, 0 reply) and sequence number.
func (p ip4) icmpEcho() (typ int, seq int, ok bool) {
	if p.proto != 1 || len(p.l4) < 8 || (p.l4[0] != 0 && p.l4[0] != 8) {
		return 0, 0, false
	}
	return int(p.l4[0]), int(binary.BigEndian.Uint16(p.l4[6:])), true
}
