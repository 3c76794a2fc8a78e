package decode

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Connection-oriented DCE/RPC (C706 chapter 12) on TCP 135, with
// Wireshark's field names (packet-dcerpc.c) and tshark's Info. A Bind
// names each presentation context's interface; Requests and Responses
// find theirs by context id, and a Response its Request by call id,
// within the conversation on the in-order pass, kept per frame. The
// endpoint mapper's calls are named as Wireshark's EPM dissector names
// them (its stub data is not dissected); dynamic ports the mapper hands
// out are not followed.

var dcerpcTypes = map[uint64]string{0: "Request", 1: "Ping", 2: "Response", 3: "Fault", 4: "Working", 5: "Nocall", 6: "Reject",
	7: "Ack", 8: "Cl_cancel", 9: "Fack", 10: "Cancel_ack", 11: "Bind", 12: "Bind_ack", 13: "Bind_nak", 14: "Alter_context",
	15: "Alter_context_resp", 16: "AUTH3", 17: "Shutdown", 18: "Co_cancel", 19: "Orphaned"}

var dcerpcAckResults = map[uint64]string{0: "Acceptance", 1: "User rejection", 2: "Provider rejection", 3: "Negotiate ACK"}

// dcerpcInterfaces are the interfaces named by their Wireshark
// abbreviation; others show as their UUID, as tshark does.
var dcerpcInterfaces = map[string]string{"e1af8308-5d1f-11c9-91a4-08002b14a0fa": "EPMv4"}

var dcerpcSyntaxes = map[string]string{"8a885d04-1ceb-11c9-9fe8-08002b104860": "32bit NDR", "71710533-beba-4937-8319-b5dbef9ccc36": "64bit NDR"}

var epmOps = map[uint64]string{0: "Insert", 1: "Delete", 2: "Lookup", 3: "Map", 4: "LookupHandleFree", 5: "InqObject", 6: "MgmtDelete"}

var (
	fDCERPC         = Register(FieldDef{Name: "dcerpc", Label: "DCE/RPC", Type: FTProtocol})
	fDCERPCVer      = Register(FieldDef{Name: "dcerpc.ver", Label: "Version", Type: FTUint})
	fDCERPCVerMinor = Register(FieldDef{Name: "dcerpc.ver_minor", Label: "Version (minor)", Type: FTUint})
	fDCERPCType     = Register(FieldDef{Name: "dcerpc.pkt_type", Label: "Packet type", Type: FTUint, Values: dcerpcTypes})
	fDCERPCFlags    = Register(FieldDef{Name: "dcerpc.cn_flags", Label: "Packet Flags", Type: FTUint, Base: BaseHex, Bits: 8})
	fDCERPCDrep     = Register(FieldDef{Name: "dcerpc.drep", Label: "Data Representation", Type: FTBytes})
	fDCERPCFragLen  = Register(FieldDef{Name: "dcerpc.cn_frag_len", Label: "Frag Length", Type: FTUint})
	fDCERPCAuthLen  = Register(FieldDef{Name: "dcerpc.cn_auth_len", Label: "Auth Length", Type: FTUint})
	fDCERPCCallID   = Register(FieldDef{Name: "dcerpc.cn_call_id", Label: "Call ID", Type: FTUint})
	fDCERPCMaxXmit  = Register(FieldDef{Name: "dcerpc.cn_max_xmit", Label: "Max Xmit Frag", Type: FTUint})
	fDCERPCMaxRecv  = Register(FieldDef{Name: "dcerpc.cn_max_recv", Label: "Max Recv Frag", Type: FTUint})
	fDCERPCAssoc    = Register(FieldDef{Name: "dcerpc.cn_assoc_group", Label: "Assoc Group", Type: FTUint, Base: BaseHex, Bits: 32})
	fDCERPCNumCtx   = Register(FieldDef{Name: "dcerpc.cn_num_ctx_items", Label: "Num Ctx Items", Type: FTUint})
	fDCERPCCtxID    = Register(FieldDef{Name: "dcerpc.cn_ctx_id", Label: "Context ID", Type: FTUint})
	fDCERPCNumTrans = Register(FieldDef{Name: "dcerpc.cn_num_trans_items", Label: "Num Trans Items", Type: FTUint})
	fDCERPCIfVer    = Register(FieldDef{Name: "dcerpc.cn_bind_if_ver", Label: "Interface Ver", Type: FTUint})
	fDCERPCIfMinor  = Register(FieldDef{Name: "dcerpc.cn_bind_if_ver_minor", Label: "Interface Ver Minor", Type: FTUint})
	fDCERPCIfUUID   = Register(FieldDef{Name: "dcerpc.cn_bind_to_uuid", Label: "Interface UUID", Type: FTString})
	fDCERPCTransID  = Register(FieldDef{Name: "dcerpc.cn_bind_trans_id", Label: "ID", Type: FTString})
	fDCERPCTransVer = Register(FieldDef{Name: "dcerpc.cn_bind_trans_ver", Label: "ver", Type: FTUint})
	fDCERPCSecLen   = Register(FieldDef{Name: "dcerpc.cn_sec_addr_len", Label: "Scndry Addr len", Type: FTUint})
	fDCERPCSecAddr  = Register(FieldDef{Name: "dcerpc.cn_sec_addr", Label: "Scndry Addr", Type: FTString})
	fDCERPCNumRes   = Register(FieldDef{Name: "dcerpc.cn_num_results", Label: "Num results", Type: FTUint})
	fDCERPCAckRes   = Register(FieldDef{Name: "dcerpc.cn_ack_result", Label: "Ack result", Type: FTUint, Values: dcerpcAckResults})
	fDCERPCAllocH   = Register(FieldDef{Name: "dcerpc.cn_alloc_hint", Label: "Alloc hint", Type: FTUint})
	fDCERPCOpnum    = Register(FieldDef{Name: "dcerpc.opnum", Label: "Opnum", Type: FTUint})
	fDCERPCCancel   = Register(FieldDef{Name: "dcerpc.cn_cancel_count", Label: "Cancel count", Type: FTUint})
	fDCERPCReqIn    = Register(FieldDef{Name: "dcerpc.request_in", Label: "Request in frame", Type: FTUint})
)

// dcerpcUUID formats a UUID sent in the PDU's byte order.
func dcerpcUUID(d []byte, bo binary.ByteOrder) string {
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x", bo.Uint32(d), bo.Uint16(d[4:]), bo.Uint16(d[6:]), d[8:10], d[10:16])
}

func dcerpcFragment(flags byte) string {
	switch flags & 3 {
	case 3:
		return "Single"
	case 1:
		return "1st"
	case 2:
		return "Last"
	}
	return "Mid"
}

func dissectDCERPC(b *builder, off int) int {
	d := b.data[off:]
	if len(d) < 16 || d[0] != 5 {
		dissectDataRange(b, off, len(b.data))
		return len(b.data)
	}
	var bo binary.ByteOrder = binary.BigEndian
	if d[4]&0x10 != 0 {
		bo = binary.LittleEndian
	}
	flen := int(bo.Uint16(d[8:]))
	if flen < 16 || flen > len(d) {
		flen = len(d)
	}
	d = d[:flen]
	b.addProtocol("dcerpc")
	b.open(fDCERPC, off, len(d))
	defer b.close()
	typ, flags := d[2], d[3]
	callID := bo.Uint32(d[12:])
	b.addU(fDCERPCVer, off, 1, uint64(d[0]))
	b.addU(fDCERPCVerMinor, off+1, 1, uint64(d[1]))
	b.addU(fDCERPCType, off+2, 1, uint64(typ))
	b.addU(fDCERPCFlags, off+3, 1, uint64(flags))
	b.addB(fDCERPCDrep, off+4, 4)
	b.addU(fDCERPCFragLen, off+8, 2, uint64(bo.Uint16(d[8:])))
	b.addU(fDCERPCAuthLen, off+10, 2, uint64(bo.Uint16(d[10:])))
	b.addU(fDCERPCCallID, off+12, 4, uint64(callID))
	name, ok := dcerpcTypes[uint64(typ)]
	if !ok {
		name = "Unknown (" + strconv.Itoa(int(typ)) + ")"
	}
	info := fmt.Sprintf("%s: call_id: %d, Fragment: %s", name, callID, dcerpcFragment(flags))
	col := "DCERPC"
	key := strconv.FormatUint(uint64(callID), 10)
	switch typ {
	case 11, 14: // Bind, Alter_context
		if len(d) < 28 {
			break
		}
		b.addU(fDCERPCMaxXmit, off+16, 2, uint64(bo.Uint16(d[16:])))
		b.addU(fDCERPCMaxRecv, off+18, 2, uint64(bo.Uint16(d[18:])))
		b.addU(fDCERPCAssoc, off+20, 4, uint64(bo.Uint32(d[20:])))
		n := int(d[24])
		b.addU(fDCERPCNumCtx, off+24, 1, uint64(n))
		var items []string
		ctxs := map[string]string{}
		p := 28
		for i := 0; i < n && p+24 <= len(d); i++ {
			ctx := bo.Uint16(d[p:])
			nt := int(d[p+2])
			b.addU(fDCERPCCtxID, off+p, 2, uint64(ctx))
			b.addU(fDCERPCNumTrans, off+p+2, 1, uint64(nt))
			uuid := dcerpcUUID(d[p+4:], bo)
			b.add(fDCERPCIfUUID, off+p+4, 16).S = uuid
			maj, min := bo.Uint16(d[p+20:]), bo.Uint16(d[p+22:])
			b.addU(fDCERPCIfVer, off+p+20, 2, uint64(maj))
			b.addU(fDCERPCIfMinor, off+p+22, 2, uint64(min))
			iface := uuid
			if s, ok := dcerpcInterfaces[uuid]; ok {
				iface = s
			}
			ctxs[strconv.Itoa(int(ctx))] = iface + " V" + strconv.Itoa(int(maj))
			item := fmt.Sprintf("%s V%d.%d", iface, maj, min)
			p += 24
			for j := 0; j < nt && p+20 <= len(d); j++ {
				ts := dcerpcUUID(d[p:], bo)
				b.add(fDCERPCTransID, off+p, 16).S = ts
				b.addU(fDCERPCTransVer, off+p+16, 4, uint64(bo.Uint32(d[p+16:])))
				if s, ok := dcerpcSyntaxes[ts]; ok {
					item += " (" + s + ")"
				} else {
					item += " (" + ts + ")"
				}
				p += 20
			}
			items = append(items, item)
		}
		info += fmt.Sprintf(", %d context items: %s", n, strings.Join(items, ", "))
		b.appInfo("dcerpc", func(c *appConv, dir int) string {
			if len(c.vals) >= 1024 {
				c.vals = map[string]string{}
			}
			for k, v := range ctxs {
				c.vals["ctx"+k] = v
			}
			return ""
		})
	case 12, 15: // Bind_ack, Alter_context_resp
		if len(d) < 26 {
			break
		}
		b.addU(fDCERPCMaxXmit, off+16, 2, uint64(bo.Uint16(d[16:])))
		b.addU(fDCERPCMaxRecv, off+18, 2, uint64(bo.Uint16(d[18:])))
		b.addU(fDCERPCAssoc, off+20, 4, uint64(bo.Uint32(d[20:])))
		sl := int(bo.Uint16(d[24:]))
		b.addU(fDCERPCSecLen, off+24, 2, uint64(sl))
		p := 26
		if p+sl > len(d) {
			break
		}
		if sl > 0 {
			s, _ := tftpString(d[:p+sl], p)
			b.add(fDCERPCSecAddr, off+p, sl).S = s
		}
		p += sl
		p = (p + 3) &^ 3
		info += fmt.Sprintf(", max_xmit: %d max_recv: %d", bo.Uint16(d[16:]), bo.Uint16(d[18:]))
		if p+4 > len(d) {
			break
		}
		n := int(d[p])
		b.addU(fDCERPCNumRes, off+p, 1, uint64(n))
		p += 4
		var res []string
		for i := 0; i < n && p+24 <= len(d); i++ {
			r := bo.Uint16(d[p:])
			b.addU(fDCERPCAckRes, off+p, 2, uint64(r))
			s, ok := dcerpcAckResults[uint64(r)]
			if !ok {
				s = "Unknown"
			}
			res = append(res, s)
			p += 24
		}
		info += fmt.Sprintf(", %d results: %s", n, strings.Join(res, ", "))
	case 0, 2: // Request, Response
		if len(d) < 24 {
			break
		}
		b.addU(fDCERPCAllocH, off+16, 4, uint64(bo.Uint32(d[16:])))
		ctx := bo.Uint16(d[20:])
		b.addU(fDCERPCCtxID, off+20, 2, uint64(ctx))
		var opnum uint16
		note := ""
		if typ == 0 {
			opnum = bo.Uint16(d[22:])
			b.addU(fDCERPCOpnum, off+22, 2, uint64(opnum))
			info += fmt.Sprintf(", opnum: %d", opnum)
			note = b.appInfo("dcerpc", func(c *appConv, dir int) string {
				if len(c.vals) >= 1024 {
					c.vals = map[string]string{}
				}
				iface := c.vals["ctx"+strconv.Itoa(int(ctx))]
				c.vals["call"+key] = fmt.Sprintf("%d %d", b.fr.Number, opnum)
				return iface + "\x00"
			})
		} else {
			b.addU(fDCERPCCancel, off+22, 1, uint64(d[22]))
			note = b.appInfo("dcerpc", func(c *appConv, dir int) string {
				return c.vals["ctx"+strconv.Itoa(int(ctx))] + "\x00" + c.vals["call"+key]
			})
		}
		iface, call, _ := strings.Cut(note, "\x00")
		reqIn := 0
		if typ == 2 {
			var op int
			if _, err := fmt.Sscanf(call, "%d %d", &reqIn, &op); err == nil {
				opnum = uint16(op)
				f := b.add(fDCERPCOpnum, off+22, 0)
				f.U, f.Generated = uint64(op), true
			} else {
				reqIn = 0
			}
		}
		if reqIn > 0 {
			f := b.add(fDCERPCReqIn, off, 0)
			f.U, f.Generated = uint64(reqIn), true
		}
		info += fmt.Sprintf(", Ctx: %d", ctx)
		if iface != "" {
			info += " " + Sanitize(iface)
		}
		if strings.HasPrefix(iface, "EPMv4 V3") && (typ == 0 || reqIn > 0) {
			// Wireshark's EPM dissector takes the stub and the columns
			col = "EPM"
			op, ok := epmOps[uint64(opnum)]
			if !ok {
				op = "Unknown operation " + strconv.Itoa(int(opnum))
			}
			if typ == 0 {
				info = op + " request"
			} else {
				info = op + " response"
				f := b.add(fDCERPCReqIn, off, 0)
				f.U, f.Generated = uint64(reqIn), true
			}
		}
	}
	if b.ds.Summary {
		b.proto = col
		b.setInfo(info)
	}
	return len(b.data)
}

var dcerpcPayload = newPayload("dcerpc", "DCE/RPC", dissectDCERPC)

var _ = tcpPorts.register(135, dcerpcPayload)
