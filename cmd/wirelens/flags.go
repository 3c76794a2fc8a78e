package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode/output"
	"github.com/wirelens/wirelens/live"
	"github.com/wirelens/wirelens/live/remote"
)

// options is the parsed command line.
type options struct {
	read        string
	count       int
	verbose     bool
	format      string // "", text, fields, json, jsonraw, ek, pdml, psml
	fields      []string
	fieldOpts   []string
	prefs       []string
	filter      string
	readFilter  string
	twoPass     bool
	hex         bool
	noResolve   bool
	resolve     string // -N flags
	version     bool
	help        bool
	demo        bool
	report      bool
	batch       bool // force batch output even on a terminal
	prefsFile   string
	timeFormat  output.TimeFormat
	flush       bool     // -l
	quiet       bool     // -q
	quieter     bool     // -Q
	stats       []string // -z
	onlyProtos  []string // -O
	printSum    bool     // -P
	separator   string   // -S
	writeFormat string   // -F
	glossary    string   // -G REPORT
	wantGloss   bool
	decodeAs    []string // -d
	noDupKeys   bool     // --no-duplicate-keys

	// live capture
	iface         string
	captureFilter string
	snaplen       uint32
	noPromisc     bool
	bufferKiB     int
	duration      time.Duration
	autostop      autostop
	ring          live.RingOptions // -b, for -w of a live capture
	ringSet       bool
	write         string
	listIfaces    bool

	// remote capture (-i ssh://host/IFACE)
	push       bool
	remoteTool string
	keepSSH    bool
}

// autostop is -a: tshark's stop conditions.
type autostop struct {
	packets  int
	filesize int64 // KB (1000 bytes, as tshark counts)
	files    int
}

// opt is one command-line option, short and long, as tshark's getopt
// table declares them.
type opt struct {
	short   byte
	long    []string
	arg     int    // noArg, needArg or optArg
	argName string // for the help
	help    string
	set     func(o *options, v string) error
}

const (
	noArg = iota
	needArg
	optArg // -G: the next word when it does not look like an option
)

var optTable = []opt{
	// Capture interface
	{short: 'i', long: []string{"interface"}, arg: needArg, argName: "IFACE", help: "capture live on IFACE (a name, or any)",
		set: func(o *options, v string) error { o.iface = v; return nil }},
	{short: 'f', arg: needArg, argName: "FILTER", help: "capture filter in tcpdump syntax, run in the kernel (also: words after the options)",
		set: func(o *options, v string) error { o.captureFilter = v; return nil }},
	{short: 's', long: []string{"snapshot-length"}, arg: needArg, argName: "BYTES", help: "snap length: capture at most BYTES of each frame (default 262144)",
		set: func(o *options, v string) error {
			n, err := strconv.ParseUint(v, 10, 32)
			if err != nil {
				return fmt.Errorf("invalid snap length %q: want a whole number of bytes", v)
			}
			o.snaplen = uint32(n)
			return nil
		}},
	{short: 'p', long: []string{"no-promiscuous-mode"}, help: "don't put the interface into promiscuous mode",
		set: func(o *options, v string) error { o.noPromisc = true; return nil }},
	{short: 'B', long: []string{"buffer-size"}, arg: needArg, argName: "KiB", help: "kernel capture buffer size in KiB (default 4096)",
		set: func(o *options, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("invalid buffer size %q: want a positive number of KiB", v)
			}
			o.bufferKiB = n
			return nil
		}},
	{short: 'D', long: []string{"list-interfaces"}, help: "list the interfaces with their offload settings and exit",
		set: func(o *options, v string) error { o.listIfaces = true; return nil }},
	// Remote capture (-i ssh://[user@]host[:port]/IFACE)
	{long: []string{"push"}, help: "with -i ssh://...: copy this wirelens to the remote host for the capture (removed afterwards)",
		set: func(o *options, v string) error { o.push = true; return nil }},
	{long: []string{"remote-tool"}, arg: needArg, argName: "TOOL", help: "with -i ssh://...: capture with TOOL there: auto (wirelens, else tcpdump, else dumpcap), wirelens, tcpdump or dumpcap",
		set: func(o *options, v string) error {
			if !contains([]string{"auto", "wirelens", "tcpdump", "dumpcap"}, v) {
				return fmt.Errorf("invalid --remote-tool %q: want auto, wirelens, tcpdump or dumpcap", v)
			}
			o.remoteTool = v
			return nil
		}},
	{long: []string{"keep-ssh"}, help: "with -i ssh://...: keep the SSH session's own packets (excluded by default)",
		set: func(o *options, v string) error { o.keepSSH = true; return nil }},
	// Stop conditions and capture output
	{short: 'c', arg: needArg, argName: "N", help: "stop after N packets (read, as tshark counts with -Y)",
		set: func(o *options, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("invalid packet count %q: want a positive whole number", v)
			}
			o.count = n
			return nil
		}},
	{short: 'a', long: []string{"autostop"}, arg: needArg, argName: "COND", help: "stop condition: duration:SECONDS, packets:N, filesize:KB, files:N (with -b: stop when file N is complete)",
		set: func(o *options, v string) error { return o.parseAutostop(v) }},
	{short: 'b', long: []string{"ring-buffer"}, arg: needArg, argName: "OPT", help: "ring buffer for -w of a live capture, files named as dumpcap: switch at duration:S, filesize:KB, packets:N, interval:S; files:N keeps the newest N",
		set: func(o *options, v string) error { return o.parseRing(v) }},
	// Input
	{short: 'r', long: []string{"read-file"}, arg: needArg, argName: "FILE", help: "read packets from FILE (pcap, pcapng; gzip, zstd, lz4, bzip2, xz; - for standard input)",
		set: func(o *options, v string) error { o.read = v; return nil }},
	// Processing
	{short: '2', help: "two-pass analysis (with -R)",
		set: func(o *options, v string) error { o.twoPass = true; return nil }},
	{short: 'R', long: []string{"read-filter"}, arg: needArg, argName: "FILTER", help: "read filter (with -2): frames it rejects are dropped before numbering",
		set: func(o *options, v string) error { o.readFilter = v; return nil }},
	{short: 'Y', long: []string{"display-filter"}, arg: needArg, argName: "FILTER", help: "display filter (Wireshark syntax)",
		set: func(o *options, v string) error { o.filter = v; return nil }},
	{short: 'n', help: "no name resolution (wirelens never resolves names)",
		set: func(o *options, v string) error { o.noResolve = true; return nil }},
	{short: 'N', arg: needArg, argName: "FLAGS", help: "name resolution flags mnNtdv (accepted; wirelens never resolves names)",
		set: func(o *options, v string) error {
			for _, c := range v {
				if !strings.ContainsRune("mnNtdvsg", c) {
					return fmt.Errorf("invalid -N flag %q in %q: want some of m, n, N, t, d, v", c, v)
				}
			}
			o.resolve = v
			return nil
		}},
	{short: 'd', arg: needArg, argName: "LAYER==SEL,PROTO", help: "Decode As, e.g. tcp.port==8888,http",
		set: func(o *options, v string) error { o.decodeAs = append(o.decodeAs, v); return nil }},
	// Output
	{short: 'w', arg: needArg, argName: "FILE", help: "write packets (the displayed ones, with -r and -Y) to FILE (- for standard output)",
		set: func(o *options, v string) error { o.write = v; return nil }},
	{short: 'F', arg: needArg, argName: "TYPE", help: "file type for -w: pcapng (default) or pcap",
		set: func(o *options, v string) error {
			if v != "pcapng" && v != "pcap" {
				return fmt.Errorf("invalid -F file type %q: wirelens writes pcapng or pcap", v)
			}
			o.writeFormat = v
			return nil
		}},
	{short: 'V', help: "print each packet's full protocol tree",
		set: func(o *options, v string) error { o.verbose = true; return nil }},
	{short: 'O', arg: needArg, argName: "PROTOS", help: "show the details of these protocols only (comma separated); implies -V",
		set: func(o *options, v string) error {
			for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				o.onlyProtos = append(o.onlyProtos, p)
			}
			return nil
		}},
	{short: 'P', long: []string{"print"}, help: "print the summary line even when writing packets with -w",
		set: func(o *options, v string) error { o.printSum = true; return nil }},
	{short: 'S', arg: needArg, argName: "SEP", help: "line separator to print between packets",
		set: func(o *options, v string) error { o.separator = v + "\n"; return nil }},
	{short: 'x', help: "print a hex and ASCII dump of each packet",
		set: func(o *options, v string) error { o.hex = true; return nil }},
	{short: 'T', arg: needArg, argName: "FORMAT", help: "output format: text, fields, json, jsonraw, ek, pdml, psml",
		set: func(o *options, v string) error {
			switch v {
			case "text", "fields", "json", "jsonraw", "ek", "pdml", "psml":
				o.format = v
				return nil
			}
			return fmt.Errorf("invalid -T format %q: want text, fields, json, jsonraw, ek, pdml or psml", v)
		}},
	{short: 'e', arg: needArg, argName: "FIELD", help: "with -T fields (or json, ek): print FIELD (repeatable)",
		set: func(o *options, v string) error { o.fields = append(o.fields, v); return nil }},
	{short: 'E', arg: needArg, argName: "OPT=VAL", help: "with -T fields: bom=y|n, header=y|n, separator=/t|/s|C, occurrence=a|f|l, aggregator=,|/s|C, quote=d|s|n, escape=y|n",
		set: func(o *options, v string) error { o.fieldOpts = append(o.fieldOpts, v); return nil }},
	{short: 't', arg: needArg, argName: "FORMAT", help: "time format: a, ad, adoy, d, dd, e, r (default), u, ud, udoy",
		set: func(o *options, v string) error {
			tf, err := output.ParseTimeFormat(v)
			tf.HMS = o.timeFormat.HMS
			o.timeFormat = tf
			return err
		}},
	{short: 'u', arg: needArg, argName: "s|hms", help: "seconds as s (default) or hms",
		set: func(o *options, v string) error {
			switch v {
			case "s":
				o.timeFormat.HMS = false
			case "hms":
				o.timeFormat.HMS = true
			default:
				return fmt.Errorf("invalid -u seconds format %q: want s or hms", v)
			}
			return nil
		}},
	{short: 'l', help: "flush standard output after each packet",
		set: func(o *options, v string) error { o.flush = true; return nil }},
	{short: 'q', help: "no per-packet output (with -z, --checksum-report or -w)",
		set: func(o *options, v string) error { o.quiet = true; return nil }},
	{short: 'Q', help: "only errors on standard error",
		set: func(o *options, v string) error { o.quiet, o.quieter = true, true; return nil }},
	{short: 'z', arg: needArg, argName: "STAT", help: "statistics: conv,TYPE endpoints,TYPE io,phs io,stat,INTERVAL[,FILTER] expert follow,tcp|udp,ascii|hex,N checksum",
		set: func(o *options, v string) error { o.stats = append(o.stats, v); return nil }},
	{short: 'o', arg: needArg, argName: "NAME:VALUE", help: "override a preference (repeatable), e.g. tcp.check_checksum:FALSE",
		set: func(o *options, v string) error { o.prefs = append(o.prefs, v); return nil }},
	{short: 'G', arg: optArg, argName: "REPORT", help: "glossary: fields (default), protocols, currentprefs, defaultprefs; then exit",
		set: func(o *options, v string) error { o.wantGloss, o.glossary = true, v; return nil }},
	{short: 'v', long: []string{"version"}, help: "print the version and exit",
		set: func(o *options, v string) error { o.version = true; return nil }},
	{short: 'h', long: []string{"help"}, help: "print this help and exit",
		set: func(o *options, v string) error { o.help = true; return nil }},
	{long: []string{"no-duplicate-keys"}, help: "with -T json: a field seen more than once becomes one key with an array",
		set: func(o *options, v string) error { o.noDupKeys = true; return nil }},
	// wirelens's own
	{long: []string{"demo"}, help: "open the capture built into wirelens (offload artifacts and real corruption)",
		set: func(o *options, v string) error { o.demo = true; return nil }},
	{long: []string{"checksum-report"}, help: "print the per-capture checksum verdict (also -z checksum)",
		set: func(o *options, v string) error { o.report = true; return nil }},
	{long: []string{"batch"}, help: "print packets (like tshark) even when standard output is a terminal",
		set: func(o *options, v string) error { o.batch = true; return nil }},
	{long: []string{"prefs"}, arg: needArg, argName: "FILE", help: "preferences file (default $XDG_CONFIG_HOME/wirelens/preferences)",
		set: func(o *options, v string) error { o.prefsFile = v; return nil }},
}

// unsupported are tshark options that make no sense without a GUI or
// without libpcap; they are refused by name rather than as unknown.
var unsupported = map[string]string{
	"I": "monitor mode", "y": "link-layer type selection", "L": "listing link-layer types",
	"C": "configuration profiles", "H": "hosts files", "M": "session auto reset",
	"X": "extension options", "U": "PDU export", "j": "JSON layer filters", "J": "JSON layer filters",
	"W": "extra file information", "g": "group-readable output files",
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (o *options) parseAutostop(v string) error {
	k, n, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("invalid -a %q: want duration:SECONDS, packets:N, filesize:KB or files:N", v)
	}
	switch k {
	case "duration":
		d, err := parseDuration(v)
		o.duration = d
		return err
	case "packets", "files", "filesize":
		x, err := strconv.ParseInt(n, 10, 64)
		if err != nil || x <= 0 {
			return fmt.Errorf("invalid -a %q: %q is not a positive whole number", v, n)
		}
		switch k {
		case "packets":
			o.autostop.packets = int(x)
		case "files":
			o.autostop.files = int(x)
		case "filesize":
			o.autostop.filesize = x
		}
		return nil
	}
	return fmt.Errorf("invalid -a %q: want duration:SECONDS, packets:N, filesize:KB or files:N", v)
}

// parseRing reads one -b: dumpcap's ring buffer conditions.
func (o *options) parseRing(v string) error {
	const want = "want duration:SECONDS, filesize:KB, files:N, packets:N or interval:SECONDS"
	k, n, ok := strings.Cut(v, ":")
	if !ok {
		return fmt.Errorf("invalid -b %q: %s", v, want)
	}
	o.ringSet = true
	if k == "duration" {
		x, err := strconv.ParseFloat(n, 64)
		if err != nil || !(x > 0) || x > 1e9 {
			return fmt.Errorf("invalid -b %q: %q is not a positive number of seconds", v, n)
		}
		o.ring.Duration = time.Duration(x * float64(time.Second))
		return nil
	}
	if !contains([]string{"filesize", "files", "packets", "interval"}, k) {
		return fmt.Errorf("invalid -b %q: %s", v, want)
	}
	x, err := strconv.ParseInt(n, 10, 64)
	if err != nil || x <= 0 || x > 1<<40 {
		return fmt.Errorf("invalid -b %q: %q is not a positive whole number", v, n)
	}
	switch k {
	case "filesize":
		o.ring.FileSize = x * 1000 // kB as dumpcap counts them
	case "files":
		o.ring.Files = int(x)
	case "packets":
		o.ring.Packets = int(x)
	case "interval":
		if x > 1e9 {
			return fmt.Errorf("invalid -b %q: %q is not a positive whole number of seconds", v, n)
		}
		o.ring.Interval = time.Duration(x) * time.Second
	}
	return nil
}

// checkRing refuses the -b combinations tshark refuses, and the ones
// wirelens cannot do.
func (o *options) checkRing() error {
	switch {
	case o.write == "":
		return errors.New("-b (ring buffer) requested, but the capture isn't being saved to a file: give -w FILE")
	case o.write == "-":
		return errors.New("-b (ring buffer) requested, but the capture is written to the standard output (-w -): give -w FILE")
	case o.iface == "":
		return errors.New("-b (ring buffer) is for a live capture: give -i IFACE")
	case remote.IsTarget(o.iface):
		return fmt.Errorf("-b (ring buffer) is not supported with a remote capture (-i %s): its stream is written to one -w file; capture without -b", o.iface)
	case !o.ring.Switches():
		return errors.New("-b (ring buffer) requested, but no file size, duration, interval or packet count to switch files: add -b filesize:KB, duration:S, interval:S or packets:N")
	case o.writeFormat != "" && o.writeFormat != "pcapng":
		return fmt.Errorf("-b (ring buffer) writes pcapng files, not -F %s", o.writeFormat)
	}
	o.ring.StopAfter = o.autostop.files
	return nil
}

// getopt parses args as tshark's getopt_long does: short options may be
// joined (-nr FILE, -c1, -Tfields), an option's value may follow it or be
// the next word, long options take --name=value or --name value and any
// unambiguous prefix, words that are not options may come anywhere and
// "--" ends the options. It returns the words that are not options.
func getopt(o *options, args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(rest, args[i+1:]...), nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			d, err := findLong(name)
			if err != nil {
				return nil, err
			}
			switch {
			case d.arg == noArg && hasVal:
				return nil, fmt.Errorf("option '--%s' doesn't allow an argument", d.long[0])
			case d.arg == needArg && !hasVal:
				if i+1 >= len(args) {
					return nil, fmt.Errorf("option '--%s' requires an argument", d.long[0])
				}
				i++
				val = args[i]
			}
			if err := d.set(o, val); err != nil {
				return nil, err
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				d := findShort(c)
				if d == nil {
					if what, ok := unsupported[string(c)]; ok {
						return nil, fmt.Errorf("option -%c (%s) is not supported by wirelens", c, what)
					}
					return nil, fmt.Errorf("invalid option -- '%s'", printable(c))
				}
				if d.arg == noArg {
					if err := d.set(o, ""); err != nil {
						return nil, err
					}
					continue
				}
				val := a[j+1:]
				if val == "" {
					switch {
					case i+1 < len(args) && (d.arg == needArg || !strings.HasPrefix(args[i+1], "-")):
						i++
						val = args[i]
					case d.arg == needArg:
						return nil, fmt.Errorf("option requires an argument -- '%c'", c)
					}
				}
				if err := d.set(o, val); err != nil {
					return nil, err
				}
				break
			}
		default:
			rest = append(rest, a)
		}
	}
	return rest, nil
}

func printable(c byte) string {
	if c < 0x20 || c > 0x7e {
		return fmt.Sprintf("\\x%02x", c)
	}
	return string(c)
}

func findShort(c byte) *opt {
	for i := range optTable {
		if optTable[i].short == c && c != 0 {
			return &optTable[i]
		}
	}
	return nil
}

// findLong finds a long option by its name or an unambiguous prefix.
func findLong(name string) (*opt, error) {
	var match []*opt
	for i := range optTable {
		for _, l := range optTable[i].long {
			if l == name {
				return &optTable[i], nil
			}
			if strings.HasPrefix(l, name) && name != "" {
				match = append(match, &optTable[i])
			}
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return nil, fmt.Errorf("unrecognized option '--%s'", name)
	}
	var names []string
	for _, m := range match {
		names = append(names, "--"+m.long[0])
	}
	return nil, fmt.Errorf("option '--%s' is ambiguous; possibilities: %s", name, strings.Join(names, " "))
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	// tshark: -G must come first, and its report is the next word.
	if len(args) > 0 && args[0] == "-G" {
		o.wantGloss = true
		if len(args) > 1 {
			o.glossary = args[1]
		}
		return o, nil
	}
	positional, err := getopt(o, args)
	if err != nil {
		return nil, usageError(err)
	}
	if o.help {
		printUsage(stderr)
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
	case len(positional) > 1:
		return nil, usageError(fmt.Errorf("too many file names: %s (give one capture file)", strings.Join(positional, " ")))
	case len(positional) == 1 && o.read != "":
		return nil, usageError(fmt.Errorf("two capture files given: -r %s and %s", o.read, positional[0]))
	case len(positional) == 1:
		o.read = positional[0]
	}
	if o.captureFilter != "" && o.read != "" {
		return nil, usageError(fmt.Errorf("-f %q is a capture filter, for live capture (-i); to filter a file's packets use -Y (display filter)", o.captureFilter))
	}
	if o.autostop.packets > 0 && o.count == 0 {
		o.count = o.autostop.packets
	}
	if len(o.fields) > 0 && o.format != "fields" && o.format != "json" && o.format != "ek" {
		return nil, usageError(errors.New("-e requires -T fields, -T json or -T ek"))
	}
	if o.format == "fields" && len(o.fields) == 0 {
		return nil, usageError(errors.New("-T fields requires at least one -e FIELD"))
	}
	if o.readFilter != "" && !o.twoPass {
		return nil, usageError(errors.New("-R without -2 is deprecated (as in tshark). For single-pass filtering use -Y"))
	}
	if o.write == "-" && (o.printSum || o.verbose || o.hex || o.format != "") {
		return nil, usageError(errors.New("you can't write both raw packet data and dissected packets to the standard output"))
	}
	if o.ringSet {
		if err := o.checkRing(); err != nil {
			return nil, usageError(err)
		}
	}
	if o.writeFormat != "" && o.write == "" {
		return nil, usageError(errors.New("-F names the file type of -w: give -w FILE"))
	}
	if o.demo && o.read != "" {
		return nil, usageError(fmt.Errorf("--demo opens the built-in capture; it cannot be combined with the file %s", o.read))
	}
	return o, nil
}

type usageErr struct{ error }

func usageError(err error) error { return usageErr{err} }

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `wirelens %s: a packet inspector that tells checksum offload from corruption

Usage:
  wirelens [FILE]                 open FILE (or the start screen) in the terminal UI
  wirelens --demo                 open the built-in demo capture
  wirelens -r FILE [options]      print packets like tshark (batch mode when
                                  output is not a terminal, or with -T, -V, -c, -x, -z, -w)
  wirelens -i IFACE [FILTER]      capture live (root or cap_net_raw,cap_net_admin),
                                  in the UI, or with -w FILE / -c N / -T as tshark
  wirelens -i ssh://[user@]host[:port]/IFACE [FILTER]
                                  capture on a remote host through ssh (wirelens,
                                  tcpdump or dumpcap there; --push copies this one)
  wirelens -D [ssh://host]        list interfaces and their offload settings

Options are parsed as tshark parses them: short options may be joined
(-nr FILE, -c1, -Tfields), and -- ends the options.

Options:
`, version)
	var lines [][2]string
	for _, d := range optTable {
		var names []string
		if d.short != 0 {
			names = append(names, "-"+string(d.short))
		}
		for _, l := range d.long {
			names = append(names, "--"+l)
		}
		n := strings.Join(names, ", ")
		if d.arg == needArg {
			n += " " + d.argName
		} else if d.arg == optArg {
			n += " [" + d.argName + "]"
		}
		lines = append(lines, [2]string{n, d.help})
	}
	sort.SliceStable(lines, func(i, j int) bool {
		return strings.ToLower(strings.TrimLeft(lines[i][0], "-")) < strings.ToLower(strings.TrimLeft(lines[j][0], "-"))
	})
	for _, l := range lines {
		if len(l[0]) < 28 {
			fmt.Fprintf(w, "  %-28s %s\n", l[0], l[1])
		} else {
			fmt.Fprintf(w, "  %s\n  %-28s %s\n", l[0], "", l[1])
		}
	}
	fmt.Fprint(w, `
Exit status: 0 success, 1 bad usage, 2 the capture could not be read completely
(every packet before the damage is still printed).
`)
}
