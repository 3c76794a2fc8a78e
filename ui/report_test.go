package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

func TestFlowFilter(t *testing.T) {
	for flow, want := range map[string]string{
		"TCP 10.99.0.1:46426 → 10.99.0.2:9000":       "ip.addr == 10.99.0.1 && ip.addr == 10.99.0.2 && tcp.port == 46426 && tcp.port == 9000",
		"UDP [fd00:99::1]:5353 → [fd00:99::2]:53":    "ipv6.addr == fd00:99::1 && ipv6.addr == fd00:99::2 && udp.port == 5353 && udp.port == 53",
		"10.0.0.1 → 10.0.0.2":                        "ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2",
		"fd00::1 → fd00::2":                          "ipv6.addr == fd00::1 && ipv6.addr == fd00::2",
		" → ":                                        "",
		"TCP 10.0.0.1:x → 10.0.0.2:80":               "",
		`TCP 10.0.0.1" || 1:5 → 10.0.0.2:80`:         "",
		"TCP 10.99.0.1:46426 → 10.99.0.2:999999":     "",
		"something else entirely":                    "",
		"TCP [fd00:99::1]:38930 → [fd00:99::2]:9000": "ipv6.addr == fd00:99::1 && ipv6.addr == fd00:99::2 && tcp.port == 38930 && tcp.port == 9000",
	} {
		if got := flowFilter(flow); got != want {
			t.Errorf("flowFilter(%q) = %q, want %q", flow, got, want)
		}
	}
	if got := statusClause("udplite", decode.StatusBad); got != "udp.checksum.status == 0 && udplite" {
		t.Errorf("udplite clause %q", got)
	}
}

// fakeReport is the fake capture's report, computed synchronously.
func fakeReport(t *testing.T, src *fakeSource) *decode.Report {
	r, ok := src.Report(nil, nil)
	if !ok {
		t.Fatal("report stopped")
	}
	return r
}

func TestReportLines(t *testing.T) {
	src := newFake(standardFrames())
	lines := reportLines(fakeReport(t, src))
	find := func(sub string) reportLine {
		t.Helper()
		for _, l := range lines {
			if strings.Contains(l.text, sub) {
				return l
			}
		}
		t.Fatalf("no line with %q in %v", sub, lines)
		return reportLine{}
	}
	sus := find("with no offload pattern")
	if sus.kind != lkBad || sus.act == nil || sus.act.filter != `wirelens.hint == "suspect"` || sus.act.frame != 2 {
		t.Errorf("suspect verdict line: %+v %+v", sus, sus.act)
	}
	off := find("checksum offload, not corruption")
	if off.kind != lkOffload || off.act == nil || off.act.filter != `tcp.checksum.status == 0 && wirelens.hint != "suspect"` {
		t.Errorf("offload verdict line: %+v %+v", off, off.act)
	}
	row := find("TCP          Bad         suspect")
	if row.act == nil || row.act.filter != `tcp.checksum.status == 0 && wirelens.hint == "suspect" && (frame.packet_flags_direction == 1 || sll.pkttype <= 3)` {
		t.Errorf("hint row: %+v", row.act)
	}
	if p := find("TCP          yes"); p.act == nil || p.act.filter != "tcp.checksum.status == 0" {
		t.Errorf("protocol row: %+v", p.act)
	}
	if p := find("UDP          yes"); p.act == nil || p.act.filter != "udp.checksum" {
		t.Errorf("protocol row without bad: %+v", p.act)
	}
	flow := find("TCP 10.0.0.1:51000")
	if flow.act == nil || flow.act.frame != 2 || !strings.HasPrefix(flow.act.filter, "ip.addr == 10.0.0.1 && ip.addr == 192.168.100.200") {
		t.Errorf("flow line: %+v", flow.act)
	}
	for _, l := range lines {
		if w := textWidth(l.text); !l.wrap && w > 78 {
			t.Errorf("table line %d cells wide: %q", w, l.text)
		}
	}

	// validation off: the verdict says so, and Enter on it opens the dialog
	p := src.Prefs()
	p.SetValidates("ip", false)
	src.SetPrefs(p)
	lines = reportLines(fakeReport(t, src))
	nv := find("Not validated (switched off): IPv4 header")
	if nv.act == nil || !nv.act.prefs {
		t.Errorf("validation line: %+v", nv.act)
	}
	if l := find("IPv4 header  NO"); !strings.Contains(l.text, "0       0       8") {
		t.Errorf("IPv4 row with validation off: %q", l.text)
	}
}

func TestWrapText(t *testing.T) {
	got := wrapText("aaaa bbbb cccc dddd", 10, 2)
	want := []string{"aaaa bbbb", "  cccc", "  dddd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap: %q", got)
	}
	if got := wrapText("abcdefghijklmnop", 10, 2); got[0] != "abcdefghij" || textWidth(got[1]) > 10 {
		t.Errorf("long word: %q", got)
	}
	for _, l := range wrapText("→ → → → → → → → → → → →", 7, 1) {
		if textWidth(l) > 7 {
			t.Errorf("wide line %q", l)
		}
	}
}

// waitReport opens the report and waits until it is computed.
func (h *harness) waitReport() {
	h.t.Helper()
	h.waitFor("report", func() bool { return h.v.reports.open && !h.v.report.active && h.v.report.rep != nil })
}

func TestReportViewJumpsToSuspectFrames(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText("e")
	h.waitReport()
	screen := h.dump()
	t.Logf("report at 80x24:\n%s", screen)
	for _, want := range []string{"Checksum report - fake.pcap: 8 frames", "Verdict", "Checksums by protocol",
		"Enter show packets", "3 bad checksums with no offload pattern"} {
		if !strings.Contains(screen, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for y, l := range h.lines() {
		if w := textWidth(strings.TrimRight(l, " ")); w > 80 {
			t.Errorf("line %d is %d wide", y, w)
		}
	}
	// the first selectable line is the accusing one, selected and red
	x, y, _ := h.find("3 bad checksums with no")
	if fg, _, a := h.style(x, y).Decompose(); fg != tcell.NewHexColor(0xE04040) || a&tcell.AttrReverse == 0 {
		t.Errorf("selected suspect line fg %v attrs %v", fg, a)
	}
	// the offload explanation below it is amber and not selected
	ox, oy, _ := h.find("1 of 3 bad TCP")
	if fg, _, a := h.style(ox, oy).Decompose(); a&tcell.AttrReverse != 0 || fg != tcell.NewHexColor(0xD08A00) {
		t.Errorf("offload line style %v %v", fg, a)
	}
	if oy <= y {
		t.Errorf("offload line (row %d) is not below the suspect line (row %d)", oy, y)
	}
	h.key(tcell.KeyDown)
	if _, _, a := h.style(ox, oy).Decompose(); a&tcell.AttrReverse == 0 {
		t.Error("Down did not select the offload line")
	}
	h.key(tcell.KeyUp)
	if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrReverse == 0 {
		t.Error("Up did not select the suspect line again")
	}
	h.key(tcell.KeyEnter)
	h.waitFor("suspect filter", func() bool { return !h.v.filt.running && h.v.list.n == 3 && !h.v.reports.open })
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("Enter selected frame %d, want 2", got)
	}
	text := ""
	h.do(func() { text = h.v.filter.input.GetText() })
	if text != `wirelens.hint == "suspect"` {
		t.Errorf("filter bar: %q", text)
	}
	if !strings.Contains(h.lines()[23], "3 of 8 shown") {
		t.Errorf("status: %q", h.lines()[23])
	}
	for _, want := range []int{6, 7} {
		h.typeText("n")
		if got := h.selectedFrame(); got != want {
			t.Errorf("n: frame %d, want %d", got, want)
		}
	}
	h.typeText("N")
	if got := h.selectedFrame(); got != 6 {
		t.Errorf("N: frame %d", got)
	}
	// the filter joined the history
	h.typeText("/")
	h.key(tcell.KeyUp)
	h.do(func() { text = h.v.filter.input.GetText() })
	if text != `wirelens.hint == "suspect"` {
		t.Errorf("history: %q", text)
	}
	h.key(tcell.KeyEscape)
}

func TestReportTableRowAndFlow(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText("e")
	h.waitReport()
	// down to the "TCP Bad suspect" row of the hint table
	for i := 0; i < 30; i++ {
		x, y, ok := h.find("TCP          Bad         suspect")
		if ok {
			if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrReverse != 0 {
				break
			}
		}
		h.key(tcell.KeyDown)
	}
	h.key(tcell.KeyEnter)
	h.waitFor("row filter", func() bool { return !h.v.filt.running && h.v.filt.matcher != nil && !h.v.reports.open })
	if !strings.Contains(h.lines()[0], `tcp.checksum.status == 0 && wirelens.hint == "suspect"`) {
		t.Errorf("filter bar: %q", h.lines()[0])
	}
	// flows: End selects the last flow
	h.typeText("e")
	h.waitReport()
	h.key(tcell.KeyEnd)
	t.Logf("report end:\n%s", h.dump())
	h.key(tcell.KeyEnter)
	h.waitFor("flow filter", func() bool { return !h.v.filt.running && !h.v.reports.open })
	if !strings.Contains(h.lines()[0], "ip.addr == 10.0.0.1 && ip.addr == 192.168.100.200") {
		t.Errorf("flow filter bar: %q", h.lines()[0])
	}
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("flow: selected %d, want its first frame 2", got)
	}
}

func TestReportFollowsPrefsAndCloses(t *testing.T) {
	src := newFake(standardFrames())
	h := start(t, src, Options{}, 80, 24)
	h.typeText("e")
	h.waitReport()
	if strings.Contains(h.dump(), "Not validated") {
		t.Error("validation line with everything on")
	}
	h.typeText("c") // validation dialog over the report
	h.typeText(" ") // IPv4 off
	h.key(tcell.KeyEscape)
	h.waitReport()
	screen := h.dump()
	if !strings.Contains(screen, "Not validated (switched off): IPv4 header") || !strings.Contains(screen, "IPv4 header  NO") {
		t.Errorf("report did not follow the preferences:\n%s", screen)
	}
	// Enter on the validation line opens the dialog
	h.key(tcell.KeyEnd)
	for i := 0; i < 40; i++ {
		x, y, ok := h.find("Not validated")
		if ok {
			if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrReverse != 0 {
				break
			}
		}
		h.key(tcell.KeyUp)
	}
	h.key(tcell.KeyEnter)
	if !strings.Contains(h.dump(), "Checksum validation") {
		t.Fatalf("validation dialog not opened:\n%s", h.dump())
	}
	h.typeText(" ")
	h.key(tcell.KeyEscape)
	h.waitReport()
	if strings.Contains(h.dump(), "Not validated") {
		t.Error("IPv4 back on, report still says not validated")
	}
	h.typeText("q") // q closes the report, not the program
	if strings.Contains(h.dump(), "Checksum report") || !strings.Contains(h.dump(), "Packet details") {
		t.Errorf("q did not close the report:\n%s", h.dump())
	}
	select {
	case <-h.done:
		t.Fatal("q in the report quit")
	default:
	}
}

func TestReportRunsInBackgroundAndCancels(t *testing.T) {
	frames := standardFrames()
	for len(frames) < 400 {
		frames = append(frames, standardFrames()...)
	}
	src := newFake(frames)
	src.delay = 2 * time.Millisecond
	h := start(t, src, Options{}, 80, 24)
	h.typeText("e")
	h.waitFor("progress", func() bool { return strings.Contains(h.v.report.title(), "computing") })
	h.waitFor("progress on screen", func() bool {
		c, w, ht := h.sim.GetContents()
		return strings.Contains(strings.Join(cellLines(c, w, ht), "\n"), "computing")
	})
	h.key(tcell.KeyEscape) // closing cancels
	h.waitFor("cancelled", func() bool {
		src.mu.Lock()
		defer src.mu.Unlock()
		return src.reportsStopped == 1
	})
	if h.v.reports.open {
		t.Error("report still open")
	}
	h.typeText("j") // the UI answers
	if got := h.selectedFrame(); got != 1 {
		t.Errorf("j: %d", got)
	}
}

func TestReportNoColor(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{NoColor: true, ASCII: true}, 80, 24)
	h.typeText("e")
	h.waitReport()
	t.Logf("report without colour:\n%s", h.dump())
	cells, w, ht := h.cells()
	for i, c := range cells[:w*ht] {
		fg, bg, _ := c.Style.Decompose()
		if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
			t.Fatalf("colour at %d,%d", i%w, i/w)
		}
	}
	x, y, _ := h.find("3 bad checksums with no")
	if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrBold == 0 || a&tcell.AttrReverse == 0 {
		t.Error("selected suspect line not bold and reverse without colour")
	}
	x, y, _ = h.find("1 of 3 bad TCP")
	if _, _, a := h.style(x, y).Decompose(); a&tcell.AttrReverse != 0 {
		t.Error("unselected offload line in reverse without colour")
	}
	if !strings.Contains(h.dump(), "Enter show packets | c validation") {
		t.Error("ASCII footer")
	}
}

// TestReportOnDemo runs the view over the real demo capture: the verdict
// matches --checksum-report, every line's filter compiles, and each hint
// row's filter shows as many frames as the row counts.
func TestReportOnDemo(t *testing.T) {
	c, err := capture.Open("../cmd/wirelens/demo.pcap", prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for done, _ := c.Indexing(); !done; done, _ = c.Indexing() {
		if time.Now().After(deadline) {
			t.Fatal("demo not indexed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	compile := func(expr string) (decode.Matcher, error) {
		f, err := filter.Compile(expr)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	rep, ok := c.Report(nil, nil)
	if !ok {
		t.Fatal("report stopped")
	}
	for _, l := range reportLines(rep) {
		if l.act == nil || l.act.filter == "" {
			continue
		}
		m, err := compile(l.act.filter)
		if err != nil {
			t.Errorf("%q: %v", l.act.filter, err)
			continue
		}
		shown, _ := c.Filter(m, nil, nil)
		if len(shown) == 0 {
			t.Errorf("%q shows nothing", l.act.filter)
		}
		if l.act.frame >= 0 && (len(shown) == 0 || shown[0] > l.act.frame) {
			t.Errorf("%q: frame %d not shown", l.act.filter, l.act.frame)
		}
		if strings.Contains(l.act.filter, "wirelens.hint ==") && strings.Contains(l.act.filter, "direction") {
			f := strings.Fields(l.text)
			if n := f[len(f)-1]; n != strconv.Itoa(len(shown)) {
				t.Errorf("%q: %d frames, row counts %s", l.act.filter, len(shown), n)
			}
		}
	}
	h := startSource(t, c, Options{Compile: compile, FileName: "demo"}, 120, 35)
	h.typeText("e")
	h.waitReport()
	screen := h.dump()
	t.Logf("demo report:\n%s", screen)
	if !strings.Contains(screen, "3 bad checksums with no offload pattern") || !strings.Contains(screen, "frames 6, 42, 64") {
		t.Error("demo verdict")
	}
	h.key(tcell.KeyEnter)
	h.waitFor("suspect frames", func() bool { return !h.v.filt.running && h.v.list.n == 3 })
	if got := h.selectedFrame(); got != 5 {
		t.Errorf("selected %d, want frame 6", got+1)
	}
	h.typeText("n")
	if got := h.selectedFrame(); got != 41 {
		t.Errorf("n: %d, want frame 42", got+1)
	}
}
