package live

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Live tests need root and network namespaces. They run only with
// WIRELENS_LIVE_TESTS=1; then, under CI=true, anything missing is a failure
// rather than a skip, so CI cannot pass by testing nothing.

func liveEnabled() bool { return os.Getenv("WIRELENS_LIVE_TESTS") == "1" }

// missing skips, or fails under CI with live tests on.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if liveEnabled() && os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// needLive gates a test on WIRELENS_LIVE_TESTS=1, root and the tools named.
func needLive(t testing.TB, tools ...string) {
	t.Helper()
	if !liveEnabled() {
		t.Skip("live capture test: set WIRELENS_LIVE_TESTS=1 and run as root")
	}
	if os.Geteuid() != 0 {
		missing(t, "live capture tests need root (uid is %d)", os.Geteuid())
	}
	needTools(t, append([]string{"ip"}, tools...)...)
}

func needTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, "%s is not installed", tool)
		}
	}
}

// run runs a command and fails the test if it fails.
func run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// nsRun runs a command in network namespace ns.
func nsRun(t testing.TB, ns string, args ...string) string {
	t.Helper()
	return run(t, append([]string{"ip", "netns", "exec", ns}, args...)...)
}

func nsCmd(ns string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
}

var nsSeq atomic.Int32

// newNetns creates a network namespace (named $WIRELENS_NETNS_PREFIX, or
// wl, then the test's pid and a number) with lo up and IPv6 off (no router
// solicitations or MLD reports in the way of exact packet counts); it is
// deleted, with every interface in it, when the test ends.
func newNetns(t testing.TB) string {
	t.Helper()
	prefix := os.Getenv("WIRELENS_NETNS_PREFIX")
	if prefix == "" {
		prefix = "wl"
	}
	name := fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), nsSeq.Add(1))
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	nsRun(t, name, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6")
	run(t, "ip", "-n", name, "link", "set", "lo", "up")
	return name
}

// vethNet is two namespaces joined by a veth pair: A (10.231.0.1) on ifA,
// B (10.231.0.2) on ifB.
type vethNet struct {
	nsA, nsB string
	ifA, ifB string
	ipA, ipB string
}

func newVeth(t testing.TB) vethNet {
	t.Helper()
	v := vethNet{nsA: newNetns(t), nsB: newNetns(t), ifA: "wlA", ifB: "wlB", ipA: "10.231.0.1", ipB: "10.231.0.2"}
	run(t, "ip", "-n", v.nsA, "link", "add", v.ifA, "type", "veth", "peer", "name", v.ifB, "netns", v.nsB)
	run(t, "ip", "-n", v.nsA, "addr", "add", v.ipA+"/24", "dev", v.ifA)
	run(t, "ip", "-n", v.nsB, "addr", "add", v.ipB+"/24", "dev", v.ifB)
	run(t, "ip", "-n", v.nsA, "link", "set", v.ifA, "up")
	run(t, "ip", "-n", v.nsB, "link", "set", v.ifB, "up")
	// Resolve ARP up front so the traffic a test counts is only its own.
	nsRun(t, v.nsA, "ping", "-c", "1", "-W", "2", v.ipB)
	return v
}

// inNetns runs fn on an OS thread switched into namespace ns. The thread is
// never unlocked, so Go discards it when fn returns instead of letting other
// goroutines run in the wrong namespace. Sockets keep the namespace they
// were created in.
func inNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

func openIn(t testing.TB, ns, ifname string, opt Options) *Handle {
	t.Helper()
	var h *Handle
	err := inNetns(ns, func() (err error) {
		h, err = Open(ifname, opt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// collector reads packets from a handle in the background.
type collector struct {
	h    *Handle
	mu   sync.Mutex
	pkts []*Packet
	done chan error
}

func collect(h *Handle) *collector {
	c := &collector{h: h, done: make(chan error, 1)}
	go func() {
		for {
			p, err := h.NextPacket()
			if err != nil {
				c.done <- err
				return
			}
			c.mu.Lock()
			c.pkts = append(c.pkts, p)
			c.mu.Unlock()
		}
	}()
	return c
}

// stop waits for frames still in a ring block to be handed over (the retire
// timer is 50 ms), closes the handle and returns what was read.
func (c *collector) stop(t testing.TB) ([]*Packet, Stats) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	st, err := c.h.Stats()
	if err != nil {
		t.Fatal(err)
	}
	c.h.Close()
	if err := <-c.done; err.Error() != "EOF" {
		t.Fatalf("capture on %s ended with %v", c.h.Name(), err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pkts, st
}

// ethtoolK runs ethtool -k (in ns when not empty) and folds its output into
// Offloads; nil when ethtool is not installed (outside CI).
func ethtoolK(t testing.TB, ns, dev string) *Offloads {
	t.Helper()
	if _, err := exec.LookPath("ethtool"); err != nil {
		if liveEnabled() && os.Getenv("CI") == "true" {
			t.Fatal("ethtool is not installed")
		}
		t.Log("ethtool is not installed: not compared")
		return nil
	}
	args := []string{"ethtool", "-k", dev}
	if ns != "" {
		args = append([]string{"ip", "netns", "exec", ns}, args...)
	}
	out := run(t, args...)
	o := Offloads{Known: true}
	fields := map[string]*bool{
		"rx-checksumming": &o.RxChecksum, "tx-checksumming": &o.TxChecksum,
		"tcp-segmentation-offload": &o.TSO, "generic-segmentation-offload": &o.GSO,
		"generic-receive-offload": &o.GRO, "large-receive-offload": &o.LRO, "scatter-gather": &o.SG,
		"tx-udp_tnl-segmentation": &o.UDPTnlSeg, "tx-udp_tnl-csum-segmentation": &o.UDPTnlCsumSeg,
		"tx-gre-segmentation": &o.GRESeg, "tx-gre-csum-segmentation": &o.GRECsumSeg,
		"tx-udp-segmentation": &o.UDPSeg, "rx-gro-list": &o.GROList, "rx-udp-gro-forwarding": &o.UDPGROFwd,
		"tx-checksum-ip-generic": &o.CsumIPGeneric,
	}
	sc := bufio.NewScanner(bytes.NewReader([]byte(out)))
	for sc.Scan() {
		// The per-protocol checksum features are indented under
		// tx-checksumming.
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if f := fields[k]; ok && f != nil {
			*f = strings.HasPrefix(strings.TrimSpace(v), "on")
		}
	}
	return &o
}
