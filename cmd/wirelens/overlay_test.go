package main

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
)

// TestOverlayTruth checks the verdict on the overlay underlay captures of
// testdata/make-captures.sh (the committed ones, and fresh ones when CI
// sets WIRELENS_LIVE_CAPTURES): a tunnel that offloaded the inner checksum
// leaves outer and inner checksums wrong as they stand, and none of that
// may be called corruption; the frames testdata/tunnel damaged on purpose
// (its .truth file, by outer IPv4 identification) must be exactly the
// suspect ones.
func TestOverlayTruth(t *testing.T) {
	if !hasHint("tunnel") {
		t.Skip("the tunnel (LCO) hint is not in wirelens yet: outer checksums computed with local checksum offload cannot be explained")
	}
	dirs := []string{filepath.Join("..", "..", "testdata", "captures")}
	if d := os.Getenv("WIRELENS_LIVE_CAPTURES"); d != "" {
		dirs = append(dirs, d)
	}
	n := 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "overlay-*-underlay.pcap"))
		for _, f := range files {
			n++
			t.Run(filepath.Base(f), func(t *testing.T) {
				skipUndecoded(t, f)
				want := map[string]bool{}
				truth := strings.TrimSuffix(f, "-underlay.pcap") + ".truth"
				if tf, err := os.Open(truth); err == nil {
					sc := bufio.NewScanner(tf)
					for sc.Scan() {
						if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
							want[strings.Fields(l)[0]] = true
						}
					}
					tf.Close()
				}
				args := []string{"-r", f, "-T", "fields", "-E", "occurrence=f", "-e", "ip.id", "-e", "wirelens.hint"}
				if strings.Contains(filepath.Base(f), "vxlan8472") {
					// Linux's default VXLAN port is VXLAN only by Decode As, as in tshark.
					args = append(args, "-d", "udp.port==8472,vxlan")
				}
				out, stderr, code := runCapture(t, args)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				got := map[string]bool{}
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					id, hints, _ := strings.Cut(l, "\t")
					if strings.Contains(hints, "suspect") {
						got[id] = true
					}
				}
				if g, w := keys(got), keys(want); strings.Join(g, " ") != strings.Join(w, " ") {
					t.Errorf("suspect frames (outer ip.id) %v, damaged on purpose %v", g, w)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no overlay captures in testdata/captures (sudo testdata/make-captures.sh)")
	}
}

func hasHint(name string) bool {
	for _, h := range decode.HintNames {
		if h == name {
			return true
		}
	}
	return false
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
