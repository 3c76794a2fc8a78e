package capture_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/prefs"
)

// mixedPcap writes a pcap file of n frames: the offload capture's
// frames again and again, a millisecond apart.
func mixedPcap(t *testing.T, n int) string {
	t.Helper()
	rd, err := capfile.Open(offloadCapture, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var frames [][]byte
	for {
		_, data, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, append([]byte(nil), data...))
	}
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint64(b, 0)
	b = le.AppendUint32(b, 262144)
	b = le.AppendUint32(b, uint32(rd.Interfaces()[0].LinkType))
	for i := 0; i < n; i++ {
		f := frames[i%len(frames)]
		b = le.AppendUint32(b, 1_700_000_000+uint32(i/1000))
		b = le.AppendUint32(b, uint32(i%1000)*1000)
		b = le.AppendUint32(b, uint32(len(f)))
		b = le.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	path := filepath.Join(t.TempDir(), "big.pcap")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// holdScan makes the scans of captures opened from now on stop after their
// first batch until the returned release is called.
func holdScan(t *testing.T) (release func()) {
	gate := make(chan struct{})
	first := true
	capture.SetAfterFlush(func() {
		if first {
			first = false
			<-gate
		}
	})
	released := false
	release = func() {
		if !released {
			released = true
			close(gate)
		}
	}
	t.Cleanup(func() {
		release()
		capture.SetAfterFlush(nil)
	})
	return release
}

// TestTailBeforeIndex holds the scan after its first batch, shows the last
// frames from the end of the file with their numbers pending, then lets the
// scan reach them: they join the index as the frames it numbers, row for row.
func TestTailBeforeIndex(t *testing.T) {
	path := mixedPcap(t, 20000)
	release := holdScan(t)
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for c.Len() == 0 {
		waitShort()
	}
	counted := c.Len()
	if counted >= 20000 {
		t.Fatalf("the scan was not held: %d frames", counted)
	}
	first, n, err := c.Tail()
	if err != nil || n == 0 {
		t.Fatalf("Tail = %d, %d, %v", first, n, err)
	}
	if _, joined, _, err := c.TailJoined(); joined || err != nil {
		t.Fatalf("joined %v, %v before the scan got there", joined, err)
	}
	rows := make([]string, n)
	for k := 0; k < n; k++ {
		r := c.Row(first + k)
		if r.Summary.Number != 0 {
			t.Fatalf("tail frame %d has number %d before it is counted", k, r.Summary.Number)
		}
		if r.Summary.Protocol == "?" {
			t.Fatalf("tail frame %d: %s", k, r.Summary.Info)
		}
		rows[k] = rowKey(r)
		if _, err := c.Dissect(first + k); err != nil {
			t.Fatal(err)
		}
	}
	if f2, n2, err := c.Tail(); f2 != first || n2 != n || err != nil {
		t.Fatalf("Tail again = %d, %d, %v", f2, n2, err)
	}
	release()
	waitIndexed(t, c)
	base, joined, done, err := c.TailJoined()
	if !joined || err != nil || done != 1 {
		t.Fatalf("after the scan: joined %v at %d, done %v, %v", joined, base, done, err)
	}
	if base != c.Len()-n {
		t.Fatalf("the tail joined at %d; its %d frames end the %d", base, n, c.Len())
	}
	for k := 0; k < n; k++ {
		r := c.Row(base + k)
		if r.Summary.Number != base+k+1 {
			t.Fatalf("frame %d numbered %d", base+k, r.Summary.Number)
		}
		// The tail is dissected without the conversations before it: the
		// summary may lack what they teach (relative sequence numbers).
		if got := rowKey(r); got != rows[k] {
			t.Fatalf("tail frame %d was\n %s\nindexed it is\n %s", k, rows[k], got)
		}
	}
}

// rowKey is what a tail row shares with the indexed row of the same frame
// whatever the conversations before it taught (the protocol and Info may
// differ: a TCP segment the reassembly before it explains, say).
func rowKey(r decode.Row) string {
	s := r.Summary
	return fmt.Sprintf("%d %s > %s len %d", s.RelTime, s.Source, s.Destination, s.Length)
}

func waitShort() { time.Sleep(2 * time.Millisecond) }

func writeGzip(t *testing.T, path string, b []byte) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTailWithdrawn changes the file under the held scan where the tail
// begins: the scan finds another frame there, and the tail is withdrawn.
func TestTailWithdrawn(t *testing.T) {
	path := mixedPcap(t, 20000)
	release := holdScan(t)
	c, err := capture.Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for c.Len() == 0 {
		waitShort()
	}
	first, n, err := c.Tail()
	if err != nil || n == 0 {
		t.Fatalf("Tail = %d, %d, %v", first, n, err)
	}
	// The second-to-last tail frame's time: the scan meets the first one
	// as found, then another frame.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, _ := lastRecords(t, path)
	if _, err := f.WriteAt([]byte{0xff, 0xff, 0xff, 0x7f}, rec.Offset); err != nil {
		t.Fatal(err)
	}
	f.Close()
	release()
	waitIndexed(t, c)
	if _, joined, _, err := c.TailJoined(); joined || !errors.Is(err, capture.ErrTailWithdrawn) {
		t.Fatalf("joined %v, %v; want withdrawn", joined, err)
	}
	if r := c.Row(first); r.Summary.Protocol != "?" {
		t.Fatalf("a withdrawn tail frame still reads as %+v", r.Summary)
	}
}

// lastRecords returns the second-to-last record of the file.
func lastRecords(t *testing.T, path string) (capfile.Record, int, error) {
	rd, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var prev, cur capfile.Record
	n := 0
	for {
		rec, _, err := rd.Next()
		if err != nil {
			break
		}
		prev, cur = cur, rec
		n++
	}
	return prev, n, nil
}

func TestTailRefused(t *testing.T) {
	path := mixedPcap(t, 20000)
	t.Run("compressed", func(t *testing.T) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		gzPath := filepath.Join(t.TempDir(), "big.pcap.gz")
		writeGzip(t, gzPath, b)
		release := holdScan(t)
		c, err := capture.Open(gzPath, prefs.Default())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for c.Len() == 0 {
			waitShort()
		}
		if _, n, err := c.Tail(); n != 0 || err == nil {
			t.Fatalf("Tail of a gzip file = %d frames, %v", n, err)
		} else {
			t.Log(err)
		}
		release()
	})
	t.Run("growing", func(t *testing.T) {
		release := holdScan(t)
		c, err := capture.Open(path, prefs.Default())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for c.Len() == 0 {
			waitShort()
		}
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(make([]byte, 16))
		f.Close()
		if _, n, err := c.Tail(); n != 0 || err == nil {
			t.Fatalf("Tail of a growing file = %d frames, %v", n, err)
		} else {
			t.Log(err)
		}
		release()
	})
}
