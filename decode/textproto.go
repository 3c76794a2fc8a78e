package decode

import (
	"bytes"
	"strings"
)

// Helpers for the line-based protocols (SMTP, FTP, POP, IMAP, SIP, SSDP):
// their Info is built from CRLF-terminated lines, as tshark's.

// textLines splits d at line ends (CRLF or LF), without them, dropping a
// last empty line.
func textLines(d []byte) []string {
	s := string(d)
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// textStarts are where each line of textLines(d) starts in d.
func textStarts(d []byte) []int {
	var out []int
	for p := 0; p < len(d); {
		out = append(out, p)
		i := bytes.IndexByte(d[p:], '\n')
		if i < 0 {
			break
		}
		p += i + 1
	}
	return out
}

// looksText says whether d is printable text lines (what a line-based
// protocol sends), so binary data on its port is not read as commands.
func looksText(d []byte) bool {
	if len(d) == 0 {
		return false
	}
	for _, c := range d {
		if c < 0x20 && c != '\r' && c != '\n' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// firstWord splits a line at its first space.
func firstWord(l string) (string, string) {
	w, rest, _ := strings.Cut(l, " ")
	return w, rest
}

// addTextLine adds one line of the message as a text field covering it.
func addTextLine(b *builder, def *FieldDef, off int, d []byte) int {
	n := bytes.IndexByte(d, '\n')
	if n < 0 {
		n = len(d)
	} else {
		n++
	}
	b.add(def, off, n).Text = Sanitize(httpEscape(d[:n]))
	return n
}
