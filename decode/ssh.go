package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// SSH (RFC 4253) as Wireshark's packet-ssh.c shows what is not encrypted:
// the version exchange ("Client: Protocol (SSH-2.0-...)") and the binary
// packets' message codes; anything else is an encrypted packet.

var sshMsgNames = map[byte]string{1: "Disconnect", 2: "Ignore", 3: "Unimplemented", 4: "Debug", 5: "Service Request",
	6: "Service Accept", 20: "Key Exchange Init", 21: "New Keys", 30: "Elliptic Curve Diffie-Hellman Key Exchange Init",
	31: "Elliptic Curve Diffie-Hellman Key Exchange Reply"}

var (
	fSSH        = Register(FieldDef{Name: "ssh", Label: "SSH Protocol", Type: FTProtocol})
	fSSHProto   = Register(FieldDef{Name: "ssh.protocol", Label: "Protocol", Type: FTString})
	fSSHPktLen  = Register(FieldDef{Name: "ssh.packet_length", Label: "Packet Length", Type: FTUint})
	fSSHPadLen  = Register(FieldDef{Name: "ssh.padding_length", Label: "Padding Length", Type: FTUint})
	fSSHMsgCode = Register(FieldDef{Name: "ssh.message_code", Label: "Message Code", Type: FTUint})
)

func dissectSSH(b *builder, off int) int {
	d := b.data[off:]
	who := "Server: "
	if b.dport == 22 {
		who = "Client: "
	}
	b.addProtocol("ssh")
	col := "SSH"
	var info string
	b.open(fSSH, off, len(d))
	if bytes.HasPrefix(d, []byte("SSH-")) {
		line := d
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			line = d[:i]
		}
		line = bytes.TrimRight(line, "\r")
		b.add(fSSHProto, off, len(line)).S = string(line)
		col = "SSHv2"
		if bytes.HasPrefix(line, []byte("SSH-1.")) && !bytes.HasPrefix(line, []byte("SSH-1.99")) {
			col = "SSHv1"
		}
		info = who + "Protocol (" + Sanitize(string(line)) + ")"
	} else if len(d) >= 6 && int(binary.BigEndian.Uint32(d))+4 == len(d) && sshMsgNames[d[5]] != "" {
		b.addU(fSSHPktLen, off, 4, uint64(binary.BigEndian.Uint32(d)))
		b.addU(fSSHPadLen, off+4, 1, uint64(d[4]))
		b.addU(fSSHMsgCode, off+5, 1, uint64(d[5]))
		col = "SSHv2"
		info = who + sshMsgNames[d[5]]
	} else {
		col = "SSHv2"
		info = fmt.Sprintf("%sEncrypted packet (len=%d)", who, len(d))
	}
	b.close()
	if known := b.ds.conv.sshVersionKnown(b, bytes.HasPrefix(d, []byte("SSH-"))); !known && bytes.HasPrefix(d, []byte("SSH-")) {
		col = "SSH" // tshark names the version from the next frame on
	}
	if b.ds.Summary {
		b.proto = col
		b.setInfo(info)
	}
	return len(b.data)
}

var sshPayload = func() *Payload {
	p := newPayload("ssh", "SSH Protocol", dissectSSH)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(22, sshPayload)

// DNS over TCP (RFC 7766): each message after a two-byte length.
var fDNSLength = Register(FieldDef{Name: "dns.length", Label: "Length", Type: FTUint})

func dissectDNSTCP(b *builder, off int) int {
	for off+2 <= len(b.data) {
		n := int(binary.BigEndian.Uint16(b.data[off:]))
		end := off + 2 + n
		if end > len(b.data) {
			end = len(b.data)
		}
		b.addU(fDNSLength, off, 2, uint64(n))
		b.viaTCP = true
		dissectDNS(b, off+2, end)
		b.viaTCP = false
		off = end
	}
	return len(b.data)
}

var dnsTCPPayload = func() *Payload {
	p := newPayload("dns-tcp", "Domain Name System over TCP", dissectDNSTCP)
	p.Optional = true
	return p
}()

var _ = func() bool {
	tcpPorts.register(53, dnsTCPPayload)
	tcpReassemblers[dnsTCPPayload] = tcpReassembler{func(d []byte) int {
		if len(d) < 2 {
			return -1
		}
		return 2 + int(binary.BigEndian.Uint16(d))
	}, func([]byte) (string, bool) { return "", false }}
	return true
}()
