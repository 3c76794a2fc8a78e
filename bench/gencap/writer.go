package main

import (
	"bufio"
	"encoding/binary"
)

// snapLen is the snapshot length written in the file headers (tcpdump's
// default); no frame is longer, so nothing is truncated.
const snapLen = 262144

type writer interface {
	header() error
	packet(tsMicros int64, frame []byte) error
}

// pcapWriter writes classic little-endian pcap with microsecond timestamps.
type pcapWriter struct {
	w   *bufio.Writer
	hdr [16]byte
}

func (p *pcapWriter) header() error {
	var h [24]byte
	le := binary.LittleEndian
	le.PutUint32(h[0:], 0xa1b2c3d4)
	le.PutUint16(h[4:], 2)
	le.PutUint16(h[6:], 4)
	le.PutUint32(h[16:], snapLen)
	le.PutUint32(h[20:], 1) // LINKTYPE_ETHERNET
	_, err := p.w.Write(h[:])
	return err
}

func (p *pcapWriter) packet(ts int64, frame []byte) error {
	le := binary.LittleEndian
	le.PutUint32(p.hdr[0:], uint32(ts/1e6))
	le.PutUint32(p.hdr[4:], uint32(ts%1e6))
	le.PutUint32(p.hdr[8:], uint32(len(frame)))
	le.PutUint32(p.hdr[12:], uint32(len(frame)))
	if _, err := p.w.Write(p.hdr[:]); err != nil {
		return err
	}
	_, err := p.w.Write(frame)
	return err
}

// pcapngWriter writes one little-endian section with one Ethernet interface
// (default microsecond resolution) and Enhanced Packet Blocks.
type pcapngWriter struct {
	w   *bufio.Writer
	hdr [28]byte
}

func (p *pcapngWriter) header() error {
	le := binary.LittleEndian
	var shb [28]byte
	le.PutUint32(shb[0:], 0x0a0d0d0a)
	le.PutUint32(shb[4:], 28)
	le.PutUint32(shb[8:], 0x1a2b3c4d)
	le.PutUint16(shb[12:], 1)
	le.PutUint16(shb[14:], 0)
	le.PutUint64(shb[16:], ^uint64(0)) // section length unknown
	le.PutUint32(shb[24:], 28)
	var idb [20]byte
	le.PutUint32(idb[0:], 1)
	le.PutUint32(idb[4:], 20)
	le.PutUint16(idb[8:], 1) // LINKTYPE_ETHERNET
	le.PutUint32(idb[12:], snapLen)
	le.PutUint32(idb[16:], 20)
	if _, err := p.w.Write(shb[:]); err != nil {
		return err
	}
	_, err := p.w.Write(idb[:])
	return err
}

func (p *pcapngWriter) packet(ts int64, frame []byte) error {
	le := binary.LittleEndian
	pad := (4 - len(frame)%4) % 4
	total := uint32(32 + len(frame) + pad)
	le.PutUint32(p.hdr[0:], 6)
	le.PutUint32(p.hdr[4:], total)
	le.PutUint32(p.hdr[8:], 0)
	le.PutUint32(p.hdr[12:], uint32(uint64(ts)>>32))
	le.PutUint32(p.hdr[16:], uint32(ts))
	le.PutUint32(p.hdr[20:], uint32(len(frame)))
	le.PutUint32(p.hdr[24:], uint32(len(frame)))
	if _, err := p.w.Write(p.hdr[:]); err != nil {
		return err
	}
	if _, err := p.w.Write(frame); err != nil {
		return err
	}
	var tail [8]byte
	le.PutUint32(tail[pad:], total)
	_, err := p.w.Write(tail[:pad+4])
	return err
}
