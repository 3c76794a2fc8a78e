package decode_test

import (
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// TestRPCMatchingFrozen: a reply names its call (ONC-RPC by XID, DCERPC
// by call id) however the frames are re-dissected later; the in-order
// pass's Info (itself checked against tshark's goldens) is what a frozen
// sibling shows when reading the captures backwards.
func TestRPCMatchingFrozen(t *testing.T) {
	for _, name := range []string{"rpc.pcap", "dcerpc.pcap"} {
		ds := decode.NewDissector(prefs.Default())
		frames, in := decode.ReadFrames(t, ds, "../testdata/crafted/"+name)
		infos := make([]string, len(in))
		for i := range in {
			infos[i] = in[i].Summary.Info
		}
		want := map[string]map[int]string{
			"rpc.pcap":    {2: "V2 GETPORT Reply (Call In 1) Port:2049", 11: "V3 GETATTR Reply (Call In 10)  Directory mode: 0755 uid: 0 gid: 0"},
			"dcerpc.pcap": {7: "Lookup response", 14: "Response: call_id: 8, Fragment: Single, Ctx: 1 01020304-0506-0708-090a-0b0c0d0e0f10 V1"},
		}[name]
		for n, w := range want {
			if infos[n-1] != w {
				t.Errorf("%s frame %d in order: Info %q, want %q", name, n, infos[n-1], w)
			}
		}
		fz := ds.Sibling()
		fz.Frozen = true
		for i := len(frames) - 1; i >= 0; i-- {
			var d decode.Dissection
			fz.Dissect(frames[i], &d)
			if d.Summary.Info != infos[i] {
				t.Errorf("%s frame %d re-read: Info %q, in order %q", name, i+1, d.Summary.Info, infos[i])
			}
		}
	}
}
