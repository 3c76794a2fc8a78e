package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/stats"
)

func TestSparkRows(t *testing.T) {
	got := sparkRows([]uint64{0, 1, 8, 16}, 2, false)
	// peak 16 over 2 rows of 8 levels: 1 → level 1 (never invisible), 8 → 8, 16 → 16
	want := []string{"   █", " ▁██"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sparkRows = %q, want %q", got, want)
	}
	if a := sparkRows([]uint64{0, 3}, 1, true); a[0] != " #" {
		t.Errorf("ascii %q", a)
	}
	ax := timeAxis(40, 250e6, false)
	if !strings.HasPrefix(ax, "╵0        ╵2.5s") || textWidth(ax) != 40 {
		t.Errorf("axis %q", ax)
	}
}

func TestFitColumns(t *testing.T) {
	shown, aw := fitColumns(convColumns, 80)
	if len(shown) != 7 || aw < 15 {
		t.Errorf("80: %d columns, address %d", len(shown), aw)
	}
	shown, aw = fitColumns(convColumns, 200)
	if len(shown) != len(convColumns) || aw < 24 {
		t.Errorf("200: %d columns, address %d", len(shown), aw)
	}
	th := newTheme(256, false)
	if h := tableHeader(convColumns, 80, 2, true, th); textWidth(h) > 80 || !strings.Contains(h, "Packets▼") {
		t.Errorf("header %q", h)
	}
}

// TestRowFilters: Enter's filter of every conversation and endpoint row
// of a real capture compiles and shows as many frames as the row counts.
func TestRowFilters(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/veth-offload-a-eth.pcap")
	s := stats.NewSummary()
	if !c.Tap(s.Packet, nil, nil) {
		t.Fatal("tap")
	}
	n := 0
	for _, tabs := range [][]*stats.ConvTable{s.Conv, s.Endpoints} {
		for _, tb := range tabs {
			for _, r := range tb.Rows {
				expr := rowFilter(tb.Kind, tb.Endpoints, r)
				m, err := realCompile(expr)
				if err != nil {
					t.Errorf("%q: %v", expr, err)
					continue
				}
				shown, _ := c.Filter(m, nil, nil)
				if uint64(len(shown)) != r.Frames() {
					t.Errorf("%q shows %d frames, the row counts %d", expr, len(shown), r.Frames())
				}
				n++
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d rows", n)
	}
}

func (h *harness) waitStats() {
	h.t.Helper()
	h.waitFor("statistics", func() bool { return !h.v.stats.active && h.v.stats.sum != nil })
}

// TestStatsView walks the tabs on a real capture: the TCP conversations
// are tshark's (-z conv,tcp: 21 frames, 99715 bytes for the first),
// bad checksums per row show in the bad style, sorting reverses, Enter
// filters to the row; expert info leads to its frames; the I/O tab draws
// the bad checksums and says when they start.
func TestStatsView(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/veth-offload-a-eth.pcap")
	h := startSource(t, c, Options{Compile: realCompile, FileName: "veth.pcap"}, 100, 30)
	h.typeText("S")
	h.waitStats()
	screen := h.dump()
	if !strings.Contains(screen, "86 frames, 158516 bytes, 65 with a bad checksum") || !strings.Contains(screen, "[Conversations]") {
		t.Fatalf("title:\n%s", screen)
	}
	h.key(tcell.KeyRight)
	h.key(tcell.KeyRight)
	h.key(tcell.KeyRight)
	screen = h.dump()
	if !strings.Contains(screen, "<TCP 4>") {
		t.Fatalf("kind bar:\n%s", screen)
	}
	_, y, ok := h.find("10.99.0.1:46426")
	if !ok {
		t.Fatalf("no TCP row:\n%s", screen)
	}
	row := h.lines()[y]
	if f := strings.Fields(row); len(f) < 7 || f[2] != "21" || f[3] != "99715" || f[len(f)-1] != "21" {
		t.Errorf("row %q: want 21 packets, 99715 bytes, 21 bad", row)
	}
	// the second row is not selected: it shows in the bad style
	if st := h.style(60, y+1); st != h.v.th.bad {
		t.Errorf("row style %v", st)
	}
	h.typeText("O") // fewest packets first
	if f := strings.Fields(h.lines()[4]); len(f) < 3 || f[2] != "10" {
		t.Errorf("reversed: first row %q", h.lines()[4])
	}
	h.typeText("O")
	h.key(tcell.KeyEnter)
	h.waitFor("row filter", func() bool { return !h.v.filt.running })
	if got := h.v.filter.input.GetText(); !strings.HasPrefix(got, "tcp.stream eq ") || h.v.list.n != 21 {
		t.Errorf("Enter: filter %q shows %d", got, h.v.list.n)
	}
	if front, _ := h.v.pages.GetFrontPage(); front != "main" {
		t.Errorf("front %q after Enter", front)
	}
	// Expert info: the bad checksums are one group leading to its frames.
	h.typeText("S")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	if _, _, ok := h.find("Error    Checksum                 65  Bad checksum"); !ok {
		t.Fatalf("expert:\n%s", h.dump())
	}
	h.key(tcell.KeyEnter)
	h.waitFor("expert filter", func() bool { return !h.v.filt.running })
	if h.v.list.n != 65 || h.selectedFrame() != 17 {
		t.Errorf("expert Enter: %d shown, frame %d selected; want 65 and frame 18", h.v.list.n, h.selectedFrame()+1)
	}
	h.typeText("S")
	h.key(tcell.KeyTab)
	screen = h.dump()
	if !strings.Contains(screen, "First bad checksum: frame 18 at 3.116158 s") {
		t.Errorf("I/O:\n%s", screen)
	}
	_, by, ok := h.find("Frames with a bad checksum per")
	if !ok {
		t.Fatalf("I/O:\n%s", screen)
	}
	last := []rune(h.lines()[by+2])
	found := false
	for i, r := range last {
		if r == '█' && h.style(i, by+2) == h.v.th.bad {
			found = true
		}
	}
	if !found {
		t.Errorf("no bad-checksum bar in the bad style:\n%s", screen)
	}
	h.key(tcell.KeyEscape)
	if front, _ := h.v.pages.GetFrontPage(); front != "main" {
		t.Errorf("front %q after Esc", front)
	}
}

// TestStatsInBackground: the pass runs without blocking the UI, shows its
// progress, goes on when the view is closed and shows the result when it
// is opened again.
func TestStatsInBackground(t *testing.T) {
	src := newFake(standardFrames())
	src.delay = 20 * time.Millisecond
	h := start(t, src, Options{}, 100, 30)
	h.typeText("S")
	if !strings.Contains(h.dump(), "Statistics - fake.pcap: computing") {
		t.Errorf("no progress:\n%s", h.dump())
	}
	h.key(tcell.KeyEscape)
	if front, _ := h.v.pages.GetFrontPage(); front != "main" {
		t.Fatalf("Esc while computing: front %q", front)
	}
	h.typeText("j") // the list still moves
	h.waitFor("pass done", func() bool { return !h.v.stats.active && h.v.stats.sum != nil })
	h.typeText("S")
	if s := h.dump(); !strings.Contains(s, "Statistics - fake.pcap: "+strconv.Itoa(src.Len())+" frames") {
		t.Errorf("result:\n%s", s)
	}
}

// TestExpertLineFilters: every expert line's filter compiles, the merged
// and the overflow classes too.
func TestExpertLineFilters(t *testing.T) {
	s := stats.NewSummary()
	for i := 0; i < stats.MaxExpertClasses+5; i++ {
		d := &decode.Dissection{Experts: []decode.ExpertInfo{
			{Severity: 0x00200000, Group: 0x02000000, Protocol: "HTTP", Message: "GET /" + strings.Repeat("x", i%50) + "/" + strings.Repeat("y", i/50) + ` HTTP/1.1\r\n`},
			{Severity: 0x00800000, Group: 0x01000000, Protocol: "TCP", Message: "Bad checksum [should be 0x" + strconv.FormatInt(int64(i), 16) + "]"},
		}}
		s.Expert.Add(i+1, d)
	}
	lines := expertLines(s, newTheme(256, false))
	var other, merged bool
	for _, l := range lines {
		if l.act == nil {
			continue
		}
		if _, err := realCompile(l.act.filter); err != nil {
			t.Errorf("%q: %v", l.act.filter, err)
		}
		other = other || strings.Contains(l.text, "other messages")
		merged = merged || strings.Contains(l.text, "(and others like it)")
	}
	if !other || !merged {
		t.Errorf("other %v, merged %v:\n%v", other, merged, lines[:3])
	}
}

// TestPHSLineFilters: Enter on a protocol line filters by the protocol: the
// filter compiles and shows as many frames as the hierarchy counts for the
// protocol (no tunnels in this capture, so a protocol is once in a frame).
// data-text-lines showed nothing until a filter on it made HTTP dissected.
func TestPHSLineFilters(t *testing.T) {
	c := openIndexed(t, "../testdata/captures/veth-offload-a-eth.pcap")
	s := stats.NewSummary()
	c.Tap(s.Packet, nil, nil)
	count := map[string]uint64{}
	var walk func(n *stats.PHSNode)
	walk = func(n *stats.PHSNode) {
		for _, ch := range n.Children {
			count[ch.Name] += ch.Frames
			walk(ch)
		}
	}
	walk(&s.PHS.Root)
	for _, l := range phsLines(s, 100, newTheme(256, false)) {
		if l.act == nil {
			continue
		}
		m, err := realCompile(l.act.filter)
		if err != nil {
			t.Errorf("%q: %v", l.act.filter, err)
			continue
		}
		shown, _ := c.Filter(m, nil, nil)
		if l.act.filter == "data" {
			// data is also inside ICMP errors, which the hierarchy does
			// not walk: tshark -Y data shows 33 here too
			if len(shown) != 33 {
				t.Errorf("data shows %d frames, tshark 33", len(shown))
			}
			continue
		}
		if uint64(len(shown)) != count[l.act.filter] {
			t.Errorf("%q shows %d frames, the hierarchy counts %d", l.act.filter, len(shown), count[l.act.filter])
		}
	}
}
