package timestampwithouttz_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/timestampwithouttz"
)

func TestTimestampWithoutTimeZone(t *testing.T) {
	checktest.RunMigration(t, "testdata", timestampwithouttz.Check)
}
