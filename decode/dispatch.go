package decode

import (
	"fmt"

	"github.com/wirelens/wirelens/prefs"
	"sort"
	"strings"
)

// Dispatch tables: how one layer finds the next. Each protocol's own file
// registers itself into the tables that lead to it (in a var block, as
// gopacket's layers keeps its enums), so no dissector names another's
// numbers and adding a protocol is adding its file:
//
//	var _ = udpPorts.register(4789, vxlanDissector)
//
// The tables carry Wireshark's names ("ethertype", "udp.port"), which are
// also the names Decode As takes (tshark's -d udp.port==8472,vxlan).

// payloadFunc dissects b.data[off:] (the caller has cut b.data at the end
// of the payload) and returns where the payload's own length says it
// ends, for the padding a link layer shows after it; len(b.data) when it
// has no length of its own.
type payloadFunc func(b *builder, off int) int

// heuristicFunc dissects b.data[off:] if the bytes look like its protocol,
// and reports whether they did; it adds nothing when they do not.
type heuristicFunc func(b *builder, off int) (end int, ok bool)

// Payload is a dissector that dispatch tables and Decode As can name.
type Payload struct {
	// Name is Wireshark's short name for Decode As ("vxlan", "ip").
	Name string
	// Title is what Decode As lists ("Virtual eXtensible Local Area Network").
	Title string
	// Optional marks an application layer nothing else depends on (no
	// checksum, no hint): a lean dissection that reads none of its fields
	// shows its bytes as data instead (see Dissector.Want).
	Optional bool
	fn       payloadFunc
}

// Table maps a selector (an EtherType, a port) to the dissector of the
// payload it announces.
type Table struct {
	Name  string // Wireshark's table name: "ethertype", "udp.port"
	Title string
	// Written only while the package initialises, read-only after.
	m    map[uint32]*Payload
	heur []heuristic
}

type heuristic struct {
	name string
	fn   heuristicFunc
}

// The tables. Link types are keyed by LINKTYPE_ value.
var (
	linkTypes  = newTable("wtap_encap", "Link type")
	etherTypes = newTable("ethertype", "Ethertype")
	ipProtos   = newTable("ip.proto", "IP protocol")
	udpPorts   = newTable("udp.port", "UDP port")
	tcpPorts   = newTable("tcp.port", "TCP port")
	pppProtos  = newTable("ppp.protocol", "PPP protocol")
	greProtos  = newTable("gre.proto", "GRE protocol type")
)

var (
	tables   = map[string]*Table{}
	payloads = map[string]*Payload{} // by Name, for Decode As
)

func newTable(name, title string) *Table {
	t := &Table{Name: name, Title: title, m: map[uint32]*Payload{}}
	tables[name] = t
	return t
}

// newPayload names a dissector so tables and Decode As can refer to it; a
// name registered twice is a programming error.
func newPayload(name, title string, fn payloadFunc) *Payload {
	if _, dup := payloads[name]; dup {
		panic("decode: payload dissector " + name + " registered twice")
	}
	p := &Payload{Name: name, Title: title, fn: fn}
	payloads[name] = p
	return p
}

// register adds p under key; a key taken twice is a programming error
// (Decode As, not registration order, settles a conflict).
func (t *Table) register(key uint32, p *Payload) *Payload {
	if o, dup := t.m[key]; dup {
		panic(fmt.Sprintf("decode: %s %d registered for %s and %s", t.Name, key, o.Name, p.Name))
	}
	t.m[key] = p
	return p
}

// registerHeuristic adds a dissector tried, in registration order, on a
// payload no entry of the table claims.
func (t *Table) registerHeuristic(name string, fn heuristicFunc) bool {
	t.heur = append(t.heur, heuristic{name, fn})
	return true
}

// lookup returns the dissector for key: a Decode As rule of this dissector
// first, then the registered one.
func (t *Table) lookup(b *builder, key uint32) *Payload {
	if da := b.ds.decodeAs; da != nil {
		if p, ok := da[decodeAsKey{t, key}]; ok {
			return p
		}
	}
	return t.m[key]
}

// Has reports whether key has a dissector registered (without Decode As).
func (t *Table) Has(key uint32) bool {
	_, ok := t.m[key]
	return ok
}

// run dissects [off, end) with p and returns where p says the payload
// ends.
func (b *builder) run(p *Payload, off, end int) int {
	if end > len(b.data) {
		end = len(b.data)
	}
	if off > end {
		return end
	}
	saved := b.data
	b.data = b.data[:end]
	n := p.fn(b, off)
	b.data = saved
	return n
}

// wanted reports whether p is worth dissecting in this pass.
func (b *builder) wanted(p *Payload) bool {
	return !p.Optional || b.ds.Summary || b.wantsLayer(p.Name)
}

// dispatch dissects [off, end) with the dissector t has for key and
// returns where it ends; ok is false when t has none (nothing is added;
// the payload is noted as undissected) or this lean pass skips it.
func (b *builder) dispatch(t *Table, key uint32, off, end int) (n int, ok bool) {
	p := t.lookup(b, key)
	if p == nil {
		if off < end && off < len(b.data) {
			b.noteUndissected(t.Name, key)
		}
		return 0, false
	}
	if !b.wanted(p) {
		return 0, false
	}
	return b.run(p, off, end), true
}

// noteUndissected records a payload no dissector took, for the report:
// whatever it carries was not checked.
func (b *builder) noteUndissected(table string, key uint32) {
	if b.inQuote {
		return
	}
	b.d.Undissected = append(b.d.Undissected, Undissected{table, key})
}

// dispatchPorts tries the lower port first, then the higher, then the
// heuristic dissectors, as Wireshark's UDP and TCP do (decode_udp_ports).
func (b *builder) dispatchPorts(t *Table, sport, dport uint16, off, end int) bool {
	lo, hi := sport, dport
	if lo > hi {
		lo, hi = hi, lo
	}
	known := false
	for _, port := range [2]uint16{lo, hi} {
		if port == 0 {
			continue
		}
		p := t.lookup(b, uint32(port))
		if p == nil {
			continue
		}
		known = true
		if b.wanted(p) {
			b.run(p, off, end)
			return true
		}
	}
	if b.tryHeuristics(t, off, end) {
		return true
	}
	// A TCP payload is the application's data, covered by the TCP
	// checksum; a UDP one may be a tunnel with checksums of its own.
	if !known && t != tcpPorts && off < end && off < len(b.data) {
		b.noteUndissected(t.Name, uint32(lo))
	}
	return false
}

func (b *builder) tryHeuristics(t *Table, off, end int) bool {
	if len(t.heur) == 0 || off >= end {
		return false
	}
	if end > len(b.data) {
		end = len(b.data)
	}
	saved := b.data
	b.data = b.data[:end]
	defer func() { b.data = saved }()
	for _, h := range t.heur {
		if _, ok := h.fn(b, off); ok {
			return true
		}
	}
	return false
}

// linkType is a link-layer header type wirelens reads: its LINKTYPE_
// value, Wireshark's WTAP_ENCAP number and name ("Encapsulation type:
// Ethernet (1)"), and its dissector.
type linkType struct {
	encap int64
	name  string
	fn    func(b *builder)
}

var (
	linkByType = map[uint16]*linkType{}
	// encapNames are Wireshark's WTAP_ENCAP names, the values of
	// frame.encap_type.
	encapNames = map[uint64]string{0: "Unknown"}
)

// registerLink adds a link type; several LINKTYPE_ values may share one
// WTAP_ENCAP (Raw IP).
func registerLink(lt uint16, encap int64, name string, fn func(b *builder)) bool {
	if _, dup := linkByType[lt]; dup {
		panic(fmt.Sprintf("decode: link type %d registered twice", lt))
	}
	linkByType[lt] = &linkType{encap, name, fn}
	encapNames[uint64(encap)] = name
	return true
}

// encapOf maps a LINKTYPE_ to Wireshark's WTAP_ENCAP number (shown as
// "Encapsulation type"); a link type wirelens does not read shows as
// Wireshark's Unknown (0).
func encapOf(lt uint16) int64 {
	if l, ok := linkByType[lt]; ok {
		return l.encap
	}
	return 0 // WTAP_ENCAP_UNKNOWN: the tree's note names the link type
}

// Decode As: rules that make a table hand a selector to another
// dissector, as tshark's -d and Wireshark's decode_as_entries do.

type decodeAsKey struct {
	t   *Table
	key uint32
}

// DecodeAs is one rule: in Table, the selector Value is dissected as
// Proto.
type DecodeAs struct {
	Table string // "udp.port", "tcp.port", "ip.proto", "ethertype"
	Value uint32
	Proto string // a dissector name: "vxlan", "geneve", "eth", "ip" ...
}

func (r DecodeAs) String() string {
	return fmt.Sprintf("%s==%d,%s", r.Table, r.Value, r.Proto)
}

// decodeAsTables are the tables a rule may name; Wireshark's names.
var decodeAsTables = []string{"ethertype", "ip.proto", "tcp.port", "udp.port"}

// ParseDecodeAs reads a rule in tshark's -d syntax,
// "udp.port==8472,vxlan" (also "udp.port=8472,vxlan" and a range
// "udp.port==8472-8474,vxlan", which gives one rule per value).
func ParseDecodeAs(s string) ([]DecodeAs, error) {
	bad := func(why string) error {
		return fmt.Errorf("bad Decode As rule %s: %s; want TABLE==VALUE,PROTOCOL, e.g. udp.port==8472,vxlan", quoteArg(s), why)
	}
	sel, proto, ok := strings.Cut(s, ",")
	if !ok {
		return nil, bad("no protocol after the selector")
	}
	table, val, ok := strings.Cut(sel, "=")
	if !ok {
		return nil, bad("no == between table and value")
	}
	val = strings.TrimPrefix(val, "=")
	table, val, proto = strings.TrimSpace(table), strings.TrimSpace(val), strings.TrimSpace(proto)
	t, ok := tables[table]
	if !ok || !contains(decodeAsTables, table) {
		return nil, bad(fmt.Sprintf("unknown table %s (one of: %s)", quoteArg(table), strings.Join(decodeAsTables, ", ")))
	}
	p, ok := payloads[strings.ToLower(proto)]
	if !ok {
		return nil, bad(fmt.Sprintf("unknown protocol %s (one of: %s)", quoteArg(proto), strings.Join(DecodeAsProtocols(), ", ")))
	}
	limit := uint64(0xffff)
	if t == ipProtos {
		limit = 0xff
	}
	lo, hi, isRange := strings.Cut(val, "-")
	first, err := parseSelector(lo, limit)
	if err != nil {
		return nil, bad(err.Error())
	}
	last := first
	if isRange {
		if last, err = parseSelector(hi, limit); err != nil {
			return nil, bad(err.Error())
		}
		if last < first {
			return nil, bad("range ends before it starts")
		}
	}
	var out []DecodeAs
	for v := first; v <= last; v++ {
		out = append(out, DecodeAs{Table: table, Value: uint32(v), Proto: p.Name})
	}
	return out, nil
}

func parseSelector(s string, limit uint64) (uint64, error) {
	var v uint64
	var err error
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		_, err = fmt.Sscanf(s[2:], "%x", &v)
		if err == nil && strings.Trim(s[2:], "0123456789abcdefABCDEF") != "" {
			err = fmt.Errorf("bad digits")
		}
	default:
		_, err = fmt.Sscanf(s, "%d", &v)
		if err == nil && strings.Trim(s, "0123456789") != "" {
			err = fmt.Errorf("bad digits")
		}
	}
	if err != nil || s == "" {
		return 0, fmt.Errorf("value %s is not a number", quoteArg(s))
	}
	if v > limit {
		return 0, fmt.Errorf("value %s is out of range (at most %d)", quoteArg(s), limit)
	}
	return v, nil
}

// DecodeAsProtocols lists the dissector names Decode As accepts, sorted.
func DecodeAsProtocols() []string {
	out := make([]string, 0, len(payloads))
	for n := range payloads {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// DecodeAsTables lists the tables a Decode As rule may name, sorted.
func DecodeAsTables() []string { return append([]string(nil), decodeAsTables...) }

// DecodeAsTitle is the title Decode As lists for a dissector name ("" if
// Decode As does not know it).
func DecodeAsTitle(name string) string {
	if p, ok := payloads[name]; ok {
		return p.Title
	}
	return ""
}

// SetDecodeAs replaces the dissector's Decode As rules. Rules were
// checked by ParseDecodeAs; one naming an unknown table or protocol is
// an error.
func (ds *Dissector) SetDecodeAs(rules []DecodeAs) error {
	if len(rules) == 0 {
		ds.decodeAs, ds.decodeAsRules = nil, nil
		return nil
	}
	m := make(map[decodeAsKey]*Payload, len(rules))
	for _, r := range rules {
		t, ok := tables[r.Table]
		if !ok {
			return fmt.Errorf("Decode As: unknown table %s", quoteArg(r.Table))
		}
		p, ok := payloads[r.Proto]
		if !ok {
			return fmt.Errorf("Decode As: unknown protocol %s", quoteArg(r.Proto))
		}
		m[decodeAsKey{t, r.Value}] = p
	}
	ds.decodeAs, ds.decodeAsRules = m, append([]DecodeAs(nil), rules...)
	return nil
}

// DecodeAsRules returns the dissector's Decode As rules.
func (ds *Dissector) DecodeAsRules() []DecodeAs { return ds.decodeAsRules }

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// quoteArg quotes user text for an error message, cut short.
func quoteArg(s string) string {
	if len(s) > 64 {
		return fmt.Sprintf("%q...", s[:64])
	}
	return fmt.Sprintf("%q", s)
}

// prefDecodeAs holds Decode As rules as a preference, so that every
// dissector made from the preferences (batch, UI, live, compare) applies
// them. Not a Wireshark preference: Wireshark keeps its rules in a
// decode_as_entries file; the syntax is tshark's -d.
var prefDecodeAs = prefs.Register(prefs.Switch{Name: "wirelens.decode_as",
	Desc: []string{"Decode As rules, as tshark's -d takes them, separated by semicolons: udp.port==8472,vxlan;tcp.port==9000,http",
		"Not a Wireshark preference: Wireshark keeps Decode As in its decode_as_entries file"},
	Check: func(s string) error { _, err := ParseDecodeAsList(s); return err }})

// ParseDecodeAsList reads rules separated by semicolons ("" is none).
func ParseDecodeAsList(s string) ([]DecodeAs, error) {
	var out []DecodeAs
	for _, r := range strings.Split(s, ";") {
		if strings.TrimSpace(r) == "" {
			continue
		}
		rs, err := ParseDecodeAs(strings.TrimSpace(r))
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		if len(out) > maxDecodeAs {
			return nil, fmt.Errorf("more than %d Decode As rules (ranges count one rule per value)", maxDecodeAs)
		}
	}
	return out, nil
}

// maxDecodeAs bounds the rules one preference holds: a whole port table,
// so that a hostile preferences file of ranges cannot exhaust memory.
const maxDecodeAs = 1 << 16

// applyDecodeAs makes the dissector follow the Decode As rules of its
// preferences; parsed again only when they change.
func (ds *Dissector) applyDecodeAs() {
	src := ds.Prefs.Text(prefDecodeAs)
	if src == ds.decodeAsSrc {
		return
	}
	ds.decodeAsSrc = src
	rules, err := ParseDecodeAsList(src)
	if err != nil {
		// Set refused it already; a Prefs built otherwise keeps none.
		rules = nil
	}
	_ = ds.SetDecodeAs(rules)
}
