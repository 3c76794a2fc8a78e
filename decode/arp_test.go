package decode

// Expected values in this file are what tshark 4.0 printed for the same
// bytes (tshark -T fields -e _ws.col.Protocol -e _ws.col.Info -e ...); see
// the report for the few places wirelens deliberately differs.

import "testing"

var arpCases = []protoCase{
	{name: "arp.pcap#1", prefs: "", orig: 60, ts: 1700000000, proto: "ARP", info: "Who has 10.0.0.2? Tell 10.0.0.1", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "1"}, {"arp.isgratuitous", ""}, {"arp.isprobe", ""}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", "02:00:00:00:00:01"}, {"arp.src.proto_ipv4", "10.0.0.1"}, {"arp.dst.hw_mac", "00:00:00:00:00:00"}, {"arp.dst.proto_ipv4", "10.0.0.2"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002000000000000000000000000000000000000"},
	{name: "arp.pcap#2", prefs: "", orig: 60, ts: 1700000001, proto: "ARP", info: "10.0.0.2 is at 02:00:00:00:00:02", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "2"}, {"arp.isgratuitous", ""}, {"arp.isprobe", ""}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", "02:00:00:00:00:02"}, {"arp.src.proto_ipv4", "10.0.0.2"}, {"arp.dst.hw_mac", "02:00:00:00:00:01"}, {"arp.dst.proto_ipv4", "10.0.0.1"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "020000000001020000000002080600010800060400020200000000020a0000020200000000010a000001000000000000000000000000000000000000"},
	{name: "arp.pcap#3", prefs: "", orig: 60, ts: 1700000002, proto: "ARP", info: "ARP Announcement for 10.0.0.1", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "1"}, {"arp.isgratuitous", "1"}, {"arp.isprobe", ""}, {"arp.isannouncement", "1"}, {"arp.src.hw_mac", "02:00:00:00:00:01"}, {"arp.src.proto_ipv4", "10.0.0.1"}, {"arp.dst.hw_mac", "00:00:00:00:00:00"}, {"arp.dst.proto_ipv4", "10.0.0.1"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000001000000000000000000000000000000000000"},
	{name: "arp.pcap#4", prefs: "", orig: 60, ts: 1700000003, proto: "ARP", info: "Gratuitous ARP for 10.0.0.1 (Reply)", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "2"}, {"arp.isgratuitous", "1"}, {"arp.isprobe", ""}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", "02:00:00:00:00:01"}, {"arp.src.proto_ipv4", "10.0.0.1"}, {"arp.dst.hw_mac", "ff:ff:ff:ff:ff:ff"}, {"arp.dst.proto_ipv4", "10.0.0.1"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "ffffffffffff020000000001080600010800060400020200000000010a000001ffffffffffff0a000001000000000000000000000000000000000000"},
	{name: "arp.pcap#5", prefs: "", orig: 60, ts: 1700000004, proto: "ARP", info: "Who has 10.0.0.7? (ARP Probe)", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "1"}, {"arp.isgratuitous", ""}, {"arp.isprobe", "1"}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", "02:00:00:00:00:01"}, {"arp.src.proto_ipv4", "0.0.0.0"}, {"arp.dst.hw_mac", "00:00:00:00:00:00"}, {"arp.dst.proto_ipv4", "10.0.0.7"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "ffffffffffff02000000000108060001080006040001020000000001000000000000000000000a000007000000000000000000000000000000000000"},
	{name: "arp.pcap#6", prefs: "", orig: 34, ts: 1700000005, proto: "ARP", info: "[Malformed Packet]", fields: [][2]string{{"arp.hw.type", "1"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "1"}, {"arp.isgratuitous", ""}, {"arp.isprobe", ""}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", ""}, {"arp.src.proto_ipv4", ""}, {"arp.dst.hw_mac", ""}, {"arp.dst.proto_ipv4", ""}, {"eth.padding", ""}},
		data: "ffffffffffff020000000001080600010800060400010200000000010a0000010000"},
	{name: "arp.pcap#7", prefs: "", orig: 60, ts: 1700000006, proto: "RARP", info: "Who is 00:00:00:00:00:00? Tell 00:00:00:00:00:00", fields: [][2]string{{"arp.hw.type", "6"}, {"arp.proto.type", "0x0800"}, {"arp.hw.size", "6"}, {"arp.proto.size", "4"}, {"arp.opcode", "3"}, {"arp.isgratuitous", ""}, {"arp.isprobe", ""}, {"arp.isannouncement", ""}, {"arp.src.hw_mac", "00:00:00:00:00:00"}, {"arp.src.proto_ipv4", "0.0.0.0"}, {"arp.dst.hw_mac", "00:00:00:00:00:00"}, {"arp.dst.proto_ipv4", "0.0.0.0"}, {"eth.padding", "000000000000000000000000000000000000"}},
		data: "ffffffffffff020000000001080600060800060400030000000000000000000000000000000000000000000000000000000000000000000000000000"},
}

func TestARP(t *testing.T) { runProtoCases(t, arpCases) }

func init() { seedProtoCases(arpCases) }
