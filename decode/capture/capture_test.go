package capture_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

const offloadCapture = "../../testdata/captures/veth-offload-a-eth.pcap"

func waitIndexed(t *testing.T, c *capture.Capture) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		done, err := c.Indexing()
		if err != nil {
			t.Fatalf("indexing: %v", err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("indexing did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// goldenBad reads tshark's checksum statuses for the capture (the golden
// made by testdata/golden.sh) and returns, per frame, the set of columns
// that are Bad: 0 ip, 1 tcp, 2 udp, 3 icmp, 4 icmpv6 ...
func goldenBad(t *testing.T, name string) []map[int]bool {
	f, err := os.Open("../../testdata/golden/" + name + ".checksums.out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[int]bool
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		bad := map[int]bool{}
		for i, c := range cols[1:] {
			for _, v := range strings.Split(c, ",") {
				if v == "0" {
					bad[i] = true
				}
			}
		}
		out = append(out, bad)
	}
	return out
}

// TestCaptureVerdictsFollowPrefs checks the indexed capture against tshark's
// verdicts, and that switching TCP validation off masks TCP's bad checksums
// in counts, navigation and rows without re-reading the file.
func TestCaptureVerdictsFollowPrefs(t *testing.T) {
	c, err := capture.Open(offloadCapture, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waitIndexed(t, c)
	want := goldenBad(t, "veth-offload-a-eth.pcap")
	if c.Len() != len(want) {
		t.Fatalf("Len = %d, tshark has %d frames", c.Len(), len(want))
	}
	count := func(skipTCP bool) (n int, first int) {
		first = -1
		for i, b := range want {
			any := false
			for col := range b {
				if !(skipTCP && col == 1) {
					any = true
				}
			}
			if any {
				n++
				if first < 0 {
					first = i
				}
			}
		}
		return n, first
	}
	n, first := count(false)
	if n == 0 {
		t.Fatal("the offload capture has no bad checksums in the golden: wrong file?")
	}
	if got := c.BadCount(); got != n {
		t.Errorf("BadCount = %d, tshark says %d frames have a bad checksum", got, n)
	}
	if got := c.NextBad(-1, 1); got != first {
		t.Errorf("NextBad(-1, +1) = %d, want %d", got, first)
	}
	for i := range want {
		if r := c.Row(i); r.Bad != (len(want[i]) > 0) {
			t.Errorf("frame %d: Row.Bad = %v, tshark bad columns %v", i+1, r.Bad, want[i])
		}
	}

	p := c.Prefs()
	p.SetValidates("tcp", false)
	c.SetPrefs(p)
	n, first = count(true)
	if got := c.BadCount(); got != n {
		t.Errorf("with TCP validation off: BadCount = %d, want %d", got, n)
	}
	if got := c.NextBad(-1, 1); got != first {
		t.Errorf("with TCP validation off: NextBad = %d, want %d", got, first)
	}
	for i := range want {
		r := c.Row(i)
		for _, m := range r.Checksums {
			if m.Proto == "tcp" && m.Status != decode.StatusUnverified {
				t.Fatalf("frame %d: TCP checksum %v with validation off, want Unverified", i+1, m.Status)
			}
		}
	}
}

// TestCaptureMatchesBatch dissects every frame in order, as the batch mode
// does, and requires the capture's random-access dissection to agree field
// for field, even when the last frame was looked at before the in-order
// pass reached it (a frozen dissection must leave no wrong state behind),
// on every test capture: what the re-dissection reads back (stream numbers,
// relative sequence numbers, analysis results, conversation times, echo
// pairs) must be what the in-order pass found for that frame.
func TestCaptureMatchesBatch(t *testing.T) {
	var names []string
	for _, glob := range []string{"../../testdata/captures/*.pcap*", "../../testdata/crafted/*.pcap*"} {
		m, _ := filepath.Glob(glob)
		names = append(names, m...)
	}
	if len(names) < 20 {
		t.Fatalf("only %d test captures found", len(names))
	}
	// Known differences in the application layers' state on re-dissection
	// (reassembled messages, HPACK, QUIC keys, TFTP's conversation): on
	// these only the transport's conversation fields are compared.
	appStateDiffers := map[string]bool{"apps-a.pcap": true, "apps-real.pcap": true, "http2.pcap": true, "quic.pcap": true,
		"tcp-apps.pcap": true, "tcp-cksum-ffff.pcap": true, "udp-apps.pcap": true}
	for _, name := range names {
		text := treeText
		if appStateDiffers[filepath.Base(name)] {
			text = convText
		}
		t.Run(filepath.Base(name), func(t *testing.T) {
			if _, err := capfile.Open(name, capfile.Options{}); err != nil {
				t.Skipf("not a capture for this test: %v", err)
			}
			var lines []string
			rd, err := capfile.Open(name, capfile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ds := decode.NewDissector(prefs.Default())
			var d decode.Dissection
			var first int64
			for n := 1; ; n++ {
				rec, data, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					break // a capture cut short: compare what was read
				}
				if n == 1 {
					first = rec.Timestamp
				}
				fr := decode.Frame{Number: n, Data: data, Record: rec, RelTime: rec.Timestamp - first, Iface: rd.Interface(rec.Interface)}
				ds.Dissect(&fr, &d)
				lines = append(lines, text(&d))
			}
			rd.Close()

			c, err := capture.Open(name, prefs.Default())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for c.Len() == 0 {
				time.Sleep(time.Millisecond)
			}
			// Look at the newest frame straight away, likely before analysis.
			if _, err := c.Dissect(c.Len() - 1); err != nil {
				t.Fatal(err)
			}
			waitIndexedOrDamaged(t, c)
			for i, want := range lines {
				d, err := c.Dissect(i)
				if err != nil {
					t.Fatal(err)
				}
				if got := text(d); got != want {
					t.Fatalf("frame %d differs from the in-order dissection: %s", i+1, firstDiff(got, want))
				}
			}
		})
	}
}

// waitIndexedOrDamaged waits for indexing to end, the file's damage
// (a capture cut short) allowed.
func waitIndexedOrDamaged(t *testing.T, c *capture.Capture) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if done, _ := c.Indexing(); done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("indexing did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// firstDiff shows where two treeTexts part, with a little around it.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, " "), strings.Split(want, " ")
	k := 0
	for k < len(g) && k < len(w) && g[k] == w[k] {
		k++
	}
	from := max(0, k-3)
	return fmt.Sprintf("\n got: ... %s\nwant: ... %s", strings.Join(g[from:min(len(g), k+6)], " "), strings.Join(w[from:min(len(w), k+6)], " "))
}

// convText is treeText for the fields the conversation tables give: the
// TCP, UDP and ICMP ones.
func convText(d *decode.Dissection) string {
	var b strings.Builder
	for i := range d.Fields {
		f := &d.Fields[i]
		n := f.Def.Name
		if !strings.HasPrefix(n, "tcp.") && !strings.HasPrefix(n, "udp.") && !strings.HasPrefix(n, "icmp") {
			continue
		}
		if strings.HasPrefix(n, "tcp.segment") || strings.HasPrefix(n, "tcp.reassembled") || n == "tcp.payload" || n == "udp.payload" {
			continue
		}
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(f.Value())
		b.WriteByte(' ')
	}
	return b.String()
}

func treeText(d *decode.Dissection) string {
	var b strings.Builder
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Def.Name == "frame.time_delta" || f.Def.Name == "frame.time_delta_displayed" {
			continue // the batch loop above does not compute it
		}
		b.WriteString(f.Def.Name)
		b.WriteByte('=')
		b.WriteString(f.Value())
		b.WriteByte(' ')
	}
	return b.String()
}
