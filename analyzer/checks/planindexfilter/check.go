// Package planindexfilter is the plan-index-filter check: an index scan
// that fetches many rows only to discard them with a filter.
package planindexfilter

import (
	"fmt"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plancheck"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
)

// Thresholds.
const (
	// MinRemoved is the number of rows (over all loops) the filter must
	// remove.
	MinRemoved = 1000
	// MinRemovedShare is the share of the fetched rows it must remove.
	MinRemovedShare = 0.5
)

// Check is the plan-index-filter check.
var Check = &check.Check{
	Name:     "plan-index-filter",
	Severity: check.Warning,
	Reads:    check.ReadsPlans,
	Doc: `Index scan whose filter discards most fetched rows.

In an EXPLAIN ANALYZE plan, an Index Scan, Index Only Scan or Bitmap Heap
Scan has a Filter that removed at least 1,000 rows over all loops and more
than half of the rows the index returned. The index finds the rows of its
condition, then every row is fetched from the table and tested against
the other conditions: a composite index on the index condition's columns
and the filtered columns (equality columns first, then the range one)
finds only the rows that match.

The help names that index, proposed by the same generator as the
missing-index check (from the plan's query when it is known, else from the
node's Index Cond and Filter): when a filtered column has few distinct
values it may become the predicate of a partial index rather than a key.
A proposal that serves none of the filtered columns is not made.`,
	Run: run,
}

func run(pass *check.Pass) error {
	plancheck.Each(pass, func(p *explain.Plan, n, _ *explain.Node) {
		switch n.Type {
		case "Index Scan", "Index Only Scan", "Bitmap Heap Scan":
		default:
			return
		}
		if !n.Analyzed || n.Filter == "" {
			return
		}
		loops := max(n.ActualLoops, 1)
		removed := n.RowsRemovedByFilter * loops
		fetched := removed + n.ActualRows*loops
		if removed < MinRemoved || removed <= MinRemovedShare*fetched {
			return
		}
		cond := n.IndexCond
		if cond == "" {
			cond = n.RecheckCond
		}
		msg := fmt.Sprintf("%s fetches %s rows and its filter %s removes %s of them (%.0f %%)", n.Label(),
			explain.FormatCount(fetched), n.Filter, explain.FormatCount(removed), 100*removed/fetched)
		ix := plancheck.ProposeIndex(pass.Catalog, p, n, false, cond, n.Filter)
		if ix == nil || !plancheck.KeysFrom(ix, n.Filter) {
			plancheck.Report(pass, p, n, "no composite index serves both the index condition and the filter; consider a partial index WHERE "+n.Filter, nil, "%s", msg)
			return
		}
		if ex := plancheck.ExistingIndex(pass.Catalog, ix); ex != nil {
			plancheck.Report(pass, p, n, fmt.Sprintf("index %s already serves both conditions but was not chosen: run ANALYZE %s", ex.Name, ix.TableSQL), nil, "%s", msg)
			return
		}
		plancheck.Report(pass, p, n, "create a composite index that serves the filter too"+plancheck.Caveat(ix),
			&check.Fix{SQL: ix.DDL, Index: ix.Index}, "%s", msg)
	})
	return nil
}
