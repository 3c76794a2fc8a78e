package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/live"
	"github.com/wirelens/wirelens/live/remote"
)

// startRemote runs the capture on a remote host through ssh and feeds the
// pcapng it becomes to the same pipe a local capture writes, so the batch
// printer and the TUI cannot tell them apart.
func startRemote(o *options, stderr io.Writer, display bool) (*liveCapture, error) {
	t, err := remote.ParseTarget(o.iface)
	if err != nil {
		return nil, err
	}
	ro := remote.Options{Filter: o.captureFilter, SnapLen: int(o.snaplen), Tool: o.remoteTool, Push: o.push, KeepSSH: o.keepSSH}
	rc, err := remote.Start(context.Background(), t, ro)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "Capturing on '%s' with %s on %s (%s)\n", t.Iface, rc.Info.Tool, t.Host, decode.Sanitize(rc.Info.Uname))
	if i := rc.Info.Iface(t.Iface); i != nil {
		fmt.Fprintf(stderr, "%s: driver %s, mtu %d, offloads: %v\n", t.Iface, orUnknown(i.Driver), i.MTU, i.Offloads)
	}
	if f := rc.Info.Filter; f != "" {
		note := ""
		if !o.keepSSH && strings.Contains(f, "not (host ") {
			note = " (the SSH session's own packets are left out; --keep-ssh keeps them)"
		}
		fmt.Fprintf(stderr, "Capture filter: %s%s\n", decode.Sanitize(f), note)
	}

	out, pr, pw, file, err := captureOutputs(o, display)
	if err != nil {
		rc.Stop()
		rc.Wait(true)
		return nil, err
	}
	lc := &liveCapture{r: pr, done: make(chan struct{})}
	var asked atomic.Bool
	lc.stopFn = func() { asked.Store(true); rc.Stop() }
	lc.statsFn = func() live.Stats {
		n := uint64(rc.Frames())
		return live.Stats{Received: n, Delivered: n}
	}
	if o.duration > 0 {
		go func() {
			select {
			case <-lc.done:
			case <-time.After(o.duration):
				lc.Stop()
			}
		}()
	}
	go func() {
		defer close(lc.done)
		n, err := rc.Convert(out, o.count)
		if o.count > 0 && n >= o.count {
			lc.Stop()
		}
		// Why the session ended matters more than how the stream did: a
		// dropped connection cuts the stream mid-record.
		if werr := rc.Wait(asked.Load()); werr != nil {
			err = werr
		}
		if file != nil && file != os.Stdout {
			if cerr := file.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
		lc.stats = lc.statsFn()
		lc.err = err
		if pw != nil {
			pw.CloseWithError(io.EOF)
		}
	}()
	return lc, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// listRemoteInterfaces prints -D ssh://host: what the host says of each
// interface, in the local -D's layout.
func listRemoteInterfaces(o *options, target string, w io.Writer) error {
	t, err := remote.ParseTarget(target)
	if err != nil {
		return err
	}
	if t.Iface != "" {
		return fmt.Errorf("-D %s: name only the host (ssh://%s)", target, t.Host)
	}
	info, err := remote.List(context.Background(), t, remote.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s\n", t.Host, info.Uname)
	for n, i := range info.Ifaces {
		fmt.Fprintf(w, "%d. %s [%s] mtu %d %s driver %s%s offloads: %v\n", n+1, i.Name, orUnknown(i.State), i.MTU,
			strings.Join(i.Addrs, " "), orUnknown(i.Driver), kindText(i.Kind), i.Offloads)
	}
	tools := []string{}
	for _, c := range []string{"wirelens", "tcpdump", "dumpcap"} {
		if info.HasTool(c) {
			tools = append(tools, c)
		}
	}
	if len(tools) == 0 {
		tools = append(tools, "none (wirelens -i ssh://... --push copies this one)")
	}
	fmt.Fprintf(w, "capture tools: %s; root: %s\n", strings.Join(tools, " "), rootText(info))
	return nil
}

func kindText(k string) string {
	if k == "" {
		return ""
	}
	return " kind " + k
}

func rootText(h *remote.HostInfo) string {
	switch h.Sudo {
	case "root":
		return "logged in as root"
	case "ok":
		return "sudo -n works"
	case "password":
		return "sudo asks for a password (wirelens cannot type it)"
	}
	return "not root, no sudo"
}
