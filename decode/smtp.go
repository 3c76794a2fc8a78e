package decode

import (
	"fmt"
	"strings"
)

// SMTP (RFC 5321; TCP 25, 587) with Wireshark's field names
// (packet-smtp.c) and tshark's Info: "C: EHLO host", "S: 250-mail |
// PIPELINING | SIZE 10240000". The message after DATA is shown as data
// ("C: DATA fragment, N bytes"); Wireshark's IMF dissection of it is not
// done.

var (
	fSMTP        = Register(FieldDef{Name: "smtp", Label: "Simple Mail Transfer Protocol", Type: FTProtocol})
	fSMTPReq     = Register(FieldDef{Name: "smtp.req", Label: "Request", Type: FTBool})
	fSMTPRsp     = Register(FieldDef{Name: "smtp.rsp", Label: "Response", Type: FTBool})
	fSMTPCommand = Register(FieldDef{Name: "smtp.req.command", Label: "Command", Type: FTString})
	fSMTPParam   = Register(FieldDef{Name: "smtp.req.parameter", Label: "Request parameter", Type: FTString})
	fSMTPCode    = Register(FieldDef{Name: "smtp.response.code", Label: "Response code", Type: FTUint})
	fSMTPRspPar  = Register(FieldDef{Name: "smtp.rsp.parameter", Label: "Response parameter", Type: FTString})
	fSMTPLine    = Register(FieldDef{Name: "smtp.command_line", Label: "Command Line", Type: FTString})
	fSMTPRspLine = Register(FieldDef{Name: "smtp.response", Label: "Response", Type: FTString})
	fSMTPData    = Register(FieldDef{Name: "smtp.data.fragment", Label: "DATA fragment", Type: FTBytes})
)

func dissectSMTP(b *builder, off int) int {
	d := b.data[off:]
	request := b.dport == 25 || b.dport == 587
	inData := b.appInfo("smtp", func(c *appConv, dir int) string {
		st := c.vals["data"]
		if request && st == "1" {
			if strings.HasSuffix(string(d), "\r\n.\r\n") || string(d) == ".\r\n" {
				c.vals["data"] = ""
			}
			return "1"
		}
		if !request && len(d) >= 3 && string(d[:3]) == "354" {
			c.vals["data"] = "1"
		}
		return ""
	}) == "1"
	b.addProtocol("smtp")
	b.open(fSMTP, off, len(d))
	var info string
	switch {
	case inData:
		b.addB(fSMTPData, off, len(d))
		if looksText(d) {
			b.addProtocol("data-text-lines") // as tshark shows a fragment
		}
		info = fmt.Sprintf("C: DATA fragment, %d bytes", len(d))
	case request:
		b.addHidden(fSMTPReq, off, 0, 1)
		lines := textLines(d)
		starts := textStarts(d)
		for i, l := range lines {
			p := off + starts[i]
			cmd, arg := firstWord(l)
			b.add(fSMTPLine, p, len(l)).S = l
			b.depth++
			b.add(fSMTPCommand, p, len(cmd)).S = cmd
			if arg != "" {
				b.add(fSMTPParam, p+len(cmd)+1, len(arg)).S = arg
			}
			b.depth--
		}
		info = "C: " + strings.Join(lines, " | ")
	default:
		b.addHidden(fSMTPRsp, off, 0, 1)
		lines := textLines(d)
		var parts []string
		starts := textStarts(d)
		for i, l := range lines {
			p := off + starts[i]
			b.add(fSMTPRspLine, p, len(l)).S = l
			if len(l) >= 3 && i == 0 {
				code := 0
				fmt.Sscanf(l[:3], "%d", &code)
				b.depth++
				b.addU(fSMTPCode, p, 3, uint64(code))
				if len(l) > 4 {
					b.add(fSMTPRspPar, p+4, len(l)-4).S = l[4:]
				}
				b.depth--
			}
			if i == 0 || len(l) < 4 {
				parts = append(parts, l)
			} else {
				parts = append(parts, l[4:])
			}
		}
		info = "S: " + strings.Join(parts, " | ")
	}
	b.close()
	if b.ds.Summary {
		b.proto = "SMTP"
		b.setInfo(info)
	}
	return len(b.data)
}

var smtpPayload = func() *Payload {
	p := newPayload("smtp", "Simple Mail Transfer Protocol", dissectSMTP)
	p.Optional = true
	return p
}()

var _ = func() bool {
	tcpPorts.register(25, smtpPayload)
	tcpPorts.register(587, smtpPayload)
	return true
}()
