package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/prefs"
)

// rowProto is the Protocol cell of frame n's row, read off the screen
// under the header's Protocol title.
func (h *harness) rowProto(t *testing.T, n int) string {
	t.Helper()
	hdr := []rune(h.header())
	x := strings.Index(string(hdr), " Proto ") + 1
	if x < 1 {
		t.Fatalf("no Protocol column: %q", h.header())
	}
	x = len([]rune(string(hdr)[:x]))
	for _, l := range h.lines()[2:] {
		r := []rune(l)
		if f := strings.Fields(string(r[1:])); len(f) > 0 && f[0] == strconv.Itoa(n) && len(r) > x {
			end := x
			for end < len(r) && r[end] != ' ' {
				end++
			}
			return string(r[x:end])
		}
	}
	t.Fatalf("no row for frame %d:\n%s", n, h.dump())
	return ""
}

// boxText is the text inside the bordered dialog on screen, its lines
// joined by spaces and runs of blanks made one.
func (h *harness) boxText() string {
	var parts []string
	for _, l := range h.lines() {
		if a, b := strings.Index(l, "║"), strings.LastIndex(l, "║"); a >= 0 && b > a {
			parts = append(parts, l[a+len("║"):b])
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// TestDecodeAsDialog adds udp.port==8472,vxlan from the D dialog on a Linux
// VXLAN underlay (port 8472, which only Decode As makes VXLAN, as in
// tshark): the rows show the inner protocol at once, a bad rule is refused
// with the parser's message, s saves the rule and d removes it.
func TestDecodeAsDialog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences")
	c := openIndexed(t, "../testdata/captures/overlay-vxlan8472-csum-offload-underlay.pcap")
	h := startSource(t, c, Options{PrefsPath: path}, 100, 30)
	h.key(tcell.KeyDown) // frame 2: UDP 45901 → 8472
	if got := h.rowProto(t, 2); got != "UDP" {
		t.Fatalf("frame 2 before Decode As: Protocol %q, want UDP\n%s", got, h.dump())
	}
	h.typeText("D")
	if _, _, ok := h.find("Decode As (wirelens.decode_as)"); !ok {
		t.Fatalf("no Decode As dialog:\n%s", h.dump())
	}
	if _, _, ok := h.find("(none: a adds one)"); !ok {
		t.Errorf("no empty-rules line:\n%s", h.dump())
	}
	// a bad rule first: refused, named, nothing applied
	h.typeText("a")
	if _, _, ok := h.find("Add: udp.port==8472,"); !ok {
		t.Errorf("add line not prefilled from the packet's UDP port:\n%s", h.dump())
	}
	h.typeText("vxlam")
	h.key(tcell.KeyEnter)
	if d := h.boxText(); !strings.Contains(d, `bad Decode As rule "udp.port==8472,vxlam": unknown protocol "vxlam"`) {
		t.Errorf("bad rule not explained:\n%s", h.dump())
	}
	if got := h.rowProto(t, 2); got != "UDP" {
		t.Errorf("a refused rule changed the rows: %q", got)
	}
	// Tab completes the protocol: vxl → vxlan, listing with titles when several
	for i := 0; i < 2; i++ {
		h.key(tcell.KeyBackspace2)
	}
	h.key(tcell.KeyTab)
	if _, _, ok := h.find("Add: udp.port==8472,vxlan"); !ok {
		t.Errorf("Tab did not complete vxlan:\n%s", h.dump())
	}
	h.key(tcell.KeyEnter)
	if _, _, ok := h.find("udp.port==8472,vxlan  (Virtual eXtensible Local Area Network)"); !ok {
		t.Errorf("rule not listed with its title:\n%s", h.dump())
	}
	if got := h.rowProto(t, 2); got != "ICMPv6" {
		t.Errorf("frame 2 after Decode As: Protocol %q, want ICMPv6 (tshark -d udp.port==8472,vxlan)\n%s", got, h.dump())
	}
	if _, _, ok := h.find("Virtual eXtensible Local Area Network"); !ok {
		t.Errorf("tree not re-dissected")
	}
	h.typeText("s")
	if !strings.Contains(h.dump(), "saved to") {
		t.Errorf("not saved:\n%s", h.dump())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `wirelens.decode_as: udp.port==8472,vxlan`) {
		t.Errorf("saved file lacks the rule:\n%s", data)
	}
	if p, warns, err := prefs.Load(path); err != nil || len(warns) > 0 {
		t.Errorf("load: %v %v", err, warns)
	} else if v, _ := p.Get("wirelens.decode_as"); v != "udp.port==8472,vxlan" {
		t.Errorf("loaded rule %q", v)
	}
	// d removes it: the rows go back to UDP
	h.typeText("d")
	if got := h.rowProto(t, 2); got != "UDP" {
		t.Errorf("after removing the rule: Protocol %q, want UDP", got)
	}
	h.key(tcell.KeyEscape)
	if _, _, ok := h.find("Decode As (wirelens.decode_as)"); ok {
		t.Error("Esc did not close the dialog")
	}
	if ht := helpText(h.v.th); !strings.Contains(ht, "Decode As (D)") || !strings.Contains(ht, "Decode As: list, add") {
		t.Error("D not in the help")
	}
}
