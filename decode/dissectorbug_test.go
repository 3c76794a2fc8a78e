package decode

import (
	"strings"
	"testing"

	"github.com/wirelens/wirelens/prefs"
)

// The package's tests and fuzz targets crash on a dissector's panic, so that
// bugs are found here; everywhere else the frame is marked malformed.
func init() { panicOnDissectorBug = true }

// A dissector that panics leaves the frame malformed, with what was read
// before it, and the dissector goes on with the next frame.
func TestDissectorBugMarksFrameMalformed(t *testing.T) {
	panicOnDissectorBug = false
	defer func() { panicOnDissectorBug = true }()
	const port = 65001
	udpPorts.m[port] = &Payload{Name: "boom", fn: func(b *builder, off int) int {
		b.enterLayer("boom", "BOOM", off, len(b.data))
		var s []byte
		return int(s[off]) // index out of range
	}}
	defer delete(udpPorts.m, port)

	udp := func(dport uint16) []byte {
		f := []byte{
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
			0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
			0x30, 0x39, byte(dport >> 8), byte(dport), 0, 12, 0, 0, 'a', 'b', 'c', 'd',
		}
		return f
	}
	ds := NewDissector(prefs.Default())
	ds.Summary = true
	var d Dissection
	fr := &Frame{Number: 1, Data: udp(port)}
	fr.Record.CapLen, fr.Record.OrigLen = uint32(len(fr.Data)), uint32(len(fr.Data))
	fr.Record.LinkType = 1
	ds.Dissect(fr, &d)
	if !strings.Contains(d.Summary.Info, "[Malformed Packet]") {
		t.Errorf("Info %q lacks [Malformed Packet]", d.Summary.Info)
	}
	var malformed string
	sawUDP := false
	for _, f := range d.Fields {
		if f.Def.Name == "udp.srcport" {
			sawUDP = true
		}
		if f.Def == fMalformed {
			malformed = f.S
		}
	}
	if !sawUDP || !strings.Contains(malformed, "boom") || !strings.Contains(malformed, "index out of range") {
		t.Errorf("udp kept %v, malformed note %q", sawUDP, malformed)
	}
	// The next frame is dissected normally.
	fr = &Frame{Number: 2, Data: udp(9)}
	fr.Record.CapLen, fr.Record.OrigLen = uint32(len(fr.Data)), uint32(len(fr.Data))
	fr.Record.LinkType = 1
	ds.Dissect(fr, &d)
	if strings.Contains(d.Summary.Info, "Malformed") {
		for _, f := range d.Fields {
			t.Logf("%s %q", f.Def.Name, f.S)
		}
		t.Errorf("the next frame is marked too: %q", d.Summary.Info)
	}
}
