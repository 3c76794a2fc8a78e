package output

import (
	"bufio"
	"errors"
	"io"
	"runtime"
	"slices"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/filter"
	"github.com/wirelens/wirelens/prefs"
)

// Config says what a batch run prints: the choices tshark's command line
// makes (-T, -V, -x, -Y, -c, -q, -t, -w ...), as plain data.
type Config struct {
	// Format is "text" (or ""), "fields", "json", "jsonraw", "ek", "pdml"
	// or "psml".
	Format  string
	Spec    *Spec // -T fields, or -T json/ek with -e: the fields to print
	Verbose bool  // -V: the whole tree
	Hex     bool  // -x: the bytes
	// OnlyProtos (-O) expands only these protocols' trees; the others are
	// shown as their top line. Implies Verbose.
	OnlyProtos []string
	Quiet      bool // -q: no per-packet output (statistics and the report still print)
	Summary    bool // -P: the summary line even when writing packets with -w
	Separator  string

	Filter     *filter.Filter // -Y
	ReadFilter *filter.Filter // -2 -R: frames it rejects are dropped before numbering
	Count      int            // -c: stop after this many frames read (tshark 4.0 counts frames read, not shown)

	Time TimeFormat // -t and -u

	Report bool  // --checksum-report (-z checksum)
	Taps   []Tap // -z statistics, written after the last packet
	// Writer receives every displayed frame (-w); nil writes none.
	Writer PacketWriter
	// NoDupKeys (--no-duplicate-keys) merges a -T json field seen more
	// than once into one key holding an array.
	NoDupKeys bool
	// Flush after every packet: a live stream, or -l.
	Flush bool
	// Progress, when set, is told how far the run has got (a terminal's
	// progress line on standard error); it is erased before the run ends.
	Progress *Progress
	// CaptureFile names the capture in -T pdml's header.
	CaptureFile string
	// Annotate, when set, adds fields computed outside the dissector
	// (wirelens --compare's) to each frame before it is filtered.
	Annotate func(fr *decode.Frame, d *decode.Dissection)
}

// Tap is a -z statistic: it sees every displayed frame and writes its
// table at the end, in tshark's format.
type Tap interface {
	// Fields the tap reads; the dissector keeps at least these.
	// nil means the whole tree.
	Fields() []*decode.FieldDef
	Packet(fr *decode.Frame, d *decode.Dissection)
	Write(w io.Writer)
}

// PacketWriter saves frames (-w): a pcap or pcapng file.
type PacketWriter interface {
	WritePacket(rec capfile.Record, data []byte, iface *capfile.Interface) error
	Flush() error
}

// Printer is the batch loop: each frame is read, dissected into a reused
// Dissection, filtered, printed and forgotten, so memory does not grow
// with the file.
type Printer struct {
	cfg  Config
	w    *bufio.Writer
	ds   *decode.Dissector
	d    decode.Dissection
	rep  *decode.Report
	text bool // per-packet text output of some kind

	read, kept, shown int
	first, prev       int64
	prevShown         int64
	started           bool
	opened            bool // the format's prologue is written
	fmt               packetFormat
	err               error
	// timeCol: -T fields prints _ws.col.Time
	timeCol bool
	// pipeline: Run reads, dissects and writes in three goroutines
	// (more than one core, and output not flushed per packet).
	pipeline bool
}

// packetFormat writes one structured format (json, pdml ...).
type packetFormat interface {
	begin(w *bufio.Writer)
	packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int)
	end(w *bufio.Writer)
}

// NewPrinter prepares a batch run writing to out.
func NewPrinter(out io.Writer, p prefs.Prefs, cfg Config) *Printer {
	if cfg.Format == "" {
		cfg.Format = "text"
	}
	if len(cfg.OnlyProtos) > 0 {
		cfg.Verbose = true
	}
	pr := &Printer{cfg: cfg, w: bufio.NewWriterSize(out, 1<<20)}
	pr.ds = decode.NewDissector(p)
	pr.ds.OnePass = true
	pr.ds.Summary = pr.needSummary()
	if want := pr.wanted(); want != nil {
		pr.ds.Want(want)
	}
	if cfg.Report {
		pr.rep = decode.NewReport(p)
	}
	pr.fmt = newPacketFormat(&pr.cfg)
	if cfg.Spec != nil {
		pr.timeCol = slices.Contains(cfg.Spec.Names, "_ws.col.Time")
	}
	// Pipelining moves reading and writing off the dissecting goroutine;
	// it pays where writing costs as much as dissecting (trees, bytes,
	// JSON and XML). Measured on 2 shared cores, -T fields and -Y took
	// 25-40 % more CPU pipelined and were no faster, so they stay
	// sequential.
	heavy := pr.cfg.Verbose || pr.cfg.Hex || (pr.cfg.Format != "text" && pr.cfg.Format != "fields")
	pr.pipeline = runtime.GOMAXPROCS(0) > 1 && !cfg.Flush && heavy && pr.printsPackets()
	return pr
}

// printsPackets reports whether anything is written per packet.
func (pr *Printer) printsPackets() bool {
	c := &pr.cfg
	if c.Quiet {
		return false
	}
	if c.Writer != nil {
		// tshark -w prints nothing per packet unless asked to.
		return c.Summary || c.Verbose || c.Hex || c.Format != "text"
	}
	if c.Report && c.Format == "text" && !c.Verbose && !c.Hex && !c.Summary {
		return false // the report alone
	}
	return true
}

// needSummary reports whether the list row must be built; -T fields
// without column fields skips it, which is most of a frame's cost.
func (pr *Printer) needSummary() bool {
	c := &pr.cfg
	if c.Report || c.Taps != nil {
		return true
	}
	switch c.Format {
	case "fields", "json", "ek":
		if c.Spec == nil {
			return false
		}
		for _, n := range c.Spec.Names {
			if len(n) > 8 && n[:8] == "_ws.col." {
				return true
			}
		}
		return false
	case "text":
		return !c.Verbose || c.Summary
	case "psml", "pdml":
		return true
	}
	return false
}

// leanOff makes every run build the whole tree: the tests compare.
var leanOff = false

// wanted returns the fields to build when the output needs only some of
// them, or nil for the whole tree.
func (pr *Printer) wanted() []*decode.FieldDef {
	c := &pr.cfg
	if c.Report || c.Hex || c.Verbose || leanOff {
		return nil
	}
	var want []*decode.FieldDef
	switch {
	case c.Format == "fields" && c.Spec != nil:
		want = append(want, c.Spec.Defs...)
	case c.Format == "text":
		// The summary line alone: the dissectors write the columns
		// whatever fields are kept (TestLeanSummaryMatchesFull).
		want = []*decode.FieldDef{}
	default:
		return nil
	}
	if c.Filter != nil {
		want = append(want, c.Filter.Fields()...)
	}
	if c.ReadFilter != nil {
		want = append(want, c.ReadFilter.Fields()...)
	}
	for _, t := range c.Taps {
		f := t.Fields()
		if f == nil {
			return nil
		}
		want = append(want, f...)
	}
	return want
}

// Run prints every frame of rd. It returns nil at the end of the capture
// (or after -c frames) and the reader's error when the capture is damaged,
// after everything before the damage was printed and the statistics
// written.
func (pr *Printer) Run(rd *capfile.Reader) error {
	defer pr.w.Flush()
	if pr.pipeline {
		return pr.runPipelined(rd)
	}
	for n := 1; ; n++ {
		rec, data, err := rd.Next()
		if n%4096 == 0 {
			pr.cfg.Progress.Update(n, rd.Offset())
		}
		if err != nil {
			pr.Finish()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if !pr.Packet(rec, data, rd.Interface(rec.Interface)) {
			pr.Finish()
			return nil
		}
	}
}

// Packet handles one frame read from the capture; it reports false once
// -c frames have been read.
func (pr *Printer) Packet(rec capfile.Record, data []byte, iface *capfile.Interface) bool {
	fr, shown, more := pr.packet(rec, data, iface, &pr.d)
	if shown {
		pr.display(&fr, &pr.d, pr.shown)
	}
	return more
}

// packet is everything Packet does before the output: numbering, the read
// filter, the dissection into d, the report and the display filter. It
// says whether the frame is shown (the caller then displays it, in order)
// and whether to go on reading.
func (pr *Printer) packet(rec capfile.Record, data []byte, iface *capfile.Interface, d *decode.Dissection) (decode.Frame, bool, bool) {
	c := &pr.cfg
	if !pr.started {
		pr.started = true
		pr.first, pr.prev, pr.prevShown = rec.Timestamp, rec.Timestamp, rec.Timestamp
		pr.open()
	}
	pr.read++
	// -2 -R: tshark's first pass sees every frame (so reassembly and the
	// conversations learn from all of them) and drops those the read
	// filter rejects; the rest are numbered and timed as if alone. A
	// frame is numbered by position while dissected (reassembly and
	// conversations key on it), renumbered once the read filter kept it.
	fr := decode.Frame{Number: pr.read, Data: data, Record: rec, RelTime: capfile.SubTime(rec.Timestamp, pr.first), Delta: capfile.SubTime(rec.Timestamp, pr.prev), Iface: iface}
	fr.HasDeltaDisplayed = true
	if pr.shown > 0 {
		fr.DeltaDisplayed = capfile.SubTime(rec.Timestamp, pr.prevShown)
	}
	pr.ds.Dissect(&fr, d)
	if c.Annotate != nil {
		c.Annotate(&fr, d)
	}
	if c.ReadFilter != nil && !c.ReadFilter.Match(d) {
		return decode.Frame{}, false, c.Count == 0 || pr.read < c.Count
	}
	pr.kept++
	pr.prev = rec.Timestamp
	if pr.kept != pr.read {
		fr.Number = pr.kept
		renumber(d, pr.kept)
	}
	if pr.rep != nil {
		pr.rep.Add(&fr, d)
	}
	// tshark's taps see every frame read, whatever -Y shows: a -z
	// statistic is filtered by its own filter argument.
	for _, t := range c.Taps {
		t.Packet(&fr, d)
	}
	shown := c.Filter == nil || c.Filter.Match(d)
	if shown {
		pr.shown++
		pr.prevShown = rec.Timestamp
	}
	return fr, shown, c.Count == 0 || pr.read < c.Count
}

// display writes one frame that passed the filters, the n-th shown.
func (pr *Printer) display(fr *decode.Frame, d *decode.Dissection, n int) {
	c := &pr.cfg
	w := pr.w
	if c.Writer != nil {
		if err := c.Writer.WritePacket(fr.Record, fr.Data, fr.Iface); err != nil && pr.err == nil {
			pr.err = err
		}
	}
	if !pr.printsPackets() {
		return
	}
	switch {
	case pr.fmt != nil:
		pr.fmt.packet(w, fr, d, n)
	case c.Format == "fields":
		if pr.timeCol {
			c.Spec.Time = c.Time.Column(fr, d.Summary.Digits)
		}
		c.Spec.WriteFields(w, d)
	default:
		if c.Verbose {
			if c.Summary {
				writeSummaryLine(w, &d.Summary, c.Time.Column(fr, d.Summary.Digits))
			}
			if n > 1 && !c.Hex && c.Separator == "" {
				w.WriteByte('\n')
			}
			writeTreeOnly(w, d, c.OnlyProtos)
		} else if !c.Hex || c.Summary {
			writeSummaryLine(w, &d.Summary, c.Time.Column(fr, d.Summary.Digits))
		}
		// tshark -x alone prints the dump without the summary line
		if c.Hex {
			if c.Verbose {
				w.WriteByte('\n')
			}
			WriteHex(w, fr.Data)
			w.WriteByte('\n')
		}
		if c.Separator != "" {
			w.WriteString(c.Separator)
		}
	}
	if c.Flush {
		w.Flush()
	}
}

// open writes the format's prologue.
func (pr *Printer) open() {
	if pr.opened {
		return
	}
	pr.opened = true
	if !pr.printsPackets() {
		return
	}
	if pr.fmt != nil {
		pr.fmt.begin(pr.w)
	} else if pr.cfg.Format == "fields" {
		pr.cfg.Spec.WriteHeader(pr.w)
	}
}

// Finish ends the output: the format's epilogue, the statistics and the
// report. Run calls it; a caller feeding Packet itself calls it once.
func (pr *Printer) Finish() {
	pr.cfg.Progress.Done()
	pr.open()
	if pr.fmt != nil && pr.printsPackets() {
		pr.fmt.end(pr.w)
	}
	// tshark draws its taps last registered first.
	for i := len(pr.cfg.Taps) - 1; i >= 0; i-- {
		pr.cfg.Taps[i].Write(pr.w)
	}
	if pr.rep != nil {
		pr.rep.Write(pr.w)
	}
	if pr.cfg.Writer != nil {
		if err := pr.cfg.Writer.Flush(); err != nil && pr.err == nil {
			pr.err = err
		}
	}
	pr.w.Flush()
}

// Err is the first error writing packets (-w), if any.
func (pr *Printer) Err() error { return pr.err }

// Counts returns the frames read, kept by the read filter, and shown.
func (pr *Printer) Counts() (read, kept, shown int) { return pr.read, pr.kept, pr.shown }

var (
	fieldFrame, _       = decode.LookupField("frame")
	fieldFrameNumber, _ = decode.LookupField("frame.number")
)

// renumber gives a dissected frame the number -2 -R assigns it.
func renumber(d *decode.Dissection, n int) {
	d.Summary.Number = n
	for i := range d.Fields {
		f := &d.Fields[i]
		switch f.Def {
		case fieldFrame:
			f.U = f.U&^(1<<40-1) | uint64(n)
		case fieldFrameNumber:
			f.U = uint64(n)
			return
		}
	}
}
