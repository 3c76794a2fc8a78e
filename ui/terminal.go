package ui

import (
	"os"
	"reflect"
	"regexp"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
)

// openTerminal opens the user's terminal. Terminfo entries of old terminals
// (vt100, vt220, ...) ask for padding delays after each cursor move and
// attribute change, which tcell honours by writing pad bytes: a full redraw
// then takes seconds. No emulator in use today needs them, so the entry is
// used without its padding.
func openTerminal() (tcell.Screen, error) {
	ti, err := tcell.LookupTerminfo(os.Getenv("TERM"))
	if err != nil {
		return tcell.NewScreen()
	}
	return tcell.NewTerminfoScreenFromTtyTerminfo(nil, withoutPadding(ti))
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
