package decode

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/wirelens/wirelens/prefs"
)

// DNP3 (IEEE 1815; TCP and UDP 20000) as Wireshark's packet-dnp.c
// dissects it: the link layer with its header CRC, the user data in
// blocks of 16 bytes each with its own CRC, the transport header, the
// transport segments of an application fragment reassembled, and the
// application layer's function, internal indications and object headers
// with their points. The CRCs are checksums wirelens verifies (the
// "dnp3" checksum protocol); no NIC computes them, so a bad one is never
// an offload artifact.
//
// tshark's Info: a link frame says "from 3 to 4, len=5, Reset of Remote
// Link"; a complete application fragment replaces it with its function
// ("Read, Class 0123", "Response"), the function name fenced so that a
// second link frame in the same segment clears only what follows it.

var (
	dnp3PriFuncs = map[uint64]string{0: "Reset of Remote Link", 1: "Reset of User Process", 2: "Test Function For Link",
		3: "User Data", 4: "Unconfirmed User Data", 9: "Request Link Status"}
	dnp3SecFuncs = map[uint64]string{0: "ACK", 1: "NACK", 11: "Status of Link", 14: "Link Service Not Functioning",
		15: "Link Service Not Used or Implemented"}
	dnp3ALFuncs = map[uint64]string{0: "Confirm", 1: "Read", 2: "Write", 3: "Select", 4: "Operate", 5: "Direct Operate",
		6: "Direct Operate No Ack", 7: "Immediate Freeze", 8: "Immediate Freeze No Ack", 9: "Freeze and Clear",
		10: "Freeze and Clear No ACK", 11: "Freeze With Time", 12: "Freeze With Time No ACK", 13: "Cold Restart",
		14: "Warm Restart", 15: "Initialize Data", 16: "Initialize Application", 17: "Start Application",
		18: "Stop Application", 19: "Save Configuration", 20: "Enable Spontaneous Messages",
		21: "Disable Spontaneous Messages", 22: "Assign Classes", 23: "Delay Measurement", 24: "Record Current Time",
		25: "Open File", 26: "Close File", 27: "Delete File", 28: "Get File Info", 29: "Authenticate File",
		30: "Abort File", 31: "Activate Config", 32: "Authentication Request", 33: "Authentication Error",
		129: "Response", 130: "Unsolicited Response", 131: "Authentication Response"}
	dnp3Prefixes = map[uint64]string{0: "None", 1: "1-Octet Index Prefix", 2: "2-Octet Index Prefix", 3: "4-Octet Index Prefix",
		4: "1-Octet Object Size Prefix", 5: "2-Octet Object Size Prefix", 6: "4-Octet Object Size Prefix"}
	dnp3Ranges = map[uint64]string{0: "8-bit Start and Stop Indices", 1: "16-bit Start and Stop Indices",
		2: "32-bit Start and Stop Indices", 3: "8-bit Absolute Address in Range Field",
		4: "16-bit Absolute Address in Range Field", 5: "32-bit Absolute Address in Range Field", 6: "No Range Field",
		7: "8-bit Single Field Quantity", 8: "16-bit Single Field Quantity", 9: "32-bit Single Field Quantity",
		10: "Reserved", 11: "Free-format Qualifier"}
	// dnp3ReadObjs and dnp3WriteObjs name a request's object group in the
	// Info column (dnp3_al_read_obj_vals, dnp3_al_write_obj_vals).
	dnp3ReadObjs = map[uint8]string{0: "Device Attribute", 1: "Binary Input", 2: "Binary Input Change", 3: "Double-bit Input",
		4: "Double-bit Input Change", 10: "Binary Output", 11: "Binary Output Change", 20: "Counter", 21: "Frozen Counter",
		22: "Counter Change", 23: "Frozen Counter Change", 30: "Analog Input", 32: "Analog Input Change",
		40: "Analog Output", 42: "Analog Output Change", 50: "Time and Date", 70: "File Control",
		80: "Internal Indications", 110: "Octet String", 111: "Octet String Event", 113: "Virtual Terminal Event Data",
		120: "Secure Authentication"}
	dnp3WriteObjs = map[uint8]string{50: "Time and Date", 70: "File Control", 80: "Internal Indications", 110: "Octet String",
		111: "Octet String Event", 112: "Virtual Terminal Output Block", 120: "Secure Authentication"}
	dnp3CtlStatus = map[uint64]string{0: "Req. Accepted/Init/Queued", 1: "Req. Not Accepted; Arm-Timer Expired",
		2: "Req. Not Accepted; No 'SELECT' Received", 3: "Req. Not Accepted; Format Err. in Ctl Req.",
		4: "Ctl Oper. Not Supported For This Point", 5: "Req. Not Accepted; Ctrl Queue Full/Point Active",
		6: "Req. Not Accepted; Ctrl Hardware Problems", 7: "Req. Not Accepted; Local/Remote switch in Local",
		8: "Req. Not Accepted; Too many operations", 9: "Req. Not Accepted; Insufficient authorization",
		10: "Req. Not Accepted; Local automation proc active", 11: "Req. Not Accepted; Processing limited",
		12: "Req. Not Accepted; Out of range value", 126: "Req. Not Accepted; Non-participating (NOP request)",
		127: "Req. Not Accepted; Undefined error"}
	dnp3CtlOps   = map[uint64]string{0: "NUL Operation", 1: "Pulse On", 2: "Pulse Off", 3: "Latch On", 4: "Latch Off"}
	dnp3CtlMisc  = map[uint64]string{0: "Not Set", 1: "Queue", 2: "Clear", 3: "Queue and Clear"}
	dnp3CtlTrip  = map[uint64]string{0: "NUL", 1: "Close", 2: "Trip", 3: "Reserved"}
	dnp3TwoBits  = map[uint64]string{0: "Intermediate", 1: "Determined Off", 2: "Determined On", 3: "Indeterminate"}
	dnp3IINNames = map[uint16]string{0x0100: "Broadcast message Rx'd", 0x0200: "Class 1 Data Available",
		0x0400: "Class 2 Data Available", 0x0800: "Class 3 Data Available", 0x1000: "Time Sync Required from Master",
		0x2000: "Outputs in Local Mode", 0x4000: "Device Trouble", 0x8000: "Device Restart",
		0x0001: "Function Code not implemented", 0x0002: "Requested Objects Unknown",
		0x0004: "Parameters Invalid or Out of Range", 0x0008: "Event Buffer Overflow",
		0x0010: "Operation Already Executing", 0x0020: "Device Configuration Corrupt"}
)

// dnp3Width labels a field by the width it was read with ("Start (16
// bit)"), as packet-dnp.c registers one name per width; the width is in
// Aux, since fields of a reassembled message cover no bytes of the frame.
func dnp3Width(label string) func(f *Field) string {
	return func(f *Field) string {
		return fmt.Sprintf("%s (%d bit): %s", label, f.Aux, f.DisplayValue())
	}
}

// addW adds a value read from w bytes, for dnp3Width.
func (b *builder) addW(def *FieldDef, off, w int, u uint64) *Field {
	f := b.addU(def, off, w, u)
	f.Aux = uint64(w * 8)
	return f
}

// dnp3Bytes writes a bytes field as Wireshark labels one: 36 bytes at
// most, then an ellipsis.
func dnp3Bytes(f *Field) string {
	h := formatBytes(f.B, "")
	if len(h) > 72 {
		h = h[:72] + "…"
	}
	return f.Def.Label + ": " + h
}

func dnp3Flag(name, label string, bits int, mask uint64) *FieldDef {
	return Register(FieldDef{Name: name, Label: label, Type: FTBool, Bits: bits, Bitmask: mask, Display: flagLine})
}

var (
	fDNP3        = Register(FieldDef{Name: "dnp3", Label: "Distributed Network Protocol 3.0", Type: FTProtocol})
	fDNP3DL      = Register(FieldDef{Name: "dnp3.dl", Label: "Data Link Layer", Type: FTNone})
	fDNP3Start   = Register(FieldDef{Name: "dnp3.start", Label: "Start Bytes", Type: FTUint, Base: BaseHex, Bits: 16})
	fDNP3Len     = Register(FieldDef{Name: "dnp3.len", Label: "Length", Type: FTUint})
	fDNP3Ctl     = Register(FieldDef{Name: "dnp3.ctl", Label: "Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fDNP3Dir     = dnp3Flag("dnp3.ctl.dir", "Direction", 8, 0x80)
	fDNP3Prm     = dnp3Flag("dnp3.ctl.prm", "Primary", 8, 0x40)
	fDNP3Fcb     = dnp3Flag("dnp3.ctl.fcb", "Frame Count Bit", 8, 0x20)
	fDNP3Fcv     = dnp3Flag("dnp3.ctl.fcv", "Frame Count Valid", 8, 0x10)
	fDNP3Dfc     = dnp3Flag("dnp3.ctl.dfc", "Data Flow Control", 8, 0x10)
	fDNP3PriFunc = Register(FieldDef{Name: "dnp3.ctl.prifunc", Label: "Control Function Code", Type: FTUint, Bits: 8, Bitmask: 0x0f, Values: dnp3PriFuncs, Display: bitLine})
	fDNP3SecFunc = Register(FieldDef{Name: "dnp3.ctl.secfunc", Label: "Control Function Code", Type: FTUint, Bits: 8, Bitmask: 0x0f, Values: dnp3SecFuncs, Display: bitLine})
	fDNP3Dst     = Register(FieldDef{Name: "dnp3.dst", Label: "Destination", Type: FTUint})
	fDNP3Src     = Register(FieldDef{Name: "dnp3.src", Label: "Source", Type: FTUint})
	fDNP3Addr    = Register(FieldDef{Name: "dnp3.addr", Label: "Address", Type: FTUint})

	fDNP3TrCtl = Register(FieldDef{Name: "dnp3.tr.ctl", Label: "Transport Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fDNP3TrFin = dnp3Flag("dnp3.tr.fin", "Final", 8, 0x80)
	fDNP3TrFir = dnp3Flag("dnp3.tr.fir", "First", 8, 0x40)
	fDNP3TrSeq = Register(FieldDef{Name: "dnp3.tr.seq", Label: "Sequence", Type: FTUint, Bits: 8, Bitmask: 0x3f, Display: bitLine})

	fDNP3Chunks   = Register(FieldDef{Name: "dnp3.data_chunks", Label: "Data Chunks", Type: FTNone})
	fDNP3ChunkN   = Register(FieldDef{Name: "dnp3.data_chunk_item", Label: "Data Chunk", Type: FTNone})
	fDNP3Chunk    = Register(FieldDef{Name: "dnp.data_chunk", Label: "Data Chunk", Type: FTBytes})
	fDNP3ChunkLen = Register(FieldDef{Name: "dnp.data_chunk_len", Label: "Data Chunk length", Type: FTUint})

	fDNP3FragData  = Register(FieldDef{Name: "dnp3.al.frag_data", Label: "DNP3.0 AL Fragment Data", Type: FTBytes, Display: dnp3Bytes})
	fDNP3Frags     = Register(FieldDef{Name: "dnp3.al.fragments", Label: "DNP 3.0 AL Fragments", Type: FTNone})
	fDNP3Frag      = Register(FieldDef{Name: "dnp3.al.fragment", Label: "Frame", Type: FTUint})
	fDNP3FragCount = Register(FieldDef{Name: "dnp3.al.fragment.count", Label: "Fragment count", Type: FTUint})
	fDNP3FragLen   = Register(FieldDef{Name: "dnp3.al.fragment.reassembled.length", Label: "Reassembled DNP length", Type: FTUint})

	fDNP3AL    = Register(FieldDef{Name: "dnp3.al", Label: "Application Layer", Type: FTNone})
	fDNP3ALCtl = Register(FieldDef{Name: "dnp3.al.ctl", Label: "Application Control", Type: FTUint, Base: BaseHex, Bits: 8})
	fDNP3ALFir = dnp3Flag("dnp3.al.fir", "First", 8, 0x80)
	fDNP3ALFin = dnp3Flag("dnp3.al.fin", "Final", 8, 0x40)
	fDNP3ALCon = dnp3Flag("dnp3.al.con", "Confirm", 8, 0x20)
	fDNP3ALUns = dnp3Flag("dnp3.al.uns", "Unsolicited", 8, 0x10)
	fDNP3ALSeq = Register(FieldDef{Name: "dnp3.al.seq", Label: "Sequence", Type: FTUint, Bits: 8, Bitmask: 0x0f, Display: bitLine})
	fDNP3Func  = Register(FieldDef{Name: "dnp3.al.func", Label: "Application Layer Function Code", Type: FTUint, Values: dnp3ALFuncs,
		Display: func(f *Field) string {
			return fmt.Sprintf("Function Code: %s (0x%02x)", dnp3FuncName(uint8(f.U)), f.U)
		}})
	fDNP3IIN = Register(FieldDef{Name: "dnp3.al.iin", Label: "Internal Indications", Type: FTUint, Base: BaseHex, Bits: 16})
	// in the order packet-dnp.c shows them
	fDNP3IINBits = []*FieldDef{
		dnp3Flag("dnp3.al.iin.rst", "Device Restart", 16, 0x8000),
		dnp3Flag("dnp3.al.iin.dt", "Device Trouble", 16, 0x4000),
		dnp3Flag("dnp3.al.iin.dol", "Digital Outputs in Local", 16, 0x2000),
		dnp3Flag("dnp3.al.iin.tsr", "Time Sync Required", 16, 0x1000),
		dnp3Flag("dnp3.al.iin.cls3d", "Class 3 Data Available", 16, 0x0800),
		dnp3Flag("dnp3.al.iin.cls2d", "Class 2 Data Available", 16, 0x0400),
		dnp3Flag("dnp3.al.iin.cls1d", "Class 1 Data Available", 16, 0x0200),
		dnp3Flag("dnp3.al.iin.bmsg", "Broadcast Msg Rx", 16, 0x0100),
		dnp3Flag("dnp3.al.iin.cc", "Configuration Corrupt", 16, 0x0020),
		dnp3Flag("dnp3.al.iin.oae", "Operation Already Executing", 16, 0x0010),
		dnp3Flag("dnp3.al.iin.ebo", "Event Buffer Overflow", 16, 0x0008),
		dnp3Flag("dnp3.al.iin.pioor", "Parameters Invalid or Out of Range", 16, 0x0004),
		dnp3Flag("dnp3.al.iin.obju", "Requested Objects Unknown", 16, 0x0002),
		dnp3Flag("dnp3.al.iin.fcni", "Function Code not implemented", 16, 0x0001),
	}

	fDNP3Objects = Register(FieldDef{Name: "dnp3.al.objects", Label: "Data Objects", Type: FTNone})
	fDNP3Obj     = Register(FieldDef{Name: "dnp3.al.obj", Label: "Object", Type: FTUint, Base: BaseHex, Bits: 16, Values: dnp3ObjNames})
	fDNP3Qual    = Register(FieldDef{Name: "dnp3.al.objq", Label: "Qualifier Field", Type: FTNone})
	fDNP3Prefix  = Register(FieldDef{Name: "dnp3.al.objq.prefix", Label: "Prefix Code", Type: FTUint, Bits: 8, Bitmask: 0x70, Values: dnp3Prefixes, Display: bitLine})
	fDNP3Range   = Register(FieldDef{Name: "dnp3.al.objq.range", Label: "Range Code", Type: FTUint, Bits: 8, Bitmask: 0x0f, Values: dnp3Ranges, Display: bitLine})
	fDNP3Items   = Register(FieldDef{Name: "dnp3.al.range", Label: "Number of Items", Type: FTNone})
	fDNP3RStart  = Register(FieldDef{Name: "dnp3.al.range.start", Label: "Start", Type: FTUint, Display: dnp3Width("Start")})
	fDNP3RStop   = Register(FieldDef{Name: "dnp3.al.range.stop", Label: "Stop", Type: FTUint, Display: dnp3Width("Stop")})
	fDNP3RAbs    = Register(FieldDef{Name: "dnp3.al.range.abs", Label: "Address", Type: FTUint, Display: dnp3Width("Address")})
	fDNP3RQuant  = Register(FieldDef{Name: "dnp3.al.range.quantity", Label: "Quantity", Type: FTUint, Display: dnp3Width("Quantity")})
	fDNP3Index   = Register(FieldDef{Name: "dnp3.al.index", Label: "Index", Type: FTUint, Display: dnp3Width("Index")})
	fDNP3Size    = Register(FieldDef{Name: "dnp3.al.size", Label: "Size", Type: FTUint, Display: dnp3Width("Size")})
	fDNP3Point   = Register(FieldDef{Name: "dnp3.al.point", Label: "Point Number", Type: FTNone})
	fDNP3PtIndex = Register(FieldDef{Name: "dnp3.al.point_index", Label: "Point Index", Type: FTUint})
	fDNP3Quality = Register(FieldDef{Name: "dnp3.al.quality", Label: "Quality", Type: FTNone})
	fDNP3Bit     = Register(FieldDef{Name: "dnp3.al.bit", Label: "Value (bit)", Type: FTBool, Bits: 8, Display: flagLine})
	fDNP3TwoBit  = Register(FieldDef{Name: "dnp3.al.2bit", Label: "Value (two bit)", Type: FTUint, Bits: 8, Values: dnp3TwoBits, Display: bitLine})
	fDNP3AnaInt  = Register(FieldDef{Name: "dnp3.al.ana.int", Label: "Value", Type: FTInt, Display: dnp3Width("Value")})
	fDNP3AnaFlt  = Register(FieldDef{Name: "dnp3.al.ana.float", Label: "Value (float)", Type: FTFloat})
	fDNP3AnaDbl  = Register(FieldDef{Name: "dnp3.al.ana.double", Label: "Value (double)", Type: FTFloat})
	fDNP3AOInt   = Register(FieldDef{Name: "dnp3.al.anaout.int", Label: "Output Value", Type: FTInt, Display: dnp3Width("Output Value")})
	fDNP3AOFlt   = Register(FieldDef{Name: "dnp3.al.anaout.float", Label: "Output Value (float)", Type: FTFloat})
	fDNP3AODbl   = Register(FieldDef{Name: "dnp3.al.anaout.double", Label: "Output (double)", Type: FTFloat})
	fDNP3Cnt     = Register(FieldDef{Name: "dnp3.al.cnt", Label: "Counter", Type: FTUint, Display: dnp3Width("Counter")})
	fDNP3Time    = Register(FieldDef{Name: "dnp3.al.timestamp", Label: "Timestamp", Type: FTAbsTime})
	fDNP3RelTime = Register(FieldDef{Name: "dnp3.al.reltimestamp", Label: "Relative Timestamp", Type: FTRelTime})
	fDNP3Delay   = Register(FieldDef{Name: "dnp3.al.time_delay", Label: "Time Delay", Type: FTUint})
	fDNP3CtlCode = Register(FieldDef{Name: "dnp3.al.ctlcode", Label: "Control Code", Type: FTNone})
	fDNP3CtlOp   = Register(FieldDef{Name: "dnp3.ctl.op", Label: "Operation Type", Type: FTUint, Bits: 8, Bitmask: 0x0f, Values: dnp3CtlOps, Display: bitLine})
	fDNP3CtlClr  = Register(FieldDef{Name: "dnp3.ctl.clr", Label: "Queue / Clear Field", Type: FTUint, Bits: 8, Bitmask: 0x30, Values: dnp3CtlMisc, Display: bitLine})
	fDNP3CtlTrip = Register(FieldDef{Name: "dnp3.ctl.trip", Label: "Trip Control Code", Type: FTUint, Bits: 8, Bitmask: 0xc0, Values: dnp3CtlTrip, Display: bitLine})
	fDNP3Count   = Register(FieldDef{Name: "dnp3.al.count", Label: "Count", Type: FTUint})
	fDNP3OnTime  = Register(FieldDef{Name: "dnp3.al.on_time", Label: "On Time", Type: FTUint})
	fDNP3OffTime = Register(FieldDef{Name: "dnp3.al.off_time", Label: "Off Time", Type: FTUint})
	fDNP3CtlStat = Register(FieldDef{Name: "dnp3.al.ctrlstatus", Label: "Control Status", Type: FTUint, Bits: 8, Bitmask: 0x7f, Values: dnp3CtlStatus, Display: bitLine})
	fDNP3Octets  = Register(FieldDef{Name: "dnp3.al.octet_string", Label: "Octet String", Type: FTBytes, Display: dnp3Bytes})
	fDNP3Unknown = Register(FieldDef{Name: "dnp3.al.unknown_data_chunk", Label: "Unknown Data Chunk", Type: FTBytes, Display: dnp3Bytes})

	// the quality flags of each kind of point, bit 7 first
	dnp3Quality = map[byte][8]*FieldDef{
		'b': dnp3QualityDefs("biq", "Point Value", "Reserved", "Chatter Filter"),
		'o': dnp3QualityDefs("boq", "Point Value", "Reserved", "Reserved"),
		'c': dnp3QualityDefs("ctrq", "Reserved", "Discontinuity", "Roll-Over"),
		'a': dnp3QualityDefs("aiq", "Reserved", "Reference Check", "Over-Range"),
		'p': dnp3QualityDefs("aoq", "Reserved", "Reserved", "Reserved"),
	}

	dnp3Csum = registerChecksum(ChecksumProto{Name: "dnp3", Title: "DNP3 CRC", Label: "DNP3", Order: 97, NotOffloaded: true}, prefs.Switch{
		Name: "dnp3.check_crc", Default: 1,
		Desc: []string{"Whether to validate the DNP3 link-layer CRCs (the header's and each data chunk's)", notInWireshark("DNP3 CRC")}})
	dnp3HdrCRC = newChecksumDefsNamed(dnp3Csum, "dnp3.hdr.CRC", "dnp.hdr.CRC.status", "Data Link Header checksum",
		"Data Link Header Checksum Status", "Data Link Header Checksum incorrect")
	dnp3ChunkCRC = newChecksumDefsNamed(dnp3Csum, "dnp.data_chunk.CRC", "dnp.data_chunk.CRC.status", "Data Chunk checksum",
		"Data Chunk Checksum Status", "Data Chunk Checksum incorrect")
)

func dnp3QualityDefs(kind, b7, b6, b5 string) [8]*FieldDef {
	labels := [8]string{b7, b6, b5, "Local Force", "Remote Force", "Comm Fail", "Restart", "Online"}
	var out [8]*FieldDef
	for i, l := range labels {
		out[i] = dnp3Flag(fmt.Sprintf("dnp3.al.%s.b%d", kind, 7-i), l, 8, 0x80>>i)
	}
	return out
}

func dnp3FuncName(fn uint8) string {
	if s, ok := dnp3ALFuncs[uint64(fn)]; ok {
		return s
	}
	return fmt.Sprintf("Unknown function (0x%02x)", fn)
}

// dnp3CRC is CRC-16/DNP: reflected polynomial 0x3d65, complemented.
func dnp3CRC(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc = crc>>8 ^ dnp3CRCTable[byte(crc)^c]
	}
	return ^crc
}

var dnp3CRCTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ 0xa6bc
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

const dnp3HdrLen = 10

// dnp3FrameLen is the length on the wire of the link frame at the start
// of d: the header, the user data and a CRC per 16 bytes of it.
func dnp3FrameLen(d []byte) int {
	n := int(d[2])
	user := n - 5
	if user < 0 {
		user = 0
	}
	return dnp3HdrLen + user + (user+15)/16*2
}

// dnp3Start reports whether d starts a link frame as packet-dnp.c's
// check_dnp3_header (non-heuristic) has it: 0x05 0x64, and the header
// CRC right when the header is all there.
func dnp3Start(d []byte) bool {
	if len(d) < 1 || d[0] != 0x05 || len(d) > 1 && d[1] != 0x64 {
		return false
	}
	return len(d) < dnp3HdrLen || dnp3CRC(d[:8]) == binary.LittleEndian.Uint16(d[8:])
}

// dnp3PDULen is DNP3's message length for TCP reassembly.
func dnp3PDULen(d []byte) int {
	switch {
	case !dnp3Start(d):
		return 0
	case len(d) < 3:
		return -1
	}
	return dnp3FrameLen(d)
}

func dissectDNP3TCP(b *builder, off int) int {
	d := b.data[off:]
	if !dnp3Start(d) {
		dissectData(b, off)
		return len(b.data)
	}
	b.dnp3Frames(off)
	return len(b.data)
}

func dissectDNP3UDP(b *builder, off int) int {
	d := b.data[off:]
	if len(d) < dnp3HdrLen || !dnp3Start(d) {
		dissectData(b, off)
		return len(b.data)
	}
	b.dnp3Frames(off)
	return len(b.data)
}

// dnp3Frames dissects the link frames from off on, as tcp_dissect_pdus
// and udp_dissect_pdus hand them to packet-dnp.c one by one.
func (b *builder) dnp3Frames(off int) {
	b.addProtocol("dnp3")
	if b.ds.Summary {
		b.proto = "DNP 3.0"
	}
	for i := 0; off < len(b.data); i++ {
		d := b.data[off:]
		if len(d) < dnp3HdrLen {
			if i == 0 {
				b.malformed("DNP 3.0", off, "frame shorter than the link header")
			}
			return // the rest of a frame TCP has not delivered yet
		}
		n := dnp3FrameLen(d)
		if n > len(d) {
			if i == 0 {
				b.dnp3Frame(off, len(d), i)
			}
			return
		}
		b.dnp3Frame(off, n, i)
		off += n
	}
}

// dnp3Info adds to the Info column as col_append_sep_fstr does: sep only
// when the column holds something.
func (b *builder) dnp3Info(sep, s string) {
	if !b.ds.Summary {
		return
	}
	if sep != "" && len(b.info) > 0 {
		b.info = append(b.info, sep...)
	}
	b.info = append(b.info, s...)
}

// dnp3Clear is col_clear: the column back to its fence.
func (b *builder) dnp3Clear() {
	if !b.ds.Summary {
		return
	}
	if b.fence > len(b.info) {
		b.fence = 0
	}
	b.info = b.info[:b.fence]
}

func dnp3CtlText(ctl uint8, fn string) string {
	var sb strings.Builder
	names := [4]string{"DIR, ", "PRM, ", "FCB, ", "FCV, "}
	if ctl&0x40 == 0 {
		names[2], names[3] = "RES, ", "DFC, "
	}
	for i, n := range names {
		if ctl&(0x80>>i) != 0 {
			sb.WriteString(n)
		}
	}
	sb.WriteString(fn)
	return sb.String()
}

// dnp3Frame dissects the link frame [off, off+n) (n is shorter than the
// frame's own length when the frame is cut); idx counts the frames of
// this packet.
func (b *builder) dnp3Frame(off, n, idx int) {
	d := b.data[off : off+n]
	dlLen, ctl := d[2], d[3]
	dst, src := binary.LittleEndian.Uint16(d[4:]), binary.LittleEndian.Uint16(d[6:])
	fn := ctl & 0x0f
	prm := ctl&0x40 != 0
	funcs := dnp3SecFuncs
	if prm {
		funcs = dnp3PriFuncs
	}
	fnName, ok := funcs[uint64(fn)]
	if !ok {
		fnName = fmt.Sprintf("Unknown function (0x%02x)", fn)
	}
	b.dnp3Clear()
	b.dnp3Info("", fmt.Sprintf("from %d to %d", src, dst))
	b.dnp3Info(", ", fmt.Sprintf("len=%d, %s", dlLen, fnName))

	b.depth = 0
	b.open(fDNP3, off, n)
	b.open(fDNP3DL, off, dnp3HdrLen).Text = fmt.Sprintf("Data Link Layer, Len: %d, From: %d, To: %d, %s", dlLen, src, dst, dnp3CtlText(ctl, fnName))
	b.addU(fDNP3Start, off, 2, 0x0564)
	b.addU(fDNP3Len, off+2, 1, uint64(dlLen))
	b.open(fDNP3Ctl, off+3, 1).U = uint64(ctl)
	b.last().Text = fmt.Sprintf("Control: 0x%02x (%s)", ctl, dnp3CtlText(ctl, fnName))
	b.addU(fDNP3Dir, off+3, 1, uint64(ctl>>7&1))
	b.addU(fDNP3Prm, off+3, 1, uint64(ctl>>6&1))
	if prm {
		b.addU(fDNP3Fcb, off+3, 1, uint64(ctl>>5&1))
		b.addU(fDNP3Fcv, off+3, 1, uint64(ctl>>4&1))
		b.addU(fDNP3PriFunc, off+3, 1, uint64(fn))
	} else {
		b.addU(fDNP3Dfc, off+3, 1, uint64(ctl>>4&1))
		b.addU(fDNP3SecFunc, off+3, 1, uint64(fn))
	}
	b.close()
	b.addU(fDNP3Dst, off+4, 2, uint64(dst))
	b.addHidden(fDNP3Addr, off+4, 2, uint64(dst))
	b.addU(fDNP3Src, off+6, 2, uint64(src))
	b.addHidden(fDNP3Addr, off+6, 2, uint64(src))
	b.dnp3CRCField(dnp3HdrCRC, d[:8], off+8)
	b.close()

	// Reset Link, Link Status, Status of Link and ACK carry no user data.
	if fn == 0 || fn == 9 || fn == 11 {
		b.close()
		return
	}
	if n <= dnp3HdrLen {
		if dlLen > 5 {
			b.malformed("DNP 3.0", off+n, "the user data is missing")
		}
		b.close()
		return
	}
	tr := d[dnp3HdrLen]
	trSeq, fir, fin := tr&0x3f, tr&0x40 != 0, tr&0x80 != 0
	var trText strings.Builder
	fmt.Fprintf(&trText, "Transport Control: 0x%02x", tr)
	if fin {
		trText.WriteString(", Final")
	}
	if fir {
		trText.WriteString(", First")
	}
	trText.WriteString("(")
	if fir {
		trText.WriteString("FIR, ")
	}
	if fin {
		trText.WriteString("FIN, ")
	}
	fmt.Fprintf(&trText, "Sequence %d)", trSeq)
	b.open(fDNP3TrCtl, off+dnp3HdrLen, 1).U = uint64(tr)
	b.last().Text = trText.String()
	b.addU(fDNP3TrFin, off+dnp3HdrLen, 1, uint64(tr>>7))
	b.addU(fDNP3TrFir, off+dnp3HdrLen, 1, uint64(tr>>6&1))
	b.addU(fDNP3TrSeq, off+dnp3HdrLen, 1, uint64(trSeq))
	b.close()

	// the user data, CRCs checked chunk by chunk
	userLen := int(dlLen) - 5
	al := make([]byte, 0, max(userLen-1, 0))
	p := dnp3HdrLen
	crcOK := false
	chunks := b.mark()
	b.open(fDNP3Chunks, off+p, 0)
	for i := 0; userLen > 0; i++ {
		size := min(userLen, 16)
		if p+size+2 > n {
			b.close()
			b.malformed("DNP 3.0", off+p, fmt.Sprintf("data chunk %d is cut short", i))
			b.close()
			return
		}
		b.open(fDNP3ChunkN, off+p, size+2).Text = fmt.Sprintf("Data Chunk: %d", i)
		b.addB(fDNP3Chunk, off+p, size)
		b.addU(fDNP3ChunkLen, off+p, 0, uint64(size)).Generated = true
		chunk := d[p : p+size]
		if i == 0 {
			al = append(al, chunk[1:]...)
		} else {
			al = append(al, chunk...)
		}
		crcOK = b.dnp3CRCField(dnp3ChunkCRC, chunk, off+p+size)
		b.close()
		p += size + 2
		userLen -= size
		if !crcOK {
			break // packet-dnp.c trusts nothing after a bad chunk
		}
	}
	b.close()
	b.at(chunks).Length = int32(p - dnp3HdrLen)
	if !crcOK {
		b.close()
		return
	}
	msg, frags, complete := b.dnp3Reassemble(idx, src, dst, trSeq, fir, fin, al)
	if !complete {
		b.dnp3Info("", fmt.Sprintf(" (Application Layer Unreassembled fragment %d)", trSeq))
		if len(al) > 0 {
			f := b.add(fDNP3FragData, off+dnp3HdrLen+1, len(al))
			f.B = al
			f.Offset, f.Length = 0, 0
		}
		b.close()
		return
	}
	total := 0
	var list strings.Builder
	for i, fr := range frags {
		if i > 0 {
			list.WriteString(", ")
		}
		fmt.Fprintf(&list, "#%d(%d)", fr.frame, fr.n)
		total += fr.n
	}
	b.open(fDNP3Frags, 0, 0).Text = fmt.Sprintf("[%d DNP 3.0 AL Fragment%s (%d bytes): %s]", len(frags), plural(len(frags), "", "s"), total, list.String())
	at := 0
	for _, fr := range frags {
		f := b.addU(fDNP3Frag, 0, 0, uint64(fr.frame))
		f.Text = fmt.Sprintf("[Frame: %d, payload: %d-%d (%d bytes)]", fr.frame, at, at+fr.n-1, fr.n)
		at += fr.n
	}
	b.addU(fDNP3FragCount, 0, 0, uint64(len(frags))).Generated = true
	b.addU(fDNP3FragLen, 0, 0, uint64(total)).Generated = true
	b.close()
	if len(msg) < 2 {
		b.malformed("DNP 3.0", off+dnp3HdrLen, "application layer shorter than its header")
		b.close()
		return
	}
	// The application layer reads the reassembled bytes: its fields
	// point into no frame.
	saved := b.data
	from := b.mark()
	b.data = msg
	b.dnp3AL()
	b.data = saved
	for i := from; i < b.mark(); i++ {
		if f := b.at(i); f != &b.scratch && f.Def != fMalformed {
			f.Offset, f.Length = 0, 0
		}
	}
	b.close()
}

// dnp3CRCField adds a CRC over data stored at off and reports whether it
// may be trusted (good, or not checked).
func (b *builder) dnp3CRCField(cd *checksumDefs, data []byte, off int) bool {
	value := uint32(binary.LittleEndian.Uint16(b.data[off:]))
	if !b.validates(dnp3Csum) {
		b.addChecksum(cd, off, 2, value, 0, StatusUnverified, reasonDisabled)
		return true
	}
	calc := uint32(dnp3CRC(data))
	st := StatusGood
	if calc != value {
		st = StatusBad
	}
	b.addChecksum(cd, off, 2, value, calc, st, "")
	return st == StatusGood
}

type dnp3Frag struct {
	frame, n int
}

// Bounds of application-layer reassembly, packet-dnp.c's: 60 transport
// segments, and so at most 60*249 bytes, per message.
const (
	dnp3MaxFrags  = 60
	dnp3MaxSeries = 64 // partial messages kept per conversation
)

// dnp3Reassemble joins transport segments into an application fragment
// as packet-dnp.c's fragment_add_seq_single does on tshark's single pass:
// a segment with FIR starts a message, the next sequence numbers extend
// it, FIN completes it. State is kept per conversation and link address
// pair on the in-order pass, and each frame's outcome memoized.
func (b *builder) dnp3Reassemble(idx int, src, dst uint16, seq uint8, fir, fin bool, al []byte) ([]byte, []dnp3Frag, bool) {
	self := dnp3Frag{b.fr.Number, len(al)}
	if fir && fin {
		return al, []dnp3Frag{self}, true
	}
	memo := b.appInfo(fmt.Sprintf("dnp3/%d", idx), func(c *appConv, dir int) string {
		key := fmt.Sprintf("%d/%d/%d", dir, src, dst)
		prev, had := c.vals[key]
		delete(c.vals, key)
		var series []byte
		switch {
		case fir:
			series = dnp3AppendFrag(nil, seq, self, al)
		case had && len(prev) > 0 && (prev[0]+1)&0x3f == seq && int(prev[1]) < dnp3MaxFrags:
			series = dnp3AppendFrag([]byte(prev), seq, self, al)
		default:
			return ""
		}
		if fin {
			return string(series)
		}
		if len(c.vals) < dnp3MaxSeries {
			c.vals[key] = string(series)
		}
		return ""
	})
	if memo == "" {
		return nil, nil, false
	}
	return dnp3SplitSeries(memo)
}

// A series is encoded as: last sequence number, fragment count, each
// fragment's frame number (4 bytes) and length (2), then the bytes.
func dnp3AppendFrag(series []byte, seq uint8, fr dnp3Frag, al []byte) []byte {
	if len(series) < 2 {
		series = []byte{0, 0}
	}
	nf := int(series[1])
	head := 2 + 6*nf
	out := make([]byte, 0, len(series)+6+len(al))
	out = append(out, seq, byte(nf+1))
	out = append(out, series[2:head]...)
	out = binary.BigEndian.AppendUint32(out, uint32(fr.frame))
	out = binary.BigEndian.AppendUint16(out, uint16(fr.n))
	out = append(out, series[head:]...)
	return append(out, al...)
}

func dnp3SplitSeries(s string) ([]byte, []dnp3Frag, bool) {
	if len(s) < 2 {
		return nil, nil, false
	}
	nf := int(s[1])
	head := 2 + 6*nf
	if len(s) < head {
		return nil, nil, false
	}
	frags := make([]dnp3Frag, nf)
	for i := range frags {
		r := s[2+6*i:]
		frags[i] = dnp3Frag{int(binary.BigEndian.Uint32([]byte(r[:4]))), int(binary.BigEndian.Uint16([]byte(r[4:6])))}
	}
	return []byte(s[head:]), frags, true
}

func dnp3ALFlags(ctl uint8) string {
	var sb strings.Builder
	for i, n := range [4]string{"FIR, ", "FIN, ", "CON, ", "UNS, "} {
		if ctl&(0x80>>i) != 0 {
			sb.WriteString(n)
		}
	}
	fmt.Fprintf(&sb, "Sequence %d", ctl&0x0f)
	return sb.String()
}

// dnp3AL dissects the application fragment in b.data.
func (b *builder) dnp3AL() {
	d := b.data
	ctl, fn := d[0], d[1]
	fnName := dnp3FuncName(fn)
	b.dnp3Clear()
	b.dnp3Info(", ", fnName)
	if b.ds.Summary {
		b.fence = len(b.info)
	}
	b.open(fDNP3AL, 0, len(d)).Text = fmt.Sprintf("Application Layer: (%s, %s)", dnp3ALFlags(ctl), fnName)
	var ctlText strings.Builder
	fmt.Fprintf(&ctlText, "Application Control: 0x%02x", ctl)
	for i, n := range [4]string{", First", ", Final", ", Confirm", ", Unsolicited"} {
		if ctl&(0x80>>i) != 0 {
			ctlText.WriteString(n)
		}
	}
	b.open(fDNP3ALCtl, 0, 1).U = uint64(ctl)
	b.last().Text = ctlText.String() + "(" + dnp3ALFlags(ctl) + ")"
	b.addU(fDNP3ALFir, 0, 1, uint64(ctl>>7))
	b.addU(fDNP3ALFin, 0, 1, uint64(ctl>>6&1))
	b.addU(fDNP3ALCon, 0, 1, uint64(ctl>>5&1))
	b.addU(fDNP3ALUns, 0, 1, uint64(ctl>>4&1))
	b.addU(fDNP3ALSeq, 0, 1, uint64(ctl&0x0f))
	b.close()
	b.addU(fDNP3Func, 1, 1, uint64(fn))
	off := 2
	title := ""
	headerOnly := false
	switch fn {
	case 0:
		title, headerOnly = "CONFIRM Data Objects", true
	case 1:
		title, headerOnly = "READ Request Data Objects", true
	case 2:
		title = "WRITE Request Data Objects"
	case 3:
		title = "SELECT Request Data Objects"
	case 4:
		title = "OPERATE Request Data Objects"
	case 5, 6:
		title = "DIRECT OPERATE Request Data Objects"
	case 7, 8, 9, 10:
		title, headerOnly = "Freeze Request Data Objects", true
	case 20:
		title = "Enable Spontaneous Msg's Data Objects"
	case 21:
		title = "Disable Spontaneous Msg's Data Objects"
	case 25, 26, 27:
		title = "File Data Objects"
	case 32, 33:
		title = "Authentication Request Data Objects"
	case 129, 130, 131:
		if len(d) < 4 {
			b.malformed("DNP 3.0", 2, "response without its internal indications")
			b.close()
			return
		}
		iin := binary.BigEndian.Uint16(d[2:])
		b.open(fDNP3IIN, 2, 2).U = uint64(iin)
		iinText := fmt.Sprintf("Internal Indications: 0x%04x", iin)
		for _, def := range fDNP3IINBits {
			if uint64(iin)&def.Bitmask != 0 {
				iinText += ", " + def.Label
			}
		}
		b.last().Text = iinText
		for _, def := range fDNP3IINBits {
			v := uint64(0)
			if uint64(iin)&def.Bitmask != 0 {
				v = 1
			}
			b.addU(def, 2, 2, v)
		}
		b.close()
		off = 4
		if len(d) > 4 {
			title = "RESPONSE Data Objects"
		}
	}
	if title == "" || (fn == 0 && len(d) <= 2) {
		b.close()
		return
	}
	b.open(fDNP3Objects, off, len(d)-off).Text = title
	var class uint8
	for off+2 <= len(d) {
		obj, next, ok := b.dnp3Object(off, headerOnly)
		switch {
		case fn == 1 && obj>>8 == 60 && obj&0xff >= 1 && obj&0xff <= 4:
			class |= 1 << (obj&0xff - 1)
		case fn == 1:
			b.dnp3Info(", ", dnp3ObjType(dnp3ReadObjs, obj))
		case fn == 2:
			b.dnp3Info(", ", dnp3ObjType(dnp3WriteObjs, obj))
		}
		if !ok {
			break
		}
		off = next
	}
	if class != 0 {
		s := "Class "
		for i := 0; i < 4; i++ {
			if class&(1<<i) != 0 {
				s += fmt.Sprint(i)
			}
		}
		b.dnp3Info(", ", s)
	}
	b.close()
	b.close()
}

func dnp3ObjType(m map[uint8]string, obj uint16) string {
	if s, ok := m[uint8(obj>>8)]; ok {
		return s
	}
	return "Unknown Object Type"
}

// dnp3Layout is how one point of an object is laid out after its prefix.
type dnp3Layout struct {
	kind    byte // 'e' empty, 'b' packed bits, '2' packed two bits, 'f' flags only, 'v' value, 't' time, 'c' CROB, 's' octet string, 'd' delay, 'x' command status
	quality byte // which quality flags ('b', 'o', 'c', 'a', 'p'; 0 none)
	twoBit  bool // double-bit state in the flags' top bits
	value   *FieldDef
	size    int  // value bytes
	float   bool // value is IEEE 754
	status  bool // a control status byte follows the value
	time    int  // bytes of time after the value: 6 absolute, 2 relative
}

func dnp3PointLayout(obj uint16) (dnp3Layout, bool) {
	g, v := uint8(obj>>8), uint8(obj)
	if v == 0 || g == 60 {
		return dnp3Layout{kind: 'e'}, true
	}
	// analog value variations shared by groups 30-33 and 40-43
	type av struct {
		flag  bool
		size  int
		float bool
		time  int
	}
	pick := func(vs []av, q byte, def, fdef, ddef *FieldDef, status bool) (dnp3Layout, bool) {
		if int(v) > len(vs) {
			return dnp3Layout{}, false
		}
		a := vs[v-1]
		l := dnp3Layout{kind: 'v', size: a.size, float: a.float, time: a.time, value: def, status: status}
		if a.flag {
			l.quality = q
		}
		if a.float {
			l.value = fdef
			if a.size == 8 {
				l.value = ddef
			}
		}
		return l, true
	}
	ctr := []av{{true, 4, false, 0}, {true, 2, false, 0}, {true, 4, false, 0}, {true, 2, false, 0},
		{false, 4, false, 0}, {false, 2, false, 0}, {false, 4, false, 0}, {false, 2, false, 0}}
	ctrT := []av{{true, 4, false, 0}, {true, 2, false, 0}, {true, 4, false, 0}, {true, 2, false, 0},
		{true, 4, false, 6}, {true, 2, false, 6}, {true, 4, false, 6}, {true, 2, false, 6},
		{false, 4, false, 0}, {false, 2, false, 0}, {false, 4, false, 0}, {false, 2, false, 0}}
	evt := []av{{true, 4, false, 0}, {true, 2, false, 0}, {true, 4, false, 6}, {true, 2, false, 6},
		{true, 4, true, 0}, {true, 8, true, 0}, {true, 4, true, 6}, {true, 8, true, 6}}
	switch g {
	case 1:
		switch v {
		case 1:
			return dnp3Layout{kind: 'b'}, true
		case 2:
			return dnp3Layout{kind: 'f', quality: 'b'}, true
		}
	case 2:
		switch v {
		case 1:
			return dnp3Layout{kind: 'f', quality: 'b'}, true
		case 2:
			return dnp3Layout{kind: 'f', quality: 'b', time: 6}, true
		case 3:
			return dnp3Layout{kind: 'f', quality: 'b', time: 2}, true
		}
	case 3:
		switch v {
		case 1:
			return dnp3Layout{kind: '2'}, true
		case 2:
			return dnp3Layout{kind: 'f', quality: 'b', twoBit: true}, true
		}
	case 4:
		if v <= 3 {
			return dnp3Layout{kind: 'f', quality: 'b', twoBit: true, time: [4]int{0, 0, 6, 2}[v]}, true
		}
	case 10:
		switch v {
		case 1:
			return dnp3Layout{kind: 'b'}, true
		case 2:
			return dnp3Layout{kind: 'f', quality: 'o'}, true
		}
	case 11:
		switch v {
		case 1:
			return dnp3Layout{kind: 'f', quality: 'o'}, true
		case 2:
			return dnp3Layout{kind: 'f', quality: 'o', time: 6}, true
		}
	case 12:
		switch v {
		case 1, 2:
			return dnp3Layout{kind: 'c'}, true
		case 3:
			return dnp3Layout{kind: 'b'}, true
		}
	case 13:
		if v <= 2 {
			return dnp3Layout{kind: 'x', time: [3]int{0, 0, 6}[v]}, true
		}
	case 20:
		return pick(ctr, 'c', fDNP3Cnt, nil, nil, false)
	case 21:
		return pick(ctrT, 'c', fDNP3Cnt, nil, nil, false)
	case 22, 23:
		return pick(ctrT[:8], 'c', fDNP3Cnt, nil, nil, false)
	case 30:
		return pick([]av{{true, 4, false, 0}, {true, 2, false, 0}, {false, 4, false, 0}, {false, 2, false, 0},
			{true, 4, true, 0}, {true, 8, true, 0}}, 'a', fDNP3AnaInt, fDNP3AnaFlt, fDNP3AnaDbl, false)
	case 31:
		return pick([]av{{true, 4, false, 0}, {true, 2, false, 0}, {true, 4, false, 6}, {true, 2, false, 6},
			{false, 4, false, 0}, {false, 2, false, 0}, {true, 4, true, 0}, {true, 8, true, 0}}, 'a', fDNP3AnaInt, fDNP3AnaFlt, fDNP3AnaDbl, false)
	case 32, 33:
		return pick(evt, 'a', fDNP3AnaInt, fDNP3AnaFlt, fDNP3AnaDbl, false)
	case 34:
		return pick([]av{{false, 2, false, 0}, {false, 4, false, 0}, {false, 4, true, 0}}, 0, fDNP3AnaInt, fDNP3AnaFlt, fDNP3AnaDbl, false)
	case 40:
		return pick([]av{{true, 4, false, 0}, {true, 2, false, 0}, {true, 4, true, 0}, {true, 8, true, 0}}, 'p', fDNP3AOInt, fDNP3AOFlt, fDNP3AODbl, false)
	case 41:
		return pick([]av{{false, 4, false, 0}, {false, 2, false, 0}, {false, 4, true, 0}, {false, 8, true, 0}}, 0, fDNP3AOInt, fDNP3AOFlt, fDNP3AODbl, true)
	case 42:
		return pick(evt, 'p', fDNP3AOInt, fDNP3AOFlt, fDNP3AODbl, false)
	case 50:
		if v <= 4 {
			return dnp3Layout{kind: 't', size: [5]int{0, 6, 10, 6, 11}[v]}, true
		}
	case 51:
		if v <= 2 {
			return dnp3Layout{kind: 't', size: 6}, true
		}
	case 52:
		if v <= 2 {
			return dnp3Layout{kind: 'd', size: 2}, true
		}
	case 80:
		if v == 1 {
			return dnp3Layout{kind: 'b'}, true
		}
	case 110, 111:
		return dnp3Layout{kind: 's', size: int(v)}, true
	}
	return dnp3Layout{}, false
}

func dnp3LE(d []byte) uint64 {
	var u uint64
	for i := len(d) - 1; i >= 0; i-- {
		u = u<<8 | uint64(d[i])
	}
	return u
}

// dnp3TimeText is abs_time_to_str without the zone, as point lines show
// a time.
func dnp3TimeText(ns int64) string {
	return strings.TrimSuffix(formatAbs(ns), " UTC")
}

// dnp3Object dissects the object header at off and its points; it
// returns the object, where the next one starts, and whether dissection
// may go on (false after an unknown object or a short one).
func (b *builder) dnp3Object(off int, headerOnly bool) (uint16, int, bool) {
	d := b.data
	obj := binary.BigEndian.Uint16(d[off:])
	g := uint8(obj >> 8)
	name, known := dnp3ObjNames[uint64(obj)]
	if g == 110 || g == 111 {
		name, known = dnp3ObjNames[uint64(obj&0xff00)]
	}
	if !known {
		name = "Unknown Object\\Variation"
		if g == 0 {
			name = "Unknown group 0 Variation"
		}
	}
	objText := fmt.Sprintf("Object(s): %s (0x%04x)", name, obj)
	if g == 110 || g == 111 {
		objText += fmt.Sprintf(", Length: %d", obj&0xff)
	}
	objIdx := b.mark()
	b.open(fDNP3Obj, off, 2).U = uint64(obj)
	b.last().Text = objText
	short := func(at int) (uint16, int, bool) {
		b.close()
		b.malformed("DNP 3.0", at, "object "+name+" is cut short")
		return obj, len(d), false
	}
	if off+3 > len(d) {
		return short(off + 2)
	}
	q := d[off+2]
	prefix, rng := q>>4&7, q&0x0f
	b.open(fDNP3Qual, off+2, 1).Text = fmt.Sprintf("Qualifier Field, Prefix: %s, Range: %s",
		dnp3Name(dnp3Prefixes, prefix, "Unknown Prefix Type"), dnp3Name(dnp3Ranges, rng, "Unknown Range Type"))
	b.addU(fDNP3Prefix, off+2, 1, uint64(prefix))
	b.addU(fDNP3Range, off+2, 1, uint64(rng))
	b.close()
	p := off + 3
	var num int64
	var addr uint64
	rangeBytes := [16]int{2, 4, 8, 1, 2, 4, 0, 1, 2, 4, 0, 1}[rng]
	if p+rangeBytes > len(d) {
		return short(p)
	}
	w := rangeBytes
	items := b.mark()
	b.open(fDNP3Items, p, 0)
	switch rng {
	case 0, 1, 2:
		w = rangeBytes / 2
		start, stop := dnp3LE(d[p:p+w]), dnp3LE(d[p+w:p+2*w])
		num = int64(stop) - int64(start) + 1
		if w == 4 {
			num = int64(int32(uint32(stop) - uint32(start) + 1))
		}
		addr = start
		b.at(items).Generated = true
		b.addW(fDNP3RStart, p, w, start)
		b.addW(fDNP3RStop, p+w, w, stop)
	case 3, 4, 5:
		num = 1
		addr = dnp3LE(d[p : p+w])
		b.at(items).Generated = true
		b.addW(fDNP3RAbs, p, w, addr)
	case 7, 8, 9, 11:
		num = int64(dnp3LE(d[p : p+w]))
		if w == 4 {
			num = int64(int32(uint32(num)))
		}
		b.at(items).Length = int32(w)
		b.addW(fDNP3RQuant, p, w, uint64(num))
	}
	b.close()
	itemsText := fmt.Sprintf("Number of Items: %d", num)
	if b.at(items).Generated {
		itemsText = "[" + itemsText + "]"
	}
	if num > 0 {
		b.at(objIdx).Text = fmt.Sprintf("%s, %d point%s", objText, num, plural(int(num), "", "s"))
	}
	if num < 0 {
		b.at(items).Text = "[Number of Items: " + fmt.Sprint(num) + " (bogus)]"
		b.close()
		return obj, len(d), false
	}
	b.at(items).Text = itemsText
	p += rangeBytes

	lay, layoutKnown := dnp3PointLayout(obj)
	if headerOnly && prefix == 0 || num == 0 {
		b.close()
		return obj, p, true
	}
	if lay.kind == 'e' {
		// an "empty" object with points is bogus (possibly malicious)
		b.at(items).Text = strings.TrimSuffix(itemsText, "]") + " (bogus)" + map[bool]string{true: "]"}[b.at(items).Generated]
		b.close()
		return obj, p, true
	}
	values := !headerOnly || prefix >= 4
	if values && !layoutKnown {
		if p < len(d) {
			b.addB(fDNP3Unknown, p, len(d)-p)
		}
		b.close()
		return obj, len(d), false
	}
	bit := 0
	for item := int64(0); item < num; item++ {
		pw := [8]int{0, 1, 2, 4, 1, 2, 4, 0}[prefix]
		if p+pw > len(d) {
			return short(p)
		}
		pt := b.mark()
		b.open(fDNP3Point, p, pw)
		switch {
		case prefix == 0:
			b.addU(fDNP3PtIndex, p, 0, addr).Generated = true
		case prefix <= 3:
			addr = dnp3LE(d[p : p+pw])
			b.addW(fDNP3Index, p, pw, addr)
		default:
			addr = dnp3LE(d[p : p+pw])
			b.addW(fDNP3Size, p, pw, addr)
		}
		label := fmt.Sprintf("Point Number %d", addr)
		if prefix >= 4 {
			label = fmt.Sprintf("Object: Size %d", addr)
		}
		p += pw
		if !values {
			b.at(pt).Text = label
			b.close()
			addr++
			continue
		}
		need := 0
		switch lay.kind {
		case 'b', '2', 'f', 'x':
			need = 1
		case 'c':
			need = 11
		}
		if lay.quality != 0 && lay.kind == 'v' {
			need++
		}
		if lay.status {
			need++
		}
		need += lay.size + lay.time
		if p+need > len(d) {
			b.at(pt).Text = label
			b.close()
			return short(p)
		}
		text := label
		q := p
		quality := func(kind byte) {
			flags := d[q]
			qt := qualityText(flags, kind)
			text += " (Quality: " + qt + ")"
			b.open(fDNP3Quality, q, 1).Text = "Quality: " + qt
			for i, def := range dnp3Quality[kind] {
				if i == 1 && lay.twoBit {
					b.addU(fDNP3TwoBit, q, 1, uint64(flags>>6))
					continue
				}
				if i == 0 && lay.twoBit {
					continue
				}
				b.addU(def, q, 1, uint64(flags>>(7-i)&1))
			}
			b.close()
			q++
		}
		timeAt := func() {
			switch lay.time {
			case 6:
				ns := int64(dnp3LE(d[q:q+6])) * 1e6
				b.addU(fDNP3Time, q, 6, uint64(ns))
				text += ", Timestamp: " + dnp3TimeText(ns)
			case 2:
				b.addU(fDNP3RelTime, q, 2, uint64(int64(dnp3LE(d[q:q+2]))*1e6))
			}
			q += lay.time
		}
		switch lay.kind {
		case 'b':
			v := d[q]
			val := uint64(0)
			if prefix != 0 {
				val = uint64(v & 1)
				bit = 7
			} else {
				val = uint64(v >> bit & 1)
			}
			text += fmt.Sprintf(", Value: %d", val)
			b.addU(fDNP3Bit, q, 1, val)
			bit++
			if bit > 7 || item == num-1 {
				bit = 0
				q++
			}
		case '2':
			v := d[q]
			two := uint64(v >> (bit * 2) & 3)
			text += ", State: " + dnp3Name(dnp3TwoBits, uint8(two), "Unknown double bit state")
			b.addU(fDNP3TwoBit, q, 1, two)
			bit++
			if bit > 3 || item == num-1 {
				bit = 0
				q++
			}
		case 'f':
			flags := d[q]
			quality(lay.quality)
			if lay.twoBit {
				text += ", State: " + dnp3TwoBits[uint64(flags>>6)]
			} else {
				text += fmt.Sprintf(", Value: %d", flags>>7)
			}
			timeAt()
		case 'v':
			if lay.quality != 0 {
				quality(lay.quality)
			}
			raw := d[q : q+lay.size]
			f := b.add(lay.value, q, lay.size)
			f.Aux = uint64(lay.size * 8)
			switch {
			case lay.float && lay.size == 4:
				f.SetFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(raw))))
				text += fmt.Sprintf(", Value: %g", f.Float())
			case lay.float:
				f.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(raw)))
				text += fmt.Sprintf(", Value: %g", f.Float())
			case lay.value == fDNP3Cnt:
				f.U = dnp3LE(raw)
				text += fmt.Sprintf(", Value: %d", f.U)
			case lay.size == 2:
				f.U = uint64(int64(int16(binary.LittleEndian.Uint16(raw))))
				text += fmt.Sprintf(", Value: %d", int64(f.U))
			default:
				f.U = uint64(int64(int32(binary.LittleEndian.Uint32(raw))))
				text += fmt.Sprintf(", Value: %d", int64(f.U))
			}
			q += lay.size
			if lay.status {
				b.addU(fDNP3CtlStat, q, 1, uint64(d[q]&0x7f))
				q++
			}
			timeAt()
		case 'x':
			st := uint64(d[q] & 0x7f)
			text += fmt.Sprintf(" [Status: %s (0x%02x)]", dnp3Name(dnp3CtlStatus, uint8(st), "Invalid Status"), st)
			b.addU(fDNP3CtlStat, q, 1, st)
			q++
			timeAt()
		case 'c':
			code := d[q]
			text += fmt.Sprintf(" [%s] [%s]", dnp3Name(dnp3CtlOps, code&0x0f, "Invalid Operation"), dnp3Name(dnp3CtlTrip, code>>6, "Invalid Qualifier"))
			b.open(fDNP3CtlCode, q, 1).Text = fmt.Sprintf("Control Code [0x%02x]", code)
			b.addU(fDNP3CtlOp, q, 1, uint64(code&0x0f))
			b.addU(fDNP3CtlClr, q, 1, uint64(code>>4&3))
			b.addU(fDNP3CtlTrip, q, 1, uint64(code>>6))
			b.close()
			b.addU(fDNP3Count, q+1, 1, uint64(d[q+1]))
			b.addU(fDNP3OnTime, q+2, 4, uint64(binary.LittleEndian.Uint32(d[q+2:])))
			b.addU(fDNP3OffTime, q+6, 4, uint64(binary.LittleEndian.Uint32(d[q+6:])))
			b.addU(fDNP3CtlStat, q+10, 1, uint64(d[q+10]&0x7f))
			q += 11
		case 't':
			// the time belongs to the object, after the point
			b.at(pt).Text = text
			b.close()
			ns := int64(dnp3LE(d[q:q+6])) * 1e6
			b.addU(fDNP3Time, q, 6, uint64(ns))
			q += lay.size
			p = q
			addr++
			continue
		case 'd':
			b.addU(fDNP3Delay, q, 2, uint64(binary.LittleEndian.Uint16(d[q:])))
			q += 2
		case 's':
			b.addB(fDNP3Octets, q, lay.size)
			q += lay.size
		}
		b.at(pt).Text = text
		b.at(pt).Length = int32(q - (p - pw))
		b.close()
		p = q
		addr++
	}
	b.close()
	return obj, p, true
}

func dnp3Name(m map[uint64]string, v uint8, unknown string) string {
	if s, ok := m[uint64(v)]; ok {
		return s
	}
	return fmt.Sprintf("%s (0x%02x)", unknown, v)
}

// qualityText lists a point's quality flags as packet-dnp.c does.
func qualityText(flags, kind byte) string {
	s := "Offline"
	if flags&1 != 0 {
		s = "Online"
	}
	for i, n := range []string{", Restart", ", Comm Fail", ", Remote Force", ", Local Force"} {
		if flags&(2<<i) != 0 {
			s += n
		}
	}
	switch kind {
	case 'b':
		if flags&0x20 != 0 {
			s += ", Chatter Filter"
		}
	case 'a':
		if flags&0x20 != 0 {
			s += ", Over-Range"
		}
		if flags&0x40 != 0 {
			s += ", Reference Check"
		}
	case 'c':
		if flags&0x20 != 0 {
			s += ", Roll-over"
		}
		if flags&0x40 != 0 {
			s += ", Discontinuity"
		}
	}
	return s
}

var (
	dnp3TCPPayload = newPayload("dnp3", "Distributed Network Protocol 3.0", dissectDNP3TCP)
	dnp3UDPPayload = newPayload("dnp3.udp", "Distributed Network Protocol 3.0 over UDP", dissectDNP3UDP)
)

var _ = func() bool {
	tcpPorts.register(20000, dnp3TCPPayload)
	udpPorts.register(20000, dnp3UDPPayload)
	tcpReassemblers[dnp3TCPPayload] = tcpReassembler{dnp3PDULen, func([]byte) (string, bool) { return "", false }}
	return true
}()
