package main

import (
	"io"
	"os/signal"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/live/remote"
	"github.com/wirelens/wirelens/prefs"
	"github.com/wirelens/wirelens/ui"
)

// growingReader hands the comparison the frames of a capture the UI
// shows, in order, as they are indexed: a live capture is read from its
// stream once (by the capture), and the comparison never holds the
// capture back.
type growingReader struct {
	c    *capture.Capture
	i    int
	ifs  []capfile.Interface
	stop <-chan struct{}
}

func (g *growingReader) Next() (capfile.Record, []byte, error) {
	for {
		if g.i < g.c.Len() {
			rec, data, err := g.c.Frame(g.i)
			g.i++
			return rec, data, err
		}
		// Indexing ends with the capture (or its failure, which the view
		// names): what arrived is compared.
		if done, _ := g.c.Indexing(); done && g.i >= g.c.Len() {
			return capfile.Record{}, nil, io.EOF
		}
		select {
		case <-g.stop:
			return capfile.Record{}, nil, io.EOF
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Ready says a frame is there to read without waiting.
func (g *growingReader) Ready() bool { return g.i < g.c.Len() }

func (g *growingReader) Interface(i uint32) *capfile.Interface {
	if int(i) >= len(g.ifs) {
		g.ifs = g.c.Interfaces()
	}
	if int(i) < len(g.ifs) {
		return &g.ifs[i]
	}
	return nil
}

// runCompareLiveTUI is --compare on a terminal when a side is a remote
// capture (ssh://host/IFACE): both stream in, each shown as it arrives,
// and the comparison follows them. A side whose capture fails is named
// in the view; the other side's frames stay, and are compared.
func runCompareLiveTUI(a, b string, p prefs.Prefs, o *options, stderr io.Writer) int {
	sigs := catchSignals()
	defer signal.Stop(sigs)
	var caps [2]*capture.Capture
	var lcs [2]*liveCapture
	defer func() {
		for _, lc := range lcs {
			if lc != nil {
				lc.r.Close()
				lc.Stop()
				lc.Wait(io.Discard)
			}
		}
	}()
	for i, path := range []string{a, b} {
		if !remote.IsTarget(path) {
			c, err := capture.Open(path, p)
			if err != nil {
				fatalf(stderr, "%v", openError(path, err))
				return exitCapture
			}
			defer c.Close()
			caps[i] = c
			continue
		}
		lo := *o
		lo.iface, lo.write, lo.count = path, "", 0
		lc, err := startRemote(&lo, stderr, true)
		if err != nil {
			fatalf(stderr, "capture %s (%s): %v", [2]string{"A", "B"}[i], path, err)
			return exitCapture
		}
		lcs[i] = lc
		c, err := capture.OpenStream(lc.r, "live: "+path, p)
		if err != nil {
			fatalf(stderr, "capture %s (%s): %v", [2]string{"A", "B"}[i], path, err)
			return exitCapture
		}
		defer c.Close()
		caps[i] = c
	}
	stop := make(chan struct{})
	sess := compare.Start(compare.Source{Reader: &growingReader{c: caps[0], stop: stop}, Name: a},
		compare.Source{Reader: &growingReader{c: caps[1], stop: stop}, Name: b}, compare.Options{Prefs: p, Live: true})
	defer sess.Wait()
	defer close(stop)
	opts := uiOptions("A: "+a, o)
	opts.Signals = sigs
	opts.Save = func(_ ui.Source, path string, frames []int, format string) error {
		return saveFrames(caps[0], path, frames, format)
	}
	if lcs[0] != nil {
		opts.Live = true
		opts.Stats = lcs[0].uiStats
	}
	setup := compareSetup(caps, sess)
	setup.Live = true
	setup.SideErr = func(s int) string {
		if lc := lcs[s]; lc != nil {
			select {
			case <-lc.done:
				if lc.err != nil {
					return lc.err.Error()
				}
			default:
			}
		}
		if _, err := caps[s].Indexing(); err != nil {
			return err.Error()
		}
		return ""
	}
	opts.Compare = setup
	if code, stop := uiEnd(ui.Run(nil, opts), stderr); stop {
		return code
	}
	for s, lc := range lcs {
		if lc == nil {
			continue
		}
		lc.Stop()
		if err := lc.Wait(io.Discard); err != nil {
			fatalf(stderr, "capture %s (%v): %v", [2]string{"A", "B"}[s], []string{a, b}[s], err)
		}
	}
	return exitOK
}
