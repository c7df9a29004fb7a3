// Package planjit is the plan-jit check: JIT compilation that costs a
// large share of the execution time.
package planjit

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinShare is the share of the execution time spent in JIT.
	MinShare = 0.1
	// MinMS is the JIT time below which it is not worth a finding.
	MinMS = 10.0
)

// Check is the plan-jit check.
var Check = &check.Check{
	Name:     "plan-jit",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `JIT compilation takes a large share of the execution time.

In an EXPLAIN ANALYZE plan, the JIT block's Total time is at least 10 % of
the Execution Time and at least 10 ms. PostgreSQL decides to JIT-compile
from the plan's estimated cost (jit_above_cost, jit_inline_above_cost,
jit_optimize_above_cost); for short queries over many rows, or with
misestimated costs, compiling (inlining and optimization above all) takes
longer than it saves.

Fix: raise jit_above_cost (and the inline and optimize thresholds) so that
this query is not compiled, or turn JIT off for it (SET LOCAL jit = off).`,
	Run: run,
}

func run(pass *check.Pass) error {
	for _, p := range pass.Plans {
		j := p.JIT
		total := p.TotalTime()
		if j == nil || !j.HasTiming || total <= 0 || j.Total < MinMS || j.Total < MinShare*total {
			continue
		}
		plancheck.Report(pass, p, p.Root,
			fmt.Sprintf("raise jit_above_cost, jit_inline_above_cost and jit_optimize_above_cost above the plan's cost (%.0f), or SET LOCAL jit = off for this query", p.Root.TotalCost), nil,
			"JIT compilation of %d functions took %s, %.0f %% of the %s execution (inlining %s, optimization %s, emission %s)",
			j.Functions, explain.FormatMS(j.Total), 100*j.Total/total, explain.FormatMS(total),
			explain.FormatMS(j.InliningTime), explain.FormatMS(j.OptimizationTime), explain.FormatMS(j.Emission))
	}
	return nil
}
