package robuststatements_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/robuststatements"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestPreferRobustStatements(t *testing.T) {
	checktest.RunMigration(t, "testdata", robuststatements.Check)
}

// TestOnPostgres applies the same migrations to a real PostgreSQL.
func TestOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", robuststatements.Check)
}
