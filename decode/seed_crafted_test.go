package decode

import (
	"errors"
	"io"

	"github.com/wirelens/wirelens/decode/capfile"
)

// seedCaptures are crafted captures whose frames seed FuzzDissect, each
// with its own link type: routing headers and the link types beyond
// Ethernet, so the fuzzer starts inside each of those dissectors.
var seedCaptures = []string{"ipv6-routing-header.pcap", "ipv6-routing-edge.pcap", "ipv6-routing-rpl.pcap", "udplite-apps.pcap", "geneve-options.pcap", "mpls-pw.pcap", "ieee80211-mgmt.pcap",
	"vxlan.pcap", "vxlan-gpe.pcap", "geneve.pcap", "gre-tunnels.pcap", "erspan.pcap", "mpls.pcap",
	"ppp-9.pcap", "ppp-hdlc-50.pcap", "chdlc-104.pcap", "frelay-107.pcap", "nflog-239.pcap", "radiotap-127.pcap",
	"ieee80211-105.pcap", "linktype-user0-147.pcap", "pppoe.pcap", "teredo.pcap", "vntag.pcap", "ip-in-ip.pcap",
	"ipoib-242.pcap", "pktap-258.pcap", "quic.pcap", "stp.pcap", "cdp.pcap", "lldp.pcap", "vrrp.pcap", "dhcpv6.pcap", "tcp-apps.pcap", "udp-apps.pcap", "rpc.pcap", "dcerpc.pcap", "tls-cert.pcap", "http2.pcap",
	"ospf.pcap", "rip.pcap", "hsrp.pcap", "esp.pcap", "telnet.pcap"}

func init() {
	for _, name := range seedCaptures {
		r, err := capfile.Open("../testdata/crafted/"+name, capfile.Options{})
		if err != nil {
			continue // reported by the golden tests, which need the same files
		}
		for {
			rec, data, err := r.Next()
			if errors.Is(err, io.EOF) || err != nil {
				break
			}
			seedFrames = append(seedFrames, seedFrame{rec.LinkType, append([]byte(nil), data...)})
		}
		r.Close()
	}
}
