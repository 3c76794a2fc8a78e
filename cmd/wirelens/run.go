package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/decode/stats"
	"github.com/wirelens/wirelens/live"
	"github.com/wirelens/wirelens/live/remote"
	"github.com/wirelens/wirelens/prefs"
	"golang.org/x/term"
)

const version = "0.1.0"

func run(args []string, stdin *os.File, stdout, stderr *os.File) int {
	if a, b, rest, ok, err := compareArgs(args); ok {
		if err != nil {
			fatalf(stderr, "%v", err)
			return exitUsage
		}
		return runCompare(a, b, rest, stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		fatalf(stderr, "%v", err)
		fmt.Fprintln(stderr, "Run 'wirelens -h' for the options.")
		return exitUsage
	}
	if o.help {
		return exitOK
	}
	if o.version {
		fmt.Fprintf(stdout, "wirelens %s\n", version)
		return exitOK
	}
	if o.wantGloss {
		if err := output.WriteGlossary(stdout, o.glossary); err != nil {
			fatalf(stderr, "%v", err)
			return exitUsage
		}
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
	if o.listIfaces && remote.IsTarget(o.read) {
		if err := listRemoteInterfaces(o, o.read, stdout); err != nil {
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		return exitOK
	}
	if o.listIfaces {
		if err := listInterfaces(stdout); err != nil {
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		return exitOK
	}
	if o.iface != "" {
		return runLive(o, p, flt, spec, stdout, stderr)
	}
	path := o.read
	var sigs chan os.Signal
	if o.demo {
		sigs = catchSignals() // before the file exists: a signal must not leave it behind
		defer signal.Stop(sigs)
		path, err = demoFile()
		if err != nil {
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		defer os.Remove(path)
	}
	interactive := !o.batch && o.format == "" && !o.verbose && o.count == 0 && !o.hex && !o.report &&
		len(o.stats) == 0 && o.write == "" && !o.quiet && len(o.onlyProtos) == 0 && term.IsTerminal(int(stdout.Fd()))
	if interactive {
		return runTUI(path, p, o, stderr, sigs)
	}
	if sigs != nil {
		go removeOnSignal(sigs, path)
	}
	if path == "" {
		fatalf(stderr, "no capture file: give one with -r FILE (or - for standard input), or run wirelens --demo")
		return exitUsage
	}
	if path == "-" && term.IsTerminal(int(stdin.Fd())) {
		fatalf(stderr, "-r - reads a capture from standard input, which is a terminal; pipe one in, e.g. tcpdump -U -w - | wirelens -r -")
		return exitUsage
	}
	noteTUIOnly(o, stderr)
	return runBatch(path, p, o, flt, spec, stdout, stderr)
}

// noteTUIOnly says that the packet-list column preferences given with -o
// shape the terminal UI only: tshark prints its summary line with them,
// wirelens's batch summary keeps the default columns.
func noteTUIOnly(o *options, stderr io.Writer) {
	if o.quieter {
		return
	}
	for _, ov := range o.prefs {
		name, _, _ := strings.Cut(ov, ":")
		name = strings.TrimSpace(name)
		if strings.HasPrefix(name, "gui.column.") || strings.HasPrefix(name, "wirelens.column.") {
			fmt.Fprintf(stderr, "wirelens: note: -o %s sets the terminal UI's packet list; the batch summary keeps the default columns (-T fields -e FIELD prints any field)\n", decode.Sanitize(name))
		}
	}
}

func loadPrefs(o *options, stderr io.Writer) (prefs.Prefs, error) {
	file := o.prefsFile
	if file == "" {
		file = prefs.DefaultPath()
	}
	p, warnings, err := prefs.Load(file)
	if err != nil {
		// Preferences that cannot be read must not stop a capture from
		// being read: say so, and go on with the defaults.
		fatalf(stderr, "warning: %v; using the default preferences", err)
		p, warnings = prefs.Default(), nil
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "wirelens: warning: %s (using the default for it)\n", w)
	}
	for _, ov := range o.prefs {
		name, _, _ := strings.Cut(ov, ":")
		if why, ok := prefs.Foreign(strings.TrimSpace(name)); ok {
			if !o.quieter {
				fmt.Fprintf(stderr, "wirelens: note: -o %s accepted and ignored: %s\n", decode.Sanitize(ov), why)
			}
			continue
		}
		if err := p.Override(ov); err != nil {
			return p, fmt.Errorf("-o: %w", err) // the error quotes the argument
		}
	}
	if len(o.decodeAs) > 0 {
		for _, r := range o.decodeAs {
			if _, err := decode.ParseDecodeAs(r); err != nil {
				return p, fmt.Errorf("-d: %w", err)
			}
		}
		cur, _ := p.Get("wirelens.decode_as")
		rules := strings.Join(o.decodeAs, ";")
		if cur != "" {
			rules = cur + ";" + rules
		}
		if err := p.Set("wirelens.decode_as", rules); err != nil {
			return p, fmt.Errorf("-d: %w", err)
		}
	}
	return p, nil
}

// runBatch prints the capture at path as tshark would.
func runBatch(path string, p prefs.Prefs, o *options, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File) int {
	rd, err := capfile.Open(path, capfile.Options{})
	if errors.Is(err, capfile.ErrEmpty) {
		// tshark reads an empty file as a capture without packets.
		rd = nil
	} else if err != nil {
		fatalf(stderr, "%v", openError(path, err))
		return exitCapture
	}
	if rd != nil {
		defer rd.Close()
	}
	return printPackets(rd, p, o, flt, spec, stdout, stderr, path == "-")
}

// runLive captures on -i and prints or saves what it captures: the capture
// becomes a pcapng stream read like any other.
func runLive(o *options, p prefs.Prefs, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File) int {
	interactive := !o.batch && o.write == "" && o.format == "" && !o.verbose && o.count == 0 && !o.hex && !o.report &&
		term.IsTerminal(int(stdout.Fd()))
	display := interactive || o.write == "" || o.format != "" || o.verbose || o.hex || o.report || o.printSum || len(o.stats) > 0
	lc, err := startCapture(o, stderr, display)
	if err != nil {
		fatalf(stderr, "%v", err)
		return captureStatus(err)
	}
	if interactive {
		code := runTUIStream(lc, p, o, stderr)
		lc.r.Close() // nobody reads any more: let the capture goroutine finish
		lc.Stop()
		if err := lc.Wait(stderr); err != nil {
			fatalf(stderr, "capturing on %s: %v", o.iface, err)
			return exitCapture
		}
		return code
	}
	defer lc.stopOnInterrupt()()
	code := exitOK
	if display {
		rd, err := capfile.NewReader(lc.r, "live capture on "+o.iface, capfile.Options{})
		if err != nil {
			lc.r.Close()
			lc.Stop()
			lc.Wait(stderr)
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		lo := *o
		lo.write = "" // the capture itself writes the file
		code = printPackets(rd, p, &lo, flt, spec, stdout, stderr, true)
		lc.r.Close() // -c may stop the printer first: unblock the capture
	}
	if !display {
		<-lc.done // -w alone: the capture ends on -c, -a or Ctrl-C
	}
	lc.Stop()
	if err := lc.Wait(stderr); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		fatalf(stderr, "capturing on %s: %v", o.iface, err)
		return exitCapture
	}
	return code
}

// printPackets wires the options into the batch printer and runs it over
// rd (nil: a capture without packets).
func printPackets(rd *capfile.Reader, p prefs.Prefs, o *options, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File, stream bool) int {
	cfg, closeOut, code := batchConfig(o, flt, spec, stdout, stderr)
	if code != exitOK {
		return code
	}
	cfg.Flush = cfg.Flush || stream
	cfg.Progress = progressFor(rd, o, stdout, stderr, stream)
	pr := output.NewPrinter(stdout, p, cfg)
	var err error
	if rd != nil {
		err = pr.Run(rd)
		if err == nil {
			for _, w := range rd.Warnings() {
				fatalf(stderr, "warning: %s", w)
			}
		}
	} else {
		pr.Finish()
	}
	code = exitOK
	if werr := pr.Err(); werr != nil {
		fatalf(stderr, "writing %s: %v", o.write, werr)
		code = exitCapture
	}
	if cerr := closeOut(); cerr != nil && code == exitOK {
		fatalf(stderr, "writing %s: %v", o.write, cerr)
		code = exitCapture
	}
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	return code
}

// progressFor returns a progress line for a batch run over a file, when
// standard error is a terminal and the line cannot land among the packets:
// standard output is not that terminal, or nothing is printed per packet
// (-q, the report alone). nil otherwise, and for streams (live, a pipe).
func progressFor(rd *capfile.Reader, o *options, stdout, stderr *os.File, stream bool) *output.Progress {
	if rd == nil || stream || !term.IsTerminal(int(stderr.Fd())) {
		return nil
	}
	perPacket := !o.quiet && !(o.report && o.format == "" && !o.verbose && !o.hex && !o.printSum)
	if perPacket && term.IsTerminal(int(stdout.Fd())) {
		return nil
	}
	var total int64
	if st, err := os.Stat(rd.Name()); err == nil && st.Mode().IsRegular() && !rd.Compressed() {
		total = st.Size()
	}
	return output.NewProgress(stderr, total)
}

// batchConfig turns the options into the printer's configuration; the
// returned function closes the -w file.
func batchConfig(o *options, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File) (output.Config, func() error, int) {
	cfg := output.Config{
		Format: o.format, Spec: spec, Verbose: o.verbose, Hex: o.hex, OnlyProtos: o.onlyProtos,
		Quiet: o.quiet, Summary: o.printSum, Separator: o.separator,
		Filter: flt, Count: o.count, Time: o.timeFormat, Report: o.report, Flush: o.flush, NoDupKeys: o.noDupKeys,
		CaptureFile: o.read,
	}
	closeOut := func() error { return nil }
	if o.readFilter != "" {
		rf, err := filter.Compile(o.readFilter)
		if err != nil {
			fatalf(stderr, "invalid read filter: %v", err)
			return cfg, closeOut, exitFilter
		}
		cfg.ReadFilter = rf
	}
	var zs []string
	for _, z := range o.stats {
		if z == "checksum" {
			cfg.Report = true
			continue
		}
		zs = append(zs, z)
	}
	taps, err := stats.NewAll(zs)
	if err != nil {
		fatalf(stderr, "%v", err)
		return cfg, closeOut, exitUsage
	}
	cfg.Taps = taps
	if o.write != "" {
		out := io.Writer(stdout)
		if o.write != "-" {
			f, err := os.Create(o.write)
			if err != nil {
				fatalf(stderr, "cannot write the packets to %q: %v", o.write, err)
				return cfg, closeOut, exitCapture
			}
			out, closeOut = f, f.Close
		}
		fw, err := live.NewFileWriter(out, o.writeFormat)
		if err != nil {
			closeOut()
			fatalf(stderr, "%v", err)
			return cfg, closeOut, exitUsage
		}
		cfg.Writer = fw
	}
	return cfg, closeOut, exitOK
}

func openError(path string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the file %q doesn't exist", path)
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("you don't have permission to read the file %q", path)
	}
	return err
}

// filterAndSpec compiles -Y and the -e/-E field list, which every batch
// mode (a file, a live capture, a comparison) takes alike; errors are
// worded for the user.
func filterAndSpec(o *options) (*filter.Filter, *output.Spec, error) {
	var flt *filter.Filter
	if o.filter != "" {
		f, err := filter.Compile(o.filter)
		if err != nil {
			return nil, nil, filterError{fmt.Errorf("invalid display filter: %w", err)}
		}
		flt = f
	}
	var spec *output.Spec
	if len(o.fields) > 0 || o.format == "fields" {
		s, err := output.NewSpec(o.fields)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range o.fieldOpts {
			if err := s.SetOption(e); err != nil {
				return nil, nil, err
			}
		}
		spec = s
	}
	return flt, spec, nil
}
