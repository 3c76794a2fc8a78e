package decode

import (
	"encoding/hex"
	"testing"
)

// TestQUICInitialKeys checks the Initial key derivation against RFC 9001
// Appendix A.1 (client and server keys for DCID 0x8394c8f03e515708).
func TestQUICInitialKeys(t *testing.T) {
	dcid, _ := hex.DecodeString("8394c8f03e515708")
	for _, tc := range []struct {
		server     bool
		iv, sample string
		mask       string
	}{
		// iv from A.1; the header protection mask of A.2 (client) and
		// A.3 (server) for their samples.
		{false, "fa044b2f42a3fd3b46fb255c", "d1b1c98dd7689fb8ec11d242b123dc9b", "437b9aec36"},
		{true, "0ac1493ca1905853b0bba03e", "2cd0991cd25b0aac406a5816b6394100", "2ec0d8356a"},
	} {
		k := quicInitialKeys(dcid, tc.server)
		if got := hex.EncodeToString(k.iv); got != tc.iv {
			t.Errorf("server=%v: iv %s, RFC 9001 %s", tc.server, got, tc.iv)
		}
		sample, _ := hex.DecodeString(tc.sample)
		var mask [16]byte
		k.hp.Encrypt(mask[:], sample)
		if got := hex.EncodeToString(mask[:5]); got != tc.mask {
			t.Errorf("server=%v: header protection mask %s, RFC 9001 %s", tc.server, got, tc.mask)
		}
	}
}

func TestQUICVarint(t *testing.T) {
	for in, want := range map[string]uint64{"c2197c5eff14e88c": 151288809941952652, "9d7f3e7d": 494878333, "7bbd": 15293, "25": 37, "4025": 37} {
		b, _ := hex.DecodeString(in)
		v, n, ok := quicVarint(b)
		if !ok || v != want || n != len(b) {
			t.Errorf("varint %s = %d (%d bytes, %v), RFC 9000 A.1 says %d", in, v, n, ok, want)
		}
	}
	if _, _, ok := quicVarint([]byte{0x80, 1}); ok {
		t.Error("a 4-byte varint cut to 2 bytes was read")
	}
}
