package live

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
)

// fakeClock is the ring buffer's clock in these tests: it moves only when
// told, so file names and time switches are exact.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var ringStart = time.Date(2026, 12, 2, 7, 49, 18, 0, time.Local)

func TestRingFileName(t *testing.T) {
	for _, c := range []struct {
		path string
		num  int
		want string
	}{
		{"out.pcapng", 1, "out_00001_20261202074918.pcapng"},
		{"/tmp/a.b/out.pcapng", 12, "/tmp/a.b/out_00012_20261202074918.pcapng"},
		{"/tmp/a.b/out", 3, "/tmp/a.b/out_00003_20261202074918"},
		{"x.tar.pcapng", 99999, "x.tar_99999_20261202074918.pcapng"},
		{"x.pcapng", 100000, "x_00000_20261202074918.pcapng"}, // dumpcap's number wraps
	} {
		if got := RingFileName(c.path, c.num, ringStart); got != c.want {
			t.Errorf("RingFileName(%q, %d) = %q, want %q", c.path, c.num, got, c.want)
		}
	}
}

// ringTest writes with a fake clock into a temporary directory.
type ringTest struct {
	t     *testing.T
	dir   string
	clock *fakeClock
	r     *RingFile
	stats int // statistics blocks asked for
}

func newRingTest(t *testing.T, opt RingOptions) *ringTest {
	rt := &ringTest{t: t, dir: t.TempDir(), clock: &fakeClock{ringStart}}
	opt.Now = rt.clock.Now
	ifc := capfile.Interface{Name: "lo", LinkType: capfile.LinkEthernet, SnapLen: 262144, FCSLen: -1}
	off := Offloads{TxChecksum: true, Known: true}
	r, err := NewRingFile(filepath.Join(rt.dir, "out.pcapng"), opt, ifc, off, func() Stats {
		rt.stats++
		return Stats{Received: uint64(rt.stats)}
	})
	if err != nil {
		t.Fatal(err)
	}
	rt.r = r
	return rt
}

// write writes a frame of n bytes whose first byte is tag.
func (rt *ringTest) write(tag byte, n int) error {
	data := make([]byte, n)
	data[0] = tag
	rec := capfile.Record{Timestamp: rt.clock.t.UnixNano(), CapLen: uint32(n), OrigLen: uint32(n), LinkType: capfile.LinkEthernet}
	return rt.r.WritePacket(rec, data)
}

func (rt *ringTest) mustWrite(tag byte, n int) {
	rt.t.Helper()
	if err := rt.write(tag, n); err != nil {
		rt.t.Fatalf("packet %d: %v", tag, err)
	}
}

// check compares the files in the directory (names relative to it, with
// the first byte of each of their packets) with want, in name order.
func (rt *ringTest) check(want map[string][]byte) {
	rt.t.Helper()
	ents, err := os.ReadDir(rt.dir)
	if err != nil {
		rt.t.Fatal(err)
	}
	if len(ents) != len(want) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		rt.t.Fatalf("files %v, want %d: %v", names, len(want), want)
	}
	for name, tags := range want {
		b, err := os.ReadFile(filepath.Join(rt.dir, name))
		if err != nil {
			rt.t.Fatalf("%v (files: %v)", err, ents)
		}
		ifs, recs, data := readBack(rt.t, b)
		if len(ifs) != 1 || ifs[0].Name != "lo" || !strings.Contains(ifs[0].Description, " tx-csum ") {
			rt.t.Errorf("%s: interfaces %+v, want lo with its offloads", name, ifs)
		}
		var got []byte
		for i, r := range recs {
			if r.Interface != 0 {
				rt.t.Errorf("%s: packet %d on interface %d", name, i, r.Interface)
			}
			got = append(got, data[i][0])
		}
		if string(got) != string(tags) {
			rt.t.Errorf("%s: packets %v, want %v", name, got, tags)
		}
	}
}

func TestRingPacketsFiles(t *testing.T) {
	rt := newRingTest(t, RingOptions{Packets: 3, Files: 2})
	for i := 1; i <= 8; i++ {
		rt.mustWrite(byte(i), 60)
		rt.clock.Advance(time.Second)
	}
	// Each file switches with its third packet: files 2 and 3 start 2 s
	// and 5 s in; file 1 is deleted.
	if err := rt.r.Close(); err != nil {
		t.Fatal(err)
	}
	rt.check(map[string][]byte{
		"out_00002_20261202074920.pcapng": {4, 5, 6},
		"out_00003_20261202074923.pcapng": {7, 8},
	})
	if rt.stats != 3 {
		t.Errorf("%d statistics blocks, want one per file (3)", rt.stats)
	}
	if got := rt.r.Names(); len(got) != 2 || filepath.Base(got[0]) != "out_00002_20261202074920.pcapng" {
		t.Errorf("Names() = %v", got)
	}
}

// TestRingSwitchAfterLast: as dumpcap, the file that reaches the count
// is closed at once and the next one (empty until a packet comes) opened.
func TestRingSwitchAfterLast(t *testing.T) {
	rt := newRingTest(t, RingOptions{Packets: 3, Files: 2})
	for i := 1; i <= 6; i++ {
		rt.mustWrite(byte(i), 60)
	}
	rt.r.Close()
	rt.check(map[string][]byte{
		"out_00002_20261202074918.pcapng": {4, 5, 6},
		"out_00003_20261202074918.pcapng": nil,
	})
}

func TestRingDuration(t *testing.T) {
	rt := newRingTest(t, RingOptions{Duration: 10 * time.Second})
	rt.mustWrite(1, 60)
	rt.clock.Advance(5 * time.Second)
	rt.mustWrite(2, 60)
	rt.clock.Advance(5 * time.Second) // 10 s: the next packet starts file 2
	rt.mustWrite(3, 60)
	rt.clock.Advance(2 * time.Second)
	rt.mustWrite(4, 60)
	rt.clock.Advance(7 * time.Second) // 19 s: not yet
	if err := rt.r.Tick(); err != nil {
		t.Fatal(err)
	}
	rt.clock.Advance(6 * time.Second) // 25 s, no packet: the ticker switches
	if err := rt.r.Tick(); err != nil {
		t.Fatal(err)
	}
	rt.r.Close()
	rt.check(map[string][]byte{
		"out_00001_20261202074918.pcapng": {1, 2},
		"out_00002_20261202074928.pcapng": {3, 4},
		"out_00003_20261202074943.pcapng": nil,
	})
}

func TestRingInterval(t *testing.T) {
	rt := newRingTest(t, RingOptions{Interval: time.Minute})
	rt.mustWrite(1, 60)
	rt.clock.Advance(41 * time.Second) // 07:49:59
	rt.mustWrite(2, 60)
	rt.clock.Advance(time.Second) // 07:50:00, on the minute
	rt.mustWrite(3, 60)
	rt.clock.Advance(59 * time.Second) // 07:50:59
	rt.mustWrite(4, 60)
	rt.clock.Advance(2 * time.Second) // 07:51:01
	rt.mustWrite(5, 60)
	rt.r.Close()
	rt.check(map[string][]byte{
		"out_00001_20261202074918.pcapng": {1, 2},
		"out_00002_20261202075000.pcapng": {3, 4},
		"out_00003_20261202075101.pcapng": {5},
	})
}

func TestRingFileSize(t *testing.T) {
	const limit = 1000
	rt := newRingTest(t, RingOptions{FileSize: limit})
	for i := 1; i <= 7; i++ {
		rt.mustWrite(byte(i), 300)
	}
	rt.r.Close()
	names := rt.r.Names()
	if len(names) < 2 {
		t.Fatalf("files %v: the size never switched", names)
	}
	total := 0
	for i, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, recs, _ := readBack(t, b)
		total += len(recs)
		if i == len(names)-1 {
			continue
		}
		// A file ends with the packet that takes it to the limit (an EPB
		// of 300 bytes is 332 in the file), then the statistics (80).
		if len(b)-80 < limit || len(recs) == 0 {
			t.Errorf("%s: %d bytes, %d packets: switched before %d bytes", name, len(b), len(recs), limit)
		}
		if len(b)-332-80 >= limit {
			t.Errorf("%s: %d bytes, %d packets: switched late", name, len(b), len(recs))
		}
	}
	if total != 7 {
		t.Errorf("%d packets in %v, want 7", total, names)
	}
}

func TestRingStopAfter(t *testing.T) {
	rt := newRingTest(t, RingOptions{Packets: 2, StopAfter: 2})
	for i := 1; i <= 3; i++ {
		rt.mustWrite(byte(i), 60)
	}
	if err := rt.write(4, 60); !errors.Is(err, ErrRingDone) {
		t.Fatalf("packet 4 completing the last file: %v, want ErrRingDone", err)
	}
	if err := rt.write(5, 60); !errors.Is(err, ErrRingDone) {
		t.Fatalf("packet after the last file: %v, want ErrRingDone", err)
	}
	if err := rt.r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	rt.check(map[string][]byte{
		"out_00001_20261202074918.pcapng": {1, 2},
		"out_00002_20261202074918.pcapng": {3, 4},
	})
}

func TestRingNeedsCondition(t *testing.T) {
	_, err := NewRingFile(filepath.Join(t.TempDir(), "x.pcapng"), RingOptions{Files: 3}, capfile.Interface{}, Offloads{}, nil)
	if err == nil || !strings.Contains(err.Error(), "files:N alone") {
		t.Fatalf("files:3 alone: %v", err)
	}
	_, err = NewRingFile("/nonexistent-dir/x.pcapng", RingOptions{Packets: 3}, capfile.Interface{}, Offloads{}, nil)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent-dir/x_00001_") {
		t.Fatalf("unwritable directory: %v", err)
	}
}

// TestRingAnyCondition: several -b switch at whichever is met first.
func TestRingAnyCondition(t *testing.T) {
	rt := newRingTest(t, RingOptions{Packets: 3, Duration: 10 * time.Second, Files: 3})
	rt.mustWrite(1, 60)
	rt.mustWrite(2, 60)
	rt.mustWrite(3, 60) // the count: file 2 at 0 s
	rt.mustWrite(4, 60)
	rt.clock.Advance(10 * time.Second)
	rt.mustWrite(5, 60) // the duration: file 3 at 10 s
	rt.clock.Advance(time.Second)
	rt.mustWrite(6, 60)
	rt.mustWrite(7, 60)
	rt.mustWrite(8, 60) // the count again: file 4 at 11 s, file 1 deleted
	rt.r.Close()
	rt.check(map[string][]byte{
		"out_00002_20261202074918.pcapng": {4},
		"out_00003_20261202074928.pcapng": {5, 6, 7},
		"out_00004_20261202074929.pcapng": {8},
	})
}
