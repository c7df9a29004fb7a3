// Package planseqscan is the plan-seq-scan check: a sequential scan that
// reads many rows to return few of them, and the index that avoids it.
package planseqscan

import (
	"fmt"
	"strings"

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
	Reads:    check.ReadsPlans,
	Doc: `Sequential scan that throws away most of the rows it reads.

An EXPLAIN ANALYZE plan shows a Seq Scan (or Parallel Seq Scan) whose
Filter removes more than 90 % of the rows it reads, with at least 10,000
rows read over all loops. Reading the whole table to keep a few rows costs
time proportional to the table's size; a B-tree index on the filtered
columns reads only the matching rows.

The finding names the index to create, proposed by the same generator as
the missing-index check: from the plan's query when it is known
(auto_explain, --query, a JSON "Query Text"), with its ORDER BY ... LIMIT;
else from the node's Filter. Equality conditions come first, then one
range condition; expressions (lower(email)) become expression keys. A
scan of a partition gets the index on its partitioned table when the
query or the schema tells which it is. When the schema is known and such
an index already exists, the help says so instead: the planner chose not
to use it (stale statistics, a type or collation mismatch, or a filter
the index cannot serve). The DDL uses CREATE INDEX CONCURRENTLY, except
on partitioned tables, which do not support it.`,
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
		ix := plancheck.ProposeIndex(pass.Catalog, p, n, false, n.Filter)
		if ix == nil {
			plancheck.Report(pass, p, n, "no single index serves this filter ("+n.Filter+"); rewrite OR conditions as UNION, or index the expression the filter computes", nil, "%s", msg)
			return
		}
		if ex := plancheck.ExistingIndex(pass.Catalog, ix); ex != nil {
			plancheck.Report(pass, p, n, fmt.Sprintf("index %s already covers (%s) but was not used: run ANALYZE %s, and check the filter's types match the column's", ex.Name, strings.Join(ix.Columns(), ", "), ix.TableSQL), nil, "%s", msg)
			return
		}
		plancheck.Report(pass, p, n, "create an index "+plancheck.Serving(ix)+plancheck.Caveat(ix),
			&check.Fix{SQL: ix.DDL, Index: ix.Index}, "%s", msg)
	})
	return nil
}
