// Package planspill is the plan-spill check: sorts, hashes and hash
// aggregates that did not fit in work_mem and spilled to disk.
package planspill

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Check is the plan-spill check.
var Check = &check.Check{
	Name:     "plan-spill",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Sort or hash spilled to disk: work_mem too small.

In an EXPLAIN ANALYZE plan: a Sort whose method is "external merge" or
"external sort" (Disk: N kB), a Hash with more than one batch (Batches: N),
or a HashAggregate with more than one batch (Disk Usage). The node wrote
its data to temporary files and read it back, which is much slower than
memory.

The help gives the work_mem that would fit, rounded up to a power of two:
for a sort, twice the disk space it used (an in-memory sort needs more
room than its compact on-disk runs); for a hash, its peak memory per
batch times its batches; for a hash aggregate, its peak memory plus its
disk use (hash_mem_multiplier also scales hashes). Set it for the query
(SET LOCAL work_mem) rather than globally: every sort and hash of every
connection may use that much.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		var what string
		var need int64
		switch {
		case n.SortSpaceType == "Disk" || n.SortMethod == "external merge" || n.SortMethod == "external sort":
			what = fmt.Sprintf("sorted on disk (%s, %s)", n.SortMethod, explain.FormatKB(n.SortSpaceUsed))
			need = 2 * n.SortSpaceUsed
		case n.Type == "Hash" && n.HashBatches > 1:
			what = fmt.Sprintf("split its hash table into %d batches on disk (%s of memory per batch)", n.HashBatches, explain.FormatKB(n.PeakMemoryUsage))
			need = n.PeakMemoryUsage * n.HashBatches
		case n.HashAggBatches > 1 || n.DiskUsage > 0:
			what = fmt.Sprintf("spilled to disk in %d batches (%s on disk)", n.HashAggBatches, explain.FormatKB(n.DiskUsage))
			need = n.PeakMemoryUsage + n.DiskUsage
		default:
			for _, w := range n.Workers {
				if w.SortSpaceType == "Disk" {
					what = fmt.Sprintf("sorted on disk in worker %d (%s, %s)", w.Number, w.SortMethod, explain.FormatKB(w.SortSpaceUsed))
					need = 2 * w.SortSpaceUsed
					break
				}
			}
			if what == "" {
				return
			}
		}
		mem := fitWorkMem(need)
		plancheck.Report(pass, p, n,
			fmt.Sprintf("raise work_mem for this query to about %s (SET LOCAL work_mem = '%s'), or sort/hash fewer rows or narrower rows", mem, mem), nil,
			"%s %s", n.Label(), what)
	})
	return nil
}

// fitWorkMem rounds kB up to a power of two, as a work_mem setting.
func fitWorkMem(kb int64) string {
	v := int64(1024)
	for v < kb {
		v *= 2
	}
	if v >= 1024*1024 {
		return fmt.Sprintf("%dGB", v/1024/1024)
	}
	return fmt.Sprintf("%dMB", v/1024)
}
