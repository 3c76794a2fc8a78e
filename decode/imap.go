package decode

// IMAP (RFC 9051; TCP 143) as Wireshark's packet-imap.c: "Request: a001
// LOGIN ...", "Response: a001 OK ..." (a response of several lines shows
// its last, as tshark's).

var (
	fIMAP        = Register(FieldDef{Name: "imap", Label: "Internet Message Access Protocol", Type: FTProtocol})
	fIMAPReq     = Register(FieldDef{Name: "imap.request", Label: "Request", Type: FTString})
	fIMAPReqTag  = Register(FieldDef{Name: "imap.request_tag", Label: "Request Tag", Type: FTString})
	fIMAPCommand = Register(FieldDef{Name: "imap.request.command", Label: "Request Command", Type: FTString})
	fIMAPRsp     = Register(FieldDef{Name: "imap.response", Label: "Response", Type: FTString})
	fIMAPRspTag  = Register(FieldDef{Name: "imap.response_tag", Label: "Response Tag", Type: FTString})
	fIMAPStatus  = Register(FieldDef{Name: "imap.response.status", Label: "Response Status", Type: FTString})
)

func dissectIMAP(b *builder, off int) int {
	d := b.data[off:]
	request := b.dport == 143
	b.addProtocol("imap")
	b.open(fIMAP, off, len(d))
	last := ""
	starts := textStarts(d)
	for i, l := range textLines(d) {
		p := off + starts[i]
		tag, rest := firstWord(l)
		word, _ := firstWord(rest)
		if request {
			b.add(fIMAPReq, p, len(l)).S = l
			b.depth++
			b.add(fIMAPReqTag, p, len(tag)).S = tag
			if rest != "" {
				b.add(fIMAPCommand, p+len(tag)+1, len(word)).S = word
			}
		} else {
			b.add(fIMAPRsp, p, len(l)).S = l
			b.depth++
			b.add(fIMAPRspTag, p, len(tag)).S = tag
			if rest != "" && (word == "OK" || word == "NO" || word == "BAD") {
				b.add(fIMAPStatus, p+len(tag)+1, len(word)).S = word
			}
		}
		b.depth--
		last = l
	}
	b.close()
	if b.ds.Summary {
		b.proto = "IMAP"
		if request {
			b.setInfo("Request: " + last)
		} else {
			b.setInfo("Response: " + last)
		}
	}
	return len(b.data)
}

var imapPayload = func() *Payload {
	p := newPayload("imap", "Internet Message Access Protocol", dissectIMAP)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(143, imapPayload)
