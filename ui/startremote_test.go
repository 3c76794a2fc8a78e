package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode/capfile"
	"github.com/wirelens/wirelens/decode/capture"
	"github.com/wirelens/wirelens/decode/compare"
	"github.com/wirelens/wirelens/prefs"
)

// TestStartScreenRemote: r asks for a host, its interfaces are listed
// with addresses, driver and offloads; Enter on one asks for a capture
// filter and starts the remote capture; a host that cannot be reached
// says why.
func TestStartScreenRemote(t *testing.T) {
	withConfig(t)
	var opened []string
	opts := startOpts(t, &opened)
	var mu sync.Mutex
	var asked []string
	var captured [][2]string
	opts.RemoteInterfaces = func(target string) (string, []InterfaceInfo, error) {
		mu.Lock()
		asked = append(asked, target)
		mu.Unlock()
		if strings.Contains(target, "down.example") {
			return "", nil, errors.New("ssh://down.example: cannot reach down.example: ssh: connect to host down.example port 22: No route to host")
		}
		return "srv: Linux 6.1 x86_64; root: logged in as root", []InterfaceInfo{
			{Name: "eth0", Up: true, MTU: 1500, Addrs: "10.0.0.2/24", Driver: "ixgbe", Offloads: "rx-csum tx-csum tso gso gro !lro sg"},
			{Name: "veth1\x1b[2J", Up: false, MTU: 1500, Driver: "veth kind veth"},
		}, nil
	}
	opts.RemoteCapture = func(target, filter string) (Source, error) {
		mu.Lock()
		captured = append(captured, [2]string{target, filter})
		mu.Unlock()
		return newFake(standardFrames()), nil
	}
	h := startSource(t, nil, opts, 140, 30)
	if _, _, ok := h.find("Remote host ssh://[user@]host[:port]..."); !ok {
		t.Fatalf("no remote host item:\n%s", h.dump())
	}
	h.typeText("r")
	if _, _, ok := h.find("Remote host: ssh://"); !ok {
		t.Fatalf("r does not ask for the host:\n%s", h.dump())
	}
	h.typeText("down.example")
	h.key(tcell.KeyEnter)
	h.waitFor("the failed listing", func() bool { return h.v.start.remote.done })
	x, y, ok := h.find("Cannot list its interfaces: ssh://down.example: cannot reach down.example")
	if !ok {
		t.Fatalf("no error line:\n%s", h.dump())
	}
	if h.style(x, y) != h.v.th.bad {
		t.Error("the error is not in the error style")
	}
	// Another host (typed without ssh://, user and port kept).
	h.typeText("r")
	for range "ssh://down.example" {
		h.key(tcell.KeyBackspace2)
	}
	h.typeText("ssh://admin@srv:2222")
	h.key(tcell.KeyEnter)
	h.waitFor("the listing", func() bool { return h.v.start.remote.done })
	screen := h.dump()
	for _, want := range []string{"Remote host ssh://admin@srv:2222", "srv: Linux 6.1 x86_64; root: logged in as root",
		"eth0            up   MTU 1500   10.0.0.2/24 driver ixgbe offloads: rx-csum tx-csum tso gso gro !lro sg",
		`veth1\x1b[2J`, "driver veth kind veth offloads: unknown", "Another remote host..."} {
		if !strings.Contains(screen, want) {
			t.Errorf("start screen lacks %q:\n%s", want, screen)
		}
	}
	mu.Lock()
	if len(asked) != 2 || asked[1] != "ssh://admin@srv:2222" {
		t.Errorf("listed %q", asked)
	}
	mu.Unlock()
	// eth0 is selected: Enter asks for the filter, then captures.
	h.key(tcell.KeyEnter)
	if _, _, ok := h.find("Capture filter on ssh://admin@srv:2222/eth0 (empty: all):"); !ok {
		t.Fatalf("no filter prompt:\n%s", h.dump())
	}
	h.typeText("tcp port 443")
	h.key(tcell.KeyEnter)
	mu.Lock()
	if len(captured) != 1 || captured[0] != [2]string{"ssh://admin@srv:2222/eth0", "tcp port 443"} {
		t.Errorf("captured %q", captured)
	}
	mu.Unlock()
	h.waitFor("the live view", func() bool { return h.v.start == nil && h.v.opts.Live })
	if !strings.Contains(h.dump(), "live: ssh://admin@srv:2222/eth0") {
		t.Errorf("live view:\n%s", h.dump())
	}
}

// TestStartScreenCompare: C asks for two captures and opens the compare
// view on them.
func TestStartScreenCompare(t *testing.T) {
	withConfig(t)
	var opened []string
	opts := startOpts(t, &opened)
	var got [2]string
	opts.CompareFiles = func(a, b string) (*CompareSetup, error) {
		got = [2]string{a, b}
		var caps [2]Source
		var srcs [2]compare.Source
		for i, path := range []string{a, b} {
			c, err := capture.Open(path, prefs.Default())
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { c.Close() })
			caps[i] = c
			r, err := capfile.Open(path, capfile.Options{})
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { r.Close() })
			srcs[i] = compare.Source{Reader: r, Name: path}
		}
		s := compare.Start(srcs[0], srcs[1], compare.Options{Prefs: prefs.Default()})
		t.Cleanup(s.Wait)
		return &CompareSetup{Sides: caps, Cmp: s}, nil
	}
	h := startSource(t, nil, opts, 120, 35)
	if _, _, ok := h.find("Compare two captures (both ends of a path)..."); !ok {
		t.Fatalf("no compare item:\n%s", h.dump())
	}
	h.typeText("C")
	h.typeText("../testdata/compare/missing.pcapng")
	h.key(tcell.KeyEnter)
	h.typeText("../testdata/compare/b.pcapng")
	h.key(tcell.KeyEnter)
	if _, _, ok := h.find("cannot compare:"); !ok {
		t.Fatalf("no error for a missing file:\n%s", h.dump())
	}
	h.typeText("C")
	if _, _, ok := h.find("Compare capture A:"); !ok {
		t.Fatalf("C does not ask:\n%s", h.dump())
	}
	h.typeText("../testdata/compare/a.pcapng")
	h.key(tcell.KeyEnter)
	if _, _, ok := h.find("with capture B:"); !ok {
		t.Fatalf("no second question:\n%s", h.dump())
	}
	h.typeText("../testdata/compare/b.pcapng")
	h.key(tcell.KeyEnter)
	if got != [2]string{"../testdata/compare/a.pcapng", "../testdata/compare/b.pcapng"} {
		t.Errorf("compared %q", got)
	}
	h.waitFor("the compare view", func() bool { return h.v.cmp != nil && h.v.cmp.done && len(h.v.cmp.rows) > 100 })
	if _, _, ok := h.find("Compare [side by side]  A: ../testdata/compare/a.pcapng (136)"); !ok {
		t.Errorf("compare view:\n%s", h.dump())
	}
	if _, _, ok := h.find("= same"); !ok {
		t.Errorf("no rows:\n%s", h.dump())
	}
}
