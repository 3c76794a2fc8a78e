package main

import (
	"encoding/binary"
	"math/rand/v2"
)

// Fault rates and traffic mix. Changing any of them changes the output for
// every seed, so tests that pin counts must be updated with them.
const (
	offloadFlowRate = 0.08  // TCP flows whose local server leaves partial checksums (and sends TSO frames)
	dnsPartialRate  = 0.06  // DNS queries from a local host with UDP checksum offload
	ipZeroRate      = 0.004 // IPv4 packets whose header checksum is 0
	flipRate        = 0.004 // packets with payload that get one bit flipped
	ipLenZeroEvery  = 20    // one TSO frame in this many has IPv4 total length 0
	v6Rate          = 0.12  // conversations over IPv6

	poolSize = 1 << 20 // random bytes that payloads are copied from
)

const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

var (
	be         = binary.BigEndian
	gatewayMAC = [6]byte{0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e}
	broadcast  = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
)

type gen struct {
	rng  *rand.Rand
	ts   int64 // microseconds since the epoch
	pool []byte
	buf  []byte
	conv [][]conv // per kind
	ipid uint16
	st   stats

	servers4 [][4]byte
	servers6 [][16]byte
}

type conv interface {
	// next builds the conversation's next frame in g.buf and reports
	// whether the conversation has no more frames.
	next(g *gen) (frame []byte, done bool)
}

func newGen(seed uint64) *gen {
	g := &gen{
		rng:  rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ts:   1717236000_000000, // 2024-06-01 10:00:00 UTC
		pool: make([]byte, poolSize),
		buf:  make([]byte, 70000),
	}
	for i := 0; i < poolSize; i += 8 {
		be.PutUint64(g.pool[i:], g.rng.Uint64())
	}
	prefixes := [][2]byte{{93, 184}, {142, 250}, {151, 101}, {104, 16}, {13, 107}, {140, 82}, {185, 199}, {199, 232}, {172, 217}, {52, 84}}
	for i := 0; i < 400; i++ {
		p := prefixes[g.rng.IntN(len(prefixes))]
		g.servers4 = append(g.servers4, [4]byte{p[0], p[1], byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))})
	}
	prefixes6 := [][4]byte{{0x2a, 0x00, 0x14, 0x50}, {0x26, 0x06, 0x47, 0x00}, {0x2a, 0x04, 0x4e, 0x42}, {0x26, 0x20, 0x01, 0xec}}
	for i := 0; i < 100; i++ {
		var a [16]byte
		p := prefixes6[g.rng.IntN(len(prefixes6))]
		copy(a[:], p[:])
		for j := 4; j < 16; j++ {
			if j < 8 || j >= 12 {
				a[j] = byte(g.rng.IntN(256))
			}
		}
		g.servers6 = append(g.servers6, a)
	}
	for _, k := range kinds {
		pool := make([]conv, k.slots)
		for i := range pool {
			pool[i] = k.make(g)
		}
		g.conv = append(g.conv, pool)
	}
	return g
}

// next returns the next frame of the capture; g.ts is its timestamp.
func (g *gen) next() []byte {
	g.ts += 1 + int64(g.rng.IntN(48))
	r, k := g.rng.IntN(1000), 0
	for r >= kinds[k].weight {
		r -= kinds[k].weight
		k++
	}
	pool := g.conv[k]
	i := g.rng.IntN(len(pool))
	frame, done := pool[i].next(g)
	if done {
		pool[i] = kinds[k].make(g)
	}
	g.st.packets++
	g.st.bytes += int64(len(frame))
	return frame
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// kinds of conversation, with the share of packets each one produces and
// how many of them run interleaved.
var kinds = []struct {
	weight, slots int // weight in 1/1000 of packets
	make          func(g *gen) conv
}{
	{800, 200, func(g *gen) conv { return g.newTCP(g.chance(v6Rate)) }},
	{110, 24, func(g *gen) conv { return g.newDNS(g.chance(v6Rate)) }},
	{15, 4, func(g *gen) conv { return g.newNTP() }},
	{15, 4, func(g *gen) conv { return g.newSyslog() }},
	{55, 8, func(g *gen) conv { return g.newPing(g.chance(v6Rate)) }},
	{5, 2, func(g *gen) conv { return g.newARP() }},
}

// endpoints is an address pair; a is the side that starts the conversation.
type endpoints struct {
	v6         bool
	a, b       [16]byte // IPv4 addresses use the first 4 bytes
	amac, bmac [6]byte
	attl, bttl uint8
	flow       uint32 // IPv6 flow label
}

func localMAC(last byte) [6]byte { return [6]byte{0x52, 0x54, 0x00, 0x12, 0x34, last} }

// clientServer picks a local client and a remote server.
func (g *gen) clientServer(v6 bool) endpoints {
	h := byte(10 + g.rng.IntN(240))
	e := endpoints{v6: v6, amac: localMAC(h), bmac: gatewayMAC, attl: 64, bttl: uint8(48 + g.rng.IntN(70))}
	if v6 {
		copy(e.a[:], []byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, h})
		e.b = g.servers6[g.rng.IntN(len(g.servers6))]
		e.flow = g.rng.Uint32() & 0xfffff
	} else {
		copy(e.a[:], []byte{10, 0, 0, h})
		s := g.servers4[g.rng.IntN(len(g.servers4))]
		copy(e.b[:], s[:])
	}
	return e
}

// finish completes the frame whose L4 header and payload (l4len bytes) are
// already in place after the Ethernet and IP headers: it writes those
// headers and all checksums, then injects the faults. csumOff is the L4
// checksum's offset; payOff where the L4 payload starts; partial asks for a
// CHECKSUM_PARTIAL value; flipOK allows a bit flip in the payload.
func (g *gen) finish(e *endpoints, fromA bool, proto uint8, l4len, csumOff, payOff int, partial, flipOK, ipLenZero bool) []byte {
	b := g.buf
	src, dst, smac, dmac, ttl := &e.a, &e.b, e.amac, e.bmac, e.attl
	if !fromA {
		src, dst, smac, dmac, ttl = &e.b, &e.a, e.bmac, e.amac, e.bttl
	}
	copy(b[0:6], dmac[:])
	copy(b[6:12], smac[:])
	ipl := 20
	if e.v6 {
		ipl = 40
		be.PutUint16(b[12:], 0x86dd)
		g.st.v6++
	} else {
		be.PutUint16(b[12:], 0x0800)
	}
	ip := b[14 : 14+ipl]
	l4 := b[14+ipl : 14+ipl+l4len]
	be.PutUint16(l4[csumOff:], 0)
	var sum uint32
	if e.v6 {
		be.PutUint32(ip[0:], 0x60000000|e.flow)
		be.PutUint16(ip[4:], uint16(l4len))
		ip[6] = proto
		ip[7] = ttl
		copy(ip[8:24], src[:])
		copy(ip[24:40], dst[:])
		sum = sumBytes(ip[8:40], 0) + uint32(l4len>>16) + uint32(l4len&0xffff) + uint32(proto)
	} else {
		g.ipid++
		ip[0] = 0x45
		ip[1] = 0
		tot := uint16(20 + l4len)
		if ipLenZero {
			tot = 0
			g.st.ipLenZero++
		}
		be.PutUint16(ip[2:], tot)
		be.PutUint16(ip[4:], g.ipid)
		be.PutUint16(ip[6:], 0x4000) // DF
		ip[8] = ttl
		ip[9] = proto
		be.PutUint16(ip[10:], 0)
		copy(ip[12:16], src[:4])
		copy(ip[16:20], dst[:4])
		if g.chance(ipZeroRate) {
			g.st.ipZero++
		} else {
			be.PutUint16(ip[10:], ^fold(sumBytes(ip, 0)))
		}
		sum = sumBytes(ip[12:20], 0) + uint32(l4len) + uint32(proto)
	}
	switch {
	case proto == protoICMP:
		be.PutUint16(l4[csumOff:], ^fold(sumBytes(l4, 0)))
	case partial:
		be.PutUint16(l4[csumOff:], fold(sum))
		if proto == protoTCP {
			g.st.partialTCP++
		} else {
			g.st.partialUDP++
		}
	default:
		c := ^fold(sumBytes(l4, sum))
		if c == 0 && proto == protoUDP {
			c = 0xffff
		}
		be.PutUint16(l4[csumOff:], c)
	}
	if flipOK && !partial && l4len > payOff && g.chance(flipRate) {
		i := payOff + g.rng.IntN(l4len-payOff)
		l4[i] ^= 1 << g.rng.IntN(8)
		g.st.flips++
	}
	return b[:14+ipl+l4len]
}

// sumBytes adds b as big-endian 16-bit words to s (one's-complement sum,
// not yet folded). Odd lengths are padded with a zero byte.
func sumBytes(b []byte, s uint32) uint32 {
	acc := uint64(s)
	for len(b) >= 8 {
		acc += uint64(be.Uint32(b)) + uint64(be.Uint32(b[4:]))
		b = b[8:]
	}
	for len(b) >= 2 {
		acc += uint64(be.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	for acc>>32 != 0 {
		acc = acc&0xffffffff + acc>>32
	}
	return uint32(acc)
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// payload copies n pseudo-random bytes into dst starting at pool offset off.
func (g *gen) payload(dst []byte, off int) {
	for len(dst) > 0 {
		off %= poolSize
		k := copy(dst, g.pool[off:])
		dst = dst[k:]
		off += k
	}
}
