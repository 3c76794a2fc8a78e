package capfile

import (
	"errors"
	"fmt"
	"io"
)

// Finding the last records of a file from its end, before anything between
// has been read, so the UI can show the end of a capture of tens of
// gigabytes at once. pcapng is walked backwards exactly: every block ends
// with its total length, which must equal the one at its start. Classic
// pcap has no such framing and is resynchronised: a record is accepted only
// on proof that the record chain of the file must pass through it (below).

// ErrNoTail is wrapped by Tail when the last records cannot be proven from
// the end of the file; the caller reads the file from the start instead.
var ErrNoTail = errors.New("the last packets cannot be found from the end of the file")

const (
	// tailWindow is how much of the end of a pcap file is examined: four
	// of the largest records, and at least 1 MiB.
	tailWindow = 1 << 20
	// tailMinChain is how many records a pcap resynchronisation must prove
	// unless it reaches back to the first record.
	tailMinChain = 8
	// tailTimeBack is how far a record's time may go back from the one
	// before it (captures merged from several queues are not in order to
	// the nanosecond); tailTimeAhead how far forward it may jump.
	tailTimeBack  = 60 * 1e9
	tailTimeAhead = 7 * 24 * 3600 * 1e9
	// tailWalkMax bounds the bytes a pcapng backward walk reads.
	tailWalkMax = 8 << 20
)

func noTail(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNoTail, fmt.Sprintf(format, args...))
}

// blockErr is a block decoder's complaint as a reason for ErrNoTail: its
// packet number would count from the start, which the walk did not read.
func blockErr(err error) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return noTail("%s", fe.Msg)
	}
	return noTail("%v", err)
}

// Tail returns up to max of the last records of a plain (uncompressed)
// capture file of size bytes opened in place with RandomAccess, in file
// order, without reading what lies between its first record and them. It
// reads the first record itself when none has been read (the interfaces and
// the first timestamp come from there); use a reader of its own for it,
// since it is of no further use for Next. An error wrapping ErrNoTail says
// why the end could not be proven; the records are then unknown, never
// guessed.
func (r *Reader) Tail(size int64, max int) ([]Record, error) {
	if r.ra == nil {
		return nil, noTail("%q is compressed or not a regular file", r.name)
	}
	if max <= 0 {
		return nil, nil
	}
	var first Record
	if r.count == 0 {
		rec, _, err := r.Next()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, noTail("%v", err)
		}
		first = rec
	} else {
		return nil, noTail("the reader of %q has already been used", r.name)
	}
	front := r.off // just past the first record
	if front > size {
		return nil, noTail("%q is shorter than its first record", r.name)
	}
	var tail []Record
	var whole bool
	var err error
	if r.ng {
		tail, whole, err = r.tailNG(front, size, max)
	} else {
		tail, whole, err = r.tailPcap(front, size, max, first.Timestamp)
	}
	if err != nil || !whole {
		return tail, err
	}
	// Everything after the first record was walked: it is part of the tail.
	out := append([]Record{first}, tail...)
	return out[len(out)-min(len(out), max):], nil
}

// tailNG walks pcapng blocks backwards from size down to front; whole says
// it reached front.
func (r *Reader) tailNG(front, size int64, max int) (out []Record, whole bool, err error) {
	if r.secBase != 0 {
		return nil, false, noTail("%q has more than one section before its first packet", r.name)
	}
	var buf []byte
	var word [4]byte
	pos := size
	read := int64(0)
	for pos > front && len(out) < max {
		if pos-front < 12 {
			return nil, false, noTail("%d bytes before byte offset %d are not a block", pos-front, pos)
		}
		if _, err := r.ra.ReadAt(word[:], pos-4); err != nil {
			return nil, false, noTail("reading %q at byte offset %d: %v", r.name, pos-4, err)
		}
		blen := r.u32(word[:])
		if blen%4 != 0 || blen < 12 || blen > maxBlockLen || int64(blen) > pos-front {
			return nil, false, noTail("the block ending at byte offset %d has a trailing length of %d, which does not frame a block", pos, blen)
		}
		read += int64(blen)
		if read > tailWalkMax {
			break
		}
		start := pos - int64(blen)
		if cap(buf) < int(blen) {
			buf = make([]byte, blen)
		}
		b := buf[:blen]
		if _, err := r.ra.ReadAt(b, start); err != nil {
			return nil, false, noTail("reading %q at byte offset %d: %v", r.name, start, err)
		}
		if lead := r.u32(b[4:]); lead != blen {
			return nil, false, noTail("the block ending at byte offset %d has length %d at its end but %d at its start", pos, blen, lead)
		}
		typ := r.u32(b)
		body := b[8 : blen-4]
		var rec Record
		switch typ {
		case blockSHB:
			// A later section's packets would refer to interfaces of its own.
			return nil, false, noTail("%q has a section header at byte offset %d, near its end", r.name, start)
		case blockIDB:
			// Interfaces defined after the first packet: what follows may
			// refer to them, and what precedes is not needed.
			return nil, false, noTail("%q defines an interface at byte offset %d, after its first packet", r.name, start)
		case blockEPB, blockOPB:
			if blen < 32 {
				return nil, false, noTail("packet block at byte offset %d has length %d, less than the minimum of 32", start, blen)
			}
			if _, err := r.packetBlock(&rec, start, typ, body); err != nil {
				return nil, false, blockErr(err)
			}
		case blockSPB:
			if blen < 16 {
				return nil, false, noTail("simple packet block at byte offset %d has length %d, less than the minimum of 16", start, blen)
			}
			if _, err := r.simplePacket(&rec, start, body); err != nil {
				return nil, false, blockErr(err)
			}
		default:
			pos = start
			continue
		}
		out = append(out, rec)
		pos = start
	}
	if len(out) == 0 && pos != front {
		return nil, false, noTail("no packet block in the last %d bytes of %q", size-pos, r.name)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, pos == front, nil
}

// tailPcap resynchronises a classic pcap file near its end. A position p is
// linked when a plausible record header is there (captured length within
// the snap length and the original length, a sub-second field in range, a
// time not far before the first record's) and the record either ends
// exactly at EOF or is followed by a linked record whose time is close to
// its own: every linked position starts a chain of records ending at EOF.
// A true record boundary lies in any stretch of maxRec bytes, so the true
// chain starts at one of the linked positions of the window's first maxRec
// bytes; the records every one of those chains passes through are then on
// the true chain too. Only those are returned, and only when there are
// several (or the window reaches back to the first record): a fake header
// in packet bytes whose chain never merges with the others leaves nothing
// proven, and the caller waits for the scan.
func (r *Reader) tailPcap(front, size int64, max int, firstTS int64) (out []Record, whole bool, err error) {
	snap := int64(r.ifaces[0].SnapLen)
	limit := int64(MaxCapLen)
	if snap > 0 && snap < limit {
		limit = snap
	}
	maxRec := pcapRecLen + limit
	win := int64(tailWindow)
	if 4*maxRec > win {
		win = 4 * maxRec
	}
	s := size - win
	exact := false
	if s <= front {
		s, exact = front, true
	}
	n := size - s
	if n < pcapRecLen {
		if exact && n == 0 {
			return nil, true, nil
		}
		return nil, false, noTail("the last %d bytes of %q are not a whole packet record", n, r.name)
	}
	buf := make([]byte, n)
	if m, err := r.ra.ReadAt(buf, s); int64(m) < n {
		return nil, false, noTail("reading %q at byte offset %d: %v", r.name, s, err)
	}
	fracMax := int64(1e6)
	if r.fracMul == 1 {
		fracMax = 1e9
	}
	// head decodes the header at window position i.
	head := func(i int64) (next int64, ts int64, ok bool) {
		h := buf[i : i+pcapRecLen]
		capLen, origLen, frac := int64(r.u32(h[8:])), int64(r.u32(h[12:])), int64(r.u32(h[4:]))
		if capLen > limit || capLen > origLen || frac >= fracMax {
			return 0, 0, false
		}
		ts = int64(r.u32(h))*1e9 + frac*r.fracMul
		if ts < firstTS-tailTimeBack {
			return 0, 0, false
		}
		return i + pcapRecLen + capLen, ts, true
	}
	// depth[i]: records from i to EOF along a linked chain (0: not linked).
	depth := make([]int32, n)
	for i := n - pcapRecLen; i >= 0; i-- {
		next, ts, ok := head(i)
		if !ok || next > n {
			continue
		}
		if next == n {
			depth[i] = 1
			continue
		}
		if next+pcapRecLen > n || depth[next] == 0 {
			continue
		}
		if _, nt, _ := head(next); nt < ts-tailTimeBack || nt > ts+tailTimeAhead {
			continue
		}
		depth[i] = depth[next] + 1
	}
	// The candidates, and how many of them each position's chain carries.
	span := min(maxRec+1, n)
	if exact {
		span = 1 // the first record ends at front: the next one starts there
	}
	through := make([]int32, n)
	cands := int32(0)
	for i := int64(0); i < span; i++ {
		if depth[i] > 0 {
			through[i]++
			cands++
		}
	}
	if cands == 0 {
		return nil, false, noTail("no chain of packet records ends exactly at the end of %q", r.name)
	}
	firstCand := int64(-1)
	for i := int64(0); i < n; i++ {
		if through[i] == 0 || depth[i] == 0 {
			continue
		}
		if firstCand < 0 {
			firstCand = i
		}
		if next, _, _ := head(i); next < n {
			through[next] += through[i]
		}
	}
	x := firstCand
	for through[x] != cands {
		next, _, _ := head(x)
		if next >= n {
			return nil, false, noTail("the last packet records of %q cannot be told apart from packet bytes", r.name)
		}
		x = next
	}
	if !exact && depth[x] < tailMinChain {
		return nil, false, noTail("only %d packet records at the end of %q can be told apart from packet bytes", depth[x], r.name)
	}
	skip := max64(int64(depth[x])-int64(max), 0)
	out = make([]Record, 0, min(int(depth[x]), max))
	for i := x; i < n; {
		next, ts, _ := head(i)
		if skip > 0 {
			skip--
			i = next
			continue
		}
		h := buf[i:]
		out = append(out, Record{Offset: s + i, DataOff: s + i + pcapRecLen, Timestamp: ts,
			CapLen: r.u32(h[8:]), OrigLen: r.u32(h[12:]), LinkType: r.ifaces[0].LinkType})
		i = next
	}
	return out, exact && x == 0 && skip == 0, nil
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
