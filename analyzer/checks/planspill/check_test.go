package planspill

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "sort_spill.txt", Want: []string{`^Sort sorted on disk \(external merge, [0-9.]+ MB\) \| raise work_mem for this query to about 256MB`}},
		{File: "hash_spill.txt", Want: []string{`^Hash split its hash table into 4 batches .* about 8MB`}},
		{File: "hashagg_spill.yaml", Want: []string{`^HashAggregate spilled to disk in 81 batches`}},
		{File: "parallel_sort.txt", Want: []string{`^Sort sorted on disk`}},
		{File: "sort_memory.txt"},
		{File: "parallel.txt"},
	})
}

func TestFitWorkMem(t *testing.T) {
	for kb, want := range map[int64]string{1: "1MB", 1025: "2MB", 65664 * 2: "256MB", 3 << 20: "4GB"} {
		if got := fitWorkMem(kb); got != want {
			t.Errorf("fitWorkMem(%d) = %s, want %s", kb, got, want)
		}
	}
}
