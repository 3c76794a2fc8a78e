package capfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// benchPackets mimics the batch-mode target: ~560-byte packets.
const benchPackets = 20000

func benchFiles(b *testing.B) map[string][]byte {
	p := make([]pcapRec, benchPackets)
	w := (&ng{}).shb(false).idb(LinkEthernet, 0, opt{optIfTSResol, []byte{9}})
	for i := range p {
		d := frame(byte(i), 520+i%80)
		p[i] = pcapRec{sec: uint32(1700000000 + i), frac: uint32(i), data: d}
		w.epb(0, uint64(i)*1000, d, uint32(len(d)), w.opt32(optPktFlags, 1))
	}
	return map[string][]byte{"pcap": pcapFile(false, false, 65535, 1, p...), "pcapng": w.buf}
}

// BenchmarkReader reports ns/packet and allocations per packet for the
// sequential scan batch mode relies on.
func BenchmarkReader(b *testing.B) {
	files := benchFiles(b)
	for _, name := range []string{"pcap", "pcapng", "pcapng.gz"} {
		data := files[name]
		if name == "pcapng.gz" {
			data = gz(b, files["pcapng"])
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(data), "bench", Options{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, _, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/packet")
		})
	}
}

// BenchmarkReadFrame measures re-reading frames of a plain file by offset.
func BenchmarkReadFrame(b *testing.B) {
	path := filepath.Join(b.TempDir(), "b.pcapng")
	os.WriteFile(path, benchFiles(b)["pcapng"], 0o644)
	r, err := Open(path, Options{RandomAccess: true})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var recs []Record
	for {
		rec, _, err := r.Next()
		if err != nil {
			break
		}
		recs = append(recs, rec)
	}
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := r.ReadFrame(&recs[(i*7919)%len(recs)], buf); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestBigFileScan reads a file given by WIRELENS_BIG (e.g. a 1M-packet
// capture) and logs the time per packet; without it there is nothing to do.
func TestBigFileScan(t *testing.T) {
	path := os.Getenv("WIRELENS_BIG")
	if path == "" {
		t.Skip("set WIRELENS_BIG to a capture file to time a full scan")
	}
	want, _ := strconv.Atoi(os.Getenv("WIRELENS_BIG_PACKETS"))
	res := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			r, err := Open(path, Options{RandomAccess: true})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for {
				if _, _, err := r.Next(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					break
				}
				n++
			}
			r.Close()
			if want != 0 && n != want {
				b.Fatalf("%d packets, want %d", n, want)
			}
		}
	})
	t.Logf("%s: %v per scan, %d allocs, %d bytes allocated per scan", path, res.T/time.Duration(res.N), res.AllocsPerOp(), res.AllocedBytesPerOp())
}
