// Package ddl writes the DDL the checks propose as fixes, and names
// catalog objects in messages the way a user wrote them (public. left
// out).
package ddl

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Name writes a "schema.name" catalog key for messages: without the
// schema when it is public.
func Name(key string) string {
	if s, n, ok := strings.Cut(key, "."); ok && s == "public" {
		return n
	}
	return key
}

// QualifiedName writes a schema and object name as SQL, quoting only
// when needed and leaving public out.
func QualifiedName(schema, name string) string {
	if schema == "" || schema == "public" {
		return candidate.QuoteIdent(name)
	}
	return candidate.QuoteIdent(schema) + "." + candidate.QuoteIdent(name)
}

// QualifiedKey is QualifiedName for a "schema.name" key.
func QualifiedKey(key string) string {
	s, n, ok := strings.Cut(key, ".")
	if !ok {
		return candidate.QuoteIdent(key)
	}
	return QualifiedName(s, n)
}

// DropIndex returns the statement that removes ix: DROP INDEX
// CONCURRENTLY for a plain index (no lock on writes), ALTER TABLE ... DROP
// CONSTRAINT for the index of a primary key, unique or exclusion
// constraint, which cannot be dropped on its own.
func DropIndex(ix *catalog.Index) string {
	if ix.Constraint != "" {
		return "ALTER TABLE " + QualifiedKey(ix.Table) + " DROP CONSTRAINT " + candidate.QuoteIdent(ix.Constraint)
	}
	return "DROP INDEX CONCURRENTLY IF EXISTS " + QualifiedName(ix.Schema, ix.Name)
}

// CreateIndex returns the statement that builds the proposed index ix on
// table t: ix.DDL(), which builds it CONCURRENTLY, except on a
// partitioned table, where PostgreSQL refuses CONCURRENTLY; note then
// says how to avoid blocking writes.
func CreateIndex(ix *candidate.Index, t *catalog.Table) (sql, note string) {
	ix.Partitioned = t != nil && t.Kind == catalog.KindPartitioned
	if !ix.Partitioned {
		return ix.Statement(), ""
	}
	return ix.Statement(),
		"CONCURRENTLY is not allowed on a partitioned table and this statement blocks writes while it builds; to avoid that, CREATE INDEX ON ONLY the parent, build the index CONCURRENTLY on each partition and ALTER INDEX ... ATTACH PARTITION each one"
}

// Taken returns the function that reports whether a relation name is
// used in schema, for naming a new index.
func Taken(cat *catalog.Catalog, schema string) func(string) bool {
	return func(name string) bool {
		k := catalog.Key(schema, name)
		return cat.Tables[k] != nil || cat.Indexes[k] != nil
	}
}

// Columns writes a column list as (a, b).
func Columns(cols []string) string {
	return "(" + strings.Join(cols, ", ") + ")"
}

// IndexColumns writes an index's keys as (a, lower(b) DESC), with NULLS
// FIRST / LAST when it is not the direction's default; INCLUDE and
// predicate left out.
func IndexColumns(ix *catalog.Index) string {
	var parts []string
	for _, k := range ix.Keys {
		s := k.Column
		if s == "" {
			s = k.Expr
		}
		if k.Desc {
			s += " DESC"
		}
		switch {
		case k.Nulls == query.NullsFirst && !k.Desc:
			s += " NULLS FIRST"
		case k.Nulls == query.NullsLast && k.Desc:
			s += " NULLS LAST"
		}
		parts = append(parts, s)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Size formats a size in bytes with binary units, as pg_size_pretty does.
func Size(n int64) string {
	units := []string{"bytes", "kB", "MB", "GB", "TB"}
	v, i := float64(n), 0
	for v >= 10*1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}
