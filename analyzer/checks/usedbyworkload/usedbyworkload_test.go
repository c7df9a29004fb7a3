package usedbyworkload_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/usedbyworkload"
)

func TestUsedByWorkload(t *testing.T) {
	checktest.RunMigration(t, "testdata", usedbyworkload.Check)
}
