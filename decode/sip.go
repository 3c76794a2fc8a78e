package decode

import (
	"strconv"
	"strings"
)

// SIP (RFC 3261; UDP and TCP 5060) with Wireshark's field names
// (packet-sip.c) and tshark's Info: "Request: INVITE sip:bob@example | ",
// "Status: 200 OK (INVITE) | ". A REGISTER without a Contact header is a
// "(fetch bindings)", as tshark says.

var (
	fSIP       = Register(FieldDef{Name: "sip", Label: "Session Initiation Protocol", Type: FTProtocol})
	fSIPReqLn  = Register(FieldDef{Name: "sip.Request-Line", Label: "Request-Line", Type: FTString})
	fSIPStatLn = Register(FieldDef{Name: "sip.Status-Line", Label: "Status-Line", Type: FTString})
	fSIPMethod = Register(FieldDef{Name: "sip.Method", Label: "Method", Type: FTString})
	fSIPRURI   = Register(FieldDef{Name: "sip.r-uri", Label: "Request-URI", Type: FTString})
	fSIPCode   = Register(FieldDef{Name: "sip.Status-Code", Label: "Status-Code", Type: FTUint})
	fSIPHeader = Register(FieldDef{Name: "sip.msg_hdr", Label: "Message Header", Type: FTString})
	fSIPCallID = Register(FieldDef{Name: "sip.Call-ID", Label: "Call-ID", Type: FTString})
	fSIPCSeq   = Register(FieldDef{Name: "sip.CSeq", Label: "CSeq", Type: FTString})
	fSIPFrom   = Register(FieldDef{Name: "sip.From", Label: "From", Type: FTString})
	fSIPTo     = Register(FieldDef{Name: "sip.To", Label: "To", Type: FTString})
)

var sipMethods = []string{"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
	"PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"}

// sipStart says whether d starts a SIP request or status line.
func sipStart(d []byte) bool {
	if len(d) >= 8 && string(d[:8]) == "SIP/2.0 " {
		return true
	}
	for _, m := range sipMethods {
		if len(d) > len(m)+1 && string(d[:len(m)]) == m && d[len(m)] == ' ' {
			line, _, _ := strings.Cut(string(d), "\n")
			return strings.HasSuffix(strings.TrimRight(line, "\r"), " SIP/2.0")
		}
	}
	return false
}

func dissectSIP(b *builder, off int) int {
	d := b.data[off:]
	if !sipStart(d) {
		dissectDataRange(b, off, len(d)+off)
		return len(b.data)
	}
	b.addProtocol("sip")
	b.open(fSIP, off, len(d))
	lines := textLines(d)
	first := lines[0]
	var info string
	hdrs := map[string]string{}
	starts := textStarts(d)
	for i, l := range lines[1:] {
		if l == "" {
			break
		}
		p := off + starts[i+1]
		b.add(fSIPHeader, p, len(l)).S = l
		name, val, ok := strings.Cut(l, ":")
		if ok {
			k := strings.ToLower(strings.TrimSpace(name))
			v := strings.TrimSpace(val)
			hdrs[k] = v
			b.depth++
			switch k {
			case "call-id", "i":
				b.add(fSIPCallID, p, len(l)).S = v
			case "cseq":
				b.add(fSIPCSeq, p, len(l)).S = v
			case "from", "f":
				b.add(fSIPFrom, p, len(l)).S = v
			case "to", "t":
				b.add(fSIPTo, p, len(l)).S = v
			}
			b.depth--
		}
	}
	if strings.HasPrefix(first, "SIP/2.0 ") {
		rest := first[8:]
		code, phrase := firstWord(rest)
		n, _ := strconv.Atoi(code)
		b.add(fSIPStatLn, off, len(first)).S = first
		b.depth++
		if len(first) >= 8+len(code) {
			b.addU(fSIPCode, off+8, len(code), uint64(n))
		}
		b.depth--
		info = "Status: " + code + " " + phrase
		if _, method := firstWord(hdrs["cseq"]); n/100 == 2 && method != "" {
			info += " (" + method + ")"
		}
	} else {
		method, rest := firstWord(first)
		uri, _ := firstWord(rest)
		b.add(fSIPReqLn, off, len(first)).S = first
		b.depth++
		b.add(fSIPMethod, off, len(method)).S = method
		if rest != "" {
			b.add(fSIPRURI, off+len(method)+1, len(uri)).S = uri
		}
		b.depth--
		info = "Request: " + method + " " + uri
		if _, contact := hdrs["contact"]; method == "REGISTER" && !contact {
			if _, m := hdrs["m"]; !m {
				info += "  (fetch bindings)"
			}
		}
	}
	b.close()
	if b.ds.Summary {
		b.proto = "SIP"
		b.setInfo(info + " | ")
	}
	return len(b.data)
}

var sipPayload = func() *Payload {
	p := newPayload("sip", "Session Initiation Protocol", dissectSIP)
	p.Optional = true
	return p
}()

var _ = func() bool {
	udpPorts.register(5060, sipPayload)
	tcpPorts.register(5060, sipPayload)
	return true
}()
