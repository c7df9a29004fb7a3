package plantempblocks

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "sort_spill.txt", Want: []string{`^the query wrote [0-9,]+ temporary blocks \([0-9.]+ MB\) to disk, [0-9,]+ of them by Sort \| raise work_mem`}},
		{File: "hash_spill.json", Want: []string{`temporary blocks .* by Hash Join`}},
		{File: "hashagg_spill.txt", Want: []string{`by HashAggregate`}},
		{File: "seqscan_filter.txt"},
		{File: "parallel.txt"},
	})
}
