package decode

import (
	"fmt"
	"strconv"
	"strings"
)

// X.509 certificates in a TLS Certificate message, with the field names
// Wireshark's ASN.1 dissectors give them (packet-x509af.c, x509if, x509sat,
// x509ce): version, serial number, the algorithms, issuer and subject
// attributes (x509if.oid and the x509sat string of each, e.g.
// x509sat.uTF8String for a CN), validity times and the subject
// alternative names (x509ce.dNSName). A small DER walker keeps every
// field's bytes; a certificate it cannot read is shown as bytes only.

var (
	fTLSCertsLen = Register(FieldDef{Name: "tls.handshake.certificates_length", Label: "Certificates Length", Type: FTUint})
	fTLSCertLen  = Register(FieldDef{Name: "tls.handshake.certificate_length", Label: "Certificate Length", Type: FTUint})
	fTLSCert     = Register(FieldDef{Name: "tls.handshake.certificate", Label: "Certificate", Type: FTBytes})
	fX509Version = Register(FieldDef{Name: "x509af.version", Label: "version", Type: FTInt, Values: map[uint64]string{0: "v1", 1: "v2", 2: "v3"}})
	fX509Serial  = Register(FieldDef{Name: "x509af.serialNumber", Label: "serialNumber", Type: FTBytes})
	fX509AlgID   = Register(FieldDef{Name: "x509af.algorithm.id", Label: "Algorithm Id", Type: FTString})
	fX509OID     = Register(FieldDef{Name: "x509if.oid", Label: "Object Id", Type: FTString})
	fX509UTF8    = Register(FieldDef{Name: "x509sat.uTF8String", Label: "uTF8String", Type: FTString})
	fX509Print   = Register(FieldDef{Name: "x509sat.printableString", Label: "printableString", Type: FTString})
	fX509IA5     = Register(FieldDef{Name: "x509sat.IA5String", Label: "IA5String", Type: FTString})
	fX509Teletex = Register(FieldDef{Name: "x509sat.teletexString", Label: "teletexString", Type: FTString})
	fX509Country = Register(FieldDef{Name: "x509sat.CountryName", Label: "CountryName", Type: FTString})
	fX509UTC     = Register(FieldDef{Name: "x509af.utcTime", Label: "utcTime", Type: FTString})
	fX509GenTime = Register(FieldDef{Name: "x509af.generalizedTime", Label: "generalizedTime", Type: FTString})
	fX509ExtID   = Register(FieldDef{Name: "x509af.extension.id", Label: "Extension Id", Type: FTString})
	fX509DNSName = Register(FieldDef{Name: "x509ce.dNSName", Label: "dNSName", Type: FTString})
	fX509Issuer  = Register(FieldDef{Name: "x509af.issuer", Label: "issuer", Type: FTNone})
	fX509Subject = Register(FieldDef{Name: "x509af.subject", Label: "subject", Type: FTNone})
)

var x509AttrNames = map[string]string{"2.5.4.3": "id-at-commonName", "2.5.4.6": "id-at-countryName", "2.5.4.7": "id-at-localityName",
	"2.5.4.8": "id-at-stateOrProvinceName", "2.5.4.10": "id-at-organizationName", "2.5.4.11": "id-at-organizationalUnitName",
	"2.5.4.5": "id-at-serialNumber", "1.2.840.113549.1.9.1": "pkcs-9-at-emailAddress"}

// der is one DER element: its tag, and where its contents are.
type der struct {
	tag        byte
	start, end int // contents [start, end) in the buffer
	next       int // the element after it
}

func derAt(d []byte, p int) (der, bool) {
	if p+2 > len(d) {
		return der{}, false
	}
	tag, l := d[p], int(d[p+1])
	h := 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 3 || p+2+n > len(d) {
			return der{}, false
		}
		l = 0
		for i := 0; i < n; i++ {
			l = l<<8 | int(d[p+2+i])
		}
		h += n
	}
	if p+h+l > len(d) {
		return der{}, false
	}
	return der{tag, p + h, p + h + l, p + h + l}, true
}

// derChildren lists the elements inside e.
func derChildren(d []byte, e der) []der {
	var out []der
	for p := e.start; p < e.end; {
		c, ok := derAt(d[:e.end], p)
		if !ok {
			break
		}
		out = append(out, c)
		p = c.next
	}
	return out
}

func oidString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var parts []string
	first := true
	v := uint64(0)
	for _, c := range b {
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			if v > 1<<56 {
				return ""
			}
			continue
		}
		if first {
			x := v / 40
			if x > 2 {
				x = 2
			}
			parts = append(parts, strconv.FormatUint(x, 10), strconv.FormatUint(v-40*x, 10))
			first = false
		} else {
			parts = append(parts, strconv.FormatUint(v, 10))
		}
		v = 0
	}
	return strings.Join(parts, ".")
}

// x509Time writes a UTCTime or GeneralizedTime as Wireshark does.
func x509Time(s string, utc bool) string {
	if utc && len(s) >= 12 {
		y := "20"
		if s[0] >= '5' {
			y = "19"
		}
		s = y + s
	}
	if len(s) < 14 {
		return Sanitize(s)
	}
	return fmt.Sprintf("%s-%s-%s %s:%s:%s (UTC)", s[0:4], s[4:6], s[6:8], s[8:10], s[10:12], s[12:14])
}

// tlsCertificates dissects a TLS 1.2 Certificate message body.
func tlsCertificates(b *builder, off int, h []byte) {
	if len(h) < 3 {
		return
	}
	total := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
	b.addU(fTLSCertsLen, off, 3, uint64(total))
	for p := 3; p+3 <= len(h); {
		l := int(h[p])<<16 | int(h[p+1])<<8 | int(h[p+2])
		b.addU(fTLSCertLen, off+p, 3, uint64(l))
		if p+3+l > len(h) {
			return
		}
		b.addB(fTLSCert, off+p+3, l)
		b.depth++
		x509Cert(b, off+p+3, h[p+3:p+3+l])
		b.depth--
		p += 3 + l
	}
}

func x509Cert(b *builder, off int, d []byte) {
	cert, ok := derAt(d, 0)
	if !ok || cert.tag != 0x30 {
		return
	}
	parts := derChildren(d, cert)
	if len(parts) < 2 || parts[0].tag != 0x30 {
		return
	}
	tbs := derChildren(d, parts[0])
	i := 0
	if i < len(tbs) && tbs[i].tag == 0xa0 {
		if v := derChildren(d, tbs[i]); len(v) == 1 && v[0].tag == 0x02 && v[0].end-v[0].start == 1 {
			b.addU(fX509Version, off+v[0].start, 1, uint64(d[v[0].start]))
		}
		i++
	}
	if i < len(tbs) && tbs[i].tag == 0x02 {
		b.addB(fX509Serial, off+tbs[i].start, tbs[i].end-tbs[i].start)
		i++
	}
	alg := func(e der) {
		if c := derChildren(d, e); len(c) > 0 && c[0].tag == 0x06 {
			b.add(fX509AlgID, off+c[0].start, c[0].end-c[0].start).S = oidString(d[c[0].start:c[0].end])
		}
	}
	if i < len(tbs) && tbs[i].tag == 0x30 {
		alg(tbs[i])
		i++
	}
	name := func(def *FieldDef, e der) {
		b.open(def, off+e.start, e.end-e.start)
		for _, set := range derChildren(d, e) {
			for _, atv := range derChildren(d, set) {
				c := derChildren(d, atv)
				if len(c) < 2 || c[0].tag != 0x06 {
					continue
				}
				oid := oidString(d[c[0].start:c[0].end])
				b.add(fX509OID, off+c[0].start, c[0].end-c[0].start).S = oid
				v := c[1]
				s := string(d[v.start:v.end])
				var sdef *FieldDef
				switch v.tag {
				case 0x0c:
					sdef = fX509UTF8
				case 0x13:
					sdef = fX509Print
					if oid == "2.5.4.6" {
						sdef = fX509Country
					}
				case 0x16:
					sdef = fX509IA5
				case 0x14:
					sdef = fX509Teletex
				}
				if sdef != nil {
					f := b.add(sdef, off+v.start, v.end-v.start)
					f.S = s
				}
			}
		}
		b.close()
	}
	if i < len(tbs) && tbs[i].tag == 0x30 {
		name(fX509Issuer, tbs[i])
		i++
	}
	if i < len(tbs) && tbs[i].tag == 0x30 {
		for _, t := range derChildren(d, tbs[i]) {
			s := string(d[t.start:t.end])
			switch t.tag {
			case 0x17:
				b.add(fX509UTC, off+t.start, t.end-t.start).S = x509Time(s, true)
			case 0x18:
				b.add(fX509GenTime, off+t.start, t.end-t.start).S = x509Time(s, false)
			}
		}
		i++
	}
	if i < len(tbs) && tbs[i].tag == 0x30 {
		name(fX509Subject, tbs[i])
		i++
	}
	if i < len(tbs) && tbs[i].tag == 0x30 {
		if c := derChildren(d, tbs[i]); len(c) > 0 && c[0].tag == 0x30 {
			alg(c[0])
		}
		i++
	}
	for ; i < len(tbs); i++ {
		if tbs[i].tag != 0xa3 {
			continue
		}
		exts := derChildren(d, tbs[i])
		if len(exts) != 1 {
			break
		}
		for _, ext := range derChildren(d, exts[0]) {
			c := derChildren(d, ext)
			if len(c) < 2 || c[0].tag != 0x06 {
				continue
			}
			oid := oidString(d[c[0].start:c[0].end])
			b.add(fX509ExtID, off+c[0].start, c[0].end-c[0].start).S = oid
			val := c[len(c)-1]
			if oid != "2.5.29.17" || val.tag != 0x04 {
				continue
			}
			if seq, ok := derAt(d[:val.end], val.start); ok && seq.tag == 0x30 {
				for _, gn := range derChildren(d, seq) {
					if gn.tag == 0x82 {
						b.add(fX509DNSName, off+gn.start, gn.end-gn.start).S = string(d[gn.start:gn.end])
					}
				}
			}
		}
	}
	if parts[1].tag == 0x30 {
		alg(parts[1])
	}
}
