package locktimeout_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/locktimeout"
)

func TestLockTimeout(t *testing.T) {
	checktest.RunMigration(t, "testdata", locktimeout.Check)
}
