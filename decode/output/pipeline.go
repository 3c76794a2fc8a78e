package output

import (
	"errors"
	"io"
	"sync"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
)

// pipeSlots is the number of frames in flight between the three stages.
const pipeSlots = 256

// pipeSlot carries one frame through the pipeline: its bytes (copied: the
// reader's buffer moves on), then its dissection and number once shown.
type pipeSlot struct {
	rec   capfile.Record
	data  []byte
	iface *capfile.Interface
	fr    decode.Frame
	d     decode.Dissection
	n     int
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
		for n := 1; ; n++ {
			var i int
			select {
			case i = <-free:
			case <-stop:
				return
			}
			rec, data, err := rd.Next()
			if n%4096 == 0 {
				pr.cfg.Progress.Update(n, rd.Offset())
			}
			if err != nil {
				readErr = err
				return
			}
			s := &ring[i]
			s.rec, s.data, s.iface = rec, append(s.data[:0], data...), rd.Interface(rec.Interface)
			select {
			case read <- i:
			case <-stop:
				return
			}
		}
	}()
	written := make(chan struct{})
	go func() {
		defer close(written)
		for i := range format {
			s := &ring[i]
			pr.display(&s.fr, &s.d, s.n)
			free <- i
		}
	}()
	more := true
	for i := range read {
		s := &ring[i]
		fr, shown, m := pr.packet(s.rec, s.data, s.iface, &s.d)
		if shown {
			s.fr, s.n = fr, pr.shown
			format <- i
		} else {
			free <- i
		}
		if more = m; !more {
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
