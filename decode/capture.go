package decode

import (
	"io"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// ChecksumMark is one checksum's verdict as the packet list shows it.
type ChecksumMark struct {
	Proto   string // ip, tcp, udp, udplite, icmp, icmpv6, igmp, sctp, gre
	Status  ChecksumStatus
	Offload bool // Bad, but the frame shows an offload pattern (partial sum, zero, sent by this host...)
}

// Row is what the packet list needs for one frame.
type Row struct {
	Summary   Summary
	Checksums []ChecksumMark // in protocol order, outermost first
	Bad       bool           // any checksum Bad under the current preferences
	Class     ColorClass     // colouring rule that applies
}

// ColorClass names the Wireshark colouring rule a row falls under.
type ColorClass uint8

const (
	ColorNone            ColorClass = iota
	ColorBadChecksum                // Wireshark's "Checksum Errors"
	ColorOffloadChecksum            // bad, but most likely an offload artifact
	ColorTCPSynFin                  // "TCP SYN/FIN"
	ColorTCPRst                     // "TCP RST"
	ColorICMPError                  // "ICMP errors"
	ColorARP
	ColorICMP
	ColorUDP
	ColorTCP
)

// Capture is an indexed capture file: frames are read again by offset and
// dissected on demand, so memory follows what is on screen, not the file.
// Indexing runs in the background; every method is safe to call meanwhile.
type Capture struct {
	capture
}

// OpenCapture opens path ("-" for stdin) and starts indexing it.
func OpenCapture(path string, p prefs.Prefs) (*Capture, error) { return openCapture(path, p) }

// OpenCaptureStream reads a capture as it arrives on r (a pipe from
// tcpdump -U -w -, or wirelens's own live capture), showing each frame as
// soon as it is read; name is used in messages.
func OpenCaptureStream(r io.Reader, name string, p prefs.Prefs) (*Capture, error) {
	return openCaptureStream(r, name, p)
}

// Name is the file name as given.
func (c *Capture) Name() string { return c.name }

// Len is the number of frames indexed so far.
func (c *Capture) Len() int { return c.length() }

// Indexing reports whether the whole file has been read and the damage found
// at its end, if any (every good frame before it stays available).
func (c *Capture) Indexing() (done bool, err error) { return c.status() }

// Row returns the list row of frame i (0-based) under the current preferences.
func (c *Capture) Row(i int) Row { return c.row(i) }

// Dissect returns the full field tree of frame i (0-based); its Data holds
// the frame bytes.
func (c *Capture) Dissect(i int) (*Dissection, error) { return c.dissect(i) }

// Prefs returns the preferences in force.
func (c *Capture) Prefs() prefs.Prefs { return c.getPrefs() }

// SetPrefs changes the preferences; rows and trees follow at once, without
// re-reading the file.
func (c *Capture) SetPrefs(p prefs.Prefs) { c.setPrefs(p) }

// BadCount returns how many frames have at least one Bad checksum under the
// current preferences, among those indexed so far.
func (c *Capture) BadCount() int { return c.badCount() }

// NextBad returns the index of the next (dir=+1) or previous (dir=-1) frame
// after i with a Bad checksum, or -1.
func (c *Capture) NextBad(i, dir int) int { return c.nextBad(i, dir) }

// Matcher is a compiled display filter (decode/filter.Filter implements it).
type Matcher interface {
	Fields() []*FieldDef
	Match(d *Dissection) bool
}

// Filter runs m over every indexed frame and returns the matching indices.
// progress, if not nil, is called now and then with frames done and total;
// stop, if closed, abandons the run (returning nil, false).
func (c *Capture) Filter(m Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	return c.filter(m, progress, stop)
}

// FilterRange runs m over frames from to to-1 only (to is clamped to the
// frames indexed), as Filter does over all of them: a live capture's filter
// then follows new frames without going over the old ones again.
func (c *Capture) FilterRange(m Matcher, from, to int, stop <-chan struct{}) ([]int, bool) {
	return c.filterRange(m, from, to, nil, stop)
}

// Frame returns frame i's record (as the file gave it; Record.Interface
// indexes Interfaces) and its bytes, for writing the frame out again.
func (c *Capture) Frame(i int) (capfile.Record, []byte, error) {
	fr, data, err := c.frame(i, nil)
	return fr.Record, data, err
}

// Interfaces returns the capture's interfaces read so far (pcapng IDBs; one
// synthetic entry for pcap).
func (c *Capture) Interfaces() []capfile.Interface {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return append([]capfile.Interface(nil), c.ifaces...)
}

// Report computes the checksum report over every frame indexed when it
// starts, dissected in order under the current preferences, as
// --checksum-report does. progress and stop work as for Filter; a stopped run
// returns nil, false.
func (c *Capture) Report(progress func(done, total int), stop <-chan struct{}) (*Report, bool) {
	return c.report(progress, stop)
}

// Close releases the file.
func (c *Capture) Close() error { return c.close() }
