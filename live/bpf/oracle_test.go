package bpf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"
)

// goldenEntry is tcpdump's compilation of one expression for one link
// type: a program, or the error tcpdump printed.
type goldenEntry struct {
	expr string
	raw  []bpf.RawInstruction
	prog []bpf.Instruction
	err  string
}

// rejectsAll is how tcpdump refuses an expression its optimizer proved to
// be always false (e.g. "arp" on raw IP); it is a valid filter, so the
// test treats it as "ret #0".
const rejectsAll = "expression rejects all packets"

func loadGolden(t *testing.T, dlt string) []goldenEntry {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden", dlt+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldenEntry
	var cur *goldenEntry
	var raw []bpf.RawInstruction
	flush := func() {
		if cur == nil {
			return
		}
		if cur.err == "" {
			if len(raw) == 0 {
				t.Fatalf("%s: %q: empty program", dlt, cur.expr)
			}
			cur.raw = raw
			for _, r := range raw {
				cur.prog = append(cur.prog, r.Disassemble())
			}
		}
		out = append(out, *cur)
		cur, raw = nil, nil
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") || line == "":
		case strings.HasPrefix(line, "expr: "):
			flush()
			cur = &goldenEntry{expr: strings.TrimPrefix(line, "expr: ")}
		case strings.HasPrefix(line, "error: "):
			cur.err = strings.TrimPrefix(line, "error: ")
		default:
			fs := strings.Fields(line)
			if len(fs) == 1 {
				continue // instruction count
			}
			if len(fs) != 4 {
				t.Fatalf("%s: bad line %q", dlt, line)
			}
			var v [4]uint64
			for i, s := range fs {
				v[i], err = strconv.ParseUint(s, 10, 32)
				if err != nil {
					t.Fatalf("%s: bad line %q", dlt, line)
				}
			}
			raw = append(raw, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
		}
	}
	flush()
	if len(out) < 40 {
		t.Fatalf("%s: only %d golden expressions", dlt, len(out))
	}
	return out
}

// aux is what the kernel supplies through ancillary loads.
type aux struct {
	proto   uint16
	pkttype uint8
}

// run executes prog in the x/net/bpf VM. That VM implements no ancillary
// loads except the length, so loads of SKF_AD_PROTOCOL and SKF_AD_PKTTYPE
// (as LoadExtension, or as tcpdump's "ldh [type]") are replaced by the
// constants the kernel would return for this packet.
func run(prog []bpf.Instruction, pkt []byte, a aux) (bool, error) {
	p := make([]bpf.Instruction, len(prog))
	for i, ins := range prog {
		ext := bpf.Extension(-1)
		switch v := ins.(type) {
		case bpf.LoadExtension:
			if v.Num != bpf.ExtLen {
				ext = v.Num
			}
		case bpf.LoadAbsolute:
			if v.Off >= 0xfffff000 {
				ext = bpf.Extension(v.Off - 0xfffff000)
			}
		}
		switch ext {
		case -1:
			p[i] = ins
		case bpf.ExtProto:
			p[i] = bpf.LoadConstant{Dst: bpf.RegA, Val: uint32(a.proto)}
		case bpf.ExtType:
			p[i] = bpf.LoadConstant{Dst: bpf.RegA, Val: uint32(a.pkttype)}
		default:
			return false, fmt.Errorf("ancillary load %d at %d not emulated", ext, i)
		}
	}
	vm, err := bpf.NewVM(p)
	if err != nil {
		return false, err
	}
	n, err := vm.Run(pkt)
	return n > 0, err
}

// captureFrames reads the real captures of the repository (made by
// testdata/make-captures.sh and testdata/craft) and turns every frame with
// a known link type into a frame value, so it is also rendered for the
// other link types.
func captureFrames(t *testing.T) []frame {
	t.Helper()
	var files []string
	for _, pat := range []string{"captures/*.pcap", "captures/*.pcapng", "crafted/*.pcap", "crafted/*.pcapng"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "testdata", pat))
		files = append(files, m...)
	}
	var out []frame
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		var next func() ([]byte, layers.LinkType, error)
		if strings.HasSuffix(name, ".pcapng") {
			r, err := pcapgo.NewNgReader(fh, pcapgo.NgReaderOptions{WantMixedLinkType: true})
			if err != nil {
				fh.Close()
				continue
			}
			next = func() ([]byte, layers.LinkType, error) {
				data, ci, err := r.ReadPacketData()
				lt := r.LinkType()
				if len(ci.AncillaryData) > 0 {
					if l, ok := ci.AncillaryData[0].(layers.LinkType); ok {
						lt = l
					}
				}
				return data, lt, err
			}
		} else {
			r, err := pcapgo.NewReader(fh)
			if err != nil {
				fh.Close()
				continue
			}
			next = func() ([]byte, layers.LinkType, error) {
				data, _, err := r.ReadPacketData()
				return data, r.LinkType(), err
			}
		}
		for i := 0; ; i++ {
			data, lt, err := next()
			if err != nil {
				if !errors.Is(err, io.EOF) && !strings.Contains(filepath.Base(name), "corrupt") {
					t.Logf("%s: frame %d: %v", name, i+1, err)
				}
				break
			}
			f, ok := frameFrom(data, lt)
			if !ok {
				continue
			}
			f.name = fmt.Sprintf("%s#%d", filepath.Base(name), i+1)
			out = append(out, f)
		}
		fh.Close()
	}
	return out
}

func frameFrom(data []byte, lt layers.LinkType) (frame, bool) {
	var f frame
	switch lt {
	case layers.LinkTypeEthernet:
		if len(data) < 14 {
			return f, false
		}
		copy(f.dst[:], data[0:6])
		copy(f.src[:], data[6:12])
		off := 12
		et := binary.BigEndian.Uint16(data[off:])
		for (et == 0x8100 || et == 0x88a8 || et == 0x9100) && len(data) >= off+6 {
			f.vlans = append(f.vlans, [2]uint16{et, binary.BigEndian.Uint16(data[off+2:])})
			off += 4
			et = binary.BigEndian.Uint16(data[off:])
		}
		f.proto = et
		if et <= 1500 {
			f.proto, f.ethType = 4, et
		}
		f.l3 = data[off+2:]
		switch {
		case f.dst == bcast:
			f.pkttype = 1
		case f.dst[0]&1 != 0:
			f.pkttype = 2
		}
	case layers.LinkType(276): // LINUX_SLL2
		if len(data) < 20 {
			return f, false
		}
		f.proto = binary.BigEndian.Uint16(data[0:])
		f.pkttype = data[10]
		copy(f.src[:], data[12:18])
		f.dst = macB
		f.l3 = data[20:]
	case layers.LinkTypeLinuxSLL:
		if len(data) < 16 {
			return f, false
		}
		f.pkttype = data[1]
		copy(f.src[:], data[6:12])
		f.proto = binary.BigEndian.Uint16(data[14:])
		f.dst = macB
		f.l3 = data[16:]
	default:
		return f, false
	}
	if f.dst == macB {
		switch f.pkttype {
		case 1:
			f.dst = bcast
		case 2:
			f.dst = mcast
		}
	}
	return f, true
}

var goldenDLTs = []struct {
	dlt    string
	lt     LinkType
	render func(frame) []byte
}{
	{"EN10MB", Ethernet, frame.ethernet},
	{"LINUX_SLL", LinuxSLL, frame.sll},
	{"LINUX_SLL2", LinuxSLL2, frame.sll2},
	{"RAW", Raw, func(f frame) []byte { return f.l3 }},
}

// TestAgainstTcpdump compiles every expression of testdata/exprs.txt for
// every link type and runs both our program and tcpdump's (from the golden
// files) over crafted and captured frames: verdicts must be identical.
// Where tcpdump refuses an expression we must refuse it too.
func TestAgainstTcpdump(t *testing.T) {
	frames := craftedFrames()
	captured := captureFrames(t)
	frames = append(frames, captured...)
	var exprs, agree, compiled int
	for _, d := range goldenDLTs {
		for _, g := range loadGolden(t, d.dlt) {
			exprs++
			ours, err := CompileInstructions(g.expr, d.lt, 0)
			tdErr := g.err != "" && !strings.Contains(g.err, rejectsAll)
			if tdErr {
				if err == nil {
					t.Errorf("%s %q: tcpdump refuses it (%s) but we compiled it", d.dlt, g.expr, g.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s %q: %v", d.dlt, g.expr, err)
				continue
			}
			compiled++
			if _, err := bpf.Assemble(ours); err != nil {
				t.Errorf("%s %q: assemble: %v", d.dlt, g.expr, err)
			}
			theirs := g.prog
			if g.err != "" {
				theirs = []bpf.Instruction{bpf.RetConstant{Val: 0}}
			}
			for _, f := range frames {
				if d.lt != Ethernet && len(f.vlans) > 0 {
					continue
				}
				pkt := d.render(f)
				a := aux{proto: f.proto, pkttype: f.pkttype}
				want, err := run(theirs, pkt, a)
				if err != nil {
					t.Fatalf("%s %q: tcpdump program: %v", d.dlt, g.expr, err)
				}
				got, err := run(ours, pkt, a)
				if err != nil {
					t.Fatalf("%s %q: our program: %v", d.dlt, g.expr, err)
				}
				if got != want {
					t.Errorf("%s %q on %s: got %v, tcpdump %v", d.dlt, g.expr, f.name, got, want)
					continue
				}
				agree++
			}
		}
	}
	t.Logf("%d expression x link type pairs (%d compiled, rest refused by both), %d crafted + %d captured frames, %d verdicts agree",
		exprs, compiled, len(frames)-len(captured), len(captured), agree)
}

// kernelProgram applies libpcap's fix_program (pcap-linux.c) to a
// LINUX_SLL program, which is what tcpdump attaches to the SOCK_DGRAM
// socket when capturing on "any": the kernel shows the filter the bare
// network-layer packet, so loads of the SLL packet type (offset 0) and
// protocol (offset 14) become SKF_AD_PKTTYPE and SKF_AD_PROTOCOL and all
// offsets from 16 up drop by 16. ok is false where libpcap would give up
// and filter in user space (loads of other SLL header bytes).
func kernelProgram(raw []bpf.RawInstruction) (prog []bpf.Instruction, ok bool) {
	const skfAdOff = 0xfffff000
	for _, r := range raw {
		class, mode := r.Op&0x07, r.Op&0xe0
		if (class == 0x00 || class == 0x01) && (mode == 0x20 || mode == 0x40 || mode == 0xa0) {
			switch {
			case r.K >= 16:
				r.K -= 16
			case r.K == 0:
				r.K = skfAdOff + uint32(bpf.ExtType)
			case r.K == 14:
				r.K = skfAdOff + uint32(bpf.ExtProto)
			default:
				return nil, false
			}
		}
		prog = append(prog, r.Disassemble())
	}
	return prog, true
}

// TestCookedAgainstLibpcapKernelFilter checks the cooked-socket mode
// against the program libpcap gives the kernel for "any", derived from
// tcpdump's LINUX_SLL golden programs; both run on the bare network-layer
// packet with the same ancillary data.
func TestCookedAgainstLibpcapKernelFilter(t *testing.T) {
	frames := append(craftedFrames(), captureFrames(t)...)
	var n, exprs int
	for _, g := range loadGolden(t, "LINUX_SLL") {
		ours, err := CompileInstructions(g.expr, Cooked, 0)
		if g.err != "" && !strings.Contains(g.err, rejectsAll) {
			if err == nil {
				t.Errorf("%q: tcpdump refuses it for SLL (%s) but cooked mode compiled it", g.expr, g.err)
			}
			continue
		}
		theirs, ok := []bpf.Instruction{bpf.RetConstant{Val: 0}}, true
		if g.err == "" {
			theirs, ok = kernelProgram(g.raw)
		}
		if err != nil {
			// Only the cooked header itself is out of reach of a
			// cooked-socket filter; libpcap filters those in user space.
			if !strings.Contains(g.expr, "link[") && !strings.Contains(g.expr, "ether[") {
				t.Errorf("%q: %v", g.expr, err)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: compiled for cooked mode, but it reads the cooked header", g.expr)
			continue
		}
		exprs++
		for _, f := range frames {
			if len(f.vlans) > 0 {
				continue
			}
			a := aux{proto: f.proto, pkttype: f.pkttype}
			want, err := run(theirs, f.l3, a)
			if err != nil {
				t.Fatal(err)
			}
			got, err := run(ours, f.l3, a)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("cooked %q on %s: got %v, libpcap %v", g.expr, f.name, got, want)
				continue
			}
			n++
		}
	}
	t.Logf("cooked socket: %d expressions, %d verdicts agree with libpcap's kernel programs", exprs, n)
}
