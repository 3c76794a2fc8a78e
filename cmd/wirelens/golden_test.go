package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestGolden runs every line of testdata/TESTLIST through wirelens with the
// same arguments tshark was given and requires tshark's output, byte for
// byte. The golden files are tshark's own output (testdata/golden.sh), so
// this test needs no tshark to run; CI checks they are still what tshark says.
func TestGolden(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	f, err := os.Open(filepath.Join(root, "TESTLIST"))
	if err != nil {
		t.Fatalf("TESTLIST: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words, err := shellWords(line)
		if err != nil || len(words) < 2 {
			t.Fatalf("TESTLIST line %q: %v", line, err)
		}
		name, capture, args := words[0], words[1], words[2:]
		golden := filepath.Join(root, "golden", filepath.Base(capture)+"."+name+".out")
		n++
		t.Run(filepath.Base(capture)+"/"+name, func(t *testing.T) {
			skipUndecoded(t, capture)
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("golden file: %v", err)
			}
			got, _, code := runCapture(t, append([]string{"-n", "-r", filepath.Join(root, capture)}, args...))
			if code != exitOK {
				t.Fatalf("exit status %d", code)
			}
			w := string(want)
			if strings.HasPrefix(name, "summary") {
				w, got = normalizeSummary(w, got)
			}
			if strings.HasPrefix(name, "verbose") {
				// Whole -V trees carry tshark's analysis (stream
				// timestamps, expert groups) wirelens does not claim;
				// what must match is every checksum line, in order.
				w, got = checksumLines(w), checksumLines(got)
			}
			if strings.HasPrefix(name, "z-follow-ascii") {
				// tshark's follow keeps CR in ascii; wirelens writes it
				// as a dot, as every other control character.
				w = strings.ReplaceAll(w, "\r", ".")
			}
			if strings.HasPrefix(name, "psml") {
				w = creatorAttr.ReplaceAllString(w, `creator="wirelens"`)
			}
			if strings.HasPrefix(name, "json") {
				compareJSON(t, w, got)
				return
			}
			if diff := lineDiff(w, got); diff != "" {
				t.Errorf("wirelens %s differs from tshark (%s):\n%s", strings.Join(args, " "), golden, diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("TESTLIST has no tests")
	}
}

// creatorAttr is the XML formats' creator, the one thing naming the tool.
var creatorAttr = regexp.MustCompile(`creator="[^"]*"`)

// tsharkOnly is the Info annotation of tshark's SCTP DATA reassembly (a
// repeated TSN), which wirelens does not claim to reproduce.
var tsharkOnly = regexp.MustCompile(` \(retransmission\)`)

// appProtocols are protocols above TCP/UDP whose rows tshark writes from a
// dissection wirelens does not claim;
// tshark's rows for them are left out of the summary comparison. SMTP/IMF:
// tshark's Internet Message Format dissection of a mail after DATA, which
// wirelens shows as "C: DATA fragment" (crafted/tcp-apps.pcap frame 13).
var appProtocols = map[string]bool{"SMTP/IMF": true}

// normalizeSummary drops what wirelens knowingly does not do from both
// outputs, line by line, so everything else must match exactly.
func normalizeSummary(want, got string) (string, string) {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	if len(w) != len(g) {
		return want, got
	}
	for i := range w {
		f := strings.Fields(w[i])
		// No. Time Src → Dst Proto ...: the protocol is the sixth word.
		if len(f) > 5 && appProtocols[f[5]] {
			w[i], g[i] = "", ""
			continue
		}
		// No. Time → Length: a link type tshark shows as a blank row,
		// which wirelens names (never a blank row): number and time
		// must still agree.
		if gf := strings.Fields(g[i]); len(f) == 4 && f[2] == "→" && len(gf) > 2 {
			w[i], g[i] = f[0]+" "+f[1], gf[0]+" "+gf[1]
			continue
		}
		w[i] = strings.TrimRight(tsharkOnly.ReplaceAllString(w[i], ""), " ")
		g[i] = strings.TrimRight(tsharkOnly.ReplaceAllString(g[i], ""), " ")
	}
	return strings.Join(w, "\n"), strings.Join(g, "\n")
}

// checksumLines keeps the -V lines that state a checksum verdict (value,
// status, calculated value), without indentation. tshark's expert-info
// subtrees and wirelens's own hint lines are left out.
func checksumLines(tree string) string {
	var b strings.Builder
	for _, l := range strings.Split(tree, "\n") {
		l = strings.TrimSpace(l)
		for _, p := range []string{"Checksum:", "Header Checksum:", "[Checksum Status:", "[Header checksum status:", "[Calculated Checksum:"} {
			if strings.HasPrefix(l, p) {
				b.WriteString(l)
				b.WriteByte('\n')
				break
			}
		}
	}
	return b.String()
}

// runCapture runs wirelens in-process with stdout and stderr in files.
func runCapture(t *testing.T, args []string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir) // no user preferences leak into tests
	code = run(args, os.Stdin, out, errf)
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(out.Name())
	e, _ := os.ReadFile(errf.Name())
	return string(o), string(e), code
}

// lineDiff lists the first differing lines, or "" when equal.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 12; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  tshark:   " + wl + "\n  wirelens: " + gl + "\n")
			shown++
		}
	}
	if len(w) != len(g) {
		b.WriteString("tshark has " + strconv.Itoa(len(w)) + " lines, wirelens " + strconv.Itoa(len(g)) + "\n")
	}
	return b.String()
}

// shellWords splits a TESTLIST line as a POSIX shell would for the quoting
// the list uses: single quotes, double quotes with backslash escapes, and
// backslashes outside quotes.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\'':
			in = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errUnterminated
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			in = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errUnterminated
			}
		case c == '\\' && i+1 < len(s):
			in = true
			i++
			cur.WriteByte(s[i])
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

type strErr string

func (e strErr) Error() string { return string(e) }

const errUnterminated = strErr("unterminated quote")
