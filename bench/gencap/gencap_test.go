package main

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func genBytes(t *testing.T, n int, seed uint64, format string) ([]byte, *stats) {
	t.Helper()
	var b bytes.Buffer
	st, err := generate(&b, n, seed, format)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), st
}

func TestDeterministic(t *testing.T) {
	a, _ := genBytes(t, 5000, 1, "pcap")
	b, _ := genBytes(t, 5000, 1, "pcap")
	c, _ := genBytes(t, 5000, 2, "pcap")
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same file")
	}
}

// slowSum is a deliberately naive one's-complement sum, independent of
// sumBytes.
func slowSum(parts ...[]byte) uint16 {
	var s uint32
	var all []byte
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all)%2 == 1 {
		all = append(all, 0)
	}
	for i := 0; i < len(all); i += 2 {
		s += uint32(all[i])<<8 | uint32(all[i+1])
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// TestChecksums re-verifies every checksum in the file and checks that the
// bad ones are exactly the faults the generator says it injected.
func TestChecksums(t *testing.T) {
	const n = 20000
	data, st := genBytes(t, n, 7, "pcap")
	le := binary.LittleEndian
	var got stats
	var lastTS int64
	off := 24
	for i := 0; i < n; i++ {
		ts := int64(le.Uint32(data[off:]))*1e6 + int64(le.Uint32(data[off+4:]))
		if ts <= lastTS {
			t.Fatalf("packet %d: timestamp not increasing", i+1)
		}
		lastTS = ts
		caplen := int(le.Uint32(data[off+8:]))
		f := data[off+16 : off+16+caplen]
		off += 16 + caplen
		var l4, pseudo []byte
		var proto byte
		switch be.Uint16(f[12:]) {
		case 0x0800:
			ip := f[14:34]
			if ip[10] == 0 && ip[11] == 0 {
				got.ipZero++
			} else if slowSum(ip) != 0xffff {
				t.Fatalf("packet %d: bad IPv4 header checksum", i+1)
			}
			proto, l4 = ip[9], f[34:]
			if tot := int(be.Uint16(ip[2:])); tot != 0 && tot != len(f)-14 {
				t.Fatalf("packet %d: ip.len %d, frame %d", i+1, tot, len(f))
			}
			pseudo = append(append([]byte{}, ip[12:20]...), 0, proto, byte(len(l4)>>8), byte(len(l4)))
		case 0x86dd:
			ip := f[14:54]
			proto, l4 = ip[6], f[54:]
			pseudo = append(append([]byte{}, ip[8:40]...), 0, 0, byte(len(l4)>>8), byte(len(l4)), 0, 0, 0, proto)
		default:
			continue
		}
		var csum uint16
		switch proto {
		case protoTCP:
			csum = be.Uint16(l4[16:])
		case protoUDP:
			csum = be.Uint16(l4[6:])
		case protoICMP:
			pseudo = nil
			csum = be.Uint16(l4[2:])
		case protoICMPv6:
			csum = be.Uint16(l4[2:])
		}
		if slowSum(pseudo, l4) == 0xffff {
			continue
		}
		switch {
		case proto != protoICMP && csum == slowSum(pseudo):
			if proto == protoTCP {
				got.partialTCP++
			} else {
				got.partialUDP++
			}
		default:
			got.flips++
		}
	}
	if got.partialTCP != st.partialTCP || got.partialUDP != st.partialUDP || got.ipZero != st.ipZero || got.flips != st.flips {
		t.Errorf("found partial tcp %d udp %d, ip zero %d, flips %d; generator says %d %d %d %d",
			got.partialTCP, got.partialUDP, got.ipZero, got.flips, st.partialTCP, st.partialUDP, st.ipZero, st.flips)
	}
	bad := st.partialTCP + st.partialUDP + st.ipZero + st.flips
	if pct := 100 * float64(bad) / n; pct < 1 || pct > 8 {
		t.Errorf("%.1f%% bad checksums, want a few percent", pct)
	}
	if st.tso == 0 || st.ipLenZero == 0 || st.v6 == 0 || st.arp == 0 || st.dns == 0 {
		t.Errorf("missing traffic kinds: %+v", *st)
	}
}

func TestPcapng(t *testing.T) {
	a, _ := genBytes(t, 1000, 3, "pcapng")
	le := binary.LittleEndian
	off, pkts := 0, 0
	for off < len(a) {
		typ, l := le.Uint32(a[off:]), int(le.Uint32(a[off+4:]))
		if l%4 != 0 || le.Uint32(a[off+l-4:]) != uint32(l) {
			t.Fatalf("bad block at %d", off)
		}
		if typ == 6 {
			pkts++
		}
		off += l
	}
	if pkts != 1000 {
		t.Errorf("%d packets, want 1000", pkts)
	}
}
