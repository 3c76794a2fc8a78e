package stats

import (
	"strings"
	"testing"
)

// Every malformed -z argument is refused with a message that quotes it
// and says what is wrong.
func TestBadArguments(t *testing.T) {
	for arg, want := range map[string]string{
		"io,stat,x":                           `interval "x"`,
		"io,stat,-1":                          `interval "-1"`,
		"io,stat,1,":                          "trailing comma",
		"io,stat,0.0000001":                   "at least 0.000001",
		"io,stat,1,MAX(nosuch)":               `no field named "nosuch"`,
		"io,stat,1,MAX(dns.qry.name)dns":      "doesn't have integral values",
		"io,stat,1,SUM()tcp":                  "didn't specify a field name",
		"io,stat,1,FRAMES(tcp.len)":           "does not require or allow",
		"io,stat,1,COUNT(tcp.len":             "closing parenthesis",
		"io,stat,1,LOAD(smb.time)":            "LOAD",
		"io,stat,1,ip.src==":                  `filter "ip.src=="`,
		"expert,warn,ip.src==":                "filter",
		"expertx":                             "unknown statistic",
		"follow,tcp,ascii":                    "too few parts",
		"follow,sctp,hex,0":                   "not \"sctp\"",
		"follow,tcp,yaml,0":                   "yaml mode is not done",
		"follow,tcp,hexx,0":                   `unknown mode "hexx"`,
		"follow,tcp,hex,x":                    `stream "x"`,
		"follow,tcp,hex,1.2.3.4:80,nope":      `"nope" is not ADDR:PORT`,
		"follow,tcp,hex,1.2.3.4:80,x:1":       `"x" is not an IP address`,
		"follow,tcp,hex,1.2.3.4:80,::1:99999": `"99999" is not a port`,
	} {
		_, err := New(arg)
		if err == nil {
			t.Errorf("-z %s accepted", arg)
			continue
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), arg) {
			t.Errorf("-z %s: %v; want it to quote the argument and say %q", arg, err, want)
		}
	}
}

// A filter with a comma inside (a set) is one column, not two, as tshark
// retries at the next comma.
func TestIOStatFilterWithComma(t *testing.T) {
	tap, err := New("io,stat,1,tcp.port in {80,443},udp")
	if err != nil {
		t.Fatal(err)
	}
	s := tap.(*IOStat)
	if len(s.Cols) != 2 || s.Cols[0].Text != "tcp.port in {80,443}" || s.Cols[1].Text != "udp" {
		t.Errorf("columns %+v", s.Cols)
	}
}

// The expert severity is a case-insensitive prefix, and the last expert
// argument's level holds for every expert table (tshark 4.0's static).
func TestExpertLevelShared(t *testing.T) {
	taps, err := NewAll([]string{"expert,ERROR", "expert,Note,tcp"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range taps {
		if e := tp.(*Expert); e.Lowest != 0x00400000 {
			t.Errorf("level %#x, want Note's", e.Lowest)
		}
	}
}
