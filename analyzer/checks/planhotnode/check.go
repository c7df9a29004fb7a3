// Package planhotnode is the plan-hot-node check: the node where most of
// the time goes, the first place to look.
package planhotnode

import (
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinShare is the share of the execution time spent in the node
	// itself (exclusive time).
	MinShare = 0.5
	// MinMS is the execution time below which a plan is not worth it.
	MinMS = 10.0
)

// Help is the finding's help; the engine adds HelpOthers when other
// findings are about the same node, and only then.
const (
	Help       = "start here: most of the execution time is spent in this node"
	HelpOthers = "; the other findings on this node say what to change"
)

// Check is the plan-hot-node check.
var Check = &check.Check{
	Name:     "plan-hot-node",
	Severity: check.Info,
	Reads:    check.ReadsPlans,
	Doc: `The node that takes most of the time.

In an EXPLAIN ANALYZE plan of at least two nodes that ran for at least
10 ms, one node's exclusive time (its own time, without its children's,
loops and parallel workers accounted for) is at least half of the
execution time. It is the first place to look: the other findings on that
node, if any, say what to change.`,
	Run: run,
}

func run(pass *check.Pass) error {
	for _, p := range pass.Plans {
		total := p.TotalTime()
		if !p.Analyzed() || !p.Root.Timed || total < MinMS || len(p.Root.Children) == 0 {
			continue
		}
		var hot *explain.Node
		explain.Walk(p.Root, func(n, _ *explain.Node) bool {
			if hot == nil || n.Exclusive > hot.Exclusive {
				hot = n
			}
			return true
		})
		if hot.Exclusive < MinShare*total {
			continue
		}
		plancheck.Report(pass, p, hot, Help, nil,
			"%s takes %.0f %% of the execution time (%s of %s)", hot.Label(), 100*hot.Exclusive/total,
			explain.FormatMS(hot.Exclusive), explain.FormatMS(total))
	}
	return nil
}
