package volatiledefault_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/volatiledefault"
)

func TestVolatileDefault(t *testing.T) {
	checktest.RunMigration(t, "testdata", volatiledefault.Check)
}
