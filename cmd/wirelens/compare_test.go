package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareReports holds the reports of --compare on captures of the
// same traffic at two points: the damaging relay's two ends (each kind of
// damage named, worst first), both ends of a veth pair with offloads on and
// off (nothing changed), and one end on Ethernet against the same end on
// Linux cooked (across link types). Each report is a golden file.
func TestCompareReports(t *testing.T) {
	caps := filepath.Join("..", "..", "testdata", "captures")
	rel := filepath.Join("..", "..", "testdata", "compare")
	cases := []struct {
		a, b string
		want []string // lines the verdict must hold
	}{
		{filepath.Join(rel, "a.pcap"), filepath.Join(rel, "b.pcapng"), []string{
			"3 frames: the data differs but the receiver's checksum is good: corrupted before the checksum was computed",
			"3 frames: the data differs and the receiver's checksum is bad: damaged after the sender's capture point",
			"3 frames: the bytes are the sender's but the checksum that arrived is wrong",
			"3 frames: arrived holding the partial pseudo-header sum",
			"3 frames: sent but never seen at the other end: lost; 3 of them were sent again and arrived",
			"left to checksum offload at the sender and good at the receiver: offload confirmed",
			"one-way delay"}},
		{filepath.Join(caps, "veth-offload-a-eth.pcap"), filepath.Join(caps, "veth-offload-b-eth.pcap"), []string{"Every packet arrived as it was sent."}},
		{filepath.Join(caps, "veth-nooffload-a-eth.pcap"), filepath.Join(caps, "veth-nooffload-b-eth.pcap"), []string{"Every packet arrived as it was sent."}},
		{filepath.Join(caps, "veth-offload-a-any-sll2.pcap"), filepath.Join(caps, "veth-offload-a-eth.pcap"), []string{"Every packet arrived as it was sent."}},
	}
	for _, c := range cases {
		name := "compare-" + filepath.Base(filepath.Dir(c.a)) + "-" + filepath.Base(c.a) + "-" + filepath.Base(c.b)
		t.Run(name, func(t *testing.T) {
			out, stderr, code := runCapture(t, []string{"--compare", c.a, c.b})
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
			golden := filepath.Join("..", "..", "testdata", "golden-wirelens", name+".out")
			if *updateReports {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (make it with go test ./cmd/wirelens -run TestCompare -update-reports)", err)
			}
			if diff := lineDiff(string(want), out); diff != "" {
				t.Errorf("report differs from %s:\n%s", golden, diff)
			}
		})
	}
}

// TestCompareFields: with -Y and -T fields, --compare prints one row per
// packet of A that matches, with the comparison's fields beside any other.
func TestCompareFields(t *testing.T) {
	rel := filepath.Join("..", "..", "testdata", "compare")
	out, stderr, code := runCapture(t, []string{"--compare", filepath.Join(rel, "b.pcapng"), filepath.Join(rel, "a.pcap"),
		"-Y", `wirelens.compare.status == "altered" && tcp.checksum.status == 1`, "-T", "fields",
		"-e", "frame.number", "-e", "wirelens.compare.peer", "-e", "wirelens.compare.diff", "-e", "wirelens.compare.verdict"})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want the 3 frames damaged before their checksum was computed, got:\n%s", out)
	}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 || f[1] == "" || !strings.HasSuffix(f[2], " tcp.payload") || f[3] != "corrupt-before-checksum" {
			t.Errorf("row %q: want frame, peer, OFFSET tcp.payload, corrupt-before-checksum", l)
		}
	}
	for _, bad := range []struct {
		args []string
		want int
	}{
		{[]string{"--compare", "x.pcap"}, exitUsage},
		{[]string{"--compare", filepath.Join(rel, "a.pcap"), "-Y"}, exitUsage},
		{[]string{"--compare", "-", "-"}, exitUsage},
		{[]string{"--compare", filepath.Join(rel, "a.pcap"), filepath.Join(rel, "b.pcap"), "-Y", "wirelens.compare.nosuch == 1"}, exitFilter},
	} {
		_, stderr, code := runCapture(t, bad.args)
		if code != bad.want || !strings.Contains(stderr, "wirelens: ") {
			t.Errorf("%q: exit %d, stderr %q; want %d and a message", bad.args, code, stderr, bad.want)
		}
	}
	_, stderr, code = runCapture(t, []string{"--compare", filepath.Join(rel, "a.pcap"), "nosuch.pcap"})
	if code != exitCapture || !strings.Contains(stderr, `"nosuch.pcap" doesn't exist`) {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}

// TestCompareOverlay: a tunnel's underlay compared with its overlay (the
// VM's own capture) matches the inner packets; the frames testdata/tunnel
// damaged on the underlay, and only those, come out altered.
func TestCompareOverlay(t *testing.T) {
	truths, _ := filepath.Glob("../../testdata/captures/overlay-*.truth")
	if len(truths) == 0 {
		t.Fatal("no overlay truth files")
	}
	for _, tr := range truths {
		base := strings.TrimSuffix(tr, ".truth")
		data, err := os.ReadFile(tr)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, l := range strings.Split(string(data), "\n") {
			if f := strings.Fields(l); len(f) > 0 && !strings.HasPrefix(l, "#") {
				want = append(want, f[0])
			}
		}
		out, stderr, code := runCapture(t, []string{"--compare", base + "-underlay.pcap", base + "-vm.pcap",
			"-Y", `wirelens.compare.status == "altered"`, "-T", "fields", "-e", "ip.id", "-E", "occurrence=f"})
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", base, code, stderr)
		}
		got := strings.Fields(out)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: altered frames (outer ip.id) %v, the tunnel damaged %v", filepath.Base(base), got, want)
		}
	}
}
