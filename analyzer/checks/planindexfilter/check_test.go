package planindexfilter

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "index_filter.txt", Want: []string{`^Index Scan using orders_created_at_idx on orders fetches 5,753 rows and its filter \(status = 'refunded'::text\) removes 4,931 .* CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders \(status, created_at\)$`}},
		{File: "bitmap_filter.txt", Want: []string{`^Bitmap Heap Scan on orders .* CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders \(status, created_at\)$`}},
		// The InitPlan's backward index scan removes rows to find a max.
		{File: "initplan.txt", Want: []string{`^Index Scan Backward using orders_pkey on orders orders_1 .* CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_id_idx ON orders \(customer_id, id\)$`}},
		{File: "pk_lookup.txt"},
		{File: "heap_fetches.txt"},
	})
}
