package live

import (
	"net"
	"net/netip"
	"strings"

	"github.com/safchain/ethtool"
)

// Offloads are the offload features of an interface that change what a
// capture shows: with transmit checksum offload sent frames carry only the
// pseudo-header sum; with TSO/GSO sent frames are bigger than the MTU; with
// GRO/LRO received frames are merged before the capture sees them.
type Offloads struct {
	RxChecksum bool // rx-checksumming: the device verifies received checksums
	TxChecksum bool // tx-checksumming: the device fills in sent checksums
	TSO        bool // tcp-segmentation-offload
	GSO        bool // generic-segmentation-offload
	GRO        bool // generic-receive-offload
	LRO        bool // large-receive-offload
	SG         bool // scatter-gather
	// The features overlays depend on (kernel names): segmentation and
	// checksum offload of encapsulated packets (a tunnel device hands the
	// inner checksum to the NIC), UDP segmentation and coalescing.
	UDPTnlSeg     bool // tx-udp_tnl-segmentation: VXLAN/Geneve packets segmented by the device
	UDPTnlCsumSeg bool // tx-udp_tnl-csum-segmentation: the same with the outer UDP checksum
	GRESeg        bool // tx-gre-segmentation
	GRECsumSeg    bool // tx-gre-csum-segmentation
	UDPSeg        bool // tx-udp-segmentation: UDP GSO
	GROList       bool // rx-gro-list: received packets chained, not merged
	UDPGROFwd     bool // rx-udp-gro-forwarding: UDP GRO for forwarded traffic
	CsumIPGeneric bool // tx-checksum-ip-generic: any IP protocol's checksum, inner ones included
	Known         bool // false: the kernel would not say (the other fields mean nothing)
	// Driver is the interface's driver as ethtool -i names it (veth, tun,
	// bridge, e1000e ...): whether the frames came off a wire at all.
	Driver string
}

// offloadNames is the order and the names of Offloads.String, which
// ParseOffloadDescription reads back: ethtool -k's short flags, then the
// overlay features under their kernel names (the hints name them so).
var offloadNames = []string{"rx-csum", "tx-csum", "tso", "gso", "gro", "lro", "sg",
	"tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "tx-gre-segmentation", "tx-gre-csum-segmentation",
	"tx-udp-segmentation", "rx-gro-list", "rx-udp-gro-forwarding", "tx-checksum-ip-generic"}

// legacyOffloads is how many of offloadNames captures made before the
// overlay features were recorded carry.
const legacyOffloads = 7

func (o *Offloads) fields() []*bool {
	return []*bool{&o.RxChecksum, &o.TxChecksum, &o.TSO, &o.GSO, &o.GRO, &o.LRO, &o.SG,
		&o.UDPTnlSeg, &o.UDPTnlCsumSeg, &o.GRESeg, &o.GRECsumSeg, &o.UDPSeg, &o.GROList, &o.UDPGROFwd, &o.CsumIPGeneric}
}

// tunnelFeatures are the kernel features recorded as they are named.
var tunnelFeatures = func() map[string]int {
	m := map[string]int{}
	for i := legacyOffloads; i < len(offloadNames); i++ {
		m[offloadNames[i]] = i
	}
	return m
}()

// String gives the features in short ethtool -k style, "!" marking those off:
// "rx-csum tx-csum tso gso !gro !lro sg !tx-udp_tnl-segmentation ...
// tx-checksum-ip-generic"; "unknown" when not Known.
func (o Offloads) String() string {
	if !o.Known {
		return "unknown"
	}
	var b strings.Builder
	for i, f := range o.fields() {
		if i > 0 {
			b.WriteByte(' ')
		}
		if !*f {
			b.WriteByte('!')
		}
		b.WriteString(offloadNames[i])
	}
	return b.String()
}

// offloadsFromFeatures folds the kernel's feature names (as ETHTOOL_GFEATURES
// gives them) into the flags ethtool -k prints, with ethtool's rule: a flag
// covering several features is on when any of them is.
func offloadsFromFeatures(f map[string]bool) Offloads {
	o := Offloads{Known: true}
	fs := o.fields()
	for name, on := range f {
		if !on {
			continue
		}
		if i, ok := tunnelFeatures[name]; ok {
			*fs[i] = true // and tx-checksum-ip-generic counts for tx-csum too, below
		}
		switch {
		case name == "rx-checksum":
			o.RxChecksum = true
		case strings.HasPrefix(name, "tx-checksum-"):
			// ipv4, ip-generic, ipv6, sctp, fcoe-crc: ethtool's "tx-checksum-*".
			o.TxChecksum = true
		case strings.HasPrefix(name, "tx-tcp") && strings.HasSuffix(name, "-segmentation"):
			// tcp, tcp-ecn, tcp-mangleid, tcp6: ethtool's "tx-tcp*-segmentation".
			o.TSO = true
		case name == "tx-generic-segmentation":
			o.GSO = true
		case name == "rx-gro":
			o.GRO = true
		case name == "rx-lro":
			o.LRO = true
		case name == "tx-scatter-gather":
			o.SG = true
		}
	}
	return o
}

// OffloadsOf reads the offload features of one interface through the
// kernel's ethtool ioctl (no privilege needed, no ethtool command).
func OffloadsOf(ifname string) (Offloads, error) {
	e, err := ethtool.NewEthtool()
	if err != nil {
		return Offloads{}, &Error{ifname, "opening an ethtool socket", err}
	}
	defer e.Close()
	f, err := e.Features(ifname)
	if err != nil {
		return Offloads{}, &Error{ifname, "reading offload features", err}
	}
	o := offloadsFromFeatures(f)
	if drv, err := e.DriverName(ifname); err == nil {
		o.Driver = drv
	}
	return o, nil
}

// IfaceInfo describes one interface for wirelens -D and for the pcapng
// interface description.
type IfaceInfo struct {
	Index        int
	Name         string
	Addrs        []netip.Prefix
	HardwareAddr net.HardwareAddr
	Up           bool // administratively up (IFF_UP)
	Running      bool // carrier present (IFF_RUNNING)
	Loopback     bool
	MTU          int
	Offloads     Offloads // Known is false when the kernel would not say
}

// Interfaces lists the interfaces of the calling thread's network namespace
// in index order. The "any" pseudo-interface is not in the list.
func Interfaces() ([]IfaceInfo, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, &Error{"any", "listing interfaces", err}
	}
	// One ethtool socket for all of them; without it offloads stay unknown.
	e, eerr := ethtool.NewEthtool()
	if eerr == nil {
		defer e.Close()
	}
	out := make([]IfaceInfo, 0, len(ifs))
	for _, ifc := range ifs {
		info := IfaceInfo{
			Index:        ifc.Index,
			Name:         ifc.Name,
			HardwareAddr: ifc.HardwareAddr,
			Up:           ifc.Flags&net.FlagUp != 0,
			Running:      ifc.Flags&net.FlagRunning != 0,
			Loopback:     ifc.Flags&net.FlagLoopback != 0,
			MTU:          ifc.MTU,
		}
		if addrs, err := ifc.Addrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					ip, _ := netip.AddrFromSlice(ipn.IP)
					ones, _ := ipn.Mask.Size()
					info.Addrs = append(info.Addrs, netip.PrefixFrom(ip.Unmap(), ones))
				}
			}
		}
		if eerr == nil {
			if f, err := e.Features(ifc.Name); err == nil {
				info.Offloads = offloadsFromFeatures(f)
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// offloadPrefix starts the offload list in an IDB's if_description.
const offloadPrefix = "wirelens: offloads "

// driverPrefix starts the driver's name in an IDB's if_description
// (decode reads it: a partial checksum received on a physical NIC is a
// fault, on a virtual device it is not).
const driverPrefix = "wirelens: driver "

// OffloadDescription is the if_description text the Writer stores for an
// interface: desc (if any) followed by the offloads.
func OffloadDescription(desc string, o Offloads) string {
	if !o.Known {
		return desc
	}
	drv := ""
	if o.Driver != "" && !strings.ContainsAny(o.Driver, "() ") {
		drv = " (" + driverPrefix + o.Driver + ")"
	}
	if desc == "" {
		return offloadPrefix + o.String() + drv
	}
	return desc + " (" + offloadPrefix + o.String() + ")" + drv
}

// ParseOffloadDescription reads back the offloads from an if_description
// written by OffloadDescription; false when there are none or they do not
// parse.
func ParseOffloadDescription(desc string) (Offloads, bool) {
	i := strings.LastIndex(desc, offloadPrefix)
	if i < 0 {
		return Offloads{}, false
	}
	rest := desc[i+len(offloadPrefix):]
	if j := strings.IndexAny(rest, "()"); j >= 0 {
		rest = rest[:j]
	}
	toks := strings.Fields(rest)
	if len(toks) != len(offloadNames) && len(toks) != legacyOffloads {
		return Offloads{}, false // (an older capture has only the first seven)
	}
	o := Offloads{Known: true}
	for i, f := range o.fields()[:len(toks)] {
		t := toks[i]
		on := true
		if strings.HasPrefix(t, "!") {
			on, t = false, t[1:]
		}
		if t != offloadNames[i] {
			return Offloads{}, false
		}
		*f = on
	}
	if j := strings.LastIndex(desc, driverPrefix); j >= 0 {
		drv := desc[j+len(driverPrefix):]
		if k := strings.IndexByte(drv, ')'); k >= 0 {
			o.Driver = drv[:k]
		}
	}
	return o, true
}

// ethtoolLegacy maps the names `ethtool -k` prints for its summary flags to
// the kernel feature they stand for.
var ethtoolLegacy = map[string]string{
	"rx-checksumming":              "rx-checksum",
	"scatter-gather":               "tx-scatter-gather",
	"generic-segmentation-offload": "tx-generic-segmentation",
	"generic-receive-offload":      "rx-gro",
	"large-receive-offload":        "rx-lro",
}

// OffloadsFromEthtool reads the lines `ethtool -k IFACE` prints ("name: on",
// "tx-checksum-ipv4: off [fixed]"), for interfaces wirelens cannot ask
// directly: those of a remote host. No feature line means unknown.
func OffloadsFromEthtool(lines []string) Offloads {
	f := map[string]bool{}
	for _, l := range lines {
		name, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if !ok || strings.Contains(name, " ") {
			continue // "Features for eth0:" and the like
		}
		on := strings.HasPrefix(strings.TrimSpace(v), "on")
		if k, ok := ethtoolLegacy[name]; ok {
			name = k
		}
		f[name] = f[name] || on
	}
	if len(f) == 0 {
		return Offloads{}
	}
	return offloadsFromFeatures(f)
}
