package sqlparse

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// DDL is one schema change parsed from a statement by ParseDDL: one of
// *CreateTable, *CreateIndex, *AlterTable, *Drop, *CreateView, *Rename,
// *SetSchema, *CreateSchema, *CreateExtension, *CreateType,
// *CreateSequence or *SetSearchPath. The values are syntactic: names are as written (unquoted
// identifiers folded to lower case), and resolving them against a search
// path, naming implicit constraints and checking that objects exist is the
// catalog's job.
type DDL interface {
	// Offset returns the byte offset, in the text given to ParseDDL, of
	// the statement (after leading blanks and comments) that produced it.
	Offset() int
}

// ObjectKind is the kind of object a DDL statement acts on.
type ObjectKind string

// Object kinds.
const (
	ObjTable        ObjectKind = "table"
	ObjForeignTable ObjectKind = "foreign table"
	ObjIndex        ObjectKind = "index"
	ObjView         ObjectKind = "view"
	ObjMatView      ObjectKind = "materialized view"
	ObjSequence     ObjectKind = "sequence"
	ObjSchema       ObjectKind = "schema"
	ObjType         ObjectKind = "type"
	ObjDomain       ObjectKind = "domain"
	ObjExtension    ObjectKind = "extension"
	ObjColumn       ObjectKind = "column"
	ObjConstraint   ObjectKind = "constraint"
)

// TypeRef is a column type. Built-in types are spelled as PostgreSQL's
// format_type prints them ("integer", "character varying(255)",
// "timestamp(3) with time zone"); other types keep the schema they were
// written with so that the catalog can resolve and qualify them.
type TypeRef struct {
	// Schema is the schema written before a user-defined type name, ""
	// when unqualified; always "" for built-in types.
	Schema string `json:"schema,omitempty"`
	// Name is the full format_type text of a built-in type (without []),
	// or the name of a user-defined type.
	Name string `json:"name"`
	// Mods are a user-defined type's modifiers, e.g. "(Point,4326)".
	Mods string `json:"mods,omitempty"`
	// Builtin is true for PostgreSQL's own types (pg_catalog).
	Builtin bool `json:"builtin,omitempty"`
	// Array is true for an array type: format_type prints one "[]"
	// whatever the number of dimensions written.
	Array bool `json:"array,omitempty"`
}

// String formats the type as format_type does, qualifying a user-defined
// type with its Schema when that is neither "" nor "public".
func (t TypeRef) String() string {
	var b strings.Builder
	if !t.Builtin && t.Schema != "" && t.Schema != "public" && t.Schema != "pg_catalog" {
		b.WriteString(QuoteIdent(t.Schema))
		b.WriteByte('.')
	}
	if t.Builtin {
		b.WriteString(t.Name)
	} else {
		b.WriteString(QuoteIdent(t.Name))
	}
	b.WriteString(t.Mods)
	if t.Array {
		b.WriteString("[]")
	}
	return b.String()
}

// ColumnDef is a column of CREATE TABLE or ALTER TABLE ADD COLUMN.
type ColumnDef struct {
	Name string  `json:"name"`
	Type TypeRef `json:"type"`
	// Serial is true when the type was serial, bigserial or smallserial:
	// Type is then integer, bigint or smallint, NotNull is set, and the
	// catalog adds the nextval default (it knows the sequence's name).
	Serial  bool `json:"serial,omitempty"`
	NotNull bool `json:"not_null,omitempty"`
	// Default is the DEFAULT expression in canonical text (CanonicalExpr).
	Default string `json:"default,omitempty"`
	// Generated is the expression of GENERATED ALWAYS AS (...) STORED.
	Generated string `json:"generated,omitempty"`
	// Identity is "always" or "by default" for an identity column.
	Identity  string `json:"identity,omitempty"`
	Collation string `json:"collation,omitempty"`
	// Constraints are the column's PRIMARY KEY, UNIQUE, CHECK and
	// REFERENCES constraints, with Columns set to this column.
	Constraints []ConstraintDef `json:"constraints,omitempty"`
	// Pos is the byte offset of the column definition.
	Pos int `json:"pos"`
}

// ConstraintType is the type of a table constraint.
type ConstraintType string

// Constraint types.
const (
	ConstrPrimary ConstraintType = "primary key"
	ConstrUnique  ConstraintType = "unique"
	ConstrCheck   ConstraintType = "check"
	ConstrForeign ConstraintType = "foreign key"
	ConstrExclude ConstraintType = "exclude"
	ConstrNotNull ConstraintType = "not null" // ALTER TABLE ADD CONSTRAINT ... NOT NULL (PostgreSQL 17 grammar)
)

// ConstraintDef is a table or column constraint.
type ConstraintDef struct {
	Type ConstraintType `json:"type"`
	// Name is the CONSTRAINT name, "" when PostgreSQL chooses it.
	Name string `json:"name,omitempty"`
	// Columns are the key columns (PRIMARY KEY, UNIQUE), the referencing
	// columns (FOREIGN KEY), the NOT NULL column, or the distinct columns
	// a CHECK expression reads (in order of appearance).
	Columns []string `json:"columns,omitempty"`
	// Include lists INCLUDE columns of PRIMARY KEY and UNIQUE.
	Include []string `json:"include,omitempty"`
	// Expr is the CHECK expression in canonical text.
	Expr string `json:"expr,omitempty"`
	// UsingIndex names the existing index of ADD CONSTRAINT ... USING INDEX.
	UsingIndex string `json:"using_index,omitempty"`
	// NullsNotDistinct is UNIQUE NULLS NOT DISTINCT.
	NullsNotDistinct bool `json:"nulls_not_distinct,omitempty"`
	// RefTable, RefColumns (empty: the referenced table's primary key),
	// Match ("full", "partial" or "" for simple) and the ON DELETE / ON
	// UPDATE actions ("cascade", "set null", "set default", "restrict",
	// "" for no action) describe a FOREIGN KEY.
	RefTable   query.TableName `json:"ref_table"`
	RefColumns []string        `json:"ref_columns,omitempty"`
	Match      string          `json:"match,omitempty"`
	OnDelete   string          `json:"on_delete,omitempty"`
	OnUpdate   string          `json:"on_update,omitempty"`
	// Method, Exclusions and Where describe an EXCLUDE constraint (Where
	// also holds its predicate).
	Method     string      `json:"method,omitempty"`
	Exclusions []IndexElem `json:"exclusions,omitempty"`
	Where      string      `json:"where,omitempty"`
	Deferrable bool        `json:"deferrable,omitempty"`
	Deferred   bool        `json:"deferred,omitempty"`
	NotValid   bool        `json:"not_valid,omitempty"`
	NoInherit  bool        `json:"no_inherit,omitempty"`
	Pos        int         `json:"pos"`
}

// IndexElem is one key of an index (or exclusion constraint).
type IndexElem struct {
	// Column is set for a plain column key, Expr (an expression in
	// canonical text) otherwise.
	Column string `json:"column,omitempty"`
	Expr   string `json:"expr,omitempty"`
	// Name is the name PostgreSQL gives the index column: the column, or
	// for an expression what FigureColname says ("lower", "expr"). It is
	// used to choose the index's name when none is given.
	Name      string      `json:"name"`
	Desc      bool        `json:"desc,omitempty"`
	Nulls     query.Nulls `json:"nulls,omitempty"`
	Opclass   string      `json:"opclass,omitempty"`
	Collation string      `json:"collation,omitempty"`
	// Operator is the operator of an EXCLUDE element ("&&", "=").
	Operator string `json:"operator,omitempty"`
}

// LikeClause is LIKE source [INCLUDING ...] inside CREATE TABLE.
type LikeClause struct {
	Table query.TableName `json:"table"`
	// At is the number of columns of the CREATE TABLE written before the
	// LIKE: the source's columns are inserted there.
	At          int  `json:"at"`
	Defaults    bool `json:"defaults,omitempty"`
	Constraints bool `json:"constraints,omitempty"`
	Indexes     bool `json:"indexes,omitempty"`
	Identity    bool `json:"identity,omitempty"`
	Generated   bool `json:"generated,omitempty"`
	Pos         int  `json:"pos"`
}

// CreateTable is CREATE [UNLOGGED|TEMP] TABLE, including PARTITION OF,
// PARTITION BY, INHERITS and LIKE (and CREATE FOREIGN TABLE).
type CreateTable struct {
	Table       query.TableName   `json:"table"`
	Columns     []ColumnDef       `json:"columns,omitempty"`
	Constraints []ConstraintDef   `json:"constraints,omitempty"`
	Likes       []LikeClause      `json:"likes,omitempty"`
	Inherits    []query.TableName `json:"inherits,omitempty"`
	// PartitionBy is the partition key as pg_get_partkeydef prints it:
	// "RANGE (created_at)", "LIST (city_id)", "HASH (id)".
	PartitionBy string `json:"partition_by,omitempty"`
	// PartitionOf is the parent of CREATE TABLE ... PARTITION OF, with
	// its bound ("FOR VALUES FROM (...) TO (...)", "DEFAULT").
	PartitionOf    *query.TableName `json:"partition_of,omitempty"`
	PartitionBound string           `json:"partition_bound,omitempty"`
	IfNotExists    bool             `json:"if_not_exists,omitempty"`
	Temp           bool             `json:"temp,omitempty"`
	Unlogged       bool             `json:"unlogged,omitempty"`
	Foreign        bool             `json:"foreign,omitempty"`
	Pos            int              `json:"pos"`
}

// Offset implements DDL.
func (d *CreateTable) Offset() int { return d.Pos }

// CreateIndex is CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS].
type CreateIndex struct {
	// Name is "" when PostgreSQL chooses it.
	Name  string          `json:"name,omitempty"`
	Table query.TableName `json:"table"`
	// Only is ON ONLY: the index is not created on partitions.
	Only bool `json:"only,omitempty"`
	// Method is the access method, "btree" when not given.
	Method           string      `json:"method"`
	Unique           bool        `json:"unique,omitempty"`
	NullsNotDistinct bool        `json:"nulls_not_distinct,omitempty"`
	Concurrently     bool        `json:"concurrently,omitempty"`
	IfNotExists      bool        `json:"if_not_exists,omitempty"`
	Keys             []IndexElem `json:"keys"`
	Include          []string    `json:"include,omitempty"`
	// Where is the partial-index predicate in canonical text.
	Where string `json:"where,omitempty"`
	Pos   int    `json:"pos"`
}

// Offset implements DDL.
func (d *CreateIndex) Offset() int { return d.Pos }

// AlterAction is what one ALTER TABLE subcommand does.
type AlterAction string

// ALTER TABLE actions.
const (
	AlterAddColumn       AlterAction = "add column"
	AlterDropColumn      AlterAction = "drop column"
	AlterColumnType      AlterAction = "alter column type"
	AlterSetNotNull      AlterAction = "set not null"
	AlterDropNotNull     AlterAction = "drop not null"
	AlterSetDefault      AlterAction = "set default"
	AlterDropDefault     AlterAction = "drop default"
	AlterAddIdentity     AlterAction = "add identity"
	AlterSetIdentity     AlterAction = "set identity"
	AlterDropIdentity    AlterAction = "drop identity"
	AlterSetExpression   AlterAction = "set expression"
	AlterDropExpression  AlterAction = "drop expression"
	AlterAddConstraint   AlterAction = "add constraint"
	AlterDropConstraint  AlterAction = "drop constraint"
	AlterValidate        AlterAction = "validate constraint"
	AlterAttachPartition AlterAction = "attach partition"
	AlterDetachPartition AlterAction = "detach partition"
	AlterInherit         AlterAction = "inherit"
	AlterNoInherit       AlterAction = "no inherit"
)

// AlterCmd is one subcommand of ALTER TABLE.
type AlterCmd struct {
	Action AlterAction `json:"action"`
	// Name is the column (column actions) or constraint (DROP/VALIDATE
	// CONSTRAINT) acted on.
	Name string `json:"name,omitempty"`
	// Column is the new column of ADD COLUMN.
	Column *ColumnDef `json:"column,omitempty"`
	// Constraint is the constraint of ADD CONSTRAINT.
	Constraint *ConstraintDef `json:"constraint,omitempty"`
	// Type is the new type of ALTER COLUMN TYPE; Collation its COLLATE.
	Type      *TypeRef `json:"type,omitempty"`
	Collation string   `json:"collation,omitempty"`
	// Expr is the expression of SET DEFAULT or SET EXPRESSION, or the
	// USING expression of ALTER COLUMN TYPE.
	Expr string `json:"expr,omitempty"`
	// Identity is "always" or "by default" for ADD/SET IDENTITY.
	Identity string `json:"identity,omitempty"`
	// Partition and Bound describe ATTACH/DETACH PARTITION (and the
	// parent of INHERIT / NO INHERIT).
	Partition *query.TableName `json:"partition,omitempty"`
	Bound     string           `json:"bound,omitempty"`
	// IfExists is IF EXISTS (drop) or IF NOT EXISTS (ADD COLUMN).
	IfExists bool `json:"if_exists,omitempty"`
	Cascade  bool `json:"cascade,omitempty"`
}

// AlterTable is ALTER TABLE (also ALTER FOREIGN TABLE, ALTER VIEW,
// ALTER MATERIALIZED VIEW, and ALTER INDEX ... ATTACH PARTITION, whose
// Kind is ObjIndex) with the subcommands the catalog cares about;
// the others (OWNER TO, SET STATISTICS, triggers, ...) are dropped, and a
// statement left with none yields no AlterTable at all.
type AlterTable struct {
	Kind     ObjectKind      `json:"kind"`
	Table    query.TableName `json:"table"`
	Only     bool            `json:"only,omitempty"`
	IfExists bool            `json:"if_exists,omitempty"`
	Cmds     []AlterCmd      `json:"cmds"`
	Pos      int             `json:"pos"`
}

// Offset implements DDL.
func (d *AlterTable) Offset() int { return d.Pos }

// Drop is DROP TABLE / INDEX / VIEW / MATERIALIZED VIEW / FOREIGN TABLE /
// SCHEMA / TYPE / DOMAIN / EXTENSION / SEQUENCE.
type Drop struct {
	Kind ObjectKind `json:"kind"`
	// Names are the objects dropped; schemas and extensions have only a
	// Name.
	Names        []query.TableName `json:"names"`
	IfExists     bool              `json:"if_exists,omitempty"`
	Cascade      bool              `json:"cascade,omitempty"`
	Concurrently bool              `json:"concurrently,omitempty"`
	Pos          int               `json:"pos"`
}

// Offset implements DDL.
func (d *Drop) Offset() int { return d.Pos }

// ViewSource is a table named in a view's top-level FROM clause (joins
// flattened), used to expand * in the select list.
type ViewSource struct {
	Alias string          `json:"alias"`
	Table query.TableName `json:"table"`
}

// ViewTarget is an item of a view's select list: a named output column, or
// a star (* or alias.*) that the catalog expands.
type ViewTarget struct {
	Name    string `json:"name,omitempty"`
	Star    bool   `json:"star,omitempty"`
	StarRel string `json:"star_rel,omitempty"`
	// Column and Rel are set when the target is a plain column reference
	// (rel.column or column), so the catalog can give the view column the
	// type of the table column.
	Column string `json:"column,omitempty"`
	Rel    string `json:"rel,omitempty"`
}

// CreateView is CREATE [OR REPLACE] VIEW and CREATE MATERIALIZED VIEW.
type CreateView struct {
	View         query.TableName `json:"view"`
	Materialized bool            `json:"materialized,omitempty"`
	OrReplace    bool            `json:"or_replace,omitempty"`
	IfNotExists  bool            `json:"if_not_exists,omitempty"`
	// Columns are the explicit column names, if given.
	Columns []string `json:"columns,omitempty"`
	// Query is the defining query in canonical text.
	Query   string       `json:"query"`
	Targets []ViewTarget `json:"targets,omitempty"`
	Sources []ViewSource `json:"sources,omitempty"`
	// Reads lists every relation the query names anywhere (subqueries
	// included, WITH query names excluded), once each, in parse-tree
	// order: what the view depends on.
	Reads []query.TableName `json:"reads,omitempty"`
	Pos   int               `json:"pos"`
}

// Offset implements DDL.
func (d *CreateView) Offset() int { return d.Pos }

// Rename is ALTER ... RENAME: a relation (table, view, index, sequence:
// Column and Old empty, New the new name), a column, a constraint, or a
// schema (Table.Name is the schema).
type Rename struct {
	Kind ObjectKind `json:"kind"`
	// Table is the relation renamed or holding the column/constraint.
	Table query.TableName `json:"table"`
	// Old is the column or constraint renamed ("" for a relation).
	Old      string `json:"old,omitempty"`
	New      string `json:"new"`
	IfExists bool   `json:"if_exists,omitempty"`
	Pos      int    `json:"pos"`
}

// Offset implements DDL.
func (d *Rename) Offset() int { return d.Pos }

// SetSchema is ALTER TABLE/VIEW/... SET SCHEMA.
type SetSchema struct {
	Kind      ObjectKind      `json:"kind"`
	Name      query.TableName `json:"name"`
	NewSchema string          `json:"new_schema"`
	IfExists  bool            `json:"if_exists,omitempty"`
	Pos       int             `json:"pos"`
}

// Offset implements DDL.
func (d *SetSchema) Offset() int { return d.Pos }

// CreateSchema is CREATE SCHEMA. Objects created inside it (CREATE SCHEMA
// s CREATE TABLE t ...) follow as their own DDL with the schema filled in.
type CreateSchema struct {
	Name        string `json:"name"`
	IfNotExists bool   `json:"if_not_exists,omitempty"`
	Pos         int    `json:"pos"`
}

// Offset implements DDL.
func (d *CreateSchema) Offset() int { return d.Pos }

// CreateSequence is CREATE SEQUENCE: sequences take part in the choice
// of names PostgreSQL makes for serial columns' sequences and indexes.
type CreateSequence struct {
	Name        query.TableName `json:"name"`
	IfNotExists bool            `json:"if_not_exists,omitempty"`
	Pos         int             `json:"pos"`
}

// Offset implements DDL.
func (d *CreateSequence) Offset() int { return d.Pos }

// CreateExtension is CREATE EXTENSION.
type CreateExtension struct {
	Name        string `json:"name"`
	Schema      string `json:"schema,omitempty"`
	IfNotExists bool   `json:"if_not_exists,omitempty"`
	Pos         int    `json:"pos"`
}

// Offset implements DDL.
func (d *CreateExtension) Offset() int { return d.Pos }

// CreateType is CREATE TYPE (enum, composite, range, base) or CREATE
// DOMAIN: the catalog records the type's schema to qualify column types.
type CreateType struct {
	Name query.TableName `json:"name"`
	// Kind is "enum", "composite", "range", "base" or "domain".
	Kind string `json:"kind"`
	// Values are an enum's labels.
	Values []string `json:"values,omitempty"`
	// Base is a domain's underlying type.
	Base *TypeRef `json:"base,omitempty"`
	Pos  int      `json:"pos"`
}

// Offset implements DDL.
func (d *CreateType) Offset() int { return d.Pos }

// SetSearchPath is SET [LOCAL] search_path, RESET search_path, or the
// pg_catalog.set_config('search_path', ...) call pg_dump writes.
type SetSearchPath struct {
	// Schemas are the path's entries in order ("$user" kept as written).
	Schemas []string `json:"schemas"`
	// Reset is true for RESET search_path and SET search_path TO DEFAULT.
	Reset bool `json:"reset,omitempty"`
	Local bool `json:"local,omitempty"`
	Pos   int  `json:"pos"`
}

// Offset implements DDL.
func (d *SetSearchPath) Offset() int { return d.Pos }
