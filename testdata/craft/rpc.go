package main

// ONC-RPC (portmapper GETPORT over UDP, NFSv3 NULL and GETATTR over TCP
// with record marking) and connection-oriented DCERPC to the endpoint
// mapper (bind, bind_ack, an ept_lookup request and its response).

// rpcCall is an ONC-RPC call with AUTH_NULL credentials and verifier.
func rpcCall(xid, prog, vers, proc uint32, args []byte) []byte {
	return cat(be32(xid), be32(0), be32(2), be32(prog), be32(vers), be32(proc), be32(0), be32(0), be32(0), be32(0), args)
}

// rpcReply is an accepted, successful reply with an AUTH_NULL verifier.
func rpcReply(xid uint32, res []byte) []byte {
	return cat(be32(xid), be32(1), be32(0), be32(0), be32(0), be32(0), res)
}

// rpcRecord is one last-fragment record mark (RFC 5531 section 11).
func rpcRecord(m []byte) []byte { return cat(be32(0x80000000|uint32(len(m))), m) }

// uuidLE is a DCE UUID as NDR little-endian data representation sends it.
func uuidLE(a uint32, b, c uint16, d ...byte) []byte {
	out := make([]byte, 8)
	le.PutUint32(out, a)
	le.PutUint16(out[4:], b)
	le.PutUint16(out[6:], c)
	return append(out, d...)
}

// dcerpc is a connection-oriented PDU of type ptype, a single fragment.
func dcerpc(ptype uint8, callID uint32, body []byte) []byte {
	h := []byte{5, 0, ptype, 0x03, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	le.PutUint16(h[8:], uint16(16+len(body)))
	le.PutUint32(h[12:], callID)
	return cat(h, body)
}

func le16(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }
func le32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func buildRPC(out map[string][]byte) {
	const c, s = "192.0.2.1", "192.0.2.2"
	u := func(src, dst string, sp, dp uint16, p []byte) []byte {
		return ethIP4(ip4(src, dst, 17, udp(src, dst, sp, dp, p)))
	}
	var fr [][]byte
	fr = append(fr,
		u(c, s, 812, 111, rpcCall(0x1001, 100000, 2, 3, cat(be32(100003), be32(3), be32(6), be32(0)))),
		u(s, c, 111, 812, rpcReply(0x1001, be32(2049))),
		u(c, s, 813, 111, rpcCall(0x1002, 100000, 2, 0, nil)),
		u(s, c, 111, 813, rpcReply(0x1002, nil)))
	fh := []byte{1, 0, 7, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}
	fattr := cat(be32(2), be32(0755), be32(3), be32(0), be32(0), be32(0), be32(4096), be32(0), be32(4096),
		be32(0), be32(0), be32(0), be32(0x1234), be32(0), be32(2),
		be32(1700000000), be32(0), be32(1700000000), be32(0), be32(1700000000), be32(0))
	fr = append(fr, tcpConvo(871, 2049,
		upB(rpcRecord(rpcCall(0x2001, 100003, 3, 0, nil))),
		downB(rpcRecord(rpcReply(0x2001, nil))),
		upB(rpcRecord(rpcCall(0x2002, 100003, 3, 1, cat(be32(uint32(len(fh))), fh)))),
		downB(rpcRecord(rpcReply(0x2002, cat(be32(0), fattr)))))...)
	out["rpc.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(fr...))
}

func buildDCERPC(out map[string][]byte) {
	epm := cat(uuidLE(0xe1af8308, 0x5d1f, 0x11c9, 0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa), le16(3), le16(0))
	ndr := cat(uuidLE(0x8a885d04, 0x1ceb, 0x11c9, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60), le32(2))
	bind := cat(le16(5840), le16(5840), le32(0), []byte{1, 0, 0, 0}, le16(0), []byte{1, 0}, epm, ndr)
	ack := cat(le16(5840), le16(5840), le32(0x1d2e), le16(4), []byte("135\x00"), []byte{0, 0}, []byte{1, 0, 0, 0}, le16(0), le16(0), ndr)
	lookup := cat(le32(0), le32(0), le32(0), le32(1), make([]byte, 20), le32(500))
	lookupResp := cat(make([]byte, 20), le32(0), le32(500), le32(0), le32(0), le32(0x16c9a0d6))
	fr := tcpConvo(49700, 135,
		upB(dcerpc(11, 2, bind)),
		downB(dcerpc(12, 2, ack)),
		upB(dcerpc(0, 2, cat(le32(uint32(len(lookup))), le16(0), le16(2), lookup))),
		downB(dcerpc(2, 2, cat(le32(uint32(len(lookupResp))), le16(0), []byte{0, 0}, lookupResp))))
	// an interface tshark has no dissector for, its UUID in the Info
	other := cat(uuidLE(0x01020304, 0x0506, 0x0708, 9, 10, 11, 12, 13, 14, 15, 16), le16(1), le16(0))
	fr = append(fr, tcpConvo(49701, 135,
		upB(dcerpc(11, 7, cat(le16(5840), le16(5840), le32(0), []byte{1, 0, 0, 0}, le16(1), []byte{1, 0}, other, ndr))),
		downB(dcerpc(12, 7, ack)),
		upB(dcerpc(0, 8, cat(le32(4), le16(1), le16(5), le32(0x11223344)))),
		downB(dcerpc(2, 8, cat(le32(4), le16(1), []byte{0, 0}, le32(0)))))...)
	out["dcerpc.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(fr...))
}
