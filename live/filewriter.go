package live

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/wirelens/wirelens/decode/capfile"
)

// FileWriter saves frames read from another capture (tshark's -r IN -w
// OUT): pcapng, with the input's interfaces added as their first frame
// comes, or classic pcap (-F pcap), which holds one link type.
type FileWriter struct {
	ng    *Writer
	ids   map[uint32]uint32 // input interface -> output interface
	pcap  *bufio.Writer
	link  int // pcap: the link type of the first frame, -1 before it
	snap  uint32
	err   error
	count int
}

// NewFileWriter writes format ("pcapng" or "pcap") to w.
func NewFileWriter(w io.Writer, format string) (*FileWriter, error) {
	switch format {
	case "", "pcapng":
		return &FileWriter{ng: NewWriter(w), ids: map[uint32]uint32{}}, nil
	case "pcap":
		return &FileWriter{pcap: bufio.NewWriterSize(w, 256<<10), link: -1}, nil
	}
	return nil, fmt.Errorf("cannot write capture files of type %q: pcapng or pcap", format)
}

// WritePacket writes one frame; iface is the input's interface of the
// frame (nil when the input has none to describe).
func (f *FileWriter) WritePacket(rec capfile.Record, data []byte, iface *capfile.Interface) error {
	if f.err != nil {
		return f.err
	}
	f.count++
	if f.ng != nil {
		id, ok := f.ids[rec.Interface]
		if !ok {
			ifc := capfile.Interface{LinkType: rec.LinkType, SnapLen: capfile.MaxCapLen, FCSLen: -1}
			if iface != nil {
				ifc = *iface
			}
			var err error
			// The offloads, if any, are already in the description.
			if id, err = f.ng.AddInterface(ifc, Offloads{}); err != nil {
				f.err = err
				return err
			}
			f.ids[rec.Interface] = id
		}
		rec.Interface = id
		f.err = f.ng.WritePacket(rec, data)
		return f.err
	}
	if f.link < 0 {
		f.header(rec.LinkType)
	}
	if int(rec.LinkType) != f.link {
		f.err = fmt.Errorf("packet %d has link type %d and the pcap file %d: a pcap file holds one link type (write pcapng instead)", f.count, rec.LinkType, f.link)
		return f.err
	}
	// Classic pcap counts microseconds: the nanoseconds are cut, as
	// Wireshark's writer cuts them.
	var h [16]byte
	ts := rec.Timestamp
	sec, usec := ts/1e9, ts%1e9/1000
	if usec < 0 {
		sec, usec = sec-1, usec+1e6
	}
	binary.LittleEndian.PutUint32(h[0:], uint32(sec))
	binary.LittleEndian.PutUint32(h[4:], uint32(usec))
	binary.LittleEndian.PutUint32(h[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[12:], max(rec.OrigLen, uint32(len(data))))
	f.write(h[:])
	f.write(data)
	return f.err
}

// header writes the pcap file header: microsecond timestamps, little
// endian, tshark's snap length.
func (f *FileWriter) header(link uint16) {
	f.link = int(link)
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], capfile.MaxCapLen)
	binary.LittleEndian.PutUint32(h[20:], uint32(link))
	f.write(h[:])
}

func (f *FileWriter) write(b []byte) {
	if f.err == nil {
		if _, err := f.pcap.Write(b); err != nil {
			f.err = fmt.Errorf("writing pcap: %w", err)
		}
	}
}

// Flush writes what is buffered; a file with no packets still gets its
// header, so it is a valid (empty) capture.
func (f *FileWriter) Flush() error {
	if f.ng != nil {
		return f.ng.Flush()
	}
	if f.err != nil {
		return f.err
	}
	if f.link < 0 {
		f.header(capfile.LinkEthernet)
	}
	if f.err == nil {
		if err := f.pcap.Flush(); err != nil {
			f.err = fmt.Errorf("writing pcap: %w", err)
		}
	}
	return f.err
}
