package capfile

import (
	"errors"
	"io"
)

// Resume lets Next go on after it reached the end of a plain capture file
// that is still being written (tcpdump -U -w FILE): after io.EOF, or after
// a record cut short at the end, which is then read again from its start
// once the rest of it is there. It reports false, changing nothing, when
// the reader cannot: a compressed file or a pipe, damage that is not a cut
// short end, or a cut-short file header.
func (r *Reader) Resume() bool {
	if r.closed || r.compressed || r.tee != nil {
		return false
	}
	rs, ok := r.ra.(io.ReadSeeker)
	if !ok {
		return false
	}
	at := r.off
	var fe *FormatError
	switch {
	case errors.Is(r.err, io.EOF):
	case errors.As(r.err, &fe) && fe.Truncated && fe.Packet > 0:
		at = fe.Offset
	default:
		return false
	}
	if _, err := rs.Seek(at, io.SeekStart); err != nil {
		return false
	}
	r.in.Reset(rs)
	r.off, r.err = at, nil
	return true
}

// CutShort reports whether err is the end of the file in the middle of a
// packet record: what a file still being written looks like for a moment.
func CutShort(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe) && fe.Truncated && fe.Packet > 0
}
