package stats

import (
	"fmt"
	"io"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
)

// Expert severities as tap-expert draws them, most severe first.
var expertLevels = []struct {
	sev   uint32
	title string
	arg   string
}{
	{0x00800000, "Errors", "error"},
	{0x00600000, "Warns", "warn"},
	{0x00400000, "Notes", "note"},
	{0x00200000, "Chats", "chat"},
	{0x00100000, "Comments", "comment"},
}

// Expert is -z expert: the frames' expert infos grouped by severity, then
// by protocol and message, in the order first seen, as tshark's
// tap-expert draws them. The counting is Experts's, shared with the UI.
type Expert struct {
	Lowest uint32 // severities below this are not listed
	Filter *filter.Filter
	x      Experts
}

// newExpert parses expert[,error|warn|note|chat|comment][,FILTER] as
// tshark's expert_stat_init: the level is a case-insensitive prefix.
func newExpert(arg string) (*Expert, error) {
	e := &Expert{}
	rest := strings.TrimPrefix(arg, "expert")
	if rest != "" && rest[0] != ',' {
		return nil, fmt.Errorf("invalid -z argument %q: want expert[,error|warn|note|chat|comment][,FILTER]", arg)
	}
	for _, l := range expertLevels {
		if len(rest) > len(l.arg) && strings.EqualFold(rest[1:1+len(l.arg)], l.arg) {
			e.Lowest = l.sev
			rest = rest[1+len(l.arg):]
			break
		}
	}
	if strings.HasPrefix(rest, ",") && len(rest) > 1 {
		f, err := filter.Compile(rest[1:])
		if err != nil {
			return nil, fmt.Errorf("invalid -z argument %q: filter: %v", arg, err)
		}
		e.Filter = f
	} else if rest != "" && rest != "," {
		return nil, fmt.Errorf("invalid -z argument %q: want expert[,error|warn|note|chat|comment][,FILTER]", arg)
	}
	return e, nil
}

// Fields: the whole tree (the filter may read any field).
func (e *Expert) Fields() []*decode.FieldDef { return nil }

// Packet adds the frame's expert infos.
func (e *Expert) Packet(fr *decode.Frame, d *decode.Dissection) {
	if len(d.Experts) == 0 || e.Filter != nil && !e.Filter.Match(d) {
		return
	}
	e.x.Add(fr.Number, d)
}

// Write draws the table as tshark's tap-expert: a severity's groups in
// the order first seen.
func (e *Expert) Write(w io.Writer) {
	for _, l := range expertLevels {
		if l.sev < e.Lowest {
			continue
		}
		var items []*ExpertGroup
		total := uint64(0)
		for _, g := range e.x.Groups {
			if g.Severity == l.sev {
				items = append(items, g)
				total += g.Count
			}
		}
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n=============\n   Frequency      Group           Protocol  Summary\n", l.title, total)
		for _, it := range items {
			fmt.Fprintf(w, "%12d %10s %18s  %s\n", it.Count, expertGroupName(it.Group), decode.Sanitize(it.Protocol), decode.Sanitize(it.Message))
		}
	}
	if e.x.Dropped > 0 {
		fmt.Fprintf(w, "\nwirelens: -z expert: %d more notes of messages not listed (over %d distinct)\n", e.x.Dropped, MaxExpertGroups)
	}
}

// expertGroupName is Wireshark's expert_group_vals.
func expertGroupName(g uint32) string {
	if n := decode.ExpertGroupName(g); n != "" {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", g)
}
