package sandbox_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// helperEnv makes the test binary act as a pgadvisor process that starts
// a sandbox and is then killed (see TestKilledOwnerLeavesNoServer).
const helperEnv = "SANDBOX_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "start-and-wait":
		c, err := sandbox.Start(context.Background(), sandbox.Options{})
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(1)
		}
		fmt.Println("READY", c.Dir(), c.PID())
		select {}
	case "like-the-cli":
		// What pgadvisor's commands do: a context cancelled by Ctrl-C
		// or SIGTERM, and a deferred Stop.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		c, err := sandbox.Start(ctx, sandbox.Options{})
		if err != nil {
			fmt.Println("ERROR", err)
			os.Exit(1)
		}
		defer c.Stop()
		fmt.Println("READY", c.Dir(), c.PID())
		<-ctx.Done()
		return
	}
	pgtest.Main(m)
}

// skipShort skips tests that start servers under -short.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs PostgreSQL server binaries; skipped with -short")
	}
}

func TestFindBinDir(t *testing.T) {
	skipShort(t)
	t.Run("installed", func(t *testing.T) {
		b, err := sandbox.FindBinDir(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if b.Major < 10 || b.Tool("initdb") == "" || b.Tool("postgres") == "" {
			t.Errorf("FindBinDir() = %+v: want a server of version 10 or later with initdb and postgres", b)
		}
		if !strings.Contains(b.Version, fmt.Sprintf("(PostgreSQL) %d.", b.Major)) {
			t.Errorf("version %q does not match major %d", b.Version, b.Major)
		}
	})
	t.Run("override without binaries", func(t *testing.T) {
		t.Setenv("PGADVISOR_PG_BINDIR", t.TempDir())
		_, err := sandbox.FindBinDir(context.Background())
		if !errors.Is(err, sandbox.ErrNoBinaries) {
			t.Fatalf("FindBinDir() error = %v, want ErrNoBinaries", err)
		}
		if !strings.Contains(err.Error(), "apt-get install postgresql") {
			t.Errorf("error %q does not say what to install", err)
		}
	})
}

// privateTempDir points TMPDIR at a fresh directory that the sandbox's
// account can reach, so a test sees exactly the sandbox directories it
// creates.
func privateTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("TMPDIR", dir)
	return dir
}

func sandboxDirs(t *testing.T, base string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(base, "pgadvisor-sandbox-*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// serverProcesses lists the postmaster pid and its live children.
func serverProcesses(pid int) []int {
	pids := []int{pid}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) && f[0] != "Z" && f[0] != "X" {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			pids = append(pids, child)
		}
	}
	return pids
}

// living returns the pids that are still live processes.
func living(pids []int) []int {
	var out []int
	for _, p := range pids {
		if alive(p) {
			out = append(out, p)
		}
	}
	return out
}

// procUID returns the real uid of pid.
func procUID(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "Uid:" {
			uid, _ := strconv.Atoi(f[1])
			return uid
		}
	}
	t.Fatalf("no Uid in /proc/%d/status", pid)
	return -1
}

func TestStartStop(t *testing.T) {
	skipShort(t)
	base := privateTempDir(t)
	ctx := context.Background()
	c, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()

	if got := filepath.Dir(c.Dir()); got != base {
		t.Errorf("sandbox directory %s is not in TMPDIR %s", c.Dir(), base)
	}
	if n := len(c.Dir() + "/.s.PGSQL.5432"); n > 100 {
		t.Errorf("socket path is %d bytes long", n)
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, name := range []string{"listen_addresses", "unix_socket_directories", "fsync", "server_encoding", "lc_collate", "data_directory"} {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		settings[name] = v
	}
	conn.Close(ctx)
	want := map[string]string{
		"listen_addresses":        "",
		"unix_socket_directories": c.Dir(),
		"fsync":                   "off",
		"server_encoding":         "UTF8",
		"lc_collate":              "C",
		"data_directory":          c.DataDir(),
	}
	for k, v := range want {
		if settings[k] != v {
			t.Errorf("%s = %q, want %q", k, settings[k], v)
		}
	}

	// The keyword/value DSN reaches the same server.
	conn2, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatalf("connect with DSN %q: %v", c.DSN("postgres"), err)
	}
	conn2.Close(ctx)

	// Root runs the server as the postgres account.
	wantUID := os.Getuid()
	if wantUID == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root without a postgres account: %v", err)
		}
		wantUID, _ = strconv.Atoi(u.Uid)
	}
	if got := procUID(t, c.PID()); got != wantUID {
		t.Errorf("postmaster runs as uid %d, want %d", got, wantUID)
	}
	fi, err := os.Stat(c.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := int(fi.Sys().(*syscall.Stat_t).Uid); got != wantUID {
		t.Errorf("data directory owned by uid %d, want %d", got, wantUID)
	}

	procs := serverProcesses(c.PID())
	if len(procs) < 3 {
		t.Errorf("server has %d processes (%v), want the postmaster and its children", len(procs), procs)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if left := living(procs); len(left) > 0 {
		t.Errorf("processes left after Stop: %v", left)
	}
	if _, err := os.Stat(c.Dir()); !os.IsNotExist(err) {
		t.Errorf("directory %s left after Stop (stat: %v)", c.Dir(), err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	select {
	case <-c.Done():
	default:
		t.Error("Done() not closed after Stop")
	}
}

func TestContextCancelStops(t *testing.T) {
	skipShort(t)
	privateTempDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	procs := serverProcesses(c.PID())
	cancel() // what Ctrl-C does through signal.NotifyContext
	select {
	case <-c.Done():
	case <-time.After(30 * time.Second):
		c.Stop()
		t.Fatal("cluster still running 30s after its context ended")
	}
	if left := living(procs); len(left) > 0 {
		t.Errorf("processes left after cancel: %v", left)
	}
	if _, err := os.Stat(c.Dir()); !os.IsNotExist(err) {
		t.Errorf("directory %s left after cancel (stat: %v)", c.Dir(), err)
	}
}

func TestStartFailureLeavesNothing(t *testing.T) {
	skipShort(t)
	tests := []struct {
		name string
		opts sandbox.Options
		want string
	}{
		{
			name: "unknown setting",
			opts: sandbox.Options{Settings: map[string]string{"no_such_setting": "1"}},
			want: `unrecognized configuration parameter "no_such_setting"`,
		},
		{
			name: "library not installed",
			opts: sandbox.Options{Settings: map[string]string{"shared_preload_libraries": "no_such_library"}},
			want: `could not access file "no_such_library"`,
		},
		{
			name: "no binaries",
			opts: sandbox.Options{BinDir: "/nonexistent"},
			want: "no PostgreSQL server binaries",
		},
		{
			name: "no such account",
			opts: sandbox.Options{User: "no_such_user_pgadvisor"},
			want: `no unprivileged user "no_such_user_pgadvisor"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.User != "" && os.Geteuid() != 0 {
				// The account only matters to root; as another user the
				// sandbox must start anyway.
				tt.want = ""
			}
			base := privateTempDir(t)
			c, err := sandbox.Start(context.Background(), tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				c.Stop()
				return
			}
			if err == nil {
				c.Stop()
				t.Fatalf("Start succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if dirs := sandboxDirs(t, base); len(dirs) > 0 {
				t.Errorf("failed Start left %v", dirs)
			}
		})
	}
}

// TestKilledOwnerLeavesNoServer kills (SIGKILL, no cleanup possible) a
// process that started a sandbox, checks that the kernel's parent-death
// signal stops the server, and that the next Start removes the directory
// left behind.
func TestKilledOwnerLeavesNoServer(t *testing.T) {
	skipShort(t)
	base := privateTempDir(t)
	cmd, dir, pid := startHelper(t, "start-and-wait")
	procs := serverProcesses(pid)
	if len(living(procs)) < 3 {
		t.Fatalf("server processes %v not running", procs)
	}
	cmd.Process.Kill()
	cmd.Wait()

	deadline := time.Now().Add(20 * time.Second)
	for len(living(procs)) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if left := living(procs); len(left) > 0 {
		for _, p := range left {
			syscall.Kill(p, syscall.SIGKILL)
		}
		t.Fatalf("server processes %v survived their owner's death", left)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("stale directory %s: %v", dir, err)
	}

	c, err := sandbox.Start(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("next Start did not remove the stale directory %s (stat: %v)", dir, err)
	}
	if dirs := sandboxDirs(t, base); len(dirs) != 1 || dirs[0] != c.Dir() {
		t.Errorf("sandbox directories = %v, want only %s", dirs, c.Dir())
	}
}

// TestLogging starts a server the way log-reading packages do and checks
// that each log format receives statements, durations and auto_explain
// plans, and that pg_stat_statements works.
func TestLogging(t *testing.T) {
	skipShort(t)
	c := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries":      "pg_stat_statements,auto_explain",
		"logging_collector":             "on",
		"log_destination":               "stderr,csvlog,jsonlog",
		"log_min_duration_statement":    "0",
		"auto_explain.log_min_duration": "0",
		"auto_explain.log_format":       "json",
		"log_line_prefix":               "%m [%p] %q%u@%d ",
	}})
	ctx := context.Background()
	conn := pgtest.Connect(t, c.URL("postgres"))
	for _, sql := range []string{
		"CREATE EXTENSION pg_stat_statements",
		"SELECT count(*) AS pgadvisor_marker FROM pg_class",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var calls int
	if err := conn.QueryRow(ctx, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%pgadvisor_marker%'").Scan(&calls); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("pg_stat_statements calls = %d, want 1", calls)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_rotate_logfile()"); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".log", ".csv", ".json"} {
		t.Run(ext, func(t *testing.T) {
			var text string
			deadline := time.Now().Add(10 * time.Second)
			for {
				files, _ := filepath.Glob(filepath.Join(c.LogDir(), "*"+ext))
				text = ""
				for _, f := range files {
					b, _ := os.ReadFile(f)
					text += string(b)
				}
				if strings.Contains(text, "Query Text") || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			for _, want := range []string{"pgadvisor_marker", "duration:", "Query Text"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s logs in %s lack %q", ext, c.LogDir(), want)
				}
			}
		})
	}
}

// startHelper runs this test binary as a process that starts a sandbox,
// in its own process group like a command started from a shell, and
// returns the sandbox's directory and postmaster pid.
func startHelper(t *testing.T, mode string) (*exec.Cmd, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 || f[0] != "READY" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q (%v)", line, err)
	}
	pid, _ := strconv.Atoi(f[2])
	return cmd, f[1], pid
}

// TestInterruptCleansUp sends SIGINT and SIGTERM to the whole process
// group of a pgadvisor-like process, as a terminal's Ctrl-C does, and
// checks that the server and its directory are gone when it exits.
func TestInterruptCleansUp(t *testing.T) {
	skipShort(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			privateTempDir(t)
			cmd, dir, pid := startHelper(t, "like-the-cli")
			procs := serverProcesses(pid)
			if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("helper exited with %v", err)
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("helper still running 30s after the signal")
			}
			if left := living(procs); len(left) > 0 {
				t.Errorf("server processes %v left after %v", left, sig)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("directory %s left after %v (stat: %v)", dir, sig, err)
			}
		})
	}
}

// TestTemplateCache checks that the second Start copies the cached
// initdb result, that the copy is a working cluster owned by the right
// account, and that a broken template is replaced instead of failing.
func TestTemplateCache(t *testing.T) {
	skipShort(t)
	privateTempDir(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	ctx := context.Background()
	start := func(wantTemplate bool) *sandbox.Cluster {
		t.Helper()
		c, err := sandbox.Start(ctx, sandbox.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := sandbox.FromTemplate(c); got != wantTemplate {
			t.Errorf("cluster from template = %v, want %v", got, wantTemplate)
		}
		pgtest.Exec(t, c.URL("postgres"), "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000); CHECKPOINT;")
		return c
	}

	first := start(false)
	_, tmpl := sandbox.FromTemplate(first)
	first.Stop()
	if !strings.HasPrefix(tmpl, os.Getenv("XDG_CACHE_HOME")) {
		t.Fatalf("template %q not in the cache directory", tmpl)
	}
	if _, err := os.Stat(filepath.Join(tmpl, "data", "global", "pg_control")); err != nil {
		t.Fatalf("no template saved: %v", err)
	}

	second := start(true)
	fi, err := os.Stat(second.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("data directory mode %v, want %v", got, want)
	}
	if got := int(fi.Sys().(*syscall.Stat_t).Uid); got != procUID(t, second.PID()) {
		t.Errorf("copied data directory owned by uid %d, server runs as %d", got, procUID(t, second.PID()))
	}
	second.Stop()

	// A template that cannot start is rebuilt.
	if err := os.Remove(filepath.Join(tmpl, "data", "global", "pg_control")); err != nil {
		t.Fatal(err)
	}
	third := start(false)
	third.Stop()
	if _, err := os.Stat(filepath.Join(tmpl, "data", "global", "pg_control")); err != nil {
		t.Errorf("broken template not rebuilt: %v", err)
	}
}
