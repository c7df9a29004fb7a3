package planhotnode

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "nested_loop.txt", Want: []string{`^Nested Loop takes [0-9]+ % of the execution time \([0-9.,]+ ms of [0-9.,]+ ms\)`}},
		// A single node: nothing to compare with.
		{File: "seqscan_filter.txt"},
		// Under 10 ms.
		{File: "pk_lookup.txt"},
	})
}
