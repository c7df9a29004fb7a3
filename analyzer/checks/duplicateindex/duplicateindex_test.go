package duplicateindex_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/duplicateindex"
)

func TestDuplicateIndex(t *testing.T) {
	checktest.RunSchema(t, "testdata", duplicateindex.Check)
}
