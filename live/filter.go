package live

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Classic BPF opcode fields and the kernel's ancillary offsets
// (linux/filter.h), which x/sys does not export.
const (
	bpfClassMask = 0x07
	bpfLD        = 0x00
	bpfLDX       = 0x01
	bpfRET       = 0x06
	bpfModeMask  = 0xe0
	bpfABS       = 0x20
	bpfIND       = 0x40
	bpfMSH       = 0xa0
	bpfRvalMask  = 0x18
	bpfK         = 0x00

	skfAdOff      = 0xfffff000 // SKF_AD_OFF (-0x1000)
	skfAdProtocol = 0
	skfAdPktType  = 4
	skfAdIfIndex  = 8
	skfAdHatype   = 28
)

// cookedFilter rewrites a filter compiled for LINKTYPE_LINUX_SLL2 to run on
// a SOCK_DGRAM socket, where the kernel runs it on the frame without any
// link header: loads past the SLL2 header move back by its length, and loads
// of the SLL2 protocol, interface index, ARPHRD type and packet type become
// the kernel's ancillary loads, as libpcap's fix_offset does. ok is false
// when some load cannot be translated (the filter must then run in user
// space on the SLL2 frame).
func cookedFilter(prog []bpf.RawInstruction) (out []bpf.RawInstruction, ok bool) {
	out = append([]bpf.RawInstruction(nil), prog...)
	for i := range out {
		p := &out[i]
		switch p.Op & bpfClassMask {
		case bpfLD, bpfLDX:
			switch p.Op & bpfModeMask {
			case bpfABS, bpfIND, bpfMSH:
				if int32(p.K) < 0 {
					break // already an ancillary load
				}
				switch {
				case p.K >= sll2HdrLen:
					p.K -= sll2HdrLen
				case p.K == 0:
					p.K = skfAdOff + skfAdProtocol
				case p.K == 4:
					p.K = skfAdOff + skfAdIfIndex
				case p.K == 8:
					p.K = skfAdOff + skfAdHatype
				case p.K == 10:
					p.K = skfAdOff + skfAdPktType
				default:
					return nil, false
				}
			}
		case bpfRET:
			// The kernel would cut the frame without its SLL2 header to
			// the return value: keep it whole and let snaplen cut later.
			if p.Op&bpfRvalMask == bpfK && p.K != 0 {
				p.K = DefaultSnapLen
			}
		}
	}
	return out, true
}

// userFilter runs a filter on built frames when the kernel cannot.
type userFilter struct{ vm *bpf.VM }

func newUserFilter(prog []bpf.RawInstruction) (*userFilter, error) {
	ins := make([]bpf.Instruction, len(prog))
	for i, r := range prog {
		ins[i] = r.Disassemble()
	}
	vm, err := bpf.NewVM(ins)
	if err != nil {
		return nil, fmt.Errorf("the filter can neither run in the kernel nor in wirelens: %w", err)
	}
	return &userFilter{vm: vm}, nil
}

// keep returns how many bytes of frame the filter keeps (0: drop it).
func (f *userFilter) keep(frame []byte) int {
	n, err := f.vm.Run(frame)
	if err != nil {
		return 0
	}
	return min(n, len(frame))
}

// Opcodes of the loopback prefix.
const (
	bpfLdbAbs = 0x30 // ldb [k]
	bpfLdwAbs = 0x20 // ld [k]
	bpfLdImm  = 0x00 // ld #k
	bpfJeqK   = 0x15 // jeq #k
	bpfRetK   = 0x06 // ret #k
)

// skipLoopbackSent puts in front of prog (nil: accept every frame) a test
// that rejects the sent copy of loopback frames: a loopback device hands
// every frame to packet sockets twice, as sent and as received, and read
// drops the sent one. Rejected by the kernel, the copy is never put in the
// ring: half the ring memory and copying on lo. named is true for a
// loopback interface opened by name (every sent frame is a copy); on "any"
// only sent frames on the loopback devices lo are rejected. A and X start
// at 0 for prog as for any filter.
func skipLoopbackSent(prog []bpf.RawInstruction, named bool, lo []int32) []bpf.RawInstruction {
	if !named && len(lo) == 0 || len(lo) > 200 {
		return prog
	}
	var out []bpf.RawInstruction
	if named {
		// 0 ldb pkttype; 1 jeq OUTGOING ? 2 : 3; 2 ret 0
		out = []bpf.RawInstruction{
			{Op: bpfLdbAbs, K: skfAdOff + skfAdPktType},
			{Op: bpfJeqK, Jt: 0, Jf: 1, K: uint32(PktOutgoing)},
			{Op: bpfRetK, K: 0},
		}
	} else {
		// ldb pkttype; jeq OUTGOING ? next : keep; ld ifindex;
		// jeq lo1 ? drop : next; ... jeq loN ? drop : keep; drop: ret 0
		n := len(lo)
		out = append(out,
			bpf.RawInstruction{Op: bpfLdbAbs, K: skfAdOff + skfAdPktType},
			bpf.RawInstruction{Op: bpfJeqK, Jt: 0, Jf: uint8(n + 2), K: uint32(PktOutgoing)},
			bpf.RawInstruction{Op: bpfLdwAbs, K: skfAdOff + skfAdIfIndex})
		for i, ix := range lo {
			left := n - 1 - i // comparisons after this one
			out = append(out, bpf.RawInstruction{Op: bpfJeqK, Jt: uint8(left), Jf: 0, K: uint32(ix)})
		}
		// The last comparison falls through to keep: make it jump over
		// the drop.
		out[len(out)-1].Jf = 1
		out = append(out, bpf.RawInstruction{Op: bpfRetK, K: 0})
	}
	out = append(out, bpf.RawInstruction{Op: bpfLdImm, K: 0})
	if len(prog) == 0 {
		return append(out, bpf.RawInstruction{Op: bpfRetK, K: 0xffffffff})
	}
	return append(out, prog...)
}
