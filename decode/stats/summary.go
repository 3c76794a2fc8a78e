package stats

import (
	"regexp"
	"sort"
	"strings"

	"github.com/wirelens/wirelens/decode"
)

// ExpertGroup is Wireshark's Expert Information grouped as its dialog
// groups it: one severity, group, protocol and message, with how many
// frames said it and the first of them.
type ExpertGroup struct {
	Severity uint32 // decode.ExpertInfo's PI_* values
	Group    uint32
	Protocol string
	Message  string
	Count    uint64
	First    int // 1-based frame number
}

// MaxExpertGroups bounds the expert table: notes of new groups past it are
// counted in Experts.Dropped.
const MaxExpertGroups = 10000

// Experts collects expert notes frame by frame: Groups exactly as tshark's
// -z expert lists them (one per message), and the classes the UI shows
// (messages that differ only in numbers merged), each bounded by
// MaxExpertGroups.
type Experts struct {
	Groups  []*ExpertGroup
	Dropped uint64 // notes of exact groups past the bound
	index   map[ExpertGroup]int
	classes []*ExpertClass
	cindex  map[ExpertGroup]int // Message normalised
}

// MaxExpertClasses bounds Experts' classes; past it further messages are
// counted in one Other class per severity, group and protocol.
const MaxExpertClasses = 1000

// ExpertClass is the expert notes whose messages differ only in their
// numbers ("Bad checksum [should be 0x67f6]", "... 0x57e3"), merged as
// Wireshark's Expert Information dialog merges the notes of one expert
// item: Example is the first message, Pattern (when Varies) a regular
// expression matching all of them.
type ExpertClass struct {
	ExpertGroup
	Example string
	Pattern string
	Varies  bool
	Other   bool // the messages that came after MaxExpertClasses (no Example)
}

// normalize writes every word of msg with a digit in it (a number, 0x
// hex, a hash in a URL) as '#'.
func normalize(msg string) string {
	var b strings.Builder
	changed := false
	for i := 0; i < len(msg); {
		if !isAlnum(msg[i]) {
			b.WriteByte(msg[i])
			i++
			continue
		}
		j, digit := i, false
		for j < len(msg) && isAlnum(msg[j]) {
			digit = digit || msg[j] >= '0' && msg[j] <= '9'
			j++
		}
		if digit {
			b.WriteByte('#')
			changed = true
		} else {
			b.WriteString(msg[i:j])
		}
		i = j
	}
	if !changed {
		return msg
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Add counts the notes of frame number frame.
func (x *Experts) Add(frame int, d *decode.Dissection) {
	if x.index == nil {
		x.index, x.cindex = map[ExpertGroup]int{}, map[ExpertGroup]int{}
	}
	for k := range d.Experts {
		e := &d.Experts[k]
		key := ExpertGroup{Severity: e.Severity, Group: e.Group, Protocol: e.Protocol, Message: e.Message}
		if i, ok := x.index[key]; ok {
			x.Groups[i].Count++
		} else if len(x.Groups) < MaxExpertGroups {
			x.index[key] = len(x.Groups)
			g := key
			g.First, g.Count = frame, 1
			x.Groups = append(x.Groups, &g)
		} else {
			x.Dropped++
		}
		ck := key
		ck.Message = normalize(e.Message)
		if i, ok := x.cindex[ck]; ok {
			c := x.classes[i]
			c.Count++
			if !c.Varies && e.Message != c.Example {
				c.Varies = true
			}
			continue
		}
		example := e.Message
		if len(x.classes) >= MaxExpertClasses {
			// Past the bound new messages join one class per severity,
			// group and protocol, so every note is still counted.
			ck.Message, example = "", ""
			if i, ok := x.cindex[ck]; ok {
				x.classes[i].Count++
				continue
			}
		}
		x.cindex[ck] = len(x.classes)
		c := &ExpertClass{ExpertGroup: key, Example: example, Other: example == ""}
		c.Varies = c.Other
		c.First, c.Count = frame, 1
		x.classes = append(x.classes, c)
	}
}

// Sorted returns the groups most severe first, then by count, most first.
func (x *Experts) Sorted() []*ExpertGroup {
	out := append([]*ExpertGroup(nil), x.Groups...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// Classes returns the merged classes, most severe first, then by count;
// those whose messages vary get their Pattern.
func (x *Experts) Classes() []*ExpertClass {
	out := append([]*ExpertClass(nil), x.classes...)
	for _, c := range out {
		c.Pattern = ""
		if !c.Varies || c.Other {
			continue
		}
		var b strings.Builder
		b.WriteByte('^')
		for i, part := range strings.Split(normalize(c.Example), "#") {
			if i > 0 {
				b.WriteString("[0-9A-Za-z]+")
			}
			b.WriteString(regexp.QuoteMeta(part))
		}
		b.WriteByte('$')
		c.Pattern = b.String()
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// IOBuckets is packets, bytes and bad-checksum frames per interval from the
// first frame, over the whole capture in at most MaxIOBuckets buckets: the
// interval starts at a millisecond and doubles (merging pairs of buckets)
// whenever a frame lies past the last one, so memory stays fixed however
// long the capture.
type IOBuckets struct {
	Interval int64 // nanoseconds a bucket covers
	Packets  []uint64
	Bytes    []uint64
	Bad      []uint64
	// FirstBad is the 1-based number of the first frame with a bad
	// checksum and FirstBadAt its time (ns since the first frame); 0 and
	// -1 when none.
	FirstBad   int
	FirstBadAt int64
}

// MaxIOBuckets bounds IOBuckets.
const MaxIOBuckets = 2048

// Add counts a frame of size bytes at rel nanoseconds since the first one
// (a frame dated before it counts in the first bucket).
func (b *IOBuckets) Add(frame int, rel int64, size uint64, bad bool) {
	if b.Interval == 0 {
		b.Interval = 1e6
		b.FirstBadAt = -1
	}
	rel = max(rel, 0)
	i := rel / b.Interval
	for i >= MaxIOBuckets {
		b.widen()
		i = rel / b.Interval
	}
	for int64(len(b.Packets)) <= i {
		b.Packets, b.Bytes, b.Bad = append(b.Packets, 0), append(b.Bytes, 0), append(b.Bad, 0)
	}
	b.Packets[i]++
	b.Bytes[i] += size
	if bad {
		b.Bad[i]++
		if b.FirstBad == 0 || frame < b.FirstBad {
			b.FirstBad, b.FirstBadAt = frame, rel
		}
	}
}

// widen doubles the interval, merging buckets in pairs.
func (b *IOBuckets) widen() {
	b.Interval *= 2
	merge := func(s []uint64) []uint64 {
		n := (len(s) + 1) / 2
		for k := 0; k < n; k++ {
			v := s[2*k]
			if 2*k+1 < len(s) {
				v += s[2*k+1]
			}
			s[k] = v
		}
		return s[:n]
	}
	b.Packets, b.Bytes, b.Bad = merge(b.Packets), merge(b.Bytes), merge(b.Bad)
}

// Summary is every statistic of the terminal UI's statistics view, filled
// in one pass over the capture: the conversation and endpoint tables of
// each kind (ConvKinds order), the protocol hierarchy, the expert notes and
// the I/O buckets. Each part is bounded (MaxTableRows, MaxExpertGroups,
// MaxIOBuckets and the hierarchy's node cap).
type Summary struct {
	Frames    uint64
	Bytes     uint64
	BadFrames uint64
	First     int64 // RelTime of the first frame seen and the last
	Last      int64
	Conv      []*ConvTable
	Endpoints []*ConvTable
	PHS       PHS
	Expert    Experts
	IO        IOBuckets
	layers    []Layer
}

// NewSummary makes an empty summary.
func NewSummary() *Summary {
	s := &Summary{}
	for _, k := range ConvKinds {
		s.Conv = append(s.Conv, NewConvTable(k.Kind, false))
		s.Endpoints = append(s.Endpoints, NewConvTable(k.Kind, true))
	}
	return s
}

// Packet adds a frame (dissected with the whole tree).
func (s *Summary) Packet(fr *decode.Frame, d *decode.Dissection) {
	size := uint64(fr.Record.OrigLen)
	bad := Bad(d)
	if s.Frames == 0 || fr.RelTime < s.First {
		s.First = fr.RelTime
	}
	if s.Frames == 0 || fr.RelTime > s.Last {
		s.Last = fr.RelTime
	}
	s.Frames++
	s.Bytes += size
	if bad {
		s.BadFrames++
	}
	s.layers = Layers(d, s.layers[:0])
	for k := range s.Conv {
		s.Conv[k].Add(s.layers, size, fr.RelTime, bad)
		s.Endpoints[k].Add(s.layers, size, fr.RelTime, bad)
	}
	s.PHS.Add(d, size)
	s.Expert.Add(fr.Number, d)
	s.IO.Add(fr.Number, fr.RelTime, size, bad)
}
