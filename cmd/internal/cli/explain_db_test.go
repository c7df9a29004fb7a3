package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// TestExplainDB runs `pgadvisor explain --db URL --query ...` against a
// real PostgreSQL: EXPLAIN without and with --analyze, the index the
// seq-scan diagnostic proposes from the query (with its ORDER BY and
// LIMIT, checked against the live schema), writes rolled back, and the
// statements refused.
func TestExplainDB(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	url := pgtest.NewDatabase(t)
	pgtest.Exec(t, url, `
		create table orders (id bigint primary key, customer_id int not null, created_at timestamptz not null, note text);
		insert into orders select i, i % 5000, timestamptz '2024-01-01' + i * interval '1 minute', md5(i::text)
		from generate_series(1, 100000) i;
		create index orders_created_at_idx on orders (created_at);
		analyze orders`)
	run := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Main(context.Background(), append([]string{"explain", "--db", url}, args...), Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
		return code, out.String(), errOut.String()
	}
	const query = "select * from orders where customer_id = 42 order by id desc limit 5"
	tests := []struct {
		name string
		args []string
		code int
		// check looks at the JSON report.
		check func(t *testing.T, rep report.Report)
	}{
		{
			name: "plan only",
			args: []string{"--format", "json", "--query", query},
			check: func(t *testing.T, rep report.Report) {
				if len(rep.Plans) != 1 || rep.Plans[0].Nodes < 2 || rep.Plans[0].File != "--query" || rep.Plans[0].Fingerprint == "" {
					t.Errorf("plans = %+v", rep.Plans)
				}
				// No ANALYZE: nothing measured, so no plan finding; the
				// query itself is checked as analyze would check it, and
				// nothing about the rest of the schema is said.
				if rep.Plans[0].TotalMS != 0 || len(rep.Plans[0].Findings) != 0 {
					t.Errorf("plan %+v, total %v ms without --analyze", rep.Plans[0], rep.Plans[0].TotalMS)
				}
				var checks []string
				for _, f := range rep.Findings {
					checks = append(checks, f.Check)
				}
				if want := []string{"missing-index", "select-star"}; !slices.Equal(checks, want) {
					t.Errorf("checks %q, want %q", checks, want)
				}
			},
		},
		{
			name: "analyze proposes the index of the query",
			args: []string{"--format", "json", "--analyze", "--query", query},
			check: func(t *testing.T, rep report.Report) {
				if len(rep.Plans) != 1 || rep.Plans[0].TotalMS <= 0 {
					t.Fatalf("plans = %+v", rep.Plans)
				}
				var fixes []string
				for _, f := range rep.Findings {
					if f.Check == "plan-seq-scan" || f.Check == "plan-index-filter" {
						fixes = append(fixes, f.Fix)
					}
				}
				// Equality, then the ORDER BY of the LIMIT, from the query.
				want := "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_id_idx ON orders (customer_id, id DESC);"
				if len(fixes) != 1 || fixes[0] != want {
					t.Errorf("fixes %q, want [%q]; findings %+v", fixes, want, rep.Findings)
				}
			},
		},
		{
			name:  "table output",
			args:  []string{"--analyze", "--query", query},
			check: nil,
		},
		{
			name: "writes are rolled back",
			args: []string{"--format", "json", "--analyze", "--query", "delete from orders where id <= 1000"},
			check: func(t *testing.T, rep report.Report) {
				if len(rep.Plans) != 1 || rep.Plans[0].Nodes < 2 {
					t.Errorf("plans = %+v", rep.Plans)
				}
			},
		},
		{name: "several statements", args: []string{"--query", "select 1; delete from orders"}, code: ExitUsage},
		{name: "not a statement EXPLAIN takes", args: []string{"--query", "vacuum orders"}, code: ExitUsage},
		{name: "query error", args: []string{"--query", "select * from missing_table"}, code: ExitInput},
		{name: "analyze needs a query", args: []string{"--analyze"}, code: ExitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s\nstdout:\n%s", code, tc.code, errOut, out)
			}
			if tc.code != ExitOK {
				if errOut == "" || strings.Contains(errOut, "panic") {
					t.Errorf("stderr %q, want a message", errOut)
				}
				return
			}
			if tc.check == nil {
				for _, want := range []string{"Plan --query:1", "Limit", "Index Scan Backward using orders_pkey on orders", "! plan-index-filter", "--query:2", "orders_customer_id_id_idx ON orders (customer_id, id DESC)"} {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q:\n%s", want, out)
					}
				}
				return
			}
			var rep report.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s", err, out)
			}
			tc.check(t, rep)
		})
	}
	// The DELETE above ran and was rolled back.
	conn := pgtest.Connect(t, url)
	var n int
	if err := conn.QueryRow(context.Background(), "select count(*) from orders").Scan(&n); err != nil || n != 100000 {
		t.Errorf("orders has %d rows (%v), want 100000: the DELETE was not rolled back", n, err)
	}
}
