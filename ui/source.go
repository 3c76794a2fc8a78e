package ui

import (
	"os"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// Source is the capture the UI shows. *capture.Capture satisfies it; tests use
// a fake. Every method must be safe to call while the capture is still being
// indexed and while Filter runs in another goroutine.
type Source interface {
	Len() int
	Indexing() (done bool, err error)
	Row(i int) decode.Row
	Dissect(i int) (*decode.Dissection, error)
	Prefs() prefs.Prefs
	SetPrefs(p prefs.Prefs)
	BadCount() int
	NextBad(i, dir int) int
	Filter(m decode.Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool)
	// Report computes the checksum report over the frames indexed so far
	// (the `e` view); progress and stop work as for Filter.
	Report(progress func(done, total int), stop <-chan struct{}) (*decode.Report, bool)
	// Tap dissects every frame indexed so far, the whole tree, and hands
	// each to fn in capture order on the calling goroutine (the
	// statistics view); progress and stop work as for Filter.
	Tap(fn func(fr *decode.Frame, d *decode.Dissection), progress func(done, total int), stop <-chan struct{}) bool
}

// InterfaceInfo describes a network interface on the start screen.
type InterfaceInfo struct {
	Name     string
	Up       bool
	MTU      int
	Offloads string // e.g. "rx-checksum on, tx-checksum on, tso on, gro on"
	Driver   string // the driver and kind (remote interfaces: "veth, kind veth")
	Addrs    string // its addresses (remote interfaces)
}

// Options configure Run.
type Options struct {
	// FileName is shown in the status bar.
	FileName string
	// PrefsPath is where `s` in the validation dialog saves the preferences
	// (prefs.Save). Empty: saving is refused with a message.
	PrefsPath string
	// Screen to draw on; nil opens the real terminal. Tests pass a
	// tcell.SimulationScreen.
	Screen tcell.Screen
	// Compile turns display-filter text into a matcher (filter.Compile in
	// the binary). Nil disables the filter bar.
	Compile func(expr string) (decode.Matcher, error)
	// Filter is applied at start when not empty (like wireshark -Y).
	Filter string
	// ASCII forces ASCII marks (+ x ~) instead of ✓ ✗; it is also chosen
	// automatically when the terminal cannot display them.
	ASCII bool
	// NoColor forces attributes-only styling; NO_COLOR in the environment
	// and terminals without colour (vt100) have the same effect.
	NoColor bool

	// The start screen, shown by Run(nil, opts), lists the demo, recent files
	// and network interfaces.
	//
	// Open opens a capture file chosen there (and the demo, with DemoPath).
	// Nil: files cannot be opened from the start screen. Run closes a source
	// it opened this way when it ends, if the source is an io.Closer.
	Open func(path string) (Source, error)
	// DemoPath is the path given to Open for the built-in demo capture;
	// empty leaves the demo out. It is never added to the recent files.
	DemoPath string
	// Interfaces lists the network interfaces with their offload settings.
	// Nil: the start screen says live capture is not available. It runs in
	// the background, so it may be slow.
	Interfaces func() ([]InterfaceInfo, error)
	// Capture starts a live capture on an interface. Nil: choosing an
	// interface says live capture is not available yet. The source it
	// returns is shown as a live capture (see Live).
	Capture func(name string) (Source, error)

	// RemoteInterfaces lists a remote host's interfaces over ssh
	// (target ssh://[user@]host[:port]) for the start screen: a line
	// about the host and the interfaces. Nil: the start screen offers no
	// remote host. It runs in the background.
	RemoteInterfaces func(target string) (host string, ifaces []InterfaceInfo, err error)
	// RemoteCapture starts a capture on a remote interface
	// (ssh://host/IFACE) with a capture filter ("" none), shown live.
	RemoteCapture func(target, filter string) (Source, error)
	// CompareFiles compares two capture files from the start screen.
	// Nil: the start screen does not offer it.
	CompareFiles func(a, b string) (*CompareSetup, error)

	// Live shows the source as a live capture: the list follows the newest
	// packet until the user moves (End resumes), Space pauses the view (the
	// capture goes on) and the status bar says "live" with Stats.
	Live bool
	// Stats returns the kernel's counters of the live capture being shown.
	// Nil: the status bar shows none. It is called from the UI goroutine
	// and the refresh ticker, a few times a second.
	Stats func() LiveStats
	// Save writes frames of src (indices, ascending) to path in format
	// ("pcapng" or "pcap"), for Ctrl-S and x. It must never overwrite a
	// file (least of all the capture being read). It runs in its own
	// goroutine while the UI goes on. Nil: saving is not available.
	Save func(src Source, path string, frames []int, format string) error

	// Compare, when not nil, opens the compare view of two captures
	// (compare.go); the packet view behind it (Esc) shows capture A.
	Compare *CompareSetup
	// CompareWith compares the capture shown with the capture file at
	// path (C in the packet view). Nil: C says comparing is not available.
	CompareWith func(path string) (*CompareSetup, error)

	// Signals, when not nil, deliver the signals that end the UI (the
	// caller subscribes to Signals before it creates anything it must clean
	// up, so none is missed). Nil: Run subscribes itself when it opens the
	// real terminal. Either way Run restores the terminal and returns a
	// *SignalError.
	Signals <-chan os.Signal
}

// LiveStats are a live capture's kernel counters, as tcpdump reports them.
type LiveStats struct {
	Received uint64 // packets that passed the capture filter ("received by filter")
	Dropped  uint64 // packets lost because the buffer was full ("dropped by kernel")
}

// rangeFilterer is a Source that can filter only the frames from..to-1
// (capture.Capture): a live capture's display filter then follows the new
// frames without running over the old ones again.
type rangeFilterer interface {
	FilterRange(m decode.Matcher, from, to int, stop <-chan struct{}) ([]int, bool)
}

// pref names and labels of the checksum switches, in the order the
// validation dialog and status bar list them.
// Each protocol registers its own in package decode.
var checksumProtos = func() []struct{ name, label string } {
	var out []struct{ name, label string }
	for _, p := range decode.ChecksumProtos {
		out = append(out, struct{ name, label string }{p, decode.ChecksumLabel(p)})
	}
	return out
}()
