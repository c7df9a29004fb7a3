package candidate_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// schema is the catalog the table-driven cases run against.
const schema = `
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL,
    name text NOT NULL,
    country char(2),
    active boolean NOT NULL,
    score integer NOT NULL,
    created_at timestamptz NOT NULL,
    birthday date,
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
CREATE SCHEMA billing;
CREATE TABLE billing."Invoice" (id bigint PRIMARY KEY, "OrderId" bigint, "select" int);
`

func loadCatalog(t *testing.T, ddl string) *catalog.Catalog {
	t.Helper()
	cat := catalog.New()
	if errs := cat.Apply(ddl, "schema.sql"); len(errs) > 0 {
		t.Fatalf("schema: %v", errs)
	}
	return cat
}

// accessOf analyzes sql and returns the access of the FROM item rel (the
// first access when rel is "").
func accessOf(t *testing.T, cat *catalog.Catalog, sql, rel string) query.Access {
	t.Helper()
	st, err := sqlparse.Analyze(sql, cat)
	if err != nil {
		t.Fatalf("analyze %q: %v", sql, err)
	}
	for _, a := range st.Accesses() {
		if rel == "" || a.Rel == rel {
			return a
		}
	}
	t.Fatalf("no access %q in %q", rel, sql)
	return query.Access{}
}

func TestFor(t *testing.T) {
	cat := loadCatalog(t, schema)
	tests := []struct {
		name string
		sql  string
		rel  string
		// ddl is the expected statement ("" for no index), kind its kind.
		ddl, kind string
		serves    []string
	}{
		{
			name: "equality", sql: "SELECT * FROM orders WHERE user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
			serves: []string{"user_id = $1"},
		},
		{
			name: "equality then range", sql: "SELECT * FROM orders WHERE created_at > $2 AND user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at)", kind: "composite",
		},
		{
			name: "one range only", sql: "SELECT * FROM orders WHERE total > 10 AND created_at < now() AND status IN ('a', 'b')",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_total_idx ON orders (status, total)", kind: "composite",
		},
		{
			name: "range on an equality column", sql: "SELECT * FROM orders WHERE total = 5 AND total > 1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total_idx ON orders (total)", kind: "btree",
		},
		{
			name: "in subquery", sql: "SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE country = 'FR')",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "between is a range", sql: "SELECT * FROM orders WHERE total BETWEEN 1 AND 2",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total_idx ON orders (total)", kind: "btree",
		},
		{
			name: "order by with limit after equality", sql: "SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at DESC)", kind: "composite",
			serves: []string{"user_id = $1", "ORDER BY created_at DESC"},
		},
		{
			name: "order by wins over range", sql: "SELECT * FROM orders WHERE user_id = $1 AND total > 5 ORDER BY created_at LIMIT 20",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_created_at_idx ON orders (user_id, created_at)", kind: "composite",
		},
		{
			name: "order by without limit is ignored", sql: "SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "order by equality column skipped", sql: "SELECT * FROM orders WHERE status = $1 ORDER BY status, created_at LIMIT 5",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at)", kind: "composite",
		},
		{
			name: "mixed directions and nulls", sql: "SELECT * FROM users ORDER BY score DESC NULLS LAST, id LIMIT 10",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_score_id_idx ON users (score DESC NULLS LAST, id)", kind: "composite",
			serves: []string{"ORDER BY score DESC NULLS LAST", "ORDER BY id"},
		},
		{
			name: "order by only", sql: "SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET 100",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at DESC)", kind: "btree",
		},
		{
			name: "expression key", sql: "SELECT * FROM users WHERE lower(email) = lower($1)",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_idx ON users (lower(email))", kind: "expression",
		},
		{
			name: "jsonb expression key", sql: "SELECT * FROM users WHERE data ->> 'plan' = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_data_plan_idx ON users ((data ->> 'plan'))", kind: "expression",
		},
		{
			name: "stable cast is not indexable", sql: "SELECT * FROM users WHERE created_at::date = current_date",
		},
		{
			name: "immutable cast is indexable", sql: "SELECT * FROM users WHERE birthday::timestamp = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_birthday_timestamp_idx ON users ((birthday::timestamp))", kind: "expression",
		},
		{
			name: "date_trunc on timestamptz is not indexable", sql: "SELECT * FROM users WHERE date_trunc('day', created_at) = $1 AND score = 3",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_score_idx ON users (score)", kind: "btree",
		},
		{
			name: "is not null on a not null column selects nothing", sql: "SELECT max(id) FROM orders WHERE user_id = 4242 AND id IS NOT NULL",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id) INCLUDE (id)", kind: "covering",
		},
		{
			name: "partial from is null", sql: "SELECT id FROM users WHERE deleted_at IS NULL AND email = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email) INCLUDE (id) WHERE deleted_at IS NULL", kind: "partial",
			serves: []string{"email = $1", "WHERE deleted_at IS NULL"},
		},
		{
			name: "partial from boolean", sql: "SELECT * FROM users WHERE active AND country = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_country_idx ON users (country) WHERE active", kind: "partial",
		},
		{
			name: "partial from negated boolean and is not null", sql: "SELECT * FROM users WHERE NOT active AND deleted_at IS NOT NULL ORDER BY deleted_at LIMIT 10",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_deleted_at_idx ON users (deleted_at) WHERE NOT active AND deleted_at IS NOT NULL", kind: "partial",
		},
		{
			name: "subset filter alone becomes the key", sql: "SELECT * FROM users WHERE deleted_at IS NULL",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_deleted_at_idx ON users (deleted_at)", kind: "btree",
		},
		{
			name: "equality on constant without statistics stays a key", sql: "SELECT * FROM orders WHERE status = 'paid' AND total > 100",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_total_idx ON orders (status, total)", kind: "composite",
		},
		{
			name: "include for index-only scan", sql: "SELECT id, total FROM orders WHERE user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id) INCLUDE (id, total)", kind: "covering",
		},
		{
			name: "no include of wide columns", sql: "SELECT id, status FROM orders WHERE user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "no include of too many columns", sql: "SELECT id, total, created_at FROM orders WHERE user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "no include with small limit", sql: "SELECT id, total FROM orders WHERE user_id = $1 LIMIT 10",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "no include for writes", sql: "UPDATE orders SET total = 0 WHERE user_id = $1",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id)", kind: "btree",
		},
		{
			name: "like prefix gets a pattern opclass", sql: "SELECT * FROM users WHERE name LIKE 'Jo%'",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name text_pattern_ops)", kind: "btree",
		},
		{
			name: "like prefix on varchar", sql: "SELECT * FROM users WHERE email LIKE 'a%'",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email varchar_pattern_ops)", kind: "btree",
		},
		{
			name: "containment gets gin", sql: "SELECT * FROM users WHERE tags @> ARRAY['a']",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_tags_idx ON users USING gin (tags)", kind: "gin",
		},
		{
			name: "join key", sql: "SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1", rel: "o",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id) INCLUDE (id)", kind: "covering",
			serves: []string{"user_id = u.id"},
		},
		{
			name: "max keys", sql: "SELECT * FROM users WHERE email = $1 AND name = $2 AND country = $3 AND score = $4",
			ddl: "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_name_country_idx ON users (email, name, country)", kind: "composite",
		},
		{
			name: "quoted names and other schema", sql: `SELECT id FROM billing."Invoice" WHERE "OrderId" = $1 AND "select" > 3`,
			ddl: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "Invoice_OrderId_select_idx" ON billing."Invoice" ("OrderId", "select") INCLUDE (id)`, kind: "covering",
		},
		{name: "nothing indexable", sql: "SELECT * FROM users WHERE name LIKE '%x' OR score <> 3"},
		{name: "not equal", sql: "SELECT * FROM users WHERE score <> 3"},
		{name: "arithmetic", sql: "SELECT * FROM users WHERE score * 2 > $1"},
		{name: "no filter", sql: "SELECT * FROM users"},
		{name: "order by random", sql: "SELECT * FROM users ORDER BY random() LIMIT 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := accessOf(t, cat, tt.sql, tt.rel)
			ix := candidate.For(a, cat.Table(a.Table), candidate.Options{})
			if tt.ddl == "" {
				if ix != nil {
					t.Fatalf("For = %s, want nil", ix.DDL())
				}
				return
			}
			if ix == nil {
				t.Fatalf("For = nil, want %s", tt.ddl)
			}
			if diff := cmp.Diff(tt.ddl, ix.DDL()); diff != "" {
				t.Errorf("DDL (-want +got):\n%s", diff)
			}
			if ix.Kind() != tt.kind {
				t.Errorf("Kind = %q, want %q", ix.Kind(), tt.kind)
			}
			if tt.serves != nil {
				if diff := cmp.Diff(tt.serves, ix.Serves); diff != "" {
					t.Errorf("Serves (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestForStatistics checks what statistics change: the most selective
// equality first, and a constant equality on a column with few distinct
// values moved to the partial predicate.
func TestForStatistics(t *testing.T) {
	cat := loadCatalog(t, schema)
	orders := cat.Table(query.TableName{Name: "orders"})
	orders.Stats = &catalog.TableStats{RowEstimate: 1e6}
	orders.Column("status").Stats = &catalog.ColumnStats{NDistinct: 4}
	orders.Column("user_id").Stats = &catalog.ColumnStats{NDistinct: -0.05}
	orders.Column("total").Stats = &catalog.ColumnStats{NDistinct: 1000}
	tests := []struct{ name, sql, ddl string }{
		{"selective first", "SELECT * FROM orders WHERE total = $2 AND user_id = $1",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_total_idx ON orders (user_id, total)"},
		{"low cardinality constant to predicate", "SELECT * FROM orders WHERE status = 'paid' AND created_at > $1",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at) WHERE status = 'paid'"},
		{"low cardinality parameter stays a key", "SELECT * FROM orders WHERE status = $2 AND created_at > $1",
			"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := accessOf(t, cat, tt.sql, "")
			ix := candidate.For(a, orders, candidate.Options{})
			if ix == nil {
				t.Fatal("For = nil")
			}
			if diff := cmp.Diff(tt.ddl, ix.DDL()); diff != "" {
				t.Errorf("DDL (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForTaken checks that a proposal avoids names already used.
func TestForTaken(t *testing.T) {
	cat := loadCatalog(t, schema+"CREATE INDEX orders_user_id_idx ON orders (id); CREATE INDEX orders_user_id_idx1 ON orders (id);")
	a := accessOf(t, cat, "SELECT * FROM orders WHERE user_id = 1", "")
	taken := func(n string) bool { return cat.Index(query.TableName{Name: n}) != nil }
	ix := candidate.For(a, cat.Table(a.Table), candidate.Options{Taken: taken})
	if ix == nil || ix.Name != "orders_user_id_idx2" {
		t.Fatalf("For = %+v, want orders_user_id_idx2", ix)
	}
}

// TestForNoCatalog checks proposals made without a schema: no types, so
// no INCLUDE and the generic pattern opclass.
func TestForNoCatalog(t *testing.T) {
	st, err := sqlparse.Analyze("SELECT id, total FROM orders o WHERE o.user_id = $1 AND o.note LIKE 'a%'", nil)
	if err != nil {
		t.Fatal(err)
	}
	ix := candidate.For(st.Accesses()[0], nil, candidate.Options{})
	want := "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_note_idx ON orders (user_id, note text_pattern_ops)"
	if ix == nil || ix.DDL() != want {
		t.Fatalf("For = %v, want %s", ix, want)
	}
}

func TestCatalogIndex(t *testing.T) {
	cat := loadCatalog(t, schema)
	a := accessOf(t, cat, "SELECT id FROM users WHERE deleted_at IS NULL AND lower(email) = $1", "")
	ix := candidate.For(a, cat.Table(a.Table), candidate.Options{})
	ci := ix.CatalogIndex("")
	if ci.Table != "public.users" || ci.Method != "btree" || ci.Predicate != "deleted_at IS NULL" || len(ci.Where) != 1 || ci.Keys[0].Expr != "lower(email)" {
		t.Errorf("CatalogIndex = %+v", ci)
	}
	if !ci.Keys[0].Matches(a.Filters[1].Left) && !ci.Keys[0].Matches(a.Filters[0].Left) {
		t.Errorf("the catalog key %+v does not match the query's expression", ci.Keys[0])
	}
}

func TestIndexName(t *testing.T) {
	long := strings.Repeat("a", 40)
	tests := []struct {
		table string
		parts []string
		taken []string
		want  string
	}{
		{"orders", []string{"user_id"}, nil, "orders_user_id_idx"},
		{"orders", []string{"user_id", "created_at"}, nil, "orders_user_id_created_at_idx"},
		{"orders", []string{"user_id"}, []string{"orders_user_id_idx"}, "orders_user_id_idx1"},
		// The longer of table and columns is clipped first, to 63 bytes.
		{long, []string{long}, nil, strings.Repeat("a", 29) + "_" + strings.Repeat("a", 29) + "_idx"},
		{"t", []string{long, long}, nil, "t_" + strings.Repeat("a", 40) + "_" + strings.Repeat("a", 16) + "_idx"},
		// Multibyte characters are never split.
		{strings.Repeat("é", 40), []string{"x"}, nil, strings.Repeat("é", 28) + "_x_idx"},
	}
	for _, tt := range tests {
		taken := func(n string) bool {
			for _, x := range tt.taken {
				if x == n {
					return true
				}
			}
			return false
		}
		got := candidate.IndexName(tt.table, tt.parts, taken)
		if got != tt.want {
			t.Errorf("IndexName(%q, %q) = %q, want %q", tt.table, tt.parts, got, tt.want)
		}
		if len(got) > 63 {
			t.Errorf("IndexName(%q, %q) is %d bytes", tt.table, tt.parts, len(got))
		}
	}
}

func TestExprName(t *testing.T) {
	for expr, want := range map[string]string{
		"lower(email)":             "lower_email",
		"(created_at)::date":       "created_at_date",
		"(data ->> 'kind'::text)":  "data_kind_text",
		`lower("UserName")`:        "lower_UserName",
		"date_trunc('day', at)":    "date_trunc_day_at",
		"coalesce(a, b) || 'x y'":  "coalesce_a_b_x_y",
		"((a + 1))":                "a_1",
		"split_part(name, ' ', 1)": "split_part_name_1",
	} {
		if got := candidate.ExprName(expr); got != want {
			t.Errorf("ExprName(%q) = %q, want %q", expr, got, want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for name, want := range map[string]string{
		"orders":      "orders",
		"user_id":     "user_id",
		"a1$":         `"a1$"`, // quote_ident quotes a dollar sign
		"Orders":      `"Orders"`,
		"order items": `"order items"`,
		"1abc":        `"1abc"`,
		"select":      `"select"`,
		"user":        `"user"`,
		"table":       `"table"`,
		"name":        "name",
		"text":        "text",
		`a"b`:         `"a""b"`,
		"":            `""`,
		"été":         `"été"`,
	} {
		if got := sqlparse.QuoteIdent(name); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestIndexable(t *testing.T) {
	cat := loadCatalog(t, schema)
	users := cat.Table(query.TableName{Name: "users"})
	tests := []struct {
		where string
		want  bool
	}{
		{"lower(email) = $1", true},
		{"created_at::date = $1", false},
		{"created_at::timestamp = $1", false},
		{"created_at::text = $1", false},
		{"birthday::timestamptz = $1", false},
		{"birthday::text = $1", true},
		{"name::date = $1", false},
		{"score::text = $1", true},
		{"date_trunc('day', created_at) = $1", false},
		{"date_trunc('day', created_at, 'UTC') = $1", true},
		{"extract(year FROM created_at) = $1", false},
		{"extract(year FROM birthday) = $1", true},
		{"to_char(created_at, 'YYYY') = $1", false},
		{"data ->> 'x' = $1", true},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			a := accessOf(t, cat, "SELECT 1 FROM users WHERE "+tt.where, "")
			if len(a.Filters) != 1 {
				t.Fatalf("filters: %+v", a.Filters)
			}
			if got := candidate.Indexable(a.Filters[0].Left, users); got != tt.want {
				t.Errorf("Indexable(%s) = %v, want %v", a.Filters[0].Left.Text, got, tt.want)
			}
		})
	}
}
