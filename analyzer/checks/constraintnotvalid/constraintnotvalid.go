// Package constraintnotvalid reports CHECK and FOREIGN KEY constraints
// added to existing tables without NOT VALID.
package constraintnotvalid

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the constraint-without-not-valid check.
var Check = &check.Check{
	Name: "constraint-without-not-valid",
	Doc: `CHECK or FOREIGN KEY constraint added to an existing table without NOT VALID.

Finds ALTER TABLE ... ADD CONSTRAINT ... CHECK and ... FOREIGN KEY on a
table that existed before the migration, without NOT VALID.

Why it matters: adding the constraint validates every existing row
while holding the lock the statement takes: ACCESS EXCLUSIVE for a
CHECK (no reads, no writes), SHARE ROW EXCLUSIVE on both tables for a
foreign key (no writes), for as long as the scan of the table lasts.

How to fix: add it NOT VALID (instant: only new rows are checked), then
ALTER TABLE ... VALIDATE CONSTRAINT in a later transaction: validation
takes a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.EachAlter(pass, func(st *check.Statement, d *sqlparse.AlterTable, t *catalog.Table) {
		for _, cmd := range d.Cmds {
			c := cmd.Constraint
			if cmd.Action != sqlparse.AlterAddConstraint || c == nil || c.NotValid {
				continue
			}
			var what string
			switch c.Type {
			case sqlparse.ConstrCheck:
				what = "CHECK constraint"
			case sqlparse.ConstrForeign:
				what = "foreign key"
			default:
				continue
			}
			name := c.Name
			if name != "" {
				what += " " + name
			}
			migrate.Report(pass, st, migrate.At(st, c.Pos),
				fmt.Sprintf("adding %s to existing table %s without NOT VALID scans the whole table while locking it", what, migrate.Name(t)),
				"add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (which does not block reads or writes)",
				fix(st, d, name))
		}
	})
	return nil
}

// fix adds NOT VALID to a one-constraint statement and validates it
// after.
func fix(st *check.Statement, d *sqlparse.AlterTable, name string) *check.Fix {
	if len(d.Cmds) != 1 || name == "" {
		return nil
	}
	text := strings.TrimSpace(st.Text)
	return &check.Fix{
		SQL: text + " NOT VALID;\nALTER TABLE " + ddl.QualifiedName(d.Table.Schema, d.Table.Name) +
			" VALIDATE CONSTRAINT " + sqlparse.QuoteIdent(name) + ";",
	}
}
