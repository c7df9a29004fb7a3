package charcolumn_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/charcolumn"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestCharColumn(t *testing.T) {
	checktest.RunMigration(t, "testdata", charcolumn.Check)
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestOnPostgres applies the same migrations to a real PostgreSQL: the
// examples are SQL it accepts, the safe rewrites work, and the findings
// are the same with the statements traced.
func TestOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", charcolumn.Check)
}
