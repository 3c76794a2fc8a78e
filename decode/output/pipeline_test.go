package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

// testCaptures is every capture the repository keeps for tests: real,
// crafted, hostile, the demo and the filter tests' own.
func testCaptures(t *testing.T) []string {
	var out []string
	for _, dir := range []string{"../../testdata/captures", "../../testdata/crafted", "../../testdata/hostile",
		"../../testdata/compare", "../filter/testdata/captures", "../../cmd/wirelens"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if strings.Contains(n, ".pcap") {
				out = append(out, filepath.Join(dir, n))
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d test captures found", len(out))
	}
	return out
}

// runPrinter prints path with cfg under the given GOMAXPROCS and returns
// the output and Run's error text.
func runPrinter(t *testing.T, procs int, path string, cfg func() Config) string {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		return "open: " + err.Error()
	}
	defer rd.Close()
	var out bytes.Buffer
	p := prefs.Default()
	p.SetValidates("ip", true)
	p.SetValidates("tcp", true)
	p.SetValidates("udp", true)
	pr := NewPrinter(&out, p, cfg())
	if procs == 1 && pr.pipeline {
		t.Fatal("GOMAXPROCS=1: pipelined")
	}
	// Every mode is held to the sequential output pipelined, also those
	// NewPrinter runs sequentially by default.
	pr.pipeline = procs > 1
	err = pr.Run(rd)
	return fmt.Sprintf("%s\nerror: %v\n", out.Bytes(), err)
}

// TestPipelineMatchesSequential holds the pipelined batch loop (more than
// one core) to the sequential one (GOMAXPROCS=1): byte for byte the same
// output, errors included, on every test capture, in the output modes
// that depend on the order of frames (trees with the displayed-delta
// field, fields, filtered summaries with the report, -c); the JSON and hex
// writers are the same code on either path (TestPipelineOneCapture runs
// JSON).
func TestPipelineMatchesSequential(t *testing.T) {
	spec := func(names ...string) *Spec {
		s, err := NewSpec(names)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	flt := func(expr string) *filter.Filter {
		f, err := filter.Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	modes := map[string]func() Config{
		"tree": func() Config { return Config{Verbose: true} },
		"fields": func() Config {
			return Config{Format: "fields", Spec: spec("frame.number", "ip.checksum.status", "tcp.checksum.status",
				"udp.checksum.status", "tcp.stream", "tcp.seq", "wirelens.hint", "frame.time_delta_displayed")}
		},
		"filter+dd+report": func() Config { return Config{Filter: flt("tcp || icmp"), Time: TimeFormat{Kind: "dd"}, Report: true} },
		"count":            func() Config { return Config{Count: 7, Format: "fields", Spec: spec("frame.number", "_ws.col.info")} },
	}
	for _, path := range testCaptures(t) {
		for name, cfg := range modes {
			seq := runPrinter(t, 1, path, cfg)
			par := runPrinter(t, 2, path, cfg)
			if seq != par {
				t.Errorf("%s, %s: the pipelined output differs from the sequential one (%d vs %d bytes)\n%s",
					path, name, len(par), len(seq), firstDiff(seq, par))
			}
		}
	}
}

// TestPipelineOneCapture is the check above on one capture, small enough
// to run under the race detector in CI (the whole sweep takes minutes there).
func TestPipelineOneCapture(t *testing.T) {
	path := "../../testdata/captures/veth-offload-a-eth.pcap"
	for _, cfg := range []func() Config{
		func() Config { return Config{Verbose: true} },
		func() Config { return Config{Format: "json", Report: true} },
	} {
		if seq, par := runPrinter(t, 1, path, cfg), runPrinter(t, 2, path, cfg); seq != par {
			t.Errorf("the pipelined output differs from the sequential one:\n%s", firstDiff(seq, par))
		}
	}
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n seq: %q\n par: %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one is a prefix of the other (%d vs %d lines)", len(la), len(lb))
}

// TestLeanSummaryMatchesFull: the summary line and -T fields columns of a
// lean dissection (only the fields printed or filtered on are built) are
// those of the whole tree, on every test capture.
func TestLeanSummaryMatchesFull(t *testing.T) {
	flt, err := filter.Compile("tcp.checksum.status == 0 || ip.checksum.status == 0 || dns || http || tls || icmp")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := NewSpec([]string{"frame.number", "_ws.col.Info", "_ws.col.Protocol", "_ws.col.Source", "ip.checksum.status", "tcp.stream"})
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]func() Config{
		"text":           func() Config { return Config{} },
		"text -Y":        func() Config { return Config{Filter: flt} },
		"fields+cols -Y": func() Config { return Config{Format: "fields", Spec: spec, Filter: flt} },
	}
	for _, path := range testCaptures(t) {
		for name, cfg := range modes {
			lean := runPrinter(t, 1, path, cfg)
			leanOff = true
			full := runPrinter(t, 1, path, cfg)
			leanOff = false
			if lean != full {
				t.Errorf("%s, %s: the lean output differs from the whole tree's\n%s", path, name, firstDiff(full, lean))
			}
		}
	}
}
