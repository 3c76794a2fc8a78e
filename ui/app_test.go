package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// rowY finds the screen line of packet number n in the list.
func (h *harness) rowY(n int) int {
	h.t.Helper()
	for y, l := range h.lines() {
		f := strings.Fields(l)
		if len(f) >= 2 && (f[0] == strconv.Itoa(n) || f[1] == strconv.Itoa(n)) && strings.Contains(l, "0.00") {
			return y
		}
	}
	h.t.Fatalf("packet %d not on screen:\n%s", n, h.dump())
	return -1
}

// selectedFrame returns the selected frame index (UI goroutine).
func (h *harness) selectedFrame() int {
	f := -1
	h.do(func() { f = h.v.list.selected() })
	return f
}

func TestScreen80x24(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	lines := h.lines()
	t.Logf("80x24 screen:\n%s", strings.Join(lines, "\n"))
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	if !strings.HasPrefix(lines[0], "Filter: ") {
		t.Errorf("line 0 is not the filter bar: %q", lines[0])
	}
	if !strings.Contains(lines[1], "No.") || !strings.Contains(lines[1], "Checks") || !strings.Contains(lines[1], "Info") {
		t.Errorf("line 1 is not the list header: %q", lines[1])
	}
	if !strings.Contains(lines[23], "fake.pcap") || !strings.Contains(lines[23], "8 packets") ||
		!strings.Contains(lines[23], "4 bad checksums") || !strings.Contains(lines[23], "check all") {
		t.Errorf("status bar: %q", lines[23])
	}
	for _, want := range []string{"Packet details", "Packet bytes", "0000  00 01 02 03", "Frame 1: 60 bytes"} {
		if !strings.Contains(h.dump(), want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	y := h.rowY(3)
	if !strings.HasPrefix(lines[y], "!") || !strings.Contains(lines[y], "ip✓ tcp✗") {
		t.Errorf("bad row: %q", lines[y])
	}
	fg, bg, _ := h.style(40, y).Decompose()
	if fg != wsBadFg || bg != wsDark {
		t.Errorf("bad row colours fg %v bg %v", fg, bg)
	}
	y5 := h.rowY(5)
	if !strings.HasPrefix(lines[y5], "~") || !strings.Contains(lines[y5], "tcp~") {
		t.Errorf("offload row: %q", lines[y5])
	}
	if _, bg5, _ := h.style(40, y5).Decompose(); bg5 != offloadBg {
		t.Errorf("offload row bg %v", bg5)
	}
	if _, bg4, _ := h.style(40, h.rowY(4)).Decompose(); bg4 != wsUDPBg {
		t.Errorf("UDP row bg %v", bg4)
	}
	if _, bg2, _ := h.style(40, h.rowY(2)).Decompose(); bg2 != wsTCPBg {
		t.Errorf("TCP row bg %v", bg2)
	}
	// row 1 is selected: SYN colours swapped
	if fg1, _, _ := h.style(40, h.rowY(1)).Decompose(); fg1 != wsSynFinBg {
		t.Errorf("selected SYN row fg %v", fg1)
	}
	for y, l := range lines {
		if strings.ContainsRune(l, 0x1b) {
			t.Errorf("escape byte on line %d", y)
		}
	}
}

func TestNextPrevBad(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	want := []int{2, 4, 6, 7}
	for _, w := range want {
		h.typeText("n")
		if got := h.selectedFrame(); got != w {
			t.Fatalf("n: frame %d, want %d", got, w)
		}
	}
	h.typeText("n")
	if got := h.selectedFrame(); got != 7 {
		t.Errorf("n past the last bad moved to %d", got)
	}
	if !strings.Contains(h.lines()[23], "no bad checksum after") {
		t.Errorf("no message: %q", h.lines()[23])
	}
	h.typeText("NN")
	if got := h.selectedFrame(); got != 4 {
		t.Errorf("N N: frame %d, want 4", got)
	}
	// the detail tree opened on the bad checksum, the bytes pane shows it
	if !strings.Contains(h.dump(), "Checksum: 0x3233 incorrect") {
		t.Errorf("bad checksum line not shown:\n%s", h.dump())
	}
}

func TestGoto(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText(":")
	if _, _, ok := h.find("Go to packet:"); !ok {
		t.Fatalf("no goto box:\n%s", h.dump())
	}
	h.typeText("6")
	h.key(tcell.KeyEnter)
	if got := h.selectedFrame(); got != 5 {
		t.Errorf("goto 6: frame %d", got)
	}
	h.keyMod(tcell.KeyCtrlG, tcell.ModCtrl)
	h.typeText("2")
	h.key(tcell.KeyEnter)
	if got := h.selectedFrame(); got != 1 {
		t.Errorf("Ctrl-G 2: frame %d", got)
	}
	h.typeText(":99")
	h.key(tcell.KeyEnter)
	if got := h.selectedFrame(); got != 1 || !strings.Contains(h.lines()[23], "no packet 99") {
		t.Errorf("goto 99: frame %d, status %q", got, h.lines()[23])
	}
	h.typeText(":x3") // letters are refused
	h.key(tcell.KeyEscape)
	if got := h.selectedFrame(); got != 1 {
		t.Errorf("Esc in goto moved to %d", got)
	}
}

func TestNavigationKeys(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText("jj")
	if got := h.selectedFrame(); got != 2 {
		t.Errorf("jj: %d", got)
	}
	h.typeText("G")
	if got := h.selectedFrame(); got != 7 {
		t.Errorf("G: %d", got)
	}
	h.typeText("k")
	if got := h.selectedFrame(); got != 6 {
		t.Errorf("k: %d", got)
	}
	h.typeText("g")
	if got := h.selectedFrame(); got != 0 {
		t.Errorf("g: %d", got)
	}
	h.key(tcell.KeyEnd)
	h.key(tcell.KeyUp)
	if got := h.selectedFrame(); got != 6 {
		t.Errorf("End Up: %d", got)
	}
	h.key(tcell.KeyHome)
	h.key(tcell.KeyDown)
	if got := h.selectedFrame(); got != 1 {
		t.Errorf("Home Down: %d", got)
	}
	// Tab moves to the detail tree; its divider shows the focus
	h.key(tcell.KeyTab)
	if !strings.Contains(h.dump(), "▶ Packet details") {
		t.Errorf("focus mark missing:\n%s", h.dump())
	}
	h.key(tcell.KeyTab)
	if !strings.Contains(h.dump(), "▶ Packet bytes") {
		t.Errorf("bytes focus mark missing")
	}
	h.keyMod(tcell.KeyBacktab, tcell.ModShift)
	h.keyMod(tcell.KeyBacktab, tcell.ModShift)
	ok := false
	h.do(func() { ok = h.v.list.table.HasFocus() })
	if !ok {
		t.Error("Shift-Tab twice did not return to the list")
	}
	// a click selects a row
	y := h.rowY(4)
	h.click(30, y)
	if got := h.selectedFrame(); got != 3 {
		t.Errorf("click: %d", got)
	}
}

func TestValidationDialogTogglesTCP(t *testing.T) {
	src := newFake(standardFrames())
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences")
	h := start(t, src, Options{PrefsPath: path}, 80, 24)

	// apply a filter first: it must follow the toggle
	h.typeText("/tcp.checksum.status == 0")
	h.key(tcell.KeyEnter)
	h.waitFor("filter result", func() bool { return h.v.list.n == 3 && !h.v.filt.running })
	if !strings.Contains(h.lines()[23], "3 of 8 shown") {
		t.Errorf("status: %q", h.lines()[23])
	}

	h.typeText("c")
	screen := h.dump()
	t.Logf("dialog:\n%s", screen)
	for _, p := range checksumProtos {
		if !strings.Contains(screen, "[✓] "+p.label+" ("+p.name+")") {
			t.Errorf("dialog lacks %s", p.label)
		}
	}
	h.key(tcell.KeyDown) // TCP
	h.typeText(" ")
	if !strings.Contains(h.dump(), "[ ] TCP (tcp)") {
		t.Fatalf("TCP not switched off:\n%s", h.dump())
	}
	if src.Prefs().Validates("tcp") {
		t.Fatal("SetPrefs not called")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("preferences written without s")
	}
	h.waitFor("filter re-run", func() bool { return h.v.list.n == 0 && !h.v.filt.running })
	h.key(tcell.KeyEscape)
	if !strings.Contains(h.lines()[23], "0 of 8 shown") || !strings.Contains(h.lines()[23], "check all but tcp") ||
		!strings.Contains(h.lines()[23], "1 bad checksum") {
		t.Errorf("status after toggle: %q", h.lines()[23])
	}

	// clear the filter: frame 2 is no longer bad
	h.typeText("/")
	h.key(tcell.KeyCtrlU)
	h.key(tcell.KeyEnter)
	h.waitFor("all rows", func() bool { return h.v.list.n == 8 })
	y := h.rowY(3)
	line := h.lines()[y]
	if !strings.Contains(line, "ip✓ tcp?") || strings.HasPrefix(line, "!") {
		t.Errorf("row 3 after TCP off: %q", line)
	}
	if _, bg, _ := h.style(40, y).Decompose(); bg != wsTCPBg {
		t.Errorf("row 3 bg %v, want TCP colour", bg)
	}

	// switch it back on; s saves; Esc closes
	h.typeText("c") // the dialog reopens on the last switch used: TCP
	h.key(tcell.KeyEnter)
	h.typeText("s")
	if _, err := os.Stat(path); err != nil {
		t.Errorf("s did not save: %v", err)
	}
	h.key(tcell.KeyEscape)
	if strings.Contains(h.dump(), "Checksum validation") {
		t.Error("dialog still open")
	}
	y = h.rowY(3)
	if fg, bg, _ := h.style(40, y).Decompose(); fg != wsBadFg || bg != wsDark {
		t.Errorf("row 3 not bad again: fg %v bg %v", fg, bg)
	}
}

func TestFilterBar(t *testing.T) {
	src := newFake(standardFrames())
	h := start(t, src, Options{}, 80, 24)
	h.typeText("/tcp")
	x, y, _ := h.find("Filter: ")
	fieldX := x + len("Filter: ")
	if _, bg, _ := h.style(fieldX, y).Decompose(); bg != tcell.NewHexColor(0xAFFFAF) {
		t.Errorf("valid filter bg %v", bg)
	}
	h.typeText(" ==")
	if _, bg, _ := h.style(fieldX, y).Decompose(); bg != tcell.NewHexColor(0xFFAFAF) {
		t.Errorf("invalid filter bg %v", bg)
	}
	// a long error wraps above the status line
	if bottom := strings.Join(h.lines()[20:], "\n"); !strings.Contains(bottom, "neither a field") {
		t.Errorf("no error shown: %q", bottom)
	}
	h.key(tcell.KeyEnter) // refused: stays in the bar
	focus := false
	h.do(func() { focus = h.v.filter.input.HasFocus() })
	if !focus {
		t.Error("Enter on a bad filter left the bar")
	}
	for i := 0; i < 3; i++ {
		h.key(tcell.KeyBackspace2)
	}
	h.key(tcell.KeyEnter)
	h.waitFor("tcp filter", func() bool { return h.v.list.n == 7 })
	if strings.Contains(h.dump(), "UDP") && strings.Contains(h.dump(), "5353 → 5353") {
		t.Error("UDP frame still shown")
	}
	// history: Up recalls "tcp"
	h.typeText("/")
	h.key(tcell.KeyCtrlU)
	h.typeText("udp")
	h.key(tcell.KeyEnter)
	h.waitFor("udp filter", func() bool { return h.v.list.n == 1 })
	h.typeText("/")
	h.key(tcell.KeyUp)
	h.key(tcell.KeyUp)
	text := ""
	h.do(func() { text = h.v.filter.input.GetText() })
	if text != "tcp" {
		t.Errorf("history Up Up = %q", text)
	}
	h.key(tcell.KeyDown)
	h.key(tcell.KeyDown)
	h.do(func() { text = h.v.filter.input.GetText() })
	if text != "udp" {
		t.Errorf("history back to draft = %q", text)
	}
	h.key(tcell.KeyEscape)
	// empty clears
	h.typeText("/")
	h.key(tcell.KeyCtrlU)
	h.key(tcell.KeyEnter)
	h.waitFor("cleared", func() bool { return h.v.list.n == 8 && h.v.filt.matcher == nil })
}

func TestFilterRunsInBackground(t *testing.T) {
	frames := standardFrames()
	for len(frames) < 200 {
		frames = append(frames, standardFrames()...)
	}
	src := newFake(frames)
	src.delay = 2e6 // 2 ms a frame: 0.4 s in all
	h := start(t, src, Options{}, 80, 24)
	h.typeText("/tcp")
	h.key(tcell.KeyEnter)
	// the UI still answers while it runs, and shows progress
	h.waitFor("progress", func() bool { return strings.Contains(statusText(h.v.statusInfo(), 200, false), "filtering") })
	h.typeText("j")
	// a new filter cancels the old one
	h.typeText("/")
	h.key(tcell.KeyCtrlU)
	h.typeText("udp")
	h.key(tcell.KeyEnter)
	h.waitFor("udp result", func() bool { return !h.v.filt.running && h.v.filt.matcher != nil })
	n := 0
	h.do(func() { n = h.v.list.n })
	if n != 25 {
		t.Errorf("udp frames shown: %d, want 25", n)
	}
}

func TestHelpOverlay(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText("?")
	screen := h.dump()
	t.Logf("help:\n%s", screen)
	for _, want := range []string{"wirelens help", "Keys", "next / previous packet with a bad checksum"} {
		if !strings.Contains(screen, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	// At 80x24 the legend is below the keys: the help scrolls to it.
	h.key(tcell.KeyEnd)
	if screen = h.dump(); !strings.Contains(screen, "Checksum error") {
		t.Errorf("help lacks %q at its end:\n%s", "Checksum error", screen)
	}
	// the legend swatch of the checksum error rule has its colours
	x, y, ok := h.find("! ")
	if ok {
		if fg, bg, _ := h.style(x, y).Decompose(); fg != wsBadFg || bg != wsDark {
			t.Errorf("legend swatch fg %v bg %v", fg, bg)
		}
	}
	h.key(tcell.KeyEscape)
	if strings.Contains(h.dump(), "wirelens help") {
		t.Error("help still shown")
	}
	h.typeText("?q")
	if strings.Contains(h.dump(), "wirelens help") {
		t.Error("q did not close help")
	}
	done := false
	select {
	case <-h.done:
		done = true
	default:
	}
	if done {
		t.Error("q in help quit the application")
	}
}

func TestBytesFollowTree(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.typeText("nn") // frame 4: offload; the tree opens on the TCP checksum
	field := -1
	h.do(func() { field = h.v.detail.selectedField() })
	d, _ := h.src.Dissect(4)
	if field < 0 || d.Fields[field].Def != tfTCPCk {
		t.Fatalf("selected field %d", field)
	}
	// bytes 50-51 are line 3, bytes 2 and 3 of it
	_, y, ok := h.find("0030  30 31 32 33")
	if !ok {
		t.Fatalf("line 0030 not shown:\n%s", h.dump())
	}
	hx := hexColumn(4, 2)
	if _, bg, _ := h.style(hx, y).Decompose(); bg != tcell.NewHexColor(0x3875D7) {
		t.Errorf("checksum byte not highlighted: %v", bg)
	}
	if _, bg, _ := h.style(hexColumn(4, 5), y).Decompose(); bg == tcell.NewHexColor(0x3875D7) {
		t.Error("byte outside the field highlighted")
	}
	// move the tree selection up: Source Port, bytes 34-35 (line 2, bytes 2,3)
	h.key(tcell.KeyTab)
	h.key(tcell.KeyUp)
	h.do(func() { field = h.v.detail.selectedField() })
	if d.Fields[field].Def != tfSrcPort {
		t.Fatalf("Up selected %s", d.Fields[field].Def.Name)
	}
	_, y2, _ := h.find("0020  20 21 22 23")
	if _, bg, _ := h.style(hexColumn(4, 2), y2).Decompose(); bg != tcell.NewHexColor(0x3875D7) {
		t.Errorf("src port byte not highlighted")
	}
	// click byte 22 (TTL) in the bytes pane: the tree selects ip.ttl
	_, y1, _ := h.find("0010  10 11 12 13")
	h.click(hexColumn(4, 6), y1)
	h.do(func() { field = h.v.detail.selectedField() })
	if field < 0 || d.Fields[field].Def != tfIPTTL {
		t.Errorf("click on byte 22 selected %d", field)
	}
	if !strings.Contains(h.dump(), "Time to Live: 64") {
		t.Error("TTL line not shown")
	}
	// the ASCII column never shows raw control bytes
	_, y3, _ := h.find("0030  30 31")
	if l := h.lines()[y3]; !strings.HasSuffix(strings.TrimRight(l, " "), "012345GE T /.") {
		t.Errorf("ascii column: %q", l)
	}
}

func TestTreeKeys(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.key(tcell.KeyTab) // frame 0, first line selected
	if !strings.Contains(h.dump(), "▸ Ethernet II") {
		t.Fatalf("collapsed node:\n%s", h.dump())
	}
	h.key(tcell.KeyDown)
	h.key(tcell.KeyRight)
	if !strings.Contains(h.dump(), "▾ Ethernet II") || !strings.Contains(h.dump(), "Source: 06:07") {
		t.Errorf("Right did not expand:\n%s", h.dump())
	}
	h.key(tcell.KeyLeft)
	if strings.Contains(h.dump(), "Source: 06:07") {
		t.Error("Left did not collapse")
	}
	h.key(tcell.KeyEnter)
	if !strings.Contains(h.dump(), "Source: 06:07") {
		t.Error("Enter did not toggle")
	}
	h.typeText(" ")
	if strings.Contains(h.dump(), "Source: 06:07") {
		t.Error("Space did not toggle")
	}
	h.typeText("z") // zoom the tree
	h.typeText("]")
	t.Logf("expanded, zoomed tree:\n%s", h.dump())
	for _, want := range []string{"Source: 06:07", "Time to Live: 64", "Source Port: 51000", "[Checksum Status: Good]"} {
		if !strings.Contains(h.dump(), want) {
			t.Errorf("]: %q not shown", want)
		}
	}
	if strings.Contains(h.dump(), "hidden") {
		t.Error("hidden field drawn")
	}
	// packet-derived text is escaped: the "[red]" stays literal
	if !strings.Contains(h.dump(), "Text: [red]GET /\\x1b[2J") {
		t.Errorf("packet text not shown literally:\n%s", h.dump())
	}
	h.typeText("[")
	if strings.Contains(h.dump(), "Source: 06:07") {
		t.Error("[ did not collapse")
	}
	h.keyMod(tcell.KeyRight, tcell.ModCtrl) // Wireshark's Expand All
	if !strings.Contains(h.dump(), "Time to Live: 64") {
		t.Error("Ctrl-Right did not expand all")
	}
	h.keyMod(tcell.KeyLeft, tcell.ModCtrl)
	if strings.Contains(h.dump(), "Time to Live: 64") {
		t.Error("Ctrl-Left did not collapse all")
	}
	h.typeText("e") // in the tree, e expands all rather than opening the report
	if !strings.Contains(h.dump(), "Time to Live: 64") || strings.Contains(h.dump(), "Checksum report") {
		t.Errorf("e in the tree did not expand all:\n%s", h.dump())
	}
	h.typeText("E")
	if strings.Contains(h.dump(), "Time to Live: 64") {
		t.Error("E in the tree did not collapse all")
	}
	h.key(tcell.KeyRight) // Ethernet (selected) open: remembered for the next packet
	h.typeText("z")
	h.key(tcell.KeyBacktab)
	h.typeText("j")
	if !strings.Contains(h.dump(), "Frame 2:") || !strings.Contains(h.dump(), "Source: 06:07") {
		t.Errorf("next packet, expansion not kept:\n%s", h.dump())
	}
}

func TestZoomAndResize(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	heights := func() (l, d, b int) {
		h.do(func() {
			_, _, _, l = h.v.list.table.GetRect()
			_, _, _, d = h.v.detail.tree.GetRect()
			_, _, _, b = h.v.bytes.GetRect()
		})
		return
	}
	l0, d0, b0 := heights()
	if l0+d0+b0 != 24-4 {
		t.Errorf("panes %d+%d+%d", l0, d0, b0)
	}
	h.typeText("++")
	l1, _, _ := heights()
	if l1 <= l0 {
		t.Errorf("+ did not grow the list: %d -> %d", l0, l1)
	}
	h.typeText("----")
	l2, _, _ := heights()
	if l2 >= l0 {
		t.Errorf("- did not shrink the list: %d -> %d", l0, l2)
	}
	h.typeText("z")
	lines := h.lines()
	if strings.Contains(strings.Join(lines, "\n"), "Packet details") {
		t.Error("zoomed list still shows details")
	}
	if l, _, _ := heights(); l != 24-2 {
		t.Errorf("zoomed list height %d", l)
	}
	h.typeText("z")
	if !strings.Contains(h.dump(), "Packet details") {
		t.Error("unzoom")
	}
}

func TestGrowingCapture(t *testing.T) {
	frames := standardFrames()
	for len(frames) < 100 {
		frames = append(frames, standardFrames()...)
	}
	src := newFake(frames)
	src.grow(3, false)
	h := start(t, src, Options{}, 80, 24)
	if !strings.Contains(h.lines()[23], "3 packets, reading…") {
		t.Errorf("status while reading: %q", h.lines()[23])
	}
	src.grow(60, false)
	h.waitFor("rows to appear", func() bool { return h.v.list.n == 60 })
	if got := h.selectedFrame(); got != 0 {
		t.Errorf("selection moved to %d while loading", got)
	}
	off := 0
	h.do(func() { off, _ = h.v.list.table.GetOffset() })
	if off != 0 {
		t.Errorf("list scrolled to %d while loading", off)
	}
	src.grow(100, true)
	h.waitFor("done", func() bool { return h.v.list.n == 100 })
	if s := h.lines()[23]; strings.Contains(s, "reading") || !strings.Contains(s, "100 packets") {
		t.Errorf("status when done: %q", s)
	}
}

func TestNoColor(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{NoColor: true, ASCII: true}, 80, 24)
	t.Logf("no colour:\n%s", h.dump())
	cells, w, ht := h.cells()
	for i, c := range cells[:w*ht] {
		fg, bg, _ := c.Style.Decompose()
		if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
			t.Fatalf("colour at %d,%d", i%w, i/w)
		}
	}
	y := h.rowY(3)
	line := h.lines()[y]
	if !strings.HasPrefix(line, "!") || !strings.Contains(line, "ip+ tcpx") {
		t.Errorf("bad row without colour: %q", line)
	}
	if _, _, a := h.style(40, y).Decompose(); a&tcell.AttrBold == 0 {
		t.Error("bad row not bold")
	}
	if _, _, a := h.style(40, h.rowY(1)).Decompose(); a&tcell.AttrReverse == 0 {
		t.Error("selected row not in reverse video")
	}
	if _, _, a := h.style(40, h.rowY(2)).Decompose(); a != 0 {
		t.Errorf("plain row has attributes %v", a)
	}
	if !strings.Contains(h.dump(), "+ Ethernet II") {
		t.Error("ASCII tree expander missing")
	}
}

func TestQuit(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 80, 24)
	h.sim.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	select {
	case err := <-h.done:
		if err != nil {
			t.Error(err)
		}
		h.done <- nil // for Cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit")
	}
}

func TestEmptyCapture(t *testing.T) {
	src := newFake(nil)
	h := start(t, src, Options{}, 80, 24)
	h.typeText("nNjkG")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.key(tcell.KeyDown)
	if !strings.Contains(h.lines()[23], "0 packets") {
		t.Errorf("status: %q", h.lines()[23])
	}
	_ = decode.ColorNone
}
