package decode

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// RDP's connection sequence (TCP 3389) as tshark shows it: TPKT (RFC
// 1006) carrying an X.224 Connection Request with the routing cookie and
// RDP negotiation request ("Cookie: mstshash=user, Negotiate Request"),
// and the Connection Confirm ("Negotiate Response"). What follows (MCS,
// encrypted TLS or CredSSP) is shown as TPKT or TLS.

var (
	fTPKT        = Register(FieldDef{Name: "tpkt", Label: "TPKT, Version: 3", Type: FTProtocol})
	fTPKTVersion = Register(FieldDef{Name: "tpkt.version", Label: "Version", Type: FTUint})
	fTPKTLength  = Register(FieldDef{Name: "tpkt.length", Label: "Length", Type: FTUint})
	fCOTP        = Register(FieldDef{Name: "cotp", Label: "ISO 8073/X.224 COTP Connection-Oriented Transport Protocol", Type: FTProtocol})
	fCOTPLI      = Register(FieldDef{Name: "cotp.li", Label: "Length", Type: FTUint})
	fCOTPType    = Register(FieldDef{Name: "cotp.type", Label: "PDU Type", Type: FTUint, Base: BaseHex, Bits: 8,
		Values: map[uint64]string{0x0e: "CR Connect Request", 0x0d: "CC Connect Confirm", 0x0f: "DT Data", 0x08: "DR Disconnect Request"}})
	fRDP        = Register(FieldDef{Name: "rdp", Label: "Remote Desktop Protocol", Type: FTProtocol})
	fRDPCookie  = Register(FieldDef{Name: "rdp.rt_cookie", Label: "Routing Token/Cookie", Type: FTString})
	fRDPNegType = Register(FieldDef{Name: "rdp.negReq.type", Label: "Type", Type: FTUint, Base: BaseHex, Bits: 8})
	fRDPReqProt = Register(FieldDef{Name: "rdp.negReq.requestedProtocols", Label: "requestedProtocols", Type: FTUint, Base: BaseHex, Bits: 32})
	fRDPSelProt = Register(FieldDef{Name: "rdp.negRsp.selectedProtocol", Label: "selectedProtocol", Type: FTUint, Base: BaseHex, Bits: 32})
)

func dissectRDP(b *builder, off int) int {
	d := b.data[off:]
	if len(d) < 4 || d[0] != 3 {
		if tlsRecordStart(d) && b.wanted(tlsPayload) {
			return dissectTLS(b, off)
		}
		dissectDataRange(b, off, len(b.data))
		return len(b.data)
	}
	if len(d) < 6 || d[5]>>4 != 0x0e {
		// tshark's RDP takes a Connection Request's TPKT itself: no
		// "tpkt" in its frame.protocols
		b.addProtocol("tpkt")
	}
	tl := int(binary.BigEndian.Uint16(d[2:]))
	b.open(fTPKT, off, 4)
	b.addU(fTPKTVersion, off, 1, 3)
	b.addU(fTPKTLength, off+2, 2, uint64(tl))
	b.close()
	info := "Continuation"
	proto := "TPKT"
	if len(d) >= 11 {
		x := d[4:]
		li := int(x[0])
		code := x[1] >> 4
		b.addProtocol("cotp")
		b.open(fCOTP, off+4, min(li+1, len(x)))
		b.addU(fCOTPLI, off+4, 1, uint64(li))
		b.addU(fCOTPType, off+5, 1, uint64(code))
		b.close()
		if (code == 0x0e || code == 0x0d) && li+1 <= len(x) && li+1 >= 7 {
			v := x[7 : li+1]
			vo := off + 4 + 7
			b.addProtocol("rdp")
			b.open(fRDP, vo, len(v))
			var parts []string
			if code == 0x0e {
				if i := bytes.Index(v, []byte("\r\n")); i >= 0 && bytes.HasPrefix(v, []byte("Cookie: ")) {
					c := string(v[:i])
					b.add(fRDPCookie, vo, i+2).S = c
					parts = append(parts, Sanitize(c))
					v, vo = v[i+2:], vo+i+2
				}
				if len(v) >= 8 && v[0] == 1 {
					b.addU(fRDPNegType, vo, 1, 1)
					b.addU(fRDPReqProt, vo+4, 4, uint64(binary.LittleEndian.Uint32(v[4:])))
					parts = append(parts, "Negotiate Request")
				}
			} else if len(v) >= 8 {
				switch v[0] {
				case 2:
					b.addU(fRDPSelProt, vo+4, 4, uint64(binary.LittleEndian.Uint32(v[4:])))
					parts = append(parts, "Negotiate Response")
				case 3:
					parts = append(parts, "Negotiate Failure")
				}
			}
			b.close()
			proto = "RDP"
			info = strings.Join(parts, ", ")
			if info == "" {
				proto, info = "COTP", map[byte]string{0x0e: "CR TPDU", 0x0d: "CC TPDU"}[code]
			}
		} else {
			proto, info = "COTP", "DT TPDU"
		}
	}
	if b.ds.Summary {
		b.proto = proto
		b.setInfo(info)
	}
	return len(b.data)
}

var rdpPayload = func() *Payload {
	p := newPayload("rdp", "Remote Desktop Protocol", dissectRDP)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(3389, rdpPayload)
