// Package plannestedloop is the plan-nested-loop check: a nested loop
// whose inner side scans a table again and again.
package plannestedloop

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinLoops is the number of times the inner side must run.
	MinLoops = 10
	// MinRowsRead is the number of rows the inner scan must read over all
	// its loops (returned plus removed).
	MinRowsRead = 100000
)

// Check is the plan-nested-loop check.
var Check = &check.Check{
	Name:     "plan-nested-loop",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Nested loop rescanning its inner table.

In an EXPLAIN ANALYZE plan, a Nested Loop's inner side is a sequential
scan (or an index or bitmap scan whose filter removes most rows) that ran
at least 10 times and read at least 100,000 rows in all. Each row of the
outer side scans the inner table again: the work grows with the product
of both sides. It usually comes from an outer side estimated at one row
that returned many (see plan-misestimate), or from a join key with no
index.

The help names the index on the inner table's join key (from the
query's join conditions when the plan carries its query, else from the
Join Filter and the inner scan's conditions that compare with an outer
column), which turns each inner scan into an index lookup; fixing the
outer estimate lets the planner choose a hash join instead.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		if n.Type != "Nested Loop" || !n.Analyzed || len(n.Children) < 2 {
			return
		}
		inner := n.Children[1]
		scan := inner
		for scan.Type == "Materialize" || scan.Type == "Memoize" {
			if len(scan.Children) == 0 {
				return
			}
			scan = scan.Children[0]
		}
		if !scan.IsScan() || scan.RelationName == "" {
			return
		}
		loops := inner.ActualLoops
		read := (scan.ActualRows + scan.RowsRemovedByFilter + scan.RowsRemovedByIndexRecheck) * scan.ActualLoops
		if inner != scan {
			// A Materialize keeps the rows: the table is read once, but
			// the join still compares every pair.
			read = (scan.ActualRows * loops) + n.RowsRemovedByJoinFilter*n.ActualLoops
		}
		if loops < MinLoops || read < MinRowsRead {
			return
		}
		if scan.Type != "Seq Scan" && scan.RowsRemovedByFilter < 9*scan.ActualRows {
			return // a selective index scan per loop is what a nested loop is for
		}
		msg := fmt.Sprintf("Nested Loop runs its inner %s %s times, reading %s rows", scan.Label(), explain.FormatCount(loops), explain.FormatCount(read))
		ix := plancheck.ProposeIndex(pass.Catalog, p, scan, true, n.JoinFilter, scan.Filter, scan.IndexCond, scan.RecheckCond)
		if ix == nil {
			plancheck.Report(pass, p, n, "make the join a hash join: fix the outer side's row estimate (ANALYZE, CREATE STATISTICS) so the planner stops expecting a handful of rows", nil, "%s", msg)
			return
		}
		plancheck.Report(pass, p, n, "index the inner table's join key so each loop is an index lookup"+plancheck.Caveat(ix),
			&check.Fix{SQL: ix.DDL, Index: ix.Index}, "%s", msg)
	})
	return nil
}
