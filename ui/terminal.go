package ui

import (
	"os"
	"reflect"
	"regexp"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
)

// openTerminal opens the user's terminal. Terminfo entries of old terminals
// (vt100, vt220, ...) ask for padding delays after each cursor move and
// attribute change, which tcell honours by writing pad bytes: a full redraw
// then takes seconds. No emulator in use today needs them, so the entry is
// used without its padding.
//
// A TERM with no description falls back to a basic one (ansi, then vt100)
// instead of failing: note says so, for the status bar. ascii is true when
// the terminal cannot be trusted with box-drawing and check marks whatever
// the locale says (the Linux console's font, DEC terminals, the fallback).
func openTerminal() (scr tcell.Screen, note string, ascii bool, err error) {
	term := os.Getenv("TERM")
	ti, err := tcell.LookupTerminfo(term)
	if err != nil {
		for _, basic := range []string{"ansi", "vt100"} {
			if ti, err = tcell.LookupTerminfo(basic); err == nil {
				note = "TERM=" + term + " is unknown here: drawing as " + basic
				break
			}
		}
		if err != nil {
			scr, err = tcell.NewScreen()
			return scr, "", true, err
		}
		ascii = true
	}
	scr, err = tcell.NewTerminfoScreenFromTtyTerminfo(nil, withoutPadding(ti))
	return scr, note, ascii || asciiTerminal(term), err
}

// asciiTerminal says whether TERM names a terminal whose character set
// lacks ✓ ▸ … │ even under a UTF-8 locale: the Linux console (its default
// font has no check marks), DEC VT terminals and plain ANSI.
func asciiTerminal(term string) bool {
	base, _, _ := strings.Cut(term, "-")
	switch {
	case base == "linux", base == "ansi", base == "cons25", base == "dumb":
		return true
	case strings.HasPrefix(base, "vt") && len(base) > 2 && base[2] >= '0' && base[2] <= '9':
		return true
	}
	return false
}

var padding = regexp.MustCompile(`\$<[0-9.]*[*/]*>`)

// withoutPadding returns a copy of ti with every "$<n>" padding spec removed.
func withoutPadding(ti *terminfo.Terminfo) *terminfo.Terminfo {
	c := *ti
	v := reflect.ValueOf(&c).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.String && f.CanSet() {
			f.SetString(padding.ReplaceAllString(f.String(), ""))
		}
	}
	return &c
}
