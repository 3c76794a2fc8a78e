package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

func TestFormatRelTime(t *testing.T) {
	for ns, want := range map[int64]string{
		0:              "0.000000",
		1_250_000:      "0.001250",
		12_345_678_901: "12.345679",
		-1_500_000:     "-0.001500",
	} {
		if got := formatRelTime(ns); got != want {
			t.Errorf("formatRelTime(%d) = %q, want %q", ns, got, want)
		}
	}
}

func TestChecksumText(t *testing.T) {
	marks := []decode.ChecksumMark{{Proto: "ip", Status: decode.StatusGood}, {Proto: "tcp", Status: decode.StatusBad}}
	utf, ascii := newTheme(256, false), newTheme(256, true)
	if got := checksumText(marks, utf, 9); got != "ip✓ tcp✗" {
		t.Errorf("utf: %q", got)
	}
	if got := checksumText(marks, ascii, 9); got != "ip+ tcpx" {
		t.Errorf("ascii: %q", got)
	}
	marks[1].Offload = true
	if got := checksumText(marks, utf, 9); got != "ip✓ tcp~" {
		t.Errorf("offload: %q", got)
	}
	marks = append(marks, decode.ChecksumMark{Proto: "udp", Status: decode.StatusUnverified})
	if got := checksumText(marks, utf, 9); got != "ip✓tcp~udp?" {
		t.Errorf("narrow drops spaces: %q", got)
	}
	if got := checksumText(nil, utf, 9); got != "" {
		t.Errorf("no marks: %q", got)
	}
}

func TestRowCells(t *testing.T) {
	th := newTheme(256, false)
	r := decode.Row{
		Summary: decode.Summary{Number: 7, RelTime: 1_500_000, Source: "10.0.0.1", Destination: "10.0.0.2",
			Protocol: "TCP", Length: 60, Info: "80 → 51000 [ACK] \x1b[2J"},
		Checksums: []decode.ChecksumMark{{Proto: "ip", Status: decode.StatusGood}, {Proto: "tcp", Status: decode.StatusBad}},
		Bad:       true, Class: decode.ColorBadChecksum,
	}
	cols := listColumns(80, widthHints{lastNumber: 100, src: 8, dst: 8, proto: 3, checks: 8}, defaultColumnDefs())
	cells := rowCells(r, cols, th)
	total := 0
	for i, c := range cols {
		if w := textWidth(cells[i]); w != c.width {
			t.Errorf("column %s: width %d, want %d (%q)", c.title(), w, c.width, cells[i])
		}
		total += c.width + 1
	}
	if total-1 != 80 {
		t.Errorf("columns fill %d cells, want 80", total-1)
	}
	got := strings.Join(cells, "|")
	want := "!|  7|0.001500|10.0.0.1|10.0.0.2   |TCP  |ip✓ tcp✗|80 → 51000 [ACK] \\x1b[2J"
	if !strings.HasPrefix(got, want) {
		t.Errorf("row:\n got %q\nwant %q...", got, want)
	}
	for _, c := range cols {
		if c.id == colLen {
			t.Error("Length column shown at 80 columns")
		}
	}
	// At 80 columns wide addresses give Info the room (it got 15 cells).
	narrow := listColumns(80, widthHints{lastNumber: 100, src: 25, dst: 25, proto: 6}, defaultColumnDefs())
	if info := narrow[len(narrow)-1]; info.id != colInfo || info.width < 22 {
		t.Errorf("80 columns with long addresses: Info %d cells", info.width)
	}
	for _, c := range narrow {
		if (c.id == colSrc || c.id == colDst) && c.width < 11 {
			t.Errorf("address column %d cells", c.width)
		}
	}
	wide := listColumns(160, widthHints{lastNumber: 100, src: 30, dst: 30, proto: 3}, defaultColumnDefs())
	hasLen := false
	for _, c := range wide {
		if c.id == colLen {
			hasLen = true
		}
		if c.id == colSrc && c.width != 30 {
			t.Errorf("wide source width %d", c.width)
		}
	}
	if !hasLen {
		t.Error("no Length column at 160 columns")
	}
}

func TestFitCuts(t *testing.T) {
	th := newTheme(256, false)
	if got := fit("fe80::1234:5678:9abc:def0", 10, false, th); got != "fe80::123…" {
		t.Errorf("cut: %q", got)
	}
	if got := fit("42", 5, true, th); got != "   42" {
		t.Errorf("right: %q", got)
	}
}

func TestHexLine(t *testing.T) {
	data := []byte("\x45\x00\x00\x3cGET / HTTP\x1b\x7f\xff\n")
	data = append(data, 0x41, 0x42)
	lines := hexDump(data)
	want := []string{
		"0000  45 00 00 3c 47 45 54 20  2f 20 48 54 54 50 1b 7f  E..<GET  / HTTP..",
		"0010  ff 0a 41 42                                       ..AB",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines: %q", len(lines), lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i, lines[i], want[i])
		}
	}
	if w := lineWidth(4); w > 78 {
		t.Errorf("dump line is %d wide; must fit 80 columns", w)
	}
	for i := 0; i < bytesPerLine; i++ {
		if got := byteAtColumn(4, hexColumn(4, i)); got != i {
			t.Errorf("hex column of byte %d maps back to %d", i, got)
		}
		if got := byteAtColumn(4, asciiColumn(4, i)); got != i {
			t.Errorf("ascii column of byte %d maps back to %d", i, got)
		}
		if lines[0][hexColumn(4, i):hexColumn(4, i)+2] != strings.ToLower(hex2(data[i])) {
			t.Errorf("byte %d not at its column", i)
		}
	}
	if byteAtColumn(4, 0) != -1 || byteAtColumn(4, 5) != -1 {
		t.Error("offset column maps to a byte")
	}
	if offsetWidth(0x10000) != 4 || offsetWidth(0x10001) != 5 {
		t.Error("offset width")
	}
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

func TestDeepestField(t *testing.T) {
	src := newFake(standardFrames())
	d, _ := src.Dissect(2)
	cases := map[int]string{
		0:  "uitest.eth",
		7:  "uitest.eth.src",
		22: "uitest.ip.ttl",
		26: "uitest.ip", // ip.addr covers it but is hidden
		50: "_ws.expert.uitest",
		52: "uitest.tcp",
		55: "uitest.evil",
	}
	for off, want := range cases {
		i := deepestField(d, off)
		if i < 0 || d.Fields[i].Def.Name != want {
			got := "none"
			if i >= 0 {
				got = d.Fields[i].Def.Name
			}
			t.Errorf("byte %d: %s, want %s", off, got, want)
		}
	}
	if i := deepestField(d, 500); i != -1 {
		t.Errorf("byte past the end: %d", i)
	}
}

func TestTreeLines(t *testing.T) {
	src := newFake(standardFrames())
	th := newTheme(256, false)
	d, _ := src.Dissect(2)
	lines := treeLines(d, src.Row(2), th)
	byName := map[string]treeLine{}
	for _, l := range lines {
		byName[d.Fields[l.field].Def.Name] = l
		if d.Fields[l.field].Hidden {
			t.Errorf("hidden field %s drawn", d.Fields[l.field].Def.Name)
		}
		if strings.ContainsRune(l.text, 0x1b) {
			t.Errorf("escape character in %q", l.text)
		}
	}
	if _, ok := byName["uitest.ip.addr"]; ok {
		t.Error("hidden ip.addr drawn")
	}
	if l := byName["uitest.tcp.checksum"]; l.style != th.bad || !l.marked || l.depth != 1 {
		t.Errorf("bad tcp checksum line: %+v", l)
	}
	if l := byName["_ws.expert.uitest"]; l.style != th.bad || l.depth != 2 {
		t.Errorf("expert line under bad checksum: %+v", l)
	}
	if l := byName["uitest.ip.checksum"]; l.style != th.good {
		t.Errorf("good ip checksum line: %+v", l)
	}
	if l := byName["uitest.ip.ttl"]; l.style != th.base {
		t.Errorf("plain line styled: %+v", l)
	}

	d, _ = src.Dissect(4) // offload
	for _, l := range treeLines(d, src.Row(4), th) {
		if d.Fields[l.field].Def == tfTCPCk && l.style != th.offload {
			t.Errorf("offload checksum line style %v", l.style)
		}
	}
	p := src.Prefs()
	p.SetValidates("tcp", false)
	src.SetPrefs(p)
	d, _ = src.Dissect(2)
	for _, l := range treeLines(d, src.Row(2), th) {
		if d.Fields[l.field].Def == tfTCPCk && (l.style != th.base || l.marked) {
			t.Errorf("unverified checksum line coloured: %+v", l)
		}
	}
}

func TestChecksumProto(t *testing.T) {
	for name, want := range map[string]string{
		"tcp.checksum": "tcp", "ip.checksum.status": "ip", "udplite.checksum": "udplite",
		"uitest.tcp.checksum": "tcp", "tcp.checksum_calculated": "", "tcp.port": "",
	} {
		if got := checksumProto(name); got != want {
			t.Errorf("checksumProto(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestStatusText(t *testing.T) {
	all := []string{"ip", "tcp", "udp", "udplite", "icmp", "icmpv6", "igmp", "sctp", "vrrp", "cdp", "gre", "dnp3"}
	s := statusInfo{file: "/tmp/x/capture.pcap", total: 1234, shown: -1, validated: all, bad: 3}
	got := statusText(s, 80, false)
	if got != " capture.pcap │ 1234 packets │ 3 bad checksums │ check all" {
		t.Errorf("status: %q", got)
	}
	s.shown, s.indexing, s.validated = 12, true, []string{"ip", "udp"}
	got = statusText(s, 200, true)
	if got != " capture.pcap | 12 of 1234 shown (1.0%) | reading... | 3 bad checksums | check ip udp" &&
		got != " capture.pcap | 12 of 1234 shown (1.0%), reading... | 3 bad checksums | check ip udp" {
		t.Errorf("status: %q", got)
	}
	if got := validationText(all[:10]); got != "check all but gre dnp3" {
		t.Errorf("all but: %q", got)
	}
	if got := validationText(nil); got != "check none" {
		t.Errorf("none: %q", got)
	}
	long := statusInfo{file: strings.Repeat("x", 60) + ".pcap", total: 1, shown: -1, validated: all}
	if got := statusText(long, 80, false); textWidth(got) > 80 {
		t.Errorf("too wide for 80: %q", got)
	}
}

func TestThemes(t *testing.T) {
	full := newTheme(256, false)
	fg, bg, _ := full.rowStyle(decode.ColorBadChecksum).Decompose()
	if fg != wsBadFg || bg != wsDark {
		t.Errorf("checksum errors rule: fg %v bg %v", fg, bg)
	}
	_, obg, _ := full.rowStyle(decode.ColorOffloadChecksum).Decompose()
	if obg == bg {
		t.Error("offload rows look like bad rows")
	}
	sfg, sbg, _ := full.selectedStyle(decode.ColorBadChecksum).Decompose()
	if sfg != bg || sbg != fg {
		t.Error("selected bad row does not swap its colours")
	}
	mono := newTheme(0, true)
	for c := decode.ColorNone; c <= decode.ColorTCP; c++ {
		f, b, _ := mono.rowStyle(c).Decompose()
		if f != tcell.ColorDefault || b != tcell.ColorDefault {
			t.Errorf("colour used without colours for class %d", c)
		}
		if _, _, a := mono.selectedStyle(c).Decompose(); a&tcell.AttrReverse == 0 {
			t.Errorf("selected row of class %d not reversed without colours", c)
		}
	}
	if mono.rowStyle(decode.ColorBadChecksum) == mono.rowStyle(decode.ColorNone) {
		t.Error("bad rows indistinguishable without colour")
	}
	eight := newTheme(8, false)
	if eight.rowStyle(decode.ColorBadChecksum) == eight.rowStyle(decode.ColorOffloadChecksum) {
		t.Error("8 colours: bad and offload alike")
	}
}

func TestHelpTextListsKeys(t *testing.T) {
	text := helpText(newTheme(256, false))
	for _, k := range []string{"Tab", "n  N", "Ctrl-G", "z", "+  -", "q  Ctrl-C", "Checksum error", "offload", "SYN/FIN"} {
		if !strings.Contains(text, k) {
			t.Errorf("help lacks %q", k)
		}
	}
	if got := styleTag(tcell.StyleDefault.Foreground(wsBadFg).Background(wsDark).Bold(true)); got != "[#f78787:#12272e:b]" {
		t.Errorf("styleTag: %q", got)
	}
}

func TestWithoutPadding(t *testing.T) {
	ti, err := tcell.LookupTerminfo("vt100")
	if err != nil {
		t.Skip("no vt100 terminfo")
	}
	c := withoutPadding(ti)
	if c.SetCursor != "\x1b[%i%p1%d;%p2%dH" || c.Clear != "\x1b[H\x1b[J" {
		t.Errorf("padding left: %q %q", c.SetCursor, c.Clear)
	}
	if !strings.Contains(ti.SetCursor, "$<") {
		t.Error("the original entry was modified")
	}
}
