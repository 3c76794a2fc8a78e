package decode_test

import (
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// TestHintNamesInterfaceOffloads: when the capture file says which
// offloads its interface had (wirelens writes them into the pcapng
// interface description), the hint names the one that explains it.
func TestHintNamesInterfaceOffloads(t *testing.T) {
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	done := false
	decode.EachRecord(t, "../testdata/captures/lo-offload-eth.pcap", func(n int, rec capfile.Record, data []byte, _ *capfile.Interface) bool {
		for _, desc := range []string{"wirelens: offloads rx-csum tx-csum tso gso !gro !lro sg", "wirelens: offloads rx-csum !tx-csum tso gso !gro !lro sg", ""} {
			ifc := &capfile.Interface{Name: "veth0", Description: desc}
			ds.Dissect(&decode.Frame{Number: n, Data: data, Record: rec, Iface: ifc}, &d)
			var why string
			for i := range d.Fields {
				f := &d.Fields[i]
				if f.Def.Name == "wirelens.hint.text" && strings.Contains(f.Value(), "partial pseudo-header sum") {
					why = f.Value()
				}
			}
			if why == "" {
				break // not a partial-checksum frame; try the next
			}
			want := map[string]string{
				"wirelens: offloads rx-csum tx-csum tso gso !gro !lro sg":  "(veth0 had tx-csum on when this was captured)",
				"wirelens: offloads rx-csum !tx-csum tso gso !gro !lro sg": "(veth0 had tx-csum off when this was captured)",
				"": "",
			}[desc]
			if want != "" && !strings.HasSuffix(why, want) {
				t.Errorf("description %q: hint %q lacks %q", desc, why, want)
			}
			if want == "" && strings.Contains(why, "veth0") {
				t.Errorf("no offloads recorded, yet the hint names the interface: %q", why)
			}
			if desc == "" {
				done = true
				return false
			}
		}
		return true
	})
	if !done {
		t.Fatal("no frame with a partial checksum in the loopback capture")
	}
}

// TestEPBFlagsChecksumState: the pcapng flags bits a capturing kernel's
// state is recorded in (bit 9 checksum not ready, bit 10 checksum valid,
// as wirelens's live capture and other tools write them) are evidence. A
// bad TCP checksum on a frame whose checksum the kernel verified is not
// corruption (verified, never suspect); one left for the device and
// received is a virtual device's partial sum (virtual).
func TestEPBFlagsChecksumState(t *testing.T) {
	ds := decode.NewDissector(prefs.Default())
	var d decode.Dissection
	hints := func() string {
		var h []string
		for i := range d.Fields {
			if d.Fields[i].Def.Name == "wirelens.hint" {
				h = append(h, d.Fields[i].S)
			}
		}
		return strings.Join(h, ",")
	}
	checked := 0
	decode.EachRecord(t, "../testdata/crafted/tcp-bad-cksum.pcap", func(n int, rec capfile.Record, data []byte, _ *capfile.Interface) bool {
		fr := decode.Frame{Number: n, Data: data, Record: rec}
		ds.Dissect(&fr, &d)
		if hints() != "suspect" {
			return true
		}
		checked++
		fr.Record.HasFlags, fr.Record.Flags, fr.Record.Direction = true, 1|capfile.EPBCsumValid, capfile.DirInbound
		ds.Dissect(&fr, &d)
		if got := hints(); got != "verified" {
			t.Errorf("frame %d, flags checksum valid: hints %q, want verified", n, got)
		}
		for i := range d.Fields {
			if d.Fields[i].Def.Name == "wirelens.hint.text" && !strings.Contains(d.Fields[i].Value(), "verified") {
				t.Errorf("frame %d: hint text %q does not say the kernel verified it", n, d.Fields[i].Value())
			}
		}
		fr.Record.Flags = 1 | capfile.EPBCsumNotReady
		ds.Dissect(&fr, &d)
		if got := hints(); got != "virtual" {
			t.Errorf("frame %d, flags checksum not ready, inbound: hints %q, want virtual", n, got)
		}
		fr.Record.Flags = 1 | capfile.EPBTSO
		ds.Dissect(&fr, &d)
		if got := hints(); got != "suspect" {
			t.Errorf("frame %d, flags TSO only: hints %q, want suspect (TSO says nothing of a normal-size frame's checksum)", n, got)
		}
		return true
	})
	if checked == 0 {
		t.Fatal("no suspect checksum in the capture: wrong file?")
	}
}
