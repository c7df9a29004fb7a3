package tracedrewrite_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/tracedrewrite"
	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestTracedRewrite(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	checktest.RunTraced(t, "testdata", tracedrewrite.Check)
}
