// Command wirelens is a packet inspector for the terminal: a TUI over a
// capture file, or tshark-style batch output when asked for (-T, -V, -c,
// -x) or when standard output is not a terminal.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses, as the README documents them.
const (
	exitOK      = 0
	exitUsage   = 1
	exitCapture = 2
)

func fatalf(stderr io.Writer, format string, args ...any) {
	fmt.Fprintf(stderr, "wirelens: "+format+"\n", args...)
}
