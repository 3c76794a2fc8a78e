package decode

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Linux NFLOG (LINKTYPE_NFLOG, 239): what iptables/nftables log to a
// netlink group (tcpdump -i nflog:N). A 4-byte header (address family,
// version, resource id big-endian) and TLVs whose length and type are in
// the capturing host's byte order (little-endian on x86: the kernel's
// netlink attributes); the NFULA_PAYLOAD TLV holds the IP packet.

var (
	fNFLOG       = Register(FieldDef{Name: "nflog", Label: "Linux Netfilter NFLOG", Type: FTProtocol})
	fNFLOGFamily = Register(FieldDef{Name: "nflog.family", Label: "Family", Type: FTUint, Values: map[uint64]string{2: "IPv4", 10: "IPv6"}})
	fNFLOGVer    = Register(FieldDef{Name: "nflog.version", Label: "Version", Type: FTUint})
	fNFLOGResID  = Register(FieldDef{Name: "nflog.res_id", Label: "Resource id", Type: FTUint})
	fNFLOGTLV    = Register(FieldDef{Name: "nflog.tlv", Label: "TLV", Type: FTBytes,
		Display: func(f *Field) string {
			return fmt.Sprintf("TLV Type: %s (%d), Length: %d", nflogTypeName(f.Aux), f.Aux, f.U)
		}})
	fNFLOGTLVLen  = Register(FieldDef{Name: "nflog.tlv_length", Label: "Length", Type: FTUint})
	fNFLOGTLVType = Register(FieldDef{Name: "nflog.tlv_type", Label: "Type", Type: FTUint,
		Display: func(f *Field) string {
			return bitPattern(f.U, 0x7fff, 16) + fmt.Sprintf(" = Type: %s (%d)", nflogTypeName(f.U), f.U)
		}})
	fNFLOGProto  = Register(FieldDef{Name: "nflog.protocol", Label: "HW protocol", Type: FTUint, Base: BaseHex, Bits: 16, Values: etherTypeNames, Display: etherTypeLine})
	fNFLOGHook   = Register(FieldDef{Name: "nflog.hook", Label: "Netfilter hook", Type: FTUint, Values: map[uint64]string{0: "Pre-routing", 1: "Local in", 2: "Forward", 3: "Local out", 4: "Post-routing"}})
	fNFLOGPrefix = Register(FieldDef{Name: "nflog.prefix", Label: "Prefix", Type: FTString})
	fNFLOGIndev  = Register(FieldDef{Name: "nflog.ifindex_indev", Label: "IFINDEX_INDEV", Type: FTUint})
	fNFLOGOutdev = Register(FieldDef{Name: "nflog.ifindex_outdev", Label: "IFINDEX_OUTDEV", Type: FTUint})
	fNFLOGValue  = Register(FieldDef{Name: "nflog.tlv_value", Label: "Value", Type: FTBytes})
)

var nflogTypes = map[uint64]string{1: "NFULA_PACKET_HDR", 2: "NFULA_MARK", 3: "NFULA_TIMESTAMP", 4: "NFULA_IFINDEX_INDEV",
	5: "NFULA_IFINDEX_OUTDEV", 6: "NFULA_IFINDEX_PHYSINDEV", 7: "NFULA_IFINDEX_PHYSOUTDEV", 8: "NFULA_HWADDR",
	9: "NFULA_PAYLOAD", 10: "NFULA_PREFIX", 11: "NFULA_UID", 12: "NFULA_SEQ", 13: "NFULA_SEQ_GLOBAL", 14: "NFULA_GID",
	15: "NFULA_HWTYPE", 16: "NFULA_HWHEADER", 17: "NFULA_HWLEN", 18: "NFULA_CT", 19: "NFULA_CT_INFO"}

func nflogTypeName(t uint64) string {
	if n, ok := nflogTypes[t]; ok {
		return n
	}
	return "Unknown"
}

func dissectNFLOG(b *builder, off int) int {
	b.addProtocol("nflog")
	if b.ds.Summary {
		b.proto = "NFLOG"
	}
	d := b.data[off:]
	if len(d) < 4 {
		b.malformed("NFLOG", off, fmt.Sprintf("frame of %d bytes is shorter than the 4-byte header", len(d)))
		return len(b.data)
	}
	fam := d[0]
	b.open(fNFLOG, off, len(d))
	b.addU(fNFLOGFamily, off, 1, uint64(fam))
	b.addU(fNFLOGVer, off+1, 1, uint64(d[1]))
	b.addU(fNFLOGResID, off+2, 2, uint64(binary.BigEndian.Uint16(d[2:])))
	payload, plen := -1, 0
	for p := 4; p+4 <= len(d); {
		l := int(binary.LittleEndian.Uint16(d[p:]))
		typ := binary.LittleEndian.Uint16(d[p+2:]) & 0x7fff
		if l < 4 || p+l > len(d) {
			b.close()
			b.malformed("NFLOG", off+p, fmt.Sprintf("TLV length %d past the frame", l))
			return len(b.data)
		}
		t := b.open(fNFLOGTLV, off+p, l)
		t.B, t.U, t.Aux = d[p:p+l], uint64(l), uint64(typ)
		b.addU(fNFLOGTLVLen, off+p, 2, uint64(l))
		b.addU(fNFLOGTLVType, off+p+2, 2, uint64(typ))
		v, voff := d[p+4:p+l], off+p+4
		switch {
		case typ == 1 && len(v) >= 4:
			b.addU(fNFLOGProto, voff, 2, uint64(binary.BigEndian.Uint16(v)))
			b.addU(fNFLOGHook, voff+2, 1, uint64(v[2]))
		case typ == 10:
			b.add(fNFLOGPrefix, voff, len(v)).S = strings.TrimRight(string(v), "\x00")
		case (typ == 4 || typ == 5) && len(v) >= 4:
			def := fNFLOGIndev
			if typ == 5 {
				def = fNFLOGOutdev
			}
			b.addU(def, voff, 4, uint64(binary.BigEndian.Uint32(v)))
		case typ == 9:
			payload, plen = voff, len(v)
		case len(v) > 0:
			b.addB(fNFLOGValue, voff, len(v))
		}
		b.close()
		p += (l + 3) &^ 3
	}
	b.close()
	if payload < 0 {
		return len(b.data)
	}
	var p *Payload
	switch fam {
	case 2:
		p = ipPayload
	case 10:
		p = ipv6Payload
	}
	if p == nil {
		dissectDataRange(b, payload, payload+plen)
		return len(b.data)
	}
	b.run(p, payload, payload+plen)
	return len(b.data)
}

var _ = registerLink(239, 141, "NFLOG", func(b *builder) { dissectNFLOG(b, 0) })
