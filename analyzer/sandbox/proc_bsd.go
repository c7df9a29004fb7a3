//go:build unix && !linux

package sandbox

import (
	"errors"
	"syscall"
)

// setPdeathsig does nothing: only Linux has a parent-death signal.
func setPdeathsig(*syscall.SysProcAttr) {}

// groupAlive reports whether any process of the group led by pid exists.
func groupAlive(pid int) bool {
	err := syscall.Kill(-pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// children returns nil: without /proc, Stop relies on the postmaster
// reaping its own children.
func children(int) []int { return nil }
