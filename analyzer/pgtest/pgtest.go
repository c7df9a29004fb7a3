// Package pgtest gives tests a real PostgreSQL database.
//
// NewDatabase returns the URL of a fresh, uniquely named database,
// dropped when the test ends. The server is the one named by
// PGADVISOR_TEST_DATABASE_URL (a superuser or CREATEDB role URL, e.g.
// postgres://postgres@127.0.0.1:5432/postgres) when set, otherwise a
// sandbox cluster (package sandbox) started on first use and shared by
// every test of the test binary. NewServer starts a dedicated sandbox for
// tests that need server settings (shared_preload_libraries, logging),
// which must never be changed on the shared server.
//
// Every package that uses pgtest must stop the shared sandbox when its
// test binary ends, with a TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// pgtest fails (never skips) a test when no server works; only
// `go test -short` skips tests that need PostgreSQL.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// EnvURL names the environment variable that points tests at an existing
// server instead of a sandbox.
const EnvURL = "PGADVISOR_TEST_DATABASE_URL"

// timeout bounds each administrative step (connect, CREATE DATABASE,
// DROP DATABASE) so a stuck server fails the test instead of hanging it.
const timeout = time.Minute

var (
	mainCalled atomic.Bool

	mu       sync.Mutex
	shared   *server                       // the shared server once started (or failed)
	clusters = map[*sandbox.Cluster]bool{} // every sandbox to stop at exit
)

// server is the shared server: adminURL connects to its maintenance
// database; err is the reason it is unusable.
type server struct {
	adminURL string
	cluster  *sandbox.Cluster // nil for PGADVISOR_TEST_DATABASE_URL
	err      error
}

// Main runs the tests of a package and stops every sandbox it started,
// including on SIGINT and SIGTERM, then exits with the tests' status.
// Call it from TestMain in every package that uses pgtest:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	mainCalled.Store(true)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig, ok := <-sigs
		if !ok {
			return
		}
		stopAll()
		// Die of the signal as if pgtest had not caught it.
		signal.Reset(sig)
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Signal(sig)
		}
		time.Sleep(time.Second)
		os.Exit(1)
	}()
	code := m.Run()
	signal.Stop(sigs)
	stopAll()
	os.Exit(code)
}

// stopAll stops the shared sandbox and any dedicated one still running.
func stopAll() {
	mu.Lock()
	cs := make([]*sandbox.Cluster, 0, len(clusters))
	for c := range clusters {
		cs = append(cs, c)
	}
	mu.Unlock()
	for _, c := range cs {
		if err := c.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
}

// require skips under -short and fails tests of packages without
// pgtest.Main, which would leave the shared sandbox behind.
func require(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("pgtest: needs PostgreSQL; skipped with -short")
	}
	if !mainCalled.Load() {
		t.Fatal("pgtest: this package's tests use PostgreSQL but do not stop the sandbox when they end: add\n" +
			"\tfunc TestMain(m *testing.M) { pgtest.Main(m) }\nto one of its _test.go files")
	}
}

// sharedServer returns the shared server, starting the sandbox on first
// use. A failure is remembered, so every test fails fast with it.
func sharedServer() *server {
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		return shared
	}
	shared = &server{}
	if u := os.Getenv(EnvURL); u != "" {
		shared.adminURL = u
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			shared.err = fmt.Errorf("cannot connect to %s=%s: %s; unset it to use a sandbox cluster instead",
				EnvURL, dbconn.Redact(u), dbconn.Describe(err, u))
			return shared
		}
		conn.Close(ctx)
		return shared
	}
	c, err := sandbox.Start(context.Background(), sandbox.Options{})
	if err != nil {
		shared.err = fmt.Errorf("%w\n(or set %s to the URL of a PostgreSQL server where the tests may create databases)", err, EnvURL)
		return shared
	}
	clusters[c] = true
	shared.cluster = c
	shared.adminURL = c.URL("postgres")
	return shared
}

// NewDatabase creates a database with a unique name
// (pgadvisor_test_<package>_<random>) on the shared server and returns
// its connection URL; the database is dropped (WITH (FORCE)) when the
// test ends. It is safe to call from parallel tests. Databases use UTF8
// and the C collation, so sorting is the same on every server.
func NewDatabase(t testing.TB) string {
	t.Helper()
	require(t)
	s := sharedServer()
	if s.err != nil {
		t.Fatalf("pgtest: %v", s.err)
	}
	name := databaseName()
	dbURL, err := withDatabase(s.adminURL, name)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", dbconn.Redact(s.adminURL), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		t.Fatalf("pgtest: cannot connect to %s: %s", dbconn.Redact(s.adminURL), dbconn.Describe(err, s.adminURL))
	}
	defer conn.Close(ctx)
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() +
		" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
	if _, err := conn.Exec(ctx, create); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(s.adminURL, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return dbURL
}

// dropDatabase drops name, disconnecting its sessions.
func dropDatabase(adminURL, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("drop database %s: cannot connect to %s: %s", name, dbconn.Redact(adminURL), dbconn.Describe(err, adminURL))
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	major, _ := strconv.Atoi(strings.SplitN(conn.PgConn().ParameterStatus("server_version"), ".", 2)[0])
	if major >= 13 {
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	} else {
		_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
		if err == nil {
			_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident)
		}
	}
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// databaseName returns pgadvisor_test_<package>_<random>, where the
// package comes from the test binary's name (pkg.test), within
// PostgreSQL's 63-byte limit.
func databaseName() string {
	pkg := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	var b strings.Builder
	for _, r := range strings.ToLower(pkg) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	pkg = b.String()
	if len(pkg) > 30 {
		pkg = pkg[:30]
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	return "pgadvisor_test_" + pkg + "_" + hex.EncodeToString(rnd[:])
}

// withDatabase returns conn (a URL or keyword/value string) pointing at
// database name instead.
func withDatabase(conn, name string) (string, error) {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		u, err := url.Parse(conn)
		if err != nil {
			return "", fmt.Errorf("parse %s: %s", EnvURL, dbconn.Describe(err, conn))
		}
		u.Path = "/" + name
		u.RawPath = ""
		q := u.Query()
		if q.Has("dbname") {
			q.Del("dbname")
			u.RawQuery = q.Encode()
		}
		return u.String(), nil
	}
	// In keyword/value strings the last setting of a keyword wins.
	return conn + " dbname=" + name, nil
}

// NewServer starts a dedicated sandbox cluster with opts (for example
// Settings{"shared_preload_libraries": "pg_stat_statements,auto_explain",
// "logging_collector": "on", "log_destination": "csvlog"}) and stops it
// when the test ends. It needs PostgreSQL server binaries on the machine
// even when PGADVISOR_TEST_DATABASE_URL is set. Use cluster.URL("postgres")
// to connect; the test may change the server as it likes.
func NewServer(t testing.TB, opts sandbox.Options) *sandbox.Cluster {
	t.Helper()
	require(t)
	c, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	mu.Lock()
	clusters[c] = true
	mu.Unlock()
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("pgtest: %v", err)
		}
		mu.Lock()
		delete(clusters, c)
		mu.Unlock()
	})
	return c
}

// Connect opens a connection to conn, closed when the test ends.
func Connect(t testing.TB, conn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatalf("pgtest: cannot connect to %s: %s", dbconn.Redact(conn), dbconn.Describe(err, conn))
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// Exec runs sql (one or more statements, through the simple query
// protocol) on the database at conn, failing the test on error.
func Exec(t testing.TB, conn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatalf("pgtest: cannot connect to %s: %s", dbconn.Redact(conn), dbconn.Describe(err, conn))
	}
	defer c.Close(ctx)
	if _, err := c.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatalf("pgtest: exec %s: %v", abbreviate(sql), err)
	}
}

// LoadFile runs the SQL file at path (a schema, data or pg_dump file,
// with COPY FROM stdin and psql meta-commands) on the database at conn,
// failing the test on error.
func LoadFile(t testing.TB, conn, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*timeout)
	defer cancel()
	if err := sandbox.LoadFile(ctx, conn, path); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

// abbreviate shortens SQL for failure messages.
func abbreviate(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 80 {
		sql = sql[:77] + "..."
	}
	return strconv.Quote(sql)
}
