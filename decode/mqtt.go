package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// MQTT (v3.1.1 and v5; TCP 1883) with Wireshark's field names
// (packet-mqtt.c) and tshark's Info: "Connect Command", "Publish Message
// [topic]", "Subscribe Request (id=1) [topic]"; several messages in a
// segment are listed with ", ".

var mqttTypes = map[uint64]string{1: "Connect Command", 2: "Connect Ack", 3: "Publish Message", 4: "Publish Ack",
	5: "Publish Received", 6: "Publish Release", 7: "Publish Complete", 8: "Subscribe Request", 9: "Subscribe Ack",
	10: "Unsubscribe Request", 11: "Unsubscribe Ack", 12: "Ping Request", 13: "Ping Response", 14: "Disconnect Req", 15: "Auth"}

var (
	fMQTT        = Register(FieldDef{Name: "mqtt", Label: "MQ Telemetry Transport Protocol", Type: FTProtocol})
	fMQTTHdr     = Register(FieldDef{Name: "mqtt.hdrflags", Label: "Header Flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fMQTTType    = Register(FieldDef{Name: "mqtt.msgtype", Label: "Message Type", Type: FTUint, Bits: 8, Bitmask: 0xf0, Values: mqttTypes, Display: bitLine})
	fMQTTLen     = Register(FieldDef{Name: "mqtt.len", Label: "Msg Len", Type: FTUint})
	fMQTTTopic   = Register(FieldDef{Name: "mqtt.topic", Label: "Topic", Type: FTString})
	fMQTTMsgID   = Register(FieldDef{Name: "mqtt.msgid", Label: "Message Identifier", Type: FTUint})
	fMQTTProto   = Register(FieldDef{Name: "mqtt.proto_name", Label: "Protocol Name", Type: FTString})
	fMQTTVer     = Register(FieldDef{Name: "mqtt.ver", Label: "Version", Type: FTUint})
	fMQTTClient  = Register(FieldDef{Name: "mqtt.clientid", Label: "Client ID", Type: FTString})
	fMQTTMsg     = Register(FieldDef{Name: "mqtt.msg", Label: "Message", Type: FTBytes})
	fMQTTRetCode = Register(FieldDef{Name: "mqtt.conack.val", Label: "Return Code", Type: FTUint})
)

func mqttStrAt(d []byte, p int) (string, int, bool) {
	if p+2 > len(d) {
		return "", 0, false
	}
	n := int(binary.BigEndian.Uint16(d[p:]))
	if p+2+n > len(d) {
		return "", 0, false
	}
	return string(d[p+2 : p+2+n]), 2 + n, true
}

func dissectMQTT(b *builder, off int) int {
	d := b.data[off:]
	b.addProtocol("mqtt")
	var info []string
	for p := 0; p+2 <= len(d); {
		typ := d[p] >> 4
		// remaining length: up to four bytes of 7 bits
		l, n := 0, 0
		for shift := 0; n < 4 && p+1+n < len(d); shift += 7 {
			c := d[p+1+n]
			l |= int(c&0x7f) << shift
			n++
			if c&0x80 == 0 {
				break
			}
		}
		end := p + 1 + n + l
		if end > len(d) {
			end = len(d)
		}
		m := d[p+1+n : end]
		mo := off + p + 1 + n
		b.open(fMQTT, off+p, end-p)
		b.addU(fMQTTHdr, off+p, 1, uint64(d[p]))
		b.depth++
		b.addU(fMQTTType, off+p, 1, uint64(typ))
		b.depth--
		b.addU(fMQTTLen, off+p+1, n, uint64(l))
		name, ok := mqttTypes[uint64(typ)]
		if !ok {
			name = fmt.Sprintf("Unknown (%d)", typ)
		}
		switch typ {
		case 1:
			if s, k, ok := mqttStrAt(m, 0); ok {
				b.add(fMQTTProto, mo+2, k-2).S = s
				if k+4 <= len(m) {
					b.addU(fMQTTVer, mo+k, 1, uint64(m[k]))
					if id, k2, ok := mqttStrAt(m, k+4); ok {
						b.add(fMQTTClient, mo+k+6, k2-2).S = id
					}
				}
			}
		case 2:
			if len(m) >= 2 {
				b.addU(fMQTTRetCode, mo+1, 1, uint64(m[1]))
			}
		case 3:
			if s, k, ok := mqttStrAt(m, 0); ok {
				b.add(fMQTTTopic, mo+2, k-2).S = s
				q := k
				if d[p]>>1&3 != 0 && q+2 <= len(m) {
					b.addU(fMQTTMsgID, mo+q, 2, uint64(binary.BigEndian.Uint16(m[q:])))
					q += 2
				}
				if q < len(m) {
					b.addB(fMQTTMsg, mo+q, len(m)-q)
				}
				name += " [" + Sanitize(s) + "]"
			}
		case 4, 5, 6, 7, 9, 11:
			if len(m) >= 2 {
				id := binary.BigEndian.Uint16(m)
				b.addU(fMQTTMsgID, mo, 2, uint64(id))
				name += fmt.Sprintf(" (id=%d)", id)
			}
		case 8, 10:
			if len(m) >= 2 {
				id := binary.BigEndian.Uint16(m)
				b.addU(fMQTTMsgID, mo, 2, uint64(id))
				name += fmt.Sprintf(" (id=%d)", id)
				for q := 2; q < len(m); {
					s, k, ok := mqttStrAt(m, q)
					if !ok {
						break
					}
					b.add(fMQTTTopic, mo+q+2, k-2).S = s
					name += " [" + Sanitize(s) + "]"
					q += k
					if typ == 8 {
						q++ // requested QoS
					}
				}
			}
		}
		b.close()
		info = append(info, name)
		p = end
	}
	if b.ds.Summary {
		b.proto = "MQTT"
		b.setInfo(strings.Join(info, ", "))
	}
	return len(b.data)
}

var mqttPayload = func() *Payload {
	p := newPayload("mqtt", "MQ Telemetry Transport Protocol", dissectMQTT)
	p.Optional = true
	return p
}()

var _ = tcpPorts.register(1883, mqttPayload)
