// Package bpf compiles tcpdump capture-filter expressions (pcap-filter(7)
// syntax) to classic BPF programs without libpcap.
//
// Live capture in wirelens uses AF_PACKET sockets with CGO disabled, so
// libpcap's pcap_compile is not available. This package is a small,
// deliberately conservative re-implementation of the parts of libpcap's
// code generator that people actually type: hosts, nets, ports, port
// ranges, protocol qualifiers, VLAN, Ethernet addresses, lengths and byte
// tests with arithmetic. The generated code follows libpcap's evaluation
// order (protocol checks before loads, IPv4 fragment checks before port
// loads, the VLAN offset shift) so that accept/reject verdicts match
// tcpdump's, including on truncated packets where an out-of-bounds load
// rejects the whole packet. The test suite checks this against programs
// produced by tcpdump itself (golden files in testdata/).
//
// Anything outside the supported subset is reported as an error naming the
// expression and the column; the compiler never guesses, because a silently
// wrong capture filter loses packets without any visible symptom.
package bpf

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// LinkType selects the layout of the bytes the filter will see. The numeric
// values of the file link types are the LINKTYPE_ values used in pcap files
// so they can be passed through from a capture header.
type LinkType int

const (
	// Ethernet frames (LINKTYPE_ETHERNET / DLT_EN10MB).
	Ethernet LinkType = 1
	// Raw IPv4 or IPv6 packets at offset 0 (LINKTYPE_RAW), e.g. tun devices.
	Raw LinkType = 101
	// LinuxSLL is the 16-byte Linux cooked header of capture files
	// (LINKTYPE_LINUX_SLL).
	LinuxSLL LinkType = 113
	// LinuxSLL2 is the 20-byte Linux cooked v2 header (LINKTYPE_LINUX_SLL2),
	// what tcpdump writes for "-i any" since libpcap 1.10.
	LinuxSLL2 LinkType = 276
	// Cooked is for a filter attached to an AF_PACKET SOCK_DGRAM socket
	// (capturing on "any"). The kernel runs such filters on the
	// network-layer packet with no link header at all, so the EtherType
	// and the packet type come from the SKF_AD_PROTOCOL and SKF_AD_PKTTYPE
	// ancillary loads, exactly as libpcap rewrites its SLL programs for the
	// kernel. The value is not a LINKTYPE and never appears in a file.
	Cooked LinkType = -1
)

// String names the link type as tcpdump's -y option does.
func (lt LinkType) String() string {
	switch lt {
	case Ethernet:
		return "EN10MB"
	case Raw:
		return "RAW"
	case LinuxSLL:
		return "LINUX_SLL"
	case LinuxSLL2:
		return "LINUX_SLL2"
	case Cooked:
		return "cooked socket"
	}
	return fmt.Sprintf("LinkType(%d)", int(lt))
}

// DefaultSnaplen is what tcpdump uses when no snap length is given; Compile
// substitutes it for 0 because "ret #0" would drop every packet.
const DefaultSnaplen = 262144

// MaxInstructions is the kernel's BPF_MAXINSNS: longer programs are refused
// by SO_ATTACH_FILTER, so Compile refuses them first with a clearer error.
const MaxInstructions = 4096

// Error describes why an expression could not be compiled. Column is
// 1-based and points into Expr.
type Error struct {
	Expr   string
	Column int
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("capture filter %q: %s at column %d", e.Expr, e.Msg, e.Column)
}

// Compile translates a tcpdump capture-filter expression into a classic BPF
// program for frames of the given link type. Accepted packets are truncated
// to snaplen bytes (0 means DefaultSnaplen). An empty expression accepts
// every packet, as in tcpdump.
func Compile(expr string, lt LinkType, snaplen uint32) ([]bpf.RawInstruction, error) {
	ins, err := CompileInstructions(expr, lt, snaplen)
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(ins)
	if err != nil {
		// The code generator only emits encodable instructions; reaching
		// this is a bug, reported rather than hidden.
		return nil, &Error{Expr: expr, Column: 1, Msg: "internal error: " + err.Error()}
	}
	return raw, nil
}

// CompileInstructions is Compile returning x/net/bpf instructions, which is
// what the x/net/bpf VM and assembler take; tests run these directly.
func CompileInstructions(expr string, lt LinkType, snaplen uint32) ([]bpf.Instruction, error) {
	if snaplen == 0 {
		snaplen = DefaultSnaplen
	}
	l, err := newLink(lt)
	if err != nil {
		return nil, &Error{Expr: expr, Column: 1, Msg: err.Error()}
	}
	p, err := newParser(expr, l)
	if err != nil {
		return nil, err
	}
	c, err := p.parseAll()
	if err != nil {
		return nil, err
	}
	prog, n := generate(c, snaplen)
	if n > MaxInstructions {
		return nil, &Error{Expr: expr, Column: 1, Msg: fmt.Sprintf("program needs %d instructions, more than the kernel limit of %d", n, MaxInstructions)}
	}
	return prog, nil
}

// link holds the offsets that depend on the link type. offLinkType and
// offLinkPL move by 4 for every "vlan" keyword, as in libpcap, so they live
// in the parser state rather than being constants.
type link struct {
	lt          LinkType
	offLinkType uint32 // offset of the EtherType field (unused for Raw, Cooked)
	offLinkPL   uint32 // offset of the network-layer header
}

func newLink(lt LinkType) (link, error) {
	switch lt {
	case Ethernet:
		return link{lt: lt, offLinkType: 12, offLinkPL: 14}, nil
	case LinuxSLL:
		return link{lt: lt, offLinkType: 14, offLinkPL: 16}, nil
	case LinuxSLL2:
		return link{lt: lt, offLinkType: 0, offLinkPL: 20}, nil
	case Raw, Cooked:
		return link{lt: lt}, nil
	}
	return link{}, fmt.Errorf("unsupported link type %d", int(lt))
}
