package remote_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tuiTmux runs the wirelens TUI in a tmux server of its own.
type tuiTmux struct {
	t      *testing.T
	socket string
}

func newTuiTmux(t *testing.T) *tuiTmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		missing(t, "tmux is not installed")
	}
	m := &tuiTmux{t: t, socket: fmt.Sprintf("wl-remote-tui-%d", time.Now().UnixNano())}
	t.Cleanup(func() { exec.Command("tmux", "-L", m.socket, "kill-server").Run() })
	return m
}

func (m *tuiTmux) tmux(args ...string) string {
	m.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", m.socket}, args...)...).CombinedOutput()
	if err != nil {
		m.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// start runs wirelens with args in the lab's client namespace, in a
// 160x45 terminal.
func (m *tuiTmux) start(l *sshLab, args ...string) {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
	line := []string{"ip", "netns", "exec", l.nsC, "env", q("WIRELENS_SSH_COMMAND=" + l.sshCmd), "TERM=tmux-256color", "LANG=C.UTF-8",
		"HOME=" + q(l.dir), q(l.wirelens)}
	for _, a := range args {
		line = append(line, q(a))
	}
	m.tmux("new-session", "-d", "-x", "160", "-y", "45", "-s", "wl", "sh", "-c", strings.Join(line, " ")+"; echo WL-EXIT=$?; sleep 60")
}

func (m *tuiTmux) screen() string { return m.tmux("capture-pane", "-p", "-t", "wl") }

func (m *tuiTmux) keys(k ...string) { m.tmux(append([]string{"send-keys", "-t", "wl"}, k...)...) }

func (m *tuiTmux) waitFor(want ...string) string {
	m.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := m.screen()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(s, w)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("screen never showed %q:\n%s", want, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRemoteCompareTUI captures both ends of the veth at once in the
// compare view: the comparison follows the frames live, Ctrl-S saves
// both captures, and when the server's session is cut the view names
// the side that ended and keeps both sides' frames.
func TestRemoteCompareTUI(t *testing.T) {
	l := newLab(t)
	m := newTuiTmux(t)
	a, b := "ssh://root@"+l.ipC+"/"+l.ifC, "ssh://root@"+l.ipS+"/"+l.ifS
	m.start(l, "--compare", a, b, "-f", "icmp")
	m.waitFor("Compare [side by side, live]", "A: "+a, "B: "+b)
	// Both remote tools open their sockets, then the counted pings.
	time.Sleep(3 * time.Second)
	l.pings(t, 5, "55")
	screen := m.waitFor("= same", "comparing…  clock: B ")
	t.Logf("live compare view:\n%s", screen)
	prefix := filepath.Join(l.dir, "both")
	m.keys("C-s")
	m.waitFor("Save both as (prefix):")
	m.keys("-l", prefix)
	m.keys("Enter")
	m.waitFor("saved A to " + prefix + "-a.pcapng and B to " + prefix + "-b.pcapng")
	ha, ia := frames(t, prefix+"-a.pcapng")
	hb, ib := frames(t, prefix+"-b.pcapng")
	if len(ha) != 10 || !slices.Equal(ha, hb) {
		t.Errorf("saved %d and %d frames of the 5 pings; want the same 10 at both ends", len(ha), len(hb))
	}
	if len(ia) == 0 || len(ib) == 0 || !strings.HasSuffix(ia[0].Name, ":"+l.ifC) || !strings.HasSuffix(ib[0].Name, ":"+l.ifS) {
		t.Errorf("saved interfaces %v / %v; want %s and %s", ia, ib, l.ifC, l.ifS)
	}
	// Cut the server's session: B ends, A goes on.
	killed := 0
	for _, pid := range children(l.sshdPid) {
		if syscallKill(pid) == nil {
			killed++
		}
	}
	if killed == 0 {
		t.Fatal("found no sshd session to cut")
	}
	screen = m.waitFor("B ended: ")
	t.Logf("B cut:\n%s", screen)
	l.pings(t, 2, "66")
	m.waitFor("A: "+a+" (14)", "B: "+b+" (10)", "B ended: ")
	// A's new frames are compared on: B has nothing of them.
	screen = m.waitFor("   14 ", "∅ missing", "(no counterpart)")
	t.Logf("A after B ended:\n%s", screen)
	m.keys("q")
	m.waitFor("WL-EXIT=")
}

// TestRemoteStartScreen lists the server's interfaces on the start
// screen (r, ssh://host), as -D does, and captures on one of them with
// a capture filter; an unreachable host says so.
func TestRemoteStartScreen(t *testing.T) {
	l := newLab(t)
	m := newTuiTmux(t)
	m.start(l)
	m.waitFor("Remote host ssh://[user@]host[:port]...")
	m.keys("r")
	m.waitFor("Remote host: ssh://")
	m.keys("-l", "root@10.232.0.99")
	m.keys("Enter")
	screen := m.waitFor("Cannot list its interfaces: ssh://root@10.232.0.99")
	t.Logf("unreachable:\n%s", screen)
	m.keys("r")
	m.waitFor("Remote host: ssh://root@10.232.0.99")
	m.keys("C-u")
	m.keys("-l", "ssh://root@"+l.ipS)
	m.keys("Enter")
	screen = m.waitFor("Remote host ssh://root@"+l.ipS, l.ipS+"/24 driver veth kind veth offloads: rx-csum tx-csum", "root: logged in as root")
	t.Logf("remote host listed:\n%s", screen)
	// The first interface is selected: go down to the veth.
	var names []string
	in := false
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(line, "Remote host ssh://") {
			in = true
			continue
		}
		if f := strings.Fields(line); in && len(f) > 3 && f[2] == "MTU" {
			names = append(names, f[0])
		}
	}
	k := slices.Index(names, l.ifS)
	if k < 0 {
		t.Fatalf("%s not among the interfaces %v", l.ifS, names)
	}
	for i := 0; i < k; i++ {
		m.keys("Down")
	}
	m.keys("Enter")
	m.waitFor("Capture filter on ssh://root@" + l.ipS + "/" + l.ifS)
	m.keys("-l", "icmp")
	m.keys("Enter")
	m.waitFor("live: ssh://root@" + l.ipS + "/" + l.ifS)
	time.Sleep(2 * time.Second)
	l.pings(t, 3, "55")
	screen = m.waitFor("Echo (ping) request", "Echo (ping) reply")
	t.Logf("remote capture from the start screen:\n%s", screen)
	if strings.Contains(screen, "SSH") {
		t.Errorf("the ssh session's own packets were captured:\n%s", screen)
	}
	m.keys("q")
	m.waitFor("WL-EXIT=0")
}
