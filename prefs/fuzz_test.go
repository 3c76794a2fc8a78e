package prefs_test

import (
	. "github.com/wirelens/wirelens/prefs"

	"bytes"
	"strings"
	"testing"
)

// FuzzLoad checks the file parser and the in-place rewriter together: for
// any file, saving what it loads to and loading again must give the same
// preferences, saving twice must change nothing more, and every line Save
// does not own must survive in order.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("tcp.check_checksum: FALSE\n"))
	f.Add([]byte("#tcp.check_checksum: TRUE\n\tx\n"))
	f.Add([]byte("gui.foo: a,\n#ip.check_checksum: TRUE\n\tb\nsctp.checksum: Adler\r\n 32"))
	f.Add(Render(nil, Prefs{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, warns := Decode(data, "f")
		nlines := bytes.Count(data, []byte("\n")) + 1
		if len(warns) > MaxWarnings+1 {
			t.Fatalf("%d warnings", len(warns))
		}
		for _, w := range warns {
			if w.Line < 1 || w.Line > nlines {
				t.Fatalf("warning on line %d of %d: %v", w.Line, nlines, w)
			}
		}
		for _, alt := range []Prefs{p, Default(), {}, with(Prefs{}, "tcp.check_checksum", "TRUE", "sctp.checksum", "Automatic")} {
			out := Render(data, alt)
			got, _ := Decode(out, "f")
			if got != alt {
				t.Fatalf("render then decode: %+v, want %+v\nin:  %q\nout: %q", got, alt, data, out)
			}
			if again := Render(out, alt); !bytes.Equal(again, out) {
				t.Fatalf("second render differs:\n%q\n%q", out, again)
			}
			CheckKept(t, data, out)
		}
	})
}

// FuzzSet checks Set and Override on arbitrary names and values: no panic,
// no change on error, and whatever is accepted reads back in the canonical
// form that Set accepts again.
func FuzzSet(f *testing.F) {
	for _, n := range Names() {
		for _, v := range values(n) {
			f.Add(n, v)
		}
	}
	f.Add("tcp.check_chksum", "TRUE")
	f.Add("sctp.checksum", "crc-32c")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, name, value string) {
		p := with(Prefs{}, "sctp.checksum", "Adler 32", "igmp.check_checksum", "TRUE")
		orig := p
		err := p.Set(name, value)
		if err != nil {
			if p != orig {
				t.Fatalf("failed Set(%q, %q) changed prefs", name, value)
			}
			if len(err.Error()) > 400 {
				t.Fatalf("error of %d bytes", len(err.Error()))
			}
		} else {
			v, ok := p.Get(name)
			if !ok {
				t.Fatalf("Set(%q) succeeded but Get does not know it", name)
			}
			q := orig
			if err := q.Set(name, v); err != nil || q != p {
				t.Fatalf("Set(%q, Get=%q) = %v, %+v; want %+v", name, v, err, q, p)
			}
		}
		// Override with the same parts must agree with Set.
		if strings.Contains(name, ":") || TrimSpace(name) != name {
			return
		}
		o := orig
		oerr := o.Override(name + ":" + value)
		if (oerr == nil) != (err == nil) || o != p {
			t.Fatalf("Override(%q) = %v, %+v; Set gave %v, %+v", name+":"+value, oerr, o, err, p)
		}
	})
}

// FuzzOverride checks the -o argument parser on its own: errors quote the
// argument (shortened), success means the name part is a known preference.
func FuzzOverride(f *testing.F) {
	f.Add("tcp.check_checksum:FALSE")
	f.Add("tcp.check_checksum: FALSE")
	f.Add("sctp.checksum:CRC 32c")
	f.Add("sctp.checksum")
	f.Add(":")
	f.Fuzz(func(t *testing.T, arg string) {
		p := Default()
		err := p.Override(arg)
		if err != nil {
			if p != Default() {
				t.Fatalf("failed Override(%q) changed prefs", arg)
			}
			if !strings.Contains(err.Error(), QuoteShort(arg)) {
				t.Fatalf("Override(%q) error %q does not name the argument", arg, err)
			}
			return
		}
		name, _, _ := strings.Cut(arg, ":")
		if !Known(TrimSpace(name)) {
			t.Fatalf("Override(%q) accepted an unknown name", arg)
		}
	})
}
