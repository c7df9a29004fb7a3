package deletewithoutwhere_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/deletewithoutwhere"
)

func TestDeleteWithoutWhere(t *testing.T) {
	checktest.Run(t, "testdata", deletewithoutwhere.Check)
}
