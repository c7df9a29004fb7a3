package pgtest_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var nameRE = regexp.MustCompile(`^pgadvisor_test_pgtest_[0-9a-f]{12}$`)

func TestNewDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("pgtest: needs PostgreSQL; skipped with -short")
	}
	var dbURL, name string
	t.Run("create", func(t *testing.T) {
		dbURL = pgtest.NewDatabase(t)
		t.Logf("database URL: %s", dbURL)
		conn := pgtest.Connect(t, dbURL)
		ctx := context.Background()
		var enc, collate string
		if err := conn.QueryRow(ctx, `SELECT current_database(), pg_encoding_to_char(encoding), datcollate
			FROM pg_database WHERE datname = current_database()`).Scan(&name, &enc, &collate); err != nil {
			t.Fatal(err)
		}
		if !nameRE.MatchString(name) {
			t.Errorf("database name %q does not match %s", name, nameRE)
		}
		if diff := cmp.Diff([]string{"UTF8", "C"}, []string{enc, collate}); diff != "" {
			t.Errorf("encoding, collation (-want +got):\n%s", diff)
		}
		pgtest.Exec(t, dbURL, "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 2 {
			t.Errorf("count(*) = %d, %v; want 2", n, err)
		}
		// A connection left open must not prevent the drop.
	})
	if name == "" {
		t.Fatal("no database created")
	}
	admin := pgtest.Connect(t, strings.Replace(dbURL, name, "postgres", 1))
	var exists bool
	if err := admin.QueryRow(context.Background(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestNewDatabaseConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("pgtest: needs PostgreSQL; skipped with -short")
	}
	const n = 8
	var (
		mu    sync.Mutex
		names = map[string]bool{}
	)
	t.Run("group", func(t *testing.T) {
		for i := range n {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				dbURL := pgtest.NewDatabase(t)
				pgtest.Exec(t, dbURL, fmt.Sprintf("CREATE TABLE t%d (id int)", i))
				var name string
				if err := pgtest.Connect(t, dbURL).QueryRow(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				names[name] = true
				mu.Unlock()
			})
		}
	})
	if len(names) != n {
		t.Errorf("got %d distinct databases, want %d: %v", len(names), n, names)
	}
}

func TestLoadFile(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "data.sql")
	script := "CREATE TABLE items (id int, label text);\nCOPY items (id, label) FROM stdin;\n1\tone\n2\t\\N\n\\.\n"
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	pgtest.LoadFile(t, dbURL, file)
	var got []string
	rows, err := pgtest.Connect(t, dbURL).Query(context.Background(), "SELECT id || ':' || coalesce(label, 'NULL') FROM items ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if diff := cmp.Diff([]string{"1:one", "2:NULL"}, got); diff != "" {
		t.Errorf("loaded rows (-want +got):\n%s", diff)
	}
}

// TestNewServer checks that a dedicated server takes custom settings
// while the shared one keeps its defaults.
func TestNewServer(t *testing.T) {
	c := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements",
		"work_mem":                 "7MB",
	}})
	conn := pgtest.Connect(t, c.URL("postgres"))
	var workMem string
	if err := conn.QueryRow(context.Background(), "SHOW work_mem").Scan(&workMem); err != nil {
		t.Fatal(err)
	}
	if workMem != "7MB" {
		t.Errorf("dedicated server work_mem = %s, want 7MB", workMem)
	}
	pgtest.Exec(t, c.URL("postgres"), "CREATE EXTENSION pg_stat_statements; SELECT count(*) FROM pg_stat_statements;")

	shared := pgtest.Connect(t, pgtest.NewDatabase(t))
	if err := shared.QueryRow(context.Background(), "SHOW work_mem").Scan(&workMem); err != nil {
		t.Fatal(err)
	}
	if workMem == "7MB" {
		t.Errorf("shared server has the dedicated server's work_mem")
	}
}

// runChild runs TestNewDatabase of this test binary in a child process
// with the given environment, and returns its output and whether it
// passed.
func runChild(t *testing.T, env []string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestNewDatabase$", "-test.v", "-test.count=1"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, pgtest.EnvURL+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("run child: %v", err)
	}
	return string(out), err == nil
}

var urlRE = regexp.MustCompile(`database URL: (\S+)`)

// TestModes runs the tests of this package in child processes against
// each kind of server, and checks how they fail or skip.
func TestModes(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	t.Run("sandbox", func(t *testing.T) {
		out, ok := runChild(t, nil)
		if !ok || !strings.Contains(out, "--- PASS: TestNewDatabase") {
			t.Fatalf("child failed:\n%s", out)
		}
		m := urlRE.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no database URL in output:\n%s", out)
		}
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		dir := u.Query().Get("host")
		if !strings.Contains(dir, "pgadvisor-sandbox-") {
			t.Fatalf("child did not use a sandbox: %s", m[1])
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("sandbox directory %s left behind by pgtest.Main (stat: %v)", dir, err)
		}
		if pids := postgresProcessesUsing(t, dir); len(pids) > 0 {
			t.Errorf("postgres processes of %s left running: %v", dir, pids)
		}
	})
	t.Run("env", func(t *testing.T) {
		// The server named by the environment is a dedicated sandbox
		// here, so this works without a server on the machine.
		c := pgtest.NewServer(t, sandbox.Options{})
		out, ok := runChild(t, []string{pgtest.EnvURL + "=" + c.URL("postgres")})
		if !ok || !strings.Contains(out, "--- PASS: TestNewDatabase") {
			t.Fatalf("child failed:\n%s", out)
		}
		if !strings.Contains(out, "database URL: postgres://postgres@/pgadvisor_test_pgtest_") ||
			!strings.Contains(out, url.QueryEscape(c.Dir())) {
			t.Errorf("child did not use %s=%s:\n%s", pgtest.EnvURL, c.URL("postgres"), out)
		}

		// A keyword/value string works too.
		out, ok = runChild(t, []string{pgtest.EnvURL + "=" + c.DSN("postgres")})
		if !ok || !strings.Contains(out, "database URL: "+c.DSN("postgres")+" dbname=pgadvisor_test_pgtest_") {
			t.Fatalf("child with %s=%s failed:\n%s", pgtest.EnvURL, c.DSN("postgres"), out)
		}
	})
	t.Run("env-unreachable-fails", func(t *testing.T) {
		out, ok := runChild(t, []string{pgtest.EnvURL + "=postgres://someone:hunter2@127.0.0.1:1/postgres?connect_timeout=5"})
		if ok || !strings.Contains(out, "--- FAIL: TestNewDatabase") {
			t.Fatalf("child with an unreachable server did not fail:\n%s", out)
		}
		want := "pgtest: cannot connect to PGADVISOR_TEST_DATABASE_URL=postgres://someone@127.0.0.1:1/postgres?connect_timeout=5"
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
		if strings.Contains(out, "hunter2") {
			t.Errorf("output shows the password:\n%s", out)
		}
		if strings.Contains(out, "SKIP") {
			t.Errorf("child skipped instead of failing:\n%s", out)
		}
	})
	t.Run("short-skips", func(t *testing.T) {
		out, ok := runChild(t, []string{pgtest.EnvURL + "=postgres://someone@127.0.0.1:1/postgres"}, "-test.short")
		if !ok || !strings.Contains(out, "--- SKIP: TestNewDatabase") || !strings.Contains(out, "skipped with -short") {
			t.Errorf("child with -short did not skip:\n%s", out)
		}
	})
}

// postgresProcessesUsing lists the pids of processes whose command line
// mentions dir.
func postgresProcessesUsing(t *testing.T, dir string) []string {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), dir) {
			pids = append(pids, filepath.Base(filepath.Dir(p)))
		}
	}
	return pids
}
