// Package decode turns captured frames into what wirelens shows: list
// summaries, protocol field trees with byte ranges, and checksum verdicts.
// It knows nothing of terminals; the ui and the batch printer only read the
// plain data it returns.
package decode

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FieldType is the kind of value a field holds. It decides how the value is
// printed by -T fields and how the display filter compares it.
type FieldType uint8

const (
	FTNone     FieldType = iota // a text-only line (no value), e.g. an expert note
	FTProtocol                  // a protocol layer ("tcp"); filterable for presence
	FTUint                      // unsigned integer in U
	FTInt                       // signed integer, stored as int64(U)
	FTBool                      // U is 0 or 1
	FTIPv4                      // U holds the address big-endian in the low 32 bits
	FTIPv6                      // B holds 16 bytes
	FTEther                     // B holds 6 bytes
	FTString                    // S
	FTBytes                     // B
	FTAbsTime                   // U is nanoseconds since the Unix epoch
	FTRelTime                   // int64(U) is a duration in nanoseconds
	FTFloat                     // F
)

// Base says how an integer is written, as in Wireshark's BASE_DEC/BASE_HEX.
type Base uint8

const (
	BaseDec Base = iota
	BaseHex
	BaseDecHex
	BaseHexDec
)

// FieldDef is the single definition of a field: the tree, the display filter,
// -T fields and the UI all find it here by its Wireshark name.
type FieldDef struct {
	Name    string
	Label   string
	Type    FieldType
	Base    Base
	Bits    int               // width in bits for hex padding (8, 16, 32); 0 means minimal
	Values  map[uint64]string // value names (Wireshark's value_string)
	Bitmask uint64            // for flag fields: which bits of the parent word

	// Display, when set, writes the whole tree line for an occurrence;
	// otherwise the line is "Label: value".
	Display func(f *Field) string
	// Format, when set, computes the value's text (-T fields) from the
	// occurrence; used where building the string eagerly would cost every
	// frame an allocation that only a few outputs need.
	Format func(f *Field) string

	// Layer names the layer whose dissector adds the field when the
	// name's first part is not it (data-text-lines comes from http), so a
	// filter on it makes that layer be dissected.
	Layer string

	ID int // index in the registry, stable for one run
}

var registry = struct {
	sync.RWMutex
	byName map[string]*FieldDef
	all    []*FieldDef
}{byName: map[string]*FieldDef{}}

// Register adds a field definition. Names are unique; registering the same
// name twice is a programming error and panics at init time.
func Register(d FieldDef) *FieldDef {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.byName[d.Name]; dup {
		panic("decode: field registered twice: " + d.Name)
	}
	p := &d
	p.ID = len(registry.all)
	registry.byName[d.Name] = p
	registry.all = append(registry.all, p)
	return p
}

// LookupField finds a field definition by its Wireshark name.
func LookupField(name string) (*FieldDef, bool) {
	registry.RLock()
	defer registry.RUnlock()
	d, ok := registry.byName[name]
	return d, ok
}

// Fields lists every registered field, sorted by name.
func Fields() []*FieldDef {
	registry.RLock()
	out := append([]*FieldDef(nil), registry.all...)
	registry.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Field is one occurrence of a field in a frame's tree. Trees are flat slices
// in pre-order: a field's children follow it with Depth+1, which keeps a
// dissection to a single allocation-free append per field.
type Field struct {
	Def       *FieldDef
	Depth     int16
	Hidden    bool // filterable and printable by -e, but not drawn (ip.addr, tcp.port)
	Generated bool // Wireshark's [bracketed] lines: computed, not on the wire

	Offset int32 // first byte in the frame this field covers
	Length int32 // bytes covered; 0 for fields that cover nothing

	U uint64 // FTFloat: math.Float64bits of the value (see Float)
	B []byte // aliases frame data where possible; do not modify
	S string

	// Aux carries extra data a Display function needs (e.g. a checksum's
	// calculated value and status) without widening every field.
	Aux uint64
	// Text, when non-empty, replaces the whole tree line.
	Text string
}

// Float is an FTFloat field's value; floats are rare enough not to widen
// every field by their own member.
func (f *Field) Float() float64 { return math.Float64frombits(f.U) }

// SetFloat stores an FTFloat value.
func (f *Field) SetFloat(v float64) { f.U = math.Float64bits(v) }

// Line is the tree line as Wireshark writes it.
func (f *Field) Line() string {
	if f.Text != "" {
		return f.Text
	}
	if f.Def.Display != nil {
		return f.Def.Display(f)
	}
	switch f.Def.Type {
	case FTNone:
		return f.Def.Label
	case FTProtocol:
		if f.S != "" {
			return f.S
		}
		return f.Def.Label
	}
	s := f.Def.Label + ": " + f.DisplayValue()
	if f.Generated {
		return "[" + s + "]"
	}
	return s
}

// DisplayValue writes the value as the tree shows it (with value names).
func (f *Field) DisplayValue() string {
	d := f.Def
	switch d.Type {
	case FTUint, FTInt:
		num := formatInt(d, f)
		if name, ok := d.Values[f.U]; ok && d.Values != nil {
			return name + " (" + num + ")"
		}
		return num
	case FTBool:
		if f.U != 0 {
			return "True"
		}
		return "False"
	case FTString:
		return Sanitize(f.Value())
	case FTRelTime:
		return formatRel(int64(f.U)) + " seconds"
	}
	return f.Value()
}

// Value writes the value as tshark -T fields does.
func (f *Field) Value() string {
	d := f.Def
	if d.Format != nil {
		return d.Format(f)
	}
	switch d.Type {
	case FTNone:
		// tshark prints a text item as its bytes, or "1" when it covers none
		if f.Length == 0 {
			return "1"
		}
		return formatBytes(f.B, "")
	case FTProtocol:
		return ""
	case FTUint:
		if d.Base == BaseHex || d.Base == BaseHexDec {
			return hexN(f.U, d.Bits)
		}
		return fmt.Sprint(f.U)
	case FTInt:
		return fmt.Sprint(int64(f.U))
	case FTBool:
		if f.U != 0 {
			return "1"
		}
		return "0"
	case FTIPv4:
		u := uint32(f.U)
		return fmt.Sprintf("%d.%d.%d.%d", u>>24, u>>16&0xff, u>>8&0xff, u&0xff)
	case FTIPv6:
		return formatIPv6(f.B)
	case FTEther:
		return formatMAC(f.B)
	case FTString:
		return Sanitize(f.S)
	case FTBytes:
		return formatBytes(f.B, "")
	case FTAbsTime:
		return formatAbs(int64(f.U))
	case FTRelTime:
		return formatRel(int64(f.U))
	case FTFloat:
		return fmt.Sprintf("%g", f.Float())
	}
	return ""
}

// AppendValue appends Value() to dst, without allocating for integers.
func (f *Field) AppendValue(dst []byte) []byte {
	d := f.Def
	if d.Format == nil {
		switch d.Type {
		case FTUint:
			if d.Base == BaseHex || d.Base == BaseHexDec {
				return appendHex(dst, f.U, d.Bits)
			}
			return strconv.AppendUint(dst, f.U, 10)
		case FTInt:
			return strconv.AppendInt(dst, int64(f.U), 10)
		case FTBool:
			return append(dst, byte('0'+f.U&1))
		}
	}
	return append(dst, f.Value()...)
}

func appendHex(dst []byte, u uint64, bits int) []byte {
	dst = append(dst, '0', 'x')
	digits := (bits + 3) / 4
	if digits == 0 {
		return strconv.AppendUint(dst, u, 16)
	}
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, "0123456789abcdef"[u>>(4*uint(i))&15])
	}
	return dst
}

func formatInt(d *FieldDef, f *Field) string {
	switch d.Base {
	case BaseHex:
		return hexN(f.U, d.Bits)
	case BaseDecHex:
		return fmt.Sprintf("%d (%s)", f.U, hexN(f.U, d.Bits))
	case BaseHexDec:
		return fmt.Sprintf("%s (%d)", hexN(f.U, d.Bits), f.U)
	}
	if d.Type == FTInt {
		return fmt.Sprint(int64(f.U))
	}
	return fmt.Sprint(f.U)
}

func hexN(u uint64, bits int) string {
	if bits <= 0 {
		return fmt.Sprintf("0x%x", u)
	}
	return fmt.Sprintf("0x%0*x", (bits+3)/4, u)
}

// Sanitize makes text from a packet or file safe to draw or print: control
// characters (C0, DEL, C1), bidi overrides, invisible format characters
// (zero-width, tag characters, U+2028/2029, BOM) and bytes that are not
// UTF-8 become visible escapes (\x1b, \u202e, \U000e0041, \xff for a raw
// byte), so a frame can never drive the user's terminal and what is shown
// is always valid UTF-8.
func Sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // the common case: ASCII
			if c < 0x20 || c == 0x7f {
				clean = false
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case !unsafeRune(r):
			b.WriteString(s[i : i+n])
		case r <= 0xff:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r <= 0xffff:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			fmt.Fprintf(&b, "\\U%08x", r)
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports the runes Sanitize escapes: controls, and the format,
// line and paragraph separators that are invisible or reorder what the
// user reads (Unicode categories Cc, Cf, Zl, Zp), and noncharacters.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r < 0xad:
		return false
	case r == 0xfffd: // the replacement character itself is harmless
		return false
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return true // noncharacters
	}
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
