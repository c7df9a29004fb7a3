package planplanningtime

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "planning_heavy.txt", Want: []string{`^planning took [0-9.]+ ms, longer than the [0-9.]+ ms execution \(201 nodes in the plan\)`}},
		// Planning is longer than execution but below 5 ms: noise.
		{File: "pk_lookup.txt"},
		{File: "seqscan_filter.txt"},
	})
}
