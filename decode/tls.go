package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// TLS and SSLv3 records with Wireshark's field names (packet-tls.c): record
// and handshake types, versions, the Client and Server Hello's cipher
// suites, SNI, ALPN and supported versions, and Info and the Protocol
// column as tshark writes them. Records are found on port 443 and, as
// Wireshark does, on any port whose payload looks like a record; those
// spanning segments are reassembled. Nothing is decrypted.

var tlsVersionNames = map[uint64]string{0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}

// tlsColumn is the Protocol column for a version.
var tlsColumn = map[uint16]string{0x0300: "SSLv3", 0x0301: "TLSv1", 0x0302: "TLSv1.1", 0x0303: "TLSv1.2", 0x0304: "TLSv1.3"}

var tlsContentTypes = map[uint64]string{20: "Change Cipher Spec", 21: "Alert", 22: "Handshake", 23: "Application Data", 24: "Heartbeat"}

var tlsHandshakeTypes = map[uint64]string{0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 3: "Hello Verify Request",
	4: "New Session Ticket", 5: "End of Early Data", 8: "Encrypted Extensions", 11: "Certificate", 12: "Server Key Exchange",
	13: "Certificate Request", 14: "Server Hello Done", 15: "Certificate Verify", 16: "Client Key Exchange", 20: "Finished",
	21: "Certificate URL", 22: "Certificate Status", 24: "Key Update"}

var tlsAlertLevels = map[uint64]string{1: "Warning", 2: "Fatal"}

var tlsAlertDescs = map[uint64]string{0: "Close Notify", 10: "Unexpected Message", 20: "Bad Record MAC", 21: "Decryption Failed",
	22: "Record Overflow", 30: "Decompression Failure", 40: "Handshake Failure", 41: "No Certificate", 42: "Bad Certificate",
	43: "Unsupported Certificate", 44: "Certificate Revoked", 45: "Certificate Expired", 46: "Certificate Unknown",
	47: "Illegal Parameter", 48: "Unknown CA", 49: "Access Denied", 50: "Decode Error", 51: "Decrypt Error",
	60: "Export Restriction", 70: "Protocol Version", 71: "Insufficient Security", 80: "Internal Error",
	86: "Inappropriate Fallback", 90: "User Canceled", 100: "No Renegotiation", 109: "Missing Extension",
	110: "Unsupported Extension", 112: "Unrecognized Name", 116: "Certificate Required", 120: "No application protocol"}

var (
	fTLS          = Register(FieldDef{Name: "tls", Label: "Transport Layer Security", Type: FTProtocol})
	fTLSRecord    = Register(FieldDef{Name: "tls.record", Label: "Record Layer", Type: FTNone})
	fTLSCType     = Register(FieldDef{Name: "tls.record.content_type", Label: "Content Type", Type: FTUint, Values: tlsContentTypes})
	fTLSOpaque    = Register(FieldDef{Name: "tls.record.opaque_type", Label: "Opaque Type", Type: FTUint, Values: tlsContentTypes})
	fTLSRecVer    = Register(FieldDef{Name: "tls.record.version", Label: "Version", Type: FTUint, Base: BaseHex, Bits: 16, Values: tlsVersionNames})
	fTLSRecLen    = Register(FieldDef{Name: "tls.record.length", Label: "Length", Type: FTUint})
	fTLSHS        = Register(FieldDef{Name: "tls.handshake", Label: "Handshake Protocol", Type: FTNone})
	fTLSHSType    = Register(FieldDef{Name: "tls.handshake.type", Label: "Handshake Type", Type: FTUint, Values: tlsHandshakeTypes})
	fTLSHSLen     = Register(FieldDef{Name: "tls.handshake.length", Label: "Length", Type: FTUint})
	fTLSHSVer     = Register(FieldDef{Name: "tls.handshake.version", Label: "Version", Type: FTUint, Base: BaseHex, Bits: 16, Values: tlsVersionNames})
	fTLSRandom    = Register(FieldDef{Name: "tls.handshake.random", Label: "Random", Type: FTBytes})
	fTLSSIDLen    = Register(FieldDef{Name: "tls.handshake.session_id_length", Label: "Session ID Length", Type: FTUint})
	fTLSSID       = Register(FieldDef{Name: "tls.handshake.session_id", Label: "Session ID", Type: FTBytes})
	fTLSCSLen     = Register(FieldDef{Name: "tls.handshake.cipher_suites_length", Label: "Cipher Suites Length", Type: FTUint})
	fTLSCS        = Register(FieldDef{Name: "tls.handshake.ciphersuite", Label: "Cipher Suite", Type: FTUint, Base: BaseHex, Bits: 16})
	fTLSCompLen   = Register(FieldDef{Name: "tls.handshake.comp_methods_length", Label: "Compression Methods Length", Type: FTUint})
	fTLSComp      = Register(FieldDef{Name: "tls.handshake.comp_method", Label: "Compression Method", Type: FTUint})
	fTLSExtLen    = Register(FieldDef{Name: "tls.handshake.extensions_length", Label: "Extensions Length", Type: FTUint})
	fTLSExtType   = Register(FieldDef{Name: "tls.handshake.extension.type", Label: "Type", Type: FTUint})
	fTLSExtLenF   = Register(FieldDef{Name: "tls.handshake.extension.len", Label: "Length", Type: FTUint})
	fTLSSNIList   = Register(FieldDef{Name: "tls.handshake.extensions_server_name_list_len", Label: "Server Name list length", Type: FTUint})
	fTLSSNIType   = Register(FieldDef{Name: "tls.handshake.extensions_server_name_type", Label: "Server Name Type", Type: FTUint})
	fTLSSNILen    = Register(FieldDef{Name: "tls.handshake.extensions_server_name_len", Label: "Server Name length", Type: FTUint})
	fTLSSNI       = Register(FieldDef{Name: "tls.handshake.extensions_server_name", Label: "Server Name", Type: FTString})
	fTLSALPNLen   = Register(FieldDef{Name: "tls.handshake.extensions_alpn_len", Label: "ALPN Extension Length", Type: FTUint})
	fTLSALPNStrLn = Register(FieldDef{Name: "tls.handshake.extensions_alpn_str_len", Label: "ALPN string length", Type: FTUint})
	fTLSALPN      = Register(FieldDef{Name: "tls.handshake.extensions_alpn_str", Label: "ALPN Next Protocol", Type: FTString})
	fTLSSupVer    = Register(FieldDef{Name: "tls.handshake.extensions.supported_version", Label: "Supported Version", Type: FTUint, Base: BaseHex, Bits: 16, Values: tlsVersionNames})
	fTLSAppData   = Register(FieldDef{Name: "tls.app_data", Label: "Encrypted Application Data", Type: FTBytes})
	fTLSAlert     = Register(FieldDef{Name: "tls.alert_message", Label: "Alert Message", Type: FTNone})
	fTLSAlertLvl  = Register(FieldDef{Name: "tls.alert_message.level", Label: "Level", Type: FTUint, Values: tlsAlertLevels})
	fTLSAlertDesc = Register(FieldDef{Name: "tls.alert_message.desc", Label: "Description", Type: FTUint, Values: tlsAlertDescs})
	fTLSCCS       = Register(FieldDef{Name: "tls.change_cipher_spec", Label: "Change Cipher Spec Message", Type: FTNone})
)

// tlsRecordStart says whether d starts with a plausible TLS record header.
func tlsRecordStart(d []byte) bool {
	return len(d) >= 5 && d[0] >= 20 && d[0] <= 24 && d[1] == 3 && d[2] <= 4 &&
		int(binary.BigEndian.Uint16(d[3:])) <= 16384+2048
}

// tlsPDULen is the length of the complete records at the start of d, or
// the end of the first incomplete one (so TCP waits for it).
func tlsPDULen(d []byte) int {
	if !tlsRecordStart(d) {
		return 0
	}
	p := 0
	for p+5 <= len(d) && tlsRecordStart(d[p:]) {
		end := p + 5 + int(binary.BigEndian.Uint16(d[p+3:]))
		if end > len(d) {
			return end
		}
		p = end
	}
	if p < len(d) && len(d)-p < 5 {
		return -1 // a header cut in two
	}
	return p
}

func tlsFirstInfo(d []byte) (string, bool) { return "", false }

// tlsState is what a TLS conversation remembers: the version the Server
// Hello chose, and from which frame each direction's records are
// encrypted (after its Change Cipher Spec).
type tlsState struct {
	version     uint16
	versionFrom int
	encFrom     [2]int
}

func dissectTLS(b *builder, off int) int {
	d := b.data[off:]
	if !tlsRecordStart(d) {
		return 0
	}
	b.addProtocol("tls")
	st, dir := b.ds.conv.tls(b)
	n := b.fr.Number
	version := uint16(0)
	if st.version != 0 && n >= st.versionFrom {
		version = st.version
	}
	encrypted := st.encFrom[dir] != 0 && n > st.encFrom[dir]
	tls13 := version == 0x0304
	var info []string
	b.open(fTLS, off, len(d))
	root := len(b.phys) - 1 // by logical index: the records' adds follow
	p := 0
	for p+5 <= len(d) && tlsRecordStart(d[p:]) {
		ct := d[p]
		rv := binary.BigEndian.Uint16(d[p+1:])
		rl := int(binary.BigEndian.Uint16(d[p+3:]))
		end := p + 5 + rl
		if end > len(d) {
			end = len(d)
		}
		ro := off + p
		b.open(fTLSRecord, ro, end-p)
		if tls13 && ct == 23 {
			b.addU(fTLSOpaque, ro, 1, uint64(ct))
		} else {
			b.addU(fTLSCType, ro, 1, uint64(ct))
		}
		b.addU(fTLSRecVer, ro+1, 2, uint64(rv))
		b.addU(fTLSRecLen, ro+3, 2, uint64(rl))
		body := d[p+5 : end]
		bo := ro + 5
		switch ct {
		case 20:
			b.add(fTLSCCS, bo, len(body))
			info = append(info, "Change Cipher Spec")
			if !encrypted {
				b.ds.conv.tlsCCS(b, dir)
			}
			encrypted = true // what follows in this direction is ciphertext
		case 21:
			if encrypted || len(body) != 2 {
				info = append(info, "Encrypted Alert")
			} else {
				b.open(fTLSAlert, bo, 2)
				b.addU(fTLSAlertLvl, bo, 1, uint64(body[0]))
				b.addU(fTLSAlertDesc, bo+1, 1, uint64(body[1]))
				b.close()
				lvl, ok := tlsAlertLevels[uint64(body[0])]
				if !ok {
					lvl = fmt.Sprintf("Unknown (%d)", body[0])
				}
				desc, ok := tlsAlertDescs[uint64(body[1])]
				if !ok {
					desc = fmt.Sprintf("Unknown (%d)", body[1])
				}
				info = append(info, "Alert (Level: "+lvl+", Description: "+desc+")")
			}
		case 22:
			if encrypted {
				info = append(info, "Encrypted Handshake Message")
				break
			}
			for h := 0; h+4 <= len(body); {
				ht := body[h]
				hl := int(body[h+1])<<16 | int(binary.BigEndian.Uint16(body[h+2:]))
				he := h + 4 + hl
				if he > len(body) {
					he = len(body)
				}
				b.open(fTLSHS, bo+h, he-h)
				b.addU(fTLSHSType, bo+h, 1, uint64(ht))
				b.addU(fTLSHSLen, bo+h+1, 3, uint64(hl))
				switch ht {
				case 11:
					tlsCertificates(b, bo+h+4, body[h+4:he])
				case 1, 2:
					if v := tlsHello(b, bo+h+4, body[h+4:he], ht == 2); v != 0 && ht == 2 {
						b.ds.conv.tlsVersion(b, v)
						version, tls13 = v, v == 0x0304
					}
				}
				b.close()
				name, ok := tlsHandshakeTypes[uint64(ht)]
				if !ok {
					name = fmt.Sprintf("Unknown (%d)", ht)
				}
				info = append(info, name)
				h = he
			}
		case 23:
			b.addB(fTLSAppData, bo, len(body))
			info = append(info, "Application Data")
		case 24:
			info = append(info, "Heartbeat")
		}
		b.close()
		if version == 0 {
			version = rv
		}
		p = end
	}
	b.close()
	col := tlsColumn[version]
	if col == "" {
		col = "TLS"
	}
	b.at(root).S = "Transport Layer Security"
	if b.ds.Summary {
		b.proto = col
		b.setInfo(strings.Join(info, ", "))
	}
	return off + p
}

// tlsHello dissects a Client or Server Hello body and returns the version
// a Server Hello chose (its supported_versions extension, else its
// version field).
func tlsHello(b *builder, off int, h []byte, server bool) uint16 {
	if len(h) < 35 {
		return 0
	}
	ver := binary.BigEndian.Uint16(h)
	b.addU(fTLSHSVer, off, 2, uint64(ver))
	b.addB(fTLSRandom, off+2, 32)
	sidLen := int(h[34])
	b.addU(fTLSSIDLen, off+34, 1, uint64(sidLen))
	p := 35
	if p+sidLen > len(h) {
		return 0
	}
	if sidLen > 0 {
		b.addB(fTLSSID, off+p, sidLen)
	}
	p += sidLen
	if server {
		if p+3 > len(h) {
			return 0
		}
		b.addU(fTLSCS, off+p, 2, uint64(binary.BigEndian.Uint16(h[p:])))
		b.addU(fTLSComp, off+p+2, 1, uint64(h[p+2]))
		p += 3
	} else {
		if p+2 > len(h) {
			return 0
		}
		csl := int(binary.BigEndian.Uint16(h[p:]))
		b.addU(fTLSCSLen, off+p, 2, uint64(csl))
		p += 2
		if p+csl > len(h) {
			return 0
		}
		for i := 0; i+2 <= csl; i += 2 {
			b.addU(fTLSCS, off+p+i, 2, uint64(binary.BigEndian.Uint16(h[p+i:])))
		}
		p += csl
		if p >= len(h) {
			return 0
		}
		cml := int(h[p])
		b.addU(fTLSCompLen, off+p, 1, uint64(cml))
		p++
		for i := 0; i < cml && p+i < len(h); i++ {
			b.addU(fTLSComp, off+p+i, 1, uint64(h[p+i]))
		}
		p += cml
	}
	if p+2 > len(h) {
		return ver
	}
	el := int(binary.BigEndian.Uint16(h[p:]))
	b.addU(fTLSExtLen, off+p, 2, uint64(el))
	p += 2
	chosen := ver
	for p+4 <= len(h) {
		et, elen := binary.BigEndian.Uint16(h[p:]), int(binary.BigEndian.Uint16(h[p+2:]))
		eo := off + p + 4
		if p+4+elen > len(h) {
			break
		}
		e := h[p+4 : p+4+elen]
		b.addU(fTLSExtType, off+p, 2, uint64(et))
		b.addU(fTLSExtLenF, off+p+2, 2, uint64(elen))
		switch et {
		case 0: // server_name
			if len(e) >= 5 {
				b.addU(fTLSSNIList, eo, 2, uint64(binary.BigEndian.Uint16(e)))
				for q := 2; q+3 <= len(e); {
					nl := int(binary.BigEndian.Uint16(e[q+1:]))
					if q+3+nl > len(e) {
						break
					}
					b.addU(fTLSSNIType, eo+q, 1, uint64(e[q]))
					b.addU(fTLSSNILen, eo+q+1, 2, uint64(nl))
					b.add(fTLSSNI, eo+q+3, nl).S = string(e[q+3 : q+3+nl])
					q += 3 + nl
				}
			}
		case 16: // ALPN
			if len(e) >= 2 {
				b.addU(fTLSALPNLen, eo, 2, uint64(binary.BigEndian.Uint16(e)))
				for q := 2; q < len(e); {
					sl := int(e[q])
					if q+1+sl > len(e) {
						break
					}
					b.addU(fTLSALPNStrLn, eo+q, 1, uint64(sl))
					b.add(fTLSALPN, eo+q+1, sl).S = string(e[q+1 : q+1+sl])
					q += 1 + sl
				}
			}
		case 43: // supported_versions
			if server && len(e) == 2 {
				chosen = binary.BigEndian.Uint16(e)
				b.addU(fTLSSupVer, eo, 2, uint64(chosen))
			} else if !server && len(e) >= 1 {
				for q := 1; q+2 <= len(e) && q <= int(e[0]); q += 2 {
					b.addU(fTLSSupVer, eo+q, 2, uint64(binary.BigEndian.Uint16(e[q:])))
				}
			}
		}
		p += 4 + elen
	}
	return chosen
}

var tlsPayload = func() *Payload {
	p := newPayload("tls", "Transport Layer Security", dissectTLS)
	p.Optional = true
	return p
}()

var _ = func() bool {
	for _, port := range []uint32{443, 465, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443} {
		tcpPorts.register(port, tlsPayload)
	}
	tcpReassemblers[tlsPayload] = tcpReassembler{tlsPDULen, tlsFirstInfo}
	tcpPorts.registerHeuristic("tls", func(b *builder, off int) (int, bool) {
		if !tlsRecordStart(b.data[off:]) || !b.wanted(tlsPayload) {
			return 0, false
		}
		return dissectTLS(b, off), true
	})
	return true
}()
