package decode

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// FTP (RFC 959; TCP 21) with Wireshark's field names (packet-ftp.c) and
// tshark's Info, "Request: USER anonymous", "Response: 220 ...", and
// FTP-DATA: the data connection a PASV reply or a PORT command announces
// is recognised as tshark does, "FTP Data: 20 bytes (PASV) (RETR f)".

var (
	fFTP        = Register(FieldDef{Name: "ftp", Label: "File Transfer Protocol (FTP)", Type: FTProtocol})
	fFTPReq     = Register(FieldDef{Name: "ftp.request", Label: "Request", Type: FTBool})
	fFTPRsp     = Register(FieldDef{Name: "ftp.response", Label: "Response", Type: FTBool})
	fFTPCmd     = Register(FieldDef{Name: "ftp.request.command", Label: "Request command", Type: FTString})
	fFTPArg     = Register(FieldDef{Name: "ftp.request.arg", Label: "Request arg", Type: FTString})
	fFTPCode    = Register(FieldDef{Name: "ftp.response.code", Label: "Response code", Type: FTUint})
	fFTPRspArg  = Register(FieldDef{Name: "ftp.response.arg", Label: "Response arg", Type: FTString})
	fFTPLine    = Register(FieldDef{Name: "ftp.line", Label: "Line", Type: FTString})
	fFTPData    = Register(FieldDef{Name: "ftp-data", Label: "FTP Data", Type: FTProtocol})
	fFTPDataTxt = Register(FieldDef{Name: "ftp-data.text", Label: "Text", Type: FTString})
)

// ftpHostPort reads "h1,h2,h3,h4,p1,p2" from s.
func ftpHostPort(s string) ([]byte, uint16, bool) {
	if i := strings.IndexAny(s, "0123456789"); i >= 0 {
		s = s[i:]
	}
	s = strings.TrimRight(s, ").\r\n ")
	parts := strings.Split(s, ",")
	if len(parts) != 6 {
		return nil, 0, false
	}
	var v [6]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 255 {
			return nil, 0, false
		}
		v[i] = n
	}
	return []byte{byte(v[0]), byte(v[1]), byte(v[2]), byte(v[3])}, uint16(v[4]<<8 | v[5]), true
}

func dissectFTP(b *builder, off int) int {
	d := b.data[off:]
	request := b.dport == 21
	b.addProtocol("ftp")
	b.open(fFTP, off, len(d))
	lines := textLines(d)
	starts := textStarts(d)
	info := ""
	for i, l := range lines {
		p := off + starts[i]
		if request {
			b.addHidden(fFTPReq, off, 0, 1)
			b.add(fFTPLine, p, len(l)).Text = Sanitize(l) + `\r\n`
			cmd, arg := firstWord(l)
			b.depth++
			b.add(fFTPCmd, p, len(cmd)).S = cmd
			if arg != "" {
				b.add(fFTPArg, p+len(cmd)+1, len(arg)).S = arg
			}
			b.depth--
		} else {
			b.addHidden(fFTPRsp, off, 0, 1)
			b.add(fFTPLine, p, len(l)).Text = Sanitize(l) + `\r\n`
			if len(l) >= 3 {
				code, _ := strconv.Atoi(l[:3])
				b.depth++
				b.addU(fFTPCode, p, 3, uint64(code))
				if len(l) > 4 {
					b.add(fFTPRspArg, p+4, len(l)-4).S = l[4:]
				}
				b.depth--
			}
		}
		if i == 0 {
			info = l
		}
	}
	b.close()
	if len(lines) > 0 {
		ftpTrack(b, request, lines[0])
	}
	if b.ds.Summary {
		b.proto = "FTP"
		if request {
			b.setInfo("Request: " + info)
		} else {
			b.setInfo("Response: " + info)
		}
	}
	return len(b.data)
}

// ftpTrack follows the control connection: a PASV reply or a PORT
// command announces a data endpoint, and the command after it names the
// transfer.
func ftpTrack(b *builder, request bool, line string) {
	var ep []byte
	var port uint16
	var mode string
	b.appInfo("ftp", func(c *appConv, dir int) string {
		cmd, arg := firstWord(line)
		switch {
		case !request && strings.HasPrefix(line, "227"):
			if a, pt, ok := ftpHostPort(arg); ok {
				ep, port, mode = a, pt, "PASV"
			}
		case !request && strings.HasPrefix(line, "229"):
			// EPSV: "(|||port|)" on the server's own address
			if i := strings.Index(arg, "(|||"); i >= 0 {
				if j := strings.Index(arg[i+4:], "|"); j > 0 {
					if pt, err := strconv.Atoi(arg[i+4 : i+4+j]); err == nil && pt > 0 && pt < 65536 && b.netSrc != nil {
						ep, port, mode = append([]byte(nil), b.netSrc...), uint16(pt), "EPASV"
					}
				}
			}
		case request && strings.EqualFold(cmd, "PORT"):
			if a, pt, ok := ftpHostPort(arg); ok {
				ep, port, mode = a, pt, "PORT"
			}
		case request && c.vals["ep"] != "" && !strings.EqualFold(cmd, "PASV"):
			// the transfer command for the announced endpoint
			a, _ := netip.ParseAddr(c.vals["ep"])
			pt, _ := strconv.Atoi(c.vals["port"])
			// tshark names the first command after the announcement
			ep, port, mode = a.AsSlice(), uint16(pt), c.vals["mode"]+") ("+line
			c.vals["ep"] = ""
			return ""
		}
		if ep != nil {
			a, _ := netip.AddrFromSlice(ep)
			a = a.Unmap()
			c.vals["ep"], c.vals["port"], c.vals["mode"] = a.String(), strconv.Itoa(int(port)), mode
		}
		return ""
	})
	if ep != nil {
		b.expectEndpoint(ep, port, "ftp-data:"+mode)
	}
}

func dissectFTPData(b *builder, off int, note string) int {
	d := b.data[off:]
	b.addProtocol("ftp-data")
	b.open(fFTPData, off, len(d))
	if looksText(d) {
		b.addProtocol("data-text-lines")
		starts := textStarts(d)
		for i, l := range textLines(d) {
			b.add(fFTPDataTxt, off+starts[i], len(l)).S = l
		}
	}
	b.close()
	if b.ds.Summary {
		b.proto = "FTP-DATA"
		b.setInfo(fmt.Sprintf("FTP Data: %d bytes (%s)", len(d), note))
	}
	return len(b.data)
}

var ftpPayload = func() *Payload {
	p := newPayload("ftp", "File Transfer Protocol (FTP)", dissectFTP)
	p.Optional = true
	return p
}()

var ftpDataPayload = func() *Payload {
	p := newPayload("ftp-data", "FTP Data", func(b *builder, off int) int { return dissectFTPData(b, off, "") })
	p.Optional = true
	return p
}()

var _ = func() bool {
	tcpPorts.register(21, ftpPayload)
	tcpPorts.registerHeuristic("ftp-data", func(b *builder, off int) (int, bool) {
		note, ok := b.expected("ftp-data:")
		if !ok || !b.wanted(ftpDataPayload) {
			return 0, false
		}
		return dissectFTPData(b, off, note), true
	})
	return true
}()
