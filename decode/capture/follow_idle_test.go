package capture

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirelens/wirelens/prefs"
)

// A finished file left open is looked at once a growIdlePoll after
// growIdle, not growPoll forever, and a writer that starts again is still
// followed.
func TestFollowBacksOffWhenIdle(t *testing.T) {
	oldPoll, oldIdle, oldIdlePoll, oldStat := growPoll, growIdle, growIdlePoll, statFile
	defer func() { growPoll, growIdle, growIdlePoll, statFile = oldPoll, oldIdle, oldIdlePoll, oldStat }()
	growPoll, growIdle, growIdlePoll = time.Millisecond, 20*time.Millisecond, 100*time.Millisecond
	var looks atomic.Int64
	statFile = func(p string) (os.FileInfo, error) { looks.Add(1); return os.Stat(p) }

	full, err := os.ReadFile("../../testdata/captures/veth-offload-a-eth.pcap")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "idle.pcap")
	half := len(full) / 2
	if err := os.WriteFile(path, full[:half], 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Open(path, prefs.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if done, _ := c.Indexing(); done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first half was not indexed")
		}
	}
	first := c.Len()
	time.Sleep(50 * time.Millisecond) // past growIdle
	looks.Store(0)
	time.Sleep(500 * time.Millisecond)
	// At growPoll it would be about 500 looks; idle, about 5. Fewer is
	// what a loaded machine gives, so only the upper bound is asserted.
	if n := looks.Load(); n > 20 {
		t.Errorf("%d looks at an idle file in 500 ms; want about 5 (one per %v)", n, growIdlePoll)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(full[half:])
	f.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Len() == first || !c.Growing(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the grown file was not followed: %d frames, growing %v", c.Len(), c.Growing())
		}
	}
}
