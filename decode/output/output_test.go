package output

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func TestWriteHexNeverPrintsControlBytes(t *testing.T) {
	data := []byte("\x1b]0;pwned\x07\x1b[2J\x00\x7f\x80\xffok")
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	WriteHex(w, data)
	w.Flush()
	want := "0000  1b 5d 30 3b 70 77 6e 65 64 07 1b 5b 32 4a 00 7f   .]0;pwned..[2J..\n" +
		"0010  80 ff 6f 6b                                       ..ok\n"
	if buf.String() != want {
		t.Errorf("WriteHex:\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestSpecOptions(t *testing.T) {
	s, err := NewSpec([]string{"frame.number", "_ws.col.Info"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{"header=y", "separator=,", "separator=/t", "separator=/s", "occurrence=f", "aggregator=;", "quote=d", "quote=n"} {
		if err := s.SetOption(ok); err != nil {
			t.Errorf("SetOption(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"header", "header=maybe", "occurrence=2", "quote=x", "colour=red"} {
		err := s.SetOption(bad)
		if err == nil || !strings.Contains(err.Error(), strings.SplitN(bad, "=", 2)[0]) {
			t.Errorf("SetOption(%q) = %v, want an error naming it", bad, err)
		}
	}
	if _, err := NewSpec([]string{"tcp.chksum"}); err == nil || !strings.Contains(err.Error(), "tcp.chksum") {
		t.Errorf("NewSpec(tcp.chksum) = %v, want an error naming the field", err)
	}
}
