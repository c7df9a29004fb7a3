// Package selectstar reports SELECT * in the result a query returns.
package selectstar

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the select-star check.
var Check = &check.Check{
	Name: "select-star",
	Doc: `SELECT * in a query's result: every column is fetched, needed or not.

Finds * and rel.* in the select list of the result a SELECT returns to the
client (its main block, or the arms of a UNION / INTERSECT / EXCEPT). A *
inside EXISTS (SELECT * ...), inside a subquery or CTE whose columns the
outer query picks, in count(*), or in INSERT ... SELECT * is not reported.

Why it matters: the query reads, transfers and decodes columns the
application does not use (wide text and jsonb columns are TOASTed: each
one costs extra reads), an index-only scan becomes impossible, and adding
or reordering a column changes what the application receives.

How to fix: list the columns the application uses.

Severity: info (style). No threshold.`,
	Severity: check.Info,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		st := s.Model
		if st == nil || st.Kind != query.KindSelect || len(st.Queries) == 0 {
			continue
		}
		for _, id := range resultBlocks(st, 0) {
			q := &st.Queries[id]
			for _, t := range q.Select {
				if !t.Star {
					continue
				}
				pos := s.PosAt(sqltext.FirstToken(s.Text, q.Location))
				if off := sqltext.Find(s.Text, q.Location, "*"); off >= 0 {
					pos = s.PosAt(off)
				}
				what := "SELECT *"
				if t.StarRel != "" {
					what = "SELECT " + t.StarRel + ".*"
				}
				pass.Reportf(pos, s.Fingerprint,
					"list the columns the application uses: less data read and sent, index-only scans become possible, and schema changes no longer change the result",
					"%s returns every column of %s", what, relations(q, t.StarRel))
			}
		}
	}
	return nil
}

// resultBlocks returns block id, or the arms of its set operation
// (recursively), whose select lists make up the statement's result.
func resultBlocks(st *query.Statement, id int) []int {
	if id < 0 || id >= len(st.Queries) {
		return nil
	}
	q := &st.Queries[id]
	if q.SetOp == query.SetNone {
		return []int{id}
	}
	var out []int
	for _, a := range q.Arms {
		if a != id {
			out = append(out, resultBlocks(st, a)...)
		}
	}
	return out
}

// relations names the FROM items a * expands to.
func relations(q *query.Query, rel string) string {
	var names []string
	for _, r := range q.From {
		if rel != "" && r.Alias != rel {
			continue
		}
		name := r.Table.String()
		if name == "" {
			name = r.Alias
		}
		names = append(names, name)
	}
	switch len(names) {
	case 0:
		return "the query"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
