// Package indexconcurrently reports CREATE INDEX and DROP INDEX without
// CONCURRENTLY on tables that existed before the migration.
package indexconcurrently

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// Check is the index-without-concurrently check.
var Check = &check.Check{
	Name: "index-without-concurrently",
	Doc: `CREATE INDEX or DROP INDEX without CONCURRENTLY on an existing table.

Finds, in migrations, CREATE INDEX and DROP INDEX statements without
CONCURRENTLY on a table that existed before the migration (an index on a
table the same migration creates is harmless: the table is empty and no
one uses it yet).

Why it matters: CREATE INDEX takes a SHARE lock on the table for the
whole build, which blocks every INSERT, UPDATE and DELETE for as long as
reading the table and sorting takes: minutes on a large table. DROP
INDEX takes an ACCESS EXCLUSIVE lock, which blocks reads too, and while
it waits for running queries every new query queues behind it.

How to fix: CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY, in a
migration that does not run inside a transaction block (see
concurrently-in-transaction). A CONCURRENTLY build that fails leaves an
INVALID index to drop before retrying. On a partitioned table, which
refuses CONCURRENTLY, create the index ON ONLY the parent, build it
CONCURRENTLY on each partition and ALTER INDEX ... ATTACH PARTITION each.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migrate.Each(pass, func(st *check.Statement, op sqlparse.DDL) {
		switch d := op.(type) {
		case *sqlparse.CreateIndex:
			if d.Concurrently {
				return
			}
			t := migrate.Existing(st, d.Table)
			if !migrate.Lockable(t) {
				return
			}
			msg := fmt.Sprintf("CREATE INDEX on existing table %s without CONCURRENTLY blocks writes to it for the whole build", migrate.Name(t))
			if t.Kind == catalog.KindPartitioned {
				migrate.Report(pass, st, migrate.At(st, d.Pos), msg,
					"a partitioned table refuses CONCURRENTLY: CREATE INDEX ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX ... ATTACH PARTITION each one", nil)
				return
			}
			migrate.Report(pass, st, migrate.At(st, d.Pos), msg,
				"build it with CREATE INDEX CONCURRENTLY, outside a transaction block", fix(st, "INDEX"))
		case *sqlparse.Drop:
			if d.Kind != sqlparse.ObjIndex || d.Concurrently {
				return
			}
			for _, n := range d.Names {
				ix := st.Before.Index(n)
				var t *catalog.Table
				if ix == nil {
					// An index the schema does not know exists in the
					// database, on a table of its own.
					ix = &catalog.Index{Name: n.Name}
					t = &catalog.Table{Kind: catalog.KindTable}
				} else {
					t = st.Migration.Existing(st.Before.TableOf(ix))
				}
				if !migrate.Lockable(t) {
					continue
				}
				help := "drop it with DROP INDEX CONCURRENTLY, outside a transaction block (one index per statement, without CASCADE)"
				var f *check.Fix
				if len(d.Names) == 1 && !d.Cascade {
					f = fix(st, "INDEX")
				}
				on := "its table"
				if t.Name != "" {
					on = "existing table " + migrate.Name(t)
				}
				migrate.Report(pass, st, migrate.At(st, d.Pos),
					fmt.Sprintf("DROP INDEX %s without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on %s, blocking reads and writes", ix.Name, on),
					help, f)
			}
		}
	})
	return nil
}

// fix returns the statement with CONCURRENTLY after its first word
// (INDEX).
func fix(st *check.Statement, word string) *check.Fix {
	i := sqltext.Find(st.Text, 0, word)
	if i < 0 {
		return nil
	}
	i += len(word)
	return &check.Fix{SQL: strings.TrimSpace(st.Text[:i]+" CONCURRENTLY"+st.Text[i:]) + ";"}
}
