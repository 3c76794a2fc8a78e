package main

import (
	"fmt"
)

const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
)

const (
	stHandshake = iota
	stRounds
	stClosing
	stDone
)

const (
	appTLS = iota
	appHTTP
)

// chunk is a piece of an application byte stream: literal header bytes
// followed by n pseudo-random bytes taken from the pool at off.
type chunk struct {
	hdr    []byte
	n, off int
}

// stream is one direction's application bytes, consumed by segments in
// sequence order.
type stream struct {
	chunks          []chunk
	i               int
	hdrOff, bodyOff int
}

func (s *stream) add(hdr []byte, n, off int) {
	if s.i == len(s.chunks) {
		s.chunks, s.i = s.chunks[:0], 0
	}
	s.chunks = append(s.chunks, chunk{hdr, n, off})
}

func (s *stream) read(g *gen, dst []byte) {
	for len(dst) > 0 {
		c := &s.chunks[s.i]
		switch {
		case s.hdrOff < len(c.hdr):
			k := copy(dst, c.hdr[s.hdrOff:])
			s.hdrOff += k
			dst = dst[k:]
		case s.bodyOff < c.n:
			k := min(len(dst), c.n-s.bodyOff)
			g.payload(dst[:k], c.off+s.bodyOff)
			s.bodyOff += k
			dst = dst[k:]
		default:
			s.i++
			s.hdrOff, s.bodyOff = 0, 0
		}
	}
}

type tcpSeg struct {
	fromClient bool
	tso        bool
	whole      bool // carries a whole application message (may be corrupted)
	flags      uint8
	n          int
	seq, ack   uint32
}

// tcpConv is one TCP connection: handshake, request/response rounds, close.
type tcpConv struct {
	e            endpoints
	cport, sport uint16
	cseq, sseq   uint32
	app          int
	host         string
	offload      bool // the server is local and leaves partial checksums
	tso          bool // the server sends TSO super-frames
	mss          int
	rounds       int
	state        int
	q            []tcpSeg
	qi           int
	ctsOff, stsOff,
	cts, sts uint32 // TSval offsets and last TSval sent per side
	cst, sst stream
}

func (g *gen) newTCP(v6 bool) *tcpConv {
	c := &tcpConv{
		cport:  uint16(32768 + g.rng.IntN(28232)),
		cseq:   g.rng.Uint32(),
		sseq:   g.rng.Uint32(),
		host:   names[g.rng.IntN(len(names))],
		rounds: 1 + g.rng.IntN(4),
		ctsOff: g.rng.Uint32(),
		stsOff: g.rng.Uint32(),
		mss:    1448,
	}
	if g.rng.IntN(10) < 7 {
		c.app, c.sport = appTLS, 443
	} else {
		c.app, c.sport = appHTTP, 80
	}
	if g.rng.IntN(20) == 0 {
		c.rounds += 10 + g.rng.IntN(30) // a long keep-alive connection
	}
	if !v6 && g.chance(offloadFlowRate) {
		// Captured on a server whose NIC computes TCP checksums: its
		// frames carry the pseudo-header sum and may be TSO super-frames.
		c.offload = true
		c.tso = g.rng.IntN(2) == 0
		h := byte(2 + g.rng.IntN(8))
		s := g.servers4[g.rng.IntN(len(g.servers4))]
		c.e = endpoints{amac: gatewayMAC, bmac: localMAC(h), attl: uint8(48 + g.rng.IntN(70)), bttl: 64}
		copy(c.e.a[:], s[:])
		copy(c.e.b[:], []byte{10, 0, 0, h})
	} else {
		c.e = g.clientServer(v6)
	}
	if v6 {
		c.mss = 1428
	}
	return c
}

func (c *tcpConv) push(fromClient bool, flags uint8, n int, tso bool) *tcpSeg {
	s := tcpSeg{fromClient: fromClient, tso: tso, flags: flags, n: n}
	adv := uint32(n)
	if flags&(tcpSYN|tcpFIN) != 0 {
		adv++
	}
	if fromClient {
		s.seq, s.ack = c.cseq, c.sseq
		c.cseq += adv
	} else {
		s.seq, s.ack = c.sseq, c.cseq
		c.sseq += adv
	}
	if flags&tcpACK == 0 {
		s.ack = 0
	}
	c.q = append(c.q, s)
	return &c.q[len(c.q)-1]
}

// sendData queues n bytes from one side, with the peer ACKing every second
// segment (and the end of a response).
func (c *tcpConv) sendData(g *gen, fromClient bool, n int, tso bool) {
	segs := 0
	for n > 0 {
		k, big := min(n, c.mss), false
		if tso && n >= 9000 {
			k, big = 8934+g.rng.IntN(min(n, 63934)-8934+1), true
		}
		flags := uint8(tcpACK)
		if k == n {
			flags |= tcpPSH
		}
		// Only a segment holding a whole message may get a bit flip:
		// Wireshark does not reassemble segments with bad checksums, so
		// corrupting the middle of a TLS record or HTTP body would also
		// garble (and mark malformed) the good segments after it.
		c.push(fromClient, flags, k, big).whole = segs == 0 && k == n
		n -= k
		segs++
		if big || segs%2 == 0 || (n == 0 && !fromClient) {
			c.push(!fromClient, tcpACK, 0, false)
		}
	}
}

func (g *gen) responseSize() int {
	r := g.rng.IntN(100)
	switch {
	case r < 72:
		return 150 + g.rng.IntN(1250)
	case r < 92:
		return 1500 + g.rng.IntN(8500)
	case r < 99:
		return 10000 + g.rng.IntN(30000)
	default:
		return 40000 + g.rng.IntN(160000)
	}
}

// tlsRecords appends n bytes of TLS application-data records to s.
func (g *gen) tlsRecords(s *stream, n int) {
	for n > 0 {
		body := min(n-5, 16000+g.rng.IntN(401))
		if left := n - 5 - body; left > 0 && left < 6 {
			body -= 6
		}
		s.add([]byte{0x17, 0x03, 0x03, byte(body >> 8), byte(body)}, body, g.rng.IntN(poolSize))
		n -= 5 + body
	}
}

func (c *tcpConv) round(g *gen) {
	req, resp := 0, g.responseSize()
	switch c.app {
	case appTLS:
		req = 60 + g.rng.IntN(700)
		g.tlsRecords(&c.cst, req)
		g.tlsRecords(&c.sst, resp)
	case appHTTP:
		h := []byte(fmt.Sprintf("GET /%s/%x.js HTTP/1.1\r\nHost: %s\r\n"+
			"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"+
			"Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
			paths[g.rng.IntN(len(paths))], g.rng.Uint32(), c.host))
		c.cst.add(h, 0, 0)
		req = len(h)
		body := max(resp-160, 1)
		rh := []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\n"+
			"Content-Type: application/octet-stream\r\nContent-Length: %d\r\n"+
			"Cache-Control: max-age=3600\r\n\r\n", body))
		c.sst.add(rh, body, g.rng.IntN(poolSize))
		resp = len(rh) + body
	}
	c.sendData(g, true, req, false)
	c.sendData(g, false, resp, c.tso)
}

func (c *tcpConv) refill(g *gen) {
	c.q, c.qi = c.q[:0], 0
	switch c.state {
	case stHandshake:
		c.push(true, tcpSYN, 0, false)
		c.push(false, tcpSYN|tcpACK, 0, false)
		c.push(true, tcpACK, 0, false)
		c.state = stRounds
	case stRounds:
		c.round(g)
		if c.rounds--; c.rounds == 0 {
			c.state = stClosing
		}
	case stClosing:
		if g.rng.IntN(100) < 8 {
			c.push(true, tcpRST|tcpACK, 0, false)
		} else {
			c.push(true, tcpFIN|tcpACK, 0, false)
			c.push(false, tcpFIN|tcpACK, 0, false)
			c.push(true, tcpACK, 0, false)
		}
		c.state = stDone
	}
}

func (c *tcpConv) next(g *gen) ([]byte, bool) {
	if c.qi == len(c.q) {
		c.refill(g)
	}
	s := &c.q[c.qi]
	c.qi++
	frame := c.build(g, s)
	return frame, c.qi == len(c.q) && c.state == stDone
}

func (c *tcpConv) build(g *gen, s *tcpSeg) []byte {
	l4 := g.l4(c.e.v6)
	optLen := 12
	switch {
	case s.flags&tcpSYN != 0:
		optLen = 20
	case s.flags&tcpRST != 0:
		optLen = 0
	}
	hl := 20 + optLen
	sp, dp := c.cport, c.sport
	if !s.fromClient {
		sp, dp = dp, sp
	}
	be.PutUint16(l4[0:], sp)
	be.PutUint16(l4[2:], dp)
	be.PutUint32(l4[4:], s.seq)
	be.PutUint32(l4[8:], s.ack)
	l4[12] = byte(hl/4) << 4
	l4[13] = s.flags
	win := uint16(502)
	if !s.fromClient {
		win = 501
	}
	if s.flags&tcpSYN != 0 {
		win = 64240
		if !s.fromClient {
			win = 65160
		}
	}
	be.PutUint16(l4[14:], win)
	be.PutUint16(l4[16:], 0)
	be.PutUint16(l4[18:], 0)
	tsval := uint32(g.ts/1000) + c.ctsOff
	tsecr := c.sts
	if !s.fromClient {
		tsval, tsecr = uint32(g.ts/1000)+c.stsOff, c.cts
	}
	if s.flags == tcpSYN {
		tsecr = 0
	}
	o := l4[20:hl]
	switch optLen {
	case 20:
		// MSS (without the 12 bytes of timestamps), SACK permitted,
		// timestamps, NOP, window scale 7.
		copy(o, []byte{2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7})
		be.PutUint16(o[2:], uint16(c.mss+12))
		be.PutUint32(o[8:], tsval)
		be.PutUint32(o[12:], tsecr)
	case 12:
		copy(o, []byte{1, 1, 8, 10})
		be.PutUint32(o[4:], tsval)
		be.PutUint32(o[8:], tsecr)
	}
	if optLen > 0 {
		if s.fromClient {
			c.cts = tsval
		} else {
			c.sts = tsval
		}
	}
	if s.n > 0 {
		if s.fromClient {
			c.cst.read(g, l4[hl:hl+s.n])
		} else {
			c.sst.read(g, l4[hl:hl+s.n])
		}
	}
	g.st.tcp++
	lenZero := false
	if s.tso {
		g.st.tso++
		lenZero = g.st.tso%ipLenZeroEvery == 3 // the 3rd, 23rd, 43rd...
	}
	return g.finish(&c.e, s.fromClient, protoTCP, hl+s.n, 16, hl, c.offload && !s.fromClient, s.whole, lenZero)
}

func (g *gen) l4(v6 bool) []byte {
	if v6 {
		return g.buf[54:]
	}
	return g.buf[34:]
}
