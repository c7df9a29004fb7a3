package query

import (
	"math/big"
	"regexp"
)

// Implies reports whether every row satisfying all of filters (a query's
// conditions on one table, such as Access.Filters) satisfies all of pred
// (the conjuncts of a partial index's WHERE, from
// sqlparse.PredicatesForTable): whether the partial index can serve the
// query. Expressions are compared by MatchKey, so both lists must be
// about the same table.
//
// It proves, for each conjunct of pred:
//   - an equal filter (same operator, expression and value);
//   - x = c implies x <> d, x < d, x <= d, x > d, x >= d, x BETWEEN a AND
//     b, x IN (..., c, ...) and x NOT IN (...) when the constants compare
//     so; x IN (list) implies what every one of its values implies;
//   - a range (x > c, x >= c, x < c, x <= c, x BETWEEN a AND b) implies a
//     wider range on the same side and x <> d outside it;
//   - any strict condition on x (comparison, IN, LIKE, regex,
//     containment, IS TRUE/FALSE) implies x IS NOT NULL;
//   - x IS NULL implies x IS NULL; x, x IS TRUE and x = true are one
//     condition, as are NOT x, x IS FALSE and x = false, and they imply
//     x IS NOT FALSE / x IS NOT TRUE;
//   - an OR in pred is implied when one of its branches is; an OR among
//     the filters implies p when each of its branches does.
//
// Constants compare as numbers when both parse as numbers, as ISO
// dates or timestamps when both look like one, otherwise only for
// equality. It does not prove anything that needs types, functions or
// operator semantics (x > 5 does not prove x + 1 > 6, lower(x) = 'a'
// does not prove x IS NOT NULL on another key), collation-dependent
// string order, conditions between two columns, NOT beyond the
// normalization the model applies, nor implications that need several
// filters at once other than the two bounds of a BETWEEN. An unproven
// implication returns false: the index is then not considered usable.
func Implies(filters []Predicate, pred []Predicate) bool {
	fs := splitBetween(filters)
	for _, p := range pred {
		if !impliedBy(fs, p) {
			return false
		}
	}
	return true
}

// splitBetween turns x BETWEEN a AND b into x >= a and x <= b.
func splitBetween(ps []Predicate) []Predicate {
	var out []Predicate
	for _, p := range ps {
		if p.Op == OpBetween && len(p.Right.Items) == 2 {
			lo, hi := p.Right.Items[0], p.Right.Items[1]
			if p.Operator == "between symmetric" {
				c, ok := compareValues(lo, hi)
				if !ok {
					out = append(out, p)
					continue
				}
				if c > 0 {
					lo, hi = hi, lo
				}
			}
			a, b := p, p
			a.Op, a.Right, a.Operator = OpGe, lo, ""
			b.Op, b.Right, b.Operator = OpLe, hi, ""
			out = append(out, a, b)
			continue
		}
		out = append(out, p)
	}
	return out
}

func impliedBy(filters []Predicate, p Predicate) bool {
	switch p.Op {
	case OpOr:
		for _, br := range p.Or {
			if Implies(filters, br) {
				return true
			}
		}
	case OpBetween:
		if parts := splitBetween([]Predicate{p}); len(parts) == 2 {
			return impliedBy(filters, parts[0]) && impliedBy(filters, parts[1])
		}
	}
	for _, f := range filters {
		if implies(f, p) {
			return true
		}
	}
	return false
}

// implies reports whether filter f alone implies p.
func implies(f, p Predicate) bool {
	if f.Op == OpOr {
		if len(f.Or) == 0 {
			return false
		}
		for _, br := range f.Or {
			if !impliedBy(splitBetween(br), p) {
				return false
			}
		}
		return true
	}
	if same(f, p) {
		return true
	}
	if f.Left.Kind == "" || p.Left.Kind == "" || f.Left.MatchKey() != p.Left.MatchKey() {
		return false
	}
	fo, fv := boolForm(f)
	po, pv := boolForm(p)
	if p.Op == OpIsNotNull && strict(fo) {
		return true
	}
	switch fo {
	case OpEq:
		return valueImplies(fv, po, pv, p)
	case OpIn:
		items := fv.Items
		if fv.Kind != ExprList || len(items) == 0 {
			return false
		}
		for _, it := range items {
			if !valueImplies(it, po, pv, p) {
				return false
			}
		}
		return true
	case OpLt, OpLe, OpGt, OpGe:
		return rangeImplies(fo, fv, po, pv)
	case OpIsNull:
		return po == OpIsNull
	case OpIsTrue:
		return po == OpIsNotFalse
	case OpIsFalse:
		return po == OpIsNotTrue
	}
	return false
}

// boolForm maps x = true / x = false to IS TRUE / IS FALSE so that the
// three spellings of a boolean condition compare equal.
func boolForm(p Predicate) (Op, Expr) {
	if p.Op == OpEq && p.Right.Kind == ExprConst {
		switch p.Right.Value {
		case "true":
			return OpIsTrue, Expr{}
		case "false":
			return OpIsFalse, Expr{}
		}
	}
	return p.Op, p.Right
}

// strict reports whether a condition with op is false or NULL for a NULL
// left side.
func strict(op Op) bool {
	switch op {
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpBetween, OpNotBetween, OpIn, OpNotIn, OpInSubquery,
		OpLike, OpNotLike, OpILike, OpNotILike, OpSimilar, OpNotSimilar, OpRegex, OpContains,
		OpIsTrue, OpIsFalse, OpIsNotNull:
		return true
	}
	return false
}

// same reports whether f and p are the same condition.
func same(f, p Predicate) bool {
	fo, fv := boolForm(f)
	po, pv := boolForm(p)
	if fo != po || f.Operator != p.Operator || f.Left.MatchKey() != p.Left.MatchKey() || f.Left.Kind == "" {
		return false
	}
	switch fo {
	case OpIsTrue, OpIsFalse, OpIsNotTrue, OpIsNotFalse, OpIsNull, OpIsNotNull:
		return true
	}
	if fo == OpIn || fo == OpNotIn {
		return sameSet(fv, pv)
	}
	return fv.Kind != "" && fv.IsValue() && valueKey(fv) == valueKey(pv)
}

// valueKey identifies a value: constants by their value (so 'a' and
// 'a'::text are one), anything else by MatchKey.
func valueKey(e Expr) string {
	if e.Kind == ExprConst {
		return "c:" + e.Value
	}
	return "e:" + e.MatchKey()
}

func sameSet(a, b Expr) bool {
	if a.Kind != ExprList || b.Kind != ExprList {
		return a.Kind != "" && valueKey(a) == valueKey(b)
	}
	return subset(a.Items, b.Items) && subset(b.Items, a.Items)
}

func subset(a, b []Expr) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if valueEqual(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// valueEqual reports whether two values are known equal.
func valueEqual(a, b Expr) bool {
	if c, ok := compareValues(a, b); ok {
		return c == 0
	}
	return a.IsValue() && valueKey(a) == valueKey(b)
}

// valueImplies reports whether x = v implies the condition (po, pv).
func valueImplies(v Expr, po Op, pv Expr, p Predicate) bool {
	if v.Kind == ExprConst {
		switch v.Value {
		case "true":
			if po == OpIsTrue || po == OpIsNotFalse {
				return true
			}
		case "false":
			if po == OpIsFalse || po == OpIsNotTrue {
				return true
			}
		}
	}
	switch po {
	case OpEq:
		return valueEqual(v, pv)
	case OpNe:
		c, ok := compareValues(v, pv)
		if ok {
			return c != 0
		}
		return v.Kind == ExprConst && pv.Kind == ExprConst && v.Value != pv.Value && sameLiteralType(v, pv)
	case OpLt, OpLe, OpGt, OpGe:
		c, ok := compareValues(v, pv)
		return ok && holds(c, po)
	case OpIn:
		if pv.Kind != ExprList {
			return false
		}
		for _, it := range pv.Items {
			if valueEqual(v, it) {
				return true
			}
		}
	case OpNotIn:
		if pv.Kind != ExprList {
			return false
		}
		for _, it := range pv.Items {
			c, ok := compareValues(v, it)
			if !ok || c == 0 {
				return false
			}
		}
		return true
	case OpIsNotNull:
		return v.Kind != ExprNull
	}
	return false
}

// holds reports whether a comparison with result c satisfies op.
func holds(c int, op Op) bool {
	switch op {
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	case OpGe:
		return c >= 0
	case OpEq:
		return c == 0
	case OpNe:
		return c != 0
	}
	return false
}

// rangeImplies reports whether x fo fv implies x po pv.
func rangeImplies(fo Op, fv Expr, po Op, pv Expr) bool {
	switch po {
	case OpLt, OpLe, OpGt, OpGe, OpNe:
	default:
		return false
	}
	c, ok := compareValues(fv, pv)
	if !ok {
		return false
	}
	upper := fo == OpLt || fo == OpLe
	switch po {
	case OpNe:
		// x > 5 implies x <> 5 and x <> 3.
		if upper {
			return c < 0 || (c == 0 && fo == OpLt)
		}
		return c > 0 || (c == 0 && fo == OpGt)
	case OpLt, OpLe:
		if !upper {
			return false
		}
		// x < 5 implies x < 6, x < 5, x <= 5; x <= 5 implies x < 6, x <= 5.
		if c < 0 {
			return true
		}
		return c == 0 && (po == OpLe || fo == OpLt)
	default:
		if upper {
			return false
		}
		if c > 0 {
			return true
		}
		return c == 0 && (po == OpGe || fo == OpGt)
	}
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$`)

// compareValues compares two constants: as numbers when both are
// numbers, as ISO dates/timestamps when both are. ok is false when they
// cannot be compared.
func compareValues(a, b Expr) (int, bool) {
	if a.Kind != ExprConst || b.Kind != ExprConst {
		return 0, false
	}
	if x, ok := new(big.Rat).SetString(a.Value); ok {
		if y, ok := new(big.Rat).SetString(b.Value); ok {
			return x.Cmp(y), true
		}
		return 0, false
	}
	if isoDate.MatchString(a.Value) && isoDate.MatchString(b.Value) {
		x, y := normalizeTimestamp(a.Value), normalizeTimestamp(b.Value)
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	if a.Value == b.Value {
		return 0, true
	}
	return 0, false
}

// normalizeTimestamp pads a date or timestamp so that strings compare in
// time order.
func normalizeTimestamp(s string) string {
	const full = "0000-00-00 00:00:00.000000"
	b := []byte(s)
	if len(b) > 10 && b[10] == 'T' {
		b[10] = ' '
	}
	if len(b) < len(full) {
		b = append(b, full[len(b):]...)
	}
	return string(b)
}

// sameLiteralType reports whether two literals are written with the
// same cast (or none), so that different values mean different values.
func sameLiteralType(a, b Expr) bool {
	return castOf(a.Text) == castOf(b.Text)
}

func castOf(text string) string {
	for i := len(text) - 1; i > 0; i-- {
		if text[i] == '\'' {
			return text[i+1:]
		}
	}
	return ""
}
