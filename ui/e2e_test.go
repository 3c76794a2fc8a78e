package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The end-to-end test runs the real binary in tmux and reads the screen with
// capture-pane. It runs only with WIRELENS_E2E=1, and then fails (rather
// than skips) when tmux or a capture is missing:
//
//	WIRELENS_E2E=1 go test ./ui -run TestE2E -v

func e2eSetup(t *testing.T) (bin, capture string, tm *tmux) {
	t.Helper()
	if os.Getenv("WIRELENS_E2E") != "1" {
		t.Skip("set WIRELENS_E2E=1 to run the end-to-end test (needs tmux)")
	}
	tmuxPath, err := exec.LookPath("tmux")
	if err != nil {
		t.Fatal("WIRELENS_E2E=1 but tmux is not installed: ", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin = filepath.Join(dir, "wirelens")
	build := exec.Command("go", "build", "-o", bin, "./cmd/wirelens")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/wirelens: %v\n%s", err, out)
	}
	capture = pickCapture(t, root)
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	tm = &tmux{t: t, path: tmuxPath, socket: fmt.Sprintf("wirelens-e2e-%d", os.Getpid()), home: home}
	t.Cleanup(tm.killServer)
	return bin, capture, tm
}

// pickCapture prefers a real capture with checksum offload in it, then the
// crafted bad-checksum one, then any capture in testdata.
func pickCapture(t *testing.T, root string) string {
	for _, pattern := range []string{
		"testdata/captures/veth-offload-a-eth.pcap",
		"testdata/crafted/tcp-bad-cksum.pcap",
		"testdata/captures/*.pcap",
		"testdata/crafted/*.pcap",
		"decode/capfile/testdata/*.pcap",
	} {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		if len(m) > 0 {
			return m[0]
		}
	}
	t.Fatal("no capture under testdata/captures or testdata/crafted")
	return ""
}

type tmux struct {
	t      *testing.T
	path   string
	socket string // a private server: -L socket
	home   string // HOME for the program: no user preferences file
}

func (m *tmux) run(args ...string) (string, error) {
	cmd := exec.Command(m.path, append([]string{"-L", m.socket}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (m *tmux) must(args ...string) string {
	m.t.Helper()
	out, err := m.run(args...)
	if err != nil {
		m.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (m *tmux) killServer() { _, _ = m.run("kill-server") }

// start runs the command line in a new 120x35 session and returns its name.
func (m *tmux) start(name string, env []string, argv ...string) string {
	m.t.Helper()
	quoted := make([]string, 0, len(env)+len(argv))
	for _, s := range append(append([]string{}, env...), argv...) {
		quoted = append(quoted, "'"+strings.ReplaceAll(s, "'", `'\''`)+"'")
	}
	// After the program ends, print its status and keep the pane for reading.
	line := "env HOME='" + m.home + "' XDG_CONFIG_HOME='" + filepath.Join(m.home, ".config") + "' " + strings.Join(quoted, " ") +
		"; echo WIRELENS-EXIT=$?; sleep 60"
	m.must("new-session", "-d", "-x", "120", "-y", "35", "-s", name, "sh", "-c", line)
	return name
}

func (m *tmux) screen(name string) string {
	return m.must("capture-pane", "-p", "-t", name)
}

func (m *tmux) keys(name string, keys ...string) {
	m.t.Helper()
	m.must(append([]string{"send-keys", "-t", name}, keys...)...)
}

// literal types text (no key-name lookup).
func (m *tmux) literal(name, text string) {
	m.t.Helper()
	m.must("send-keys", "-t", name, "-l", text)
}

// waitFor polls the screen until it contains all of want.
func (m *tmux) waitFor(name string, want ...string) string {
	m.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := m.screen(name)
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *tmux) waitGone(name string, text string) string {
	m.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := m.screen(name)
		if !strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("screen still shows %q:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func statusLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "packets") || strings.Contains(lines[i], "shown") {
			return lines[i]
		}
	}
	return ""
}

func TestE2EBrowse(t *testing.T) {
	bin, capture, tm := e2eSetup(t)
	s := tm.start("main", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, capture)
	base := filepath.Base(capture)
	screen := tm.waitFor(s, "Filter:", "No.", "Checks", "Info", "Packet details", "Packet bytes", base, "packets", "check all")
	t.Logf("start:\n%s", screen)
	if strings.Contains(screen, "reading") {
		screen = tm.waitGone(s, "reading")
	}

	// help overlay
	tm.keys(s, "?")
	tm.waitFor(s, "wirelens help", "next / previous packet with a bad checksum")
	tm.keys(s, "Escape")
	tm.waitGone(s, "wirelens help")

	// next bad checksum (or a message saying there is none)
	tm.keys(s, "n")
	time.Sleep(200 * time.Millisecond)
	screen = tm.screen(s)
	t.Logf("after n:\n%s", screen)
	if !strings.Contains(screen, "incorrect") && !strings.Contains(screen, "no bad checksum") {
		t.Errorf("n showed neither a bad checksum nor a message:\n%s", screen)
	}

	// goto packet 1
	tm.keys(s, ":")
	tm.waitFor(s, "Go to packet:")
	tm.literal(s, "1")
	tm.keys(s, "Enter")
	screen = tm.waitFor(s, "Frame 1:")

	// validation dialog: switch TCP off; the status bar says so at once
	tm.keys(s, "c")
	tm.waitFor(s, "Checksum validation", "TCP (tcp)")
	tm.keys(s, "Down", "Space")
	screen = tm.waitFor(s, "[ ] TCP (tcp)")
	t.Logf("dialog:\n%s", screen)
	tm.keys(s, "Escape")
	tm.waitGone(s, "Checksum validation")
	screen = tm.waitFor(s, "check all but tcp")
	// Opening a file records it for the start screen (the "recent" list);
	// the preferences must not be written until s is pressed.
	if _, err := os.Stat(filepath.Join(tm.home, ".config", "wirelens", "preferences")); err == nil {
		t.Error("preferences written without s")
	}
	tm.keys(s, "c")
	tm.waitFor(s, "Checksum validation")
	tm.keys(s, "Space")
	tm.waitFor(s, "[✓] TCP (tcp)")
	tm.keys(s, "Escape")
	tm.waitGone(s, "Checksum validation")
	if st := statusLine(tm.screen(s)); !strings.HasSuffix(strings.TrimSpace(st), "check all") {
		t.Errorf("TCP validation not back on: %q", st)
	}

	// display filter: a bad one is reported, a good one filters
	tm.keys(s, "/")
	tm.literal(s, "tcp.port ==")
	tm.waitFor(s, "Filter: tcp.port ==")
	tm.keys(s, "Enter")
	time.Sleep(200 * time.Millisecond)
	screen = tm.screen(s)
	t.Logf("bad filter:\n%s", screen)
	if st := statusLine(screen); strings.Contains(st, " shown") {
		t.Errorf("a bad filter was applied: %q", st)
	}
	tm.keys(s, "C-u")
	tm.literal(s, "tcp")
	tm.keys(s, "Enter")
	screen = tm.waitFor(s, " shown (")
	t.Logf("filtered:\n%s", screen)
	tm.keys(s, "/", "C-u", "Enter")
	tm.waitGone(s, " shown (")

	// zoom the bytes pane, then quit
	tm.keys(s, "Tab", "Tab")
	tm.waitFor(s, "▶ Packet bytes")
	tm.keys(s, "z")
	screen = tm.waitGone(s, "Packet details")
	if !strings.Contains(screen, "0000  ") {
		t.Errorf("zoomed bytes pane:\n%s", screen)
	}
	t.Logf("zoomed bytes:\n%s", screen)
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}

// TestE2ETerminals opens the UI under each TERM (and NO_COLOR) and quits.
func TestE2ETerminals(t *testing.T) {
	bin, capture, tm := e2eSetup(t)
	for i, env := range [][]string{
		{"TERM=xterm-256color", "LANG=C.UTF-8"},
		{"TERM=screen-256color", "LANG=C.UTF-8"},
		{"TERM=tmux-256color", "LANG=C.UTF-8"},
		{"TERM=linux", "LANG=C.UTF-8"},
		{"TERM=vt100", "LANG=C"},
		{"TERM=vt100", "LANG=C.UTF-8"},
		{"TERM=no-such-terminal", "LANG=C.UTF-8"},
		{"TERM=xterm-256color", "LANG=C.UTF-8", "NO_COLOR=1"},
	} {
		t.Run(strings.Join(env, ","), func(t *testing.T) {
			tm.t = t
			s := tm.start(fmt.Sprintf("term%d", i), env, bin, capture)
			screen := tm.waitFor(s, "Filter:", "No.", "Packet details", "packets")
			if strings.Contains(env[1], "LANG=C") && !strings.Contains(env[1], "UTF") {
				t.Logf("%s:\n%s", env[0], screen)
			}
			// vt100, the Linux console and an unknown terminal (drawn as a
			// basic one) get ASCII only, whatever the locale.
			if env[0] == "TERM=vt100" || env[0] == "TERM=linux" || env[0] == "TERM=no-such-terminal" {
				for _, r := range screen {
					if r > 0x7e {
						t.Errorf("%s %s drew %q:\n%s", env[0], env[1], r, screen)
						break
					}
				}
			}
			if env[0] == "TERM=no-such-terminal" && !strings.Contains(screen, "is unknown here") {
				t.Errorf("an unknown TERM is not named:\n%s", screen)
			}
			tm.keys(s, "j", "?")
			tm.waitFor(s, "wirelens help")
			tm.keys(s, "q", "q")
			tm.waitFor(s, "WIRELENS-EXIT=0")
		})
	}
}

// TestE2EReport opens the checksum report (e) on the demo capture, follows
// its suspect line to the damaged frames and walks them with n.
func TestE2EReport(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	demo, err := filepath.Abs("../cmd/wirelens/demo.pcap")
	if err != nil {
		t.Fatal(err)
	}
	s := tm.start("report", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin, demo)
	tm.waitFor(s, "Filter:", "83 packets")
	tm.waitGone(s, "reading")
	tm.keys(s, "e")
	screen := tm.waitFor(s, "Checksum report - demo.pcap: 83 frames", "Verdict", "no offload pattern", "frames 6, 42, 64",
		"Checksums by protocol", "Enter show packets")
	t.Logf("report:\n%s", screen)
	// the first verdict line, selected on opening, is the suspect one
	tm.keys(s, "Enter")
	screen = tm.waitFor(s, `Filter: wirelens.hint == "suspect"`, "3 of 83 shown", "Frame 6:")
	t.Logf("suspect frames:\n%s", screen)
	tm.keys(s, "n")
	tm.waitFor(s, "Frame 42:")
	tm.keys(s, "n")
	tm.waitFor(s, "0x15f8 incorrect") // frame 64's TCP checksum; the tree scrolls to it

	// switching TCP validation off from the report recomputes it
	tm.keys(s, "e")
	tm.waitFor(s, "Checksum report")
	tm.keys(s, "c")
	tm.waitFor(s, "Checksum validation")
	tm.keys(s, "Down", "Space")
	tm.waitFor(s, "[ ] TCP (tcp)")
	tm.keys(s, "Escape")
	tm.waitGone(s, "Checksum validation") // two quick Escapes would read as Alt-Escape
	screen = tm.waitFor(s, "Not validated (switched off): TCP")
	t.Logf("TCP off:\n%s", screen)
	tm.keys(s, "Escape")
	tm.waitGone(s, "Checksum report")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}

// TestE2EReportSmall checks the report at 80x24 without colour.
func TestE2EReportSmall(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	demo, _ := filepath.Abs("../cmd/wirelens/demo.pcap")
	s := tm.start("small", []string{"TERM=xterm-256color", "LANG=C.UTF-8", "NO_COLOR=1"}, bin, demo)
	tm.must("resize-window", "-t", s, "-x", "80", "-y", "24")
	tm.waitFor(s, "83 packets")
	tm.keys(s, "e")
	screen := tm.waitFor(s, "Checksum report", "Verdict", "Esc close")
	for i, l := range strings.Split(screen, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line %d wider than 80: %q", i, l)
		}
	}
	// Esc and q apart: sent together they read as Alt-q
	tm.keys(s, "Escape")
	tm.waitGone(s, "Checksum report")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
}

// TestE2EStartScreen runs wirelens with no arguments: the start screen,
// then the demo from it. It needs cmd/wirelens to call ui.Run(nil, ...);
// until then the binary says it needs a capture and the test is skipped.
func TestE2EStartScreen(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	s := tm.start("start", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, bin)
	deadline := time.Now().Add(10 * time.Second)
	var screen string
	for {
		screen = tm.screen(s)
		if strings.Contains(screen, "no capture file") {
			t.Skip("cmd/wirelens does not show the start screen yet (ui.Run(nil, opts) not wired)")
		}
		if strings.Contains(screen, "Capture files") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no start screen:\n%s", screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	screen = tm.waitFor(s, "Capture files", "Demo capture", "Network interfaces", "Enter open")
	t.Logf("start screen:\n%s", screen)
	tm.keys(s, "Enter")
	tm.waitFor(s, "Filter:", "packets", "demo")
	tm.keys(s, "q")
	tm.waitFor(s, "WIRELENS-EXIT=0")
	// the demo is not a recent file
	if data, err := os.ReadFile(filepath.Join(tm.home, ".config", "wirelens", "recent")); err == nil && strings.Contains(string(data), "demo") {
		t.Errorf("demo recorded as recent: %q", data)
	}
}

// TestE2ELive captures on the loopback device of a fresh network namespace
// (so nothing but the test's pings is seen): rows appear and the newest is
// followed, Space pauses, End follows again, Ctrl-S saves all, then only
// the filtered packets, and the saved files read back. It needs root (and
// fails, rather than skips, without it under CI=true).
func TestE2ELive(t *testing.T) {
	bin, _, tm := e2eSetup(t)
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("WIRELENS_E2E=1 CI=true: the live capture test needs root")
		}
		t.Skip("the live capture test needs root (network namespaces, packet sockets)")
	}
	ipPath, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal("the live capture test needs ip(8): ", err)
	}
	ns := fmt.Sprintf("wirelens-e2e-%d", os.Getpid())
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ipPath, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", ns)
	t.Cleanup(func() { exec.Command(ipPath, "netns", "del", ns).Run() })
	ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
	ping := func(n int) {
		t.Helper()
		ip("netns", "exec", ns, "ping", "-c", fmt.Sprint(n), "-i", "0.2", "-W", "1", "127.0.0.1")
	}

	s := tm.start("live", []string{"TERM=tmux-256color", "LANG=C.UTF-8"}, ipPath, "netns", "exec", ns, bin, "-i", "lo")
	screen := tm.waitFor(s, "Filter:", "live: lo", "● live", "0 packets", "0 dropped")
	t.Logf("empty live capture:\n%s", screen)

	// three pings: six frames (the sent copies on lo are left out); the
	// newest is selected
	ping(3)
	screen = tm.waitFor(s, "Echo (ping) request", "Echo (ping) reply", "6 packets", "Frame 6:")
	t.Logf("after 3 pings:\n%s", screen)
	if st := statusLine(screen); !strings.Contains(st, "6 received, 0 dropped") {
		t.Errorf("counters: %q", st)
	}

	// Space pauses: the count goes on, the list and selection stay
	tm.keys(s, "Space")
	tm.waitFor(s, "view paused")
	ping(2)
	screen = tm.waitFor(s, "10 packets")
	t.Logf("paused:\n%s", screen)
	if !strings.Contains(screen, "Frame 6:") || strings.Contains(screen, "Frame 10:") {
		t.Errorf("the view moved while paused:\n%s", screen)
	}

	// End follows the newest again; Up leaves it
	tm.keys(s, "End")
	tm.waitFor(s, "Frame 10:", "● live │")
	tm.keys(s, "Up")
	tm.waitFor(s, "Frame 9:", "End follows")
	ping(1)
	screen = tm.waitFor(s, "12 packets")
	if !strings.Contains(screen, "Frame 9:") {
		t.Errorf("the selection followed after Up:\n%s", screen)
	}
	tm.keys(s, "End")
	tm.waitFor(s, "Frame 12:")

	// Ctrl-S saves everything
	dir := t.TempDir()
	all := filepath.Join(dir, "all.pcapng")
	tm.keys(s, "C-s")
	screen = tm.waitFor(s, "Save packets", "File: ./wirelens-", "all 12 packets")
	t.Logf("save dialog:\n%s", screen)
	tm.keys(s, "C-u")
	tm.literal(s, all)
	tm.keys(s, "Enter")
	tm.waitFor(s, "saved 12 packets to "+all)

	// with a display filter, only what it shows
	tm.keys(s, "/")
	tm.literal(s, "icmp.type == 0")
	tm.keys(s, "Enter")
	tm.waitFor(s, "6 of 12 shown")
	ping(1) // the filter follows the capture
	tm.waitFor(s, "7 of 14 shown", "Frame 14:")
	replies := filepath.Join(dir, "replies.pcapng")
	tm.keys(s, "C-s")
	tm.waitFor(s, "only the 7 shown by the filter")
	tm.keys(s, "C-u")
	tm.literal(s, replies)
	tm.keys(s, "Enter")
	tm.waitFor(s, "saved 7 packets to "+replies)

	// a file that exists is not overwritten; the error names it
	tm.keys(s, "C-s")
	tm.waitFor(s, "Save packets")
	tm.keys(s, "C-u")
	tm.literal(s, all)
	tm.keys(s, "Enter")
	screen = tm.waitFor(s, "cannot save (it already exists): "+all)
	t.Logf("error:\n%s", statusLine(screen))

	tm.keys(s, "q")
	screen = tm.waitFor(s, "WIRELENS-EXIT=0")
	t.Logf("after quitting:\n%s", screen)

	read := func(path string, fields ...string) string {
		t.Helper()
		args := []string{"-r", path, "-T", "fields"}
		for _, f := range fields {
			args = append(args, "-e", f)
		}
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("wirelens %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if got, want := read(all, "frame.number"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"; got != want {
		t.Errorf("all.pcapng frames:\n%s\nwant\n%s", got, want)
	}
	if got, want := read(replies, "frame.number", "icmp.type"), "1\t0\n2\t0\n3\t0\n4\t0\n5\t0\n6\t0\n7\t0\n"; got != want {
		t.Errorf("replies.pcapng:\n%s\nwant\n%s", got, want)
	}
	if tshark, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command(tshark, "-r", all, "-T", "fields", "-e", "frame.number").Output()
		if err != nil || strings.Count(string(out), "\n") != 12 {
			t.Errorf("tshark -r all.pcapng: %v\n%s", err, out)
		}
	}
}
