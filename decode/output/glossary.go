package output

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/prefs"
)

// WriteGlossary writes tshark's -G reports: "fields" (the default, in
// tshark's tab-separated layout: P lines for protocols, F lines for
// fields), "protocols", and "currentprefs"/"defaultprefs".
func WriteGlossary(out io.Writer, report string) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	switch report {
	case "", "fields":
		writeFields(w)
	case "protocols":
		for _, d := range decode.Fields() {
			if d.Type == decode.FTProtocol {
				fmt.Fprintf(w, "%s\t%s\t%s\n", d.Label, shortName(d), d.Name)
			}
		}
	case "currentprefs", "defaultprefs":
		p := prefs.Default()
		for _, n := range prefs.Names() {
			v, _ := p.Get(n)
			fmt.Fprintf(w, "#%s: %s\n", n, v)
		}
	default:
		return fmt.Errorf("invalid -G report %q: wirelens has fields, protocols, currentprefs and defaultprefs", report)
	}
	return nil
}

// shortName is the protocol's short name (the Protocol column's word).
func shortName(d *decode.FieldDef) string {
	return strings.ToUpper(d.Name)
}

// writeFields lists every protocol followed by its fields, as
// tshark -G fields does.
func writeFields(w *bufio.Writer) {
	all := decode.Fields()
	byProto := map[string][]*decode.FieldDef{}
	var protos []*decode.FieldDef
	for _, d := range all {
		if d.Type == decode.FTProtocol {
			protos = append(protos, d)
			continue
		}
		p, _, _ := strings.Cut(d.Name, ".")
		byProto[p] = append(byProto[p], d)
	}
	sort.Slice(protos, func(i, j int) bool { return protos[i].Name < protos[j].Name })
	seen := map[string]bool{}
	for _, p := range protos {
		seen[p.Name] = true
		fmt.Fprintf(w, "P\t%s\t%s\n", p.Label, p.Name)
		for _, d := range byProto[p.Name] {
			writeFieldLine(w, d, p.Name)
		}
	}
	// Fields under a prefix that is not itself a registered protocol
	// (_ws.*, wirelens.*) still get their lines.
	var rest []string
	for p := range byProto {
		if !seen[p] {
			rest = append(rest, p)
		}
	}
	sort.Strings(rest)
	for _, p := range rest {
		for _, d := range byProto[p] {
			writeFieldLine(w, d, p)
		}
	}
}

func writeFieldLine(w *bufio.Writer, d *decode.FieldDef, parent string) {
	fmt.Fprintf(w, "F\t%s\t%s\t%s\t%s\t%s\t0x%x\t\n", d.Label, d.Name, ftName(d), parent, baseName(d), d.Bitmask)
}

// ftName is Wireshark's FT_ name for the field's type.
func ftName(d *decode.FieldDef) string {
	switch d.Type {
	case decode.FTNone:
		return "FT_NONE"
	case decode.FTProtocol:
		return "FT_PROTOCOL"
	case decode.FTUint:
		switch {
		case d.Bits > 0 && d.Bits <= 8:
			return "FT_UINT8"
		case d.Bits > 0 && d.Bits <= 16:
			return "FT_UINT16"
		case d.Bits > 32:
			return "FT_UINT64"
		}
		return "FT_UINT32"
	case decode.FTInt:
		return "FT_INT32"
	case decode.FTBool:
		return "FT_BOOLEAN"
	case decode.FTIPv4:
		return "FT_IPv4"
	case decode.FTIPv6:
		return "FT_IPv6"
	case decode.FTEther:
		return "FT_ETHER"
	case decode.FTString:
		return "FT_STRING"
	case decode.FTBytes:
		return "FT_BYTES"
	case decode.FTAbsTime:
		return "FT_ABSOLUTE_TIME"
	case decode.FTRelTime:
		return "FT_RELATIVE_TIME"
	case decode.FTFloat:
		return "FT_DOUBLE"
	}
	return "FT_NONE"
}

// baseName is the display base column: BASE_ names for integers, the
// parent's width for flags, empty for the rest.
func baseName(d *decode.FieldDef) string {
	switch d.Type {
	case decode.FTUint, decode.FTInt:
		switch d.Base {
		case decode.BaseHex:
			return "BASE_HEX"
		case decode.BaseDecHex:
			return "BASE_DEC_HEX"
		case decode.BaseHexDec:
			return "BASE_HEX_DEC"
		}
		return "BASE_DEC"
	case decode.FTBool:
		if d.Bitmask == 0 {
			return "0"
		}
		return fmt.Sprint(d.Bits)
	}
	return ""
}
