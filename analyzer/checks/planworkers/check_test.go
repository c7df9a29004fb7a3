package planworkers

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "workers_not_launched.txt", Want: []string{`^Gather planned 2 parallel workers but launched 0 \| .*max_parallel_workers`}},
		{File: "workers_not_launched.json", Want: []string{`launched 0`}},
		{File: "parallel.txt"},
		{File: "seqscan_filter.txt"},
	})
}
