// Command wirelens is a packet inspector for the terminal: a TUI over a
// capture file, or tshark-style batch output when asked for (-T, -V, -c,
// -x) or when standard output is not a terminal.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/live"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--remove-self" {
		// A binary copied over by another wirelens's --push: it is loaded
		// now, so the copy on disk can go, whatever happens next.
		if self, err := os.Executable(); err == nil {
			os.Remove(self)
		}
		args = args[1:]
	}
	stop := startProfile(os.Getenv("WIRELENS_CPUPROFILE"))
	code := run(args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole run to path (for the
// bench scripts: where a live capture's time per packet goes); "" is off.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wirelens: WIRELENS_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "wirelens: WIRELENS_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// Exit statuses, as the README documents them: tshark 4.0's for the same
// failures, so a script written for tshark reads wirelens's alike
// (testdata/exitcodes.sh records tshark's; TestExitStatuses compares).
const (
	exitOK      = 0
	exitUsage   = 1 // a bad option or value, capture filter or interface
	exitCapture = 2 // a capture that cannot be read, or written, completely
	exitFilter  = 2 // a display (-Y) or read (-R) filter that does not compile
)

// filterError is a display or read filter that does not compile: tshark
// exits 2 for it, not 1 as for other bad values.
type filterError struct{ error }

func (e filterError) Unwrap() error { return e.error }

// usageStatus is the exit status for an error in the command line's values.
func usageStatus(err error) int {
	if errors.As(err, new(filterError)) {
		return exitFilter
	}
	return exitUsage
}

// captureStatus is the exit status for a capture that cannot start or
// finish: a bad -i or -f is the command line's fault (tshark exits 1).
func captureStatus(err error) int {
	if errors.As(err, new(usageErr)) || errors.Is(err, live.ErrNoInterface) {
		return exitUsage
	}
	return exitCapture
}

// fatalf writes an error message. Messages echo what the user gave (a
// filter, a field or flag name, a file name), which may have come from a
// capture or a web page: each line is sanitised so none can drive the
// terminal.
func fatalf(stderr io.Writer, format string, args ...any) {
	lines := strings.Split(fmt.Sprintf(format, args...), "\n")
	for i, l := range lines {
		lines[i] = decode.Sanitize(l)
	}
	fmt.Fprintf(stderr, "wirelens: %s\n", strings.Join(lines, "\n"))
}
