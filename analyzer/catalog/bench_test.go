package catalog

import (
	"fmt"
	"strings"
	"testing"
)

// largeSchema returns a pg_dump-like schema of n tables (each with eight
// columns, a primary key, a foreign key to the previous table, a check, a
// unique constraint and two indexes, one on an expression) and its
// number of statements.
func largeSchema(n int) (string, int) {
	var b strings.Builder
	stmts := 0
	b.WriteString("SELECT pg_catalog.set_config('search_path', '', false);\nCREATE SCHEMA app;\n")
	stmts += 2
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `
-- Name: t%[1]d; Type: TABLE; Schema: app
CREATE TABLE app.t%[1]d (
    id bigint NOT NULL,
    parent_id bigint,
    code character varying(40) NOT NULL,
    name text,
    amount numeric(12,2) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    data jsonb,
    CONSTRAINT t%[1]d_amount_check CHECK ((amount >= (0)::numeric))
);
ALTER TABLE app.t%[1]d OWNER TO app;
ALTER TABLE ONLY app.t%[1]d ADD CONSTRAINT t%[1]d_pkey PRIMARY KEY (id);
ALTER TABLE ONLY app.t%[1]d ADD CONSTRAINT t%[1]d_code_key UNIQUE (code);
CREATE INDEX t%[1]d_lower_name_idx ON app.t%[1]d USING btree (lower(name));
CREATE INDEX t%[1]d_live_idx ON app.t%[1]d USING btree (created_at DESC) WHERE (deleted_at IS NULL);
COMMENT ON TABLE app.t%[1]d IS 'table %[1]d';
`, i)
		stmts += 7
		if i > 0 {
			fmt.Fprintf(&b, "ALTER TABLE ONLY app.t%d ADD CONSTRAINT t%d_parent_fkey FOREIGN KEY (parent_id) REFERENCES app.t%d(id);\n", i, i, i-1)
			stmts++
		}
	}
	return b.String(), stmts
}

// BenchmarkLoadLargeSchema loads a 2,000-table schema (about 16,000
// statements) and reports tables/s and statements/s.
func BenchmarkLoadLargeSchema(b *testing.B) {
	const tables = 2000
	src, stmts := largeSchema(tables)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c := New()
		if errs := c.Apply(src, "large.sql"); len(errs) > 0 {
			b.Fatal(errs[0])
		}
		if len(c.Tables) != tables || len(c.Indexes) != 4*tables {
			b.Fatalf("%d tables, %d indexes", len(c.Tables), len(c.Indexes))
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(tables)/perOp, "tables/s")
	b.ReportMetric(float64(stmts)/perOp, "stmts/s")
}

// TestLargeSchemaLoads checks the benchmark's schema loads fully, with
// the foreign keys resolved.
func TestLargeSchemaLoads(t *testing.T) {
	src, _ := largeSchema(50)
	c, errs := applyFiles(src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tb := c.Tables["app.t49"]
	if tb == nil || len(tb.Columns) != 8 || tb.PrimaryKey == nil || len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].RefTable != "app.t48" ||
		len(tb.Indexes) != 4 || len(tb.Checks) != 1 {
		t.Fatalf("app.t49 = %+v", tb)
	}
}
