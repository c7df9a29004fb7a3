// Package tracedrewrite reports the tables a traced migration rewrote.
package tracedrewrite

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the traced-rewrite check.
var Check = &check.Check{
	Name: "traced-rewrite",
	Doc: `Table rewritten by a migration statement, seen applying it.

With --trace, pgadvisor check compares each pre-existing table's
pg_class.relfilenode before and after every statement: a new file means
PostgreSQL copied every row (ALTER COLUMN TYPE, a volatile default,
VACUUM FULL, CLUSTER, SET TABLESPACE, ...). This check reports each
rewrite of a table that holds rows, with the statement's duration.

Why it matters: a rewrite holds an ACCESS EXCLUSIVE lock while it copies
the table and rebuilds its indexes, needs room for a second copy on
disk, and its duration grows with the table: seconds in the sandbox can
be an outage in production.

How to fix: see alter-column-type and volatile-default for the
rewrite-free forms; pg_repack for VACUUM FULL and CLUSTER.

Severity: error. Silent without --trace.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, st := range migrate.Statements(pass) {
		if st.Trace == nil {
			continue
		}
		for _, name := range st.Trace.Rewritten {
			rows := 0.0
			for _, l := range st.Trace.Locks {
				if l.Table == name {
					rows = l.Rows
				}
			}
			if rows < 1 {
				continue
			}
			migrate.Report(pass, st, migrate.At(st, 0),
				fmt.Sprintf("the statement rewrote table %s (%.0f rows) in %.1f ms", ddl.Name(name), rows, st.Trace.DurationMS),
				"use a form that does not rewrite the table (see alter-column-type, volatile-default)", nil)
		}
	}
	return nil
}
