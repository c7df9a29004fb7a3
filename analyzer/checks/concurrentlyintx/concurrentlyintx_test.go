package concurrentlyintx_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/concurrentlyintx"
)

func TestConcurrentlyInTransaction(t *testing.T) {
	checktest.RunMigration(t, "testdata", concurrentlyintx.Check)
}
