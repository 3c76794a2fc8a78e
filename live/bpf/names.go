package bpf

import (
	"net/netip"
	"strconv"
	"strings"
)

// Protocol bits for port names. libpcap looks names up in /etc/services
// and, when a name is only listed for TCP (http, ssh), "port http" matches
// TCP only; the table keeps that distinction so verdicts match tcpdump on
// a Debian system. It is built in because the filter must not depend on
// the files of the machine that compiles it.
const (
	pTCP = 1 << iota
	pUDP
)

var portNames = map[string]struct {
	port   uint16
	protos int
}{
	"ftp-data": {20, pTCP}, "ftp": {21, pTCP}, "ssh": {22, pTCP}, "telnet": {23, pTCP},
	"smtp": {25, pTCP}, "mail": {25, pTCP}, "domain": {53, pTCP | pUDP},
	"bootps": {67, pUDP}, "bootpc": {68, pUDP}, "tftp": {69, pUDP},
	"http": {80, pTCP}, "www": {80, pTCP}, "kerberos": {88, pTCP | pUDP},
	"pop3": {110, pTCP}, "ntp": {123, pUDP}, "netbios-ns": {137, pUDP},
	"netbios-dgm": {138, pUDP}, "netbios-ssn": {139, pTCP}, "imap2": {143, pTCP},
	"imap": {143, pTCP}, "snmp": {161, pTCP | pUDP}, "snmp-trap": {162, pTCP | pUDP},
	"bgp": {179, pTCP}, "ldap": {389, pTCP | pUDP}, "https": {443, pTCP | pUDP},
	"microsoft-ds": {445, pTCP}, "isakmp": {500, pUDP}, "syslog": {514, pUDP},
	"submission": {587, pTCP}, "ldaps": {636, pTCP | pUDP}, "rsync": {873, pTCP},
	"imaps": {993, pTCP}, "pop3s": {995, pTCP}, "openvpn": {1194, pTCP | pUDP},
	"radius": {1812, pTCP | pUDP}, "nfs": {2049, pTCP | pUDP}, "mysql": {3306, pTCP},
	"ms-wbt-server": {3389, pTCP}, "sip": {5060, pTCP | pUDP}, "mdns": {5353, pUDP},
	"postgresql": {5432, pTCP}, "postgres": {5432, pTCP}, "http-alt": {8080, pTCP},
	"git": {9418, pTCP},
}

// IP protocol names accepted after "proto" (usually written "\tcp" since
// tcp is a keyword). libpcap uses /etc/protocols, where ICMPv6 is called
// "ipv6-icmp".
var ipProtoNames = map[string]uint32{
	"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
	"ipv6-icmp": 58, "ospf": 89, "pim": 103, "vrrp": 112, "sctp": 132,
}

// EtherType names accepted after "ether proto". AppleTalk, IPX, NetBEUI and
// ISO need libpcap's LLC/SNAP special cases and are rejected instead.
var etherProtoNames = map[string]uint32{
	"ip": 0x0800, "ip6": 0x86dd, "arp": 0x0806, "rarp": 0x8035, "loopback": 0x9000,
	"mopdl": 0x6001, "moprc": 0x6002, "decnet": 0x6003, "lat": 0x6004, "sca": 0x6007,
}

// Named constants usable in arithmetic, from pcap-filter(7).
var arithNames = map[string]uint32{
	"tcpflags": 13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
	"icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
	"icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135,
	"icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-multicastlistenerreportv2": 143,
}

// keywords are the words the parser gives a meaning to; any other word in
// a keyword position is reported as unknown rather than taken as a host
// name.
var keywords = map[string]bool{
	"host": true, "net": true, "port": true, "portrange": true, "src": true, "dst": true,
	"and": true, "or": true, "not": true, "ether": true, "link": true, "ip": true, "ip6": true,
	"arp": true, "rarp": true, "tcp": true, "udp": true, "sctp": true, "icmp": true,
	"icmp6": true, "igmp": true, "proto": true, "vlan": true, "greater": true, "less": true,
	"len": true, "broadcast": true, "multicast": true, "inbound": true, "outbound": true,
	"mask": true,
}

// unsupported are pcap-filter(7) keywords this compiler does not implement.
// They get their own error so that users know the syntax is valid tcpdump
// but not available here.
var unsupported = map[string]bool{
	"gateway": true, "protochain": true, "mpls": true, "pppoed": true, "pppoes": true,
	"geneve": true, "llc": true, "atalk": true, "aarp": true, "decnet": true, "iso": true,
	"stp": true, "ipx": true, "netbeui": true, "lat": true, "moprc": true, "mopdl": true,
	"sca": true, "wlan": true, "type": true, "subtype": true, "dir": true, "ra": true,
	"ta": true, "addr1": true, "addr2": true, "addr3": true, "addr4": true, "ifname": true,
	"on": true, "rnr": true, "rulenum": true, "reason": true, "rset": true, "srnr": true,
	"subrulenum": true, "action": true, "fddi": true, "tr": true, "ah": true, "esp": true,
	"pim": true, "vrrp": true, "carp": true, "clnp": true, "esis": true, "isis": true,
	"l1": true, "l2": true, "iih": true, "lsp": true, "snp": true, "csnp": true, "psnp": true,
	"radio": true, "ppp": true, "slip": true, "atm": true, "lane": true, "oamf4": true,
	"oamf4ec": true, "oamf4sc": true, "oam": true, "metac": true, "bcc": true, "sc": true,
	"ilmic": true, "connectmsg": true, "metaconnect": true, "vpi": true, "vci": true,
	"hdlc": true, "lapd": true, "fisu": true, "lssu": true, "msu": true, "sio": true,
	"opc": true, "dpc": true, "sls": true, "netmask": true,
}

// parseNum parses a number the way libpcap does: decimal, 0x hex, or octal
// with a leading 0. Go's base-0 parsing would also take 0b, 0o and '_',
// which tcpdump rejects.
func parseNum(s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	digits := s
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, digits = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, s[1:]
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		ok := c >= '0' && c <= '9' || base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
		if !ok || base == 8 && c > '7' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil {
		return 0, false
	}
	return uint32(v), true
}

// parseIPv4 parses 1 to 4 dotted decimal parts. It returns the address
// (parts left-aligned, as "net 10" means 10.0.0.0) and the number of parts.
func parseIPv4(s string) (addr uint32, parts int, ok bool) {
	fields := strings.Split(s, ".")
	if len(fields) > 4 {
		return 0, 0, false
	}
	for _, f := range fields {
		if f == "" || len(f) > 3 {
			return 0, 0, false
		}
		for i := 0; i < len(f); i++ {
			if f[i] < '0' || f[i] > '9' {
				return 0, 0, false
			}
		}
		v, _ := strconv.Atoi(f)
		if v > 255 {
			return 0, 0, false
		}
		addr = addr<<8 | uint32(v)
	}
	addr <<= 8 * uint(4-len(fields))
	return addr, len(fields), true
}

func parseIPv6(s string) ([16]byte, bool) {
	if !strings.Contains(s, ":") {
		return [16]byte{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return [16]byte{}, false
	}
	return a.As16(), true
}

// parseMAC accepts the forms libpcap does: six groups of one or two hex
// digits separated by ':' or '-' (one separator throughout), or three
// groups of four hex digits separated by '.'.
func parseMAC(s string) ([6]byte, bool) {
	var m [6]byte
	hexv := func(g string) (uint64, bool) {
		if g == "" {
			return 0, false
		}
		v, err := strconv.ParseUint(g, 16, 64)
		return v, err == nil && !strings.ContainsAny(g, "+-_xX")
	}
	for _, sep := range []string{":", "-"} {
		g := strings.Split(s, sep)
		if len(g) != 6 {
			continue
		}
		for i, x := range g {
			v, ok := hexv(x)
			if !ok || len(x) > 2 {
				return m, false
			}
			m[i] = byte(v)
		}
		return m, true
	}
	g := strings.Split(s, ".")
	if len(g) == 3 {
		for i, x := range g {
			v, ok := hexv(x)
			if !ok || len(x) != 4 {
				return m, false
			}
			m[2*i], m[2*i+1] = byte(v>>8), byte(v)
		}
		return m, true
	}
	return m, false
}
