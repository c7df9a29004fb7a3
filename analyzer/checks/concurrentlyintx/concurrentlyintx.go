// Package concurrentlyintx reports CONCURRENTLY statements that run
// inside a transaction block, where PostgreSQL refuses them.
package concurrentlyintx

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
)

// Check is the concurrently-in-transaction check.
var Check = &check.Check{
	Name: "concurrently-in-transaction",
	Doc: `CONCURRENTLY inside a transaction block.

Finds CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX
CONCURRENTLY and ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY in a
migration that runs them inside a transaction block: after BEGIN in the
file, in a goose migration without -- +goose NO TRANSACTION, or in every
file when the migration tool wraps files in a transaction
(--in-transaction, or in_transaction: true in pgadvisor.yaml).

Why it matters: PostgreSQL refuses these statements in a transaction
block ("cannot run inside a transaction block"): the migration fails at
deploy time.

How to fix: run the statement in a migration of its own, outside a
transaction (goose: -- +goose NO TRANSACTION; Rails:
disable_ddl_transaction!; Flyway: a script holding only non-transactional
statements, or mixed = true).

Severity: error.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, st := range migrate.Statements(pass) {
		if !st.Migration.InTransaction || st.Model == nil {
			continue
		}
		switch st.Model.Tag {
		case "CREATE INDEX", "DROP INDEX", "REINDEX", "ALTER TABLE":
		default:
			continue
		}
		i := sqltext.Find(st.Text, 0, "CONCURRENTLY")
		if i < 0 {
			continue
		}
		migrate.Report(pass, st, st.PosAt(i), st.Model.Tag+" ... CONCURRENTLY cannot run inside a transaction block: this migration will fail",
			"run it in a migration of its own that the tool does not wrap in a transaction (no BEGIN; goose: -- +goose NO TRANSACTION)", nil)
	}
	return nil
}
