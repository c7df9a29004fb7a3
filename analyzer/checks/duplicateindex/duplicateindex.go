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

Finds indexes that have the same table, access method, keys (columns or
expressions, order, direction, NULLS order, operator classes and
collations), INCLUDE columns and partial predicate as another index. A
plain index identical to a unique one (or to the index of a primary key or
unique constraint) is a duplicate too: the unique index serves every query
the plain one does. Of each group, the index kept is the one backing a
constraint, else a unique one, else the first defined; every other one is
reported at its definition.

Why it matters: every index is updated by every INSERT, by UPDATEs of its
columns (and loses HOT updates), and by DELETE's cleanup; it takes disk
space and cache memory. A duplicate doubles that cost for no gain: the
planner uses only one of the two.

How to fix: drop the duplicate (DROP INDEX CONCURRENTLY does not block
writes); when it backs a constraint, drop the redundant constraint
instead.

Severity: warning. No threshold. Needs a schema.`,
	Severity:     check.Warning,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	for _, group := range pass.Catalog.DuplicateGroups() {
		keep := slices.MinFunc(group, preferKeep)
		for _, ix := range group {
			if ix == keep {
				continue
			}
			report(pass, ix, keep)
		}
	}
	return nil
}

// preferKeep orders the indexes of a group, the one to keep first: the
// index of a constraint (it cannot be dropped alone), a unique index, the
// first defined, then by name.
func preferKeep(a, b *catalog.Index) int {
	rank := func(ix *catalog.Index) int {
		switch {
		case ix.Primary:
			return 0
		case ix.Constraint != "":
			return 1
		case ix.Unique:
			return 2
		}
		return 3
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
	msg := fmt.Sprintf("%s duplicates %s on %s %s", what, ddl.Name(keep.Key()), ddl.Name(ix.Table), ddl.IndexColumns(ix))
	if ix.SizeBytes > 0 {
		msg += fmt.Sprintf(": %s wasted", ddl.Size(ix.SizeBytes))
	}
	drop := ddl.DropIndex(ix)
	help := fmt.Sprintf("drop it (%s): %s serves the same queries, and every index slows down writes", drop, ddl.Name(keep.Key()))
	pass.Report(check.Finding{
		Check:    pass.Check.Name,
		Severity: pass.Check.Severity,
		Pos:      check.Position{File: ix.File, Line: ix.Line, Column: ix.Column},
		Message:  msg,
		Help:     help,
		Fix:      &check.Fix{Description: "drop the duplicate index", SQL: drop + ";"},
	})
}
