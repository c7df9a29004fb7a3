// Package sandbox starts a throwaway PostgreSQL cluster from the server
// binaries installed on the machine: initdb into a temporary directory,
// postgres listening only on a Unix socket in that directory (no TCP
// port), and everything removed on Stop, on error and when the caller's
// context ends (Ctrl-C). When the process runs as root, the cluster runs
// as an unprivileged account (postgres), because initdb refuses root.
//
// The binaries are the newest found (see FindBinDir);
// PGADVISOR_PG_BINDIR chooses others. The result of the first initdb is
// kept in the user's cache directory (pgadvisor/initdb) and copied by
// later starts, which is several times faster;
// PGADVISOR_SANDBOX_CACHE=off disables that.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the database superuser of every sandbox cluster.
const Superuser = "postgres"

// dirPrefix names the temporary directories of sandboxes, so stale ones
// left by a killed process can be recognized and removed.
const dirPrefix = "pgadvisor-sandbox-"

// Options configure a sandbox cluster. The zero value is ready to use.
type Options struct {
	// Settings are extra server settings (postgresql.conf names), passed
	// as `postgres -c name=value`; they override the sandbox defaults
	// (fsync=off, shared_buffers=32MB, ...) except listen_addresses,
	// unix_socket_directories and port, which the sandbox controls.
	// Examples: "shared_preload_libraries": "pg_stat_statements,auto_explain",
	// "logging_collector": "on", "log_destination": "csvlog",
	// "log_min_duration_statement": "0".
	Settings map[string]string
	// BinDir is the directory of the server binaries; empty means
	// FindBinDir.
	BinDir string
	// User is the OS account that runs the server when the process is
	// root; empty means "postgres". Ignored when not root.
	User string
	// Port is the port number in the socket's name (no TCP port is
	// opened); zero means 5432.
	Port int
	// StartTimeout bounds initdb plus server start; zero means 2 minutes.
	StartTimeout time.Duration
}

// defaultSettings make the throwaway cluster fast and private: no TCP,
// no durability, small memory.
var defaultSettings = map[string]string{
	"listen_addresses":   "",
	"fsync":              "off",
	"synchronous_commit": "off",
	"full_page_writes":   "off",
	"shared_buffers":     "32MB",
	"max_connections":    "100",
}

// Cluster is a running sandbox cluster. Its methods are safe for
// concurrent use.
type Cluster struct {
	bin      BinDir
	dir      string // temporary directory, also the socket directory
	port     int
	settings map[string]string
	acct     *account
	cmd      *exec.Cmd

	template     string // cache directory of the initdb template, or ""
	fromTemplate bool   // the data directory was copied from template

	exited  chan struct{} // closed when the postmaster has exited
	waitErr error         // set before exited is closed

	stopOnce sync.Once
	stopErr  error
	stopped  chan struct{} // closed when Stop has finished
}

// Start creates and starts a cluster. The cluster lives until Stop is
// called or ctx ends (for example on Ctrl-C, with a context from
// signal.NotifyContext), whichever comes first; both remove the server
// processes and the directory. Callers should defer Stop even so: it
// waits for a cleanup that a cancelled ctx started. On error nothing is
// left behind. If the process dies without cleaning up (SIGKILL), Linux
// stops the server (parent-death signal) and the next Start removes the
// directory.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if !supported {
		_, err := runAsAccount("")
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	startCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var bin BinDir
	if opts.BinDir != "" {
		bin, err = inspectBinDir(startCtx, opts.BinDir)
	} else {
		bin, err = FindBinDir(startCtx)
	}
	if err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	acct, err := runAsAccount(opts.User)
	if err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	port := opts.Port
	if port == 0 {
		port = 5432
	}
	sweepStale()

	dir, err := makeDir(acct)
	if err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	c = &Cluster{
		bin:      bin,
		dir:      dir,
		port:     port,
		settings: map[string]string{},
		acct:     acct,
		stopped:  make(chan struct{}),
	}
	for k, v := range defaultSettings {
		c.settings[k] = v
	}
	for k, v := range opts.Settings {
		c.settings[k] = v
	}
	// The sandbox is private: no TCP, one socket in its own directory.
	c.settings["listen_addresses"] = ""
	c.settings["unix_socket_directories"] = dir
	c.settings["port"] = strconv.Itoa(port)
	c.template = templateDir(bin, c.initdbArgs(), acct)
	defer func() {
		if err != nil {
			c.Stop()
			c = nil
		}
	}()

	err = c.boot(startCtx, true)
	if err != nil && c.fromTemplate && startCtx.Err() == nil && !settingsError(c.readServerLog()) {
		// The settings may be wrong, or the cached template broken:
		// try again with initdb, and replace the template only if
		// that works.
		var pending string
		if err = c.reset(); err == nil {
			pending, err = c.initdbStaged(startCtx)
			if err == nil {
				err = c.start(startCtx)
			}
			if err == nil {
				replaceTemplate(c.template, pending)
			}
			os.RemoveAll(pending)
		}
	}
	if err != nil {
		return c, fmt.Errorf("start sandbox: %w", err)
	}
	go func() {
		select {
		case <-ctx.Done():
			c.Stop()
		case <-c.stopped:
		}
	}()
	return c, nil
}

// settingsErrorRE finds the server's complaints about its settings,
// which a fresh data directory would not cure.
var settingsErrorRE = regexp.MustCompile(`unrecognized configuration parameter|invalid value for parameter|could not access file "`)

func settingsError(serverLog string) bool { return settingsErrorRE.MatchString(serverLog) }

// boot creates the data directory, from the cached template when
// useTemplate and there is one, and starts the server.
func (c *Cluster) boot(ctx context.Context, useTemplate bool) error {
	if useTemplate {
		if ok, err := copyTemplate(c.template, c.DataDir(), c.acct); ok {
			c.fromTemplate = true
			return c.start(ctx)
		} else if err != nil {
			dropTemplate(c.template)
		}
	}
	if err := c.initdb(ctx); err != nil {
		return err
	}
	saveTemplate(c.template, c.DataDir())
	return c.start(ctx)
}

// initdbStaged runs initdb and returns a staged copy of its result for
// replaceTemplate.
func (c *Cluster) initdbStaged(ctx context.Context) (string, error) {
	if err := c.initdb(ctx); err != nil {
		return "", err
	}
	return stageTemplate(c.template, c.DataDir()), nil
}

// start starts the server and waits until it accepts connections.
func (c *Cluster) start(ctx context.Context) error {
	if err := c.startServer(); err != nil {
		return err
	}
	return c.waitReady(ctx)
}

// reset stops the server of a failed boot and removes its data
// directory, for another try.
func (c *Cluster) reset() error {
	if c.cmd != nil {
		if err := c.kill(); err != nil {
			return err
		}
		c.cmd = nil
	}
	c.fromTemplate = false
	if err := os.RemoveAll(c.DataDir()); err != nil {
		return fmt.Errorf("remove %s: %w", c.DataDir(), err)
	}
	return nil
}

// makeDir creates the private temporary directory of a cluster, owned by
// acct, with an owner file naming this process for sweepStale.
func makeDir(acct *account) (string, error) {
	base := os.TempDir()
	// The socket path must fit in sockaddr_un (PostgreSQL allows 107
	// bytes), and acct must be able to reach the directory.
	if len(base)+len(dirPrefix)+32 > 100 || (acct != nil && !reachableByOthers(base)) {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, dirPrefix)
	if err != nil {
		return "", fmt.Errorf("create temporary directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("create temporary directory: %w", err)
	}
	if err := chown(dir, acct); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("give %s to user %s: %w", dir, acct.name, err)
	}
	return dir, nil
}

// reachableByOthers reports whether every directory from / to dir can be
// traversed by any user.
func reachableByOthers(dir string) bool {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

// command prepares a server program run as the cluster's account, in
// its own process group, with PG* variables removed from the
// environment so the user's PGDATA or PGPORT cannot redirect it.
func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin.Path, name), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = sysProcAttr(c.acct)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if c.acct != nil {
		cmd.Env = append(cmd.Env, "HOME="+c.dir, "USER="+c.acct.name, "LOGNAME="+c.acct.name)
	}
	return cmd
}

// initdb creates the data directory.
func (c *Cluster) initdb(ctx context.Context) error {
	args := c.initdbArgs()
	cmd := c.command("initdb", append([]string{"--pgdata", c.DataDir()}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run initdb: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("initdb failed (%v): %s", err, lastLines(out.String(), 10))
		}
	case <-ctx.Done():
		// initdb runs postgres children in its process group.
		signalGroup(cmd.Process.Pid, sigKill)
		<-done
		return fmt.Errorf("initdb: %w", ctx.Err())
	}
	return nil
}

// initdbArgs are initdb's arguments but --pgdata.
func (c *Cluster) initdbArgs() []string {
	args := []string{
		"--username", Superuser,
		"--auth", "trust",
		"--encoding", "UTF8",
		"--no-locale", // C collation: deterministic sorting, no locale packages needed
		"--no-sync",
	}
	if c.bin.Major >= 11 {
		// 1 MB WAL segments instead of 16 MB: less to write and copy.
		args = append(args, "--wal-segsize", "1")
	}
	return args
}

// startServer starts the postmaster with its output in ServerLog.
func (c *Cluster) startServer() error {
	logFile, err := os.OpenFile(c.ServerLog(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("create server log: %w", err)
	}
	defer logFile.Close() // the child has its own copy
	args := []string{"-D", c.DataDir()}
	for _, name := range sortedKeys(c.settings) {
		args = append(args, "-c", name+"="+c.settings[name])
	}
	cmd := c.command("postgres", args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run postgres: %w", err)
	}
	c.cmd = cmd
	exited := make(chan struct{})
	c.exited = exited
	go func() {
		c.waitErr = cmd.Wait()
		close(exited)
	}()
	return nil
}

// waitReady waits until the server accepts connections.
func (c *Cluster) waitReady(ctx context.Context) error {
	var lastErr error
	for delay := 10 * time.Millisecond; ; delay = min(delay*2, 200*time.Millisecond) {
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgconn.Connect(attempt, c.DSN("postgres"))
		cancel()
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		lastErr = err
		select {
		case <-c.exited:
			return fmt.Errorf("postgres exited (%v): %s", c.waitErr, lastLines(c.readServerLog(), 10))
		case <-ctx.Done():
			return fmt.Errorf("wait for postgres to accept connections: %w (last error: %v); server log: %s",
				ctx.Err(), lastErr, lastLines(c.readServerLog(), 10))
		case <-time.After(delay):
		}
	}
}

// Stop shuts the server down immediately (SIGQUIT, then SIGKILL to its
// whole process group if it lingers) and removes the cluster's
// directory. It is idempotent; later calls return the first result.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		defer close(c.stopped)
		var errs []error
		if c.cmd != nil {
			if err := c.kill(); err != nil {
				errs = append(errs, err)
			}
		}
		if err := os.RemoveAll(c.dir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", c.dir, err))
		}
		if len(errs) > 0 {
			c.stopErr = fmt.Errorf("stop sandbox: %w", errors.Join(errs...))
		}
	})
	return c.stopErr
}

// kill stops the postmaster and waits until none of its processes is
// left: its group (the postmaster) and its children, which PostgreSQL
// puts in groups of their own; the logger may outlive the postmaster
// briefly.
func (c *Cluster) kill() error {
	pid := c.cmd.Process.Pid
	var kids []int
	select {
	case <-c.exited:
	default:
		kids = children(pid)
		// SIGQUIT is PostgreSQL's immediate shutdown: the postmaster
		// kills its children and exits without a checkpoint, which is
		// what a throwaway cluster wants.
		c.cmd.Process.Signal(sigQuit)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			signalGroup(pid, sigKill)
			<-c.exited
		}
	}
	survivors := func() []int {
		var left []int
		if groupAlive(pid) {
			left = append(left, pid)
		}
		for _, k := range kids {
			if processAlive(k) {
				left = append(left, k)
			}
		}
		return left
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := survivors()
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			signalGroup(pid, sigKill)
			for _, k := range left {
				if k != pid {
					signalGroup(k, sigKill)
				}
			}
			if time.Now().After(deadline.Add(5 * time.Second)) {
				return fmt.Errorf("server processes %v survive SIGKILL", left)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Done returns a channel closed when the cluster has been stopped.
func (c *Cluster) Done() <-chan struct{} { return c.stopped }

// URL returns a connection URL (pgx, libpq and psql understand it) for
// database dbname as the superuser, through the Unix socket.
func (c *Cluster) URL(dbname string) string {
	q := url.Values{"host": {c.dir}, "port": {strconv.Itoa(c.port)}}
	return "postgres://" + Superuser + "@/" + url.PathEscape(dbname) + "?" + q.Encode()
}

// DSN returns the keyword/value connection string for database dbname.
func (c *Cluster) DSN(dbname string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s", c.dir, c.port, Superuser, quoteDSN(dbname))
}

// quoteDSN quotes a keyword/value connection string value when needed.
func quoteDSN(v string) string {
	if v != "" && !strings.ContainsAny(v, " '\\\t\n") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// Dir returns the cluster's temporary directory, which is also the
// socket directory (the "host" of its connection strings).
func (c *Cluster) Dir() string { return c.dir }

// DataDir returns the data directory.
func (c *Cluster) DataDir() string { return filepath.Join(c.dir, "data") }

// Port returns the port number of the socket.
func (c *Cluster) Port() int { return c.port }

// PID returns the postmaster's process id.
func (c *Cluster) PID() int { return c.cmd.Process.Pid }

// BinDir returns the binaries the cluster runs.
func (c *Cluster) BinDir() BinDir { return c.bin }

// Setting returns the value the cluster was started with for a setting
// given in Options.Settings or defaulted by the sandbox, and whether it
// was set.
func (c *Cluster) Setting(name string) (string, bool) {
	v, ok := c.settings[name]
	return v, ok
}

// ServerLog returns the path of the file that receives the server's
// standard error: every log line when logging_collector is off (the
// "stderr" log format), only startup messages otherwise.
func (c *Cluster) ServerLog() string { return filepath.Join(c.dir, "postgres.log") }

// LogDir returns the directory where the logging collector writes its
// files (log_directory, relative to the data directory unless absolute).
func (c *Cluster) LogDir() string {
	d, ok := c.settings["log_directory"]
	if !ok || d == "" {
		d = "log"
	}
	if filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(c.DataDir(), d)
}

func (c *Cluster) readServerLog() string {
	b, _ := os.ReadFile(c.ServerLog())
	return string(b)
}

// lastLines returns the last n non-empty lines of s joined by " | ", for
// one-line error messages.
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "(no output)"
	}
	return strings.Join(lines, " | ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
