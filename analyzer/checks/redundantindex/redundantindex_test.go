package redundantindex_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/redundantindex"
)

func TestRedundantIndex(t *testing.T) {
	checktest.RunSchema(t, "testdata", redundantindex.Check)
}
