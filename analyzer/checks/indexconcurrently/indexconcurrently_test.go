package indexconcurrently_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/indexconcurrently"
)

func TestIndexWithoutConcurrently(t *testing.T) {
	checktest.RunMigration(t, "testdata", indexconcurrently.Check)
}
