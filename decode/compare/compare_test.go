package compare

import (
	"os"
	"testing"

	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/prefs"
)

func open(t *testing.T, path string) Source {
	t.Helper()
	r, err := capfile.Open(path, capfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return Source{Reader: r, Name: path}
}

func runPair(t *testing.T, a, b string) (*Report, []Packet) {
	t.Helper()
	var pkts []Packet
	rep, err := Run(open(t, a), open(t, b), Options{Prefs: prefs.Default()}, func(p *Packet) error {
		q := *p
		q.Data = append([]byte(nil), p.Data...)
		pkts = append(pkts, q)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep, pkts
}

func TestDebugPair(t *testing.T) {
	a, b := os.Getenv("CMP_A"), os.Getenv("CMP_B")
	if a == "" {
		t.Skip()
	}
	rep, pkts := runPair(t, a, b)
	for _, p := range pkts {
		t.Logf("%d %s %v %s %s", p.Number, p.Result.Status, p.Result.Peers, p.Result.DiffText(), p.Result.Verdict)
	}
	rep.Write(os.Stdout)
}

func BenchmarkPair(b *testing.B) {
	a, bb := os.Getenv("CMP_A"), os.Getenv("CMP_B")
	if a == "" {
		b.Skip()
	}
	for i := 0; i < b.N; i++ {
		ra, _ := capfile.Open(a, capfile.Options{})
		rb, _ := capfile.Open(bb, capfile.Options{})
		Run(Source{Reader: ra, Name: a}, Source{Reader: rb, Name: bb}, Options{Prefs: prefs.Default()}, nil)
		ra.Close()
		rb.Close()
	}
}
