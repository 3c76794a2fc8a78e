package ui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

// compareHarness runs the compare view over the real captures of both
// ends of testdata/make-compare.sh's faulty path, until the comparison
// is done and every frame is on a row.
func compareHarness(t *testing.T, w, h int, opts Options) (*harness, *compare.Session) {
	t.Helper()
	return compareHarnessWith(t, w, h, opts, nil)
}

func compareHarnessWith(t *testing.T, w, h int, opts Options, prep func(caps [2]Source)) (*harness, *compare.Session) {
	t.Helper()
	a, b := "../testdata/compare/a.pcapng", "../testdata/compare/b.pcapng"
	var caps [2]Source
	var srcs [2]compare.Source
	for i, path := range []string{a, b} {
		c, err := capture.Open(path, prefs.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		caps[i] = c
		r, err := capfile.Open(path, capfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		srcs[i] = compare.Source{Reader: r, Name: path}
	}
	if prep != nil {
		prep(caps)
	}
	sess := compare.Start(srcs[0], srcs[1], compare.Options{Prefs: prefs.Default()})
	sess.Wait()
	opts.Compare = &CompareSetup{Sides: caps, Cmp: sess}
	opts.Compile = func(expr string) (decode.Matcher, error) {
		f, err := filter.Compile(expr)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	hs := startSource(t, nil, opts, w, h)
	hs.waitFor("every frame on a row", func() bool {
		c := hs.v.cmp
		return c.done && int(c.al.i) == caps[0].Len() && placedAll(c, caps[1].Len())
	})
	return hs, sess
}

func placedAll(c *compareView, n int) bool {
	for j := 0; j < n; j++ {
		if !c.al.isPlaced(j) {
			return false
		}
	}
	return true
}

// rowFor selects the row holding side's frame (0-based) and returns its
// screen line.
func rowFor(t *testing.T, h *harness, side, frame int) string {
	t.Helper()
	var line string
	h.do(func() {
		c := h.v.cmp
		c.table.Select(c.tableRowOf(int(c.al.rowOf[side][frame])), 0)
	})
	tag := sideName(side) + " packet " + strconv.Itoa(frame+1)
	for _, l := range h.lines() {
		if strings.Contains(l, tag) {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no pane title for %s:\n%s", tag, h.dump())
	}
	return selectedLine(t, h)
}

// selectedLine is the screen line of the selected list row.
func selectedLine(t *testing.T, h *harness) string {
	t.Helper()
	var y int
	h.do(func() {
		c := h.v.cmp
		tr, _ := c.table.GetSelection()
		off, _ := c.table.GetOffset()
		_, ty, _, _ := c.table.GetInnerRect()
		y = ty + 1 + (tr - 1 - off)
	})
	return h.lines()[y]
}

// TestCompareSideBySide: each row holds A's frame left and its
// counterpart right, the status between them as a mark and a word, as
// the comparison decided; a TSO frame's further segments follow on rows
// of their own, a lost frame has a gap.
func TestCompareSideBySide(t *testing.T) {
	h, sess := compareHarness(t, 160, 45, Options{})
	lines := h.lines()
	if !strings.HasPrefix(lines[0], "Compare [side by side]  A: ../testdata/compare/a.pcapng (136)  B: ../testdata/compare/b.pcapng (161)") {
		t.Fatalf("head %q", lines[0])
	}
	if sum := sess.Summary(); !strings.HasPrefix(lines[1], sum[:60]) {
		t.Errorf("summary line %q, want %q", lines[1], sum)
	}
	if !strings.Contains(lines[2], "A No.") || !strings.Contains(lines[2], "Status") || !strings.Contains(lines[2], "B No.") {
		t.Errorf("titles %q", lines[2])
	}
	ra, _ := sess.Results(0, 0, nil, nil)
	checked := map[compare.Status]bool{}
	for f, r := range ra {
		if checked[r.Status] && !(r.Status == compare.StatusResegmented) {
			continue
		}
		checked[r.Status] = true
		line := rowFor(t, h, 0, f)
		fields := strings.Fields(line)
		if fields[0] != strconv.Itoa(f+1) {
			t.Errorf("A %d: row %q", f+1, line)
		}
		want := cmpStatusGlyph(r.Status, false) + " " + r.Status.String()
		if !strings.Contains(line, want) {
			t.Errorf("A %d (%s): row %q lacks %q", f+1, r.Status, line, want)
		}
		if r.Status == compare.StatusMissing && len(r.Peers) == 0 {
			if !strings.Contains(line, "(no counterpart)") {
				t.Errorf("lost A %d: row %q shows no gap", f+1, line)
			}
			continue
		}
		// The first counterpart is beside it, the next ones below.
		right := line[strings.Index(line, r.Status.String())+len(r.Status.String()):]
		if strings.Fields(right)[0] != strconv.Itoa(r.Peers[0]) {
			t.Errorf("A %d: B side %q, want B %d", f+1, right, r.Peers[0])
		}
	}
	for _, st := range []compare.Status{compare.StatusSame, compare.StatusAltered, compare.StatusMissing, compare.StatusResegmented} {
		if !checked[st] {
			t.Errorf("no %s frame in the test pair", st)
		}
	}
	// A 47 is one TSO frame; B's further segments of it come below.
	rowFor(t, h, 0, 46)
	var peers []int
	if r := ra[46]; len(r.Peers) < 2 {
		t.Fatalf("A 47 has peers %v", r.Peers)
	} else {
		peers = r.Peers
	}
	h.key(tcell.KeyDown)
	line := selectedLine(t, h)
	if !strings.HasPrefix(strings.TrimSpace(line), "↑") || !strings.Contains(line, "(part of above)") {
		t.Errorf("row below A 47: %q", line)
	}
	if !strings.Contains(line, " "+strconv.Itoa(peers[1])+" ") {
		t.Errorf("row below A 47 %q does not hold B %d", line, peers[1])
	}
	// The altered status is coloured and marked; the colourless mark
	// is there too.
	x, y, ok := h.find("≠ altered")
	if !ok {
		t.Fatal("no altered row on screen")
	}
	if fg, _, _ := h.style(x, y).Decompose(); fg == tcell.ColorDefault {
		t.Error("altered status not coloured")
	}
}

// TestCompareMerged: one list, a column naming the capture(s) holding
// the packet, both frame numbers.
func TestCompareMerged(t *testing.T) {
	h, sess := compareHarness(t, 120, 40, Options{})
	h.typeText("v")
	lines := h.lines()
	if !strings.HasPrefix(lines[0], "Compare [merged]") || !strings.HasPrefix(lines[2], "In   Status        A No. B No.") {
		t.Fatalf("merged head:\n%s", strings.Join(lines[:3], "\n"))
	}
	ra, _ := sess.Results(0, 0, nil, nil)
	lost := -1
	for f, r := range ra {
		if r.Status == compare.StatusMissing && len(r.Peers) == 0 {
			lost = f
			break
		}
	}
	if lost < 0 {
		t.Fatal("no lost frame in A")
	}
	line := rowFor(t, h, 0, lost)
	if f := strings.Fields(line); f[0] != "A" || f[1] != "∅" || f[2] != "missing" || f[3] != strconv.Itoa(lost+1) {
		t.Errorf("lost A %d: merged row %q", lost+1, line)
	}
	line = rowFor(t, h, 0, 46)
	if f := strings.Fields(line); f[0] != "A+B" || f[3] != "47" || f[4] != strconv.Itoa(ra[46].Peers[0]) {
		t.Errorf("A 47: merged row %q", line)
	}
	rb, _ := sess.Results(1, 0, nil, nil)
	for j, r := range rb {
		if len(r.Peers) == 0 {
			line := rowFor(t, h, 1, j)
			if f := strings.Fields(line); f[0] != "B" || f[3] != strconv.Itoa(j+1) {
				t.Errorf("B-only %d: merged row %q", j+1, line)
			}
			break
		}
	}
}

// TestCompareCounterpartAndBytes: p jumps between a packet and its
// counterpart; the bytes pane marks the differing bytes of the pair.
func TestCompareCounterpartAndBytes(t *testing.T) {
	h, sess := compareHarness(t, 120, 50, Options{})
	rb, _ := sess.Results(1, 0, nil, nil)
	// A frame damaged on the wire at B: one byte of its payload.
	j := -1
	for k, r := range rb {
		if r.Status == compare.StatusAltered && r.Verdict == compare.VerdictDamaged && r.DiffField == "tcp.payload" {
			j = k
			break
		}
	}
	if j < 0 {
		t.Fatal("no frame damaged on the wire in B")
	}
	r := rb[j]
	rowFor(t, h, 1, j)
	h.typeText("l")
	if _, _, ok := h.find("Packet bytes — B packet " + strconv.Itoa(j+1)); !ok {
		t.Fatalf("bytes pane not on B %d:\n%s", j+1, h.dump())
	}
	off := r.Ranges[0][0]
	hexOff := strconv.FormatInt(int64(off/16*16), 16)
	hexOff = strings.Repeat("0", 4-len(hexOff)) + hexOff + "  "
	bx, by, ok := h.find(hexOff)
	if !ok {
		t.Fatalf("bytes line %q not on screen:\n%s", hexOff, h.dump())
	}
	var diff tcell.Style
	h.do(func() { diff = h.v.th.diffStyle() })
	at := bx + hexColumn(4, off%16)
	if got := h.style(at, by); got != diff && got != diff.Underline(true) {
		t.Errorf("byte %d (x %d, y %d) style %v, want the difference's %v\n%s", off, at, by, got, diff, h.dump())
	}
	other := bx + hexColumn(4, (off+3)%16)
	if h.style(other, by) == diff {
		t.Errorf("byte %d marked too", off/16*16+(off+3)%16)
	}
	// p: to the counterpart in A, and back.
	h.typeText("p")
	a := r.Peers[0]
	if _, _, ok := h.find("Packet details — A packet " + strconv.Itoa(a)); !ok {
		t.Fatalf("p did not go to A %d:\n%s", a, h.dump())
	}
	if _, _, ok := h.find("B " + strconv.Itoa(j+1) + " ↔ A " + strconv.Itoa(a)); !ok {
		t.Errorf("no jump message:\n%s", h.dump())
	}
	h.typeText("p")
	if _, _, ok := h.find("Packet details — B packet "); !ok {
		t.Errorf("p did not come back to B:\n%s", h.dump())
	}
	// n from the top walks the altered and missing rows in order.
	h.key(tcell.KeyHome)
	h.typeText("n")
	var first int
	h.do(func() {
		c := h.v.cmp
		for k, rw := range c.rows {
			if st, _ := c.status(rw); st == compare.StatusAltered || st == compare.StatusMissing {
				first = k
				break
			}
		}
		tr, _ := c.table.GetSelection()
		if c.rowAt(tr) != first {
			t.Errorf("n selected row %d, the first difference is row %d", c.rowAt(tr), first)
		}
	})
}

// TestCompareFilter: the compare fields filter both captures; the packet
// view of A (Esc) filters on them too.
func TestCompareFilter(t *testing.T) {
	h, sess := compareHarness(t, 120, 40, Options{})
	h.typeText("/")
	h.typeText(`wirelens.compare.status == "altered"`)
	h.key(tcell.KeyEnter)
	counts := sess.Counts()
	h.waitFor("the filter", func() bool { return h.v.cmp.shown != nil })
	h.do(func() {
		c := h.v.cmp
		if len(c.shown) == 0 {
			t.Fatal("nothing shown")
		}
		na := 0
		for _, i := range c.shown {
			rw := c.rows[i]
			ok := false
			for s, f := range []int32{rw.a, rw.b} {
				if f >= 0 {
					r, _ := c.data.result(s, int(f))
					ok = ok || r.Status == compare.StatusAltered
					if s == 0 && r.Status == compare.StatusAltered {
						na++
					}
				}
			}
			if !ok {
				t.Errorf("row %v shown, neither side altered", rw)
			}
		}
		if na != counts[0][compare.StatusAltered] {
			t.Errorf("%d altered A frames shown, %d in A", na, counts[0][compare.StatusAltered])
		}
	})
	if _, _, ok := h.find("rows match wirelens.compare.status"); !ok {
		t.Errorf("no filter message:\n%s", h.dump())
	}
	h.key(tcell.KeyEscape)
	h.typeText("/")
	h.typeText(`wirelens.compare.status == "missing"`)
	h.key(tcell.KeyEnter)
	h.waitFor("the packet view's filter", func() bool { return h.v.filt.matcher != nil && !h.v.filt.running })
	h.do(func() {
		if h.v.list.n != counts[0][compare.StatusMissing] {
			t.Errorf("packet view shows %d frames, A has %d missing", h.v.list.n, counts[0][compare.StatusMissing])
		}
	})
	// C comes back to the comparison.
	h.key(tcell.KeyEscape)
	h.typeText("C")
	if _, _, ok := h.find("Compare ["); !ok {
		t.Errorf("C did not come back:\n%s", h.dump())
	}
}

// TestCompareASCII: without Unicode the marks are ASCII; without colour
// the status is still marked.
func TestCompareASCII(t *testing.T) {
	h, _ := compareHarness(t, 120, 40, Options{ASCII: true, NoColor: true})
	if _, _, ok := h.find("= same"); !ok {
		t.Errorf("no ASCII same mark:\n%s", h.dump())
	}
	seen := map[string]bool{}
	for k := 0; k < 12; k++ {
		h.typeText("n")
		line := selectedLine(t, h)
		for _, m := range []string{"! altered", "- missing"} {
			if strings.Contains(line, m) {
				seen[m] = true
				_, y, _ := h.find(line[:20])
				sx := strings.Index(line, m)
				st := h.style(len([]rune(line[:sx])), y)
				if fg, _, attr := st.Decompose(); fg != tcell.ColorDefault || attr == 0 {
					t.Errorf("%q without colour: fg %v attr %v", m, fg, attr)
				}
			}
		}
	}
	if !seen["! altered"] || !seen["- missing"] {
		t.Errorf("n walked %v; screen:\n%s", seen, h.dump())
	}
}

// TestCompareColumn: wirelens.compare.status as a custom column of A's
// packet view reads the comparison.
func TestCompareColumn(t *testing.T) {
	h, sess := compareHarnessWith(t, 120, 40, Options{}, func(caps [2]Source) {
		p := caps[0].Prefs()
		if err := p.Set("gui.column.format", `"No.", "%m", "Compared", "%Cus:wirelens.compare.status", "Peer", "%Cus:wirelens.compare.peer", "Info", "%i"`); err != nil {
			t.Fatal(err)
		}
		caps[0].SetPrefs(p)
	})
	h.key(tcell.KeyEscape)
	h.do(func() { h.v.list.selectFrame(46) })
	ra, _ := sess.Results(0, 0, nil, nil)
	screen := h.dump()
	if !strings.Contains(screen, "Compared") || !strings.Contains(screen, "Peer") {
		t.Fatalf("no compare columns:\n%s", screen)
	}
	found := false
	for _, line := range h.lines() {
		f := strings.Fields(line)
		if len(f) > 0 && (f[0] == "!" || f[0] == "~") {
			f = f[1:] // the mark column
		}
		if len(f) >= 3 && f[0] == "47" {
			found = true
			if f[1] != ra[46].Status.String() || !strings.HasPrefix(f[2], strconv.Itoa(ra[46].Peers[0])) {
				t.Errorf("row 47 %q: want %s and peer %d", line, ra[46].Status, ra[46].Peers[0])
			}
		}
	}
	if !found {
		t.Errorf("no row 47:\n%s", screen)
	}
}
