package ui

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// Test-only field definitions (the "uitest." prefix keeps them apart from the
// real dissectors' names; Register panics on duplicates).
var (
	tfFrame    = decode.Register(decode.FieldDef{Name: "uitest.frame", Label: "Frame", Type: decode.FTProtocol})
	tfEth      = decode.Register(decode.FieldDef{Name: "uitest.eth", Label: "Ethernet II", Type: decode.FTProtocol})
	tfEthSrc   = decode.Register(decode.FieldDef{Name: "uitest.eth.src", Label: "Source", Type: decode.FTEther})
	tfIP       = decode.Register(decode.FieldDef{Name: "uitest.ip", Label: "Internet Protocol Version 4", Type: decode.FTProtocol})
	tfIPAddr   = decode.Register(decode.FieldDef{Name: "uitest.ip.addr", Label: "Source or Destination Address", Type: decode.FTIPv4})
	tfIPTTL    = decode.Register(decode.FieldDef{Name: "uitest.ip.ttl", Label: "Time to Live", Type: decode.FTUint})
	tfIPCk     = decode.Register(decode.FieldDef{Name: "uitest.ip.checksum", Label: "Header Checksum", Type: decode.FTUint, Base: decode.BaseHex, Bits: 16})
	tfIPCkSt   = decode.Register(decode.FieldDef{Name: "uitest.ip.checksum.status", Label: "Header checksum status", Type: decode.FTUint})
	tfTCP      = decode.Register(decode.FieldDef{Name: "uitest.tcp", Label: "Transmission Control Protocol", Type: decode.FTProtocol})
	tfUDP      = decode.Register(decode.FieldDef{Name: "uitest.udp", Label: "User Datagram Protocol", Type: decode.FTProtocol})
	tfSrcPort  = decode.Register(decode.FieldDef{Name: "uitest.tcp.srcport", Label: "Source Port", Type: decode.FTUint})
	tfTCPCk    = decode.Register(decode.FieldDef{Name: "uitest.tcp.checksum", Label: "Checksum", Type: decode.FTUint, Base: decode.BaseHex, Bits: 16})
	tfTCPCkSt  = decode.Register(decode.FieldDef{Name: "uitest.tcp.checksum.status", Label: "Checksum Status", Type: decode.FTUint})
	tfUDPCk    = decode.Register(decode.FieldDef{Name: "uitest.udp.checksum", Label: "Checksum", Type: decode.FTUint, Base: decode.BaseHex, Bits: 16})
	tfUDPCkSt  = decode.Register(decode.FieldDef{Name: "uitest.udp.checksum.status", Label: "Checksum Status", Type: decode.FTUint})
	tfExpert   = decode.Register(decode.FieldDef{Name: "_ws.expert.uitest", Label: "Bad checksum", Type: decode.FTNone})
	tfData     = decode.Register(decode.FieldDef{Name: "uitest.data", Label: "Data", Type: decode.FTBytes})
	tfEvilText = decode.Register(decode.FieldDef{Name: "uitest.evil", Label: "Evil", Type: decode.FTString})
	tfHint     = decode.Register(decode.FieldDef{Name: "uitest.hint", Label: "Hint", Type: decode.FTString})
)

// fakeFrame describes one frame of the fake capture.
type fakeFrame struct {
	udp     bool
	syn     bool
	tcpBad  bool // TCP (or UDP) checksum wrong on the wire
	offload bool // ... and it looks like checksum offload
	ipBad   bool
	info    string
}

// fakeSource is a Source built from literal frames. It is safe for
// concurrent use, like capture.Capture.
type fakeSource struct {
	mu     sync.Mutex
	frames []fakeFrame
	n      int // frames "indexed" so far
	done   bool
	p      prefs.Prefs
	delay  time.Duration // per frame in Filter
	// Report runs abandoned through stop
	reportsStopped int
	// FilterRange calls (live_test.go)
	ranges [][2]int
}

func newFake(frames []fakeFrame) *fakeSource {
	return &fakeSource{frames: frames, n: len(frames), done: true, p: prefs.Default()}
}

// standardFrames: 0 SYN, 1 good, 2 TCP bad, 3 UDP good, 4 TCP offload, 5 good,
// 6 TCP bad, 7 IP bad.
func standardFrames() []fakeFrame {
	return []fakeFrame{
		{syn: true, info: "51000 → 80 [SYN] Seq=0"},
		{info: "80 → 51000 [ACK] Seq=1 Ack=1"},
		{tcpBad: true, info: "51000 → 80 [PSH, ACK] Len=6 [TCP CHECKSUM INCORRECT]"},
		{udp: true, info: "5353 → 5353 Len=6"},
		{tcpBad: true, offload: true, info: "51001 → 443 [ACK] Len=6"},
		{info: "80 → 51000 [ACK] Seq=1 Ack=7"},
		{tcpBad: true, info: "51000 → 80 [FIN, ACK] [TCP CHECKSUM INCORRECT]"},
		{ipBad: true, info: "80 → 51000 [ACK] Seq=1 Ack=8"},
	}
}

func (s *fakeSource) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *fakeSource) Indexing() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done, nil
}

func (s *fakeSource) grow(n int, done bool) {
	s.mu.Lock()
	s.n, s.done = n, done
	s.mu.Unlock()
}

func (s *fakeSource) Prefs() prefs.Prefs {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p
}

func (s *fakeSource) SetPrefs(p prefs.Prefs) {
	s.mu.Lock()
	s.p = p
	s.mu.Unlock()
}

func (s *fakeSource) status(on, bad bool) decode.ChecksumStatus {
	switch {
	case !on:
		return decode.StatusUnverified
	case bad:
		return decode.StatusBad
	}
	return decode.StatusGood
}

func (s *fakeSource) Row(i int) decode.Row {
	s.mu.Lock()
	f, p := s.frames[i], s.p
	s.mu.Unlock()
	l4 := "tcp"
	if f.udp {
		l4 = "udp"
	}
	marks := []decode.ChecksumMark{
		{Proto: "ip", Status: s.status(p.Validates("ip"), f.ipBad)},
		{Proto: l4, Status: s.status(p.Validates(l4), f.tcpBad)},
	}
	marks[1].Offload = f.offload && marks[1].Status == decode.StatusBad
	r := decode.Row{Checksums: marks}
	realBad, offBad := false, false
	for _, m := range marks {
		if m.Status == decode.StatusBad {
			r.Bad = true
			if m.Offload {
				offBad = true
			} else {
				realBad = true
			}
		}
	}
	proto := "TCP"
	switch {
	case realBad:
		r.Class = decode.ColorBadChecksum
	case offBad:
		r.Class = decode.ColorOffloadChecksum
	case f.udp:
		r.Class, proto = decode.ColorUDP, "UDP"
	case f.syn:
		r.Class = decode.ColorTCPSynFin
	default:
		r.Class = decode.ColorTCP
	}
	if f.udp {
		proto = "UDP"
	}
	r.Summary = decode.Summary{Number: i + 1, RelTime: int64(i) * 1_250_000, Source: "10.0.0.1",
		Destination: "192.168.100.200", Protocol: proto, Length: len(fakeData(f)), Info: f.info}
	return r
}

func fakeData(f fakeFrame) []byte {
	d := make([]byte, 60)
	for i := range d {
		d[i] = byte(i)
	}
	copy(d[54:], "GET /\x1b")
	return d
}

func (s *fakeSource) Dissect(i int) (*decode.Dissection, error) {
	if i < 0 || i >= s.Len() {
		return nil, errors.New("no such frame")
	}
	r := s.Row(i)
	s.mu.Lock()
	f := s.frames[i]
	s.mu.Unlock()
	data := fakeData(f)
	d := &decode.Dissection{Data: data, Summary: r.Summary}
	add := func(def *decode.FieldDef, depth, off, n int, u uint64, text string) *decode.Field {
		d.Fields = append(d.Fields, decode.Field{Def: def, Depth: int16(depth), Offset: int32(off), Length: int32(n), U: u, Text: text})
		return &d.Fields[len(d.Fields)-1]
	}
	word := func(st decode.ChecksumStatus) string {
		switch st {
		case decode.StatusGood:
			return "[correct]"
		case decode.StatusBad:
			return "incorrect, should be 0xbeef"
		}
		return "[unverified]"
	}
	add(tfFrame, 0, 0, len(data), 0, "Frame "+strconv.Itoa(i+1)+": 60 bytes on wire (480 bits)")
	add(tfEth, 0, 0, 14, 0, "Ethernet II, Src: 00:01:02:03:04:05")
	add(tfEthSrc, 1, 6, 6, 0, "Source: 06:07:08:09:0a:0b")
	add(tfIP, 0, 14, 20, 0, "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 192.168.100.200")
	add(tfIPAddr, 1, 26, 4, 0, "hidden").Hidden = true
	add(tfIPTTL, 1, 22, 1, 64, "Time to Live: 64")
	add(tfIPCk, 1, 24, 2, 0x1818, "Header Checksum: 0x1818 "+word(r.Checksums[0].Status))
	add(tfIPCkSt, 1, 24, 0, uint64(r.Checksums[0].Status), "[Header checksum status: "+r.Checksums[0].Status.String()+"]")
	if f.udp {
		add(tfUDP, 0, 34, 8, 0, "User Datagram Protocol, Src Port: 5353, Dst Port: 5353")
		add(tfUDPCk, 1, 40, 2, 0x2829, "Checksum: 0x2829 "+word(r.Checksums[1].Status))
		add(tfUDPCkSt, 1, 40, 0, uint64(r.Checksums[1].Status), "[Checksum Status: "+r.Checksums[1].Status.String()+"]")
	} else {
		add(tfTCP, 0, 34, 20, 0, "Transmission Control Protocol, Src Port: 51000, Dst Port: 80")
		add(tfSrcPort, 1, 34, 2, 51000, "Source Port: 51000")
		add(tfTCPCk, 1, 50, 2, 0x3233, "Checksum: 0x3233 "+word(r.Checksums[1].Status))
		if r.Checksums[1].Status == decode.StatusBad {
			add(tfExpert, 2, 50, 2, 0, "[Expert Info (Error/Checksum): Bad checksum [should be 0xbeef]]")
		}
		add(tfTCPCkSt, 1, 50, 0, uint64(r.Checksums[1].Status), "[Checksum Status: "+r.Checksums[1].Status.String()+"]")
	}
	for _, m := range r.Checksums {
		if m.Status == decode.StatusBad {
			h := add(tfHint, 0, 0, 0, 0, "hint")
			h.Hidden, h.S = true, "suspect"
			if m.Offload {
				h.S = "partial"
			}
		}
	}
	add(tfData, 0, 54, 6, 0, "Data (6 bytes)")
	add(tfEvilText, 1, 54, 6, 0, "Text: [red]GET /\x1b[2J")
	return d, nil
}

func (s *fakeSource) BadCount() int {
	n := 0
	for i := 0; i < s.Len(); i++ {
		if s.Row(i).Bad {
			n++
		}
	}
	return n
}

func (s *fakeSource) NextBad(i, dir int) int {
	for j := i + dir; j >= 0 && j < s.Len(); j += dir {
		if s.Row(j).Bad {
			return j
		}
	}
	return -1
}

func (s *fakeSource) Filter(m decode.Matcher, progress func(done, total int), stop <-chan struct{}) ([]int, bool) {
	n := s.Len()
	out := []int{}
	for i := 0; i < n; i++ {
		select {
		case <-stop:
			return nil, false
		default:
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		d, err := s.Dissect(i)
		if err == nil && m.Match(d) {
			out = append(out, i)
		}
		if progress != nil {
			progress(i+1, n)
		}
	}
	return out, true
}

// Report builds the report the way decode.Report.Add counts, from the
// fake's rows: offload marks carry the partial hint, other bad ones are
// suspect; every frame is inbound.
func (s *fakeSource) Report(progress func(done, total int), stop <-chan struct{}) (*decode.Report, bool) {
	n := s.Len()
	r := decode.NewReport(s.Prefs())
	for i := 0; i < n; i++ {
		select {
		case <-stop:
			s.mu.Lock()
			s.reportsStopped++
			s.mu.Unlock()
			return nil, false
		default:
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		row := s.Row(i)
		r.Frames++
		for _, m := range row.Checksums {
			ps := r.Protos[m.Proto]
			if ps == nil {
				ps = &decode.ProtoStats{}
				r.Protos[m.Proto] = ps
			}
			ps.Status[m.Status]++
			hint := ""
			if m.Status == decode.StatusBad {
				ps.Bad++
				ps.BadAt = append(ps.BadAt, i+1)
				if m.Offload {
					ps.Offload++
					ps.ByHint[decode.HintPartial]++
					hint = "partial"
				} else {
					ps.Suspect++
					ps.SuspectAt = append(ps.SuspectAt, i+1)
					ps.ByHint[decode.HintSuspect]++
					hint = "suspect"
				}
				key := "TCP 10.0.0.1:51000 → 192.168.100.200:80"
				if row.Summary.Protocol == "UDP" {
					key = "UDP 10.0.0.1:5353 → 192.168.100.200:5353"
				}
				f := r.Flows[key]
				if f == nil {
					f = &decode.FlowStats{Flow: key, First: i + 1}
					r.Flows[key] = f
				}
				f.Bad++
				if !m.Offload {
					f.Suspect++
				}
			}
			r.Counts[decode.CountKey{Proto: m.Proto, Status: m.Status, Hint: hint, Direction: "inbound"}]++
		}
		if progress != nil {
			progress(i+1, n)
		}
	}
	return r, true
}

// fakeStrMatcher matches frames having string field def equal to s.
type fakeStrMatcher struct {
	def *decode.FieldDef
	s   string
}

func (m *fakeStrMatcher) Fields() []*decode.FieldDef { return []*decode.FieldDef{m.def} }

func (m *fakeStrMatcher) Match(d *decode.Dissection) bool {
	for _, f := range d.Fields {
		if f.Def == m.def && f.S == m.s {
			return true
		}
	}
	return false
}

// fakeMatcher matches frames having field def with value u (any value when
// any is set).
type fakeMatcher struct {
	def *decode.FieldDef
	u   uint64
	any bool
}

func (m *fakeMatcher) Fields() []*decode.FieldDef { return []*decode.FieldDef{m.def} }

func (m *fakeMatcher) Match(d *decode.Dissection) bool {
	for _, f := range d.Fields {
		if f.Def == m.def && (m.any || f.U == m.u) {
			return true
		}
	}
	return false
}

type fakeSyntaxError struct{ msg string }

func (e *fakeSyntaxError) Error() string { return e.msg }

// fakeCompile understands a few expressions, enough to test the bar.
func fakeCompile(expr string) (decode.Matcher, error) {
	switch strings.TrimSpace(expr) {
	case "tcp.checksum.status == 0":
		return &fakeMatcher{def: tfTCPCkSt, u: 0}, nil
	case "tcp":
		return &fakeMatcher{def: tfTCP, any: true}, nil
	case "udp":
		return &fakeMatcher{def: tfUDP, any: true}, nil
	case `wirelens.hint == "suspect"`, `wirelens.hint == "partial"`:
		return &fakeStrMatcher{def: tfHint, s: strings.Trim(strings.TrimPrefix(expr, "wirelens.hint == "), `"`)}, nil
	}
	// the report's filters: the leading "P.checksum.status == N" decides
	for _, d := range []*decode.FieldDef{tfTCPCkSt, tfUDPCkSt, tfIPCkSt} {
		prefix := strings.TrimPrefix(d.Name, "uitest.") + " == "
		if rest, ok := strings.CutPrefix(expr, prefix); ok && len(rest) > 0 {
			return &fakeMatcher{def: d, u: uint64(rest[0] - '0')}, nil
		}
	}
	if strings.HasPrefix(expr, "ip.addr == 10.0.0.1 && ip.addr == 192.168.100.200 && tcp.port") {
		return &fakeMatcher{def: tfTCP, any: true}, nil
	}
	return nil, &fakeSyntaxError{msg: "column 5: \"" + expr + "\" is neither a field nor a protocol name"}
}

// harness runs the whole UI on a simulation screen.
type harness struct {
	t       testing.TB
	sim     tcell.SimulationScreen
	v       *view
	src     *fakeSource
	pending chan func()
	done    chan error
}

func start(t *testing.T, src *fakeSource, opts Options, w, h int) *harness {
	t.Helper()
	hs := startSource(t, src, opts, w, h)
	hs.src = src
	return hs
}

// startSource runs the UI over any source; nil shows the start screen.
func startSource(t testing.TB, src Source, opts Options, w, h int) *harness {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	opts.Screen = sim
	if opts.Compile == nil {
		opts.Compile = fakeCompile
	}
	if opts.FileName == "" {
		opts.FileName = "fake.pcap"
	}
	v, err := newView(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	sim.SetSize(w, h)
	hs := &harness{t: t, sim: sim, v: v, pending: make(chan func()), done: make(chan error, 1)}
	v.onSync = func() { f := <-hs.pending; f() }
	go func() { hs.done <- v.run() }()
	t.Cleanup(func() {
		select {
		case <-hs.done:
			return
		default:
		}
		v.app.Stop()
		select {
		case <-hs.done:
		case <-time.After(5 * time.Second):
			t.Error("UI did not stop")
		}
	})
	hs.sync()
	return hs
}

// do runs f on the UI goroutine after every event injected so far has been
// handled and drawn.
func (h *harness) do(f func()) {
	h.t.Helper()
	finished := make(chan struct{})
	h.sim.InjectKey(keySync, 0, tcell.ModNone)
	select {
	case h.pending <- func() { f(); close(finished) }:
	case <-time.After(5 * time.Second):
		h.t.Fatal("UI not responding")
	}
	<-finished
}

func (h *harness) sync() { h.do(func() {}) }

func (h *harness) key(k tcell.Key) {
	h.sim.InjectKey(k, 0, tcell.ModNone)
	h.sync()
}

func (h *harness) keyMod(k tcell.Key, mod tcell.ModMask) {
	h.sim.InjectKey(k, 0, mod)
	h.sync()
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	h.sync()
}

func (h *harness) click(x, y int) {
	h.sim.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
	h.sync()
}

// cells snapshots the screen (on the UI goroutine, so no draw is running).
func (h *harness) cells() ([]tcell.SimCell, int, int) {
	var cells []tcell.SimCell
	var w, ht int
	h.do(func() {
		c, cw, ch := h.sim.GetContents()
		cells, w, ht = append([]tcell.SimCell(nil), c...), cw, ch
	})
	return cells, w, ht
}

// lines returns the screen as text, one string per row.
func (h *harness) lines() []string {
	cells, w, ht := h.cells()
	return cellLines(cells, w, ht)
}

func cellLines(cells []tcell.SimCell, w, ht int) []string {
	out := make([]string, ht)
	for y := 0; y < ht; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(string(c.Runes))
		}
		out[y] = b.String()
	}
	return out
}

func (h *harness) dump() string { return strings.Join(h.lines(), "\n") }

// find returns the position of the first occurrence of s on screen.
func (h *harness) find(s string) (x, y int, ok bool) {
	for y, l := range h.lines() {
		if i := strings.Index(l, s); i >= 0 {
			return len([]rune(l[:i])), y, true
		}
	}
	return 0, 0, false
}

func (h *harness) style(x, y int) tcell.Style {
	cells, w, _ := h.cells()
	return cells[y*w+x].Style
}

// waitFor polls until cond holds on the UI goroutine.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok := false
		h.do(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.dump())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Tap hands every frame's fake tree to fn (the statistics view's pass).
func (s *fakeSource) Tap(fn func(fr *decode.Frame, d *decode.Dissection), progress func(done, total int), stop <-chan struct{}) bool {
	n := s.Len()
	for i := 0; i < n; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		d, err := s.Dissect(i)
		if err != nil {
			continue
		}
		fr := &decode.Frame{Number: i + 1, RelTime: int64(i) * 1e6}
		fr.Record.OrigLen = uint32(len(d.Data))
		fn(fr, d)
		if progress != nil {
			progress(i+1, n)
		}
	}
	return true
}
