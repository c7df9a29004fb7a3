// Package updatewithoutwhere reports UPDATE statements that change every
// row of their table.
package updatewithoutwhere

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the update-without-where check.
var Check = &check.Check{
	Name: "update-without-where",
	Doc: `UPDATE without a WHERE clause: every row of the table is changed.

Finds UPDATE statements, including data-modifying CTEs (WITH u AS (UPDATE
...)) and UPDATE ... FROM, that have no WHERE clause, or one whose every
condition is a constant that is true (WHERE true, WHERE 1 = 1). Not
reported: a WHERE that is false or depends on something (a column, a
parameter, a function: WHERE $1 = 'all'), UPDATE ... WHERE CURRENT OF
cursor, which changes one row, and INSERT ... ON CONFLICT DO UPDATE.

Why it matters: overwriting a column in every row is a data-loss accident
when the WHERE was forgotten. When it is intended, one UPDATE of a large
table is one long transaction that writes a new version of every row
(doubling the table until VACUUM), locks every row against concurrent
writers, and fires every row trigger.

How to fix: add the WHERE clause that selects the rows to change. For an
intended backfill of a large table, update in batches of a few thousand
rows by primary-key range, committing between batches.

Severity: error (data-loss risk). No threshold.`,
	Severity: check.Error,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		for _, q := range walk.Unfiltered(s.Model, query.KindUpdate) {
			table := "the table"
			switch {
			case q.Target != nil:
				table = q.Target.String()
			case q.ID == 0 && s.Model.Target != nil:
				table = s.Model.Target.String()
			}
			at := q.Location
			if len(q.From) > 0 {
				at = q.From[0].Location
			}
			pos := sqltext.Keyword(s, at, "update")
			what := "has no WHERE clause"
			if len(q.Where) > 0 {
				what = fmt.Sprintf("has no real WHERE clause (WHERE %s is always true)", walk.WhereText(q.Where))
			}
			pass.Reportf(pos, s.Fingerprint,
				"add a WHERE clause selecting the rows to change; for an intended backfill of a large table, update in batches by primary-key range",
				"UPDATE %s %s: it changes every row of the table", table, what)
		}
	}
	return nil
}
