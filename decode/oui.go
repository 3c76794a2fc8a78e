package decode

import "github.com/gopacket/gopacket/macs"

// knownManufacturer reports whether the MAC address's first three bytes
// are an IEEE-assigned OUI, as Wireshark's tvb_get_manuf_name_if_known
// answers from its manuf file: gopacket's macs package carries the IEEE
// list. Only heuristics ask (an MPLS pseudowire without a control word).
func knownManufacturer(mac []byte) bool {
	if len(mac) < 3 {
		return false
	}
	_, ok := macs.ValidMACPrefixMap[[3]byte{mac[0], mac[1], mac[2]}]
	return ok
}
