// Package missingfkindex reports foreign keys whose referencing columns
// lead no index.
package missingfkindex

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// MinRows is the number of rows (from statistics) below which a
// referencing table is too small for a missing index to matter: scanning
// it whole is as cheap as an index lookup.
const MinRows = 10000

// Check is the missing-fk-index check.
var Check = &check.Check{
	Name: "missing-fk-index",
	Doc: fmt.Sprintf(`Foreign key whose referencing columns lead no index.

Finds FOREIGN KEY constraints whose columns are not the leading keys (in
any order) of a valid, non-partial B-tree index of the referencing table
(or of a hash index, for a one-column key). Reported at the constraint's
clause in the schema (CONSTRAINT ... FOREIGN KEY, or the column's
REFERENCES); the fix is the CREATE INDEX statement. Partitions are
checked through their partitioned parent; a foreign key declared on
partitions and not on their parent is reported once for them, with the
index on the parent.

Why it matters: PostgreSQL indexes the referenced side (it must be a
primary key or unique) but not the referencing side. Every DELETE of a
referenced row, and every UPDATE of its key, looks for referencing rows
(to reject the change, or to cascade it) with a sequential scan of the
referencing table, while holding locks; ON DELETE CASCADE then deletes the
children the same way. Joins from the parent to its children (a user's
orders) need the same index.

How to fix: CREATE INDEX CONCURRENTLY on the foreign key's columns (the
fix gives the statement; on a partitioned table, which refuses
CONCURRENTLY, the index is built CONCURRENTLY on each partition, created
ON ONLY the parent and each partition's index attached).

Severity: warning. Threshold: when statistics are known (a schema read
from a live database), referencing tables under %d rows are not reported.
Needs a schema.`, MinRows),
	Severity:     check.Warning,
	Reads:        check.ReadsSchema,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	// Foreign keys declared on partitions (not on their parent), by
	// parent and key: one finding each, with the index on the parent.
	type partFK struct {
		parent *catalog.Table
		fk     *catalog.ForeignKey
		parts  []string
	}
	var groups []*partFK
	byKey := map[string]*partFK{}
	for _, t := range pass.Catalog.AllTables() {
		if t.Kind != catalog.KindTable && t.Kind != catalog.KindPartitioned {
			continue
		}
		if t.Stats != nil && t.Stats.RowEstimate >= 0 && t.Stats.RowEstimate < MinRows {
			continue
		}
		parent := pass.Catalog.Tables[t.PartitionOf]
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) == 0 || t.ForeignKeyIndex(fk) != nil {
				continue
			}
			switch {
			case t.PartitionOf == "":
				report(pass, t, fk, nil)
			case parent == nil:
				// A partition whose parent the schema does not have.
				report(pass, t, fk, nil)
			case hasForeignKey(parent, fk) || parent.ForeignKeyIndex(fk) != nil:
				// Checked through the parent, or its index serves.
			default:
				key := parent.Key() + "\x00" + strings.Join(fk.Columns, ",") + "\x00" + fk.RefTable
				g := byKey[key]
				if g == nil {
					g = &partFK{parent: parent, fk: fk}
					byKey[key] = g
					groups = append(groups, g)
				}
				g.parts = append(g.parts, ddl.Name(t.Key()))
			}
		}
	}
	for _, g := range groups {
		report(pass, g.parent, g.fk, g.parts)
	}
	return nil
}

// hasForeignKey reports whether t declares a foreign key on the same
// columns to the same table as fk (a partition's copy of its parent's).
func hasForeignKey(t *catalog.Table, fk *catalog.ForeignKey) bool {
	for _, f := range t.ForeignKeys {
		if f.RefTable == fk.RefTable && slices.Equal(f.Columns, fk.Columns) {
			return true
		}
	}
	return false
}

// report reports fk of table t; parts, when not nil, are the partitions
// of t that declare fk themselves (t, their parent, does not).
func report(pass *check.Pass, t *catalog.Table, fk *catalog.ForeignKey, parts []string) {
	ix := &candidate.Index{
		Table:  query.TableName{Schema: t.Schema, Name: t.Name},
		Method: "btree",
		Name:   candidate.IndexName(t.Name, fk.Columns, ddl.Taken(pass.Catalog, t.Schema)),
	}
	for _, c := range fk.Columns {
		ix.Keys = append(ix.Keys, catalog.IndexKey{Column: c})
	}
	if ix.Table.Schema == "public" {
		ix.Table.Schema = ""
	}
	ref := ddl.Name(fk.RefTable)
	refCols := ""
	if len(fk.RefColumns) > 0 {
		refCols = " " + ddl.Columns(fk.RefColumns)
	}
	msg := fmt.Sprintf("foreign key %s %s references %s%s, but no index of %s starts with %s",
		fk.Name, ddl.Columns(fk.Columns), ref, refCols, ddl.Name(t.Key()), strings.Join(fk.Columns, ", "))
	scanned := ddl.Name(t.Key())
	if parts != nil {
		msg = fmt.Sprintf("foreign key %s %s of partitions %s of %s references %s%s, but no index of theirs starts with %s",
			fk.Name, ddl.Columns(fk.Columns), strings.Join(parts, ", "), ddl.Name(t.Key()), ref, refCols, strings.Join(fk.Columns, ", "))
		scanned = strings.Join(parts, ", ")
	}
	why := fmt.Sprintf("every DELETE from %s (and UPDATE of its key) scans %s for referencing rows", ref, scanned)
	if fk.OnDelete == "cascade" {
		why += ", and ON DELETE CASCADE deletes them with the same scans"
	}
	pos := check.Position{File: fk.File, Line: fk.Line, Column: fk.Column}
	if pos.File == "" {
		pos = check.Position{File: t.File, Line: t.Line}
	}
	create, note := ddl.CreateIndex(pass.Catalog, ix, t)
	help := why + "; create the index"
	if note != "" {
		help += "; " + note
	}
	pass.Report(check.Finding{
		Check:    pass.Check.Name,
		Severity: pass.Check.Severity,
		Pos:      pos,
		Message:  msg,
		Help:     help,
		Fix:      &check.Fix{SQL: create + ";", Index: ix},
	})
}
