package workloadregression_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/workloadregression"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestWorkloadRegression plans the workload on a real PostgreSQL before
// and after each migration: dropping the index of a query is caught and
// named; replacing it with one that serves the query first is not.
func TestWorkloadRegression(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", workloadregression.Check)
}
