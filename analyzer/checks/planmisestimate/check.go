// Package planmisestimate is the plan-misestimate check: a plan node whose
// actual row count is far from the planner's estimate, and its likely
// cause.
package planmisestimate

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinFactor is how many times actual and estimated rows must differ.
	MinFactor = 10
	// MinRows is the smallest larger-of-the-two row count considered:
	// 3 rows instead of 30 rarely changes a plan.
	MinRows = 100
)

// Check is the plan-misestimate check.
var Check = &check.Check{
	Name:     "plan-misestimate",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Row estimate off by 10× or more.

In an EXPLAIN ANALYZE plan, a node returned at least 10 times more or 10
times fewer rows (per loop) than the planner estimated, and the larger of
the two is at least 100 rows. The planner chooses join methods, join order
and memory from these estimates: a large error leads to nested loops over
thousands of rows, hash tables that spill, or indexes not used.

Only the node where the error starts is reported (not the nodes above it,
which inherit it), and scans under a LIMIT that stopped early are not.
The likely cause is named:
  - conditions on several columns of one table whose values are
    correlated (city and country): the planner multiplies their
    selectivities. Fix: CREATE STATISTICS ... (dependencies) ON the
    columns, then ANALYZE (an mcv list helps only with a statistics
    target above the number of value combinations).
  - a function or cast applied to a column (lower(email), created_at::date):
    the planner has no statistics for the expression. Fix: an expression
    index or CREATE STATISTICS on the expression (PostgreSQL 14+).
  - otherwise, stale or too coarse statistics. Fix: ANALYZE the table;
    if the estimate stays off, raise the filtered columns' statistics
    target (ALTER TABLE ... ALTER COLUMN ... SET STATISTICS 1000).`,
	Run: run,
}

var (
	reColumn = regexp.MustCompile(`\(?([a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)\)? (?:=|<>|<|<=|>|>=|~~|IS)\s`)
	reFunc   = regexp.MustCompile(`[a-z_]+\([a-z_][a-z0-9_.]*\)|\)::(date|text|int|integer|bigint)\b`)
)

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, parent *explain.Node) {
		f := explain.Misestimate(n)
		if f < MinFactor || math.Max(n.PlanRows, n.ActualRows) < MinRows {
			return
		}
		for _, c := range n.Children {
			if explain.Misestimate(c) >= MinFactor && c.ParentRelationship != "InitPlan" && c.ParentRelationship != "SubPlan" {
				return // inherited from a child
			}
		}
		if n.ActualRows < n.PlanRows && underLimit(p, n) {
			return
		}
		dir := "more"
		if n.ActualRows < n.PlanRows {
			dir = "fewer"
		}
		msg := fmt.Sprintf("%s returned %s rows per loop, %.0f× %s than the %s estimated", n.Label(),
			explain.FormatCount(n.ActualRows), f, dir, explain.FormatCount(n.PlanRows))
		plancheck.Report(pass, p, n, cause(n), nil, "%s", msg)
	})
	return nil
}

// underLimit reports whether a Limit above n may have stopped it early.
func underLimit(p *explain.Plan, target *explain.Node) bool {
	found := false
	var walk func(n *explain.Node, limited bool)
	walk = func(n *explain.Node, limited bool) {
		if n == target {
			found = limited
			return
		}
		for _, c := range n.Children {
			walk(c, limited || n.Type == "Limit")
		}
	}
	walk(p.Root, false)
	return found
}

// cause names the likely cause of a misestimate and its fix.
func cause(n *explain.Node) string {
	cond := strings.Join(nonEmpty(n.Filter, n.IndexCond, n.RecheckCond), " AND ")
	table := n.Relation()
	if cond != "" && table != "" {
		if reFunc.MatchString(cond) {
			return fmt.Sprintf("the condition %s applies a function or cast to a column, for which PostgreSQL has no statistics: create an index on the expression, or CREATE STATISTICS on it (PostgreSQL 14+), then ANALYZE %s", cond, table)
		}
		cols := columns(cond)
		if len(cols) >= 2 && n.ActualRows > n.PlanRows {
			// Functional dependencies fix equality conditions on
			// correlated columns whatever their number of values. An MCV
			// list does not, unless its target exceeds the number of
			// value combinations: with the default target, (dependencies,
			// ndistinct, mcv) leaves the estimate where it was on a real
			// PostgreSQL (TestProposalsFixEstimates).
			name := "stat_" + n.RelationName + "_" + strings.Join(cols, "_")
			return fmt.Sprintf("the conditions on %s are probably correlated, and the planner multiplies their selectivities: CREATE STATISTICS %s (dependencies) ON %s FROM %s; ANALYZE %s;",
				strings.Join(cols, ", "), name, strings.Join(cols, ", "), table, table)
		}
		target := "raise the statistics target of the filtered columns (ALTER TABLE ... ALTER COLUMN ... SET STATISTICS 1000)"
		if len(cols) > 0 {
			var alters []string
			for _, c := range cols {
				alters = append(alters, "ALTER COLUMN "+c+" SET STATISTICS 1000")
			}
			target = fmt.Sprintf("raise the statistics target of the filtered columns: ALTER TABLE %s %s; ANALYZE %s;", table, strings.Join(alters, ", "), table)
		}
		return fmt.Sprintf("statistics of %s are stale or too coarse: run ANALYZE %s; if the estimate stays off, %s", table, table, target)
	}
	if n.HashCond != "" || n.MergeCond != "" || n.JoinFilter != "" || n.Type == "Nested Loop" {
		return "the join's selectivity is misestimated: ANALYZE the joined tables; if the join keys are correlated with the filters, CREATE STATISTICS on them"
	}
	return "statistics of the tables below are stale or too coarse: run ANALYZE on them"
}

func columns(cond string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range reColumn.FindAllStringSubmatch(cond, -1) {
		if c := m[2]; !seen[c] && c != "and" && c != "or" && c != "not" {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
