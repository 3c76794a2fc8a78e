package decode

// Expected values in this file are what tshark 4.0 printed for the same
// bytes (tshark -T fields -e _ws.col.Protocol -e _ws.col.Info -e ...); see
// the report for the few places wirelens deliberately differs.

import "testing"

var greCases = []protoCase{
	{name: "gre.pcap#1", prefs: "", orig: 71, ts: 1700000000, proto: "UDP", info: "40001 → 40002 Len=5", fields: [][2]string{{"gre.flags_and_version", "0x0000"}, {"gre.flags.checksum", "0"}, {"gre.flags.key", "0"}, {"gre.proto", "0x0800"}, {"gre.checksum", ""}, {"gre.checksum.status", ""}, {"gre.key", ""}, {"gre.sequence_number", ""}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1,192.168.1.1"}, {"udp.dstport", "40002"}},
		data: "02000000000202000000000108004500003900014000402f26930a0000010a0000020000080045000021000140004011b777c0a80101c0a801029c419c42000d002a68656c6c6f"},
	{name: "gre.pcap#2", prefs: "", orig: 75, ts: 1700000001, proto: "UDP", info: "40001 → 40002 Len=5", fields: [][2]string{{"gre.flags_and_version", "0x8000"}, {"gre.flags.checksum", "1"}, {"gre.flags.key", "0"}, {"gre.proto", "0x0800"}, {"gre.checksum", "0xfb71"}, {"gre.checksum.status", "1"}, {"gre.key", ""}, {"gre.sequence_number", ""}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1,192.168.1.1"}, {"udp.dstport", "40002"}},
		data: "02000000000202000000000108004500003d00014000402f268f0a0000010a00000280000800fb71000045000021000140004011b777c0a80101c0a801029c419c42000d002a68656c6c6f"},
	{name: "gre.pcap#3", prefs: "", orig: 75, ts: 1700000002, proto: "UDP", info: "40001 → 40002 Len=5", fields: [][2]string{{"gre.flags_and_version", "0x8000"}, {"gre.flags.checksum", "1"}, {"gre.flags.key", "0"}, {"gre.proto", "0x0800"}, {"gre.checksum", "0xae24"}, {"gre.checksum.status", "0"}, {"gre.key", ""}, {"gre.sequence_number", ""}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1,192.168.1.1"}, {"udp.dstport", "40002"}},
		data: "02000000000202000000000108004500003d00014000402f268f0a0000010a00000280000800ae24000045000021000140004011b777c0a80101c0a801029c419c42000d002a68656c6c6f"},
	{name: "gre.pcap#4", prefs: "", orig: 79, ts: 1700000003, proto: "UDP", info: "40001 → 40002 Len=5", fields: [][2]string{{"gre.flags_and_version", "0x3000"}, {"gre.flags.checksum", "0"}, {"gre.flags.key", "1"}, {"gre.proto", "0x0800"}, {"gre.checksum", ""}, {"gre.checksum.status", ""}, {"gre.key", "0x00001234"}, {"gre.sequence_number", "7"}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1,192.168.1.1"}, {"udp.dstport", "40002"}},
		data: "02000000000202000000000108004500004100014000402f268b0a0000010a00000230000800000012340000000745000021000140004011b777c0a80101c0a801029c419c42000d002a68656c6c6f"},
	{name: "gre.pcap#5", prefs: "", orig: 89, ts: 1700000004, proto: "UDP", info: "40001 → 40002 Len=5", fields: [][2]string{{"gre.flags_and_version", "0x2000"}, {"gre.flags.checksum", "0"}, {"gre.flags.key", "1"}, {"gre.proto", "0x6558"}, {"gre.checksum", ""}, {"gre.checksum.status", ""}, {"gre.key", "0x0000002a"}, {"gre.sequence_number", ""}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1,192.168.1.1"}, {"udp.dstport", "40002"}},
		data: "02000000000202000000000108004500004b00014000402f26810a0000010a000002200065580000002a02000000000a02000000000b080045000021000140004011b777c0a80101c0a801029c419c42000d002a68656c6c6f"},
	{name: "gre.pcap#6", prefs: "", orig: 87, ts: 1700000005, proto: "UDP", info: "1 → 2 Len=1", fields: [][2]string{{"gre.flags_and_version", "0x0000"}, {"gre.flags.checksum", "0"}, {"gre.flags.key", "0"}, {"gre.proto", "0x86dd"}, {"gre.checksum", ""}, {"gre.checksum.status", ""}, {"gre.key", ""}, {"gre.sequence_number", ""}, {"gre.key.call_id", ""}, {"ip.src", "10.0.0.1"}, {"udp.dstport", "2"}},
		data: "02000000000202000000000108004500004900014000402f26830a0000010a000002000086dd600000000009114020010db800000000000000000000000120010db80000000000000000000000020001000200092c6478"},
}

func TestGRE(t *testing.T) { runProtoCases(t, greCases) }

func init() { seedProtoCases(greCases) }
