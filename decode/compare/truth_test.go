package compare

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// truthEntry is one line of the relay's log: what it did to which segment.
type truthEntry struct {
	kind  string
	sport uint64
	seq   uint32
	n     int
	tsval uint64
}

func readTruth(t *testing.T, path string) []truthEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []truthEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		kv := map[string]string{}
		for _, w := range strings.Fields(sc.Text()) {
			k, v, _ := strings.Cut(w, "=")
			kv[k] = v
		}
		num := func(k string) uint64 {
			n, err := strconv.ParseUint(kv[k], 10, 64)
			if err != nil {
				t.Fatalf("truth line %q: %s: %v", sc.Text(), k, err)
			}
			return n
		}
		out = append(out, truthEntry{kind: kv["kind"], sport: num("sport"), seq: uint32(num("seq")), n: int(num("len")), tsval: num("tsval")})
	}
	if len(out) == 0 {
		t.Fatalf("%s: no damage logged", path)
	}
	return out
}

// segInfo is what the test reads of a frame, through the dissector's
// own fields, to place it against the truth log.
type segInfo struct {
	tcp          bool
	sport        uint64
	seq          uint32
	n            int
	tsval        uint64
	retransmited bool
}

func segOf(t *testing.T, ds *decode.Dissector, p *Packet) segInfo {
	var d decode.Dissection
	fr := decode.Frame{Number: p.Number, Data: p.Data, Record: p.Record, Iface: p.Iface}
	ds.Dissect(&fr, &d)
	var s segInfo
	get := func(name string) (uint64, bool) {
		def, ok := decode.LookupField(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		f := d.Find(def)
		if f == nil {
			return 0, false
		}
		return f.U, true
	}
	var ok bool
	if s.sport, ok = get("tcp.srcport"); !ok {
		return s
	}
	s.tcp = true
	seq, _ := get("tcp.seq_raw")
	s.seq = uint32(seq)
	n, _ := get("tcp.len")
	s.n = int(n)
	s.tsval, _ = get("tcp.options.timestamp.tsval")
	return s
}

// wantVerdict is the verdict each kind of damage must get; rank orders
// them worst first, as a frame holding several gets the worst.
var wantVerdict = map[string]Verdict{
	"predamage": VerdictCorrupt, "flip": VerdictDamaged, "badsum": VerdictBadChecksum,
	"partial": VerdictPartialLeft, "drop": VerdictLost,
}

func compareDir() string {
	if d := os.Getenv("WIRELENS_COMPARE_CAPTURES"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "testdata", "compare")
}

// TestRelayTruth compares the captures made at both ends of the damaging
// relay (testdata/make-compare.sh) and requires exactly the damaged
// segments to be found, each with the verdict its damage calls for: on
// the receiver's side every damaged frame (and nothing else), on the
// sender's every frame holding a damaged or dropped segment (and nothing
// else), for tcpdump's pcap and wirelens's pcapng at either end.
func TestRelayTruth(t *testing.T) {
	dir := compareDir()
	truth := readTruth(t, filepath.Join(dir, "truth.log"))
	kinds := map[string]int{}
	for _, e := range truth {
		kinds[e.kind]++
	}
	for k := range wantVerdict {
		if kinds[k] == 0 {
			t.Fatalf("truth log has no %s damage: the proof needs every kind", k)
		}
	}
	for _, pair := range [][2]string{{"a.pcap", "b.pcapng"}, {"a.pcapng", "b.pcap"}, {"a.pcap", "b.pcap"}, {"a.pcapng", "b.pcapng"}} {
		snd, rcv := filepath.Join(dir, pair[0]), filepath.Join(dir, pair[1])
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			ds := decode.NewDissector(prefs.Default())

			// The receiver's side, as A.
			rep, pkts := runPair(t, rcv, snd)
			seen := map[int]bool{}
			for _, p := range pkts {
				s := segOf(t, ds, &p)
				want := Verdict(VerdictNone)
				for i, e := range truth {
					// The first copy is the damaged one: a retransmission
					// within the same millisecond carries the same timestamp.
					if s.tcp && e.kind != "drop" && !seen[i] && s.sport == e.sport && s.seq == e.seq && s.n == e.n && s.tsval == e.tsval {
						want = wantVerdict[e.kind]
						seen[i] = true
					}
				}
				r := p.Result
				switch {
				case want != VerdictNone:
					if r.Status != StatusAltered || r.Verdict != want {
						t.Errorf("%s frame %d (seq %d): %s %s, want altered %s", rcv, p.Number, s.seq, r.Status, r.Verdict, want)
					}
				case r.Status == StatusAltered || r.Status == StatusMissing && r.Verdict != VerdictOutside:
					t.Errorf("%s frame %d (seq %d): %s %s %s, but the relay did not damage it", rcv, p.Number, s.seq, r.Status, r.Verdict, r.DiffText())
				}
			}
			for i, e := range truth {
				if e.kind != "drop" && !seen[i] {
					t.Errorf("%s: damaged segment %+v not among the frames", rcv, e)
				}
			}
			if rep.Counts[0][StatusAltered] != len(truth)-kinds["drop"] {
				t.Errorf("%s: %d altered, the relay damaged %d", rcv, rep.Counts[0][StatusAltered], len(truth)-kinds["drop"])
			}

			// The sender's side, as A: TSO frames hold several segments.
			rep, pkts = runPair(t, snd, rcv)
			reseg := 0
			taken := map[int]bool{}
			for _, p := range pkts {
				s := segOf(t, ds, &p)
				want := Verdict(VerdictNone)
				for i, e := range truth {
					if s.tcp && !taken[i] && s.sport == e.sport && s.tsval == e.tsval && seqIn(e.seq, s.seq, s.n) {
						taken[i] = true
						if v := wantVerdict[e.kind]; want == VerdictNone || v < want {
							want = v
						}
					}
				}
				r := p.Result
				if r.Status == StatusResegmented {
					reseg++
				}
				switch {
				case want == VerdictLost:
					if r.Status != StatusMissing || r.Verdict != VerdictLost {
						t.Errorf("%s frame %d (seq %d): %s %s, want missing lost", snd, p.Number, s.seq, r.Status, r.Verdict)
					}
				case want != VerdictNone:
					if r.Status != StatusAltered || r.Verdict != want {
						t.Errorf("%s frame %d (seq %d): %s %s, want altered %s", snd, p.Number, s.seq, r.Status, r.Verdict, want)
					}
				case r.Status == StatusAltered || r.Status == StatusMissing && r.Verdict != VerdictOutside:
					t.Errorf("%s frame %d (seq %d): %s %s %s, but the relay did not damage it", snd, p.Number, s.seq, r.Status, r.Verdict, r.DiffText())
				}
			}
			if reseg == 0 {
				t.Errorf("%s: no frame resegmented: the capture has no TSO frames to prove matching across them", snd)
			}
			// The report counts each damaged segment once, by kind.
			for k, v := range wantVerdict {
				if rep.Verdicts[v] != kinds[k] {
					t.Errorf("%s vs %s: report counts %d %s, the relay did %d %s", snd, rcv, rep.Verdicts[v], v, kinds[k], k)
				}
			}
			if rep.Retransmitted != kinds["drop"] {
				t.Errorf("report: %d lost frames sent again, want %d", rep.Retransmitted, kinds["drop"])
			}
		})
	}
}
