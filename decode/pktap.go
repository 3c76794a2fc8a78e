package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Apple PKTAP (LINKTYPE_PKTAP, 258: tcpdump -i pktap on macOS): a
// little-endian header naming the interface, the process and the link
// type of the frame that follows, which is dissected by that link type's
// own dissector.

var (
	fPKTAP       = Register(FieldDef{Name: "pktap", Label: "PKTAP packet header", Type: FTProtocol})
	fPKTAPHdrLen = Register(FieldDef{Name: "pktap.hdrlen", Label: "Header length", Type: FTUint})
	fPKTAPRec    = Register(FieldDef{Name: "pktap.rectype", Label: "Record type", Type: FTUint, Values: map[uint64]string{0: "None", 1: "Packet"}})
	fPKTAPDLT    = Register(FieldDef{Name: "pktap.dlt", Label: "DLT", Type: FTUint})
	fPKTAPIfname = Register(FieldDef{Name: "pktap.ifname", Label: "Interface name", Type: FTString})
	fPKTAPFlags  = Register(FieldDef{Name: "pktap.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 32})
	fPKTAPPID    = Register(FieldDef{Name: "pktap.pid", Label: "PID", Type: FTInt})
	fPKTAPComm   = Register(FieldDef{Name: "pktap.cmdname", Label: "Command name", Type: FTString})
	fPKTAPEPID   = Register(FieldDef{Name: "pktap.epid", Label: "Effective PID", Type: FTInt})
	fPKTAPEComm  = Register(FieldDef{Name: "pktap.ecmdname", Label: "Effective command name", Type: FTString})
)

func cString(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func dissectPKTAP(b *builder, off int) int {
	b.addProtocol("pktap")
	if b.ds.Summary {
		b.proto = "PKTAP"
	}
	d := b.data[off:]
	if len(d) < 108 {
		b.malformed("PKTAP", off, fmt.Sprintf("frame of %d bytes is shorter than the 108-byte header", len(d)))
		return len(b.data)
	}
	le := binary.LittleEndian
	hl := int(le.Uint32(d))
	if hl < 108 || hl > len(d) {
		b.malformed("PKTAP", off, fmt.Sprintf("header length %d", hl))
		return len(b.data)
	}
	dlt := le.Uint32(d[8:])
	b.open(fPKTAP, off, hl)
	b.addU(fPKTAPHdrLen, off, 4, uint64(hl))
	b.addU(fPKTAPRec, off+4, 4, uint64(le.Uint32(d[4:])))
	b.addU(fPKTAPDLT, off+8, 4, uint64(dlt))
	b.add(fPKTAPIfname, off+12, 24).S = cString(d[12:36])
	b.addU(fPKTAPFlags, off+36, 4, uint64(le.Uint32(d[36:])))
	b.addU(fPKTAPPID, off+52, 4, uint64(int64(int32(le.Uint32(d[52:])))))
	b.add(fPKTAPComm, off+56, 20).S = cString(d[56:76])
	b.addU(fPKTAPEPID, off+84, 4, uint64(int64(int32(le.Uint32(d[84:])))))
	if hl >= 108 {
		b.add(fPKTAPEComm, off+88, 20).S = cString(d[88:108])
	}
	b.close()
	if le.Uint32(d[4:]) != 1 {
		dissectData(b, off+hl)
		return len(b.data)
	}
	// The inner frame's link type is a DLT value; the common ones match
	// their LINKTYPE_ (DLT_RAW is 12 on macOS, LINKTYPE_RAW 101).
	lt := uint16(dlt)
	if dlt == 12 {
		lt = 101
	}
	b.addProtocol("pcap_pktdata")
	l, ok := linkByType[lt]
	if !ok || lt == 258 {
		dissectData(b, off+hl)
		return len(b.data)
	}
	if off+hl == 0 {
		l.fn(b)
		return len(b.data)
	}
	// Link dissectors read the frame from offset 0: give them the rest.
	saved := b.data
	b.data = b.data[off+hl:]
	shift := off + hl
	start := len(b.d.Fields)
	l.fn(b)
	b.data = saved
	for i := start; i < len(b.d.Fields); i++ {
		b.d.Fields[i].Offset += int32(shift)
	}
	return len(b.data)
}

var _ = registerLink(258, 171, "Apple PKTAP", func(b *builder) { dissectPKTAP(b, 0) })
