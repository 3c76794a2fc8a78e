package decode_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestRetransmissionOfBadIPHeader: a segment whose IPv4 header checksum
// was damaged is dropped by the receiver as surely as one with a bad TCP
// checksum; its retransmission is tied to it.
func TestRetransmissionOfBadIPHeader(t *testing.T) {
	frames := [][]byte{tcpFrame(t, 5000, "payload"), tcpFrame(t, 5000, "payload")}
	binary.BigEndian.PutUint16(frames[0][14+10:], binary.BigEndian.Uint16(frames[0][14+10:])^0x0880)
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	for i, f := range frames {
		fr := &decode.Frame{Number: i + 1, Data: f, Record: capfile.Record{CapLen: uint32(len(f)), OrigLen: uint32(len(f)), LinkType: capfile.LinkEthernet}}
		ds.Dissect(fr, &d)
	}
	def, _ := decode.LookupField("wirelens.retransmits_bad")
	if f := d.Find(def); f == nil || f.U != 1 {
		t.Fatalf("retransmission of a segment with a bad IPv4 header checksum not tied to frame 1: %v", f)
	}
}

// partialFrame is a received TCP frame holding the partial pseudo-header
// sum, as a NIC that did not finish its checksum (or a veth) delivers it.
func partialFrame(t *testing.T) []byte {
	f := tcpFrame(t, 1, "data that the NIC should have summed")
	ip := f[14:34]
	n := len(f) - 34
	var s uint32
	for i := 12; i < 20; i += 2 {
		s += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	s += 6 + uint32(n)
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	binary.BigEndian.PutUint16(f[34+16:], uint16(s))
	return f
}

func hintsOf(t *testing.T, data []byte, iface *capfile.Interface, dir capfile.Direction, comments ...string) (hints []string, text string) {
	t.Helper()
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	rec := capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)), LinkType: capfile.LinkEthernet, Direction: dir, Comments: comments}
	ds.Dissect(&decode.Frame{Number: 1, Data: data, Record: rec, Iface: iface}, &d)
	for _, f := range d.Fields {
		switch f.Def.Name {
		case "wirelens.hint":
			hints = append(hints, f.S)
		case "wirelens.hint.text":
			text += f.Value() + "\n"
		}
	}
	return hints, text
}

// TestPartialReceivedPhysicalVsVirtual: a received partial sum is excused
// as a virtual device's only when the capture interface is one (or is not
// known); on a physical NIC it is the sender's NIC's fault, and the hint
// says which interface and driver.
func TestPartialReceivedPhysicalVsVirtual(t *testing.T) {
	f := partialFrame(t)
	desc := func(drv string) *capfile.Interface {
		return &capfile.Interface{Name: "eth7", Description: "wirelens: offloads rx-csum tx-csum tso gso gro !lro sg (wirelens: driver " + drv + ")"}
	}
	for _, c := range []struct {
		name     string
		iface    *capfile.Interface
		comments []string
		want     string
		text     string
	}{
		{"physical", desc("e1000e"), nil, "partial suspect", "eth7 (driver e1000e, a physical NIC)"},
		{"veth, kernel holds the sum", desc("veth"), []string{decode.CommentCsumNotReady}, "partial virtual", "on eth7 (driver veth, a virtual device)"},
		{"tap, kernel will verify", desc("tun"), nil, "partial virtual suspect", "did not mark as left for offload (no CSUMNOTREADY)"},
		{"unknown", nil, nil, "partial virtual", "does not say which device"},
	} {
		hints, text := hintsOf(t, f, c.iface, capfile.DirInbound, c.comments...)
		if got := strings.Join(hints, " "); got != c.want || !strings.Contains(text, c.text) {
			t.Errorf("%s: hints %q, want %q; text must say %q:\n%s", c.name, got, c.want, c.text, text)
		}
	}
	// The report counts the physical case as suspect, not offload.
	rep := decode.NewReport(prefs.Default())
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	fr := &decode.Frame{Number: 1, Data: f, Record: capfile.Record{CapLen: uint32(len(f)), OrigLen: uint32(len(f)), LinkType: capfile.LinkEthernet, Direction: capfile.DirInbound}, Iface: desc("ixgbe")}
	ds.Dissect(fr, &d)
	rep.Add(fr, &d)
	if v := strings.Join(rep.Verdict(), "\n"); !strings.Contains(v, "no offload pattern") {
		t.Errorf("a partial sum received on a physical NIC is not reported as possible corruption:\n%s", v)
	}
}
