// Package capfile reads pcap and pcapng capture files (plain, gzip-compressed
// or streamed) record by record, remembering where each record starts so a
// frame can be read again later by its offset without keeping it in memory.
package capfile

import "math"

// Direction is the frame's direction relative to the capturing host, from the
// pcapng EPB flags word (or, for live capture, the packet type).
type Direction uint8

const (
	DirUnknown  Direction = 0
	DirInbound  Direction = 1
	DirOutbound Direction = 2
)

func (d Direction) String() string {
	switch d {
	case DirInbound:
		return "Inbound"
	case DirOutbound:
		return "Outbound"
	}
	return "Unknown"
}

// Record describes one captured frame: where it is and what the file says
// about it. It is small and holds no packet bytes, so an index of millions of
// records stays cheap.
type Record struct {
	Offset    int64 // byte offset of the record (pcap header or pcapng block) in the decompressed stream
	DataOff   int64 // byte offset of the first packet byte in the decompressed stream
	Timestamp int64 // nanoseconds since the Unix epoch
	CapLen    uint32
	OrigLen   uint32
	LinkType  uint16 // LINKTYPE_* of this frame's interface
	Interface uint32 // pcapng interface ID; 0 for pcap
	Flags     uint32 // pcapng EPB flags word, valid when HasFlags
	HasFlags  bool
	Direction Direction
	DropCount uint64   // pcapng epb_dropcount, 0 when absent
	Comments  []string // opt_comment values, raw (sanitise before display); at most 32 and 16 KiB
	// CommentsDropped counts the block's comments beyond those bounds.
	CommentsDropped uint32
}

// TimeNotRepresentable is the Timestamp of a record whose time int64
// nanoseconds since the epoch cannot hold (before 1677 or after 2262: a
// huge timestamp, resolution or if_tsoffset puts it there); SubTime
// gives it for a difference that overflows. It prints as "Not
// representable", tshark's words for a time it cannot show.
const TimeNotRepresentable = math.MinInt64

// SubTime is a-b for timestamps: TimeNotRepresentable if either is, or if
// the difference overflows.
func SubTime(a, b int64) int64 {
	if a == TimeNotRepresentable || b == TimeNotRepresentable {
		return TimeNotRepresentable
	}
	d := a - b
	if (a >= 0) != (b >= 0) && (d >= 0) != (a >= 0) {
		return TimeNotRepresentable
	}
	return d
}

// The pcapng epb_flags bits that carry the capturing kernel's checksum and
// segmentation state per frame (draft-ietf-opsawg-pcapng, 4.3.1). Live
// capture writes them from tp_status; other tools may too.
const (
	EPBCsumNotReady = 1 << 9  // checksum not ready: left for the device (transmit offload)
	EPBCsumValid    = 1 << 10 // checksum valid: verified by the NIC or the stack on receipt
	EPBTSO          = 1 << 11 // TCP segmentation offloaded: one large send, segmented later
)

// Interface describes a capture interface (pcapng IDB; one synthetic entry for pcap).
type Interface struct {
	Name        string
	Description string
	LinkType    uint16
	SnapLen     uint32
	TSResolNs   int64    // nanoseconds per timestamp unit; 0 when a unit is not a whole number of ns (Record.Timestamp is exact anyway)
	TSOffset    int64    // if_tsoffset in seconds
	Comments    []string // bounded as a Record's, and to 1 MiB for all interfaces of a file
	// CommentsDropped counts the block's comments beyond those bounds.
	CommentsDropped uint32
	TSResol         uint8 // raw if_tsresol: 10^-n seconds, or 2^-(n&0x7f) when the top bit is set; 6 or 9 for pcap
	FCSLen          int   // bytes of FCS at the end of each frame (pcap FCS bits, pcapng if_fcslen); -1 when the file does not say
}

// Common link types (LINKTYPE_* values from tcpdump.org).
const (
	LinkNull     uint16 = 0
	LinkEthernet uint16 = 1
	LinkRaw      uint16 = 101
	LinkLoop     uint16 = 108
	LinkSLL      uint16 = 113
	LinkIPv4     uint16 = 228
	LinkIPv6     uint16 = 229
	LinkSLL2     uint16 = 276
)
