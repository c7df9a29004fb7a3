// Package planworkers is the plan-workers check: parallel workers planned
// but not launched.
package planworkers

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Check is the plan-workers check.
var Check = &check.Check{
	Name:     "plan-workers",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Parallel workers planned but not launched.

In an EXPLAIN ANALYZE plan, a Gather or Gather Merge launched fewer
workers than planned (Workers Launched < Workers Planned). The plan was
costed for parallel execution but ran with fewer processes, often only the
leader: every background worker slot was taken when the query started.

Fix: raise max_parallel_workers and max_worker_processes (a restart is
needed for the latter), or lower max_parallel_workers_per_gather so that
concurrent queries share the slots.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		if n.Type != "Gather" && n.Type != "Gather Merge" || !n.Analyzed || n.WorkersLaunched >= n.WorkersPlanned {
			return
		}
		plancheck.Report(pass, p, n,
			"no background worker slot was free: raise max_parallel_workers (and max_worker_processes, which needs a restart), or lower max_parallel_workers_per_gather", nil,
			"%s planned %d parallel workers but launched %d", n.Label(), n.WorkersPlanned, n.WorkersLaunched)
	})
	return nil
}
