package capfile

// Classic pcap: a 24-byte file header, then 16-byte record headers each
// followed by the captured bytes.

import "io"

const (
	pcapHdrLen = 24
	pcapRecLen = 16
	// The top bits of the link type word carry the FCS length (libpcap's
	// LT_FCS_LENGTH_PRESENT / LT_FCS_LENGTH), in 16-bit units.
	pcapFCSPresent = 0x04000000
)

func (r *Reader) readPcapHeader() error {
	b, err := r.take(pcapHdrLen)
	if err != nil {
		return r.streamErr(err, 0, len(b))
	}
	switch string(b[:4]) {
	case string(magicPcapUsLE), string(magicPcapNsLE):
		r.be = false
	default:
		r.be = true
	}
	nano := string(b[:4]) == string(magicPcapNsLE) || string(b[:4]) == string(magicPcapNsBE)
	if major := r.u16(b[4:]); major < 2 {
		// Wiretap rejects these too; they predate the current record layout.
		return r.corrupt(0, "pcap file header has version %d.%d; wirelens reads version 2 and later", major, r.u16(b[6:]))
	}
	lt := r.u32(b[20:])
	ifc := Interface{LinkType: uint16(lt), SnapLen: r.u32(b[16:]), FCSLen: -1}
	if lt&pcapFCSPresent != 0 {
		ifc.FCSLen = int(lt>>28) * 2
	}
	if nano {
		r.format = "pcap-ns"
		r.fracMul = 1
		ifc.TSResolNs, ifc.TSResol = 1, 9
	} else {
		r.format = "pcap"
		r.fracMul = 1000
		ifc.TSResolNs, ifc.TSResol = 1000, 6
	}
	r.ifaces = append(r.ifaces, ifc)
	return nil
}

func (r *Reader) nextPcap(rec *Record) ([]byte, error) {
	start := r.off
	h, err := r.in.Peek(pcapRecLen)
	if err != nil {
		if len(h) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.streamErr(err, start, len(h))
	}
	capLen := r.u32(h[8:])
	if capLen > MaxCapLen {
		return nil, r.corrupt(start, "packet record at byte offset %d has %d captured bytes, more than the maximum of %d", start, capLen, MaxCapLen)
	}
	b, err := r.take(pcapRecLen + int(capLen))
	if err != nil {
		return nil, r.streamErr(err, start, len(b))
	}
	rec.Offset = start
	rec.DataOff = start + pcapRecLen
	rec.Timestamp = int64(r.u32(b))*1e9 + int64(r.u32(b[4:]))*r.fracMul
	rec.CapLen = capLen
	rec.OrigLen = r.u32(b[12:])
	rec.LinkType = r.ifaces[0].LinkType
	return b[pcapRecLen:], nil
}
