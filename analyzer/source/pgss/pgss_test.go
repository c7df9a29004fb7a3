package pgss

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// preloaded starts a server with pg_stat_statements loaded and returns
// the URL of its postgres database, with the extension created and its
// statistics reset.
func preloaded(t *testing.T) (string, *sandbox.Cluster) {
	c := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements",
		"pg_stat_statements.track": "top",
	}})
	url := c.URL("postgres")
	pgtest.Exec(t, url, `CREATE EXTENSION pg_stat_statements;
CREATE TABLE orders (id int PRIMARY KEY, customer int, total numeric);
INSERT INTO orders SELECT i, i % 100, i * 1.5 FROM generate_series(1, 1000) i;
SELECT pg_stat_statements_reset();`)
	return url, c
}

func TestRead(t *testing.T) {
	url, _ := preloaded(t)
	// Five executions of one query with different constants, two of
	// another, one of a third through the extended protocol.
	for i := 0; i < 5; i++ {
		pgtest.Exec(t, url, "SELECT * FROM orders WHERE customer = "+string(rune('1'+i)))
	}
	pgtest.Exec(t, url, "UPDATE orders SET total = total + 1 WHERE id = 7")
	pgtest.Exec(t, url, "UPDATE orders SET total = total + 2 WHERE id = 8")
	conn := pgtest.Connect(t, url)
	ctx := context.Background()
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM orders WHERE total > $1", 100).Scan(&n); err != nil {
		t.Fatal(err)
	}

	res, err := Read(ctx, conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		calls, rows int64
		db, user    string
	}
	got := map[string]row{}
	for _, e := range res.Executions {
		if e.Kind != Kind || e.File != Kind || e.Line < 1 || !e.HasDuration || e.Fingerprint == "" || e.Err != nil {
			t.Errorf("row %+v", e)
		}
		got[e.Normalized] = row{e.Calls, e.Rows, e.Database, e.User}
	}
	for norm, want := range map[string]row{
		"SELECT * FROM orders WHERE customer = $1":           {5, 50, "postgres", "postgres"},
		"UPDATE orders SET total = total + $1 WHERE id = $2": {2, 2, "postgres", "postgres"},
		"SELECT count(*) FROM orders WHERE total > $1":       {1, 1, "postgres", "postgres"},
	} {
		if got[norm] != want {
			t.Errorf("%q: %+v, want %+v (rows read: %v)", norm, got[norm], want, got)
		}
	}
	// By total time, descending.
	for i := 1; i < len(res.Executions); i++ {
		if res.Executions[i].DurationMS > res.Executions[i-1].DurationMS || res.Executions[i].Line != i+1 {
			t.Errorf("row %d out of order", i)
		}
	}
	if res.Version == "" || res.Hidden != 0 {
		t.Errorf("version %q hidden %d", res.Version, res.Hidden)
	}

	// Filters.
	res, err = Read(ctx, conn, Options{Database: "nope"})
	if err != nil || len(res.Executions) != 0 {
		t.Errorf("--database nope: %d rows, %v", len(res.Executions), err)
	}
	res, err = Read(ctx, conn, Options{User: "postgres", MinMean: time.Hour})
	if err != nil || len(res.Executions) != 0 {
		t.Errorf("--min-duration 1h: %d rows, %v", len(res.Executions), err)
	}
}

// TestHidden reads as a role that may not see other roles' query texts.
func TestHidden(t *testing.T) {
	url, c := preloaded(t)
	pgtest.Exec(t, url, "SELECT count(*) FROM orders; CREATE ROLE reader LOGIN; GRANT SELECT ON orders TO reader")
	reader := strings.Replace(c.URL("postgres"), "postgres@", "reader@", 1)
	if reader == c.URL("postgres") {
		reader = c.DSN("postgres") + " user=reader"
	}
	pgtest.Exec(t, reader, "SELECT count(*) FROM orders WHERE id < 10")
	res, err := Read(context.Background(), pgtest.Connect(t, reader), Options{})
	if err != nil {
		t.Fatal(err)
	}
	own := false
	for _, e := range res.Executions {
		if e.User != "reader" {
			t.Errorf("row of %s visible: %q", e.User, e.Text)
		}
		if e.Normalized == "SELECT count(*) FROM orders WHERE id < $1" {
			own = true
		}
	}
	if !own || res.Hidden == 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "pg_read_all_stats") {
		t.Errorf("own %v hidden %d notes %q", own, res.Hidden, res.Notes)
	}
}

func TestNotInstalled(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn := pgtest.Connect(t, url)
	_, err := Read(context.Background(), conn, Options{})
	var pe *Error
	if !errors.As(err, &pe) || !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "CREATE EXTENSION pg_stat_statements") {
		t.Fatalf("error %v", err)
	}
	// Created but not loaded by the server.
	pgtest.Exec(t, url, "CREATE EXTENSION pg_stat_statements")
	_, err = Read(context.Background(), conn, Options{})
	if err == nil || !strings.Contains(err.Error(), "shared_preload_libraries") || strings.Contains(err.Error(), "SQLSTATE") {
		t.Fatalf("error %v", err)
	}
}

// TestConnectedDatabaseOnly runs queries in two databases of one server
// and reads the catalog through the connection (pgadvisor's own
// queries): Read keeps the connected database's application queries
// only, unless AllDatabases.
func TestConnectedDatabaseOnly(t *testing.T) {
	url, c := preloaded(t)
	ctx := context.Background()
	pgtest.Exec(t, url, "CREATE DATABASE other")
	other := c.URL("other")
	pgtest.Exec(t, other, "CREATE TABLE invoices (id int PRIMARY KEY, amount numeric)")
	pgtest.Exec(t, other, "SELECT * FROM invoices WHERE id = 42")
	pgtest.Exec(t, url, "SELECT * FROM orders WHERE customer = 42")
	conn := pgtest.Connect(t, url)
	if _, err := catalog.FromDB(ctx, conn); err != nil {
		t.Fatal(err)
	}
	texts := func(opts Options) []string {
		t.Helper()
		res, err := Read(ctx, conn, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range res.Executions {
			out = append(out, e.Text)
		}
		return out
	}
	has := func(texts []string, sub string) bool {
		for _, s := range texts {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
	got := texts(Options{})
	if !has(got, "FROM orders WHERE customer") || has(got, "invoices") {
		t.Errorf("connected database's rows: %q", got)
	}
	for _, s := range got {
		if strings.Contains(s, "pgadvisor:internal") || strings.Contains(s, "pg_namespace") || strings.Contains(s, "pg_class") {
			t.Errorf("pgadvisor's own statement listed: %q", s)
		}
	}
	if all := texts(Options{AllDatabases: true}); !has(all, "invoices") || !has(all, "FROM orders WHERE customer") {
		t.Errorf("every database's rows: %q", all)
	}
	if named := texts(Options{Database: "other"}); !has(named, "invoices") || has(named, "FROM orders") {
		t.Errorf("database other's rows: %q", named)
	}
}
