package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/proposal"
	"github.com/pgadvisor/pgadvisor/analyzer/checks"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// run runs the engine in Analyze mode with every check.
func run(t *testing.T, schemas []string, inputs ...string) *Result {
	t.Helper()
	res, err := Run(context.Background(), Options{Mode: Analyze, Inputs: inputs, Schemas: schemas, Checks: checks.All(), Top: 20})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestAutoExplainLogRanked reads a log PostgreSQL wrote with auto_explain
// on (testdata/logs/autoexplain.sh): three slow queries logged 40, 20 and
// 10 times with a plan each time. The report holds a handful of findings,
// one per query, check and node, ranked by the time their query takes,
// and three index proposals.
func TestAutoExplainLogRanked(t *testing.T) {
	res := run(t, []string{"../../testdata/logs/autoexplain-schema.sql"}, "../../testdata/logs/autoexplain.log")
	rep := res.Report
	type row struct {
		Check string
		Plans int
		Index string
	}
	var got []row
	for _, f := range rep.Findings {
		got = append(got, row{f.Check, f.Plans, f.Proposal})
	}
	want := []row{
		{"plan-seq-scan", 40, "orders_customer_id_created_at_idx"},
		{"missing-index", 0, "orders_customer_id_created_at_idx"},
		{"plan-seq-scan", 20, "events_kind_created_at_idx"},
		{"missing-index", 0, "events_kind_created_at_idx"},
		{"missing-index", 0, "orders_state_total_idx"},
		{"plan-seq-scan", 10, "orders_state_total_idx"},
		{"missing-fk-index", 0, "orders_customer_id_created_at_idx"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i].TotalMS > rep.Findings[i-1].TotalMS {
			t.Errorf("finding %d (%v ms) ranked after one that touches less time (%v ms)", i, rep.Findings[i].TotalMS, rep.Findings[i-1].TotalMS)
		}
	}
	var names []string
	for _, p := range rep.Proposals {
		names = append(names, p.Name)
	}
	if diff := cmp.Diff([]string{"orders_customer_id_created_at_idx", "events_kind_created_at_idx", "orders_state_total_idx"}, names); diff != "" {
		t.Errorf("proposals (-want +got):\n%s", diff)
	}
	// Every plan is kept for the JSON report.
	if len(rep.Plans) < 70 {
		t.Errorf("%d plans in the report, want every logged plan (70)", len(rep.Plans))
	}
	if !strings.HasPrefix(rep.Headline, "3 indexes would serve queries that take ") {
		t.Errorf("headline %q", rep.Headline)
	}
	if rep.Summary.DistinctQueries == 0 || rep.Summary.TotalMS <= 0 || rep.Summary.Findings.Warning != 7 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// TestDemoProposesEachIndexOnce: the demo's checks ask for some indexes
// several times (a foreign key, a join and a lookup on orders.user_id);
// each is proposed once, none is made redundant by another, names are
// unique, and every finding's fix is its proposal's DDL.
func TestDemoProposesEachIndexOnce(t *testing.T) {
	res := run(t, []string{"../../testdata/demo/schema.sql"}, "../../testdata/demo/app.sql")
	props := res.Report.Proposals
	if len(props) == 0 {
		t.Fatal("no proposal")
	}
	ddl := map[string]string{}
	for _, p := range props {
		if _, dup := ddl[p.Key]; dup {
			t.Errorf("proposal %s twice", p.Key)
		}
		ddl[p.Key] = p.DDL
	}
	merged := proposal.Merge(res.Findings, res.Catalog)
	for i, a := range merged {
		for j, b := range merged {
			if i != j && proposal.Serves(a.Index, b.Index) {
				t.Errorf("%s serves %s: both proposed", a.Index.Statement(), b.Index.Statement())
			}
		}
	}
	for _, f := range res.Report.Findings {
		if f.Proposal != "" && f.Fix != ddl[f.Proposal] {
			t.Errorf("%s at line %d: fix %q, proposal %q", f.Check, f.Line, f.Fix, ddl[f.Proposal])
		}
	}
	var orders []string
	for _, p := range props {
		if p.Table == "orders" && slices.Contains(p.Columns, "user_id") {
			orders = append(orders, p.DDL)
		}
	}
	if want := []string{"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at DESC);"}; !slices.Equal(orders, want) {
		t.Errorf("indexes on orders.user_id %q, want %q", orders, want)
	}
}

// TestInputDDL: the DDL of an analyzed SQL file is applied in order, so a
// query after CREATE INDEX is served by it, and a foreign key the same
// file declares is checked.
func TestInputDDL(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.sql")
	src := `CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE t (id bigint PRIMARY KEY, a int NOT NULL, p_id bigint REFERENCES p, note text);
CREATE INDEX t_a_idx ON t (a);
SELECT id, note FROM t WHERE a = $1;
SELECT id FROM t WHERE note = $1;
`
	if err := os.WriteFile(app, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run(t, nil, app)
	var got []string
	for _, f := range res.Report.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.Check, f.Line, f.Proposal))
	}
	want := []string{"missing-fk-index:2 t_p_id_idx", "missing-index:5 t_note_idx"}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestProposalsUsedByPostgres applies every proposal of the auto_explain
// log to a real database holding its schema and data, and checks that
// PostgreSQL then plans each slow query with the proposed index.
func TestProposalsUsedByPostgres(t *testing.T) {
	res := run(t, []string{"../../testdata/logs/autoexplain-schema.sql"}, "../../testdata/logs/autoexplain.log")
	db := pgtest.NewDatabase(t)
	pgtest.LoadFile(t, db, "../../testdata/logs/autoexplain-schema.sql")
	pgtest.Exec(t, db, `INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5000) g;
INSERT INTO orders SELECT g, 1 + g % 5000, CASE WHEN g % 100 = 0 THEN 'open' ELSE 'done' END,
  g % 500, timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 60000) g;
INSERT INTO events SELECT g, 'k' || (g % 50), timestamptz '2024-01-01' + g * interval '10 seconds', repeat('x', 40)
  FROM generate_series(1, 60000) g;
ANALYZE`)
	for _, p := range res.Report.Proposals {
		pgtest.Exec(t, db, p.DDL)
	}
	pgtest.Exec(t, db, "ANALYZE")
	conn := pgtest.Connect(t, db)
	ctx := context.Background()
	for _, p := range res.Report.Proposals {
		for _, fp := range p.Queries {
			q := res.Workload.Query(fp)
			if q == nil {
				t.Fatalf("proposal %s: query %s not in the workload", p.Name, fp)
			}
			var plan string
			rows, err := conn.Query(ctx, "EXPLAIN "+q.Example)
			if err != nil {
				t.Fatalf("explain %q: %v", q.Example, err)
			}
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plan += line + "\n"
			}
			rows.Close()
			if !strings.Contains(plan, p.Name) {
				t.Errorf("%s: PostgreSQL does not use %s:\n%s", q.Example, p.Name, plan)
			}
		}
	}
	if len(res.Report.Proposals) != 3 {
		t.Errorf("%d proposals, want 3", len(res.Report.Proposals))
	}
	_ = report.Version
}
