package decode_test

import (
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestDNP3 checks what the goldens cannot: a message reassembled from
// three transport segments keeps its application layer when re-read
// backwards, the bad data chunk CRC is a verdict whose hint never says
// offload (even on a frame this host sent), and the CRC switch turns
// the verdicts to unverified.
func TestDNP3(t *testing.T) {
	ds := decode.NewDissector(prefs.Default())
	frames, in := decode.ReadFrames(t, ds, "../testdata/crafted/dnp3.pcap")
	if got := in[24].Summary.Info; got != "Response" {
		t.Fatalf("frame 25 (last of three transport segments): Info %q, want Response", got)
	}
	fz := ds.Sibling()
	fz.Frozen = true
	for i := len(frames) - 1; i >= 0; i-- {
		var d decode.Dissection
		fz.Dissect(frames[i], &d)
		if d.Summary.Info != in[i].Summary.Info || d.Summary.Protocol != in[i].Summary.Protocol {
			t.Errorf("frame %d re-read: %s %q, in order %s %q", i+1, d.Summary.Protocol, d.Summary.Info, in[i].Summary.Protocol, in[i].Summary.Info)
		}
	}
	bad := 0
	for i := range in {
		for _, ck := range in[i].Checksums {
			if ck.Proto != "dnp3" || ck.Status != decode.StatusBad {
				continue
			}
			bad++
			if i+1 != 26 || ck.Hints.Offload() {
				t.Errorf("frame %d: bad DNP3 CRC with hints %v (offload %v), want only frame 26, never offload", i+1, ck.Hints, ck.Hints.Offload())
			}
		}
	}
	if bad != 1 {
		t.Errorf("%d bad DNP3 CRCs, want 1 (frame 26)", bad)
	}
	// the same frame, marked as sent by this host: still not offload
	fr := *frames[25]
	fr.Record.Direction = capfile.DirOutbound
	var d decode.Dissection
	decode.NewDissector(prefs.Default()).Dissect(&fr, &d)
	for _, ck := range d.Checksums {
		if ck.Proto == "dnp3" && ck.Status == decode.StatusBad && ck.Hints.Offload() {
			t.Errorf("outbound frame 26: bad DNP3 CRC hinted as offload (%v)", ck.Hints)
		}
	}

	p := prefs.Default()
	if err := p.Set("dnp3.check_crc", "FALSE"); err != nil {
		t.Fatal(err)
	}
	_, off := decode.ReadFrames(t, decode.NewDissector(p), "../testdata/crafted/dnp3.pcap")
	for i := range off {
		for _, ck := range off[i].Checksums {
			if ck.Proto == "dnp3" && ck.Status != decode.StatusUnverified {
				t.Errorf("frame %d with dnp3.check_crc off: status %v", i+1, ck.Status)
			}
		}
	}
	if off[25].Summary.Info != "Response" {
		t.Errorf("frame 26 with the CRC unchecked: Info %q, want its application layer (Response)", off[25].Summary.Info)
	}
}
