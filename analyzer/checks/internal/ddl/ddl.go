// Package ddl writes the DDL the checks propose as fixes, and names
// catalog objects in messages the way a user wrote them (public. left
// out).
package ddl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
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
	return candidate.QualifiedName(query.TableName{Schema: schema, Name: name})
}

// QualifiedKey is QualifiedName for a "schema.name" key.
func QualifiedKey(key string) string {
	s, n, ok := strings.Cut(key, ".")
	if !ok {
		return sqlparse.QuoteIdent(key)
	}
	return QualifiedName(s, n)
}

// DropIndex returns the statement that removes ix: DROP INDEX
// CONCURRENTLY for a plain index (no lock on writes), ALTER TABLE ... DROP
// CONSTRAINT for the index of a primary key, unique or exclusion
// constraint, which cannot be dropped on its own.
func DropIndex(ix *catalog.Index) string {
	if ix.Constraint != "" {
		return "ALTER TABLE " + QualifiedKey(ix.Table) + " DROP CONSTRAINT " + sqlparse.QuoteIdent(ix.Constraint)
	}
	return "DROP INDEX CONCURRENTLY IF EXISTS " + QualifiedName(ix.Schema, ix.Name)
}

// CreateIndex returns the statements that build the proposed index ix
// on table t without blocking writes: ix.DDL() (CONCURRENTLY), or, on a
// partitioned table, which refuses CONCURRENTLY, the partition form of
// candidate's writer (Index.PartitionDDL: each partition's index built
// CONCURRENTLY, the parent's created ON ONLY it, the partitions' indexes
// attached), the statements separated by ";\n". note then says how to
// run them.
func CreateIndex(cat *catalog.Catalog, ix *candidate.Index, t *catalog.Table) (sql, note string) {
	ix.Partitioned = t != nil && t.Kind == catalog.KindPartitioned
	if !ix.Partitioned {
		return ix.Statement(), ""
	}
	ix.SetPartitions(Partitions(cat, t), func(schema, name string) bool {
		return Taken(cat, schema)(name)
	})
	return ix.Statement(), "PostgreSQL cannot build an index CONCURRENTLY on a partitioned table: these statements build it on each partition without blocking writes, create it ON ONLY the parent and attach each partition's index, which makes the parent's valid (run them one by one, outside a transaction block)"
}

// Partitions returns the partitions of the partitioned table t that the
// catalog knows, by name, each with its own partitions.
func Partitions(cat *catalog.Catalog, t *catalog.Table) []candidate.Partition {
	return partitions(cat, t.Key(), 0)
}

func partitions(cat *catalog.Catalog, key string, depth int) []candidate.Partition {
	if depth > 32 {
		return nil // a cycle in a broken catalog
	}
	var out []candidate.Partition
	for _, p := range cat.AllTables() {
		if p.PartitionOf != key {
			continue
		}
		schema := p.Schema
		if schema == "public" {
			schema = ""
		}
		part := candidate.Partition{Table: query.TableName{Schema: schema, Name: p.Name}}
		if p.Kind == catalog.KindPartitioned {
			part.Parts = partitions(cat, p.Key(), depth+1)
		}
		out = append(out, part)
	}
	slices.SortFunc(out, func(a, b candidate.Partition) int {
		return strings.Compare(a.Table.Schema+"."+a.Table.Name, b.Table.Schema+"."+b.Table.Name)
	})
	return out
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
