// Package tracedlock reports the ACCESS EXCLUSIVE locks a traced
// migration took on tables that hold rows.
package tracedlock

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the traced-lock check.
var Check = &check.Check{
	Name: "traced-lock",
	Doc: `ACCESS EXCLUSIVE lock on a table with rows, seen applying the migration.

With --trace, pgadvisor check applies the migrations to a throwaway
PostgreSQL (the sandbox, loaded with --schema and --data) or to the
scratch database of --trace-db, and reads from a second session the locks
each statement holds while its transaction is open. This check reports
every ACCESS EXCLUSIVE lock taken on a table that existed before the
migrations and holds rows, with how long it was held: from the
statement's start to the end of its transaction.

Why it matters: ACCESS EXCLUSIVE blocks every query on the table,
SELECT included, for as long as it is held, and queues every later
query behind it while it waits to be granted. With production's data
the duration grows with the table.

How to fix: keep the statement's transaction short (nothing slow after
it in the same transaction), set lock_timeout, and use the non-blocking
forms the static checks propose (CONCURRENTLY, NOT VALID, USING INDEX).

Severity: warning. Silent without --trace.`,
	Severity: check.Warning,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, st := range migrate.Statements(pass) {
		if st.Trace == nil {
			continue
		}
		for _, l := range st.Trace.Locks {
			if l.Mode != "AccessExclusiveLock" || l.Rows < 1 {
				continue
			}
			tag := "the statement"
			if st.Model != nil {
				tag = st.Model.Tag
			}
			migrate.Report(pass, st, migrate.At(st, 0),
				fmt.Sprintf("%s held an ACCESS EXCLUSIVE lock on %s (%.0f rows) for %.1f ms: every query on the table waited", tag, ddl.Name(l.Table), l.Rows, l.HeldMS),
				"keep the transaction short and set lock_timeout; prefer the forms that take weaker locks", nil)
		}
	}
	return nil
}
