package sandbox

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ownerFile, in a sandbox directory, holds the pid of the process that
// created it.
const ownerFile = "owner.pid"

// sweepStale removes the sandbox directories of processes that died
// without cleaning up (SIGKILL, a test binary's timeout panic). The
// kernel's parent-death signal has already stopped their servers on
// Linux; a server still running from such a directory is stopped first,
// after checking that its command line names that directory, so an
// unrelated process that reused the pid is never touched. Failures are
// ignored: sweeping is a courtesy.
func sweepStale() {
	bases := []string{os.TempDir()}
	if bases[0] != "/tmp" {
		bases = append(bases, "/tmp")
	}
	for _, base := range bases {
		dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
		for _, dir := range dirs {
			sweepDir(dir)
		}
	}
}

func sweepDir(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		// A directory being created right now has no owner file yet;
		// only old ones without it are leftovers.
		fi, err := os.Stat(dir)
		if err != nil || time.Since(fi.ModTime()) < time.Hour {
			return
		}
		os.RemoveAll(dir)
		return
	}
	owner, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || processAlive(owner) {
		return
	}
	dataDir := filepath.Join(dir, "data")
	if pid := postmasterPID(dataDir); pid > 0 && processAlive(pid) {
		cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err != nil || !strings.Contains(string(cmdline), dataDir) {
			return
		}
		signalGroup(pid, sigQuit)
		for i := 0; i < 100 && groupAlive(pid); i++ {
			time.Sleep(50 * time.Millisecond)
		}
		if groupAlive(pid) {
			signalGroup(pid, sigKill)
			time.Sleep(100 * time.Millisecond)
		}
	}
	os.RemoveAll(dir)
}

// postmasterPID reads the pid on the first line of postmaster.pid, or 0.
func postmasterPID(dataDir string) int {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	if !s.Scan() {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(s.Text()))
	return pid
}
