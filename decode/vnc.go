package decode

import (
	"bytes"
	"fmt"
)

// VNC's RFB protocol (RFC 6143; TCP 5900-5903) as Wireshark's
// packet-vnc.c follows its handshake: the version exchange, security
// types, VNC authentication, and then the client's and server's messages
// by type. Which step a message is depends on those before it, kept per
// conversation (appstate.go).

var (
	fVNC        = Register(FieldDef{Name: "vnc", Label: "Virtual Network Computing", Type: FTProtocol})
	fVNCServVer = Register(FieldDef{Name: "vnc.server_proto_ver", Label: "Server protocol version", Type: FTString})
	fVNCCliVer  = Register(FieldDef{Name: "vnc.client_proto_ver", Label: "Client protocol version", Type: FTString})
	fVNCSecType = Register(FieldDef{Name: "vnc.server_security_type", Label: "Security type", Type: FTUint})
	fVNCCliSec  = Register(FieldDef{Name: "vnc.client_security_type", Label: "Security type selected", Type: FTUint})
	fVNCMsgType = Register(FieldDef{Name: "vnc.client_message_type", Label: "Client Message Type", Type: FTUint})
	fVNCSrvType = Register(FieldDef{Name: "vnc.server_message_type", Label: "Server Message Type", Type: FTUint})
)

var vncSecNames = map[byte]string{0: "Invalid", 1: "None", 2: "VNC", 5: "RA2", 6: "RA2ne", 16: "Tight", 17: "Ultra", 18: "TLS", 19: "VeNCrypt"}

var vncClientMsgs = map[byte]string{0: "Set Pixel Format", 2: "Set Encodings", 3: "Framebuffer Update Request", 4: "Key Event",
	5: "Pointer Event", 6: "Cut Text"}

var vncServerMsgs = map[byte]string{0: "Framebuffer Update", 1: "Set Colormap Entries", 2: "Ring Bell", 3: "Cut Text"}

func dissectVNC(b *builder, off int) int {
	d := b.data[off:]
	fromServer := b.sport >= 5900 && b.sport <= 5903
	b.addProtocol("vnc")
	info := b.appInfo("vnc", func(c *appConv, dir int) string {
		step := c.vals["step"]
		next := func(s string) { c.vals["step"] = s }
		switch {
		case bytes.HasPrefix(d, []byte("RFB ")) && len(d) >= 11:
			v := string(d[4:11])
			if fromServer {
				return "Server protocol version: " + v
			}
			next("sectypes")
			return "Client protocol version: " + v
		case step == "sectypes" && fromServer:
			next("secselect")
			return "Security types supported"
		case step == "secselect" && !fromServer && len(d) == 1:
			if d[0] == 2 {
				next("challenge")
			} else {
				next("result")
			}
			name, ok := vncSecNames[d[0]]
			if !ok {
				name = "Unknown"
			}
			return fmt.Sprintf("Security type %s (%d) selected by client", name, d[0])
		case step == "challenge" && fromServer && len(d) == 16:
			next("response")
			return "Authentication challenge from server"
		case step == "response" && !fromServer && len(d) == 16:
			next("result")
			return "Authentication response from client"
		case step == "result" && fromServer && len(d) >= 4:
			next("clientinit")
			return "Authentication result"
		case step == "clientinit" && !fromServer:
			next("serverinit")
			return "Share desktop flag"
		case step == "serverinit" && fromServer:
			next("normal")
			return "Server framebuffer parameters"
		case step == "normal" && len(d) > 0:
			names := vncClientMsgs
			if fromServer {
				names = vncServerMsgs
			}
			if n, ok := names[d[0]]; ok {
				return n
			}
		}
		return "Continuation"
	})
	b.open(fVNC, off, len(d))
	if bytes.HasPrefix(d, []byte("RFB ")) && len(d) >= 11 {
		def := fVNCCliVer
		if fromServer {
			def = fVNCServVer
		}
		b.add(def, off+4, 7).S = string(d[4:11])
	}
	b.close()
	if b.ds.Summary {
		b.proto = "VNC"
		b.setInfo(info)
	}
	return len(b.data)
}

var vncPayload = func() *Payload {
	p := newPayload("vnc", "Virtual Network Computing", dissectVNC)
	p.Optional = true
	return p
}()

var _ = func() bool {
	for port := uint32(5900); port <= 5903; port++ {
		tcpPorts.register(port, vncPayload)
	}
	return true
}()
