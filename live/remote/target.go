// Package remote captures on other hosts through the system's ssh client:
// it runs wirelens, tcpdump or dumpcap there, reads back the capture stream
// and turns it into pcapng whose interface description carries what the
// remote host says of its interface (offloads, driver, MTU, kernel), so the
// offload hints on a remote capture name the remote NIC's settings.
//
// The system ssh is used on purpose, not a Go SSH library: ~/.ssh/config,
// agents, ProxyJump, known_hosts and hardware keys then work exactly as the
// user has set them up.
package remote

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Target is one remote interface: ssh://[user@]host[:port]/IFACE.
type Target struct {
	User  string
	Host  string
	Port  int    // 0: ssh's own default (or ~/.ssh/config's)
	Iface string // "" when only the host is named (-D ssh://host)
}

// Scheme prefixes a remote target on the command line.
const Scheme = "ssh://"

// IsTarget reports whether s names a remote capture rather than a local
// interface.
func IsTarget(s string) bool { return strings.HasPrefix(s, Scheme) }

// ParseTarget reads ssh://[user@]host[:port][/IFACE]. IPv6 literals go in
// brackets, as in URLs: ssh://[fd00::1]:2222/eth0. The interface name is
// checked against what Linux allows (at most 15 bytes, no slash or space)
// so it can never be anything but a name in the remote shell.
func ParseTarget(s string) (Target, error) {
	var t Target
	if !IsTarget(s) {
		return t, fmt.Errorf("remote target %q: want ssh://[user@]host[:port]/INTERFACE", s)
	}
	rest := s[len(Scheme):]
	hostPart, iface, _ := strings.Cut(rest, "/")
	if u, h, ok := strings.Cut(hostPart, "@"); ok {
		if u == "" || !wordChars(u, "._-+") || strings.HasPrefix(u, "-") {
			return t, fmt.Errorf("remote target %q: %q is not a user name", s, u)
		}
		t.User, hostPart = u, h
	}
	host, port := hostPart, ""
	if strings.HasPrefix(hostPart, "[") {
		end := strings.IndexByte(hostPart, ']')
		if end < 0 {
			return t, fmt.Errorf("remote target %q: unclosed [ in the host", s)
		}
		host = hostPart[1:end]
		if r := hostPart[end+1:]; r != "" {
			if !strings.HasPrefix(r, ":") {
				return t, fmt.Errorf("remote target %q: unexpected %q after the host", s, r)
			}
			port = r[1:]
		}
	} else if strings.Count(hostPart, ":") > 1 {
		return t, fmt.Errorf("remote target %q: %q is not a host name (an IPv6 address goes in brackets: ssh://[%s]/IFACE)", s, hostPart, hostPart)
	} else if h, p, ok := strings.Cut(hostPart, ":"); ok {
		host, port = h, p
	}
	if host == "" {
		return t, fmt.Errorf("remote target %q: no host", s)
	}
	// ssh takes a leading "-" as an option: a host must never be one.
	if strings.HasPrefix(host, "-") || !wordChars(host, ".-_:%") {
		return t, fmt.Errorf("remote target %q: %q is not a host name", s, host)
	}
	if ip := net.ParseIP(host); ip == nil && strings.Contains(host, ":") {
		return t, fmt.Errorf("remote target %q: %q is not a host name (an IPv6 address goes in brackets)", s, host)
	}
	t.Host = host
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return t, fmt.Errorf("remote target %q: %q is not a port", s, port)
		}
		t.Port = n
	}
	if iface != "" {
		if err := checkIface(iface); err != nil {
			return t, fmt.Errorf("remote target %q: %w", s, err)
		}
	}
	t.Iface = iface
	return t, nil
}

// checkIface accepts what Linux accepts as an interface name (dev_valid_name)
// less the characters a shell would read as anything but a word.
func checkIface(s string) error {
	if len(s) > 15 {
		return fmt.Errorf("interface name %q is longer than 15 bytes", s)
	}
	if s == "." || s == ".." {
		return fmt.Errorf("%q is not an interface name", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '+'
		if !ok || i == 0 && c == '-' {
			return fmt.Errorf("%q is not an interface name", s)
		}
	}
	return nil
}

// wordChars reports whether s is letters, digits and the extra bytes only:
// what reaches ssh's command line and the remote shell stays a plain word.
func wordChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// String gives the target back in its ssh:// form.
func (t Target) String() string {
	var b strings.Builder
	b.WriteString(Scheme)
	if t.User != "" {
		b.WriteString(t.User + "@")
	}
	h := t.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	b.WriteString(h)
	if t.Port != 0 {
		b.WriteString(":" + strconv.Itoa(t.Port))
	}
	if t.Iface != "" {
		b.WriteString("/" + t.Iface)
	}
	return b.String()
}

// Name is how frames' interface is named in the pcapng: host:iface, so a
// merged view of two hosts tells them apart.
func (t Target) Name() string { return t.Host + ":" + t.Iface }

// sshArgs are the arguments that reach ssh before the remote command.
func (t Target) sshArgs() []string {
	var a []string
	if t.Port != 0 {
		a = append(a, "-p", strconv.Itoa(t.Port))
	}
	if t.User != "" {
		a = append(a, "-l", t.User)
	}
	// "--" ends ssh's options: the host is never read as one.
	return append(a, "--", t.Host)
}
