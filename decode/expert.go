package decode

import "strings"

// Expert information as Wireshark's: every note a dissector adds with
// b.expert carries a severity and a group, filterable and printable as
// _ws.expert, _ws.expert.message, _ws.expert.severity and
// _ws.expert.group, and listed in Dissection.Experts for -z expert.

// ExpertInfo is one expert note of a frame.
type ExpertInfo struct {
	Severity uint32 // Wireshark's PI_* severity value (0x00200000 Chat ...)
	Group    uint32 // PI_* group value (0x02000000 Sequence ...)
	Protocol string // the Protocol column of the layer that added it ("TCP")
	Message  string
}

// Wireshark's PI_* severities and groups.
var (
	expertSeverities = map[string]uint32{"Comment": 0x00100000, "Chat": 0x00200000, "Note": 0x00400000, "Warning": 0x00600000, "Error": 0x00800000}
	expertGroups     = map[string]uint32{"Checksum": 0x01000000, "Sequence": 0x02000000, "Response": 0x03000000, "Request": 0x04000000,
		"Undecoded": 0x05000000, "Reassemble": 0x06000000, "Malformed": 0x07000000, "Debug": 0x08000000, "Protocol": 0x09000000,
		"Security": 0x0a000000, "Comment": 0x0b000000, "Decryption": 0x0c000000, "Assumption": 0x0d000000, "Deprecated": 0x0e000000}
)

func invert(m map[string]uint32) map[uint64]string {
	out := map[uint64]string{}
	for k, v := range m {
		out[uint64(v)] = k
	}
	return out
}

var (
	fExpert = Register(FieldDef{Name: "_ws.expert", Label: "Expert Info", Type: FTProtocol,
		Format: func(f *Field) string { return Sanitize(f.S) }})
	fExpertMessage  = Register(FieldDef{Name: "_ws.expert.message", Label: "Message", Type: FTString})
	fExpertSeverity = Register(FieldDef{Name: "_ws.expert.severity", Label: "Severity level", Type: FTUint, Values: invert(expertSeverities)})
	fExpertGroup    = Register(FieldDef{Name: "_ws.expert.group", Label: "Group", Type: FTUint, Values: invert(expertGroups)})
)

// parseExpert splits "[Expert Info (Note/Sequence): message]".
func parseExpert(text string) (sev, group uint32, msg string, ok bool) {
	rest, found := strings.CutPrefix(text, "[Expert Info (")
	if !found || !strings.HasSuffix(rest, "]") {
		return 0, 0, "", false
	}
	head, msg, found := strings.Cut(rest[:len(rest)-1], "): ")
	if !found {
		return 0, 0, "", false
	}
	s, g, found := strings.Cut(head, "/")
	if !found {
		return 0, 0, "", false
	}
	sev, ok1 := expertSeverities[s]
	group, ok2 := expertGroups[g]
	return sev, group, msg, ok1 && ok2
}

// expertFields adds the hidden _ws.expert fields of a note after its line.
func (b *builder) expertFields(off, length int, text string) {
	sev, group, msg, ok := parseExpert(text)
	if !ok {
		return
	}
	b.depth++
	f := b.add(fExpert, off, length)
	f.S, f.Hidden = text[1:len(text)-1], true
	m := b.add(fExpertMessage, off, length)
	m.S, m.Hidden = msg, true
	b.addHidden(fExpertSeverity, off, length, uint64(sev))
	b.addHidden(fExpertGroup, off, length, uint64(group))
	b.depth--
	b.d.Experts = append(b.d.Experts, ExpertInfo{Severity: sev, Group: group, Protocol: expertProtocol(b.proto), Message: msg})
}

// rewriteExpertFields updates the _ws.expert fields following physical
// field i after its note was reworded.
func (b *builder) rewriteExpertFields(i int, text string) {
	sev, group, msg, ok := parseExpert(text)
	if !ok {
		return
	}
	for j := i + 1; j < len(b.d.Fields); j++ {
		f := &b.d.Fields[j]
		switch f.Def {
		case fExpert:
			f.S = text[1 : len(text)-1]
		case fExpertMessage:
			f.S = msg
		case fExpertSeverity:
			f.U = uint64(sev)
		case fExpertGroup:
			f.U = uint64(group)
		default:
			j = len(b.d.Fields)
			continue
		}
	}
	if n := len(b.d.Experts); n > 0 {
		b.d.Experts[n-1] = ExpertInfo{Severity: sev, Group: group, Protocol: b.d.Experts[n-1].Protocol, Message: msg}
	}
}

// ExpertSeverityName is Wireshark's name of a PI_* severity ("Warning").
func ExpertSeverityName(v uint32) string { return fExpertSeverity.Values[uint64(v)] }

// ExpertGroupName is Wireshark's name of a PI_* group ("Sequence").
func ExpertGroupName(v uint32) string { return fExpertGroup.Values[uint64(v)] }

// expertProtocol is the protocol's short name, which Wireshark's expert
// infos carry, for the Protocol columns that name a version instead
// ("IGMPv2" is IGMP's, "TLSv1.3" TLS's).
func expertProtocol(column string) string {
	switch {
	case strings.HasPrefix(column, "IGMPv"):
		return "IGMP"
	case strings.HasPrefix(column, "TLSv"), strings.HasPrefix(column, "SSLv"):
		return "TLS"
	}
	return column
}
