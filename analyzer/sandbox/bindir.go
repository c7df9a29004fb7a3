package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNoBinaries is returned (wrapped) when no PostgreSQL server binaries
// can be found on the machine.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) found in $PGADVISOR_PG_BINDIR, pg_config --bindir, PATH or /usr/lib/postgresql/*/bin: " +
	"install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; Fedora: dnf install postgresql-server; macOS: brew install postgresql) " +
	"or put its bin directory on PATH")

// BinDir is a directory holding PostgreSQL server binaries.
type BinDir struct {
	// Path is the directory (symlinks resolved).
	Path string
	// Version is the output of `postgres --version`, e.g.
	// "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".
	Version string
	// Major is the major version number (15 for 15.20, 9 for 9.6).
	Major int
	// Minor is the minor version number (20 for 15.20).
	Minor int
}

// Tool returns the path of the named program in the directory (initdb,
// pg_ctl, psql, pgbench, ...), or "" when it is not there.
func (b BinDir) Tool(name string) string {
	p := filepath.Join(b.Path, name)
	if isExecutable(p) {
		return p
	}
	return ""
}

// FindBinDir returns the directory of the newest PostgreSQL server found
// on the machine: $PGADVISOR_PG_BINDIR when set (and only it), otherwise
// the candidates from `pg_config --bindir`, the directories on PATH that
// hold initdb, /usr/lib/postgresql/*/bin (Debian, Ubuntu) and
// /usr/pgsql-*/bin (RHEL). A directory qualifies when it holds initdb and
// postgres. The error wraps ErrNoBinaries when none does.
func FindBinDir(ctx context.Context) (BinDir, error) {
	if dir := os.Getenv("PGADVISOR_PG_BINDIR"); dir != "" {
		b, err := inspectBinDir(ctx, dir)
		if err != nil {
			return BinDir{}, fmt.Errorf("PGADVISOR_PG_BINDIR=%s: %w", dir, err)
		}
		return b, nil
	}
	var found []BinDir
	seen := map[string]bool{}
	for _, dir := range candidateDirs(ctx) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seen[real] {
			continue
		}
		seen[real] = true
		b, err := inspectBinDir(ctx, real)
		if err != nil {
			continue
		}
		found = append(found, b)
	}
	if len(found) == 0 {
		return BinDir{}, ErrNoBinaries
	}
	// Newest first; discovery order breaks ties (stable sort).
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].Major != found[j].Major {
			return found[i].Major > found[j].Major
		}
		return found[i].Minor > found[j].Minor
	})
	return found[0], nil
}

// candidateDirs lists the directories that may hold server binaries, in
// discovery order.
func candidateDirs(ctx context.Context) []string {
	var dirs []string
	if pgConfig, err := exec.LookPath("pg_config"); err == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		out, err := exec.CommandContext(ctx, pgConfig, "--bindir").Output()
		cancel()
		if err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	// Every initdb on PATH, not only the first: PATH may list an old
	// version before a newer one.
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "initdb")
		if isExecutable(p) {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				dirs = append(dirs, filepath.Dir(real))
			}
		}
	}
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	return dirs
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// inspectBinDir checks that dir holds initdb and postgres and reads the
// server version.
func inspectBinDir(ctx context.Context, dir string) (BinDir, error) {
	for _, tool := range []string{"initdb", "postgres"} {
		if !isExecutable(filepath.Join(dir, tool)) {
			return BinDir{}, fmt.Errorf("%s: no executable %s: %w", dir, tool, ErrNoBinaries)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return BinDir{}, fmt.Errorf("run %s --version: %w", filepath.Join(dir, "postgres"), err)
	}
	b := BinDir{Path: dir, Version: strings.TrimSpace(string(out))}
	m := versionRE.FindStringSubmatch(b.Version)
	if m == nil {
		return BinDir{}, fmt.Errorf("%s --version: unrecognized output %q", filepath.Join(dir, "postgres"), b.Version)
	}
	b.Major, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		b.Minor, _ = strconv.Atoi(m[2])
	}
	return b, nil
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
