// Package setnotnull reports SET NOT NULL on existing tables that no
// validated CHECK (column IS NOT NULL) constraint backs.
package setnotnull

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the set-not-null check.
var Check = &check.Check{
	Name: "set-not-null",
	Doc: `ALTER COLUMN ... SET NOT NULL on an existing table.

Finds ALTER TABLE ... ALTER COLUMN ... SET NOT NULL on a table that
existed before the migration, unless a validated CHECK (column IS NOT
NULL) constraint already proves the column has no NULL.

Why it matters: SET NOT NULL scans the whole table to prove there is no
NULL while holding an ACCESS EXCLUSIVE lock, blocking every read and
write for the duration of the scan.

How to fix: ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID,
VALIDATE CONSTRAINT in a later transaction (no blocking lock), then SET
NOT NULL, which PostgreSQL 12 and later prove from the constraint without
a scan; the CHECK constraint can be dropped after.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	// unvalidated holds "table.constraint" of CHECK constraints added NOT
	// VALID and not validated yet, in migration order.
	unvalidated := map[string]bool{}
	migrate.Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		d, ok := op.(*sqlparse.AlterTable)
		if !ok || d.Kind != sqlparse.ObjTable {
			return
		}
		t := migrate.Existing(st, d.Table)
		cur := st.Before.Table(d.Table)
		if cur == nil {
			cur = t // unknown to the schema: nothing proves its columns
		}
		for _, cmd := range d.Cmds {
			switch cmd.Action {
			case sqlparse.AlterAddConstraint:
				if c := cmd.Constraint; c != nil && c.Type == sqlparse.ConstrCheck && c.NotValid && c.Name != "" {
					unvalidated[cur.Key()+"."+c.Name] = true
				}
			case sqlparse.AlterValidate:
				delete(unvalidated, cur.Key()+"."+cmd.Name)
			case sqlparse.AlterSetNotNull:
				if !migrate.Lockable(t) || proven(cur, cmd.Name, unvalidated) {
					continue
				}
				migrate.Report(pass, st, migrate.Find(st, 0, "SET NOT NULL"),
					fmt.Sprintf("SET NOT NULL on %s.%s scans existing table %s under an ACCESS EXCLUSIVE lock", migrate.Name(t), cmd.Name, migrate.Name(t)),
					fmt.Sprintf("first ADD CONSTRAINT %s_not_null CHECK (%s IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a separate transaction, then SET NOT NULL (PostgreSQL 12+ skips the scan)", cmd.Name, sqlparse.QuoteIdent(cmd.Name)), nil)
			}
		}
	})
	return nil
}

// proven reports whether a validated CHECK constraint of t says column
// is not NULL.
func proven(t *catalog.Table, column string, unvalidated map[string]bool) bool {
	want := strings.ToLower(sqlparse.QuoteIdent(column) + " IS NOT NULL")
	for _, c := range t.Checks {
		e := strings.ToLower(strings.Trim(c.Expr, "()"))
		if e == want && !unvalidated[t.Key()+"."+c.Name] {
			return true
		}
	}
	return false
}
