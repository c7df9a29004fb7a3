// Package missingfkindex reports foreign keys whose referencing columns
// lead no index.
package missingfkindex

import (
	"fmt"
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
checked through their partitioned parent.

Why it matters: PostgreSQL indexes the referenced side (it must be a
primary key or unique) but not the referencing side. Every DELETE of a
referenced row, and every UPDATE of its key, looks for referencing rows
(to reject the change, or to cascade it) with a sequential scan of the
referencing table, while holding locks; ON DELETE CASCADE then deletes the
children the same way. Joins from the parent to its children (a user's
orders) need the same index.

How to fix: CREATE INDEX CONCURRENTLY on the foreign key's columns (the
fix gives the statement; on a partitioned table, which refuses
CONCURRENTLY, a plain CREATE INDEX, and the help says how to avoid
blocking writes).

Severity: warning. Threshold: when statistics are known (a schema read
from a live database), referencing tables under %d rows are not reported.
Needs a schema.`, MinRows),
	Severity:     check.Warning,
	Reads:        check.ReadsSchema,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	for _, t := range pass.Catalog.AllTables() {
		if t.Kind != catalog.KindTable && t.Kind != catalog.KindPartitioned || t.PartitionOf != "" {
			continue
		}
		if t.Stats != nil && t.Stats.RowEstimate >= 0 && t.Stats.RowEstimate < MinRows {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) == 0 || t.ForeignKeyIndex(fk) != nil {
				continue
			}
			report(pass, t, fk)
		}
	}
	return nil
}

func report(pass *check.Pass, t *catalog.Table, fk *catalog.ForeignKey) {
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
	why := fmt.Sprintf("every DELETE from %s (and UPDATE of its key) scans %s for referencing rows", ref, ddl.Name(t.Key()))
	if fk.OnDelete == "cascade" {
		why += ", and ON DELETE CASCADE deletes them with the same scans"
	}
	pos := check.Position{File: fk.File, Line: fk.Line, Column: fk.Column}
	if pos.File == "" {
		pos = check.Position{File: t.File, Line: t.Line}
	}
	create, note := ddl.CreateIndex(ix, t)
	help := fmt.Sprintf("%s; create the index: %s", why, create)
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
