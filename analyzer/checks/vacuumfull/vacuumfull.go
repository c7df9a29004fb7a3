// Package vacuumfull reports VACUUM FULL and CLUSTER in migrations.
package vacuumfull

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
)

// Check is the vacuum-full check.
var Check = &check.Check{
	Name: "vacuum-full",
	Doc: `VACUUM FULL or CLUSTER in a migration.

Finds VACUUM FULL (also VACUUM (FULL)) and CLUSTER statements in
migrations.

Why it matters: both rewrite the whole table and rebuild its indexes
under an ACCESS EXCLUSIVE lock: no reads and no writes until the copy is
done, and twice the table's disk space meanwhile.

How to fix: leave space reclamation out of migrations; plain VACUUM
(no blocking lock) reclaims space for reuse, and pg_repack or
pg_squeeze rewrite a table online when it must shrink.

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, st := range migrate.Statements(pass) {
		if st.Model == nil {
			continue
		}
		switch st.Model.Tag {
		case "VACUUM":
			if i := sqltext.Find(st.Text, 0, "FULL"); i >= 0 {
				migrate.Report(pass, st, migrate.At(st, 0), "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes",
					"use plain VACUUM, or pg_repack to shrink a table online", nil)
			}
		case "CLUSTER":
			migrate.Report(pass, st, migrate.At(st, 0), "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes",
				"use pg_repack --order-by to reorder a table online", nil)
		}
	}
	return nil
}
