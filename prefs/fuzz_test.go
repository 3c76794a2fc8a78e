package prefs

import (
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
	f.Add(render(nil, Prefs{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, warns := decode(data, "f")
		nlines := bytes.Count(data, []byte("\n")) + 1
		if len(warns) > maxWarnings+1 {
			t.Fatalf("%d warnings", len(warns))
		}
		for _, w := range warns {
			if w.Line < 1 || w.Line > nlines {
				t.Fatalf("warning on line %d of %d: %v", w.Line, nlines, w)
			}
		}
		for _, alt := range []Prefs{p, Default(), {}, {TCPCheck: true, SCTP: SCTPAutomatic}} {
			out := render(data, alt)
			got, _ := decode(out, "f")
			if got != alt {
				t.Fatalf("render then decode: %+v, want %+v\nin:  %q\nout: %q", got, alt, data, out)
			}
			if again := render(out, alt); !bytes.Equal(again, out) {
				t.Fatalf("second render differs:\n%q\n%q", out, again)
			}
			checkKept(t, data, out)
		}
	})
}

// checkKept fails unless every line of in that Save does not own appears in
// out unchanged and in the same order.
func checkKept(t *testing.T, in, out []byte) {
	t.Helper()
	ps := parse(in, "")
	rest := string(out)
	for _, l := range ps.lines {
		switch {
		case l.kind == lineEntry && lookup(l.name) != nil,
			l.kind == lineCont && lookup(ps.lines[l.owner].name) != nil,
			l.kind == linePlaceholder:
			continue
		}
		// The last line may have gained an end of line.
		want := l.raw
		if l.eol == "" {
			want = l.body
		}
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("line %q lost or reordered\nin:  %q\nout: %q", l.raw, in, out)
		}
		rest = rest[i+len(want):]
	}
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
		p := Prefs{SCTP: SCTPAdler32, IGMPCheck: true}
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
		if strings.Contains(name, ":") || trimSpace(name) != name {
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
			if !strings.Contains(err.Error(), quoteShort(arg)) {
				t.Fatalf("Override(%q) error %q does not name the argument", arg, err)
			}
			return
		}
		name, _, _ := strings.Cut(arg, ":")
		if lookup(trimSpace(name)) == nil {
			t.Fatalf("Override(%q) accepted an unknown name", arg)
		}
	})
}
