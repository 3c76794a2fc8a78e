package live

import (
	"strings"
	"testing"
)

func TestOffloadsString(t *testing.T) {
	o := Offloads{RxChecksum: true, TxChecksum: true, TSO: true, GSO: true, SG: true, Known: true}
	if got, want := o.String(), "rx-csum tx-csum tso gso !gro !lro sg !tx-udp_tnl-segmentation !tx-udp_tnl-csum-segmentation !tx-gre-segmentation !tx-gre-csum-segmentation !tx-udp-segmentation !rx-gro-list !rx-udp-gro-forwarding !tx-checksum-ip-generic"; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
	// Captures made before the overlay features were recorded carry the
	// first seven: read as they are, the others off.
	if back, ok := ParseOffloadDescription("wirelens: offloads rx-csum tx-csum tso gso !gro !lro sg"); !ok || back != o {
		t.Fatalf("seven-flag description: %+v %v", back, ok)
	}
	ov := Offloads{Known: true, TxChecksum: true, UDPTnlCsumSeg: true, GRESeg: true, CsumIPGeneric: true, GROList: true}
	if back, ok := ParseOffloadDescription(OffloadDescription("", ov)); !ok || back != ov {
		t.Fatalf("overlay features: %+v %v from %q", back, ok, OffloadDescription("", ov))
	}
	if got := (Offloads{}).String(); got != "unknown" {
		t.Fatalf("unknown: %q", got)
	}
	for _, desc := range []string{OffloadDescription("", o), OffloadDescription("uplink", o)} {
		back, ok := ParseOffloadDescription(desc)
		if !ok || back != o {
			t.Fatalf("ParseOffloadDescription(%q) = %+v, %v", desc, back, ok)
		}
	}
	for _, bad := range []string{"", "uplink", "wirelens: offloads rx-csum", "wirelens: offloads rx-csum tx-csum tso gso gro lro xx"} {
		if _, ok := ParseOffloadDescription(bad); ok {
			t.Errorf("ParseOffloadDescription(%q) accepted", bad)
		}
	}
	if d := OffloadDescription("eth0 uplink", Offloads{}); d != "eth0 uplink" {
		t.Fatalf("unknown offloads changed the description: %q", d)
	}
}

func TestOffloadsFromFeatures(t *testing.T) {
	o := offloadsFromFeatures(map[string]bool{
		"rx-checksum": false, "tx-checksum-ipv4": false, "tx-checksum-ip-generic": true,
		"tx-tcp-segmentation": false, "tx-tcp6-segmentation": true, "tx-generic-segmentation": true,
		"rx-gro": false, "rx-lro": false, "tx-scatter-gather": true, "tx-udp-segmentation": true,
	})
	want := Offloads{TxChecksum: true, TSO: true, GSO: true, SG: true, UDPSeg: true, CsumIPGeneric: true, Known: true}
	if o != want {
		t.Fatalf("got %+v, want %+v", o, want)
	}
}

// TestInterfacesLoopback needs no privilege: lo exists in every namespace and
// the ethtool ioctl answers anyone.
func TestInterfacesLoopback(t *testing.T) {
	ifs, err := Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ifs {
		if i.Loopback {
			if !i.Offloads.Known || i.Index <= 0 || i.MTU <= 0 {
				t.Fatalf("lo: %+v", i)
			}
			if want := ethtoolK(t, "", i.Name); want != nil && *want != i.Offloads {
				t.Fatalf("%s: Interfaces says %v, ethtool -k says %v", i.Name, i.Offloads, *want)
			}
			return
		}
	}
	t.Skip("no loopback interface here")
}

func TestOffloadDescriptionDriver(t *testing.T) {
	o := Offloads{Known: true, TxChecksum: true, TSO: true, Driver: "tun"}
	for _, desc := range []string{"", "uplink"} {
		d := OffloadDescription(desc, o)
		if !strings.Contains(d, "(wirelens: driver tun)") {
			t.Errorf("%q: no driver in %q", desc, d)
		}
		back, ok := ParseOffloadDescription(d)
		back.Driver = o.Driver
		if !ok || back != o {
			t.Errorf("%q: read back %+v %v from %q, want %+v", desc, back, ok, d, o)
		}
	}
}
