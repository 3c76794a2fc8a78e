package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRecent is how many recently opened captures the start screen lists.
const maxRecent = 10

// recentFile is where the recent captures are kept:
// $XDG_CONFIG_HOME/wirelens/recent (~/.config/wirelens/recent), one
// absolute path a line, newest first.
func recentFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "wirelens", "recent"), nil
}

// validRecent reports whether p can be a line of the recent file: an
// absolute path without control characters (a newline would split it).
func validRecent(p string) bool {
	if !filepath.IsAbs(p) || !utf8.ValidString(p) {
		return false
	}
	return strings.IndexFunc(p, unicode.IsControl) < 0
}

// loadRecent reads the recent captures. A missing, unreadable or damaged
// file is an empty list, never an error: the list is a convenience, and
// the start screen must open whatever state it is in.
func loadRecent() []string {
	path, err := recentFile()
	if err != nil {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 64<<10 {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l == "" {
			continue
		}
		if !validRecent(l) {
			return nil // not written by us: trust none of it
		}
		if len(out) < maxRecent && !contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// RecordRecent puts the capture at path at the top of the recent list the
// start screen shows (at most 10 entries, in
// $XDG_CONFIG_HOME/wirelens/recent). The file is replaced atomically, so a
// crash never leaves half a list. Stdin ("-") and paths that cannot be
// stored on one line are ignored. Run records the files opened from the
// start screen itself; the caller records the ones it opens (a capture
// given on the command line), but not temporary files such as the demo.
func RecordRecent(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if !validRecent(abs) {
		return nil
	}
	list := []string{abs}
	for _, p := range loadRecent() {
		if p != abs && len(list) < maxRecent {
			list = append(list, p)
		}
	}
	file, err := recentFile()
	if err != nil {
		return err
	}
	return writeAtomic(file, []byte(strings.Join(list, "\n")+"\n"))
}

// writeAtomic writes data to a temporary file next to path and renames it
// over path.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".recent-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
