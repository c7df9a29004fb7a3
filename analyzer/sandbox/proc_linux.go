package sandbox

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// setPdeathsig makes the kernel send SIGQUIT (PostgreSQL's immediate
// shutdown) to the child when the thread that started it dies, so a
// crashed or killed pgadvisor leaves no server running. Go sets it after
// switching credentials, which would otherwise clear it.
func setPdeathsig(a *syscall.SysProcAttr) {
	a.Pdeathsig = syscall.SIGQUIT
}

// procState returns the state letter and process group of pid from
// /proc/<pid>/stat, or ok=false when there is no such process.
func procState(pid int) (state byte, pgrp int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return 0, 0, false
	}
	pgrp, _ = strconv.Atoi(f[2])
	return f[0][0], pgrp, true
}

// processAlive reports whether pid is a live process. Zombies count as
// dead: in containers whose init does not reap orphans, a stopped
// server's processes may stay zombies forever.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	state, _, ok := procState(pid)
	return ok && state != 'Z' && state != 'X'
}

// groupAlive reports whether a live process of the group led by pid
// exists.
func groupAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(-pid, 0); err == syscall.ESRCH {
		return false
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		child, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil {
			continue
		}
		if state, pgrp, ok := procState(child); ok && pgrp == pid && state != 'Z' && state != 'X' {
			return true
		}
	}
	return false
}

// children returns the live child processes of pid. PostgreSQL's
// backends make themselves process group leaders, so the postmaster's
// group does not contain them; Stop tracks them by parent instead.
func children(pid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 || f[0] == "Z" || f[0] == "X" || f[1] != strconv.Itoa(pid) {
			continue
		}
		if child, err := strconv.Atoi(filepath.Base(filepath.Dir(p))); err == nil {
			out = append(out, child)
		}
	}
	return out
}
