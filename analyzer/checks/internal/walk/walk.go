// Package walk visits the parts of a query model the checks look at:
// every predicate of every block (inside OR and NOT too), every
// expression of a predicate.
package walk

import "github.com/pgadvisor/pgadvisor/analyzer/query"

// Predicates calls fn for every predicate of block q (WHERE, JOIN ... ON,
// HAVING), and for the branches of OR and NOT predicates after the
// predicate itself. top is true for a top-level conjunct (one that must
// hold for a row to be returned), false inside OR or NOT.
func Predicates(q *query.Query, fn func(p *query.Predicate, top bool)) {
	for i := range q.Where {
		predicate(&q.Where[i], true, fn)
	}
	for j := range q.Joins {
		for i := range q.Joins[j].On {
			predicate(&q.Joins[j].On[i], true, fn)
		}
	}
	for i := range q.Having {
		predicate(&q.Having[i], true, fn)
	}
}

func predicate(p *query.Predicate, top bool, fn func(p *query.Predicate, top bool)) {
	fn(p, top)
	for b := range p.Or {
		for i := range p.Or[b] {
			predicate(&p.Or[b][i], false, fn)
		}
	}
	for i := range p.Not {
		predicate(&p.Not[i], false, fn)
	}
}

// Columns calls fn for every column referenced by e (Expr.Columns, or
// the list items' columns when the model left Columns empty).
func Columns(e query.Expr, fn func(c query.ColumnRef)) {
	switch {
	case len(e.Columns) > 0:
		for _, c := range e.Columns {
			fn(c)
		}
	case e.Column != nil:
		fn(*e.Column)
	}
	for _, it := range e.Items {
		if len(e.Columns) == 0 {
			Columns(it, fn)
		}
	}
}

// PredicateColumns calls fn for every column referenced by p, its
// branches and negations.
func PredicateColumns(p query.Predicate, fn func(c query.ColumnRef)) {
	Columns(p.Left, fn)
	Columns(p.Right, fn)
	for _, br := range p.Or {
		for _, q := range br {
			PredicateColumns(q, fn)
		}
	}
	for _, q := range p.Not {
		PredicateColumns(q, fn)
	}
}

// Subqueries calls fn with the block ID of every subquery a predicate
// uses (IN, EXISTS, scalar subqueries on either side).
func Subqueries(p query.Predicate, fn func(id int)) {
	var expr func(e query.Expr)
	expr = func(e query.Expr) {
		if e.Kind == query.ExprSubquery {
			fn(e.Query)
		}
		for _, it := range e.Items {
			expr(it)
		}
	}
	expr(p.Left)
	expr(p.Right)
	for _, br := range p.Or {
		for _, q := range br {
			Subqueries(q, fn)
		}
	}
	for _, q := range p.Not {
		Subqueries(q, fn)
	}
}

// Descendants returns the IDs of the blocks nested (at any depth) in
// block id, id itself first.
func Descendants(st *query.Statement, id int) []int {
	out := []int{id}
	for i := 0; i < len(out); i++ {
		for _, q := range st.Queries {
			if q.Parent == out[i] && q.ID != out[i] {
				out = append(out, q.ID)
			}
		}
	}
	return out
}

// Start returns the byte offset where predicate p starts in its
// statement: its first column reference when that comes before the
// operator the model locates it by (x LIKE ...: x, not LIKE).
func Start(p query.Predicate) int {
	start := p.Location
	PredicateColumns(p, func(c query.ColumnRef) {
		if c.Outer == 0 && c.Location >= 0 && c.Location < start {
			start = c.Location
		}
	})
	return start
}
