package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// TFTP (RFC 1350; UDP 69) with Wireshark's field names (packet-tftp.c)
// and tshark's Info. A request makes the client's endpoint a TFTP one:
// the transfer that follows, from the server's new port, is TFTP too, as
// Wireshark's conversation says.

var tftpOpcodes = map[uint64]string{1: "Read Request", 2: "Write Request", 3: "Data Packet", 4: "Acknowledgement",
	5: "Error Code", 6: "Option Acknowledgement"}

var tftpErrors = map[uint64]string{0: "Not defined", 1: "File not found", 2: "Access violation", 3: "Disk full or allocation exceeded",
	4: "Illegal TFTP Operation", 5: "Unknown transfer ID", 6: "File already exists", 7: "No such user", 8: "Option negotiation failed"}

var (
	fTFTP        = Register(FieldDef{Name: "tftp", Label: "Trivial File Transfer Protocol", Type: FTProtocol})
	fTFTPOpcode  = Register(FieldDef{Name: "tftp.opcode", Label: "Opcode", Type: FTUint, Values: tftpOpcodes})
	fTFTPFile    = Register(FieldDef{Name: "tftp.source_file", Label: "Source File", Type: FTString})
	fTFTPDest    = Register(FieldDef{Name: "tftp.destination_file", Label: "DESTINATION File", Type: FTString})
	fTFTPType    = Register(FieldDef{Name: "tftp.type", Label: "Type", Type: FTString})
	fTFTPBlock   = Register(FieldDef{Name: "tftp.block", Label: "Block", Type: FTUint})
	fTFTPErr     = Register(FieldDef{Name: "tftp.error.code", Label: "Error code", Type: FTUint, Values: tftpErrors})
	fTFTPOptName = Register(FieldDef{Name: "tftp.option.name", Label: "Option name", Type: FTString})
	fTFTPOptVal  = Register(FieldDef{Name: "tftp.option.value", Label: "Option value", Type: FTString})
	fTFTPErrMsg  = Register(FieldDef{Name: "tftp.error.message", Label: "Error message", Type: FTString})
)

// tftpString reads a NUL-terminated string at p.
func tftpString(d []byte, p int) (string, int) {
	if p >= len(d) {
		return "", 0
	}
	i := bytes.IndexByte(d[p:], 0)
	if i < 0 {
		return string(d[p:]), len(d) - p
	}
	return string(d[p : p+i]), i + 1
}

// tftpOptions adds the name=value option pairs (RFC 2347) from p and
// returns them for Info, ", blksize=512" each.
func tftpOptions(b *builder, off int, d []byte, p int) string {
	s := ""
	for p < len(d) {
		name, n := tftpString(d, p)
		if n == 0 {
			break
		}
		val, m := tftpString(d, p+n)
		b.add(fTFTPOptName, off+p, n).S = name
		b.add(fTFTPOptVal, off+p+n, m).S = val
		s += ", " + Sanitize(name) + "=" + Sanitize(val)
		p += n + m
		if m == 0 {
			break
		}
	}
	return s
}

func dissectTFTP(b *builder, off int) int {
	d := b.enterLayer("tftp", "TFTP", off, len(b.data))
	if len(d) < 2 {
		b.malformed("TFTP", off, "opcode cut short")
		return len(b.data)
	}
	b.open(fTFTP, off, len(d))
	op := binary.BigEndian.Uint16(d)
	b.addU(fTFTPOpcode, off, 2, uint64(op))
	info, ok := tftpOpcodes[uint64(op)]
	if !ok {
		info = fmt.Sprintf("Unknown (0x%04x)", op)
	}
	if op >= 3 {
		// the transfer's file, from its request (generated; tshark
		// names it the destination file whichever way it goes)
		if note, ok := b.expected("tftp:"); ok && len(note) >= 2 {
			f := b.add(fTFTPDest, off, 0)
			f.S, f.Generated = note[2:], true
		}
	}
	data := 0
	switch op {
	case 1, 2:
		f, n := tftpString(d, 2)
		def := fTFTPFile
		if op == 2 {
			def = fTFTPDest
		}
		b.add(def, off+2, n).S = f
		mode, m := tftpString(d, 2+n)
		b.add(fTFTPType, off+2+n, m).S = mode
		info += ", File: " + Sanitize(f) + ", Transfer type: " + Sanitize(mode)
		info += tftpOptions(b, off, d, 2+n+m)
		if b.netSrc != nil {
			kind := "s:"
			if op == 2 {
				kind = "d:"
			}
			b.expectEndpoint(b.netSrc, b.sport, "tftp:"+kind+f)
		}
	case 3, 4:
		if len(d) >= 4 {
			blk := binary.BigEndian.Uint16(d[2:])
			b.addU(fTFTPBlock, off+2, 2, uint64(blk))
			info += ", Block: " + strconv.Itoa(int(blk))
			if op == 3 && len(d)-4 < 512 {
				info += " (last)"
			}
			if op == 3 {
				data = 4
			}
		}
	case 5:
		if len(d) >= 4 {
			code := binary.BigEndian.Uint16(d[2:])
			b.addU(fTFTPErr, off+2, 2, uint64(code))
			msg, n := tftpString(d, 4)
			b.add(fTFTPErrMsg, off+4, n).S = msg
			name, ok := tftpErrors[uint64(code)]
			if !ok {
				name = fmt.Sprintf("Unknown (%d)", code)
			}
			info += ", Code: " + name + ", Message: " + Sanitize(msg)
		}
	}
	if op == 6 {
		info += tftpOptions(b, off, d, 2)
	}
	b.close()
	if data > 0 && len(d) > data {
		dissectDataRange(b, off+data, len(b.data))
	}
	if b.ds.Summary {
		b.proto = "TFTP"
		b.setInfo(info)
	}
	return len(b.data)
}

var tftpPayload = func() *Payload {
	p := newPayload("tftp", "Trivial File Transfer Protocol", dissectTFTP)
	p.Optional = true
	return p
}()

var _ = func() bool {
	udpPorts.register(69, tftpPayload)
	udpPorts.registerHeuristic("tftp", func(b *builder, off int) (int, bool) {
		d := b.data[off:]
		if len(d) < 4 || d[0] != 0 || d[1] < 3 || d[1] > 6 || !b.wanted(tftpPayload) {
			return 0, false
		}
		if _, ok := b.expected("tftp:"); !ok {
			return 0, false
		}
		return dissectTFTP(b, off), true
	})
	return true
}()
