package candidate_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
	"github.com/pgadvisor/pgadvisor/analyzer/sandbox"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// pgSchema and pgData build tables big enough (100,000 orders, 20,000
// users) for the planner to prefer a selective index to a sequential scan.
// The tables are vacuumed before the indexes are built, so that their
// pages are all-visible and index-only scans are possible.
const pgSchema = `
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL,
    name text NOT NULL,
    country char(2),
    active boolean NOT NULL,
    score integer NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    data jsonb,
    tags text[]
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    status text NOT NULL,
    total numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL
);
`

const pgData = `
INSERT INTO users
SELECT i, 'User' || i || '@Example.com', 'name' || i, (ARRAY['FR','DE','US','JP'])[1 + i % 4],
       i % 10 <> 0, i % 1000, timestamptz '2024-01-01' + i * interval '1 minute',
       CASE WHEN i % 20 = 0 THEN timestamptz '2024-06-01' END,
       jsonb_build_object('plan', 'p' || (i % 50)),
       ARRAY['t' || (i % 100), 't' || (i % 7)]
FROM generate_series(1, 20000) i;
INSERT INTO orders
SELECT i, 1 + (i * 7919) % 20000, (ARRAY['pending','paid','shipped','cancelled'])[1 + i % 4],
       (i % 10000) / 10.0, timestamptz '2024-01-01' + i * interval '37 seconds'
FROM generate_series(1, 100000) i;
`

// TestPostgresUsesProposal builds each proposed index in a real database
// and checks with EXPLAIN that the planner uses it for the query it was
// proposed for, and that it did not before (no other index served it).
func TestPostgresUsesProposal(t *testing.T) {
	url := pgtest.NewDatabase(t)
	pgtest.Exec(t, url, pgSchema)
	pgtest.Exec(t, url, pgData)
	conn := pgtest.Connect(t, url)
	cat := loadCatalog(t, pgSchema)
	ctx := context.Background()
	allVisible(ctx, t, conn, "users", "orders")

	tests := []struct {
		name, sql, rel string
		// kind is the expected kind of proposal; indexOnly requires an
		// Index Only Scan.
		kind      string
		indexOnly bool
	}{
		{"equality", "SELECT * FROM orders WHERE user_id = 42", "", "btree", false},
		{"covering", "SELECT id, total FROM orders WHERE user_id BETWEEN 42 AND 60", "", "covering", true},
		{"equality and order", "SELECT * FROM orders WHERE user_id = 42 ORDER BY created_at DESC LIMIT 5", "", "composite", false},
		{"order by limit", "SELECT * FROM orders ORDER BY total DESC, id LIMIT 10", "", "composite", false},
		{"equality and range", "SELECT * FROM orders WHERE status = 'paid' AND created_at BETWEEN '2024-01-05' AND '2024-01-06'", "", "composite", false},
		{"expression", "SELECT id FROM users WHERE lower(email) = lower('User42@example.com')", "", "expression", false},
		{"jsonb expression", "SELECT id FROM users WHERE data ->> 'plan' = 'p7' AND score = 7", "", "expression", false},
		{"partial", "SELECT * FROM users WHERE deleted_at IS NULL AND score = 7", "", "partial", false},
		{"like prefix", "SELECT * FROM users WHERE name LIKE 'name1234%'", "", "btree", false},
		{"gin", "SELECT id FROM users WHERE tags @> ARRAY['t42']", "", "gin", false},
		{"join lookup", "SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = 42", "o", "covering", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := accessOf(t, cat, tt.sql, tt.rel)
			ix := candidate.For(a, cat.Table(a.Table), candidate.Options{})
			if ix == nil {
				t.Fatal("no proposal")
			}
			if ix.Kind() != tt.kind {
				t.Errorf("kind %q, want %q (%s)", ix.Kind(), tt.kind, ix.DDL())
			}
			before := planIndexes(ctx, t, conn, tt.sql)
			if _, ok := before[ix.Name]; ok {
				t.Fatalf("index %s used before it exists", ix.Name)
			}
			if _, err := conn.Exec(ctx, ix.DDL()); err != nil {
				t.Fatalf("%s: %v", ix.DDL(), err)
			}
			defer func() {
				if _, err := conn.Exec(ctx, "DROP INDEX "+sqlparse.QuoteIdent(ix.Name)); err != nil {
					t.Errorf("drop: %v", err)
				}
			}()
			if _, err := conn.Exec(ctx, "ANALYZE "+sqlparse.QuoteIdent(ix.Table.Name)); err != nil {
				t.Fatal(err)
			}
			after := planIndexes(ctx, t, conn, tt.sql)
			node, ok := after[ix.Name]
			if !ok {
				t.Fatalf("the planner does not use %s for %s; plan uses %v", ix.DDL(), tt.sql, after)
			}
			if tt.indexOnly && node != "Index Only Scan" {
				t.Errorf("%s is read by %s, want an Index Only Scan", ix.Name, node)
			}
		})
	}
}

// allVisible vacuums and analyzes the tables until the visibility map
// covers every page: a VACUUM that starts while the sessions that loaded
// the data are still exiting may find their transactions too recent and
// leave pages unmarked, and the planner then never picks an index-only
// scan.
func allVisible(ctx context.Context, t *testing.T, conn *pgx.Conn, tables ...string) {
	t.Helper()
	if err := sandbox.Vacuum(ctx, conn); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		var visible, pages int
		if err := conn.QueryRow(ctx, "SELECT relallvisible, relpages FROM pg_class WHERE relname = $1", table).Scan(&visible, &pages); err != nil {
			t.Fatal(err)
		}
		if visible != pages {
			t.Fatalf("%s: %d of %d pages all-visible after sandbox.Vacuum", table, visible, pages)
		}
	}
}

// planIndexes returns the indexes the plan of sql scans, with the node
// type that scans each.
func planIndexes(ctx context.Context, t *testing.T, conn *pgx.Conn, sql string) map[string]string {
	t.Helper()
	var raw string
	if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql).Scan(&raw); err != nil {
		t.Fatalf("explain %s: %v", sql, err)
	}
	var plans []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) == 0 {
		t.Fatalf("explain output %q: %v", raw, err)
	}
	out := map[string]string{}
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if name, ok := n["Index Name"].(string); ok {
			out[name], _ = n["Node Type"].(string)
		}
		if kids, ok := n["Plans"].([]any); ok {
			for _, k := range kids {
				if m, ok := k.(map[string]any); ok {
					walk(m)
				}
			}
		}
	}
	walk(plans[0].Plan)
	return out
}

// TestKeywordsMatchServer compares the keywords QuoteIdent quotes with
// the running server's pg_get_keywords(): every keyword that is not
// unreserved must be quoted, and no unreserved one needs to be.
func TestKeywordsMatchServer(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn := pgtest.Connect(t, url)
	rows, err := conn.Query(context.Background(), "SELECT word, catcode FROM pg_get_keywords()")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var word, cat string
		if err := rows.Scan(&word, &cat); err != nil {
			t.Fatal(err)
		}
		n++
		quoted := strings.HasPrefix(sqlparse.QuoteIdent(word), `"`)
		if cat != "U" && !quoted {
			t.Errorf("keyword %q (category %s) is not quoted", word, cat)
		}
		if cat == "U" && quoted {
			t.Errorf("unreserved keyword %q is quoted", word)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 400 {
		t.Fatalf("only %d keywords from the server", n)
	}
}
