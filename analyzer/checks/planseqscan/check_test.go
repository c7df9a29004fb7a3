package planseqscan

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "seqscan_filter.txt", Want: []string{`@1 Seq Scan on orders reads 600,000 rows .* removes 599,994 .* CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders \(customer_id\)$`}},
		{File: "seqscan_filter.json", Want: []string{`CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders \(customer_id\)$`}},
		{File: "misestimate.txt", Want: []string{`@1 Seq Scan on customers .* CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_city_country_idx ON customers \(city, country\)$`}},
		// Most rows pass the filter: an index would not help.
		{File: "seqscan_unselective.txt"},
		// Index scans are the other checks' business.
		{File: "pk_lookup.txt"},
		// Small tables: 200 rows per partition.
		{File: "planning_heavy.txt"},
	})
}
