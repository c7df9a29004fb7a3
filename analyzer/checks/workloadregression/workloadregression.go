// Package workloadregression reports workload queries whose plans the
// migrations make worse, naming the statement responsible.
package workloadregression

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/migrate"
)

// Check is the workload-regression check.
var Check = &check.Check{
	Name: "workload-regression",
	Doc: `Workload query whose plan the migrations make worse.

With a workload (--workload files or logs, or pg_stat_statements with
--db) and a server (--trace: the sandbox loaded with --schema and
--data, or --trace-db), pgadvisor check plans every workload query
before and after applying the migrations, on the same data and
statistics (a generic plan for queries with parameters), and this check
reports the queries whose estimated cost grows by more than
--max-regression percent (default 20) or that start a sequential scan of
a table of 10,000 rows or more. When the plan lost an index the
migrations dropped, the finding sits on the statement that dropped it;
otherwise on the query.

Why it matters: a dropped or replaced index, a changed column type that
no index matches any more, or a new constraint the planner reads
differently turns an index lookup into a scan of the whole table: the
deploy succeeds and the application slows down afterwards.

How to fix: keep (or recreate, CONCURRENTLY) the index the query
needs, or change the query along with the schema.

Severity: error. Silent without a workload and a server.`,
	Severity: check.Error,
	Reads:    check.ReadsMigration,
	Run:      run,
}

func run(pass *check.Pass) error {
	migration := migrate.Statements(pass)
	for _, q := range pass.Statements {
		r := q.Replan
		if q.Migration != nil || r == nil || !r.Regressed {
			continue
		}
		change := fmt.Sprintf("cost %.1f → %.1f", r.CostBefore, r.CostAfter)
		if r.CostBefore > 0 {
			change += fmt.Sprintf(" (%+.0f%%)", 100*(r.CostAfter-r.CostBefore)/r.CostBefore)
		}
		if len(r.NewSeqScans) > 0 {
			var names []string
			for _, t := range r.NewSeqScans {
				names = append(names, ddl.Name(t))
			}
			change += ", now a sequential scan of " + strings.Join(names, ", ")
		}
		query := fmt.Sprintf("%s (%s)", where(q.Pos), oneLine(q.Text, 80))
		reported := false
		for _, ix := range r.LostIndexes {
			st := dropper(migration, pass.Catalog, ix)
			if st == nil {
				continue
			}
			reported = true
			migrate.Report(pass, st, migrate.At(st, 0),
				fmt.Sprintf("dropping index %s slows down the workload query at %s: %s", ix, query, change),
				"keep the index, or create one that serves the query (CONCURRENTLY) before dropping it", nil)
		}
		if reported {
			continue
		}
		pass.Report(check.Finding{
			Check: pass.Check.Name, Severity: pass.Check.Severity, Pos: q.Pos, Fingerprint: q.Fingerprint,
			Message: fmt.Sprintf("after the migrations the workload query at %s plans worse: %s", query, change),
			Help:    "compare its plans before and after the migrations (pgadvisor explain --db) and add the index it needs",
		})
	}
	return nil
}

// dropper returns the migration statement after which the index named
// name no longer exists, or nil.
func dropper(stmts []*check.Statement, final *catalog.Catalog, name string) *check.Statement {
	for i, st := range stmts {
		if !hasIndex(st.Before, name) {
			continue
		}
		after := final
		if i+1 < len(stmts) {
			after = stmts[i+1].Before
		}
		if !hasIndex(after, name) {
			return st
		}
	}
	return nil
}

// hasIndex reports whether cat has an index called name, in any schema.
func hasIndex(cat *catalog.Catalog, name string) bool {
	for _, ix := range cat.Indexes {
		if ix.Name == name {
			return true
		}
	}
	return false
}

// where names a query's place: file and line.
func where(p check.Position) string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// oneLine collapses white space and shortens a query for a message.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
