package tracedlock_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/tracedlock"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestTracedLock(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", tracedlock.Check)
}
