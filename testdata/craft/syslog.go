package main

// Syslog (UDP 514) messages in the shapes real senders use: BSD (RFC 3164)
// with a program and pid, RFC 5424 with structured data and a BOM, no
// priority at all, more priority digits than Wireshark reads, facilities
// past LOCAL7, control and UTF-8 characters, and cut-short priorities.
func buildSyslog(out map[string][]byte) {
	const c, s = "192.0.2.1", "192.0.2.2"
	u := func(p string) []byte { return ethIP4(ip4(c, s, 17, udp(c, s, 53892, 514, []byte(p)))) }
	out["syslog.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(
		u("<27>Jun  1 10:00:00 host128 nginx[22725]: 10.0.0.45 - - \"GET /healthz HTTP/1.1\" 200 58837"),
		u("<86>Dec 24 07:01:02 gw sshd[1]: Accepted publickey for deploy from 10.0.0.123 port 12652 ssh2"),
		u("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] \xef\xbb\xbfAn application event log entry"),
		u("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8"),
		u("<13>1 - - - - - -"),
		u("a message with no priority at all"),
		u("<1234>four digits of priority"),
		u("<191>Jan 31 23:59:59 h app: local7 debug"),
		u("<200>facility past local7"),
		u("<14>Feb  3 04:05:06 host kernel: tab\there, newline at the end\n"),
		u("<14>Mar  9 01:02:03 host app: control \x01\x7f and UTF-8 caf\xc3\xa9, bad \xff byte"),
		u("<5>Apr  1 00:00:00 nospaceafterhost"),
		u("<5>short"),
		u("<"),
		u("<12"),
		u("<0>"),
	))
}
