package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestE2ESignals kills the real binary, running --demo in an interactive
// shell in tmux, with each signal that ends it, and checks that the
// terminal is given back: the shell prompt shows, the alternate screen and
// mouse reporting are off, stty says icanon and echo, the exit status is
// 128+signal, nothing (a goroutine dump) was written over the screen, and
// the demo's temporary file is gone.
func TestE2ESignals(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir() // TMPDIR: the demo's file goes here
			pidFile := filepath.Join(tmp, "pid")
			name := fmt.Sprintf("sig%d", sig)
			tm.must("new-session", "-d", "-x", "120", "-y", "35", "-s", name,
				"env", "HOME="+tm.home, "TMPDIR="+tmp, "PS1=PROMPT$ ", "TERM=tmux-256color", "LANG=C.UTF-8",
				"bash", "--norc", "--noprofile", "-i")
			defer tm.run("kill-session", "-t", name)
			tm.waitFor(name, "PROMPT$")
			tm.literal(name, fmt.Sprintf("sh -c 'echo $$ > %s; exec %s --demo'; echo EXIT=$?", pidFile, bin))
			tm.keys(name, "Enter")
			tm.waitFor(name, "Filter:", "demo (built in)")
			if got := strings.TrimSpace(tm.must("display", "-p", "-t", name, "#{alternate_on} #{mouse_any_flag}")); got != "1 1" {
				t.Fatalf("while running: alternate_on mouse_any_flag = %q, want 1 1", got)
			}
			if demos, _ := filepath.Glob(filepath.Join(tmp, "wirelens-demo-*")); len(demos) != 1 {
				t.Fatalf("demo file while running: %v", demos)
			}
			raw, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			screen := tm.waitFor(name, fmt.Sprintf("EXIT=%d", 128+int(sig)))
			if strings.Contains(screen, "goroutine") || strings.Contains(screen, "SIGQUIT:") {
				t.Errorf("a goroutine dump reached the screen:\n%s", screen)
			}
			if got := strings.TrimSpace(tm.must("display", "-p", "-t", name, "#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag}")); got != "0 0 0" {
				t.Errorf("after %s: alternate_on mouse_any_flag mouse_sgr_flag = %q, want 0 0 0", sig, got)
			}
			// The command line itself does not contain "MODES=[i".
			tm.literal(name, `echo "MODES=[$(stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' ')]"`)
			tm.keys(name, "Enter")
			screen = tm.waitFor(name, "\nMODES=[")
			if !strings.Contains(screen, "MODES=[icanon echo ]") {
				t.Errorf("terminal modes after %s are not restored (want MODES=[icanon echo ]):\n%s", sig, screen)
			}
			if demos, _ := filepath.Glob(filepath.Join(tmp, "wirelens-demo-*")); len(demos) != 0 {
				t.Errorf("after %s the demo's file is left: %v", sig, demos)
			}
			t.Logf("after %s:\n%s", sig, screen)
		})
	}
}
