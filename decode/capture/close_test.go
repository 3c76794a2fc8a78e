package capture_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// bigPcap writes a pcap of n small UDP frames, enough that indexing is
// still running when a test closes the capture.
func bigPcap(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	le := binary.LittleEndian
	hdr := make([]byte, 24)
	le.PutUint32(hdr[0:], 0xa1b2c3d4)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 65535)
	le.PutUint32(hdr[20:], 1)
	buf := append([]byte(nil), hdr...)
	frame := []byte{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, // Ethernet
		0x45, 0, 0, 29, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4, checksum 0 (bad)
		0x30, 0x39, 0x00, 0x35, 0, 9, 0, 0, 'x', // UDP
	}
	rec := make([]byte, 16)
	for i := 0; i < n; i++ {
		le.PutUint32(rec[0:], uint32(1700000000+i/1000))
		le.PutUint32(rec[4:], uint32(i%1000)*1000)
		le.PutUint32(rec[8:], uint32(len(frame)))
		le.PutUint32(rec[12:], uint32(len(frame)))
		buf = append(buf, rec...)
		buf = append(buf, frame...)
		if len(buf) > 1<<20 {
			if _, err := f.Write(buf); err != nil {
				t.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	if _, err := f.Write(buf); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCloseWhileIndexing closes a capture while its scan and verdict pass
// are still running (quitting the TUI on a big file). Close must stop and
// wait for them: afterwards nothing changes, no pass reports the closed
// reader as damage, and under -race no pass touches the reader Close
// released.
func TestCloseWhileIndexing(t *testing.T) {
	path := bigPcap(t, 300000)
	for round := 0; round < 3; round++ {
		c, err := capture.Open(path, prefs.Default())
		if err != nil {
			t.Fatal(err)
		}
		for c.Len() == 0 {
			time.Sleep(100 * time.Microsecond)
		}
		filtered := make(chan bool)
		go func() {
			_, ok := c.Report(nil, nil)
			filtered <- ok
		}()
		if err := c.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		n := c.Len()
		if done, err := c.Indexing(); err != nil {
			t.Fatalf("after Close, indexing reports %v (the closed reader taken for damage)", err)
		} else if done && n < 300000 {
			t.Fatalf("after Close, indexing says done at %d of 300000 frames", n)
		}
		time.Sleep(20 * time.Millisecond)
		if m := c.Len(); m != n {
			t.Fatalf("the scan went on after Close: %d frames, then %d", n, m)
		}
		select {
		case <-filtered:
		case <-time.After(10 * time.Second):
			t.Fatal("a Report running over the capture did not stop at Close")
		}
		if _, ok := c.Filter(matchAll{}, nil, nil); ok {
			t.Fatal("Filter ran on a closed capture")
		}
		if err := c.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	}
}

type matchAll struct{}

func (matchAll) Fields() []*decode.FieldDef    { return nil }
func (matchAll) Match(*decode.Dissection) bool { return true }

// TestCloseStreamWaitingForPackets closes a stream whose writer has gone
// quiet (a live capture on an idle link): the scan is blocked reading, and
// Close must wake it rather than hang.
func TestCloseStreamWaitingForPackets(t *testing.T) {
	data, err := os.ReadFile(bigPcap(t, 10))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go pw.Write(data) // then nothing more, never closed
	c, err := capture.OpenStream(pr, "live: test", prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.Len() < 10 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if c.Len() != 10 {
		t.Fatalf("Len = %d, want 10", c.Len())
	}
	closed := make(chan error)
	go func() { closed <- c.Close() }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung on a stream waiting for packets")
	}
	if _, err := c.Indexing(); err != nil {
		t.Fatalf("after Close, indexing reports %v", err)
	}
}

// TestPassesSameOnEveryCore runs the UI's filter and report passes on one
// core and on two (where workers dissect chunks in parallel): the same
// frames match and the report says the same.
func TestPassesSameOnEveryCore(t *testing.T) {
	for _, name := range []string{offloadCapture, "../../testdata/captures/veth-offload-a-dumpcap.pcapng", "../../cmd/wirelens/demo.pcap"} {
		var got [2]string
		for k, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			c, err := capture.Open(name, prefs.Default())
			if err != nil {
				t.Fatal(err)
			}
			waitIndexed(t, c)
			idx, ok := c.Filter(oddFrames{}, nil, nil)
			if !ok {
				t.Fatal("Filter stopped")
			}
			r, ok := c.Report(nil, nil)
			if !ok {
				t.Fatal("Report stopped")
			}
			var b strings.Builder
			r.Write(&b)
			got[k] = fmt.Sprint(idx) + "\n" + b.String()
			c.Close()
			runtime.GOMAXPROCS(prev)
		}
		if got[0] != got[1] {
			t.Errorf("%s: one core and two disagree:\n%s\n---\n%s", name, got[0], got[1])
		}
		if !strings.HasPrefix(got[0], "[0 2 4 6 ") {
			t.Errorf("%s: the filter did not select the odd frames: %.80s", name, got[0])
		}
	}
}

// oddFrames matches frames with an even index (odd frame numbers), reading
// the frame number from the dissection so each worker's tree is used.
type oddFrames struct{}

func (oddFrames) Fields() []*decode.FieldDef {
	f, _ := decode.LookupField("frame.number")
	return []*decode.FieldDef{f}
}

func (oddFrames) Match(d *decode.Dissection) bool {
	for i := range d.Fields {
		if d.Fields[i].Def.Name == "frame.number" {
			return d.Fields[i].U%2 == 1
		}
	}
	return false
}
