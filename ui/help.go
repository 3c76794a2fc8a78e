package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/compare"
)

type legendEntry struct {
	class decode.ColorClass
	mark  string
	text  string
}

var legend = []legendEntry{
	{decode.ColorBadChecksum, "!", "Checksum error: real corruption (or not yet explained)"},
	{decode.ColorOffloadChecksum, "~", "Bad checksum that looks like a checksum-offload artifact"},
	{decode.ColorTCPRst, " ", "TCP RST"},
	{decode.ColorTCPSynFin, " ", "TCP SYN/FIN"},
	{decode.ColorICMPError, " ", "ICMP errors"},
	{decode.ColorARP, " ", "ARP"},
	{decode.ColorICMP, " ", "ICMP"},
	{decode.ColorTCP, " ", "TCP"},
	{decode.ColorUDP, " ", "UDP"},
}

// styleTag writes st as a tview style tag.
func styleTag(st tcell.Style) string {
	fg, bg, attr := st.Decompose()
	color := func(c tcell.Color) string {
		if c == tcell.ColorDefault {
			return "-"
		}
		if c.IsRGB() {
			return fmt.Sprintf("#%06x", c.Hex())
		}
		for name, v := range tcell.ColorNames {
			if v == c {
				return name
			}
		}
		return fmt.Sprintf("#%06x", c.Hex())
	}
	flags := ""
	for _, a := range []struct {
		m tcell.AttrMask
		f string
	}{{tcell.AttrBold, "b"}, {tcell.AttrUnderline, "u"}, {tcell.AttrReverse, "r"}, {tcell.AttrDim, "d"}} {
		if attr&a.m != 0 {
			flags += a.f
		}
	}
	if flags == "" {
		flags = "-"
	}
	return "[" + color(fg) + ":" + color(bg) + ":" + flags + "]"
}

// helpText is the overlay's content, with style tags for the legend.
func helpText(th *theme) string {
	var b strings.Builder
	b.WriteString("[::b]Keys[-:-:-]\n")
	for _, k := range helpLines(mainBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Columns (L)[-:-:-]\n")
	for _, k := range helpLines(columnBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Decode As (D)[-:-:-]\n")
	for _, k := range helpLines(decodeAsBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Checksum report (e)[-:-:-]\n")
	for _, k := range helpLines(reportBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Follow stream (f)[-:-:-]\n")
	for _, k := range helpLines(followBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Compare view[-:-:-] (C, or wirelens --compare A B)\n")
	for _, k := range helpLines(compareBindings) {
		writeKeyLine(&b, k)
	}
	fmt.Fprintf(&b, " Status marks: %s same  %s altered  %s missing  %s resegmented (TSO/GSO/GRO)\n",
		cmpStatusGlyph(compare.StatusSame, th.ascii), cmpStatusGlyph(compare.StatusAltered, th.ascii),
		cmpStatusGlyph(compare.StatusMissing, th.ascii), cmpStatusGlyph(compare.StatusResegmented, th.ascii))
	b.WriteString("\n[::b]Statistics (S)[-:-:-]\n")
	for _, k := range helpLines(statsBindings) {
		writeKeyLine(&b, k)
	}
	b.WriteString("\n[::b]Packet list colours and marks[-:-:-]\n")
	for _, e := range legend {
		st := th.rowStyle(e.class)
		if st == th.base && e.mark == " " {
			continue // this terminal shows the class without colour
		}
		fmt.Fprintf(&b, " %s %s %-10s [-:-:-] %s\n", styleTag(st), e.mark, "", tview.Escape(e.text))
	}
	g := func(s decode.ChecksumStatus, off bool) string {
		return styleTag(th.checkStyle(s, off)) + tview.Escape(th.glyph(s, off)) + "[-:-:-]"
	}
	b.WriteString("\n[::b]Checks column[-:-:-]\n")
	fmt.Fprintf(&b, " tcp%s good  tcp%s bad  tcp%s bad, offload artifact\n",
		g(decode.StatusGood, false), g(decode.StatusBad, false), g(decode.StatusBad, true))
	fmt.Fprintf(&b, " tcp%s not verified (validation off, or data cut)\n", g(decode.StatusUnverified, false))
	fmt.Fprintf(&b, " udp%s no checksum (zero)  udp%s illegal zero checksum\n",
		g(decode.StatusNotPresent, false), g(decode.StatusIllegal, false))
	b.WriteString("\n[::b]Detail tree[-:-:-]: checksum lines are ")
	fmt.Fprintf(&b, "%sgood[-:-:-], %sbad[-:-:-] or %soffload[-:-:-].\n",
		styleTag(th.good), styleTag(th.bad), styleTag(th.offload))
	return b.String()
}

// newHelp builds the overlay.
func newHelp(th *theme) *tview.TextView {
	tv := tview.NewTextView().SetDynamicColors(true).SetWrap(false).SetText(helpText(th))
	tv.SetTextStyle(th.base)
	tv.SetBorder(true).SetTitle(" wirelens help (scrolls: j k PgDn End) ")
	return tv
}

// helpWidth is the help overlay's inner width (centerFill(help, 78) less
// its border).
const helpWidth = 76

// writeKeyLine writes one key line of the help; a description too long for
// the overlay wraps under itself instead of being cut.
func writeKeyLine(b *strings.Builder, k [2]string) {
	for i, l := range wrapText(k[1], helpWidth-17, 0) {
		label := ""
		if i == 0 {
			label = k[0]
		}
		fmt.Fprintf(b, " %-15s %s\n", label, tview.Escape(l))
	}
}
