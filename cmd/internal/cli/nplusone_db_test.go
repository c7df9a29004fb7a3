package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// TestAnalyzeDBNPlusOneSuspicion runs `pgadvisor analyze --db` against a
// server whose pg_stat_statements holds a cheap one-row query called
// very many times (an N+1 loop, or not: without sessions nobody can
// tell) and a query called as often that returns many rows: only the
// first is a suspicion, labelled as such, never a loop.
func TestAnalyzeDBNPlusOneSuspicion(t *testing.T) {
	srv := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements",
	}})
	db := srv.URL("postgres")
	pgtest.Exec(t, db, `
		CREATE EXTENSION pg_stat_statements;
		CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);
		CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
		INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 2000) g;
		INSERT INTO orders SELECT g, 1 + g % 100 FROM generate_series(1, 3000) g;
		CREATE INDEX ON orders (user_id);
		ANALYZE;
		SELECT pg_stat_statements_reset();`)
	conn := pgtest.Connect(t, db)
	ctx := context.Background()
	for i := range 1200 {
		var name string
		if err := conn.QueryRow(ctx, "SELECT name FROM users WHERE id = $1", i+1).Scan(&name); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, "SELECT id FROM orders WHERE user_id = $1", 1+i%100)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}

	var out, errOut bytes.Buffer
	code := Main(ctx, []string{"analyze", "--db", db, "--format", "json", "--fail-on", "none"}, Streams{Out: &out, Err: &errOut})
	if code != ExitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, out.String())
	}
	var suspects []report.NPlusOne
	for _, n := range rep.NPlusOne {
		if n.Kind != "suspect" {
			t.Errorf("%s from pg_stat_statements alone: %+v", n.Kind, n)
		}
		suspects = append(suspects, n)
	}
	if len(suspects) != 1 || !strings.Contains(suspects[0].Normalized, "FROM users WHERE id = $1") || suspects[0].TotalCalls != 1200 || suspects[0].RowsPerCall != 1 {
		t.Fatalf("suspicions = %+v, want the users lookup: 1200 calls, 1 row each", suspects)
	}
	var found bool
	for _, f := range rep.Findings {
		if f.Check == "n-plus-one" {
			found = true
			if f.Severity != "info" || !strings.HasPrefix(f.Message, "suspected N+1 loop") || f.File != "pg_stat_statements" {
				t.Errorf("finding = %+v, want an info suspicion on pg_stat_statements", f)
			}
		}
	}
	if !found {
		t.Errorf("no n-plus-one finding; findings: %+v", rep.Findings)
	}
}
