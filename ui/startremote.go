package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/wirelens/wirelens/decode"
)

// The start screen's remote host (r: ssh://[user@]host[:port], its
// interfaces listed with their driver and offloads as the host reports
// them, one chosen to capture on with an optional capture filter) and
// its "compare two captures" (C: two paths, then the compare view).

// remoteHost is the remote host the start screen lists.
type remoteHost struct {
	target  string // "" none asked
	host    string
	ifaces  []InterfaceInfo
	err     error
	done    bool
	pending int // generation of the listing running
}

// ask shows the input with a label, and hands its text to then.
func (s *startScreen) ask(label, placeholder, text string, then func(text string)) {
	s.showInput(true)
	s.input.SetLabel(label).SetPlaceholder(placeholder).SetText(text)
	s.onInput = func(key tcell.Key, text string) {
		if key == tcell.KeyEnter {
			then(text)
		}
	}
}

func (s *startScreen) askRemote() {
	if s.opts.RemoteInterfaces == nil {
		s.message("remote capture is not available here", true)
		return
	}
	text := s.remote.target
	if text == "" {
		text = "ssh://"
	}
	s.ask(" Remote host: ", "ssh://[user@]host[:port]", text, s.listRemote)
}

// listRemote lists target's interfaces in the background.
func (s *startScreen) listRemote(target string) {
	if target == "" || target == "ssh://" {
		return
	}
	if !strings.HasPrefix(target, "ssh://") {
		target = "ssh://" + target
	}
	target = strings.TrimSuffix(target, "/")
	s.remote.pending++
	gen := s.remote.pending
	s.remote = remoteHost{target: target, pending: gen}
	s.fill()
	list := s.opts.RemoteInterfaces
	goSafe(func() {
		host, ifaces, err := list(target)
		s.queue(func() {
			if s.remote.pending != gen {
				return
			}
			s.remote.host, s.remote.ifaces, s.remote.err, s.remote.done = host, ifaces, err, true
			s.fill()
			if err == nil && len(ifaces) > 0 {
				// The first interface, ready for Enter.
				first := remoteInterfaceText(ifaces[0])
				for i, it := range s.list.items {
					if it.text == first && it.act != nil {
						s.list.selectItem(i)
						break
					}
				}
			}
		})
	})
}

// remoteItems adds the remote host's section to the start screen.
func (s *startScreen) remoteItems(add func(listItem), heading func(string)) {
	if s.opts.RemoteInterfaces == nil {
		return
	}
	th := s.th
	add(listItem{})
	r := &s.remote
	if r.target == "" {
		heading("Remote host (capture over ssh)")
		add(listItem{text: "  Remote host ssh://[user@]host[:port]...", style: th.base, act: s.askRemote})
		return
	}
	heading("Remote host " + decode.Sanitize(r.target))
	switch {
	case !r.done:
		add(listItem{text: "  Connecting and listing its interfaces...", style: th.dim})
	case r.err != nil:
		msg := decode.Sanitize(errorLine(r.err))
		if !strings.Contains(msg, r.target) {
			msg = decode.Sanitize(r.target) + ": " + msg
		}
		add(listItem{text: "  Cannot list its interfaces: " + msg, style: th.bad, wrap: true, indent: 4})
	default:
		if r.host != "" {
			add(listItem{text: "  " + decode.Sanitize(r.host), style: th.dim, wrap: true, indent: 4})
		}
		if len(r.ifaces) == 0 {
			add(listItem{text: "  (no interfaces)", style: th.dim})
		}
		for _, ifc := range r.ifaces {
			name := ifc.Name
			add(listItem{text: remoteInterfaceText(ifc), style: th.base, wrap: true, indent: 34, act: func() { s.askFilter(name) }})
		}
	}
	add(listItem{text: "  Another remote host...", style: th.base, act: s.askRemote})
}

// remoteInterfaceText is a remote interface's line: name, state, MTU,
// addresses, driver, offloads.
func remoteInterfaceText(ifc InterfaceInfo) string {
	state := "down"
	if ifc.Up {
		state = "up"
	}
	mtu := "-"
	if ifc.MTU > 0 {
		mtu = strconv.Itoa(ifc.MTU)
	}
	parts := []string{fmt.Sprintf("  %-15s %-4s MTU %-6s", decode.Sanitize(ifc.Name), state, mtu)}
	if ifc.Addrs != "" {
		parts = append(parts, decode.Sanitize(ifc.Addrs))
	}
	drv := decode.Sanitize(ifc.Driver)
	if drv == "" {
		drv = "unknown"
	}
	parts = append(parts, "driver "+drv)
	off := decode.Sanitize(ifc.Offloads)
	if off == "" {
		off = "unknown"
	}
	return strings.Join(parts, " ") + " offloads: " + off
}

// askFilter asks for the capture filter of a remote capture, then starts it.
func (s *startScreen) askFilter(iface string) {
	target := s.remote.target + "/" + iface
	s.ask(" Capture filter on "+decode.Sanitize(target)+" (empty: all): ", "e.g. tcp port 443", "", func(filter string) {
		s.captureRemote(target, filter)
	})
}

func (s *startScreen) captureRemote(target, filter string) {
	if s.opts.RemoteCapture == nil {
		s.message("remote capture is not available here", true)
		return
	}
	s.message("connecting to "+decode.Sanitize(target)+"...", false)
	src, err := s.opts.RemoteCapture(target, filter)
	if err != nil {
		s.message(fmt.Sprintf("cannot capture on %s: %s", decode.Sanitize(target), errorLine(err)), true)
		return
	}
	if s.onOpen != nil {
		s.onOpen(src, "live: "+target, true)
	}
}

// compareItem adds "Compare two captures..." to the files.
func (s *startScreen) compareItem(add func(listItem)) {
	if s.opts.CompareFiles != nil {
		add(listItem{text: "  Compare two captures (both ends of a path)...", style: s.th.base, act: s.askCompare})
	}
}

func (s *startScreen) askCompare() {
	if s.opts.CompareFiles == nil {
		s.message("comparing is not available here: run wirelens --compare A B", true)
		return
	}
	s.ask(" Compare capture A: ", "path of the first capture (the sender's end)", "", func(a string) {
		if a == "" {
			return
		}
		a = expandHome(a)
		s.ask(" with capture B: ", "path of the second capture (the receiver's end)", "", func(b string) {
			if b == "" {
				return
			}
			setup, err := s.opts.CompareFiles(a, expandHome(b))
			if err != nil {
				s.message("cannot compare: "+errorLine(err), true)
				return
			}
			if s.onCompare != nil {
				s.onCompare(setup)
			}
		})
	})
}

// openCompareSetup leaves the start screen for the compare view.
func (v *view) openCompareSetup(setup *CompareSetup) {
	c := newCompareView(v, setup)
	v.src = c.sides[0]
	v.opts.FileName = "A: " + setup.Cmp.Names()[0]
	v.start = nil
	v.build()
	v.begin()
	v.attachCompare(c)
}
