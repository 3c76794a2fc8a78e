package live

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// DropPrivileges gives up root once the capture sockets are open, as
// tcpdump -Z does: when the process runs as root and was started by sudo
// (SUDO_UID and SUDO_GID set, not 0), it switches to the invoking user, with
// that user's supplementary groups, so parsing hostile packets and writing
// files happen without privilege. Open handles keep working; opening new
// ones fails. It returns the user ID it switched to, or -1 when there was
// nothing to do. Go applies setuid/setgid to every thread of the process.
func DropPrivileges() (int, error) {
	if os.Geteuid() != 0 {
		return -1, nil
	}
	us, gs := os.Getenv("SUDO_UID"), os.Getenv("SUDO_GID")
	if us == "" || gs == "" {
		return -1, nil
	}
	uid, err := strconv.Atoi(us)
	if err != nil || uid < 0 {
		return -1, fmt.Errorf("dropping privileges: SUDO_UID=%q is not a user ID", us)
	}
	gid, err := strconv.Atoi(gs)
	if err != nil || gid < 0 {
		return -1, fmt.Errorf("dropping privileges: SUDO_GID=%q is not a group ID", gs)
	}
	if uid == 0 {
		return -1, nil
	}
	groups := []int{gid}
	// Without the user in /etc/passwd (or /etc/group), keep only the
	// primary group: never the root groups inherited from sudo.
	if u, err := user.LookupId(us); err == nil {
		if ids, err := u.GroupIds(); err == nil {
			for _, s := range ids {
				if g, err := strconv.Atoi(s); err == nil && g != gid {
					groups = append(groups, g)
				}
			}
		}
	}
	// Groups first, then gid, then uid: once uid is not 0 the others can no
	// longer be changed.
	if err := syscall.Setgroups(groups); err != nil {
		return -1, fmt.Errorf("dropping privileges: setting the groups of user %d: %w", uid, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return -1, fmt.Errorf("dropping privileges: switching to group %d: %w", gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return -1, fmt.Errorf("dropping privileges: switching to user %d: %w", uid, err)
	}
	// Setuid from root to another user clears every capability; check it
	// did, since carrying on as root would be worse than stopping.
	if os.Geteuid() != uid || os.Getegid() != gid {
		return -1, fmt.Errorf("dropping privileges: still running as uid %d gid %d after switching to %d/%d", os.Geteuid(), os.Getegid(), uid, gid)
	}
	return uid, nil
}
