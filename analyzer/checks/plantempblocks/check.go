// Package plantempblocks is the plan-temp-blocks check: a query that
// wrote temporary files.
package plantempblocks

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// MinBlocks is the number of temporary blocks written (8 kB each: 1 MB)
// below which temporary files are not worth a finding.
const MinBlocks = 128

// Check is the plan-temp-blocks check.
var Check = &check.Check{
	Name:     "plan-temp-blocks",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Query wrote temporary files.

In an EXPLAIN ANALYZE (BUFFERS) plan, the query wrote at least 128
temporary blocks (1 MB): Buffers: temp written=N. Sorts, hashes,
materializations and CTEs that do not fit in work_mem write to temporary
files, which costs disk I/O and time (see plan-spill for the node and the
work_mem that fits). The finding points at the node that wrote the most.

Fix: raise work_mem for the query, or reduce the rows and columns sorted
or hashed; log_temp_files shows how often this happens in production.`,
	Run: run,
}

func run(pass *check.Pass) error {
	for _, p := range pass.Plans {
		total := p.Root.Buffers.TempWritten
		var top *explain.Node
		most := int64(0)
		explain.Walk(p.Root, func(n, _ *explain.Node) bool {
			own := n.Buffers.TempWritten
			for _, c := range n.Children {
				own -= c.Buffers.TempWritten
			}
			if own > most {
				top, most = n, own
			}
			return true
		})
		total = max(total, most)
		if total < MinBlocks || top == nil {
			continue
		}
		plancheck.Report(pass, p, top,
			"raise work_mem for this query (SET LOCAL work_mem) or sort and hash fewer rows; see plan-spill for the size that fits", nil,
			"the query wrote %s temporary blocks (%s) to disk, %s of them by %s",
			explain.FormatCount(float64(total)), explain.FormatKB(total*8), explain.FormatCount(float64(most)), top.Label())
	}
	return nil
}
