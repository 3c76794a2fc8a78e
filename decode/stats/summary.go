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

// Experts collects expert notes frame by frame.
type Experts struct {
	Groups  []*ExpertGroup
	Dropped uint64
	index   map[ExpertGroup]int
}

// Add counts the notes of frame number frame.
func (x *Experts) Add(frame int, d *decode.Dissection) {
	if x.index == nil {
		x.index = map[ExpertGroup]int{}
	}
	for k := range d.Experts {
		e := &d.Experts[k]
		key := ExpertGroup{Severity: e.Severity, Group: e.Group, Protocol: e.Protocol, Message: e.Message}
		i, ok := x.index[key]
		if !ok {
			if len(x.Groups) >= MaxExpertGroups {
				x.Dropped++
				continue
			}
			i = len(x.Groups)
			x.index[key] = i
			g := key
			g.First = frame
			x.Groups = append(x.Groups, &g)
		}
		x.Groups[i].Count++
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

// ExpertClass is the expert groups whose messages differ only in their
// numbers ("Bad checksum [should be 0x67f6]", "... 0x57e3"), merged as
// Wireshark's Expert Information dialog merges the notes of one expert
// item: Example is the first message, Pattern a regular expression
// matching all of them ("" when there is one message), Variants how many
// distinct messages it merges.
type ExpertClass struct {
	ExpertGroup
	Example  string
	Pattern  string
	Variants int
}

var numberRun = regexp.MustCompile(`0x[0-9a-fA-F]+|[0-9]+`)

// Classes merges the groups as ExpertClass says, most severe first, then
// by count.
func (x *Experts) Classes() []*ExpertClass {
	type key struct {
		sev, group uint32
		proto, msg string
	}
	index := map[key]*ExpertClass{}
	var out []*ExpertClass
	for _, g := range x.Groups {
		k := key{g.Severity, g.Group, g.Protocol, numberRun.ReplaceAllString(g.Message, "#")}
		c, ok := index[k]
		if !ok {
			c = &ExpertClass{ExpertGroup: *g, Example: g.Message}
			c.Count = 0
			index[k] = c
			out = append(out, c)
			if k.msg != g.Message { // dropped below if no other message joins
				var b strings.Builder
				b.WriteByte('^')
				for i, part := range strings.Split(k.msg, "#") {
					if i > 0 {
						b.WriteString("(0x[0-9a-fA-F]+|[0-9]+)")
					}
					b.WriteString(regexp.QuoteMeta(part))
				}
				b.WriteByte('$')
				c.Pattern = b.String()
			}
		}
		c.Count += g.Count
		c.Variants++
		c.First = min(c.First, g.First)
	}
	for _, c := range out {
		if c.Variants == 1 {
			c.Pattern = ""
		}
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
