package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateReports = flag.Bool("update-reports", false, "rewrite testdata/golden-wirelens/*.report.out from the current build")

// TestReportVerdicts holds the per-capture verdict to what the captures
// are: made in the test namespaces with the kernel's default offloads, every
// bad checksum is explained by offload and nothing is suspect; with
// offloads off there is nothing bad and nothing oversize. Each report is
// also kept as a golden file, so any change to the wording or counts shows
// up in review.
func TestReportVerdicts(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/captures/*.pcap*")
	crafted, _ := filepath.Glob("../../testdata/crafted/*.pcap*")
	files = append(files, crafted...)
	if len(files) < 10 {
		t.Fatalf("only %d captures found", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "corrupt-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			out, stderr, code := runCapture(t, []string{"-r", f, "--checksum-report"})
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			switch {
			case strings.HasPrefix(name, "veth-offload-") || strings.HasPrefix(name, "lo-offload-"):
				if !strings.Contains(out, "checksum offload, not corruption") || strings.Contains(out, "no offload pattern") {
					t.Errorf("offload capture not explained as offload:\n%s", out)
				}
			case strings.HasPrefix(name, "veth-nooffload-"):
				if !strings.Contains(out, "No bad checksums") || strings.Contains(out, "larger than the link MTU") {
					t.Errorf("capture without offloads has bad or oversize frames:\n%s", out)
				}
			}
			golden := filepath.Join("..", "..", "testdata", "golden-wirelens", name+".report.out")
			if *updateReports {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (make it with go test ./cmd/wirelens -run TestReportVerdicts -update-reports)", err)
			}
			if diff := lineDiff(string(want), out); diff != "" {
				t.Errorf("report differs from %s:\n%s", golden, diff)
			}
		})
	}
}
