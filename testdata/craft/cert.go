package main

// A TLS 1.2 server flight (Server Hello, Certificate, Server Hello Done)
// whose certificate has a subject and issuer with UTF8 and printable
// strings and a country, subject alternative names and a validity, made
// by crypto/x509 with an Ed25519 key from a fixed seed (Ed25519 signs
// deterministically, so the file regenerates byte for byte).

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

func testCert() []byte {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x1234abcd),
		Subject:      pkix.Name{CommonName: "www.wirelens.test", Organization: []string{"wirelens"}, Country: []string{"DE"}},
		Issuer:       pkix.Name{CommonName: "wirelens test CA"},
		NotBefore:    time.Date(2023, 11, 14, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2033, 11, 14, 0, 0, 0, 0, time.UTC),
		DNSNames:     []string{"www.wirelens.test", "wirelens.test"},
	}
	der, err := x509.CreateCertificate(zeroReader{}, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	return der
}

func hsMsg(typ byte, body []byte) []byte {
	return cat([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body)
}

func buildCert(out map[string][]byte) {
	cert := testCert()
	sh := hsMsg(2, cat(u16(0x0303), seqBytes(32, 0x50), []byte{0}, u16(0xc02f), []byte{0}, u16(0)))
	list := cat([]byte{byte(len(cert) >> 16), byte(len(cert) >> 8), byte(len(cert))}, cert)
	cm := hsMsg(11, cat([]byte{byte(len(list) >> 16), byte(len(list) >> 8), byte(len(list))}, list))
	hs := cat(sh, cm, hsMsg(14, nil))
	rec := cat([]byte{22, 3, 3}, u16(len(hs)), hs)
	ch := hsMsg(1, cat(u16(0x0303), seqBytes(32, 0xa0), []byte{0}, u16(2), u16(0xc02f), []byte{1, 0}))
	out["tls-cert.pcap"] = pcapFile(ltEthernet, pcapOpts{}, frames(tcpConvo(40300, 443,
		upB([]byte{22, 3, 1}, u16(len(ch)), ch),
		downB(rec))...))
}
