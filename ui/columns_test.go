package ui

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// countingSource counts dissections: field columns must dissect only the
// rows drawn.
type countingSource struct {
	*fakeSource
	dissects atomic.Int64
}

func (c *countingSource) Dissect(i int) (*decode.Dissection, error) {
	c.dissects.Add(1)
	return c.fakeSource.Dissect(i)
}

// withColumns is the fake with gui.column.format (and friends) set.
func withColumns(t *testing.T, src *fakeSource, kv ...string) *fakeSource {
	t.Helper()
	p := src.Prefs()
	for i := 0; i+1 < len(kv); i += 2 {
		if err := p.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	src.SetPrefs(p)
	return src
}

// header is the list's title line.
func (h *harness) header() string { return h.lines()[1] }

func TestFieldColumnsOnScreen(t *testing.T) {
	src := withColumns(t, newFake(standardFrames()), "gui.column.format",
		`"No.", "%m", "Port", "%Cus:uitest.tcp.srcport:0:R", "TTL", "%Cus:uitest.ip.ttl:0:U", "Checks", "%Cus:wirelens.checks", "Info", "%i"`)
	h := start(t, src, Options{}, 80, 24)
	t.Logf("screen:\n%s", h.dump())
	hdr := h.header()
	for _, want := range []string{"No.", "Port", "TTL", "Checks", "Info"} {
		if !strings.Contains(hdr, want) {
			t.Errorf("header %q lacks %q", hdr, want)
		}
	}
	for _, gone := range []string{"Time", "Source", "Destination", "Proto"} {
		if strings.Contains(hdr, gone) {
			t.Errorf("header %q has %q, which is not configured", hdr, gone)
		}
	}
	// No. is cells 2-4, Port (numbers, right-aligned) 6-10 after it.
	tcpRow, udpRow := h.lineOf("2 "), h.lineOf("4 ")
	if got := strings.Fields(tcpRow); len(got) < 4 || got[1] != "51000" || got[2] != "64" || got[3] != "ip✓" {
		t.Errorf("TCP row %q: want 2 51000 64 ip✓ tcp✓ ...", tcpRow)
	}
	// frame 4 is UDP: the fake has no UDP port field, so Port is empty.
	if got := strings.Fields(udpRow); len(got) < 3 || got[0] != "4" || got[1] != "64" {
		t.Errorf("UDP row %q: want an empty Port, then TTL 64", udpRow)
	}
	// With few columns Info gets the rest of the line: the whole text.
	if !strings.Contains(h.lineOf("3 "), "51000 → 80 [PSH, ACK] Len=6 [TCP CHECKSUM INCORRECT]") {
		t.Errorf("Info cut: %q", h.lineOf("3 "))
	}
}

// lineOf is the first list line whose text after the mark starts with p.
func (h *harness) lineOf(p string) string {
	h.t.Helper()
	for _, l := range h.lines()[2:] {
		if len(l) > 2 && strings.HasPrefix(strings.TrimLeft(l[1:], " "), p) {
			return l
		}
	}
	h.t.Fatalf("no line starts with %q:\n%s", p, h.dump())
	return ""
}

func TestFieldColumnsDissectOnlyWhatIsDrawn(t *testing.T) {
	frames := make([]fakeFrame, 0, 200_000)
	for len(frames) < cap(frames) {
		frames = append(frames, standardFrames()...)
	}
	src := &countingSource{fakeSource: withColumns(t, newFake(frames), "gui.column.format",
		`"No.", "%m", "Port", "%Cus:uitest.tcp.srcport", "Info", "%i"`)}
	h := startSource(t, src, Options{}, 100, 30)
	first := src.dissects.Load()
	if first == 0 || first > 40 {
		t.Errorf("first screen of 200000 frames: %d dissections, want about a screen", first)
	}
	for i := 0; i < 5; i++ {
		h.key(tcell.KeyPgDn)
	}
	h.key(tcell.KeyEnd)
	h.sync()
	if n := src.dissects.Load(); n > first+6*40 {
		t.Errorf("five pages and End: %d dissections in all, want at most a screen each", n)
	}
	if !strings.Contains(h.dump(), "200000") {
		t.Errorf("End did not reach the last frame:\n%s", h.dump())
	}
}

func TestColumnsDialog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences")
	src := newFake(standardFrames())
	h := start(t, src, Options{PrefsPath: path}, 100, 30)
	h.typeText("L")
	if _, _, ok := h.find("Columns (gui.column.format)"); !ok {
		t.Fatalf("no columns dialog:\n%s", h.dump())
	}
	// Time is the second column: hide it.
	h.key(tcell.KeyDown)
	h.typeText(" ")
	if strings.Contains(h.header(), "Time") {
		t.Errorf("Time still shown: %q", h.header())
	}
	// add a field column after it, by name: titled with the field's label
	h.typeText("a")
	h.typeText("uitest.ip.ttl")
	h.key(tcell.KeyEnter)
	if !strings.Contains(h.header(), "Time to Live") {
		t.Errorf("no TTL column: %q\n%s", h.header(), h.dump())
	}
	// a bad name is refused with the reason, the columns unchanged
	h.typeText("a")
	h.typeText("uitest.ip.tll")
	h.key(tcell.KeyEnter)
	if d := strings.Join(strings.Fields(strings.ReplaceAll(h.dump(), "║", " ")), " "); !strings.Contains(d, `"uitest.ip.tll" is not a field wirelens knows; did you mean uitest.ip.ttl?`) {
		t.Errorf("bad field not explained:\n%s", h.dump())
	}
	h.key(tcell.KeyEscape) // leaves the input
	// move TTL (selected after adding) one up, before Time: it is then
	// right after No.
	h.typeText("K")
	if f := strings.Fields(h.header()); len(f) < 4 || f[1] != "Time" || f[2] != "to" {
		t.Errorf("TTL not moved after No.: %q", h.header())
	}
	// wider: three cells more than its content width
	var before int
	h.do(func() { before = h.v.list.widthOf(1) })
	h.typeText(">>>")
	var after int
	h.do(func() { after = h.v.list.widthOf(1) })
	if after != before+3 {
		t.Errorf("width %d after > > >, want %d", after, before+3)
	}
	h.typeText("s")
	if !strings.Contains(h.dump(), "saved to") {
		t.Errorf("not saved:\n%s", h.dump())
	}
	h.key(tcell.KeyEscape)
	if _, _, ok := h.find("Columns (gui.column.format)"); ok {
		t.Error("Esc did not close the dialog")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`gui.column.format: "No.", "%m", "Time to Live", "%Cus:uitest.ip.ttl:0:R", "Time", "%t",`,
		"gui.column.hidden: %t",
		`wirelens.column.width: "%Cus:uitest.ip.ttl:0:R", "`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("saved file lacks %q:\n%s", want, data)
		}
	}
	// and they load back as they were saved
	p, warns, err := prefs.Load(path)
	if err != nil || len(warns) > 0 {
		t.Fatalf("load: %v %v", err, warns)
	}
	defs := columnDefs(p)
	if defs[1].title != "Time to Live" || !defs[2].pc.Hidden || defs[1].pc.Width != after {
		t.Errorf("loaded columns: %+v", defs[:3])
	}
}

func TestColumnPrefsBadValuesNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences")
	if err := os.WriteFile(path, []byte("gui.column.format: \"No.\", \"%m\", \"W\", \"%Cus:tcp.windw_size\"\n"+
		"wirelens.column.width: \"%m\", \"wide\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, warns, err := prefs.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	for _, w := range warns {
		all += w.String() + "\n"
	}
	for _, want := range []string{
		"preference gui.column.format", `"tcp.windw_size" is not a field wirelens knows`, "did you mean tcp.window_size",
		"preference wirelens.column.width", "want a number of cells", "using the default",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if got := columnDefs(p); len(got) != len(defaultColumnDefs()) {
		t.Errorf("a bad value should leave the default columns, got %d", len(got))
	}
	var q prefs.Prefs = prefs.Default()
	if err := q.Override(`gui.column.format:"No.","%m","X","%Zz"`); err == nil || !strings.Contains(err.Error(), `format "%Zz" is not one wirelens shows`) {
		t.Errorf("-o with an unknown format: %v", err)
	}
}

// At 80x24 long texts are whole on the screen: a filter error wraps above
// the status line, and Info gets the room the other columns do not need.
func TestLayout80x24(t *testing.T) {
	src := newFake(standardFrames())
	h := start(t, src, Options{}, 80, 24)
	cols := []column{}
	h.do(func() { cols = h.v.list.columns() })
	info := cols[len(cols)-1]
	if info.id != colInfo || info.width < 26 {
		t.Errorf("Info %d cells wide at 80 columns: %+v", info.width, cols)
	}
	if !strings.Contains(h.lines()[h.rowY(4)], "5353 → 5353 Len=6") || !strings.Contains(h.lines()[h.rowY(2)], "80 → 51000 [ACK] Seq=1 Ack=1") {
		t.Errorf("Info cut:\n%s", h.dump())
	}
	h.typeText("/tcp.checksum.bad.and.a.long.tail.of.text.that.cannot.fit ==")
	msg := `column 5: "tcp.checksum.bad.and.a.long.tail.of.text.that.cannot.fit ==" is neither a field nor a protocol name`
	lines := h.lines()
	joined := strings.Join(lines[19:], "")
	squeezed := strings.Join(strings.Fields(joined), " ")
	if !strings.Contains(squeezed, msg) {
		t.Errorf("error not whole on screen:\n%s", strings.Join(lines[19:], "\n"))
	}
	if !strings.Contains(lines[23], "8 packets") {
		t.Errorf("the status line lost its place: %q", lines[23])
	}
	h.key(tcell.KeyEscape)
}

// A tree line the pane cuts is shown whole, wrapped above the status line,
// while it is selected; the tree keeps it in view.
func TestLongTreeLineWraps(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 40, 18)
	h.key(tcell.KeyTab)
	h.typeText("]")
	for i := 0; i < 7; i++ { // to the TCP line
		h.key(tcell.KeyDown)
	}
	whole := "Transmission Control Protocol, Src Port: 51000, Dst Port: 80"
	// the height changes on the draw after the key; the ticker draws again
	bottom := func() string {
		ls := h.lines()
		return strings.Join(strings.Fields(strings.Join(ls[len(ls)-4:], " ")), " ")
	}
	h.screenWait("the line whole above the status line", func() bool { return strings.Contains(bottom(), whole) })
	h.screenWait("the selected line in the tree pane", func() bool {
		for _, l := range h.lines()[:12] {
			if strings.Contains(l, "▾ Transmission Control Protocol, Src") {
				return true
			}
		}
		return false
	})
	if ls := h.lines(); !strings.Contains(ls[len(ls)-1], "8 packets") {
		t.Errorf("status line: %q", ls[len(ls)-1])
	}
	// a line that fits adds nothing
	h.key(tcell.KeyUp)
	h.screenWait("the status line alone", func() bool { return !strings.Contains(bottom(), "Port: 51000") })
}

// screenWait polls cond, which may read the screen (waitFor's runs on the
// UI goroutine and may not).
func (h *harness) screenWait(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.dump())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// L on a tree field offers it as the column to add (Apply as Column).
func TestApplyAsColumn(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 100, 30)
	h.key(tcell.KeyTab)
	h.typeText("]")
	for i := 0; i < 4; i++ { // Frame, Ethernet, Source, IPv4, Time to Live
		h.key(tcell.KeyDown)
	}
	var name string
	h.do(func() { name = h.v.selectedField().Def.Name })
	if name != "uitest.ip.ttl" {
		t.Fatalf("selected %s", name)
	}
	h.typeText("L")
	h.typeText("a")
	if _, _, ok := h.find("Add field: uitest.ip.ttl"); !ok {
		t.Fatalf("the field is not offered:\n%s", h.dump())
	}
	h.key(tcell.KeyEnter)
	h.key(tcell.KeyEscape)
	if !strings.Contains(h.header(), "Time to Live") {
		t.Errorf("no column: %q", h.header())
	}
}
