// Package planseqscan is the plan-seq-scan check: a sequential scan that
// reads many rows to return few of them, and the index that avoids it.
package planseqscan

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinScanned is the number of rows (over all loops) a scan must read
	// before it is worth an index.
	MinScanned = 10000
	// MinRemovedShare is the share of the rows read that the filter must
	// throw away.
	MinRemovedShare = 0.9
)

// Check is the plan-seq-scan check.
var Check = &check.Check{
	Name:     "plan-seq-scan",
	Severity: check.Warning,
	Doc: `Sequential scan that throws away most of the rows it reads.

An EXPLAIN ANALYZE plan shows a Seq Scan (or Parallel Seq Scan) whose
Filter removes more than 90 % of the rows it reads, with at least 10,000
rows read over all loops. Reading the whole table to keep a few rows costs
time proportional to the table's size; a B-tree index on the filtered
columns reads only the matching rows.

The finding names the index to create, built from the node's Filter:
equality conditions first, then one range condition (CREATE INDEX name ON
table (cols)). When the schema is known and such an index already exists,
the help says so instead: the planner chose not to use it (stale
statistics, a type or collation mismatch, or a filter the index cannot
serve). Create indexes on a live database with CREATE INDEX CONCURRENTLY.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		if n.Type != "Seq Scan" || !n.Analyzed || n.Filter == "" {
			return
		}
		loops := max(n.ActualLoops, 1)
		kept := n.ActualRows * loops
		removed := n.RowsRemovedByFilter * loops
		scanned := kept + removed
		if scanned < MinScanned || removed < MinRemovedShare*scanned {
			return
		}
		msg := fmt.Sprintf("%s reads %s rows and its filter removes %s (%.1f %%) to return %s",
			n.Label(), explain.FormatCount(scanned), explain.FormatCount(removed), 100*removed/scanned, explain.FormatCount(kept))
		ix := plancheck.ProposeIndex(n, n.Filter)
		if ix == nil {
			plancheck.Report(pass, p, n, "no single index serves this filter ("+n.Filter+"); rewrite OR conditions as UNION, or index the expression the filter computes", nil, "%s", msg)
			return
		}
		if ex := plancheck.ExistingIndex(pass.Catalog, n, ix.Keys); ex != nil {
			plancheck.Report(pass, p, n, fmt.Sprintf("index %s already covers %v but was not used: run ANALYZE %s, and check the filter's types match the column's", ex.Name, ix.Keys, ix.Table), nil, "%s", msg)
			return
		}
		plancheck.Report(pass, p, n, "create an index on the filtered columns: "+ix.DDL,
			&check.Fix{Description: "index " + ix.Table + " on the filtered columns", SQL: ix.DDL}, "%s", msg)
	})
	return nil
}
