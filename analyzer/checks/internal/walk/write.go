package walk

import (
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Unfiltered returns the blocks of st that write with kind (query.KindUpdate
// or query.KindDelete) every row of their table: the statement itself or a
// data-modifying CTE, with no WHERE clause, or one that holds no matter the
// row (WHERE true, WHERE 1 = 1), and no WHERE CURRENT OF.
func Unfiltered(st *query.Statement, kind query.Kind) []*query.Query {
	if st == nil {
		return nil
	}
	var out []*query.Query
	for i := range st.Queries {
		q := &st.Queries[i]
		cmd := q.Command
		if cmd == "" && i == 0 {
			cmd = st.Kind
		}
		if cmd != kind {
			continue
		}
		if i == 0 && st.CurrentOf != "" {
			continue
		}
		if constantWhere(q.Where) {
			out = append(out, q)
		}
	}
	return out
}

// constantWhere reports whether every conjunct of where (none at all
// included) is true or false whatever the row: no column, no parameter,
// no subquery, nothing volatile.
func constantWhere(where []query.Predicate) bool {
	for _, p := range where {
		if !constantPredicate(p) {
			return false
		}
	}
	return true
}

func constantPredicate(p query.Predicate) bool {
	if !constantExpr(p.Left) || !constantExpr(p.Right) {
		return false
	}
	for _, br := range p.Or {
		if !constantWhere(br) {
			return false
		}
	}
	return constantWhere(p.Not)
}

func constantExpr(e query.Expr) bool {
	switch e.Kind {
	case query.ExprParam, query.ExprSubquery, query.ExprColumn:
		return false
	}
	if e.Volatile || len(e.Columns) > 0 || e.Column != nil {
		return false
	}
	for _, it := range e.Items {
		if !constantExpr(it) {
			return false
		}
	}
	return true
}
