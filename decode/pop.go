package decode

import "strings"

// POP3 (RFC 1939; TCP 110) as Wireshark's packet-pop.c: "C: USER alice",
// "S: +OK ...".

var (
	fPOP       = Register(FieldDef{Name: "pop", Label: "Post Office Protocol", Type: FTProtocol})
	fPOPReq    = Register(FieldDef{Name: "pop.request", Label: "Request", Type: FTString})
	fPOPReqCmd = Register(FieldDef{Name: "pop.request.command", Label: "Request command", Type: FTString})
	fPOPReqPar = Register(FieldDef{Name: "pop.request.parameter", Label: "Request parameter", Type: FTString})
	fPOPRsp    = Register(FieldDef{Name: "pop.response", Label: "Response", Type: FTString})
	fPOPRspInd = Register(FieldDef{Name: "pop.response.indicator", Label: "Response indicator", Type: FTString})
	fPOPRspDsc = Register(FieldDef{Name: "pop.response.description", Label: "Response description", Type: FTString})
)

func dissectPOP(b *builder, off int) int {
	d := b.data[off:]
	request := b.dport == 110
	b.addProtocol("pop")
	b.open(fPOP, off, len(d))
	lines := textLines(d)
	first := ""
	if len(lines) > 0 {
		first = lines[0]
		w, rest := firstWord(first)
		def, wd, rd := fPOPRsp, fPOPRspInd, fPOPRspDsc
		if request {
			def, wd, rd = fPOPReq, fPOPReqCmd, fPOPReqPar
		}
		b.add(def, off, len(first)).S = first
		b.depth++
		b.add(wd, off, len(w)).S = w
		if rest != "" {
			b.add(rd, off+len(w)+1, len(rest)).S = rest
		}
		b.depth--
	}
	b.close()
	if b.ds.Summary {
		b.proto = "POP"
		if request {
			b.setInfo("C: " + first)
		} else {
			b.setInfo("S: " + strings.TrimRight(first, " "))
		}
	}
	return len(b.data)
}

var popPayload = func() *Payload {
	p := newPayload("pop", "Post Office Protocol", dissectPOP)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(110, popPayload)
