package capfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// ngHead is a little-endian SHB plus an Ethernet IDB: 28+20 = 48 bytes.
func ngHead() *ng { return (&ng{}).shb(false).idb(LinkEthernet, 0) }

// twoGood appends two good EPBs of 52 bytes each; the next block starts at 152.
func twoGood(w *ng) *ng {
	return w.epb(0, 1, frame(1, 20), 20).epb(0, 2, frame(2, 20), 20)
}

func rawBlock(typ, head, tail uint32, body []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, typ)
	b = binary.LittleEndian.AppendUint32(b, head)
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, tail)
}

func epbBody(ifid, capLen uint32, room int) []byte {
	b := binary.LittleEndian.AppendUint32(nil, ifid)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, capLen)
	b = binary.LittleEndian.AppendUint32(b, capLen)
	return append(b, make([]byte, room)...)
}

func TestDamage(t *testing.T) {
	good := twoGood(ngHead()).buf
	pcapGood := pcapFile(false, false, 65535, 1, pcapRec{data: frame(1, 10)}, pcapRec{data: frame(2, 10)}) // next record at 76
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tc := range []struct {
		name      string
		file      []byte
		good      int
		truncated bool
		offset    int64
		msg       string
	}{
		{"pcap header cut", pcapGood[:10], 0, true, 0,
			`the file "f" appears to have been cut short in the middle of its file header (byte offset 0)`},
		{"pcap record header cut", pcapGood[:76+8], 2, true, 76,
			`the file "f" appears to have been cut short in the middle of a packet (packet 3 at byte offset 76)`},
		{"pcap data cut", cat(pcapGood, pcapFile(false, false, 0, 1, pcapRec{data: frame(3, 10)})[24:24+20]), 2, true, 76,
			`the file "f" appears to have been cut short in the middle of a packet (packet 3 at byte offset 76)`},
		{"pcap caplen too big", cat(pcapGood, []byte{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4, 0, 1, 0, 4, 0}), 2, false, 76,
			`the file "f" is corrupt: packet record at byte offset 76 has 262145 captured bytes, more than the maximum of 262144 (packet 3)`},
		{"pcap old version", append([]byte{0xd4, 0xc3, 0xb2, 0xa1, 1, 0, 0, 0}, make([]byte, 16)...), 0, false, 0,
			`the file "f" is corrupt: pcap file header has version 1.0; wirelens reads version 2 and later (file header)`},
		{"shb cut", good[:10], 0, true, 0,
			`the file "f" appears to have been cut short in the middle of its file header (byte offset 0)`},
		{"block length 7", cat(good, rawBlock(6, 7, 7, nil)), 2, false, 152,
			`the file "f" is corrupt: block at byte offset 152 has length 7, not a multiple of 4 (packet 3)`},
		{"block length 8", cat(good, rawBlock(6, 8, 8, nil)), 2, false, 152,
			`the file "f" is corrupt: block at byte offset 152 has length 8, less than the minimum of 12 (packet 3)`},
		{"huge block", cat(good, rawBlock(6, 0x7ffffff0, 0, nil)), 2, false, 152,
			`the file "f" is corrupt: block at byte offset 152 has a huge length of 2147483632 bytes (the maximum is 16777216) (packet 3)`},
		{"trailing length", cat(good, rawBlock(5, 16, 20, make([]byte, 4))), 2, false, 152,
			`the file "f" is corrupt: block at byte offset 152 has length 16 at its start but 20 at its end (packet 3)`},
		{"short epb", cat(good, rawBlock(6, 28, 28, make([]byte, 16))), 2, false, 152,
			`the file "f" is corrupt: enhanced packet block at byte offset 152 has length 28, less than the minimum of 32 (packet 3)`},
		{"epb caplen beyond block", cat(good, rawBlock(6, 40, 40, epbBody(0, 9, 8))), 2, false, 152,
			`the file "f" is corrupt: enhanced packet block at byte offset 152 claims 9 captured bytes but has room for only 8 (packet 3)`},
		{"epb caplen too big", cat(good, rawBlock(6, 40, 40, epbBody(0, 262145, 8))), 2, false, 152,
			`the file "f" is corrupt: enhanced packet block at byte offset 152 has 262145 captured bytes, more than the maximum of 262144 (packet 3)`},
		{"epb interface out of range", cat(good, rawBlock(6, 40, 40, epbBody(1, 8, 8))), 2, false, 152,
			`the file "f" is corrupt: enhanced packet block at byte offset 152 refers to interface 1, but its section has only 1 interface(s) (packet 3)`},
		{"epb interface of previous section", cat((&ng{buf: good}).shb(false).buf, rawBlock(6, 40, 40, epbBody(0, 8, 8))), 2, false, 180,
			`the file "f" is corrupt: enhanced packet block at byte offset 180 refers to interface 0, but its section has only 0 interface(s) (packet 3)`},
		{"spb before idb", cat((&ng{}).shb(false).buf, rawBlock(3, 16, 16, make([]byte, 4))), 0, false, 28,
			`the file "f" is corrupt: simple packet block at byte offset 28 comes before any interface description block in its section (packet 1)`},
		{"spb original length 0xffffffff", cat(good, rawBlock(3, 24, 24, []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8})), 2, false, 152,
			`the file "f" is corrupt: simple packet block at byte offset 152 has an original length of 4294967295 bytes, more than the maximum of 262144, and holds only 8 (packet 3)`},
		{"option past end", cat(good, rawBlock(6, 40, 40, append(epbBody(0, 0, 0), 1, 0, 9, 0, 'a', 'b', 'c', 'd'))), 2, false, 152,
			`the file "f" is corrupt: option 1 of the block at byte offset 152 has length 9, which runs past the end of the block (packet 3)`},
		{"cut in block", good[:152-5], 1, true, 100,
			`the file "f" appears to have been cut short in the middle of a packet (packet 2 at byte offset 100)`},
		{"cut in block header", cat(good, []byte{6, 0, 0, 0}), 2, true, 152,
			`the file "f" appears to have been cut short in the middle of a packet (packet 3 at byte offset 152)`},
		{"cut in second shb", cat(good, (&ng{}).shb(true).buf[:20]), 2, true, 152,
			`the file "f" appears to have been cut short in the middle of a packet (packet 3 at byte offset 152)`},
		{"bad byte-order magic", cat(good, rawBlock(blockSHB, 28, 28, make([]byte, 16))), 2, false, 152,
			`the file "f" is corrupt: section header block at byte offset 152 has byte-order magic 0x00000000, not 0x1a2b3c4d in either byte order (packet 3)`},
		{"shb version 2", func() []byte {
			b := bytes.Clone(good)
			b[12] = 2
			return b
		}(), 0, false, 0,
			`the file "f" is corrupt: section header block at byte offset 0 has version 2.0; wirelens reads version 1 (file header)`},
		{"gzip cut", gz(t, good)[:60], -1, true, -1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tc.file), "f", Options{})
			var all []got
			if err == nil {
				all, err = readAll(t, r)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want *FormatError", err, err)
			}
			if tc.good >= 0 && len(all) != tc.good {
				t.Errorf("%d good records before the error, want %d", len(all), tc.good)
			}
			if fe.Truncated != tc.truncated || fe.File != "f" {
				t.Errorf("Truncated %v File %q", fe.Truncated, fe.File)
			}
			if tc.offset >= 0 && fe.Offset != tc.offset {
				t.Errorf("Offset %d, want %d", fe.Offset, tc.offset)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("error\n%s\nwant\n%s", err, tc.msg)
			}
			if r != nil {
				if _, _, err2 := r.Next(); err2 != err {
					t.Errorf("error is not sticky: then %v", err2)
				}
			}
		})
	}
}

func TestUnknownLinkTypeIsNotAnError(t *testing.T) {
	b := (&ng{}).shb(false).idb(65000, 0).epb(0, 1, frame(1, 4), 4).buf
	r, err := NewReader(bytes.NewReader(b), "f", Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := r.Next()
	if err != nil || rec.LinkType != 65000 {
		t.Fatalf("rec %+v err %v", rec, err)
	}
	p := pcapFile(false, false, 0, 65001, pcapRec{data: frame(1, 4)})
	r, err = NewReader(bytes.NewReader(p), "f", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rec, _, err = r.Next(); err != nil || rec.LinkType != 65001 {
		t.Fatalf("pcap rec %+v err %v", rec, err)
	}
}

func TestBigSkippedBlock(t *testing.T) {
	// A block larger than the read buffer goes through the slow path.
	w := ngHead()
	w.block(0xBAD, make([]byte, 3*bufSize))
	w.epb(0, 1, frame(5, 30), 30)
	r, err := NewReader(bytes.NewReader(w.buf), "f", Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := readAll(t, r)
	if err != io.EOF || len(all) != 1 || !bytes.Equal(all[0].data, frame(5, 30)) || all[0].rec.Offset != int64(48+12+3*bufSize) {
		t.Fatalf("%d records, err %v", len(all), err)
	}
	// Same size, cut short: truncation, not a huge allocation.
	r, _ = NewReader(bytes.NewReader(w.buf[:2*bufSize]), "f", Options{})
	if _, err := readAll(t, r); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("err %v", err)
	}
}

func TestNotCapture(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"hello, world\n", `"notes.txt" isn't a capture file in a format wirelens understands (pcap or pcapng, plain or compressed with gzip, zstd, lz4, bzip2 or xz)`},
		{"", `"notes.txt" is empty; it isn't a capture file in a format wirelens understands (pcap or pcapng, plain or compressed with gzip, zstd, lz4, bzip2 or xz)`},
		{"ab", `"notes.txt" isn't a capture file in a format wirelens understands (pcap or pcapng, plain or compressed with gzip, zstd, lz4, bzip2 or xz)`},
	} {
		_, err := NewReader(strings.NewReader(tc.in), "notes.txt", Options{})
		if !errors.Is(err, ErrNotCapture) || err.Error() != tc.msg {
			t.Errorf("%q: %v", tc.in, err)
		}
	}
	// gzip of text is still not a capture.
	_, err := NewReader(bytes.NewReader(gz(t, []byte("hello, world"))), "n.gz", Options{})
	if !errors.Is(err, ErrNotCapture) {
		t.Errorf("gzip of text: %v", err)
	}
}

func TestGzipCorrupt(t *testing.T) {
	z := gz(t, twoGood(ngHead()).buf)
	z[len(z)-6] ^= 0xff // CRC32 in the trailer
	r, err := NewReader(bytes.NewReader(z), "c.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := readAll(t, r)
	var fe *FormatError
	if len(all) != 2 || !errors.As(err, &fe) || fe.Truncated || !strings.HasPrefix(err.Error(), `the file "c.gz" is corrupt: gzip-compressed data is damaged near decompressed byte offset 152`) {
		t.Fatalf("%d records, err %v", len(all), err)
	}
}
