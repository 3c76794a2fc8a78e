package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/wirelens/wirelens/decode"
)

// startScreen is what `wirelens` with no capture shows: the built-in demo,
// the recently opened files and the network interfaces with their offload
// settings. Enter opens the selection; the view then switches to the
// packet list for good.
type startScreen struct {
	root  *tview.Flex
	list  *lineList
	input *tview.InputField // the path typed after `o`
	th    *theme
	opts  Options
	queue func(func())

	recent    []string
	ifaces    []InterfaceInfo
	ifaceErr  error
	ifaceDone bool
	msg       string
	msgErr    bool
	askQuit   bool // q was pressed once: the next q quits

	remote remoteHost // the remote host listed (startremote.go)
	// onInput, when set, takes the input's text instead of opening it.
	onInput func(key tcell.Key, text string)

	onOpen    func(src Source, name string, live bool)
	onCompare func(setup *CompareSetup)
	onQuit    func()
	setFocus  func(p tview.Primitive) // the view's: it owns the application
}

func newStartScreen(th *theme, opts Options, queue func(func())) *startScreen {
	s := &startScreen{th: th, opts: opts, queue: queue}
	s.list = newLineList(th)
	s.input = tview.NewInputField().SetLabel(" Open: ").SetLabelStyle(th.header)
	s.input.SetFieldStyle(th.base.Underline(true))
	s.input.SetPlaceholder("path of a pcap or pcapng file").SetPlaceholderStyle(th.dim)
	s.input.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if ev.Key() != tcell.KeyTab || s.onInput != nil {
			return ev
		}
		// a path to open: Tab completes it, as o in a capture does (open.go)
		text, cands := completePath(s.input.GetText())
		s.input.SetText(text)
		s.message("", false)
		if len(cands) > 1 {
			s.message(strings.Join(cands, "  "), false)
		}
		return nil
	})
	s.input.SetDoneFunc(func(key tcell.Key) {
		text := s.input.GetText()
		s.showInput(false)
		if f := s.onInput; f != nil {
			// A question of startremote.go's (remote host, filter, the
			// captures to compare).
			s.onInput = nil
			s.input.SetLabel(" Open: ").SetPlaceholder("path of a pcap or pcapng file")
			f(key, strings.TrimSpace(text))
			return
		}
		if key == tcell.KeyEnter && strings.TrimSpace(text) != "" {
			s.openFile(expandHome(strings.TrimSpace(text)))
		}
	})
	s.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(newFillLine(th, th.title, func() string {
			return " wirelens: tell checksum-offload artifacts from real corruption"
		}), 1, 0, false).
		AddItem(s.list, 0, 1, true).
		AddItem(s.input, 0, 0, false).
		AddItem(&messageLine{fillLine: newFillLine(th, th.status, s.footer), s: s}, 1, 0, false)
	return s
}

// messageLine is the bottom line: keys, or the last message (errors in the
// error style).
type messageLine struct {
	*fillLine
	s *startScreen
}

func (m *messageLine) Draw(screen tcell.Screen) {
	m.st = m.th.status
	if m.s.msgErr {
		m.st = m.th.errMsg
	}
	m.fillLine.Draw(screen)
}

func (s *startScreen) footer() string {
	if s.msg != "" {
		return " " + decode.Sanitize(s.msg)
	}
	keys := " Enter open · o open a path · r remote host · C compare two · Up/Down move · q quit"
	if s.th.ascii {
		keys = strings.ReplaceAll(keys, "·", "|")
	}
	return keys
}

func (s *startScreen) message(text string, isErr bool) { s.msg, s.msgErr = text, isErr }

// load reads the recent list now and asks for the interfaces in the
// background: listing offloads may take a while (one query per interface).
func (s *startScreen) load() {
	s.recent = loadRecent()
	if s.opts.Interfaces != nil {
		list := s.opts.Interfaces
		goSafe(func() {
			ifaces, err := list()
			s.queue(func() {
				s.ifaces, s.ifaceErr, s.ifaceDone = ifaces, err, true
				s.fill()
			})
		})
	}
	s.fill()
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// fill rebuilds the list, keeping the selection.
func (s *startScreen) fill() {
	th := s.th
	var items []listItem
	add := func(it listItem) { items = append(items, it) }
	heading := func(text string) { add(listItem{text: text, style: th.header.Underline(true)}) }
	heading("Capture files")
	if s.opts.DemoPath != "" {
		add(listItem{text: "  Demo capture (built in): offload artifacts and three damaged frames", style: th.base,
			act: func() { s.open(s.opts.DemoPath, "demo (built in)", false) }})
	}
	if len(s.recent) == 0 {
		add(listItem{text: "  (no recent files)", style: th.dim})
	}
	for _, p := range s.recent {
		it := listItem{text: "  " + decode.Sanitize(p), style: th.base, indent: 4, wrap: true}
		if _, err := os.Stat(p); err != nil {
			it.text += "  (missing)"
			it.style = th.dim
		}
		path := p
		it.act = func() { s.openFile(path) }
		add(it)
	}
	add(listItem{text: "  Open a file...", style: th.base, act: func() { s.showInput(true) }})
	s.compareItem(add)
	add(listItem{})
	heading("Network interfaces (live capture)")
	switch {
	case s.opts.Interfaces == nil:
		add(listItem{text: "  Live capture is not available in this build.", style: th.dim})
	case !s.ifaceDone:
		add(listItem{text: "  Listing interfaces...", style: th.dim})
	case s.ifaceErr != nil:
		add(listItem{text: "  Cannot list interfaces: " + decode.Sanitize(s.ifaceErr.Error()), style: th.bad, wrap: true, indent: 4})
	case len(s.ifaces) == 0:
		add(listItem{text: "  (no interfaces)", style: th.dim})
	}
	if s.ifaceDone {
		for _, ifc := range s.ifaces {
			add(listItem{text: interfaceText(ifc), style: th.base, wrap: true, indent: 34, act: func() { s.capture(ifc.Name) }})
		}
	}
	s.remoteItems(add, heading)
	s.list.setItems(items)
}

// interfaceText is an interface's line: name, state, MTU, offloads.
func interfaceText(ifc InterfaceInfo) string {
	state := "down"
	if ifc.Up {
		state = "up"
	}
	off := decode.Sanitize(ifc.Offloads)
	if off == "" {
		off = "offloads unknown"
	}
	mtu := "-" // the "any" pseudo-device has none
	if ifc.MTU > 0 {
		mtu = strconv.Itoa(ifc.MTU)
	}
	return fmt.Sprintf("  %-15s %-4s MTU %-6s %s", decode.Sanitize(ifc.Name), state, mtu, off)
}

func (s *startScreen) showInput(on bool) {
	if on {
		s.message("", false)
		s.input.SetText("")
		s.root.ResizeItem(s.input, 1, 0)
		s.focus(s.input)
		return
	}
	s.root.ResizeItem(s.input, 0, 0)
	s.focus(s.list)
}

func (s *startScreen) focus(p tview.Primitive) {
	if s.setFocus != nil {
		s.setFocus(p)
	}
}

// openFile opens a capture file and records it as recent.
func (s *startScreen) openFile(path string) {
	s.open(path, path, true)
}

func (s *startScreen) open(path, name string, record bool) {
	if s.opts.Open == nil {
		s.message("opening files is not available here: run wirelens FILE", true)
		return
	}
	src, err := s.opts.Open(path)
	if err != nil {
		s.message(fmt.Sprintf("cannot open %s: %s", filepath.Base(path), errorLine(err)), true)
		return
	}
	if record {
		if err := RecordRecent(path); err != nil {
			// the capture opens all the same; the list is a convenience
			s.message("recent files not saved: "+err.Error(), true)
		}
	}
	if s.onOpen != nil {
		s.onOpen(src, name, false)
	}
}

func (s *startScreen) capture(name string) {
	if s.opts.Capture == nil {
		s.message("live capture is not available yet: open a capture file or the demo", true)
		return
	}
	src, err := s.opts.Capture(name)
	if err != nil {
		s.message(fmt.Sprintf("cannot capture on %s: %s", name, errorLine(err)), true)
		return
	}
	if s.onOpen != nil {
		s.onOpen(src, "live: "+name, true)
	}
}

// keys: q and Esc ask before quitting (a stray q must not end the session
// before anything was opened): q or y again quits, any other key stays.
// Esc first leaves the path input; o asks for a path.
func (s *startScreen) keys(ev *tcell.EventKey) *tcell.EventKey {
	if s.input.HasFocus() {
		return ev
	}
	isQuit := ev.Key() == tcell.KeyEscape || ev.Key() == tcell.KeyRune && ev.Rune() == 'q'
	if s.askQuit {
		s.askQuit = false
		s.message("", false)
		if isQuit || ev.Key() == tcell.KeyRune && ev.Rune() == 'y' || ev.Key() == tcell.KeyEnter {
			if s.onQuit != nil {
				s.onQuit()
			}
		}
		return nil
	}
	switch {
	case isQuit:
		s.askQuit = true
		s.message("Quit wirelens? q or y quits, any other key stays", false)
		return nil
	case ev.Key() == tcell.KeyRune && ev.Rune() == 'o':
		s.showInput(true)
		return nil
	case ev.Key() == tcell.KeyRune && ev.Rune() == 'r':
		s.askRemote()
		return nil
	case ev.Key() == tcell.KeyRune && ev.Rune() == 'C':
		s.askCompare()
		return nil
	}
	if ev.Key() != tcell.KeyEnter && ev.Key() != tcell.KeyRune {
		s.message("", false)
	}
	return ev
}
