package main

import (
	"io"
	"os"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
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
	if path == "" {
		fatalf(stderr, "no capture file: run wirelens FILE, or wirelens --demo for the built-in capture")
		return exitUsage
	}
	if os.Getenv("TERM") == "dumb" || os.Getenv("TERM") == "" {
		fatalf(stderr, "the terminal (TERM=%q) cannot show the UI; printing packets instead (use -r FILE for batch output)", os.Getenv("TERM"))
		return runBatch(path, p, o, nil, nil, os.Stdout, os.Stderr)
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
	prefsPath := o.prefsFile
	if prefsPath == "" {
		prefsPath = prefs.DefaultPath()
	}
	err := ui.Run(c, ui.Options{
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
	})
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
