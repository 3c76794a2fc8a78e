package decode

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// ONC-RPC (RFC 5531) on the portmapper/rpcbind (111) and NFS (2049)
// ports, with Wireshark's field names (packet-rpc.c, packet-portmap.c,
// packet-nfs.c) and tshark's Protocol column and Info. Over TCP each
// record carries a record mark; a segment is dissected when it holds
// whole records (records spanning segments are not reassembled). A reply
// names its program and procedure only through its call, matched by XID
// within the conversation on the in-order pass and kept per frame.

var rpcMsgTypes = map[uint64]string{0: "Call", 1: "Reply"}

var rpcPrograms = map[uint64]string{100000: "Portmap", 100003: "NFS", 100005: "MOUNT", 100021: "NLM",
	100024: "STAT", 100227: "NFSACL", 100011: "RQUOTA"}

var rpcReplyStats = map[uint64]string{0: "accepted", 1: "denied"}

var rpcAcceptStats = map[uint64]string{0: "RPC executed successfully", 1: "remote can't support program", 2: "remote can't support version",
	3: "program can't support procedure", 4: "remote procedure can't decode params", 5: "system error"}

var rpcFlavors = map[uint64]string{0: "AUTH_NULL", 1: "AUTH_UNIX", 2: "AUTH_SHORT", 3: "AUTH_DES", 6: "RPCSEC_GSS"}

var portmapProcs2 = map[uint64]string{0: "NULL", 1: "SET", 2: "UNSET", 3: "GETPORT", 4: "DUMP", 5: "CALLIT"}

var rpcbindProcs = map[uint64]string{0: "NULL", 1: "SET", 2: "UNSET", 3: "GETADDR", 4: "DUMP", 5: "CALLIT", 6: "GETTIME",
	7: "UADDR2TADDR", 8: "TADDR2UADDR", 9: "GETVERSADDR", 10: "INDIRECT", 11: "GETADDRLIST", 12: "GETSTAT"}

var nfsProcs3 = map[uint64]string{0: "NULL", 1: "GETATTR", 2: "SETATTR", 3: "LOOKUP", 4: "ACCESS", 5: "READLINK", 6: "READ",
	7: "WRITE", 8: "CREATE", 9: "MKDIR", 10: "SYMLINK", 11: "MKNOD", 12: "REMOVE", 13: "RMDIR", 14: "RENAME", 15: "LINK",
	16: "READDIR", 17: "READDIRPLUS", 18: "FSSTAT", 19: "FSINFO", 20: "PATHCONF", 21: "COMMIT"}

var nfsStat3 = map[uint64]string{0: "NFS3_OK", 1: "NFS3ERR_PERM", 2: "NFS3ERR_NOENT", 5: "NFS3ERR_IO", 6: "NFS3ERR_NXIO",
	13: "NFS3ERR_ACCES", 17: "NFS3ERR_EXIST", 18: "NFS3ERR_XDEV", 19: "NFS3ERR_NODEV", 20: "NFS3ERR_NOTDIR",
	21: "NFS3ERR_ISDIR", 22: "NFS3ERR_INVAL", 27: "NFS3ERR_FBIG", 28: "NFS3ERR_NOSPC", 30: "NFS3ERR_ROFS",
	31: "NFS3ERR_MLINK", 63: "NFS3ERR_NAMETOOLONG", 66: "NFS3ERR_NOTEMPTY", 69: "NFS3ERR_DQUOT", 70: "NFS3ERR_STALE",
	71: "NFS3ERR_REMOTE", 10001: "NFS3ERR_BADHANDLE", 10002: "NFS3ERR_NOT_SYNC", 10003: "NFS3ERR_BAD_COOKIE",
	10004: "NFS3ERR_NOTSUPP", 10005: "NFS3ERR_TOOSMALL", 10006: "NFS3ERR_SERVERFAULT", 10007: "NFS3ERR_BADTYPE",
	10008: "NFS3ERR_JUKEBOX"}

var nfsFtype3 = map[uint64]string{1: "Regular File", 2: "Directory", 3: "Block Device", 4: "Character Device",
	5: "Symbolic Link", 6: "Socket", 7: "Named Pipe"}

var rpcIPProtos = map[uint64]string{6: "TCP", 17: "UDP"}

var (
	fRPC          = Register(FieldDef{Name: "rpc", Label: "Remote Procedure Call", Type: FTProtocol})
	fRPCLastFrag  = Register(FieldDef{Name: "rpc.lastfrag", Label: "Last Fragment", Type: FTBool})
	fRPCFragLen   = Register(FieldDef{Name: "rpc.fraglen", Label: "Fragment Length", Type: FTUint})
	fRPCXID       = Register(FieldDef{Name: "rpc.xid", Label: "XID", Type: FTUint, Base: BaseHexDec, Bits: 32})
	fRPCMsgType   = Register(FieldDef{Name: "rpc.msgtyp", Label: "Message Type", Type: FTUint, Values: rpcMsgTypes})
	fRPCVersion   = Register(FieldDef{Name: "rpc.version", Label: "RPC Version", Type: FTUint})
	fRPCProgram   = Register(FieldDef{Name: "rpc.program", Label: "Program", Type: FTUint, Values: rpcPrograms})
	fRPCProgVers  = Register(FieldDef{Name: "rpc.programversion", Label: "Program Version", Type: FTUint})
	fRPCProcedure = Register(FieldDef{Name: "rpc.procedure", Label: "Procedure", Type: FTUint})
	fRPCFlavor    = Register(FieldDef{Name: "rpc.auth.flavor", Label: "Flavor", Type: FTUint, Values: rpcFlavors})
	fRPCAuthLen   = Register(FieldDef{Name: "rpc.auth.length", Label: "Length", Type: FTUint})
	fRPCReplyStat = Register(FieldDef{Name: "rpc.replystat", Label: "Reply State", Type: FTUint, Values: rpcReplyStats})
	fRPCRepFrame  = Register(FieldDef{Name: "rpc.repframe", Label: "This is a reply to a request in frame", Type: FTUint})
	fRPCAccept    = Register(FieldDef{Name: "rpc.state_accept", Label: "Accept State", Type: FTUint, Values: rpcAcceptStats})

	fPortmap      = Register(FieldDef{Name: "portmap", Label: "Portmap", Type: FTProtocol})
	fPortmapProc2 = Register(FieldDef{Name: "portmap.procedure_v2", Label: "V2 Procedure", Type: FTUint, Values: portmapProcs2})
	fPortmapProg  = Register(FieldDef{Name: "portmap.prog", Label: "Program", Type: FTUint, Values: rpcPrograms})
	fPortmapVers  = Register(FieldDef{Name: "portmap.version", Label: "Version", Type: FTUint})
	fPortmapProto = Register(FieldDef{Name: "portmap.proto", Label: "Protocol", Type: FTUint, Values: rpcIPProtos})
	fPortmapPort  = Register(FieldDef{Name: "portmap.port", Label: "Port", Type: FTUint})

	fNFS       = Register(FieldDef{Name: "nfs", Label: "Network File System", Type: FTProtocol})
	fNFSProc3  = Register(FieldDef{Name: "nfs.procedure_v3", Label: "V3 Procedure", Type: FTUint, Values: nfsProcs3})
	fNFSFHLen  = Register(FieldDef{Name: "nfs.fh.length", Label: "length", Type: FTUint})
	fNFSFHHash = Register(FieldDef{Name: "nfs.fh.hash", Label: "hash (CRC-32)", Type: FTUint, Base: BaseHex, Bits: 32})
	fNFSFH     = Register(FieldDef{Name: "nfs.fhandle", Label: "FileHandle", Type: FTBytes})
	fNFSStat3  = Register(FieldDef{Name: "nfs.status3", Label: "Status", Type: FTUint, Values: nfsStat3})
	fNFSStatus = Register(FieldDef{Name: "nfs.status", Label: "Status", Type: FTUint, Values: nfsStat3})
	fNFSType3  = Register(FieldDef{Name: "nfs.fattr3.type", Label: "Type", Type: FTUint, Values: nfsFtype3})
	fNFSMode3  = Register(FieldDef{Name: "nfs.mode3", Label: "Mode", Type: FTUint})
	fNFSUID    = Register(FieldDef{Name: "nfs.fattr3.uid", Label: "uid", Type: FTUint})
	fNFSGID    = Register(FieldDef{Name: "nfs.fattr3.gid", Label: "gid", Type: FTUint})
)

// nfsFHFirst are the NFSv3 procedures whose arguments are one file handle
// and whose Info tshark ends with it.
var nfsFHFirst = map[uint32]bool{1: true, 5: true, 18: true, 19: true, 20: true}

func dissectRPCTCP(b *builder, off int) int {
	d := b.data[off:]
	// whole records only: a mark's length must cover the rest exactly
	for p := 0; ; {
		if p+4 > len(d) {
			dissectDataRange(b, off, len(b.data))
			return len(b.data)
		}
		n := int(binary.BigEndian.Uint32(d[p:]) & 0x7fffffff)
		p += 4 + n
		if n < 8 || p > len(d) {
			dissectDataRange(b, off, len(b.data))
			return len(b.data)
		}
		if p == len(d) {
			break
		}
	}
	var infos []string
	col := ""
	for p := 0; p < len(d); {
		mark := binary.BigEndian.Uint32(d[p:])
		n := int(mark & 0x7fffffff)
		c, info := dissectRPC(b, off+p, off+p+4+n, true)
		if col == "" {
			col = c
		}
		infos = append(infos, info)
		p += 4 + n
	}
	if b.ds.Summary {
		b.proto = col
		b.setInfo(strings.Join(infos, " ; "))
	}
	return len(b.data)
}

func dissectRPCUDP(b *builder, off int) int {
	col, info := dissectRPC(b, off, len(b.data), false)
	if b.ds.Summary {
		b.proto = col
		b.setInfo(info)
	}
	return len(b.data)
}

// u32 reads the XDR word at p of d, if there.
func u32(d []byte, p int) (uint32, bool) {
	if p < 0 || p+4 > len(d) {
		return 0, false
	}
	return binary.BigEndian.Uint32(d[p:]), true
}

// dissectRPC dissects one message in [off, end) and returns its
// Protocol column and Info.
func dissectRPC(b *builder, off, end int, marked bool) (string, string) {
	if end > len(b.data) {
		end = len(b.data)
	}
	b.addProtocol("rpc")
	d := b.data[off:end]
	b.open(fRPC, off, len(d))
	p := 0
	if marked {
		mark := binary.BigEndian.Uint32(d)
		b.addU(fRPCLastFrag, off, 4, uint64(mark>>31))
		b.addU(fRPCFragLen, off, 4, uint64(mark&0x7fffffff))
		p = 4
	}
	xid, ok1 := u32(d, p)
	typ, ok2 := u32(d, p+4)
	if !ok1 || !ok2 || typ > 1 {
		b.close()
		b.malformed("RPC", off, "message header cut short")
		return "RPC", ""
	}
	b.addU(fRPCXID, off+p, 4, uint64(xid))
	b.addU(fRPCMsgType, off+p+4, 4, uint64(typ))
	p += 8
	var prog, vers, proc uint32
	callIn := 0
	col, info := "RPC", ""
	if typ == 0 {
		rv, _ := u32(d, p)
		var ok bool
		prog, ok = u32(d, p+4)
		vers, _ = u32(d, p+8)
		proc, _ = u32(d, p+12)
		if !ok || p+16 > len(d) {
			b.close()
			b.malformed("RPC", off, "call header cut short")
			return "RPC", ""
		}
		b.addU(fRPCVersion, off+p, 4, uint64(rv))
		b.addU(fRPCProgram, off+p+4, 4, uint64(prog))
		b.addU(fRPCProgVers, off+p+8, 4, uint64(vers))
		b.addU(fRPCProcedure, off+p+12, 4, uint64(proc))
		p += 16
		for i := 0; i < 2; i++ { // credentials, verifier
			n, ok := rpcAuth(b, off, d, p)
			if !ok {
				b.close()
				b.malformed("RPC", off+p, "credentials cut short")
				return "RPC", ""
			}
			p += n
		}
		b.appInfo("rpc", func(c *appConv, dir int) string {
			if len(c.vals) >= 1024 {
				c.vals = map[string]string{}
			}
			c.vals[strconv.FormatUint(uint64(xid), 16)] = fmt.Sprintf("%d %d %d %d", b.fr.Number, prog, vers, proc)
			return ""
		})
	} else {
		note := b.appInfo("rpc", func(c *appConv, dir int) string {
			return c.vals[strconv.FormatUint(uint64(xid), 16)]
		})
		if _, err := fmt.Sscanf(note, "%d %d %d %d", &callIn, &prog, &vers, &proc); err != nil {
			callIn = 0
		}
		if callIn > 0 {
			for _, g := range []struct {
				def *FieldDef
				v   uint32
			}{{fRPCProgram, prog}, {fRPCProgVers, vers}, {fRPCProcedure, proc}} {
				f := b.add(g.def, off+p-8, 0)
				f.U, f.Generated = uint64(g.v), true
			}
		}
		st, ok := u32(d, p)
		if !ok {
			b.close()
			b.malformed("RPC", off+p, "reply state cut short")
			return "RPC", ""
		}
		b.addU(fRPCReplyStat, off+p, 4, uint64(st))
		if callIn > 0 {
			f := b.add(fRPCRepFrame, off, 0)
			f.U, f.Generated = uint64(callIn), true
		}
		p += 4
		if st == 0 {
			n, ok := rpcAuth(b, off, d, p)
			as, ok2 := u32(d, p+n)
			if !ok || !ok2 {
				b.close()
				b.malformed("RPC", off+p, "accepted reply cut short")
				return "RPC", ""
			}
			p += n
			b.addU(fRPCAccept, off+p, 4, uint64(as))
			p += 4
			if as != 0 {
				callIn = -callIn // no results to dissect
			}
		}
	}
	b.close()
	dir := "Call"
	if typ == 1 {
		dir = fmt.Sprintf("Reply (Call In %d)", abs(callIn))
	}
	body := off + p
	switch {
	case typ == 1 && callIn == 0:
		info = "Reply"
	case prog == 100000:
		col = "Portmap"
		procs := rpcbindProcs
		if vers == 2 {
			procs = portmapProcs2
		}
		info = fmt.Sprintf("V%d %s %s", vers, rpcProcName(procs, proc), dir)
		if callIn >= 0 && vers == 2 {
			info += portmapBody(b, body, end, typ, vers, proc)
		}
	case prog == 100003 && vers == 3:
		col = "NFS"
		info = fmt.Sprintf("V3 %s %s", rpcProcName(nfsProcs3, proc), dir)
		if callIn >= 0 {
			info += nfsBody(b, body, end, typ, vers, proc)
		}
	default:
		info = fmt.Sprintf("Program:%d V:%d Proc:%d %s", prog, vers, proc, dir)
	}
	return col, info
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func rpcProcName(m map[uint64]string, proc uint32) string {
	if s, ok := m[uint64(proc)]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (%d)", proc)
}

// rpcAuth adds a credentials or verifier (flavor, length, body) at p.
func rpcAuth(b *builder, off int, d []byte, p int) (int, bool) {
	fl, ok1 := u32(d, p)
	n, ok2 := u32(d, p+4)
	if !ok1 || !ok2 || n > 400 || p+8+int(n) > len(d) {
		return 0, false
	}
	b.addU(fRPCFlavor, off+p, 4, uint64(fl))
	b.addU(fRPCAuthLen, off+p+4, 4, uint64(n))
	return 8 + (int(n)+3)&^3, true
}

// programTree opens a program's layer, named in frame.protocols only when
// it has a body (as Wireshark, whose NULL procedures have a tree but no
// layer), with the program version and procedure repeated (generated).
func programTree(b *builder, def *FieldDef, off, end int, vers uint32) []byte {
	d := b.data[off:end]
	if len(d) > 0 {
		b.addProtocol(def.Name)
	}
	b.open(def, off, len(d))
	f := b.add(fRPCProgVers, off, 0)
	f.U, f.Generated = uint64(vers), true
	return d
}

func portmapBody(b *builder, off, end int, typ, vers, proc uint32) string {
	d := programTree(b, fPortmap, off, end, vers)
	defer b.close()
	f := b.add(fPortmapProc2, off, 0)
	f.U, f.Generated = uint64(proc), true
	switch {
	case proc == 3 && typ == 0 && len(d) >= 16:
		prog, vers, proto := binary.BigEndian.Uint32(d), binary.BigEndian.Uint32(d[4:]), binary.BigEndian.Uint32(d[8:])
		b.addU(fPortmapProg, off, 4, uint64(prog))
		b.addU(fPortmapVers, off+4, 4, uint64(vers))
		b.addU(fPortmapProto, off+8, 4, uint64(proto))
		b.addU(fPortmapPort, off+12, 4, uint64(binary.BigEndian.Uint32(d[12:])))
		pn, ok := rpcPrograms[uint64(prog)]
		if !ok {
			pn = "Unknown"
		}
		pr, ok := rpcIPProtos[uint64(proto)]
		if !ok {
			pr = strconv.Itoa(int(proto))
		}
		return fmt.Sprintf(" %s(%d) V:%d %s", pn, prog, vers, pr)
	case proc == 3 && typ == 1 && len(d) >= 4:
		port := binary.BigEndian.Uint32(d)
		b.addU(fPortmapPort, off, 4, uint64(port))
		return fmt.Sprintf(" Port:%d", port)
	}
	return ""
}

func nfsBody(b *builder, off, end int, typ, vers, proc uint32) string {
	d := programTree(b, fNFS, off, end, vers)
	defer b.close()
	f := b.add(fNFSProc3, off, 0)
	f.U, f.Generated = uint64(proc), true
	if typ == 0 {
		if !nfsFHFirst[proc] {
			return ""
		}
		n, ok := u32(d, 0)
		if !ok || n > 64 || 4+int(n) > len(d) {
			return ""
		}
		b.addU(fNFSFHLen, off, 4, uint64(n))
		h := crc32.ChecksumIEEE(d[4 : 4+n])
		g := b.add(fNFSFHHash, off+4, int(n))
		g.U, g.Generated = uint64(h), true
		b.addB(fNFSFH, off+4, int(n))
		return fmt.Sprintf(", FH: 0x%08x", h)
	}
	st, ok := u32(d, 0)
	if !ok {
		return ""
	}
	b.addU(fNFSStat3, off, 4, uint64(st))
	b.addHidden(fNFSStatus, off, 4, uint64(st))
	if st != 0 {
		return " Error: " + rpcProcName(nfsStat3, st)
	}
	if proc == 1 && len(d) >= 4+84 {
		t, mode := binary.BigEndian.Uint32(d[4:]), binary.BigEndian.Uint32(d[8:])
		uid, gid := binary.BigEndian.Uint32(d[16:]), binary.BigEndian.Uint32(d[20:])
		b.addU(fNFSType3, off+4, 4, uint64(t))
		b.addU(fNFSMode3, off+8, 4, uint64(mode))
		b.addU(fNFSUID, off+16, 4, uint64(uid))
		b.addU(fNFSGID, off+20, 4, uint64(gid))
		tn, ok := nfsFtype3[uint64(t)]
		if !ok {
			tn = "Unknown"
		}
		return fmt.Sprintf("  %s mode: %04o uid: %d gid: %d", tn, mode&07777, uid, gid)
	}
	return ""
}

// rpcPayload tells record-marked TCP from UDP by the segment's TCP
// conversation, which only a TCP layer sets.
var rpcPayload = newPayload("rpc", "Remote Procedure Call", func(b *builder, off int) int {
	if b.tcp != nil {
		return dissectRPCTCP(b, off)
	}
	return dissectRPCUDP(b, off)
})

var _ = func() bool {
	for _, port := range []uint32{111, 2049} {
		tcpPorts.register(port, rpcPayload)
		udpPorts.register(port, rpcPayload)
	}
	return true
}()
