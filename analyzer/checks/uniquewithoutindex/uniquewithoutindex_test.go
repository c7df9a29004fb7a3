package uniquewithoutindex_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/uniquewithoutindex"
)

func TestUniqueWithoutIndex(t *testing.T) {
	checktest.RunMigration(t, "testdata", uniquewithoutindex.Check)
}
