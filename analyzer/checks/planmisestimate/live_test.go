package planmisestimate

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/explain/live"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// reFix finds the statements a finding's help proposes.
var reFix = regexp.MustCompile(`(?:CREATE STATISTICS|ALTER TABLE|ANALYZE) [^;]+;`)

// TestProposalsFixEstimates applies each kind of proposal the check makes
// on a real PostgreSQL and plans the query again: the estimate must then
// be the actual row count (100 rows).
func TestProposalsFixEstimates(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	ctx := context.Background()
	conn := pgtest.Connect(t, pgtest.NewDatabase(t))
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`set max_parallel_workers_per_gather = 0`) // estimates per scan, not per worker
	exec(`
		-- city determines country: 1000 cities of 100 rows each.
		create table customers (id int primary key, country text not null, city text not null) with (autovacuum_enabled = off);
		insert into customers select i, 'country ' || ((i % 1000) % 100), 'city ' || (i % 1000) from generate_series(1, 100000) i;
		-- 300 frequent values of 100 rows and 70,000 rare ones: the
		-- default statistics target keeps at most 100 of the frequent.
		create table events (id int primary key, kind int not null) with (autovacuum_enabled = off);
		insert into events select i, case when i <= 30000 then i % 300 else i end from generate_series(1, 100000) i;
		-- Rows added after ANALYZE: stale statistics.
		create table jobs (id int primary key, state text not null) with (autovacuum_enabled = off);
		insert into jobs select i, 'done' from generate_series(1, 50000) i;
		analyze;
		insert into jobs select i, 'queued' from generate_series(50001, 50100) i`)
	var rare int
	// A frequent value the statistics do not list.
	if err := conn.QueryRow(ctx, `select k from generate_series(0, 299) k
		where k::text <> all (select unnest(most_common_vals::text::text[]) from pg_stats where tablename = 'events' and attname = 'kind')
		order by k limit 1`).Scan(&rare); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, query string
		want        string // the proposal's statements, in order
		// partial, when set, is a prefix of the statements that does not
		// fix the estimate alone.
		partial int
	}{
		{
			name:  "correlated columns",
			query: "select * from customers where city = 'city 420' and country = 'country 20'",
			want:  "CREATE STATISTICS stat_customers_city_country (dependencies) ON city, country FROM customers; ANALYZE customers;",
		},
		{
			name:  "stale statistics",
			query: "select * from jobs where state = 'queued'",
			want:  "ANALYZE jobs; ALTER TABLE jobs ALTER COLUMN state SET STATISTICS 1000; ANALYZE jobs;",
		},
		{
			name:    "statistics target too low",
			query:   "select * from events where kind = " + itoa(rare),
			want:    "ANALYZE events; ALTER TABLE events ALTER COLUMN kind SET STATISTICS 1000; ANALYZE events;",
			partial: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			help := finding(t, ctx, conn, tc.query)
			stmts := reFix.FindAllString(help, -1)
			if got := strings.Join(stmts, " "); got != tc.want {
				t.Fatalf("proposal %q, want %q (help: %s)", got, tc.want, help)
			}
			for i, s := range stmts {
				exec(s)
				est, act := rows(t, ctx, conn, tc.query)
				if i+1 == tc.partial && est == act {
					t.Errorf("after %q alone the estimate is already right", strings.Join(stmts[:i+1], " "))
				}
				if i == 0 && tc.partial == 0 && near(est, act) {
					break // the first statement is the fix (ANALYZE)
				}
				if i == len(stmts)-1 && !near(est, act) {
					t.Errorf("after %s: rows=%v estimated, %v actual", strings.Join(stmts, " "), est, act)
				}
			}
			if est, act := rows(t, ctx, conn, tc.query); !near(est, act) || act != 100 {
				t.Errorf("after the proposal: rows=%v estimated, %v actual, want 100", est, act)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// near says whether an estimate is right within 10 %: ANALYZE samples
// the table, so a fixed estimate may read 99 for 100 actual rows, where
// the misestimate it fixes was off 100 times.
func near(est, act float64) bool { return est >= 0.9*act && est <= 1.1*act }

// finding runs EXPLAIN ANALYZE of query and the check on its plan, and
// returns the help of its one finding.
func finding(t *testing.T, ctx context.Context, conn *pgx.Conn, query string) string {
	t.Helper()
	p, err := live.Explain(ctx, conn, query, live.Options{Analyze: true})
	if err != nil {
		t.Fatal(err)
	}
	got := check.Run([]*check.Check{Check}, check.Input{Catalog: catalog.New(), Plans: []*explain.Plan{p}})
	if len(got) != 1 {
		t.Fatalf("%d findings on\n%s", len(got), explain.Render(p, nil))
	}
	return got[0].Help
}

// rows returns the estimated and actual rows of the plan's scan.
func rows(t *testing.T, ctx context.Context, conn *pgx.Conn, query string) (float64, float64) {
	t.Helper()
	p, err := live.Explain(ctx, conn, query, live.Options{Analyze: true})
	if err != nil {
		t.Fatal(err)
	}
	var scan *explain.Node
	explain.Walk(p.Root, func(n, _ *explain.Node) bool {
		if n.RelationName != "" && scan == nil {
			scan = n
		}
		return true
	})
	if scan == nil {
		t.Fatalf("no scan in\n%s", explain.Render(p, nil))
	}
	return scan.PlanRows * scan.ActualLoops, scan.ActualRows * scan.ActualLoops
}
