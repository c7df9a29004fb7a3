package plancheck

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// schema is the catalog of the table-driven cases.
const schema = `
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id int NOT NULL,
    status varchar(20) NOT NULL,
    code int NOT NULL,
    note text,
    created_at timestamptz NOT NULL
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE TABLE readings (id int NOT NULL, device int NOT NULL, value float8 NOT NULL) PARTITION BY LIST (device);
CREATE TABLE readings_1 PARTITION OF readings FOR VALUES IN (1);
`

func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat := catalog.New()
	if errs := cat.Apply(schema, "schema.sql"); len(errs) > 0 {
		t.Fatalf("schema: %v", errs[0])
	}
	return cat
}

// TestProposeIndexFromConditions proposes indexes from conditions as
// PostgreSQL prints them in plans, without the query.
func TestProposeIndexFromConditions(t *testing.T) {
	tests := []struct {
		name    string
		node    explain.Node
		joins   bool
		conds   []string
		catalog bool
		want    string // DDL; "" for no proposal
	}{
		{name: "equality", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(customer_id = 4242)"},
			want:  "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)"},
		{name: "equality then range", node: explain.Node{RelationName: "orders", Alias: "o"},
			conds: []string{"((created_at >= '2023-03-01 00:00:00+00'::timestamp with time zone) AND (created_at < '2023-03-08 00:00:00+00'::timestamp with time zone))", "(o.code = 7)"},
			want:  "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_created_at_idx ON orders (code, created_at)"},
		{name: "varchar compared as text", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"((status)::text = 'paid'::text)"}, catalog: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)"},
		{name: "integer compared as text needs an expression index", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"((code)::text = '5'::text)"}, catalog: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_text_idx ON orders ((code::text))"},
		{name: "expression", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(lower(note) = 'x'::text)"},
			want:  "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_lower_note_idx ON orders (lower(note))"},
		{name: "join key of a parameterized scan", node: explain.Node{RelationName: "orders", Alias: "o"},
			joins: true, conds: []string{"(o.customer_id = c.id)", "(o.code = 3)"},
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_customer_id_idx ON orders (code, customer_id)"},
		{name: "unqualified column of the scan next to an outer one", node: explain.Node{RelationName: "orders", Alias: "o"},
			joins: true, conds: []string{"(customer_id = c.id)"},
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)"},
		{name: "InitPlan value (PostgreSQL 16+)", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(id > (InitPlan 1).col1)"},
			want:  "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_id_idx ON orders (id)"},
		{name: "quoted identifiers and dots in literals", node: explain.Node{RelationName: "Orders", Schema: "app", Alias: "o"},
			conds: []string{"((o.\"Code\" = 7) AND (o.note = 'a.b'::text))"},
			want:  `CREATE INDEX CONCURRENTLY IF NOT EXISTS "Orders_Code_note_idx" ON app."Orders" ("Code", note)`},
		{name: "OR cannot lead an index", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"((code = 1) OR (customer_id = 2))"}},
		{name: "leading wildcard", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(note ~~ '%x'::text)"}},
		{name: "garbage", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(code = "}},
		{name: "partition gets the index on its partitioned table", node: explain.Node{RelationName: "readings_1", Alias: "readings_1"},
			conds: []string{"(id = 77)"}, catalog: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS readings_1_id_idx ON readings_1 (id);\nCREATE INDEX IF NOT EXISTS readings_id_idx ON ONLY readings (id);\nALTER INDEX readings_id_idx ATTACH PARTITION readings_1_id_idx"},
		{name: "name taken in the schema", node: explain.Node{RelationName: "orders", Alias: "orders"},
			conds: []string{"(customer_id = 1) AND (code = 2)"}, catalog: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_code_idx ON orders (customer_id, code)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cat := catalog.New()
			if tc.catalog {
				cat = testCatalog(t)
			}
			n := tc.node
			got := ""
			if pr := ProposeIndex(cat, &explain.Plan{}, &n, tc.joins, tc.conds...); pr != nil {
				got = pr.DDL
				if pr.FromQuery {
					t.Error("proposal from a query the plan does not have")
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("DDL (-want +got):\n%s", d)
			}
		})
	}
}

// TestProposeIndexFromQuery proposes from the plan's query when it has
// one: its ORDER BY ... LIMIT counts, and partitions are matched to their
// partitioned table by PostgreSQL's alias_N names.
func TestProposeIndexFromQuery(t *testing.T) {
	tests := []struct {
		name, query string
		node        explain.Node
		conds       []string
		want        string
		fromQuery   bool
	}{
		{name: "ORDER BY LIMIT", query: "select * from orders o where o.code = 3 order by created_at desc limit 10",
			node: explain.Node{RelationName: "orders", Alias: "o"}, conds: []string{"(code = 3)"}, fromQuery: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_created_at_idx ON orders (code, created_at DESC)"},
		{name: "partition alias", query: "select * from readings r where r.value > 10 and id = 5",
			node: explain.Node{RelationName: "readings_1", Alias: "r_1"}, conds: []string{"((value > '10'::double precision) AND (id = 5))"}, fromQuery: true,
			// Without a catalog the partitions are unknown: one plain
			// CREATE INDEX on the parent.
			want: "CREATE INDEX IF NOT EXISTS readings_id_value_idx ON readings (id, value)"},
		{name: "join keys of a hash join do not count", query: "select * from orders o join customers c on c.id = o.customer_id where o.code = 3",
			node: explain.Node{RelationName: "orders", Alias: "o"}, conds: []string{"(code = 3)"}, fromQuery: true,
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders (code)"},
		{name: "the same alias in two blocks: from the conditions", query: "select * from orders where id = (select max(id) from orders where code = 3)",
			node: explain.Node{RelationName: "orders", Alias: "orders_1"}, conds: []string{"(code = 3)"},
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders (code)"},
		{name: "query that does not parse: from the conditions", query: "select * from orders where",
			node: explain.Node{RelationName: "orders", Alias: "orders"}, conds: []string{"(code = 3)"},
			want: "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders (code)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.node
			pr := ProposeIndex(catalog.New(), &explain.Plan{Query: tc.query}, &n, false, tc.conds...)
			if pr == nil {
				t.Fatalf("no proposal, want %s", tc.want)
			}
			if d := cmp.Diff(tc.want, pr.DDL); d != "" {
				t.Errorf("DDL (-want +got):\n%s", d)
			}
			if pr.FromQuery != tc.fromQuery {
				t.Errorf("FromQuery = %v, want %v", pr.FromQuery, tc.fromQuery)
			}
		})
	}
}

func TestExistingIndex(t *testing.T) {
	cat := testCatalog(t)
	n := explain.Node{RelationName: "orders", Alias: "orders"}
	pr := ProposeIndex(cat, &explain.Plan{}, &n, false, "(customer_id = 42)")
	if pr == nil {
		t.Fatal("no proposal")
	}
	if ix := ExistingIndex(cat, pr); ix == nil || ix.Name != "orders_customer_id_idx" {
		t.Errorf("ExistingIndex = %v, want orders_customer_id_idx", ix)
	}
	pr = ProposeIndex(cat, &explain.Plan{}, &n, false, "(code = 42)")
	if ix := ExistingIndex(cat, pr); ix != nil {
		t.Errorf("ExistingIndex = %s, want none", ix.Name)
	}
}

func TestKeysFrom(t *testing.T) {
	n := explain.Node{RelationName: "orders", Alias: "orders"}
	pr := ProposeIndex(catalog.New(), &explain.Plan{}, &n, false, "(customer_id = 42)", "(created_at > now())")
	for cond, want := range map[string]bool{"(customer_id = 42)": true, "(created_at > now())": true, "(customer_id_x = 1)": false, "(code = 1)": false} {
		if got := KeysFrom(pr, cond); got != want {
			t.Errorf("KeysFrom(%q) = %v, want %v", cond, got, want)
		}
	}
}
