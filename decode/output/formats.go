package output

import (
	"bufio"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// newPacketFormat returns the writer of a structured format, or nil for
// text and fields, which the printer writes itself.
func newPacketFormat(c *Config) packetFormat {
	switch c.Format {
	case "json":
		return &jsonFormat{merge: c.NoDupKeys, spec: c.Spec}
	case "jsonraw":
		return &jsonrawFormat{}
	case "ek":
		return &ekFormat{spec: c.Spec}
	case "psml":
		return &psmlFormat{time: c.Time}
	case "pdml":
		return &pdmlFormat{file: c.CaptureFile, now: time.Now}
	}
	return nil
}

// jsonFormat is -T json: an array of packets ("[]" when there is none,
// as tshark writes it).
type jsonFormat struct {
	n     int
	merge bool
	spec  *Spec // -e: only these fields
}

func (*jsonFormat) begin(w *bufio.Writer) { w.WriteString("[") }

func (j *jsonFormat) packet(w *bufio.Writer, fr *decode.Frame, d *decode.Dissection, n int) {
	if j.n > 0 {
		w.WriteString(",")
	}
	w.WriteString("\n")
	j.n++
	if j.spec != nil {
		writeJSONFields(w, d, j.spec)
		return
	}
	writeJSON(w, d, j.merge)
}

func (j *jsonFormat) end(w *bufio.Writer) {
	if j.n > 0 {
		w.WriteString("\n")
	}
	w.WriteString("]\n")
}
