package implicitcrossjoin_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/implicitcrossjoin"
)

func TestImplicitCrossJoin(t *testing.T) {
	checktest.Run(t, "testdata", implicitcrossjoin.Check)
}
