package decode

import (
	"github.com/wirelens/wirelens/prefs"

	"encoding/binary"
	"fmt"
)

// prefIPDefrag is Wireshark's ip.defragment: off, fragments are not
// reassembled; the first is dissected as far as it goes, the others are
// data, as tshark shows them.
var prefIPDefrag = prefs.Register(prefs.Switch{Name: "ip.defragment", Default: 1,
	Desc: []string{"Whether fragmented IPv4 datagrams should be reassembled"}})

var prefIPTSO = prefs.Register(prefs.Switch{Name: "ip.tso_support", Default: 1,
	Desc: []string{"Whether to correct for TSO-enabled (TCP segmentation offload) hardware captures, such as spoofing the IP packet length"}})

var (
	fIP = Register(FieldDef{Name: "ip", Label: "Internet Protocol Version 4", Type: FTProtocol,
		Display: func(f *Field) string {
			return "Internet Protocol Version 4, Src: " + formatIPv4(binary.BigEndian.Uint32(f.B[12:])) + ", Dst: " + formatIPv4(binary.BigEndian.Uint32(f.B[16:]))
		}})
	fIPVersion = Register(FieldDef{Name: "ip.version", Label: "Version", Type: FTUint, Bits: 8, Bitmask: 0xf0, Display: bitLine})
	fIPHdrLen  = Register(FieldDef{Name: "ip.hdr_len", Label: "Header Length", Type: FTUint, Bits: 8, Bitmask: 0x0f,
		Display: func(f *Field) string {
			return bitPattern(f.U/4, 0x0f, 8) + fmt.Sprintf(" = Header Length: %d bytes (%d)", f.U, f.U/4)
		}})
	fIPDSField = Register(FieldDef{Name: "ip.dsfield", Label: "Differentiated Services Field", Type: FTUint, Base: BaseHex, Bits: 8,
		Display: func(f *Field) string {
			return fmt.Sprintf("Differentiated Services Field: 0x%02x (DSCP: %s, ECN: %s)", f.U, dscpShort(f.U>>2), ecnShort[f.U&3])
		}})
	fIPDSCP = Register(FieldDef{Name: "ip.dsfield.dscp", Label: "Differentiated Services Codepoint", Type: FTUint, Bits: 8, Bitmask: 0xfc, Values: dscpNames, Display: bitLine})
	fIPECN  = Register(FieldDef{Name: "ip.dsfield.ecn", Label: "Explicit Congestion Notification", Type: FTUint, Bits: 8, Bitmask: 0x03, Values: ecnNames, Display: bitLine})
	fIPLen  = Register(FieldDef{Name: "ip.len", Label: "Total Length", Type: FTUint,
		Display: func(f *Field) string {
			if f.Aux == 1 {
				return fmt.Sprintf("Total Length: %d bytes (reported as 0, presumed to be because of \"TCP segmentation offload\" (TSO))", f.U)
			}
			return fmt.Sprintf("Total Length: %d", f.U)
		}})
	fIPID    = Register(FieldDef{Name: "ip.id", Label: "Identification", Type: FTUint, Base: BaseHexDec, Bits: 16})
	fIPFlags = Register(FieldDef{Name: "ip.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8, Bitmask: 0xe0,
		Display: func(f *Field) string {
			s := bitPattern(f.U, 0xe0, 8) + fmt.Sprintf(" = Flags: 0x%x", f.U)
			switch {
			case f.U&2 != 0 && f.U&1 != 0:
				s += ", Don't fragment, More fragments"
			case f.U&2 != 0:
				s += ", Don't fragment"
			case f.U&1 != 0:
				s += ", More fragments"
			}
			return s
		}})
	fIPFlagRB  = Register(FieldDef{Name: "ip.flags.rb", Label: "Reserved bit", Type: FTBool, Bits: 8, Bitmask: 0x80, Display: flagLine})
	fIPFlagDF  = Register(FieldDef{Name: "ip.flags.df", Label: "Don't fragment", Type: FTBool, Bits: 8, Bitmask: 0x40, Display: flagLine})
	fIPFlagMF  = Register(FieldDef{Name: "ip.flags.mf", Label: "More fragments", Type: FTBool, Bits: 8, Bitmask: 0x20, Display: flagLine})
	fIPFragOff = Register(FieldDef{Name: "ip.frag_offset", Label: "Fragment Offset", Type: FTUint, Bits: 16, Bitmask: 0x1fff,
		Display: func(f *Field) string {
			return bitPattern(f.U/8, 0x1fff, 16) + fmt.Sprintf(" = Fragment Offset: %d", f.U)
		}})
	fIPTTL   = Register(FieldDef{Name: "ip.ttl", Label: "Time to Live", Type: FTUint})
	fIPProto = Register(FieldDef{Name: "ip.proto", Label: "Protocol", Type: FTUint, Values: ipProtoNames})
	fIPSrc   = Register(FieldDef{Name: "ip.src", Label: "Source Address", Type: FTIPv4})
	fIPDst   = Register(FieldDef{Name: "ip.dst", Label: "Destination Address", Type: FTIPv4})
	fIPAddr  = Register(FieldDef{Name: "ip.addr", Label: "Source or Destination Address", Type: FTIPv4})
	// tshark's hidden host-name fields; wirelens resolves no names, so
	// they hold the address, as tshark -n writes them.
	fIPSrcHost = Register(FieldDef{Name: "ip.src_host", Label: "Source Host", Type: FTString, Format: ipv4Text})
	fIPDstHost = Register(FieldDef{Name: "ip.dst_host", Label: "Destination Host", Type: FTString, Format: ipv4Text})
	fIPHost    = Register(FieldDef{Name: "ip.host", Label: "Source or Destination Host", Type: FTString, Format: ipv4Text})
	fIPOptions = Register(FieldDef{Name: "ip.options", Label: "Options", Type: FTBytes,
		Display: func(f *Field) string { return fmt.Sprintf("Options: (%d bytes)", len(f.B)) }})
	fIPOptType = Register(FieldDef{Name: "ip.opt.type", Label: "Type", Type: FTUint, Values: ipOptNames,
		Display: func(f *Field) string {
			name, ok := ipOptNames[f.U]
			if !ok {
				name = fmt.Sprintf("Unknown (0x%02x)", f.U)
			}
			return "IP Option - " + name
		}})
	fIPOptLen   = Register(FieldDef{Name: "ip.opt.len", Label: "Length", Type: FTUint})
	fIPLenBogus = Register(FieldDef{Name: "ip.len.bogus", Label: "Bogus IP length", Type: FTNone})

	ipCsum = registerChecksum(ChecksumProto{Name: "ip", Title: "IPv4 header", Label: "IPv4", Order: 10}, prefs.Switch{
		Name: "ip.check_checksum", Default: 1,
		Desc: []string{"Whether to validate the IPv4 checksum", wiresharkOff}})
	ipChecksum = newChecksumDefs(ipCsum, "Header Checksum", "Header checksum status", `(may be caused by "IP checksum offload"?)`, "[validation disabled]", calcSibling)
)

// ipProtoNames are tshark's names (epan/ipproto.c), checked with tshark 4.0.
var ipProtoNames = map[uint64]string{0: "IPv6 Hop-by-Hop Option", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 17: "UDP",
	33: "Datagram Congestion Control Protocol", 41: "IPv6", 43: "Routing Header for IPv6", 44: "Fragment Header for IPv6",
	46: "Reservation Protocol", 47: "Generic Routing Encapsulation", 50: "Encap Security Payload", 51: "Authentication Header",
	58: "ICMPv6", 59: "No Next Header for IPv6", 60: "Destination Options for IPv6", 89: "OSPF IGP", 97: "Ether in IP",
	98: "ENCAP", 103: "PIM", 112: "VRRP", 115: "Layer 2 Tunneling", 132: "SCTP", 136: "UDPLite", 137: "MPLS in IP", 143: "Ethernet"}

var ipOptNames = map[uint64]string{0: "End of Options List (EOL)", 1: "No-Operation (NOP)", 7: "Record Route (RR)",
	68: "Time Stamp (TS)", 130: "Security (SEC)", 131: "Loose Source Route (LSR)", 137: "Strict Source Route (SSR)",
	148: "Router Alert (RA)"}

var dscpNames = map[uint64]string{0: "Default", 8: "Class Selector 1", 10: "Assured Forwarding 11", 16: "Class Selector 2",
	18: "Assured Forwarding 21", 24: "Class Selector 3", 26: "Assured Forwarding 31", 32: "Class Selector 4",
	34: "Assured Forwarding 41", 40: "Class Selector 5", 46: "Expedited Forwarding", 48: "Class Selector 6", 56: "Class Selector 7"}

var ecnNames = map[uint64]string{0: "Not ECN-Capable Transport", 1: "ECN-Capable Transport codepoint '01'",
	2: "ECN-Capable Transport codepoint '10'", 3: "Congestion Experienced"}

var ecnShort = [4]string{"Not-ECT", "ECT(1)", "ECT(0)", "CE"}

func dscpShort(d uint64) string {
	switch {
	case d == 46:
		return "EF"
	case d%8 == 0:
		return fmt.Sprintf("CS%d", d/8)
	case d%2 == 0 && d>>3 >= 1 && d>>3 <= 4:
		return fmt.Sprintf("AF%d%d", d>>3, d&7/2)
	}
	return fmt.Sprintf("Unknown (%d)", d)
}

// dissectIPv4 dissects an IPv4 packet at off and returns where the packet's
// own total length says it ends.
func dissectIPv4(b *builder, off int) int {
	b.addProtocol("ip")
	if b.ds.Summary {
		b.proto = "IPv4"
	}
	d := b.data[off:]
	if len(d) < 20 {
		b.malformed("IPv4", off, fmt.Sprintf("header cut short: %d of 20 bytes captured", len(d)))
		return len(b.data)
	}
	ihl := int(d[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(d[2:]))
	proto := d[9]
	src, dst := d[12:16], d[16:20]
	b.open(fIP, off, min(ihl, len(d))).B = d[:20]
	b.addU(fIPVersion, off, 1, uint64(d[0]>>4))
	b.addU(fIPHdrLen, off, 1, uint64(ihl))
	if ihl < 20 {
		b.close()
		b.malformed("IPv4", off, fmt.Sprintf("bogus IP header length (%d, must be at least 20)", ihl))
		return len(b.data)
	}
	b.addU(fIPDSField, off+1, 1, uint64(d[1]))
	b.depth++
	b.addU(fIPDSCP, off+1, 1, uint64(d[1]>>2))
	b.addU(fIPECN, off+1, 1, uint64(d[1]&3))
	b.depth--
	tso := false
	switch {
	case total == 0 && b.ds.Prefs.On(prefIPTSO):
		// A sender-side capture of a TSO super-frame may carry total
		// length 0 (the NIC fills it in per segment); like Wireshark
		// (ip.tso_support), take the length the frame reports.
		tso = true
		total = int(b.fr.Record.OrigLen) - off
		b.addU(fIPLen, off+2, 2, uint64(total)).Aux = 1
	default:
		b.addU(fIPLen, off+2, 2, uint64(total))
	}
	switch {
	case total < ihl:
		b.depth++
		b.expert(fIPLenBogus, off+2, 2, fmt.Sprintf("[Bogus IP length (%d, less than header length %d)]", total, ihl))
		b.depth--
	}
	b.addU(fIPID, off+4, 2, uint64(binary.BigEndian.Uint16(d[4:])))
	fl := binary.BigEndian.Uint16(d[6:])
	b.addU(fIPFlags, off+6, 1, uint64(fl>>13))
	b.depth++
	b.addU(fIPFlagRB, off+6, 1, uint64(fl>>15&1))
	b.addU(fIPFlagDF, off+6, 1, uint64(fl>>14&1))
	b.addU(fIPFlagMF, off+6, 1, uint64(fl>>13&1))
	b.depth--
	fragOff := int(fl&0x1fff) * 8
	b.addU(fIPFragOff, off+6, 2, uint64(fragOff))
	b.addU(fIPTTL, off+8, 1, uint64(d[8]))
	b.ttl, b.ttlSeen = d[8], true
	b.addU(fIPProto, off+9, 1, uint64(proto))

	hdrAvail := ihl <= len(d)
	value := binary.BigEndian.Uint16(d[10:])
	switch {
	case !b.validates(ipCsum):
		b.addChecksum(ipChecksum, off+10, 2, uint32(value), 0, StatusUnverified, reasonDisabled)
	case !hdrAvail:
		b.addChecksum(ipChecksum, off+10, 2, uint32(value), 0, StatusUnverified, reasonTruncated)
	default:
		calc := internetChecksum(d[:ihl], 0, 10)
		st := StatusGood
		if calc != value {
			st = StatusBad
		}
		b.addChecksum(ipChecksum, off+10, 2, uint32(value), uint32(calc), st, "")
		// A receiver drops a packet whose header checksum is really
		// wrong (0 is left for the NIC): its TCP segment is sent again.
		b.ipHdrBad = b.ipHdrBad || st == StatusBad && value != 0
	}
	for k, a := range [][]byte{src, dst} {
		def, host := fIPSrc, fIPSrcHost
		if k == 1 {
			def, host = fIPDst, fIPDstHost
		}
		u := uint64(binary.BigEndian.Uint32(a))
		b.addU(def, off+12+4*k, 4, u)
		b.addHidden(fIPAddr, off+12+4*k, 4, u)
		b.addHidden(host, off+12+4*k, 4, u)
		b.addHidden(fIPHost, off+12+4*k, 4, u)
	}
	if ihl > 20 {
		if ihl > len(d) {
			b.close()
			b.malformed("IPv4", off+20, "options cut short")
			return len(b.data)
		}
		ipOptions(b, off+20, d[20:ihl])
	}
	b.close()
	if b.ds.Summary {
		b.setAddrs(formatIPv4(binary.BigEndian.Uint32(src)), formatIPv4(binary.BigEndian.Uint32(dst)))
	}
	if (tso || total > b.mtu()) && !b.inQuote && b.oversize == 0 && proto != 6 {
		// TCP decides for itself against the MSS; other protocols are
		// judged by the MTU alone.
		b.oversize = total
	}
	b.ipTotal, b.ipTSO = total, tso

	end := off + total
	if total < ihl {
		end = off + ihl
	}
	if end > len(b.data) {
		end = len(b.data)
	}
	payEnd := off + total
	if total < ihl {
		payEnd = off + ihl
	}
	more := fl&0x2000 != 0
	saved := b.netSnapshot()
	b.netSrc, b.netDst, b.netV6 = src, dst, false
	b.payloadLen = payEnd - off - ihl
	if more && fragOff == 0 && !b.ds.Prefs.On(prefIPDefrag) {
		b.fragmented = true
		dissectIPProto(b, off+ihl, end, proto)
		b.netRestore(saved)
		return end
	}
	if more || fragOff > 0 {
		var whole *reassembled
		if payEnd <= len(b.data) && !b.inQuote && b.ds.Prefs.On(prefIPDefrag) {
			k := fragKey{src: addrKey(src), dst: addrKey(dst), id: uint32(binary.BigEndian.Uint16(d[4:])), proto: proto}
			whole = b.ds.conv.fragment(b.fr.Number, k, fragOff, b.data[off+ihl:payEnd], more, b.ds.Frozen)
		}
		if whole == nil {
			// The transport header is in another frame, or the datagram
			// is not complete yet: show this fragment as data.
			if b.ds.Summary {
				b.setInfo(fmt.Sprintf("Fragmented IP protocol (proto=%s %d, off=%d, ID=%04x)", protoName(proto), proto, fragOff, binary.BigEndian.Uint16(d[4:])))
			}
			dissectDataRange(b, off+ihl, end)
		} else {
			dissectReassembled(b, off+ihl, whole, proto, ipFragDefs)
		}
		b.netRestore(saved)
		return end
	}
	dissectIPProto(b, off+ihl, end, proto)
	b.netRestore(saved)
	return end
}

func protoName(p uint8) string {
	if n, ok := ipProtoNames[uint64(p)]; ok {
		return n
	}
	return "Unknown"
}

func ipOptions(b *builder, off int, opts []byte) {
	b.addB(fIPOptions, off, len(opts))
	b.depth++
	for i := 0; i < len(opts); {
		t := opts[i]
		if t == 0 || t == 1 {
			b.addU(fIPOptType, off+i, 1, uint64(t))
			i++
			continue
		}
		if i+1 >= len(opts) || opts[i+1] < 2 || i+int(opts[i+1]) > len(opts) {
			b.expert(fMalformed, off+i, len(opts)-i, "[IPv4 option length is bogus]")
			break
		}
		l := int(opts[i+1])
		b.addU(fIPOptType, off+i, l, uint64(t))
		b.depth++
		b.addU(fIPOptLen, off+i+1, 1, uint64(l))
		b.depth--
		i += l
	}
	b.depth--
}

// netState is what an IP layer tells the transport layer above it; saved and
// restored around nested IP (tunnels, ICMP quotes).
type netState struct {
	src, dst   []byte
	v6         bool
	fragmented bool
	payloadLen int
}

func (b *builder) netSnapshot() netState {
	return netState{b.netSrc, b.netDst, b.netV6, b.fragmented, b.payloadLen}
}

func (b *builder) netRestore(s netState) {
	b.netSrc, b.netDst, b.netV6, b.fragmented, b.payloadLen = s.src, s.dst, s.v6, s.fragmented, s.payloadLen
}

// dissectIPProto dispatches an IP payload [off, end) by protocol number.
func dissectIPProto(b *builder, off, end int, proto uint8) {
	if b.nest++; b.nest > maxDepth {
		b.malformed("IP", off, fmt.Sprintf("more than %d nested encapsulations", maxDepth))
		return
	}
	// The payload sees only its own bytes: trailing padding is not data.
	if end > len(b.data) {
		end = len(b.data)
	}
	saved := b.data
	b.data = b.data[:end]
	defer func() { b.data = saved }()
	if _, ok := b.dispatch(ipProtos, uint32(proto), off, end); !ok {
		if b.ds.Summary {
			b.setInfo(fmt.Sprintf("%s (%d)", protoName(proto), proto))
		}
		dissectDataRange(b, off, end)
	}
}

// dissectDataRange is dissectData limited to [off, end).
func dissectDataRange(b *builder, off, end int) {
	if end > len(b.data) {
		end = len(b.data)
	}
	if off >= end {
		return
	}
	saved := b.data
	b.data = b.data[:end]
	dissectData(b, off)
	b.data = saved
}

var (
	ipPayload = newPayload("ip", "Internet Protocol Version 4", dissectIPv4)

	_ = etherTypes.register(0x0800, ipPayload)
	_ = greProtos.register(0x0800, ipPayload)
	_ = ipProtos.register(4, ipPayload) // IP in IP
	_ = pppProtos.register(0x0021, ipPayload)
)

// ipv4Text is an IPv4 address field's value written as an address.
func ipv4Text(f *Field) string { return formatIPv4(uint32(f.U)) }
