package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/decode/output"
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

// runCompare compares capture A with capture B: the report, or with -T,
// -V or -Y one output row per packet of A carrying wirelens.compare.*.
func runCompare(a, b string, rest []string, stdout, stderr *os.File) int {
	o, err := parseFlags(rest, stderr)
	if err == nil && o.read != "" {
		err = fmt.Errorf("--compare reads the two files it names; %s is a third", o.read)
	}
	if err == nil && o.iface != "" {
		err = errors.New("--compare reads two capture files; it cannot be combined with -i")
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
	var flt *filter.Filter
	if o.filter != "" {
		if flt, err = filter.Compile(o.filter); err != nil {
			fatalf(stderr, "invalid display filter: %v", err)
			return exitUsage
		}
	}
	var spec *output.Spec
	if o.format == "fields" {
		if spec, err = output.NewSpec(o.fields); err != nil {
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
	var src [2]compare.Source
	for i, path := range []string{a, b} {
		rd, err := capfile.Open(path, capfile.Options{})
		if err != nil {
			fatalf(stderr, "%v", openError(path, err))
			return exitCapture
		}
		defer rd.Close()
		src[i] = compare.Source{Reader: rd, Name: path}
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	defer w.Flush()
	rows := o.format != "" || o.verbose || flt != nil
	ds := decode.NewDissector(p)
	ds.Summary = needSummary(o)
	if spec != nil && !ds.Summary {
		want := append(append([]*decode.FieldDef(nil), spec.Defs...), compare.Fields()...)
		if flt != nil {
			want = append(want, flt.Fields()...)
		}
		ds.Want(want)
	}
	if spec != nil {
		spec.WriteHeader(w)
	}
	jsonOut := o.format == "json"
	if jsonOut {
		w.WriteString("[\n")
	}
	var d decode.Dissection
	var first, prev int64
	shown := 0
	stopped := errors.New("enough packets")
	emit := func(pk *compare.Packet) error {
		if !rows {
			return nil
		}
		if pk.Number == 1 {
			first, prev = pk.Record.Timestamp, pk.Record.Timestamp
		}
		fr := decode.Frame{Number: pk.Number, Data: pk.Data, Record: pk.Record, RelTime: pk.Record.Timestamp - first,
			Delta: pk.Record.Timestamp - prev, Iface: pk.Iface}
		prev = pk.Record.Timestamp
		ds.Dissect(&fr, &d)
		compare.Annotate(&d, &pk.Result)
		if flt != nil && !flt.Match(&d) {
			return nil
		}
		shown++
		switch {
		case spec != nil:
			spec.WriteFields(w, &d)
		case jsonOut:
			if shown > 1 {
				w.WriteString(",\n")
			}
			output.WriteJSON(w, &d)
		case o.verbose:
			if shown > 1 {
				w.WriteByte('\n')
			}
			output.WriteTree(w, &d)
		default:
			output.WriteSummary(w, &d.Summary)
		}
		if o.count > 0 && shown >= o.count {
			return stopped
		}
		return nil
	}
	rep, err := compare.Run(src[0], src[1], compare.Options{Prefs: p}, emit)
	if jsonOut {
		w.WriteString("\n]\n")
	}
	if err != nil && !errors.Is(err, stopped) {
		w.Flush()
		fatalf(stderr, "%v", err)
		return exitCapture
	}
	if !rows || o.report {
		rep.Write(w)
	}
	return exitOK
}
