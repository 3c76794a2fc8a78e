package prefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// MaxFileSize bounds the preferences file Load and Save will read. Real
// files are a few kilobytes (Wireshark's full set is under 300 KiB); the
// bound keeps a hostile or mistaken file (a capture saved over it, /dev/zero
// linked in) from eating memory.
const MaxFileSize = 1 << 20

// maxWarnings bounds the warnings for one file: a file of garbage would
// otherwise give one per line, which nobody reads.
const maxWarnings = 100

// Warning is a problem with one line of a preferences file. Loading goes on
// past it, keeping the default for the affected preference.
type Warning struct {
	File string
	Line int
	Msg  string
}

// String formats the warning like a compiler message, "file:line: msg", so
// editors can jump to it.
func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg) }

// DefaultPath returns $XDG_CONFIG_HOME/wirelens/preferences, or
// ~/.config/wirelens/preferences when XDG_CONFIG_HOME is unset or relative
// (the XDG spec says to ignore relative values). It returns "" when there is
// no home directory either, so that callers do not write a file relative to
// whatever directory they run in.
func DefaultPath() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "wirelens", "preferences")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "wirelens", "preferences")
}

// Load reads a preferences file. A missing file gives the defaults and no
// error, since most users never save one. Lines that cannot be used give
// Warnings and leave that preference at its default; the file is never
// rewritten by loading. An error (naming path) means the file exists but
// cannot be read, is a directory, or is larger than MaxFileSize.
func Load(path string) (Prefs, []Warning, error) {
	data, err := readBounded(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil, nil
	}
	if err != nil {
		return Default(), nil, fmt.Errorf("loading preferences: %w", err)
	}
	p, warns := decode(data, path)
	return p, warns, nil
}

// readBounded reads at most MaxFileSize bytes of path and fails, naming the
// path, on anything that is not a regular file that size or smaller.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError names the path
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	}
	// Read one byte past the bound rather than trusting Stat: FIFOs and
	// /proc files report a size of 0.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes; not a preferences file?", path, MaxFileSize)
	}
	return data, nil
}

type lineKind int

const (
	lineOther       lineKind = iota // blank, comment, or not understood
	lineEntry                       // "name: value", known name or not
	lineCont                        // a continuation of the entry at owner
	linePlaceholder                 // "#name: value", a commented-out known entry
)

// fileLine is one physical line. raw keeps its exact bytes, end of line
// included, so Save can write back untouched lines byte for byte.
type fileLine struct {
	raw   string
	body  string // raw without "\n" or "\r\n"
	eol   string
	kind  lineKind
	name  string // entry, placeholder
	value string // entry: text after the colon on this line
	owner int    // cont: index of the entry it continues
}

// entry is one logical preference: its first line and its value, in pieces
// (the text after the colon, then each continuation line's) so that a file
// of a million continuation lines is not quadratic to read.
type entry struct {
	line  int // index into lines
	name  string
	parts []string
}

func (e entry) value() string { return strings.Join(e.parts, "") }

type parsed struct {
	lines   []fileLine
	entries []entry
	warns   []Warning // from lines that are not entries
}

// parse splits a file the way Wireshark's read_prefs_file does: "name:
// value" starts an entry; a line starting with whitespace continues the most
// recent entry, even across comment and blank lines, its text appended with
// leading whitespace removed and no separator; "#" starts a comment. Unlike
// Wireshark, names are trimmed of surrounding whitespace, and a continuation
// with no entry to continue is reported and ignored.
func parse(data []byte, file string) parsed {
	var ps parsed
	cur := -1 // entry being continued, index into ps.entries
	lineNo := 0
	for len(data) > 0 {
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i+1], data[i+1:]
		} else {
			raw, data = data, nil
		}
		lineNo++
		r := string(raw)
		l := fileLine{raw: r, body: r}
		switch {
		case strings.HasSuffix(l.body, "\r\n"):
			l.body, l.eol = l.body[:len(l.body)-2], "\r\n"
		case strings.HasSuffix(l.body, "\n"):
			l.body, l.eol = l.body[:len(l.body)-1], "\n"
		}
		idx := len(ps.lines)
		switch b := l.body; {
		case trimSpace(b) == "":
			// Blank lines neither end nor continue an entry.
		case b[0] == '#':
			if name, value, ok := strings.Cut(b[1:], ":"); ok && known(name) {
				var q Prefs
				if q.Set(name, value) == nil {
					l.kind, l.name, l.value = linePlaceholder, name, value
				}
			}
		case strings.IndexByte(asciiSpace, b[0]) >= 0:
			if cur < 0 {
				ps.warns = append(ps.warns, Warning{file, lineNo,
					"indented line continues no preference; ignored (a value that goes on past one line continues on lines starting with a tab)"})
				break
			}
			l.kind, l.owner = lineCont, ps.entries[cur].line
			ps.entries[cur].parts = append(ps.entries[cur].parts, strings.TrimLeft(b, asciiSpace))
		default:
			name, value, ok := strings.Cut(b, ":")
			name = trimSpace(name)
			if !ok || name == "" {
				ps.warns = append(ps.warns, Warning{file, lineNo,
					fmt.Sprintf("malformed line %s; want \"name: value\"", quoteShort(b))})
				cur = -1
				break
			}
			l.kind, l.name, l.value = lineEntry, name, value
			ps.entries = append(ps.entries, entry{line: idx, name: name, parts: []string{value}})
			cur = len(ps.entries) - 1
		}
		ps.lines = append(ps.lines, l)
	}
	return ps
}

// looksLikePrefs reports whether some line is, or is a commented-out, entry
// for a dotted preference name: true of every file Wireshark or wirelens
// writes (and of a user's typo), false of passwd, shadow, keys and captures.
func (ps parsed) looksLikePrefs() bool {
	for _, l := range ps.lines {
		switch l.kind {
		case linePlaceholder:
			return true
		case lineEntry:
			if isPrefName(l.name) {
				return true
			}
		}
	}
	return false
}

// isPrefName: "proto.name" in the characters Wireshark's names use.
func isPrefName(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if i == 0 || i == len(s)-1 {
				return false
			}
			dot = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return dot
}

// decode applies a file's entries over the defaults; the last entry for a
// name wins, as in Wireshark.
func decode(data []byte, file string) (Prefs, []Warning) {
	ps := parse(data, file)
	p := Default()
	if !ps.looksLikePrefs() && (len(ps.warns) > 0 || len(ps.entries) > 0) {
		// Echoing the lines of /etc/shadow or a private key linked in by
		// mistake (or by someone else) would print secrets into a terminal
		// or a log: say what the file is not, and nothing of what it holds.
		return p, []Warning{{file, 1, "not a preferences file (no line names a preference, such as \"tcp.check_checksum: TRUE\"); ignored it, using the defaults"}}
	}
	warns := ps.warns
	for _, e := range ps.entries {
		if err := p.Set(e.name, e.value()); err != nil {
			msg := err.Error()
			if known(e.name) {
				// The damaged line is the last word on this name so far; letting
				// an earlier line win instead would make the warning's
				// "using the default" untrue.
				p.resetToDefault(e.name)
				dv, _ := Default().Get(e.name)
				msg += "; using the default, " + dv
			}
			warns = append(warns, Warning{file, e.line + 1, msg})
		}
	}
	sortWarnings(warns)
	if len(warns) > maxWarnings {
		more := len(warns) - maxWarnings
		warns = append(warns[:maxWarnings], Warning{file, warns[maxWarnings].Line,
			fmt.Sprintf("%d more warnings not shown", more)})
	}
	return p, warns
}

// known reports whether name is a registered preference.
func known(name string) bool {
	_, s := lookup(name)
	return s != nil
}

func (p *Prefs) resetToDefault(name string) {
	v, _ := Default().Get(name)
	_ = p.Set(name, v)
}

// sortWarnings orders by line; warnings arrive in two streams (structure,
// then values), and a hostile file can produce hundreds of thousands before
// the cap, so no insertion sort.
func sortWarnings(w []Warning) {
	sort.SliceStable(w, func(i, j int) bool { return w[i].Line < w[j].Line })
}

// header starts a file Save creates, after Wireshark's.
const header = `# Configuration file for wirelens, in Wireshark's preferences format.
#
# Making manual changes should be safe: wirelens keeps comments and lines
# it does not understand when it saves.
# Preferences that have been commented out have not been
# changed from their default value.
`

// Save writes p to path atomically: readers see the old file or the new
// one, never a mix. An existing file keeps its comments, unknown lines and
// layout; known entries are updated in place, and preferences not yet in
// the file are appended in Wireshark's block layout, commented out when at
// their default. A new file (and its directory, 0700) is created mode 0600;
// an existing file keeps its mode and its owner.
//
// A symbolic link is followed, so that dotfile managers' links keep
// working, but only to a regular file the user owns: a link planted to
// /etc/shadow must not be rewritten when wirelens runs under sudo. The
// user is the invoking one under sudo (SUDO_UID), not root.
func Save(path string, p Prefs) error {
	target, st, err := saveTarget(path)
	if err != nil {
		return fmt.Errorf("saving preferences to %s: %w", path, err)
	}
	mode := fs.FileMode(0o600)
	var old []byte
	owner := -1 // keep: the uid and gid to give the new file, -1 for ours
	group := -1
	if st != nil {
		mode = st.Mode().Perm()
		owner, group = fileOwner(st)
		// Refuse to replace a file we cannot read and therefore could not
		// keep the user's lines of.
		if old, err = readBounded(target); err != nil {
			return fmt.Errorf("saving preferences to %s: %w", path, err)
		}
	}
	out := render(old, p)
	dir := filepath.Dir(target)
	if err := mkdirOwned(dir); err != nil {
		return fmt.Errorf("saving preferences to %s: %w", path, err)
	}
	if st == nil && os.Geteuid() == 0 {
		// A new file under a user's home made by sudo belongs to that user,
		// like the directory it is made in.
		if dst, err := os.Stat(dir); err == nil {
			owner, group = fileOwner(dst)
		}
	}
	if err := writeAtomic(target, dir, out, mode, owner, group); err != nil {
		return fmt.Errorf("saving preferences to %s: %w", path, err)
	}
	return nil
}

// saveTarget resolves path to the file Save may replace and its current
// state (nil when it does not exist yet), or says why it may not.
func saveTarget(path string) (string, fs.FileInfo, error) {
	lst, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	target := path
	st := lst
	if lst.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return "", nil, fmt.Errorf("%s is a symbolic link whose target cannot be resolved (%v); not following it", path, err)
		}
		if st, err = os.Stat(target); err != nil {
			return "", nil, err
		}
		if !st.Mode().IsRegular() {
			return "", nil, fmt.Errorf("%s is a symbolic link to %s, which is not a regular file; not following it", path, target)
		}
		if uid, _ := fileOwner(st); uid >= 0 && uid != invokingUID() {
			return "", nil, fmt.Errorf("%s is a symbolic link to %s, which belongs to uid %d, not to you (uid %d); not following it", path, target, uid, invokingUID())
		}
		return target, st, nil
	}
	if !st.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s is not a regular file", path)
	}
	if uid, _ := fileOwner(st); uid >= 0 && os.Geteuid() != 0 && uid != os.Geteuid() {
		// Without root the replacement would silently change hands.
		return "", nil, fmt.Errorf("%s belongs to uid %d, not to you (uid %d)", path, uid, os.Geteuid())
	}
	return target, st, nil
}

// invokingUID is the user wirelens acts for: under sudo the one who ran
// sudo, else the effective user.
func invokingUID() int {
	if os.Geteuid() == 0 {
		if s := os.Getenv("SUDO_UID"); s != "" {
			if n, err := strconv.Atoi(s); err == nil && n >= 0 {
				return n
			}
		}
	}
	return os.Geteuid()
}

// mkdirOwned makes dir and its missing parents (0700); made by root, each
// takes the owner of the directory it was made in, so that sudo does not
// leave a root-owned ~/.config/wirelens behind.
func mkdirOwned(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirOwned(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if os.Geteuid() == 0 {
		if pst, err := os.Stat(parent); err == nil {
			if uid, gid := fileOwner(pst); uid >= 0 {
				_ = os.Lchown(dir, uid, gid)
			}
		}
	}
	return nil
}

// Hooks for tests: a failure between writing the temporary file and
// renaming it is the case atomicity is for, and root (which runs the tests
// here) cannot be made to hit it through permissions.
var (
	syncFile = (*os.File).Sync
	rename   = os.Rename
)

func writeAtomic(target, dir string, data []byte, mode fs.FileMode, uid, gid int) (err error) {
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if uid >= 0 && os.Geteuid() == 0 && uid != os.Geteuid() {
		// Keep the owner: root saving a user's file must not take it over.
		if err = f.Chown(uid, gid); err != nil {
			return err
		}
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	// Without the sync a crash soon after the rename can leave an empty
	// file on ext4 and others: the rename reaches the disk first.
	if err = syncFile(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = rename(tmp, target); err != nil {
		return err
	}
	// Make the rename itself durable. Some filesystems refuse to sync a
	// directory; the new file is in place by now, so that is not worth
	// failing the save over.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// render returns the new file contents for p given the old contents (nil
// for a new file).
func render(old []byte, p Prefs) []byte {
	ps := parse(old, "")
	eol := "\n"
	for _, l := range ps.lines {
		if l.eol != "" {
			eol = l.eol // follow the file's own line ending
			break
		}
	}
	dflt := Default()
	line := func(name string, commented bool) string {
		v, _ := p.Get(name)
		if commented {
			return "#" + name + ": " + v
		}
		return name + ": " + v
	}

	// Which lines to rewrite. An uncommented known entry is the user's
	// explicit setting: every one is updated (so no stale duplicate is left)
	// and stays uncommented even at the default. Otherwise the last
	// placeholder for the name is updated, but only if uncommenting it would
	// not capture continuation lines that belong to an earlier entry.
	hasEntry := map[string]bool{}
	for _, l := range ps.lines {
		if l.kind == lineEntry && known(l.name) {
			hasEntry[l.name] = true
		}
	}
	capture := indentedAhead(ps.lines)
	placeholder := map[string]int{}
	for i, l := range ps.lines {
		if l.kind == linePlaceholder && !hasEntry[l.name] && !capture[i] {
			placeholder[l.name] = i
		}
	}

	var b strings.Builder
	if len(old) == 0 {
		b.WriteString(header)
	}
	done := map[string]bool{}
	for i, l := range ps.lines {
		switch {
		case l.kind == lineEntry && known(l.name):
			b.WriteString(line(l.name, false) + l.eol)
			done[l.name] = true
		case l.kind == lineCont && known(ps.lines[l.owner].name):
			// Part of a value just rewritten on one line.
		case l.kind == linePlaceholder && isPlaceholder(placeholder, l.name, i):
			v, _ := dflt.Get(l.name)
			w, _ := p.Get(l.name)
			b.WriteString(line(l.name, v == w) + l.eol)
			done[l.name] = true
		default:
			b.WriteString(l.raw)
		}
	}
	for _, d := range switches() {
		if done[d.Name] {
			continue
		}
		if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteString(eol)
		}
		b.WriteString(eol)
		for _, c := range d.Desc {
			b.WriteString("# " + c + eol)
		}
		for _, c := range d.kind() {
			b.WriteString("# " + c + eol)
		}
		v, _ := dflt.Get(d.Name)
		w, _ := p.Get(d.Name)
		b.WriteString(line(d.Name, v == w) + eol)
	}
	return []byte(b.String())
}

func isPlaceholder(m map[string]int, name string, i int) bool {
	j, ok := m[name]
	return ok && j == i
}

// indentedAhead reports, per line, whether an indented line follows it
// before the next entry or malformed line. Such a line continues an earlier
// entry (or nothing), and would continue a placeholder at that position
// instead if it were uncommented. One backward pass, so that a hostile file
// of many placeholders is not quadratic to save.
func indentedAhead(lines []fileLine) []bool {
	out := make([]bool, len(lines))
	ahead := false
	for i := len(lines) - 1; i >= 0; i-- {
		out[i] = ahead
		switch b := lines[i].body; {
		case trimSpace(b) == "" || b[0] == '#':
		case strings.IndexByte(asciiSpace, b[0]) >= 0:
			ahead = true
		default:
			ahead = false // an entry or a malformed line: continuation ends
		}
	}
	return out
}
