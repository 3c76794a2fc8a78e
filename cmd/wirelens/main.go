// Command wirelens is a packet inspector for the terminal: a TUI over a
// capture file, or tshark-style batch output when asked for (-T, -V, -c,
// -x) or when standard output is not a terminal.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/wirelens/wirelens/decode"
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

// Exit statuses, as the README documents them.
const (
	exitOK      = 0
	exitUsage   = 1
	exitCapture = 2
)

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
