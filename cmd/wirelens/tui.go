package main

import (
	"io"
	"os"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/live"
	"github.com/wirelens/wirelens/prefs"
	"github.com/wirelens/wirelens/ui"
)

// runTUIStream shows a live capture as it arrives.
func runTUIStream(lc *liveCapture, p prefs.Prefs, o *options, stderr io.Writer) int {
	c, err := decode.OpenCaptureStream(lc.r, "live: "+o.iface, p)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	defer c.Close()
	return showTUI(c, "live: "+o.iface, p, o, stderr)
}

// runTUI opens the capture as an indexed, lazily dissected source and
// hands it to the terminal UI.
func runTUI(path string, p prefs.Prefs, o *options, stderr io.Writer) int {
	if os.Getenv("TERM") == "dumb" || os.Getenv("TERM") == "" {
		if path == "" {
			fatalf(stderr, "the terminal (TERM=%q) cannot show the UI; give a capture with -r FILE for batch output", os.Getenv("TERM"))
			return exitUsage
		}
		fatalf(stderr, "the terminal (TERM=%q) cannot show the UI; printing packets instead (use -r FILE for batch output)", os.Getenv("TERM"))
		return runBatch(path, p, o, nil, nil, os.Stdout, os.Stderr)
	}
	if path == "" {
		return runStart(p, o, stderr)
	}
	if !o.demo && path != "-" {
		ui.RecordRecent(path) // a list for the start screen; failing to keep it is no error
	}
	c, err := decode.OpenCapture(path, p)
	if err != nil {
		fatalf(stderr, "%v", openError(path, err))
		return exitCapture
	}
	defer c.Close()
	name := path
	if o.demo {
		name = "demo (built in)"
	}
	return showTUI(c, name, p, o, stderr)
}

func showTUI(c *decode.Capture, name string, p prefs.Prefs, o *options, stderr io.Writer) int {
	err := ui.Run(c, uiOptions(name, o))
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
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
func runStart(p prefs.Prefs, o *options, stderr io.Writer) int {
	demo, err := demoFile()
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	defer os.Remove(demo)
	var captures []*liveCapture
	defer func() {
		for _, lc := range captures {
			lc.r.Close()
			lc.Stop()
			lc.Wait(io.Discard)
		}
	}()
	opts := uiOptions("", o)
	opts.DemoPath = demo
	opts.Open = func(path string) (ui.Source, error) { return decode.OpenCapture(path, p) }
	opts.Interfaces = func() ([]ui.InterfaceInfo, error) {
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
	opts.Capture = func(name string) (ui.Source, error) {
		lo := *o
		lo.iface = name
		lc, err := startLive(&lo, io.Discard)
		if err != nil {
			return nil, err
		}
		captures = append(captures, lc)
		return decode.OpenCaptureStream(lc.r, "live: "+name, p)
	}
	if err := ui.Run(nil, opts); err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	return exitOK
}
