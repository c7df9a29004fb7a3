package plannestedloop

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "nested_loop.txt", Want: []string{`@1 Nested Loop runs its inner Seq Scan on shipments s 100 times, reading 2,000,000 rows .* CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_customer_id_idx ON shipments \(customer_id\)$`}},
		{File: "nested_loop.json", Want: []string{`CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_customer_id_idx`}},
		// Hash join: no nested loop.
		{File: "hash_spill.txt"},
		{File: "seqscan_filter.txt"},
	})
}
