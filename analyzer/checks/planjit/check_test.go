package planjit

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "jit.txt", Want: []string{`^JIT compilation of 9 functions took [0-9]+ ms, [0-9]+ % of the [0-9]+ ms execution .* \| raise jit_above_cost`}},
		{File: "jit.yaml", Want: []string{`^JIT compilation of 9 functions`}},
		{File: "seqscan_filter.txt"},
	})
}
