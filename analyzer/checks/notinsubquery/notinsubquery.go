// Package notinsubquery reports NOT IN (SELECT ...), which returns no row
// at all as soon as the subquery yields a NULL.
package notinsubquery

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the not-in-subquery check.
var Check = &check.Check{
	Name: "not-in-subquery",
	Doc: `NOT IN (SELECT ...): no row at all when the subquery yields a NULL.

Finds x NOT IN (SELECT ...) and x <> ALL (SELECT ...) anywhere in a
statement, and NOT IN lists that contain a NULL literal.

Why it matters: x NOT IN (subquery) is NULL, not true, for every x as soon
as one subquery row is NULL, so the query silently returns nothing; a NULL
in a NOT IN list has the same effect. Even when the subquery column is NOT
NULL (the result is then correct), PostgreSQL cannot turn NOT IN into an
anti-join: it runs a hashed subplan, or, when the subquery result does not
fit in work_mem, rescans the subquery for every outer row, which is
quadratic.

How to fix: write NOT EXISTS (SELECT 1 FROM t WHERE t.col = outer.x),
which has the intended meaning with NULLs and is planned as a hash or
merge anti-join. With a schema, the message says whether the subquery
column is declared NOT NULL.

Severity: warning. No threshold.`,
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		st := s.Model
		if st == nil {
			continue
		}
		for i := range st.Queries {
			walk.Predicates(&st.Queries[i], func(p *query.Predicate, _ bool) {
				switch p.Op {
				case query.OpNotInSub:
					report(pass, s, p)
				case query.OpNotIn:
					if hasNullItem(p.Right) {
						pass.Reportf(s.PosAt(sqltext.ExprStart(s.Text, walk.Start(*p))), s.Fingerprint,
							"remove the NULL from the list: x NOT IN (..., NULL) is never true",
							"%s: a NOT IN list containing NULL matches no row at all", p.Text)
					}
				}
			})
		}
	}
	return nil
}

func report(pass *check.Pass, s *check.Statement, p *query.Predicate) {
	sub := subqueryColumn(s.Model, p.Right)
	rewrite := "rewrite it as NOT EXISTS (SELECT 1 FROM ... WHERE <subquery column> = <outer column>): it keeps its meaning with NULLs and is planned as an anti-join"
	msg := fmt.Sprintf("%s: NOT IN (SELECT ...) returns no row at all if the subquery yields a NULL", notInText(p))
	if sub != nil && sub.Table.Name != "" && pass.HasCatalog {
		var col *catalog.Column
		if t := pass.Catalog.Table(sub.Table); t != nil {
			col = t.Column(sub.Column)
		}
		name := sub.Table.Name + "." + sub.Column
		switch {
		case col != nil && col.NotNull:
			msg = fmt.Sprintf("%s: %s is NOT NULL, so the result is correct, but NOT IN cannot be planned as an anti-join (a hashed subplan, or a rescan of the subquery per row when it exceeds work_mem)", notInText(p), name)
		case col != nil:
			msg = fmt.Sprintf("%s: %s is nullable, so one NULL in it makes the query return no row at all", notInText(p), name)
		}
	}
	pass.Reportf(s.PosAt(sqltext.ExprStart(s.Text, walk.Start(*p))), s.Fingerprint, rewrite, "%s", msg)
}

// notInText shortens the predicate's text for the message.
func notInText(p *query.Predicate) string {
	left := p.Left.Text
	if left == "" {
		return "NOT IN (SELECT ...)"
	}
	return left + " NOT IN (SELECT ...)"
}

// subqueryColumn returns the column the subquery of e selects, when its
// select list is one plain column.
func subqueryColumn(st *query.Statement, e query.Expr) *query.ColumnRef {
	if e.Kind != query.ExprSubquery || e.Query <= 0 || e.Query >= len(st.Queries) {
		return nil
	}
	q := &st.Queries[e.Query]
	if len(q.Select) != 1 || q.Select[0].Star {
		return nil
	}
	x := q.Select[0].Expr
	if x.Kind != query.ExprColumn || x.Column == nil {
		return nil
	}
	return x.Column
}

// hasNullItem reports whether a list contains a NULL literal.
func hasNullItem(e query.Expr) bool {
	for _, it := range e.Items {
		if it.Kind == query.ExprNull || strings.EqualFold(it.Text, "null") {
			return true
		}
	}
	return false
}
