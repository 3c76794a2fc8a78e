package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// jsonUnsafe finds what must not reach a terminal in a decoded JSON value.
func jsonUnsafe(s string) int {
	for i, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) ||
			(r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd")) {
			return i
		}
	}
	return -1
}

func TestAppendJSONString(t *testing.T) {
	cases := map[string]string{
		"plain":                `"plain"`,
		"A\x9b2J\xff":          `"A\\x9b2J\\xff"`,
		"tag\U000e0041":        `"tag\\U000e0041"`,
		"bidi\u202e":           `"bidi\\u202e"`,
		"q\"b\\":               `"q\"b\\"`,
		"\x1b]0;t\x07\r\n":     `"\\x1b]0;t\\x07\\x0d\\x0a"`,
		"zw\u200b\u2028\ufeff": `"zw\\u200b\\u2028\\ufeff"`,
		"ünïcode ✓ \U0001f600": `"ünïcode ✓ ` + "\U0001f600" + `"`,
	}
	for in, want := range cases {
		got := string(AppendJSONString(nil, in))
		if got != want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", in, got, want)
		}
		checkJSONString(t, in, got)
	}
}

func checkJSONString(t *testing.T, in, got string) {
	t.Helper()
	var v string
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("AppendJSONString(%q) = %s: not JSON: %v", in, got, err)
	}
	if i := jsonUnsafe(v); i >= 0 {
		t.Fatalf("AppendJSONString(%q) decodes to %q: unsafe at %d", in, v, i)
	}
	if i := jsonUnsafe(got); i >= 0 || !utf8.ValidString(got) {
		t.Fatalf("AppendJSONString(%q) = %q: raw unsafe character at %d", in, got, i)
	}
}

func FuzzJSONString(f *testing.F) {
	f.Add("A\x9b2J\xff")
	f.Add("\U000e0041\u202e\"\\\x00")
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendJSONString(nil, s)
		checkJSONString(t, s, string(got))
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		WriteJSONString(w, s)
		w.Flush()
		if buf.String() != string(got) {
			t.Fatalf("WriteJSONString and AppendJSONString differ for %q", s)
		}
	})
}
