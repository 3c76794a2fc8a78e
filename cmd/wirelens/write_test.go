package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWriteFiltered: tshark's way to cut a capture, -r IN -Y FILTER -w OUT,
// writes exactly the displayed frames (bytes, timestamps, lengths), as
// pcapng by default and as pcap with -F pcap; nothing is printed.
func TestWriteFiltered(t *testing.T) {
	in := filepath.Join("..", "..", "testdata", "captures", "veth-offload-a-dumpcap.pcapng")
	fields := []string{"-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.protocols", "-e", "data.data", "-e", "frame.packet_flags_direction"}
	want, _, code := runCapture(t, append([]string{"-r", in, "-Y", "icmp || udp.length < 100"}, fields...))
	if code != exitOK || strings.Count(want, "\n") < 10 {
		t.Fatalf("reference run: exit %d, %d lines", code, strings.Count(want, "\n"))
	}
	for _, format := range []string{"", "pcapng", "pcap"} {
		out := filepath.Join(t.TempDir(), "cut")
		args := []string{"-r", in, "-Y", "icmp || udp.length < 100", "-w", out}
		if format != "" {
			args = append(args, "-F", format)
		}
		stdout, stderr, code := runCapture(t, args)
		if code != exitOK || stdout != "" || stderr != "" {
			t.Fatalf("-w %s: exit %d, stdout %q, stderr %q", format, code, stdout, stderr)
		}
		b, _ := os.ReadFile(out)
		magic := "\x0a\x0d\x0d\x0a"
		if format == "pcap" {
			magic = "\xd4\xc3\xb2\xa1"
		}
		if !strings.HasPrefix(string(b), magic) {
			t.Errorf("-F %q: file starts %q", format, b[:4])
		}
		got, _, code := runCapture(t, append([]string{"-r", out}, fields...))
		w := want
		if format == "pcap" {
			// pcap has no direction flags and counts microseconds.
			w, got = microseconds.ReplaceAllString(dropLastColumn(w), "${1}000"), dropLastColumn(got)
		}
		if code != exitOK || got != w {
			t.Errorf("-F %q: the file read back differs:\n%s", format, lineDiff(w, got))
		}
		if _, err := exec.LookPath("tshark"); err == nil {
			cmd := exec.Command("tshark", "-n", "-r", out, "-T", "fields", "-e", "frame.number")
			o, err := cmd.Output()
			if err != nil || strings.Count(string(o), "\n") != strings.Count(want, "\n") {
				t.Errorf("-F %q: tshark reads %d frames (%v), want %d", format, strings.Count(string(o), "\n"), err, strings.Count(want, "\n"))
			}
		}
	}
	// -P prints the summary lines while writing.
	out := filepath.Join(t.TempDir(), "cut")
	stdout, _, _ := runCapture(t, []string{"-r", in, "-Y", "icmp", "-w", out, "-P"})
	if n := strings.Count(stdout, "ICMP"); n == 0 {
		t.Errorf("-P printed no summary: %q", stdout)
	}
}

var microseconds = regexp.MustCompile(`(?m)^(\d+\.\d{6})\d{3}`)

func dropLastColumn(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if j := strings.LastIndexByte(l, '\t'); j >= 0 {
			lines[i] = l[:j]
		}
	}
	return strings.Join(lines, "\n")
}
