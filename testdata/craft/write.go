package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
)

// Link types (https://www.tcpdump.org/linktypes.html).
const (
	ltNull     = 0
	ltEthernet = 1
	ltRaw      = 101
	ltLoop     = 108
	ltSLL      = 113
	ltUser0    = 147
	ltIPv4     = 228
	ltIPv6     = 229
	ltSLL2     = 276
)

// baseTime is the first frame's time: 2023-11-14 22:13:20 UTC.
const baseTime = 1700000000

// rec is one captured frame. caplen < len(data) cuts it (snaplen); ts is microseconds
// after baseTime unless set, frame i defaults to i*1000+123 us.
type rec struct {
	data    []byte
	caplen  int
	tsNanos int64
}

func frames(data ...[]byte) []rec {
	r := make([]rec, len(data))
	for i, d := range data {
		r[i] = rec{data: d}
	}
	return r
}

func (r rec) nanos(i int) int64 {
	if r.tsNanos != 0 {
		return r.tsNanos
	}
	return int64(i)*1_000_000 + 123_456
}

type pcapOpts struct {
	bigEndian bool
	nano      bool
	snaplen   uint32
}

func pcapFile(linktype uint32, o pcapOpts, recs []rec) []byte {
	var order binary.ByteOrder = binary.LittleEndian
	if o.bigEndian {
		order = binary.BigEndian
	}
	snap := o.snaplen
	if snap == 0 {
		snap = 262144
	}
	var buf bytes.Buffer
	h := make([]byte, 24)
	magic := uint32(0xa1b2c3d4)
	if o.nano {
		magic = 0xa1b23c4d
	}
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], snap)
	order.PutUint32(h[20:], linktype)
	buf.Write(h)
	for i, r := range recs {
		ns := r.nanos(i)
		frac := uint32(ns / 1000)
		if o.nano {
			frac = uint32(ns)
		}
		caplen := len(r.data)
		if r.caplen > 0 && r.caplen < caplen {
			caplen = r.caplen
		}
		ph := make([]byte, 16)
		order.PutUint32(ph[0:], baseTime)
		order.PutUint32(ph[4:], frac)
		order.PutUint32(ph[8:], uint32(caplen))
		order.PutUint32(ph[12:], uint32(len(r.data)))
		buf.Write(ph)
		buf.Write(r.data[:caplen])
	}
	return buf.Bytes()
}

// --- pcapng ---

type ngIface struct {
	linktype uint16
	name     string
	desc     string
}

// EPB flags: bits 0-1 direction.
const (
	dirInbound  = 1
	dirOutbound = 2
)

type ngPacket struct {
	iface   uint32
	data    []byte
	flags   uint32 // 0: no epb_flags option
	comment string
}

var le = binary.LittleEndian

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func ngOption(code uint16, value []byte) []byte {
	b := make([]byte, 4)
	le.PutUint16(b[0:], code)
	le.PutUint16(b[2:], uint16(len(value)))
	return pad4(append(b, value...))
}

func ngBlock(typ uint32, body []byte) []byte {
	body = pad4(body)
	n := uint32(12 + len(body))
	b := make([]byte, 8, n)
	le.PutUint32(b[0:], typ)
	le.PutUint32(b[4:], n)
	b = append(b, body...)
	return le.AppendUint32(b, n)
}

func pcapngFile(ifaces []ngIface, pkts []ngPacket, shbComment string) []byte {
	var out []byte
	shb := make([]byte, 16)
	le.PutUint32(shb[0:], 0x1a2b3c4d)
	le.PutUint16(shb[4:], 1)
	le.PutUint16(shb[6:], 0)
	le.PutUint64(shb[8:], 0xffffffffffffffff)
	if shbComment != "" {
		shb = append(shb, ngOption(1, []byte(shbComment))...)
		shb = append(shb, ngOption(4, []byte("wirelens testdata/craft"))...) // shb_userappl
		shb = append(shb, 0, 0, 0, 0)
	}
	out = append(out, ngBlock(0x0a0d0d0a, shb)...)
	for _, f := range ifaces {
		idb := make([]byte, 8)
		le.PutUint16(idb[0:], f.linktype)
		le.PutUint32(idb[4:], 262144)
		idb = append(idb, ngOption(2, []byte(f.name))...)
		if f.desc != "" {
			idb = append(idb, ngOption(3, []byte(f.desc))...)
		}
		idb = append(idb, ngOption(9, []byte{6})...) // if_tsresol: microseconds
		idb = append(idb, 0, 0, 0, 0)
		out = append(out, ngBlock(1, idb)...)
	}
	for i, p := range pkts {
		us := uint64(baseTime)*1_000_000 + uint64(i)*1000 + 123
		epb := make([]byte, 20)
		le.PutUint32(epb[0:], p.iface)
		le.PutUint32(epb[4:], uint32(us>>32))
		le.PutUint32(epb[8:], uint32(us))
		le.PutUint32(epb[12:], uint32(len(p.data)))
		le.PutUint32(epb[16:], uint32(len(p.data)))
		epb = pad4(append(epb, p.data...))
		opts := false
		if p.comment != "" {
			epb = append(epb, ngOption(1, []byte(p.comment))...)
			opts = true
		}
		if p.flags != 0 {
			epb = append(epb, ngOption(2, le.AppendUint32(nil, p.flags))...)
			opts = true
		}
		if opts {
			epb = append(epb, 0, 0, 0, 0)
		}
		out = append(out, ngBlock(6, epb)...)
	}
	return out
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Name = ""
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
