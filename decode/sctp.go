package decode

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/wirelens/wirelens/prefs"
)

// SCTPChecksum is the kind of checksum expected in SCTP common headers
// (Wireshark's sctp.checksum preference), in Wireshark's order.
type SCTPChecksum uint8

// The values of SCTPChecksum.
const (
	SCTPNone SCTPChecksum = iota
	SCTPAdler32
	SCTPCRC32c
	SCTPAutomatic
)

var (
	fSCTP        = Register(FieldDef{Name: "sctp", Label: "Stream Control Transmission Protocol", Type: FTProtocol})
	fSCTPSrcPort = Register(FieldDef{Name: "sctp.srcport", Label: "Source port", Type: FTUint})
	fSCTPDstPort = Register(FieldDef{Name: "sctp.dstport", Label: "Destination port", Type: FTUint})
	fSCTPPort    = Register(FieldDef{Name: "sctp.port", Label: "Port", Type: FTUint})
	fSCTPVTag    = Register(FieldDef{Name: "sctp.verification_tag", Label: "Verification tag", Type: FTUint, Base: BaseHex, Bits: 32})
	// Wireshark numbers associations only with a preference wirelens does
	// not have; it then shows this placeholder with the value 65535.
	fSCTPAssoc = Register(FieldDef{Name: "sctp.assoc_index", Label: "Association index", Type: FTUint,
		Display: func(*Field) string { return "[Association index: disabled (enable in preferences)]" }})

	fSCTPChunk      = Register(FieldDef{Name: "sctp.chunk", Label: "Chunk", Type: FTNone})
	fSCTPChunkType  = Register(FieldDef{Name: "sctp.chunk_type", Label: "Chunk type", Type: FTUint, Values: sctpChunkNames, Display: nameFirstLine})
	fSCTPChunkBit1  = Register(FieldDef{Name: "sctp.chunk_bit_1", Label: "Bit", Type: FTBool, Bits: 8, Bitmask: 0x80, Display: tfLine("Skip chunk and continue processing of the packet", "Stop processing of the packet")})
	fSCTPChunkBit2  = Register(FieldDef{Name: "sctp.chunk_bit_2", Label: "Bit", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: tfLine("Do report", "Do not report")})
	fSCTPChunkFlags = Register(FieldDef{Name: "sctp.chunk_flags", Label: "Chunk flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fSCTPChunkLen   = Register(FieldDef{Name: "sctp.chunk_length", Label: "Chunk length", Type: FTUint})
	fSCTPChunkPad   = Register(FieldDef{Name: "sctp.chunk_padding", Label: "Chunk padding", Type: FTBytes})
	fSCTPChunkValue = Register(FieldDef{Name: "sctp.chunk_value", Label: "Chunk value", Type: FTBytes})

	fSCTPInitTag     = Register(FieldDef{Name: "sctp.init_initiate_tag", Label: "Initiate tag", Type: FTUint, Base: BaseHex, Bits: 32})
	fSCTPInitCredit  = Register(FieldDef{Name: "sctp.init_credit", Label: "Advertised receiver window credit (a_rwnd)", Type: FTUint})
	fSCTPInitOut     = Register(FieldDef{Name: "sctp.init_nr_out_streams", Label: "Number of outbound streams", Type: FTUint})
	fSCTPInitIn      = Register(FieldDef{Name: "sctp.init_nr_in_streams", Label: "Number of inbound streams", Type: FTUint})
	fSCTPInitTSN     = Register(FieldDef{Name: "sctp.init_initial_tsn", Label: "Initial TSN", Type: FTUint})
	fSCTPInitAckTag  = Register(FieldDef{Name: "sctp.initack_initiate_tag", Label: "Initiate tag", Type: FTUint, Base: BaseHex, Bits: 32})
	fSCTPInitAckCred = Register(FieldDef{Name: "sctp.initack_credit", Label: "Advertised receiver window credit (a_rwnd)", Type: FTUint})
	fSCTPInitAckOut  = Register(FieldDef{Name: "sctp.initack_nr_out_streams", Label: "Number of outbound streams", Type: FTUint})
	fSCTPInitAckIn   = Register(FieldDef{Name: "sctp.initack_nr_in_streams", Label: "Number of inbound streams", Type: FTUint})
	fSCTPInitAckTSN  = Register(FieldDef{Name: "sctp.initack_initial_tsn", Label: "Initial TSN", Type: FTUint})
	fSCTPCookie      = Register(FieldDef{Name: "sctp.cookie", Label: "Cookie", Type: FTBytes})

	fSCTPDataI    = Register(FieldDef{Name: "sctp.data_i_bit", Label: "I-Bit", Type: FTBool, Bits: 8, Bitmask: 0x08, Display: tfLine("Send SACK immediately", "Possibly delay SACK")})
	fSCTPDataU    = Register(FieldDef{Name: "sctp.data_u_bit", Label: "U-Bit", Type: FTBool, Bits: 8, Bitmask: 0x04, Display: tfLine("Unordered delivery", "Ordered delivery")})
	fSCTPDataB    = Register(FieldDef{Name: "sctp.data_b_bit", Label: "B-Bit", Type: FTBool, Bits: 8, Bitmask: 0x02, Display: tfLine("First segment", "Subsequent segment")})
	fSCTPDataE    = Register(FieldDef{Name: "sctp.data_e_bit", Label: "E-Bit", Type: FTBool, Bits: 8, Bitmask: 0x01, Display: tfLine("Last segment", "Not the last segment")})
	fSCTPDataTSN  = Register(FieldDef{Name: "sctp.data_tsn", Label: "Transmission sequence number (relative)", Type: FTUint})
	fSCTPDataTSNr = Register(FieldDef{Name: "sctp.data_tsn_raw", Label: "Transmission sequence number (absolute)", Type: FTUint})
	fSCTPDataSID  = Register(FieldDef{Name: "sctp.data_sid", Label: "Stream identifier", Type: FTUint, Base: BaseHex, Bits: 16})
	fSCTPDataSSN  = Register(FieldDef{Name: "sctp.data_ssn", Label: "Stream sequence number", Type: FTUint})
	fSCTPDataPPID = Register(FieldDef{Name: "sctp.data_payload_proto_id", Label: "Payload protocol identifier", Type: FTUint, Values: sctpPPIDNames, Display: nameFirstLine})

	fSCTPSackNonce  = Register(FieldDef{Name: "sctp.sack_nounce_sum", Label: "Nounce sum", Type: FTUint, Bits: 8, Bitmask: 0x01, Display: bitLine})
	fSCTPSackCumRaw = Register(FieldDef{Name: "sctp.sack_cumulative_tsn_ack_raw", Label: "Cumulative TSN ACK (absolute)", Type: FTUint})
	fSCTPSackRwnd   = Register(FieldDef{Name: "sctp.sack_a_rwnd", Label: "Advertised receiver window credit (a_rwnd)", Type: FTUint})
	fSCTPSackNGaps  = Register(FieldDef{Name: "sctp.sack_number_of_gap_blocks", Label: "Number of gap acknowledgement blocks", Type: FTUint})
	fSCTPSackNDups  = Register(FieldDef{Name: "sctp.sack_number_of_duplicated_tsns", Label: "Number of duplicated TSNs", Type: FTUint})
	fSCTPSackStart  = Register(FieldDef{Name: "sctp.sack_gap_block_start", Label: "Start", Type: FTUint})
	fSCTPSackEnd    = Register(FieldDef{Name: "sctp.sack_gap_block_end", Label: "End", Type: FTUint})
	fSCTPSackDup    = Register(FieldDef{Name: "sctp.sack_duplicate_tsn", Label: "Duplicate TSN", Type: FTUint})
	fSCTPShutTSN    = Register(FieldDef{Name: "sctp.shutdown_cumulative_tsn_ack", Label: "Cumulative TSN Ack", Type: FTUint})
	fSCTPShutCT     = Register(FieldDef{Name: "sctp.shutdown_complete_t_bit", Label: "T-Bit", Type: FTBool, Bits: 8, Bitmask: 0x01, Display: tfLine("Tag reflected", "Tag not reflected")})
	fSCTPAbortT     = Register(FieldDef{Name: "sctp.abort_t_bit", Label: "T-Bit", Type: FTBool, Bits: 8, Bitmask: 0x01, Display: tfLine("Tag reflected", "Tag not reflected")})

	fSCTPParam      = Register(FieldDef{Name: "sctp.parameter", Label: "Parameter", Type: FTNone})
	fSCTPParamType  = Register(FieldDef{Name: "sctp.parameter_type", Label: "Parameter type", Type: FTUint, Base: BaseHex, Bits: 16, Values: sctpParamNames, Display: etherTypeLine})
	fSCTPParamBit1  = Register(FieldDef{Name: "sctp.parameter_bit_1", Label: "Bit", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: tfLine("Skip parameter and continue processing of the chunk", "Stop processing of chunk")})
	fSCTPParamBit2  = Register(FieldDef{Name: "sctp.parameter_bit_2", Label: "Bit", Type: FTBool, Bits: 16, Bitmask: 0x4000, Display: tfLine("Do report", "Do not report")})
	fSCTPParamLen   = Register(FieldDef{Name: "sctp.parameter_length", Label: "Parameter length", Type: FTUint})
	fSCTPParamValue = Register(FieldDef{Name: "sctp.parameter_value", Label: "Parameter value", Type: FTBytes})
	fSCTPParamHB    = Register(FieldDef{Name: "sctp.parameter_heartbeat_information", Label: "Heartbeat information", Type: FTBytes})
	fSCTPParamCook  = Register(FieldDef{Name: "sctp.parameter_state_cookie", Label: "State cookie", Type: FTBytes})
	fSCTPCauseCode  = Register(FieldDef{Name: "sctp.cause_code", Label: "Cause code", Type: FTUint, Base: BaseHex, Bits: 16})
	fSCTPCauseLen   = Register(FieldDef{Name: "sctp.cause_length", Label: "Cause length", Type: FTUint})

	sctpCsum = registerChecksum(ChecksumProto{Name: "sctp", Title: "SCTP", Label: "SCTP", Order: 80}, prefs.Switch{
		Name: "sctp.checksum", Default: uint8(SCTPCRC32c), On: uint8(SCTPCRC32c),
		Desc:  []string{"The type of checksum used in SCTP packets", "wirelens default: CRC 32c (Wireshark's default is None)"},
		Words: []prefs.Word{SCTPNone: {Stored: "None", Short: "none"}, SCTPAdler32: {Stored: "Adler 32", Short: "adler-32"}, SCTPCRC32c: {Stored: "CRC 32c", Short: "crc-32c"}, SCTPAutomatic: {Stored: "Automatic", Short: "automatic"}}})
	sctpChecksum = newChecksumDefs(sctpCsum, "Checksum", "Checksum Status", "", "[unverified]", calcNone)
)

func init() {
	// The SCTP checksum is 32 bits wide, unlike the 16-bit Internet ones
	// newChecksumDefs is shaped for.
	sctpChecksum.value.Bits = 32
}

var sctpChunkNames = map[uint64]string{0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT_ACK",
	6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO", 11: "COOKIE_ACK", 12: "ECNE", 13: "CWR",
	14: "SHUTDOWN_COMPLETE", 15: "AUTH", 16: "NR_SACK", 64: "I_DATA", 128: "ASCONF_ACK", 130: "RE_CONFIG", 132: "PAD",
	192: "FORWARD_TSN", 193: "ASCONF", 194: "I_FORWARD_TSN"}

var sctpParamNames = map[uint64]string{0x0001: "Heartbeat info", 0x0005: "IPv4 address", 0x0006: "IPv6 address",
	0x0007: "State cookie", 0x0008: "Unrecognized parameter", 0x0009: "Cookie preservative", 0x000b: "Hostname address",
	0x000c: "Supported address types", 0x8000: "ECN", 0x8002: "Random", 0x8003: "Chunk list",
	0x8004: "Requested HMAC Algorithm Parameter", 0x8008: "Supported Extensions", 0xc000: "Forward TSN supported",
	0xc004: "Adaptation Layer Indication"}

var sctpCauseNames = map[uint16]string{1: "Invalid stream identifier", 2: "Missing mandatory parameter",
	3: "Stale cookie error", 4: "Out of resources", 5: "Unresolvable address", 6: "Unrecognized chunk type",
	7: "Invalid mandatory parameter", 8: "Unrecognized parameters", 9: "No user data", 10: "Cookie received while shutting down",
	11: "Restart of an association with new addresses", 12: "User initiated ABORT", 13: "Protocol violation"}

var sctpPPIDNames = map[uint64]string{0: "not specified", 46: "DIAMETER", 47: "DIAMETER (DTLS)", 18: "S1 Application Protocol (S1AP)",
	3: "M3UA", 2: "M2UA", 5: "M2PA", 60: "NG Application Protocol (NGAP)", 51: "WebRTC String", 53: "WebRTC Binary", 50: "WebRTC DCEP"}

// tfLine writes a one-bit flag with Wireshark's true/false strings.
func tfLine(yes, no string) func(*Field) string {
	return func(f *Field) string {
		s := no
		if f.U != 0 {
			s = yes
		}
		return bitPattern(f.U, f.Def.Bitmask, f.Def.Bits) + " = " + f.Def.Label + ": " + s
	}
}

// castagnoli is the CRC32c table (RFC 9260 appendix B).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sctpCRC32c is the checksum over the packet with its checksum field zeroed,
// as the value tshark reads from the wire big-endian (the CRC itself is
// stored little-endian).
func sctpCRC32c(pkt []byte) uint32 {
	c := crc32.Update(0, castagnoli, pkt[:8])
	c = crc32.Update(c, castagnoli, []byte{0, 0, 0, 0})
	c = crc32.Update(c, castagnoli, pkt[12:])
	return c<<24 | c>>8&0xff00 | c<<8&0xff0000 | c>>24
}

// sctpAdler32 is RFC 2960's Adler-32 with the checksum field zeroed.
func sctpAdler32(pkt []byte) uint32 {
	const mod = 65521
	var a, b uint32 = 1, 0
	for i, c := range pkt {
		if i >= 8 && i < 12 {
			c = 0
		}
		a = (a + uint32(c)) % mod
		b = (b + a) % mod
	}
	return b<<16 | a
}

// sctpTSNBases remembers, per dissector conversation table, the first TSN
// seen in each direction (an INIT's initial TSN or the first DATA), so TSNs read relative as in Wireshark. It is kept
// here rather than in convTable so the TCP table stays as it is; the weak
// key lets a finished capture's state go with its table.
var sctpTSNBases = struct {
	sync.Mutex
	m map[weak.Pointer[convTable]]map[convKey]uint32
}{m: map[weak.Pointer[convTable]]map[convKey]uint32{}}

func (b *builder) sctpTSNBase(sport, dport uint16, tsn uint32) uint32 {
	if b.ds.conv == nil || b.netSrc == nil || b.inQuote {
		return tsn
	}
	k := convKey{addrKey(b.netSrc), addrKey(b.netDst), sport, dport}
	wp := weak.Make(b.ds.conv)
	sctpTSNBases.Lock()
	defer sctpTSNBases.Unlock()
	m, ok := sctpTSNBases.m[wp]
	if !ok {
		m = map[convKey]uint32{}
		sctpTSNBases.m[wp] = m
		runtime.AddCleanup(b.ds.conv, func(wp weak.Pointer[convTable]) {
			sctpTSNBases.Lock()
			delete(sctpTSNBases.m, wp)
			sctpTSNBases.Unlock()
		}, wp)
	}
	base, ok := m[k]
	if !ok {
		m[k], base = tsn, tsn
	}
	return base
}

func dissectSCTP(b *builder, off, end int) {
	d := b.enterLayer("sctp", "SCTP", off, end)
	if len(d) < 12 {
		b.malformed("SCTP", off, fmt.Sprintf("common header cut short: %d of 12 bytes captured", len(d)))
		return
	}
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	root := b.open(fSCTP, off, len(d))
	root.S = fmt.Sprintf("%s, Src Port: %d (%d), Dst Port: %d (%d)", fSCTP.Label, sport, sport, dport, dport)
	b.addU(fSCTPSrcPort, off, 2, uint64(sport))
	b.addU(fSCTPDstPort, off+2, 2, uint64(dport))
	b.addHidden(fSCTPPort, off, 2, uint64(sport))
	b.addHidden(fSCTPPort, off+2, 2, uint64(dport))
	b.addU(fSCTPVTag, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
	b.addU(fSCTPAssoc, off, 0, 65535).Generated = true
	sctpVerify(b, off, d)

	var info strings.Builder
	var payloads [][2]int
	for p := 12; p < len(d); {
		if p+4 > len(d) {
			b.close()
			b.malformed("SCTP", off+p, "chunk header cut short")
			return
		}
		typ, fl := d[p], d[p+1]
		cl := int(binary.BigEndian.Uint16(d[p+2:]))
		if cl < 4 {
			b.close()
			b.malformed("SCTP", off+p, fmt.Sprintf("chunk length %d is less than 4", cl))
			return
		}
		if p+cl > len(d) {
			b.close()
			b.malformed("SCTP", off+p, fmt.Sprintf("chunk length %d runs past the packet", cl))
			return
		}
		padded := min(p+(cl+3)&^3, len(d))
		name, known := sctpChunkNames[uint64(typ)]
		if !known {
			name = "RESERVED"
		}
		c := d[p : p+cl]
		ci := b.mark()
		b.open(fSCTPChunk, off+p, padded-p).Text = name + " chunk"
		b.addU(fSCTPChunkType, off+p, 1, uint64(typ))
		b.depth++
		b.addU(fSCTPChunkBit1, off+p, 1, uint64(typ>>7))
		b.addU(fSCTPChunkBit2, off+p, 1, uint64(typ>>6&1))
		b.depth--
		b.addU(fSCTPChunkFlags, off+p+1, 1, uint64(fl))
		b.depth++
		switch typ {
		case 0:
			b.addU(fSCTPDataI, off+p+1, 1, uint64(fl>>3&1))
			b.addU(fSCTPDataU, off+p+1, 1, uint64(fl>>2&1))
			b.addU(fSCTPDataB, off+p+1, 1, uint64(fl>>1&1))
			b.addU(fSCTPDataE, off+p+1, 1, uint64(fl&1))
		case 3:
			b.addU(fSCTPSackNonce, off+p+1, 1, uint64(fl&1))
		case 6:
			b.addU(fSCTPAbortT, off+p+1, 1, uint64(fl&1))
		case 14:
			b.addU(fSCTPShutCT, off+p+1, 1, uint64(fl&1))
		}
		b.depth--
		b.addU(fSCTPChunkLen, off+p+2, 2, uint64(cl))
		head := ""
		short := false
		switch typ {
		case 0:
			if short = cl < 16; short {
				break
			}
			tsn := binary.BigEndian.Uint32(c[4:])
			rel := tsn - b.sctpTSNBase(sport, dport, tsn)
			sid, ssn := binary.BigEndian.Uint16(c[8:]), binary.BigEndian.Uint16(c[10:])
			ppid := binary.BigEndian.Uint32(c[12:])
			b.addU(fSCTPDataTSN, off+p+4, 4, uint64(rel))
			b.addU(fSCTPDataTSNr, off+p+4, 4, uint64(tsn))
			b.addU(fSCTPDataSID, off+p+8, 2, uint64(sid))
			b.addU(fSCTPDataSSN, off+p+10, 2, uint64(ssn))
			b.addU(fSCTPDataPPID, off+p+12, 4, uint64(ppid))
			order := "ordered"
			if fl&4 != 0 {
				order = "unordered"
			}
			seg := map[uint8]string{3: "complete segment", 2: "first segment", 0: "middle segment", 1: "last segment"}[fl&3]
			head = fmt.Sprintf(" (%s, %s, TSN: %d, SID: %d, SSN: %d, PPID: %d, payload length: %d byte%s)",
				order, seg, rel, sid, ssn, ppid, cl-16, plural(cl-16, "", "s"))
			fmt.Fprintf(&info, "DATA (TSN=%d) ", rel)
			if cl > 16 {
				payloads = append(payloads, [2]int{off + p + 16, off + p + cl})
			}
		case 1, 2:
			if short = cl < 20; short {
				break
			}
			defs := []*FieldDef{fSCTPInitTag, fSCTPInitCredit, fSCTPInitOut, fSCTPInitIn, fSCTPInitTSN}
			if typ == 2 {
				defs = []*FieldDef{fSCTPInitAckTag, fSCTPInitAckCred, fSCTPInitAckOut, fSCTPInitAckIn, fSCTPInitAckTSN}
			}
			out, in := binary.BigEndian.Uint16(c[12:]), binary.BigEndian.Uint16(c[14:])
			b.addU(defs[0], off+p+4, 4, uint64(binary.BigEndian.Uint32(c[4:])))
			b.addU(defs[1], off+p+8, 4, uint64(binary.BigEndian.Uint32(c[8:])))
			b.addU(defs[2], off+p+12, 2, uint64(out))
			b.addU(defs[3], off+p+14, 2, uint64(in))
			b.addU(defs[4], off+p+16, 4, uint64(binary.BigEndian.Uint32(c[16:])))
			b.sctpTSNBase(sport, dport, binary.BigEndian.Uint32(c[16:]))
			head = fmt.Sprintf(" (Outbound streams: %d, inbound streams: %d)", out, in)
			sctpParams(b, off+p+20, c[20:])
		case 3:
			if short = cl < 16; short {
				break
			}
			cum, rwnd := binary.BigEndian.Uint32(c[4:]), binary.BigEndian.Uint32(c[8:])
			ng, nd := int(binary.BigEndian.Uint16(c[12:])), int(binary.BigEndian.Uint16(c[14:]))
			b.addU(fSCTPSackCumRaw, off+p+4, 4, uint64(cum))
			b.addU(fSCTPSackRwnd, off+p+8, 4, uint64(rwnd))
			b.addU(fSCTPSackNGaps, off+p+12, 2, uint64(ng))
			b.addU(fSCTPSackNDups, off+p+14, 2, uint64(nd))
			q := 16
			for i := 0; i < ng && q+4 <= cl; i, q = i+1, q+4 {
				b.addU(fSCTPSackStart, off+p+q, 2, uint64(binary.BigEndian.Uint16(c[q:])))
				b.addU(fSCTPSackEnd, off+p+q+2, 2, uint64(binary.BigEndian.Uint16(c[q+2:])))
			}
			for i := 0; i < nd && q+4 <= cl; i, q = i+1, q+4 {
				b.addU(fSCTPSackDup, off+p+q, 4, uint64(binary.BigEndian.Uint32(c[q:])))
			}
			head = fmt.Sprintf(" (Cumulative TSN: %d, a_rwnd: %d, gaps: %d, duplicate TSNs: %d)", cum, rwnd, ng, nd)
			fmt.Fprintf(&info, "SACK (Ack=%d, Arwnd=%d) ", cum, rwnd)
		case 4, 5:
			head = fmt.Sprintf(" (Information: %d bytes)", cl-4)
			sctpParams(b, off+p+4, c[4:])
		case 6, 9:
			sctpCauses(b, off+p+4, c[4:])
		case 7:
			if short = cl < 8; short {
				break
			}
			tsn := binary.BigEndian.Uint32(c[4:])
			b.addU(fSCTPShutTSN, off+p+4, 4, uint64(tsn))
			head = fmt.Sprintf(" (Cumulative TSN ack: %d)", tsn)
		case 10:
			head = fmt.Sprintf(" (Cookie length: %d bytes)", cl-4)
			if cl > 4 {
				b.addB(fSCTPCookie, off+p+4, cl-4)
			}
		case 8, 11, 14:
		default:
			if !known {
				head = fmt.Sprintf(" (Type: %d, value length: %d byte%s)", typ, cl-4, plural(cl-4, "", "s"))
			}
			if cl > 4 {
				b.addB(fSCTPChunkValue, off+p+4, cl-4)
			}
		}
		if short {
			b.close()
			b.close()
			b.malformed("SCTP", off+p, fmt.Sprintf("%s chunk of %d bytes is too short", name, cl))
			return
		}
		if typ != 0 && typ != 3 {
			info.WriteString(name + " ")
		}
		b.at(ci).Text = name + " chunk" + head
		if padded > p+cl {
			b.addB(fSCTPChunkPad, off+p+cl, padded-p-cl)
		}
		b.close()
		p = padded
	}
	b.close()
	for _, pl := range payloads {
		dissectDataRange(b, pl[0], pl[1])
	}
	if b.ds.Summary {
		b.setInfo(info.String())
	}
}

// sctpVerify adds the checksum as the sctp.checksum preference asks; with
// Automatic, like Wireshark, it tries Adler-32 then CRC32c and shows both
// when neither matches.
func sctpVerify(b *builder, off int, d []byte) {
	value := binary.BigEndian.Uint32(d[8:])
	mode := SCTPChecksum(b.ds.Prefs.Value(sctpCsum.Pref))
	reason := ""
	switch {
	case mode == SCTPNone:
		reason = reasonDisabled
	case b.inQuote:
		reason = reasonQuoted
	case b.fragmented:
		reason = reasonFragment
	case len(d) < b.payloadLen:
		reason = reasonTruncated
	}
	if reason != "" {
		b.addChecksum(sctpChecksum, off+8, 4, value, 0, StatusUnverified, reason)
		return
	}
	if b.payloadLen >= 12 && b.payloadLen < len(d) {
		d = d[:b.payloadLen]
	}
	add := func(label string, calc uint32) bool {
		st := StatusGood
		if calc != value {
			st = StatusBad
		}
		i := b.mark()
		b.addChecksum(sctpChecksum, off+8, 4, value, calc, st, "")
		if st == StatusGood {
			b.at(i).Text = fmt.Sprintf("%s: 0x%08x [correct]", label, value)
		} else {
			b.at(i).Text = fmt.Sprintf("%s: 0x%08x incorrect, should be 0x%08x", label, value, calc)
			b.checksumExpert(i, fmt.Sprintf("[Expert Info (Error/Checksum): Bad SCTP checksum. [should be 0x%08x]]", calc))
		}
		return st == StatusGood
	}
	switch mode {
	case SCTPAdler32:
		add("Checksum (Adler)", sctpAdler32(d))
	case SCTPCRC32c:
		add("Checksum (CRC32C)", sctpCRC32c(d))
	default:
		adler, crc := sctpAdler32(d), sctpCRC32c(d)
		switch {
		case adler == value:
			add("Checksum (Adler)", adler)
		case crc == value:
			add("Checksum (CRC32C)", crc)
		default:
			add("Checksum (Adler)", adler)
			add("Checksum (CRC32C)", crc)
		}
	}
}

// sctpParams shows the TLV parameters of INIT, INIT_ACK and HEARTBEAT.
func sctpParams(b *builder, off int, v []byte) {
	for p := 0; p+4 <= len(v); {
		t, l := binary.BigEndian.Uint16(v[p:]), int(binary.BigEndian.Uint16(v[p+2:]))
		if l < 4 || p+l > len(v) {
			b.malformed("SCTP", off+p, fmt.Sprintf("parameter length %d is bogus", l))
			return
		}
		name, ok := sctpParamNames[uint64(t)]
		if !ok {
			name = "Unknown"
		}
		padded := min(p+(l+3)&^3, len(v))
		pf := b.open(fSCTPParam, off+p, padded-p)
		pf.Text = name + " parameter"
		b.addU(fSCTPParamType, off+p, 2, uint64(t))
		b.depth++
		b.addU(fSCTPParamBit1, off+p, 2, uint64(t>>15))
		b.addU(fSCTPParamBit2, off+p, 2, uint64(t>>14&1))
		b.depth--
		b.addU(fSCTPParamLen, off+p+2, 2, uint64(l))
		if l > 4 {
			switch t {
			case 1:
				b.at(b.mark() - 5).Text = fmt.Sprintf("%s parameter (Information: %d bytes)", name, l-4)
				b.addB(fSCTPParamHB, off+p+4, l-4)
			case 7:
				b.at(b.mark() - 5).Text = fmt.Sprintf("%s parameter (Cookie length: %d bytes)", name, l-4)
				b.addB(fSCTPParamCook, off+p+4, l-4)
			default:
				b.addB(fSCTPParamValue, off+p+4, l-4)
			}
		}
		b.close()
		p = padded
	}
}

// sctpCauses shows ABORT and ERROR causes: code and length, value as bytes.
func sctpCauses(b *builder, off int, v []byte) {
	for p := 0; p+4 <= len(v); {
		code, l := binary.BigEndian.Uint16(v[p:]), int(binary.BigEndian.Uint16(v[p+2:]))
		if l < 4 || p+l > len(v) {
			b.malformed("SCTP", off+p, fmt.Sprintf("cause length %d is bogus", l))
			return
		}
		name, ok := sctpCauseNames[code]
		if !ok {
			name = "Unknown"
		}
		padded := min(p+(l+3)&^3, len(v))
		cf := b.open(fSCTPParam, off+p, padded-p)
		cf.Text = name + " cause"
		b.addU(fSCTPCauseCode, off+p, 2, uint64(code))
		b.last().Text = fmt.Sprintf("Cause code: %s (0x%04x)", name, code)
		b.addU(fSCTPCauseLen, off+p+2, 2, uint64(l))
		if l > 4 {
			b.addB(fSCTPParamValue, off+p+4, l-4)
		}
		b.close()
		p = padded
	}
}

var _ = ipProtos.register(132, newPayload("sctp", "Stream Control Transmission Protocol", func(b *builder, off int) int {
	dissectSCTP(b, off, len(b.data))
	return len(b.data)
}))
