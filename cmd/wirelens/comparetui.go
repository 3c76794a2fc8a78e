package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/prefs"
	"github.com/wirelens/wirelens/ui"
)

// runCompareTUI shows the comparison of two capture files in the compare
// view: each file is indexed for the view and read once more by the
// comparison, which fills the view as it goes.
func runCompareTUI(a, b string, p prefs.Prefs, o *options, stderr io.Writer) int {
	sigs := catchSignals()
	defer signal.Stop(sigs)
	var caps [2]*capture.Capture
	for i, path := range []string{a, b} {
		c, err := capture.Open(path, p)
		if err != nil {
			fatalf(stderr, "%v", openError(path, err))
			return exitCapture
		}
		defer c.Close()
		caps[i] = c
	}
	sess, closeCmp, err := startFileCompare(a, b, p)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	defer closeCmp()
	opts := uiOptions("A: "+a, o)
	opts.Signals = sigs
	opts.Save = func(_ ui.Source, path string, frames []int, format string) error {
		return saveFrames(caps[0], path, frames, format)
	}
	opts.Compare = compareSetup(caps, sess)
	if code, stop := uiEnd(ui.Run(nil, opts), stderr); stop {
		return code
	}
	return exitOK
}

// startFileCompare starts comparing two files in the background; stop
// ends it (closing the files ends the reads) and waits for it.
func startFileCompare(a, b string, p prefs.Prefs) (*compare.Session, func(), error) {
	var rds [2]*capfile.Reader
	for i, path := range []string{a, b} {
		r, err := capfile.Open(path, capfile.Options{})
		if err != nil {
			if i > 0 {
				rds[0].Close()
			}
			return nil, nil, openError(path, err)
		}
		rds[i] = r
	}
	sess := compare.Start(compare.Source{Reader: rds[0], Name: a}, compare.Source{Reader: rds[1], Name: b}, compare.Options{Prefs: p})
	return sess, func() {
		rds[0].Close()
		rds[1].Close()
		sess.Wait()
	}, nil
}

func compareSetup(caps [2]*capture.Capture, sess *compare.Session) *ui.CompareSetup {
	return &ui.CompareSetup{
		Sides:    [2]ui.Source{caps[0], caps[1]},
		Cmp:      sess,
		SaveBoth: func(prefix string) ([2]string, error) { return saveBoth(caps, prefix) },
	}
}

// compareWith is the packet view's C: compare the file shown (path) with
// another file.
func compareWith(shown *capture.Capture, path string, p prefs.Prefs, closers *[]func()) func(string) (*ui.CompareSetup, error) {
	return func(other string) (*ui.CompareSetup, error) {
		cb, err := capture.Open(other, p)
		if err != nil {
			return nil, openError(other, err)
		}
		sess, stop, err := startFileCompare(path, other, p)
		if err != nil {
			cb.Close()
			return nil, err
		}
		*closers = append(*closers, stop, func() { cb.Close() })
		return compareSetup([2]*capture.Capture{shown, cb}, sess), nil
	}
}

// savePaths are the two files Ctrl-S writes for prefix: PREFIX-a.pcapng
// and PREFIX-b.pcapng (a .pcapng ending of the prefix is dropped).
func savePaths(prefix string) [2]string {
	prefix = strings.TrimSuffix(prefix, ".pcapng")
	return [2]string{prefix + "-a.pcapng", prefix + "-b.pcapng"}
}

// saveBoth writes every frame of each capture to its own pcapng file;
// neither file may exist already.
func saveBoth(caps [2]*capture.Capture, prefix string) ([2]string, error) {
	paths := savePaths(prefix)
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return paths, fmt.Errorf("%s already exists", p)
		}
	}
	for i, c := range caps {
		frames := make([]int, c.Len())
		for k := range frames {
			frames[k] = k
		}
		if err := saveFrames(c, paths[i], frames, "pcapng"); err != nil {
			if i == 1 {
				os.Remove(paths[0])
			}
			return paths, fmt.Errorf("%s: %w", paths[i], err)
		}
	}
	return paths, nil
}
