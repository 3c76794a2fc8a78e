package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/net/http2/hpack"
)

// HTTP/2 over cleartext TCP (h2c with prior knowledge, RFC 9113 section
// 3.3) on the HTTP ports, as tshark shows it: a conversation whose client
// sends the preface is HTTP/2 from then on; each frame is named with its
// stream ("Magic, SETTINGS[0]", "HEADERS[1]: GET /", "HEADERS[1]: 200 OK,
// DATA[1] (text/plain)") and carries Wireshark's http2.* fields, the
// headers decoded with HPACK (golang.org/x/net/http2/hpack; the dynamic
// table is followed per direction on the in-order pass and each frame's
// headers kept for re-dissection). A frame spanning segments is not
// reassembled. HTTP/2 over TLS is encrypted and not shown.

var http2Preface = []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")

var http2Types = map[uint64]string{0: "DATA", 1: "HEADERS", 2: "PRIORITY", 3: "RST_STREAM", 4: "SETTINGS", 5: "PUSH_PROMISE",
	6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE", 9: "CONTINUATION"}

var (
	fHTTP2        = Register(FieldDef{Name: "http2", Label: "HyperText Transfer Protocol 2", Type: FTProtocol})
	fHTTP2Magic   = Register(FieldDef{Name: "http2.magic", Label: "Magic", Type: FTString})
	fHTTP2Stream  = Register(FieldDef{Name: "http2.stream", Label: "Stream", Type: FTNone})
	fHTTP2Length  = Register(FieldDef{Name: "http2.length", Label: "Length", Type: FTUint})
	fHTTP2Type    = Register(FieldDef{Name: "http2.type", Label: "Type", Type: FTUint, Values: http2Types})
	fHTTP2Flags   = Register(FieldDef{Name: "http2.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fHTTP2StreamI = Register(FieldDef{Name: "http2.streamid", Label: "Stream Identifier", Type: FTUint})
	fHTTP2HdrName = Register(FieldDef{Name: "http2.header.name", Label: "Name", Type: FTString})
	fHTTP2HdrVal  = Register(FieldDef{Name: "http2.header.value", Label: "Value", Type: FTString})
	fHTTP2Data    = Register(FieldDef{Name: "http2.data.data", Label: "Data", Type: FTBytes})
)

// h2Conn is an HTTP/2 conversation: a header decoder per direction and
// each stream's content type.
type h2Conn struct {
	dec   [2]*hpack.Decoder
	ctype map[uint32]string
}

const maxH2Streams = 1024

// http2Conv says whether the segment belongs to an HTTP/2 conversation,
// which its preface starts.
func (b *builder) http2Conv(data []byte) bool {
	k, _, ok := b.convOf()
	if !ok {
		return false
	}
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.apps.h2[k] != nil {
		return true
	}
	if !bytes.HasPrefix(data, http2Preface) || b.ds.Frozen || b.inQuote {
		return false
	}
	if t.apps.h2 == nil || len(t.apps.h2) >= maxAppConvs {
		t.apps.h2 = map[convKey]*h2Conn{}
	}
	t.apps.h2[k] = &h2Conn{dec: [2]*hpack.Decoder{hpack.NewDecoder(4096, nil), hpack.NewDecoder(4096, nil)}, ctype: map[uint32]string{}}
	return true
}

// h2Headers decodes a header block on the in-order pass (and keeps the
// result for the frame); frozen dissections read what it found.
func (b *builder) h2Headers(block []byte, stream uint32, idx int) []hpack.HeaderField {
	k, dir, ok := b.convOf()
	if !ok {
		return nil
	}
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	mk := h2MemoKey{b.fr.Number, idx}
	if b.ds.Frozen || b.inQuote {
		return t.apps.h2memo[mk]
	}
	c := t.apps.h2[k]
	if c == nil {
		return nil
	}
	hf, err := c.dec[dir].DecodeFull(block)
	if err != nil {
		hf = nil
	}
	for _, f := range hf {
		if f.Name == "content-type" && len(c.ctype) < maxH2Streams {
			c.ctype[stream] = f.Value
		}
	}
	if t.apps.h2memo == nil || len(t.apps.h2memo) >= maxAppMemo {
		t.apps.h2memo = map[h2MemoKey][]hpack.HeaderField{}
	}
	t.apps.h2memo[mk] = hf
	if t.apps.h2ctype == nil || len(t.apps.h2ctype) >= maxAppMemo {
		t.apps.h2ctype = map[h2MemoKey]string{}
	}
	return hf
}

// h2ContentType is the content type a stream's headers announced.
func (b *builder) h2ContentType(stream uint32, idx int) string {
	k, _, ok := b.convOf()
	if !ok {
		return ""
	}
	t := b.ds.conv
	t.mu.Lock()
	defer t.mu.Unlock()
	mk := h2MemoKey{b.fr.Number, idx}
	if b.ds.Frozen || b.inQuote {
		return t.apps.h2ctype[mk]
	}
	if c := t.apps.h2[k]; c != nil {
		if t.apps.h2ctype == nil || len(t.apps.h2ctype) >= maxAppMemo {
			t.apps.h2ctype = map[h2MemoKey]string{}
		}
		t.apps.h2ctype[mk] = c.ctype[stream]
		return c.ctype[stream]
	}
	return ""
}

type h2MemoKey struct{ frame, idx int }

func dissectHTTP2(b *builder, off int) int {
	d := b.data[off:]
	b.addProtocol("http2")
	var info []string
	p := 0
	if bytes.HasPrefix(d, http2Preface) {
		b.open(fHTTP2, off, len(http2Preface))
		b.add(fHTTP2Magic, off, len(http2Preface)).S = httpEscape(http2Preface)
		b.close()
		info = append(info, "Magic")
		p = len(http2Preface)
	}
	text := false
	for i := 0; p+9 <= len(d); i++ {
		l := int(d[p])<<16 | int(binary.BigEndian.Uint16(d[p+1:]))
		typ, fl := d[p+3], d[p+4]
		sid := binary.BigEndian.Uint32(d[p+5:]) & 0x7fffffff
		end := p + 9 + l
		if end > len(d) {
			end = len(d)
		}
		name, ok := http2Types[uint64(typ)]
		if !ok {
			name = fmt.Sprintf("Unknown type (%d)", typ)
		}
		b.open(fHTTP2, off+p, end-p)
		b.open(fHTTP2Stream, off+p, end-p).Text = fmt.Sprintf("Stream: %s, Stream ID: %d, Length %d", name, sid, l)
		b.addU(fHTTP2Length, off+p, 3, uint64(l))
		b.addU(fHTTP2Type, off+p+3, 1, uint64(typ))
		b.addU(fHTTP2Flags, off+p+4, 1, uint64(fl))
		b.addU(fHTTP2StreamI, off+p+5, 4, uint64(sid))
		s := fmt.Sprintf("%s[%d]", name, sid)
		pl := d[p+9 : end]
		switch typ {
		case 1:
			blk := pl
			if fl&0x08 != 0 && len(blk) > 0 { // PADDED
				pad := int(blk[0])
				if 1+pad <= len(blk) {
					blk = blk[1 : len(blk)-pad]
				}
			}
			if fl&0x20 != 0 && len(blk) >= 5 { // PRIORITY
				blk = blk[5:]
			}
			hf := b.h2Headers(blk, sid, i)
			var method, path, status string
			for _, f := range hf {
				b.add(fHTTP2HdrName, off+p+9, 0).S = f.Name
				b.add(fHTTP2HdrVal, off+p+9, 0).S = f.Value
				switch f.Name {
				case ":method":
					method = f.Value
				case ":path":
					path = f.Value
				case ":status":
					status = f.Value
				}
			}
			switch {
			case method != "":
				s += ": " + Sanitize(method) + " " + Sanitize(path)
			case status != "":
				s += ": " + Sanitize(status)
				var code int
				fmt.Sscanf(status, "%d", &code)
				if ph, ok := httpStatus[code]; ok {
					s += " " + ph
				}
			}
		case 0:
			if len(pl) > 0 {
				b.addB(fHTTP2Data, off+p+9, len(pl))
			}
			if ct := b.h2ContentType(sid, i); ct != "" {
				mt, _, _ := strings.Cut(ct, ";")
				mt = strings.ToLower(strings.TrimSpace(mt))
				s += " (" + Sanitize(mt) + ")"
				text = text || strings.HasPrefix(mt, "text/")
			}
		}
		b.close()
		b.close()
		info = append(info, s)
		p = end
	}
	if text {
		b.addProtocol("data-text-lines")
	}
	if b.ds.Summary {
		b.proto = "HTTP2"
		b.setInfo(strings.Join(info, ", "))
	}
	return len(b.data)
}
