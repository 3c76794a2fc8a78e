// Command gencap writes a synthetic but realistic Ethernet capture for the
// wirelens benchmarks and tests.
//
// The capture mixes TCP conversations (handshakes, TLS and HTTP exchanges of
// various sizes, ACKs, FIN/RST teardown, oversized TSO-like frames, a few
// with IPv4 total length 0), DNS with real names, NTP, syslog, ICMP and
// ICMPv6 echo, IPv6 TCP/UDP and a little ARP. Every checksum is correct
// except for a few percent of deliberate faults:
//
//   - partial TCP/UDP checksums as Linux leaves them for CHECKSUM_PARTIAL
//     (the folded one's-complement pseudo-header sum, not complemented),
//     on every frame sent by "offloading" local hosts;
//   - IPv4 header checksums of zero;
//   - single bit flips in the payload after the checksum was computed
//     (real corruption).
//
// The output depends only on -n, -seed and -format. Usage:
//
//	go run ./bench/gencap -n 1000000 -o /tmp/bench-1m.pcap [-seed 1] [-format pcap|pcapng]
//
// A summary (packets, bytes, faults injected) goes to stderr.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "number of packets to write")
	out := flag.String("o", "", "output file (required; - for stdout)")
	seed := flag.Uint64("seed", 1, "random seed; equal seeds give identical files")
	format := flag.String("format", "pcap", "file format: pcap or pcapng")
	quiet := flag.Bool("q", false, "do not print the summary")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: gencap -n PACKETS -o FILE [-seed N] [-format pcap|pcapng] [-q]")
		os.Exit(2)
	}
	if *format != "pcap" && *format != "pcapng" {
		fmt.Fprintf(os.Stderr, "gencap: unknown format %q (want pcap or pcapng)\n", *format)
		os.Exit(2)
	}
	start := time.Now()
	st, err := run(*out, *n, *seed, *format)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencap:", err)
		os.Exit(1)
	}
	if !*quiet {
		st.print(os.Stderr, time.Since(start))
	}
}

func run(path string, n int, seed uint64, format string) (*stats, error) {
	f := os.Stdout
	if path != "-" {
		var err error
		f, err = os.Create(path)
		if err != nil {
			return nil, err
		}
	}
	st, err := generate(f, n, seed, format)
	if path != "-" {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return st, err
}

// generate writes n packets in format ("pcap" or "pcapng") to w.
func generate(w io.Writer, n int, seed uint64, format string) (*stats, error) {
	bw := bufio.NewWriterSize(w, 4<<20)
	var pw writer = &pcapWriter{w: bw}
	if format == "pcapng" {
		pw = &pcapngWriter{w: bw}
	}
	g := newGen(seed)
	err := pw.header()
	for i := 0; i < n && err == nil; i++ {
		frame := g.next()
		err = pw.packet(g.ts, frame)
	}
	if err == nil {
		err = bw.Flush()
	}
	return &g.st, err
}

type stats struct {
	packets, bytes                 int64
	tcp, udp, icmp, arp, v6, dns   int64
	tso, ipLenZero                 int64
	partialTCP, partialUDP, ipZero int64
	flips                          int64
}

func (s *stats) print(f *os.File, d time.Duration) {
	pct := func(v int64) float64 {
		if s.packets == 0 {
			return 0
		}
		return 100 * float64(v) / float64(s.packets)
	}
	avg := int64(0)
	if s.packets > 0 {
		avg = s.bytes / s.packets
	}
	fmt.Fprintf(f, "gencap: %d packets, %d frame bytes (avg %d) in %.2fs\n",
		s.packets, s.bytes, avg, d.Seconds())
	fmt.Fprintf(f, "  tcp %.1f%%  udp %.1f%% (dns %.1f%%)  icmp %.1f%%  arp %.2f%%  ipv6 %.1f%%  tso %d (ip.len 0: %d)\n",
		pct(s.tcp), pct(s.udp), pct(s.dns), pct(s.icmp), pct(s.arp), pct(s.v6), s.tso, s.ipLenZero)
	bad := s.partialTCP + s.partialUDP + s.ipZero + s.flips
	fmt.Fprintf(f, "  faults: partial tcp %d, partial udp %d, ip checksum 0 %d, payload bit flips %d (%.2f%% of packets, a packet may have two)\n",
		s.partialTCP, s.partialUDP, s.ipZero, s.flips, pct(bad))
}
