package decode

import (
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// On a kernel VXLAN underlay using Linux's default port 8472, which is not
// decoded without -d, the outer UDP checksums computed with local checksum
// offload are tunnel artifacts, never "suspect"; damage to the VXLAN header
// (covered by the outer checksum, not by the inner one) is.
func TestLCOUndecodedVXLAN8472(t *testing.T) {
	const path = "../testdata/captures/overlay-vxlan8472-csum-offload-underlay.pcap"
	var d Dissection
	var tunnelFrames [][]byte
	var recs []capfile.Record
	EachFrame(t, path, NewDissector(prefs.Default()), func(fr *Frame, d *Dissection) bool {
		for _, ck := range d.Checksums {
			if ck.Status != StatusBad {
				continue
			}
			if ck.Hints.Has(HintSuspect) {
				t.Errorf("frame %d: bad %s checksum called suspect on a healthy VXLAN underlay", fr.Number, ck.Proto)
			}
			if ck.Proto == "udp" && ck.Hints.Has(HintTunnel) {
				tunnelFrames = append(tunnelFrames, append([]byte(nil), fr.Data...))
				recs = append(recs, fr.Record)
			}
		}
		return true
	})
	// make-captures.sh's summary for this file: 50 outer checksums by LCO.
	if len(tunnelFrames) != 50 {
		t.Fatalf("%d outer checksums recognised as LCO on UDP/8472; want the 50 overlaycheck.py counts", len(tunnelFrames))
	}
	// Flip a VNI byte: 14 Ethernet + 20 IPv4 + 8 UDP + 4 into VXLAN.
	f := tunnelFrames[0]
	f[14+20+8+4] ^= 0x01
	ds2 := NewDissector(prefs.Default())
	ds2.Dissect(&Frame{Number: 1, Data: f, Record: recs[0]}, &d)
	for _, ck := range d.Checksums {
		if ck.Proto == "udp" && (ck.Status != StatusBad || !ck.Hints.Has(HintSuspect) || ck.Hints.Has(HintTunnel)) {
			t.Errorf("damaged VXLAN header: udp checksum %v hints %v; want bad and suspect", ck.Status, ck.Hints)
		}
	}
}
