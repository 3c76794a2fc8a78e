package remote_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
)

// These tests run a real OpenSSH server (Debian's openssh-server) in a
// network namespace, with keys made here, and capture through it with the
// built wirelens binary exactly as a user would. They need root and run with
// WIRELENS_LIVE_TESTS=1; under CI=true anything missing fails them.

func liveEnabled() bool { return os.Getenv("WIRELENS_LIVE_TESTS") == "1" }

func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if liveEnabled() && os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// sshLab is a client namespace and a server namespace running sshd, joined
// by a veth pair; the client's ssh is configured through
// WIRELENS_SSH_COMMAND, as a user's would be through ~/.ssh/config.
type sshLab struct {
	dir          string
	nsC, nsS     string
	ipC, ipS     string
	ifC, ifS     string
	wirelens     string // the binary under test
	sshCmd       string
	sshdPid      int
	remotePushes string // where pushed binaries land on the server (TMPDIR)
}

const testUser = "wlsshtest"

func newLab(t *testing.T) *sshLab {
	t.Helper()
	if !liveEnabled() {
		t.Skip("remote capture test: set WIRELENS_LIVE_TESTS=1 and run as root")
	}
	if os.Geteuid() != 0 {
		missing(t, "remote capture tests need root (uid %d)", os.Geteuid())
	}
	for _, tool := range []string{"ip", "ssh", "ssh-keygen", "/usr/sbin/sshd", "tcpdump", "dumpcap", "ping"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, "%s is not installed (apt-get install openssh-server openssh-client tcpdump tshark iputils-ping)", tool)
		}
	}
	// Not t.TempDir: its parent is 0700, and sshd reads the unprivileged
	// user's keys as that user.
	dir, err := os.MkdirTemp("", "wlssh")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	l := &sshLab{dir: dir, ipC: "10.232.0.1", ipS: "10.232.0.2", ifC: "wlrC", ifS: "wlrS"}
	pid := os.Getpid()
	l.nsC, l.nsS = fmt.Sprintf("wlrc%d", pid), fmt.Sprintf("wlrs%d", pid)
	for _, ns := range []string{l.nsC, l.nsS} {
		ns := ns
		exec.Command("ip", "netns", "del", ns).Run()
		run(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		run(t, "ip", "-n", ns, "link", "set", "lo", "up")
		run(t, "ip", "netns", "exec", ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6")
	}
	run(t, "ip", "-n", l.nsC, "link", "add", l.ifC, "type", "veth", "peer", "name", l.ifS, "netns", l.nsS)
	run(t, "ip", "-n", l.nsC, "addr", "add", l.ipC+"/24", "dev", l.ifC)
	run(t, "ip", "-n", l.nsS, "addr", "add", l.ipS+"/24", "dev", l.ifS)
	run(t, "ip", "-n", l.nsC, "link", "set", l.ifC, "up")
	run(t, "ip", "-n", l.nsS, "link", "set", l.ifS, "up")
	run(t, "ip", "netns", "exec", l.nsC, "ping", "-c", "1", "-W", "2", l.ipS)

	// The binary under test, and a directory the server's PATH can hold it in.
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	l.wirelens = filepath.Join(bin, "wirelens")
	build := exec.Command("go", "build", "-o", l.wirelens, "github.com/wirelens/wirelens/cmd/wirelens")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	empty := filepath.Join(dir, "emptybin")
	os.Mkdir(empty, 0o755)
	l.remotePushes = filepath.Join(dir, "pushes")
	os.Mkdir(l.remotePushes, 0o1777)

	// Keys: the host's, root's (PATH with wirelens), root's with no tools at
	// all, and an unprivileged user's.
	key := func(name string) string {
		p := filepath.Join(dir, name)
		run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p)
		return strings.TrimSpace(run(t, "cat", p+".pub"))
	}
	hostKey := filepath.Join(dir, "hostkey")
	run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey)
	sysPath := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	keys := filepath.Join(dir, "keys")
	os.Mkdir(keys, 0o755)
	rootKeys := fmt.Sprintf("environment=\"PATH=%s:%s\",environment=\"TMPDIR=%s\" %s\n", bin, sysPath, l.remotePushes, key("root"))
	rootKeys += fmt.Sprintf("environment=\"PATH=%s\",environment=\"TMPDIR=%s\" %s\n", sysPath, l.remotePushes, key("root-notools-path"))
	os.WriteFile(filepath.Join(keys, "root"), []byte(rootKeys), 0o644)
	if _, err := exec.Command("id", testUser).CombinedOutput(); err != nil {
		run(t, "useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", testUser)
	}
	// useradd leaves the account locked ("!"), which sshd refuses without PAM;
	// "*" is no password at all, and keys still work.
	run(t, "usermod", "-p", "*", testUser)
	os.WriteFile(filepath.Join(keys, testUser), []byte(fmt.Sprintf("environment=\"PATH=%s:%s\" %s\n", bin, sysPath, key("user"))), 0o644)
	// A key whose PATH has no capture tool, for root.
	os.WriteFile(filepath.Join(keys, "root"), []byte(rootKeys+fmt.Sprintf("environment=\"PATH=%s\" %s\n", empty, key("notools"))), 0o644)

	os.MkdirAll("/run/sshd", 0o755)
	l.sshdPid = l.startSSHD(t, l.nsS, l.ipS, "s", hostKey, keys)
	// The client's end runs one too, for capturing both ends at once.
	l.startSSHD(t, l.nsC, l.ipC, "c", hostKey, keys)
	l.sshCmd = l.ssh("root")
	return l
}

// startSSHD runs an sshd in namespace ns on ip and returns its pid.
func (l *sshLab) startSSHD(t *testing.T, ns, ip, name, hostKey, keys string) int {
	t.Helper()
	dir := l.dir
	cfg := filepath.Join(dir, "sshd_config-"+name)
	pidFile := filepath.Join(dir, "sshd-"+name+".pid")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`Port 22
ListenAddress %s
HostKey %s
PidFile %s
AuthorizedKeysFile %s/%%u
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PermitUserEnvironment yes
LogLevel ERROR
`, ip, hostKey, pidFile, keys)), 0o644)
	sshd := exec.Command("ip", "netns", "exec", ns, "/usr/sbin/sshd", "-f", cfg, "-D", "-e")
	var sshdErr syncBuffer
	sshd.Stderr = &sshdErr
	if err := sshd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sshd.Process.Kill()
		// Wait would block while a session's process still holds sshd's
		// standard error; a capture left running is a failure of its own.
		done := make(chan struct{})
		go func() { sshd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("a remote session outlived sshd by 10 s: a capture was left running")
		}
	})
	for i := 0; ; i++ {
		b, err := os.ReadFile(pidFile)
		if err == nil {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return pid
		}
		if i > 50 {
			t.Fatalf("sshd did not start: %s", sshdErr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ssh is the client command for one of the keys.
func (l *sshLab) ssh(keyName string) string {
	return strings.Join([]string{"ssh", "-F", "/dev/null", "-i", filepath.Join(l.dir, keyName),
		"-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + filepath.Join(l.dir, "known_hosts"),
		"-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=5"}, " ")
}

// wl runs the wirelens binary in the client namespace.
func (l *sshLab) wl(sshCmd string, args ...string) *exec.Cmd {
	cmd := exec.Command("ip", append([]string{"netns", "exec", l.nsC, l.wirelens}, args...)...)
	cmd.Env = append(os.Environ(), "WIRELENS_SSH_COMMAND="+sshCmd, "CI=")
	return cmd
}

// pings sends count echo requests from the client to the server, their
// payload filled with the byte pattern (ping -p), spaced so a capture sees
// them as separate frames.
func (l *sshLab) pings(t *testing.T, count int, pattern string) {
	t.Helper()
	run(t, "ip", "netns", "exec", l.nsC, "ping", "-c", strconv.Itoa(count), "-i", "0.2", "-W", "2", "-p", pattern, l.ipS)
}

// warmUp pings (pattern aa) until the capture writing path has a frame:
// the remote tool opens its socket a moment after ssh connects, and a
// frame sent before then is rightly missing.
func (l *sshLab) warmUp(t *testing.T, paths ...string) {
	t.Helper()
	// dumpcap takes a second or two to open its socket on a busy machine.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		l.pings(t, 1, "aa")
		ready := true
		for _, p := range paths {
			ready = ready && tagged(p, 0xaa) > 0
		}
		if ready {
			return
		}
		if time.Now().After(deadline) {
			var sizes []string
			for _, p := range paths {
				st, err := os.Stat(p)
				if err != nil {
					sizes = append(sizes, err.Error())
					continue
				}
				sizes = append(sizes, fmt.Sprintf("%s: %d bytes", p, st.Size()))
			}
			t.Fatalf("no frame reached %v after %d pings", sizes, i+1)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// tagged counts the frames of a (possibly still growing) capture whose
// payload holds the ping pattern byte b.
func tagged(path string, b byte) int {
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		return 0
	}
	defer rd.Close()
	n := 0
	pat := bytes.Repeat([]byte{b}, 16)
	for {
		_, data, err := rd.Next()
		if err != nil {
			return n
		}
		if bytes.Contains(data, pat) {
			n++
		}
	}
}

// waitTagged waits until path holds want frames with pattern b.
func waitTagged(t *testing.T, path string, b byte, want int) {
	t.Helper()
	for i := 0; tagged(path, b) < want; i++ {
		if i > 100 {
			t.Errorf("%s has %d frames of the counted pings; want %d", path, tagged(path, b), want)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// frames reads a capture and returns, sorted, a hash of each frame of the
// counted pings (payload pattern 55), and the capture's interfaces.
func frames(t *testing.T, path string) (hashes []string, ifaces []capfile.Interface) {
	t.Helper()
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rd.Close()
	pat := bytes.Repeat([]byte{0x55}, 16)
	for {
		_, data, err := rd.Next()
		if err != nil {
			break
		}
		if bytes.Contains(data, pat) {
			hashes = append(hashes, fmt.Sprintf("%x", sha256.Sum256(data)))
		}
	}
	sort.Strings(hashes)
	return hashes, rd.Interfaces()
}

// startWait starts cmd and waits until its stderr says the capture runs.
func startCapture(t *testing.T, cmd *exec.Cmd) *syncBuffer {
	t.Helper()
	errb := &syncBuffer{}
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; !strings.Contains(errb.String(), "Capturing on") && !strings.Contains(errb.String(), "listening on"); i++ {
		if i > 100 {
			cmd.Process.Kill()
			t.Fatalf("the capture did not start: %s", errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errb
}

// waitOrKill waits for cmd, killing it (and failing the test) if it has
// not ended 20 s after being told to: a hang is a failure, not a timeout.
func waitOrKill(t *testing.T, cmd *exec.Cmd, what string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Errorf("%s did not end within 20 s of being stopped", what)
		return <-done
	}
}

// TestRemoteCapture captures through ssh with each remote tool and checks
// the frames equal those a local capture on the same interface saw, and
// that the remote interface's description reached the pcapng.
func TestRemoteCapture(t *testing.T) {
	l := newLab(t)
	for _, tc := range []struct {
		name, tool string
		extra      []string
		wantTool   string
	}{
		{"auto-finds-wirelens", "auto", nil, "wirelens"},
		{"tcpdump", "tcpdump", nil, "tcpdump"},
		{"dumpcap", "dumpcap", nil, "dumpcap"},
		{"push", "wirelens", []string{"--push"}, "wirelens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ref := filepath.Join(dir, "ref.pcapng")
			got := filepath.Join(dir, "remote.pcapng")
			local := exec.Command("ip", "netns", "exec", l.nsS, l.wirelens, "-i", l.ifS, "-w", ref, "icmp")
			startCapture(t, local)
			sshCmd := l.sshCmd
			if tc.name == "push" {
				sshCmd = l.ssh("root-notools-path") // no wirelens on its PATH: only the pushed one
			}
			args := append([]string{"-i", "ssh://root@" + l.ipS + "/" + l.ifS, "--remote-tool", tc.tool, "-w", got}, tc.extra...)
			args = append(args, "icmp")
			rc := l.wl(sshCmd, args...)
			errb := startCapture(t, rc)
			l.warmUp(t, ref, got)
			l.pings(t, 5, "55")
			waitTagged(t, got, 0x55, 10)
			waitTagged(t, ref, 0x55, 10)
			rc.Process.Signal(os.Interrupt)
			local.Process.Signal(os.Interrupt)
			if err := waitOrKill(t, rc, "the remote capture"); err != nil {
				t.Fatalf("remote capture: %v\n%s", err, errb.String())
			}
			waitOrKill(t, local, "the local capture")
			if !strings.Contains(errb.String(), "with "+tc.wantTool+" on "+l.ipS) {
				t.Errorf("stderr does not name the tool %s: %s", tc.wantTool, errb.String())
			}
			if !strings.Contains(errb.String(), "SSH session's own packets are left out") {
				t.Errorf("stderr does not say the SSH traffic is excluded: %s", errb.String())
			}
			want, _ := frames(t, ref)
			have, ifs := frames(t, got)
			if len(want) < 10 {
				t.Fatalf("the local reference capture has %d frames; want the 10 of 5 pings", len(want))
			}
			if strings.Join(want, "\n") != strings.Join(have, "\n") {
				t.Errorf("remote capture has %d frames, the local one on the same interface %d; they differ", len(have), len(want))
			}
			if len(ifs) == 0 || ifs[0].Name != l.ipS+":"+l.ifS {
				t.Errorf("interfaces %+v; want one named %s:%s", ifs, l.ipS, l.ifS)
			}
			if len(ifs) > 0 && (!strings.Contains(ifs[0].Description, "offloads rx-csum") || !strings.Contains(ifs[0].Description, "veth")) {
				t.Errorf("interface description %q: want the remote veth's driver and offloads", ifs[0].Description)
			}
			if tc.name == "push" {
				left, _ := filepath.Glob(filepath.Join(l.remotePushes, "wirelens-push.*"))
				if len(left) > 0 {
					t.Errorf("the pushed binary was left behind: %v", left)
				}
			}
		})
	}
}

// TestRemoteFailures checks that every way a remote capture cannot start
// gets a message naming the host and what to do.
func TestRemoteFailures(t *testing.T) {
	l := newLab(t)
	for _, tc := range []struct {
		name   string
		ssh    string
		target string
		args   []string
		want   string
	}{
		{"unreachable", l.sshCmd, "ssh://root@10.232.0.99/eth0", nil, "cannot reach 10.232.0.99"},
		{"auth", l.ssh("user"), "ssh://nosuchuser@" + l.ipS + "/" + l.ifS, nil, "ssh could not log in"},
		{"no-tool", l.ssh("notools"), "ssh://root@" + l.ipS + "/" + l.ifS, nil, "no capture tool on " + l.ipS},
		{"no-iface", l.sshCmd, "ssh://root@" + l.ipS + "/nosuch0", nil, `has no interface "nosuch0"`},
		{"no-permission", l.ssh("user"), "ssh://" + testUser + "@" + l.ipS + "/" + l.ifS, []string{"--remote-tool", "tcpdump"}, "may not capture on " + l.ifS},
		{"bad-target", l.sshCmd, "ssh://-oProxyCommand=evil/eth0", nil, "is not a host name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "x.pcapng")
			cmd := l.wl(tc.ssh, append([]string{"-i", tc.target, "-w", out, "-c", "1"}, tc.args...)...)
			b, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("succeeded: %s", b)
			}
			if !strings.Contains(string(b), tc.want) {
				t.Errorf("message %q; want it to say %q", b, tc.want)
			}
			// With sudo installed (CI installs it), the refused sudo -n is named.
			if _, err := exec.LookPath("sudo"); tc.name == "no-permission" && (err == nil || os.Getenv("CI") == "true") &&
				!strings.Contains(string(b), "sudo there asks for a password") {
				t.Errorf("message %q; want it to say sudo -n was refused", b)
			}
		})
	}
}

// TestRemoteConnectionDrop cuts the ssh session mid-capture: the frames so
// far are kept and the message says the connection dropped.
func TestRemoteConnectionDrop(t *testing.T) {
	l := newLab(t)
	got := filepath.Join(t.TempDir(), "remote.pcapng")
	rc := l.wl(l.sshCmd, "-i", "ssh://root@"+l.ipS+"/"+l.ifS, "--remote-tool", "tcpdump", "-w", got, "icmp")
	errb := startCapture(t, rc)
	l.warmUp(t, got)
	l.pings(t, 3, "55")
	waitTagged(t, got, 0x55, 6)
	// The session's sshd processes are the children of the listening one.
	killed := 0
	for _, pid := range children(l.sshdPid) {
		if syscallKill(pid) == nil {
			killed++
		}
	}
	if killed == 0 {
		t.Fatal("found no sshd session to cut")
	}
	err := waitOrKill(t, rc, "the remote capture")
	if err == nil {
		t.Fatalf("a dropped connection exited 0: %s", errb.String())
	}
	if !strings.Contains(errb.String(), "dropped after") || !strings.Contains(errb.String(), "packets so far are kept") {
		t.Errorf("message %q; want it to say the connection dropped and the packets are kept", errb.String())
	}
	have, _ := frames(t, got)
	if len(have) < 6 {
		t.Errorf("%d frames kept; want the 6 of 3 pings", len(have))
	}
}

// TestRemoteList lists the server's interfaces through ssh.
func TestRemoteList(t *testing.T) {
	l := newLab(t)
	b, err := l.wl(l.sshCmd, "-D", "ssh://root@"+l.ipS).CombinedOutput()
	if err != nil {
		t.Fatalf("-D: %v\n%s", err, b)
	}
	s := string(b)
	for _, want := range []string{l.ifS + " [up] mtu 1500 " + l.ipS + "/24 driver veth", "offloads: rx-csum tx-csum", "capture tools: wirelens tcpdump dumpcap", "logged in as root"} {
		if !strings.Contains(s, want) {
			t.Errorf("-D output lacks %q:\n%s", want, s)
		}
	}
}

// TestRemoteCompareBothEnds captures both ends of the veth at once, each
// through its own ssh session, and compares them as the frames arrive:
// nothing is damaged on the way, so every counted ping is the same at both
// ends.
func TestRemoteCompareBothEnds(t *testing.T) {
	l := newLab(t)
	cmd := l.wl(l.sshCmd, "--compare", "ssh://root@"+l.ipC+"/"+l.ifC, "ssh://root@"+l.ipS+"/"+l.ifS,
		"-f", "icmp", "-a", "duration:9", "-T", "fields", "-e", "frame.number", "-e", "wirelens.compare.status",
		"-e", "wirelens.compare.peer", "-Y", "icmp and data.data contains 55:55:55:55")
	var out syncBuffer
	cmd.Stdout = &out
	errb := startCapture(t, cmd)
	for i := 0; strings.Count(errb.String(), "Capturing on") < 2; i++ {
		if i > 100 {
			t.Fatalf("both captures did not start: %s", errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // both remote tools open their sockets
	l.pings(t, 5, "55")
	if err := waitOrKill(t, cmd, "the comparison"); err != nil {
		t.Fatalf("--compare of two remote captures: %v\n%s", err, errb.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 10 {
		t.Fatalf("%d rows for the 10 frames of 5 pings:\n%s\nstderr: %s", len(rows), out.String(), errb.String())
	}
	for _, r := range rows {
		f := strings.Split(r, "\t")
		if len(f) != 3 || f[1] != "same" || f[2] == "" {
			t.Errorf("row %q: want each ping frame the same at both ends, with its peer", r)
		}
	}
}
