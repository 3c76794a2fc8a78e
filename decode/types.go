package decode

import "fmt"

import "github.com/wirelens/wirelens/decode/capfile"

// Frame is one captured frame handed to the dissector.
type Frame struct {
	Number  int    // 1-based, as in Wireshark
	Data    []byte // captured bytes (CapLen of them)
	Record  capfile.Record
	RelTime int64 // nanoseconds since the first frame of the capture
	Delta   int64 // nanoseconds since the previous captured frame
	// DeltaDisplayed is the time since the previous frame a display
	// filter let through (frame.time_delta_displayed); without
	// HasDeltaDisplayed it is taken to be Delta.
	DeltaDisplayed    int64
	HasDeltaDisplayed bool
	Iface             *capfile.Interface // may be nil
}

// ChecksumStatus uses Wireshark's codes, so filters such as
// tcp.checksum.status == 0 mean the same in wirelens and tshark.
type ChecksumStatus uint8

const (
	StatusBad        ChecksumStatus = 0
	StatusGood       ChecksumStatus = 1
	StatusUnverified ChecksumStatus = 2
	StatusNotPresent ChecksumStatus = 3
	StatusIllegal    ChecksumStatus = 4
)

var statusNames = map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present", 4: "Illegal"}

func (s ChecksumStatus) String() string { return statusNames[uint64(s)] }

// Checksum is the verdict on one checksum in a frame.
type Checksum struct {
	Proto      string // field prefix: ip, tcp, udp, udplite, icmp, icmpv6, igmp, sctp, gre
	Value      uint32 // as found on the wire
	Calculated uint32 // what it should be (valid when Status is Good or Bad)
	Status     ChecksumStatus
	Reason     string // why it is Unverified, Not present or Illegal
	Offset     int    // bytes of the checksum field in the frame
	Length     int
	Partial    bool    // Value equals the folded pseudo-header sum (CHECKSUM_PARTIAL left for the device)
	Hints      HintSet // for a Bad checksum: the evidence about its cause

	// For a checksum over a tunnel's payload (UDP, GRE): the unfolded sum
	// it was judged by and the bytes it covers, so that the hints can
	// test local checksum offload against the checksums inside.
	sum        uint64
	cov0, cov1 int
	tunnel     uint8 // inside a tunnel: tunnelUDP or tunnelGRE (builder.tunnel when it was added)
}

// Summary is the packet-list row, written as Wireshark writes it.
type Summary struct {
	Number      int
	RelTime     int64
	Source      string
	Destination string
	Protocol    string
	Length      int
	Info        string
	Digits      int // decimals the file's timestamps carry: 6 (µs) or 9 (ns), as tshark shows them
}

// Dissection is everything wirelens knows about one frame. A Dissection is
// reused from frame to frame by batch loops, so its slices are only valid
// until the next Dissect call on it.
type Dissection struct {
	Data      []byte // the frame's captured bytes (aliases the caller's buffer)
	Fields    []Field
	Summary   Summary
	Checksums []Checksum
	Expert    []string // "Malformed: ..." and similar notes
	Experts   []ExpertInfo
	Outbound  bool // the capturing host sent this frame (pcapng flags, SLL packet type)
	// Undissected names the payloads no dissector of wirelens took (a
	// link type, an EtherType, a UDP port ...): checksums inside them, if
	// any, were not checked.
	Undissected []Undissected

	protocols []byte  // backing store of frame.protocols
	spare     []Field // second field buffer, for rebuilding the tree in place
}

// Reset empties d for reuse without freeing its storage.
func (d *Dissection) Reset() {
	d.Fields = d.Fields[:0]
	d.Checksums = d.Checksums[:0]
	d.Expert = d.Expert[:0]
	d.Experts = d.Experts[:0]
	d.Summary = Summary{}
	d.Outbound = false
	d.Undissected = d.Undissected[:0]
}

// Undissected is a payload wirelens could not dissect: the table that had
// no dissector for it and the key it was looked up by.
type Undissected struct {
	Table string // "udp.port", "ethertype", "ip.proto", "gre.proto", "ppp.protocol", "wtap_encap", "mpls"
	Key   uint32
}

// String names it for a report: "UDP/8472 payloads".
func (u Undissected) String() string {
	switch u.Table {
	case "udp.port":
		return fmt.Sprintf("UDP/%d payloads", u.Key)
	case "tcp.port":
		return fmt.Sprintf("TCP/%d payloads", u.Key)
	case "ethertype":
		return fmt.Sprintf("EtherType 0x%04x payloads", u.Key)
	case "ip.proto":
		return fmt.Sprintf("IP protocol %d payloads", u.Key)
	case "gre.proto":
		return fmt.Sprintf("GRE protocol 0x%04x payloads", u.Key)
	case "ppp.protocol":
		return fmt.Sprintf("PPP protocol 0x%04x payloads", u.Key)
	case "wtap_encap":
		return fmt.Sprintf("link type %d (%s) headers", u.Key, linkTypeName(uint16(u.Key)))
	case "mpls":
		return "MPLS payloads of unknown type"
	}
	return fmt.Sprintf("%s %d payloads", u.Table, u.Key)
}

// Find returns the first occurrence of the named field, or nil.
func (d *Dissection) Find(def *FieldDef) *Field {
	for i := range d.Fields {
		if d.Fields[i].Def == def {
			return &d.Fields[i]
		}
	}
	return nil
}

// Children returns the index range [i+1, end) holding field i's subtree.
func (d *Dissection) Children(i int) (start, end int) {
	depth := d.Fields[i].Depth
	end = i + 1
	for end < len(d.Fields) && d.Fields[end].Depth > depth {
		end++
	}
	return i + 1, end
}
