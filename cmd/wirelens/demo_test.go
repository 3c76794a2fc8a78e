package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/live"
)

var updateDemo = flag.Bool("update-demo", false, "rebuild cmd/wirelens/demo.pcap from testdata/captures")

// demoSource is the real capture the demo is made from, and the frames
// damaged in it: an ICMP echo reply with a flipped payload byte, the last
// fragment of a reassembled UDP datagram with a flipped payload byte, and a
// TCP segment whose checksum field was hit (no longer the partial sum).
const demoSource = "../../testdata/captures/veth-offload-a-any-sll2.pcap"

var demoDamage = []struct {
	frame int
	what  string
}{{6, "icmp-payload"}, {42, "udp-fragment-payload"}, {64, "tcp-checksum"}}

func TestDemo(t *testing.T) {
	if *updateDemo {
		buildDemo(t)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.pcap")
	if err := os.WriteFile(path, demoCapture, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCapture(t, []string{"-r", path, "-Y", `wirelens.hint == "suspect"`, "-T", "fields", "-e", "frame.number"})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, want := strings.Fields(out), []string{"6", "42", "64"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("suspect frames in the demo = %v, want %v", got, want)
	}
	rep, _, code := runCapture(t, []string{"-r", path, "--checksum-report"})
	if code != exitOK {
		t.Fatalf("report exit %d", code)
	}
	for _, want := range []string{"bad TCP checksums are on frames this host sent", "hold the partial pseudo-header sum",
		"3 bad checksums with no offload pattern", "(frames 6, 42, 64)", "larger than the link MTU"} {
		if !strings.Contains(rep, want) {
			t.Errorf("demo report lacks %q:\n%s", want, rep)
		}
	}
}

// buildDemo copies the source capture, damaging the chosen frames.
func buildDemo(t *testing.T) {
	rd, err := capfile.Open(demoSource, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var out []byte
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr, 0xa1b23c4d) // nanosecond pcap
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 262144)
	binary.LittleEndian.PutUint32(hdr[20:], uint32(capfile.LinkSLL2))
	out = append(out, hdr...)
	n := 0
	for {
		rec, data, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if rec.LinkType != capfile.LinkSLL2 {
			t.Fatalf("frame %d: link type %d, want SLL2", n, rec.LinkType)
		}
		data = append([]byte(nil), data...)
		for _, dmg := range demoDamage {
			if dmg.frame == n {
				damage(t, n, dmg.what, data)
			}
		}
		r := make([]byte, 16)
		binary.LittleEndian.PutUint32(r, uint32(rec.Timestamp/1e9))
		binary.LittleEndian.PutUint32(r[4:], uint32(rec.Timestamp%1e9))
		binary.LittleEndian.PutUint32(r[8:], uint32(len(data)))
		binary.LittleEndian.PutUint32(r[12:], rec.OrigLen)
		out = append(out, r...)
		out = append(out, data...)
	}
	if err := os.WriteFile("demo.pcap", out, 0o644); err != nil {
		t.Fatal(err)
	}
	demoCapture = out
}

// damage flips bits the way a faulty link or NIC would. Offsets are into
// the SLL2 frame: 20 bytes of cooked header, then IPv4.
func damage(t *testing.T, n int, what string, data []byte) {
	const ip = 20
	ihl := int(data[ip]&0x0f) * 4
	switch what {
	case "icmp-payload", "udp-fragment-payload":
		data[len(data)-5] ^= 0x10
	case "tcp-checksum":
		data[ip+ihl+16] ^= 0x01
	default:
		t.Fatalf("frame %d: unknown damage %q", n, what)
	}
}

// The live capture writes the comment the dissector reads as evidence of
// checksum offload; the two packages must agree on it word for word.
func TestCsumNotReadyComment(t *testing.T) {
	if live.CommentCsumNotReady != decode.CommentCsumNotReady {
		t.Fatalf("live writes %q, decode looks for %q", live.CommentCsumNotReady, decode.CommentCsumNotReady)
	}
}
