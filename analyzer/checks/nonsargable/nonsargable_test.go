package nonsargable_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/nonsargable"
)

func TestNonSargable(t *testing.T) {
	t.Run("with schema", func(t *testing.T) { checktest.Run(t, "testdata/schema", nonsargable.Check) })
	t.Run("without schema", func(t *testing.T) { checktest.Run(t, "testdata/noschema", nonsargable.Check) })
}
