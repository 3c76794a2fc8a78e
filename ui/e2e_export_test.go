package ui

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EExport exports from the demo capture in tmux, read from a file
// and from a pipe: a range to pcapng, the displayed packets to pcap, and
// checks the files with tshark against the input.
func TestE2EExport(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	ts, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	demo, err := filepath.Abs("../cmd/wirelens/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// (not frame.protocols: an export of some fragments of a datagram
	// cannot be reassembled as the whole capture was)
	fields := func(path string, filter string) string {
		args := []string{"-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.encap_type"}
		if filter != "" {
			args = append(args, "-Y", filter)
		}
		out, err := exec.Command(ts, args...).Output()
		if err != nil {
			t.Fatalf("tshark -r %s: %v", path, err)
		}
		return string(out)
	}
	for _, tc := range []struct {
		name string
		argv []string
	}{
		{"file", []string{bin, demo}},
		{"stdin", []string{"sh", "-c", "cat '" + demo + "' | '" + bin + "' -"}},
	} {
		s := tm.start("export-"+tc.name, []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, tc.argv...)
		tm.waitFor(s, "Filter:", "83 packets")
		tm.waitGone(s, "reading")
		// a range to pcapng
		out := filepath.Join(dir, tc.name+"-range.pcapng")
		tm.keys(s, "x")
		tm.waitFor(s, "Export packets", "(•) all 83 packets")
		tm.keys(s, "C-u")
		tm.literal(s, out)
		tm.keys(s, "Tab")
		tm.waitFor(s, "(•) range")
		tm.literal(s, "5-8,20")
		tm.keys(s, "Enter")
		screen := tm.waitFor(s, "saved 5 packets to")
		t.Logf("%s: range exported:\n%s", tc.name, screen)
		if got, want := fields(out, ""), fields(demo, "frame.number in {5..8, 20}"); got != want {
			t.Errorf("%s: the range export differs from the input:\n got %q\nwant %q", tc.name, got, want)
		}
		// the displayed packets to pcap (Ctrl-O)
		tm.keys(s, "/")
		tm.literal(s, "udp")
		tm.keys(s, "Enter")
		tm.waitFor(s, "10 of 83 shown")
		tm.keys(s, "x")
		tm.waitFor(s, "Export packets", "(•) only the 10 shown by the filter")
		out = filepath.Join(dir, tc.name+"-udp.pcapng")
		tm.keys(s, "C-u")
		tm.literal(s, out)
		tm.keys(s, "C-o")
		tm.waitFor(s, "Format: pcap (one link type")
		out = strings.TrimSuffix(out, "ng")
		tm.keys(s, "Enter")
		tm.waitFor(s, "saved 10 packets to", "(pcap)")
		if got, want := fields(out, ""), fields(demo, "udp"); got != want || len(strings.Split(got, "\n")) != 11 {
			t.Errorf("%s: the pcap export differs:\n got %q\nwant %q", tc.name, got, want)
		}
		// the same name again is refused, the old file kept
		tm.keys(s, "x")
		tm.waitFor(s, "Export packets")
		tm.keys(s, "C-u")
		tm.literal(s, out)
		tm.keys(s, "Enter")
		tm.waitFor(s, "cannot save (it already exists): ")
		tm.keys(s, "q")
		tm.waitFor(s, "WIRELENS-EXIT=0")
	}
	// over the file being read
	s := tm.start("export-self", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, demo)
	tm.waitFor(s, "83 packets")
	tm.keys(s, "x")
	tm.waitFor(s, "Export packets")
	tm.keys(s, "C-u")
	tm.literal(s, demo)
	tm.keys(s, "Enter")
	tm.waitFor(s, "cannot save (it is the capture being read): ")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
