package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/prefs"
	"golang.org/x/term"
)

const version = "0.1.0"

func run(args []string, stdin *os.File, stdout, stderr *os.File) int {
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
	p, err := loadPrefs(o, stderr)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitUsage
	}
	var flt *filter.Filter
	if o.filter != "" {
		flt, err = filter.Compile(o.filter)
		if err != nil {
			fatalf(stderr, "invalid display filter: %v", err)
			return exitUsage
		}
	}
	var spec *output.Spec
	if o.format == "fields" {
		spec, err = output.NewSpec(o.fields)
		if err != nil {
			fatalf(stderr, "%v", err)
			return exitUsage
		}
		for _, e := range o.fieldOpts {
			if err := spec.SetOption(e); err != nil {
				fatalf(stderr, "%v", err)
				return exitUsage
			}
		}
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
	if o.demo {
		path, err = demoFile()
		if err != nil {
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		defer os.Remove(path)
	}
	interactive := !o.batch && o.format == "" && !o.verbose && o.count == 0 && !o.hex && !o.report &&
		term.IsTerminal(int(stdout.Fd()))
	if interactive {
		return runTUI(path, p, o, stderr)
	}
	if path == "" {
		fatalf(stderr, "no capture file: give one with -r FILE (or - for standard input), or run wirelens --demo")
		return exitUsage
	}
	if path == "-" && term.IsTerminal(int(stdin.Fd())) {
		fatalf(stderr, "-r - reads a capture from standard input, which is a terminal; pipe one in, e.g. tcpdump -U -w - | wirelens -r -")
		return exitUsage
	}
	return runBatch(path, p, o, flt, spec, stdout, stderr)
}

func loadPrefs(o *options, stderr io.Writer) (prefs.Prefs, error) {
	file := o.prefsFile
	if file == "" {
		file = prefs.DefaultPath()
	}
	p, warnings, err := prefs.Load(file)
	if err != nil {
		return p, err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "wirelens: warning: %s (using the default for it)\n", w)
	}
	for _, ov := range o.prefs {
		if err := p.Override(ov); err != nil {
			return p, fmt.Errorf("-o: %w", err) // the error quotes the argument
		}
	}
	return p, nil
}

// runBatch streams the capture once: each frame is read, dissected into a
// reused Dissection, printed and forgotten, so memory does not grow with
// the file.
func runBatch(path string, p prefs.Prefs, o *options, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File) int {
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		fatalf(stderr, "%v", openError(path, err))
		return exitCapture
	}
	defer rd.Close()
	return printPackets(rd, p, o, flt, spec, stdout, stderr, path == "-")
}

// runLive captures on -i and prints or saves what it captures: the capture
// becomes a pcapng stream read like any other.
func runLive(o *options, p prefs.Prefs, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File) int {
	interactive := !o.batch && o.write == "" && o.format == "" && !o.verbose && o.count == 0 && !o.hex && !o.report &&
		term.IsTerminal(int(stdout.Fd()))
	display := interactive || o.write == "" || o.format != "" || o.verbose || o.hex || o.report
	lc, err := startLive(o, stderr, display)
	if err != nil {
		fatalf(stderr, "%v", err)
		return exitCapture
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
		code = printPackets(rd, p, o, flt, spec, stdout, stderr, true)
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

// printPackets is the batch loop over an open capture.
func printPackets(rd *capfile.Reader, p prefs.Prefs, o *options, flt *filter.Filter, spec *output.Spec, stdout, stderr *os.File, stream bool) int {
	w := bufio.NewWriterSize(stdout, 1<<20)
	defer w.Flush()

	ds := decode.NewDissector(p)
	ds.Summary = needSummary(o)
	if spec != nil && !o.report && !o.hex && !ds.Summary {
		// Only what is printed or filtered on is built.
		want := append([]*decode.FieldDef(nil), spec.Defs...)
		if flt != nil {
			want = append(want, flt.Fields()...)
		}
		ds.Want(want)
	}
	var d decode.Dissection
	var first, prev int64
	n, shown := 0, 0
	if spec != nil {
		spec.WriteHeader(w)
	}
	var rep *decode.Report
	if o.report {
		rep = decode.NewReport(p)
	}
	jsonOut := o.format == "json"
	if jsonOut {
		w.WriteString("[\n")
	}
	for {
		rec, data, err := rd.Next()
		if err != nil {
			if jsonOut {
				w.WriteString("\n]\n")
			}
			if rep != nil {
				rep.Write(w)
			}
			w.Flush()
			if errors.Is(err, io.EOF) {
				return exitOK
			}
			fatalf(stderr, "%v", err)
			return exitCapture
		}
		if n == 0 {
			first, prev = rec.Timestamp, rec.Timestamp
		}
		n++
		fr := decode.Frame{Number: n, Data: data, Record: rec, RelTime: rec.Timestamp - first, Delta: rec.Timestamp - prev, Iface: rd.Interface(rec.Interface)}
		prev = rec.Timestamp
		ds.Dissect(&fr, &d)
		if rep != nil {
			rep.Add(&fr, &d)
		}
		if flt != nil && !flt.Match(&d) {
			continue
		}
		shown++
		switch {
		case rep != nil && o.format == "" && !o.verbose:
			// the report alone
		case spec != nil:
			spec.WriteFields(w, &d)
		case jsonOut:
			if shown > 1 {
				w.WriteString(",\n")
			}
			output.WriteJSON(w, &d)
		case o.verbose:
			if shown > 1 && !o.hex {
				w.WriteByte('\n')
			}
			output.WriteTree(w, &d)
		case o.hex:
			// tshark -x alone prints the dump without the summary line
		default:
			output.WriteSummary(w, &d.Summary)
		}
		if o.hex {
			if o.verbose {
				w.WriteByte('\n')
			}
			output.WriteHex(w, data)
			w.WriteByte('\n')
		}
		if stream {
			w.Flush() // a live stream shows each packet as it comes
		}
		if o.count > 0 && shown >= o.count {
			if jsonOut {
				w.WriteString("\n]\n")
			}
			if rep != nil {
				rep.Write(w)
			}
			return exitOK
		}
	}
}

// needSummary reports whether the list row must be built; -T fields
// without column fields skips it, which is most of a frame's cost.
func needSummary(o *options) bool {
	if o.format == "fields" {
		for _, f := range o.fields {
			if len(f) > 8 && f[:8] == "_ws.col." {
				return true
			}
		}
		return false
	}
	return !o.verbose && o.format != "json" || o.report
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
