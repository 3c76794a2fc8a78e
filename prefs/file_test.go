package prefs_test

import (
	. "github.com/wirelens/wirelens/prefs"

	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "preferences")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustLoad(t *testing.T, path string) (Prefs, []Warning) {
	t.Helper()
	p, w, err := Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return p, w
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps fails if Save left anything but the named files in dir.
func noTemps(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("directory holds %q, want %q", names, want)
	}
}

func TestLoadMissingIsDefault(t *testing.T) {
	p, w, err := Load(filepath.Join(t.TempDir(), "nope", "preferences"))
	if err != nil || w != nil || p != Default() {
		t.Errorf("Load(missing) = %+v, %v, %v; want defaults, no warnings, no error", p, w, err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences")
	// Every value of every preference, each on its own and then several
	// at once, saved over the previous file so in-place updates are
	// covered too.
	var all []Prefs
	for _, n := range Names() {
		for _, v := range values(n) {
			p := Default()
			if err := p.Set(n, v); err != nil {
				t.Fatal(err)
			}
			all = append(all, p)
		}
	}
	var mixed Prefs // all false, SCTP None
	all = append(all, mixed, Default(), with(Prefs{}, "tcp.check_checksum", "TRUE", "sctp.checksum", "Automatic"), Default())
	for _, p := range all {
		if err := Save(path, p); err != nil {
			t.Fatalf("Save: %v", err)
		}
		got, w := mustLoad(t, path)
		if got != p || len(w) != 0 {
			t.Fatalf("Save then Load: got %+v, warnings %v\nwant %+v\nfile:\n%s", got, w, p, mustRead(t, path))
		}
		// A fresh file per value too, so the new-file layout is covered.
		fresh := filepath.Join(t.TempDir(), "preferences")
		if err := Save(fresh, p); err != nil {
			t.Fatal(err)
		}
		if got, w := mustLoad(t, fresh); got != p || len(w) != 0 {
			t.Fatalf("fresh Save then Load: %+v %v, want %+v", got, w, p)
		}
	}
	noTemps(t, dir, "preferences")
}

func TestSaveNewFileLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "preferences")
	p := Default()
	mustSet(&p, "tcp.check_checksum", "FALSE")
	mustSet(&p, "sctp.checksum", "Adler 32")
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	// Wireshark's block: blank line, description, accepted values, entry;
	// commented out at the default.
	for _, want := range []string{
		"\n\n# Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)\n" +
			"# wirelens default: TRUE (Wireshark's default is FALSE)\n" +
			"# TRUE or FALSE (case-insensitive)\n" +
			"tcp.check_checksum: FALSE\n",
		"\n\n# The type of checksum used in SCTP packets\n" +
			"# wirelens default: CRC 32c (Wireshark's default is None)\n" +
			"# One of: None, Adler 32, CRC 32c, Automatic\n" +
			"# (case-insensitive).\n" +
			"sctp.checksum: Adler 32\n",
		"\n\n# Whether to correct for TSO-enabled (TCP segmentation offload) hardware captures, such as spoofing the IP packet length\n" +
			"# TRUE or FALSE (case-insensitive)\n" +
			"#ip.tso_support: TRUE\n",
		"\n#udp.check_checksum: TRUE\n",
		"# Not a Wireshark preference: Wireshark always validates the ICMP checksum\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("new file lacks\n%s\nfile:\n%s", want, got)
		}
	}
	if !strings.HasPrefix(got, "# Configuration file for wirelens") {
		t.Errorf("new file has no header:\n%s", got)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", st.Mode().Perm())
	}
	dst, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("new directory mode %v, want 0700", dst.Mode().Perm())
	}
}

func TestSaveKeepsUserLinesByteForByte(t *testing.T) {
	old := "# my notes: checksums off on the laptop (NIC offload)\r\n" +
		"gui.column.format: \r\n" +
		"\t\"No.\", \"%m\",\r\n" +
		"\t\"Time\", \"%t\"\r\n" +
		"\r\n" +
		"tcp.check_checksum: TRUE\r\n" +
		"   \r\n" +
		"#   an indented comment   with trailing spaces   \r\n" +
		"this line has no colon\r\n" +
		"#ip.check_checksum: TRUE\r\n" +
		"# tcp.check_checksum: FALSE (a note, not an entry: space after #)\r\n" +
		"udp.check_checksum: TRUE\r\n" +
		"sctp.checksum: Adler 32\r\n" +
		"\ttrailing line without end of line"
	path := writeFile(t, old)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	p := Default()
	mustSet(&p, "tcp.check_checksum", "FALSE")
	mustSet(&p, "ip.check_checksum", "FALSE")
	// udp and sctp end up at their defaults: their uncommented lines stay
	// uncommented, updated in place. The continuation of sctp.checksum is
	// part of its value and goes with it.
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	wantHead := "# my notes: checksums off on the laptop (NIC offload)\r\n" +
		"gui.column.format: \r\n" +
		"\t\"No.\", \"%m\",\r\n" +
		"\t\"Time\", \"%t\"\r\n" +
		"\r\n" +
		"tcp.check_checksum: FALSE\r\n" +
		"   \r\n" +
		"#   an indented comment   with trailing spaces   \r\n" +
		"this line has no colon\r\n" +
		"ip.check_checksum: FALSE\r\n" +
		"# tcp.check_checksum: FALSE (a note, not an entry: space after #)\r\n" +
		"udp.check_checksum: TRUE\r\n" +
		"sctp.checksum: CRC 32c" + // keeps its missing end of line...
		"\r\n\r\n# Whether to validate the CDP checksum\r\n" // ...until something follows
	if !strings.HasPrefix(got, wantHead) {
		t.Fatalf("Save rewrote the file as\n%q\nwant it to start\n%q", got, wantHead)
	}
	if strings.Contains(got, "\ttrailing") {
		t.Error("continuation of a rewritten entry was kept")
	}
	if strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		t.Error("appended lines do not follow the file's CRLF line ending")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after Save, want the old 0640", st.Mode().Perm())
	}
	// The file still loads to p, with the same complaint about the
	// no-colon line as before and nothing new.
	q, w := mustLoad(t, path)
	if q != p {
		t.Errorf("reload: %+v, want %+v", q, p)
	}
	if len(w) != 2 || w[0].Line != 2 || !strings.Contains(w[0].Msg, "gui.column.format") || w[1].Line != 9 {
		t.Errorf("reload warnings %v; want unknown gui.column.format on line 2 and the no-colon line 9", w)
	}
	// Saving again with the same prefs changes nothing.
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	if again := mustRead(t, path); again != got {
		t.Errorf("second Save changed the file:\n%q\nwas\n%q", again, got)
	}
}

func TestSavePlaceholders(t *testing.T) {
	// A file Wireshark wrote: defaults commented out with Wireshark's
	// values. wirelens updates the placeholder lines in place instead of
	// appending a second block.
	old := "\n# Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)\n" +
		"# TRUE or FALSE (case-insensitive)\n" +
		"#tcp.check_checksum: FALSE\n" +
		"\n# Whether to validate the UDP checksum\n" +
		"# TRUE or FALSE (case-insensitive)\n" +
		"#udp.check_checksum: FALSE\n"
	path := writeFile(t, old)
	p := Default()
	mustSet(&p, "udp.check_checksum", "FALSE")
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	want := "\n# Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)\n" +
		"# TRUE or FALSE (case-insensitive)\n" +
		"#tcp.check_checksum: TRUE\n" +
		"\n# Whether to validate the UDP checksum\n" +
		"# TRUE or FALSE (case-insensitive)\n" +
		"udp.check_checksum: FALSE\n"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got\n%s\nwant prefix\n%s", got, want)
	}
	for _, n := range []string{"tcp.check_checksum", "udp.check_checksum"} {
		if c := strings.Count(got, n+":"); c != 1 {
			t.Errorf("%s appears %d times", n, c)
		}
	}
	for _, n := range []string{"ip.check_checksum", "sctp.checksum", "gre.check_checksum"} {
		if !strings.Contains(got, "\n#"+n+": ") {
			t.Errorf("missing preference %s not appended, commented out", n)
		}
	}
}

func TestSavePlaceholderNotCapturingContinuation(t *testing.T) {
	// The tab line continues gui.foo (Wireshark continues across
	// comments). Uncommenting the placeholder between them would hand the
	// tab line to tcp.check_checksum, so the new entry goes at the end.
	old := "gui.foo: a,\n#tcp.check_checksum: TRUE\n\tb\n"
	path := writeFile(t, old)
	p := Default()
	mustSet(&p, "tcp.check_checksum", "FALSE")
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	if !strings.HasPrefix(got, old) {
		t.Errorf("lines before the append changed:\n%q", got)
	}
	if q, _ := mustLoad(t, path); q != p {
		t.Errorf("reload %+v, want %+v\n%s", q, p, got)
	}
}

func TestSaveDuplicatesAllUpdated(t *testing.T) {
	path := writeFile(t, "tcp.check_checksum: FALSE\n# x\ntcp.check_checksum: FALSE\n")
	if err := Save(path, Default()); err != nil {
		t.Fatal(err)
	}
	got := mustRead(t, path)
	if !strings.HasPrefix(got, "tcp.check_checksum: TRUE\n# x\ntcp.check_checksum: TRUE\n") {
		t.Errorf("duplicates not both updated:\n%s", got)
	}
}

func TestLoadDamagedFile(t *testing.T) {
	content := strings.Join([]string{
		"# comment",                        // 1
		"tcp.check_checksum: FALSE",        // 2
		"udp.check_checksum: yes",          // 3 bad value
		"ip.check_checksum FALSE",          // 4 no colon
		"tcp.check_chksum: FALSE",          // 5 unknown name
		"sctp.checksum: CRC32c",            // 6 bad enum word
		"",                                 // 7
		"\tstray continuation",             // 8 continues the bad sctp line
		"icmp.check_checksum: FALSE",       // 9
		": no name",                        // 10
		"\torphan",                         // 11 nothing to continue
		"igmp.check_checksum: FALSE",       // 12
		"igmp.check_checksum: maybe",       // 13 damaged after a good line
		"ip.tso_support: FALSE",            // 14
		"gre.check_checksum: \x1b[31mTRUE", // 15 escape sequence in value
	}, "\n") + "\n"
	path := writeFile(t, content)
	p, w := mustLoad(t, path)
	want := Default()
	mustSet(&want, "tcp.check_checksum", "FALSE")
	mustSet(&want, "icmp.check_checksum", "FALSE")
	mustSet(&want, "ip.tso_support", "FALSE")
	if p != want {
		t.Errorf("got %+v\nwant %+v", p, want)
	}
	type lw struct {
		line int
		in   string
	}
	wantW := []lw{
		{3, `bad value "yes" for preference udp.check_checksum; want TRUE or FALSE (case-insensitive)`},
		{4, `malformed line "ip.check_checksum FALSE"`},
		{5, `unknown preference "tcp.check_chksum"; did you mean tcp.check_checksum?`},
		{6, `bad value "CRC32cstray continuation" for preference sctp.checksum`},
		{10, `malformed line ": no name"`},
		{11, "indented line continues no preference"},
		{13, `bad value "maybe" for preference igmp.check_checksum`},
		{15, `bad value "\x1b[31mTRUE"`},
	}
	if len(w) != len(wantW) {
		t.Fatalf("got %d warnings, want %d:\n%v", len(w), len(wantW), w)
	}
	for i, ww := range wantW {
		if w[i].Line != ww.line || !strings.Contains(w[i].Msg, ww.in) || w[i].File != path {
			t.Errorf("warning %d = %v; want line %d containing %q", i, w[i], ww.line, ww.in)
		}
	}
	if strings.ContainsRune(w[7].Msg, 0x1b) {
		t.Error("raw escape byte from the file reached a warning")
	}
	if s := w[0].String(); s != path+`:3: bad value "yes" for preference udp.check_checksum; want TRUE or FALSE (case-insensitive); using the default, TRUE` {
		t.Errorf("Warning.String() = %q", s)
	}
	// Loading never rewrites the file.
	if got := mustRead(t, path); got != content {
		t.Error("Load changed the file")
	}
}

func TestLoadWarningsBounded(t *testing.T) {
	path := writeFile(t, "tcp.check_checksum: TRUE\n"+strings.Repeat("garbage\n", 10000))
	_, w := mustLoad(t, path)
	if len(w) != MaxWarnings+1 || !strings.Contains(w[MaxWarnings].Msg, "9900 more warnings") {
		t.Errorf("%d warnings, last %v", len(w), w[len(w)-1])
	}
}

func TestLoadContinuation(t *testing.T) {
	cases := []struct {
		name, content string
		want          func(*Prefs)
	}{
		// Wireshark appends continuation text with leading whitespace
		// dropped and nothing in between.
		{"tab", "tcp.check_checksum: FA\n\tLSE\n", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE") }},
		{"spaces", "tcp.check_checksum:\n    FALSE\n", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE") }},
		{"space kept before line end", "sctp.checksum: Adler \n\t32\n", func(p *Prefs) { mustSet(p, "sctp.checksum", "Adler 32") }},
		{"across comment and blank", "tcp.check_checksum: F\n# note\n\n\tALSE\n", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE") }},
		{"CRLF", "tcp.check_checksum: FA\r\n\tLSE\r\nudp.check_checksum: FALSE\r\n", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE"); mustSet(p, "udp.check_checksum", "FALSE") }},
		{"unknown entry owns it", "gui.x: 1,\n\t2\nudp.check_checksum: false\n", func(p *Prefs) { mustSet(p, "udp.check_checksum", "FALSE") }},
		{"no final newline", "tcp.check_checksum: FALSE", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE") }},
		{"value padded", "tcp.check_checksum:    FALSE   \n", func(p *Prefs) { mustSet(p, "tcp.check_checksum", "FALSE") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, w := mustLoad(t, writeFile(t, c.content))
			want := Default()
			c.want(&want)
			wantWarnings := 0
			if strings.HasPrefix(c.content, "gui.") {
				wantWarnings = 1
			}
			if p != want || len(w) != wantWarnings {
				t.Errorf("got %+v, %v\nwant %+v", p, w, want)
			}
		})
	}
}

func TestLoadWiresharkStyleFile(t *testing.T) {
	// As Wireshark 4.0 writes its file, with this package's names; the
	// commented-out lines carry Wireshark's defaults and must not count.
	content := `# Configuration file for Wireshark 4.0.17.
#
# This file is regenerated each time preferences are saved within
# Wireshark. Making manual changes should be safe, however.
# Preferences that have been commented out have not been
# changed from their default value.

####### Protocols ########

# Whether to validate the IPv4 checksum
# TRUE or FALSE (case-insensitive)
#ip.check_checksum: FALSE

# Whether to correct for TSO-enabled (TCP segmentation offload) hardware captures, such as spoofing the IP packet length
# TRUE or FALSE (case-insensitive)
ip.tso_support: FALSE

# The type of checksum used in SCTP packets
# One of: None, Adler 32, CRC 32c, Automatic
# (case-insensitive).
sctp.checksum: Automatic

# Whether to validate the TCP checksum or not.  (Invalid checksums will cause reassembly, if enabled, to fail.)
# TRUE or FALSE (case-insensitive)
tcp.check_checksum: FALSE

# Whether to validate the UDP checksum
# TRUE or FALSE (case-insensitive)
udp.check_checksum: TRUE

# Whether to validate the UDP-Lite checksum
# TRUE or FALSE (case-insensitive)
#udplite.check_checksum: FALSE
`
	p, w := mustLoad(t, writeFile(t, content))
	want := Default()
	mustSet(&want, "ip.tso_support", "FALSE")
	mustSet(&want, "sctp.checksum", "Automatic")
	mustSet(&want, "tcp.check_checksum", "FALSE")
	if p != want || len(w) != 0 {
		t.Errorf("got %+v, %v\nwant %+v", p, w, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Load(directory) error = %v; want one naming %s", err, dir)
	}

	big := filepath.Join(t.TempDir(), "preferences")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", MaxFileSize+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, _, err := Load(big); err == nil || !strings.Contains(err.Error(), big) || p != Default() {
		t.Errorf("Load(huge) = %v; want an error naming %s and defaults", err, big)
	}
	// Exactly at the bound is fine.
	if err := os.WriteFile(big, []byte("tcp.check_checksum: FALSE\n"+strings.Repeat("#", MaxFileSize-26)), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, _, err := Load(big); err != nil || p.Validates("tcp") {
		t.Errorf("Load(at bound) = %+v, %v", p, err)
	}

	// A path through a regular file is not "missing": something is wrong.
	notDir := filepath.Join(big, "preferences")
	if _, _, err := Load(notDir); err == nil || !strings.Contains(err.Error(), notDir) {
		t.Errorf("Load(file/child) error = %v; want one naming %s", err, notDir)
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: permission checks do not apply; unreadable-file case skipped")
		return
	}
	locked := writeFile(t, "tcp.check_checksum: FALSE\n")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(locked); err == nil || !strings.Contains(err.Error(), locked) {
		t.Errorf("Load(unreadable) error = %v; want one naming %s", err, locked)
	}
}

func TestSaveReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences")
	if err := os.WriteFile(path, []byte("# old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	p := Default()
	mustSet(&p, "gre.check_checksum", "FALSE")
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// A new inode shows the file was replaced by rename, not rewritten in
	// place where a crash could leave it half written.
	if os.SameFile(before, after) {
		t.Error("Save rewrote the file in place")
	}
	if after.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want the old 0644", after.Mode().Perm())
	}
	if got := mustRead(t, path); !strings.HasPrefix(got, "# old\n\n") {
		t.Errorf("old content lost:\n%s", got)
	}
	noTemps(t, dir, "preferences")
}

func TestSaveFailureLeavesOldFile(t *testing.T) {
	for _, hook := range []string{"sync", "rename"} {
		t.Run(hook, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "preferences")
			const old = "tcp.check_checksum: FALSE\n"
			if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("injected failure")
			switch hook {
			case "sync":
				*SyncFile = func(*os.File) error { return boom }
			case "rename":
				*Rename = func(string, string) error { return boom }
			}
			t.Cleanup(func() { *SyncFile, *Rename = (*os.File).Sync, os.Rename })
			err := Save(path, Default())
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
				t.Errorf("Save error = %v; want the failure, naming %s", err, path)
			}
			if got := mustRead(t, path); got != old {
				t.Errorf("old file changed to %q", got)
			}
			noTemps(t, dir, "preferences")
		})
	}
}

func TestSaveErrors(t *testing.T) {
	// The parent "directory" is a regular file: even root cannot create
	// the directory, and the error must say where.
	file := writeFile(t, "")
	path := filepath.Join(file, "preferences")
	if err := Save(path, Default()); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Save under a file: %v; want an error naming %s", err, path)
	}

	// The path is a directory: refuse rather than replace it.
	dir := t.TempDir()
	if err := Save(dir, Default()); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Save onto a directory: %v; want an error naming %s", err, dir)
	}

	// An existing file too big to be ours: refuse rather than lose it.
	big := writeFile(t, strings.Repeat("#", MaxFileSize+1))
	if err := Save(big, Default()); err == nil || !strings.Contains(err.Error(), big) {
		t.Errorf("Save over a huge file: %v; want an error naming %s", err, big)
	}
	if st, _ := os.Stat(big); st.Size() != MaxFileSize+1 {
		t.Error("huge file changed")
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: the read-only directory case needs an unprivileged user; skipped")
		return
	}
	ro := t.TempDir()
	rpath := filepath.Join(ro, "preferences")
	const old = "tcp.check_checksum: FALSE\n"
	if err := os.WriteFile(rpath, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o700) })
	err := Save(rpath, Default())
	if err == nil || !strings.Contains(err.Error(), rpath) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Save in read-only dir: %v; want a permission error naming %s", err, rpath)
	}
	if got := mustRead(t, rpath); got != old {
		t.Errorf("old file changed to %q", got)
	}
	noTemps(t, ro, "preferences")
}

func TestSaveFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles-prefs")
	if err := os.WriteFile(real, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "preferences")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	p := Default()
	mustSet(&p, "ip.check_checksum", "FALSE")
	if err := Save(link, p); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link replaced by a file (%v)", err)
	}
	if q, _ := mustLoad(t, real); q != p {
		t.Errorf("target holds %+v, want %+v", q, p)
	}
}

func ExampleWarning_String() {
	fmt.Println(Warning{File: "/home/u/.config/wirelens/preferences", Line: 7, Msg: `unknown preference "tcp.check_chksum"; did you mean tcp.check_checksum?`})
	// Output: /home/u/.config/wirelens/preferences:7: unknown preference "tcp.check_chksum"; did you mean tcp.check_checksum?
}

// TestHostileFilesAreLinear loads and saves files at the size bound built to
// hit quadratic paths: one value continued on every line, a warning on
// every line from both parser stages, and a placeholder on every line.
func TestHostileFilesAreLinear(t *testing.T) {
	fill := func(head, unit string) string {
		return head + strings.Repeat(unit, (MaxFileSize-len(head))/len(unit))
	}
	files := map[string]string{
		"continuations": fill("tcp.check_checksum: F\n", "\tx\n"),
		"warnings":      fill("", "x\nip.check_checksum: x\n"),
		"placeholders":  fill("", "#tcp.check_checksum: TRUE\n"),
		"entries":       fill("", "udp.check_checksum: FALSE\n"),
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, content)
			start := time.Now()
			if _, _, err := Load(path); err != nil {
				t.Fatal(err)
			}
			p := Default()
			mustSet(&p, "tcp.check_checksum", "FALSE")
			// Save may push a file past the bound; that is fine, the
			// point is the time it takes.
			if err := Save(path, p); err != nil {
				t.Fatal(err)
			}
			// Generous: linear work here is tens of milliseconds, a
			// quadratic path takes minutes.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Load+Save took %v", d)
			}
		})
	}
}
