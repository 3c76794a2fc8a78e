package suggest

import (
	"reflect"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"tcp", "tcp", 0}, {"tcp", "udp", 2}, {"tcp.chekcsum", "tcp.checksum", 1},
		{"ip.src", "ip.dst", 3}, {"", "abc", 3}, {"abc", "", 3}, {"ab", "ba", 1},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"tcp.checksum", "tcp.checksum.status", "udp.checksum", "tcp.check_checksum", "ip.checksum"}
	for _, c := range []struct {
		name    string
		maxDist int
		want    []string
	}{
		{"tcp.chksum", 2, []string{"tcp.checksum"}},
		{"TCP.CHECKSUM", 2, []string{"tcp.checksum"}},
		{"xcp.checksum", 1, []string{"tcp.checksum"}},
		{"sctp.checksum", 1, nil}, {"tcp.chekcsum", 1, []string{"tcp.checksum"}},
		{"nothing.like.it", 2, nil},
	} {
		if got := Nearest(c.name, names, c.maxDist, 3); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Nearest(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}
