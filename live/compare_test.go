package live

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
)

// startTcpdump runs tcpdump -w in ns and returns once it is capturing; the
// returned function stops it and gives the frames it wrote.
func startTcpdump(t *testing.T, ns string, args ...string) func() [][]byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tcpdump.pcap")
	// -Z root: tcpdump would otherwise switch to its own user, which cannot
	// write in the test's directory.
	// --immediate-mode: libpcap otherwise holds frames in a ring block for
	// up to a second, and a loaded CI machine stops tcpdump before it has
	// written them.
	cmd := nsCmd(ns, append([]string{"tcpdump", "-n", "-U", "--immediate-mode", "-Z", "root", "-w", path}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() && !strings.Contains(sc.Text(), "listening on") {
	}
	go io.Copy(io.Discard, stderr)
	return func() [][]byte {
		time.Sleep(time.Second)
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
		r, err := capfile.Open(path, capfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out [][]byte
		for {
			_, d, err := r.Next()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, append([]byte(nil), d...))
		}
	}
}

// sameFrames compares two captures as multisets of frames.
func sameFrames(t *testing.T, what string, ours, theirs [][]byte) {
	t.Helper()
	key := func(fs [][]byte) []string {
		s := make([]string, len(fs))
		for i, f := range fs {
			s[i] = string(f)
		}
		sort.Strings(s)
		return s
	}
	a, b := key(ours), key(theirs)
	if len(a) != len(b) {
		t.Fatalf("%s: wirelens saw %d frames, tcpdump %d", what, len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("%s: frame sets differ:\nwirelens % x\ntcpdump  % x", what, a[i], b[i])
		}
	}
}

func dataOf(pkts []*Packet, dir capfile.Direction) [][]byte {
	var out [][]byte
	for _, p := range pkts {
		if dir == capfile.DirUnknown || p.Record.Direction == dir {
			out = append(out, p.Data)
		}
	}
	return out
}

// TestLiveTcpdump captures alongside tcpdump in the same namespace: on lo
// both must show each frame once, and on a veth what wirelens marks
// outbound/inbound must be what tcpdump -Q out/-Q in sees.
func TestLiveTcpdump(t *testing.T) {
	needLive(t, "tcpdump", "ping")
	script := trafficScript(t)

	ns := newNetns(t)
	stop := startTcpdump(t, ns, "-i", "lo")
	c := collect(openIn(t, ns, "lo", Options{}))
	nsRun(t, ns, "ping", "-c", "3", "-i", "0.2", "127.0.0.1")
	tcpTransfer(t, script, ns, ns, "127.0.0.1", "5006", 50000)
	pkts, _ := c.stop(t)
	sameFrames(t, "lo", dataOf(pkts, capfile.DirUnknown), stop())
	t.Logf("lo: %d frames, the same as tcpdump", len(pkts))

	v := newVeth(t)
	stopOut := startTcpdump(t, v.nsA, "-i", v.ifA, "-Q", "out")
	stopIn := startTcpdump(t, v.nsA, "-i", v.ifA, "-Q", "in")
	c = collect(openIn(t, v.nsA, v.ifA, Options{}))
	nsRun(t, v.nsA, "ping", "-c", "3", "-i", "0.2", v.ipB)
	tcpTransfer(t, script, v.nsB, v.nsA, v.ipB, "5007", 50000)
	pkts, _ = c.stop(t)
	out, in := dataOf(pkts, capfile.DirOutbound), dataOf(pkts, capfile.DirInbound)
	sameFrames(t, "veth outbound", out, stopOut())
	sameFrames(t, "veth inbound", in, stopIn())
	t.Logf("%s: %d outbound and %d inbound frames, the same as tcpdump -Q out / -Q in", v.ifA, len(out), len(in))
}

// TestLivePcapng writes a live capture and reads it back with capfile and
// tshark.
func TestLivePcapng(t *testing.T) {
	needLive(t, "ping", "tshark")
	script := trafficScript(t)
	v := newVeth(t)
	h := openIn(t, v.nsA, v.ifA, Options{})
	var off Offloads
	if err := inNetns(v.nsA, func() (err error) { off, err = OffloadsOf(v.ifA); return err }); err != nil {
		t.Fatal(err)
	}
	c := collect(h)
	start := time.Now()
	nsRun(t, v.nsA, "ping", "-c", "3", "-i", "0.2", v.ipB)
	tcpTransfer(t, script, v.nsB, v.nsA, v.ipB, "5008", 100000)
	pkts, st := c.stop(t)

	var buf bytes.Buffer
	w := NewWriter(&buf)
	id, err := w.AddInterface(h.Interface(), off)
	if err != nil {
		t.Fatal(err)
	}
	var notReady int
	for _, p := range pkts {
		p.Record.Interface = id
		if err := w.WritePacket(p.Record, p.Data); err != nil {
			t.Fatal(err)
		}
		if p.CsumNotReady {
			notReady++
		}
	}
	if err := w.WriteStats(id, start.UnixNano(), time.Now().UnixNano(), st); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ifs, recs, data := readBack(t, buf.Bytes())
	if len(recs) != len(pkts) || len(ifs) != 1 || ifs[0].Name != v.ifA || ifs[0].LinkType != capfile.LinkEthernet {
		t.Fatalf("read back %d records, %+v; wrote %d", len(recs), ifs, len(pkts))
	}
	if o, ok := ParseOffloadDescription(ifs[0].Description); !ok || o != off {
		t.Fatalf("offloads %q back as %v, wrote %v", ifs[0].Description, o, off)
	}
	for i, p := range pkts {
		if !sameRecord(recs[i], p.Record) || !bytes.Equal(data[i], p.Data) || ChecksumNotReady(&recs[i]) != p.CsumNotReady {
			t.Fatalf("record %d:\n got %+v\nwant %+v", i, recs[i], p.Record)
		}
	}

	path := filepath.Join(t.TempDir(), "live.pcapng")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := tsharkFields(t, path)
	if len(lines) != len(pkts) {
		t.Fatalf("tshark read %d packets, wrote %d", len(lines), len(pkts))
	}
	for i, l := range lines {
		f := strings.Split(l, "\t")
		wantDir := "0x00000001"
		if pkts[i].Record.Direction == capfile.DirOutbound {
			wantDir = "0x00000002"
		}
		wantComment := ""
		if pkts[i].CsumNotReady {
			wantComment = CommentCsumNotReady
		}
		if len(f) != 3 || f[0] != wantDir || f[1] != v.ifA || f[2] != wantComment {
			t.Fatalf("tshark packet %d: %q, want direction %s, interface %s, comment %q", i+1, l, wantDir, v.ifA, wantComment)
		}
	}
	t.Logf("%d packets (%d with checksum not ready) written, read back the same by capfile and tshark", len(pkts), notReady)
}

// BenchmarkCaptureLo measures frames per second captured on lo in a
// namespace while a goroutine floods it with small UDP datagrams.
func BenchmarkCaptureLo(b *testing.B) {
	needLive(b)
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"ring", Options{}}, {"recvmsg", Options{NoRing: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			ns := newNetns(b)
			h := openIn(b, ns, "lo", mode.opt)
			var conn net.Conn
			if err := inNetns(ns, func() (err error) { conn, err = net.Dial("udp", "127.0.0.1:9"); return err }); err != nil {
				b.Fatal(err)
			}
			stop := make(chan struct{})
			sent := make(chan int, 1)
			go func() {
				msg := make([]byte, 64)
				n := 0
				for {
					select {
					case <-stop:
						sent <- n
						return
					default:
					}
					conn.Write(msg) // ECONNREFUSED from ICMP unreachables is expected
					n++
				}
			}()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, _, err := h.Next(); err != nil {
					b.Fatal(err)
				}
			}
			el := time.Since(start)
			b.StopTimer()
			close(stop)
			n := <-sent
			conn.Close()
			st, _ := h.Stats()
			b.ReportMetric(float64(b.N)/el.Seconds(), "pkts/s")
			b.ReportMetric(float64(st.Dropped), "drops")
			b.ReportMetric(float64(n), "sent")
		})
	}
}
