// Package planlossybitmap is the plan-lossy-bitmap check: bitmap heap
// scans whose bitmap did not fit in work_mem.
package planlossybitmap

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Check is the plan-lossy-bitmap check.
var Check = &check.Check{
	Name:     "plan-lossy-bitmap",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Lossy bitmap heap scan: work_mem too small for the bitmap.

In an EXPLAIN ANALYZE plan, a Bitmap Heap Scan reports lossy heap blocks
(Heap Blocks: lossy=N). When the bitmap of matching rows outgrows
work_mem, PostgreSQL keeps only whole pages for part of it and must
recheck every row of those pages against the condition (Rows Removed by
Index Recheck).

Fix: raise work_mem for the query (SET LOCAL work_mem) until the lossy
blocks disappear; about 1 MB holds the bitmap of some 30,000 pages exactly.
The help estimates it from the pages scanned.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		if n.Type != "Bitmap Heap Scan" || n.LossyHeapBlocks == 0 {
			return
		}
		pages := n.ExactHeapBlocks + n.LossyHeapBlocks
		mb := max(1, (pages+29999)/30000*2)
		plancheck.Report(pass, p, n,
			fmt.Sprintf("raise work_mem for this query (SET LOCAL work_mem = '%dMB') so the bitmap stays exact", mb), nil,
			"%s lost precision on %s of %s heap blocks and rechecked %s rows",
			n.Label(), explain.FormatCount(float64(n.LossyHeapBlocks)), explain.FormatCount(float64(pages)),
			explain.FormatCount(n.RowsRemovedByIndexRecheck*max(n.ActualLoops, 1)))
	})
	return nil
}
