package filter

import (
	"bytes"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// kind is how two values are compared. Field types collapse into a few
// kinds chosen at compile time so Match never looks at FieldType per packet.
type kind uint8

const (
	kUint   kind = iota // u: FTUint, FTBool (0/1), len(), count()
	kInt                // i: FTInt, and times in nanoseconds
	kFloat              // f
	kIPv4               // u holds the address, mask the netmask
	kIPv6               // b holds 16 bytes, bits the prefix length
	kBytes              // b: FTBytes, FTEther, protocols, any slice
	kString             // s
	kNone               // FTNone: presence only
)

// value is one operand of a comparison, a literal or a field occurrence.
// Byte and string values alias the frame or the compiled literal, so
// building one never allocates.
type value struct {
	u    uint64
	i    int64
	f    float64
	b    []byte
	s    string
	mask uint32 // IPv4 netmask; all ones for a plain address
	bits int    // IPv6 prefix length; 128 for a plain address
}

// order compares a and b as kind k and returns -1, 0 or 1.
func order(k kind, a, b *value) int {
	switch k {
	case kUint:
		return cmp3(a.u, b.u)
	case kInt:
		return cmp3(a.i, b.i)
	case kFloat:
		return cmp3(a.f, b.f)
	case kIPv4:
		// A CIDR literal equals every address inside it: compare under the
		// shorter of the two masks, as Wireshark does.
		m := a.mask & b.mask
		return cmp3(uint32(a.u)&m, uint32(b.u)&m)
	case kIPv6:
		return cmpPrefix(a.b, b.b, min(a.bits, b.bits))
	case kBytes:
		// Wireshark orders byte strings by length first, so frame[0:6] < ff
		// is false; only equal lengths compare byte by byte.
		if len(a.b) != len(b.b) {
			return cmp3(len(a.b), len(b.b))
		}
		return bytes.Compare(a.b, b.b)
	case kString:
		// Not strings.Compare: escape analysis treats its assembly as
		// leaking the strings, which would move IPv4 slice buffers to the
		// heap on every Match.
		switch {
		case a.s < b.s:
			return -1
		case a.s > b.s:
			return 1
		}
	}
	return 0
}

func cmp3[T int | int64 | uint64 | uint32 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpPrefix compares the first n bits of two 16-byte addresses.
func cmpPrefix(a, b []byte, n int) int {
	if len(a) != 16 || len(b) != 16 {
		return cmp3(len(a), len(b))
	}
	for i := 0; i < 16 && n > 0; i++ {
		m := byte(0xff)
		if n < 8 {
			m = byte(0xff << (8 - n))
		}
		if c := cmp3(uint32(a[i]&m), uint32(b[i]&m)); c != 0 {
			return c
		}
		n -= 8
	}
	return 0
}

// typeName is Wireshark's name for a field's type, used in error messages so
// they read like tshark's.
func typeName(d *decode.FieldDef) string {
	switch d.Type {
	case decode.FTNone:
		return "Label"
	case decode.FTProtocol:
		return "Protocol"
	case decode.FTUint, decode.FTInt:
		s := "Unsigned integer"
		if d.Type == decode.FTInt {
			s = "Signed integer"
		}
		if d.Bits > 0 && d.Bits%8 == 0 {
			if d.Bits == 8 {
				return s + " (1 byte)"
			}
			return fmt.Sprintf("%s (%d bytes)", s, d.Bits/8)
		}
		return s
	case decode.FTBool:
		return "Boolean"
	case decode.FTIPv4:
		return "IPv4 address"
	case decode.FTIPv6:
		return "IPv6 address"
	case decode.FTEther:
		return "Ethernet or other MAC address"
	case decode.FTString:
		return "Character string"
	case decode.FTBytes:
		return "Byte sequence"
	case decode.FTAbsTime:
		return "Date and time"
	case decode.FTRelTime:
		return "Time offset"
	case decode.FTFloat:
		return "Floating point (double-precision)"
	}
	return "Unknown type"
}

// kindOf is the comparison kind of an unsliced field.
func kindOf(t decode.FieldType) kind {
	switch t {
	case decode.FTUint, decode.FTBool:
		return kUint
	case decode.FTInt, decode.FTAbsTime, decode.FTRelTime:
		return kInt
	case decode.FTFloat:
		return kFloat
	case decode.FTIPv4:
		return kIPv4
	case decode.FTIPv6:
		return kIPv6
	case decode.FTEther, decode.FTBytes, decode.FTProtocol:
		return kBytes
	case decode.FTString:
		return kString
	}
	return kNone
}

// sliceable reports whether a field's value has a byte form that [i:j] and
// len() can work on; Wireshark refuses to slice integers.
func sliceable(t decode.FieldType) bool {
	switch t {
	case decode.FTProtocol, decode.FTIPv4, decode.FTIPv6, decode.FTEther, decode.FTString, decode.FTBytes:
		return true
	}
	return false
}

// litError is a literal that does not fit the field; the parser adds the
// position of the literal token.
type litError string

func (e litError) Error() string { return string(e) }

// convert turns a literal token into a value of the operand's kind,
// following what tshark 4.0 accepts for each field type.
func convert(o *operand, t token) (value, error) {
	v := value{mask: math.MaxUint32, bits: 128}
	if o.fn != fnNone || o.sl != nil {
		if o.fn != fnNone {
			return v, convertUint(o, t, &v, 64, false)
		}
		return v, convertBytes(t, &v)
	}
	d := o.def
	switch d.Type {
	case decode.FTUint:
		// The limit is the storage width, not the bit mask: tshark takes
		// ip.hdr_len == 20 although the nibble holds 5, because the value
		// shown (and compared) is in bytes.
		return v, convertUint(o, t, &v, d.Bits, true)
	case decode.FTInt:
		return v, convertInt(o, t, &v)
	case decode.FTBool:
		return v, convertBool(o, t, &v)
	case decode.FTFloat:
		if t.kind != tWord {
			return v, litError(fmt.Sprintf("%s (%s) cannot be compared with a string (%s).", d.Name, typeName(d), t.text))
		}
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil || strings.Contains(t.text, "_") {
			return v, litError(quote(t.text) + " is not a valid floating point number.")
		}
		v.f = f
	case decode.FTRelTime:
		if t.kind != tWord {
			return v, litError(fmt.Sprintf("%s (%s) cannot be compared with a string (%s).", d.Name, typeName(d), t.text))
		}
		ns, ok := parseSeconds(t.text)
		if !ok {
			return v, litError(quote(t.text) + " is not a valid time.")
		}
		v.i = ns
	case decode.FTAbsTime:
		ns, ok := parseAbsTime(t)
		if !ok {
			return v, litError(quote(t.val) + ` is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`)
		}
		v.i = ns
	case decode.FTIPv4:
		if t.kind != tWord {
			return v, litError(fmt.Sprintf("%s (%s) cannot be compared with a string (%s).", d.Name, typeName(d), t.text))
		}
		return v, parseIPv4(t.text, &v)
	case decode.FTIPv6:
		if t.kind != tWord {
			return v, litError(fmt.Sprintf("%s (%s) cannot be compared with a string (%s).", d.Name, typeName(d), t.text))
		}
		return v, parseIPv6(t.text, &v)
	case decode.FTEther:
		if t.kind != tWord {
			return v, litError(fmt.Sprintf("%s (%s) cannot be compared with a string (%s).", d.Name, typeName(d), t.text))
		}
		b, ok := parseByteString(t.text)
		switch {
		case !ok:
			return v, litError(quote(t.text) + " is not a valid Ethernet address.")
		case len(b) < 6:
			return v, litError(quote(t.text) + " contains too few bytes to be a valid Ethernet address.")
		case len(b) > 6:
			return v, litError(quote(t.text) + " contains too many bytes to be a valid Ethernet address.")
		}
		v.b = b
	case decode.FTBytes, decode.FTProtocol:
		return v, convertBytes(t, &v)
	case decode.FTString:
		// An unquoted word is taken as the string itself, so
		// http.request.method == GET works as in Wireshark.
		v.s = t.val
		if t.kind == tWord {
			v.s = t.text
		}
	default:
		return v, litError(fmt.Sprintf("%s (%s) has no value to compare with %s.", d.Name, typeName(d), t.text))
	}
	return v, nil
}

// convertUint reads an unsigned literal: a number (decimal, 0x hex, 0b
// binary, leading-0 octal), a 'c' character or, when the field has them, a
// value name, quoted or not, matched without regard to case.
func convertUint(o *operand, t token, v *value, width int, names bool) error {
	d := o.def
	if t.kind == tChar {
		v.u = uint64(t.val[0])
		return nil
	}
	if t.kind == tWord {
		if u, neg, ok := parseInteger(t.text); ok {
			if neg && u != 0 {
				return litError(fmt.Sprintf("%q is too small for %s, minimum 0.", t.text, o.name()))
			}
			if width > 0 && width < 64 && u > 1<<width-1 {
				return litError(fmt.Sprintf("%q too big for %s, maximum %d.", t.text, o.name(), uint64(1)<<width-1))
			}
			v.u = u
			return nil
		}
	}
	if names && d.Values != nil {
		if u, ok := lookupName(d.Values, t.val, t); ok {
			v.u = u
			return nil
		}
		return litError(fmt.Sprintf("%q cannot be found among the possible values for %s.", litText(t), d.Name))
	}
	if t.kind == tString {
		return litError(fmt.Sprintf("%s (%s) cannot be converted from a string (%s).", o.name(), o.typeName(), t.text))
	}
	return litError(quote(t.text) + " is not a valid number.")
}

func convertInt(o *operand, t token, v *value) error {
	d := o.def
	if t.kind == tChar {
		v.i = int64(t.val[0])
		return nil
	}
	if t.kind == tWord {
		if u, neg, ok := parseInteger(t.text); ok {
			lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
			if d.Bits > 0 && d.Bits < 64 {
				hi = 1<<(d.Bits-1) - 1
				lo = -hi - 1
			}
			switch {
			case !neg && u > uint64(hi):
				return litError(fmt.Sprintf("%q too big for %s, maximum %d.", t.text, d.Name, hi))
			case neg && u > uint64(-(lo+1))+1:
				return litError(fmt.Sprintf("%q too small for %s, minimum %d.", t.text, d.Name, lo))
			}
			if neg {
				v.i = -int64(u-1) - 1 // avoids overflow at the minimum
			} else {
				v.i = int64(u)
			}
			return nil
		}
	}
	if d.Values != nil {
		if u, ok := lookupName(d.Values, t.val, t); ok {
			v.i = int64(u)
			return nil
		}
		return litError(fmt.Sprintf("%q cannot be found among the possible values for %s.", litText(t), d.Name))
	}
	if t.kind == tString {
		return litError(fmt.Sprintf("%s (%s) cannot be converted from a string (%s).", d.Name, typeName(d), t.text))
	}
	return litError(quote(t.text) + " is not a valid number.")
}

// convertBool follows tshark 4.0: True/TRUE/False/FALSE, any integer
// (non-zero is true, so == 2 matches a set flag) and the field's own value
// names such as "Set"; "true" in lower case is refused.
func convertBool(o *operand, t token, v *value) error {
	d := o.def
	if t.kind == tWord {
		switch t.text {
		case "True", "TRUE":
			v.u = 1
			return nil
		case "False", "FALSE":
			v.u = 0
			return nil
		}
		if u, neg, ok := parseInteger(t.text); ok {
			if neg {
				return litError(fmt.Sprintf("%s (Boolean) cannot be negative (%s).", d.Name, t.text))
			}
			v.u = b2u(u != 0)
			return nil
		}
	}
	if t.kind == tChar {
		v.u = b2u(t.val[0] != 0)
		return nil
	}
	if d.Values != nil {
		if u, ok := lookupName(d.Values, t.val, t); ok {
			v.u = b2u(u != 0)
			return nil
		}
	}
	return litError(fmt.Sprintf("%q cannot be found among the possible values for %s.", litText(t), d.Name))
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// litText is the literal as the user meant it: a word's text or a string's
// unescaped value.
func litText(t token) string {
	if t.kind == tWord {
		return t.text
	}
	return t.val
}

// lookupName finds a value by its name; case is ignored because tshark
// ignores it ("unverified" finds Unverified). When several values share a
// name the smallest wins, so the result does not depend on map order.
func lookupName(values map[uint64]string, s string, t token) (uint64, bool) {
	if t.kind == tWord {
		s = t.text
	}
	best, found := uint64(0), false
	for k, name := range values {
		if strings.EqualFold(name, s) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, found
}

// parseInteger reads [-]digits in decimal, 0x hex, 0b binary or 0 octal.
// strconv's base 0 is avoided because it accepts "1_000", which tshark
// does not.
func parseInteger(s string) (u uint64, neg bool, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, s = 16, s[2:]
	case len(s) > 2 && (s[:2] == "0b" || s[:2] == "0B"):
		base, s = 2, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' || strings.Contains(s, "_") {
		return 0, false, false
	}
	u, err := strconv.ParseUint(s, base, 64)
	return u, neg, err == nil
}

// parseSeconds reads [-]seconds[.fraction] into nanoseconds; digits beyond
// the ninth are dropped, as nanoseconds are all a frame time holds.
func parseSeconds(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, false
	}
	var sec uint64
	if whole != "" {
		var err error
		if sec, err = strconv.ParseUint(whole, 10, 64); err != nil || sec > math.MaxInt64/1_000_000_000-1 {
			return 0, false
		}
	}
	frac = (frac + "000000000")[:9]
	ns, _ := strconv.ParseUint(frac, 10, 64)
	t := int64(sec)*1e9 + int64(ns)
	if neg {
		t = -t
	}
	return t, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var absLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"Jan _2, 2006 15:04:05.999999999",
	"Jan _2, 2006 15:04",
	"Jan _2, 2006",
}

// parseAbsTime reads an absolute time: a quoted date in local time as tshark
// takes it ("2011-07-04 12:34:56", "Nov 12, 1999 08:55:44.123", RFC 3339
// with a zone), or a bare number of seconds since the epoch.
func parseAbsTime(t token) (int64, bool) {
	if t.kind == tWord {
		return parseSeconds(t.text)
	}
	if t.kind != tString {
		return 0, false
	}
	s := strings.TrimSpace(t.val)
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return tm.UnixNano(), true
	}
	for _, l := range absLayouts {
		if tm, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return tm.UnixNano(), true
		}
	}
	return 0, false
}

func parseIPv4(s string, v *value) error {
	addr, bitsStr, hasBits := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return litError(quote(s) + " is not a valid hostname or IPv4 address.")
	}
	b := a.As4()
	v.u = uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	v.mask = math.MaxUint32
	if hasBits {
		n, err := strconv.Atoi(bitsStr)
		if err != nil || !allDigits(bitsStr) {
			return litError(quote(s) + " is not a valid hostname or IPv4 address.")
		}
		if n > 32 {
			return litError(fmt.Sprintf("Netmask bits in a CIDR IPv4 address should be <= 32, not %d", n))
		}
		v.mask = ^uint32(0) << (32 - n)
		if n == 0 {
			v.mask = 0
		}
	}
	return nil
}

func parseIPv6(s string, v *value) error {
	addr, bitsStr, hasBits := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return litError(quote(s) + " is not a valid hostname or IPv6 address.")
	}
	b := a.As16()
	v.b = b[:]
	v.bits = 128
	if hasBits {
		n, err := strconv.Atoi(bitsStr)
		if err != nil || !allDigits(bitsStr) {
			return litError(quote(s) + " is not a valid hostname or IPv6 address.")
		}
		if n > 128 {
			return litError(fmt.Sprintf("Prefix in a IPv6 address should be <= 128, not %d", n))
		}
		v.bits = n
	}
	return nil
}

// convertBytes reads a byte-string literal for byte fields, protocols and
// slices: hex bytes (aa:bb:cc, aa-bb-cc, aabb.ccdd, aabbcc), a single 0xNN
// byte, a quoted string's bytes or a 'c' character.
func convertBytes(t token, v *value) error {
	switch t.kind {
	case tString, tChar:
		v.b = []byte(t.val)
		return nil
	}
	if len(t.text) > 2 && (t.text[:2] == "0x" || t.text[:2] == "0X") && len(t.text) <= 4 {
		if u, err := strconv.ParseUint(t.text[2:], 16, 8); err == nil {
			v.b = []byte{byte(u)}
			return nil
		}
	}
	b, ok := parseByteString(t.text)
	if !ok {
		return litError(quote(t.text) + " is not a valid byte string.")
	}
	v.b = b
	return nil
}

// parseByteString reads hex bytes separated by ':' (two digits a byte, as
// tshark 4.0 insists), '-' (one or two), '.' (an even run, for Cisco's
// 0011.2233.4455), or not separated at all. An unseparated odd run is read
// in pairs from the left, the last digit making its own byte, which is how
// tshark 4.0 reads "450".
func parseByteString(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isHex(c) {
			continue
		}
		if c != ':' && c != '-' && c != '.' || sep != 0 && c != sep {
			return nil, false
		}
		sep = c
	}
	groups := []string{s}
	if sep != 0 {
		groups = strings.Split(s, string(sep))
	}
	out := make([]byte, 0, len(s)/2+1)
	for _, g := range groups {
		switch {
		case g == "":
			return nil, false
		case sep == ':' && len(g) != 2,
			sep == '-' && len(g) > 2,
			sep == '.' && len(g)%2 == 1:
			return nil, false
		}
		for len(g) > 0 {
			n := min(2, len(g))
			u, _ := strconv.ParseUint(g[:n], 16, 8)
			out = append(out, byte(u))
			g = g[n:]
		}
	}
	return out, true
}
