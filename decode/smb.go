package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// The NetBIOS session service (RFC 1002; TCP 139) and, in its session
// messages (and on TCP 445), SMB and SMB2 as Wireshark names them
// (packet-nbns.c, packet-smb.c, packet-smb2.c): Protocol NBSS, SMB or
// SMB2, Info the command, "Negotiate Protocol Request", "Session Setup
// Response, Error: STATUS_MORE_PROCESSING_REQUIRED", "Tree Connect
// Request Tree: \\srv\share". Several SMB2 commands in one message
// (compounded) are listed with "; ". Command bodies are not dissected
// beyond that.

var nbssTypes = map[uint64]string{0x00: "Session message", 0x81: "Session request", 0x82: "Positive session response",
	0x83: "Negative session response", 0x84: "Retarget session response", 0x85: "Session keep-alive"}

var smb2Commands = map[uint64]string{0: "Negotiate Protocol", 1: "Session Setup", 2: "Session Logoff", 3: "Tree Connect",
	4: "Tree Disconnect", 5: "Create", 6: "Close", 7: "Flush", 8: "Read", 9: "Write", 10: "Lock", 11: "Ioctl", 12: "Cancel",
	13: "KeepAlive", 14: "Find", 15: "Notify", 16: "GetInfo", 17: "SetInfo", 18: "Break"}

var smb1Commands = map[uint64]string{0x04: "Close", 0x06: "Delete", 0x24: "Locking AndX", 0x25: "Trans", 0x2b: "Echo",
	0x2d: "Open AndX", 0x2e: "Read AndX", 0x2f: "Write AndX", 0x32: "Trans2", 0x71: "Tree Disconnect",
	0x72: "Negotiate Protocol", 0x73: "Session Setup AndX", 0x74: "Logoff AndX", 0x75: "Tree Connect AndX",
	0xa0: "NT Trans", 0xa2: "NT Create AndX", 0xa4: "NT Cancel"}

var ntStatusNames = map[uint32]string{0xc0000016: "STATUS_MORE_PROCESSING_REQUIRED", 0xc0000022: "STATUS_ACCESS_DENIED",
	0xc0000034: "STATUS_OBJECT_NAME_NOT_FOUND", 0xc000006d: "STATUS_LOGON_FAILURE", 0x80000005: "STATUS_BUFFER_OVERFLOW",
	0x80000006: "STATUS_NO_MORE_FILES", 0xc000000d: "STATUS_INVALID_PARAMETER", 0xc00000bb: "STATUS_NOT_SUPPORTED",
	0xc0000033: "STATUS_OBJECT_NAME_INVALID", 0xc0000035: "STATUS_OBJECT_NAME_COLLISION", 0xc0000043: "STATUS_SHARING_VIOLATION",
	0xc00000cc: "STATUS_BAD_NETWORK_NAME", 0xc0000011: "STATUS_END_OF_FILE", 0x00000103: "STATUS_PENDING",
	0xc0000010: "STATUS_INVALID_DEVICE_REQUEST", 0xc000000f: "STATUS_NO_SUCH_FILE", 0x00000104: "STATUS_NOTIFY_CLEANUP",
	0x0000010c: "STATUS_NOTIFY_ENUM_DIR", 0xc0000225: "STATUS_NOT_FOUND", 0xc0000203: "STATUS_USER_SESSION_DELETED",
	0xc000009a: "STATUS_INSUFFICIENT_RESOURCES"}

var (
	fNBSS       = Register(FieldDef{Name: "nbss", Label: "NetBIOS Session Service", Type: FTProtocol})
	fNBSSType   = Register(FieldDef{Name: "nbss.type", Label: "Message Type", Type: FTUint, Base: BaseHex, Bits: 8, Values: nbssTypes})
	fNBSSLength = Register(FieldDef{Name: "nbss.length", Label: "Length", Type: FTUint})
	fNBSSCalled = Register(FieldDef{Name: "nbss.called_name", Label: "Called name", Type: FTString})
	fNBSSCaller = Register(FieldDef{Name: "nbss.calling_name", Label: "Calling name", Type: FTString})
	fSMB2       = Register(FieldDef{Name: "smb2", Label: "SMB2 (Server Message Block Protocol version 2)", Type: FTProtocol})
	fSMB2Cmd    = Register(FieldDef{Name: "smb2.cmd", Label: "Command", Type: FTUint, Values: smb2Commands})
	fSMB2Status = Register(FieldDef{Name: "smb2.nt_status", Label: "NT Status", Type: FTUint, Base: BaseHex, Bits: 32})
	fSMB2MsgID  = Register(FieldDef{Name: "smb2.msg_id", Label: "Message ID", Type: FTUint})
	fSMB2Flags  = Register(FieldDef{Name: "smb2.flags.response", Label: "Response", Type: FTBool})
	fSMB2Tree   = Register(FieldDef{Name: "smb2.tree", Label: "Tree", Type: FTString})
	fSMB        = Register(FieldDef{Name: "smb", Label: "SMB (Server Message Block Protocol)", Type: FTProtocol})
	fSMBCmd     = Register(FieldDef{Name: "smb.cmd", Label: "SMB Command", Type: FTUint, Base: BaseHex, Bits: 8, Values: smb1Commands})
	fSMBStatus  = Register(FieldDef{Name: "smb.nt_status", Label: "NT Status", Type: FTUint, Base: BaseHex, Bits: 32})
)

// netbiosDecode reads a first-level encoded NetBIOS name (RFC 1001) as
// Wireshark writes it: "NAME<20>".
func netbiosDecode(d []byte) (string, int) {
	if len(d) < 1 || d[0] != 32 || len(d) < 34 {
		return "", 0
	}
	var n [16]byte
	for i := 0; i < 16; i++ {
		hi, lo := d[1+2*i]-'A', d[2+2*i]-'A'
		if hi > 15 || lo > 15 {
			return "", 0
		}
		n[i] = hi<<4 | lo
	}
	end := 33
	for end < len(d) && d[end] != 0 {
		end += 1 + int(d[end]) // scope labels
	}
	return fmt.Sprintf("%s<%02x>", Sanitize(strings.TrimRight(string(n[:15]), " ")), n[15]), end + 1
}

func dissectNBSS(b *builder, off int) int {
	d := b.data[off:]
	b.addProtocol("nbss")
	var infos []string
	proto := "NBSS"
	for p := 0; p+4 <= len(d); {
		t := d[p]
		l := int(d[p+1]&1)<<16 | int(binary.BigEndian.Uint16(d[p+2:]))
		end := p + 4 + l
		if end > len(d) {
			end = len(d)
		}
		b.open(fNBSS, off+p, end-p)
		b.addU(fNBSSType, off+p, 1, uint64(t))
		b.addU(fNBSSLength, off+p+1, 3, uint64(l))
		switch t {
		case 0x00:
			b.close()
			if s, pr := dissectSMBMsg(b, off+p+4, d[p+4:end]); s != "" {
				infos = append(infos, s)
				proto = pr
			} else {
				infos = append(infos, "Session message")
			}
			p = end
			continue
		case 0x81:
			called, n := netbiosDecode(d[p+4 : end])
			calling, _ := "", 0
			if n > 0 {
				calling, _ = netbiosDecode(d[p+4+n : end])
				b.add(fNBSSCalled, off+p+4, n).S = called
				b.add(fNBSSCaller, off+p+4+n, end-p-4-n).S = calling
			}
			infos = append(infos, "Session request, to "+called+" from "+calling)
		default:
			name, ok := nbssTypes[uint64(t)]
			if !ok {
				name = fmt.Sprintf("Unknown (0x%02x)", t)
			}
			infos = append(infos, name)
		}
		b.close()
		p = end
	}
	if b.ds.Summary {
		b.proto = proto
		b.setInfo(strings.Join(infos, ", "))
	}
	return len(b.data)
}

// dissectSMBMsg dissects the SMB or SMB2 message of a session message
// and returns its Info and Protocol column ("" when it is neither).
func dissectSMBMsg(b *builder, off int, m []byte) (string, string) {
	switch {
	case len(m) >= 64 && string(m[:4]) == "\xfeSMB":
		b.addProtocol("smb2")
		var parts []string
		for p := 0; p+64 <= len(m); {
			h := m[p:]
			cmd := binary.LittleEndian.Uint16(h[12:])
			status := binary.LittleEndian.Uint32(h[8:])
			resp := h[16]&1 != 0
			next := int(binary.LittleEndian.Uint32(h[20:]))
			end := len(m)
			if next > 0 && p+next <= len(m) {
				end = p + next
			}
			b.open(fSMB2, off+p, end-p)
			if resp {
				b.addU(fSMB2Status, off+p+8, 4, uint64(status))
			}
			b.addU(fSMB2Cmd, off+p+12, 2, uint64(cmd))
			b.addU(fSMB2Flags, off+p+16, 4, uint64(h[16]&1))
			b.addU(fSMB2MsgID, off+p+24, 8, binary.LittleEndian.Uint64(h[24:]))
			name, ok := smb2Commands[uint64(cmd)]
			if !ok {
				name = fmt.Sprintf("Unknown (%d)", cmd)
			}
			s := name + " Request"
			if resp {
				s = name + " Response"
				if status != 0 {
					st, ok := ntStatusNames[status]
					if !ok {
						st = fmt.Sprintf("Unknown (0x%08x)", status)
					}
					s += ", Error: " + st
				}
			}
			if cmd == 3 && !resp && end-p >= 64+8 {
				body := h[64 : end-p]
				po, pl := int(binary.LittleEndian.Uint16(body[4:])), int(binary.LittleEndian.Uint16(body[6:]))
				if po >= 64 && po+pl <= end-p && pl%2 == 0 {
					u := make([]uint16, pl/2)
					for i := range u {
						u[i] = binary.LittleEndian.Uint16(h[po+2*i:])
					}
					tree := string(utf16.Decode(u))
					b.add(fSMB2Tree, off+p+po, pl).S = tree
					s += " Tree: " + Sanitize(tree)
				}
			}
			b.close()
			parts = append(parts, s)
			if next <= 0 || p+next > len(m) {
				break
			}
			p += next
		}
		return strings.Join(parts, "; "), "SMB2"
	case len(m) >= 32 && string(m[:4]) == "\xffSMB":
		b.addProtocol("smb")
		cmd := m[4]
		status := binary.LittleEndian.Uint32(m[5:])
		resp := m[9]&0x80 != 0
		b.open(fSMB, off, len(m))
		b.addU(fSMBCmd, off+4, 1, uint64(cmd))
		b.addU(fSMBStatus, off+5, 4, uint64(status))
		b.close()
		name, ok := smb1Commands[uint64(cmd)]
		if !ok {
			name = fmt.Sprintf("Unknown (0x%02x)", cmd)
		}
		s := name + " Request"
		if resp {
			s = name + " Response"
			if status != 0 {
				st, ok := ntStatusNames[status]
				if !ok {
					st = fmt.Sprintf("Unknown (0x%08x)", status)
				}
				s += ", Error: " + st
			}
		}
		return s, "SMB"
	}
	return "", ""
}

var nbssPayload = func() *Payload {
	p := newPayload("nbss", "NetBIOS Session Service", dissectNBSS)
	p.Optional = true
	return p
}()

var _ = func() bool {
	tcpPorts.register(139, nbssPayload)
	tcpPorts.register(445, nbssPayload)
	return true
}()
