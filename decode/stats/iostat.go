package stats

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/wirelens/wirelens/decode"
	"github.com/wirelens/wirelens/decode/filter"
)

// IOCalc is what an io,stat column computes, as tshark's calc_type_table.
type IOCalc int

// The io,stat functions; IOFramesBytes is a plain filter's column.
const (
	IOFrames IOCalc = iota
	IOBytes
	IOFramesBytes
	IOCount
	IOSum
	IOMin
	IOMax
	IOAvg
	IOLoad
)

var ioCalcNames = []string{"FRAMES", "BYTES", "FRAMES BYTES", "COUNT", "SUM", "MIN", "MAX", "AVG", "LOAD"}

// IOColumn is one io,stat column: the frames its filter matches, and the
// function computed over them.
type IOColumn struct {
	Text   string // as given ("" for frames and bytes of every frame)
	Calc   IOCalc
	Field  *decode.FieldDef // COUNT, SUM, MIN, MAX, AVG: the field
	Filter *filter.Filter   // nil: every frame
}

// IOCell is one interval of one column.
type IOCell struct {
	Frames uint64
	Num    uint64  // values seen (AVG)
	U      uint64  // bytes, count, or an integer/relative-time (ns) accumulator
	F      float64 // a float field's accumulator
}

// maxIOIntervals bounds the table: an interval of a microsecond over a
// day-long capture would otherwise grow without end.
const maxIOIntervals = 1 << 20

// IOStat is the computation behind -z io,stat (and an I/O graph): frames
// counted into fixed intervals of the capture's relative time, per
// column, as Wireshark's tap-iostat counts them. It is plain data.
type IOStat struct {
	Interval int64 // microseconds; math.MaxInt64 for the whole capture
	Prec     int   // decimals the interval was given with
	Cols     []IOColumn
	Cells    [][]IOCell // per column, per interval

	cur      []int // per column, the last interval that saw a frame
	maxVal   []uint64
	maxFrame []uint64
	lastRel  int64 // microseconds
	elapsed  int64 // ns: the latest relative time of any frame
	overflow bool
}

// newIOStat parses "io,stat,INTERVAL[,COLUMN...]" as tshark's iostat_init.
func newIOStat(arg string) (*IOStat, error) {
	bad := func(why string) error {
		return fmt.Errorf("invalid -z argument %q: %s (want io,stat,INTERVAL[,FILTER|FUNC(FIELD)FILTER]...)", arg, why)
	}
	rest := strings.TrimPrefix(arg, "io,stat,")
	if rest == arg || rest == "" || strings.HasSuffix(arg, ",") {
		return nil, bad("no interval, or a trailing comma")
	}
	ivText, cols, hasCols := strings.Cut(rest, ",")
	iv, err := strconv.ParseFloat(ivText, 64)
	if err != nil || iv < 0 || math.IsInf(iv, 0) || math.IsNaN(iv) {
		return nil, bad("the interval " + strconv.Quote(ivText) + " is not a number of seconds (0 or more)")
	}
	s := &IOStat{}
	if iv == 0 {
		s.Interval = math.MaxInt64
	} else {
		s.Interval = int64(iv*1e6 + 0.5)
		if s.Interval < 1 {
			return nil, bad("the interval must be at least 0.000001 seconds, or 0 for the whole capture")
		}
		s.Prec = 6
		for i := int64(10); i < 10000000; i *= 10 {
			if s.Interval%i > 0 {
				break
			}
			s.Prec--
		}
		if s.Prec == 0 {
			// "1.00": as many decimals as the user wrote.
			if _, frac, ok := strings.Cut(ivText, "."); ok && len(frac) > 0 {
				s.Prec = min(len(frac), 6)
			}
		}
	}
	if !hasCols {
		s.Cols = []IOColumn{{Calc: IOFramesBytes}}
	} else {
		// A filter may hold commas (in a set, a string, a slice): a
		// piece that does not compile is joined with the next, as
		// tshark retries at the next comma.
		pieces := strings.Split(cols, ",")
		for i := 0; i < len(pieces); i++ {
			text := strings.TrimSpace(pieces[i])
			var c IOColumn
			var err error
			for {
				c, err = parseIOColumn(text)
				if err == nil || i+1 >= len(pieces) {
					break
				}
				i++
				text = strings.TrimSpace(text + "," + pieces[i])
			}
			if err != nil {
				return nil, fmt.Errorf("invalid -z argument %q: %v", arg, err)
			}
			s.Cols = append(s.Cols, c)
		}
	}
	n := len(s.Cols)
	s.Cells = make([][]IOCell, n)
	s.cur = make([]int, n)
	s.maxVal = make([]uint64, n)
	s.maxFrame = make([]uint64, n)
	return s, nil
}

// parseIOColumn reads one column: a display filter, or FUNC(FIELD)FILTER.
func parseIOColumn(text string) (IOColumn, error) {
	c := IOColumn{Text: text, Calc: IOFramesBytes}
	if text == "" {
		return c, nil
	}
	flt := text
	for calc, name := range ioCalcNames {
		if calc == int(IOFramesBytes) || !strings.HasPrefix(text, name+"(") {
			continue
		}
		c.Calc = IOCalc(calc)
		p := text[len(name)+1:]
		field, after, ok := strings.Cut(p, ")")
		if !ok {
			return c, fmt.Errorf("%s: closing parenthesis missing from calculated expression", text)
		}
		flt = after
		switch c.Calc {
		case IOFrames, IOBytes:
			if field != "" {
				return c, fmt.Errorf("%s: %s does not require or allow a field name within the parens", text, name)
			}
		case IOLoad:
			return c, fmt.Errorf("%s: wirelens does not compute LOAD() (it needs response-time fields such as smb.time)", text)
		default:
			if field == "" {
				return c, fmt.Errorf("%s: you didn't specify a field name for %s(*)", text, name)
			}
			d, ok := decode.LookupField(field)
			if !ok {
				return c, fmt.Errorf("%s: there is no field named %q", text, field)
			}
			switch d.Type {
			case decode.FTUint, decode.FTInt, decode.FTFloat, decode.FTRelTime:
			default:
				if c.Calc != IOCount {
					return c, fmt.Errorf("%s: %s doesn't have integral values, so %s(*) calculations are not supported on it", text, field, name)
				}
			}
			c.Field = d
		}
		break
	}
	if flt != "" {
		f, err := filter.Compile(flt)
		if err != nil {
			return c, fmt.Errorf("filter %q: %v", flt, err)
		}
		c.Filter = f
	}
	return c, nil
}

// Fields: the whole tree (columns filter on any field).
func (s *IOStat) Fields() []*decode.FieldDef { return nil }

// Packet counts one frame into every column whose filter it passes.
func (s *IOStat) Packet(fr *decode.Frame, d *decode.Dissection) {
	if fr.RelTime > s.elapsed {
		s.elapsed = fr.RelTime
	}
	var rel int64
	if fr.RelTime >= 0 {
		rel = fr.RelTime/1e9*1e6 + (fr.RelTime%1e9+500)/1000
		s.lastRel = rel
	} else {
		rel = s.lastRel
	}
	idx := 0
	if s.Interval != math.MaxInt64 {
		idx = int(rel / s.Interval)
	}
	for j := range s.Cols {
		c := &s.Cols[j]
		if c.Filter != nil && !c.Filter.Match(d) {
			continue
		}
		// A frame earlier than the last interval seen counts in that
		// interval, as tap-iostat's list only grows forwards.
		k := max(idx, s.cur[j])
		if k >= maxIOIntervals {
			s.overflow = true
			return
		}
		for len(s.Cells[j]) <= k {
			s.Cells[j] = append(s.Cells[j], IOCell{})
		}
		s.cur[j] = k
		it := &s.Cells[j][k]
		it.Frames++
		s.add(c, it, d, fr)
		s.track(j, c, it)
	}
}

func (s *IOStat) add(c *IOColumn, it *IOCell, d *decode.Dissection, fr *decode.Frame) {
	switch c.Calc {
	case IOFrames, IOBytes, IOFramesBytes:
		it.U += uint64(fr.Record.OrigLen)
		return
	}
	first := true
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Def != c.Field {
			continue
		}
		isFloat := c.Field.Type == decode.FTFloat
		v, fv := f.U, f.Float()
		switch c.Calc {
		case IOCount:
			it.U++
		case IOSum:
			if isFloat {
				it.F += fv
			} else {
				it.U += v
			}
		case IOMin:
			start := it.Frames == 1 && first
			switch {
			case isFloat:
				if start || fv < it.F {
					it.F = fv
				}
			case c.Field.Type == decode.FTInt || c.Field.Type == decode.FTRelTime:
				if start || int64(v) < int64(it.U) {
					it.U = v
				}
			default:
				if start || v < it.U {
					it.U = v
				}
			}
		case IOMax:
			switch {
			case isFloat:
				if fv > it.F {
					it.F = fv
				}
			case c.Field.Type == decode.FTInt || c.Field.Type == decode.FTRelTime:
				if int64(v) > int64(it.U) {
					it.U = v
				}
			default:
				if v > it.U {
					it.U = v
				}
			}
		case IOAvg:
			it.Num++
			if isFloat {
				it.F += fv
			} else {
				it.U += v
			}
		}
		first = false
	}
}

// track keeps each column's widest value, which sizes the column.
func (s *IOStat) track(j int, c *IOColumn, it *IOCell) {
	switch c.Calc {
	case IOFrames, IOFramesBytes:
		s.maxFrame[j] = max(s.maxFrame[j], it.Frames)
		s.maxVal[j] = max(s.maxVal[j], it.U)
	case IOBytes, IOCount:
		s.maxVal[j] = max(s.maxVal[j], it.U)
	case IOSum, IOMin, IOMax:
		if c.Field.Type == decode.FTFloat {
			s.maxVal[j] = max(s.maxVal[j], uint64(it.F+0.5))
		} else {
			s.maxVal[j] = max(s.maxVal[j], it.U)
		}
	case IOAvg:
		if it.Num == 0 {
			return
		}
		switch c.Field.Type {
		case decode.FTFloat:
			s.maxVal[j] = max(s.maxVal[j], uint64(it.F)/it.Num)
		case decode.FTRelTime:
			s.maxVal[j] = max(s.maxVal[j], (it.U/it.Num+500000000)/1000000000)
		default:
			s.maxVal[j] = max(s.maxVal[j], it.U/it.Num)
		}
	}
}

func magnitude(v uint64, maxW int) int {
	m := 0
	for i := 0; i < maxW; i++ {
		m++
		if v /= 10; v == 0 {
			break
		}
	}
	return m
}

// printCenter is tap-iostat's printcenter: a label centred in a column,
// or nothing at all when the column is much wider than the label.
func printCenter(b *strings.Builder, label string, lenval int) {
	const spaces = "      "
	lenlab := len(label)
	n := len(spaces) - ((lenval-lenlab)/2 + 1)
	switch {
	case n > 0 && n < 6:
		sp := spaces[n:]
		if (lenval-lenlab)%2 == 0 {
			b.WriteString(sp + label + sp + "|")
		} else {
			b.WriteString(" " + sp + label + sp + "|")
		}
	case n > 0 && n <= 15:
		b.WriteString(label + "|")
	}
}

// Write draws the table as tshark 4.0's iostat_draw, for relative times.
func (s *IOStat) Write(w io.Writer) {
	if s.overflow {
		fmt.Fprintf(w, "\nwirelens: -z io,stat: more than %d intervals; give a larger interval\n", maxIOIntervals)
		return
	}
	us := s.elapsed/1e9*1e6 + (s.elapsed%1e9+500)/1000
	duration := uint64(us)
	ivl := uint64(s.Interval)
	whole := false
	if ivl > duration || s.Interval == math.MaxInt64 {
		ivl = duration
		whole = true
	}
	durMag := magnitude(duration/1e6, 5)
	ivlMag := magnitude(ivl/1e6, 5)
	prec := s.Prec
	var borderlen int
	if ivl == duration {
		switch {
		case durMag >= 2:
			prec = 1
		case durMag == 1:
			prec = 3
		default:
			prec = 6
		}
		borderlen = 30 + durMag + precWidth(prec)
	} else {
		borderlen = 25 + max(ivlMag, durMag) + precWidth(prec)
	}
	dv := uint64(1000000)
	for i := 0; i < prec; i++ {
		dv /= 10
	}
	if duration%dv > 5*(dv/10) {
		duration += 5 * (dv / 10)
		duration = duration / dv * dv
		durMag = magnitude(duration/1e6, 5)
	}
	if whole {
		ivl = duration
	}
	var ivlColW int
	if prec == 0 {
		ivlColW = 2*durMag + 8
	} else {
		ivlColW = 2*durMag + 2*prec + 10
	}
	ivlColW = max(ivlColW, 12)

	type colFmt struct{ fr, val int }
	cw := make([]colFmt, len(s.Cols))
	tabrow := ivlColW
	for j, c := range s.Cols {
		namelen := len(ioCalcNames[c.Calc])
		if c.Calc == IOFramesBytes {
			namelen = 5
		}
		switch c.Calc {
		case IOFrames, IOFramesBytes:
			cw[j].fr = max(6, magnitude(s.maxFrame[j], 15))
			tabrow += cw[j].fr + 3
			if c.Calc == IOFramesBytes {
				cw[j].val = max(5, magnitude(s.maxVal[j], 15))
				tabrow += cw[j].val + 3
			}
			continue
		case IOBytes, IOCount:
			cw[j].val = max(5, magnitude(s.maxVal[j], 15))
		default:
			switch c.Field.Type {
			case decode.FTFloat:
				cw[j].val = magnitude(s.maxVal[j], 15) + 7
			case decode.FTRelTime:
				if c.Calc != IOAvg {
					s.maxVal[j] = (s.maxVal[j] + 500000000) / 1000000000
				}
				cw[j].val = magnitude(s.maxVal[j], 15) + 7
			default:
				cw[j].val = max(namelen, magnitude(s.maxVal[j], 15))
			}
		}
		tabrow += cw[j].val + 3
	}
	borderlen = max(borderlen, tabrow)
	maxFltW := 0
	for _, c := range s.Cols {
		if c.Text != "" {
			maxFltW = max(maxFltW, len(c.Text)+11)
		} else {
			maxFltW = max(maxFltW, 26)
		}
	}
	if maxFltW > borderlen && borderlen < 102 {
		borderlen = min(maxFltW, 102)
	}
	if borderlen-tabrow == 1 {
		borderlen++
	}

	var b strings.Builder
	line := func(text string) {
		// text padded with spaces to one short of the border, then "|"
		b.WriteString(text)
		if n := borderlen - 1 - len(text); n > 0 {
			b.WriteString(strings.Repeat(" ", n))
		}
		b.WriteString("|\n")
	}
	b.WriteString("\n" + strings.Repeat("=", borderlen) + "\n")
	line("| IO Statistics")
	line("|")
	durPrec := prec
	if prec == 0 {
		durPrec = 6
	}
	durW := durMag0(s.elapsed) + precWidth(prec)
	dur := fixed(roundNs(s.elapsed, durPrec), durPrec)
	if prec == 0 {
		// tshark 4.0 pads this fraction with spaces, not zeros
		// ("2. 23035"); scripts parse what it writes.
		r := roundNs(s.elapsed, 6)
		dur = fmt.Sprintf("%d.%6d", r/1e9, r%1e9/1000)
	}
	line(fmt.Sprintf("| Duration: %*s secs", durW, dur))
	line(fmt.Sprintf("| Interval: %*s secs", durW, fixed(int64(ivl)*1000, prec)))
	line("|")
	for j, c := range s.Cols {
		prefix := fmt.Sprintf("|    %2d: ", j+1)
		if j == 0 {
			prefix = fmt.Sprintf("| Col%2d: ", j+1)
		}
		if c.Text == "" {
			line(prefix + "Frames and bytes")
			continue
		}
		f := c.Text
		maxW := borderlen - 11
		for len(f)+11 > borderlen && len(f) > maxW {
			cut := maxW
			next := cut
			if sp := strings.LastIndexByte(f[:maxW], ' '); sp >= 0 {
				cut, next = sp, sp+1
			}
			line(prefix + f[:cut])
			prefix = "|        "
			f = f[next:]
		}
		line(prefix + f)
	}
	b.WriteString("|-" + strings.Repeat("-", borderlen-3) + "|\n")

	filler := ""
	if tabrow < borderlen {
		filler = fmt.Sprintf("%*s", borderlen-tabrow, "|")
	}
	fmt.Fprintf(&b, "|%*s", ivlColW-1, "|")
	for j, c := range s.Cols {
		pad := cw[j].val
		switch c.Calc {
		case IOFramesBytes:
			pad = cw[j].fr + cw[j].val + 3
		case IOFrames:
			pad = cw[j].fr
		}
		fmt.Fprintf(&b, "%-2d%*s|", j+1, pad, "")
	}
	b.WriteString(filler + "\n")
	fmt.Fprintf(&b, "| Interval%*s", ivlColW-10, "|")
	for j, c := range s.Cols {
		switch c.Calc {
		case IOFrames:
			printCenter(&b, "FRAMES", cw[j].fr)
		case IOFramesBytes:
			printCenter(&b, "Frames", cw[j].fr)
			printCenter(&b, "Bytes", cw[j].val)
		default:
			printCenter(&b, ioCalcNames[c.Calc], cw[j].val)
		}
	}
	b.WriteString(filler + "\n|-" + strings.Repeat("-", tabrow-3) + "|" + filler + "\n")

	var rows uint64
	if ivl != 0 && duration != 0 {
		rows = duration / ivl
		if duration%ivl > 0 {
			rows++
		}
	}
	t := uint64(0)
	for i := uint64(0); i < rows; i++ {
		last := i == rows-1
		end := t + ivl
		if last {
			end = duration
		}
		switch {
		case prec == 0 && last:
			sp := ""
			if durMag == 1 {
				sp = " "
			}
			maxw := 3
			if durMag >= 3 {
				maxw = durMag + 1
			}
			fmt.Fprintf(&b, "| %s%*d <> %-*s|", sp, durMag, t/1e6, maxw, "Dur")
		case prec == 0 && durMag == 1:
			fmt.Fprintf(&b, "|  %*d <> %*d  |", durMag, t/1e6, durMag, end/1e6)
		case prec == 0:
			fmt.Fprintf(&b, "| %*d <> %*d |", durMag, t/1e6, durMag, end/1e6)
		default:
			fmt.Fprintf(&b, "| %*d.%0*d <> %*d.%0*d |", durMag, t/1e6, prec, t%1e6/dv, durMag, end/1e6, prec, end%1e6/dv)
		}
		for j, c := range s.Cols {
			var it *IOCell
			if int(i) < len(s.Cells[j]) {
				it = &s.Cells[j][i]
			}
			writeIOCell(&b, c, it, cw[j].fr, cw[j].val)
		}
		b.WriteString(filler + "\n")
		t += ivl
	}
	b.WriteString(strings.Repeat("=", borderlen) + "\n")
	io.WriteString(w, b.String())
}

// writeIOCell writes one value as its column's format; nil is an interval
// the column saw no frame in (zeros).
func writeIOCell(b *strings.Builder, c IOColumn, it *IOCell, fr, val int) {
	var z IOCell
	if it == nil {
		it = &z
	}
	switch c.Calc {
	case IOFrames:
		fmt.Fprintf(b, " %*d |", fr, it.Frames)
		return
	case IOFramesBytes:
		fmt.Fprintf(b, " %*d | %*d |", fr, it.Frames, val, it.U)
		return
	case IOBytes, IOCount:
		fmt.Fprintf(b, " %*d |", val, it.U)
		return
	}
	num := it.Num
	if num == 0 {
		num = 1
	}
	switch c.Field.Type {
	case decode.FTFloat:
		v := it.F
		if c.Calc == IOAvg {
			v /= float64(num)
		}
		fmt.Fprintf(b, " %*.6f |", val-7, v)
	case decode.FTRelTime:
		u := it.U
		if c.Calc == IOAvg {
			u /= num
		}
		u = (u + 500) / 1000
		fmt.Fprintf(b, " %*d.%06d |", val-7, u/1000000, u%1000000)
	case decode.FTInt:
		v := int64(it.U)
		if c.Calc == IOAvg {
			v = int64(it.U / num)
		}
		fmt.Fprintf(b, " %*d |", val, v)
	default:
		v := it.U
		if c.Calc == IOAvg {
			v /= num
		}
		fmt.Fprintf(b, " %*d |", val, v)
	}
}

func precWidth(prec int) int {
	if prec == 0 {
		return 0
	}
	return prec + 1
}

// durMag0 is the magnitude of the unrounded duration's whole seconds.
func durMag0(ns int64) int { return magnitude(uint64(ns/1e9), 5) }

// roundNs rounds nanoseconds to prec decimals of a second.
func roundNs(ns int64, prec int) int64 {
	unit := int64(1e9)
	for i := 0; i < prec; i++ {
		unit /= 10
	}
	return (ns + unit/2) / unit * unit
}

// fixed writes ns as seconds with prec decimals, truncated.
func fixed(ns int64, prec int) string {
	s := strconv.FormatInt(ns/1e9, 10)
	if prec == 0 {
		return s
	}
	frac := fmt.Sprintf("%09d", ns%1e9)
	return s + "." + frac[:prec]
}
