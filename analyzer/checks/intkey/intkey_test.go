package intkey_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/intkey"
)

func TestIntKey(t *testing.T) {
	checktest.RunMigration(t, "testdata", intkey.Check)
}
