package output

import (
	"fmt"
	"time"

	"github.com/wirelens/wirelens/decode"
)

// TimeFormat is the Time column's format: tshark's -t (a, ad, adoy, d,
// dd, e, r, u, ud, udoy) and -u (s or hms).
type TimeFormat struct {
	Kind string // "" means r
	HMS  bool   // -u hms: relative and delta times as 1h 2m 3.000000s
}

// TimeKinds are the -t values tshark 4.0 accepts.
var TimeKinds = []string{"a", "ad", "adoy", "d", "dd", "e", "r", "u", "ud", "udoy"}

// ParseTimeFormat checks a -t value.
func ParseTimeFormat(s string) (TimeFormat, error) {
	for _, k := range TimeKinds {
		if s == k {
			return TimeFormat{Kind: s}, nil
		}
	}
	return TimeFormat{}, fmt.Errorf("invalid -t time format %q: want one of a, ad, adoy, d, dd, e, r, u, ud, udoy", s)
}

// Column writes the Time column for fr with the file's precision (6 or
// 9 decimals), as tshark's packet list does.
func (t TimeFormat) Column(fr *decode.Frame, digits int) string {
	if digits != 9 {
		digits = 6
	}
	ts := fr.Record.Timestamp
	switch t.Kind {
	case "a", "ad", "adoy":
		return absTime(time.Unix(0, ts).Local(), ts, t.Kind, digits)
	case "u", "ud", "udoy":
		return absTime(time.Unix(0, ts).UTC(), ts, "a"+t.Kind[1:], digits)
	case "e":
		return fracSeconds(ts, digits)
	case "d":
		return t.rel(fr.Delta, digits)
	case "dd":
		d := fr.Delta
		if fr.HasDeltaDisplayed {
			d = fr.DeltaDisplayed
		}
		return t.rel(d, digits)
	}
	return t.rel(fr.RelTime, digits)
}

func (t TimeFormat) rel(ns int64, digits int) string {
	if !t.HMS {
		return relSeconds(ns, digits)
	}
	return hms(ns, digits)
}

// hms is Wireshark's set_time_hour_min_sec: the fraction is truncated,
// not rounded, and a negative time gets "- ".
func hms(ns int64, digits int) string {
	sign := ""
	if ns < 0 {
		sign, ns = "- ", -ns
	}
	secs, frac := ns/1e9, ns%1e9
	fs := fmt.Sprintf("%09d", frac)[:digits]
	switch {
	case secs >= 3600:
		return fmt.Sprintf("%s%dh %2dm %2d.%ss", sign, secs/3600, secs/60%60, secs%60, fs)
	case secs >= 60:
		return fmt.Sprintf("%s%dm %2d.%ss", sign, secs/60, secs%60, fs)
	}
	return fmt.Sprintf("%s%d.%ss", sign, secs, fs)
}

// absTime writes a (time of day), ad (with the date) and adoy (with the
// day of the year), the fraction truncated as Wireshark does.
func absTime(t time.Time, ns int64, kind string, digits int) string {
	frac := ns % 1e9
	if frac < 0 {
		frac += 1e9
	}
	clock := fmt.Sprintf("%02d:%02d:%02d.%s", t.Hour(), t.Minute(), t.Second(), fmt.Sprintf("%09d", frac)[:digits])
	switch kind {
	case "ad":
		return fmt.Sprintf("%04d-%02d-%02d %s", t.Year(), int(t.Month()), t.Day(), clock)
	case "adoy":
		return fmt.Sprintf("%04d/%03d %s", t.Year(), t.YearDay(), clock)
	}
	return clock
}

// fracSeconds writes seconds since the epoch, truncated to digits.
func fracSeconds(ns int64, digits int) string {
	sign := ""
	if ns < 0 {
		sign, ns = "-", -ns
	}
	return fmt.Sprintf("%s%d.%s", sign, ns/1e9, fmt.Sprintf("%09d", ns%1e9)[:digits])
}
