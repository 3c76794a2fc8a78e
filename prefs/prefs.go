// Package prefs holds wirelens's preferences and loads and saves them in
// Wireshark's preferences-file format. It is plain data: the preferences
// themselves (which checksums to verify, how to treat TSO captures) are
// registered by the protocols that read them (package decode, one
// Register call in each protocol's own file), so adding a protocol never
// touches this package.
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
	"sort"
	"strings"
	"sync"

	"github.com/wirelens/wirelens/decode/suggest"
)

// MaxSwitches bounds the number of registered preferences: Prefs holds
// their values in a fixed array, so that it stays comparable with ==.
const MaxSwitches = 48

// MaxStrings bounds the string preferences, for the same reason.
const MaxStrings = 8

// ID names a registered preference; its value is Prefs's slot for it.
type ID uint8

// Word is one value of an enumerated preference: the word Wireshark writes
// in its file and lists in "One of:", and another spelling it also
// accepts on input (tshark takes both, case-insensitively).
type Word struct{ Stored, Short string }

// Switch describes one preference, as the protocol that reads it registers
// it. A switch is a boolean unless it has Words.
type Switch struct {
	// Name is Wireshark's name, e.g. "tcp.check_checksum".
	Name string
	// Proto is the field prefix of the checksum this switch turns on
	// ("tcp"), for Validates and SetValidates; "" if it is no checksum
	// switch.
	Proto string
	// Desc is the comment Save writes above a new entry, one string a
	// line, in Wireshark's wording where Wireshark has the preference.
	Desc []string
	// Words are an enum's values, in Wireshark's order; value 0 turns a
	// checksum switch off.
	Words []Word
	// Default is the value of Default(): 0 or 1 for a boolean, an index
	// into Words for an enum.
	Default uint8
	// On is the value SetValidates(proto, true) gives an enum that is off.
	On uint8
	// Check, when set, makes this a string preference: it accepts the
	// text or says what is wrong with it. The registering package
	// supplies it (prefs knows no protocol).
	Check func(string) error
	// DefaultText is a string preference's default.
	DefaultText string
}

// Prefs is plain data: copy it freely and compare it with ==. The zero
// value has every switch off (FALSE, or an enum's first word).
type Prefs struct {
	v [MaxSwitches]uint8 // a string preference's slot holds its index in s
	s [MaxStrings]string
}

var registry struct {
	sync.RWMutex
	all    []Switch      // by ID
	nstr   int           // string preferences registered
	sorted []ID          // by name
	proto  map[string]ID // checksum field prefix -> switch
}

// Register adds a preference and returns its ID. It is called from
// package-level variable declarations, before any Prefs is made; a
// duplicate name, a bad default or too many switches are programming
// errors and panic.
func Register(s Switch) ID {
	registry.Lock()
	defer registry.Unlock()
	if len(registry.all) >= MaxSwitches {
		panic("prefs: more than MaxSwitches preferences registered")
	}
	if s.Name == "" || len(s.Desc) == 0 {
		panic("prefs: preference without a name or description")
	}
	if (s.Words == nil && (s.Default > 1 || s.On > 1)) || (s.Words != nil && (int(s.Default) >= len(s.Words) || int(s.On) >= len(s.Words))) {
		panic("prefs: bad default for " + s.Name)
	}
	for _, o := range registry.all {
		if o.Name == s.Name || s.Proto != "" && o.Proto == s.Proto {
			panic("prefs: " + s.Name + " registered twice")
		}
	}
	if s.Check != nil {
		if registry.nstr >= MaxStrings || s.Words != nil || s.Proto != "" {
			panic("prefs: bad string preference " + s.Name)
		}
		s.Default = uint8(registry.nstr)
		registry.nstr++
	}
	id := ID(len(registry.all))
	registry.all = append(registry.all, s)
	i := sort.Search(len(registry.sorted), func(i int) bool { return registry.all[registry.sorted[i]].Name >= s.Name })
	registry.sorted = append(registry.sorted, 0)
	copy(registry.sorted[i+1:], registry.sorted[i:])
	registry.sorted[i] = id
	if s.Proto != "" {
		if registry.proto == nil {
			registry.proto = map[string]ID{}
		}
		registry.proto[s.Proto] = id
	}
	return id
}

// sw returns the registered switch id.
func sw(id ID) *Switch {
	registry.RLock()
	defer registry.RUnlock()
	return &registry.all[id]
}

// Default returns wirelens's defaults, as each preference was registered.
func Default() Prefs {
	registry.RLock()
	defer registry.RUnlock()
	var p Prefs
	for i, s := range registry.all {
		p.v[i] = s.Default
		if s.Check != nil {
			p.s[s.Default] = s.DefaultText
		}
	}
	return p
}

// On reports whether the boolean id is TRUE (or an enum is not at its
// first word). The dissector asks this for every checksum of every frame,
// so it is an array read.
func (p Prefs) On(id ID) bool { return p.v[id] != 0 }

// Value returns the value of id: 0 or 1 for a boolean, an index into the
// Words of an enum.
func (p Prefs) Value(id ID) uint8 { return p.v[id] }

// Text returns the value of the string preference id.
func (p Prefs) Text(id ID) string {
	s := sw(id)
	if s.Check == nil {
		return ""
	}
	return p.s[s.Default]
}

// SetValue sets id to v (0 or 1 for a boolean, an index into Words);
// values out of range are ignored.
func (p *Prefs) SetValue(id ID, v uint8) {
	s := sw(id)
	if s.Words == nil && v <= 1 || int(v) < len(s.Words) {
		p.v[id] = v
	}
}

const boolAccepted = "TRUE or FALSE (case-insensitive)"

// kind is the comment that says which values a switch accepts.
func (s *Switch) kind() []string {
	if s.Check != nil {
		return []string{"A string"}
	}
	if s.Words == nil {
		return []string{boolAccepted}
	}
	return []string{"One of: " + s.wordList(), "(case-insensitive)."}
}

func (s *Switch) wordList() string {
	w := make([]string, len(s.Words))
	for i, x := range s.Words {
		w[i] = x.Stored
	}
	return strings.Join(w, ", ")
}

func lookup(name string) (ID, *Switch) {
	registry.RLock()
	defer registry.RUnlock()
	all, sorted := registry.all, registry.sorted
	i := sort.Search(len(sorted), func(i int) bool { return all[sorted[i]].Name >= name })
	if i < len(sorted) && all[sorted[i]].Name == name {
		return sorted[i], &all[sorted[i]]
	}
	return 0, nil
}

// switches returns the registered switches, sorted by name.
func switches() []*Switch {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]*Switch, len(registry.sorted))
	for i, id := range registry.sorted {
		out[i] = &registry.all[id]
	}
	return out
}

// Names returns every known preference name, sorted.
func Names() []string {
	var out []string
	for _, s := range switches() {
		out = append(out, s.Name)
	}
	return out
}

// Description returns the human description of a preference (the comment
// Save writes above it), with lines joined by newlines; "" if unknown.
func Description(name string) string {
	if _, s := lookup(name); s != nil {
		return strings.Join(s.Desc, "\n")
	}
	return ""
}

// Protocols returns the field prefixes Validates and SetValidates accept,
// sorted.
func Protocols() []string {
	var out []string
	for _, s := range switches() {
		if s.Proto != "" {
			out = append(out, s.Proto)
		}
	}
	sort.Strings(out)
	return out
}

// ErrUnknown is wrapped by the errors for unknown preference names, so that
// callers (e.g. a command line) can tell a typo from a bad value.
var ErrUnknown = errors.New("unknown preference")

// Parse reads value as the named preference takes it: TRUE or FALSE in
// any ASCII case for a boolean, a stored word or its short spelling for an
// enum.
func (s *Switch) Parse(value string) (uint8, error) {
	v := trimSpace(value)
	if s.Words == nil {
		switch {
		case asciiEqualFold(v, "TRUE"):
			return 1, nil
		case asciiEqualFold(v, "FALSE"):
			return 0, nil
		}
		return 0, fmt.Errorf("bad value %s for preference %s; want %s", quoteShort(v), s.Name, boolAccepted)
	}
	for i, w := range s.Words {
		if asciiEqualFold(v, w.Stored) || w.Short != "" && asciiEqualFold(v, w.Short) {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("bad value %s for preference %s; want one of: %s (case-insensitive)", quoteShort(v), s.Name, s.wordList())
}

// Format returns v as Save writes it: TRUE, FALSE or the enum's word.
func (s *Switch) Format(v uint8) string {
	if s.Words == nil {
		if v != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	if int(v) < len(s.Words) {
		return s.Words[v].Stored
	}
	return fmt.Sprintf("%s(%d)", s.Name, v)
}

// Set assigns value, written as in a Wireshark preferences file, to the
// named preference. Booleans take TRUE or FALSE in any ASCII case and
// nothing else; enums take the words tshark takes. On error p is
// unchanged.
func (p *Prefs) Set(name, value string) error {
	id, s := lookup(name)
	if s == nil {
		return unknownError(name)
	}
	if s.Check != nil {
		v := trimSpace(value)
		if err := s.Check(v); err != nil {
			return fmt.Errorf("bad value %s for preference %s: %w", quoteShort(v), name, err)
		}
		// The slot index is kept in v too, so that a Prefs set to its
		// defaults compares equal to Default().
		p.v[id] = s.Default
		p.s[s.Default] = v
		return nil
	}
	v, err := s.Parse(value)
	if err != nil {
		return err
	}
	p.v[id] = v
	return nil
}

// Get returns the value of the named preference as Save writes it (TRUE,
// FALSE or the enum word) and whether the name is known.
func (p Prefs) Get(name string) (string, bool) {
	id, s := lookup(name)
	if s == nil {
		return "", false
	}
	if s.Check != nil {
		return p.s[s.Default], true
	}
	return s.Format(p.v[id]), true
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

func protoID(proto string) (ID, bool) {
	registry.RLock()
	defer registry.RUnlock()
	id, ok := registry.proto[proto]
	return id, ok
}

// Validates reports whether the checksum of the protocol with the given
// field prefix ("ip", "tcp", "sctp", ...) is to be verified. Unknown
// prefixes report false.
func (p Prefs) Validates(proto string) bool {
	id, ok := protoID(proto)
	return ok && p.v[id] != 0
}

// SetValidates turns validation for one protocol on or off, for the TUI's
// toggle. An enum goes to its first word when off and to its On word when
// turned on from off; an enum setting that already validates (SCTP's
// Adler 32, Automatic) is kept when turned on, so a toggle that is already
// on does not lose the user's choice. Unknown prefixes are ignored.
func (p *Prefs) SetValidates(proto string, on bool) {
	id, ok := protoID(proto)
	if !ok {
		return
	}
	s := sw(id)
	switch {
	case !on:
		p.v[id] = 0
	case s.Words == nil:
		p.v[id] = 1
	case p.v[id] == 0:
		p.v[id] = s.On
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
	names := Names()
	var out []string
	if mod, rest, ok := strings.Cut(lower, "."); ok {
		// The protocol's checksum switch, and names the typed one begins.
		for _, n := range names {
			if strings.HasPrefix(n, mod+".") && (strings.Contains(n, "checksum") || rest != "" && strings.HasPrefix(n, lower)) {
				out = append(out, n)
			}
		}
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

// foreign are Wireshark preferences that tshark users pass routinely and
// that have no meaning in wirelens; -o accepts them with a note instead of
// refusing a script written for tshark. The value says why.
var foreign = map[string]string{
	"tcp.desegment_tcp_streams":          "wirelens does not reassemble TCP streams",
	"tcp.reassemble_out_of_order":        "wirelens does not reassemble TCP streams",
	"tcp.calculate_timestamps":           "wirelens always computes the TCP timestamps it shows",
	"tcp.track_bytes_in_flight":          "part of the sequence analysis (tcp.analyze_sequence_numbers)",
	"tcp.try_heuristic_first":            "wirelens chooses dissectors by port first",
	"tcp.no_subdissector_on_error":       "wirelens dissects payloads whatever the checksum says",
	"tcp.summary_in_tree":                "wirelens's trees always carry the summary",
	"udp.try_heuristic_first":            "wirelens chooses dissectors by port first",
	"udp.summary_in_tree":                "wirelens's trees always carry the summary",
	"ip.summary_in_tree":                 "wirelens's trees always carry the summary",
	"ip.use_geoip":                       "wirelens does no GeoIP look-ups",
	"ipv6.summary_in_tree":               "wirelens's trees always carry the summary",
	"ipv6.use_geoip":                     "wirelens does no GeoIP look-ups",
	"eth.assume_fcs":                     "wirelens takes the FCS length from the capture file",
	"http.desegment_headers":             "wirelens does not reassemble TCP streams",
	"http.desegment_body":                "wirelens does not reassemble TCP streams",
	"http.dechunk_body":                  "not used",
	"tls.keylog_file":                    "wirelens does not decrypt TLS",
	"tls.desegment_ssl_records":          "wirelens does not reassemble TCP streams",
	"tls.desegment_ssl_application_data": "wirelens does not reassemble TCP streams",
	"ssl.keylog_file":                    "wirelens does not decrypt TLS",
	"ssl.desegment_ssl_records":          "wirelens does not reassemble TCP streams",
	"dns.desegment_dns_messages":         "wirelens does not reassemble TCP streams",
}

// foreignPrefixes are whole families of settings wirelens has no use for.
var foreignPrefixes = map[string]string{
	"gui.":        "wirelens has its own UI settings",
	"column.":     "Wireshark's old name of gui.column.*: wirelens reads gui.column.format and gui.column.hidden",
	"nameres.":    "wirelens never resolves names",
	"capture.":    "wirelens's capture options are on its command line",
	"uat:":        "wirelens has no user tables",
	"print.":      "not used",
	"stream.":     "not used",
	"console.":    "not used",
	"extcap.":     "wirelens has no extcap",
	"statistics.": "not used",
}

// Foreign reports whether name is a Wireshark preference that wirelens
// accepts without having a setting for it, and why it has none. A name
// that is registered is never foreign.
func Foreign(name string) (why string, ok bool) {
	if _, s := lookup(name); s != nil {
		return "", false
	}
	if w, ok := foreign[name]; ok {
		return w, true
	}
	for p, w := range foreignPrefixes {
		if strings.HasPrefix(name, p) {
			return w, true
		}
	}
	return "", false
}
