package decode

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Syslog (UDP 514) as Wireshark 4.0 dissects it (packet-syslog.c): the
// <PRI> gives facility and level, the rest is the message, split into an
// RFC 5424 header (version "1 ") or an RFC 3164 one (a "Mmm dd hh:mm:ss"
// timestamp). Its quirks are kept on purpose, since the Info line and the
// fields must read as tshark's: at most three priority digits, an
// RFC 3164 "process id" that is the program name, the rest of the line as
// "message id", and an exception (a malformed frame) where Wireshark reads
// past the end.

var syslogFacilities = map[uint64]string{0: "KERN - kernel messages", 1: "USER - random user-level messages", 2: "MAIL - mail system",
	3: "DAEMON - system daemons", 4: "AUTH - security/authorization messages", 5: "SYSLOG - messages generated internally by syslogd",
	6: "LPR - line printer subsystem", 7: "NEWS - network news subsystem", 8: "UUCP - UUCP subsystem", 9: "CRON - clock daemon (BSD, Linux)",
	10: "AUTHPRIV - security/authorization messages (private)", 11: "FTP - ftp daemon", 12: "NTP - ntp subsystem",
	13: "LOGAUDIT - log audit", 14: "LOGALERT - log alert", 15: "CRON - clock daemon (Solaris)",
	16: "LOCAL0 - reserved for local use", 17: "LOCAL1 - reserved for local use", 18: "LOCAL2 - reserved for local use",
	19: "LOCAL3 - reserved for local use", 20: "LOCAL4 - reserved for local use", 21: "LOCAL5 - reserved for local use",
	22: "LOCAL6 - reserved for local use", 23: "LOCAL7 - reserved for local use"}

var syslogLevels = map[uint64]string{0: "EMERG - system is unusable", 1: "ALERT - action must be taken immediately",
	2: "CRIT - critical conditions", 3: "ERR - error conditions", 4: "WARNING - warning conditions",
	5: "NOTICE - normal but significant condition", 6: "INFO - informational", 7: "DEBUG - debug-level messages"}

var (
	fSyslog          = Register(FieldDef{Name: "syslog", Label: "Syslog message", Type: FTProtocol})
	fSyslogFacility  = Register(FieldDef{Name: "syslog.facility", Label: "Facility", Type: FTUint, Bits: 8, Bitmask: 0x3f8, Values: syslogFacilities, Display: bitLine})
	fSyslogLevel     = Register(FieldDef{Name: "syslog.level", Label: "Level", Type: FTUint, Bits: 8, Bitmask: 0x7, Values: syslogLevels, Display: bitLine})
	fSyslogMsg       = Register(FieldDef{Name: "syslog.msg", Label: "Message", Type: FTString})
	fSyslogVersion   = Register(FieldDef{Name: "syslog.version", Label: "Syslog version", Type: FTString})
	fSyslogTimestamp = Register(FieldDef{Name: "syslog.timestamp", Label: "Syslog timestamp", Type: FTAbsTime, Format: syslogTime,
		Display: func(f *Field) string { return "Syslog timestamp: " + syslogTime(f) }})
	fSyslogTS3164   = Register(FieldDef{Name: "syslog.timestamp_rfc3164", Label: "Syslog timestamp (RFC3164)", Type: FTString})
	fSyslogHostname = Register(FieldDef{Name: "syslog.hostname", Label: "Syslog hostname", Type: FTString})
	fSyslogAppname  = Register(FieldDef{Name: "syslog.appname", Label: "Syslog app name", Type: FTString})
	fSyslogProcid   = Register(FieldDef{Name: "syslog.procid", Label: "Syslog process id", Type: FTString})
	fSyslogMsgid    = Register(FieldDef{Name: "syslog.msgid", Label: "Syslog message id", Type: FTString})
	fSyslogBOM      = Register(FieldDef{Name: "syslog.msgid.bom", Label: "Syslog BOM", Type: FTUint, Base: BaseHex, Bits: 24})
)

func init() {
	// Wireshark names the facilities past LOCAL7 "Unknown (N)".
	for i := uint64(24); i < 128; i++ {
		syslogFacilities[i] = "Unknown"
	}
}

// syslogTime is the RFC 5424 timestamp; one that does not parse (the nil
// value "-") is Wireshark's unset time, written without a fraction.
func syslogTime(f *Field) string {
	if f.Aux != 0 {
		return "Jan  1, 1970 00:00:00 UTC"
	}
	return formatAbs(int64(f.U))
}

var syslogShortFacility = [...]string{"KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP", "CRON",
	"AUTHPRIV", "FTP", "NTP", "LOGAUDIT", "LOGALERT", "CRON", "LOCAL0", "LOCAL1", "LOCAL2", "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7"}

var syslogShortLevel = [...]string{"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"}

func dissectSyslog(b *builder, off int) int {
	d := b.enterLayer("syslog", "Syslog", off, len(b.data))
	b.setInfo("")
	// Where Wireshark's tvb accessors would throw, the frame is
	// malformed, with what was added so far kept.
	cut := func() int {
		b.malformed("Syslog", off, "message cut short")
		b.setInfo("[Malformed Packet]")
		return len(b.data)
	}
	root := b.mark()
	b.open(fSyslog, off, len(d))
	defer b.close()
	pri, p := -1, 0
	if len(d) > 0 && d[0] == '<' {
		p, pri = 1, 0
		for p < len(d) && p <= 3 && d[p] >= '0' && d[p] <= '9' {
			pri = pri*10 + int(d[p]-'0')
			p++
		}
		if p >= len(d) {
			return cut()
		}
		if d[p] == '>' {
			p++
		}
	}
	if p >= len(d) {
		return cut()
	}
	msg := wsFormatText(d[p:], false)
	head := "(unknown): "
	if pri >= 0 {
		fac, lev := (pri&0x3f8)>>3, pri&7
		fs := "UNKNOWN"
		if fac < len(syslogShortFacility) {
			fs = syslogShortFacility[fac]
		}
		head = fs + "." + syslogShortLevel[lev] + ": "
		b.setInfo(head + msg)
	} else {
		b.setInfo(msg)
	}
	b.at(root).Text = "Syslog message: " + head + msg
	if pri >= 0 {
		b.addU(fSyslogFacility, off, p, uint64((pri&0x3f8)>>3))
		b.addU(fSyslogLevel, off, p, uint64(pri&7))
	}
	b.open(fSyslogMsg, off+p, len(d)-p).S = msg
	defer b.close()
	body := d[p:]
	ok := true
	switch {
	case len(body) > 2 && body[0] == '1' && body[1] == ' ':
		ok = syslog5424(b, off+p, body)
	case len(body) > 15:
		ok = syslog3164(b, off+p, body)
	}
	if !ok {
		return cut()
	}
	return len(b.data)
}

// syslogWord adds the space-terminated word at *q; false when no space
// follows (Wireshark stops there, quietly).
func syslogWord(b *builder, def *FieldDef, off int, d []byte, q *int) bool {
	i := strings.IndexByte(string(d[*q:]), ' ')
	if i < 0 {
		return false
	}
	b.add(def, off+*q, i).S = wsFormatText(d[*q:*q+i], true)
	*q += i + 1
	return true
}

// syslog5424 splits "1 TIMESTAMP HOST APP PROCID MSGID..." and reports
// false where Wireshark reads past the end (the BOM test reads 3 bytes).
func syslog5424(b *builder, off int, d []byte) bool {
	q := 0
	if !syslogWord(b, fSyslogVersion, off, d, &q) {
		return true
	}
	i := strings.IndexByte(string(d[q:]), ' ')
	if i < 0 {
		return true
	}
	if i > 0 {
		var ns, unset uint64 = 0, 1
		if t, err := time.Parse(time.RFC3339Nano, string(d[q:q+i])); err == nil && t.Unix() >= 0 {
			ns, unset = uint64(t.UnixNano()), 0
		}
		b.addU(fSyslogTimestamp, off+q, i, ns).Aux = unset
	}
	q += i + 1
	for _, def := range []*FieldDef{fSyslogHostname, fSyslogAppname, fSyslogProcid} {
		if !syslogWord(b, def, off, d, &q) {
			return true
		}
	}
	if len(d)-q < 3 {
		return false
	}
	if d[q] == 0xef && d[q+1] == 0xbb && d[q+2] == 0xbf {
		b.addU(fSyslogBOM, off+q, 3, 0xefbbbf)
		b.add(fSyslogMsgid, off+q+3, len(d)-q-3).S = wsFormatText(d[q+3:], false)
		return true
	}
	b.add(fSyslogMsgid, off+q, len(d)-q).S = wsFormatText(d[q:], true)
	return true
}

// syslog3164 splits "Mmm dd hh:mm:ss HOST PROGRAM..." (the program's
// name is Wireshark's process id) and reports false where Wireshark
// reads past the end looking for the end of the program's name.
func syslog3164(b *builder, off int, d []byte) bool {
	if d[3] != ' ' || d[6] != ' ' || d[9] != ':' || d[12] != ':' || d[15] != ' ' {
		return true
	}
	b.add(fSyslogTS3164, off, 15).S = wsFormatText(d[:15], true)
	q := 16
	if !syslogWord(b, fSyslogHostname, off, d, &q) {
		return true
	}
	for i := q; i < q+32; i++ {
		if i >= len(d) {
			return false
		}
		if c := d[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.add(fSyslogProcid, off+q, i-q).S = wsFormatText(d[q:i], true)
			q = i
			break
		}
	}
	b.add(fSyslogMsgid, off+q, len(d)-q).S = wsFormatText(d[q:], true)
	return true
}

// wsFormatText is Wireshark 4.0's format_text over a string item: C
// escapes for the usual controls, octal for the other ASCII ones, U+FFFD
// for bytes that are not UTF-8 (every byte above 0x7f when the item is
// ASCII-encoded), \uXXXX for invisible format characters.
func wsFormatText(d []byte, ascii bool) string {
	var sb strings.Builder
	for i := 0; i < len(d); {
		c := d[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 0x20 && c < 0x7f:
				sb.WriteByte(c)
				continue
			case c == '\a':
				sb.WriteString(`\a`)
			case c == '\b':
				sb.WriteString(`\b`)
			case c == '\f':
				sb.WriteString(`\f`)
			case c == '\n':
				sb.WriteString(`\n`)
			case c == '\r':
				sb.WriteString(`\r`)
			case c == '\t':
				sb.WriteString(`\t`)
			case c == '\v':
				sb.WriteString(`\v`)
			default:
				sb.WriteByte('\\')
				sb.WriteByte('0' + c>>6)
				sb.WriteByte('0' + c>>3&7)
				sb.WriteByte('0' + c&7)
			}
			continue
		}
		if ascii {
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		r, n := utf8.DecodeRune(d[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			sb.WriteRune(utf8.RuneError)
		case unsafeRune(r) || !unicode.IsPrint(r) && r != ' ':
			const hex = "0123456789ABCDEF"
			top := 12
			if r > 0xffff {
				sb.WriteString(`\U`)
				top = 28
			} else {
				sb.WriteString(`\u`)
			}
			for s := top; s >= 0; s -= 4 {
				sb.WriteByte(hex[r>>s&0xf])
			}
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

var syslogPayload = newPayload("syslog", "Syslog message", dissectSyslog)

var _ = udpPorts.register(514, syslogPayload)
