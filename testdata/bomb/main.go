// Command bomb writes testdata/bomb/zeros-2g.pcap.gz: a gzip bomb of about
// 2 MB that decompresses to a 2 GiB pcap of 32 767 frames of 65 535 zero
// bytes. It is kept apart from the hostile corpus, which every output mode
// reads in full; the TUI's capture opens it (decode/capture) to show that
// random access into gzip needs neither a decompressed copy in TMPDIR nor
// memory that follows the decompressed size.
//
//	go run ./testdata/bomb [DIR]
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
)

// Frames is how many frames the bomb holds; each record is 16 + 65 535
// bytes, so the whole is just under 2 GiB.
const Frames = 32767

func main() {
	dir := filepath.Join("testdata", "bomb")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	path := filepath.Join(dir, "zeros-2g.pcap.gz")
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	zw, _ := gzip.NewWriterLevel(bw, gzip.BestCompression)
	le := binary.LittleEndian
	h := make([]byte, 24)
	le.PutUint32(h, 0xa1b2c3d4)
	le.PutUint16(h[4:], 2)
	le.PutUint16(h[6:], 4)
	le.PutUint32(h[16:], 262144)
	le.PutUint32(h[20:], 1)
	zw.Write(h)
	rec := make([]byte, 16+65535)
	for i := 0; i < Frames; i++ {
		le.PutUint32(rec, 1700000000+uint32(i/1000))
		le.PutUint32(rec[4:], uint32(i%1000)*1000)
		le.PutUint32(rec[8:], 65535)
		le.PutUint32(rec[12:], 65535)
		zw.Write(rec)
	}
	if err := zw.Close(); err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	st, _ := os.Stat(path)
	fmt.Printf("%s %d bytes\n", path, st.Size())
}
