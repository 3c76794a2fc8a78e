package decode

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// DHCPv6 (RFC 8415; UDP 546 and 547) with Wireshark's field names
// (packet-dhcpv6.c) and tshark's Info, "Solicit XID: 0x1a2b3c CID:
// 0001...  IAA: 2001:db8::100 ". The options troubleshooting reads are
// named (DUIDs, IA_NA and its addresses, elapsed time, the option
// request, DNS servers, search list); others by type and length. Relay
// messages are shown by type.

var dhcpv6MsgTypes = map[uint64]string{1: "Solicit", 2: "Advertise", 3: "Request", 4: "Confirm", 5: "Renew", 6: "Rebind",
	7: "Reply", 8: "Release", 9: "Decline", 10: "Reconfigure", 11: "Information-request", 12: "Relay-forw", 13: "Relay-reply"}

var dhcpv6OptNames = map[uint64]string{1: "Client Identifier", 2: "Server Identifier", 3: "Identity Association for Non-temporary Address",
	4: "Identity Association for Temporary Address", 5: "IA Address", 6: "Option Request", 7: "Preference", 8: "Elapsed time",
	9: "Relay Message", 11: "Authentication", 12: "Server unicast", 13: "Status code", 14: "Rapid Commit", 15: "User Class",
	16: "Vendor Class", 17: "Vendor-specific Information", 18: "Interface-Id", 19: "Reconfigure Message", 20: "Reconfigure Accept",
	23: "DNS recursive name server", 24: "Domain Search List", 25: "Identity Association for Prefix Delegation", 26: "IA Prefix",
	31: "Simple Network Time Protocol Server", 32: "Lifetime", 39: "Fully Qualified Domain Name", 56: "NTP Server"}

var dhcpv6DUIDTypes = map[uint64]string{1: "link-layer address plus time", 2: "assigned by vendor based on Enterprise number",
	3: "link-layer address", 4: "Universally Unique IDentifier (UUID)"}

// dhcpv6Epoch is 2000-01-01 00:00:00 UTC, where DUID-LLT times count from.
const dhcpv6Epoch = 946684800

var (
	fDHCPv6        = Register(FieldDef{Name: "dhcpv6", Label: "DHCPv6", Type: FTProtocol})
	fDHCPv6MsgType = Register(FieldDef{Name: "dhcpv6.msgtype", Label: "Message type", Type: FTUint, Values: dhcpv6MsgTypes})
	fDHCPv6XID     = Register(FieldDef{Name: "dhcpv6.xid", Label: "Transaction ID", Type: FTUint, Base: BaseHex, Bits: 0})
	fDHCPv6Opt     = Register(FieldDef{Name: "dhcpv6.option", Label: "Option", Type: FTNone})
	fDHCPv6OptType = Register(FieldDef{Name: "dhcpv6.option.type", Label: "Option", Type: FTUint, Values: dhcpv6OptNames})
	fDHCPv6OptLen  = Register(FieldDef{Name: "dhcpv6.option.length", Label: "Length", Type: FTUint})
	fDHCPv6OptVal  = Register(FieldDef{Name: "dhcpv6.option.value", Label: "Value", Type: FTBytes})
	fDHCPv6DUID    = Register(FieldDef{Name: "dhcpv6.duid.bytes", Label: "DUID", Type: FTBytes})
	fDHCPv6DUIDTyp = Register(FieldDef{Name: "dhcpv6.duid.type", Label: "DUID Type", Type: FTUint, Values: dhcpv6DUIDTypes})
	fDHCPv6LLTHW   = Register(FieldDef{Name: "dhcpv6.duidllt.hwtype", Label: "Hardware type", Type: FTUint, Values: map[uint64]string{1: "Ethernet"}})
	fDHCPv6LLTTime = Register(FieldDef{Name: "dhcpv6.duidllt.time", Label: "DUID Time", Type: FTAbsTime})
	fDHCPv6LLTAddr = Register(FieldDef{Name: "dhcpv6.duidllt.link_layer_addr", Label: "Link-layer address", Type: FTEther})
	fDHCPv6LLHW    = Register(FieldDef{Name: "dhcpv6.duidll.hwtype", Label: "Hardware type", Type: FTUint, Values: map[uint64]string{1: "Ethernet"}})
	fDHCPv6LLAddr  = Register(FieldDef{Name: "dhcpv6.duidll.link_layer_addr", Label: "Link-layer address", Type: FTEther})
	fDHCPv6Elapsed = Register(FieldDef{Name: "dhcpv6.elapsed_time", Label: "Elapsed time", Type: FTUint,
		Display: func(f *Field) string { return fmt.Sprintf("Elapsed time: %dms", f.U*10) }})
	fDHCPv6ReqOpt  = Register(FieldDef{Name: "dhcpv6.requested_option_code", Label: "Requested Option code", Type: FTUint, Values: dhcpv6OptNames})
	fDHCPv6IAID    = Register(FieldDef{Name: "dhcpv6.iaid", Label: "IAID", Type: FTBytes})
	fDHCPv6T1      = Register(FieldDef{Name: "dhcpv6.iaid.t1", Label: "T1", Type: FTUint})
	fDHCPv6T2      = Register(FieldDef{Name: "dhcpv6.iaid.t2", Label: "T2", Type: FTUint})
	fDHCPv6IAAddr  = Register(FieldDef{Name: "dhcpv6.iaaddr.ip", Label: "IPv6 address", Type: FTIPv6})
	fDHCPv6Pref    = Register(FieldDef{Name: "dhcpv6.iaaddr.pref_lifetime", Label: "Preferred lifetime", Type: FTUint})
	fDHCPv6Valid   = Register(FieldDef{Name: "dhcpv6.iaaddr.valid_lifetime", Label: "Valid lifetime", Type: FTUint})
	fDHCPv6DNS     = Register(FieldDef{Name: "dhcpv6.dns_server", Label: "DNS server address", Type: FTIPv6})
	fDHCPv6Search  = Register(FieldDef{Name: "dhcpv6.search_list_entry", Label: "List entry", Type: FTString})
	fDHCPv6Status  = Register(FieldDef{Name: "dhcpv6.status_code", Label: "Status Code", Type: FTUint})
	fDHCPv6StatMsg = Register(FieldDef{Name: "dhcpv6.status_message", Label: "Status Message", Type: FTString})
)

func dissectDHCPv6(b *builder, off int) int {
	d := b.enterLayer("dhcpv6", "DHCPv6", off, len(b.data))
	if len(d) < 4 {
		b.malformed("DHCPv6", off, "header cut short")
		return len(b.data)
	}
	b.open(fDHCPv6, off, len(d))
	mt := d[0]
	b.addU(fDHCPv6MsgType, off, 1, uint64(mt))
	name, ok := dhcpv6MsgTypes[uint64(mt)]
	if !ok {
		name = fmt.Sprintf("Unknown (%d)", mt)
	}
	var info strings.Builder
	info.WriteString(name)
	if mt == 12 || mt == 13 {
		b.close()
		if b.ds.Summary {
			b.setInfo(name)
		}
		return len(b.data)
	}
	xid := uint64(d[1])<<16 | uint64(d[2])<<8 | uint64(d[3])
	b.addU(fDHCPv6XID, off+1, 3, xid)
	fmt.Fprintf(&info, " XID: 0x%x", xid)
	dhcpv6Options(b, off+4, d[4:], &info, 0)
	b.close()
	if b.ds.Summary {
		b.setInfo(info.String() + " ")
	}
	return len(b.data)
}

// dhcpv6Options dissects options (nested ones inside IA options too) and
// adds what tshark's Info shows of them.
func dhcpv6Options(b *builder, off int, d []byte, info *strings.Builder, depth int) {
	for p := 0; p+4 <= len(d); {
		code, l := binary.BigEndian.Uint16(d[p:]), int(binary.BigEndian.Uint16(d[p+2:]))
		if p+4+l > len(d) {
			b.malformed("DHCPv6", off+p, fmt.Sprintf("option length %d past the message", l))
			return
		}
		v, vo := d[p+4:p+4+l], off+p+4
		name, ok := dhcpv6OptNames[uint64(code)]
		if !ok {
			name = fmt.Sprintf("Unknown (%d)", code)
		}
		b.open(fDHCPv6Opt, off+p, 4+l).Text = name
		b.addU(fDHCPv6OptType, off+p, 2, uint64(code))
		b.addU(fDHCPv6OptLen, off+p+2, 2, uint64(l))
		switch {
		case (code == 1 || code == 2) && l >= 2:
			b.addB(fDHCPv6DUID, vo, l)
			if code == 1 {
				info.WriteString(" CID: " + hex.EncodeToString(v))
			}
			t := binary.BigEndian.Uint16(v)
			b.addU(fDHCPv6DUIDTyp, vo, 2, uint64(t))
			switch {
			case t == 1 && l >= 8:
				b.addU(fDHCPv6LLTHW, vo+2, 2, uint64(binary.BigEndian.Uint16(v[2:])))
				b.addU(fDHCPv6LLTTime, vo+4, 4, uint64((dhcpv6Epoch+int64(binary.BigEndian.Uint32(v[4:])))*1e9))
				if l == 14 {
					b.addB(fDHCPv6LLTAddr, vo+8, 6)
				}
			case t == 3 && l >= 4:
				b.addU(fDHCPv6LLHW, vo+2, 2, uint64(binary.BigEndian.Uint16(v[2:])))
				if l == 10 {
					b.addB(fDHCPv6LLAddr, vo+4, 6)
				}
			}
		case code == 3 && l >= 12, code == 25 && l >= 12:
			b.addB(fDHCPv6IAID, vo, 4)
			b.addU(fDHCPv6T1, vo+4, 4, uint64(binary.BigEndian.Uint32(v[4:])))
			b.addU(fDHCPv6T2, vo+8, 4, uint64(binary.BigEndian.Uint32(v[8:])))
			if depth < 4 {
				dhcpv6Options(b, vo+12, v[12:], info, depth+1)
			}
		case code == 4 && l >= 4:
			b.addB(fDHCPv6IAID, vo, 4)
			if depth < 4 {
				dhcpv6Options(b, vo+4, v[4:], info, depth+1)
			}
		case code == 5 && l >= 24:
			b.addB(fDHCPv6IAAddr, vo, 16)
			info.WriteString(" IAA: " + formatIPv6(v[:16]))
			b.addU(fDHCPv6Pref, vo+16, 4, uint64(binary.BigEndian.Uint32(v[16:])))
			b.addU(fDHCPv6Valid, vo+20, 4, uint64(binary.BigEndian.Uint32(v[20:])))
			if depth < 4 {
				dhcpv6Options(b, vo+24, v[24:], info, depth+1)
			}
		case code == 6:
			for q := 0; q+2 <= l; q += 2 {
				b.addU(fDHCPv6ReqOpt, vo+q, 2, uint64(binary.BigEndian.Uint16(v[q:])))
			}
		case code == 8 && l == 2:
			b.addU(fDHCPv6Elapsed, vo, 2, uint64(binary.BigEndian.Uint16(v)))
		case code == 13 && l >= 2:
			b.addU(fDHCPv6Status, vo, 2, uint64(binary.BigEndian.Uint16(v)))
			b.add(fDHCPv6StatMsg, vo+2, l-2).S = string(v[2:])
		case code == 23:
			for q := 0; q+16 <= l; q += 16 {
				b.addB(fDHCPv6DNS, vo+q, 16)
			}
		case code == 24:
			for q := 0; q < l; {
				name, n := dhcpv6Name(v[q:])
				if n == 0 {
					break
				}
				b.add(fDHCPv6Search, vo+q, n).S = name
				q += n
			}
		default:
			if l > 0 {
				b.addB(fDHCPv6OptVal, vo, l)
			}
		}
		b.close()
		p += 4 + l
	}
}

// dhcpv6Name reads an uncompressed DNS name (RFC 8415 section 10) as
// Wireshark writes it, with the root's dot; n is 0 when it is malformed.
func dhcpv6Name(d []byte) (string, int) {
	var s strings.Builder
	for p := 0; p < len(d); {
		l := int(d[p])
		if l == 0 {
			return s.String(), p + 1
		}
		if l > 63 || p+1+l > len(d) {
			return "", 0
		}
		s.Write(d[p+1 : p+1+l])
		s.WriteByte('.')
		p += 1 + l
	}
	return "", 0
}

var dhcpv6Payload = func() *Payload {
	p := newPayload("dhcpv6", "DHCPv6", dissectDHCPv6)
	p.Optional = true
	return p
}()

var _ = func() bool {
	udpPorts.register(546, dhcpv6Payload)
	udpPorts.register(547, dhcpv6Payload)
	return true
}()
