package decode

import (
	"path/filepath"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// hintsOf dissects a crafted capture and returns each frame's
// wirelens.hint values.
func hintsOf(t *testing.T, name string, p prefs.Prefs) []string {
	t.Helper()
	var out []string
	EachFrame(t, "../testdata/crafted/"+name, NewDissector(p), func(_ *Frame, d *Dissection) bool {
		out = append(out, fieldsLine(d, []string{"wirelens.hint"}))
		return true
	})
	return out
}

// Local checksum offload on the underlay: the inner TCP checksum holds the
// partial sum and the outer UDP (VXLAN, Geneve) or GRE checksum is right
// only once it is filled in. Both are explained, neither is suspect; the
// one frame damaged on the wire is the only suspect one, and a hint value
// appears once a frame.
func TestTunnelOffloadHints(t *testing.T) {
	withDA := prefs.Default()
	if err := withDA.Set("wirelens.decode_as", "udp.port==8472,vxlan"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		p    prefs.Prefs
		want []string
	}{
		{"vxlan.pcap", prefs.Default(), []string{"", "", "tunnel,partial", "suspect", "", ""}},
		{"geneve.pcap", prefs.Default(), []string{"", "", "tunnel,partial", ""}},
		{"gre-tunnels.pcap", prefs.Default(), []string{"", "tunnel,partial", "", "", ""}},
		{"vxlan-8472.pcap", withDA, []string{"", "tunnel,partial"}},
		// Without Decode As the payload is not dissected, but the outer
		// checksum is still checked for LCO against the VXLAN payload it
		// covers (lcoUndecoded): a healthy tunnel is not accused, and the
		// report names the payload.
		{"vxlan-8472.pcap", prefs.Default(), []string{"", "tunnel"}},
	} {
		got := hintsOf(t, tc.file, tc.p)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d frames, want %d", tc.file, len(got), len(tc.want))
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s#%d: hints %q, want %q", tc.file, i+1, got[i], tc.want[i])
			}
		}
	}
	// With UDP validation off the outer checksum is Unverified and the
	// inner partial sum alone explains the frame.
	off := prefs.Default()
	off.SetValidates("udp", false)
	if got := hintsOf(t, "vxlan.pcap", off); got[2] != "partial" || got[3] != "suspect" {
		t.Errorf("udp off: hints %q", got)
	}
}

// A hint value is named once a frame: a frame whose IPv4 and TCP
// checksums were both left to the NIC reads "outbound,partial", not
// "outbound,partial,outbound", on every capture the project has.
func TestHintValuesOncePerFrame(t *testing.T) {
	files, _ := filepath.Glob("../testdata/captures/*.pcap*")
	crafted, _ := filepath.Glob("../testdata/crafted/*.pcap*")
	files = append(files, crafted...)
	frames, multi := 0, 0
	for _, f := range files {
		r, err := capfile.Open(f, capfile.Options{})
		if err != nil {
			continue // corrupt-* captures, reported by their own tests
		}
		name := filepath.Base(f)
		ds := NewDissector(prefs.Default())
		var d Dissection
		for n := 1; ; n++ {
			rec, data, err := r.Next()
			if err != nil {
				break
			}
			ds.Dissect(&Frame{Number: n, Data: data, Record: rec}, &d)
			frames++
			seen := map[string]bool{}
			bad := 0
			for _, ck := range d.Checksums {
				if ck.Status == StatusBad {
					bad++
				}
			}
			if bad > 1 {
				multi++
			}
			for _, f := range d.Fields {
				if f.Def == fHint {
					if seen[f.S] {
						t.Errorf("%s#%d: hint %q twice: %s", name, n, f.S, fieldsLine(&d, []string{"wirelens.hint"}))
					}
					seen[f.S] = true
				}
			}
		}
		r.Close()
	}
	if multi == 0 {
		t.Fatalf("no frame with two bad checksums among %d: the test checks nothing", frames)
	}
	t.Logf("%d frames, %d with more than one bad checksum", frames, multi)
}
