package filter

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// TestTshark holds wirelens to tshark 4.0: for every capture with a golden
// file (written by testdata/golden.sh), every filter in filters.txt must
// select the same frames. It runs the real dissectors through
// capture.Capture.Filter, the path the TUI and batch mode use.
func TestTshark(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/golden/*.txt")
	if len(goldens) == 0 {
		t.Skip("no goldens: run decode/filter/testdata/golden.sh")
	}
	// tshark was run with IP, TCP and UDP validation on; it always checks
	// ICMP, ICMPv6, IGMP and GRE, and leaves UDP-Lite and SCTP alone.
	p := prefs.Default()
	p.SetValidates("udplite", false)
	p.SetValidates("sctp", false)
	for _, g := range goldens {
		base := strings.TrimSuffix(filepath.Base(g), ".txt")
		dir, name, _ := strings.Cut(base, "_")
		t.Run(base, func(t *testing.T) {
			capDir := filepath.Join("..", "..", "testdata", dir)
			if dir == "filter" {
				capDir = filepath.Join("testdata", "captures") // this package's own capture
			}
			capPath := findCapture(t, capDir, name)
			c, err := capture.Open(capPath, p)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
				if done, _ := c.Indexing(); done {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("capture still indexing after a minute")
				}
			}
			for _, l := range readGolden(t, g) {
				f, err := Compile(l.filter)
				if l.err {
					if err == nil {
						t.Errorf("%s: tshark rejects it, wirelens accepts it", l.filter)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: tshark accepts it, wirelens says: %v", l.filter, err)
					continue
				}
				idx, _ := c.Filter(f, nil, nil)
				got := make([]string, len(idx))
				for i, n := range idx {
					got[i] = strconv.Itoa(n + 1)
				}
				if g := strings.Join(got, " "); g != l.frames {
					onlyT, onlyW := diff(strings.Fields(l.frames), got)
					t.Errorf("%s: tshark %d frames, wirelens %d\n  only tshark:   %s\n  only wirelens: %s",
						l.filter, len(strings.Fields(l.frames)), len(got), abbrev(onlyT), abbrev(onlyW))
				}
			}
		})
	}
}

type goldenLine struct {
	filter, frames string
	err            bool
}

func readGolden(t *testing.T, path string) []goldenLine {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenLine
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<24) // a filter matching every frame of a big capture makes a long line
	for sc.Scan() {
		f, frames, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("%s: line without a tab: %q", path, sc.Text())
		}
		out = append(out, goldenLine{filter: f, frames: frames, err: frames == "ERROR"})
	}
	return out
}

func findCapture(t *testing.T, dir, name string) string {
	t.Helper()
	for _, ext := range []string{".pcap", ".pcapng"} {
		if p := filepath.Join(dir, name+ext); fileExists(p) {
			return p
		}
	}
	t.Skipf("capture %s/%s.pcap[ng] is gone; run golden.sh again", dir, name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// diff lists the frames only a has and those only b has.
func diff(a, b []string) (onlyA, onlyB string) {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var oa, ob []string
	for _, x := range a {
		if !mb[x] {
			oa = append(oa, x)
		}
	}
	for _, x := range b {
		if !ma[x] {
			ob = append(ob, x)
		}
	}
	return strings.Join(oa, " "), strings.Join(ob, " ")
}

// abbrev keeps failure output readable for filters that match thousands
// of frames.
func abbrev(s string) string {
	if len(s) > 300 {
		return s[:300] + " ..."
	}
	if s == "" {
		return "(none)"
	}
	return s
}
