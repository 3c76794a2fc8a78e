package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// exitKnownDifferences are the lines of testdata/EXITCODES where wirelens
// exits otherwise than tshark 4.0, on purpose: tshark accepts the value
// silently and goes on with something the user did not ask for.
var exitKnownDifferences = map[string]int{
	// tshark reads any word but TRUE as FALSE for a boolean preference.
	"pref-bad-value": exitUsage,
	// tshark ignores an -E without "=", so the separator stays a tab.
	"E-without-value": exitUsage,
}

// TestExitStatuses runs every bad command line of testdata/EXITCODES
// through wirelens and requires tshark's exit status for it, as recorded in
// testdata/EXITCODES.tshark by testdata/exitcodes.sh (so this test
// needs no tshark), and an error message that names the bad input.
func TestExitStatuses(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	tshark := map[string]int{}
	g, err := os.ReadFile(filepath.Join(root, "EXITCODES.tshark"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(g), "\n") {
		name, st, ok := strings.Cut(l, " ")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		n, err := strconv.Atoi(st)
		if err != nil {
			t.Fatalf("EXITCODES.tshark: %q: %v", l, err)
		}
		tshark[name] = n
	}
	f, err := os.Open(filepath.Join(root, "EXITCODES"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Chdir(root) // the lines name captures relative to testdata/, as tshark ran them
	sc := bufio.NewScanner(f)
	seen := map[string]bool{}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words, err := shellWords(line)
		if err != nil || len(words) < 3 {
			t.Fatalf("EXITCODES line %q: %v", line, err)
		}
		name, needle, args := words[0], words[1], words[2:]
		seen[name] = true
		want, ok := tshark[name]
		if !ok {
			t.Fatalf("%s: not in EXITCODES.tshark; run bash testdata/exitcodes.sh", name)
		}
		if w, ok := exitKnownDifferences[name]; ok {
			if w == want {
				t.Errorf("%s: listed as a known difference, but tshark also exits %d", name, want)
			}
			want = w
		}
		t.Run(name, func(t *testing.T) {
			_, stderr, code := runCapture(t, args)
			if code != want {
				t.Errorf("wirelens %s: exit %d, want %d (tshark %d)\n%s", strings.Join(args, " "), code, want, tshark[name], stderr)
			}
			if !strings.Contains(stderr, "wirelens: ") || !strings.Contains(stderr, needle) {
				t.Errorf("wirelens %s: the message does not name %q:\n%s", strings.Join(args, " "), needle, stderr)
			}
			checkTerminalSafe(t, name, stderr)
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name := range tshark {
		if !seen[name] {
			t.Errorf("EXITCODES.tshark has %s, which EXITCODES no longer lists; run bash testdata/exitcodes.sh", name)
		}
	}
	for name := range exitKnownDifferences {
		if !seen[name] {
			t.Errorf("known difference %s is not in EXITCODES", name)
		}
	}
}
