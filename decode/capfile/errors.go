package capfile

import (
	"errors"
	"fmt"
)

// ErrNotCapture is wrapped (with the file name) when the input starts with
// neither a pcap, pcapng nor gzip magic number.
var ErrNotCapture = errors.New("isn't a capture file in a format wirelens understands (pcap or pcapng, plain or compressed with gzip, zstd, lz4, bzip2 or xz)")

// ErrEmpty is wrapped (with ErrNotCapture) when the input holds no byte at
// all: tshark reads that as a capture with no packets, and so do the
// batch printers.
var ErrEmpty = errors.New("is empty")

// FormatError reports a damaged capture file. Next returns it only after
// every good record before the damage, so callers can show what survived.
type FormatError struct {
	File      string
	Packet    int   // 1-based number of the record that could not be read; 0 for the file header
	Offset    int64 // byte offset (in the decompressed stream) of the damaged record or block
	Msg       string
	Truncated bool // the data ends in the middle of a record rather than being malformed
}

func (e *FormatError) Error() string {
	if e.Truncated {
		if e.Packet == 0 {
			return fmt.Sprintf("the file %q appears to have been cut short in the middle of its file header (byte offset %d)", e.File, e.Offset)
		}
		return fmt.Sprintf("the file %q appears to have been cut short in the middle of a packet (packet %d at byte offset %d)", e.File, e.Packet, e.Offset)
	}
	if e.Packet == 0 {
		return fmt.Sprintf("the file %q is corrupt: %s (file header)", e.File, e.Msg)
	}
	return fmt.Sprintf("the file %q is corrupt: %s (packet %d)", e.File, e.Msg, e.Packet)
}
