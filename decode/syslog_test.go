package decode_test

import (
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// TestSyslogEscapes checks the two frames of crafted/syslog.pcap the
// tshark golden leaves out: tshark prints a BOM and control characters
// raw, wirelens writes them as Wireshark's tree does (\uFEFF, \001), so
// nothing invisible reaches the terminal.
func TestSyslogEscapes(t *testing.T) {
	got := map[int]*decode.Dissection{}
	decode.EachFrame(t, "../testdata/crafted/syslog.pcap", decode.NewDissector(prefs.Default()), func(fr *decode.Frame, d *decode.Dissection) bool {
		got[fr.Number] = &decode.Dissection{Summary: d.Summary, Fields: append([]decode.Field(nil), d.Fields...)}
		return true
	})
	fieldValue := func(d *decode.Dissection, name string) string {
		for i := range d.Fields {
			if d.Fields[i].Def.Name == name {
				return d.Fields[i].Value()
			}
		}
		return "<absent>"
	}
	for _, c := range []struct {
		n         int
		info, msg string
		msgid     string
	}{
		{3, `LOCAL4.NOTICE: 1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFAn application event log entry`,
			`1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFAn application event log entry`,
			"ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] \ufffd\ufffd\ufffdAn application event log entry"},
		{11, `USER.INFO: Mar  9 01:02:03 host app: control \001\177 and UTF-8 café, bad ` + "\ufffd" + ` byte`,
			`Mar  9 01:02:03 host app: control \001\177 and UTF-8 café, bad ` + "\ufffd" + ` byte`,
			`: control \001\177 and UTF-8 caf` + "\ufffd\ufffd" + `, bad ` + "\ufffd" + ` byte`},
	} {
		d := got[c.n]
		if d == nil {
			t.Fatalf("no frame %d", c.n)
		}
		if d.Summary.Protocol != "Syslog" || d.Summary.Info != c.info {
			t.Errorf("frame %d: %s %q, want Syslog %q", c.n, d.Summary.Protocol, d.Summary.Info, c.info)
		}
		if got := fieldValue(d, "syslog.msg"); got != c.msg {
			t.Errorf("frame %d syslog.msg %q, want %q", c.n, got, c.msg)
		}
		if got := fieldValue(d, "syslog.msgid"); got != c.msgid {
			t.Errorf("frame %d syslog.msgid %q, want %q", c.n, got, c.msgid)
		}
		if s := d.Summary.Info; decode.Sanitize(s) != s || strings.ContainsRune(s, '\ufeff') {
			t.Errorf("frame %d: Info not safe to print: %q", c.n, s)
		}
	}
}
