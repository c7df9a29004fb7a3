//go:build !unix

package sandbox

import (
	"errors"
	"syscall"
)

// supported reports whether sandboxes can run on this operating system.
const supported = false

type account struct {
	name     string
	uid, gid int
}

var errUnsupported = errors.New("the PostgreSQL sandbox needs a Unix system; pass --db URL instead")

func runAsAccount(string) (*account, error)     { return nil, errUnsupported }
func sysProcAttr(*account) *syscall.SysProcAttr { return nil }
func chown(string, *account) error              { return errUnsupported }
func signalGroup(int, syscall.Signal) error     { return errUnsupported }
func groupAlive(int) bool                       { return false }
func processAlive(int) bool                     { return false }

var (
	sigQuit = syscall.Signal(3)
	sigKill = syscall.Signal(9)
)

func children(int) []int { return nil }
