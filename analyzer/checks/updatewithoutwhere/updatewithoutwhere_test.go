package updatewithoutwhere_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/updatewithoutwhere"
)

func TestUpdateWithoutWhere(t *testing.T) {
	checktest.Run(t, "testdata", updatewithoutwhere.Check)
}
