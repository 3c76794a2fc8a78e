package prefs

import (
	"reflect"
	"strings"
	"testing"
)

// Wireshark's own default, as tshark 4.0 -G defaultprefs prints it (the
// continuation lines joined as the file reader joins them).
const wiresharkDefaultColumns = `"No.", "%m",	"Time", "%t",	"Source", "%s",	"Destination", "%d",	"Protocol", "%p",	"Length", "%L",	"Info", "%i"`

func TestParseColumnFormatWireshark(t *testing.T) {
	cols, err := ParseColumnFormat(wiresharkDefaultColumns)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cols {
		got = append(got, c.Title+"="+c.Spec())
	}
	want := []string{"No.=%m", "Time=%t", "Source=%s", "Destination=%d", "Protocol=%p", "Length=%L", "Info=%i"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestParseColumnSpecCustom(t *testing.T) {
	for _, tc := range []struct {
		in, spec string
		fields   []string
		occ      int
		resolved bool
	}{
		{"%Cus:tcp.window_size:0:R", "%Cus:tcp.window_size:0:R", []string{"tcp.window_size"}, 0, true},
		{"%Cus:ip.proto", "%Cus:ip.proto:0:R", []string{"ip.proto"}, 0, true},
		{"%Cus:ip.addr:-1:U", "%Cus:ip.addr:-1:U", []string{"ip.addr"}, -1, false},
		{"%Cus:tcp.srcport||udp.srcport:2", "%Cus:tcp.srcport || udp.srcport:2:R", []string{"tcp.srcport", "udp.srcport"}, 2, true},
	} {
		c, err := ParseColumnSpec(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if c.Spec() != tc.spec || !reflect.DeepEqual(c.Fields, tc.fields) || c.Occurrence != tc.occ || c.Resolved != tc.resolved {
			t.Errorf("%s: got %+v (%s)", tc.in, c, c.Spec())
		}
	}
}

func TestParseColumnFormatErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"No."`, "pairs"},
		{`"No.", "m"`, "does not start with %"},
		{`"W", "%Cus"`, "needs its fields"},
		{`"W", "%Cus:tcp.window_size:x:R"`, "bad occurrence"},
		{`"W", "%Cus:tcp.window_size:0:Q"`, "not R (resolved) or U"},
		{`"W", "%Cus::0:R"`, "bad field name"},
		{`"No., "%m"`, "text after a quoted item"},
		{`"No.", "%m",`, "ends with a comma"},
		{`"No.", "%m", "Info`, "unterminated quote"},
		{``, "no columns"},
	} {
		_, err := ParseColumnFormat(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.in, err, tc.want)
		}
	}
}

func TestFormatColumnsRoundTrip(t *testing.T) {
	cols, err := ParseColumnFormat(`"No.", "%m", "Win \"size\"", "%Cus:tcp.window_size:0:U", "Info", "%i"`)
	if err != nil {
		t.Fatal(err)
	}
	cols[1].Width = 9
	cols[0].Hidden = true
	f, h, w := FormatColumns(cols)
	back, err := ParseColumnFormat(f)
	if err != nil {
		t.Fatal(err)
	}
	hid, err := ParseColumnHidden(h)
	if err != nil {
		t.Fatal(err)
	}
	wid, err := ParseColumnWidths(w)
	if err != nil {
		t.Fatal(err)
	}
	back = ApplyColumnPrefs(back, hid, wid)
	if !reflect.DeepEqual(back, cols) {
		t.Fatalf("round trip:\n got %+v\nwant %+v\n(%s | %s | %s)", back, cols, f, h, w)
	}
	if h != "%m" || w != `"%Cus:tcp.window_size:0:U", "9"` {
		t.Errorf("hidden %q widths %q", h, w)
	}
	if _, err := ParseColumnWidths(`"%m", "-3"`); err == nil || !strings.Contains(err.Error(), "want a number of cells") {
		t.Errorf("negative width: %v", err)
	}
}

// FuzzColumnFormat: any text parses or is refused without panicking, and
// what parses writes back to text that parses to the same columns.
func FuzzColumnFormat(f *testing.F) {
	f.Add(wiresharkDefaultColumns, "%m,%Cus:ip.flags:0:R", `"%m", "6"`)
	f.Add(`"W \"x\"", "%Cus:tcp.srcport||udp.srcport:-1:U"`, "", "")
	f.Add(`"a",%i`, "%i", `%i,0`)
	f.Fuzz(func(t *testing.T, format, hidden, widths string) {
		cols, err := ParseColumnFormat(format)
		if err != nil {
			return
		}
		hid, err := ParseColumnHidden(hidden)
		if err != nil {
			return
		}
		wid, err := ParseColumnWidths(widths)
		if err != nil {
			return
		}
		cols = ApplyColumnPrefs(cols, hid, wid)
		f2, h2, w2 := FormatColumns(cols)
		back, err := ParseColumnFormat(f2)
		if err != nil {
			t.Fatalf("written %q does not parse: %v", f2, err)
		}
		hid2, err1 := ParseColumnHidden(h2)
		wid2, err2 := ParseColumnWidths(w2)
		if err1 != nil || err2 != nil {
			t.Fatalf("written %q / %q do not parse: %v %v", h2, w2, err1, err2)
		}
		back = ApplyColumnPrefs(back, hid2, wid2)
		if !reflect.DeepEqual(back, cols) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", format, back, cols)
		}
		if strings.ContainsAny(f2, "\n\r") {
			t.Fatalf("a line break in %q", f2)
		}
	})
}
