package offsetpagination_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/offsetpagination"
)

func TestOffsetPagination(t *testing.T) {
	checktest.Run(t, "testdata", offsetpagination.Check)
}
