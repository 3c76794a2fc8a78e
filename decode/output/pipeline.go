package output

import (
	"errors"
	"io"
	"sync"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
)

// pipeSlots batches of pipeBatch frames are in flight between the three
// stages: handing frames over in batches keeps the channel traffic well
// under the cost of a dissection.
const (
	pipeSlots = 8
	pipeBatch = 64
)

// pipeFrame carries one frame through the pipeline: its bytes (copied: the
// reader's buffer moves on), then its dissection and number once shown.
type pipeFrame struct {
	rec   capfile.Record
	data  []byte
	iface *capfile.Interface
	fr    decode.Frame
	d     decode.Dissection
	shown bool
	n     int
}

type pipeSlot struct {
	frames []pipeFrame
	read   int // frames the reader filled
	done   int // frames the dissecting stage went through
}

// runPipelined is Run on more than one core: one goroutine reads and
// splits the records, this one dissects them in capture order with the one
// dissector (so the conversation state, reassembly and retransmission ties
// are exactly those of a sequential run), and one writes the output, in
// order. Each stage has its own buffers; the output is byte for byte what
// the sequential loop writes, which TestPipelineMatchesSequential checks.
func (pr *Printer) runPipelined(rd *capfile.Reader) error {
	ring := make([]pipeSlot, pipeSlots)
	free := make(chan int, pipeSlots)
	for i := range ring {
		ring[i].frames = make([]pipeFrame, pipeBatch)
		free <- i
	}
	read := make(chan int, pipeSlots)
	format := make(chan int, pipeSlots)
	stop := make(chan struct{})
	var readErr error
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		defer close(read)
		n := 0
		for {
			var i int
			select {
			case i = <-free:
			case <-stop:
				return
			}
			sl := &ring[i]
			sl.read = 0
			for sl.read < pipeBatch {
				rec, data, err := rd.Next()
				if err != nil {
					readErr = err
					break
				}
				n++
				if n%4096 == 0 {
					pr.cfg.Progress.Update(n, rd.Offset())
				}
				f := &sl.frames[sl.read]
				f.rec, f.data, f.iface = rec, append(f.data[:0], data...), rd.Interface(rec.Interface)
				sl.read++
			}
			if sl.read > 0 {
				select {
				case read <- i:
				case <-stop:
					return
				}
			}
			if readErr != nil {
				return
			}
		}
	}()
	written := make(chan struct{})
	go func() {
		defer close(written)
		for i := range format {
			sl := &ring[i]
			for k := 0; k < sl.done; k++ {
				if f := &sl.frames[k]; f.shown {
					pr.display(&f.fr, &f.d, f.n)
				}
			}
			free <- i
		}
	}()
	more := true
	for i := range read {
		sl := &ring[i]
		sl.done = 0
		for k := 0; k < sl.read && more; k++ {
			f := &sl.frames[k]
			f.fr, f.shown, more = pr.packet(f.rec, f.data, f.iface, &f.d)
			f.n = pr.shown
			sl.done++
		}
		format <- i
		if !more {
			break
		}
	}
	close(stop)
	for range read {
	}
	readers.Wait()
	close(format)
	<-written
	pr.Finish()
	if !more || readErr == nil || errors.Is(readErr, io.EOF) {
		return nil
	}
	return readErr
}
