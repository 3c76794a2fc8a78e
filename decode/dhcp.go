package decode

import (
	"encoding/binary"
	"fmt"
)

// DHCP and BOOTP (RFC 2131/2132) with Wireshark's field names
// (packet-dhcp.c) and tshark's Info, "DHCP Discover - Transaction ID
// 0x3903f326". The options troubleshooting reads are named; the others
// are shown by type, length and value.

var dhcpMsgTypes = map[uint64]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK", 7: "Release",
	8: "Inform", 9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown", 13: "Lease Active"}

var dhcpOptNames = map[uint64]string{0: "Padding", 1: "Subnet Mask", 2: "Time Offset", 3: "Router", 6: "Domain Name Server",
	12: "Host Name", 15: "Domain Name", 26: "Interface MTU", 28: "Broadcast Address", 42: "Network Time Protocol Servers",
	50: "Requested IP Address", 51: "IP Address Lease Time", 53: "DHCP Message Type", 54: "DHCP Server Identifier",
	55: "Parameter Request List", 57: "Maximum DHCP Message Size", 58: "Renewal Time Value", 59: "Rebinding Time Value",
	60: "Vendor class identifier", 61: "Client identifier", 81: "Client Fully Qualified Domain Name", 119: "Domain Search",
	121: "Classless Static Route", 255: "End"}

var (
	fDHCP         = Register(FieldDef{Name: "dhcp", Label: "Dynamic Host Configuration Protocol", Type: FTProtocol})
	fDHCPType     = Register(FieldDef{Name: "dhcp.type", Label: "Message type", Type: FTUint, Values: map[uint64]string{1: "Boot Request", 2: "Boot Reply"}})
	fDHCPHWType   = Register(FieldDef{Name: "dhcp.hw.type", Label: "Hardware type", Type: FTUint, Base: BaseHex, Bits: 8, Values: map[uint64]string{1: "Ethernet"}})
	fDHCPHWLen    = Register(FieldDef{Name: "dhcp.hw.len", Label: "Hardware address length", Type: FTUint})
	fDHCPHops     = Register(FieldDef{Name: "dhcp.hops", Label: "Hops", Type: FTUint})
	fDHCPID       = Register(FieldDef{Name: "dhcp.id", Label: "Transaction ID", Type: FTUint, Base: BaseHex, Bits: 32})
	fDHCPSecs     = Register(FieldDef{Name: "dhcp.secs", Label: "Seconds elapsed", Type: FTUint})
	fDHCPFlags    = Register(FieldDef{Name: "dhcp.flags", Label: "Bootp flags", Type: FTUint, Base: BaseHex, Bits: 16})
	fDHCPFlagBC   = Register(FieldDef{Name: "dhcp.flags.bc", Label: "Broadcast flag", Type: FTBool, Bits: 16, Bitmask: 0x8000})
	fDHCPFlagRes  = Register(FieldDef{Name: "dhcp.flags.reserved", Label: "Reserved flags", Type: FTUint, Base: BaseHex, Bits: 16, Bitmask: 0x7fff})
	fDHCPCIAddr   = Register(FieldDef{Name: "dhcp.ip.client", Label: "Client IP address", Type: FTIPv4})
	fDHCPYIAddr   = Register(FieldDef{Name: "dhcp.ip.your", Label: "Your (client) IP address", Type: FTIPv4})
	fDHCPSIAddr   = Register(FieldDef{Name: "dhcp.ip.server", Label: "Next server IP address", Type: FTIPv4})
	fDHCPGIAddr   = Register(FieldDef{Name: "dhcp.ip.relay", Label: "Relay agent IP address", Type: FTIPv4})
	fDHCPMAC      = Register(FieldDef{Name: "dhcp.hw.mac_addr", Label: "Client MAC address", Type: FTEther})
	fDHCPPadding  = Register(FieldDef{Name: "dhcp.hw.addr_padding", Label: "Client hardware address padding", Type: FTBytes})
	fDHCPServer   = Register(FieldDef{Name: "dhcp.server", Label: "Server host name", Type: FTString})
	fDHCPFile     = Register(FieldDef{Name: "dhcp.file", Label: "Boot file name", Type: FTString})
	fDHCPCookie   = Register(FieldDef{Name: "dhcp.cookie", Label: "Magic cookie", Type: FTIPv4})
	fDHCPOptType  = Register(FieldDef{Name: "dhcp.option.type", Label: "Option", Type: FTUint, Values: dhcpOptNames})
	fDHCPOptLen   = Register(FieldDef{Name: "dhcp.option.length", Label: "Length", Type: FTUint})
	fDHCPOptValue = Register(FieldDef{Name: "dhcp.option.value", Label: "Value", Type: FTBytes})
	fDHCPMsgType  = Register(FieldDef{Name: "dhcp.option.dhcp", Label: "DHCP", Type: FTUint, Values: dhcpMsgTypes})
	fDHCPMask     = Register(FieldDef{Name: "dhcp.option.subnet_mask", Label: "Subnet Mask", Type: FTIPv4})
	fDHCPRouter   = Register(FieldDef{Name: "dhcp.option.router", Label: "Router", Type: FTIPv4})
	fDHCPDNS      = Register(FieldDef{Name: "dhcp.option.domain_name_server", Label: "Domain Name Server", Type: FTIPv4})
	fDHCPHostname = Register(FieldDef{Name: "dhcp.option.hostname", Label: "Host Name", Type: FTString})
	fDHCPDomain   = Register(FieldDef{Name: "dhcp.option.domain_name", Label: "Domain Name", Type: FTString})
	fDHCPBcast    = Register(FieldDef{Name: "dhcp.option.broadcast_address", Label: "Broadcast Address", Type: FTIPv4})
	fDHCPReqIP    = Register(FieldDef{Name: "dhcp.option.requested_ip_address", Label: "Requested IP Address", Type: FTIPv4})
	fDHCPLease    = Register(FieldDef{Name: "dhcp.option.ip_address_lease_time", Label: "IP Address Lease Time", Type: FTUint})
	fDHCPServerID = Register(FieldDef{Name: "dhcp.option.dhcp_server_id", Label: "DHCP Server Identifier", Type: FTIPv4})
	fDHCPReqItem  = Register(FieldDef{Name: "dhcp.option.request_list_item", Label: "Parameter Request List Item", Type: FTUint, Values: dhcpOptNames})
	fDHCPMaxSize  = Register(FieldDef{Name: "dhcp.option.dhcp_max_message_size", Label: "Maximum DHCP Message Size", Type: FTUint})
	fDHCPRenewal  = Register(FieldDef{Name: "dhcp.option.renewal_time_value", Label: "Renewal Time Value", Type: FTUint})
	fDHCPRebind   = Register(FieldDef{Name: "dhcp.option.rebinding_time_value", Label: "Rebinding Time Value", Type: FTUint})
	fDHCPVendor   = Register(FieldDef{Name: "dhcp.option.vendor_class_id", Label: "Vendor class identifier", Type: FTString})
	fDHCPEnd      = Register(FieldDef{Name: "dhcp.option.end", Label: "Option End", Type: FTUint})
	fDHCPOpt      = Register(FieldDef{Name: "dhcp.option", Label: "Option", Type: FTNone})
)

// dhcpAddrOpts are the options that hold IPv4 addresses, by type.
var dhcpAddrOpts = map[byte]*FieldDef{1: fDHCPMask, 3: fDHCPRouter, 6: fDHCPDNS, 28: fDHCPBcast, 50: fDHCPReqIP, 54: fDHCPServerID}

var dhcpU32Opts = map[byte]*FieldDef{51: fDHCPLease, 58: fDHCPRenewal, 59: fDHCPRebind}

var dhcpStrOpts = map[byte]*FieldDef{12: fDHCPHostname, 15: fDHCPDomain, 60: fDHCPVendor}

func dissectDHCP(b *builder, off int) int {
	d := b.enterLayer("dhcp", "DHCP", off, len(b.data))
	if len(d) < 236 {
		b.malformed("DHCP", off, fmt.Sprintf("header cut short: %d of 236 bytes", len(d)))
		return len(b.data)
	}
	b.open(fDHCP, off, len(d))
	// By logical index: a pointer from open is stale after the adds below
	// (the field slice grows), which showed only when buffers were fresh.
	root := len(b.phys) - 1
	b.addU(fDHCPType, off, 1, uint64(d[0]))
	b.addU(fDHCPHWType, off+1, 1, uint64(d[1]))
	b.addU(fDHCPHWLen, off+2, 1, uint64(d[2]))
	b.addU(fDHCPHops, off+3, 1, uint64(d[3]))
	xid := binary.BigEndian.Uint32(d[4:])
	b.addU(fDHCPID, off+4, 4, uint64(xid))
	b.addU(fDHCPSecs, off+8, 2, uint64(binary.BigEndian.Uint16(d[8:])))
	fl := binary.BigEndian.Uint16(d[10:])
	b.addU(fDHCPFlags, off+10, 2, uint64(fl))
	b.depth++
	b.addU(fDHCPFlagBC, off+10, 2, uint64(fl>>15))
	b.addU(fDHCPFlagRes, off+10, 2, uint64(fl&0x7fff))
	b.depth--
	for i, def := range []*FieldDef{fDHCPCIAddr, fDHCPYIAddr, fDHCPSIAddr, fDHCPGIAddr} {
		b.addU(def, off+12+4*i, 4, uint64(binary.BigEndian.Uint32(d[12+4*i:])))
	}
	if d[1] == 1 && d[2] == 6 {
		b.addB(fDHCPMAC, off+28, 6)
		b.addB(fDHCPPadding, off+34, 10)
	}
	if s := dhcpString(d[44:108]); s != "" {
		b.add(fDHCPServer, off+44, 64).S = s
	}
	if s := dhcpString(d[108:236]); s != "" {
		b.add(fDHCPFile, off+108, 128).S = s
	}
	msgType := -1
	if len(d) >= 240 && binary.BigEndian.Uint32(d[236:]) == 0x63825363 {
		b.addU(fDHCPCookie, off+236, 4, 0x63825363)
		for p := 240; p < len(d); {
			t := d[p]
			if t == 0 {
				p++
				continue
			}
			if t == 255 {
				b.open(fDHCPOpt, off+p, 1).Text = "Option: (255) End"
				b.addU(fDHCPOptType, off+p, 1, 0) // as tshark 4.0 fills it
				b.addU(fDHCPEnd, off+p, 1, 255)
				b.close()
				break
			}
			if p+2 > len(d) || p+2+int(d[p+1]) > len(d) {
				b.malformed("DHCP", off+p, "option runs past the end")
				break
			}
			l := int(d[p+1])
			v := d[p+2 : p+2+l]
			vo := off + p + 2
			name, ok := dhcpOptNames[uint64(t)]
			if !ok {
				name = "Unknown"
			}
			b.open(fDHCPOpt, off+p, l+2).Text = fmt.Sprintf("Option: (%d) %s", t, name)
			opt := len(b.phys) - 1 // by logical index: adds follow
			b.addU(fDHCPOptType, off+p, 1, uint64(t))
			b.addU(fDHCPOptLen, off+p+1, 1, uint64(l))
			switch {
			case t == 53 && l == 1:
				msgType = int(v[0])
				b.addU(fDHCPMsgType, vo, 1, uint64(v[0]))
				if mt, ok := dhcpMsgTypes[uint64(v[0])]; ok {
					b.at(opt).Text += " (" + mt + ")"
				}
			case dhcpAddrOpts[t] != nil && l%4 == 0:
				for i := 0; i < l; i += 4 {
					b.addU(dhcpAddrOpts[t], vo+i, 4, uint64(binary.BigEndian.Uint32(v[i:])))
				}
			case dhcpU32Opts[t] != nil && l == 4:
				b.addU(dhcpU32Opts[t], vo, 4, uint64(binary.BigEndian.Uint32(v)))
			case dhcpStrOpts[t] != nil:
				b.add(dhcpStrOpts[t], vo, l).S = string(v)
			case t == 55:
				for i := 0; i < l; i++ {
					b.addU(fDHCPReqItem, vo+i, 1, uint64(v[i]))
				}
			case t == 61 && l == 7 && v[0] == 1:
				b.addU(fDHCPHWType, vo, 1, 1)
				b.addB(fDHCPMAC, vo+1, 6)
			case t == 57 && l == 2:
				b.addU(fDHCPMaxSize, vo, 2, uint64(binary.BigEndian.Uint16(v)))
			default:
				if l > 0 {
					b.addB(fDHCPOptValue, vo, l)
				}
			}
			b.close()
			p += 2 + l
		}
	}
	b.close()
	if mt, ok := dhcpMsgTypes[uint64(msgType)]; ok {
		b.at(root).S = "Dynamic Host Configuration Protocol (" + mt + ")"
		if b.ds.Summary {
			b.setInfo(fmt.Sprintf("DHCP %-8s - Transaction ID 0x%08x", mt, xid))
		}
	} else {
		b.at(root).S = "Bootstrap Protocol"
		if b.ds.Summary {
			b.proto = "BOOTP"
			mac := formatMAC(d[28:34])
			if d[0] == 2 {
				b.setInfo("Boot Reply")
			} else {
				b.setInfo("Boot Request from " + mac + " (" + mac + ")")
			}
		}
	}
	return len(b.data)
}

func dhcpString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

var dhcpPayload = func() *Payload {
	p := newPayload("dhcp", "Dynamic Host Configuration Protocol", dissectDHCP)
	p.Optional = true
	return p
}()

var (
	_ = udpPorts.register(67, dhcpPayload)
	_ = udpPorts.register(68, dhcpPayload)
)
