package sqlparse

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Predicates are normalized as PostgreSQL's planner sees them: NOT is
// pushed down (NOT (a OR b) is two conjuncts, NOT x = 1 is x <> 1, NOT
// EXISTS is OpNotExists), the column side is put on the left (5 < x is
// x > 5), a one-item IN list is an equality, and a row equality
// (a, b) = (1, 2) is one conjunct per column. Text is the deparsed
// canonical text of the predicate as normalized.

// comparisonOps maps comparison operators to predicate ops.
var comparisonOps = map[string]query.Op{
	"=": query.OpEq, "<>": query.OpNe, "<": query.OpLt, "<=": query.OpLe, ">": query.OpGt, ">=": query.OpGe,
	"~~": query.OpLike, "!~~": query.OpNotLike, "~~*": query.OpILike, "!~~*": query.OpNotILike,
	"~": query.OpRegex, "~*": query.OpRegex, "!~": query.OpRegex, "!~*": query.OpRegex,
}

// containmentOps are the operators of GIN, GiST and SP-GiST operator
// classes (arrays, jsonb, ranges, geometry, full text search).
var containmentOps = map[string]bool{
	"@>": true, "<@": true, "&&": true, "?": true, "?|": true, "?&": true, "@@": true, "@@@": true,
	"@?": true, "-|-": true, "<<": true, ">>": true, "&<": true, "&>": true, "<<|": true, "|>>": true,
	"&<|": true, "|&>": true, "~=": true, "<^": true, ">^": true, "%": true, "<%": true, "%>": true,
	"<<%": true, "%>>": true,
}

// negators maps operators to their negation.
var negators = map[string]string{
	"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
	"~~": "!~~", "!~~": "~~", "~~*": "!~~*", "!~~*": "~~*",
	"~": "!~", "!~": "~", "~*": "!~*", "!~*": "~*",
}

// commutators maps operators to the operator with swapped operands.
var commutators = map[string]string{
	"=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<=",
	"@>": "<@", "<@": "@>", "&&": "&&", "@@": "@@", "-|-": "-|-", "~=": "~=",
	"<<": ">>", ">>": "<<", "&<": "&>", "&>": "&<", "<<|": "|>>", "|>>": "<<|",
}

func strNode(s string) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: s}}}
}

func mkAExpr(kind pg_query.A_Expr_Kind, name []*pg_query.Node, l, r *pg_query.Node, loc int32) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AExpr{AExpr: &pg_query.A_Expr{Kind: kind, Name: name, Lexpr: l, Rexpr: r, Location: loc}}}
}

func mkNot(n *pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_BoolExpr{BoolExpr: &pg_query.BoolExpr{Boolop: pg_query.BoolExprType_NOT_EXPR, Args: []*pg_query.Node{n}}}}
}

// hasLocal reports whether e reads a column of its own block.
func hasLocal(e query.Expr) bool {
	for _, c := range e.Columns {
		if c.Outer == 0 {
			return true
		}
	}
	return false
}

// columnSide reports whether e is what the model puts on the left: an
// expression over the block's own columns, not a subquery.
func columnSide(e query.Expr) bool {
	return e.Kind != query.ExprSubquery && hasLocal(e)
}

// preds returns the conjuncts of a boolean expression.
func (b *builder) preds(n *pg_query.Node, sc *scope, clause query.Clause) []query.Predicate {
	return b.pred(n, sc, clause, false)
}

// pred returns the conjuncts of n, or of NOT n when neg.
func (b *builder) pred(n *pg_query.Node, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	if n == nil || n.Node == nil {
		return nil
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_BoolExpr:
		be := v.BoolExpr
		switch be.Boolop {
		case pg_query.BoolExprType_NOT_EXPR:
			if len(be.Args) == 1 {
				return b.pred(be.Args[0], sc, clause, !neg)
			}
		case pg_query.BoolExprType_AND_EXPR:
			if !neg {
				var out []query.Predicate
				for _, a := range be.Args {
					out = append(out, b.pred(a, sc, clause, false)...)
				}
				return out
			}
			return []query.Predicate{b.orPred(n, be.Args, sc, clause, true, int(be.Location))}
		case pg_query.BoolExprType_OR_EXPR:
			if neg {
				var out []query.Predicate
				for _, a := range be.Args {
					out = append(out, b.pred(a, sc, clause, true)...)
				}
				return out
			}
			return []query.Predicate{b.orPred(n, be.Args, sc, clause, false, int(be.Location))}
		}
	case *pg_query.Node_AExpr:
		return b.aExprPred(n, v.AExpr, sc, clause, neg)
	case *pg_query.Node_NullTest:
		nt := v.NullTest
		op := query.OpIsNull
		if (nt.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL) != neg {
			op = query.OpIsNotNull
		}
		text := n
		if neg {
			c := &pg_query.NullTest{Arg: nt.Arg, Nulltesttype: pg_query.NullTestType_IS_NULL, Location: nt.Location}
			if op == query.OpIsNotNull {
				c.Nulltesttype = pg_query.NullTestType_IS_NOT_NULL
			}
			text = &pg_query.Node{Node: &pg_query.Node_NullTest{NullTest: c}}
		}
		return []query.Predicate{{Op: op, Left: b.expr(nt.Arg, sc), Clause: clause, Text: b.predText(text, false), Location: int(nt.Location)}}
	case *pg_query.Node_BooleanTest:
		bt := v.BooleanTest
		t := bt.Booltesttype
		if neg {
			switch t {
			case pg_query.BoolTestType_IS_TRUE:
				t = pg_query.BoolTestType_IS_NOT_TRUE
			case pg_query.BoolTestType_IS_NOT_TRUE:
				t = pg_query.BoolTestType_IS_TRUE
			case pg_query.BoolTestType_IS_FALSE:
				t = pg_query.BoolTestType_IS_NOT_FALSE
			case pg_query.BoolTestType_IS_NOT_FALSE:
				t = pg_query.BoolTestType_IS_FALSE
			case pg_query.BoolTestType_IS_UNKNOWN:
				t = pg_query.BoolTestType_IS_NOT_UNKNOWN
			case pg_query.BoolTestType_IS_NOT_UNKNOWN:
				t = pg_query.BoolTestType_IS_UNKNOWN
			}
		}
		ops := map[pg_query.BoolTestType]query.Op{
			pg_query.BoolTestType_IS_TRUE: query.OpIsTrue, pg_query.BoolTestType_IS_NOT_TRUE: query.OpIsNotTrue,
			pg_query.BoolTestType_IS_FALSE: query.OpIsFalse, pg_query.BoolTestType_IS_NOT_FALSE: query.OpIsNotFalse,
			pg_query.BoolTestType_IS_UNKNOWN: query.OpIsNull, pg_query.BoolTestType_IS_NOT_UNKNOWN: query.OpIsNotNull,
		}
		c := &pg_query.BooleanTest{Arg: bt.Arg, Booltesttype: t, Location: bt.Location}
		text := &pg_query.Node{Node: &pg_query.Node_BooleanTest{BooleanTest: c}}
		return []query.Predicate{{Op: ops[t], Left: b.expr(bt.Arg, sc), Clause: clause, Text: b.predText(text, false), Location: int(bt.Location)}}
	case *pg_query.Node_SubLink:
		if p, ok := b.subLinkPred(n, v.SubLink, sc, clause, neg); ok {
			return []query.Predicate{p}
		}
	}
	return []query.Predicate{b.boolPred(n, sc, clause, neg)}
}

// orPred builds a disjunction of args (of their negations when neg).
func (b *builder) orPred(n *pg_query.Node, args []*pg_query.Node, sc *scope, clause query.Clause, neg bool, loc int) query.Predicate {
	p := query.Predicate{Op: query.OpOr, Clause: clause, Text: b.predText(n, neg), Location: loc}
	for _, a := range args {
		branch := b.pred(a, sc, clause, neg)
		if len(branch) == 1 && branch[0].Op == query.OpOr {
			p.Or = append(p.Or, branch[0].Or...)
			continue
		}
		p.Or = append(p.Or, branch)
	}
	return p
}

// notPred wraps the positive predicates of n in OpNot.
func (b *builder) notPred(n *pg_query.Node, sc *scope, clause query.Clause, loc int) query.Predicate {
	return query.Predicate{Op: query.OpNot, Not: b.pred(n, sc, clause, false), Clause: clause, Text: b.predText(n, true), Location: loc}
}

// boolPred builds a predicate from a boolean-valued expression: a bare
// boolean column or function is IS TRUE (IS FALSE when negated).
func (b *builder) boolPred(n *pg_query.Node, sc *scope, clause query.Clause, neg bool) query.Predicate {
	loc := nodeLocation(n)
	if loc < 0 {
		loc = 0
	}
	switch n.Node.(type) {
	case *pg_query.Node_ColumnRef, *pg_query.Node_FuncCall, *pg_query.Node_TypeCast, *pg_query.Node_AIndirection:
		e := b.expr(n, sc)
		if e.Kind == query.ExprConst || e.Kind == query.ExprParam || e.Kind == query.ExprNull {
			break
		}
		op := query.OpIsTrue
		if neg {
			op = query.OpIsFalse
		}
		return query.Predicate{Op: op, Left: e, Clause: clause, Text: b.predText(n, neg), Location: loc}
	}
	if neg {
		return b.notPred(n, sc, clause, loc)
	}
	return query.Predicate{Op: query.OpOther, Left: b.expr(n, sc), Clause: clause, Text: b.predText(n, false), Location: loc}
}

// listOf makes an IN list or BETWEEN bounds into an ExprList.
func listOf(items []query.Expr, sep, open, close string) query.Expr {
	e := query.Expr{Kind: query.ExprList}
	var texts, keys []string
	diff := false
	for _, x := range items {
		e.Items = append(e.Items, x)
		addCols(&e, x)
		texts = append(texts, x.Text)
		keys = append(keys, x.MatchKey())
		if x.Key != "" {
			diff = true
		}
	}
	e.Text = open + strings.Join(texts, sep) + close
	if diff {
		e.Key = open + strings.Join(keys, sep) + close
	}
	return e
}

// aExprPred builds predicates from an A_Expr.
func (b *builder) aExprPred(n *pg_query.Node, a *pg_query.A_Expr, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	loc := int(a.Location)
	op := strings.TrimPrefix(opName(a.Name), "pg_catalog.")
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if a.Lexpr == nil {
			break // prefix operator
		}
		return b.binaryPred(n, a, op, sc, clause, neg)
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		return b.binaryPred(n, a, op, sc, clause, neg)
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		pos := op == "~"
		if neg {
			pos = !pos
		}
		p := query.Predicate{Op: query.OpSimilar, Left: b.expr(a.Lexpr, sc), Clause: clause, Location: loc}
		if !pos {
			p.Op = query.OpNotSimilar
		}
		if fc := a.Rexpr.GetFuncCall(); fc != nil && len(fc.Args) > 0 {
			p.Right = b.expr(fc.Args[0], sc)
		} else {
			p.Right = b.expr(a.Rexpr, sc)
		}
		name := []*pg_query.Node{strNode("~")}
		if !pos {
			name = []*pg_query.Node{strNode("!~")}
		}
		p.Text = b.predText(mkAExpr(a.Kind, name, a.Lexpr, a.Rexpr, a.Location), false)
		return []query.Predicate{p}
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		distinct := (a.Kind == pg_query.A_Expr_Kind_AEXPR_DISTINCT) != neg
		l, r := b.expr(a.Lexpr, sc), b.expr(a.Rexpr, sc)
		ln, rn := a.Lexpr, a.Rexpr
		if !columnSide(l) && columnSide(r) {
			l, r, ln, rn = r, l, rn, ln
		}
		kind, pop := pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT, query.OpNotDistinc
		if distinct {
			kind, pop = pg_query.A_Expr_Kind_AEXPR_DISTINCT, query.OpIsDistinct
		}
		text := b.predText(mkAExpr(kind, a.Name, ln, rn, a.Location), false)
		return []query.Predicate{{Op: pop, Left: l, Right: r, Clause: clause, Text: text, Location: loc}}
	case pg_query.A_Expr_Kind_AEXPR_IN:
		return b.inPred(n, a, sc, clause, neg)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		return b.anyPred(n, a, op, sc, clause, neg)
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		return b.betweenPred(n, a, sc, clause, neg)
	}
	return []query.Predicate{b.boolPred(n, sc, clause, neg)}
}

// binaryPred builds a comparison, LIKE, regex, containment or other
// binary operator predicate.
func (b *builder) binaryPred(n *pg_query.Node, a *pg_query.A_Expr, op string, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	// (a, b) = (1, 2) is a = 1 AND b = 2.
	if op == "=" && a.Kind == pg_query.A_Expr_Kind_AEXPR_OP && !neg {
		if lr, rr := a.Lexpr.GetRowExpr(), a.Rexpr.GetRowExpr(); lr != nil && rr != nil && len(lr.Args) == len(rr.Args) && len(lr.Args) > 0 {
			var out []query.Predicate
			for i := range lr.Args {
				sub := mkAExpr(pg_query.A_Expr_Kind_AEXPR_OP, a.Name, lr.Args[i], rr.Args[i], a.Location)
				out = append(out, b.binaryPred(sub, sub.GetAExpr(), op, sc, clause, false)...)
			}
			return out
		}
	}
	l, r := b.expr(a.Lexpr, sc), b.expr(a.Rexpr, sc)
	if _, ok := negators[op]; neg && !ok {
		p := b.makeBinary(n, a.Kind, a.Name, op, a.Lexpr, a.Rexpr, l, r, sc, clause, false, a.Location)
		return []query.Predicate{b.notOf(p, n)}
	}
	return []query.Predicate{b.makeBinary(n, a.Kind, a.Name, op, a.Lexpr, a.Rexpr, l, r, sc, clause, neg, a.Location)}
}

// notOf wraps an already built predicate of node n in OpNot.
func (b *builder) notOf(p query.Predicate, n *pg_query.Node) query.Predicate {
	return query.Predicate{Op: query.OpNot, Not: []query.Predicate{p}, Clause: p.Clause, Text: b.predText(n, true), Location: p.Location}
}

// makeBinary builds the predicate ln op rn from its built operands l and
// r, negated when neg (op must then have a negator), with the column
// side moved to the left. n is the node as written, for Text when
// nothing changes (nil: always rebuild the text).
func (b *builder) makeBinary(n *pg_query.Node, kind pg_query.A_Expr_Kind, name []*pg_query.Node, op string,
	ln, rn *pg_query.Node, l, r query.Expr, sc *scope, clause query.Clause, neg bool, loc int32) query.Predicate {
	changed := n == nil
	if neg {
		nop := negators[op]
		op, name, changed = nop, []*pg_query.Node{strNode(nop)}, true
	}
	pop, isCmp := comparisonOps[op]
	if !columnSide(l) && columnSide(r) {
		if cop, ok := commutators[op]; ok {
			l, r, ln, rn = r, l, rn, ln
			op, name, changed = cop, []*pg_query.Node{strNode(cop)}, true
			pop, isCmp = comparisonOps[op]
		}
	}
	p := query.Predicate{Left: l, Right: r, Clause: clause, Location: int(loc)}
	switch {
	case isCmp:
		p.Op = pop
		if pop == query.OpRegex {
			p.Operator = op
		}
	case containmentOps[op]:
		p.Op = query.OpContains
		p.Operator = op
	default:
		p.Op = query.OpOther
		p.Operator = op
	}
	switch p.Op {
	case query.OpLike, query.OpNotLike, query.OpILike, query.OpNotILike:
		pat, esc := rn, `\`
		if fc := rn.GetFuncCall(); fc != nil && baseFuncName(fc.Funcname) == "like_escape" && len(fc.Args) == 2 {
			pat = fc.Args[0]
			p.Right = b.exprOf(pat, r)
			if c := fc.Args[1].GetAConst(); c != nil {
				esc, _ = constValue(c)
			} else {
				esc = "?"
			}
		}
		p.Like, p.Prefix = likeKind(pat, esc)
	}
	if changed {
		if kind == pg_query.A_Expr_Kind_AEXPR_LIKE || kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
			// LIKE keeps its keyword form; its negation NOT LIKE.
			if strings.Contains(op, "*") {
				kind = pg_query.A_Expr_Kind_AEXPR_ILIKE
			} else {
				kind = pg_query.A_Expr_Kind_AEXPR_LIKE
			}
		}
		p.Text = b.predText(mkAExpr(kind, name, ln, rn, loc), false)
	} else {
		p.Text = b.predText(n, false)
	}
	return p
}

// exprOf returns the expression of node pat found inside the already
// built expression whole (the pattern argument of like_escape), so that
// nothing is built twice.
func (b *builder) exprOf(pat *pg_query.Node, whole query.Expr) query.Expr {
	t, k := b.text(pat)
	e := query.Expr{Text: t, Key: k, Kind: query.ExprOther}
	if c := pat.GetAConst(); c != nil {
		v, null := constValue(c)
		e.Kind, e.Value = query.ExprConst, v
		if null {
			e.Kind, e.Value = query.ExprNull, ""
		}
		return e
	}
	if pr := pat.GetParamRef(); pr != nil {
		e.Kind, e.Param = query.ExprParam, int(pr.Number)
		return e
	}
	e.Columns = whole.Columns
	e.Volatile = whole.Volatile
	return e
}

// likeKind classifies a LIKE pattern node with escape character esc
// ("" for none, "?" when not constant).
func likeKind(pat *pg_query.Node, esc string) (query.LikeKind, string) {
	// Look through casts: 'abc%'::text.
	for pat != nil {
		if tc := pat.GetTypeCast(); tc != nil {
			pat = tc.Arg
			continue
		}
		break
	}
	if pat == nil {
		return query.LikeUnknown, ""
	}
	if c := pat.GetAConst(); c != nil {
		s, null := constValue(c)
		if null || c.GetSval() == nil || esc == "?" {
			return query.LikeUnknown, ""
		}
		var prefix strings.Builder
		for i := 0; i < len(s); i++ {
			ch := s[i]
			if esc != "" && strings.HasPrefix(s[i:], esc) {
				i += len(esc)
				if i < len(s) {
					prefix.WriteByte(s[i])
				}
				continue
			}
			if ch == '%' || ch == '_' {
				if i == 0 {
					return query.LikeInfix, ""
				}
				return query.LikePrefix, prefix.String()
			}
			prefix.WriteByte(ch)
		}
		return query.LikeExact, ""
	}
	// '%' || $1 || '%': a leading wildcard is known even when the rest
	// is not.
	left := pat
	for {
		ae := left.GetAExpr()
		if ae == nil || ae.Kind != pg_query.A_Expr_Kind_AEXPR_OP || opName(ae.Name) != "||" || ae.Lexpr == nil {
			break
		}
		left = ae.Lexpr
		for left.GetTypeCast() != nil {
			left = left.GetTypeCast().Arg
		}
	}
	if left != pat {
		if c := left.GetAConst(); c != nil && c.GetSval() != nil {
			if s := c.GetSval().Sval; s != "" && (s[0] == '%' || s[0] == '_') {
				return query.LikeInfix, ""
			}
		}
	}
	return query.LikeUnknown, ""
}

// inPred builds x [NOT] IN (list).
func (b *builder) inPred(n *pg_query.Node, a *pg_query.A_Expr, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	loc := int(a.Location)
	list := a.Rexpr.GetList()
	if list == nil {
		return []query.Predicate{b.boolPred(n, sc, clause, neg)}
	}
	in := opName(a.Name) != "<>"
	if neg {
		in = !in
	}
	if len(list.Items) == 1 {
		// x IN (v) is x = v, as PostgreSQL transforms it.
		opn := "="
		if !in {
			opn = "<>"
		}
		sub := mkAExpr(pg_query.A_Expr_Kind_AEXPR_OP, []*pg_query.Node{strNode(opn)}, a.Lexpr, list.Items[0], a.Location)
		return b.binaryPred(sub, sub.GetAExpr(), opn, sc, clause, false)
	}
	l := b.expr(a.Lexpr, sc)
	items := make([]query.Expr, len(list.Items))
	anyLocal := false
	for i, it := range list.Items {
		items[i] = b.expr(it, sc)
		if columnSide(items[i]) {
			anyLocal = true
		}
	}
	if !columnSide(l) && anyLocal {
		// $1 IN (a, b) is $1 = a OR $1 = b.
		eq := []*pg_query.Node{strNode("=")}
		whole := mkAExpr(a.Kind, eq, a.Lexpr, a.Rexpr, a.Location)
		or := query.Predicate{Op: query.OpOr, Clause: clause, Location: loc, Text: b.predText(whole, false)}
		for i, it := range list.Items {
			or.Or = append(or.Or, []query.Predicate{b.makeBinary(nil, pg_query.A_Expr_Kind_AEXPR_OP, eq, "=", a.Lexpr, it, l, items[i], sc, clause, false, a.Location)})
		}
		if !in {
			return []query.Predicate{b.notOf(or, whole)}
		}
		return []query.Predicate{or}
	}
	p := query.Predicate{Op: query.OpIn, Left: l, Right: listOf(items, ", ", "(", ")"), Clause: clause, Location: loc}
	name := []*pg_query.Node{strNode("=")}
	if !in {
		p.Op = query.OpNotIn
		name = []*pg_query.Node{strNode("<>")}
	}
	p.Text = b.predText(mkAExpr(pg_query.A_Expr_Kind_AEXPR_IN, name, a.Lexpr, a.Rexpr, a.Location), false)
	return []query.Predicate{p}
}

// anyPred builds x op ANY (array) and x op ALL (array).
func (b *builder) anyPred(n *pg_query.Node, a *pg_query.A_Expr, op string, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	loc := int(a.Location)
	isAny := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY
	l, r := b.expr(a.Lexpr, sc), b.expr(a.Rexpr, sc)
	// = ANY is IN; <> ALL is NOT IN; negation swaps them.
	var pop query.Op
	switch {
	case isAny && op == "=":
		pop = query.OpIn
	case !isAny && op == "<>":
		pop = query.OpNotIn
	}
	if pop != "" && columnSide(l) {
		kind, name := a.Kind, a.Name
		if neg {
			if pop == query.OpIn {
				pop, kind, name = query.OpNotIn, pg_query.A_Expr_Kind_AEXPR_OP_ALL, []*pg_query.Node{strNode("<>")}
			} else {
				pop, kind, name = query.OpIn, pg_query.A_Expr_Kind_AEXPR_OP_ANY, []*pg_query.Node{strNode("=")}
			}
		}
		text := b.predText(mkAExpr(kind, name, a.Lexpr, a.Rexpr, a.Location), false)
		return []query.Predicate{{Op: pop, Left: l, Right: r, Clause: clause, Text: text, Location: loc}}
	}
	suffix := " ANY"
	if !isAny {
		suffix = " ALL"
	}
	p := query.Predicate{Op: query.OpOther, Left: l, Right: r, Operator: op + suffix, Clause: clause, Text: b.predText(n, false), Location: loc}
	if !columnSide(l) && columnSide(r) {
		// $1 = ANY(tags): the column is the array.
		p.Left, p.Right = r, l
	}
	if neg {
		return []query.Predicate{b.notOf(p, n)}
	}
	return []query.Predicate{p}
}

// betweenPred builds [NOT] BETWEEN [SYMMETRIC].
func (b *builder) betweenPred(n *pg_query.Node, a *pg_query.A_Expr, sc *scope, clause query.Clause, neg bool) []query.Predicate {
	loc := int(a.Location)
	list := a.Rexpr.GetList()
	if list == nil || len(list.Items) != 2 {
		return []query.Predicate{b.boolPred(n, sc, clause, neg)}
	}
	not := a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
	sym := a.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
	if neg {
		not = !not
	}
	l := b.expr(a.Lexpr, sc)
	bounds := []query.Expr{b.expr(list.Items[0], sc), b.expr(list.Items[1], sc)}
	if !not && !sym && !columnSide(l) && (columnSide(bounds[0]) || columnSide(bounds[1])) {
		// $1 BETWEEN lo AND hi is lo <= $1 AND hi >= $1: two range
		// conditions on the bound columns.
		ge := []*pg_query.Node{strNode(">=")}
		le := []*pg_query.Node{strNode("<=")}
		return []query.Predicate{
			b.makeBinary(nil, pg_query.A_Expr_Kind_AEXPR_OP, ge, ">=", a.Lexpr, list.Items[0], l, bounds[0], sc, clause, false, a.Location),
			b.makeBinary(nil, pg_query.A_Expr_Kind_AEXPR_OP, le, "<=", a.Lexpr, list.Items[1], l, bounds[1], sc, clause, false, a.Location),
		}
	}
	kind, name, pop := pg_query.A_Expr_Kind_AEXPR_BETWEEN, "BETWEEN", query.OpBetween
	switch {
	case not && sym:
		kind, name, pop = pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM, "NOT BETWEEN SYMMETRIC", query.OpNotBetween
	case not:
		kind, name, pop = pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN, "NOT BETWEEN", query.OpNotBetween
	case sym:
		kind, name = pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, "BETWEEN SYMMETRIC"
	}
	p := query.Predicate{Op: pop, Left: l, Right: listOf(bounds, " AND ", "", ""), Clause: clause, Location: loc}
	if sym {
		p.Operator = strings.ToLower(name)
	}
	p.Text = b.predText(mkAExpr(kind, []*pg_query.Node{strNode(name)}, a.Lexpr, a.Rexpr, a.Location), false)
	return []query.Predicate{p}
}

// subLinkPred builds EXISTS, IN (SELECT ...), op ANY/ALL (SELECT ...).
func (b *builder) subLinkPred(n *pg_query.Node, s *pg_query.SubLink, sc *scope, clause query.Clause, neg bool) (query.Predicate, bool) {
	loc := int(s.Location)
	op := opName(s.OperName)
	var pop query.Op
	switch s.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		pop = query.OpExists
		if neg {
			pop = query.OpNotExists
		}
	case pg_query.SubLinkType_ANY_SUBLINK:
		if op == "" || op == "=" {
			pop = query.OpInSubquery
			if neg {
				pop = query.OpNotInSub
			}
		}
	case pg_query.SubLinkType_ALL_SUBLINK:
		if op == "<>" {
			pop = query.OpNotInSub
			if neg {
				pop = query.OpInSubquery
			}
		}
	default:
		return query.Predicate{}, false
	}
	if pop == "" {
		if neg {
			return b.notPred(n, sc, clause, loc), true
		}
		pop = query.OpOther
	}
	var left query.Expr
	if s.Testexpr != nil {
		left = b.expr(s.Testexpr, sc)
	}
	var right query.Expr
	sub := &pg_query.SubLink{SubLinkType: s.SubLinkType, OperName: s.OperName, Subselect: s.Subselect, Location: s.Location}
	b.subLinkExpr(&right, sub, sc, neg)
	// The value side is the subquery itself.
	right.Text, right.Key = b.text(&pg_query.Node{Node: &pg_query.Node_SubLink{SubLink: &pg_query.SubLink{SubLinkType: pg_query.SubLinkType_EXPR_SUBLINK, Subselect: s.Subselect}}})
	p := query.Predicate{Op: pop, Left: left, Right: right, Clause: clause, Text: b.predText(n, neg), Location: loc}
	if pop == query.OpOther {
		p.Operator = op + " ANY"
		if s.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK {
			p.Operator = op + " ALL"
		}
	}
	return p, true
}
