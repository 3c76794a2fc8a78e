package ui

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/decode/stats"
	"github.com/wirelens/wirelens/prefs"
)

func realCompile(expr string) (decode.Matcher, error) {
	f, err := filter.Compile(expr)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// openIndexed opens a capture and waits until it is read and analysed.
func openIndexed(t testing.TB, path string) *capture.Capture {
	t.Helper()
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	deadline := time.Now().Add(20 * time.Second)
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		if time.Now().After(deadline) {
			t.Fatalf("%s not indexed", path)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return c
}

func TestFollowLines(t *testing.T) {
	s := &stats.Stream{Proto: "tcp", Index: 3, Node: [2]string{"10.0.0.1:40000", "10.0.0.2:80"},
		Chunks: []stats.Chunk{
			{Dir: 0, Frame: 4, Data: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
			{Dir: 1, Frame: 6, Data: []byte("HTTP/1.1 200 OK\r\n\x1b[2Jevil\x00")},
			{Dir: 0, Frame: 8, Data: []byte("0123456789abcdefXYZ")},
		}}
	got := followLines(s, followASCII, false)
	want := []fline{
		{"▶ GET / HTTP/1.1", 0}, {"▶ Host: x", 0}, {"▶ ", 0},
		{"◀ HTTP/1.1 200 OK", 1}, {"◀ .[2Jevil.", 1},
		{"▶ 0123456789abcdefXYZ", 0},
	}
	if len(got) != len(want) {
		t.Fatalf("ascii lines:\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ascii line %d: %v, want %v", i, got[i], want[i])
		}
	}
	hx := followLines(s, followHex, true)
	// offsets count each direction on its own, as tshark's
	if hx[0].text != "> 00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HT TP/1.1.." {
		t.Errorf("hex line 0: %q", hx[0].text)
	}
	last := hx[len(hx)-1]
	// 27 bytes came from node 0 before: the third chunk starts at 0x1B,
	// its second line at 0x2B.
	if last.dir != 0 || last.text != "> 0000002B  58 59 5a                                          XYZ" {
		t.Errorf("hex last line: %q", last.text)
	}
	raw := followLines(s, followRaw, true)
	if raw[0].text != "> 474554202f20485454502f312e310d0a486f73743a20780d0a0d0a" {
		t.Errorf("raw line 0: %q", raw[0].text)
	}
	if raw[1].dir != 1 || !strings.HasPrefix(raw[1].text, "< 485454502f") {
		t.Errorf("raw line 1: %q", raw[1].text)
	}
	for _, l := range append(append(got, hx...), raw...) {
		if decode.Sanitize(l.text) != l.text {
			t.Errorf("unsanitised line %q", l.text)
		}
	}
	h := followHeader(&stats.Stream{Proto: "tcp", Node: s.Node, Limit: 1 << 20, Cut: 500}, 7, true)
	if !strings.Contains(h[2].text, "Only the first 1 MiB") || !strings.Contains(h[2].text, "500 bytes") || !strings.Contains(h[2].text, "7 later frames") {
		t.Errorf("cut note: %q", h[2].text)
	}
}

// loadFollow runs the view's loader (a filter pass, then only the stream's
// frames dissected) on a real capture.
func loadFollow(t *testing.T, c *capture.Capture, proto string, n uint64, limit int) (*stats.Stream, int) {
	t.Helper()
	m, err := realCompile(proto + ".stream eq " + strconv.FormatUint(n, 10))
	if err != nil {
		t.Fatal(err)
	}
	var pr passProgress
	s, unread, ok := loadStream(c, proto, n, m, limit, &pr, nil)
	if !ok {
		t.Fatal("load stopped")
	}
	return s, unread
}

// TestFollowMatchesTshark: the stream the view reads, formatted as tshark's
// -z follow,tcp,ascii,N, is tshark's (the committed goldens; and each
// stream of a lossy capture asked of tshark itself when it is installed):
// sequence order, retransmitted bytes left out.
func TestFollowMatchesTshark(t *testing.T) {
	for _, g := range []struct {
		capture, golden string
		stream          uint64
	}{
		{"tcp-lossy-a.pcap", "tcp-lossy-a.pcap.z-follow-ascii.out", 0},
		{"tcp-lossy-b.pcap", "tcp-lossy-b.pcap.z-follow-ascii.out", 1},
	} {
		want, err := os.ReadFile("../testdata/golden/" + g.golden)
		if err != nil {
			t.Fatal(err)
		}
		c := openIndexed(t, "../testdata/captures/"+g.capture)
		s, _ := loadFollow(t, c, "tcp", g.stream, 64<<20)
		var b bytes.Buffer
		stats.WriteFollow(&b, s, "ascii")
		if w := strings.ReplaceAll(string(want), "\r", "."); b.String() != w {
			t.Errorf("%s stream %d differs from tshark:\n%s", g.capture, g.stream, lineDiffShort(w, b.String()))
		}
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		return
	}
	c := openIndexed(t, "../testdata/captures/tcp-lossy-a.pcap")
	for n := uint64(0); n < 5; n++ {
		out, err := exec.Command("tshark", "-n", "-r", "../testdata/captures/tcp-lossy-a.pcap", "-q",
			"-z", "follow,tcp,ascii,"+strconv.FormatUint(n, 10)).Output()
		if err != nil {
			t.Fatal(err)
		}
		s, _ := loadFollow(t, c, "tcp", n, 64<<20)
		var b bytes.Buffer
		stats.WriteFollow(&b, s, "ascii")
		if w := strings.ReplaceAll(string(out), "\r", "."); b.String() != w {
			t.Errorf("stream %d differs from tshark:\n%s", n, lineDiffShort(w, b.String()))
		}
	}
}

func lineDiffShort(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n tshark:   " + strconv.Quote(a) + "\n wirelens: " + strconv.Quote(b)
		}
	}
	return ""
}

// TestFollowLimit: past the limit the payload is dropped and said so, and
// frames after it are not read at all.
func TestFollowLimit(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/tcp-lossy-a.pcap")
	full, _ := loadFollow(t, c, "tcp", 0, 64<<20)
	total := full.Bytes[0] + full.Bytes[1]
	s, unread := loadFollow(t, c, "tcp", 0, 1000)
	if got := s.Bytes[0] + s.Bytes[1]; got != 1000 {
		t.Errorf("kept %d bytes, want 1000", got)
	}
	if s.Cut == 0 || unread == 0 {
		t.Errorf("cut %d, unread %d: the limit was not reported", s.Cut, unread)
	}
	if s.Cut+1000 > total {
		t.Errorf("cut %d + 1000 kept > %d in the stream", s.Cut, total)
	}
}

// TestFollowView: f on an HTTP packet shows both directions, each in its
// colour and with its mark, filters the list to the stream; x and r switch
// the dump; Esc keeps the filter, Backspace restores the one before.
func TestFollowView(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/apps-a.pcap")
	h := startSource(t, c, Options{Compile: realCompile, FileName: "apps-a.pcap"}, 120, 30)
	h.typeText(":4")
	h.key(tcell.KeyEnter)
	h.typeText("f")
	h.waitFor("follow loaded", func() bool { return !h.v.streams.active && h.v.streams.stream != nil })
	screen := h.dump()
	if !strings.Contains(screen, "Follow TCP stream 0") || !strings.Contains(screen, "(tcp.stream eq 0)") {
		t.Fatalf("title:\n%s", screen)
	}
	x, y, ok := h.find("▶ GET /")
	if !ok {
		t.Fatalf("no request line:\n%s", screen)
	}
	if st := h.style(x+3, y); st != h.v.th.dir[0] {
		t.Errorf("request style %v, want node 0's", st)
	}
	x, y, ok = h.find("◀ HTTP/1.")
	if !ok {
		t.Fatalf("no response line:\n%s", screen)
	}
	if st := h.style(x+3, y); st != h.v.th.dir[1] {
		t.Errorf("response style %v, want node 1's", st)
	}
	if !strings.Contains(screen, "▶ Node 0: 10.77.0.1:41416") {
		t.Errorf("node line:\n%s", screen)
	}
	h.typeText("x")
	if _, _, ok := h.find("▶ 00000000  47 45 54 20"); !ok {
		t.Errorf("hex dump:\n%s", h.dump())
	}
	h.typeText("r")
	if _, _, ok := h.find("▶ 474554202f"); !ok {
		t.Errorf("raw:\n%s", h.dump())
	}
	h.key(tcell.KeyEscape)
	h.waitFor("stream filter", func() bool { return !h.v.filt.running })
	if front, _ := h.v.pages.GetFrontPage(); front != "main" {
		t.Errorf("front page %q after Esc", front)
	}
	if got := h.v.filter.input.GetText(); got != "tcp.stream eq 0" {
		t.Errorf("filter bar %q", got)
	}
	if h.v.list.n != 10 { // tshark -Y 'tcp.stream eq 0' shows 10
		t.Errorf("list shows %d frames, want the stream's 10", h.v.list.n)
	}
	h.typeText("f")
	h.waitFor("follow loaded", func() bool { return !h.v.streams.active && h.v.streams.stream != nil })
	h.key(tcell.KeyBackspace2)
	h.waitFor("filter cleared", func() bool { return !h.v.filt.running && h.v.list.n == c.Len() })
	if got := h.v.filter.input.GetText(); got != "" {
		t.Errorf("filter bar %q after Backspace", got)
	}
}

// TestFollowNotTCP: f on a packet without a stream says so.
func TestFollowNotTCP(t *testing.T) {
	c := openIndexed(t, "../testdata/crafted/arp.pcap")
	h := startSource(t, c, Options{Compile: realCompile}, 100, 24)
	h.typeText("f")
	if !strings.Contains(h.dump(), "neither TCP nor UDP") {
		t.Errorf("no message:\n%s", h.dump())
	}
}

// TestFollowFromReport: f on a flow line of the checksum report follows
// that flow's stream.
func TestFollowFromReport(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/veth-offload-a-eth.pcap")
	h := startSource(t, c, Options{Compile: realCompile}, 120, 50)
	h.typeText("e")
	h.waitReport()
	h.typeText("f") // the first line names no packet
	if !strings.Contains(h.dump(), "names no packet") {
		t.Errorf("no message:\n%s", h.dump())
	}
	const flow = "TCP 10.99.0.1:46426 → 10.99.0.2:9000"
	for i := 0; i < 80; i++ {
		sel := ""
		h.do(func() {
			if l := h.v.report.list; l.sel >= 0 {
				sel = l.items[l.sel].text
			}
		})
		if strings.Contains(sel, flow) {
			break
		}
		h.key(tcell.KeyDown)
	}
	h.typeText("f")
	h.waitFor("follow loaded", func() bool { return !h.v.streams.active && h.v.streams.stream != nil })
	screen := h.dump()
	if !strings.Contains(screen, "▶ Node 0: 10.99.0.1:46426") || !strings.Contains(screen, "Follow TCP stream") {
		t.Errorf("follow from the report:\n%s", screen)
	}
}
