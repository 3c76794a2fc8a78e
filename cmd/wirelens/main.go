// Command wirelens is a packet inspector for the terminal: a TUI over a
// capture file, or tshark-style batch output when asked for (-T, -V, -c,
// -x) or when standard output is not a terminal.
package main

import (
	"fmt"
	"io"
	"os"
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
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
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
