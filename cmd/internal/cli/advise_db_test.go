package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
)

// catalogSnapshot lists the database's relations, indexes (with their
// validity) and extensions, to compare before and after a run.
func catalogSnapshot(t *testing.T, db string) []string {
	t.Helper()
	conn := pgtest.Connect(t, db)
	rows, err := conn.Query(context.Background(), `
		SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || coalesce(' valid=' || i.indisvalid::text, '')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
		UNION ALL SELECT 'ext ' || extname FROM pg_extension
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdviseDB advises for a live database from its pg_stat_statements
// alone (normalized queries: $n without values, planned with values from
// pg_stats), checks that the default run writes nothing, and that
// --measure builds, times and drops the index, leaving the catalog as it
// was.
func TestAdviseDB(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	srv := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements",
		"pg_stat_statements.track": "top",
	}})
	db := srv.URL("postgres")
	pgtest.Exec(t, db, `
		CREATE EXTENSION pg_stat_statements;
		CREATE EXTENSION hypopg;
		CREATE TABLE events (id bigint PRIMARY KEY, user_id int NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL, payload text NOT NULL);
		INSERT INTO events SELECT g, g % 100, 'kind' || (g % 7), timestamptz '2024-01-01' + g * interval '1 second', repeat('p', 40) FROM generate_series(1, 100000) g;
		CREATE INDEX events_user_id ON events (user_id);
		CREATE INDEX events_kind ON events (kind);`)
	pgtest.Exec(t, db, "VACUUM ANALYZE")
	// Both statistics from now on: the load is not the workload.
	pgtest.Exec(t, db, "SELECT pg_stat_statements_reset(), pg_stat_reset()")
	conn := pgtest.Connect(t, db)
	ctx := context.Background()
	for i := range 5 {
		// Literals: pg_stat_statements keeps the query with $1 and $2.
		if _, err := conn.Exec(ctx, "SELECT id, kind FROM events WHERE user_id = "+string(rune('1'+i))+" ORDER BY created_at DESC LIMIT 20", pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, "UPDATE events SET kind = kind WHERE id = 5", pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	before := catalogSnapshot(t, db)

	run := func(args ...string) *report.Report {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Main(ctx, append([]string{"advise", "--db", db, "--format", "json"}, args...), Streams{Out: &out, Err: &errOut})
		if code != ExitOK {
			t.Fatalf("exit code %d; stderr:\n%s", code, errOut.String())
		}
		var rep report.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("decode report: %v\n%s", err, out.String())
		}
		return &rep
	}
	want := "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_user_id_created_at_idx ON events (user_id, created_at DESC)"

	rep := run()
	if len(rep.Recommendations) != 1 || rep.Recommendations[0].DDL != want || len(rep.Recommendations[0].Measured) != 0 {
		t.Fatalf("recommendations = %+v, want %s; advice %+v; queries %+v", rep.Recommendations, want, rep.Advice, rep.Queries)
	}
	r := rep.Recommendations[0]
	if r.Status != "estimated" || len(r.Helps) != 1 || r.Helps[0].Values != "pg_stats" {
		t.Errorf("recommendation = %+v, want estimated, unmeasured, planned with values from pg_stats", r)
	}
	if !strings.Contains(r.Helps[0].Normalized, "$1") || rep.WhatIfCalls == 0 {
		t.Errorf("helps %+v, whatif_calls %d: want the normalized query and what-if calls", r.Helps, rep.WhatIfCalls)
	}
	var drops []string
	for _, d := range rep.Advice.Drops {
		drops = append(drops, d.Index+": "+d.Reason)
	}
	wantDrops := []string{"events_kind: never scanned since the statistics were reset", "events_user_id: made redundant by events_user_id_created_at_idx"}
	if diff := cmp.Diff(wantDrops, drops); diff != "" {
		t.Errorf("drop suggestions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, catalogSnapshot(t, db)); diff != "" {
		t.Errorf("a default run changed the database (-before +after):\n%s", diff)
	}

	dir := t.TempDir()
	migration := filepath.Join(dir, "migration.sql")
	rep = run("--measure", "--runs", "2", "--apply", migration)
	r = rep.Recommendations[0]
	if r.Status != "measured" || len(r.Measured) != 2 || r.SizeBytes <= 0 || r.BuildMS <= 0 {
		t.Fatalf("recommendation = %+v, want measured with a size and build time", r)
	}
	if m := r.Measured[0]; !m.UsesIndex || m.AfterMS >= m.BeforeMS || m.Runs != 2 {
		t.Errorf("measured = %+v, want 2 runs, faster, using the index", m)
	}
	if len(r.Writes) != 1 || !strings.HasPrefix(r.Writes[0].Normalized, "UPDATE events") || r.Measured[1].Fingerprint != r.Writes[0].Fingerprint || r.Measured[1].Error != "" {
		t.Errorf("writes %+v, measured %+v: want the UPDATE timed with the index", r.Writes, r.Measured)
	}
	var kinds int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM events WHERE kind = 'kind' || (id % 7)").Scan(&kinds); err != nil || kinds != 100000 {
		t.Errorf("%d rows unchanged (%v): the measured UPDATE was not rolled back", kinds, err)
	}
	if diff := cmp.Diff(before, catalogSnapshot(t, db)); diff != "" {
		t.Errorf("--measure left the database changed (-before +after):\n%s", diff)
	}
	text, err := os.ReadFile(migration)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), want+";\n") || !strings.Contains(string(text), "measured") {
		t.Errorf("migration file:\n%s\nwant the statement and its measured evidence", text)
	}

	run("--create")
	after := catalogSnapshot(t, db)
	if !slices.Contains(after, "rel public.events_user_id_created_at_idx i valid=true") {
		t.Errorf("--create did not create a valid index; catalog:\n%s", strings.Join(after, "\n"))
	}
}

// TestAdviseSandbox runs advise without --db: a sandbox loaded from
// --schema and --data, measurement by default, the table report.
func TestAdviseSandbox(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	schema := write("schema.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);\n")
	data := write("data.sql", "INSERT INTO users SELECT g, 'User' || g || '@Example.com', 'user ' || g FROM generate_series(1, 50000) g;\n")
	queries := write("app.sql", "SELECT id, name FROM users WHERE lower(email) = 'user42@example.com';\n")
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"advise", "--schema", schema, "--data", data, "--runs", "2", queries}, Streams{Out: &out, Err: &errOut})
	if code != ExitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{
		"Recommended indexes for sandbox (what-if: hypopg",
		"1. expression index on users, measured: ",
		"   CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_idx ON users (lower(email));\n",
		"\tyes\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
