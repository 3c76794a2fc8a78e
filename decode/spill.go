package decode

import (
	"fmt"
	"os"
)

// spillFile keeps the complete pages of the per-frame stores (frameStore:
// the TCP analysis results, the UDP deltas) on disk instead of the heap: a
// capture of tens of millions of frames would otherwise hold gigabytes of
// them for the whole session, though a re-dissection reads only the pages
// of the rows on screen. The file is a temporary one unlinked as soon as it
// is created, so nothing is left behind however the process ends; if it
// cannot be made (TMPDIR not writable, disk full), the pages stay in memory
// and warning says why, once.
type spillFile struct {
	f       *os.File
	end     int64
	tried   bool
	off     bool // spilling failed or was never possible: keep pages in memory
	warning string
}

// maxSpill bounds the bytes written to the file; past it pages stay in
// memory (under their store's own limit).
const maxSpill = 16 << 30

// open makes the file on first use; false if there is none.
func (s *spillFile) open() bool {
	if s == nil || s.off {
		return false
	}
	if s.f != nil {
		return true
	}
	if s.tried {
		return false
	}
	s.tried = true
	f, err := os.CreateTemp("", "wirelens-state-*")
	if err == nil {
		if rerr := os.Remove(f.Name()); rerr != nil {
			f.Close()
			err = rerr
		}
	}
	if err != nil {
		s.fail(err)
		return false
	}
	s.f = f
	return true
}

func (s *spillFile) fail(err error) {
	s.off = true
	if s.warning == "" {
		s.warning = fmt.Sprintf("per-frame analysis state kept in memory: no temporary file for it (%v; set TMPDIR to a writable directory)", err)
	}
}

// write appends b and returns where it went; false if the page must stay
// in memory.
func (s *spillFile) write(b []byte) (int64, bool) {
	if !s.open() || s.end+int64(len(b)) > maxSpill {
		return 0, false
	}
	if _, err := s.f.WriteAt(b, s.end); err != nil {
		s.fail(err)
		return 0, false
	}
	off := s.end
	s.end += int64(len(b))
	return off, true
}

// read fills buf from off.
func (s *spillFile) read(buf []byte, off int64) error {
	if s.f == nil {
		return os.ErrClosed
	}
	_, err := s.f.ReadAt(buf, off)
	return err
}

// close releases the file (its blocks go with it: it has no name).
func (s *spillFile) close() {
	if s != nil && s.f != nil {
		s.f.Close()
		s.f = nil
		s.off = true
	}
}
