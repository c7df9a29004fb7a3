// Package duplicateindex reports indexes that are another index of the
// same table under a second name.
package duplicateindex

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
)

// Check is the duplicate-index check.
var Check = &check.Check{
	Name: "duplicate-index",
	Doc: `Index identical to another index of the same table.

Finds indexes with the same table, access method, keys (columns or
expressions, operator classes, collations, directions and NULLS order),
INCLUDE columns (in any order) and partial predicate as another index. A
B-tree whose keys are all reversed, (a DESC, b) next to (a, b DESC), is a
duplicate too: PostgreSQL reads a B-tree in both directions. A key
reverses only with its NULLS order: (a DESC) is (a) read backwards, (a
DESC NULLS LAST) is not. A plain index identical to a unique one, or to
the index of a primary key or unique constraint, is a duplicate: the
unique index serves every query the plain one does.

Of each group one index is kept: the primary key's, else one backing a
constraint, else one attached to a partitioned table's index, else a
UNIQUE NULLS NOT DISTINCT one, else a unique one, else a valid one, else
the first defined. Every other one is reported where it is defined (its
CREATE INDEX, or its constraint's clause). Indexes of partitions attached
to a partitioned index are not reported on their own: the parent's
finding covers them.

Why it matters: every index is updated by every INSERT, by UPDATEs of its
columns (which also lose HOT updates), and by VACUUM; it takes disk space
and cache memory. A duplicate doubles that cost for no gain: the planner
uses only one of the two.

How to fix: drop the duplicate (the fix uses DROP INDEX CONCURRENTLY,
which does not block writes); when it backs a constraint, drop the
constraint (ALTER TABLE ... DROP CONSTRAINT). A foreign key referencing
the constraint's columns may depend on its index: drop the foreign key
first and add it back afterwards (it then uses the index kept).

Severity: warning. No threshold. Needs a schema.`,
	Severity:     check.Warning,
	Reads:        check.ReadsSchema,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	for _, group := range pass.Catalog.DuplicateGroups() {
		keep := slices.MinFunc(group, preferKeep)
		for _, ix := range group {
			if ix == keep || ix.Parent != "" {
				// An index attached to a partitioned index cannot be
				// dropped alone; the parent's duplicate is reported.
				continue
			}
			report(pass, ix, keep)
		}
	}
	return nil
}

// preferKeep orders the indexes of a group, the one to keep first: the
// primary key's, one backing a constraint (neither can be dropped alone),
// one attached to a partitioned index (same), one enforcing UNIQUE NULLS
// NOT DISTINCT, a unique one, a valid one, then the first defined.
func preferKeep(a, b *catalog.Index) int {
	rank := func(ix *catalog.Index) int {
		switch {
		case ix.Primary:
			return 0
		case ix.Constraint != "":
			return 1
		case ix.Parent != "":
			return 2
		case ix.Unique && ix.NullsNotDistinct:
			return 3
		case ix.Unique:
			return 4
		case ix.Valid:
			return 5
		}
		return 6
	}
	return cmp.Or(
		cmp.Compare(rank(a), rank(b)),
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		strings.Compare(a.Name, b.Name),
	)
}

func report(pass *check.Pass, ix, keep *catalog.Index) {
	what := "index " + ddl.Name(ix.Key())
	if ix.Constraint != "" {
		what = "constraint " + ix.Constraint + " (index " + ddl.Name(ix.Key()) + ")"
	}
	var msg string
	if ddl.IndexColumns(ix) == ddl.IndexColumns(keep) {
		msg = fmt.Sprintf("%s duplicates %s on %s %s", what, ddl.Name(keep.Key()), ddl.Name(ix.Table), ddl.IndexColumns(ix))
	} else {
		msg = fmt.Sprintf("%s on %s %s duplicates %s %s read backwards", what, ddl.Name(ix.Table), ddl.IndexColumns(ix),
			ddl.Name(keep.Key()), ddl.IndexColumns(keep))
	}
	if !ix.Valid {
		msg += " (invalid: left by a failed CREATE INDEX CONCURRENTLY)"
	}
	if ix.SizeBytes > 0 {
		msg += fmt.Sprintf(": %s wasted", ddl.Size(ix.SizeBytes))
	}
	drop := ddl.DropIndex(ix)
	help := fmt.Sprintf("drop it (%s): %s serves the same queries, and every index slows down writes", drop, ddl.Name(keep.Key()))
	if fks := dependents(pass.Catalog, ix); len(fks) > 0 {
		help += fmt.Sprintf("; foreign key %s references these columns and may depend on this index: if DROP CONSTRAINT fails, drop the foreign key first and add it back afterwards", strings.Join(fks, ", "))
	}
	pass.Report(check.Finding{
		Check:    pass.Check.Name,
		Severity: pass.Check.Severity,
		Pos:      check.Position{File: ix.File, Line: ix.Line, Column: ix.Column},
		Message:  msg,
		Help:     help,
		Fix:      &check.Fix{SQL: drop + ";"},
	})
}

// dependents names the foreign keys that reference exactly the columns of
// a unique constraint's index: PostgreSQL ties each foreign key to one
// unique index of the referenced table, and refuses to drop it while the
// foreign key exists.
func dependents(cat *catalog.Catalog, ix *catalog.Index) []string {
	if ix.Constraint == "" || !ix.Unique {
		return nil
	}
	t := cat.TableOf(ix)
	if t == nil {
		return nil
	}
	var cols []string
	for _, k := range ix.Keys {
		if k.Column == "" {
			return nil
		}
		cols = append(cols, k.Column)
	}
	slices.Sort(cols)
	var out []string
	for _, r := range cat.ReferencingForeignKeys(t) {
		ref := slices.Clone(r.ForeignKey.RefColumns)
		slices.Sort(ref)
		if slices.Equal(ref, cols) {
			out = append(out, ddl.Name(r.Table.Key())+"."+r.ForeignKey.Name)
		}
	}
	return out
}
