package filter

import (
	"errors"
	"math"
	"testing"

	"github.com/wirelens/wirelens/decode"
)

// fuzzSeeds cover every token class and operator, so the fuzzer starts
// from inputs that get deep into the parser.
var fuzzSeeds = []string{
	benchExpr,
	`wltest.port in {22 80, 8000..8080} and not wltest.port not in {1}`,
	`wltest.frame[12:2] == 08:00 || wltest.frame[-1] == ff && wltest.frame[0-2] == 00.11.22`,
	`wltest.addr6 == fe80::/10 or wltest.src == 10.0.0.0/8 xor wltest.mac == 00-11-22-33-44-55`,
	`wltest.method matches r"^g\w+" and wltest.payload contains "\x47\105T\u0020"`,
	`len(wltest.frame) > 10 and count(wltest.port) === 2 and wltest.src != wltest.dst`,
	`wltest.flags.syn == Set and wltest.checksum.status == "Not present" or wltest.level == -1`,
	`wltest.time > "2024-03-01 12:00:00" and wltest.time_delta <= 1.5 and wltest.ratio ~= 0.25`,
	`!(wltest.len >= 0x5dc) ^^ wltest.len < 0b1 || wltest.len <= 017 && 'a' == wltest.len`,
	`wltest.chksum == 1`,
	`wltest.frame[1:0] == "\q`,
}

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	d := testDissection()
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %T is no *SyntaxError", expr, err)
			}
			if se.Expr != expr || se.Pos < 0 || se.Pos > len(expr) || se.Len < 0 || se.Pos+se.Len > len(expr) {
				t.Fatalf("%q: bad error span %d+%d: %v", expr, se.Pos, se.Len, err)
			}
			_ = err.Error()
			return
		}
		if flt.String() != expr {
			t.Fatalf("String() = %q", flt.String())
		}
		flt.Match(d)
		flt.Match(&decode.Dissection{})
	})
}

// FuzzMatch runs compiled filters over frames built from arbitrary bytes,
// including protocol spans and slices that run past the data.
func FuzzMatch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, frameData)
	}
	f.Fuzz(func(t *testing.T, expr string, data []byte) {
		flt, err := Compile(expr)
		if err != nil {
			return
		}
		flt.Match(fuzzDissection(data))
	})
}

// fuzzDissection makes a frame whose field values and spans come from
// data, so short, empty and odd-sized values all occur.
func fuzzDissection(data []byte) *decode.Dissection {
	d := &decode.Dissection{Data: data}
	at := func(i int) byte {
		if len(data) == 0 {
			return 0
		}
		return data[i%len(data)]
	}
	part := func(i int) []byte {
		if len(data) == 0 {
			return nil
		}
		s := int(at(i)) % len(data)
		return data[s : s+int(at(i+1))%(len(data)-s+1)]
	}
	u := func(i int) uint64 {
		var v uint64
		for k := range 8 {
			v = v<<8 | uint64(at(i+k))
		}
		return v
	}
	add := func(f decode.Field) { d.Fields = append(d.Fields, f) }
	add(decode.Field{Def: tFrame, Offset: int32(int8(at(0))), Length: int32(int8(at(1))) * 4})
	add(decode.Field{Def: tProto, Offset: int32(at(2)), Length: int32(at(3))})
	add(decode.Field{Def: tMAC, B: part(4)})
	add(decode.Field{Def: tAddr6, B: part(6)})
	add(decode.Field{Def: tPort, U: u(8)})
	add(decode.Field{Def: tPort, U: u(9)})
	add(decode.Field{Def: tU16, U: u(10)})
	add(decode.Field{Def: tSyn, U: u(11)})
	add(decode.Field{Def: tI32, U: u(12)})
	add(decode.Field{Def: tSrc, U: u(13)})
	add(decode.Field{Def: tAddr, U: u(14)})
	add(decode.Field{Def: tStr, S: string(part(15))})
	add(decode.Field{Def: tBytes, B: part(17)})
	add(decode.Field{Def: tRel, U: u(19)})
	add(decode.Field{Def: tAbs, U: u(20)})
	add(decode.Field{Def: tFloat, U: math.Float64bits(float64(int64(u(21))))})
	add(decode.Field{Def: tStatus, U: u(22) % 6})
	return d
}
