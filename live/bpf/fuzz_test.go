package bpf

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// FuzzCompile: any input either fails with a positioned *Error or yields a
// program the kernel would take (at most 4096 instructions, every jump in
// range, ending in a return) that runs in the x/net/bpf VM on a few frames.
// Seeds: every expression of testdata/exprs.txt plus testdata/fuzz/.
func FuzzCompile(f *testing.F) {
	fh, err := os.Open(filepath.Join("testdata", "exprs.txt"))
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			f.Add(line)
		}
	}
	fh.Close()
	frames := craftedFrames()
	lts := []LinkType{Ethernet, LinuxSLL, LinuxSLL2, Raw, Cooked}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, lt := range lts {
			ins, err := CompileInstructions(expr, lt, 0)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Expr != expr || e.Column < 1 || e.Column > len(expr)+1 {
					t.Fatalf("%s %q: bad error %v", lt, expr, err)
				}
				continue
			}
			checkProgram(t, expr, lt, ins)
			for i, fr := range frames {
				if i%7 != 0 {
					continue
				}
				pkt := fr.l3
				switch lt {
				case Ethernet:
					pkt = fr.ethernet()
				case LinuxSLL:
					pkt = fr.sll()
				case LinuxSLL2:
					pkt = fr.sll2()
				}
				if _, err := run(ins, pkt, aux{proto: fr.proto, pkttype: fr.pkttype}); err != nil {
					t.Fatalf("%s %q: %v", lt, expr, err)
				}
			}
		}
	})
}

// checkProgram validates like the kernel's bpf_check_classic, on the
// assembled form the socket option receives.
func checkProgram(t *testing.T, expr string, lt LinkType, ins []bpf.Instruction) {
	t.Helper()
	raw, err := bpf.Assemble(ins)
	if err != nil {
		t.Fatalf("%s %q: assemble: %v", lt, expr, err)
	}
	if len(raw) == 0 || len(raw) > MaxInstructions {
		t.Fatalf("%s %q: %d instructions", lt, expr, len(raw))
	}
	for i, r := range raw {
		if r.Op&0x07 != 0x05 { // BPF_JMP
			continue
		}
		if r.Op == 0x05 { // ja
			if uint64(i)+1+uint64(r.K) >= uint64(len(raw)) {
				t.Fatalf("%s %q: ja at %d out of range", lt, expr, i)
			}
			continue
		}
		if i+1+int(r.Jt) >= len(raw) || i+1+int(r.Jf) >= len(raw) {
			t.Fatalf("%s %q: jump at %d out of range", lt, expr, i)
		}
	}
	if last := raw[len(raw)-1]; last.Op&0x07 != 0x06 { // BPF_RET
		t.Fatalf("%s %q: does not end in ret", lt, expr)
	}
	for i, r := range raw {
		// Scratch memory must be written before it is read; the
		// generator stores right before loading, within one leaf.
		if (r.Op == 0x60 || r.Op == 0x61) && r.K >= maxScratch {
			t.Fatalf("%s %q: scratch slot %d at %d", lt, expr, r.K, i)
		}
	}
}
