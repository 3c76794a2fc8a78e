package decode

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wirelens/wirelens/decode/capfile"
)

func formatIPv6(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	return netip.AddrFrom16([16]byte(b)).String()
}

func formatIPv4(u uint32) string {
	var buf [15]byte
	out := strconv.AppendUint(buf[:0], uint64(u>>24), 10)
	out = append(out, '.')
	out = strconv.AppendUint(out, uint64(u>>16&0xff), 10)
	out = append(out, '.')
	out = strconv.AppendUint(out, uint64(u>>8&0xff), 10)
	out = append(out, '.')
	out = strconv.AppendUint(out, uint64(u&0xff), 10)
	return string(out)
}

func formatMAC(b []byte) string {
	if len(b) != 6 {
		return formatBytes(b, ":")
	}
	// Every Ethernet frame's summary formats two: one allocation each.
	var s [17]byte
	for i, c := range b {
		if i > 0 {
			s[3*i-1] = ':'
		}
		s[3*i], s[3*i+1] = "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15]
	}
	return string(s[:])
}

// formatBytes writes bytes as tshark does: lowercase hex, sep between bytes.
func formatBytes(b []byte, sep string) string {
	if sep == "" {
		return hex.EncodeToString(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) * (2 + len(sep)))
	for i, c := range b {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteByte("0123456789abcdef"[c>>4])
		sb.WriteByte("0123456789abcdef"[c&15])
	}
	return sb.String()
}

// notRepresentable is what tshark prints for a time it cannot show.
const notRepresentable = "Not representable"

// splitNs is |ns| in whole seconds and nanoseconds, and whether ns < 0,
// without overflowing on the most negative value.
func splitNs(ns int64) (sec, frac uint64, neg bool) {
	u := uint64(ns)
	if ns < 0 {
		u, neg = -u, true
	}
	return u / 1e9, u % 1e9, neg
}

// formatRel writes a duration in seconds with nine decimals, as tshark does
// for frame.time_relative and frame.time_delta.
func formatRel(ns int64) string {
	if ns == capfile.TimeNotRepresentable {
		return notRepresentable
	}
	sec, frac, neg := splitNs(ns)
	s := fmt.Sprintf("%d.%09d", sec, frac)
	if neg {
		return "-" + s
	}
	return s
}

// formatAbs writes an absolute time as Wireshark's "Arrival Time" does, in
// local time like tshark.
func formatAbs(ns int64) string {
	if ns == capfile.TimeNotRepresentable {
		return notRepresentable
	}
	t := time.Unix(0, ns)
	return t.Format("Jan _2, 2006 15:04:05.") + fmt.Sprintf("%09d", t.Nanosecond()) + " " + t.Format("MST")
}

func formatEpoch(ns int64) string {
	return formatRel(ns)
}

// bitPattern writes Wireshark's bit picture of a field inside its
// container, e.g. "0100 ...." for the IPv4 version in the first byte.
func bitPattern(u, mask uint64, width int) string {
	shift := 0
	for mask != 0 && mask&(1<<shift) == 0 {
		shift++
	}
	raw := u << shift
	var sb strings.Builder
	for i := width - 1; i >= 0; i-- {
		switch {
		case mask&(1<<i) == 0:
			sb.WriteByte('.')
		case raw&(1<<i) != 0:
			sb.WriteByte('1')
		default:
			sb.WriteByte('0')
		}
		if i > 0 && i%4 == 0 {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// bitLine is the tree line of a bitfield: pattern, label, value.
func bitLine(f *Field) string {
	d := f.Def
	return bitPattern(f.U, d.Bitmask, d.Bits) + " = " + d.Label + ": " + f.DisplayValue()
}

// flagLine is the tree line of a one-bit flag: "..1. .... = Don't fragment: Set".
func flagLine(f *Field) string {
	set := "Not set"
	if f.U != 0 {
		set = "Set"
	}
	return bitPattern(f.U, f.Def.Bitmask, f.Def.Bits) + " = " + f.Def.Label + ": " + set
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
