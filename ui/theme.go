package ui

import (
	"os"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// Wireshark's default colouring rules (colorfilters), as [background, foreground].
var (
	wsDark      = tcell.NewHexColor(0x12272E)
	wsBadFg     = tcell.NewHexColor(0xF78787) // "Checksum Errors" text on wsDark
	wsICMPErrFg = tcell.NewHexColor(0xB7F774) // "ICMP errors" text on wsDark
	wsRstBg     = tcell.NewHexColor(0xA40000)
	wsRstFg     = tcell.NewHexColor(0xFFFC9C)
	wsSynFinBg  = tcell.NewHexColor(0xA0A0A0)
	wsTCPBg     = tcell.NewHexColor(0xE7E6FF)
	wsUDPBg     = tcell.NewHexColor(0xDAEEFF)
	wsARPBg     = tcell.NewHexColor(0xFAF0D7)
	wsICMPBg    = tcell.NewHexColor(0xFCE0FF)
	// Not a Wireshark rule: bad checksums that look like offload artifacts get
	// a calm amber, so real corruption stands out against them.
	offloadBg = tcell.NewHexColor(0xFFD480)
)

// theme is every style the views use. It is chosen once, from what the
// terminal can show: Wireshark's colours on 256-colour and true-colour
// terminals, a few basic colours on 8/16-colour ones, and attributes only
// (bold, underline, reverse) when there is no colour or NO_COLOR is set.
type theme struct {
	colors  int  // 0 means attributes only
	ascii   bool // the terminal cannot show ✓ ✗ ▸ …
	base    tcell.Style
	rows    [decode.ColorTCP + 1]tcell.Style
	good    tcell.Style // checksum lines and marks
	bad     tcell.Style
	offload tcell.Style
	dim     tcell.Style
	header  tcell.Style // packet list column titles
	title   tcell.Style // pane dividers
	focus   tcell.Style // divider of the focused pane
	status  tcell.Style // status bar
	errMsg  tcell.Style
	hilite  tcell.Style    // bytes of the selected field
	cursor  tcell.Style    // byte under the cursor in the bytes pane
	okField tcell.Style    // filter that parses
	badFld  tcell.Style    // filter that does not
	dir     [2]tcell.Style // follow stream: the two directions
}

// colorCount says how many colours to use on screen s: 0 when NO_COLOR is set
// (tcell honours it for real terminals; we also honour it on other screens).
func colorCount(s tcell.Screen) int {
	if os.Getenv("NO_COLOR") != "" {
		return 0
	}
	return s.Colors()
}

func newTheme(colors int, ascii bool) *theme {
	t := &theme{colors: colors, ascii: ascii}
	d := tcell.StyleDefault
	t.base = d
	switch {
	case colors >= 256:
		on := func(bg, fg tcell.Color) tcell.Style { return d.Background(bg).Foreground(fg) }
		t.rows[decode.ColorBadChecksum] = on(wsDark, wsBadFg)
		t.rows[decode.ColorOffloadChecksum] = on(offloadBg, wsDark)
		t.rows[decode.ColorTCPSynFin] = on(wsSynFinBg, wsDark)
		t.rows[decode.ColorTCPRst] = on(wsRstBg, wsRstFg)
		t.rows[decode.ColorICMPError] = on(wsDark, wsICMPErrFg)
		t.rows[decode.ColorARP] = on(wsARPBg, wsDark)
		t.rows[decode.ColorICMP] = on(wsICMPBg, wsDark)
		t.rows[decode.ColorUDP] = on(wsUDPBg, wsDark)
		t.rows[decode.ColorTCP] = on(wsTCPBg, wsDark)
		t.good = d.Foreground(tcell.NewHexColor(0x2E9E3E)).Bold(true)
		t.bad = d.Foreground(tcell.NewHexColor(0xE04040)).Bold(true)
		t.offload = d.Foreground(tcell.NewHexColor(0xD08A00)).Bold(true)
		t.hilite = d.Background(tcell.NewHexColor(0x3875D7)).Foreground(tcell.ColorWhite)
		t.okField = d.Background(tcell.NewHexColor(0xAFFFAF)).Foreground(tcell.ColorBlack)
		t.badFld = d.Background(tcell.NewHexColor(0xFFAFAF)).Foreground(tcell.ColorBlack)
		t.status = d.Background(tcell.NewHexColor(0x303030)).Foreground(tcell.NewHexColor(0xE0E0E0))
		t.title = d.Background(tcell.NewHexColor(0x4E4E4E)).Foreground(tcell.NewHexColor(0xE0E0E0))
		t.focus = d.Background(tcell.NewHexColor(0x3875D7)).Foreground(tcell.ColorWhite).Bold(true)
		t.errMsg = d.Foreground(tcell.NewHexColor(0xFF6060)).Bold(true)
		// Wireshark's Follow Stream colours: client red, server blue.
		t.dir[0] = on(tcell.NewHexColor(0xFBEDED), tcell.NewHexColor(0x7F0000))
		t.dir[1] = on(tcell.NewHexColor(0xEDEDFB), tcell.NewHexColor(0x00007F))
	case colors >= 8:
		on := func(bg, fg tcell.Color) tcell.Style { return d.Background(bg).Foreground(fg) }
		t.rows[decode.ColorBadChecksum] = on(tcell.ColorMaroon, tcell.ColorWhite).Bold(true)
		t.rows[decode.ColorOffloadChecksum] = on(tcell.ColorOlive, tcell.ColorBlack)
		t.rows[decode.ColorTCPRst] = on(tcell.ColorPurple, tcell.ColorWhite)
		t.rows[decode.ColorICMPError] = d.Foreground(tcell.ColorGreen).Bold(true)
		t.rows[decode.ColorTCPSynFin] = d.Foreground(tcell.ColorTeal)
		t.good = d.Foreground(tcell.ColorGreen).Bold(true)
		t.bad = d.Foreground(tcell.ColorMaroon).Bold(true)
		t.offload = d.Foreground(tcell.ColorOlive).Bold(true)
		t.hilite = on(tcell.ColorNavy, tcell.ColorWhite)
		t.okField = on(tcell.ColorGreen, tcell.ColorBlack)
		t.badFld = on(tcell.ColorMaroon, tcell.ColorWhite)
		t.status = d.Reverse(true)
		t.title = d.Reverse(true)
		t.focus = on(tcell.ColorNavy, tcell.ColorWhite).Bold(true)
		t.errMsg = d.Foreground(tcell.ColorMaroon).Bold(true)
		t.dir[0] = d.Foreground(tcell.ColorMaroon)
		t.dir[1] = d.Foreground(tcell.ColorNavy)
	default:
		t.rows[decode.ColorBadChecksum] = d.Bold(true).Underline(true)
		t.rows[decode.ColorOffloadChecksum] = d.Underline(true)
		t.rows[decode.ColorTCPRst] = d.Bold(true)
		t.rows[decode.ColorICMPError] = d.Bold(true)
		t.good = d
		t.bad = d.Bold(true).Underline(true)
		t.offload = d.Underline(true)
		t.hilite = d.Reverse(true)
		t.okField = d.Underline(true)
		t.badFld = d.Bold(true).Underline(true)
		t.status = d.Reverse(true)
		t.title = d.Reverse(true)
		t.focus = d.Reverse(true).Bold(true)
		t.errMsg = d.Bold(true)
		// The marks tell the directions apart; the second side is bold too.
		t.dir[1] = d.Bold(true)
	}
	t.dim = d.Dim(true)
	t.header = d.Bold(true)
	t.cursor = t.hilite.Underline(true)
	if colors < 256 {
		t.cursor = d.Reverse(true).Underline(true)
	}
	return t
}

// rowStyle is the style of an unselected packet-list row of class c.
func (t *theme) rowStyle(c decode.ColorClass) tcell.Style {
	if int(c) < len(t.rows) {
		return t.rows[c]
	}
	return t.base
}

// selectedStyle is the style of the selected row: the row's colours swapped,
// as Wireshark does, so a selected bad row still reads as bad; plain reverse
// video when there is no colour or the row has none.
func (t *theme) selectedStyle(c decode.ColorClass) tcell.Style {
	s := t.rowStyle(c)
	fg, bg, _ := s.Decompose()
	if t.colors == 0 || fg == tcell.ColorDefault || bg == tcell.ColorDefault {
		return s.Reverse(true)
	}
	return tcell.StyleDefault.Foreground(bg).Background(fg)
}

// glyphs used in marks, with an ASCII fallback for terminals without UTF-8.
func (t *theme) glyph(status decode.ChecksumStatus, offload bool) string {
	if offload && status == decode.StatusBad {
		return "~"
	}
	switch status {
	case decode.StatusGood:
		if t.ascii {
			return "+"
		}
		return "✓"
	case decode.StatusBad:
		if t.ascii {
			return "x"
		}
		return "✗"
	case decode.StatusUnverified:
		return "?"
	case decode.StatusNotPresent:
		return "-"
	case decode.StatusIllegal:
		return "!"
	}
	return "?"
}

func (t *theme) checkStyle(status decode.ChecksumStatus, offload bool) tcell.Style {
	switch {
	case status == decode.StatusBad && offload:
		return t.offload
	case status == decode.StatusBad, status == decode.StatusIllegal:
		return t.bad
	case status == decode.StatusGood:
		return t.good
	}
	return t.base
}

func (t *theme) ellipsis() string {
	if t.ascii {
		return "~"
	}
	return "…"
}
