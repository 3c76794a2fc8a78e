package main

// The long tail of protocols a packet list should name as Wireshark does:
// TCP conversations (each with its handshake) of SMTP, FTP with a passive
// data connection, POP, IMAP, SIP over TCP, MQTT, PostgreSQL, VNC, RDP,
// NetBIOS session service and SMB2; UDP datagrams of SIP, SSDP, LLMNR,
// NBNS and TFTP.

type seg struct {
	up bool // client to server
	p  []byte
}

// tcpConvo is a TCP conversation from 192.0.2.1:cport to 192.0.2.2:sport:
// the handshake, then each segment with its sequence and ack numbers.
func tcpConvo(cport, sport uint16, segs ...seg) [][]byte {
	const c, s = "192.0.2.1", "192.0.2.2"
	w := func(src, dst string, sp, dp uint16, seq, ack uint32, fl uint8, p []byte) []byte {
		if src == c {
			return ethIP4(ip4(src, dst, 6, tcp(src, dst, sp, dp, seq, ack, fl, p)))
		}
		return eth(macA, macB, 0x0800, ip4(src, dst, 6, tcp(src, dst, sp, dp, seq, ack, fl, p)))
	}
	cs, ss := uint32(1000), uint32(5000)
	out := [][]byte{
		w(c, s, cport, sport, cs, 0, tcpSYN, nil),
		w(s, c, sport, cport, ss, cs+1, tcpSYN|tcpACK, nil),
		w(c, s, cport, sport, cs+1, ss+1, tcpACK, nil),
	}
	cs++
	ss++
	for _, g := range segs {
		if g.up {
			out = append(out, w(c, s, cport, sport, cs, ss, tcpPSH|tcpACK, g.p))
			cs += uint32(len(g.p))
		} else {
			out = append(out, w(s, c, sport, cport, ss, cs, tcpPSH|tcpACK, g.p))
			ss += uint32(len(g.p))
		}
	}
	return out
}

func up(s string) seg   { return seg{true, []byte(s)} }
func down(s string) seg { return seg{false, []byte(s)} }

func upB(b ...[]byte) seg   { return seg{true, cat(b...)} }
func downB(b ...[]byte) seg { return seg{false, cat(b...)} }

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

// netbiosName is a NetBIOS name in first-level encoding (RFC 1001).
func netbiosName(name string, suffix byte) []byte {
	n := []byte(name)
	for len(n) < 15 {
		n = append(n, ' ')
	}
	n = append(n[:15], suffix)
	out := []byte{32}
	for _, c := range n {
		out = append(out, 'A'+c>>4, 'A'+c&15)
	}
	return append(out, 0)
}

// smb2 is an SMB2 header for command cmd (a response when resp), then body.
func smb2(cmd uint16, resp bool, msgID uint64, body []byte) []byte {
	h := make([]byte, 64)
	copy(h, "\xfeSMB")
	h[4] = 64
	le.PutUint16(h[12:], cmd)
	if resp {
		h[16] = 1
	}
	le.PutUint64(h[24:], msgID)
	return cat(h, body)
}

func nbss(p []byte) []byte {
	return cat([]byte{0, byte(len(p) >> 16), byte(len(p) >> 8), byte(len(p))}, p)
}

func mqttStr(s string) []byte { return cat(u16(len(s)), []byte(s)) }

func mqtt(typ byte, body []byte) []byte { return cat([]byte{typ, byte(len(body))}, body) }

func pgMsg(typ byte, body []byte) []byte { return cat([]byte{typ}, be32(uint32(4+len(body))), body) }

func buildTail(out map[string][]byte) {
	var tcpFrames [][]byte
	add := func(f [][]byte) { tcpFrames = append(tcpFrames, f...) }
	add(tcpConvo(40200, 25,
		down("220 mail.wirelens.test ESMTP Postfix\r\n"),
		up("EHLO client.wirelens.test\r\n"),
		down("250-mail.wirelens.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"),
		up("MAIL FROM:<alice@wirelens.test>\r\n"),
		down("250 2.1.0 Ok\r\n"),
		up("RCPT TO:<bob@wirelens.test>\r\n"),
		down("250 2.1.5 Ok\r\n"),
		up("DATA\r\n"),
		down("354 End data with <CR><LF>.<CR><LF>\r\n"),
		up("Subject: hello\r\n\r\nhi bob\r\n.\r\n"),
		down("250 2.0.0 Ok: queued as 4F2A1\r\n"),
		up("QUIT\r\n"),
		down("221 2.0.0 Bye\r\n")))
	add(tcpConvo(40201, 21,
		down("220 (vsFTPd 3.0.3)\r\n"),
		up("USER anonymous\r\n"),
		down("331 Please specify the password.\r\n"),
		up("PASS guest\r\n"),
		down("230 Login successful.\r\n"),
		up("PASV\r\n"),
		down("227 Entering Passive Mode (192,0,2,2,195,80).\r\n"),
		up("RETR hello.txt\r\n"),
		down("150 Opening BINARY mode data connection for hello.txt (20 bytes).\r\n"),
		down("226 Transfer complete.\r\n"),
		up("QUIT\r\n"),
		down("221 Goodbye.\r\n")))
	add(tcpConvo(40202, 50000, down("hello from wirelens\n")))
	add(tcpConvo(40203, 110,
		down("+OK Dovecot ready.\r\n"),
		up("USER alice\r\n"),
		down("+OK\r\n"),
		up("STAT\r\n"),
		down("+OK 1 420\r\n")))
	add(tcpConvo(40204, 143,
		down("* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n"),
		up("a001 LOGIN alice secret\r\n"),
		down("a001 OK Logged in\r\n"),
		up("a002 SELECT INBOX\r\n"),
		down("* 1 EXISTS\r\na002 OK [READ-WRITE] Select completed.\r\n")))
	add(tcpConvo(40205, 1883,
		upB([]byte{0x10, 0x16}, mqttStr("MQTT"), []byte{4, 0x02, 0, 60}, mqttStr("wirelens01")),
		downB([]byte{0x20, 2, 0, 0}),
		upB(mqtt(0x82, cat(u16(1), mqttStr("sensors/#"), []byte{0}))),
		downB(mqtt(0x90, cat(u16(1), []byte{0}))),
		upB(mqtt(0x30, cat(mqttStr("sensors/temp"), []byte("21.5")))),
		upB([]byte{0xc0, 0}),
		downB([]byte{0xd0, 0}),
		upB([]byte{0xe0, 0})))
	add(tcpConvo(40206, 5432,
		upB(be32(8), be32(80877103)), // SSLRequest
		down("N"),
		upB(be32(34), be32(0x00030000), []byte("user\x00alice\x00database\x00shop\x00\x00")),
		downB(pgMsg('R', be32(0)), pgMsg('S', []byte("server_version\x0015.5\x00")), pgMsg('Z', []byte("I"))),
		upB(pgMsg('Q', []byte("SELECT 1;\x00"))),
		downB(pgMsg('T', cat(u16(1), []byte("?column?\x00"), be32(0), u16(0), be32(23), u16(4), be32(0xffffffff), u16(0))),
			pgMsg('D', cat(u16(1), be32(1), []byte("1"))), pgMsg('C', []byte("SELECT 1\x00")), pgMsg('Z', []byte("I"))),
		upB(pgMsg('X', nil))))
	add(tcpConvo(40207, 5900,
		down("RFB 003.008\n"),
		up("RFB 003.008\n"),
		downB([]byte{2, 2, 16}),
		upB([]byte{2}),
		downB(seqBytes(16, 3)),
		upB(seqBytes(16, 9)),
		downB(be32(0))))
	cookie := []byte("Cookie: mstshash=alice\r\n")
	x224 := cat([]byte{byte(6 + len(cookie) + 8), 0xe0, 0, 0, 0, 0, 0}, cookie, []byte{1, 0, 8, 0, 3, 0, 0, 0})
	cc := []byte{14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 2, 0, 0, 0}
	add(tcpConvo(40208, 3389,
		upB([]byte{3, 0}, u16(4+len(x224)), x224),
		downB([]byte{3, 0}, u16(4+len(cc)), cc)))
	add(tcpConvo(40209, 139,
		upB([]byte{0x81, 0, 0, 68}, netbiosName("FILESERVER", 0x20), netbiosName("CLIENT", 0x00)),
		downB([]byte{0x82, 0, 0, 0})))
	add(tcpConvo(40210, 445,
		upB(nbss(smb2(0, false, 0, cat([]byte{36, 0, 2, 0, 1, 0, 0, 0, 0x7f, 0, 0, 0}, make([]byte, 16), make([]byte, 8), []byte{0x02, 0x02, 0x10, 0x02})))),
		downB(nbss(smb2(0, true, 0, cat([]byte{65, 0, 1, 0, 0x10, 0x02, 0, 0}, make([]byte, 56))))),
		upB(nbss(smb2(1, false, 1, cat([]byte{25, 0, 0, 1}, make([]byte, 20))))),
		downB(nbss(smb2(1, true, 1, cat([]byte{9, 0, 0, 0}, make([]byte, 4))))),
		upB(nbss(smb2(3, false, 2, cat([]byte{9, 0, 0, 0, 0x48, 0, 0x16, 0}, []byte("\\\x00\\\x00s\x00r\x00v\x00\\\x00s\x00h\x00a\x00r\x00e\x00")))))))
	add(tcpConvo(40211, 5060,
		up("OPTIONS sip:bob@wirelens.test SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:40211\r\nFrom: <sip:alice@wirelens.test>;tag=1\r\nTo: <sip:bob@wirelens.test>\r\nCall-ID: 1@192.0.2.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"),
		down("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 192.0.2.1:40211\r\nFrom: <sip:alice@wirelens.test>;tag=1\r\nTo: <sip:bob@wirelens.test>;tag=2\r\nCall-ID: 1@192.0.2.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")))
	out["tcp-apps.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpFrames...))

	const c, s = "192.0.2.1", "192.0.2.2"
	u := func(src, dst string, sp, dp uint16, p []byte) []byte {
		return ethIP4(ip4(src, dst, 17, udp(src, dst, sp, dp, p)))
	}
	llmnrQ := dnsQuery(0x8a1b, "printer")
	llmnrQ[2] = 0 // LLMNR: no RD bit
	nbnsQ := cat([]byte{0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 0}, netbiosName("WORKGROUP", 0x00), []byte{0, 0x20, 0, 1})
	out["udp-apps.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		u(c, "239.255.255.250", 50300, 1900, []byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n")),
		u(s, c, 1900, 50300, []byte("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\nLOCATION: http://192.0.2.2:80/desc.xml\r\n\r\n")),
		u(c, "224.0.0.252", 50301, 5355, llmnrQ),
		u(c, "192.0.2.255", 137, 137, nbnsQ),
		u(c, s, 50302, 69, []byte("\x00\x01hello.txt\x00octet\x00")),
		u(s, c, 50999, 50302, cat([]byte{0, 3, 0, 1}, []byte("hello from wirelens\n"))),
		u(c, s, 50302, 50999, []byte{0, 4, 0, 1}),
		u(c, s, 50303, 69, []byte("\x00\x02upload.bin\x00octet\x00")),
		u(s, c, 51000, 50303, []byte{0, 5, 0, 2, 'A', 'c', 'c', 'e', 's', 's', ' ', 'v', 'i', 'o', 'l', 'a', 't', 'i', 'o', 'n', 0}),
		u(c, s, 5060, 5060, []byte("REGISTER sip:wirelens.test SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060\r\nFrom: <sip:alice@wirelens.test>;tag=9\r\nTo: <sip:alice@wirelens.test>\r\nCall-ID: 2@192.0.2.1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n")),
		u(s, c, 5060, 5060, []byte("SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.0.2.1:5060\r\nFrom: <sip:alice@wirelens.test>;tag=9\r\nTo: <sip:alice@wirelens.test>;tag=3\r\nCall-ID: 2@192.0.2.1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n")),
	))
}
