package remote

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/live"
)

// Options say how to capture on the remote host.
type Options struct {
	Filter  string // capture filter in tcpdump's syntax
	SnapLen int    // 0: the tool's default
	Tool    string // auto (default), wirelens, tcpdump or dumpcap
	Push    bool   // copy this wirelens binary over and run it (removed afterwards)
	KeepSSH bool   // do not exclude the SSH session's own packets
	// SSH is the ssh command and its options; nil reads $WIRELENS_SSH_COMMAND
	// (split on spaces, as git's GIT_SSH_COMMAND), else "ssh".
	SSH []string
}

// sshCommand is the ssh client to run. BatchMode keeps it from asking for a
// password on a terminal the TUI owns (use an agent or a key); the alive
// checks notice a dead connection within about 30 s instead of hanging.
func (o Options) sshCommand() []string {
	c := o.SSH
	if c == nil {
		if s := strings.Fields(os.Getenv("WIRELENS_SSH_COMMAND")); len(s) > 0 {
			c = s
		} else {
			c = []string{"ssh"}
		}
	}
	return append(append([]string(nil), c...),
		"-o", "BatchMode=yes", "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3", "-T")
}

// Capture is a capture running on a remote host.
type Capture struct {
	Target Target
	Info   *HostInfo

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
	br     *bufio.Reader
	stderr *tailBuffer
	waited chan struct{}
	werr   error
	stop   sync.Once
	got    atomic.Int64 // frames written so far (for the messages)
}

// Start connects, describes the remote interface and starts the capture.
// The returned Capture's Stream is the capture; Info says what the remote
// host is and which tool it runs.
func Start(ctx context.Context, t Target, o Options) (*Capture, error) {
	if t.Iface == "" {
		return nil, fmt.Errorf("%s: no interface named: want %s/INTERFACE", t, t)
	}
	pushed := ""
	if o.Push {
		p, err := push(ctx, t, o)
		if err != nil {
			return nil, err
		}
		pushed = p
	}
	c := &Capture{Target: t, stderr: &tailBuffer{max: 8 << 10}, waited: make(chan struct{})}
	argv := append(o.sshCommand(), t.sshArgs()...)
	argv = append(argv, captureCommand(t, o, pushed))
	var err error
	c.cmd = exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.cmd.Stderr = c.stderr
	// Held open and never written: the remote script ends the capture when
	// it closes (see captureScript), which is how Stop asks politely.
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	// Its own process group: Ctrl-C in a batch run reaches wirelens, which
	// stops ssh in order, rather than killing ssh before the frames so far
	// are written out.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if c.stdout, err = c.cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: cannot run %s: %w", t, argv[0], err)
	}
	go func() {
		c.werr = c.cmd.Wait()
		close(c.waited)
	}()
	c.br = bufio.NewReaderSize(c.stdout, 64<<10)
	info, ierr := readInfo(c.br)
	c.Info = info
	if ierr != nil || info.Error != "" {
		c.Stop()
		<-c.waited
		return nil, c.failure(ierr)
	}
	return c, nil
}

// Stream is the capture tool's output: pcap (tcpdump) or pcapng.
func (c *Capture) Stream() io.Reader { return readerFunc(c.read) }

func (c *Capture) read(p []byte) (int, error) { return c.br.Read(p) }

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// Stop ends the capture: closing ssh's standard input tells the remote
// script to stop the tool, which then finishes its output (a remote
// wirelens writes its counters) and the session ends by itself; ssh is
// terminated only if that takes more than 3 s, and killed after 6.
func (c *Capture) Stop() {
	c.stop.Do(func() {
		c.stdin.Close()
		if c.cmd.Process == nil {
			return
		}
		go func() {
			for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
				select {
				case <-c.waited:
					return
				case <-time.After(3 * time.Second):
					_ = syscall.Kill(-c.cmd.Process.Pid, sig)
				}
			}
		}()
	})
}

// Wait waits for ssh to end and says, in words, why the capture ended if
// it was not asked to.
func (c *Capture) Wait(asked bool) error {
	<-c.waited
	if asked || c.werr == nil {
		return nil
	}
	return c.failure(nil)
}

// failure turns ssh's exit status and the last lines of standard error
// into a message naming the host and what went wrong.
func (c *Capture) failure(ierr error) error {
	t := c.Target
	msg := c.stderr.lastLines(4)
	code := -1
	var ee *exec.ExitError
	if errors.As(c.werr, &ee) {
		code = ee.ExitCode()
	}
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(msg, x) {
				return true
			}
		}
		return false
	}
	tool := "the capture tool"
	if c.Info != nil && c.Info.Tool != "" {
		tool = c.Info.Tool
	}
	switch {
	case has("Could not resolve hostname", "Name or service not known", "No route to host", "Connection refused",
		"Connection timed out", "Network is unreachable", "Operation timed out"):
		return fmt.Errorf("%s: cannot reach %s: %s", t, t.Host, msg)
	case has("Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED"):
		return fmt.Errorf("%s: the host key of %s could not be verified (known_hosts): %s", t, t.Host, msg)
	case has("Permission denied (", "Too many authentication failures", "no matching host key"):
		return fmt.Errorf("%s: ssh could not log in to %s (wirelens runs ssh with BatchMode=yes: use a key or an agent, or ~/.ssh/config): %s", t, t.Host, msg)
	case code == exitNoTool || c.Info != nil && c.Info.Error == "no capture tool":
		return fmt.Errorf("%s: no capture tool on %s: install tcpdump there, or run with --push to copy this wirelens over", t, t.Host)
	case code == exitNoIface || c.Info != nil && strings.HasPrefix(c.Info.Error, "no interface"):
		return fmt.Errorf("%s: %s has no interface %q (wirelens -D %s%s lists them)", t, t.Host, t.Iface, Scheme, t.Host)
	case has("a password is required", "a terminal is required"):
		return fmt.Errorf("%s: capturing on %s needs root, and sudo there asks for a password: allow `sudo -n %s` for %s, or log in as root", t, t.Host, tool, c.userName())
	case has("Operation not permitted", "ermission denied", "don't have permission", "You don't have permission", "not permitted"):
		how := "log in as root or give " + tool + " the capture capability (setcap cap_net_raw,cap_net_admin=eip)"
		if c.Info != nil && c.Info.Sudo == "missing" {
			how += "; sudo is not installed there"
		} else if c.Info != nil && c.Info.Sudo == "password" {
			how += "; sudo there asks for a password"
		}
		return fmt.Errorf("%s: %s as %s may not capture on %s: %s (%s)", t, tool, c.userName(), t.Iface, msg, how)
	case code == 255 && c.got.Load() > 0 || has("closed by remote host", "Broken pipe", "Connection reset", "Timeout, server", "client_loop"):
		return fmt.Errorf("%s: the connection to %s dropped after %d packets (%s); the packets so far are kept", t, t.Host, c.got.Load(), orNothing(msg))
	case ierr != nil && !errors.Is(ierr, io.EOF):
		return fmt.Errorf("%s: %w", t, ierr)
	case code == 255:
		return fmt.Errorf("%s: ssh to %s failed: %s", t, t.Host, orNothing(msg))
	case code >= 0:
		return fmt.Errorf("%s: %s on %s exited with status %d: %s", t, tool, t.Host, code, orNothing(msg))
	case ierr != nil:
		return fmt.Errorf("%s: the connection ended before the capture started: %s", t, orNothing(msg))
	}
	return fmt.Errorf("%s: %v: %s", t, c.werr, orNothing(msg))
}

func (c *Capture) userName() string {
	if c.Info != nil && c.Info.User != "" {
		return c.Info.User
	}
	if c.Target.User != "" {
		return c.Target.User
	}
	return "the login user"
}

func orNothing(s string) string {
	if s == "" {
		return "nothing on its standard error"
	}
	return s
}

// Convert reads the remote stream and writes it as pcapng to out, each
// interface described with what the remote host said of it. It returns the
// number of frames written; count > 0 stops after that many. The output is
// flushed every 50 ms, so a live view shows frames promptly without a write
// per frame.
func (c *Capture) Convert(out io.Writer, count int) (int, error) {
	rd, err := capfile.NewReader(c.Stream(), c.Target.String(), capfile.Options{})
	if err != nil {
		if c.werr != nil || isEOF(err) {
			return 0, nil // the session ended before any capture: Wait says why
		}
		return 0, fmt.Errorf("%s: reading the capture stream: %w", c.Target, err)
	}
	w := live.NewWriter(out)
	var mu sync.Mutex
	done := make(chan struct{})
	defer close(done)
	go func() {
		tk := time.NewTicker(50 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				mu.Lock()
				w.Flush()
				mu.Unlock()
			}
		}
	}()
	ids := map[uint32]uint32{}
	desc := c.Info.describe(c.Target, nil)
	for count <= 0 || c.got.Load() < int64(count) {
		rec, data, err := rd.Next()
		if err != nil {
			mu.Lock()
			w.Flush()
			mu.Unlock()
			if isEOF(err) || c.stoppedNow() {
				return int(c.got.Load()), nil
			}
			return int(c.got.Load()), fmt.Errorf("%s: %w", c.Target, err)
		}
		mu.Lock()
		id, ok := ids[rec.Interface]
		if !ok {
			ifc := capfile.Interface{LinkType: rec.LinkType, SnapLen: 262144, FCSLen: -1}
			if src := rd.Interface(rec.Interface); src != nil {
				ifc = *src
			}
			ifc.Name = c.Target.Host + ":" + nonEmpty(ifc.Name, c.Target.Iface)
			// tcpdump and dumpcap know nothing of offloads: the description says
			// what the host told us. A remote wirelens read them from the kernel
			// itself, which beats parsing ethtool's output.
			ifc.Description = desc
			if off, has := live.ParseOffloadDescription(src0(rd, rec.Interface)); has {
				ifc.Description = c.Info.describe(c.Target, &off)
			}
			if c.Info.ClockSet {
				ifc.Comments = append(ifc.Comments[:len(ifc.Comments):len(ifc.Comments)],
					fmt.Sprintf("wirelens: the clock of %s was %+.3f ms from this host's when the capture started (within the one-way delay)", c.Target.Host, float64(c.Info.Clock)/1e6))
			}
			if id, err = w.AddInterface(ifc, live.Offloads{}); err != nil {
				mu.Unlock()
				return int(c.got.Load()), err
			}
			ids[rec.Interface] = id
		}
		rec.Interface = id
		err = w.WritePacket(rec, data)
		mu.Unlock()
		if err != nil {
			return int(c.got.Load()), err
		}
		c.got.Add(1)
	}
	mu.Lock()
	defer mu.Unlock()
	return int(c.got.Load()), w.Flush()
}

// Frames is how many frames Convert has written so far.
func (c *Capture) Frames() int { return int(c.got.Load()) }

func (c *Capture) stoppedNow() bool {
	select {
	case <-c.waited:
		return true
	default:
		return false
	}
}

// src0 is the description the capture tool gave interface i.
func src0(rd *capfile.Reader, i uint32) string {
	if ifc := rd.Interface(i); ifc != nil {
		return ifc.Description
	}
	return ""
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, os.ErrClosed)
}

// push copies this binary to a private temporary file on the host and
// returns its path; the capture script removes it when the capture ends,
// and the binary removes itself as soon as it runs (--remove-self).
func push(ctx context.Context, t Target, o Options) (string, error) {
	arch, ok := unameArch[runtime.GOARCH]
	if !ok || runtime.GOOS != "linux" {
		return "", fmt.Errorf("%s: --push copies this binary, which is for %s/%s: the remote host needs a Linux build", t, runtime.GOOS, runtime.GOARCH)
	}
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("%s: --push: cannot find this program's binary: %w", t, err)
	}
	f, err := os.Open(self)
	if err != nil {
		return "", fmt.Errorf("%s: --push: %w", t, err)
	}
	defer f.Close()
	argv := append(o.sshCommand(), t.sshArgs()...)
	argv = append(argv, pushCommand(arch))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = f
	var out bytes.Buffer
	errb := &tailBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = &limitWriter{w: &out, n: 4096}, errb
	err = cmd.Run()
	var path, remoteArch string
	for _, l := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "path="); ok {
			path = v
		}
		if v, ok := strings.CutPrefix(l, "arch="); ok {
			remoteArch = decode.Sanitize(v)
		}
	}
	if remoteArch != "" {
		return "", fmt.Errorf("%s: --push: %s runs %s, this wirelens is built for %s (build one with GOARCH for it)", t, t.Host, remoteArch, arch)
	}
	if err != nil || path == "" || !strings.HasPrefix(path, "/") {
		c := &Capture{Target: t, stderr: errb, werr: err}
		return "", fmt.Errorf("--push: %w", c.failure(errors.New("no path")))
	}
	return path, nil
}

// unameArch maps GOARCH to what uname -m prints there.
var unameArch = map[string]string{
	"amd64": "x86_64", "arm64": "aarch64", "386": "i686", "ppc64le": "ppc64le",
	"s390x": "s390x", "riscv64": "riscv64", "mips64le": "mips64",
}

// List describes every interface of the host, for wirelens -D ssh://host.
func List(ctx context.Context, t Target, o Options) (*HostInfo, error) {
	c := &Capture{Target: t, stderr: &tailBuffer{max: 8 << 10}, waited: make(chan struct{})}
	argv := append(o.sshCommand(), t.sshArgs()...)
	argv = append(argv, listCommand())
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = c.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: cannot run %s: %w", t, argv[0], err)
	}
	info, ierr := readInfo(bufio.NewReader(out))
	io.Copy(io.Discard, io.LimitReader(out, 1<<20))
	c.werr = cmd.Wait()
	c.Info = info
	if ierr != nil || c.werr != nil {
		return nil, c.failure(ierr)
	}
	return info, nil
}

// tailBuffer keeps the last max bytes written to it: ssh's and the remote
// tool's standard error, for the message when something fails.
type tailBuffer struct {
	mu  sync.Mutex
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// lastLines gives the last n non-empty lines, sanitised, joined by "; ".
func (t *tailBuffer) lastLines(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, l := range strings.Split(string(t.b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, decode.Sanitize(l))
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return strings.Join(out, "; ")
}

// Stderr gives the last lines the remote tool and ssh wrote, sanitised.
func (c *Capture) Stderr() string { return c.stderr.lastLines(4) }

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n <= 0 {
		return len(p), nil
	}
	q := p
	if len(q) > l.n {
		q = q[:l.n]
	}
	l.n -= len(q)
	l.w.Write(q)
	return len(p), nil
}
