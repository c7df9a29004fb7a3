// Package planheapfetches is the plan-heap-fetches check: index-only
// scans that visit the table anyway.
package planheapfetches

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinFetches is the number of heap fetches (over all loops).
	MinFetches = 1000
	// MinShare is the share of the returned rows that needed one.
	MinShare = 0.1
)

// Check is the plan-heap-fetches check.
var Check = &check.Check{
	Name:     "plan-heap-fetches",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Index-only scan fetching rows from the table.

In an EXPLAIN ANALYZE plan, an Index Only Scan made at least 1,000 Heap
Fetches, for at least 10 % of the rows it returned. An index-only scan
skips the table only for pages the visibility map marks all-visible;
pages changed since the last VACUUM must be read. Many heap fetches make
it no faster than an index scan.

Fix: VACUUM the table (VACUUM (ANALYZE) table), and tune autovacuum so it
runs often enough on it (autovacuum_vacuum_scale_factor,
autovacuum_vacuum_insert_scale_factor for append-only tables).`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		if n.Type != "Index Only Scan" || !n.Analyzed {
			return
		}
		loops := max(n.ActualLoops, 1)
		fetches, rows := n.HeapFetches*loops, n.ActualRows*loops
		if fetches < MinFetches || fetches < MinShare*rows {
			return
		}
		table := n.Relation()
		plancheck.Report(pass, p, n,
			fmt.Sprintf("run VACUUM (ANALYZE) %s so the visibility map covers its pages, and make autovacuum visit it more often", table), nil,
			"%s made %s heap fetches for %s rows: the visibility map is out of date", n.Label(), explain.FormatCount(fetches), explain.FormatCount(rows))
	})
	return nil
}
