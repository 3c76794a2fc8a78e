package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCaptureFilterWithFile: -f with -r is not silently ignored; it is
// said to be for live capture, as tshark refuses it.
func TestCaptureFilterWithFile(t *testing.T) {
	dns := filepath.Join("..", "..", "testdata", "crafted", "dns.pcap")
	for _, args := range [][]string{{"-r", dns, "-f", "port 53"}, {"-f", "port 53", dns}} {
		out, stderr, code := runCapture(t, args)
		if code != exitUsage || out != "" || !strings.Contains(stderr, "live capture") || !strings.Contains(stderr, "-Y") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// TestUnreadablePreferences: preferences that cannot be read (here a
// directory where the file should be, at the default path and given with
// --prefs) give a warning naming them, and the file is read with the
// defaults.
func TestUnreadablePreferences(t *testing.T) {
	dns := filepath.Join("..", "..", "testdata", "crafted", "dns.pcap")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "wirelens", "preferences"), 0o755); err != nil {
		t.Fatal(err)
	}
	want, _, _ := runCapture(t, []string{"-r", dns})
	for _, args := range [][]string{{"-r", dns}, {"--prefs", filepath.Join(dir, "wirelens", "preferences"), "-r", dns}} {
		t.Setenv("XDG_CONFIG_HOME", dir)
		out, stderr := runCaptureEnv(t, args)
		if out != want || !strings.Contains(stderr, "warning") || !strings.Contains(stderr, filepath.Join(dir, "wirelens", "preferences")) ||
			!strings.Contains(stderr, "using the default preferences") {
			t.Errorf("%v: stdout %q (want %q), stderr %q", args, out, want, stderr)
		}
	}
}

// runCaptureEnv is runCapture without its own XDG_CONFIG_HOME.
func runCaptureEnv(t *testing.T, args []string) (stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	if code := run(args, os.Stdin, out, errf); code != exitOK {
		t.Errorf("%v: exit %d", args, code)
	}
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(out.Name())
	e, _ := os.ReadFile(errf.Name())
	return string(o), string(e)
}
