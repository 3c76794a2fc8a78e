package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// multi collects a repeatable flag (-e, -o, -E).
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// options is the parsed command line.
type options struct {
	read      string
	count     int
	verbose   bool
	format    string // "", text, fields, json
	fields    multi
	fieldOpts multi
	prefs     multi
	filter    string
	hex       bool
	noResolve bool
	version   bool
	help      bool
	demo      bool
	report    bool
	batch     bool // force batch output even on a terminal
	prefsFile string

	// live capture
	iface         string
	captureFilter string
	snaplen       uint32
	noPromisc     bool
	bufferKiB     int
	duration      time.Duration
	write         string
	listIfaces    bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("wirelens", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.read, "r", "", "read packets from `FILE` (pcap, pcapng, gzip; - for standard input)")
	fs.Func("c", "stop after `N` packets", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return fmt.Errorf("invalid packet count %q: want a positive whole number", s)
		}
		o.count = n
		return nil
	})
	fs.BoolVar(&o.verbose, "V", false, "print each packet's full protocol tree")
	fs.Func("T", "output `FORMAT`: text, fields or json", func(s string) error {
		switch s {
		case "text", "fields", "json":
			o.format = s
			return nil
		}
		return fmt.Errorf("invalid -T format %q: want text, fields or json", s)
	})
	fs.Var(&o.fields, "e", "with -T fields: print `FIELD` (repeatable)")
	fs.Var(&o.fieldOpts, "E", "with -T fields: `OPTION` header=y|n, separator=X, occurrence=a|f|l, aggregator=X, quote=d|s|n")
	fs.Var(&o.prefs, "o", "override a preference, `name:value` (repeatable), e.g. tcp.check_checksum:FALSE")
	fs.StringVar(&o.filter, "Y", "", "display `FILTER` (Wireshark syntax)")
	fs.BoolVar(&o.hex, "x", false, "print a hex and ASCII dump of each packet")
	fs.BoolVar(&o.noResolve, "n", false, "no name resolution (wirelens never resolves names; accepted for tshark compatibility)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.help, "h", false, "print this help and exit")
	fs.BoolVar(&o.help, "help", false, "print this help and exit")
	fs.BoolVar(&o.demo, "demo", false, "open the capture built into wirelens (offload artifacts and real corruption)")
	fs.BoolVar(&o.report, "checksum-report", false, "print the per-capture checksum verdict")
	fs.BoolVar(&o.batch, "batch", false, "print packets (like tshark) even when standard output is a terminal")
	fs.StringVar(&o.iface, "i", "", "capture live on `INTERFACE` (a name, or any)")
	fs.StringVar(&o.captureFilter, "f", "", "capture `FILTER` in tcpdump syntax, run in the kernel (also: words after the options)")
	fs.Func("s", "snap length: capture at most `BYTES` of each frame (default 262144)", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return fmt.Errorf("invalid snap length %q: want a whole number of bytes", v)
		}
		o.snaplen = uint32(n)
		return nil
	})
	fs.BoolVar(&o.noPromisc, "p", false, "don't put the interface into promiscuous mode")
	fs.Func("B", "kernel capture buffer size in `KiB` (default 4096)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("invalid buffer size %q: want a positive number of KiB", v)
		}
		o.bufferKiB = n
		return nil
	})
	fs.Func("a", "stop condition `duration:SECONDS`", func(v string) error {
		d, err := parseDuration(v)
		o.duration = d
		return err
	})
	fs.StringVar(&o.write, "w", "", "write the live capture to `FILE` as pcapng (- for standard output)")
	fs.BoolVar(&o.listIfaces, "D", false, "list the interfaces with their offload settings and exit")
	fs.StringVar(&o.prefsFile, "prefs", "", "preferences `FILE` (default $XDG_CONFIG_HOME/wirelens/preferences)")

	// tshark accepts options after the file name too: take flags from
	// anywhere on the line, and at most one file name.
	var positional []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return nil, usageError(err)
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	if o.help {
		printUsage(stderr, fs)
		return o, nil
	}
	if o.iface != "" && len(positional) > 0 {
		// tcpdump and tshark take the capture filter as the trailing words.
		if o.captureFilter != "" {
			return nil, usageError(fmt.Errorf("two capture filters: -f %q and %q", o.captureFilter, strings.Join(positional, " ")))
		}
		o.captureFilter, positional = strings.Join(positional, " "), nil
	}
	switch {
	case o.iface != "" && o.read != "":
		return nil, usageError(fmt.Errorf("-i %s and -r %s: capture live or read a file, not both", o.iface, o.read))
	case o.write != "" && o.iface == "":
		return nil, usageError(errors.New("-w writes a live capture: give the interface with -i"))
	case len(positional) > 1:
		return nil, usageError(fmt.Errorf("too many file names: %s (give one capture file)", strings.Join(positional, " ")))
	case len(positional) == 1 && o.read != "":
		return nil, usageError(fmt.Errorf("two capture files given: -r %s and %s", o.read, positional[0]))
	case len(positional) == 1:
		o.read = positional[0]
	}
	if len(o.fields) > 0 && o.format != "fields" {
		return nil, usageError(errors.New("-e requires -T fields"))
	}
	if o.format == "fields" && len(o.fields) == 0 {
		return nil, usageError(errors.New("-T fields requires at least one -e FIELD"))
	}
	if o.demo && o.read != "" {
		return nil, usageError(fmt.Errorf("--demo opens the built-in capture; it cannot be combined with the file %s", o.read))
	}
	return o, nil
}

type usageErr struct{ error }

func usageError(err error) error { return usageErr{err} }

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `wirelens %s: a packet inspector that tells checksum offload from corruption

Usage:
  wirelens [FILE]                 open FILE (or the start screen) in the terminal UI
  wirelens --demo                 open the built-in demo capture
  wirelens -r FILE [options]      print packets like tshark (batch mode when
                                  output is not a terminal, or with -T, -V, -c, -x)
  wirelens -i IFACE [FILTER]      capture live (root or cap_net_raw,cap_net_admin),
                                  in the UI, or with -w FILE / -c N / -T as tshark
  wirelens -D                     list interfaces and their offload settings

Options:
`, version)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, `
Exit status: 0 success, 1 bad usage, 2 the capture could not be read completely
(every packet before the damage is still printed).
`)
}
