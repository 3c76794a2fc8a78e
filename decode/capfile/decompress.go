package capfile

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// The compressed formats other than gzip (which reader.go handles itself),
// detected by their magic numbers as tshark 4.2 detects zstd and lz4.
var (
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicLZ4   = []byte{0x04, 0x22, 0x4d, 0x18}
	magicBzip2 = []byte("BZh")
	magicXz    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
)

// maxWindow bounds what a compressed stream may make wirelens allocate
// for its window or dictionary: xz -9 and zstd -19 use 64 MiB at most,
// and a hostile header must not ask for gigabytes.
const maxWindow = 128 << 20

// codecOf names the compression raw starts with, or "".
func codecOf(raw *bufio.Reader) string {
	m, _ := raw.Peek(6)
	switch {
	case bytes.HasPrefix(m, magicZstd):
		return "zstd"
	case bytes.HasPrefix(m, magicLZ4):
		return "lz4"
	case bytes.HasPrefix(m, magicBzip2) && len(m) >= 4 && m[3] >= '1' && m[3] <= '9':
		return "bzip2"
	case bytes.HasPrefix(m, magicXz):
		return "xz"
	}
	return ""
}

// decompressor returns the decompressed stream of raw in codec, and what
// to close when done (nil if nothing).
func decompressor(raw *bufio.Reader, codec string) (io.Reader, io.Closer, error) {
	switch codec {
	case "zstd":
		d, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxWindow), zstd.WithDecoderMaxMemory(1<<40))
		if err != nil {
			return nil, nil, err
		}
		return d, closerFunc(func() error { d.Close(); return nil }), nil
	case "lz4":
		return lz4.NewReader(raw), nil, nil
	case "bzip2":
		return bzip2.NewReader(raw), nil, nil
	case "xz":
		if err := checkXzDict(raw); err != nil {
			return nil, nil, err
		}
		r, err := xz.NewReader(raw)
		if err != nil {
			return nil, nil, err
		}
		return r, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown compression %q", codec)
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// checkXzDict reads the LZMA2 dictionary size of the first block (xz file
// format 1.0.4, sections 3.1 and 5.3.1) before the decoder allocates it.
func checkXzDict(raw *bufio.Reader) error {
	b, _ := raw.Peek(12 + 1024)
	if len(b) < 13 {
		return nil // the decoder reports the cut
	}
	hdr := b[12:]
	size := (int(hdr[0]) + 1) * 4
	if hdr[0] == 0 || len(hdr) < size {
		return nil // an index (no block) or a cut header: the decoder says so
	}
	flags := hdr[1]
	p := 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < size; i++ {
			c := hdr[p]
			p++
			v |= uint64(c&0x7f) << (7 * i)
			if c < 0x80 {
				return v, true
			}
		}
		return 0, false
	}
	if flags&0x40 != 0 {
		varint()
	}
	if flags&0x80 != 0 {
		varint()
	}
	for f := 0; f <= int(flags&3); f++ {
		id, ok1 := varint()
		n, ok2 := varint()
		if !ok1 || !ok2 || p+int(n) > size {
			return nil
		}
		if id == 0x21 && n == 1 {
			d := hdr[p]
			if d > 40 {
				return nil // invalid: the decoder refuses it
			}
			dict := uint64(2|d&1) << (d/2 + 11)
			if dict > maxWindow {
				return fmt.Errorf("xz dictionary of %d MiB is more than wirelens allows (%d MiB)", dict>>20, maxWindow>>20)
			}
		}
		p += int(n)
	}
	return nil
}
