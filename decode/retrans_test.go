package decode_test

import (
	"encoding/binary"
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// tcpFrame serializes an Ethernet/IPv4/TCP frame with correct checksums.
func tcpFrame(t *testing.T, seq uint32, payload string) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{192, 0, 2, 1}, DstIP: net.IP{192, 0, 2, 2}}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, Seq: seq, Ack: 1, ACK: true, PSH: true, Window: 64240}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRetransmissionConfirmsCorruption: a segment whose checksum was really
// damaged is dropped by the receiver and sent again; wirelens marks the
// retransmission, ties it to the damaged frame, and the report says the
// damage was real. The same holds when frames are re-read out of order.
func TestRetransmissionConfirmsCorruption(t *testing.T) {
	frames := [][]byte{tcpFrame(t, 1000, "hello, world"), tcpFrame(t, 1000, "hello, world"), tcpFrame(t, 1012, "more")}
	// Damage the first copy's checksum field as a bad link would: not zero,
	// not the partial pseudo-header sum.
	ck := 14 + 20 + 16
	binary.BigEndian.PutUint16(frames[0][ck:], binary.BigEndian.Uint16(frames[0][ck:])^0x0101)

	check := func(name string, dissect func(i int) *decode.Dissection) {
		for i, want := range []struct {
			retrans bool
			orig    string
		}{{false, ""}, {true, "1"}, {false, ""}} {
			d := dissect(i)
			var gotRetrans bool
			var orig string
			for j := range d.Fields {
				switch d.Fields[j].Def.Name {
				case "tcp.analysis.retransmission":
					gotRetrans = true
				case "wirelens.retransmits_bad":
					orig = d.Fields[j].Value()
				}
			}
			if gotRetrans != want.retrans || orig != want.orig {
				t.Errorf("%s frame %d: retransmission %v (of bad frame %q), want %v (%q)", name, i+1, gotRetrans, orig, want.retrans, want.orig)
			}
			if want.retrans && d.Summary.Info != "" && !strings.HasPrefix(d.Summary.Info, "[TCP Retransmission] ") {
				t.Errorf("%s frame %d: Info %q lacks [TCP Retransmission]", name, i+1, d.Summary.Info)
			}
		}
	}

	ds := decode.NewDissector(prefs.Default())
	rep := decode.NewReport(prefs.Default())
	var ds2 []*decode.Dissection
	for i, f := range frames {
		fr := &decode.Frame{Number: i + 1, Data: f, Record: capfile.Record{CapLen: uint32(len(f)), OrigLen: uint32(len(f)), LinkType: capfile.LinkEthernet}}
		d := &decode.Dissection{}
		ds.Dissect(fr, d)
		rep.Add(fr, d)
		ds2 = append(ds2, d)
	}
	check("in order", func(i int) *decode.Dissection { return ds2[i] })
	verdict := strings.Join(rep.Verdict(), "\n")
	if !strings.Contains(verdict, "1 segment with a bad TCP or IPv4 header checksum was retransmitted by the sender (frame 1 in 2)") {
		t.Errorf("verdict does not confirm the corruption:\n%s", verdict)
	}

	// Re-dissected later, in any order, by a frozen sibling (as the UI does).
	fz := ds.Sibling()
	fz.Frozen = true
	check("re-read", func(i int) *decode.Dissection {
		i = 2 - i // backwards
		fr := &decode.Frame{Number: i + 1, Data: frames[i], Record: capfile.Record{CapLen: uint32(len(frames[i])), OrigLen: uint32(len(frames[i])), LinkType: capfile.LinkEthernet}}
		d := &decode.Dissection{}
		fz.Dissect(fr, d)
		return d
	})
}
