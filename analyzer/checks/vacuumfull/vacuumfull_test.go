package vacuumfull_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/vacuumfull"
)

func TestVacuumFull(t *testing.T) {
	checktest.RunMigration(t, "testdata", vacuumfull.Check)
}
