package prefs

import (
	"strings"
	"testing"
)

// Exported for the tests, which are an external package: the preferences
// they check are registered by package decode, which imports prefs.
var (
	Decode      = decode
	Render      = render
	TrimSpace   = trimSpace
	QuoteShort  = quoteShort
	Known       = known
	MaxWarnings = maxWarnings
	SyncFile    = &syncFile
	Rename      = &rename
)

// CheckKept fails unless every line of in that Save does not own appears in
// out unchanged and in the same order.
func CheckKept(t *testing.T, in, out []byte) {
	t.Helper()
	ps := parse(in, "")
	rest := string(out)
	for _, l := range ps.lines {
		switch {
		case l.kind == lineEntry && known(l.name),
			l.kind == lineCont && known(ps.lines[l.owner].name),
			l.kind == linePlaceholder:
			continue
		}
		// The last line may have gained an end of line.
		want := l.raw
		if l.eol == "" {
			want = l.body
		}
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("line %q lost or reordered\nin:  %q\nout: %q", l.raw, in, out)
		}
		rest = rest[i+len(want):]
	}
}
