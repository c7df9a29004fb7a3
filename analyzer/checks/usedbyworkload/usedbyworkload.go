// Package usedbyworkload reports migrations that drop or rename a table
// or column that queries of the workload still use.
package usedbyworkload

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the used-by-workload check.
var Check = &check.Check{
	Name: "used-by-workload",
	Doc: `Dropped or renamed table or column that the workload still uses.

Finds DROP TABLE, ALTER TABLE ... DROP COLUMN and ALTER TABLE ... RENAME
(of the table or of a column) when a query of the workload (--workload,
or pg_stat_statements with --db) reads or writes that table or column.
Reported at the migration statement, naming the query and where it was
seen. Silent without a workload.

Why it matters: the application still runs those queries. Once the
migration runs they fail ("relation does not exist", "column does not
exist") until the new code is deployed everywhere, and old instances
still serving traffic during a rolling deploy keep failing.

How to fix: deploy the code that stops using the table or column first;
drop it in a later migration. For a rename, add the new name (a new
column kept in sync, or a view for a table), move the code to it, then
drop the old name.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	workload := migrate.Workload(pass)
	if len(workload) == 0 {
		return nil
	}
	migrate.Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		switch d := op.(type) {
		case *sqlparse.Drop:
			if d.Kind != sqlparse.ObjTable && d.Kind != sqlparse.ObjView && d.Kind != sqlparse.ObjMatView {
				return
			}
			for _, n := range d.Names {
				if t := migrate.Existing(st, n); t != nil {
					report(pass, st, workload, t, "", "dropping")
				}
			}
		case *sqlparse.Rename:
			t := migrate.Existing(st, d.Table)
			if t == nil {
				return
			}
			switch d.Kind {
			case sqlparse.ObjTable, sqlparse.ObjView, sqlparse.ObjMatView:
				report(pass, st, workload, t, "", "renaming")
			case sqlparse.ObjColumn:
				report(pass, st, workload, t, d.Old, "renaming")
			}
		case *sqlparse.AlterTable:
			t := migrate.Existing(st, d.Table)
			if t == nil {
				return
			}
			for _, cmd := range d.Cmds {
				if cmd.Action == sqlparse.AlterDropColumn {
					report(pass, st, workload, t, cmd.Name, "dropping")
				}
			}
		}
	})
	return nil
}

// report reports the first workload query that uses table t (or its
// column, when column is not ""), and how many others do.
func report(pass *check.Pass, st *check.Statement, workload []*check.Statement, t *catalog.Table, column, verb string) {
	var users []*check.Statement
	for _, q := range workload {
		if uses(st.Before, q, t, column) {
			users = append(users, q)
		}
	}
	if len(users) == 0 {
		return
	}
	what := "table " + migrate.Name(t)
	if column != "" {
		what = "column " + migrate.Name(t) + "." + column
	}
	q := users[0]
	more := ""
	if len(users) > 1 {
		more = fmt.Sprintf(" (and %d other queries)", len(users)-1)
	}
	migrate.Report(pass, st, migrate.At(st, 0),
		fmt.Sprintf("%s %s breaks the workload query at %s: %s%s", verb, what, where(q.Pos), oneLine(q.Text, 80), more),
		"deploy code that no longer uses it first, and "+map[string]string{"dropping": "drop", "renaming": "rename"}[verb]+" it in a later migration", nil)
}

// uses reports whether the workload query q reads or writes table t (or
// its column), resolving q's names in cat.
func uses(cat *catalog.Catalog, q *check.Statement, t *catalog.Table, column string) bool {
	for _, a := range q.Accesses {
		if !same(cat, a.Table, t) {
			continue
		}
		if column == "" || slices.Contains(a.Columns, column) {
			return true
		}
	}
	if m := q.Query(); m != nil && m.Target != nil && column != "" {
		if same(cat, *m.Target, t) {
			if slices.Contains(m.InsertColumns, column) {
				return true
			}
			for _, s := range m.Set {
				if s.Column == column {
					return true
				}
			}
		}
	}
	return false
}

// where names a query's place: file and line (a pg_stat_statements
// entry has no line).
func where(p check.Position) string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// same reports whether a query's table name n is table t: resolved in
// cat, or, for a name cat does not know (no schema), by name.
func same(cat *catalog.Catalog, n query.TableName, t *catalog.Table) bool {
	if at := cat.Table(n); at != nil {
		return at.Key() == t.Key()
	}
	return n.Name == t.Name && (n.Schema == "" || n.Schema == t.Schema)
}

// oneLine collapses white space and shortens a query for a message.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
