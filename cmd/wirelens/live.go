package main

import (
	"errors"
	"fmt"
	"github.com/wirelens/wirelens/decode/capfile"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirelens/wirelens/live"
	livebpf "github.com/wirelens/wirelens/live/bpf"
	"github.com/wirelens/wirelens/live/remote"
	xbpf "golang.org/x/net/bpf"
)

// liveCapture is a running capture on one interface. It writes pcapng
// into a pipe that the ordinary readers (batch printer, TUI) consume, so a
// live capture is shown exactly as a file would be, and into -w FILE.
type liveCapture struct {
	r *io.PipeReader
	h *live.Handle // nil for a remote capture
	// stopFn ends the capture and stats reads its counters; the local
	// capture closes its socket, a remote one ends its ssh session.
	stopFn  func()
	statsFn func() live.Stats
	stop    sync.Once
	done    chan struct{}
	stats   live.Stats
	err     error
	n       int
}

// parseDuration reads -a duration:N (seconds), tshark's stop condition.
func parseDuration(s string) (time.Duration, error) {
	k, v, ok := strings.Cut(s, ":")
	if !ok || k != "duration" {
		return 0, fmt.Errorf("invalid -a %q: wirelens supports duration:SECONDS", s)
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid -a %q: %q is not a positive number of seconds", s, v)
	}
	return time.Duration(n * float64(time.Second)), nil
}

// startLive opens the interface, compiles and attaches the capture filter,
// drops root privileges (as tcpdump -Z does: nothing after the socket is
// opened needs them), and starts copying packets into the pipe.
//
// With display false (-w alone) nothing reads the packets back: they go
// straight to the file, buffered, which is what keeps up with a busy link.
func startLive(o *options, stderr io.Writer, display bool) (*liveCapture, error) {
	lt, err := live.LinkTypeOf(o.iface)
	if err != nil {
		return nil, err
	}
	var prog []xbpf.RawInstruction
	if o.captureFilter != "" {
		prog, err = livebpf.Compile(o.captureFilter, livebpf.LinkType(lt), o.snaplen)
		if err != nil {
			return nil, usageError(err) // it names the filter and the column
		}
	}
	h, err := live.Open(o.iface, live.Options{SnapLen: o.snaplen, Promisc: !o.noPromisc, BufferSize: o.bufferKiB << 10, Filter: prog})
	if err != nil {
		return nil, err
	}
	if _, err := live.DropPrivileges(); err != nil {
		h.Close()
		return nil, err
	}
	out, pr, pw, file, err := captureOutputs(o, display)
	if err != nil {
		h.Close()
		return nil, err
	}
	off, _ := live.OffloadsOf(o.iface)
	statsFn := func() live.Stats { st, _ := h.Stats(); return st }
	// w is the stream to the display and to a plain -w; a ring buffer
	// (-b) writes its own files.
	var w *live.Writer
	var id uint32
	if !o.ringSet || display {
		w = live.NewWriter(out)
		if id, err = w.AddInterface(h.Interface(), off); err != nil {
			h.Close()
			return nil, err
		}
	}
	var ring *live.RingFile
	if o.ringSet {
		if ring, err = live.NewRingFile(o.write, o.ring, h.Interface(), off, statsFn); err != nil {
			h.Close()
			return nil, err
		}
	}
	lc := &liveCapture{r: pr, h: h, done: make(chan struct{}), stopFn: func() { h.Close() }, statsFn: statsFn}
	fmt.Fprintf(stderr, "Capturing on '%s' (offloads: %v)\n", o.iface, off)
	if o.duration > 0 {
		time.AfterFunc(o.duration, lc.Stop)
	}
	// The writer is flushed whenever the capture has read every frame
	// the kernel handed over and waits for more: a burst is written in
	// large blocks, a lone packet as soon as it is read, and an idle
	// capture makes no system calls. A ring buffer also needs a ticker to
	// switch files on time when no packet comes.
	var wmu sync.Mutex
	h.SetIdle(func() {
		wmu.Lock()
		if w != nil {
			w.Flush()
		}
		if ring != nil {
			ring.Flush()
		}
		wmu.Unlock()
	})
	if ring != nil {
		ticker := time.NewTicker(50 * time.Millisecond)
		go func() {
			for {
				select {
				case <-lc.done:
					ticker.Stop()
					return
				case <-ticker.C:
					wmu.Lock()
					// A failure ends the capture, and the ring's
					// Close reports it.
					rerr := ring.Tick()
					wmu.Unlock()
					if rerr != nil {
						lc.Stop()
					}
				}
			}
		}()
	}
	go func() {
		defer close(lc.done)
		start := time.Now()
		var err error
		for o.count == 0 || lc.n < o.count {
			// Next lends the frame until the following call: the writer
			// copies it into its buffer, so no packet is allocated.
			var rec capfile.Record
			var data []byte
			rec, data, err = h.Next()
			if err != nil {
				break
			}
			rec.Interface = id
			wmu.Lock()
			if w != nil {
				err = w.WritePacket(rec, data)
			}
			if err == nil && ring != nil {
				err = ring.WritePacket(rec, data)
			}
			wmu.Unlock()
			if errors.Is(err, live.ErrRingDone) {
				// -a files:N: this packet completed the last file.
				lc.n++
				err = nil
				break
			}
			if err != nil {
				break
			}
			lc.n++
		}
		wmu.Lock()
		defer wmu.Unlock()
		lc.stats, _ = h.Stats()
		h.Close()
		if w != nil {
			w.WriteStats(id, start.UnixNano(), time.Now().UnixNano(), lc.stats)
			w.Flush()
		}
		if ring != nil {
			if rerr := ring.Close(); rerr != nil && (err == nil || errors.Is(err, io.EOF)) {
				err = rerr
			}
		}
		if file != nil && file != os.Stdout {
			if cerr := file.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		lc.err = err
		if pw != nil {
			pw.CloseWithError(io.EOF)
		}
	}()
	return lc, nil
}

// Stop ends the capture; the reader then sees the end of the stream.
func (lc *liveCapture) Stop() { lc.stop.Do(lc.stopFn) }

// Wait waits for the capture to end and prints tcpdump's counters.
func (lc *liveCapture) Wait(stderr io.Writer) error {
	<-lc.done
	fmt.Fprintf(stderr, "%d packets captured\n%d packets received by filter\n%d packets dropped by kernel\n",
		lc.stats.Delivered, lc.stats.Received, lc.stats.Dropped)
	return lc.err
}

// startCapture starts a local capture, or a remote one for ssh:// targets.
func startCapture(o *options, stderr io.Writer, display bool) (*liveCapture, error) {
	if remote.IsTarget(o.iface) {
		return startRemote(o, stderr, display)
	}
	return startLive(o, stderr, display)
}

// stopOnInterrupt ends the capture on Ctrl-C in batch mode, so the file is
// finished and the counters are printed, as tcpdump does.
func (lc *liveCapture) stopOnInterrupt() func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() {
		if _, ok := <-ch; ok {
			lc.Stop()
		}
	}()
	return func() { signal.Stop(ch); close(ch) }
}

// listInterfaces prints -D: index, name, state, MTU, addresses, offloads.
func listInterfaces(w io.Writer) error {
	ifs, err := live.Interfaces()
	if err != nil {
		return err
	}
	for _, i := range ifs {
		state := "down"
		if i.Up {
			state = "up"
		}
		var addrs []string
		for _, a := range i.Addrs {
			addrs = append(addrs, a.String())
		}
		fmt.Fprintf(w, "%d. %s [%s] mtu %d %s offloads: %v\n", i.Index, i.Name, state, i.MTU, strings.Join(addrs, " "), i.Offloads)
	}
	fmt.Fprintf(w, "%d. any (pseudo-device that captures on all interfaces)\n", len(ifs)+1)
	return nil
}

// captureOutputs opens where a capture's pcapng goes: a pipe the batch
// printer or the TUI reads (when display), the -w file (or standard
// output), both, or nowhere. file is nil unless -w named one.
func captureOutputs(o *options, display bool) (out io.Writer, pr *io.PipeReader, pw *io.PipeWriter, file *os.File, err error) {
	if display {
		pr, pw = io.Pipe()
		out = pw
	}
	if o.write != "" && !o.ringSet { // a ring buffer opens its own files
		if o.write == "-" {
			file = os.Stdout
		} else if file, err = os.Create(o.write); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("cannot write the capture to %q: %w", o.write, err)
		}
		if out == nil {
			out = file
		} else {
			out = io.MultiWriter(pw, file)
		}
	}
	if out == nil {
		out = io.Discard
	}
	return out, pr, pw, file, nil
}

// stream is what the UI reads the capture from: closing it (the UI leaving
// the capture for another file, capture or the start screen) also stops
// the capture, which otherwise waits for its next packet on an idle
// interface (or keeps a remote ssh session) until wirelens exits.
func (lc *liveCapture) stream() io.ReadCloser { return liveStream{lc} }

type liveStream struct{ lc *liveCapture }

func (s liveStream) Read(p []byte) (int, error) { return s.lc.r.Read(p) }

func (s liveStream) Close() error {
	s.lc.r.Close()
	s.lc.Stop()
	return nil
}
