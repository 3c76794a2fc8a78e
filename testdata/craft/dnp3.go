package main

// DNP3 (TCP and UDP 20000): a master polling an outstation for class 0,
// 1, 2 and 3 data, responses with binary inputs, analog inputs and the
// time, an application confirm, an unsolicited response, link-layer
// frames without user data (reset link, link status, ACK), a response
// split into three transport segments (three link frames, one per TCP
// segment, then two in one segment), a data chunk with a bad CRC, a
// header with a bad CRC (which tshark does not take for DNP3 at all) and
// a frame split over two TCP segments.

// dnp3CRC is CRC-16/DNP: reflected polynomial 0x3d65, the result
// complemented, sent least significant byte first.
func dnp3CRC(b []byte) []byte {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c)
		for i := 0; i < 8; i++ {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xa6bc
			} else {
				crc >>= 1
			}
		}
	}
	crc = ^crc
	return []byte{byte(crc), byte(crc >> 8)}
}

// dnp3Frame is one link-layer frame: the header with its CRC, then the
// user data (transport header and application fragment) in blocks of 16
// bytes, each followed by its CRC.
func dnp3Frame(ctl uint8, dst, src uint16, user []byte) []byte {
	h := []byte{0x05, 0x64, byte(5 + len(user)), ctl, byte(dst), byte(dst >> 8), byte(src), byte(src >> 8)}
	out := cat(h, dnp3CRC(h))
	for len(user) > 0 {
		n := min(16, len(user))
		out = cat(out, user[:n], dnp3CRC(user[:n]))
		user = user[n:]
	}
	return out
}

// dnp3Obj is an object header: group, variation, qualifier, range.
func dnp3Obj(group, variation, qual uint8, rng ...byte) []byte {
	return append([]byte{group, variation, qual}, rng...)
}

// dnp3Time is DNP3's 48-bit time: milliseconds since 1970, little-endian.
func dnp3Time(ms uint64) []byte {
	return []byte{byte(ms), byte(ms >> 8), byte(ms >> 16), byte(ms >> 24), byte(ms >> 32), byte(ms >> 40)}
}

func buildDNP3(out map[string][]byte) {
	const master, outst = 3, 4
	const (
		priUser    = 0xc4 // DIR, PRM, unconfirmed user data
		secUser    = 0x44 // PRM, unconfirmed user data (from the outstation)
		trSingle   = 0xc0 // FIN, FIR
		ms         = 1700000000123
		binIn      = 0x81 // binary input with flags: online, state on
		binInOff   = 0x01
		analogFlag = 0x01
	)
	tr := func(t uint8, al ...[]byte) []byte { return cat([]byte{t}, cat(al...)) }
	req := func(seq, fn uint8, objs ...[]byte) []byte {
		return dnp3Frame(priUser, outst, master, tr(trSingle|seq&0x3f, []byte{0xc0 | seq&0x0f, fn}, cat(objs...)))
	}
	resp := func(trSeq, alCtl, fn uint8, iin uint16, objs ...[]byte) []byte {
		return dnp3Frame(secUser, master, outst, tr(trSingle|trSeq&0x3f, []byte{alCtl, fn, byte(iin >> 8), byte(iin)}, cat(objs...)))
	}
	class := func(v uint8) []byte { return dnp3Obj(60, v, 0x06) }
	// integrity poll: class 1, 2, 3 events then class 0 static data
	poll := req(1, 0x01, class(2), class(3), class(4), class(1))
	static := resp(1, 0xc1, 0x81, 0x0000,
		dnp3Obj(1, 2, 0x00, 0, 3), []byte{binIn, binInOff, binIn, 0x02},
		dnp3Obj(30, 1, 0x00, 0, 1), []byte{analogFlag, 0x39, 0x30, 0, 0, analogFlag, 0xff, 0xff, 0xff, 0xff},
		dnp3Obj(30, 2, 0x00, 5, 5), []byte{analogFlag, 0x64, 0x00})
	class0 := req(2, 0x01, class(1))
	class1 := req(3, 0x01, class(2))
	class23 := req(4, 0x01, class(3), class(4))
	readBI := req(5, 0x01, dnp3Obj(1, 0, 0x06))
	emptyResp := resp(2, 0xc2, 0x81, 0x0000)
	events := resp(3, 0xe3, 0x81, 0x0200, // CON; IIN: class 1 data available
		dnp3Obj(2, 2, 0x17, 2), []byte{0, binIn}, dnp3Time(ms), []byte{7, binInOff}, dnp3Time(ms+250))
	confirm := req(3, 0x00)
	timeResp := resp(4, 0xc4, 0x81, 0x1000, dnp3Obj(50, 1, 0x07, 1), dnp3Time(ms))
	writeTime := req(6, 0x02, dnp3Obj(50, 1, 0x07, 1), dnp3Time(ms+5000))
	unsol := dnp3Frame(secUser, master, outst, tr(trSingle|5, []byte{0xf0, 0x82, 0x80, 0x00},
		dnp3Obj(2, 1, 0x17, 1), []byte{3, binIn}))
	unsolConfirm := dnp3Frame(priUser, outst, master, tr(trSingle|7, []byte{0xd0, 0x00}))
	resetLink := dnp3Frame(0xc0, outst, master, nil)
	linkStatus := dnp3Frame(0xc9, outst, master, nil)
	ack := dnp3Frame(0x00, master, outst, nil)
	statusOfLink := dnp3Frame(0x0b, master, outst, nil)
	coldRestart := req(7, 0x0d)
	// a response big enough for three transport segments: 40 binary
	// inputs with flags and 20 32-bit analog inputs
	var bigObjs []byte
	bigObjs = cat(bigObjs, dnp3Obj(1, 2, 0x01, 0, 0, 39, 0))
	for i := 0; i < 40; i++ {
		bigObjs = append(bigObjs, byte(0x01|(i&1)<<7))
	}
	bigObjs = cat(bigObjs, dnp3Obj(30, 1, 0x00, 0, 19))
	for i := 0; i < 20; i++ {
		bigObjs = cat(bigObjs, []byte{analogFlag, byte(i * 7), byte(i), 0, 0})
	}
	bigAL := cat([]byte{0xc8, 0x81, 0x00, 0x00}, bigObjs)
	const segMax = 64
	var bigFrames [][]byte
	for i, p := 0, 0; p < len(bigAL); i++ {
		n := min(segMax, len(bigAL)-p)
		t := uint8(10+i) & 0x3f
		if p == 0 {
			t |= 0x40
		}
		if p+n == len(bigAL) {
			t |= 0x80
		}
		bigFrames = append(bigFrames, dnp3Frame(secUser, master, outst, cat([]byte{t}, bigAL[p:p+n])))
		p += n
	}
	bigReq := req(8, 0x01, class(1))
	// a data chunk whose CRC is wrong: tshark marks it Bad and leaves the
	// application layer out
	badChunk := resp(9, 0xc9, 0x81, 0x0000, dnp3Obj(1, 2, 0x00, 0, 1), []byte{binIn, binIn})
	badChunk[len(badChunk)-1] ^= 0x5a
	badHdr := req(9, 0x01, class(1))
	badHdr[8] ^= 0xff
	directOp := req(10, 0x05, dnp3Obj(12, 1, 0x28, 1, 0), []byte{3, 0, 0x41, 1, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0})
	split := req(11, 0x01, class(2), class(3), class(4))

	var fr [][]byte
	fr = append(fr, tcpConvo(40500, 20000,
		upB(resetLink), downB(ack), upB(linkStatus), downB(statusOfLink),
		upB(poll), downB(static),
		upB(class0), downB(emptyResp),
		upB(class1), downB(events), upB(confirm),
		upB(class23), downB(timeResp),
		upB(readBI), upB(writeTime),
		downB(unsol), upB(unsolConfirm),
		upB(coldRestart),
		upB(bigReq), downB(bigFrames[0]), downB(bigFrames[1]), downB(bigFrames[2]),
		downB(badChunk), upB(badHdr),
		upB(directOp),
		upB(split[:7]), upB(split[7:]),
		upB(class0, class1))...)
	u := func(src, dst string, sp, dp uint16, p []byte) []byte {
		return ethIP4(ip4(src, dst, 17, udp(src, dst, sp, dp, p)))
	}
	const m, o = "192.0.2.1", "192.0.2.2"
	fr = append(fr,
		u(m, o, 20000, 20000, class0),
		u(o, m, 20000, 20000, static),
		u(o, m, 20000, 20000, unsol),
		u(m, o, 20000, 20000, unsolConfirm))
	out["dnp3.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(fr...))
}
