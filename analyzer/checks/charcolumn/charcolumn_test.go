package charcolumn_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/charcolumn"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
)

func TestCharColumn(t *testing.T) {
	checktest.RunMigration(t, "testdata", charcolumn.Check)
}
