// Package robuststatements reports migration statements that fail when
// a migration that stopped half-way is run again.
package robuststatements

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the prefer-robust-statements check.
var Check = &check.Check{
	Name: "prefer-robust-statements",
	Doc: `Migration statement that fails when a half-applied migration is run again.

Finds, in a migration that does not run in a transaction, CREATE TABLE
and CREATE INDEX without IF NOT EXISTS, ADD COLUMN without IF NOT
EXISTS, and DROP TABLE, DROP INDEX and DROP COLUMN without IF EXISTS,
when the migration has more than one schema change or the statement is
a CONCURRENTLY one (which can fail half-way on its own).

Why it matters: outside a transaction, a migration that fails (a lock
timeout, a duplicate found while building a unique index) keeps what it
did so far; running it again then fails on the first statement that
already took effect, and someone must repair the schema by hand. (A
failed CREATE INDEX CONCURRENTLY also leaves an INVALID index to drop.)

How to fix: add IF NOT EXISTS / IF EXISTS, or run the migration in a
transaction when it has no CONCURRENTLY statement.

Severity: info (re-runnability advice; nothing blocks).`,
	Severity: check.Info,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	changes := map[string]int{}
	for _, st := range migrate.Statements(pass) {
		changes[st.Migration.File] += len(migrate.DDL(st))
	}
	migrate.Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		if st.Migration.InTransaction {
			return
		}
		var what string
		concurrent := false
		switch d := op.(type) {
		case *sqlparse.CreateTable:
			if !d.IfNotExists && !d.Temp {
				what = "CREATE TABLE without IF NOT EXISTS"
			}
		case *sqlparse.CreateIndex:
			concurrent = d.Concurrently
			if !d.IfNotExists && d.Name != "" {
				what = "CREATE INDEX without IF NOT EXISTS"
			}
		case *sqlparse.Drop:
			concurrent = d.Concurrently
			if !d.IfExists && (d.Kind == sqlparse.ObjTable || d.Kind == sqlparse.ObjIndex) {
				what = fmt.Sprintf("DROP %s without IF EXISTS", map[sqlparse.ObjectKind]string{sqlparse.ObjTable: "TABLE", sqlparse.ObjIndex: "INDEX"}[d.Kind])
			}
		case *sqlparse.AlterTable:
			for _, cmd := range d.Cmds {
				switch {
				case cmd.Action == sqlparse.AlterAddColumn && !cmd.IfExists:
					what = "ADD COLUMN without IF NOT EXISTS"
				case cmd.Action == sqlparse.AlterDropColumn && !cmd.IfExists:
					what = "DROP COLUMN without IF EXISTS"
				}
			}
		}
		if what == "" || changes[st.Migration.File] < 2 && !concurrent {
			return
		}
		migrate.Report(pass, st, migrate.At(st, op.Offset()),
			what+": running this migration again after it stopped half-way fails here",
			"add IF NOT EXISTS / IF EXISTS, or run the migration in a transaction", nil)
	})
	return nil
}
