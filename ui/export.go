package ui

import (
	"fmt"
	"strconv"
	"strings"
)

// Export (x) is Wireshark's File > Export Specified Packets: the save
// dialog (save.go, shared with Ctrl-S) titled for it, from any capture
// (file, standard input, live), offering all, displayed, marked or a range
// of packet numbers, written as pcapng or pcap by Options.Save.

// openExport is x.
func (v *view) openExport() { v.openSaveAs("Export packets") }

// parseRange reads a packet range as Wireshark's "Packet Range" takes it:
// packet numbers (1-based) and spans, comma separated: "10-200,305",
// "-5" (1 to 5), "80-" (80 to the last). It returns the frame indices
// (0-based) in order without repeats; n is the number of packets.
func parseRange(s string, n int) ([]int, error) {
	text := strings.TrimSpace(s)
	if text == "" {
		return nil, uiError("give a range of packets, such as 10-200,305")
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("range %q: %s", text, fmt.Sprintf(format, a...))
	}
	in := make([]bool, n)
	num := func(p string, def int) (int, error) {
		p = strings.TrimSpace(p)
		if p == "" {
			return def, nil
		}
		k, err := strconv.Atoi(p)
		if err != nil || k < 1 {
			return 0, bad("%q is not a packet number", p)
		}
		if k > n {
			return 0, bad("packet %d is past the last one (%d)", k, n)
		}
		return k, nil
	}
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi := part, part
		if a, b, ok := strings.Cut(part, "-"); ok {
			lo, hi = a, b
			if strings.TrimSpace(a) == "" && strings.TrimSpace(b) == "" {
				return nil, bad("%q has no packet numbers", part)
			}
		}
		from, err := num(lo, 1)
		if err != nil {
			return nil, err
		}
		to, err := num(hi, n)
		if err != nil {
			return nil, err
		}
		if from > to {
			return nil, bad("%q runs backwards", part)
		}
		for k := from; k <= to; k++ {
			in[k-1] = true
		}
	}
	var out []int
	for i, ok := range in {
		if ok {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, bad("no packets")
	}
	return out, nil
}
