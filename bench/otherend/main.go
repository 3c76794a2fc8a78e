// Command otherend writes the capture the far end of a link would have made
// of the traffic in a capture, for timing wirelens --compare: another
// clock (offset and a one-way delay with jitter), one hop further (TTL and
// hop limit one less, the IPv4 header checksum redone), pcapng instead of
// pcap, and a few deterministic faults: one frame in DROP lost, one in FLIP
// with a payload bit flipped. A summary of what it did goes to stderr.
//
//	go run ./bench/otherend -i /tmp/bench-1m.pcap -o /tmp/bench-1m-b.pcapng
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/live"
)

func main() {
	in := flag.String("i", "", "input capture")
	out := flag.String("o", "", "output pcapng")
	drop := flag.Int("drop", 20011, "lose one frame in this many")
	flip := flag.Int("flip", 10007, "flip a payload bit in one frame in this many")
	offset := flag.Duration("offset", 37_000_000, "the far end's clock minus this one's")
	delay := flag.Duration("delay", 150_000, "one-way delay")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: otherend -i IN -o OUT.pcapng")
		os.Exit(2)
	}
	rd, err := capfile.Open(*in, capfile.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w, err := live.NewFileWriter(f, "pcapng")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, dropped, flipped := 0, 0, 0
	var buf []byte
	for {
		rec, data, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n++
		if n%*drop == 0 {
			dropped++
			continue
		}
		buf = append(buf[:0], data...)
		// Jitter of up to 20 µs, deterministic.
		rec.Timestamp += int64(*offset) + int64(*delay) + int64(n*7919%20000)
		if len(buf) >= 34 && binary.BigEndian.Uint16(buf[12:]) == 0x0800 && buf[14]>>4 == 4 {
			ip := buf[14:]
			ihl := int(ip[0]&15) * 4
			if ip[8] > 1 && ihl >= 20 && len(ip) >= ihl {
				ip[8]--
				binary.BigEndian.PutUint16(ip[10:], 0)
				var s uint32
				for i := 0; i < ihl; i += 2 {
					s += uint32(ip[i])<<8 | uint32(ip[i+1])
				}
				for s>>16 != 0 {
					s = s&0xffff + s>>16
				}
				binary.BigEndian.PutUint16(ip[10:], ^uint16(s))
			}
			if n%*flip == 0 && len(ip) > ihl+40 {
				ip[len(ip)-3] ^= 0x20
				flipped++
			}
		} else if len(buf) >= 54 && binary.BigEndian.Uint16(buf[12:]) == 0x86dd && buf[21] > 1 {
			buf[21]--
		}
		if err := w.WritePacket(rec, buf, rd.Interface(rec.Interface)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
	fmt.Fprintf(os.Stderr, "otherend: %d frames read, %d dropped, %d with a bit flipped, clock +%v, delay %v\n", n, dropped, flipped, *offset, *delay)
}
