package main

import (
	"errors"
	"io"
	"os"

	"github.com/wirelens/wirelens/prefs"
)

// TEMPORARY (this session): replaced by the real report and TUI wiring.
func runTUI(path string, p prefs.Prefs, o *options, stderr io.Writer) int {
	return exitUsage
}
func demoFile() (string, error) { return "", errors.New("no demo yet") }

var _ = os.Stdout
