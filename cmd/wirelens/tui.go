package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/live"
	"github.com/wirelens/wirelens/live/remote"
	"github.com/wirelens/wirelens/prefs"
	"github.com/wirelens/wirelens/ui"
)

// runTUIStream shows a live capture as it arrives.
func runTUIStream(lc *liveCapture, p prefs.Prefs, o *options, stderr io.Writer) int {
	sigs := catchSignals()
	defer signal.Stop(sigs)
	c, err := capture.OpenStream(lc.stream(), "live: "+o.iface, p)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	defer c.Close()
	return showTUI(c, "", "live: "+o.iface, p, o, stderr, lc, sigs)
}

// runTUI opens the capture as an indexed, lazily dissected source and
// hands it to the terminal UI. sigs, when not nil, were caught before the
// caller made something to clean up (the demo's file).
func runTUI(path string, p prefs.Prefs, o *options, stderr io.Writer, sigs chan os.Signal) int {
	if os.Getenv("TERM") == "dumb" || os.Getenv("TERM") == "" {
		if path == "" {
			fatalf(stderr, "the terminal (TERM=%q) cannot show the UI; give a capture with -r FILE for batch output", os.Getenv("TERM"))
			return exitUsage
		}
		fatalf(stderr, "the terminal (TERM=%q) cannot show the UI; printing packets instead (use -r FILE for batch output)", os.Getenv("TERM"))
		return runBatch(path, p, o, nil, nil, os.Stdout, os.Stderr)
	}
	if sigs == nil {
		sigs = catchSignals()
		defer signal.Stop(sigs)
	}
	if path == "" {
		return runStart(p, o, stderr, sigs)
	}
	c, err := capture.Open(path, p)
	if err != nil {
		fatalf(stderr, "%v", openError(path, err))
		return exitCapture
	}
	defer c.Close()
	if !o.demo && path != "-" {
		ui.RecordRecent(path) // only files that opened; failing to keep the list is no error
	}
	name := path
	if o.demo {
		name = "demo (built in)"
	}
	return showTUI(c, path, name, p, o, stderr, nil, sigs)
}

// showTUI runs the UI on c, read from the file path (""/"-": not a file);
// lc is the live capture feeding it, if any.
func showTUI(c *capture.Capture, path, name string, p prefs.Prefs, o *options, stderr io.Writer, lc *liveCapture, sigs chan os.Signal) int {
	opts := uiOptions(name, o)
	opts.Signals = sigs
	file := c
	if path == "" || path == "-" {
		file = nil // C compares files
	}
	defer startOptions(&opts, p, o, lc, file, path)()
	opts.Live = lc != nil
	if code, stop := uiEnd(ui.Run(c, opts), stderr); stop {
		return code
	}
	if _, ierr := c.Indexing(); ierr != nil {
		fatalf(stderr, "%v", ierr)
		return exitCapture
	}
	return exitOK
}

func uiOptions(name string, o *options) ui.Options {
	prefsPath := o.prefsFile
	if prefsPath == "" {
		prefsPath = prefs.DefaultPath()
	}
	return ui.Options{
		FileName:  name,
		PrefsPath: prefsPath,
		Filter:    o.filter,
		Compile: func(expr string) (decode.Matcher, error) {
			f, err := filter.Compile(expr)
			if err != nil {
				return nil, err
			}
			return f, nil
		},
	}
}

// runStart shows the start screen: the demo, recent files and the
// interfaces with their offload settings, each opened with Enter.
func runStart(p prefs.Prefs, o *options, stderr io.Writer, sigs chan os.Signal) int {
	demo, err := demoFile()
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	defer os.Remove(demo)
	opts := uiOptions("", o)
	opts.Signals = sigs
	opts.DemoPath = demo
	defer startOptions(&opts, p, o, nil, nil, "")()
	if code, stop := uiEnd(ui.Run(nil, opts), stderr); stop {
		return code
	}
	return exitOK
}

// startOptions lets the UI open by itself what the start screen offers:
// capture files (the start screen, o in a capture), live and remote
// captures, comparisons, and save what it shows. lc is the live capture
// shown first and file the capture file (read from path), if any. The
// function returned stops the captures and comparisons started.
func startOptions(uo *ui.Options, p prefs.Prefs, o *options, lc *liveCapture, file *capture.Capture, path string) (stop func()) {
	var captures []*liveCapture
	shownLive := lc
	stopCaptures := func() {
		for _, lc := range captures {
			lc.r.Close()
			lc.Stop()
			lc.Wait(io.Discard)
		}
	}
	var closers []func()
	shownFile, shownPath := file, path // the file shown, for C
	uo.Open = func(path string) (ui.Source, error) {
		c, err := capture.Open(path, p)
		if err != nil {
			return nil, err
		}
		shownFile, shownPath = c, path
		return c, nil
	}
	uo.CompareWith = func(other string) (*ui.CompareSetup, error) {
		if shownFile == nil {
			return nil, errors.New("only a capture file can be compared from here (wirelens --compare A B)")
		}
		return compareWith(shownFile, shownPath, p, &closers)(other)
	}
	uo.CompareFiles = func(a, b string) (*ui.CompareSetup, error) {
		var caps [2]*capture.Capture
		for i, path := range []string{a, b} {
			c, err := capture.Open(path, p)
			if err != nil {
				if i > 0 {
					caps[0].Close()
				}
				return nil, openError(path, err)
			}
			caps[i] = c
		}
		sess, stop, err := startFileCompare(a, b, p)
		if err != nil {
			caps[0].Close()
			caps[1].Close()
			return nil, err
		}
		closers = append(closers, stop, func() { caps[0].Close(); caps[1].Close() })
		return compareSetup(caps, sess), nil
	}
	uo.RemoteInterfaces = func(target string) (string, []ui.InterfaceInfo, error) {
		t, err := remote.ParseTarget(target)
		if err != nil {
			return "", nil, err
		}
		if t.Iface != "" {
			return "", nil, fmt.Errorf("%s: name only the host (ssh://%s)", target, t.Host)
		}
		info, err := remote.List(context.Background(), t, remote.Options{})
		if err != nil {
			return "", nil, err
		}
		var out []ui.InterfaceInfo
		for _, i := range info.Ifaces {
			out = append(out, ui.InterfaceInfo{Name: i.Name, Up: i.State == "up" || i.State == "unknown", MTU: i.MTU,
				Offloads: i.Offloads.String(), Driver: orUnknown(i.Driver) + kindText(i.Kind), Addrs: strings.Join(i.Addrs, " ")})
		}
		return fmt.Sprintf("%s: %s; root: %s", t.Host, info.Uname, rootText(info)), out, nil
	}
	uo.RemoteCapture = func(target, filter string) (ui.Source, error) {
		lo := *o
		lo.iface, lo.captureFilter = target, filter
		lc, err := startRemote(&lo, io.Discard, true)
		if err != nil {
			return nil, err
		}
		captures = append(captures, lc)
		c, err := capture.OpenStream(lc.stream(), "live: "+target, p)
		if err != nil {
			return nil, err
		}
		shownLive, shownFile = lc, nil
		return c, nil
	}
	uo.Save = saveSource
	uo.Stats = func() ui.LiveStats {
		if shownLive == nil {
			return ui.LiveStats{}
		}
		return shownLive.uiStats()
	}
	uo.Interfaces = func() ([]ui.InterfaceInfo, error) {
		ifs, err := live.Interfaces()
		if err != nil {
			return nil, err
		}
		out := []ui.InterfaceInfo{{Name: live.AnyDevice, Up: true, Offloads: "all interfaces"}}
		for _, i := range ifs {
			out = append(out, ui.InterfaceInfo{Name: i.Name, Up: i.Up, MTU: i.MTU, Offloads: i.Offloads.String()})
		}
		return out, nil
	}
	uo.Capture = func(name string) (ui.Source, error) {
		lo := *o
		lo.iface = name
		lc, err := startCapture(&lo, io.Discard, true)
		if err != nil {
			return nil, err
		}
		captures = append(captures, lc)
		c, err := capture.OpenStream(lc.stream(), "live: "+name, p)
		if err != nil {
			return nil, err
		}
		shownLive, shownFile = lc, nil
		return c, nil
	}
	return func() {
		for _, f := range closers {
			f()
		}
		stopCaptures()
	}
}

// uiEnd turns ui.Run's error into the exit status; stop says the run
// ended that way (by a signal, a panic or a failure) and code is final.
// The callers' deferred clean-up (closing the capture, removing the demo's
// file) still runs: they return the code rather than exit.
func uiEnd(err error, stderr io.Writer) (code int, stop bool) {
	var se *ui.SignalError
	var pe *ui.PanicError
	switch {
	case err == nil:
		return exitOK, false
	case errors.As(err, &se):
		return se.Code(), true
	case errors.As(err, &pe):
		fmt.Fprintf(stderr, "wirelens: %s\n", decode.Sanitize(fmt.Sprint(pe.Value)))
		stderr.Write([]byte(decode.Sanitize(string(pe.Stack))))
		return exitCapture, true
	}
	fatalf(stderr, "%v", err)
	return exitCapture, true
}

// catchSignals subscribes to the signals that end the UI; until the UI
// runs they wait in the channel, so a signal that comes while the capture
// opens still ends it through the clean-up path.
func catchSignals() chan os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, ui.Signals...)
	return sigs
}

// uiStats are the kernel counters for the TUI's status bar. On a loopback
// device the kernel also counts the sent copy of each packet, which the
// capture drops (the received copy follows); the status bar shows
// received next to the packet count, so the copies are left out there.
func (lc *liveCapture) uiStats() ui.LiveStats {
	st := lc.statsFn()
	return ui.LiveStats{Received: st.Received - min(st.LoopbackDuplicates, st.Received), Dropped: st.Dropped}
}

// saveSource is the UI's Save: src is the capture the UI shows (it may
// have opened another since it started).
func saveSource(src ui.Source, path string, frames []int, format string) error {
	if w, ok := src.(interface{ Unwrap() ui.Source }); ok {
		src = w.Unwrap() // a side of a comparison
	}
	c, ok := src.(*capture.Capture)
	if !ok {
		return errors.New("this capture cannot be saved")
	}
	return saveFrames(c, path, frames, format)
}

// saveFrames writes frames of c to path (Ctrl-S and x in the TUI) through
// the writer -w uses: pcapng with the capture's interfaces as their first
// frame comes and each frame's record (timestamp, original length, flags,
// comments), or classic pcap, which holds one link type and microseconds.
// It never overwrites a file, least of all the capture being read, and
// removes what it wrote when it fails.
func saveFrames(c *capture.Capture, path string, frames []int, format string) (err error) {
	if in, ierr := os.Stat(c.Name()); ierr == nil {
		if out, oerr := os.Stat(path); oerr == nil && os.SameFile(in, out) {
			return errors.New("it is the capture being read")
		}
	}
	if format != "pcap" && format != "pcapng" {
		return fmt.Errorf("cannot write capture files of type %q: pcapng or pcap", format)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return errors.New("it already exists")
	}
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	w, err := live.NewFileWriter(f, format)
	if err != nil {
		return err
	}
	var ifs []capfile.Interface
	first := -1 // pcap: the first frame written, for the link-type refusal
	var firstLink uint16
	for _, i := range frames {
		rec, data, err := c.Frame(i)
		if err != nil {
			return fmt.Errorf("packet %d: %w", i+1, err)
		}
		if format == "pcap" {
			if first < 0 {
				first, firstLink = i, rec.LinkType
			} else if rec.LinkType != firstLink {
				return fmt.Errorf("packet %d has link type %d and packet %d %d: a pcap file holds one link type (export as pcapng)",
					i+1, rec.LinkType, first+1, firstLink)
			}
		}
		if int(rec.Interface) >= len(ifs) {
			ifs = c.Interfaces()
		}
		var ifc *capfile.Interface
		if int(rec.Interface) < len(ifs) {
			ifc = &ifs[rec.Interface]
		}
		if err := w.WritePacket(rec, data, ifc); err != nil {
			return fmt.Errorf("packet %d: %w", i+1, err)
		}
	}
	return w.Flush()
}
