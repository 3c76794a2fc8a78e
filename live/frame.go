package live

import (
	"encoding/binary"

	"github.com/wirelens/wirelens/decode/capfile"
	"golang.org/x/sys/unix"
)

// Packet types from sockaddr_ll.sll_pkttype (linux/if_packet.h).
const (
	PktHost      uint8 = unix.PACKET_HOST      // addressed to this host
	PktBroadcast uint8 = unix.PACKET_BROADCAST // link-layer broadcast
	PktMulticast uint8 = unix.PACKET_MULTICAST // link-layer multicast
	PktOtherHost uint8 = unix.PACKET_OTHERHOST // for someone else, seen in promiscuous mode
	PktOutgoing  uint8 = unix.PACKET_OUTGOING  // sent by this host
	PktLoopback  uint8 = unix.PACKET_LOOPBACK  // multicast looped back to this host
)

// pcapng epb_flags reception types (bits 2-4).
const (
	recvUnspecified = 0
	recvUnicast     = 1
	recvMulticast   = 2
	recvBroadcast   = 3
	recvPromiscuous = 4
)

// CommentCsumNotReady is the opt_comment wirelens puts on a frame whose
// transport checksum the kernel left to the device. The frame also carries
// the pcapng flags bit 9 (capfile.EPBCsumNotReady), but readers older than
// that bit (tshark 4.0 among them) ignore it, and a comment is something
// they show as is.
const CommentCsumNotReady = "wirelens: checksum not ready (transmit offload)"

// ChecksumNotReady reports whether rec carries the flags bit or
// CommentCsumNotReady, that is whether a frame read back from a file had its
// checksum left to the device when it was captured.
func ChecksumNotReady(rec *capfile.Record) bool {
	if rec.HasFlags && rec.Flags&capfile.EPBCsumNotReady != 0 {
		return true
	}
	for _, c := range rec.Comments {
		if c == CommentCsumNotReady {
			return true
		}
	}
	return false
}

// DirectionOf maps a packet type to a direction: only PACKET_OUTGOING is
// outbound; every other type was received by this host.
func DirectionOf(pktType uint8) capfile.Direction {
	if pktType == PktOutgoing {
		return capfile.DirOutbound
	}
	return capfile.DirInbound
}

// EPBFlags builds the pcapng epb_flags word for a packet type: direction in
// bits 0-1 and, for received frames, the reception type in bits 2-4. A sent
// frame gets no reception type, as dumpcap writes it.
func EPBFlags(pktType uint8) uint32 {
	dir := uint32(DirectionOf(pktType))
	var rt uint32
	switch pktType {
	case PktHost:
		rt = recvUnicast
	case PktBroadcast:
		rt = recvBroadcast
	case PktMulticast, PktLoopback:
		rt = recvMulticast
	case PktOtherHost:
		rt = recvPromiscuous
	default:
		rt = recvUnspecified
	}
	return dir | rt<<2
}

// frameMeta is what the kernel says about one frame, from the ring's
// tpacket3_hdr and sockaddr_ll or from recvmsg's auxdata and source address.
type frameMeta struct {
	tsNs     int64
	status   uint32 // tp_status
	origLen  uint32 // tp_len: length on the wire (without a stripped VLAN tag)
	vlanTCI  uint16
	vlanTPID uint16
	protocol uint16 // sll_protocol, host order
	ifindex  int32
	hatype   uint16
	pktType  uint8
	halen    uint8
	addr     [8]byte
}

const (
	sll2HdrLen = 20
	vlanTagLen = 4
	ethAddrs   = 12 // two MAC addresses: where an 802.1Q tag goes
)

// vlanValid follows libpcap: older kernels set no TP_STATUS_VLAN_VALID and a
// non-zero TCI is the only sign of a stripped tag.
func (m *frameMeta) vlanValid() bool {
	return m.vlanTCI != 0 || m.status&unix.TP_STATUS_VLAN_VALID != 0
}

func (m *frameMeta) tpid() uint16 {
	if m.status&unix.TP_STATUS_VLAN_TPID_VALID != 0 && m.vlanTPID != 0 {
		return m.vlanTPID
	}
	return 0x8100
}

// buildFrame appends to dst (reset to length 0) the frame as a capture file
// holds it: an SLL2 header first when cooked, the stripped VLAN tag put back,
// the whole cut to snaplen. It returns the bytes and the length on the wire.
func buildFrame(dst []byte, m *frameMeta, frame []byte, cooked bool, snaplen uint32) ([]byte, uint32) {
	dst = dst[:0]
	orig := m.origLen
	vlan := m.vlanValid()
	if cooked {
		var h [sll2HdrLen]byte
		proto := m.protocol
		if vlan {
			// The tag goes between the SLL2 header and the payload, as an
			// 802.1Q header (TCI, inner type) announced by protocol 0x8100.
			proto = m.tpid()
		}
		binary.BigEndian.PutUint16(h[0:], proto)
		binary.BigEndian.PutUint32(h[4:], uint32(m.ifindex))
		binary.BigEndian.PutUint16(h[8:], m.hatype)
		h[10] = m.pktType
		h[11] = min(m.halen, 8)
		copy(h[12:], m.addr[:min(m.halen, 8)])
		dst = append(dst, h[:]...)
		orig += sll2HdrLen
		if vlan {
			var t [vlanTagLen]byte
			binary.BigEndian.PutUint16(t[0:], m.vlanTCI)
			binary.BigEndian.PutUint16(t[2:], m.protocol)
			dst = append(dst, t[:]...)
			orig += vlanTagLen
		}
		dst = append(dst, frame...)
	} else if vlan && len(frame) >= ethAddrs {
		var t [vlanTagLen]byte
		binary.BigEndian.PutUint16(t[0:], m.tpid())
		binary.BigEndian.PutUint16(t[2:], m.vlanTCI)
		dst = append(dst, frame[:ethAddrs]...)
		dst = append(dst, t[:]...)
		dst = append(dst, frame[ethAddrs:]...)
		orig += vlanTagLen
	} else {
		dst = append(dst, frame...)
	}
	if snaplen > 0 && uint32(len(dst)) > snaplen {
		dst = dst[:snaplen]
	}
	// A filter or snaplen may have cut the frame; the wire length never
	// is less than what was captured.
	orig = max(orig, uint32(len(dst)))
	return dst, orig
}

// record fills the capfile.Record for a frame built by buildFrame.
func record(m *frameMeta, linkType uint16, capLen, origLen uint32) capfile.Record {
	rec := capfile.Record{
		Timestamp: m.tsNs,
		CapLen:    capLen,
		OrigLen:   origLen,
		LinkType:  linkType,
		Flags:     EPBFlags(m.pktType),
		HasFlags:  true,
		Direction: DirectionOf(m.pktType),
	}
	rec.Flags |= StatusFlags(m.status)
	if m.status&unix.TP_STATUS_CSUMNOTREADY != 0 {
		// Readers older than the pcapng flags bits 9-11 (and wirelens
		// before them) know the comment.
		rec.Comments = csumNotReadyComments
	}
	return rec
}

// csumNotReadyComments is shared by every record that carries the comment
// (read-only), so a capture of offloaded traffic allocates nothing per frame.
var csumNotReadyComments = []string{CommentCsumNotReady}

// StatusFlags maps tp_status to the pcapng epb_flags bits 9-11.
func StatusFlags(status uint32) uint32 {
	var f uint32
	if status&unix.TP_STATUS_CSUMNOTREADY != 0 {
		f |= capfile.EPBCsumNotReady
	}
	if status&unix.TP_STATUS_CSUM_VALID != 0 {
		f |= capfile.EPBCsumValid
	}
	if status&unix.TP_STATUS_GSO_TCP != 0 {
		f |= capfile.EPBTSO
	}
	return f
}
