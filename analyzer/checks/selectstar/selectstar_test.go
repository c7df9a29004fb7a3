package selectstar_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/selectstar"
)

func TestSelectStar(t *testing.T) {
	for _, f := range checktest.Run(t, "testdata", selectstar.Check) {
		if f.Severity != check.Info {
			t.Errorf("%s: severity %v, want info", f.Pos, f.Severity)
		}
	}
}
