package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// findDone waits for the running search to end and returns the status line.
func (h *harness) findDone() string {
	h.t.Helper()
	h.waitFor("the search to end", func() bool { return !h.v.find.running })
	// the status line, and a long message wrapped above it
	ls := h.lines()
	return strings.Join(strings.Fields(strings.Join(ls[len(ls)-maxStatusLines:], " ")), " ")
}

func (h *harness) findLine() string {
	h.t.Helper()
	for _, l := range h.lines() {
		if strings.Contains(l, "Find ") {
			return l
		}
	}
	h.t.Fatalf("no find bar:\n%s", h.dump())
	return ""
}

func TestFindString(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 100, 30)
	h.key(tcell.KeyCtrlF)
	if l := h.findLine(); !strings.Contains(l, "Find display filter:") {
		t.Fatalf("find bar starts in %q", l)
	}
	h.key(tcell.KeyTab) // string
	if l := h.findLine(); !strings.Contains(l, "Find string:") || !strings.Contains(l, "in packet list") || !strings.Contains(l, "ignore case") {
		t.Fatalf("string mode: %q", l)
	}
	// "q" is text here, not quit; "fin" matches "[FIN, ACK]" in packet 7
	h.typeText("fin")
	h.key(tcell.KeyEnter)
	st := h.findDone()
	if got := h.selectedFrame(); got != 6 || !strings.Contains(st, `found "fin" in packet 7`) || strings.Contains(st, "wrapped") {
		t.Fatalf("find fin: frame %d, status %q", got, st)
	}
	// the only match: the next one wraps around to itself
	h.key(tcell.KeyCtrlN)
	st = h.findDone()
	if got := h.selectedFrame(); got != 6 || !strings.Contains(st, "wrapped around to the beginning") {
		t.Fatalf("find again: frame %d, status %q", got, st)
	}
	// case sensitive: "fin" is not in any column
	h.key(tcell.KeyCtrlR)
	if l := h.findLine(); !strings.Contains(l, "match case") {
		t.Fatalf("Ctrl-R: %q", l)
	}
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, `no packet matches "fin"`) {
		t.Fatalf("case-sensitive fin: %q", st)
	}
	// ACK backwards from packet 7: packet 6, then 5 ("Len=6", 51001 → 443 [ACK])
	h.key(tcell.KeyCtrlU)
	h.typeText("ACK")
	h.key(tcell.KeyCtrlP)
	h.findDone()
	if got := h.selectedFrame(); got != 5 {
		t.Fatalf("Ctrl-P ACK from 7: frame %d", got)
	}
	h.key(tcell.KeyUp)
	h.findDone()
	if got := h.selectedFrame(); got != 4 {
		t.Fatalf("Up ACK from 6: frame %d", got)
	}
	// Esc closes the bar; Ctrl-N goes on from the list with the same query
	h.key(tcell.KeyEscape)
	if _, _, ok := h.find("Find string:"); ok {
		t.Fatalf("Esc left the bar:\n%s", h.dump())
	}
	h.key(tcell.KeyCtrlN)
	h.findDone()
	if got := h.selectedFrame(); got != 5 {
		t.Fatalf("Ctrl-N from the list: frame %d", got)
	}
	// q in the list still quits: the bar did not eat the key bindings
	h.do(func() {
		if !h.v.list.table.HasFocus() {
			t.Error("the list lost the focus")
		}
	})
}

func TestFindDetailsAndBytes(t *testing.T) {
	h := start(t, newFake(standardFrames()), Options{}, 100, 30)
	h.key(tcell.KeyCtrlF)
	h.key(tcell.KeyTab)
	h.key(tcell.KeyBacktab) // packet details
	if l := h.findLine(); !strings.Contains(l, "in packet details") {
		t.Fatalf("Shift-Tab: %q", l)
	}
	// the tree line of UDP's header, only in packet 4; the tree selects it
	h.typeText("src port: 5353")
	h.key(tcell.KeyEnter)
	st := h.findDone()
	if got := h.selectedFrame(); got != 3 || !strings.Contains(st, "packet 4") {
		t.Fatalf("details: frame %d, status %q", got, st)
	}
	h.do(func() {
		i := h.v.detail.selectedField()
		if i < 0 || h.v.diss == nil || h.v.diss.Fields[i].Def != tfUDP {
			t.Errorf("the tree selects field %d, not UDP's line", i)
		}
	})
	// hidden fields are not searched: frame 1 has a hidden "hidden" line
	h.key(tcell.KeyCtrlU)
	h.typeText("hidden")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, "no packet matches") {
		t.Fatalf("hidden field found: %q", st)
	}
	// packet bytes: "get /" in every frame at byte 54; the next is packet 5
	h.key(tcell.KeyBacktab)
	h.key(tcell.KeyCtrlU)
	h.typeText("get /")
	h.key(tcell.KeyEnter)
	h.findDone()
	if got := h.selectedFrame(); got != 4 {
		t.Fatalf("bytes: frame %d", got)
	}
	// hex: 47 45 54 is "GET"; 0x ab cd is nowhere
	h.key(tcell.KeyTab)
	if l := h.findLine(); !strings.Contains(l, "Find hex bytes:") {
		t.Fatalf("Tab to hex: %q", l)
	}
	h.key(tcell.KeyCtrlU)
	h.typeText("47:45:54")
	h.key(tcell.KeyEnter)
	h.findDone()
	if got := h.selectedFrame(); got != 5 {
		t.Fatalf("hex: frame %d", got)
	}
	h.key(tcell.KeyCtrlU)
	h.typeText("0xab 0xcd")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, `no packet matches "0xab 0xcd"`) {
		t.Fatalf("hex miss: %q", st)
	}
	h.key(tcell.KeyCtrlU)
	h.typeText("4g")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, `bad hex bytes "4g"`) || !strings.Contains(st, `"g" is not a hex digit`) {
		t.Fatalf("bad hex: %q", st)
	}
	h.key(tcell.KeyCtrlU)
	h.typeText("abc")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, "odd number of hex digits") {
		t.Fatalf("odd hex: %q", st)
	}
}

func TestFindFilter(t *testing.T) {
	src := newFake(standardFrames())
	h := start(t, src, Options{}, 100, 30)
	h.key(tcell.KeyCtrlF)
	h.typeText("udp")
	h.key(tcell.KeyEnter)
	st := h.findDone()
	if got := h.selectedFrame(); got != 3 || !strings.Contains(st, `found "udp" in packet 4`) {
		t.Fatalf("find udp: frame %d, status %q", got, st)
	}
	h.key(tcell.KeyCtrlU)
	h.typeText("nosuchfield")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, `bad display filter "nosuchfield"`) {
		t.Fatalf("bad filter: %q", st)
	}
	// with a display filter applied, only shown packets are found
	h.key(tcell.KeyEscape)
	h.typeText("/tcp")
	h.key(tcell.KeyEnter)
	h.waitFor("the filter", func() bool { return !h.v.filt.busy() })
	h.key(tcell.KeyCtrlF)
	h.key(tcell.KeyCtrlU)
	h.typeText("udp")
	h.key(tcell.KeyEnter)
	if st = h.findDone(); !strings.Contains(st, `no packet matches "udp"`) {
		t.Fatalf("udp hidden by the filter, yet: %q", st)
	}
	// a slow search shows its progress, keeps the UI going and Esc stops it
	src.mu.Lock()
	src.delay = 100 * time.Millisecond
	src.mu.Unlock()
	h.key(tcell.KeyEnter) // udp again: no match, so it runs over every packet
	h.waitFor("progress", func() bool { return strings.Contains(h.v.status.msg, "finding") })
	h.key(tcell.KeyEscape)
	if st := h.findDone(); !strings.Contains(st, "find stopped") {
		t.Fatalf("Esc while searching: %q", st)
	}
	if _, _, ok := h.find("Find display filter:"); !ok {
		t.Fatalf("the first Esc closed the bar instead of stopping:\n%s", h.dump())
	}
}

func TestParseHex(t *testing.T) {
	for in, want := range map[string]string{"de ad be ef": "\xde\xad\xbe\xef", "DEADbeef": "\xde\xad\xbe\xef",
		"0x00,0x01": "\x00\x01", "0a-0b": "\x0a\x0b"} {
		got, err := parseHex(in)
		if err != nil || string(got) != want {
			t.Errorf("parseHex(%q) = %x, %v", in, got, err)
		}
	}
	for _, in := range []string{"", " : ", "0x", "xyz", "123"} {
		if _, err := parseHex(in); err == nil {
			t.Errorf("parseHex(%q) accepted", in)
		}
	}
}
