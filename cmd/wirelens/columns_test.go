package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// -o gui.column.format is checked (a bad field is an error naming the
// preference) and, in batch mode, noted as the UI's.
func TestColumnPrefsOnTheCommandLine(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "crafted", "dns.pcap")
	out, stderr, code := runCapture(t, []string{"-r", path, "-o", `gui.column.format:"No.","%m","Win","%Cus:tcp.window_size"`})
	if code != 0 || !strings.Contains(stderr, "-o gui.column.format sets the terminal UI's packet list") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "Standard query 0x1234") {
		t.Errorf("the summary changed: %q", out)
	}
	_, stderr, code = runCapture(t, []string{"-r", path, "-o", `gui.column.format:"No.","%m","Win","%Cus:tcp.windw_size"`})
	if code == 0 || !strings.Contains(stderr, "preference gui.column.format") || !strings.Contains(stderr, "did you mean tcp.window_size") {
		t.Errorf("bad field: exit %d, stderr %q", code, stderr)
	}
}
