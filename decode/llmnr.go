package decode

// LLMNR (RFC 4795; UDP 5355) is DNS's message format on another port:
// tshark names it LLMNR and fills the dns.* fields (dns.go does the work).

var fLLMNR = Register(FieldDef{Name: "llmnr", Label: "Link-local Multicast Name Resolution", Type: FTProtocol})

var _ = udpPorts.register(5355, dnsPayload)
