package walk

import (
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Unfiltered returns the blocks of st that write with kind (query.KindUpdate
// or query.KindDelete) every row of their table: the statement itself or a
// data-modifying CTE, with no WHERE clause, or one that is true whatever
// the row (WHERE true, WHERE 1 = 1), and no WHERE CURRENT OF. A WHERE
// that is constant but false (WHERE false) or whose value cannot be
// known (WHERE $1, WHERE now() > '2024-01-01') does not count.
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
		if AlwaysTrue(q.Where) {
			out = append(out, q)
		}
	}
	return out
}

// WhereText writes a block's WHERE conjuncts as SQL.
func WhereText(where []query.Predicate) string {
	texts := make([]string, len(where))
	for i, p := range where {
		texts[i] = p.Text
	}
	return strings.Join(texts, " AND ")
}

// AlwaysTrue reports whether the conjuncts where (none at all included)
// are all true whatever the row: constants that evaluate to true.
func AlwaysTrue(where []query.Predicate) bool {
	for _, p := range where {
		if v, known := truth(p); !known || !v {
			return false
		}
	}
	return true
}

// truth evaluates a predicate that reads no column, parameter, subquery
// or function: known is false when it cannot tell.
func truth(p query.Predicate) (value, known bool) {
	switch p.Op {
	case query.OpOther, query.OpIsTrue, query.OpIsNotFalse:
		b, ok := boolConst(p.Left)
		return b, ok && p.Right.Kind == ""
	case query.OpIsFalse, query.OpIsNotTrue:
		b, ok := boolConst(p.Left)
		return !b, ok
	case query.OpIsNull, query.OpIsNotNull:
		var isNull bool
		switch p.Left.Kind {
		case query.ExprNull:
			isNull = true
		case query.ExprConst:
		default:
			return false, false
		}
		return isNull == (p.Op == query.OpIsNull), true
	case query.OpEq, query.OpNe, query.OpLt, query.OpLe, query.OpGt, query.OpGe:
		return compareConsts(p.Op, p.Left, p.Right)
	case query.OpNot:
		all, ok := conjunction(p.Not)
		return !all, ok
	case query.OpOr:
		known = true
		for _, br := range p.Or {
			v, ok := conjunction(br)
			if ok && v {
				return true, true
			}
			known = known && ok
		}
		return false, known
	}
	return false, false
}

// conjunction evaluates predicates joined with AND.
func conjunction(ps []query.Predicate) (value, known bool) {
	value, known = true, true
	for _, p := range ps {
		v, ok := truth(p)
		if ok && !v {
			return false, true
		}
		value = value && v
		known = known && ok
	}
	return value && known, known
}

// boolConst reads a boolean literal.
func boolConst(e query.Expr) (value, ok bool) {
	if e.Kind != query.ExprConst {
		return false, false
	}
	switch strings.ToLower(e.Value) {
	case "true", "t", "yes", "on", "1":
		return true, true
	case "false", "f", "no", "off", "0":
		return false, true
	}
	return false, false
}

// compareConsts compares two literals: numbers by value, untyped string
// literals for equality only; anything else ('1'::int, dates) is unknown.
func compareConsts(op query.Op, l, r query.Expr) (value, known bool) {
	if l.Kind != query.ExprConst || r.Kind != query.ExprConst {
		return false, false
	}
	lq, rq := strings.HasPrefix(l.Text, "'"), strings.HasPrefix(r.Text, "'")
	a, errA := strconv.ParseFloat(l.Value, 64)
	b, errB := strconv.ParseFloat(r.Value, 64)
	var c int
	switch {
	case !lq && !rq && errA == nil && errB == nil:
		c = compareFloat(a, b)
	case lq && rq && strings.HasSuffix(l.Text, "'") && strings.HasSuffix(r.Text, "'") && (op == query.OpEq || op == query.OpNe):
		// Two untyped string literals: compared as text.
		c = strings.Compare(l.Value, r.Value)
		if c != 0 {
			c = 1
		}
	default:
		return false, false
	}
	switch op {
	case query.OpEq:
		return c == 0, true
	case query.OpNe:
		return c != 0, true
	case query.OpLt:
		return c < 0, true
	case query.OpLe:
		return c <= 0, true
	case query.OpGt:
		return c > 0, true
	case query.OpGe:
		return c >= 0, true
	}
	return false, false
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
