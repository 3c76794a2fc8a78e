package remote

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/live"
)

// maxInfoLines bounds the information block: a host with thousands of
// interfaces still fits, a hostile one printing forever does not.
const maxInfoLines = 20000

// maxInfoLine bounds one line of it.
const maxInfoLine = 4096

// HostInfo is what the remote host said about itself before capturing.
type HostInfo struct {
	UID      int
	User     string
	Uname    string // kernel name, release and machine (uname -srm)
	Arch     string
	Tools    []string // capture-related commands found on its PATH
	Sudo     string   // root, ok (sudo -n works), password, missing
	SSH      string   // $SSH_CONNECTION: client addr, port, server addr, port
	Tool     string   // the capture tool chosen
	Filter   string   // the capture filter as run, the SSH exclusion included
	Error    string   // why the script gave up, if it did
	Clock    time.Duration
	ClockSet bool // Clock is the remote clock minus ours, at most the one-way delay off
	Ifaces   []IfaceInfo
}

// IfaceInfo describes one remote interface.
type IfaceInfo struct {
	Name     string
	MTU      int
	ARPHRD   int // /sys/class/net/X/type
	State    string
	MAC      string
	Driver   string
	Kind     string // ip -d link's kind (veth, bridge, vxlan ...), "" for a plain device
	Addrs    []string
	Offloads live.Offloads
	features []string
}

// HasTool reports whether the host has the command.
func (h *HostInfo) HasTool(name string) bool {
	for _, t := range h.Tools {
		if t == name {
			return true
		}
	}
	return false
}

// Iface returns the description of the named interface, or nil.
func (h *HostInfo) Iface(name string) *IfaceInfo {
	for i := range h.Ifaces {
		if h.Ifaces[i].Name == name {
			return &h.Ifaces[i]
		}
	}
	return nil
}

// readInfo reads the information block from the start of the remote's
// standard output, leaving br at the first byte of the capture stream. got
// is when the block's time line was read, to estimate the clock offset.
func readInfo(br *bufio.Reader) (*HostInfo, error) {
	h := &HostInfo{UID: -1}
	started := false
	var cur *IfaceInfo
	for n := 0; ; n++ {
		if n > maxInfoLines {
			return h, fmt.Errorf("the remote host's description goes on past %d lines", maxInfoLines)
		}
		line, err := readLine(br)
		if err != nil {
			if started {
				return h, fmt.Errorf("the remote host's description was cut short: %w", err)
			}
			return h, err
		}
		if !started {
			if line != infoBegin {
				// A login banner or a shell rc printing to stdout would corrupt
				// the capture stream: say so rather than misread it.
				return h, fmt.Errorf("the remote shell printed %q before wirelens's script ran (a login script writing to standard output?)", decode.Sanitize(clip(line, 60)))
			}
			started = true
			continue
		}
		if line == infoEnd {
			if cur != nil {
				cur.finish()
			}
			return h, nil
		}
		k, v, _ := strings.Cut(line, "=")
		// ToValidUTF8 first: a value is text for a terminal, whatever bytes came.
		v = decode.Sanitize(strings.ToValidUTF8(strings.TrimSpace(v), "\uFFFD"))
		switch k {
		case "uid":
			if u, err := strconv.Atoi(v); err == nil {
				h.UID = u
			}
		case "user":
			h.User = v
		case "uname":
			h.Uname = v
		case "arch":
			h.Arch = v
		case "time":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
				h.Clock = time.Duration(f*1e9) - time.Duration(time.Now().UnixNano())
				h.ClockSet = true
			}
		case "tools":
			h.Tools = strings.Fields(v)
		case "sudo":
			h.Sudo = v
		case "ssh":
			h.SSH = v
		case "tool":
			h.Tool = v
		case "filter":
			h.Filter = v
		case "error":
			h.Error = v
		case "if.name":
			if cur != nil {
				cur.finish()
			}
			h.Ifaces = append(h.Ifaces, IfaceInfo{Name: v})
			cur = &h.Ifaces[len(h.Ifaces)-1]
		default:
			if cur == nil || !strings.HasPrefix(k, "if.") {
				continue // a newer remote wirelens may say more
			}
			switch k {
			case "if.mtu":
				cur.MTU, _ = strconv.Atoi(v)
			case "if.type":
				cur.ARPHRD, _ = strconv.Atoi(v)
			case "if.state":
				cur.State = v
			case "if.mac":
				cur.MAC = v
			case "if.driver":
				cur.Driver = v
			case "if.link":
				cur.Kind = linkKind(v)
			case "if.addr":
				cur.Addrs = append(cur.Addrs, v)
			case "if.feature":
				cur.features = append(cur.features, v)
			}
		}
	}
}

func (i *IfaceInfo) finish() {
	if len(i.features) > 0 {
		i.Offloads = live.OffloadsFromEthtool(i.features)
		i.Offloads.Driver = i.Driver // the hints read it: a wire, or a virtual device
	}
	i.features = nil
}

// linkKind picks the device kind out of one line of `ip -d -o link`:
// the section after link/... starts with the kind for virtual devices
// ("veth", "bridge", "vxlan id 42 ...") and with a setting for plain ones.
func linkKind(line string) string {
	secs := strings.Split(line, "\\")
	for i, s := range secs {
		if !strings.HasPrefix(strings.TrimSpace(s), "link/") || i+1 >= len(secs) {
			continue
		}
		f := strings.Fields(secs[i+1])
		if len(f) == 0 {
			return ""
		}
		switch f[0] {
		case "addrgenmode", "numtxqueues", "gso_max_size", "openvswitch_slave":
			return ""
		}
		return f[0]
	}
	return ""
}

// readLine reads one line of at most maxInfoLine bytes, without its end.
func readLine(br *bufio.Reader) (string, error) {
	var b []byte
	for {
		frag, isPrefix, err := br.ReadLine()
		if err != nil {
			return "", err
		}
		b = append(b, frag...)
		if len(b) > maxInfoLine {
			return "", fmt.Errorf("a line of the remote host's description is longer than %d bytes", maxInfoLine)
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// Description is the pcapng if_description for a remote interface: what
// the host said of it, with the offloads in the form the hints read back.
func (h *HostInfo) Description(t Target) string { return h.describe(t, nil) }

// describe is Description with the offloads given, when a remote wirelens
// already read them from the kernel.
func (h *HostInfo) describe(t Target, off *live.Offloads) string {
	var parts []string
	parts = append(parts, "remote "+t.Host+" via "+h.Tool)
	if h.Uname != "" {
		parts = append(parts, h.Uname)
	}
	if i := h.Iface(t.Iface); i != nil {
		if i.Driver != "" {
			parts = append(parts, "driver "+i.Driver)
		}
		if i.Kind != "" {
			parts = append(parts, "kind "+i.Kind)
		}
		if i.MTU > 0 {
			parts = append(parts, "mtu "+strconv.Itoa(i.MTU))
		}
		if len(i.Addrs) > 0 {
			parts = append(parts, strings.Join(i.Addrs, " "))
		}
		o := i.Offloads
		if off != nil {
			o = *off
			if o.Driver == "" {
				o.Driver = i.Driver
			}
		}
		return live.OffloadDescription(strings.Join(parts, ", "), o)
	}
	if off != nil {
		return live.OffloadDescription(strings.Join(parts, ", "), *off)
	}
	return strings.Join(parts, ", ")
}
