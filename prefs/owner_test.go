//go:build unix

package prefs_test

import (
	. "github.com/wirelens/wirelens/prefs"

	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// A file that is not a preferences file (shadow, a key) is reported in one
// line that holds none of its text.
func TestLoadForeignFileNotEchoed(t *testing.T) {
	for name, content := range map[string]string{
		"shadow": "root:$y$j9T$secrethash:19700:0:99999:7:::\nalice:$6$othersecret:19700:0:99999:7:::\n",
		"key":    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n",
		"passwd": "root:x:0:0:root:/root:/bin/bash\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, content)
			p, w := mustLoad(t, path)
			if !reflect.DeepEqual(p, Default()) {
				t.Errorf("prefs %+v, want the defaults", p)
			}
			if len(w) != 1 || !strings.Contains(w[0].Msg, "not a preferences file") {
				t.Fatalf("warnings %v; want one saying it is not a preferences file", w)
			}
			for _, secret := range []string{"root", "alice", "secret", "b3Bl", "BEGIN", "bash"} {
				if strings.Contains(w[0].String(), secret) {
					t.Errorf("warning %q echoes %q from the file", w[0], secret)
				}
			}
		})
	}
	// A real file with one typo still gets its "did you mean".
	path := writeFile(t, "tcp.check_chksum: FALSE\n")
	_, w := mustLoad(t, path)
	if len(w) != 1 || !strings.Contains(w[0].Msg, "did you mean tcp.check_checksum") {
		t.Errorf("typo warnings %v", w)
	}
}

func owner(t *testing.T, path string) (uint32, uint32) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s := st.Sys().(*syscall.Stat_t)
	return s.Uid, s.Gid
}

func needRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user (CI runs as root)")
	}
}

// sudo wirelens saving a user's file keeps it the user's.
func TestSaveKeepsOwnerAsRoot(t *testing.T) {
	needRoot(t)
	t.Setenv("SUDO_UID", "4242")
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences")
	if err := os.WriteFile(path, []byte("# mine\ntcp.check_checksum: TRUE\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 4242, 4343); err != nil {
		t.Fatal(err)
	}
	p := Default()
	if err := p.Set("tcp.check_checksum", "FALSE"); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	if u, g := owner(t, path); u != 4242 || g != 4343 {
		t.Errorf("owner %d:%d after Save, want 4242:4343", u, g)
	}
	if got := mustRead(t, path); !strings.Contains(got, "# mine") || !strings.Contains(got, "tcp.check_checksum: FALSE") {
		t.Errorf("file after Save:\n%s", got)
	}

	// A new file (and directory) under a user's directory is the user's.
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(home, 4242, 4343); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(home, ".config", "wirelens", "preferences")
	if err := Save(fresh, p); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{fresh, filepath.Dir(fresh), filepath.Dir(filepath.Dir(fresh))} {
		if u, g := owner(t, f); u != 4242 || g != 4343 {
			t.Errorf("%s owned by %d:%d, want 4242:4343", f, u, g)
		}
	}
}

// A link to a file that is not the user's, or not a regular file, is not
// written through; the target stays as it was.
func TestSaveRefusesForeignSymlink(t *testing.T) {
	needRoot(t)
	t.Setenv("SUDO_UID", "4242")
	dir := t.TempDir()
	shadow := filepath.Join(dir, "shadow")
	const secret = "root:$y$hash:19700:0:99999:7:::\n"
	if err := os.WriteFile(shadow, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "preferences")
	if err := os.Symlink(shadow, link); err != nil {
		t.Fatal(err)
	}
	err := Save(link, Default())
	if err == nil || !strings.Contains(err.Error(), "not to you") || !strings.Contains(err.Error(), link) {
		t.Errorf("Save through a link to root's file: %v; want a refusal naming %s", err, link)
	}
	if got := mustRead(t, shadow); got != secret {
		t.Errorf("target rewritten:\n%s", got)
	}

	// To a directory, or dangling.
	for name, to := range map[string]string{"dir": dir, "dangling": filepath.Join(dir, "nothing")} {
		l := filepath.Join(dir, "link-"+name)
		if err := os.Symlink(to, l); err != nil {
			t.Fatal(err)
		}
		if err := Save(l, Default()); err == nil {
			t.Errorf("Save through a %s link succeeded", name)
		}
	}

	// A link to the user's own file is followed (dotfile managers).
	mine := filepath.Join(dir, "dotfiles-preferences")
	if err := os.WriteFile(mine, []byte("# kept\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(mine, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	ml := filepath.Join(dir, "my-link")
	if err := os.Symlink(mine, ml); err != nil {
		t.Fatal(err)
	}
	if err := Save(ml, Default()); err != nil {
		t.Fatalf("Save through a link to the user's own file: %v", err)
	}
	if st, err := os.Lstat(ml); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if got := mustRead(t, mine); !strings.HasPrefix(got, "# kept\n") {
		t.Errorf("target after Save:\n%s", got)
	}
}
