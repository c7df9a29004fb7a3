// Package deletewithoutwhere reports DELETE statements that delete every
// row of their table.
package deletewithoutwhere

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the delete-without-where check.
var Check = &check.Check{
	Name: "delete-without-where",
	Doc: `DELETE without a WHERE clause: every row of the table is deleted.

Finds DELETE statements, including data-modifying CTEs (WITH d AS (DELETE
...)) and DELETE ... USING, that have no WHERE clause, or one whose every
condition is a constant that is true (WHERE true, WHERE 1 = 1). Not
reported: a WHERE that is false or depends on something (a column, a
parameter, a function: WHERE $1), and DELETE ... WHERE CURRENT OF cursor,
which deletes one row.

Why it matters: it is the classic data-loss accident (a WHERE lost in an
edit, a condition built by string concatenation that came out empty). Even
when intended, deleting every row with DELETE is slow: each row is
deleted one by one, written to the WAL, and left as a dead tuple for
VACUUM.

How to fix: add the WHERE clause that selects the rows to delete. To empty
a table on purpose, use TRUNCATE, which says so and is immediate (it
takes an ACCESS EXCLUSIVE lock and does not fire row triggers).

Severity: error (data-loss risk). No threshold.`,
	Severity: check.Error,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		for _, q := range walk.Unfiltered(s.Model, query.KindDelete) {
			table := targetName(s.Model, q)
			at := q.Location
			if len(q.From) > 0 {
				at = q.From[0].Location
			}
			pos := sqltext.Keyword(s, at, "delete")
			what := "has no WHERE clause"
			if len(q.Where) > 0 {
				what = fmt.Sprintf("has no real WHERE clause (WHERE %s is always true)", walk.WhereText(q.Where))
			}
			pass.Reportf(pos, s.Fingerprint,
				fmt.Sprintf("add a WHERE clause selecting the rows to delete; to empty the table on purpose, write TRUNCATE %s", table),
				"DELETE FROM %s %s: it deletes every row of the table", table, what)
		}
	}
	return nil
}

// targetName names the table a writing block writes.
func targetName(st *query.Statement, q *query.Query) string {
	switch {
	case q.Target != nil:
		return q.Target.String()
	case q.ID == 0 && st.Target != nil:
		return st.Target.String()
	case len(q.From) > 0:
		return q.From[0].Table.String()
	}
	return "the table"
}
