// Package volatiledefault reports columns added to existing tables with
// values PostgreSQL must compute row by row, which rewrites the table.
package volatiledefault

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the volatile-default check.
var Check = &check.Check{
	Name: "volatile-default",
	Doc: `ADD COLUMN with a volatile default on an existing table.

Finds ALTER TABLE ... ADD COLUMN on a table that existed before the
migration when the new column's value must be computed for each row: a
DEFAULT calling a volatile function (random(), clock_timestamp(),
gen_random_uuid(), nextval(), ...), a serial type, an identity column or
a stored generated column.

Why it matters: since PostgreSQL 11 a constant or stable default (0,
'x', now()) is stored once in the catalog and ADD COLUMN is instant; a
per-row value rewrites the whole table, and its indexes, under an ACCESS
EXCLUSIVE lock that blocks reads and writes for the duration.

How to fix: add the column without the default (or with a constant one),
then ALTER COLUMN ... SET DEFAULT for new rows, and backfill existing
rows in batches in separate transactions.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.EachAlter(pass, func(st *check.Statement, d *sqlparse.AlterTable, t *catalog.Table) {
		for _, cmd := range d.Cmds {
			if cmd.Action != sqlparse.AlterAddColumn || cmd.Column == nil {
				continue
			}
			c := cmd.Column
			var why string
			switch {
			case c.Serial:
				why = "a serial column's nextval() default"
			case c.Identity != "":
				why = "an identity column"
			case c.Generated != "":
				why = "a stored generated column"
			default:
				if f := migrate.VolatileCall(c.Default); f != "" {
					why = fmt.Sprintf("the volatile default %s", c.Default)
				}
			}
			if why == "" {
				continue
			}
			migrate.Report(pass, st, migrate.At(st, c.Pos),
				fmt.Sprintf("adding column %s to existing table %s with %s rewrites the table under an ACCESS EXCLUSIVE lock", c.Name, migrate.Name(t), why),
				"add the column without it, SET DEFAULT for new rows, then backfill existing rows in batches", nil)
		}
	})
	return nil
}
