package decode

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

// fuzzLinkTypes are the link types the fuzzer dissects each input as; the
// first input byte picks one, so the corpus can steer towards each path.
var fuzzLinkTypes = []uint16{capfile.LinkEthernet, capfile.LinkRaw, capfile.LinkIPv4, capfile.LinkIPv6,
	capfile.LinkSLL, capfile.LinkSLL2, capfile.LinkNull, capfile.LinkLoop,
	9, 50, 104, 105, 107, 127, 239, 242, 258, 147} // PPP, PPP/HDLC, Cisco HDLC, 802.11, Frame Relay, radiotap, NFLOG, IPoIB, PKTAP, USER0

// FuzzDissect feeds arbitrary bytes to the whole dissector: no input may
// panic, and every field must lie inside the frame.
func FuzzDissect(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	ds := NewDissector(prefs.Default())
	alt := prefs.Default()
	alt.SetValue(sctpCsum.Pref, uint8(SCTPAutomatic))
	alt.SetValidates("ip", false)
	ds2 := NewDissector(alt)
	var d Dissection
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		lt := fuzzLinkTypes[int(in[0])%len(fuzzLinkTypes)]
		data := in[1:]
		for _, dis := range []*Dissector{ds, ds2} {
			// OrigLen larger than CapLen exercises the snap-length paths.
			fr := &Frame{Number: 1, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(len(data)) + uint32(in[0]&0x10), LinkType: lt}}
			dis.Dissect(fr, &d)
			checkFields(t, &d)
		}
	})
}

func checkFields(t *testing.T, d *Dissection) {
	t.Helper()
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Offset < 0 || f.Length < 0 || int(f.Offset)+int(f.Length) > len(d.Data) {
			t.Fatalf("field %s [%d,+%d) outside a frame of %d bytes", f.Def.Name, f.Offset, f.Length, len(d.Data))
		}
		if f.Depth < 0 {
			t.Fatalf("field %s at negative depth", f.Def.Name)
		}
		_ = f.Line()
		_ = f.Value()
	}
}

// fuzzSeeds are link-type byte + frame: one of each protocol in this
// package's tests, so the fuzzer starts inside every dissector.
func fuzzSeeds() [][]byte {
	var out [][]byte
	for _, tc := range seedFrames {
		for i, lt := range fuzzLinkTypes {
			if lt == tc.lt {
				out = append(out, append([]byte{byte(i)}, tc.data...))
			}
		}
	}
	return out
}

type seedFrame struct {
	lt   uint16
	data []byte
}

// seedFrames is filled by the protocol tests' init functions.
var seedFrames []seedFrame

// TestDumpPcap prints wirelens's tree, summary and fields for a capture, for
// comparing by hand with tshark -V / -T fields:
//
//	WL_DUMP=f.pcap [WL_FIELDS=icmp.type,icmp.code] [WL_PREFS=sctp.checksum:Adler 32;...] go test ./decode -run DumpPcap -v
func TestDumpPcap(t *testing.T) {
	path := os.Getenv("WL_DUMP")
	if path == "" {
		t.Skip("WL_DUMP not set")
	}
	p := prefs.Default()
	if s := os.Getenv("WL_PREFS"); s != "" {
		for _, o := range strings.Split(s, ";") {
			if err := p.Override(o); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ds := NewDissector(p)
	var d Dissection
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	var names []string
	if s := os.Getenv("WL_FIELDS"); s != "" {
		names = strings.Split(s, ",")
	}
	for n := 1; ; n++ {
		rec, data, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ds.Dissect(&Frame{Number: n, Data: data, Record: rec}, &d)
		checkFields(t, &d)
		if names != nil {
			fmt.Fprintln(w, fieldsLine(&d, names))
			continue
		}
		fmt.Fprintf(w, "%d %s %s\n", n, d.Summary.Protocol, d.Summary.Info)
		for i := range d.Fields {
			f := &d.Fields[i]
			if f.Hidden {
				continue
			}
			fmt.Fprintf(w, "%s%s\n", strings.Repeat("    ", int(f.Depth)), f.Line())
		}
		fmt.Fprintln(w)
	}
}

// fieldsLine is what tshark -T fields -e ... prints for names.
func fieldsLine(d *Dissection, names []string) string {
	cols := make([]string, len(names))
	for j, n := range names {
		def, ok := LookupField(n)
		if !ok {
			cols[j] = "?" + n
			continue
		}
		var vals []string
		for i := range d.Fields {
			if d.Fields[i].Def == def {
				vals = append(vals, d.Fields[i].Value())
			}
		}
		cols[j] = strings.Join(vals, ",")
	}
	return strings.Join(cols, "\t")
}

// protoCase is one frame of a protocol test: Ethernet bytes and what tshark
// printed for them.
type protoCase struct {
	name   string
	prefs  string // tshark -o overrides, ";"-separated, on top of tshark's defaults
	orig   int
	ts     int64
	proto  string
	info   string
	fields [][2]string
	data   string
}

// tsharkPrefs are tshark's defaults, which the expected values were made
// with: wirelens's own defaults validate more.
func tsharkPrefs(t *testing.T, over string) prefs.Prefs {
	p := prefs.Default()
	for _, proto := range []string{"ip", "tcp", "udp", "udplite", "sctp"} {
		p.SetValidates(proto, false)
	}
	if over != "" {
		for _, o := range strings.Split(over, ";") {
			if err := p.Override(o); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

func runProtoCases(t *testing.T, cases []protoCase) {
	// Frames of one capture share a dissector, in order, as TCP and SCTP
	// relative numbers need.
	dissectors := map[string]*Dissector{}
	var d Dissection
	for _, tc := range cases {
		capName, _, _ := strings.Cut(tc.name, "#")
		key := capName + "|" + tc.prefs
		ds := dissectors[key]
		if ds == nil {
			ds = NewDissector(tsharkPrefs(t, tc.prefs))
			dissectors[key] = ds
		}
		data, err := hex.DecodeString(tc.data)
		if err != nil {
			t.Fatal(err)
		}
		fr := &Frame{Number: 1, Data: data, Record: capfile.Record{CapLen: uint32(len(data)), OrigLen: uint32(tc.orig),
			LinkType: capfile.LinkEthernet, Timestamp: tc.ts * 1e9}}
		ds.Dissect(fr, &d)
		checkFields(t, &d)
		if d.Summary.Protocol != tc.proto {
			t.Errorf("%s: protocol %q, tshark %q", tc.name, d.Summary.Protocol, tc.proto)
		}
		if d.Summary.Info != tc.info {
			t.Errorf("%s: info\n got %q\nwant %q", tc.name, d.Summary.Info, tc.info)
		}
		for _, f := range tc.fields {
			if got := fieldsLine(&d, []string{f[0]}); got != f[1] {
				t.Errorf("%s: -e %s = %q, tshark %q", tc.name, f[0], got, f[1])
			}
		}
	}
}

func seedProtoCases(cases []protoCase) {
	for _, tc := range cases {
		if b, err := hex.DecodeString(tc.data); err == nil {
			seedFrames = append(seedFrames, seedFrame{capfile.LinkEthernet, b})
		}
	}
}
