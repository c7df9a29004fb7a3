package unusedignore_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/indexconcurrently"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/unusedignore"
)

func TestUnusedIgnore(t *testing.T) {
	checktest.RunMigration(t, "testdata", unusedignore.Check)
}

// TestWithOtherCheck runs unused-ignore with a check that reports: the
// finding a directive covers is gone, a used directive is silent, and
// a directive on a statement without that finding is reported.
func TestWithOtherCheck(t *testing.T) {
	checktest.RunMigrationChecks(t, "testdata/combined", unusedignore.Check, indexconcurrently.Check)
}
