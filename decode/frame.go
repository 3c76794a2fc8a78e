package decode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

var (
	fFrame = Register(FieldDef{Name: "frame", Label: "Frame", Type: FTProtocol,
		// U: frame number | interface id << 40; Aux: on-wire length << 32 | captured length; S: interface name
		Display: func(f *Field) string {
			orig, capLen := f.Aux>>32, f.Aux&0xffffffff
			s := fmt.Sprintf("Frame %d: %d bytes on wire (%d bits), %d bytes captured (%d bits)", f.U&(1<<40-1), orig, orig*8, capLen, capLen*8)
			if f.S != "" {
				s += fmt.Sprintf(" on interface %s, id %d", Sanitize(f.S), f.U>>40)
			}
			return s
		}})
	fFrameIfaceID = Register(FieldDef{Name: "frame.interface_id", Label: "Interface id", Type: FTUint,
		Display: func(f *Field) string {
			if f.S != "" {
				return fmt.Sprintf("Interface id: %d (%s)", f.U, Sanitize(f.S))
			}
			return fmt.Sprintf("Interface id: %d", f.U)
		}})
	fFrameIfaceName = Register(FieldDef{Name: "frame.interface_name", Label: "Interface name", Type: FTString})
	fFrameIfaceDesc = Register(FieldDef{Name: "frame.interface_description", Label: "Interface description", Type: FTString})
	fFrameEncap     = Register(FieldDef{Name: "frame.encap_type", Label: "Encapsulation type", Type: FTInt, Values: encapNames})
	fFrameTime      = Register(FieldDef{Name: "frame.time", Label: "Arrival Time", Type: FTAbsTime})
	fFrameTimeEpoch = Register(FieldDef{Name: "frame.time_epoch", Label: "Epoch Time", Type: FTAbsTime,
		Format:  func(f *Field) string { return formatEpoch(int64(f.U)) },
		Display: func(f *Field) string { return "Epoch Time: " + formatEpoch(int64(f.U)) + " seconds" }})
	fFrameTimeDelta     = Register(FieldDef{Name: "frame.time_delta", Label: "Time delta from previous captured frame", Type: FTRelTime})
	fFrameTimeRel       = Register(FieldDef{Name: "frame.time_relative", Label: "Time since reference or first frame", Type: FTRelTime})
	fFrameShift         = Register(FieldDef{Name: "frame.offset_shift", Label: "Time shift for this packet", Type: FTRelTime})
	fFrameTimeDeltaDisp = Register(FieldDef{Name: "frame.time_delta_displayed", Label: "Time delta from previous displayed frame", Type: FTRelTime})
	fFrameMarked        = Register(FieldDef{Name: "frame.marked", Label: "Frame is marked", Type: FTBool})
	fFrameIgnored       = Register(FieldDef{Name: "frame.ignored", Label: "Frame is ignored", Type: FTBool})
	fFrameNumber        = Register(FieldDef{Name: "frame.number", Label: "Frame Number", Type: FTUint})
	fFrameLen           = Register(FieldDef{Name: "frame.len", Label: "Frame Length", Type: FTUint, Display: bytesBitsLine})
	fFrameCapLen        = Register(FieldDef{Name: "frame.cap_len", Label: "Capture Length", Type: FTUint, Display: bytesBitsLine})
	fFrameFlags         = Register(FieldDef{Name: "frame.packet_flags", Label: "Packet flags", Type: FTUint, Base: BaseHex, Bits: 32})
	fFrameDirection     = Register(FieldDef{Name: "frame.packet_flags_direction", Label: "Direction", Type: FTUint, Base: BaseHex, Bits: 32, Bitmask: 0x3,
		Values: map[uint64]string{0: "Information not available", 1: "Inbound", 2: "Outbound"},
		Display: func(f *Field) string {
			return bitPattern(f.U, 0x3, 32) + " = Direction: " + f.Def.Values[f.U] + fmt.Sprintf(" (0x%x)", f.U)
		}})
	fFrameDrops     = Register(FieldDef{Name: "frame.drop_count", Label: "Drop Count", Type: FTUint})
	fFrameComment   = Register(FieldDef{Name: "frame.comment", Label: "Comment", Type: FTString})
	fFrameProtocols = Register(FieldDef{Name: "frame.protocols", Label: "Protocols in frame", Type: FTString,
		Format:  func(f *Field) string { return string(f.B) },
		Display: func(f *Field) string { return "[Protocols in frame: " + string(f.B) + "]" }})
	fData = Register(FieldDef{Name: "data", Label: "Data", Type: FTProtocol,
		Display: func(f *Field) string {
			return fmt.Sprintf("Data (%d byte%s)", f.Length, plural(int(f.Length), "", "s"))
		}})
	fDataLen  = Register(FieldDef{Name: "data.len", Label: "Length", Type: FTUint})
	fDataData = Register(FieldDef{Name: "data.data", Label: "Data", Type: FTBytes,
		Display: func(f *Field) string {
			s := formatBytes(f.B, "")
			if len(s) > 48 {
				s = s[:48] + "…"
			}
			return "Data: " + s
		}})
)

var fFrameCommentsDropped = Register(FieldDef{Name: "frame.comments_dropped", Label: "Comments dropped", Type: FTNone})

// linkTypeNames name link types wirelens does not dissect, after
// tcpdump's list of LINKTYPE_ values; gopacket's layers.LinkType names the
// rest it knows.
var linkTypeNames = map[uint16]string{3: "AX.25", 6: "IEEE 802.5 Token Ring", 7: "ARCNET", 8: "SLIP", 10: "FDDI",
	51: "PPPoE", 100: "ATM RFC 1483", 117: "OpenBSD pflog", 119: "Prism", 122: "IP over Fibre Channel",
	138: "IP over IEEE 1394", 143: "DOCSIS", 163: "AVS 802.11", 177: "Linux LAPD", 187: "Bluetooth HCI H4",
	189: "USB Linux", 195: "IEEE 802.15.4", 201: "Bluetooth HCI H4 with pseudo-header", 220: "USB Linux mmapped",
	227: "SocketCAN", 235: "DVB-CI", 240: "Netanalyzer", 242: "IP over InfiniBand", 249: "USBPcap", 251: "Bluetooth LE LL",
	258: "Apple PKTAP", 263: "Bluetooth Linux Monitor", 264: "Bluetooth BR/EDR Baseband", 270: "Linux vsock",
	274: "Nordic BLE", 275: "DOCSIS 3.1", 281: "Ethernet MPacket", 287: "Zigbee ZBOSS", 293: "FiRa UCI"}

func linkTypeName(lt uint16) string {
	if n, ok := linkTypeNames[lt]; ok {
		return n
	}
	if lt >= 147 && lt <= 162 {
		return "USER" + strconv.Itoa(int(lt-147))
	}
	if n := layers.LinkType(lt).String(); n != "" && !strings.HasPrefix(n, "Unknown") {
		return n
	}
	return "LINKTYPE " + strconv.Itoa(int(lt))
}

var fUnknownLink = Register(FieldDef{Name: "frame.unknown_link_type", Label: "Link type not dissected", Type: FTNone})

func bytesBitsLine(f *Field) string {
	return fmt.Sprintf("%s: %d bytes (%d bits)", f.Def.Label, f.U, f.U*8)
}

func dissectFrame(b *builder) {
	fr := b.fr
	rec := &fr.Record
	capLen := len(b.data)
	root := b.open(fFrame, 0, capLen)
	root.U = uint64(fr.Number) | uint64(rec.Interface)<<40
	root.Aux = uint64(rec.OrigLen)<<32 | uint64(capLen)
	if fr.Iface != nil {
		root.S = fr.Iface.Name
	}
	if fr.Iface != nil && (fr.Iface.Name != "" || fr.Iface.Description != "") {
		f := b.addU(fFrameIfaceID, 0, 0, uint64(rec.Interface))
		f.S = fr.Iface.Name
		b.depth++
		if fr.Iface.Name != "" {
			b.add(fFrameIfaceName, 0, 0).S = fr.Iface.Name
		}
		if fr.Iface.Description != "" {
			b.add(fFrameIfaceDesc, 0, 0).S = fr.Iface.Description
		}
		b.depth--
	}
	b.addU(fFrameEncap, 0, 0, uint64(encapOf(rec.LinkType)))
	b.addU(fFrameTime, 0, 0, uint64(rec.Timestamp))
	b.addU(fFrameShift, 0, 0, 0).Generated = true
	b.addU(fFrameTimeEpoch, 0, 0, uint64(rec.Timestamp))
	b.addU(fFrameTimeDelta, 0, 0, uint64(fr.Delta)).Generated = true
	deltaShown := fr.Delta
	if fr.HasDeltaDisplayed {
		deltaShown = fr.DeltaDisplayed
	}
	b.addU(fFrameTimeDeltaDisp, 0, 0, uint64(deltaShown)).Generated = true
	b.addU(fFrameTimeRel, 0, 0, uint64(fr.RelTime)).Generated = true
	b.addU(fFrameNumber, 0, 0, uint64(fr.Number))
	b.addU(fFrameLen, 0, 0, uint64(rec.OrigLen))
	b.addU(fFrameCapLen, 0, 0, uint64(capLen))
	b.add(fFrameMarked, 0, 0).Generated = true
	b.add(fFrameIgnored, 0, 0).Generated = true
	if rec.HasFlags {
		b.addU(fFrameFlags, 0, 0, uint64(rec.Flags))
		b.depth++
		b.addU(fFrameDirection, 0, 0, uint64(rec.Flags&3)).Generated = true
		b.depth--
	}
	if rec.DropCount != 0 {
		b.addU(fFrameDrops, 0, 0, rec.DropCount)
	}
	for _, c := range rec.Comments {
		b.add(fFrameComment, 0, 0).S = c
	}
	if rec.CommentsDropped != 0 {
		b.expert(fFrameCommentsDropped, 0, 0, fmt.Sprintf("[%d more comment%s dropped: wirelens keeps at most 32 comments and 16 KiB of comment text per block]",
			rec.CommentsDropped, plural(int(rec.CommentsDropped), "", "s")))
	}
	protoIdx := b.mark()
	b.add(fFrameProtocols, 0, 0).Generated = true
	b.close()

	if b.ds.Summary {
		b.proto = "Frame"
	}
	if l, ok := linkByType[rec.LinkType]; ok {
		l.fn(b)
	} else {
		// Never a blank row: the Protocol column names the link type and
		// Info says it was not dissected (tshark leaves both empty).
		name := linkTypeName(rec.LinkType)
		b.expert(fUnknownLink, 0, 0, "[Link type "+strconv.Itoa(int(rec.LinkType))+" ("+name+") is not dissected by wirelens: the frame is shown as data]")
		b.noteUndissected(linkTypes.Name, uint32(rec.LinkType))
		dissectData(b, 0)
		if b.ds.Summary {
			b.proto = name
			b.setInfo("Link type " + strconv.Itoa(int(rec.LinkType)) + " (" + name + "), not dissected")
		}
	}
	b.d.protocols = append(b.d.protocols[:0], b.protocols...)
	b.at(protoIdx).B = b.d.protocols
}

// dissectData shows bytes no dissector claims, as Wireshark's "Data".
func dissectData(b *builder, off int) {
	if off >= len(b.data) {
		return
	}
	n := len(b.data) - off
	b.addProtocol("data")
	b.open(fData, off, n)
	b.addB(fDataData, off, n)
	b.addU(fDataLen, off, 0, uint64(n)).Generated = true
	b.close()
	if b.proto == "" || b.proto == "Frame" {
		b.proto = "DATA"
	}
}
