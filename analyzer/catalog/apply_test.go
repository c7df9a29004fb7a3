package catalog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// applyFiles applies sources as files 01.sql, 02.sql, ... and returns the
// catalog and the load errors as "file:line:col: message".
func applyFiles(srcs ...string) (*Catalog, []string) {
	c := New()
	var errs []string
	for i, src := range srcs {
		for _, e := range c.Apply(src, fmt.Sprintf("%02d.sql", i+1)) {
			errs = append(errs, e.Error())
		}
	}
	return c, errs
}

// tableOpts compares tables without index definitions and match
// predicates, which TestIndexDefinitions and the match tests cover, and
// without columns of positions and constraint positions, which
// TestPositions covers.
var tableOpts = cmp.Options{
	cmpopts.IgnoreFields(Index{}, "Definition", "Where", "Column"),
	cmpopts.IgnoreFields(ForeignKey{}, "Column"),
	cmpopts.IgnoreFields(Constraint{}, "File", "Line", "Column"),
	cmpopts.EquateEmpty(),
}

// idx builds an expected index of a DDL catalog.
func idx(table, name, file string, line int, keys ...IndexKey) *Index {
	schema, _ := splitKey(table)
	return &Index{Schema: schema, Name: name, Table: table, Method: "btree", Keys: keys, Valid: true, Scans: -1, File: file, Line: line}
}

// ck is a column key.
func ck(name string) IndexKey { return IndexKey{Column: name} }

func TestApply(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		// want are the tables expected (every table of the catalog).
		want []*Table
	}{
		{
			name: "create table with implicit names",
			files: []string{`CREATE TABLE users (
	id serial PRIMARY KEY,
	email varchar(100) UNIQUE NOT NULL,
	age int CHECK (age > 0),
	created timestamptz DEFAULT now()
);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY, user_id int REFERENCES users ON DELETE CASCADE, a int, b int,
	CONSTRAINT orders_pk PRIMARY KEY (id), CHECK (a < b), UNIQUE (a, b) INCLUDE (user_id));`},
			want: []*Table{
				{Schema: "public", Name: "orders", Kind: KindTable, File: "01.sql", Line: 7,
					Columns: []*Column{
						{Name: "id", Type: "bigint", NotNull: true, Identity: true},
						{Name: "user_id", Type: "integer"}, {Name: "a", Type: "integer"}, {Name: "b", Type: "integer"},
					},
					PrimaryKey:  &Constraint{Name: "orders_pk", Kind: ConPrimary, Columns: []string{"id"}, Index: "public.orders_pk"},
					Uniques:     []*Constraint{{Name: "orders_a_b_user_id_key", Kind: ConUnique, Columns: []string{"a", "b"}, Index: "public.orders_a_b_user_id_key"}},
					Checks:      []*Constraint{{Name: "orders_check", Kind: ConCheck, Columns: []string{"a", "b"}, Expr: "a < b"}},
					ForeignKeys: []*ForeignKey{{Name: "orders_user_id_fkey", Columns: []string{"user_id"}, RefTable: "public.users", RefColumns: []string{"id"}, OnDelete: "cascade", File: "01.sql", Line: 7}},
					Indexes: []*Index{
						{Schema: "public", Name: "orders_a_b_user_id_key", Table: "public.orders", Method: "btree", Unique: true, Constraint: "orders_a_b_user_id_key",
							Keys: []IndexKey{ck("a"), ck("b")}, Include: []string{"user_id"}, Valid: true, Scans: -1, File: "01.sql", Line: 8},
						{Schema: "public", Name: "orders_pk", Table: "public.orders", Method: "btree", Unique: true, Primary: true, Constraint: "orders_pk",
							Keys: []IndexKey{ck("id")}, Valid: true, Scans: -1, File: "01.sql", Line: 8},
					},
				},
				{Schema: "public", Name: "users", Kind: KindTable, File: "01.sql", Line: 1,
					Columns: []*Column{
						{Name: "id", Type: "integer", NotNull: true, Default: "nextval('users_id_seq'::regclass)"},
						{Name: "email", Type: "character varying(100)", NotNull: true},
						{Name: "age", Type: "integer"},
						{Name: "created", Type: "timestamp with time zone", Default: "now()"},
					},
					PrimaryKey: &Constraint{Name: "users_pkey", Kind: ConPrimary, Columns: []string{"id"}, Index: "public.users_pkey"},
					Uniques:    []*Constraint{{Name: "users_email_key", Kind: ConUnique, Columns: []string{"email"}, Index: "public.users_email_key"}},
					Checks:     []*Constraint{{Name: "users_age_check", Kind: ConCheck, Columns: []string{"age"}, Expr: "age > 0"}},
					Indexes: []*Index{
						{Schema: "public", Name: "users_email_key", Table: "public.users", Method: "btree", Unique: true, Constraint: "users_email_key",
							Keys: []IndexKey{ck("email")}, Valid: true, Scans: -1, File: "01.sql", Line: 3},
						{Schema: "public", Name: "users_pkey", Table: "public.users", Method: "btree", Unique: true, Primary: true, Constraint: "users_pkey",
							Keys: []IndexKey{ck("id")}, Valid: true, Scans: -1, File: "01.sql", Line: 2},
					},
				},
			},
		},
		{
			name: "create index forms",
			files: []string{`CREATE TABLE t (a int, b text, c timestamptz, d int);
CREATE INDEX ON t (a);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b ON t USING btree (lower(b) DESC NULLS LAST, c NULLS FIRST) INCLUDE (d) WHERE d > 0;
CREATE INDEX IF NOT EXISTS t_b ON t (a);
CREATE INDEX t_g ON t USING gin (b gin_trgm_ops);
CREATE INDEX t_c ON t (b COLLATE "C" text_pattern_ops, (c::date));`},
			want: []*Table{{Schema: "public", Name: "t", Kind: KindTable, File: "01.sql", Line: 1,
				Columns: []*Column{{Name: "a", Type: "integer"}, {Name: "b", Type: "text"}, {Name: "c", Type: "timestamp with time zone"}, {Name: "d", Type: "integer"}},
				Indexes: []*Index{
					idx("public.t", "t_a_idx", "01.sql", 2, ck("a")),
					{Schema: "public", Name: "t_b", Table: "public.t", Method: "btree", Unique: true,
						Keys:    []IndexKey{{Expr: "lower(b)", Columns: []string{"b"}, Desc: true, Nulls: query.NullsLast}, {Column: "c", Nulls: query.NullsFirst}},
						Include: []string{"d"}, Predicate: "d > 0", Valid: true, Scans: -1, File: "01.sql", Line: 3},
					{Schema: "public", Name: "t_c", Table: "public.t", Method: "btree",
						Keys:  []IndexKey{{Column: "b", Collation: `"C"`, Opclass: "text_pattern_ops"}, {Expr: "c::date", Columns: []string{"c"}}},
						Valid: true, Scans: -1, File: "01.sql", Line: 6},
					{Schema: "public", Name: "t_g", Table: "public.t", Method: "gin", Keys: []IndexKey{{Column: "b", Opclass: "gin_trgm_ops"}},
						Valid: true, Scans: -1, File: "01.sql", Line: 5},
				}}},
		},
		{
			name: "migration sequence: create, alter, rename, drop",
			files: []string{
				`CREATE TABLE accounts (id int PRIMARY KEY, email text);
CREATE TABLE items (id int PRIMARY KEY, account_id int REFERENCES accounts, price numeric);
CREATE INDEX items_account ON items (account_id);`,
				`ALTER TABLE accounts ADD COLUMN name text NOT NULL DEFAULT '', ADD CONSTRAINT accounts_email_key UNIQUE (email);
ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2), ALTER COLUMN price SET NOT NULL;
CREATE INDEX items_price ON items (price) WHERE price > 100;`,
				`ALTER TABLE items RENAME COLUMN price TO amount;
ALTER TABLE accounts RENAME TO customers;
ALTER INDEX items_account RENAME TO items_customer;
ALTER TABLE items RENAME CONSTRAINT items_account_id_fkey TO items_customer_fk;
ALTER TABLE customers DROP COLUMN email;`,
				`CREATE TABLE scratch (x int);
DROP TABLE scratch;
DROP INDEX items_price;
ALTER TABLE items ADD COLUMN sku text;
CREATE UNIQUE INDEX items_sku ON items (sku);
ALTER TABLE items DROP CONSTRAINT items_pkey, ADD CONSTRAINT items_sku_pk PRIMARY KEY USING INDEX items_sku;`,
			},
			want: []*Table{
				{Schema: "public", Name: "customers", Kind: KindTable, File: "01.sql", Line: 1,
					Columns:    []*Column{{Name: "id", Type: "integer", NotNull: true}, {Name: "name", Type: "text", NotNull: true, Default: "''"}},
					PrimaryKey: &Constraint{Name: "accounts_pkey", Kind: ConPrimary, Columns: []string{"id"}, Index: "public.accounts_pkey"},
					Indexes: []*Index{{Schema: "public", Name: "accounts_pkey", Table: "public.customers", Method: "btree", Unique: true, Primary: true,
						Constraint: "accounts_pkey", Keys: []IndexKey{ck("id")}, Valid: true, Scans: -1, File: "01.sql", Line: 1}},
				},
				{Schema: "public", Name: "items", Kind: KindTable, File: "01.sql", Line: 2,
					Columns: []*Column{{Name: "id", Type: "integer", NotNull: true}, {Name: "account_id", Type: "integer"},
						{Name: "amount", Type: "numeric(10,2)", NotNull: true}, {Name: "sku", Type: "text", NotNull: true}},
					PrimaryKey:  &Constraint{Name: "items_sku_pk", Kind: ConPrimary, Columns: []string{"sku"}, Index: "public.items_sku_pk"},
					ForeignKeys: []*ForeignKey{{Name: "items_customer_fk", Columns: []string{"account_id"}, RefTable: "public.customers", RefColumns: []string{"id"}, File: "01.sql", Line: 2}},
					Indexes: []*Index{
						idx("public.items", "items_customer", "01.sql", 3, ck("account_id")),
						{Schema: "public", Name: "items_sku_pk", Table: "public.items", Method: "btree", Unique: true, Primary: true,
							Constraint: "items_sku_pk", Keys: []IndexKey{ck("sku")}, Valid: true, Scans: -1, File: "04.sql", Line: 6},
					},
				},
			},
		},
		{
			name: "partitioned table: indexes and foreign keys reach partitions",
			files: []string{`CREATE TABLE r (id int PRIMARY KEY);
CREATE TABLE ev (id int, at date, r_id int REFERENCES r) PARTITION BY RANGE (at);
CREATE INDEX ev_at ON ev (at);
CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`},
			want: []*Table{
				{Schema: "public", Name: "ev", Kind: KindPartitioned, PartitionKey: "RANGE (at)", File: "01.sql", Line: 2,
					Columns:     []*Column{{Name: "id", Type: "integer"}, {Name: "at", Type: "date"}, {Name: "r_id", Type: "integer"}},
					ForeignKeys: []*ForeignKey{{Name: "ev_r_id_fkey", Columns: []string{"r_id"}, RefTable: "public.r", RefColumns: []string{"id"}, File: "01.sql", Line: 2}},
					Indexes:     []*Index{idx("public.ev", "ev_at", "01.sql", 3, ck("at"))},
				},
				{Schema: "public", Name: "ev_1", Kind: KindTable, PartitionOf: "public.ev", PartitionBound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
					File: "01.sql", Line: 4,
					Columns:     []*Column{{Name: "id", Type: "integer"}, {Name: "at", Type: "date"}, {Name: "r_id", Type: "integer"}},
					ForeignKeys: []*ForeignKey{{Name: "ev_r_id_fkey", Columns: []string{"r_id"}, RefTable: "public.r", RefColumns: []string{"id"}, File: "01.sql", Line: 2}},
					Indexes: []*Index{func() *Index {
						ix := idx("public.ev_1", "ev_1_at_idx", "01.sql", 4, ck("at"))
						ix.Parent = "public.ev_at"
						return ix
					}()},
				},
				{Schema: "public", Name: "r", Kind: KindTable, File: "01.sql", Line: 1,
					Columns:    []*Column{{Name: "id", Type: "integer", NotNull: true}},
					PrimaryKey: &Constraint{Name: "r_pkey", Kind: ConPrimary, Columns: []string{"id"}, Index: "public.r_pkey"},
					Indexes: []*Index{{Schema: "public", Name: "r_pkey", Table: "public.r", Method: "btree", Unique: true, Primary: true,
						Constraint: "r_pkey", Keys: []IndexKey{ck("id")}, Valid: true, Scans: -1, File: "01.sql", Line: 1}},
				},
			},
		},
		{
			name: "views, materialized views, schemas and search path",
			files: []string{`CREATE SCHEMA app;
SET search_path TO app;
CREATE TYPE state AS ENUM ('on', 'off');
CREATE TABLE t (id int, s state, n text);
CREATE VIEW v (ident) AS SELECT t.id, s AS st, upper(n) FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WITH NO DATA;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE VIEW public.w AS SELECT 1 AS one;`},
			want: []*Table{
				{Schema: "app", Name: "mv", Kind: KindMatView, ViewQuery: "SELECT * FROM t", DependsOn: []string{"app.t"}, File: "01.sql", Line: 6,
					Columns: []*Column{{Name: "id", Type: "integer"}, {Name: "s", Type: "app.state"}, {Name: "n", Type: "text"}}},
				{Schema: "app", Name: "t", Kind: KindTable, File: "01.sql", Line: 4,
					Columns: []*Column{{Name: "id", Type: "integer"}, {Name: "s", Type: "app.state"}, {Name: "n", Type: "text"}}},
				{Schema: "app", Name: "v", Kind: KindView, ViewQuery: "SELECT t.id, s AS st, upper(n) FROM t", DependsOn: []string{"app.t"}, File: "01.sql", Line: 5,
					Columns: []*Column{{Name: "ident", Type: "integer"}, {Name: "st", Type: "app.state"}, {Name: "upper"}}},
				{Schema: "public", Name: "w", Kind: KindView, ViewQuery: "SELECT 1 AS one", File: "01.sql", Line: 8,
					Columns: []*Column{{Name: "one"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, errs := applyFiles(tt.files...)
			for _, e := range errs {
				t.Errorf("load error: %s", e)
			}
			if diff := cmp.Diff(tt.want, c.AllTables(), tableOpts); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			var indexes []*Index
			for _, tb := range c.AllTables() {
				indexes = append(indexes, tb.Indexes...)
			}
			if diff := cmp.Diff(indexes, c.AllIndexes(), cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b *Index) bool { return a.Key() < b.Key() })); diff != "" {
				t.Errorf("Indexes map disagrees with the tables' indexes (-tables +map):\n%s", diff)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
		// tables are the tables expected to exist afterwards.
		tables []string
	}{
		{
			name:   "syntax error, loading goes on",
			files:  []string{"CREATE TABLE a (x int);\n\nCREATE TABLE b (x int,, y int);\nCREATE TABLE c (x int);"},
			want:   []string{`01.sql:3:23: syntax error: syntax error at or near ","`},
			tables: []string{"public.a", "public.c"},
		},
		{
			name: "unknown relations",
			files: []string{`CREATE TABLE a (x int);
ALTER TABLE nope ADD COLUMN y int;
ALTER TABLE IF EXISTS nope ADD COLUMN y int;
CREATE INDEX ON nope (x);
  DROP TABLE nope;
DROP TABLE IF EXISTS nope;
ALTER TABLE a ADD COLUMN x int, ADD COLUMN z int;
ALTER TABLE a DROP COLUMN w;
ALTER TABLE a DROP CONSTRAINT w;
CREATE TABLE b (a_x int REFERENCES missing);`},
			want: []string{
				`01.sql:2:1: relation "nope" does not exist`,
				`01.sql:4:1: relation "nope" does not exist`,
				`01.sql:5:3: table "nope" does not exist`,
				`01.sql:7:1: column "x" of relation "public.a" already exists`,
				`01.sql:8:1: column "w" of relation "public.a" does not exist`,
				`01.sql:9:1: constraint "w" of relation "public.a" does not exist`,
				`01.sql:10:25: relation "missing" referenced by a foreign key of "public.b" does not exist`,
			},
			tables: []string{"public.a", "public.b"},
		},
		{
			name: "duplicates and dependencies",
			files: []string{`CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE a (id int);
CREATE TABLE IF NOT EXISTS a (id int);
CREATE TABLE b (a_id int REFERENCES a, UNIQUE (a_id));
DROP TABLE a;
DROP INDEX b_a_id_key;
ALTER TABLE a ADD PRIMARY KEY (id);
CREATE INDEX a_pkey ON a (id);`, `DROP VIEW b;`},
			want: []string{
				`01.sql:2:1: relation "public.a" already exists`,
				`01.sql:5:1: cannot drop "public.a" because other objects depend on it (constraint b_a_id_fkey on table public.b); use CASCADE`,
				`01.sql:6:1: cannot drop index "public.b_a_id_key" because constraint "b_a_id_key" on table "public.b" requires it`,
				`01.sql:7:19: multiple primary keys for table "public.a" are not allowed`,
				`01.sql:8:1: relation "public.a_pkey" already exists`,
				`02.sql:1:1: "public.b" is not a view`,
			},
			tables: []string{"public.a", "public.b"},
		},
		{
			name: "dependent views",
			files: []string{`CREATE TABLE a (id int);
CREATE VIEW v AS SELECT id FROM a;
CREATE VIEW w AS SELECT * FROM (SELECT id FROM v) s;
DROP TABLE a;
DROP VIEW v;
DROP TABLE a CASCADE;`},
			want: []string{
				`01.sql:4:1: cannot drop "public.a" because other objects depend on it (view public.v); use CASCADE`,
				`01.sql:5:1: cannot drop "public.v" because other objects depend on it (view public.w); use CASCADE`,
			},
		},
		{
			name: "partition cycles",
			files: []string{`CREATE TABLE p (a int) PARTITION BY LIST (a);
CREATE TABLE q PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (a);
ALTER TABLE p ATTACH PARTITION p FOR VALUES IN (2);
ALTER TABLE q ATTACH PARTITION p FOR VALUES IN (3);
CREATE TABLE r (a int);
ALTER TABLE p ATTACH PARTITION r FOR VALUES IN (4);
ALTER TABLE q ATTACH PARTITION r FOR VALUES IN (5);
ALTER TABLE r ATTACH PARTITION q FOR VALUES IN (6);
DROP TABLE p;`},
			want: []string{
				`01.sql:3:1: cannot attach "public.p" as a partition of itself or of its own partition`,
				`01.sql:4:1: cannot attach "public.p" as a partition of itself or of its own partition`,
				`01.sql:7:1: "public.r" is already a partition`,
				`01.sql:8:1: table "public.r" is not partitioned`,
			},
		},
		{
			name:   "unterminated quote",
			files:  []string{"CREATE TABLE a (x int);\nCREATE TABLE b (x text DEFAULT 'oops);\n"},
			want:   []string{`01.sql:2:32: unterminated quoted string`},
			tables: []string{"public.a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, errs := applyFiles(tt.files...)
			if diff := cmp.Diff(tt.want, errs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			var got []string
			for _, tb := range c.AllTables() {
				got = append(got, tb.Key())
			}
			if diff := cmp.Diff(tt.tables, got); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			var all []string
			for _, e := range c.Errors {
				all = append(all, e.Error())
			}
			if diff := cmp.Diff(errs, all, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Catalog.Errors differs from what Apply returned:\n%s", diff)
			}
		})
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "1.sql")
	second := filepath.Join(dir, "2.sql")
	if err := os.WriteFile(first, []byte("SET search_path = app;\nCREATE SCHEMA app;\nCREATE TABLE t (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The search path of a file does not leak into the next one.
	if err := os.WriteFile(second, []byte("\\connect db\nCREATE INDEX ON t (id);\nCREATE INDEX ON app.t (id);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := New()
	err := c.LoadFiles(context.Background(), first, filepath.Join(dir, "missing.sql"), second)
	if err == nil || !strings.Contains(err.Error(), "missing.sql") {
		t.Errorf("LoadFiles error = %v, want one naming missing.sql", err)
	}
	var errs []string
	for _, e := range c.Errors {
		errs = append(errs, strings.TrimPrefix(e.Error(), dir+"/"))
	}
	if diff := cmp.Diff([]string{`2.sql:2:1: relation "t" does not exist`}, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if ix := c.IndexesOn(query.TableName{Schema: "app", Name: "t"}); len(ix) != 1 || ix[0].Name != "t_id_idx" || ix[0].Line != 3 {
		t.Errorf("indexes of app.t = %+v", ix)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New().LoadFiles(ctx, first); err == nil {
		t.Error("LoadFiles with a canceled context succeeded")
	}
}

func TestIndexDefinitions(t *testing.T) {
	c, errs := applyFiles(`CREATE TABLE "T" (a int PRIMARY KEY, "B" text, c date) PARTITION BY RANGE (a);
CREATE UNIQUE INDEX ON "T" (a, lower("B") DESC, (c + 1) NULLS FIRST) INCLUDE ("B") WHERE a > 0;
CREATE INDEX ON "T" USING gin ("B" gin_trgm_ops);
CREATE TABLE u (x text);
CREATE UNIQUE INDEX u_x ON u (x COLLATE "C" DESC NULLS LAST) NULLS NOT DISTINCT;`)
	for _, e := range errs {
		t.Errorf("load error: %s", e)
	}
	want := map[string]string{
		`public.T_pkey`:               `CREATE UNIQUE INDEX "T_pkey" ON ONLY public."T" USING btree (a)`,
		`public.T_a_lower_expr_B_idx`: `CREATE UNIQUE INDEX "T_a_lower_expr_B_idx" ON ONLY public."T" USING btree (a, lower("B") DESC, (c + 1) NULLS FIRST) INCLUDE ("B") WHERE (a > 0)`,
		`public.T_B_idx`:              `CREATE INDEX "T_B_idx" ON ONLY public."T" USING gin ("B" gin_trgm_ops)`,
		`public.u_x`:                  `CREATE UNIQUE INDEX u_x ON public.u USING btree (x COLLATE "C" DESC NULLS LAST) NULLS NOT DISTINCT`,
	}
	got := map[string]string{}
	for k, ix := range c.Indexes {
		got[k] = ix.Definition
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("definitions (-want +got):\n%s", diff)
	}
}

func TestLookups(t *testing.T) {
	c, errs := applyFiles(`CREATE SCHEMA app;
CREATE TABLE app.users (id int PRIMARY KEY, email text);
CREATE TABLE users (id int, name text);
CREATE VIEW app.v AS SELECT id FROM app.users;
CREATE MATERIALIZED VIEW app.mv AS SELECT email FROM app.users;
CREATE INDEX users_name ON users (name);`)
	for _, e := range errs {
		t.Errorf("load error: %s", e)
	}
	name := func(t *Table) string {
		if t == nil {
			return "<nil>"
		}
		return t.Key()
	}
	tests := []struct {
		path []string
		rel  query.TableName
		want string
	}{
		{nil, query.TableName{Name: "users"}, "public.users"},
		{[]string{"app", "public"}, query.TableName{Name: "users"}, "app.users"},
		{[]string{"$user", "public"}, query.TableName{Name: "users"}, "public.users"},
		{[]string{"public"}, query.TableName{Schema: "app", Name: "users"}, "app.users"},
		{[]string{"public"}, query.TableName{Name: "v"}, "<nil>"},
		{[]string{"app"}, query.TableName{Name: "nope"}, "<nil>"},
		{[]string{"app"}, query.TableName{Schema: "nope", Name: "users"}, "<nil>"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.path, tt.rel), func(t *testing.T) {
			if tt.path != nil {
				c.SearchPath = tt.path
			}
			if got := name(c.Table(tt.rel)); got != tt.want {
				t.Errorf("Table(%v) with path %v = %s, want %s", tt.rel, c.SearchPath, got, tt.want)
			}
		})
	}
	c.SearchPath = []string{"app", "public"}
	if cols, ok := c.Columns(query.TableName{Name: "users"}); !ok || !cmp.Equal(cols, []string{"id", "email"}) {
		t.Errorf("Columns(users) = %v, %v", cols, ok)
	}
	if _, ok := c.Columns(query.TableName{Name: "nope"}); ok {
		t.Error("Columns(nope) reported a table")
	}
	if def, ok := c.View(query.TableName{Name: "v"}); !ok || def != "SELECT id FROM app.users" {
		t.Errorf("View(v) = %q, %v", def, ok)
	}
	if _, ok := c.View(query.TableName{Name: "mv"}); ok {
		t.Error("View reported a materialized view as a view")
	}
	if _, ok := c.View(query.TableName{Name: "users"}); ok {
		t.Error("View reported a table as a view")
	}
	if ix := c.IndexesOn(query.TableName{Schema: "public", Name: "users"}); len(ix) != 1 || ix[0].Name != "users_name" {
		t.Errorf("IndexesOn(public.users) = %v", ix)
	}
	if ix := c.IndexesOn(query.TableName{Name: "users"}); len(ix) != 1 || ix[0].Name != "users_pkey" {
		t.Errorf("IndexesOn(users) with path app = %v", ix)
	}
	// A temporary table hides the others.
	c.Apply("CREATE TEMP TABLE users (x int);", "temp.sql")
	if got := c.Table(query.TableName{Name: "users"}); got == nil || got.Key() != "pg_temp.users" {
		t.Errorf("Table(users) with a temporary table = %v", got)
	}
	if ix := c.Index(query.TableName{Name: "users_name"}); ix == nil || c.TableOf(ix).Key() != "public.users" {
		t.Errorf("Index(users_name) = %v", ix)
	}
	var nilCat *Catalog
	if nilCat.Table(query.TableName{Name: "x"}) != nil || nilCat.Index(query.TableName{Name: "x"}) != nil {
		t.Error("nil catalog found something")
	}
}

// FuzzApply checks that no DDL input makes the catalog panic, whatever
// the order of operations.
func FuzzApply(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (a int PRIMARY KEY, b text REFERENCES t); ALTER TABLE t RENAME COLUMN a TO c; DROP TABLE t CASCADE;",
		"CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1); CREATE INDEX ON p (a); ALTER TABLE p DETACH PARTITION p1;",
		"CREATE SCHEMA s; CREATE TABLE s.t (x int); ALTER SCHEMA s RENAME TO r; ALTER TABLE r.t SET SCHEMA public; DROP SCHEMA r;",
		"CREATE TABLE a (x int); CREATE UNIQUE INDEX i ON a (x); ALTER TABLE a ADD CONSTRAINT k PRIMARY KEY USING INDEX i; ALTER INDEX k RENAME TO j;",
		"CREATE VIEW v AS SELECT * FROM nope; CREATE TABLE c (LIKE v INCLUDING ALL) INHERITS (v); ALTER INDEX x ATTACH PARTITION y;",
		"CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (a m[]); ALTER TYPE m RENAME TO n; DROP TYPE n;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c := New()
		c.Apply(src, "fuzz.sql")
		c.Apply(src, "again.sql")
		for _, tb := range c.AllTables() {
			for _, fk := range tb.ForeignKeys {
				_ = tb.ForeignKeyIndex(fk)
			}
		}
		_ = c.DuplicateGroups()
		_ = c.RedundantIndexes()
	})
}
