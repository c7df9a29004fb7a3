// Package redundantindex reports indexes whose keys lead another index of
// the same table.
package redundantindex

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
)

// Check is the redundant-index check.
var Check = &check.Check{
	Name: "redundant-index",
	Doc: `Index whose keys are the leading keys of another index of the same table.

Finds a B-tree index whose keys are a prefix of another valid B-tree's
keys on the same table, with the same partial predicate (or none), the
same operator classes and collations, the prefix in the same directions
and NULLS order or all of it reversed (PostgreSQL reads a B-tree
backwards: (a DESC) is served by (a, b); (a DESC NULLS LAST) is not), and
its INCLUDE columns among the other index's columns. Example: (status)
next to (status, created_at).

Not reported: a unique index or one backing a primary key, unique or
exclusion constraint (it enforces something the wider index does not), an
index attached to a partitioned table's index (dropped only with its
parent), a prefix with another predicate, method, direction or operator
class, and exact duplicates (duplicate-index reports those).

Why it matters: the wider index serves every lookup and ordered scan the
shorter one does, almost as fast; the shorter one still costs a write on
every INSERT and on UPDATEs of its columns, disk space and cache memory.

How to fix: drop the shorter index (the fix uses DROP INDEX CONCURRENTLY,
which does not block writes). Keep it only when measurements show the
wider index is much slower for a frequent query (very wide trailing keys).

Severity: warning. No threshold. Needs a schema.`,
	Severity:     check.Warning,
	Reads:        check.ReadsSchema,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	for _, r := range pass.Catalog.RedundantIndexes() {
		ix, by := r.Index, r.By
		how := "starts with the same keys"
		if len(ix.Keys) > 0 && ix.Keys[0].Desc != by.Keys[0].Desc {
			how = "starts with the same keys in reverse order, and a B-tree is read both ways"
		}
		msg := fmt.Sprintf("index %s on %s %s is redundant: %s %s %s",
			ddl.Name(ix.Key()), ddl.Name(ix.Table), ddl.IndexColumns(ix), ddl.Name(by.Key()), ddl.IndexColumns(by), how)
		if ix.SizeBytes > 0 {
			msg += fmt.Sprintf(" (%s)", ddl.Size(ix.SizeBytes))
		}
		drop := ddl.DropIndex(ix)
		pass.Report(check.Finding{
			Check:    pass.Check.Name,
			Severity: pass.Check.Severity,
			Pos:      check.Position{File: ix.File, Line: ix.Line, Column: ix.Column},
			Message:  msg,
			Help:     fmt.Sprintf("drop it (%s): %s serves the same lookups and orderings, and every index slows down writes", drop, ddl.Name(by.Key())),
			Fix:      &check.Fix{SQL: drop + ";"},
		})
	}
	return nil
}
