//go:build unix

package sandbox

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// supported reports whether sandboxes can run on this operating system.
const supported = true

// account is the unprivileged OS account that runs initdb and postgres
// when pgadvisor runs as root; nil means "run as the current user".
type account struct {
	name     string
	uid, gid int
}

// runAsAccount returns the account to run the server as: nil unless the
// process is root, because initdb and postgres refuse to run as root.
func runAsAccount(name string) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	if name == "" {
		name = "postgres"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root and no unprivileged user %q exists (initdb and postgres refuse to run as root): "+
			"create it (useradd --system %s) or run pgadvisor as a regular user: %w", name, name, err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user %q: non-numeric uid %q or gid %q", name, u.Uid, u.Gid)
	}
	if uid == 0 {
		return nil, fmt.Errorf("user %q has uid 0: initdb and postgres refuse to run as root; choose an unprivileged user", name)
	}
	return &account{name: name, uid: uid, gid: gid}, nil
}

// sysProcAttr puts the child in its own process group, so that a Ctrl-C
// on the terminal reaches pgadvisor (which then stops the cluster in
// order) and not the server directly, runs it as acct when set, and asks
// the kernel to kill it if pgadvisor dies without cleaning up.
func sysProcAttr(acct *account) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if acct != nil {
		a.Credential = &syscall.Credential{Uid: uint32(acct.uid), Gid: uint32(acct.gid)}
	}
	setPdeathsig(a)
	return a
}

// chown gives path to acct (no-op without acct).
func chown(path string, acct *account) error {
	if acct == nil {
		return nil
	}
	return os.Chown(path, acct.uid, acct.gid)
}

// signalGroup sends sig to every process of the process group led by pid.
func signalGroup(pid int, sig syscall.Signal) error {
	return syscall.Kill(-pid, sig)
}

var (
	sigQuit = syscall.SIGQUIT
	sigKill = syscall.SIGKILL
)
