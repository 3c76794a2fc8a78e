package decode

import (
	"bytes"
	"strconv"
	"strings"
)

// HTTP/1.x as Wireshark's packet-http.c names it: request and status
// lines, the headers troubleshooting looks at, and Info as tshark writes
// it. A message whose headers or body span segments is reassembled (see
// tcpReassemble): its first segments say "[TCP segment of a reassembled
// PDU]" and the last one carries the HTTP tree, as in tshark.

var (
	fHTTP          = Register(FieldDef{Name: "http", Label: "Hypertext Transfer Protocol", Type: FTProtocol})
	fHTTPRequest   = Register(FieldDef{Name: "http.request", Label: "Request", Type: FTBool})
	fHTTPResponse  = Register(FieldDef{Name: "http.response", Label: "Response", Type: FTBool})
	fHTTPMethod    = Register(FieldDef{Name: "http.request.method", Label: "Request Method", Type: FTString})
	fHTTPURI       = Register(FieldDef{Name: "http.request.uri", Label: "Request URI", Type: FTString})
	fHTTPReqVer    = Register(FieldDef{Name: "http.request.version", Label: "Request Version", Type: FTString})
	fHTTPRespVer   = Register(FieldDef{Name: "http.response.version", Label: "Response Version", Type: FTString})
	fHTTPCode      = Register(FieldDef{Name: "http.response.code", Label: "Status Code", Type: FTUint})
	fHTTPCodeDesc  = Register(FieldDef{Name: "http.response.code.desc", Label: "Status Code Description", Type: FTString})
	fHTTPPhrase    = Register(FieldDef{Name: "http.response.phrase", Label: "Response Phrase", Type: FTString})
	fHTTPReqLine   = Register(FieldDef{Name: "http.request.line", Label: "Request line", Type: FTString, Display: httpLineDisplay})
	fHTTPRespLine  = Register(FieldDef{Name: "http.response.line", Label: "Response line", Type: FTString, Display: httpLineDisplay})
	fHTTPHost      = Register(FieldDef{Name: "http.host", Label: "Host", Type: FTString})
	fHTTPUA        = Register(FieldDef{Name: "http.user_agent", Label: "User-Agent", Type: FTString})
	fHTTPAccept    = Register(FieldDef{Name: "http.accept", Label: "Accept", Type: FTString})
	fHTTPServer    = Register(FieldDef{Name: "http.server", Label: "Server", Type: FTString})
	fHTTPDate      = Register(FieldDef{Name: "http.date", Label: "Date", Type: FTString})
	fHTTPCType     = Register(FieldDef{Name: "http.content_type", Label: "Content-Type", Type: FTString})
	fHTTPCLenHdr   = Register(FieldDef{Name: "http.content_length_header", Label: "Content-Length", Type: FTString})
	fHTTPCLen      = Register(FieldDef{Name: "http.content_length", Label: "Content length", Type: FTUint})
	fHTTPConn      = Register(FieldDef{Name: "http.connection", Label: "Connection", Type: FTString})
	fHTTPLastMod   = Register(FieldDef{Name: "http.last_modified", Label: "Last-Modified", Type: FTString})
	fHTTPLocation  = Register(FieldDef{Name: "http.location", Label: "Location", Type: FTString})
	fHTTPCookie    = Register(FieldDef{Name: "http.cookie", Label: "Cookie", Type: FTString})
	fHTTPSetCookie = Register(FieldDef{Name: "http.set_cookie", Label: "Set-Cookie", Type: FTString})
	fHTTPReferer   = Register(FieldDef{Name: "http.referer", Label: "Referer", Type: FTString})
	fHTTPTE        = Register(FieldDef{Name: "http.transfer_encoding", Label: "Transfer-Encoding", Type: FTString})
	fHTTPCE        = Register(FieldDef{Name: "http.content_encoding", Label: "Content-Encoding", Type: FTString})
	fHTTPAuth      = Register(FieldDef{Name: "http.authorization", Label: "Authorization", Type: FTString})
	fHTTPFullURI   = Register(FieldDef{Name: "http.request.full_uri", Label: "Full request URI", Type: FTString})
	fHTTPFileData  = Register(FieldDef{Name: "http.file_data", Label: "File Data", Type: FTString,
		Display: func(f *Field) string { return "File Data: " + strconv.Itoa(int(f.U)) + " bytes" }})
	fHTTPExpert = tcpExpertDef("http.chat", "HTTP request or response line")
	fHTTPFirst  = Register(FieldDef{Name: "http.first_line", Label: "First line", Type: FTNone})
)

// httpHeaders maps a header name (lower case) to its field.
var httpHeaders = map[string]*FieldDef{"host": fHTTPHost, "user-agent": fHTTPUA, "accept": fHTTPAccept, "server": fHTTPServer,
	"date": fHTTPDate, "content-type": fHTTPCType, "content-length": fHTTPCLenHdr, "connection": fHTTPConn,
	"last-modified": fHTTPLastMod, "location": fHTTPLocation, "cookie": fHTTPCookie, "set-cookie": fHTTPSetCookie,
	"referer": fHTTPReferer, "transfer-encoding": fHTTPTE, "content-encoding": fHTTPCE, "authorization": fHTTPAuth}

var httpMethods = []string{"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "NOTIFY", "SUBSCRIBE", "M-SEARCH", "REPORT"}

// httpStatus are the RFC 9110 reason phrases (http.response.code.desc).
var httpStatus = map[int]string{100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
	203: "Non-authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
	307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
	404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Time-out", 409: "Conflict",
	410: "Gone", 411: "Length Required", 413: "Request Entity Too Large", 414: "Request-URI Too Long",
	415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented",
	502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out", 505: "HTTP Version not supported"}

func httpLineDisplay(f *Field) string { return Sanitize(f.S) }

// httpEscape writes a header line as Wireshark's format_text does: CR and
// LF as \r and \n.
func httpEscape(b []byte) string {
	s := string(b)
	s = strings.ReplaceAll(s, "\r", `\r`)
	return strings.ReplaceAll(s, "\n", `\n`)
}

// httpStart says whether data starts an HTTP message: a request line with
// a known method, or a status line.
func httpStart(d []byte) (request, ok bool) {
	if bytes.HasPrefix(d, []byte("HTTP/")) {
		return false, true
	}
	for _, m := range httpMethods {
		if len(d) > len(m) && string(d[:len(m)]) == m && d[len(m)] == ' ' {
			return true, true
		}
	}
	return false, false
}

// httpPDULen is how long the HTTP message at the start of d is: -1 when
// its headers (or a chunked body) are not all in d yet, 0 when d does not
// start one.
func httpPDULen(d []byte) int {
	req, ok := httpStart(d)
	if !ok {
		if bytes.IndexByte(d, '\n') < 0 {
			return -1 // Wireshark waits for the end of the first line
		}
		return 0
	}
	end := bytes.Index(d, []byte("\r\n\r\n"))
	if end < 0 {
		return -1
	}
	hdrEnd := end + 4
	var clen = -1
	chunked := false
	for _, line := range bytes.Split(d[:end], []byte("\r\n"))[1:] {
		name, val, found := bytes.Cut(line, []byte(":"))
		if !found {
			continue
		}
		switch strings.ToLower(string(bytes.TrimSpace(name))) {
		case "content-length":
			if n, err := strconv.Atoi(string(bytes.TrimSpace(val))); err == nil && n >= 0 {
				clen = n
			}
		case "transfer-encoding":
			chunked = bytes.Contains(bytes.ToLower(val), []byte("chunked"))
		}
	}
	if !req {
		if code := httpCode(d); code/100 == 1 || code == 204 || code == 304 {
			return hdrEnd
		}
	}
	switch {
	case chunked:
		p := hdrEnd
		for {
			nl := bytes.Index(d[p:], []byte("\r\n"))
			if nl < 0 {
				return -1
			}
			sz, _, _ := strings.Cut(string(d[p:p+nl]), ";")
			n, err := strconv.ParseInt(strings.TrimSpace(sz), 16, 32)
			if err != nil || n < 0 {
				return len(d) // not chunked after all: what we have
			}
			p += nl + 2
			if n == 0 {
				t := bytes.Index(d[p:], []byte("\r\n"))
				if t < 0 {
					return -1
				}
				// trailers end with an empty line
				for t != 0 {
					p += t + 2
					if t = bytes.Index(d[p:], []byte("\r\n")); t < 0 {
						return -1
					}
				}
				return p + 2
			}
			p += int(n) + 2
			if p > len(d) {
				return -1
			}
		}
	case clen >= 0:
		return hdrEnd + clen
	}
	return hdrEnd
}

func httpCode(d []byte) int {
	if len(d) < 12 || d[8] != ' ' {
		return 0
	}
	n, err := strconv.Atoi(string(d[9:12]))
	if err != nil {
		return 0
	}
	return n
}

// httpFirstLineInfo is what tshark's Info shows of a message before its
// body is seen: the first line and a space.
func httpFirstLineInfo(d []byte) (string, bool) {
	nl := bytes.Index(d, []byte("\r\n"))
	if nl < 0 {
		return "", false
	}
	return Sanitize(string(d[:nl])) + " ", true
}

// dissectHTTP dissects the HTTP messages in b.data[off:].
func dissectHTTP(b *builder, off int) int {
	d := b.data[off:]
	b.addProtocol("http")
	if b.http2Conv(d) {
		return dissectHTTP2(b, off) // h2c with prior knowledge
	}
	if b.ds.Summary {
		b.proto = "HTTP"
	}
	if _, ok := httpStart(d); !ok {
		b.open(fHTTP, off, len(d))
		b.addU(fHTTPFileData, off, len(d), uint64(len(d))).S = httpEscape(d)
		b.close()
		if b.ds.Summary {
			b.setInfo("Continuation")
		}
		return len(b.data)
	}
	info := ""
	for len(d) > 0 {
		n := httpPDULen(d)
		if n <= 0 || n > len(d) {
			n = len(d)
		}
		info += httpMessage(b, off, d[:n])
		off += n
		d = d[n:]
		if _, ok := httpStart(d); !ok {
			break
		}
	}
	if b.ds.Summary {
		b.setInfo(info)
	}
	return len(b.data)
}

// httpMessage dissects one message and returns its Info text.
func httpMessage(b *builder, off int, m []byte) string {
	req, _ := httpStart(m)
	b.open(fHTTP, off, len(m))
	end := bytes.Index(m, []byte("\r\n\r\n"))
	hdr := m
	if end >= 0 {
		hdr = m[:end+2]
	}
	first, rest, _ := bytes.Cut(hdr, []byte("\r\n"))
	line := Sanitize(httpEscape(first) + `\r\n`)
	// the line's CRLF, when the message has one (a bare "NOTIFY " has not)
	fl := min(len(first)+2, len(m))
	f := b.add(fHTTPFirst, off, fl)
	f.Text = line
	b.depth++
	b.expert(fHTTPExpert, off, fl, "[Expert Info (Chat/Sequence): "+line+"]")
	parts := strings.SplitN(string(first), " ", 3)
	var uri string
	if req {
		b.addHidden(fHTTPRequest, off, 0, 1)
		b.add(fHTTPMethod, off, len(parts[0])).S = parts[0]
		if len(parts) > 1 {
			uri = parts[1]
			b.add(fHTTPURI, off, 0).S = uri
		}
		if len(parts) > 2 {
			b.add(fHTTPReqVer, off, 0).S = parts[2]
		}
	} else {
		b.addHidden(fHTTPResponse, off, 0, 1)
		b.add(fHTTPRespVer, off, len(parts[0])).S = parts[0]
		if len(parts) > 1 {
			code, _ := strconv.Atoi(parts[1])
			b.addU(fHTTPCode, off, 0, uint64(code))
			if desc, ok := httpStatus[code]; ok {
				b.add(fHTTPCodeDesc, off, 0).S = desc
			}
		}
		if len(parts) > 2 {
			b.add(fHTTPPhrase, off, 0).S = parts[2]
		}
	}
	b.depth--
	lineDef := fHTTPRespLine
	if req {
		lineDef = fHTTPReqLine
	}
	host, ctype := "", ""
	clen := -1
	p := off + len(first) + 2
	for _, l := range bytes.Split(rest, []byte("\r\n")) {
		if len(l) == 0 {
			continue
		}
		b.add(lineDef, p, len(l)+2).S = httpEscape(l) + `\r\n`
		name, val, found := bytes.Cut(l, []byte(":"))
		if found {
			key := strings.ToLower(string(bytes.TrimSpace(name)))
			v := string(bytes.TrimSpace(val))
			if def, ok := httpHeaders[key]; ok {
				b.depth++
				b.add(def, p, len(l)).S = v
				if key == "content-length" {
					if n, err := strconv.Atoi(v); err == nil {
						clen = n
						b.addU(fHTTPCLen, p, len(l), uint64(n)).Generated = true
					}
				}
				b.depth--
			}
			switch key {
			case "host":
				host = v
			case "content-type":
				ctype = v
			}
		}
		p += len(l) + 2
	}
	if req && host != "" && strings.HasPrefix(uri, "/") {
		b.add(fHTTPFullURI, off, 0).S = "http://" + host + uri
	}
	info, _ := httpFirstLineInfo(m)
	if end >= 0 && end+4 < len(m) {
		body := m[end+4:]
		_ = clen
		b.addU(fHTTPFileData, off+end+4, len(body), uint64(len(body))).S = httpEscape(body)
		if ctype != "" {
			mt, _, _ := strings.Cut(ctype, ";")
			info += " (" + strings.ToLower(strings.TrimSpace(mt)) + ")"
		}
	}
	b.close()
	if end >= 0 && end+4 < len(m) && strings.HasPrefix(strings.ToLower(ctype), "text/") {
		// Wireshark's media dissector for text bodies
		body := m[end+4:]
		b.addProtocol("data-text-lines")
		mt, _, _ := strings.Cut(ctype, ";")
		lines := bytes.Count(body, []byte("\n"))
		if len(body) > 0 && body[len(body)-1] != '\n' {
			lines++
		}
		f := b.add(fTextLines, off+end+4, len(body))
		f.Text = "Line-based text data: " + Sanitize(strings.ToLower(strings.TrimSpace(mt))) + " (" + strconv.Itoa(lines) + " lines)"
	}
	return info
}

var fTextLines = Register(FieldDef{Name: "data-text-lines", Label: "Line-based text data", Type: FTProtocol, Layer: "http"})

var httpPayload = func() *Payload {
	p := newPayload("http", "Hypertext Transfer Protocol", dissectHTTP)
	p.Optional = true
	return p
}()

// Wireshark's default HTTP TCP ports (http.tcp.port).
var _ = func() bool {
	for _, port := range []uint32{80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710} {
		tcpPorts.register(port, httpPayload)
	}
	tcpReassemblers[httpPayload] = tcpReassembler{httpPDULen, httpFirstLineInfo}
	return true
}()
