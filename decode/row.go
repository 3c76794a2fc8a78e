package decode

// ChecksumMark is one checksum's verdict as the packet list shows it.
type ChecksumMark struct {
	Proto   string // ip, tcp, udp, udplite, icmp, icmpv6, igmp, sctp, gre
	Status  ChecksumStatus
	Offload bool // Bad, but the frame shows an offload pattern (partial sum, zero, sent by this host...)
}

// Row is what the packet list needs for one frame.
type Row struct {
	Summary   Summary
	Checksums []ChecksumMark // in protocol order, outermost first
	Bad       bool           // any checksum Bad under the current preferences
	Class     ColorClass     // colouring rule that applies
}

// ColorClass names the Wireshark colouring rule a row falls under.
type ColorClass uint8

const (
	ColorNone            ColorClass = iota
	ColorBadChecksum                // Wireshark's "Checksum Errors"
	ColorOffloadChecksum            // bad, but most likely an offload artifact
	ColorTCPSynFin                  // "TCP SYN/FIN"
	ColorTCPRst                     // "TCP RST"
	ColorICMPError                  // "ICMP errors"
	ColorARP
	ColorICMP
	ColorUDP
	ColorTCP
)

// Matcher is a compiled display filter (decode/filter.Filter implements it).
type Matcher interface {
	Fields() []*FieldDef
	Match(d *Dissection) bool
}

// SummaryMatcher is a Matcher that reads the packet-list row
// (Dissection.Summary), as the UI's find does for text in the list's
// columns: a filter pass builds the summary for it, which it otherwise
// skips (formatting Info is most of the cost of a frame).
type SummaryMatcher interface {
	Matcher
	NeedsSummary() bool
}

// RowOf builds the packet-list row of a dissected frame.
func RowOf(d *Dissection) Row {
	r := Row{Summary: d.Summary}
	allOffload := true
	for i := range d.Checksums {
		ck := &d.Checksums[i]
		m := ChecksumMark{Proto: ck.Proto, Status: ck.Status}
		if ck.Status == StatusBad {
			r.Bad = true
			m.Offload = OffloadPattern(d, ck)
			allOffload = allOffload && m.Offload
		}
		r.Checksums = append(r.Checksums, m)
	}
	switch {
	case r.Bad && allOffload:
		r.Class = ColorOffloadChecksum
	case r.Bad:
		r.Class = ColorBadChecksum
	default:
		r.Class = classify(d)
	}
	return r
}
