// Package catalog is pgadvisor's schema model: tables, columns, constraints
// and indexes, loaded from DDL files (no server) or from a live database,
// with planner statistics when a server is there.
package catalog

import "github.com/pgadvisor/pgadvisor/analyzer/query"

// Catalog is a set of schemas' tables, views and indexes. The zero value
// is not usable; use New.
type Catalog struct {
	// SearchPath resolves unqualified names, "public" by default.
	SearchPath []string
	// Tables maps "schema.name" to the table (or view, materialized view,
	// partitioned table).
	Tables map[string]*Table
	// Indexes maps "schema.name" to the index.
	Indexes map[string]*Index
	// Extensions installed (from CREATE EXTENSION or pg_extension).
	Extensions map[string]bool
	// Schemas maps the name of every schema known to exist to true.
	Schemas map[string]bool
	// Types maps "schema.name" to the user-defined types (enums, domains,
	// composite and range types) column types are resolved against.
	Types map[string]*Type
	// Errors are the problems met while loading DDL, in input order; the
	// statements concerned were skipped or partly applied.
	Errors []*LoadError

	// sequences holds "schema.name" of sequences (serial, identity and
	// CREATE SEQUENCE), which take part in choosing relation names.
	sequences map[string]bool
	// inherits is true once some table uses INHERITS: until then only
	// partitioned tables have children, and looking for others is skipped.
	inherits bool
}

// Type is a user-defined type.
type Type struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Kind is "enum", "domain", "composite", "range" or "base".
	Kind string `json:"kind"`
	// Values are an enum's labels in order.
	Values []string `json:"values,omitempty"`
	// Base is a domain's underlying type (format_type text).
	Base string `json:"base,omitempty"`
}

// RelKind is the kind of a relation in the catalog.
type RelKind string

// Relation kinds, as pg_class.relkind names them.
const (
	KindTable       RelKind = "table"
	KindPartitioned RelKind = "partitioned"
	KindView        RelKind = "view"
	KindMatView     RelKind = "matview"
	KindForeign     RelKind = "foreign"
)

// Table is a table or view.
type Table struct {
	Schema string  `json:"schema"`
	Name   string  `json:"name"`
	Kind   RelKind `json:"kind"`
	// Columns in attnum order.
	Columns []*Column `json:"columns"`
	// PrimaryKey is the primary-key constraint, or nil.
	PrimaryKey *Constraint `json:"primary_key,omitempty"`
	// Uniques, ForeignKeys and Checks are the other constraints.
	Uniques     []*Constraint `json:"uniques,omitempty"`
	ForeignKeys []*ForeignKey `json:"foreign_keys,omitempty"`
	Checks      []*Constraint `json:"checks,omitempty"`
	// Excludes are the EXCLUDE constraints.
	Excludes []*Constraint `json:"excludes,omitempty"`
	// Indexes on this table, sorted by name (including the ones that back
	// the primary key and unique constraints).
	Indexes []*Index `json:"indexes,omitempty"`
	// ViewQuery is the defining SELECT of a view or materialized view.
	ViewQuery string `json:"view_query,omitempty"`
	// DependsOn lists the relations ("schema.name", sorted) a view or
	// materialized view reads: dropping one of them needs CASCADE, which
	// drops the view too.
	DependsOn []string `json:"depends_on,omitempty"`
	// PartitionOf names the parent of a partition ("schema.name") and
	// PartitionBound its bound as pg_get_expr prints it ("FOR VALUES FROM
	// (...) TO (...)", "DEFAULT").
	PartitionOf    string `json:"partition_of,omitempty"`
	PartitionBound string `json:"partition_bound,omitempty"`
	// PartitionKey is a partitioned table's key as pg_get_partkeydef
	// prints it: "RANGE (created_at)".
	PartitionKey string `json:"partition_key,omitempty"`
	// Inherits lists the parents of a table using INHERITS ("schema.name").
	Inherits []string `json:"inherits,omitempty"`
	// Stats are the planner's statistics, nil when loaded from DDL.
	Stats *TableStats `json:"stats,omitempty"`
	// File and Line locate the CREATE statement when loaded from DDL.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Column is a table column.
type Column struct {
	Name string `json:"name"`
	// Type is the type as PostgreSQL formats it (format_type), e.g.
	// "integer", "character varying(255)", "timestamp with time zone".
	Type      string `json:"type"`
	NotNull   bool   `json:"not_null,omitempty"`
	Default   string `json:"default,omitempty"`
	Generated string `json:"generated,omitempty"` // expression of a generated column
	Identity  bool   `json:"identity,omitempty"`
	Collation string `json:"collation,omitempty"`
	// Stats are the column's pg_stats, nil when unknown.
	Stats *ColumnStats `json:"stats,omitempty"`
}

// ConstraintKind is the kind of a table constraint.
type ConstraintKind string

// Constraint kinds.
const (
	ConPrimary ConstraintKind = "primary key"
	ConUnique  ConstraintKind = "unique"
	ConCheck   ConstraintKind = "check"
	ConExclude ConstraintKind = "exclude"
)

// Constraint is a primary key, unique, check or exclusion constraint.
type Constraint struct {
	Name    string         `json:"name"`
	Kind    ConstraintKind `json:"kind"`
	Columns []string       `json:"columns,omitempty"`
	// Expr is the CHECK expression text.
	Expr string `json:"expr,omitempty"`
	// NoInherit is true for a CHECK constraint declared NO INHERIT.
	NoInherit bool `json:"no_inherit,omitempty"`
	// Index names the index that backs a primary key or unique
	// constraint ("schema.name").
	Index string `json:"index,omitempty"`
	// File, Line and Column locate the constraint's clause (CONSTRAINT
	// name ..., or the PRIMARY KEY / UNIQUE keyword of a column) when
	// loaded from DDL.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// ForeignKey is a FOREIGN KEY constraint.
type ForeignKey struct {
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"` // "schema.name"
	RefColumns []string `json:"ref_columns"`
	OnDelete   string   `json:"on_delete,omitempty"` // "cascade", "set null", ... ("" = no action)
	OnUpdate   string   `json:"on_update,omitempty"`
	// Match is "full" or "partial" ("" for the default MATCH SIMPLE).
	Match      string `json:"match,omitempty"`
	Deferrable bool   `json:"deferrable,omitempty"`
	// NotValid is true for a constraint added NOT VALID and not yet
	// validated.
	NotValid bool `json:"not_valid,omitempty"`
	// File, Line and Column locate the constraint's clause (CONSTRAINT
	// name FOREIGN KEY ..., or a column's REFERENCES) when loaded from
	// DDL.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Index is an index.
type Index struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Table  string `json:"table"` // "schema.name"
	// Method is the access method: btree, hash, gin, gist, brin, spgist.
	Method string `json:"method"`
	Unique bool   `json:"unique,omitempty"`
	// Primary is true for the index that backs the primary key.
	Primary bool `json:"primary,omitempty"`
	// Constraint names the PRIMARY KEY, UNIQUE or EXCLUDE constraint the
	// index backs ("" for a plain index); such an index cannot be dropped
	// on its own.
	Constraint string `json:"constraint,omitempty"`
	// Parent is the partitioned index ("schema.name") this index of a
	// partition is attached to.
	Parent string `json:"parent,omitempty"`
	// Keys are the key columns or expressions, in order.
	Keys []IndexKey `json:"keys"`
	// Include lists INCLUDE columns.
	Include []string `json:"include,omitempty"`
	// NullsNotDistinct is true for a UNIQUE NULLS NOT DISTINCT index.
	NullsNotDistinct bool `json:"nulls_not_distinct,omitempty"`
	// Predicate is the WHERE clause of a partial index (canonical text)
	// and Where its conjuncts as the query model's predicates, so that
	// implication can be tested against a query's filters.
	Predicate string            `json:"predicate,omitempty"`
	Where     []query.Predicate `json:"where,omitempty"`
	// Valid is false for an index left invalid by a failed CREATE INDEX
	// CONCURRENTLY (live databases only).
	Valid bool `json:"valid"`
	// Definition is the CREATE INDEX statement: pg_get_indexdef's text
	// when read from a database, the same form rebuilt from the parsed
	// statement when loaded from DDL (also for indexes that back
	// constraints or that PostgreSQL creates on partitions).
	Definition string `json:"definition"`
	// SizeBytes is the index size, 0 when unknown.
	SizeBytes int64 `json:"size_bytes,omitempty"`
	// Scans is pg_stat_user_indexes.idx_scan, -1 when unknown.
	Scans int64 `json:"scans"`
	// File, Line and Column locate the index's definition when loaded
	// from DDL: the CREATE INDEX statement, or for the index of a
	// PRIMARY KEY, UNIQUE or EXCLUDE constraint the constraint's clause
	// (an index PostgreSQL creates on its own, for a partition or LIKE
	// ... INCLUDING INDEXES, has the statement that made it).
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// IndexKey is one key of an index: a column or an expression.
type IndexKey struct {
	// Column is set for a plain column key.
	Column string `json:"column,omitempty"`
	// Expr is the canonical expression text (same form as query.Expr.Text)
	// for an expression key, e.g. "lower(email)".
	Expr string `json:"expr,omitempty"`
	// Key is the expression's matching key when it differs from Expr (the
	// query model's Expr.Key): an index key and a query expression are the
	// same expression when query.Expr.MatchKey() equals MatchKey().
	Key string `json:"key,omitempty"`
	// Columns are the columns an expression key reads.
	Columns   []string    `json:"columns,omitempty"`
	Desc      bool        `json:"desc,omitempty"`
	Nulls     query.Nulls `json:"nulls,omitempty"`
	Opclass   string      `json:"opclass,omitempty"`
	Collation string      `json:"collation,omitempty"`
}

// TableStats are a table's planner statistics (pg_class, pg_stat_user_tables).
type TableStats struct {
	RowEstimate float64 `json:"row_estimate"` // reltuples
	Pages       int64   `json:"pages"`        // relpages
	SizeBytes   int64   `json:"size_bytes"`
	SeqScans    int64   `json:"seq_scans"`
	IdxScans    int64   `json:"idx_scans"`
	Inserts     int64   `json:"inserts"`
	Updates     int64   `json:"updates"`
	Deletes     int64   `json:"deletes"`
	LiveTuples  int64   `json:"live_tuples"`
	DeadTuples  int64   `json:"dead_tuples"`
}

// ColumnStats are a column's pg_stats.
type ColumnStats struct {
	NullFrac    float64   `json:"null_frac"`
	NDistinct   float64   `json:"n_distinct"` // negative: a fraction of rows, as in pg_stats
	Correlation float64   `json:"correlation"`
	MostCommon  []string  `json:"most_common_vals,omitempty"`
	MostFreqs   []float64 `json:"most_common_freqs,omitempty"`
	Histogram   []string  `json:"histogram_bounds,omitempty"`
	AvgWidth    int       `json:"avg_width"`
}
