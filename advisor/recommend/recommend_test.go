package recommend

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/selection"
	"github.com/pgadvisor/pgadvisor/advisor/whatif"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// setup loads a database with HypoPG and returns its URL.
func setup(t *testing.T, sql string) string {
	t.Helper()
	db := pgtest.NewDatabase(t)
	pgtest.Exec(t, db, "CREATE EXTENSION hypopg;\n"+sql)
	// The loading session may linger a moment after it disconnects;
	// sandbox.Vacuum waits for it, so that the pages are marked
	// all-visible and index-only scans are costed as such.
	conn := pgtest.Connect(t, db)
	if err := sandbox.Vacuum(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	return db
}

// advise runs the advisor on db for the workload in files (name ->
// content: .sql files or .log stderr logs) and returns the plan.
func advise(t *testing.T, db string, files map[string]string, opts Options) (*Plan, *selection.Result) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var inputs []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	slices.Sort(inputs)
	res, err := source.Read(ctx, inputs, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conn := pgtest.Connect(t, db)
	cat, err := catalog.FromDB(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Statements {
		if st.Err != nil {
			continue
		}
		m, err := sqlparse.Analyze(st.Text, cat)
		if err != nil {
			t.Fatalf("analyze %q: %v", st.Text, err)
		}
		st.SetModel(m)
	}
	ev, err := whatif.NewHypoPG(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close(ctx)
	if opts.MinImprovement == 0 {
		opts.MinImprovement = DefaultMinImprovement
	}
	p, err := Choose(ctx, ev, Input{Catalog: cat, Statements: res.Statements, Workload: res.Workload}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Selection
}

// ddls returns the chosen indexes' definitions.
func ddls(p *Plan) []string {
	var out []string
	for _, o := range p.Outcomes() {
		out = append(out, o.Candidate.Index.PlainDDL())
	}
	slices.Sort(out)
	return out
}

const tickets = `
CREATE TABLE tickets (id bigint PRIMARY KEY, status text NOT NULL, assignee int NOT NULL, created_at timestamptz NOT NULL, title text NOT NULL);
INSERT INTO tickets SELECT g, CASE WHEN g % 100 = 0 THEN 'open' WHEN g % 2 = 0 THEN 'closed' ELSE 'resolved' END,
       g % 200, timestamptz '2024-01-01' + g * interval '1 minute', 'ticket ' || g
FROM generate_series(1, 200000) g;`

const users = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);
INSERT INTO users SELECT g, 'User' || g || '@Example.com', 'user ' || g FROM generate_series(1, 100000) g;`

const payments = `
CREATE TABLE payments (id bigint PRIMARY KEY, account_id int NOT NULL, amount numeric(12,2) NOT NULL, memo text NOT NULL);
INSERT INTO payments SELECT g, g % 500, g % 1000, repeat('x', 60) FROM generate_series(1, 200000) g;`

const events = `
CREATE TABLE events (id bigint PRIMARY KEY, user_id int NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL, payload text NOT NULL);
INSERT INTO events SELECT g, g % 100, 'kind' || (g % 7), timestamptz '2024-01-01' + g * interval '1 second', repeat('p', 40) FROM generate_series(1, 200000) g;`

// TestKinds checks that the advisor finds, for each kind of index, the
// one a person would write by hand.
func TestKinds(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	tests := []struct {
		name     string
		schema   string
		workload string
		want     []string
	}{
		{
			name:     "partial",
			schema:   tickets,
			workload: "SELECT id, title FROM tickets WHERE status = 'open' AND assignee = 42;\n",
			want:     []string{"CREATE INDEX IF NOT EXISTS tickets_assignee_idx ON tickets (assignee) WHERE status = 'open'"},
		},
		{
			name:     "expression",
			schema:   users,
			workload: "SELECT id, name FROM users WHERE lower(email) = 'user77@example.com';\n",
			want:     []string{"CREATE INDEX IF NOT EXISTS users_lower_email_idx ON users (lower(email))"},
		},
		{
			name:     "covering",
			schema:   payments,
			workload: "SELECT sum(amount) FROM payments WHERE account_id = 42;\n",
			want:     []string{"CREATE INDEX IF NOT EXISTS payments_account_id_idx ON payments (account_id) INCLUDE (amount)"},
		},
		{
			name:     "composite with ORDER BY direction",
			schema:   events,
			workload: "SELECT id, kind FROM events WHERE user_id = 7 ORDER BY created_at DESC LIMIT 20;\n",
			want:     []string{"CREATE INDEX IF NOT EXISTS events_user_id_created_at_idx ON events (user_id, created_at DESC)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := setup(t, tt.schema)
			p, res := advise(t, db, map[string]string{"workload.sql": tt.workload}, Options{})
			if diff := cmp.Diff(tt.want, ddls(p)); diff != "" {
				t.Errorf("recommended indexes (-want +got):\n%s", diff)
			}
			if res.Planned == 0 || res.Calls < res.Planned {
				t.Errorf("what-if calls: %d requested, %d planned", res.Calls, res.Planned)
			}
			for _, o := range p.Outcomes() {
				if len(o.Helps) == 0 || o.Helps[0].After >= o.Helps[0].Before {
					t.Errorf("%s helps no query: %+v", o.Candidate.Index.Name, o.Helps)
				}
			}
		})
	}
}

// TestSilent checks that the advisor proposes nothing when an index
// already serves the query, when the filter keeps most of the table, and
// when the table is small, and says why.
func TestSilent(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	tests := []struct {
		name     string
		schema   string
		workload string
		reason   string
	}{
		{
			name:     "served",
			schema:   events + "\nCREATE INDEX events_user_created ON events (user_id, created_at DESC);",
			workload: "SELECT id, kind FROM events WHERE user_id = 7 ORDER BY created_at DESC LIMIT 20;\n",
			reason:   "already served by events_user_created",
		},
		{
			name:     "not selective",
			schema:   tickets,
			workload: "SELECT id, title FROM tickets WHERE status = 'closed';\n",
			reason:   "% of tickets: reading the table is as fast as an index",
		},
		{
			name:     "small table",
			schema:   "CREATE TABLE colors (id int PRIMARY KEY, name text NOT NULL); INSERT INTO colors SELECT g, 'c' || g FROM generate_series(1, 300) g;",
			workload: "SELECT id FROM colors WHERE name = 'c7';\n",
			reason:   "reads only small tables (colors (300 rows))",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := setup(t, tt.schema)
			p, _ := advise(t, db, map[string]string{"workload.sql": tt.workload}, Options{})
			if got := ddls(p); len(got) > 0 {
				t.Errorf("recommended %v, want nothing", got)
			}
			_, adv := p.Report(p.Outcomes(), DefaultMinImprovement)
			if len(adv.Unadvised) != 1 || !strings.Contains(adv.Unadvised[0].Reason, tt.reason) {
				t.Errorf("unadvised = %+v, want one saying %q", adv.Unadvised, tt.reason)
			}
		})
	}
}

// TestUnplannable lists the queries that cannot be planned, with the
// server's reason, and advises the rest.
func TestUnplannable(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := setup(t, users)
	p, _ := advise(t, db, map[string]string{"workload.sql": `SELECT id FROM nosuch WHERE x = 1;
SELECT id FROM users WHERE lower(email) = 'user5@example.com';
SELECT FROM WHERE;
`}, Options{})
	if diff := cmp.Diff([]string{"CREATE INDEX IF NOT EXISTS users_lower_email_idx ON users (lower(email))"}, ddls(p)); diff != "" {
		t.Errorf("recommended indexes (-want +got):\n%s", diff)
	}
	_, adv := p.Report(p.Outcomes(), DefaultMinImprovement)
	var reasons []string
	for _, u := range adv.Unadvised {
		reasons = append(reasons, u.Reason)
	}
	slices.Sort(reasons)
	if len(reasons) != 2 || !strings.Contains(reasons[0], `cannot be planned: plan`) || !strings.Contains(reasons[0], `relation "nosuch" does not exist`) ||
		!strings.HasPrefix(reasons[1], "not advised: it does not parse") {
		t.Errorf("reasons = %q, want the unknown table and the syntax error", reasons)
	}
}

// TestLogBindValues plans a query whose values are only in the log's
// bind parameters: with them, the advisor sees that the rare status
// deserves an index (a generic plan could not tell).
func TestLogBindValues(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	db := setup(t, tickets)
	var log strings.Builder
	for i, v := range []string{"41", "42", "43"} {
		log.WriteString("2024-05-01 10:00:0" + string(rune('1'+i)) + ".000 UTC [100] LOG:  duration: 35.100 ms  execute <unnamed>: SELECT id, title FROM tickets WHERE assignee = $1 AND created_at > $2\n")
		log.WriteString("2024-05-01 10:00:0" + string(rune('1'+i)) + ".000 UTC [100] DETAIL:  parameters: $1 = '" + v + "', $2 = '2024-05-01 00:00:00+00'\n")
	}
	p, _ := advise(t, db, map[string]string{"app.log": log.String()}, Options{})
	want := []string{"CREATE INDEX IF NOT EXISTS tickets_assignee_created_at_idx ON tickets (assignee, created_at)"}
	if diff := cmp.Diff(want, ddls(p)); diff != "" {
		t.Errorf("recommended indexes (-want +got):\n%s", diff)
	}
	var q *Query
	for _, x := range p.Queries {
		if strings.Contains(x.Normalized, "tickets") {
			q = x
		}
	}
	if q == nil || len(q.Bound) != 3 || q.Bound[0].Source != "log bind values" || math.Abs(q.Weight-3*35.1) > 1e-6 {
		t.Fatalf("query = %+v, want 3 samples with log bind values and 105.3 ms", q)
	}
}
