package notinsubquery_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/notinsubquery"
)

func TestNotInSubquery(t *testing.T) {
	t.Run("without schema", func(t *testing.T) { checktest.Run(t, "testdata/noschema", notinsubquery.Check) })
	t.Run("with schema", func(t *testing.T) { checktest.Run(t, "testdata/schema", notinsubquery.Check) })
}
