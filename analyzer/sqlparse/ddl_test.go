package sqlparse

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// tn is a short constructor for table names in expectations.
func ddlTN(schema, name string) query.TableName { return query.TableName{Schema: schema, Name: name} }

// bi is a built-in type.
func ddlBI(name string) TypeRef { return TypeRef{Name: name, Builtin: true} }

// ddlOpts ignores byte positions, which TestParseDDLPositions checks.
var ddlOpts = cmp.Options{
	cmpopts.IgnoreFields(CreateTable{}, "Pos"), cmpopts.IgnoreFields(CreateIndex{}, "Pos"),
	cmpopts.IgnoreFields(AlterTable{}, "Pos"), cmpopts.IgnoreFields(Drop{}, "Pos"),
	cmpopts.IgnoreFields(CreateView{}, "Pos"), cmpopts.IgnoreFields(Rename{}, "Pos"),
	cmpopts.IgnoreFields(SetSchema{}, "Pos"), cmpopts.IgnoreFields(CreateSchema{}, "Pos"),
	cmpopts.IgnoreFields(CreateExtension{}, "Pos"), cmpopts.IgnoreFields(CreateType{}, "Pos"),
	cmpopts.IgnoreFields(CreateSequence{}, "Pos"), cmpopts.IgnoreFields(SetSearchPath{}, "Pos"),
	cmpopts.IgnoreFields(ColumnDef{}, "Pos"), cmpopts.IgnoreFields(ConstraintDef{}, "Pos"),
	cmpopts.IgnoreFields(LikeClause{}, "Pos"), cmpopts.EquateEmpty(),
}

func TestParseDDL(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []DDL
	}{
		{
			name: "types as format_type prints them",
			sql: `CREATE TABLE t (a int, b int4, c integer, d smallint, e bigint, f int8, g serial, h bigserial,
				i smallserial, j varchar(255), k character varying, l char(3), m char, n "char", o bpchar,
				p numeric(10,2), q decimal(5), r numeric, s float, t float(10), u real, v double precision,
				w boolean, x bool, y timestamp, z timestamp(3), aa timestamptz, ab timestamp with time zone,
				ac timestamp(0) with time zone, ad time, ae time with time zone, af timetz(2), ag interval,
				ah interval day to second(3), ai interval(2), aj interval year, ak bit(4), al bit, am bit varying(8),
				an varbit, ao text[], ap integer[3][3], aq int ARRAY, ar jsonb, as_ uuid, at_ bytea, au date,
				av money, aw inet, ax tsvector, ay public.mood, az app.status, ba mood[], bb geometry(Point, 4326),
				bc "MyType", bd pg_catalog.text, be interval minute to second)`,
			want: []DDL{&CreateTable{Table: ddlTN("", "t"), Columns: []ColumnDef{
				{Name: "a", Type: ddlBI("integer")}, {Name: "b", Type: ddlBI("integer")}, {Name: "c", Type: ddlBI("integer")},
				{Name: "d", Type: ddlBI("smallint")}, {Name: "e", Type: ddlBI("bigint")}, {Name: "f", Type: ddlBI("bigint")},
				{Name: "g", Type: ddlBI("integer"), Serial: true, NotNull: true},
				{Name: "h", Type: ddlBI("bigint"), Serial: true, NotNull: true},
				{Name: "i", Type: ddlBI("smallint"), Serial: true, NotNull: true},
				{Name: "j", Type: ddlBI("character varying(255)")}, {Name: "k", Type: ddlBI("character varying")},
				{Name: "l", Type: ddlBI("character(3)")}, {Name: "m", Type: ddlBI("character(1)")},
				{Name: "n", Type: ddlBI(`"char"`)}, {Name: "o", Type: ddlBI("bpchar")},
				{Name: "p", Type: ddlBI("numeric(10,2)")}, {Name: "q", Type: ddlBI("numeric(5,0)")}, {Name: "r", Type: ddlBI("numeric")},
				{Name: "s", Type: ddlBI("double precision")}, {Name: "t", Type: ddlBI("real")}, {Name: "u", Type: ddlBI("real")},
				{Name: "v", Type: ddlBI("double precision")}, {Name: "w", Type: ddlBI("boolean")}, {Name: "x", Type: ddlBI("boolean")},
				{Name: "y", Type: ddlBI("timestamp without time zone")}, {Name: "z", Type: ddlBI("timestamp(3) without time zone")},
				{Name: "aa", Type: ddlBI("timestamp with time zone")}, {Name: "ab", Type: ddlBI("timestamp with time zone")},
				{Name: "ac", Type: ddlBI("timestamp(0) with time zone")}, {Name: "ad", Type: ddlBI("time without time zone")},
				{Name: "ae", Type: ddlBI("time with time zone")}, {Name: "af", Type: ddlBI("time(2) with time zone")},
				{Name: "ag", Type: ddlBI("interval")}, {Name: "ah", Type: ddlBI("interval day to second(3)")},
				{Name: "ai", Type: ddlBI("interval(2)")}, {Name: "aj", Type: ddlBI("interval year")},
				{Name: "ak", Type: ddlBI("bit(4)")}, {Name: "al", Type: ddlBI("bit(1)")}, {Name: "am", Type: ddlBI("bit varying(8)")},
				{Name: "an", Type: ddlBI("bit varying")},
				{Name: "ao", Type: TypeRef{Name: "text", Builtin: true, Array: true}},
				{Name: "ap", Type: TypeRef{Name: "integer", Builtin: true, Array: true}},
				{Name: "aq", Type: TypeRef{Name: "integer", Builtin: true, Array: true}},
				{Name: "ar", Type: ddlBI("jsonb")}, {Name: "as_", Type: ddlBI("uuid")}, {Name: "at_", Type: ddlBI("bytea")},
				{Name: "au", Type: ddlBI("date")}, {Name: "av", Type: ddlBI("money")}, {Name: "aw", Type: ddlBI("inet")},
				{Name: "ax", Type: ddlBI("tsvector")},
				{Name: "ay", Type: TypeRef{Schema: "public", Name: "mood"}},
				{Name: "az", Type: TypeRef{Schema: "app", Name: "status"}},
				{Name: "ba", Type: TypeRef{Name: "mood", Array: true}},
				{Name: "bb", Type: TypeRef{Name: "geometry", Mods: "(point,4326)"}},
				{Name: "bc", Type: TypeRef{Name: "MyType"}},
				{Name: "bd", Type: ddlBI("text")},
				{Name: "be", Type: ddlBI("interval minute to second")},
			}}},
		},
		{
			name: "column constraints",
			sql: `CREATE TABLE IF NOT EXISTS app.orders (
				id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				code text NOT NULL UNIQUE,
				user_id bigint CONSTRAINT orders_user_fk REFERENCES users ON DELETE CASCADE ON UPDATE SET NULL,
				account_id int REFERENCES app.accounts (id) DEFERRABLE INITIALLY DEFERRED,
				qty int DEFAULT 1 CHECK (qty > 0),
				total numeric GENERATED ALWAYS AS (qty * 2) STORED,
				seq int GENERATED BY DEFAULT AS IDENTITY,
				note text COLLATE "C" NULL,
				created_at timestamptz DEFAULT now() NOT NULL
			)`,
			want: []DDL{&CreateTable{Table: ddlTN("app", "orders"), IfNotExists: true, Columns: []ColumnDef{
				{Name: "id", Type: ddlBI("bigint"), Identity: "always", NotNull: true,
					Constraints: []ConstraintDef{{Type: ConstrPrimary, Columns: []string{"id"}}}},
				{Name: "code", Type: ddlBI("text"), NotNull: true,
					Constraints: []ConstraintDef{{Type: ConstrUnique, Columns: []string{"code"}}}},
				{Name: "user_id", Type: ddlBI("bigint"), Constraints: []ConstraintDef{{Type: ConstrForeign, Name: "orders_user_fk",
					Columns: []string{"user_id"}, RefTable: ddlTN("", "users"), OnDelete: "cascade", OnUpdate: "set null"}}},
				{Name: "account_id", Type: ddlBI("integer"), Constraints: []ConstraintDef{{Type: ConstrForeign,
					Columns: []string{"account_id"}, RefTable: ddlTN("app", "accounts"), RefColumns: []string{"id"}, Deferrable: true, Deferred: true}}},
				{Name: "qty", Type: ddlBI("integer"), Default: "1",
					Constraints: []ConstraintDef{{Type: ConstrCheck, Columns: []string{"qty"}, Expr: "qty > 0"}}},
				{Name: "total", Type: ddlBI("numeric"), Generated: "qty * 2"},
				{Name: "seq", Type: ddlBI("integer"), Identity: "by default", NotNull: true},
				{Name: "note", Type: ddlBI("text"), Collation: `"C"`},
				{Name: "created_at", Type: ddlBI("timestamp with time zone"), Default: "now()", NotNull: true},
			}, Constraints: []ConstraintDef{
				{Type: ConstrPrimary, Columns: []string{"id"}},
				{Type: ConstrUnique, Columns: []string{"code"}},
				{Type: ConstrForeign, Name: "orders_user_fk", Columns: []string{"user_id"}, RefTable: ddlTN("", "users"), OnDelete: "cascade", OnUpdate: "set null"},
				{Type: ConstrForeign, Columns: []string{"account_id"}, RefTable: ddlTN("app", "accounts"), RefColumns: []string{"id"}, Deferrable: true, Deferred: true},
				{Type: ConstrCheck, Columns: []string{"qty"}, Expr: "qty > 0"},
			}}},
		},
		{
			name: "table constraints",
			sql: `CREATE UNLOGGED TABLE t (a int, b int, c int, r tstzrange,
				PRIMARY KEY (a, b) INCLUDE (c),
				CONSTRAINT t_c_u UNIQUE NULLS NOT DISTINCT (c),
				FOREIGN KEY (a, b) REFERENCES p (x, y) MATCH FULL ON DELETE SET DEFAULT NOT VALID,
				CHECK (a < b) NO INHERIT,
				EXCLUDE USING gist (c WITH =, r WITH &&) WHERE (a > 0))`,
			want: []DDL{&CreateTable{Table: ddlTN("", "t"), Unlogged: true, Columns: []ColumnDef{
				{Name: "a", Type: ddlBI("integer")}, {Name: "b", Type: ddlBI("integer")}, {Name: "c", Type: ddlBI("integer")},
				{Name: "r", Type: ddlBI("tstzrange")},
			}, Constraints: []ConstraintDef{
				{Type: ConstrPrimary, Columns: []string{"a", "b"}, Include: []string{"c"}},
				{Type: ConstrUnique, Name: "t_c_u", Columns: []string{"c"}, NullsNotDistinct: true},
				{Type: ConstrForeign, Columns: []string{"a", "b"}, RefTable: ddlTN("", "p"), RefColumns: []string{"x", "y"},
					Match: "full", OnDelete: "set default", NotValid: true},
				{Type: ConstrCheck, Columns: []string{"a", "b"}, Expr: "a < b", NoInherit: true},
				{Type: ConstrExclude, Method: "gist", Where: "a > 0", Exclusions: []IndexElem{
					{Column: "c", Name: "c", Operator: "="}, {Column: "r", Name: "r", Operator: "&&"}}},
			}}},
		},
		{
			name: "partitioning, inheritance and LIKE",
			sql: `CREATE TABLE ev (id bigint, at timestamptz, k text) PARTITION BY RANGE (at, lower(k));
				CREATE TABLE ev_1 PARTITION OF ev (k WITH OPTIONS NOT NULL) FOR VALUES FROM ('2024-01-01', MINVALUE) TO ('2025-01-01', MAXVALUE);
				CREATE TABLE ev_d PARTITION OF ev DEFAULT;
				CREATE TABLE h PARTITION OF x FOR VALUES WITH (MODULUS 4, REMAINDER 1) PARTITION BY LIST ((id % 2));
				CREATE TABLE l PARTITION OF y FOR VALUES IN ('a', 'b');
				CREATE TABLE child (extra int) INHERITS (parent, other.parent2);
				CREATE TABLE copy (LIKE src INCLUDING DEFAULTS INCLUDING INDEXES, x int, LIKE src2 INCLUDING ALL EXCLUDING IDENTITY)`,
			want: []DDL{
				&CreateTable{Table: ddlTN("", "ev"), PartitionBy: "RANGE (at, lower(k))", Columns: []ColumnDef{
					{Name: "id", Type: ddlBI("bigint")}, {Name: "at", Type: ddlBI("timestamp with time zone")}, {Name: "k", Type: ddlBI("text")}}},
				&CreateTable{Table: ddlTN("", "ev_1"), PartitionOf: &query.TableName{Name: "ev"},
					PartitionBound: "FOR VALUES FROM ('2024-01-01', MINVALUE) TO ('2025-01-01', MAXVALUE)",
					Columns:        []ColumnDef{{Name: "k", NotNull: true}}},
				&CreateTable{Table: ddlTN("", "ev_d"), PartitionOf: &query.TableName{Name: "ev"}, PartitionBound: "DEFAULT"},
				&CreateTable{Table: ddlTN("", "h"), PartitionOf: &query.TableName{Name: "x"},
					PartitionBound: "FOR VALUES WITH (modulus 4, remainder 1)", PartitionBy: "LIST ((id % 2))"},
				&CreateTable{Table: ddlTN("", "l"), PartitionOf: &query.TableName{Name: "y"}, PartitionBound: "FOR VALUES IN ('a', 'b')"},
				&CreateTable{Table: ddlTN("", "child"), Inherits: []query.TableName{ddlTN("", "parent"), ddlTN("other", "parent2")},
					Columns: []ColumnDef{{Name: "extra", Type: ddlBI("integer")}}},
				&CreateTable{Table: ddlTN("", "copy"), Columns: []ColumnDef{{Name: "x", Type: ddlBI("integer")}}, Likes: []LikeClause{
					{Table: ddlTN("", "src"), At: 0, Defaults: true, Indexes: true},
					{Table: ddlTN("", "src2"), At: 1, Defaults: true, Constraints: true, Indexes: true, Generated: true},
				}},
			},
		},
		{
			name: "create index forms",
			sql: `CREATE INDEX ON t (a);
				CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b ON ONLY s.t USING btree (b DESC NULLS LAST, c ASC NULLS FIRST, d DESC NULLS FIRST);
				CREATE INDEX t_expr ON t (lower(email), (created_at::date), (a + b), ((a)));
				CREATE INDEX t_part ON t (a) INCLUDE (b, c) WHERE deleted_at IS NULL AND status = 'x';
				CREATE INDEX t_ops ON t USING gin (name public.gin_trgm_ops, tags);
				CREATE INDEX t_coll ON t (name COLLATE "C" text_pattern_ops DESC);
				CREATE UNIQUE INDEX t_nnd ON t (a) NULLS NOT DISTINCT`,
			want: []DDL{
				&CreateIndex{Table: ddlTN("", "t"), Method: "btree", Keys: []IndexElem{{Column: "a", Name: "a"}}},
				&CreateIndex{Name: "t_b", Table: ddlTN("s", "t"), Only: true, Method: "btree", Unique: true, Concurrently: true, IfNotExists: true,
					Keys: []IndexElem{{Column: "b", Name: "b", Desc: true, Nulls: query.NullsLast}, {Column: "c", Name: "c", Nulls: query.NullsFirst},
						{Column: "d", Name: "d", Desc: true}}},
				&CreateIndex{Name: "t_expr", Table: ddlTN("", "t"), Method: "btree", Keys: []IndexElem{
					{Expr: "lower(email)", Name: "lower"}, {Expr: "created_at::date", Name: "created_at"},
					{Expr: "a + b", Name: ""}, {Column: "a", Name: "a"}}},
				&CreateIndex{Name: "t_part", Table: ddlTN("", "t"), Method: "btree", Keys: []IndexElem{{Column: "a", Name: "a"}},
					Include: []string{"b", "c"}, Where: "deleted_at IS NULL AND status = 'x'"},
				&CreateIndex{Name: "t_ops", Table: ddlTN("", "t"), Method: "gin", Keys: []IndexElem{
					{Column: "name", Name: "name", Opclass: "gin_trgm_ops"}, {Column: "tags", Name: "tags"}}},
				&CreateIndex{Name: "t_coll", Table: ddlTN("", "t"), Method: "btree", Keys: []IndexElem{
					{Column: "name", Name: "name", Collation: `"C"`, Opclass: "text_pattern_ops", Desc: true}}},
				&CreateIndex{Name: "t_nnd", Table: ddlTN("", "t"), Method: "btree", Unique: true, NullsNotDistinct: true,
					Keys: []IndexElem{{Column: "a", Name: "a"}}},
			},
		},
		{
			name: "alter table",
			sql: `ALTER TABLE IF EXISTS ONLY t
					ADD COLUMN IF NOT EXISTS c int NOT NULL DEFAULT 0 REFERENCES p,
					DROP COLUMN IF EXISTS d CASCADE,
					ALTER COLUMN e TYPE varchar(10) COLLATE "C" USING e::varchar,
					ALTER COLUMN f SET NOT NULL,
					ALTER COLUMN g DROP NOT NULL,
					ALTER COLUMN h SET DEFAULT now(),
					ALTER COLUMN i DROP DEFAULT,
					ALTER COLUMN j ADD GENERATED BY DEFAULT AS IDENTITY,
					ALTER COLUMN k SET GENERATED ALWAYS,
					ALTER COLUMN l DROP IDENTITY IF EXISTS,
					ALTER COLUMN m DROP EXPRESSION,
					ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_idx,
					ADD CONSTRAINT t_u UNIQUE USING INDEX t_u_idx DEFERRABLE,
					ADD CONSTRAINT t_fk FOREIGN KEY (c) REFERENCES p (id) NOT VALID,
					DROP CONSTRAINT IF EXISTS t_old,
					VALIDATE CONSTRAINT t_fk,
					OWNER TO someone,
					SET (fillfactor = 70),
					INHERIT base,
					NO INHERIT base2`,
			want: []DDL{&AlterTable{Kind: ObjTable, Table: ddlTN("", "t"), Only: true, IfExists: true, Cmds: []AlterCmd{
				{Action: AlterAddColumn, Name: "c", IfExists: true, Column: &ColumnDef{Name: "c", Type: ddlBI("integer"), NotNull: true, Default: "0",
					Constraints: []ConstraintDef{{Type: ConstrForeign, Columns: []string{"c"}, RefTable: ddlTN("", "p")}}}},
				{Action: AlterDropColumn, Name: "d", IfExists: true, Cascade: true},
				{Action: AlterColumnType, Name: "e", Type: &TypeRef{Name: "character varying(10)", Builtin: true}, Collation: `"C"`, Expr: "e::varchar"},
				{Action: AlterSetNotNull, Name: "f"},
				{Action: AlterDropNotNull, Name: "g"},
				{Action: AlterSetDefault, Name: "h", Expr: "now()"},
				{Action: AlterDropDefault, Name: "i"},
				{Action: AlterAddIdentity, Name: "j", Identity: "by default"},
				{Action: AlterSetIdentity, Name: "k", Identity: "always"},
				{Action: AlterDropIdentity, Name: "l", IfExists: true},
				{Action: AlterDropExpression, Name: "m"},
				{Action: AlterAddConstraint, Name: "t_pk", Constraint: &ConstraintDef{Type: ConstrPrimary, Name: "t_pk", UsingIndex: "t_idx"}},
				{Action: AlterAddConstraint, Name: "t_u", Constraint: &ConstraintDef{Type: ConstrUnique, Name: "t_u", UsingIndex: "t_u_idx", Deferrable: true}},
				{Action: AlterAddConstraint, Name: "t_fk", Constraint: &ConstraintDef{Type: ConstrForeign, Name: "t_fk", Columns: []string{"c"},
					RefTable: ddlTN("", "p"), RefColumns: []string{"id"}, NotValid: true}},
				{Action: AlterDropConstraint, Name: "t_old", IfExists: true},
				{Action: AlterValidate, Name: "t_fk"},
				{Action: AlterInherit, Partition: &query.TableName{Name: "base"}},
				{Action: AlterNoInherit, Partition: &query.TableName{Name: "base2"}},
			}}},
		},
		{
			name: "partitions attach and detach, index attach",
			sql: `ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
				ALTER TABLE events DETACH PARTITION events_old CONCURRENTLY;
				ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;
				ALTER INDEX i SET TABLESPACE x;
				ALTER TABLE seq OWNER TO postgres`,
			want: []DDL{
				&AlterTable{Kind: ObjTable, Table: ddlTN("public", "events"), Only: true, Cmds: []AlterCmd{{Action: AlterAttachPartition,
					Partition: &query.TableName{Schema: "public", Name: "events_2024"},
					Bound:     "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')"}}},
				&AlterTable{Kind: ObjTable, Table: ddlTN("", "events"), Cmds: []AlterCmd{{Action: AlterDetachPartition,
					Partition: &query.TableName{Name: "events_old"}}}},
				&AlterTable{Kind: ObjIndex, Table: ddlTN("public", "events_pkey"), Cmds: []AlterCmd{{Action: AlterAttachPartition,
					Partition: &query.TableName{Schema: "public", Name: "events_2024_pkey"}}}},
			},
		},
		{
			name: "drops",
			sql: `DROP TABLE IF EXISTS a, s.b CASCADE; DROP INDEX CONCURRENTLY i; DROP VIEW v; DROP MATERIALIZED VIEW IF EXISTS mv;
				DROP SCHEMA app CASCADE; DROP TYPE mood; DROP DOMAIN s.d; DROP EXTENSION IF EXISTS pg_trgm; DROP SEQUENCE q;
				DROP FUNCTION f(); DROP TRIGGER tr ON t`,
			want: []DDL{
				&Drop{Kind: ObjTable, Names: []query.TableName{ddlTN("", "a"), ddlTN("s", "b")}, IfExists: true, Cascade: true},
				&Drop{Kind: ObjIndex, Names: []query.TableName{ddlTN("", "i")}, Concurrently: true},
				&Drop{Kind: ObjView, Names: []query.TableName{ddlTN("", "v")}},
				&Drop{Kind: ObjMatView, Names: []query.TableName{ddlTN("", "mv")}, IfExists: true},
				&Drop{Kind: ObjSchema, Names: []query.TableName{ddlTN("", "app")}, Cascade: true},
				&Drop{Kind: ObjType, Names: []query.TableName{ddlTN("", "mood")}},
				&Drop{Kind: ObjDomain, Names: []query.TableName{ddlTN("s", "d")}},
				&Drop{Kind: ObjExtension, Names: []query.TableName{ddlTN("", "pg_trgm")}, IfExists: true},
				&Drop{Kind: ObjSequence, Names: []query.TableName{ddlTN("", "q")}},
			},
		},
		{
			name: "views",
			sql: `CREATE VIEW r AS WITH c AS (SELECT * FROM base) SELECT * FROM c, other WHERE EXISTS (SELECT 1 FROM s.sub);
				CREATE OR REPLACE VIEW public.v (x, y) AS SELECT u.id, count(*) FROM public.users u JOIN orders o ON o.user_id = u.id GROUP BY u.id;
				CREATE VIEW w AS SELECT *, a.b, lower(name), 1 AS one, name::text, t.* FROM t, s.a;
				CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT day FROM x WITH NO DATA;
				CREATE TABLE ctas AS SELECT 1`,
			want: []DDL{
				&CreateView{View: ddlTN("", "r"),
					Query:   "WITH c AS (SELECT * FROM base) SELECT * FROM c, other WHERE EXISTS (SELECT 1 FROM s.sub)",
					Targets: []ViewTarget{{Star: true}},
					Sources: []ViewSource{{Alias: ""}, {Alias: "other", Table: ddlTN("", "other")}},
					Reads:   []query.TableName{ddlTN("", "base"), ddlTN("", "other"), ddlTN("s", "sub")}},
				&CreateView{View: ddlTN("public", "v"), OrReplace: true, Columns: []string{"x", "y"},
					Query:   "SELECT u.id, count(*) FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id",
					Targets: []ViewTarget{{Name: "id", Column: "id", Rel: "u"}, {Name: "count"}},
					Sources: []ViewSource{{Alias: "u", Table: ddlTN("public", "users")}, {Alias: "o", Table: ddlTN("", "orders")}},
					Reads:   []query.TableName{ddlTN("public", "users"), ddlTN("", "orders")}},
				&CreateView{View: ddlTN("", "w"),
					Query: "SELECT *, a.b, lower(name), 1 AS one, name::text, t.* FROM t, s.a",
					Targets: []ViewTarget{{Star: true}, {Name: "b", Column: "b", Rel: "a"}, {Name: "lower"}, {Name: "one"},
						{Name: "name"}, {Star: true, StarRel: "t"}},
					Sources: []ViewSource{{Alias: "t", Table: ddlTN("", "t")}, {Alias: "a", Table: ddlTN("s", "a")}},
					Reads:   []query.TableName{ddlTN("", "t"), ddlTN("s", "a")}},
				&CreateView{View: ddlTN("", "mv"), Materialized: true, IfNotExists: true, Query: "SELECT day FROM x",
					Targets: []ViewTarget{{Name: "day", Column: "day"}}, Sources: []ViewSource{{Alias: "x", Table: ddlTN("", "x")}},
					Reads: []query.TableName{ddlTN("", "x")}},
			},
		},
		{
			name: "renames and set schema",
			sql: `ALTER TABLE t RENAME TO u; ALTER TABLE IF EXISTS s.t RENAME COLUMN a TO b; ALTER TABLE t RENAME CONSTRAINT c1 TO c2;
				ALTER INDEX i RENAME TO j; ALTER VIEW v RENAME TO w; ALTER MATERIALIZED VIEW mv RENAME TO mw; ALTER SCHEMA a RENAME TO b;
				ALTER TYPE mood RENAME TO feeling; ALTER SEQUENCE q RENAME TO r;
				ALTER TABLE t SET SCHEMA app; ALTER VIEW IF EXISTS v SET SCHEMA app; ALTER TYPE s.mood SET SCHEMA app; ALTER FUNCTION f() SET SCHEMA app`,
			want: []DDL{
				&Rename{Kind: ObjTable, Table: ddlTN("", "t"), New: "u"},
				&Rename{Kind: ObjColumn, Table: ddlTN("s", "t"), Old: "a", New: "b", IfExists: true},
				&Rename{Kind: ObjConstraint, Table: ddlTN("", "t"), Old: "c1", New: "c2"},
				&Rename{Kind: ObjIndex, Table: ddlTN("", "i"), New: "j"},
				&Rename{Kind: ObjView, Table: ddlTN("", "v"), New: "w"},
				&Rename{Kind: ObjMatView, Table: ddlTN("", "mv"), New: "mw"},
				&Rename{Kind: ObjSchema, Table: ddlTN("", "a"), New: "b"},
				&Rename{Kind: ObjType, Table: ddlTN("", "mood"), New: "feeling"},
				&Rename{Kind: ObjSequence, Table: ddlTN("", "q"), New: "r"},
				&SetSchema{Kind: ObjTable, Name: ddlTN("", "t"), NewSchema: "app"},
				&SetSchema{Kind: ObjView, Name: ddlTN("", "v"), NewSchema: "app", IfExists: true},
				&SetSchema{Kind: ObjType, Name: ddlTN("s", "mood"), NewSchema: "app"},
			},
		},
		{
			name: "schemas, extensions, types, sequences",
			sql: `CREATE SCHEMA IF NOT EXISTS app; CREATE SCHEMA AUTHORIZATION joe;
				CREATE SCHEMA s CREATE TABLE t (a int) CREATE VIEW v AS SELECT a FROM t CREATE INDEX ON t (a);
				CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public; CREATE EXTENSION hstore;
				CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TYPE app.pair AS (a int, b text);
				CREATE TYPE fr AS RANGE (subtype = float8); CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
				CREATE SEQUENCE IF NOT EXISTS app.q START 10`,
			want: []DDL{
				&CreateSchema{Name: "app", IfNotExists: true},
				&CreateSchema{Name: "joe"},
				&CreateSchema{Name: "s"},
				&CreateTable{Table: ddlTN("s", "t"), Columns: []ColumnDef{{Name: "a", Type: ddlBI("integer")}}},
				&CreateView{View: ddlTN("s", "v"), Query: "SELECT a FROM t", Targets: []ViewTarget{{Name: "a", Column: "a"}},
					Sources: []ViewSource{{Alias: "t", Table: ddlTN("", "t")}}, Reads: []query.TableName{ddlTN("", "t")}},
				&CreateIndex{Table: ddlTN("s", "t"), Method: "btree", Keys: []IndexElem{{Column: "a", Name: "a"}}},
				&CreateExtension{Name: "pg_trgm", Schema: "public", IfNotExists: true},
				&CreateExtension{Name: "hstore"},
				&CreateType{Name: ddlTN("", "mood"), Kind: "enum", Values: []string{"sad", "ok"}},
				&CreateType{Name: ddlTN("app", "pair"), Kind: "composite"},
				&CreateType{Name: ddlTN("", "fr"), Kind: "range"},
				&CreateType{Name: ddlTN("", "posint"), Kind: "domain", Base: &TypeRef{Name: "integer", Builtin: true}},
				&CreateSequence{Name: ddlTN("app", "q"), IfNotExists: true},
			},
		},
		{
			name: "search path",
			sql: `SET search_path TO app, "My Schema", public; SET LOCAL search_path = '$user'; RESET search_path;
				SET search_path TO DEFAULT; SELECT pg_catalog.set_config('search_path', '', false);
				SELECT set_config('search_path', 'a, "B"', true); SET statement_timeout = 0; SELECT 1`,
			want: []DDL{
				&SetSearchPath{Schemas: []string{"app", "My Schema", "public"}},
				&SetSearchPath{Schemas: []string{"$user"}, Local: true},
				&SetSearchPath{Reset: true},
				&SetSearchPath{Reset: true},
				&SetSearchPath{Schemas: []string{}},
				&SetSearchPath{Schemas: []string{"a", "B"}, Local: true},
			},
		},
		{
			name: "ignored statements",
			sql: `COMMENT ON TABLE t IS 'x'; GRANT SELECT ON t TO PUBLIC; ALTER TABLE t OWNER TO x;
				CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; INSERT INTO t VALUES (1);
				CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f(); ALTER SEQUENCE q OWNED BY t.id;
				ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ENABLE TRIGGER ALL; BEGIN; COMMIT; VACUUM t`,
		},
		{
			name: "public qualifiers dropped from expressions",
			sql:  `CREATE TABLE t (a public.mood DEFAULT 'ok'::public.mood, b bigint DEFAULT nextval('public.t_b_seq'::regclass), c int DEFAULT public.f(1))`,
			want: []DDL{&CreateTable{Table: ddlTN("", "t"), Columns: []ColumnDef{
				{Name: "a", Type: TypeRef{Schema: "public", Name: "mood"}, Default: "'ok'::mood"},
				{Name: "b", Type: ddlBI("bigint"), Default: "nextval('t_b_seq'::regclass)"},
				{Name: "c", Type: ddlBI("integer"), Default: "f(1)"},
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDDL(tt.sql)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, ddlOpts); diff != "" {
				t.Errorf("ParseDDL mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDDLPositions(t *testing.T) {
	sql := "-- leading comment\n/* block /* nested */ */\n  CREATE TABLE t (\n  a int REFERENCES p\n);\nCREATE INDEX i ON t (a)"
	got, err := ParseDDL(sql)
	if err != nil {
		t.Fatal(err)
	}
	ct := got[0].(*CreateTable)
	if want := len("-- leading comment\n/* block /* nested */ */\n  "); ct.Offset() != want {
		t.Errorf("CREATE TABLE offset = %d, want %d", ct.Offset(), want)
	}
	if fk := ct.Constraints[0]; sql[fk.Pos:fk.Pos+10] != "REFERENCES" {
		t.Errorf("constraint at %d: %q", fk.Pos, sql[fk.Pos:])
	}
	if c := ct.Columns[0]; sql[c.Pos:c.Pos+5] != "a int" {
		t.Errorf("column at %d: %q", c.Pos, sql[c.Pos:])
	}
	if ci := got[1].(*CreateIndex); sql[ci.Offset():ci.Offset()+12] != "CREATE INDEX" {
		t.Errorf("CREATE INDEX offset %d: %q", ci.Offset(), sql[ci.Offset():])
	}
}

func TestParseDDLError(t *testing.T) {
	_, err := ParseDDL("CREATE TABLE ok (a int);\nCREATE TABLE bad (a int,, b int)")
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not *Error", err)
	}
	if want := len("CREATE TABLE ok (a int);\nCREATE TABLE bad (a int,"); pe.Offset != want {
		t.Errorf("offset = %d, want %d (%v)", pe.Offset, want, pe)
	}
}

func TestDDLCanonicalExpr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"((total IS NULL) OR (total > (0)::numeric))", "total IS NULL OR total > 0::numeric"},
		{"total IS NULL OR total > 0::numeric", "total IS NULL OR total > 0::numeric"},
		{"nextval('public.users_id_seq'::regclass)", "nextval('users_id_seq'::regclass)"},
		{"'ok'::public.mood", "'ok'::mood"},
		{"'ok'::app.mood", "'ok'::app.mood"},
		{"public.f(x)", "f(x)"},
		{"lower((email)::text)", "lower(email::text)"},
		{"now()", "now()"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CanonicalExpr(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("CanonicalExpr(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"a +", "1; DROP TABLE t", "x FROM t"} {
		if got, err := CanonicalExpr(bad); err == nil {
			t.Errorf("CanonicalExpr(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDDLCanonicalQuery(t *testing.T) {
	got, err := CanonicalQuery(" SELECT users.id,\n    users.email\n   FROM public.users\n  WHERE (users.deleted_at IS NULL);")
	if err != nil {
		t.Fatal(err)
	}
	if want := "SELECT users.id, users.email FROM users WHERE users.deleted_at IS NULL"; got != want {
		t.Errorf("CanonicalQuery = %q, want %q", got, want)
	}
}

func TestDDLIndexExprName(t *testing.T) {
	tests := map[string]string{
		"lower(email)":           "lower",
		"(created_at)::date":     "created_at",
		"'x'::text":              "text",
		"a + b":                  "expr",
		"COALESCE(a, b)":         "coalesce",
		"CASE WHEN a THEN 1 END": "case",
		"data ->> 'k'":           "expr",
		"app.normalize(email)":   "normalize",
		"not valid sql (":        "expr",
	}
	for in, want := range tests {
		if got := IndexExprName(in); got != want {
			t.Errorf("IndexExprName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDDLRenameColumnInExpr(t *testing.T) {
	got, err := RenameColumnInExpr("lower(email) || t.email || other", "email", "mail")
	if err != nil {
		t.Fatal(err)
	}
	if want := "(lower(mail) || t.mail) || other"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDDLQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"users": "users", "Users": `"Users"`, "my table": `"my table"`,
		`a"b`: `"a""b"`, "_x1$": `"_x1$"`, "1a": `"1a"`, "": `""`} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDDLTypeRefString(t *testing.T) {
	for _, tt := range []struct {
		t    TypeRef
		want string
	}{
		{TypeRef{Name: "integer", Builtin: true, Array: true}, "integer[]"},
		{TypeRef{Schema: "public", Name: "mood"}, "mood"},
		{TypeRef{Schema: "app", Name: "mood", Array: true}, "app.mood[]"},
		{TypeRef{Schema: "Billing", Name: "Money Type"}, `"Billing"."Money Type"`},
		{TypeRef{Name: "geometry", Mods: "(Point,4326)"}, "geometry(Point,4326)"},
	} {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// FuzzParseDDL checks that no input makes ParseDDL (and the catalog's
// helpers) panic.
func FuzzParseDDL(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (a int PRIMARY KEY, b text REFERENCES u)",
		"CREATE INDEX ON t ((lower(a)), b DESC) INCLUDE (c) WHERE d > 0",
		"ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING gist (a WITH &&)",
		"CREATE TABLE p PARTITION OF q FOR VALUES FROM (MINVALUE) TO (1)",
		"SELECT set_config('search_path', 'a,b', false)",
		"CREATE VIEW v AS SELECT * FROM a JOIN b USING (id)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		ops, err := ParseDDL(sql)
		if err != nil {
			return
		}
		for _, op := range ops {
			if ct, ok := op.(*CreateTable); ok {
				for _, c := range ct.Columns {
					_ = c.Type.String()
				}
			}
		}
	})
}
