package decode

import (
	"encoding/binary"
	"strings"
)

// PostgreSQL's frontend/backend protocol (TCP 5432) as Wireshark's
// packet-pgsql.c names it: Protocol PGSQL, Info ">" and the type letters
// of the frontend's messages ("<" for the backend's), "<R/S/Z". The
// startup, SSL and cancel requests have no type letter.

var (
	fPGSQL       = Register(FieldDef{Name: "pgsql", Label: "PostgreSQL", Type: FTProtocol})
	fPGSQLType   = Register(FieldDef{Name: "pgsql.type", Label: "Type", Type: FTString})
	fPGSQLLength = Register(FieldDef{Name: "pgsql.length", Label: "Length", Type: FTUint})
	fPGSQLQuery  = Register(FieldDef{Name: "pgsql.query", Label: "Query", Type: FTString})
)

var pgsqlFrontTypes = map[byte]string{'Q': "Simple query", 'P': "Parse", 'B': "Bind", 'E': "Execute", 'D': "Describe",
	'C': "Close", 'S': "Sync", 'H': "Flush", 'X': "Termination", 'p': "Password message", 'F': "Function call", 'd': "Copy data", 'c': "Copy completion"}

var pgsqlBackTypes = map[byte]string{'R': "Authentication request", 'S': "Parameter status", 'K': "Backend key data",
	'Z': "Ready for query", 'T': "Row description", 'D': "Data row", 'C': "Command completion", 'E': "Error", 'N': "Notice",
	'1': "Parse completion", '2': "Bind completion", '3': "Close completion", 'I': "Empty query", 'n': "No data", 's': "Portal suspended"}

func dissectPGSQL(b *builder, off int) int {
	d := b.data[off:]
	front := b.dport == 5432
	if !front && len(d) == 1 && (d[0] == 'N' || d[0] == 'S') {
		// the answer to an SSL request: tshark shows no PGSQL tree
		if b.ds.Summary {
			b.proto = "PGSQL"
			b.setInfo("<")
		}
		return len(b.data)
	}
	b.addProtocol("pgsql")
	var types []string
	for p := 0; p < len(d); {
		if front && p+8 <= len(d) {
			if code := binary.BigEndian.Uint32(d[p+4:]); code == 80877103 || code == 80877102 || code == 80877104 || code>>16 == 3 {
				l := int(binary.BigEndian.Uint32(d[p:]))
				if l < 8 || p+l > len(d) {
					l = len(d) - p
				}
				b.open(fPGSQL, off+p, l)
				name := "Startup message"
				switch code {
				case 80877103:
					name = "SSL request"
				case 80877102:
					name = "Cancel request"
				case 80877104:
					name = "GSS encrypt request"
				}
				b.add(fPGSQLType, off+p, 0).S = name
				b.addU(fPGSQLLength, off+p, 4, uint64(l))
				b.close()
				p += l
				continue
			}
		}
		if p+5 > len(d) {
			break
		}
		t := d[p]
		l := int(binary.BigEndian.Uint32(d[p+1:]))
		end := p + 1 + l
		if l < 4 || end > len(d) {
			end = len(d)
		}
		names := pgsqlBackTypes
		if front {
			names = pgsqlFrontTypes
		}
		name, ok := names[t]
		if !ok {
			name = "Unknown"
		}
		b.open(fPGSQL, off+p, end-p)
		b.add(fPGSQLType, off+p, 1).S = name
		b.addU(fPGSQLLength, off+p+1, 4, uint64(l))
		if front && t == 'Q' && end > p+5 {
			b.add(fPGSQLQuery, off+p+5, end-p-5).S = strings.TrimRight(string(d[p+5:end]), "\x00")
		}
		b.close()
		types = append(types, string(rune(t)))
		p = end
	}
	if b.ds.Summary {
		b.proto = "PGSQL"
		dir := "<"
		if front {
			dir = ">"
		}
		b.setInfo(dir + Sanitize(strings.Join(types, "/")))
	}
	return len(b.data)
}

var pgsqlPayload = func() *Payload {
	p := newPayload("pgsql", "PostgreSQL", dissectPGSQL)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(5432, pgsqlPayload)
