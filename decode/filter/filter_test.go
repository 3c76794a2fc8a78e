package filter

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// Test fields live under "wltest." so they never collide with the real
// dissectors' registrations in the same binary.
var (
	tProto  = decode.Register(decode.FieldDef{Name: "wltest", Label: "Test Protocol", Type: decode.FTProtocol})
	tFrame  = decode.Register(decode.FieldDef{Name: "wltest.frame", Label: "Frame", Type: decode.FTProtocol})
	tU16    = decode.Register(decode.FieldDef{Name: "wltest.len", Type: decode.FTUint, Bits: 16})
	tPort   = decode.Register(decode.FieldDef{Name: "wltest.port", Type: decode.FTUint, Bits: 16})
	tStatus = decode.Register(decode.FieldDef{Name: "wltest.checksum.status", Type: decode.FTUint, Bits: 8,
		Values: map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present", 4: "Illegal"}})
	tChecksum = decode.Register(decode.FieldDef{Name: "wltest.checksum", Type: decode.FTUint, Base: decode.BaseHex, Bits: 16})
	tHdrLen   = decode.Register(decode.FieldDef{Name: "wltest.hdr_len", Type: decode.FTUint, Bits: 8, Bitmask: 0x0f})
	tSyn      = decode.Register(decode.FieldDef{Name: "wltest.flags.syn", Type: decode.FTBool, Values: map[uint64]string{0: "Not set", 1: "Set"}})
	tAck      = decode.Register(decode.FieldDef{Name: "wltest.flags.ack", Type: decode.FTBool})
	tI32      = decode.Register(decode.FieldDef{Name: "wltest.offset", Type: decode.FTInt, Bits: 32})
	tI8       = decode.Register(decode.FieldDef{Name: "wltest.level", Type: decode.FTInt, Bits: 8, Values: map[uint64]string{math.MaxUint64: "Minus one"}}) // keyed by U, as the tree looks it up
	tAddr     = decode.Register(decode.FieldDef{Name: "wltest.addr", Type: decode.FTIPv4})
	tSrc      = decode.Register(decode.FieldDef{Name: "wltest.src", Type: decode.FTIPv4})
	tDst      = decode.Register(decode.FieldDef{Name: "wltest.dst", Type: decode.FTIPv4})
	tAddr6    = decode.Register(decode.FieldDef{Name: "wltest.addr6", Type: decode.FTIPv6})
	tMAC      = decode.Register(decode.FieldDef{Name: "wltest.mac", Type: decode.FTEther})
	tMAC2     = decode.Register(decode.FieldDef{Name: "wltest.mac2", Type: decode.FTEther})
	tStr      = decode.Register(decode.FieldDef{Name: "wltest.method", Type: decode.FTString})
	tBytes    = decode.Register(decode.FieldDef{Name: "wltest.payload", Type: decode.FTBytes})
	tRel      = decode.Register(decode.FieldDef{Name: "wltest.time_delta", Type: decode.FTRelTime})
	tAbs      = decode.Register(decode.FieldDef{Name: "wltest.time", Type: decode.FTAbsTime})
	tFloat    = decode.Register(decode.FieldDef{Name: "wltest.ratio", Type: decode.FTFloat})
	tText     = decode.Register(decode.FieldDef{Name: "wltest.note", Label: "A note", Type: decode.FTNone})
	tAbsent   = decode.Register(decode.FieldDef{Name: "wltest.absent", Type: decode.FTUint, Bits: 16})
)

var frameData = []byte{
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, // 0: dst MAC
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, // 6: src MAC
	0x08, 0x00, // 12: EtherType
	0x45, 0x00, // 14: IPv4 first bytes
	'G', 'E', 'T', ' ', '/', 'i', 'n', 'd', 'e', 'x', // 16: payload
	0xff, // 26: last byte
}

var absTime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.Local)

// testDissection is one synthetic frame with every kind of field, repeated
// fields (wltest.port, wltest.addr) and a protocol covering part of it.
func testDissection() *decode.Dissection {
	d := &decode.Dissection{Data: frameData}
	add := func(f decode.Field) { d.Fields = append(d.Fields, f) }
	add(decode.Field{Def: tFrame, Offset: 0, Length: int32(len(frameData))})
	add(decode.Field{Def: tMAC, Depth: 1, B: frameData[6:12]})
	add(decode.Field{Def: tMAC2, Depth: 1, B: frameData[0:6]})
	add(decode.Field{Def: tProto, Depth: 1, Offset: 16, Length: 10})
	add(decode.Field{Def: tU16, Depth: 2, U: 1500})
	add(decode.Field{Def: tPort, Depth: 2, U: 38664})
	add(decode.Field{Def: tPort, Depth: 2, U: 80})
	add(decode.Field{Def: tStatus, Depth: 2, U: 0})
	add(decode.Field{Def: tChecksum, Depth: 2, U: 0xbeef})
	add(decode.Field{Def: tHdrLen, Depth: 2, U: 5})
	add(decode.Field{Def: tSyn, Depth: 2, U: 0x02}) // a flag may keep its bit in place
	add(decode.Field{Def: tAck, Depth: 2, U: 0})
	add(decode.Field{Def: tI32, Depth: 2, U: uint64(0xffffffffffffff9c)}) // -100
	add(decode.Field{Def: tI8, Depth: 2, U: uint64(0xffffffffffffffff)})  // -1
	add(decode.Field{Def: tSrc, Depth: 2, U: 0xc0a80001})                 // 192.168.0.1
	add(decode.Field{Def: tDst, Depth: 2, U: 0x0a000005})                 // 10.0.0.5
	add(decode.Field{Def: tAddr, Depth: 2, U: 0xc0a80001, Hidden: true})
	add(decode.Field{Def: tAddr, Depth: 2, U: 0x0a000005, Hidden: true})
	add(decode.Field{Def: tAddr6, Depth: 2, B: []byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}})
	add(decode.Field{Def: tStr, Depth: 2, S: "GET"})
	add(decode.Field{Def: tBytes, Depth: 2, Offset: 16, Length: 10, B: frameData[16:26]})
	add(decode.Field{Def: tRel, Depth: 2, U: uint64(1500 * time.Millisecond)})
	add(decode.Field{Def: tAbs, Depth: 2, U: uint64(absTime.UnixNano())})
	add(decode.Field{Def: tFloat, Depth: 2, U: math.Float64bits(0.25)})
	add(decode.Field{Def: tText, Depth: 2})
	return d
}

func TestMatch(t *testing.T) {
	d := testDissection()
	cases := []struct {
		expr string
		want bool
	}{
		// presence, logic and precedence
		{"", true},
		{"wltest", true},
		{"wltest.absent", false},
		{"wltest.note", true},
		{"!wltest.absent", true},
		{"not wltest.absent", true},
		{"not not wltest", true},
		{"wltest and wltest.absent", false},
		{"wltest && wltest.absent", false},
		{"wltest.absent or wltest", true},
		{"wltest.absent || wltest", true},
		{"wltest xor wltest", false},
		{"wltest ^^ wltest.absent", true},
		{"wltest or wltest xor wltest", true},   // or (wltest xor wltest)
		{"wltest xor wltest and wltest", false}, // wltest xor (wltest and wltest)
		{"wltest xor wltest.absent or wltest.absent", true},
		// "and" binds tighter: true or (false and false) is true,
		// (true or false) and false would be false.
		{"wltest or wltest.absent and wltest.absent", true},
		{"(wltest or wltest.absent) and wltest.absent", false},
		{"wltest.absent and wltest.absent or wltest", true},
		{"((wltest))", true},
		{"!(wltest)", false},

		// integers and their spellings
		{"wltest.len == 1500", true},
		{"wltest.len eq 1500", true},
		{"wltest.len any_eq 1500", true},
		{"wltest.len != 1500", false},
		{"wltest.len ne 1499", true},
		{"wltest.len > 1499", true},
		{"wltest.len gt 1500", false},
		{"wltest.len >= 1500", true},
		{"wltest.len ge 1501", false},
		{"wltest.len < 1501", true},
		{"wltest.len lt 1500", false},
		{"wltest.len <= 1500", true},
		{"wltest.len le 1499", false},
		{"wltest.len == 0x5dc", true},
		{"wltest.len == 0X5DC", true},
		{"wltest.len == 02734", true},
		{"wltest.len == 0b10111011100", true},
		{"wltest.len==1500", true},
		{"wltest.checksum == 0xbeef", true},
		{"wltest.hdr_len == 5", true},
		{"wltest.hdr_len == 15", false},
		{"wltest.hdr_len == 20", false}, // the mask does not limit values: Wireshark shows some scaled
		{"wltest.absent == 0", false},
		{"wltest.absent != 0", false}, // != needs the field present
		{"!(wltest.absent == 0)", true},

		// several occurrences: any for ==, none for !=
		{"wltest.port == 80", true},
		{"wltest.port == 38664", true},
		{"wltest.port != 80", false},
		{"wltest.port != 443", true},
		{"!(wltest.port == 80)", false},
		{"wltest.port === 80", false},
		{"wltest.port all_eq 80", false},
		{"wltest.port !== 80", true},
		{"wltest.port ~= 80", true},
		{"wltest.port any_ne 80", true},
		{"wltest.port all_ne 80", false},
		{"wltest.port > 40000", false},
		{"wltest.port > 1000", true},
		{"wltest.port < 81 and wltest.port > 38000", true},
		{"wltest.addr != 1.2.3.4", true},
		{"wltest.addr != 10.0.0.5", false},
		{"wltest.addr === 10.0.0.0/8", false},
		{"wltest.addr === 0.0.0.0/0", true},

		// sets
		{"wltest.port in {22, 80, 443}", true},
		{"wltest.port in {22 80 443}", true},
		{"wltest.port in {22,443}", false},
		{"wltest.port in {8000..8080, 38000 .. 39000}", true},
		{"wltest.port in {1..79}", false},
		{"wltest.port not in {80}", false},
		{"wltest.port not in {22, 443}", true},
		{"wltest.absent not in {1}", true}, // plain negation of "in"
		{"wltest.checksum.status in {Bad, Good}", true},
		{`wltest.checksum.status in {"Not present", Illegal}`, false},
		{"wltest.addr in {1.2.3.4, 10.0.0.0/8}", true},
		{"wltest.addr in {10.0.0.1..10.0.0.9}", true},
		{`wltest.method in {"POST", "GET"}`, true},
		{"wltest.method in {POST, GET}", true},
		{"wltest.time_delta in {1..2}", true},
		{"wltest.mac in {66:77:88:99:aa:bb}", true},

		// signed
		{"wltest.offset == -100", true},
		{"wltest.offset < 0", true},
		{"wltest.offset > -101", true},
		{"wltest.offset >= -99", false},
		{"wltest.level == -1", true},
		{`wltest.level == "minus one"`, true},

		// booleans: True/TRUE/False/FALSE, any integer, value names
		{"wltest.flags.syn", true},
		{"wltest.flags.syn == 1", true},
		{"wltest.flags.syn == 2", true},
		{"wltest.flags.syn == True", true},
		{"wltest.flags.syn == TRUE", true},
		{"wltest.flags.syn == False", false},
		{"wltest.flags.syn == Set", true},
		{`wltest.flags.syn == "Set"`, true},
		{`wltest.flags.syn == "not set"`, false},
		{"wltest.flags.ack", true}, // present although 0
		{"wltest.flags.ack == 0", true},
		{"wltest.flags.ack == FALSE", true},
		{"wltest.flags.ack != 0", false},

		// value names, case-insensitive, quoted or not
		{"wltest.checksum.status == Bad", true},
		{`wltest.checksum.status == "Bad"`, true},
		{`wltest.checksum.status == "bad"`, true},
		{"wltest.checksum.status == 0", true},
		{`wltest.checksum.status != "Good"`, true},
		{`wltest.checksum.status == "Not present"`, false},
		{"wltest.checksum.status < Good", true},

		// characters
		{"wltest.len > 'A'", true},
		{`wltest.frame[16] == 'G'`, true},
		{`wltest.frame[26] == '\xff'`, true},

		// IPv4 and CIDR
		{"wltest.src == 192.168.0.1", true},
		{"wltest.src == 192.168.0.2", false},
		{"wltest.src == 192.168.0.0/16", true},
		{"wltest.src == 192.168.0.77/24", true},
		{"wltest.src == 10.0.0.0/8", false},
		{"wltest.addr == 10.0.0.0/8", true},
		{"wltest.src > 10.0.0.0", true},
		{"wltest.src < 192.168.0.1", false},
		{"wltest.src <= 192.168.0.1", true},
		{"wltest.src == 0.0.0.0/0", true},
		{"wltest.src == 192.168.0.1/32", true},

		// IPv6 and prefixes
		{"wltest.addr6 == fe80::1", true},
		{"wltest.addr6 == FE80:0:0:0:0:0:0:1", true},
		{"wltest.addr6 == fe80::2", false},
		{"wltest.addr6 == fe80::/10", true},
		{"wltest.addr6 == fe80::ffff/64", true},
		{"wltest.addr6 == 2001:db8::/32", false},
		{"wltest.addr6 > ::", true},
		{"wltest.addr6 == ::/0", true},

		// MAC addresses in every spelling
		{"wltest.mac == 66:77:88:99:aa:bb", true},
		{"wltest.mac == 66-77-88-99-AA-BB", true},
		{"wltest.mac == 6677.8899.aabb", true},
		{"wltest.mac == 66778899aabb", true},
		{"wltest.mac == 66:77:88:99:aa:bc", false},
		{"wltest.mac != 66:77:88:99:aa:bc", true},
		{"wltest.mac < ff:ff:ff:ff:ff:ff", true},
		{"wltest.mac contains 88:99", true},
		{"wltest.mac[0:3] == 66:77:88", true},
		{"wltest.mac[-1] == bb", true},
		{"wltest.mac == wltest.mac2", false},
		{"wltest.mac > wltest.mac2", true},

		// strings
		{`wltest.method == "GET"`, true},
		{"wltest.method == GET", true},
		{`wltest.method == "get"`, false},
		{`wltest.method != "POST"`, true},
		{`wltest.method contains "ET"`, true},
		{`wltest.method contains "et"`, false},
		{`wltest.method matches "^get$"`, true}, // matches ignores case
		{`wltest.method matches "(?-i)^get$"`, false},
		{`wltest.method ~ "G.T"`, true},
		{`wltest.method > "FOO"`, true},
		{`wltest.method[0:2] == "GE"`, true},
		{`wltest.method[1:] == 45:54`, true},
		{`len(wltest.method) == 3`, true},
		{`wltest.method == "\x47\x45\x54"`, true},
		{`wltest.method == "\107\105\124"`, true},
		{`wltest.method == "G\u0045T"`, true},

		// bytes, protocols and slices
		{"wltest.payload == 47:45:54:20:2f:69:6e:64:65:78", true},
		{`wltest.payload == "GET /index"`, true},
		{"wltest.payload contains 2f:69", true},
		{`wltest.payload contains "/in"`, true},
		{`wltest.payload matches "get /i.d"`, true},
		{"wltest.payload[0:3] == 47:45:54", true},
		{`wltest.payload[0:3] == "GET"`, true},
		{"wltest.payload[0-2] == 47.45.54", true},
		{"wltest.payload[0-2] == 474554", true},
		{"wltest.payload[:2] == 47-45", true},
		{"wltest.payload[-3:] == 64:65:78", true},
		{"wltest.payload[-1] == 78", true},
		{"wltest.payload[9] == 0x78", true},
		{"wltest.payload[10] == 78", false},  // beyond the end: no value
		{"wltest.payload[8:5] == 78", false}, // runs past the end
		{"wltest.payload[20]", false},
		{"wltest.payload[9]", true},
		{"wltest.payload > 00", true}, // longer is greater, as in Wireshark
		{"wltest.payload < ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff", true},
		{`wltest contains "GET"`, true},
		{`wltest contains "get"`, false},
		{`wltest contains 08:00`, false}, // before the protocol's bytes
		{`wltest contains ff`, true},     // after its item, but in its buffer
		{`wltest matches "x\\xff$"`, true},
		{`wltest.frame matches "[\\x80-\\xff]"`, true},
		{`wltest.frame matches "^[\\x01-\\xfe]+$"`, false},
		{`wltest.frame matches "^[^a]+$"`, true},
		{`wltest == 47:45:54:20:2f:69:6e:64:65:78:ff`, false}, // == sees the item's bytes only
		{"wltest[10]", false},
		{`wltest[0:3] contains "GE"`, true},
		{`wltest.frame contains 08:00`, true},
		{"wltest.frame[12:2] == 08:00", true},
		{"wltest.frame[12:2] == 0800", true},
		{"wltest.frame[12] == 08", true},
		{"wltest.frame[12] == 8", true},
		{"wltest.frame[14:2] == 450", true}, // odd digits pair from the left, as tshark
		{"wltest.frame[0:3] == 00:11:22", true},
		{"wltest.frame[0:3] == 0-11-22", true},
		{`wltest.frame matches "^\\x00\\x11"`, true},
		{`wltest.frame matches r"GET /\w+"`, true},
		{"len(wltest.frame) == 27", true},
		{"len(wltest) == 10", true},
		{"len(wltest.payload) > 9", true},
		{"len(wltest.mac) == 6", true},
		{"len(wltest.src) == 4", true},
		{"wltest == 47:45:54:20:2f:69:6e:64:65:78", true},
		{"wltest.src[0] == c0", true},
		{"wltest.src[0:2] == c0:a8", true},
		{"wltest.addr[0] == 0a", true},
		{"wltest.src == wltest.src[0:4]", true},
		{"wltest.src[0:4] == wltest.dst", false},
		{"wltest.addr6[0:2] == fe:80", true},

		// bitwise and
		{"wltest.len & 0x04", true},
		{"wltest.len & 0x03", false},
		{"wltest.len&0x04", true},
		{"wltest.len bitwise_and 4", true},
		{"wltest.len & 0xff00 == 0x0500", true},
		{"wltest.port & 0xff == 80", true},
		{"wltest.offset & 0xff == 0x9c", true},
		{"wltest.flags.syn & 1", true},
		{"wltest.addr & 255.0.0.0 == 10.0.0.0", true},
		{"wltest.src & 255.255.0.0 == 192.168.0.0", true},
		{"wltest.frame[0] & 01", false},
		{"wltest.frame[6] & 0x02", true},
		{"wltest.mac[0] & 1 == 0", true},
		{"wltest.frame[12:2] & ff:00 == 08:00", true},
		{"wltest.src[0:2] & f0:f0 == c0:a0", true},
		{"wltest.payload & ff == 47", true},
		{"not wltest.len & 0x03 and wltest", true},

		// functions
		{"count(wltest.port) == 2", true},
		{"count(wltest.addr) > 2", false},
		{"count(wltest.absent) == 0", true},

		// fields on both sides
		{"wltest.src == wltest.dst", false},
		{"wltest.src != wltest.dst", true},
		{"wltest.src > wltest.dst", true},
		{"wltest.addr == wltest.src", true},
		{"wltest.port == wltest.len", false},
		{"wltest.port < wltest.len", true},
		{"wltest.payload contains wltest.method", true},
		{"wltest contains wltest.payload", true},

		// times and floats
		{"wltest.time_delta > 1", true},
		{"wltest.time_delta > 1.5", false},
		{"wltest.time_delta == 1.5", true},
		{"wltest.time_delta == 1.500000000", true},
		{"wltest.time_delta >= .5", true},
		{"wltest.time_delta > -1", true},
		{`wltest.time == "2024-03-01 12:00:00"`, true},
		{`wltest.time > "Mar  1, 2024 11:59:59.5"`, true},
		{`wltest.time < "2024-03-01"`, false},
		{`wltest.time == "2024-03-01T12:00:00"`, true},
		{"wltest.time > 1000", true},
		{"wltest.ratio == 0.25", true},
		{"wltest.ratio < 1e-1", false},
		{"wltest.ratio > -3", true},
	}
	for _, c := range cases {
		f, err := Compile(c.expr)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.expr, err)
			continue
		}
		if got := f.Match(d); got != c.want {
			t.Errorf("%q: got %v, want %v", c.expr, got, c.want)
		}
		if f.String() != c.expr {
			t.Errorf("String() = %q, want %q", f.String(), c.expr)
		}
	}
}

// caret draws the expected caret line of a SyntaxError.
func caret(msg, expr string, col, n int) string {
	return msg + "\n    " + expr + "\n    " + strings.Repeat(" ", col) + "^" + strings.Repeat("~", max(n-1, 0))
}

func TestErrors(t *testing.T) {
	cases := []struct {
		expr string
		msg  string
		col  int // rune column of the caret
		n    int // caret width
	}{
		// lexing
		{`wltest contains "abc`, "The final quote was missing from a quoted string.", 20, 0},
		{`wltest contains "\q"`, `\q is not a valid character escape sequence`, 17, 2},
		{`wltest contains "\x"`, `\x is not a valid character escape sequence`, 17, 2},
		{`wltest contains "\u12"`, `\u12 is not a valid universal character name`, 17, 4},
		{`wltest contains "\777"`, `\777 is not a valid character escape sequence`, 17, 4},
		{"wltest.len == 1 $", `"$" was unexpected in this context.`, 16, 1},
		{"wltest.len = 1", `"=" was unexpected in this context.`, 11, 1},
		{"wltest.frame[1", "The left bracket was missing its closing bracket.", 12, 1},
		{"wltest.len == 'ab'", `"'ab'" is not a valid character constant.`, 14, 4},

		// grammar
		{"wltest.len == 1 and", "Unexpected end of filter expression.", 19, 0},
		{"wltest.len ==", "Unexpected end of filter expression.", 13, 0},
		{"(wltest", "Unexpected end of filter expression.", 7, 0},
		{"!", "Unexpected end of filter expression.", 1, 0},
		{"wltest)", `")" was unexpected in this context.`, 6, 1},
		{"wltest.len == 80 80", `"80" was unexpected in this context.`, 17, 2},
		{"wltest or or wltest", `"or" was unexpected in this context.`, 10, 2},
		{"wltest AND wltest", `"AND" was unexpected in this context.`, 7, 3},
		{"wltest.len == 1and wltest", `"1and" is not a valid number.`, 14, 4}, // tshark lexes "1and" as one word too
		{"wltest.port in {}", `"}" was unexpected in this context.`, 16, 1},
		{"wltest.port in {80,}", `"}" was unexpected in this context.`, 19, 1},
		{"wltest.port in {80..}", `"}" was unexpected in this context.`, 20, 1},
		{"wltest.port in 80", `"80" was unexpected in this context.`, 15, 2},
		{"wltest.port in {80, 22", "Unexpected end of filter expression.", 22, 0},
		{"wltest.port == )", `")" was unexpected in this context.`, 15, 1},
		{"wltest.port == and", `"and" was unexpected in this context.`, 15, 3},

		// fields
		{"wltest.chksum == 1", `"wltest.chksum" is not a valid protocol or protocol field; did you mean wltest.checksum?`, 0, 13},
		{"wltest.prot", `"wltest.prot" is not a valid protocol or protocol field; did you mean wltest.port?`, 0, 11},
		{"wltest.zzzzzzzzzzzz", `"wltest.zzzzzzzzzzzz" is not a valid protocol or protocol field`, 0, 19},
		{"wltest.len == 1 or wltest.lne", `"wltest.lne" is not a valid protocol or protocol field; did you mean wltest.len?`, 19, 10},
		{"80 == wltest.len", `Left side of "==" expression must be a field or function, not 80.`, 0, 2},
		{"80", "80 is neither a field nor a protocol name.", 0, 2},
		{`"foo"`, `"foo" is neither a field nor a protocol name.`, 0, 5},
		{"len(wltest.method)", "A function call such as len(wltest.method) is not a test; compare its result.", 0, 18},
		{"len(80) == 1", "Only a field may be an argument to len().", 4, 2},
		{"len(wltest.port) == 1", "wltest.port (type=Unsigned integer (2 bytes)) has no length in bytes for len().", 4, 11},
		{"wltest.bogus[0] == 1", `"wltest.bogus" is not a valid protocol or protocol field`, 0, 12},

		// types
		{"wltest.method & 1", "wltest.method (type=Character string) cannot participate in bitwise and.", 0, 13},
		{"wltest.len & x", `"x" is not a valid number.`, 13, 1},
		{"wltest.len & ", "Unexpected end of filter expression.", 13, 0},
		{"wltest.frame & 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10", "A byte mask may be at most 16 bytes long, not 17.", 15, 50},
		{"wltest.len & 1 & 2", `"&" was unexpected in this context.`, 15, 1},
		{"wltest.port contains 80", "wltest.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.", 0, 11},
		{`wltest.port matches "8"`, "wltest.port (type=Unsigned integer (2 bytes)) cannot participate in matches comparison.", 0, 11},
		{`wltest.src ~ "8"`, "wltest.src (type=IPv4 address) cannot participate in matches comparison.", 0, 10},
		{`wltest.src contains 7f`, "wltest.src (type=IPv4 address) cannot participate in contains comparison.", 0, 10},
		{`wltest.note == 1`, `wltest.note (type=Label) cannot participate in "==" comparison.`, 0, 11},
		{`wltest.note in {1}`, `wltest.note (type=Label) cannot participate in membership comparison.`, 16, 1},
		{"wltest.port[0] == 1", `"wltest.port" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.`, 0, 11},
		{"wltest.port == 1.2.3.4", `"1.2.3.4" is not a valid number.`, 15, 7},
		{"wltest.port == 70000", `"70000" too big for wltest.port, maximum 65535.`, 15, 5},
		{"wltest.port >= 0x10000", `"0x10000" too big for wltest.port, maximum 65535.`, 15, 7},
		{"wltest.hdr_len == 256", `"256" too big for wltest.hdr_len, maximum 255.`, 18, 3},
		{"wltest.port == -1", `"-1" is too small for wltest.port, minimum 0.`, 15, 2},
		{"wltest.port == 1_000", `"1_000" is not a valid number.`, 15, 5},
		{"wltest.port == 09", `"09" is not a valid number.`, 15, 2},
		{"wltest.port == 0x", `"0x" is not a valid number.`, 15, 2},
		{`wltest.port == "80"`, `wltest.port (Unsigned integer (2 bytes)) cannot be converted from a string ("80").`, 15, 4},
		{"wltest.len == 15.0", `"15.0" is not a valid number.`, 14, 4},
		{"wltest.offset == 2147483648", `"2147483648" too big for wltest.offset, maximum 2147483647.`, 17, 10},
		{"wltest.offset == -2147483649", `"-2147483649" too small for wltest.offset, minimum -2147483648.`, 17, 11},
		{"wltest.checksum.status == Bogus", `"Bogus" cannot be found among the possible values for wltest.checksum.status.`, 26, 5},
		{`wltest.checksum.status == "Nope"`, `"Nope" cannot be found among the possible values for wltest.checksum.status.`, 26, 6},
		{"wltest.checksum.status in {Good, Nope}", `"Nope" cannot be found among the possible values for wltest.checksum.status.`, 33, 4},
		{"wltest.flags.syn == true", `"true" cannot be found among the possible values for wltest.flags.syn.`, 20, 4},
		{`wltest.flags.ack == "True"`, `"True" cannot be found among the possible values for wltest.flags.ack.`, 20, 6},
		{"wltest.flags.syn == -1", "wltest.flags.syn (Boolean) cannot be negative (-1).", 20, 2},
		{`wltest.src == "foo"`, `wltest.src (IPv4 address) cannot be compared with a string ("foo").`, 14, 5},
		{"wltest.src == foo", `"foo" is not a valid hostname or IPv4 address.`, 14, 3},
		{"wltest.src == 127.1", `"127.1" is not a valid hostname or IPv4 address.`, 14, 5},
		{"wltest.src == 10.0.0.0/33", "Netmask bits in a CIDR IPv4 address should be <= 32, not 33", 14, 11},
		{"wltest.src == 10.0.0.0/x", `"10.0.0.0/x" is not a valid hostname or IPv4 address.`, 14, 10},
		{"wltest.addr6 == fe80::/130", "Prefix in a IPv6 address should be <= 128, not 130", 16, 10},
		{"wltest.addr6 == 1.2.3.4", `"1.2.3.4" is not a valid hostname or IPv6 address.`, 16, 7},
		{`wltest.addr6 == "::1"`, `wltest.addr6 (IPv6 address) cannot be compared with a string ("::1").`, 16, 5},
		{"wltest.mac == 00:11", `"00:11" contains too few bytes to be a valid Ethernet address.`, 14, 5},
		{"wltest.mac == 00:11:22:33:44:55:66", `"00:11:22:33:44:55:66" contains too many bytes to be a valid Ethernet address.`, 14, 20},
		{"wltest.mac == 00:11:22:33:44:zz", `"00:11:22:33:44:zz" is not a valid Ethernet address.`, 14, 17},
		{`wltest.mac == "00:11:22:33:44:55"`, `wltest.mac (Ethernet or other MAC address) cannot be compared with a string ("00:11:22:33:44:55").`, 14, 19},
		{"wltest.frame[12:2] == 0x0800", `"0x0800" is not a valid byte string.`, 22, 6},
		{"wltest.frame[12:2] == 08:00:", `"08:00:" is not a valid byte string.`, 22, 6},
		{"wltest.frame[12:2] == 08:0:00", `"08:0:00" is not a valid byte string.`, 22, 7},
		{"wltest.frame[12:2] == 0:0", `"0:0" is not a valid byte string.`, 22, 3},
		{"wltest.frame[12:2] == 08-0-000", `"08-0-000" is not a valid byte string.`, 22, 8},
		{"wltest.frame[12:2] == 080.0", `"080.0" is not a valid byte string.`, 22, 5},
		{"wltest.frame[12:2] == 080:00", `"080:00" is not a valid byte string.`, 22, 6},
		{"wltest.mac contains 00:zz", `"00:zz" is not a valid byte string.`, 20, 5},
		{"wltest.frame[1:0] == 00", "Range 1:0 isn't valid because length 0 isn't positive", 13, 3},
		{"wltest.frame[3-1] == 00", "Range 3-1 isn't valid because the end comes before the start", 13, 3},
		{"wltest.frame[a] == 00", `"a" is not a valid range.`, 13, 1},
		{"wltest.frame[0:2,4] == 00", "Slices of several ranges (0:2,4) are not supported.", 13, 5},
		{"wltest.time_delta > 1e-2", `"1e-2" is not a valid time.`, 20, 4},
		{`wltest.time_delta > "1"`, `wltest.time_delta (Time offset) cannot be compared with a string ("1").`, 20, 3},
		{`wltest.time > "yesterday"`, `"yesterday" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`, 14, 11},
		{"wltest.ratio == x", `"x" is not a valid floating point number.`, 16, 1},
		{`wltest.method matches "("`, "Regex compilation error: missing closing ).", 22, 3},
		{`wltest.method matches 'a'`, "A regular expression must be a string, not 'a'.", 22, 3},
		{"wltest.method matches wltest.method", "A regular expression must be a string, not the field wltest.method.", 22, 13},
		{"wltest.port == wltest.src", "wltest.port and wltest.src are not of compatible types.", 15, 10},
		{"wltest.port == wltest.src[0:2]", "wltest.port and wltest.src are not of compatible types.", 15, 15},
		{"wltest.method contains wltest.payload", "wltest.method and wltest.payload are not of compatible types.", 23, 14},
	}
	for _, c := range cases {
		_, err := Compile(c.expr)
		if err == nil {
			t.Errorf("Compile(%q): no error, want %q", c.expr, c.msg)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q): error %T, want *SyntaxError", c.expr, err)
			continue
		}
		if want := caret(c.msg, c.expr, c.col, c.n); err.Error() != want {
			t.Errorf("Compile(%q):\n got: %s\nwant: %s", c.expr, err, want)
		}
		if se.Expr != c.expr || se.Msg != c.msg {
			t.Errorf("Compile(%q): Expr %q Msg %q", c.expr, se.Expr, se.Msg)
		}
	}
}

func TestCaretCountsRunes(t *testing.T) {
	_, err := Compile(`wltest.method == "é" ==`)
	want := caret(`"==" was unexpected in this context.`, `wltest.method == "é" ==`, 21, 2)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestFields(t *testing.T) {
	f, err := Compile("wltest.port == 80 or wltest.src == wltest.dst and len(wltest.method) > 1 or wltest.port in {1} or wltest.frame[0] == 0")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Fields() {
		names = append(names, d.Name)
	}
	if got, want := strings.Join(names, " "), "wltest.port wltest.src wltest.dst wltest.method wltest.frame"; got != want {
		t.Errorf("Fields() = %s, want %s", got, want)
	}
	empty, err := Compile("   ")
	if err != nil || len(empty.Fields()) != 0 || !empty.Match(&decode.Dissection{}) {
		t.Errorf("empty filter: %v %v", err, empty)
	}
}

// A protocol whose length runs past the captured bytes (a truncated frame)
// must not panic; its bytes are cut at the end of the data.
func TestTruncatedProtocol(t *testing.T) {
	d := &decode.Dissection{Data: []byte("GET"), Fields: []decode.Field{
		{Def: tProto, Offset: 1, Length: 100},
		{Def: tFrame, Offset: 7, Length: 2},
	}}
	for expr, want := range map[string]bool{
		`wltest contains "ET"`:   true,
		`wltest == "ET"`:         true,
		`len(wltest) == 2`:       true,
		`wltest.frame`:           true,
		`len(wltest.frame) == 0`: true,
		`wltest.frame[0] == 00`:  false,
	} {
		if got := mustCompile(t, expr).Match(d); got != want {
			t.Errorf("%s: got %v want %v", expr, got, want)
		}
	}
}

func mustCompile(t testing.TB, expr string) *Filter {
	t.Helper()
	f, err := Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSuggest(t *testing.T) {
	defs := []*decode.FieldDef{{Name: "tcp.checksum"}, {Name: "tcp.port"}, {Name: "udp.port"}, {Name: "tcp.srcport"}}
	for name, want := range map[string]string{
		"tcp.chksum":  "tcp.checksum",
		"tcp.prot":    "tcp.port",
		"TCP.PORT":    "tcp.port",
		"xcp.port":    "tcp.port",
		"xcp.prot":    "",
		"tcp.sport":   "tcp.port",
		"tcp.srcprot": "tcp.srcport",
		"eth.type":    "",
	} {
		if got := strings.Join(nearFields(name, defs), " "); got != want {
			t.Errorf("nearFields(%q) = %q, want %q", name, got, want)
		}
	}
}

// Match runs per frame over whole captures, so it must not allocate.
func TestMatchDoesNotAllocate(t *testing.T) {
	d := testDissection()
	for _, expr := range []string{
		benchExpr,
		"wltest.port != 443 and wltest.addr6 == fe80::/10",
		`wltest.frame[12:2] == 08:00 and wltest.src[0] == c0`,
		`wltest.src[0:2] & f0:f0 == c0:a0 and wltest.len & 0xff00 == 0x0500 and wltest.frame[12:2] & ff:00`,
		`wltest.payload contains "index" and wltest.method matches "^g"`,
		"wltest.src == wltest.addr and len(wltest.method) == 3 and count(wltest.port) == 2",
		"wltest.time_delta > 0.5 and wltest.ratio < 1",
	} {
		f := mustCompile(t, expr)
		if n := testing.AllocsPerRun(100, func() { f.Match(d) }); n != 0 {
			t.Errorf("%s: %v allocations per Match", expr, n)
		}
	}
}

const benchExpr = `wltest.port in {22, 443, 8000..8080} or wltest.addr == 10.0.0.0/8 and wltest.flags.syn == 1 and not wltest.checksum.status == Good and wltest.method == "GET"`

// benchDissection pads the test frame to about sixty fields, as a
// TCP/IPv4/Ethernet frame has.
func benchDissection() *decode.Dissection {
	d := testDissection()
	for len(d.Fields) < 60 {
		d.Fields = append(d.Fields, decode.Field{Def: tChecksum, Depth: 3, U: uint64(len(d.Fields))})
	}
	return d
}

func BenchmarkMatch(b *testing.B) {
	d := benchDissection()
	for _, bc := range []struct{ name, expr string }{
		{"port", "wltest.port == 80"},
		{"mixed", benchExpr},
		{"absent", "wltest.absent == 1"},
		{"slice", "wltest.frame[12:2] == 08:00"},
		{"contains", `wltest.frame contains "index"`},
		{"matches", `wltest.method matches "^get"`},
	} {
		f := mustCompile(b, bc.expr)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Match(d)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(benchExpr); err != nil {
			b.Fatal(err)
		}
	}
}
