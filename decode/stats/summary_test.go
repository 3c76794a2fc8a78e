package stats

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// summaryOf runs the statistics view's pass (capture.Tap, frames dissected
// in parallel, handed over in order) over a capture.
func summaryOf(t *testing.T, path string, p prefs.Prefs) *Summary {
	t.Helper()
	c, err := capture.Open(path, p)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		if time.Now().After(deadline) {
			t.Fatal("not indexed")
		}
		time.Sleep(2 * time.Millisecond)
	}
	s := NewSummary()
	if !c.Tap(s.Packet, nil, nil) {
		t.Fatal("tap stopped")
	}
	return s
}

// TestSummaryMatchesTshark: the tables the UI shows, written in tshark's
// layout, are tshark's -z conv / -z endpoints / -z io,phs (the committed
// goldens, in the order the golden's taps were given, last first).
func TestSummaryMatchesTshark(t *testing.T) {
	for _, g := range []struct {
		capture, golden string
		write           func(s *Summary, w *bytes.Buffer)
	}{
		{"../../testdata/captures/veth-offload-a-eth.pcap", "veth-offload-a-eth.pcap.z-conv.out", func(s *Summary, w *bytes.Buffer) {
			for k := len(s.Conv) - 1; k >= 0; k-- {
				(&table{ConvTable: s.Conv[k]}).Write(w)
			}
		}},
		{"../../testdata/captures/veth-offload-a-eth.pcap", "veth-offload-a-eth.pcap.z-endpoints.out", func(s *Summary, w *bytes.Buffer) {
			for k := len(s.Endpoints) - 1; k >= 0; k-- {
				(&table{ConvTable: s.Endpoints[k]}).Write(w)
			}
		}},
		{"../../testdata/captures/lo-offload-any-sll2.pcap", "lo-offload-any-sll2.pcap.z-conv.out", func(s *Summary, w *bytes.Buffer) {
			for k := len(s.Conv) - 1; k >= 1; k-- { // conv,ip ipv6 tcp udp
				(&table{ConvTable: s.Conv[k]}).Write(w)
			}
		}},
		{"../../testdata/crafted/gre.pcap", "gre.pcap.z-phs.out", func(s *Summary, w *bytes.Buffer) {
			(&phs{PHS: s.PHS}).Write(w)
		}},
		{"../../testdata/crafted/vlan-qinq-88a8.pcap", "vlan-qinq-88a8.pcap.z-phs.out", func(s *Summary, w *bytes.Buffer) {
			(&phs{PHS: s.PHS}).Write(w)
		}},
	} {
		want, err := os.ReadFile("../../testdata/golden/" + g.golden)
		if err != nil {
			t.Fatal(err)
		}
		s := summaryOf(t, g.capture, prefs.Default())
		var b bytes.Buffer
		g.write(s, &b)
		if b.String() != string(want) {
			t.Errorf("%s differs from tshark:\n got:\n%s\nwant:\n%s", g.golden, b.String(), want)
		}
	}
}

// TestSummaryBadPerRow: each TCP conversation's bad-checksum count is the
// number of its frames tshark finds a bad IP or TCP checksum in (with
// every validation on); the I/O buckets hold every frame and every bad one.
func TestSummaryBadPerRow(t *testing.T) {
	const path = "../../testdata/captures/veth-offload-a-eth.pcap"
	p := prefs.Default()
	for _, proto := range decode.ChecksumProtos {
		p.SetValidates(proto, true)
	}
	s := summaryOf(t, path, p)
	want := map[string]uint64{}
	if _, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command("tshark", "-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
			"-o", "udp.check_checksum:TRUE", "-Y", "tcp && (ip.checksum.status == 0 || tcp.checksum.status == 0)",
			"-T", "fields", "-e", "tcp.stream").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(string(out)) {
			want[f]++
		}
	} else {
		// what tshark 4.0 said for this capture
		want = map[string]uint64{"0": 1, "1": 3, "2": 2, "3": 2}
	}
	tcp := s.Conv[3]
	var total uint64
	for _, r := range tcp.Rows {
		if r.Bad != want[r.Stream] {
			t.Errorf("tcp stream %s: %d bad, tshark %d", r.Stream, r.Bad, want[r.Stream])
		}
		total += r.Bad
	}
	if total == 0 {
		t.Error("no bad checksum counted: the capture has offload artifacts")
	}
	var frames, bad uint64
	for i := range s.IO.Packets {
		frames += s.IO.Packets[i]
		bad += s.IO.Bad[i]
	}
	if frames != s.Frames || bad != s.BadFrames || len(s.IO.Packets) > MaxIOBuckets {
		t.Errorf("io: %d frames, %d bad in %d buckets; summary %d, %d", frames, bad, len(s.IO.Packets), s.Frames, s.BadFrames)
	}
	if s.IO.FirstBad == 0 || s.IO.FirstBadAt < 0 {
		t.Errorf("first bad %d at %d", s.IO.FirstBad, s.IO.FirstBadAt)
	}
}

// TestIOBucketsWiden: a long capture merges buckets, never exceeding the
// cap, and keeps every count.
func TestIOBucketsWiden(t *testing.T) {
	var b IOBuckets
	for i := 0; i < 10000; i++ {
		b.Add(i+1, int64(i)*int64(time.Second), 100, i == 7000)
	}
	if len(b.Packets) > MaxIOBuckets {
		t.Fatalf("%d buckets", len(b.Packets))
	}
	var n uint64
	for _, v := range b.Packets {
		n += v
	}
	if n != 10000 {
		t.Errorf("%d packets counted", n)
	}
	if at := b.FirstBadAt / b.Interval; b.Bad[at] != 1 || b.FirstBad != 7001 {
		t.Errorf("bad in bucket %d: %v (first %d)", at, b.Bad[at], b.FirstBad)
	}
	if b.Interval*MaxIOBuckets < 9999*int64(time.Second) {
		t.Errorf("interval %d too short", b.Interval)
	}
}

// TestExpertGroups: notes group by severity, group, protocol and message;
// each keeps its first frame; the most severe come first.
func TestExpertGroups(t *testing.T) {
	var x Experts
	d := &decode.Dissection{Experts: []decode.ExpertInfo{
		{Severity: 0x00400000, Group: 0x02000000, Protocol: "TCP", Message: "note"},
		{Severity: 0x00800000, Group: 0x01000000, Protocol: "TCP", Message: "Bad checksum"},
	}}
	x.Add(3, d)
	x.Add(5, d)
	x.Add(9, &decode.Dissection{Experts: d.Experts[:1]})
	g := x.Sorted()
	if len(g) != 2 || g[0].Message != "Bad checksum" || g[0].Count != 2 || g[0].First != 3 || g[1].Count != 3 {
		t.Errorf("groups: %+v %+v", *g[0], *g[1])
	}
	if decode.ExpertSeverityName(g[0].Severity) != "Error" || decode.ExpertGroupName(g[1].Group) != "Sequence" {
		t.Error("names")
	}
	x.Add(10, &decode.Dissection{Experts: []decode.ExpertInfo{{Severity: 0x00200000, Group: 0x02000000, Protocol: "HTTP", Message: "GET / HTTP/1.1"}}})
	x.Add(11, &decode.Dissection{Experts: []decode.ExpertInfo{{Severity: 0x00800000, Group: 0x01000000, Protocol: "TCP", Message: "Bad checksum [should be 0x1234]"}}})
	x.Add(12, &decode.Dissection{Experts: []decode.ExpertInfo{{Severity: 0x00800000, Group: 0x01000000, Protocol: "TCP", Message: "Bad checksum [should be 0xbeef]"}}})
	cl := x.Classes()
	if len(cl) != 4 || cl[3].Pattern != "" || cl[0].Message != "Bad checksum" || !cl[1].Varies || cl[1].Count != 2 || cl[1].First != 11 ||
		cl[1].Pattern != `^Bad checksum \[should be [0-9A-Za-z]+\]$` || cl[0].Pattern != "" {
		for _, c := range cl {
			t.Logf("%+v", *c)
		}
		t.Error("classes")
	}
	if got := normalize("GET /v1/bundle/fe1bcd34.js HTTP/1.1\\r\\n"); got != "GET /#/bundle/#.js HTTP/#.#\\r\\n" {
		t.Errorf("normalize: %q", got)
	}
	// past the bound every note still counts, in one class per severity,
	// group and protocol
	var y Experts
	for i := 0; i < MaxExpertClasses+50; i++ {
		y.Add(i+1, &decode.Dissection{Experts: []decode.ExpertInfo{{Severity: 0x00200000, Group: 0x02000000, Protocol: "HTTP", Message: "GET /" + strings.Repeat("a", i%40) + "/" + strings.Repeat("b", i/40)}}})
	}
	var total uint64
	others := 0
	for _, c := range y.Classes() {
		total += c.Count
		if c.Other {
			others++
		}
	}
	if total != MaxExpertClasses+50 || others != 1 || len(y.Classes()) != MaxExpertClasses+1 {
		t.Errorf("bounded classes: %d notes, %d other classes, %d classes", total, others, len(y.Classes()))
	}
	_ = strconv.Itoa
}
