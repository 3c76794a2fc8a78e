// Package prefs holds wirelens's preferences: which checksums to verify and
// how to treat TSO captures, plus loading and saving them in Wireshark's
// preferences-file format.
//
// Names, value words and the file layout follow Wireshark (checked against
// tshark 4.0) so that a user can carry settings between the two tools and
// so that tshark's "-o name:value" habits work unchanged. Two deliberate
// differences: wirelens validates every checksum by default (Wireshark leaves
// IPv4, TCP, UDP and UDP-Lite off and SCTP at None), and it has switches for
// ICMP, ICMPv6, IGMP and GRE, which Wireshark always checks and which tshark
// therefore rejects as unknown preferences.
//
// Where Wireshark silently accepts garbage (a boolean other than TRUE reads
// as FALSE, an unknown enum word keeps the old value) wirelens reports it
// instead, because a checksum verdict that quietly depends on a typo is worse
// than a warning.
package prefs

import (
	"errors"
	"fmt"
	"github.com/wirelens/wirelens/decode/suggest"
	"sort"
	"strings"
)

// SCTPChecksum is the kind of checksum expected in SCTP common headers
// (Wireshark's sctp.checksum).
type SCTPChecksum int

// The values of SCTPChecksum, in Wireshark's order.
const (
	SCTPNone SCTPChecksum = iota
	SCTPAdler32
	SCTPCRC32c
	SCTPAutomatic
)

// sctpWords holds, per SCTPChecksum, the word Wireshark writes in its file
// and lists in "One of:" and the short name it also accepts on input
// (tshark takes both, case-insensitively).
var sctpWords = [...]struct{ word, short string }{
	SCTPNone:      {"None", "none"},
	SCTPAdler32:   {"Adler 32", "adler-32"},
	SCTPCRC32c:    {"CRC 32c", "crc-32c"},
	SCTPAutomatic: {"Automatic", "automatic"},
}

// String returns the word Wireshark stores for c, e.g. "CRC 32c".
func (c SCTPChecksum) String() string {
	if c >= 0 && int(c) < len(sctpWords) {
		return sctpWords[c].word
	}
	return fmt.Sprintf("SCTPChecksum(%d)", int(c))
}

// ParseSCTPChecksum accepts what tshark accepts for sctp.checksum: the stored
// word ("CRC 32c") or the short name ("crc-32c"), ASCII case-insensitively.
func ParseSCTPChecksum(s string) (SCTPChecksum, error) {
	s = trimSpace(s)
	for i, w := range sctpWords {
		if asciiEqualFold(s, w.word) || asciiEqualFold(s, w.short) {
			return SCTPChecksum(i), nil
		}
	}
	return 0, fmt.Errorf("bad value %s for preference sctp.checksum; want %s", quoteShort(s), sctpAccepted)
}

// Prefs is plain data: copy it freely and compare it with ==.
type Prefs struct {
	IPCheck      bool
	TCPCheck     bool
	UDPCheck     bool
	UDPLiteCheck bool
	ICMPCheck    bool
	ICMPv6Check  bool
	IGMPCheck    bool
	GRECheck     bool
	SCTP         SCTPChecksum
	IPTSOSupport bool
}

// Default returns wirelens's defaults: every checksum validated (SCTP as
// CRC 32c, the only algorithm RFC 9260 allows) and TSO support on.
func Default() Prefs {
	return Prefs{
		IPCheck:      true,
		TCPCheck:     true,
		UDPCheck:     true,
		UDPLiteCheck: true,
		ICMPCheck:    true,
		ICMPv6Check:  true,
		IGMPCheck:    true,
		GRECheck:     true,
		SCTP:         SCTPCRC32c,
		IPTSOSupport: true,
	}
}

const (
	boolAccepted = "TRUE or FALSE (case-insensitive)"
	sctpAccepted = "one of: None, Adler 32, CRC 32c, Automatic (case-insensitive)"
)

// def describes one preference. The desc lines and the kind line are written
// verbatim as the comment block above a new entry, so they use Wireshark's
// wording where Wireshark has the preference.
type def struct {
	name  string
	proto string // field prefix for Validates; "" if not a checksum switch
	desc  []string
	kind  []string           // the comment lines that say which values are accepted
	b     func(*Prefs) *bool // nil for the enum
}

var boolKind = []string{"TRUE or FALSE (case-insensitive)"}

// wiresharkOff is appended to descriptions of preferences whose Wireshark
// default is FALSE, so a user comparing files is not surprised.
const wiresharkOff = "wirelens default: TRUE (Wireshark's default is FALSE)"

func notInWireshark(what string) string {
	return "Not a Wireshark preference: Wireshark always validates the " + what + " checksum"
}

// defs is sorted by name, which makes Names and the order of a new file's
// blocks stable.
var defs = []def{
	{name: "gre.check_checksum", proto: "gre", kind: boolKind,
		desc: []string{"Whether to validate the GRE checksum", notInWireshark("GRE")},
		b:    func(p *Prefs) *bool { return &p.GRECheck }},
	{name: "icmp.check_checksum", proto: "icmp", kind: boolKind,
		desc: []string{"Whether to validate the ICMP checksum", notInWireshark("ICMP")},
		b:    func(p *Prefs) *bool { return &p.ICMPCheck }},
	{name: "icmpv6.check_checksum", proto: "icmpv6", kind: boolKind,
		desc: []string{"Whether to validate the ICMPv6 checksum", notInWireshark("ICMPv6")},
		b:    func(p *Prefs) *bool { return &p.ICMPv6Check }},
	{name: "igmp.check_checksum", proto: "igmp", kind: boolKind,
		desc: []string{"Whether to validate the IGMP checksum", notInWireshark("IGMP")},
		b:    func(p *Prefs) *bool { return &p.IGMPCheck }},
	{name: "ip.check_checksum", proto: "ip", kind: boolKind,
		desc: []string{"Whether to validate the IPv4 checksum", wiresharkOff},
		b:    func(p *Prefs) *bool { return &p.IPCheck }},
	{name: "ip.tso_support", kind: boolKind,
		desc: []string{"Whether to correct for TSO-enabled (TCP segmentation offload) hardware captures, such as spoofing the IP packet length"},
		b:    func(p *Prefs) *bool { return &p.IPTSOSupport }},
	{name: "sctp.checksum", proto: "sctp",
		desc: []string{"The type of checksum used in SCTP packets", "wirelens default: CRC 32c (Wireshark's default is None)"},
		kind: []string{"One of: None, Adler 32, CRC 32c, Automatic", "(case-insensitive)."}},
	{name: "tcp.check_checksum", proto: "tcp", kind: boolKind,
		desc: []string{"Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)", wiresharkOff},
		b:    func(p *Prefs) *bool { return &p.TCPCheck }},
	{name: "udp.check_checksum", proto: "udp", kind: boolKind,
		desc: []string{"Whether to validate the UDP checksum", wiresharkOff},
		b:    func(p *Prefs) *bool { return &p.UDPCheck }},
	{name: "udplite.check_checksum", proto: "udplite", kind: boolKind,
		desc: []string{"Whether to validate the UDP-Lite checksum", wiresharkOff},
		b:    func(p *Prefs) *bool { return &p.UDPLiteCheck }},
}

func lookup(name string) *def {
	i := sort.Search(len(defs), func(i int) bool { return defs[i].name >= name })
	if i < len(defs) && defs[i].name == name {
		return &defs[i]
	}
	return nil
}

// Names returns every known preference name, sorted.
func Names() []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.name
	}
	return out
}

// Description returns the human description of a preference (the comment
// Save writes above it), with lines joined by newlines; "" if unknown.
func Description(name string) string {
	if d := lookup(name); d != nil {
		return strings.Join(d.desc, "\n")
	}
	return ""
}

// Protocols returns the field prefixes Validates and SetValidates accept,
// sorted.
func Protocols() []string {
	var out []string
	for _, d := range defs {
		if d.proto != "" {
			out = append(out, d.proto)
		}
	}
	sort.Strings(out)
	return out
}

// ErrUnknown is wrapped by the errors for unknown preference names, so that
// callers (e.g. a command line) can tell a typo from a bad value.
var ErrUnknown = errors.New("unknown preference")

// Set assigns value, written as in a Wireshark preferences file, to the
// named preference. Booleans take TRUE or FALSE in any ASCII case and
// nothing else; sctp.checksum takes the words tshark takes. On error p is
// unchanged.
func (p *Prefs) Set(name, value string) error {
	d := lookup(name)
	if d == nil {
		return unknownError(name)
	}
	v := trimSpace(value)
	if d.b == nil {
		c, err := ParseSCTPChecksum(v)
		if err != nil {
			return err
		}
		p.SCTP = c
		return nil
	}
	switch {
	case asciiEqualFold(v, "TRUE"):
		*d.b(p) = true
	case asciiEqualFold(v, "FALSE"):
		*d.b(p) = false
	default:
		return fmt.Errorf("bad value %s for preference %s; want %s", quoteShort(v), name, boolAccepted)
	}
	return nil
}

// Get returns the value of the named preference as Save writes it (TRUE,
// FALSE or the enum word) and whether the name is known.
func (p Prefs) Get(name string) (string, bool) {
	d := lookup(name)
	if d == nil {
		return "", false
	}
	if d.b == nil {
		return p.SCTP.String(), true
	}
	if *d.b(&p) {
		return "TRUE", true
	}
	return "FALSE", true
}

// Override applies a tshark-style -o argument, "name:value" (a space after
// the colon is allowed, as tshark allows it).
func (p *Prefs) Override(arg string) error {
	name, value, ok := strings.Cut(arg, ":")
	if !ok {
		return fmt.Errorf("bad preference override %s: want name:value, e.g. tcp.check_checksum:FALSE", quoteShort(arg))
	}
	if err := p.Set(trimSpace(name), value); err != nil {
		return fmt.Errorf("bad preference override %s: %w", quoteShort(arg), err)
	}
	return nil
}

// Validates reports whether the checksum of the protocol with the given
// field prefix ("ip", "tcp", "sctp", ...) is to be verified. Unknown
// prefixes report false.
func (p Prefs) Validates(proto string) bool {
	// A switch, not a walk over defs: the dissector asks this for every
	// checksum of every frame, and taking p's address there allocated.
	switch proto {
	case "ip":
		return p.IPCheck
	case "tcp":
		return p.TCPCheck
	case "udp":
		return p.UDPCheck
	case "udplite":
		return p.UDPLiteCheck
	case "icmp":
		return p.ICMPCheck
	case "icmpv6":
		return p.ICMPv6Check
	case "igmp":
		return p.IGMPCheck
	case "gre":
		return p.GRECheck
	case "sctp":
		return p.SCTP != SCTPNone
	}
	return false
}

// SetValidates turns validation for one protocol on or off, for the TUI's
// toggle. For SCTP, off means None and on means CRC 32c; an SCTP setting
// that already validates (Adler 32, Automatic) is kept when turned on, so a
// toggle that is already on does not lose the user's choice. Unknown
// prefixes are ignored.
func (p *Prefs) SetValidates(proto string, on bool) {
	if proto == "sctp" {
		switch {
		case !on:
			p.SCTP = SCTPNone
		case p.SCTP == SCTPNone:
			p.SCTP = SCTPCRC32c
		}
		return
	}
	for _, d := range defs {
		if proto != "" && d.proto == proto && d.b != nil {
			*d.b(p) = on
			return
		}
	}
}

// unknownError names the bad preference and suggests the closest names: a
// typo in a checksum switch otherwise silently leaves verification as it
// was.
func unknownError(name string) error {
	s := suggestNames(name)
	if len(s) == 0 {
		return fmt.Errorf("%w %s", ErrUnknown, quoteShort(name))
	}
	var b strings.Builder
	for i, n := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(n)
	}
	return fmt.Errorf("%w %s; did you mean %s?", ErrUnknown, quoteShort(name), b.String())
}

// suggestNames returns up to three known names close to name: those of the same
// protocol first, then those at the smallest edit distance if it is small
// enough to be a typo. The first group catches "tcp.checksum", whose nearest
// name by edit distance is sctp.checksum but which most likely meant
// tcp.check_checksum.
func suggestNames(name string) []string {
	lower := strings.ToLower(name)
	var out []string
	if mod, _, ok := strings.Cut(lower, "."); ok {
		for _, d := range defs {
			if strings.HasPrefix(d.name, mod+".") {
				out = append(out, d.name)
			}
		}
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.name
	}
	near := suggest.Nearest(lower, names, max(2, len(lower)/3), 3)
	for _, n := range near {
		if !contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// asciiEqualFold compares like GLib's g_ascii_strcasecmp, which Wireshark
// uses; strings.EqualFold would also fold e.g. U+017F to 's'.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// asciiSpace is what GLib's g_ascii_isspace accepts, which is what
// Wireshark skips around values and at the start of continuation lines.
const asciiSpace = " \t\n\v\f\r"

func trimSpace(s string) string { return strings.Trim(s, asciiSpace) }

// quoteShort quotes text from a user or a file for an error message; it is
// cut short so that a hostile megabyte-long value does not flood the
// terminal, and %q keeps escape sequences from reaching it.
func quoteShort(s string) string {
	const maxLen = 64
	if len(s) > maxLen {
		return fmt.Sprintf("%q...", s[:maxLen])
	}
	return fmt.Sprintf("%q", s)
}
