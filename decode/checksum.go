package decode

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sort"

	"github.com/wirelens/wirelens/prefs"
)

// onesSum adds data to sum as 16-bit big-endian words in one's-complement
// arithmetic, unfolded. Eight bytes at a time: this loop dominates batch
// runs over bulk-transfer captures.
func onesSum(data []byte, sum uint64) uint64 {
	var carry uint64
	for len(data) >= 8 {
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(data), carry)
		data = data[8:]
	}
	sum += carry
	// Fold to 32 bits so the tail additions cannot overflow.
	sum = (sum >> 32) + (sum & 0xffffffff)
	for len(data) >= 2 {
		sum += uint64(binary.BigEndian.Uint16(data))
		data = data[2:]
	}
	if len(data) == 1 {
		sum += uint64(data[0]) << 8
	}
	return sum
}

// fold reduces an unfolded sum to 16 bits.
func fold(sum uint64) uint16 {
	sum = (sum >> 32) + (sum & 0xffffffff)
	sum = (sum >> 16) + (sum & 0xffff)
	sum = (sum >> 16) + (sum & 0xffff)
	sum = (sum >> 16) + (sum & 0xffff)
	return uint16(sum)
}

// internetChecksum is the RFC 1071 checksum over data with the checksum
// field's own bytes counted as zero (skip is the field's offset in data, or
// -1). This is the value the field should hold.
func internetChecksum(data []byte, initial uint64, skip int) uint16 {
	sum := initial
	if skip >= 0 && skip+2 <= len(data) {
		sum = onesSum(data[:skip], sum)
		// skip is even for every protocol we check, so word alignment holds.
		sum = onesSum(data[skip+2:], sum)
	} else {
		sum = onesSum(data, sum)
	}
	return ^fold(sum)
}

// pseudoSum4 is the IPv4 pseudo-header sum for TCP/UDP (RFC 793, 768).
func pseudoSum4(src, dst []byte, proto uint8, length int) uint64 {
	s := uint64(binary.BigEndian.Uint32(src)) + uint64(binary.BigEndian.Uint32(dst))
	return s + uint64(proto) + uint64(length)
}

// pseudoSum6 is the IPv6 pseudo-header sum (RFC 8200 8.1).
func pseudoSum6(src, dst []byte, proto uint8, length int) uint64 {
	s := onesSum(src, 0)
	s = onesSum(dst, s)
	return s + uint64(proto) + uint64(length)
}

// ChecksumProto describes one protocol's checksum: its switch, and the
// names the hints, the report and the UI call it by. Each protocol
// registers its own (registerChecksum) in its file.
type ChecksumProto struct {
	Name  string // field prefix, e.g. "tcp"; also the Checksum.Proto of its verdicts
	Title string // in sentences and the report: "IPv4 header"
	Label string // on a switch: "IPv4"
	// Order places it in the report and the UI, outermost layers first.
	Order int
	Pref  prefs.ID
	// NotOffloaded marks a checksum no NIC computes (an application's
	// CRC): a bad one is never an offload artifact, whatever the frame's
	// direction or the capture's offload flags say.
	NotOffloaded bool
}

var checksumProtos []*ChecksumProto

// registerChecksum registers a checksum protocol and its preference (a
// boolean switch unless sw has Words) with sw.Proto set to c.Name.
func registerChecksum(c ChecksumProto, sw prefs.Switch) *ChecksumProto {
	sw.Proto = c.Name
	c.Pref = prefs.Register(sw)
	cp := &c
	i := sort.Search(len(checksumProtos), func(i int) bool { return checksumProtos[i].Order > c.Order })
	checksumProtos = slices.Insert(checksumProtos, i, cp)
	return cp
}

// ChecksumProtos lists the checksums wirelens verifies, outermost first, by
// their field prefix; the preference and the TUI toggles use the same
// names. Filled in once every protocol's file has registered.
var ChecksumProtos []string

func init() {
	if len(checksumProtos) > 16 {
		panic("decode: more checksum protocols than ProtoSet holds")
	}
	for _, c := range checksumProtos {
		ChecksumProtos = append(ChecksumProtos, c.Name)
	}
}

// ChecksumProtoOf returns the descriptor of the checksum with field prefix
// name, or nil.
func ChecksumProtoOf(name string) *ChecksumProto {
	for _, c := range checksumProtos {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ChecksumTitle is the name sentences use for a checksum protocol ("IPv4
// header"); an unknown prefix is returned as it is.
func ChecksumTitle(name string) string {
	if c := ChecksumProtoOf(name); c != nil {
		return c.Title
	}
	return name
}

// ChecksumLabel is the short name of a checksum protocol's switch ("IPv4").
func ChecksumLabel(name string) string {
	if c := ChecksumProtoOf(name); c != nil {
		return c.Label
	}
	return name
}

// notInWireshark ends the description of a checksum switch Wireshark does
// not have, because it always validates that checksum.
func notInWireshark(what string) string {
	return "Not a Wireshark preference: Wireshark always validates the " + what + " checksum"
}

// wiresharkOff ends the description of a switch whose Wireshark default
// is FALSE, so a user comparing files is not surprised.
const wiresharkOff = "wirelens default: TRUE (Wireshark's default is FALSE)"

// verify judges a checksum the way Wireshark does: sum everything the
// checksum covers, the field included; a complement of zero is Good.
// Otherwise the expected value is derived from the field and the sum
// (in_cksum_shouldbe), which also settles the 0x0000/0xffff ambiguity the
// same way Wireshark does.
func verify(value uint16, sum uint64) (ChecksumStatus, uint16) {
	computed := ^fold(sum)
	if computed == 0 {
		return StatusGood, value
	}
	s := uint32(value) + uint32(computed)
	s = (s & 0xffff) + (s >> 16)
	s = (s & 0xffff) + (s >> 16)
	return StatusBad, uint16(s)
}

// transportPseudo is the pseudo-header sum for the transport layer being
// dissected, using the addresses the IP layer below recorded.
func (b *builder) transportPseudo(proto uint8, length int) uint64 {
	if b.netV6 {
		return pseudoSum6(b.netSrc, b.netDst, proto, length)
	}
	return pseudoSum4(b.netSrc, b.netDst, proto, length)
}

// transportVerdict decides whether a transport checksum over [off, off+length)
// can be verified, and why not. It returns "" when it can.
func (b *builder) transportVerdict(cp *ChecksumProto, off, length int) string {
	switch {
	case !b.validates(cp):
		return reasonDisabled
	case b.inQuote && cp == tcpCsum:
		// tshark verifies a UDP datagram quoted whole by an ICMP error,
		// but never a quoted TCP segment (in_error_pkt).
		return reasonQuoted
	case b.fragmented:
		return reasonFragment
	case b.netSrc == nil:
		return "no IP layer for the pseudo-header"
	case off+length > len(b.data) || length < 0:
		return reasonTruncated
	}
	return ""
}
