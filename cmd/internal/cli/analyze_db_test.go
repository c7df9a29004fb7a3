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

// TestAnalyzeDB runs `pgadvisor analyze --db` against a real server with
// pg_stat_statements loaded: the report lists the queries the test ran,
// with their calls, and the checks use the live schema and statistics.
func TestAnalyzeDB(t *testing.T) {
	srv := pgtest.NewServer(t, sandbox.Options{Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements",
		"pg_stat_statements.track": "all",
	}})
	db := srv.URL("postgres")
	pgtest.Exec(t, db, `
		CREATE EXTENSION pg_stat_statements;
		CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
		CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric NOT NULL);
		INSERT INTO users SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 2000) g;
		INSERT INTO orders SELECT g, 1 + g % 2000, g % 100 FROM generate_series(1, 50000) g;
		ANALYZE;
		SELECT pg_stat_statements_reset();`)
	conn := pgtest.Connect(t, db)
	ctx := context.Background()
	for i := range 7 {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM orders WHERE user_id = $1", i+1).Scan(&n); err != nil {
			t.Fatal(err)
		}
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
	var q *report.Query
	for i := range rep.Queries {
		if strings.Contains(rep.Queries[i].Normalized, "FROM orders WHERE user_id = $1") {
			q = &rep.Queries[i]
		}
	}
	if q == nil {
		t.Fatalf("the query run 7 times is not in the report; queries: %+v", rep.Queries)
	}
	if q.Calls != 7 || q.TotalMS <= 0 || len(q.Fingerprint) != 16 {
		t.Errorf("query = %+v, want 7 calls, a total time and a fingerprint", *q)
	}
	if !hasFinding(rep.Findings, "missing-index", "orders") {
		t.Errorf("no missing-index finding on orders.user_id from the live catalog; findings: %+v", rep.Findings)
	}
	if !hasFinding(rep.Findings, "missing-fk-index", "orders_user_id_fkey") {
		t.Errorf("no missing-fk-index finding from the live catalog; findings: %+v", rep.Findings)
	}
}

// TestAnalyzeDBFailure checks that a connection failure is one clear
// sentence with exit code 3, and that the password never shows.
func TestAnalyzeDBFailure(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"analyze", "--db", "postgres://app:s3cret-pw@127.0.0.1:1/shop?connect_timeout=2"}, Streams{Out: &out, Err: &errOut})
	if code != ExitInput {
		t.Errorf("exit code %d, want %d", code, ExitInput)
	}
	msg := errOut.String()
	if strings.Contains(msg, "s3cret-pw") || strings.Contains(out.String(), "s3cret-pw") {
		t.Errorf("the password shows in the output: %q", msg)
	}
	if !strings.Contains(msg, "cannot connect to postgres://app@127.0.0.1:1/shop") || strings.Count(strings.TrimSpace(msg), "\n") > 0 {
		t.Errorf("stderr = %q, want one sentence naming the redacted target", msg)
	}
}

func hasFinding(fs []report.Finding, check, text string) bool {
	for _, f := range fs {
		if f.Check == check && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}
