// Package planplanningtime is the plan-planning-time check: a query that
// takes longer to plan than to run.
package planplanningtime

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// MinMS is the planning time below which planning is never worth a
// finding.
const MinMS = 5.0

// Check is the plan-planning-time check.
var Check = &check.Check{
	Name:     "plan-planning-time",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Planning takes longer than execution.

In an EXPLAIN ANALYZE plan, the Planning Time exceeds the Execution Time
and is at least 5 ms. Typical causes: many partitions that pruning cannot
eliminate at plan time, many joined tables (join_collapse_limit,
geqo_threshold), or large IN lists.

Fix: use prepared statements so the plan is reused (a generic plan skips
planning), let partition pruning work (filter on the partition key with
plain values), or reduce the number of partitions or joins.`,
	Run: run,
}

func run(pass *check.Pass) error {
	for _, p := range pass.Plans {
		if !p.HasPlanningTime || !p.HasExecutionTime || p.PlanningTime < MinMS || p.PlanningTime <= p.ExecutionTime {
			continue
		}
		plancheck.Report(pass, p, p.Root,
			"prepare the statement so its plan is reused, make partition pruning possible (filter on the partition key), or join fewer relations", nil,
			"planning took %s, longer than the %s execution (%d nodes in the plan)",
			explain.FormatMS(p.PlanningTime), explain.FormatMS(p.ExecutionTime), len(p.Nodes()))
	}
	return nil
}
