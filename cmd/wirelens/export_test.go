package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// openIndexed opens path for the UI and waits until it is indexed.
func openIndexed(t *testing.T, path string) *capture.Capture {
	t.Helper()
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if done, _ := c.Indexing(); done {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatal("indexing did not end")
		}
	}
}

// tsharkTSV runs tshark -r path -T fields with the fields, one line a frame.
func tsharkTSV(t *testing.T, path string, args ...string) string {
	t.Helper()
	ts, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	cmd := exec.Command(ts, append([]string{"-r", path, "-T", "fields"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v", path, err)
	}
	return string(out)
}

var exportFields = []string{"-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.encap_type",
	"-e", "frame.comment", "-e", "frame.interface_name", "-e", "frame.interface_description", "-e", "frame.protocols"}

// TestExportPcapng exports a range of a three-interface pcapng (Ethernet,
// raw IP, SLL2; comments) and checks with tshark that each packet kept its
// timestamp, lengths, link type, comment and interface.
func TestExportPcapng(t *testing.T) {
	in := "../../testdata/crafted/pcapng-multi-if.pcapng"
	c := openIndexed(t, in)
	out := filepath.Join(t.TempDir(), "out.pcapng")
	frames := []int{1, 2, 3, 5} // packets 2-4,6
	if err := saveFrames(c, out, frames, "pcapng"); err != nil {
		t.Fatal(err)
	}
	if got := tsharkTSV(t, out, "-e", "frame.number"); got != "1\n2\n3\n4\n" {
		t.Errorf("frame numbers of the export: %q", got)
	}
	want := strings.Split(tsharkTSV(t, in, exportFields...), "\n")
	got := strings.Split(tsharkTSV(t, out, exportFields...), "\n")
	for k, i := range frames {
		if got[k] != want[i] {
			t.Errorf("exported packet %d (packet %d of the input):\n got %q\nwant %q", k+1, i+1, got[k], want[i])
		}
	}
	// never over an existing file, nor over the capture being read
	if err := saveFrames(c, out, frames, "pcapng"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second export over the first: %v", err)
	}
	if err := saveFrames(c, in, frames, "pcap"); err == nil || !strings.Contains(err.Error(), "the capture being read") {
		t.Errorf("export over the input: %v", err)
	}
	if st, err := os.Stat(in); err != nil || st.Size() != 1016 {
		t.Errorf("the input changed: %v %v", st, err)
	}
}

// TestExportPcap: pcap holds one link type: the two Ethernet packets go,
// a range that mixes link types is refused and leaves no file.
func TestExportPcap(t *testing.T) {
	in := "../../testdata/crafted/pcapng-multi-if.pcapng"
	c := openIndexed(t, in)
	dir := t.TempDir()
	out := filepath.Join(dir, "eth.pcap")
	if err := saveFrames(c, out, []int{0, 1}, "pcap"); err != nil {
		t.Fatal(err)
	}
	fields := []string{"-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.encap_type", "-e", "frame.protocols"}
	want := strings.Split(tsharkTSV(t, in, fields...), "\n")[:2]
	got := strings.Split(tsharkTSV(t, out, fields...), "\n")[:2]
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pcap export:\n got %q\nwant %q", got, want)
	}
	mixed := filepath.Join(dir, "mixed.pcap")
	err := saveFrames(c, mixed, []int{0, 1, 2}, "pcap")
	if err == nil || !strings.Contains(err.Error(), "packet 3 has link type 276 and packet 1 1: a pcap file holds one link type") {
		t.Errorf("mixed link types to pcap: %v", err)
	}
	if _, err := os.Stat(mixed); !os.IsNotExist(err) {
		t.Errorf("a refused export left %s: %v", mixed, err)
	}
	if err := saveFrames(c, filepath.Join(dir, "x.erf"), []int{0}, "erf"); err == nil || !strings.Contains(err.Error(), `"erf"`) {
		t.Errorf("unknown format: %v", err)
	}
}
