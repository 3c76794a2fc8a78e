package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

var (
	fDNS      = Register(FieldDef{Name: "dns", Label: "Domain Name System", Type: FTProtocol})
	fMDNS     = Register(FieldDef{Name: "mdns", Label: "Multicast Domain Name System", Type: FTProtocol})
	fDNSID    = Register(FieldDef{Name: "dns.id", Label: "Transaction ID", Type: FTUint, Base: BaseHex, Bits: 16})
	fDNSFlags = Register(FieldDef{Name: "dns.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 16,
		Display: func(f *Field) string { return fmt.Sprintf("Flags: 0x%04x %s", f.U, dnsFlagsSummary(uint16(f.U))) }})
	fDNSResponse = Register(FieldDef{Name: "dns.flags.response", Label: "Response", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: tfLine("Message is a response", "Message is a query")})
	fDNSOpcode   = Register(FieldDef{Name: "dns.flags.opcode", Label: "Opcode", Type: FTUint, Bits: 16, Bitmask: 0x7800, Values: dnsOpcodeNames, Display: bitLine})
	fDNSAuth     = Register(FieldDef{Name: "dns.flags.authoritative", Label: "Authoritative", Type: FTBool, Bits: 16, Bitmask: 0x0400, Display: tfLine("Server is an authority for domain", "Server is not an authority for domain")})
	fDNSTrunc    = Register(FieldDef{Name: "dns.flags.truncated", Label: "Truncated", Type: FTBool, Bits: 16, Bitmask: 0x0200, Display: tfLine("Message is truncated", "Message is not truncated")})
	fDNSRD       = Register(FieldDef{Name: "dns.flags.recdesired", Label: "Recursion desired", Type: FTBool, Bits: 16, Bitmask: 0x0100, Display: tfLine("Do query recursively", "Don't do query recursively")})
	fDNSRA       = Register(FieldDef{Name: "dns.flags.recavail", Label: "Recursion available", Type: FTBool, Bits: 16, Bitmask: 0x0080, Display: tfLine("Server can do recursive queries", "Server can't do recursive queries")})
	fDNSZ        = Register(FieldDef{Name: "dns.flags.z", Label: "Z", Type: FTBool, Bits: 16, Bitmask: 0x0040, Display: tfLine("reserved (1)", "reserved (0)")})
	fDNSAD       = Register(FieldDef{Name: "dns.flags.authenticated", Label: "Answer authenticated", Type: FTBool, Bits: 16, Bitmask: 0x0020, Display: tfLine("Answer/authority portion was authenticated by the server", "Answer/authority portion was not authenticated by the server")})
	fDNSCD       = Register(FieldDef{Name: "dns.flags.checkdisable", Label: "Non-authenticated data", Type: FTBool, Bits: 16, Bitmask: 0x0010, Display: tfLine("Acceptable", "Unacceptable")})
	fDNSRcode    = Register(FieldDef{Name: "dns.flags.rcode", Label: "Reply code", Type: FTUint, Bits: 16, Bitmask: 0x000f, Values: dnsRcodeNames, Display: bitLine})
	fDNSQueries  = Register(FieldDef{Name: "dns.count.queries", Label: "Questions", Type: FTUint})
	fDNSAnswers  = Register(FieldDef{Name: "dns.count.answers", Label: "Answer RRs", Type: FTUint})
	fDNSAuthRR   = Register(FieldDef{Name: "dns.count.auth_rr", Label: "Authority RRs", Type: FTUint})
	fDNSAddRR    = Register(FieldDef{Name: "dns.count.add_rr", Label: "Additional RRs", Type: FTUint})
	// Wireshark's section headings ("Queries", "Answers" ...) and record
	// subtrees are text items without fields of their own.
	fDNSSection = Register(FieldDef{Name: "dns.section", Label: "Section", Type: FTNone})
	fDNSRecord  = Register(FieldDef{Name: "dns.record", Label: "Record", Type: FTNone})

	fDNSQryName   = Register(FieldDef{Name: "dns.qry.name", Label: "Name", Type: FTString})
	fDNSQryNameLn = Register(FieldDef{Name: "dns.qry.name.len", Label: "Name Length", Type: FTUint})
	fDNSLabels    = Register(FieldDef{Name: "dns.count.labels", Label: "Label Count", Type: FTUint})
	fDNSQryType   = Register(FieldDef{Name: "dns.qry.type", Label: "Type", Type: FTUint, Display: dnsTypeLine})
	fDNSQryClass  = Register(FieldDef{Name: "dns.qry.class", Label: "Class", Type: FTUint, Base: BaseHex, Bits: 16, Display: dnsClassLine})
	fDNSQU        = Register(FieldDef{Name: "dns.qry.qu", Label: "\"QU\" question", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: tfLine("True", "False")})
	fDNSRespName  = Register(FieldDef{Name: "dns.resp.name", Label: "Name", Type: FTString})
	fDNSRespType  = Register(FieldDef{Name: "dns.resp.type", Label: "Type", Type: FTUint, Display: dnsTypeLine})
	fDNSRespClass = Register(FieldDef{Name: "dns.resp.class", Label: "Class", Type: FTUint, Base: BaseHex, Bits: 16, Display: dnsClassLine})
	fDNSFlush     = Register(FieldDef{Name: "dns.resp.cache_flush", Label: "Cache flush", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: tfLine("True", "False")})
	fDNSTTL       = Register(FieldDef{Name: "dns.resp.ttl", Label: "Time to live", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Time to live: %d (%s)", f.U, secsText(uint32(f.U))) }})
	fDNSRespLen    = Register(FieldDef{Name: "dns.resp.len", Label: "Data length", Type: FTUint})
	fDNSA          = Register(FieldDef{Name: "dns.a", Label: "Address", Type: FTIPv4})
	fDNSAAAA       = Register(FieldDef{Name: "dns.aaaa", Label: "AAAA Address", Type: FTIPv6})
	fDNSCNAME      = Register(FieldDef{Name: "dns.cname", Label: "CNAME", Type: FTString})
	fDNSPTR        = Register(FieldDef{Name: "dns.ptr.domain_name", Label: "Domain Name", Type: FTString})
	fDNSNS         = Register(FieldDef{Name: "dns.ns", Label: "Name Server", Type: FTString})
	fDNSMXPref     = Register(FieldDef{Name: "dns.mx.preference", Label: "Preference", Type: FTUint})
	fDNSMX         = Register(FieldDef{Name: "dns.mx.mail_exchange", Label: "Mail Exchange", Type: FTString})
	fDNSTXTLen     = Register(FieldDef{Name: "dns.txt.length", Label: "TXT Length", Type: FTUint})
	fDNSTXT        = Register(FieldDef{Name: "dns.txt", Label: "TXT", Type: FTString})
	fDNSSOAMname   = Register(FieldDef{Name: "dns.soa.mname", Label: "Primary name server", Type: FTString})
	fDNSSOARname   = Register(FieldDef{Name: "dns.soa.rname", Label: "Responsible authority's mailbox", Type: FTString})
	fDNSSOASerial  = Register(FieldDef{Name: "dns.soa.serial_number", Label: "Serial Number", Type: FTUint})
	fDNSSOARefresh = Register(FieldDef{Name: "dns.soa.refresh_interval", Label: "Refresh Interval", Type: FTUint, Display: secsLine})
	fDNSSOARetry   = Register(FieldDef{Name: "dns.soa.retry_interval", Label: "Retry Interval", Type: FTUint, Display: secsLine})
	fDNSSOAExpire  = Register(FieldDef{Name: "dns.soa.expire_limit", Label: "Expire limit", Type: FTUint, Display: secsLine})
	fDNSSOAMin     = Register(FieldDef{Name: "dns.soa.minimum_ttl", Label: "Minimum TTL", Type: FTUint, Display: secsLine})
	fDNSUDPSize    = Register(FieldDef{Name: "dns.rr.udp_payload_size", Label: "UDP payload size", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("UDP payload size: %d", f.U) }})
	fDNSExtRcode = Register(FieldDef{Name: "dns.resp.ext_rcode", Label: "Higher bits in extended RCODE", Type: FTUint, Base: BaseHex, Bits: 8})
	fDNSEDNSVer  = Register(FieldDef{Name: "dns.resp.edns0_version", Label: "EDNS0 version", Type: FTUint})
	fDNSEDNSZ    = Register(FieldDef{Name: "dns.resp.z", Label: "Z", Type: FTUint, Base: BaseHex, Bits: 16})
	fDNSEDNSDO   = Register(FieldDef{Name: "dns.resp.z.do", Label: "DO bit", Type: FTBool, Bits: 16, Bitmask: 0x8000, Display: tfLine("Accepts DNSSEC security RRs", "Cannot handle DNSSEC security RRs")})
	fDNSEDNSRsv  = Register(FieldDef{Name: "dns.resp.z.reserved", Label: "Reserved", Type: FTUint, Base: BaseHex, Bits: 16, Bitmask: 0x7fff,
		Display: func(f *Field) string { return bitPattern(f.U, 0x7fff, 16) + fmt.Sprintf(" = Reserved: 0x%04x", f.U) }})
	fDNSData = Register(FieldDef{Name: "dns.data", Label: "Data", Type: FTBytes})
)

var dnsOpcodeNames = map[uint64]string{0: "Standard query", 1: "Inverse query", 2: "Server status request",
	4: "Zone change notification", 5: "Dynamic update", 6: "DNS Stateful operations (DSO)"}

var dnsRcodeNames = map[uint64]string{0: "No error", 1: "Format error", 2: "Server failure", 3: "No such name",
	4: "Not implemented", 5: "Refused", 6: "Name exists", 7: "RRset exists", 8: "RRset does not exist",
	9: "Not authoritative", 10: "Name out of zone", 11: "DSO-Type not implemented"}

// dnsTypes holds the short name Info uses and the long one the tree adds.
var dnsTypes = map[uint16][2]string{1: {"A", "Host Address"}, 2: {"NS", "authoritative Name Server"},
	5: {"CNAME", "Canonical NAME for an alias"}, 6: {"SOA", "Start Of a zone of Authority"},
	12: {"PTR", "domain name PoinTeR"}, 13: {"HINFO", "host information"}, 15: {"MX", "Mail eXchange"},
	16: {"TXT", "Text strings"}, 28: {"AAAA", "IPv6 Address"}, 33: {"SRV", "Server Selection"},
	35: {"NAPTR", "Naming Authority PoinTeR"}, 39: {"DNAME", ""}, 41: {"OPT", ""}, 43: {"DS", "Delegation Signer"},
	46: {"RRSIG", "Resource Record Signature"}, 47: {"NSEC", "Next Secure"}, 48: {"DNSKEY", "DNS Public Key"},
	64: {"SVCB", "General Purpose Service Endpoints"}, 65: {"HTTPS", "HTTPS Specific Service Endpoints"},
	99: {"SPF", ""}, 252: {"AXFR", "transfer of an entire zone"}, 255: {"ANY", "A request for all records the server/cache has available"},
	257: {"CAA", "Certification Authority Restriction"}}

var dnsClassNames = map[uint16]string{1: "IN", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"}

func dnsTypeShort(t uint16) string {
	if n, ok := dnsTypes[t]; ok {
		return n[0]
	}
	return fmt.Sprintf("Unknown (%d)", t)
}

func dnsTypeLine(f *Field) string {
	n, ok := dnsTypes[uint16(f.U)]
	switch {
	case !ok:
		return fmt.Sprintf("Type: Unknown (%d)", f.U)
	case n[1] == "":
		return fmt.Sprintf("Type: %s (%d)", n[0], f.U)
	}
	return fmt.Sprintf("Type: %s (%s) (%d)", n[0], n[1], f.U)
}

func dnsClassName(c uint16) string {
	if n, ok := dnsClassNames[c]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", c)
}

func dnsClassLine(f *Field) string {
	return fmt.Sprintf("Class: %s (0x%04x)", dnsClassName(uint16(f.U)), f.U)
}

func secsLine(f *Field) string {
	return fmt.Sprintf("%s: %d (%s)", f.Def.Label, f.U, secsText(uint32(f.U)))
}

// secsText is Wireshark's unsigned_time_secs_to_str.
func secsText(s uint32) string { return durationText(s, 0) }

// durationText writes t seconds and frac milliseconds as Wireshark's
// time_secs_to_str and time_msecs_to_str do: "1 day, 2 hours, 3.250 seconds".
func durationText(t, frac uint32) string {
	if t == 0 && frac == 0 {
		return "0 seconds"
	}
	var parts []string
	unit := func(n uint32, one string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s%s", n, one, plural(int(n), "", "s")))
		}
	}
	unit(t/86400, "day")
	unit(t/3600%24, "hour")
	unit(t/60%60, "minute")
	if frac != 0 {
		parts = append(parts, fmt.Sprintf("%d.%03d seconds", t%60, frac))
	} else {
		unit(t%60, "second")
	}
	return strings.Join(parts, ", ")
}

func dnsFlagsSummary(fl uint16) string {
	op := uint64(fl >> 11 & 0xf)
	s, ok := dnsOpcodeNames[op]
	if !ok {
		s = fmt.Sprintf("Unknown operation (%d)", op)
	}
	if fl&0x8000 != 0 {
		s += " response"
		rc, ok := dnsRcodeNames[uint64(fl&0xf)]
		if !ok {
			rc = fmt.Sprintf("Unknown error (%d)", fl&0xf)
		}
		s += ", " + rc
	}
	return s
}

// Limits on name decompression: RFC 1035 caps names at 255 bytes; the jump
// limit stops pointer loops and chains built to burn time.
const (
	dnsMaxJumps   = 32
	dnsMaxNameLen = 255
)

// dnsName reads a possibly compressed name at p0 in msg. It returns the
// name as Wireshark writes it (non-printable bytes as \ooo), its label
// count, the bytes it occupies at p0, and why it is bad ("" if it is not).
func dnsName(msg []byte, p0 int) (name string, labels, used int, bad string) {
	var sb strings.Builder
	p, end, jumps := p0, -1, 0
	finish := func() int {
		if end < 0 {
			return 0
		}
		return end - p0
	}
	for {
		if p >= len(msg) {
			return sb.String(), labels, 0, "name cut short"
		}
		l := int(msg[p])
		switch {
		case l == 0:
			if end < 0 {
				end = p + 1
			}
			if sb.Len() == 0 {
				return "<Root>", 0, finish(), ""
			}
			return sb.String(), labels, finish(), ""
		case l&0xc0 == 0xc0:
			if p+1 >= len(msg) {
				return sb.String(), labels, 0, "name cut short"
			}
			if end < 0 {
				end = p + 2
			}
			np := int(binary.BigEndian.Uint16(msg[p:]) & 0x3fff)
			// Pointers must point backwards, and only so often: forward
			// and self pointers are how loops are built.
			if jumps++; jumps > dnsMaxJumps || np >= p {
				return "<Name contains a pointer that loops>", labels, finish(), "loop"
			}
			p = np
		case l&0xc0 != 0:
			return sb.String(), labels, 0, "unsupported label type"
		default:
			if p+1+l > len(msg) {
				return sb.String(), labels, 0, "name cut short"
			}
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			for _, c := range msg[p+1 : p+1+l] {
				if c < 0x20 || c >= 0x7f {
					fmt.Fprintf(&sb, "\\%03o", c)
				} else {
					sb.WriteByte(c)
				}
			}
			labels++
			if sb.Len() > 4*dnsMaxNameLen {
				return "<Name too long>", labels, 0, "name too long"
			}
			p += 1 + l
		}
	}
}

func dissectDNS(b *builder, off, end int) {
	// The UDP header just before says whether this is mDNS.
	mdns, llmnr := false, false
	if off >= 8 && off <= len(b.data) && !b.viaTCP {
		sport, dport := binary.BigEndian.Uint16(b.data[off-8:]), binary.BigEndian.Uint16(b.data[off-6:])
		mdns = sport == 5353 || dport == 5353
		llmnr = sport == 5355 || dport == 5355
	}
	proto, pname, column := fDNS, "dns", "DNS"
	switch {
	case mdns:
		proto, pname, column = fMDNS, "mdns", "MDNS"
	case llmnr:
		proto, pname, column = fLLMNR, "llmnr", "LLMNR"
	}
	msg := b.enterLayer(pname, column, off, end)
	if len(msg) < 12 {
		b.malformed(column, off, "header cut short")
		return
	}
	id, fl := binary.BigEndian.Uint16(msg), binary.BigEndian.Uint16(msg[2:])
	resp := fl&0x8000 != 0
	counts := [4]int{}
	for i := range counts {
		counts[i] = int(binary.BigEndian.Uint16(msg[4+2*i:]))
	}
	root := b.open(proto, off, len(msg))
	if resp {
		root.S = proto.Label + " (response)"
	} else {
		root.S = proto.Label + " (query)"
	}
	b.addU(fDNSID, off, 2, uint64(id))
	b.addU(fDNSFlags, off+2, 2, uint64(fl))
	b.depth++
	u := uint64(fl)
	b.addU(fDNSResponse, off+2, 2, u>>15&1)
	b.addU(fDNSOpcode, off+2, 2, u>>11&0xf)
	if resp {
		b.addU(fDNSAuth, off+2, 2, u>>10&1)
	}
	b.addU(fDNSTrunc, off+2, 2, u>>9&1)
	b.addU(fDNSRD, off+2, 2, u>>8&1)
	if resp {
		b.addU(fDNSRA, off+2, 2, u>>7&1)
	}
	b.addU(fDNSZ, off+2, 2, u>>6&1)
	if resp {
		b.addU(fDNSAD, off+2, 2, u>>5&1)
	}
	b.addU(fDNSCD, off+2, 2, u>>4&1)
	if resp {
		b.addU(fDNSRcode, off+2, 2, u&0xf)
	}
	b.depth--
	for i, def := range []*FieldDef{fDNSQueries, fDNSAnswers, fDNSAuthRR, fDNSAddRR} {
		b.addU(def, off+4+2*i, 2, uint64(counts[i]))
	}

	var info strings.Builder
	op := u >> 11 & 0xf
	opName, ok := dnsOpcodeNames[op]
	if !ok {
		opName = fmt.Sprintf("Unknown operation (%d)", op)
	}
	info.WriteString(opName)
	if resp {
		info.WriteString(" response")
	}
	fmt.Fprintf(&info, " 0x%04x", id)
	if rc := fl & 0xf; resp && rc != 0 {
		rcName, ok := dnsRcodeNames[uint64(rc)]
		if !ok {
			rcName = fmt.Sprintf("Unknown error (%d)", rc)
		}
		info.WriteString(" " + rcName)
	}
	p := 12
	ok = dnsQuestions(b, off, msg, &p, counts[0], mdns, &info)
	sections := []string{"Answers", "Authoritative nameservers", "Additional records"}
	for i := 0; ok && i < 3; i++ {
		ok = dnsRecords(b, off, msg, &p, counts[i+1], sections[i], mdns, &info)
	}
	b.close()
	if !ok {
		b.malformed(strings.ToUpper(pname), off+p, "record cut short or bogus")
		if b.ds.Summary {
			b.setInfo(info.String() + "[Malformed Packet]")
		}
		return
	}
	if b.ds.Summary {
		b.setInfo(info.String())
	}
}

// dnsQuestions adds the Queries section; false means the message is bad
// and dissection stops (subtrees it opened are closed).
func dnsQuestions(b *builder, off int, msg []byte, p *int, n int, mdns bool, info *strings.Builder) bool {
	if n == 0 {
		return true
	}
	b.open(fDNSSection, off+*p, 0).Text = "Queries"
	si := b.mark() - 1
	start := *p
	for i := 0; i < n; i++ {
		name, labels, used, bad := dnsName(msg, *p)
		if used == 0 || *p+used+4 > len(msg) {
			b.close()
			return false
		}
		q := *p
		t, c := binary.BigEndian.Uint16(msg[q+used:]), binary.BigEndian.Uint16(msg[q+used+2:])
		cls := c
		if mdns {
			cls &= 0x7fff
		}
		b.open(fDNSRecord, off+q, used+4).Text = fmt.Sprintf("%s: type %s, class %s", name, dnsTypeShort(t), dnsClassName(cls))
		b.add(fDNSQryName, off+q, used).S = name
		if bad == "" {
			b.addU(fDNSQryNameLn, off+q, used, uint64(len(name))).Generated = true
			b.addU(fDNSLabels, off+q, used, uint64(labels)).Generated = true
		}
		b.addU(fDNSQryType, off+q+used, 2, uint64(t))
		b.addU(fDNSQryClass, off+q+used+2, 2, uint64(cls))
		if mdns {
			b.addU(fDNSQU, off+q+used+2, 2, uint64(c>>15))
		}
		b.close()
		fmt.Fprintf(info, " %s %s", dnsTypeShort(t), name)
		if mdns && c&0x8000 != 0 {
			info.WriteString(`, "QU" question`)
		}
		*p += used + 4
	}
	b.at(si).Length = int32(*p - start)
	b.close()
	return true
}

// dnsRecords adds one resource-record section.
func dnsRecords(b *builder, off int, msg []byte, p *int, n int, title string, mdns bool, info *strings.Builder) bool {
	if n == 0 {
		return true
	}
	b.open(fDNSSection, off+*p, 0).Text = title
	si := b.mark() - 1
	start := *p
	for i := 0; i < n; i++ {
		name, _, used, _ := dnsName(msg, *p)
		q := *p
		if used == 0 || q+used+10 > len(msg) {
			b.close()
			return false
		}
		h := msg[q+used:]
		t, c := binary.BigEndian.Uint16(h), binary.BigEndian.Uint16(h[2:])
		ttl, rdlen := binary.BigEndian.Uint32(h[4:]), int(binary.BigEndian.Uint16(h[8:]))
		rd := q + used + 10
		if rd+rdlen > len(msg) {
			b.close()
			return false
		}
		cls := c
		if mdns && t != 41 {
			cls &= 0x7fff
		}
		ri := b.mark()
		b.open(fDNSRecord, off+q, used+10+rdlen)
		b.add(fDNSRespName, off+q, used).S = name
		b.addU(fDNSRespType, off+q+used, 2, uint64(t))
		summary := fmt.Sprintf("%s: type %s", name, dnsTypeShort(t))
		if t == 41 {
			b.addU(fDNSUDPSize, off+q+used+2, 2, uint64(c))
			b.addU(fDNSExtRcode, off+q+used+4, 1, uint64(h[4]))
			b.addU(fDNSEDNSVer, off+q+used+5, 1, uint64(h[5]))
			z := uint64(binary.BigEndian.Uint16(h[6:]))
			b.addU(fDNSEDNSZ, off+q+used+6, 2, z)
			b.depth++
			if z&0x8000 != 0 {
				b.addU(fDNSEDNSDO, off+q+used+6, 2, 1)
			}
			b.addU(fDNSEDNSRsv, off+q+used+6, 2, z&0x7fff)
			b.depth--
		} else {
			summary += ", class " + dnsClassName(cls)
			b.addU(fDNSRespClass, off+q+used+2, 2, uint64(cls))
			if mdns {
				b.addU(fDNSFlush, off+q+used+2, 2, uint64(c>>15))
			}
			b.addU(fDNSTTL, off+q+used+4, 4, uint64(ttl))
		}
		b.addU(fDNSRespLen, off+q+used+8, 2, uint64(rdlen))
		data := msg[rd : rd+rdlen]
		infoData := ""
		nameAt := func(def *FieldDef, at int) (string, bool) {
			nm, _, u, _ := dnsName(msg, at)
			if u == 0 || at+u > rd+rdlen {
				return "", false
			}
			b.add(def, off+at, u).S = nm
			return nm, true
		}
		okRD := true
		switch {
		case t == 1 && rdlen == 4:
			a := binary.BigEndian.Uint32(data)
			b.addU(fDNSA, off+rd, 4, uint64(a))
			infoData = formatIPv4(a)
			summary += ", addr " + infoData
		case t == 28 && rdlen == 16:
			b.addB(fDNSAAAA, off+rd, 16)
			infoData = formatIPv6(data)
			summary += ", addr " + infoData
		case t == 5 || t == 12 || t == 2:
			def, word := fDNSCNAME, ", cname "
			switch t {
			case 12:
				def, word = fDNSPTR, ", "
			case 2:
				def, word = fDNSNS, ", ns "
			}
			if infoData, okRD = nameAt(def, rd); okRD {
				summary += word + infoData
			}
		case t == 15 && rdlen >= 3:
			pref := binary.BigEndian.Uint16(data)
			b.addU(fDNSMXPref, off+rd, 2, uint64(pref))
			var mx string
			if mx, okRD = nameAt(fDNSMX, rd+2); okRD {
				infoData = fmt.Sprintf("%d %s", pref, mx)
				summary += fmt.Sprintf(", preference %d, mx %s", pref, mx)
			}
		case t == 16 || t == 99:
			for j := 0; j < rdlen; {
				l := int(data[j])
				if j+1+l > rdlen {
					okRD = false
					break
				}
				b.addU(fDNSTXTLen, off+rd+j, 1, uint64(l))
				b.add(fDNSTXT, off+rd+j+1, l).S = string(data[j+1 : j+1+l])
				j += 1 + l
			}
		case t == 6:
			var mname string
			if mname, okRD = nameAt(fDNSSOAMname, rd); !okRD {
				break
			}
			summary += ", mname " + mname
			infoData = mname
			_, _, u, _ := dnsName(msg, rd)
			_, _, u2, _ := dnsName(msg, rd+u)
			if _, okRD = nameAt(fDNSSOARname, rd+u); !okRD || rd+u+u2+20 > rd+rdlen {
				okRD = false
				break
			}
			at := rd + u + u2
			for k, def := range []*FieldDef{fDNSSOASerial, fDNSSOARefresh, fDNSSOARetry, fDNSSOAExpire, fDNSSOAMin} {
				b.addU(def, off+at+4*k, 4, uint64(binary.BigEndian.Uint32(msg[at+4*k:])))
			}
		default:
			if rdlen > 0 && t != 41 {
				b.addB(fDNSData, off+rd, rdlen)
			}
		}
		b.at(ri).Text = summary
		b.close()
		if !okRD {
			b.close()
			*p = rd
			return false
		}
		info.WriteString(" " + dnsTypeShort(t))
		if infoData != "" {
			info.WriteString(" " + infoData)
		}
		*p = rd + rdlen
	}
	b.at(si).Length = int32(*p - start)
	b.close()
	return true
}

var dnsPayload = func() *Payload {
	p := newPayload("dns", "Domain Name System", func(b *builder, off int) int {
		dissectDNS(b, off, len(b.data))
		return len(b.data)
	})
	p.Optional = true
	return p
}()

var (
	_ = udpPorts.register(53, dnsPayload)
	_ = udpPorts.register(5353, dnsPayload) // mDNS: tshark names it DNS too
)
