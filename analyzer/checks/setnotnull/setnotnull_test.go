package setnotnull_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/setnotnull"
)

func TestSetNotNull(t *testing.T) {
	checktest.RunMigration(t, "testdata", setnotnull.Check)
}
