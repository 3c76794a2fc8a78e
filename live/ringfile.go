package live

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
)

// RingOptions are dumpcap's -b conditions (switch to a new file when any
// is met) and its -a files:N. Zero means unset.
type RingOptions struct {
	FileSize int64         // -b filesize:KB, in bytes
	Duration time.Duration // -b duration:S, from the file's start
	Interval time.Duration // -b interval:S, on multiples of the wall clock
	Packets  int           // -b packets:N
	Files    int           // -b files:N: keep only the newest N files
	// StopAfter is -a files:N: the capture ends (ErrRingDone) when file N
	// is complete instead of opening file N+1.
	StopAfter int
	// Now is the clock; nil is time.Now. Tests give a fake one.
	Now func() time.Time
}

// Switches says whether any condition would ever switch files: dumpcap
// refuses a ring buffer with only files:N, which would be one file.
func (o RingOptions) Switches() bool {
	return o.FileSize > 0 || o.Duration > 0 || o.Interval > 0 || o.Packets > 0
}

// ErrRingDone is returned by RingFile when the -a files:N limit is reached;
// every file is complete and the capture should stop.
var ErrRingDone = errors.New("ring buffer: the last file (-a files) is complete")

// ringMaxNum is where dumpcap's 5-digit file number wraps.
const ringMaxNum = 100000

// RingFile writes a live capture as dumpcap's ring buffer: a series of
// complete pcapng files (section header, the interface with its offloads,
// packets, and its statistics at close) named as dumpcap names them,
// PREFIX_NNNNN_YYYYmmddHHMMSS.EXT, the oldest deleted beyond Files.
//
// It is not safe for concurrent use: the capture loop's packet writes and
// its flush ticker (which calls Tick) share one lock.
type RingFile struct {
	prefix, ext string
	opt         RingOptions
	ifc         capfile.Interface
	off         Offloads
	stats       func() Stats

	num   int // files opened
	names []string
	f     *os.File
	w     *Writer
	id    uint32
	pkts  int
	start time.Time
	next  time.Time // duration or interval deadline; zero for none
	err   error
}

// NewRingFile opens the first file of a ring buffer for path (what -w
// names). stats, if not nil, gives the interface's counters for the
// statistics block each file ends with.
func NewRingFile(path string, opt RingOptions, ifc capfile.Interface, off Offloads, stats func() Stats) (*RingFile, error) {
	if !opt.Switches() {
		return nil, errors.New("ring buffer: give filesize, duration, interval or packets (files:N alone never switches files)")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	r := &RingFile{opt: opt, ifc: ifc, off: off, stats: stats}
	r.prefix, r.ext = splitRingName(path)
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

// splitRingName splits -w's name where dumpcap puts the number and time:
// before the extension of the file's name (not a dot in a directory).
func splitRingName(path string) (prefix, ext string) {
	dir, base := filepath.Split(path)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return dir + base[:i], base[i:]
	}
	return path, ""
}

// RingFileName is the name of file number num (from 1) started at t.
func RingFileName(path string, num int, t time.Time) string {
	prefix, ext := splitRingName(path)
	return ringName(prefix, ext, num, t)
}

func ringName(prefix, ext string, num int, t time.Time) string {
	return fmt.Sprintf("%s_%05d_%s%s", prefix, num%ringMaxNum, t.Local().Format("20060102150405"), ext)
}

func (r *RingFile) open() error {
	now := r.opt.Now()
	r.num++
	name := ringName(r.prefix, r.ext, r.num, now)
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("cannot write the capture to %q: %w", name, err)
	}
	r.f, r.w, r.pkts, r.start = f, NewWriter(f), 0, now
	if r.id, err = r.w.AddInterface(r.ifc, r.off); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	r.names = append(r.names, name)
	if r.opt.Files > 0 && len(r.names) > r.opt.Files {
		old := r.names[0]
		r.names = r.names[1:]
		if err := os.Remove(old); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("ring buffer: cannot remove the old file %q: %w", old, err)
		}
	}
	r.next = time.Time{}
	if r.opt.Duration > 0 {
		r.next = now.Add(r.opt.Duration)
	}
	if r.opt.Interval > 0 {
		// The next multiple of the interval since the epoch, as dumpcap's
		// interval, so files of several captures line up on the clock.
		n := int64(r.opt.Interval)
		iv := time.Unix(0, (now.UnixNano()/n+1)*n)
		if r.next.IsZero() || iv.Before(r.next) {
			r.next = iv
		}
	}
	// The header and interface go out at once: a file being written is
	// already a valid (empty) capture for whoever opens it.
	return r.w.Flush()
}

// closeFile ends the current file with its statistics.
func (r *RingFile) closeFile() error {
	if r.f == nil {
		return nil
	}
	if r.stats != nil {
		r.w.WriteStats(r.id, r.start.UnixNano(), r.opt.Now().UnixNano(), r.stats())
	}
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing the capture to %q: %w", r.f.Name(), cerr)
	}
	r.f = nil
	return err
}

// rotate switches to a new file, or ends with ErrRingDone at -a files:N.
func (r *RingFile) rotate() error {
	if err := r.closeFile(); err != nil {
		return err
	}
	if r.opt.StopAfter > 0 && r.num >= r.opt.StopAfter {
		return ErrRingDone
	}
	return r.open()
}

func (r *RingFile) fail(err error) error {
	if r.err == nil {
		r.err = err
	}
	return r.err
}

// WritePacket writes one frame (its Interface is set here). A time
// condition already met switches first; the packet and size conditions are
// checked after it, so a file ends with the packet that fills it and the
// next one starts at once, as dumpcap's do.
func (r *RingFile) WritePacket(rec capfile.Record, data []byte) error {
	if err := r.Tick(); err != nil {
		return err
	}
	rec.Interface = r.id
	if err := r.w.WritePacket(rec, data); err != nil {
		return r.fail(err)
	}
	r.pkts++
	if (r.opt.Packets > 0 && r.pkts >= r.opt.Packets) || (r.opt.FileSize > 0 && r.w.Size() >= r.opt.FileSize) {
		if err := r.rotate(); err != nil {
			return r.fail(err)
		}
	}
	return nil
}

// Tick switches files if the duration or interval has run out; the
// capture calls it on its flush ticker, so an idle link still switches.
func (r *RingFile) Tick() error {
	if r.err != nil {
		return r.err
	}
	if !r.next.IsZero() && !r.opt.Now().Before(r.next) {
		if err := r.rotate(); err != nil {
			return r.fail(err)
		}
	}
	return nil
}

// Flush writes out what is buffered in the current file.
func (r *RingFile) Flush() error {
	if r.err != nil {
		return r.err
	}
	if r.f == nil {
		return nil
	}
	if err := r.w.Flush(); err != nil {
		return r.fail(err)
	}
	return nil
}

// Close ends the current file. The error of an earlier write, if any, is
// returned (ErrRingDone is not an error here).
func (r *RingFile) Close() error {
	err := r.closeFile()
	if r.err != nil && !errors.Is(r.err, ErrRingDone) {
		return r.err
	}
	return err
}

// Names are the files kept, oldest first.
func (r *RingFile) Names() []string { return append([]string(nil), r.names...) }

// Current is the file being written ("" after the last one is closed).
func (r *RingFile) Current() string {
	if r.f == nil {
		return ""
	}
	return r.f.Name()
}
