package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestE2EGrowingFile runs a real tcpdump -U -w in a network namespace of
// its own and wirelens on the file it writes: the pings sent after
// wirelens opened it appear, the status bar says "growing", the list
// follows the newest packet, and no damage is reported for the records
// tcpdump is half way through writing.
func TestE2EGrowingFile(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	for _, tool := range []string{"tcpdump", "ip", "ping"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ns := fmt.Sprintf("tuifind-grow-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot make a network namespace (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	inNS := func(args ...string) *exec.Cmd {
		return exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	}
	if out, err := inNS("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("lo up: %v %s", err, out)
	}
	dump := filepath.Join(t.TempDir(), "growing.pcap")
	td := inNS("tcpdump", "-i", "lo", "-U", "-n", "-w", dump, "icmp")
	if err := td.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { td.Process.Signal(os.Interrupt); td.Wait() })
	ping := func(n int) {
		t.Helper()
		if out, err := inNS("ping", "-c", strconv.Itoa(n), "-i", "0.2", "127.0.0.1").CombinedOutput(); err != nil {
			t.Fatalf("ping: %v %s", err, out)
		}
	}
	// tcpdump is listening once its file has a header; the first pings
	// are in the file before wirelens opens it
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if st, err := os.Stat(dump); err == nil && st.Size() >= 24 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("tcpdump wrote no header")
		}
	}
	ping(2)
	s := tm.start("growing", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, dump)
	screen := tm.waitFor(s, "growing.pcap │ ", "4 packets") // (maybe already "growing": the last reply may land after the first read)
	t.Logf("opened:\n%s", screen)
	ping(5)
	screen = tm.waitFor(s, "● growing", "14 packets", "Frame 14:")
	t.Logf("after 5 more pings:\n%s", screen)
	if regexp.MustCompile(`damaged|cut short`).MatchString(screen) {
		t.Errorf("a record being written was reported as damage:\n%s", screen)
	}
	// moving away stops following; End follows again
	tm.keys(s, "Up", "Up")
	tm.waitFor(s, "growing, End follows", "Frame 12:")
	ping(1)
	screen = tm.waitFor(s, "16 packets")
	if !regexp.MustCompile(`Frame 12:`).MatchString(screen) {
		t.Errorf("the selection moved while not following:\n%s", screen)
	}
	tm.keys(s, "End")
	tm.waitFor(s, "Frame 16:")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}
