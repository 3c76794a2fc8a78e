package decode

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// Dissector turns frames into Dissections. It is not safe for concurrent
// use; make one per goroutine (they are cheap).
type Dissector struct {
	Prefs prefs.Prefs
	// Summary asks for the packet-list row (Source, Info ...). Batch -T fields
	// runs leave it off: formatting Info is most of the cost of a frame.
	Summary bool
	// Frozen dissects without teaching the shared conversation state
	// anything: for frames the in-order pass has not reached yet, whose
	// dissection now must not change what earlier frames will show.
	Frozen bool
	// OnePass says every frame is dissected once, in order, and never
	// again (a batch run): what the cross-frame analyses found for a frame
	// need not be kept for a later re-dissection, so memory stays flat
	// however long the capture.
	OnePass bool

	b    builder
	conv *convTable
	// wantLayers, when set, names the optional application layers to
	// dissect; nil dissects them all.
	wantLayers map[string]bool
	// want, when set, is the fields to keep, by FieldDef.ID.
	want []bool
	// decodeAs overrides the dispatch tables (SetDecodeAs).
	decodeAs      map[decodeAsKey]*Payload
	decodeAsRules []DecodeAs
	decodeAsSrc   string // the wirelens.decode_as preference decodeAs was made from
}

// Want tells the dissector which fields will be read (by -T fields and
// -Y): only those are kept, with what the checksum hints are built from,
// and optional application layers none of them belong to are skipped. A
// tree built this way is for reading values, not for display. nil keeps
// everything.
func (ds *Dissector) Want(defs []*FieldDef) {
	if defs == nil {
		ds.wantLayers, ds.want = nil, nil
		return
	}
	ds.wantLayers = map[string]bool{}
	allLayers := false
	registry.RLock()
	ds.want = make([]bool, len(registry.all))
	registry.RUnlock()
	for _, d := range defs {
		if d == nil {
			continue // a column pseudo-field: needs the summary, not a layer
		}
		layer, _, _ := strings.Cut(d.Name, ".")
		ds.wantLayers[layer] = true
		if d.Layer != "" {
			ds.wantLayers[d.Layer] = true
		}
		ds.want[d.ID] = true
		if d == fFrameProtocols || layer == "data" || layer == "_ws" {
			// these depend on which layers a frame has: dissect them all
			allLayers = true
		}
	}
	if allLayers {
		ds.wantLayers = nil
	}
	// The hints are matched to their checksum lines by position, and the
	// checksum expert notes are rewritten in place.
	for d := range checksumByDef {
		ds.want[d.ID] = true
	}
	for _, d := range []*FieldDef{fHint, fHintText, fWirelens, fExpertChecksum, fMalformed, fUnknownLink} {
		ds.want[d.ID] = true
	}
}

// NewDissector returns a dissector using p, with its own conversation state.
func NewDissector(p prefs.Prefs) *Dissector {
	return &Dissector{Prefs: p, Summary: true, conv: &convTable{}}
}

// Sibling returns a dissector sharing d's conversation state, for
// re-dissecting frames of the same capture on another goroutine.
func (ds *Dissector) Sibling() *Dissector {
	return &Dissector{Prefs: ds.Prefs, Summary: ds.Summary, conv: ds.conv, decodeAs: ds.decodeAs, decodeAsRules: ds.decodeAsRules}
}

// Close releases what the shared conversation state holds outside the heap
// (the spill file of per-frame results); every sibling's re-dissection
// loses that state, so call it when the capture is done with.
func (ds *Dissector) Close() {
	ds.conv.mu.Lock()
	defer ds.conv.mu.Unlock()
	ds.conv.spill.close()
}

// StateWarnings says what about the shared conversation state a user
// should know (the per-frame state could not go to a temporary file).
func (ds *Dissector) StateWarnings() []string {
	ds.conv.mu.Lock()
	defer ds.conv.mu.Unlock()
	if w := ds.conv.spill.warning; w != "" {
		return []string{w}
	}
	return nil
}

// maxDepth bounds nested encapsulations (GRE in GRE, IP in IP ...), so a
// hostile frame cannot recurse without end.
const maxDepth = 24

// builder appends fields to a Dissection while a frame is dissected, and
// carries what later layers need to know about earlier ones.
type builder struct {
	d     *Dissection
	ds    *Dissector
	data  []byte
	fr    *Frame
	frame Frame
	phys  []int32 // logical field index -> position in Fields, -1 if dropped
	// scratch receives the fields a lean dissector drops
	scratch Field
	depth   int16
	nest    int // encapsulation depth
	udpSeen int // UDP layers met so far in this frame (tunnels have several)
	tcpSeen int // TCP layers, quoted ones aside
	// tunnel is set by a tunnel's dissector (tunnelUDP by VXLAN and
	// Geneve, tunnelGRE by GRE): checksums added after it are inner ones,
	// whose offload the tunnel features of the device explain (hint.go).
	tunnel uint8

	// What the summary wants; the innermost layer that sets them wins.
	proto    string
	src, dst string
	info     []byte
	fence    int      // Info before this is kept when a layer sets its own (col_set_fence)
	tcp      *tcpConv // the TCP conversation of the segment being dissected
	// tcpSnaps hold the frame's TCP conversation snapshots (b.tcp points
	// at one): a heap copy per segment was most of a batch run's garbage.
	tcpSnaps [2]tcpConv
	nTCP     int
	sport    uint16 // the segment's ports, for protocols whose side they tell
	dport    uint16
	viaTCP   bool // DNS carried over TCP (no UDP header before it)

	// For the pseudo-header of transport checksums.
	netSrc, netDst []byte
	netV6          bool
	fragmented     bool   // the transport data is not all in this frame
	payloadLen     int    // transport length the IP layer announces (may exceed what was captured)
	inQuote        bool   // dissecting the packet quoted by an ICMP error
	sllOut         bool   // the SLL/SLL2 packet type says the capturing host sent it
	sllIn          bool   // the SLL/SLL2 packet type says it was received
	oversize       int    // size of an IP packet larger than the link or MSS allows, 0 if none
	csumNotReady   bool   // a live capture recorded TP_STATUS_CSUMNOTREADY (EPB flags bit 9, or wirelens's comment)
	csumValid      bool   // the capturing kernel says the checksum was verified (EPB flags bit 10, TP_STATUS_CSUM_VALID)
	loopback       bool   // the frame came over a loopback device
	ifOffloads     []byte // "name|offloads[|driver]" from a wirelens pcapng interface description
	hintDir        int    // auxReceived or auxSent for the hint texts
	ipHdrBad       bool   // an IPv4 header checksum of the frame is bad (and not 0)
	ipTotal        int    // total length of the innermost IP packet
	ipTSO          bool   // its total length field was 0 (TSO)
	greFlags       uint16 // flags of the GRE header whose payload is being dissected (ERSPAN reads them)
	// The TTL and Hop Limit of the last IPv4 and IPv6 header dissected,
	// for ICMP's Info: kept here, not read back from a tree that a lean
	// dissection does not build.
	ttl, hlim         uint8
	ttlSeen, hlimSeen bool
	protocols         []byte
}

// Dissect dissects fr into d, reusing d's storage.
func (ds *Dissector) Dissect(fr *Frame, d *Dissection) {
	d.Reset()
	d.Data = fr.Data
	ds.applyDecodeAs()
	b := &ds.b
	*b = builder{d: d, ds: ds, data: fr.Data, frame: *fr, info: b.info[:0], protocols: b.protocols[:0], phys: b.phys[:0]}
	// A copy, so the caller's Frame can stay on its stack.
	b.fr = &b.frame
	dissectFrameGuarded(b, fr.Data)
	d.Outbound = fr.Record.Direction == capfile.DirOutbound || b.sllOut
	for _, c := range fr.Record.Comments {
		b.csumNotReady = b.csumNotReady || c == CommentCsumNotReady
	}
	if fr.Record.HasFlags {
		b.csumNotReady = b.csumNotReady || fr.Record.Flags&capfile.EPBCsumNotReady != 0
		b.csumValid = fr.Record.Flags&capfile.EPBCsumValid != 0
	}
	b.addHints()
	if ds.Summary {
		d.Summary.Number = fr.Number
		d.Summary.RelTime = fr.RelTime
		d.Summary.Length = int(fr.Record.OrigLen)
		d.Summary.Source = b.src
		d.Summary.Destination = b.dst
		d.Summary.Protocol = b.proto
		d.Summary.Info = Sanitize(string(b.info))
		d.Summary.Digits = 6
		if fr.Iface != nil && (fr.Iface.TSResol == 9 || fr.Iface.TSResolNs == 1 && fr.Iface.TSResol == 0) {
			d.Summary.Digits = 9
		}
	}
}

// panicOnDissectorBug makes a dissector's panic crash the program instead
// of marking the frame malformed: the package's own tests and fuzz targets
// set it, so that a bug is found there rather than hidden.
var panicOnDissectorBug = false

// dissectFrameGuarded is dissectFrame with what Wireshark does when a
// dissector throws: the frame so far is kept and marked malformed, and the
// run goes on. One hostile packet must not end a batch run or the UI (a
// crafted ERSPAN frame once did).
func dissectFrameGuarded(b *builder, data []byte) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if panicOnDissectorBug {
			panic(p)
		}
		b.data = data
		b.depth = 0
		proto := "frame"
		if ps := b.protocols; len(ps) > 0 {
			proto = string(ps[bytes.LastIndexByte(ps, ':')+1:])
		}
		b.malformed(proto, 0, Sanitize(fmt.Sprintf("dissector bug (wirelens %v); the fields above were read before it", p)))
	}()
	dissectFrame(b)
}

// add appends a field at the current depth and returns it for the caller
// to fill in; the pointer is valid until the next add.
func (b *builder) add(def *FieldDef, off, length int) *Field {
	if b.ds.want != nil && !b.ds.want[def.ID] {
		// Nobody reads it: the caller fills in a scratch field instead,
		// left as the last caller left it since nothing reads it either.
		b.phys = append(b.phys, -1)
		return &b.scratch
	}
	b.phys = append(b.phys, int32(len(b.d.Fields)))
	b.d.Fields = append(b.d.Fields, Field{Def: def, Depth: b.depth, Offset: int32(off), Length: int32(length)})
	return &b.d.Fields[len(b.d.Fields)-1]
}

// wantsLayer reports whether an application layer that nothing else
// depends on (DNS) is worth dissecting: a batch run printing TCP checksums
// need not decode every DNS name into strings.
func (b *builder) wantsLayer(proto string) bool {
	return b.ds.wantLayers == nil || b.ds.wantLayers[proto]
}

func (b *builder) addU(def *FieldDef, off, length int, u uint64) *Field {
	f := b.add(def, off, length)
	f.U = u
	return f
}

func (b *builder) addHidden(def *FieldDef, off, length int, u uint64) *Field {
	f := b.addU(def, off, length, u)
	f.Hidden = true
	return f
}

func (b *builder) addB(def *FieldDef, off, length int) *Field {
	f := b.add(def, off, length)
	f.B = b.data[off : off+length]
	return f
}

// open adds a subtree root (a protocol or a field with children); close
// returns to its depth.
func (b *builder) open(def *FieldDef, off, length int) *Field {
	f := b.add(def, off, length)
	b.depth++
	return f
}

func (b *builder) close() { b.depth-- }

// tcpSlot is where a TCP segment's conversation snapshot lives for the
// rest of the frame; a frame with more TCP headers (quoted ones, tunnels)
// than the builder holds gets heap copies.
func (b *builder) tcpSlot() *tcpConv {
	if b.nTCP < len(b.tcpSnaps) {
		b.nTCP++
		return &b.tcpSnaps[b.nTCP-1]
	}
	return new(tcpConv)
}

// Fields are named by their logical index, the count of adds before them,
// so code that keeps an index keeps working when a lean dissector (Want)
// drops fields nobody reads: phys maps a logical index to its place in
// Fields, or -1 for a dropped one.

// last returns the field most recently added.
func (b *builder) last() *Field { return b.at(len(b.phys) - 1) }

// at returns the field of logical index i (a scratch field if it was
// dropped); use indices, not pointers, across adds.
func (b *builder) at(i int) *Field {
	if i < 0 || i >= len(b.phys) || b.phys[i] < 0 {
		return &b.scratch
	}
	return &b.d.Fields[b.phys[i]]
}

// mark is the logical index the next add will get.
func (b *builder) mark() int { return len(b.phys) }

// physFrom is the position in Fields of the first kept field at or after
// logical index i.
func (b *builder) physFrom(i int) int {
	for ; i < len(b.phys); i++ {
		if b.phys[i] >= 0 {
			return int(b.phys[i])
		}
	}
	return len(b.d.Fields)
}

// expert adds a note under the current subtree and to the frame's list.
func (b *builder) expert(def *FieldDef, off, length int, text string) {
	f := b.add(def, off, length)
	f.Text = text
	f.S = text
	b.d.Expert = append(b.d.Expert, text)
	b.expertFields(off, length, text)
}

// malformed records that a layer could not be dissected and stops nothing
// else: the caller returns and the next frame is dissected as usual.
func (b *builder) malformed(proto string, off int, why string) {
	b.expert(fMalformed, off, len(b.data)-off, "[Malformed Packet: "+proto+": "+why+"]")
	b.setInfoSuffix(" [Malformed Packet]")
}

func (b *builder) setAddrs(src, dst string) { b.src, b.dst = src, dst }

func (b *builder) setInfo(s string) {
	if b.fence > len(b.info) {
		b.fence = 0
	}
	b.info = append(b.info[:b.fence], s...)
}

func (b *builder) appendInfo(s string) { b.info = append(b.info, s...) }

func (b *builder) setInfoSuffix(s string) { b.info = append(b.info, s...) }

// enterLayer starts a layer carried in an IP payload (or a UDP one):
// it names the layer in frame.protocols and the Protocol column, and
// returns its bytes, cut at end.
func (b *builder) enterLayer(name, column string, off, end int) []byte {
	b.addProtocol(name)
	if b.ds.Summary {
		b.proto = column
	}
	if end > len(b.data) {
		end = len(b.data)
	}
	return b.data[off:end]
}

func (b *builder) addProtocol(name string) {
	if len(b.protocols) > 0 {
		b.protocols = append(b.protocols, ':')
	}
	b.protocols = append(b.protocols, name...)
}

// validates reports whether checksum validation is on for cp.
func (b *builder) validates(cp *ChecksumProto) bool { return b.ds.Prefs.On(cp.Pref) }

var fMalformed = Register(FieldDef{Name: "_ws.malformed", Label: "Malformed Packet", Type: FTNone})
