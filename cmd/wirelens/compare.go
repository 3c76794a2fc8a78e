package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/live/remote"
	"golang.org/x/term"
)

// compareArgs takes "--compare A B" out of the command line, leaving the
// other options to the usual parser; ok is false when it is not there.
func compareArgs(args []string) (a, b string, rest []string, ok bool, err error) {
	for i, s := range args {
		if s != "--compare" && s != "-compare" {
			continue
		}
		if i+2 >= len(args) {
			return "", "", nil, true, errors.New("--compare needs two capture files: --compare A B")
		}
		a, b = args[i+1], args[i+2]
		for _, f := range []string{a, b} {
			if strings.HasPrefix(f, "-") && f != "-" {
				return "", "", nil, true, fmt.Errorf("--compare needs two capture files, got %q", f)
			}
		}
		if a == "-" && b == "-" {
			return "", "", nil, true, errors.New("--compare: only one of the two captures can be standard input")
		}
		rest = append(append(rest, args[:i]...), args[i+3:]...)
		return a, b, rest, true, nil
	}
	return "", "", args, false, nil
}

// compareMemLimit is the soft heap limit of a batch comparison (unless
// GOMEMLIMIT says otherwise): issue 12's bound is 300 MB of RSS.
const compareMemLimit = 240 << 20

// runCompare compares capture A with capture B: the report, or with -T,
// -V or -Y one output row per packet of A carrying wirelens.compare.*.
func runCompare(a, b string, rest []string, stdout, stderr *os.File) int {
	o, err := parseFlags(rest, stderr)
	if err == nil && o.read != "" {
		err = fmt.Errorf("--compare reads the two files it names; %s is a third", o.read)
	}
	if err == nil && o.iface != "" {
		err = errors.New("--compare reads two captures; it cannot be combined with -i (name remote interfaces as ssh://host/IFACE in place of a file)")
	}
	if err != nil {
		fatalf(stderr, "%v", err)
		fmt.Fprintln(stderr, "Run 'wirelens -h' for the options.")
		return exitUsage
	}
	if o.help {
		return exitOK
	}
	p, err := loadPrefs(o, stderr)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitUsage
	}
	flt, spec, err := filterAndSpec(o)
	if err != nil {
		fatalf(stderr, "%v", err)
		return usageStatus(err)
	}
	rows := o.format != "" || o.verbose || o.hex || flt != nil || o.write != "" || len(o.stats) > 0
	if !rows && !o.batch && !o.report && !o.quiet && o.count == 0 && term.IsTerminal(int(stdout.Fd())) &&
		os.Getenv("TERM") != "dumb" && os.Getenv("TERM") != "" {
		if remote.IsTarget(a) || remote.IsTarget(b) {
			return runCompareLiveTUI(a, b, p, o, stderr)
		}
		return runCompareTUI(a, b, p, o, stderr)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The join's garbage is per packet and its live state (the
		// window, the conversation tables) grows with the flows: heap
		// growth alone let two 1M-packet captures peak near 300 MB.
		debug.SetMemoryLimit(compareMemLimit)
	}
	cfg, closeOut, code := batchConfig(o, flt, spec, stdout, stderr)
	if code != exitOK {
		return code
	}
	code = exitOK
	var src [2]compare.Source
	var remotes []*liveCapture
	defer func() {
		for _, lc := range remotes {
			lc.r.Close()
			lc.Stop()
			lc.Wait(io.Discard)
		}
	}()
	for i, path := range []string{a, b} {
		if remote.IsTarget(path) {
			// Both ends at once: each side a remote capture with the same
			// capture filter, compared as the frames arrive.
			lo := *o
			lo.iface, lo.write, lo.count = path, "", 0
			lc, err := startRemote(&lo, stderr, true)
			if err != nil {
				closeOut()
				fatalf(stderr, "%v", err)
				return exitCapture
			}
			remotes = append(remotes, lc)
			rd, err := capfile.NewReader(lc.r, path, capfile.Options{})
			if err != nil {
				closeOut()
				fatalf(stderr, "%s: %v", path, err)
				return exitCapture
			}
			src[i] = compare.Source{Reader: rd, Name: path}
			continue
		}
		rd, err := capfile.Open(path, capfile.Options{})
		if err != nil {
			closeOut()
			fatalf(stderr, "%v", openError(path, err))
			return exitCapture
		}
		defer rd.Close()
		src[i] = compare.Source{Reader: rd, Name: path}
	}
	var cur *compare.Result
	cfg.Annotate = func(_ *decode.Frame, d *decode.Dissection) { compare.Annotate(d, cur) }
	pr := output.NewPrinter(stdout, p, cfg)
	stopped := errors.New("enough packets")
	emit := func(pk *compare.Packet) error {
		if !rows {
			return nil
		}
		cur = &pk.Result
		if !pr.Packet(pk.Record, pk.Data, pk.Iface) {
			return stopped
		}
		return nil
	}
	if len(remotes) > 0 {
		// Ctrl-C (or -a duration) ends the captures; the comparison then
		// finishes what arrived and reports.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sig)
		go func() {
			if _, ok := <-sig; ok {
				for _, lc := range remotes {
					lc.Stop()
				}
			}
		}()
		fmt.Fprintln(stderr, "Comparing as the packets arrive; Ctrl-C ends the captures and prints the report")
	}
	rep, err := compare.Run(src[0], src[1], compare.Options{Prefs: p}, emit)
	for _, lc := range remotes {
		lc.Stop()
		if werr := lc.Wait(io.Discard); werr != nil {
			fatalf(stderr, "%v", werr)
			code = exitCapture
		}
	}
	remotes = nil
	if rows {
		pr.Finish()
	}
	if werr := pr.Err(); werr != nil {
		fatalf(stderr, "writing %s: %v", o.write, werr)
		code = exitCapture
	}
	if cerr := closeOut(); cerr != nil && code == exitOK {
		fatalf(stderr, "writing %s: %v", o.write, cerr)
		code = exitCapture
	}
	if err != nil && !errors.Is(err, stopped) {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	if !rows || o.report {
		w := bufio.NewWriter(stdout)
		rep.Write(w)
		w.Flush()
	}
	return code
}
