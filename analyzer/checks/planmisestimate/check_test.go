package planmisestimate

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "misestimate.txt", Want: []string{`Seq Scan on customers returned 100 rows per loop, 100× more than the 1 estimated .* CREATE STATISTICS stat_customers_city_country \(dependencies\) ON city, country FROM customers; ANALYZE customers;`}},
		{File: "misestimate.xml", Want: []string{`100× more .* CREATE STATISTICS`}},
		// The Nested Loop above inherits the scan's error: one finding.
		{File: "nested_loop.txt", Want: []string{`Seq Scan on customers c returned 100 rows`}},
		{File: "seqscan_filter.txt"},
		{File: "parallel.txt"},
		// EXPLAIN (ANALYZE, COSTS OFF): no estimate, so no misestimate.
		{File: "costs_off.txt"},
	})
}
