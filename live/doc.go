// Package live captures packets from Linux network interfaces without libpcap
// and writes them as pcapng, so wirelens stays one static binary
// (CGO_ENABLED=0).
//
// Capture uses an AF_PACKET socket, preferably with a memory-mapped
// TPACKET_V3 receive ring, falling back to recvmsg with PACKET_AUXDATA. Both
// give, per frame, what a capture file cannot: the packet type (sent by this
// host or received) and the kernel's checksum status. TP_STATUS_CSUMNOTREADY
// means the transport checksum was left to the device (transmit offload, or a
// frame that crossed veth/tap with only the pseudo-header sum filled in), which
// is what lets wirelens explain "bad" checksums instead of flagging them.
//
// Frames come out in the same capfile.Record shape the file reader produces,
// so the rest of wirelens does not care whether a frame came from a file or
// from the wire:
//
//   - a named interface gives LINKTYPE_ETHERNET (lo too: the kernel gives it a
//     fake Ethernet header with zero MACs); a tun device gives LINKTYPE_RAW;
//     any other link type, and the "any" pseudo-interface, give
//     LINKTYPE_LINUX_SLL2 with the 20-byte header built from sockaddr_ll;
//   - VLAN tags the kernel stripped are put back, as libpcap does;
//   - on a loopback device every frame is seen twice (once sent, once
//     received): a kernel filter prefix rejects the sent copy before the
//     ring, so lo shows each packet once (where the kernel refuses the
//     prefix, the copy is skipped here and Stats.LoopbackDuplicates counts
//     it).
//
// The pcapng Writer stores what pcapng has no field for in places other tools
// still show: interface offloads in if_description and checksum status in a
// per-packet opt_comment.
package live
