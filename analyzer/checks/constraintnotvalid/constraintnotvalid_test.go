package constraintnotvalid_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/constraintnotvalid"
)

func TestConstraintWithoutNotValid(t *testing.T) {
	checktest.RunMigration(t, "testdata", constraintnotvalid.Check)
}
