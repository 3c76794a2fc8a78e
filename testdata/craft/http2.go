package main

// HTTP/2 with prior knowledge over cleartext TCP (h2c, RFC 9113 section
// 3.3) on port 80: the client preface, SETTINGS each way and their ACKs,
// a GET on stream 1 (HPACK-encoded headers), the response's HEADERS and
// DATA, a PING and a GOAWAY.

import (
	"bytes"

	"golang.org/x/net/http2/hpack"
)

func h2frame(typ, flags byte, stream uint32, payload []byte) []byte {
	return cat([]byte{byte(len(payload) >> 16), byte(len(payload) >> 8), byte(len(payload)), typ, flags}, be32(stream), payload)
}

func hpackBlock(fields ...[2]string) []byte {
	var buf bytes.Buffer
	e := hpack.NewEncoder(&buf)
	for _, f := range fields {
		if err := e.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}); err != nil {
			panic(err)
		}
	}
	return buf.Bytes()
}

func buildHTTP2(out map[string][]byte) {
	preface := []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	settings := h2frame(4, 0, 0, cat(u16(3), be32(100), u16(4), be32(65535)))
	req := hpackBlock([2]string{":method", "GET"}, [2]string{":path", "/"}, [2]string{":scheme", "http"}, [2]string{":authority", "wirelens.test"})
	resp := hpackBlock([2]string{":status", "200"}, [2]string{"content-type", "text/plain"})
	out["http2.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40400, 80,
		upB(preface, settings),
		downB(h2frame(4, 0, 0, cat(u16(3), be32(250))), h2frame(4, 1, 0, nil)),
		upB(h2frame(4, 1, 0, nil), h2frame(1, 5, 1, req)),
		downB(h2frame(1, 4, 1, resp), h2frame(0, 1, 1, []byte("hello from wirelens\n"))),
		upB(h2frame(6, 0, 0, make([]byte, 8))),
		downB(h2frame(6, 1, 0, make([]byte, 8))),
		upB(h2frame(7, 0, 0, cat(be32(1), be32(0)))))...))
}
