package decode

import "fmt"

// checksumDefs are the fields one protocol's checksum is shown with; every
// protocol uses the same shape, as Wireshark's proto_tree_add_checksum does.
type checksumDefs struct {
	proto       string // field prefix
	cp          *ChecksumProto
	value       *FieldDef
	status      *FieldDef
	calc        *FieldDef
	offloadHint string // appended to an incorrect value, e.g. (maybe caused by "TCP checksum offload"?)
	disabled    string // text when validation is off: "[validation disabled]" or "[unverified]"
	layout      calcLayout
	// expert, when set, is the text of a bad value's expert note (before
	// " [should be 0x...]"); the note is then a warning, as packet-dnp.c's is
	expert string
}

// calcLayout is where tshark puts the calculated checksum: IPv4 and TCP
// after the status, UDP beneath the checksum line, and ICMP, ICMPv6, IGMP,
// GRE and SCTP nowhere (their "should be" text carries it).
type calcLayout uint8

const (
	calcSibling calcLayout = iota
	calcChild
	calcNone
)

func newChecksumDefs(cp *ChecksumProto, label, statusLabel, offloadHint, disabled string, layout calcLayout) *checksumDefs {
	proto := cp.Name
	cd := &checksumDefs{proto: proto, cp: cp, offloadHint: offloadHint, disabled: disabled, layout: layout}
	cd.register(proto+".checksum", proto+".checksum.status", label, statusLabel)
	if layout != calcNone {
		cd.calc = Register(FieldDef{Name: proto + ".checksum_calculated", Label: "Calculated Checksum", Type: FTUint, Base: BaseHex, Bits: 16,
			Display: func(f *Field) string { return fmt.Sprintf("[Calculated Checksum: 0x%04x]", f.U) }})
	}
	return cd
}

// newChecksumDefsNamed is a checksum whose fields a dissector names its
// own way (DNP3's dnp3.hdr.CRC and dnp.hdr.CRC.status), shown without a
// calculated value; expert is its bad value's note.
func newChecksumDefsNamed(cp *ChecksumProto, name, statusName, label, statusLabel, expert string) *checksumDefs {
	cd := &checksumDefs{proto: cp.Name, cp: cp, disabled: "[unverified]", layout: calcNone, expert: expert}
	cd.register(name, statusName, label, statusLabel)
	return cd
}

func (cd *checksumDefs) register(name, statusName, label, statusLabel string) {
	cd.value = Register(FieldDef{Name: name, Label: label, Type: FTUint, Base: BaseHex, Bits: 16, Display: checksumLine})
	cd.status = Register(FieldDef{Name: statusName, Label: statusLabel, Type: FTUint, Values: statusNames,
		Display: func(f *Field) string { return "[" + f.Def.Label + ": " + statusNames[f.U] + "]" }})
	checksumByDef[cd.value] = cd
}

var checksumByDef = map[*FieldDef]*checksumDefs{}

// The checksum value field keeps its verdict in Aux: status in bits 32-39,
// calculated value in the low 32 bits, and bit 40 set for "validation off".
const (
	auxDisabled = 1 << 40
	auxPartial  = 1 << 41
)

func checksumLine(f *Field) string {
	cd := checksumByDef[f.Def]
	st := ChecksumStatus(f.Aux >> 32 & 0xff)
	calc := f.Aux & 0xffffffff
	width := 4
	if f.Def.Bits == 32 {
		width = 8
	}
	v := fmt.Sprintf("%s: 0x%0*x", f.Def.Label, width, f.U)
	switch {
	case f.Aux&auxDisabled != 0:
		return v + " " + cd.disabled
	case f.Text != "":
		return f.Text
	}
	switch st {
	case StatusGood:
		return v + " [correct]"
	case StatusBad:
		return v + fmt.Sprintf(" incorrect, should be 0x%0*x", width, calc) + cd.offloadHint
	case StatusNotPresent:
		return v + " [zero-value ignored]"
	case StatusIllegal:
		return v + " [zero-value illegal]"
	}
	return v + " [unverified]"
}

// addChecksum adds the checksum value, status and calculated-value fields
// and records the verdict. off is the checksum field's offset in the frame.
func (b *builder) addChecksum(cd *checksumDefs, off, length int, value, calc uint32, st ChecksumStatus, reason string) *Checksum {
	f := b.addU(cd.value, off, length, uint64(value))
	f.Aux = uint64(st)<<32 | uint64(calc)
	if st == StatusUnverified && reason == reasonDisabled {
		f.Aux |= auxDisabled
	}
	if st == StatusBad {
		b.depth++
		if cd.expert != "" {
			b.expert(fExpertChecksum, off, length, fmt.Sprintf("[Expert Info (Warning/Checksum): %s [should be 0x%0*x]]", cd.expert, length*2, calc))
		} else {
			b.expert(fExpertChecksum, off, length, fmt.Sprintf("[Expert Info (Error/Checksum): Bad checksum [should be 0x%0*x]]", length*2, calc))
		}
		b.depth--
	}
	verified := st == StatusGood || st == StatusBad
	if verified && cd.layout == calcChild {
		b.depth++
		b.addU(cd.calc, off, length, uint64(calc)).Generated = true
		b.depth--
	}
	b.addU(cd.status, off, 0, uint64(st)).Generated = true
	if verified && cd.layout == calcSibling {
		b.addU(cd.calc, off, length, uint64(calc)).Generated = true
	}
	b.d.Checksums = append(b.d.Checksums, Checksum{Proto: cd.proto, Value: value, Calculated: calc, Status: st, Reason: reason, Offset: off, Length: length, tunnel: b.tunnel})
	return &b.d.Checksums[len(b.d.Checksums)-1]
}

// Reasons a checksum is not verified; shown in the report and the UI.
const (
	reasonDisabled  = "validation disabled"
	reasonTruncated = "not all data available (frame cut by the snap length)"
	reasonFragment  = "not all data available (IP fragment)"
	reasonQuoted    = "inside an ICMP error (quoted packet)"
)

var fExpertChecksum = Register(FieldDef{Name: "_ws.expert.checksum", Label: "Bad checksum", Type: FTNone})
