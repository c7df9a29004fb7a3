package query

import (
	"sort"
	"strings"
)

// Columns returns every column reference of p: its sides and, for OpOr
// and OpNot, those of its branches, in order.
func (p Predicate) Columns() []ColumnRef {
	var out []ColumnRef
	out = append(out, p.Left.Columns...)
	out = append(out, p.Right.Columns...)
	for _, br := range p.Or {
		for _, q := range br {
			out = append(out, q.Columns()...)
		}
	}
	for _, q := range p.Not {
		out = append(out, q.Columns()...)
	}
	return out
}

// Local reports whether e reads a column of the block it is written in
// (a ColumnRef with Outer 0, including an unresolved one).
func (e Expr) Local() bool {
	for _, c := range e.Columns {
		if c.Outer == 0 {
			return true
		}
	}
	return false
}

// IsFixed reports whether e has one value for a whole scan of its block:
// it reads no column of the block (constants, parameters, outer
// references, uncorrelated subqueries, stable functions of those) and
// calls no volatile function. Such a value can be an index scan key.
func (e Expr) IsFixed() bool {
	if e.Kind == "" {
		return false
	}
	return !e.Local() && !e.Volatile
}

// Rels returns the aliases of the block's own FROM items that e reads
// (Outer 0, resolved), sorted and unique; unresolved reports a local
// column that could not be resolved.
func (e Expr) Rels() (rels []string, unresolved bool) {
	return relsOf(e.Columns)
}

func relsOf(cols []ColumnRef) (rels []string, unresolved bool) {
	for _, c := range cols {
		if c.Outer != 0 {
			continue
		}
		if c.Rel == "" {
			unresolved = true
			continue
		}
		found := false
		for _, r := range rels {
			if r == c.Rel {
				found = true
				break
			}
		}
		if !found {
			rels = append(rels, c.Rel)
		}
	}
	sort.Strings(rels)
	return rels, unresolved
}

// Strategy is how a B-tree index can use a predicate on its key.
type Strategy string

// Strategies, in the order candidate index keys are laid out: equality
// keys first, then at most one range key.
const (
	StrategyNone     Strategy = ""
	StrategyEquality Strategy = "equality" // =, IN (...), = ANY(...), IS NULL, IS TRUE/FALSE, IN (SELECT ...)
	StrategyRange    Strategy = "range"    // <, <=, >, >=, BETWEEN, LIKE 'prefix%'
)

// Strategy returns how a B-tree index whose key is p.Left (a column, or
// an expression index on p.Left.MatchKey()) serves p: as an equality or
// a range condition, or not at all (StrategyNone) — for <>, NOT IN,
// IS NOT DISTINCT FROM, a LIKE with a leading wildcard or an unknown
// pattern, regular expressions, containment operators (GIN/GiST
// territory), OR and NOT, a volatile left side or a value side that
// changes during the scan.
//
// IS NOT NULL is served by a B-tree but is rarely selective; it is
// reported as a range. A LIKE 'abc%' prefix needs text_pattern_ops (or
// the C collation); ILIKE is served only when the prefix has no letter.
func (p Predicate) Strategy() Strategy {
	if p.Left.Volatile || !p.Left.Local() || p.Left.Kind == ExprSubquery {
		return StrategyNone
	}
	switch p.Op {
	case OpIsNull, OpIsTrue, OpIsFalse:
		return StrategyEquality
	case OpIsNotNull:
		return StrategyRange
	}
	if !p.Right.IsFixed() {
		return StrategyNone
	}
	switch p.Op {
	case OpEq, OpIn, OpInSubquery:
		return StrategyEquality
	case OpLt, OpLe, OpGt, OpGe, OpBetween:
		return StrategyRange
	case OpLike:
		switch p.Like {
		case LikeExact:
			return StrategyEquality
		case LikePrefix:
			return StrategyRange
		}
	case OpILike:
		if (p.Like == LikePrefix || p.Like == LikeExact) && !hasLetter(p.Prefix) && !hasLetter(p.Right.Value) {
			return StrategyRange
		}
	}
	return StrategyNone
}

// Sargable reports whether a B-tree index on p.Left can serve p as an
// index condition (Strategy is not StrategyNone).
func (p Predicate) Sargable() bool { return p.Strategy() != StrategyNone }

// Key returns the index key that would serve p: p.Left.MatchKey().
func (p Predicate) Key() string { return p.Left.MatchKey() }

func hasLetter(s string) bool {
	for _, r := range s {
		if strings.ToLower(string(r)) != strings.ToUpper(string(r)) {
			return true
		}
	}
	return false
}

// opText is the SQL operator of a comparison op.
var opText = map[Op]string{OpEq: "=", OpNe: "<>", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">="}

// commuted maps ops to the op with swapped operands.
var commuted = map[Op]Op{OpEq: OpEq, OpNe: OpNe, OpLt: OpGt, OpGt: OpLt, OpLe: OpGe, OpGe: OpLe,
	OpIsDistinct: OpIsDistinct, OpNotDistinc: OpNotDistinc}

var commutedOperator = map[string]string{"@>": "<@", "<@": "@>", "&&": "&&", "@@": "@@", "-|-": "-|-", "~=": "~="}

// Commute returns p with its sides swapped (x < y becomes y > x) and
// its Text rebuilt, and false when p's operator has no commutator.
func (p Predicate) Commute() (Predicate, bool) {
	q := p
	switch {
	case p.Op == OpContains:
		op, ok := commutedOperator[p.Operator]
		if !ok {
			return p, false
		}
		q.Operator = op
	default:
		op, ok := commuted[p.Op]
		if !ok {
			return p, false
		}
		q.Op = op
	}
	q.Left, q.Right = p.Right, p.Left
	var sql string
	switch q.Op {
	case OpIsDistinct:
		sql = "IS DISTINCT FROM"
	case OpNotDistinc:
		sql = "IS NOT DISTINCT FROM"
	case OpContains:
		sql = q.Operator
	default:
		sql = opText[q.Op]
	}
	q.Text = operandText(q.Left) + " " + sql + " " + operandText(q.Right)
	return q, true
}

// operandText parenthesizes an operand as PostgreSQL's deparser does.
func operandText(e Expr) string {
	paren := false
	switch e.Kind {
	case ExprOperator:
		paren = e.Func != "[]" && e.Func != "."
	case ExprOther:
		switch e.Func {
		case "and", "or", "not", "is null", "is not null", "boolean test", "is distinct from",
			"is not distinct from", "nullif", "in", "not in", "like", "not like", "ilike", "not ilike",
			"similar to", "between", "not between", "between symmetric", "not between symmetric":
			paren = true
		default:
			paren = strings.HasSuffix(e.Func, " any") || strings.HasSuffix(e.Func, " all")
		}
	}
	if paren {
		return "(" + e.Text + ")"
	}
	return e.Text
}
