package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2EColumns runs the binary with a custom column from the command
// line (-o gui.column.format, as tshark takes it), checks its values against
// tshark's (or wirelens's own -T fields when tshark is missing), adds a
// field column in the columns dialog, saves, and finds the saved columns in
// the next run.
func TestE2EColumns(t *testing.T) {
	bin, capture, tm := e2eSetup(t)
	format := `gui.column.format:"No.","%m","Win","%Cus:tcp.window_size:0:R","Proto","%p","Checks","%Cus:wirelens.checks","Info","%i"`
	// the oracle: the first TCP frame and its window
	oracle := exec.Command(bin, "-r", capture, "-Y", "tcp", "-T", "fields", "-e", "frame.number", "-e", "tcp.window_size")
	if ts, err := exec.LookPath("tshark"); err == nil {
		oracle = exec.Command(ts, "-r", capture, "-Y", "tcp", "-T", "fields", "-e", "frame.number", "-e", "tcp.window_size")
	}
	out, err := oracle.Output()
	if err != nil {
		t.Fatalf("%s: %v", oracle, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	want := strings.Fields(first)
	if len(want) != 2 {
		t.Fatalf("oracle printed %q", out)
	}
	s := tm.start("cols", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, "-o", format, capture)
	screen := tm.waitFor(s, "No.", "Win", "Proto", "Checks", "Info")
	if strings.Contains(screen, "Source") || strings.Contains(screen, "Time ") {
		t.Errorf("columns not from -o:\n%s", screen)
	}
	// go to the frame, so that its row is on screen
	tm.keys(s, ":")
	tm.waitFor(s, "Go to packet:")
	tm.literal(s, want[0])
	tm.keys(s, "Enter")
	screen = tm.waitGone(s, "Go to packet:")
	time.Sleep(300 * time.Millisecond)
	screen = tm.screen(s)
	row := ""
	for _, l := range strings.Split(screen, "\n") {
		if f := strings.Fields(strings.TrimLeft(l, "!~* ")); len(f) > 2 && f[0] == want[0] {
			row = l
		}
	}
	if f := strings.Fields(strings.TrimLeft(row, "!~* ")); len(f) < 3 || f[1] != want[1] || f[2] != "TCP" {
		t.Errorf("row of frame %s: %q, want window %s (as %s says) then TCP\n%s", want[0], row, want[1], oracle.Path, screen)
	}

	// the dialog: add ip.ttl after Win, then save
	tm.keys(s, "L")
	tm.waitFor(s, "Columns (gui.column.format)", "%Cus:tcp.window_size:0:R")
	tm.keys(s, "Down", "a")
	tm.waitFor(s, "Add field:")
	tm.literal(s, "ip.ttl")
	tm.keys(s, "Enter")
	tm.waitFor(s, "added \"Time to Live\"")
	tm.keys(s, "s")
	screen = tm.waitFor(s, "saved to")
	t.Logf("dialog:\n%s", screen)
	tm.keys(s, "Escape")
	screen = tm.waitGone(s, "Columns (gui.column.format)")
	if !strings.Contains(strings.Split(screen, "\n")[1], "Time to Live") {
		t.Errorf("no Time to Live column:\n%s", screen)
	}
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")

	data, err := os.ReadFile(filepath.Join(tm.home, ".config", "wirelens", "preferences"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `gui.column.format: "No.", "%m", "Win", "%Cus:tcp.window_size:0:R", "Time to Live", "%Cus:ip.ttl:0:R",`) {
		t.Errorf("saved preferences:\n%s", data)
	}
	// the next run shows the saved columns
	s2 := tm.start("again", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, capture)
	screen = tm.waitFor(s2, "Win", "Time to Live", "Checks")
	t.Logf("next run:\n%s", screen)
}
