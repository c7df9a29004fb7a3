package sqlparse

import (
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// aggregateFuncs are PostgreSQL's built-in aggregate functions. A call
// with DISTINCT, ORDER BY, FILTER, WITHIN GROUP or * is an aggregate
// whatever its name.
var aggregateFuncs = map[string]bool{
	"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"array_agg": true, "string_agg": true, "bool_and": true, "bool_or": true, "every": true,
	"json_agg": true, "jsonb_agg": true, "json_object_agg": true, "jsonb_object_agg": true,
	"json_agg_strict": true, "jsonb_agg_strict": true, "json_object_agg_strict": true,
	"jsonb_object_agg_strict": true, "json_object_agg_unique": true, "jsonb_object_agg_unique": true,
	"json_object_agg_unique_strict": true, "jsonb_object_agg_unique_strict": true,
	"stddev": true, "stddev_pop": true, "stddev_samp": true, "variance": true,
	"var_pop": true, "var_samp": true, "bit_and": true, "bit_or": true, "bit_xor": true,
	"xmlagg": true, "corr": true, "covar_pop": true, "covar_samp": true,
	"regr_avgx": true, "regr_avgy": true, "regr_count": true, "regr_intercept": true,
	"regr_r2": true, "regr_slope": true, "regr_sxx": true, "regr_sxy": true, "regr_syy": true,
	"percentile_cont": true, "percentile_disc": true, "mode": true, "rank": false,
	"any_value": true, "range_agg": true, "range_intersect_agg": true,
	"grouping": false,
}

// volatileFuncs are built-in volatile functions: their result changes
// from row to row (random(), clock_timestamp()) or they have side
// effects (nextval()). now() and current_timestamp are stable, not
// volatile.
var volatileFuncs = map[string]bool{
	"random": true, "random_normal": true, "setseed": true, "clock_timestamp": true,
	"timeofday": true, "nextval": true, "setval": true, "currval": true, "lastval": true,
	"gen_random_uuid": true, "uuid_generate_v1": true, "uuid_generate_v1mc": true,
	"uuid_generate_v4": true, "uuidv4": true, "uuidv7": true,
	"pg_sleep": true, "pg_sleep_for": true, "pg_sleep_until": true,
	"pg_advisory_lock": true, "pg_try_advisory_lock": true, "pg_advisory_xact_lock": true,
	"pg_try_advisory_xact_lock": true, "pg_advisory_unlock": true,
	"dblink": true, "dblink_exec": true, "pg_notify": true, "set_config": true,
	"txid_current": true, "pg_current_xact_id": true,
}

// funcName returns a function's name as written, dotted, without a
// pg_catalog qualifier.
func funcName(names []*pg_query.Node) string {
	parts := make([]string, 0, len(names))
	for _, n := range names {
		s, _ := nodeString(n)
		parts = append(parts, s)
	}
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

// baseFuncName returns the unqualified function name.
func baseFuncName(names []*pg_query.Node) string {
	if len(names) == 0 {
		return ""
	}
	s, _ := nodeString(names[len(names)-1])
	return s
}

// columnFields returns the names of a column reference, and whether it
// ends in a star.
func columnFields(c *pg_query.ColumnRef) ([]string, bool) {
	out := make([]string, 0, len(c.Fields))
	star := false
	for _, f := range c.Fields {
		switch v := f.Node.(type) {
		case *pg_query.Node_String_:
			out = append(out, v.String_.Sval)
		case *pg_query.Node_AStar:
			star = true
		}
	}
	return out, star
}

// constValue returns the value of a literal as text and whether it is
// NULL.
func constValue(c *pg_query.A_Const) (string, bool) {
	if c.Isnull {
		return "", true
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return strconv.Itoa(int(v.Ival.GetIval())), false
	case *pg_query.A_Const_Fval:
		return v.Fval.GetFval(), false
	case *pg_query.A_Const_Boolval:
		return strconv.FormatBool(v.Boolval.GetBoolval()), false
	case *pg_query.A_Const_Sval:
		return v.Sval.GetSval(), false
	case *pg_query.A_Const_Bsval:
		return v.Bsval.GetBsval(), false
	}
	return "", true
}

// typeText is the canonical text of a type name.
func typeText(t *pg_query.TypeName) string {
	d := deparser{}
	d.typeName(t)
	if d.fallback {
		return strings.Join(typeNameParts(t), ".")
	}
	return d.b.String()
}

// addCols appends the columns of sub to e, without duplicates.
func addCols(e *query.Expr, sub query.Expr) {
	for _, c := range sub.Columns {
		dup := false
		for _, x := range e.Columns {
			if x.Rel == c.Rel && x.Query == c.Query && x.Column == c.Column && x.Outer == c.Outer &&
				len(x.Candidates) == len(c.Candidates) {
				dup = true
				break
			}
		}
		if !dup {
			e.Columns = append(e.Columns, c)
		}
	}
	if sub.Volatile {
		e.Volatile = true
	}
	if sub.Aggregate {
		e.Aggregate = true
	}
	if sub.Window {
		e.Window = true
	}
}

// expr builds the model of an expression written in scope sc.
func (b *builder) expr(n *pg_query.Node, sc *scope) query.Expr {
	if n == nil || n.Node == nil {
		return query.Expr{}
	}
	var e query.Expr
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		fields, star := columnFields(v.ColumnRef)
		if star {
			e.Kind = query.ExprStar
			e.Columns = b.starColumns(sc, fields, int(v.ColumnRef.Location))
			break
		}
		if len(fields) == 0 {
			e.Kind = query.ExprOther
			break
		}
		b.curRef = v.ColumnRef
		ref := b.resolve(sc, fields, int(v.ColumnRef.Location))
		b.curRef = nil
		e.Kind = query.ExprColumn
		e.Column = &ref
		e.Columns = []query.ColumnRef{ref}
	case *pg_query.Node_AConst:
		val, null := constValue(v.AConst)
		if null {
			e.Kind = query.ExprNull
		} else {
			e.Kind = query.ExprConst
			e.Value = val
		}
	case *pg_query.Node_ParamRef:
		e.Kind = query.ExprParam
		e.Param = int(v.ParamRef.Number)
		b.param(e.Param)
	case *pg_query.Node_TypeCast:
		inner := b.expr(v.TypeCast.Arg, sc)
		switch {
		case inner.Kind == query.ExprConst || inner.Kind == query.ExprParam || inner.Kind == query.ExprNull:
			e = inner
			e.Text, e.Key = "", ""
		case inner.Kind == query.ExprList && inner.Func == "array":
			// ARRAY['a', 'b']::text[] is still a list of values.
			e = inner
			e.Text, e.Key = "", ""
		default:
			e.Kind = query.ExprCast
			e.Func = typeText(v.TypeCast.TypeName)
			addCols(&e, inner)
		}
	case *pg_query.Node_FuncCall:
		b.funcCall(&e, v.FuncCall, sc)
	case *pg_query.Node_SqlvalueFunction:
		e.Kind = query.ExprFunc
		e.Func = sqlValueFunctionName(v.SqlvalueFunction.Op)
	case *pg_query.Node_AExpr:
		a := v.AExpr
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_OP {
			e.Kind = query.ExprOperator
			e.Func = opName(a.Name)
		} else {
			e.Kind = query.ExprOther
			e.Func = aExprKindName(a)
		}
		addCols(&e, b.expr(a.Lexpr, sc))
		if l, ok := a.Rexpr.GetNode().(*pg_query.Node_List); ok {
			for _, it := range l.List.Items {
				addCols(&e, b.expr(it, sc))
			}
		} else {
			addCols(&e, b.expr(a.Rexpr, sc))
		}
	case *pg_query.Node_SubLink:
		b.subLinkExpr(&e, v.SubLink, sc, false)
	case *pg_query.Node_AArrayExpr:
		e.Kind = query.ExprList
		e.Func = "array"
		for _, it := range v.AArrayExpr.Elements {
			x := b.expr(it, sc)
			e.Items = append(e.Items, x)
			addCols(&e, x)
		}
	case *pg_query.Node_RowExpr:
		e.Kind = query.ExprList
		e.Func = "row"
		for _, it := range v.RowExpr.Args {
			x := b.expr(it, sc)
			e.Items = append(e.Items, x)
			addCols(&e, x)
		}
	case *pg_query.Node_BoolExpr:
		e.Kind = query.ExprOther
		switch v.BoolExpr.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			e.Func = "and"
		case pg_query.BoolExprType_OR_EXPR:
			e.Func = "or"
		default:
			e.Func = "not"
		}
		for _, a := range v.BoolExpr.Args {
			addCols(&e, b.expr(a, sc))
		}
	case *pg_query.Node_NullTest:
		e.Kind = query.ExprOther
		e.Func = "is null"
		if v.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			e.Func = "is not null"
		}
		addCols(&e, b.expr(v.NullTest.Arg, sc))
	case *pg_query.Node_BooleanTest:
		e.Kind = query.ExprOther
		e.Func = "boolean test"
		addCols(&e, b.expr(v.BooleanTest.Arg, sc))
	case *pg_query.Node_CaseExpr:
		e.Kind = query.ExprOther
		e.Func = "case"
		addCols(&e, b.expr(v.CaseExpr.Arg, sc))
		for _, w := range v.CaseExpr.Args {
			if cw := w.GetCaseWhen(); cw != nil {
				addCols(&e, b.expr(cw.Expr, sc))
				addCols(&e, b.expr(cw.Result, sc))
			}
		}
		addCols(&e, b.expr(v.CaseExpr.Defresult, sc))
	case *pg_query.Node_CoalesceExpr:
		e.Kind = query.ExprOther
		e.Func = "coalesce"
		for _, a := range v.CoalesceExpr.Args {
			addCols(&e, b.expr(a, sc))
		}
	case *pg_query.Node_MinMaxExpr:
		e.Kind = query.ExprOther
		e.Func = "greatest"
		if v.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			e.Func = "least"
		}
		for _, a := range v.MinMaxExpr.Args {
			addCols(&e, b.expr(a, sc))
		}
	case *pg_query.Node_CollateClause:
		e.Kind = query.ExprOther
		e.Func = "collate"
		addCols(&e, b.expr(v.CollateClause.Arg, sc))
	case *pg_query.Node_AIndirection:
		e.Kind = query.ExprOperator
		e.Func = "[]"
		if len(v.AIndirection.Indirection) > 0 {
			if _, ok := v.AIndirection.Indirection[0].Node.(*pg_query.Node_AIndices); !ok {
				e.Func = "."
			}
		}
		addCols(&e, b.expr(v.AIndirection.Arg, sc))
		for _, in := range v.AIndirection.Indirection {
			if ix := in.GetAIndices(); ix != nil {
				addCols(&e, b.expr(ix.Lidx, sc))
				addCols(&e, b.expr(ix.Uidx, sc))
			}
		}
	case *pg_query.Node_GroupingFunc:
		e.Kind = query.ExprFunc
		e.Func = "grouping"
		for _, a := range v.GroupingFunc.Args {
			addCols(&e, b.expr(a, sc))
		}
	case *pg_query.Node_SetToDefault:
		e.Kind = query.ExprOther
		e.Func = "default"
	case *pg_query.Node_NamedArgExpr:
		return b.expr(v.NamedArgExpr.Arg, sc)
	default:
		// JSON and XML constructors, and anything else: collect what is
		// inside.
		e.Kind = query.ExprOther
		walkChildren(n.ProtoReflect(), func(c *pg_query.Node) {
			addCols(&e, b.expr(c, sc))
		})
	}
	if e.Text == "" {
		e.Text, e.Key = b.text(n)
	}
	if e.Volatile {
		sc.blk.hasVolatile = true
	}
	return e
}

// aExprKindName names a non-operator A_Expr for Expr.Func.
func aExprKindName(a *pg_query.A_Expr) string {
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
		return opName(a.Name) + " any"
	case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		return opName(a.Name) + " all"
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT:
		return "is distinct from"
	case pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		return "is not distinct from"
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		return "nullif"
	case pg_query.A_Expr_Kind_AEXPR_IN:
		if opName(a.Name) == "<>" {
			return "not in"
		}
		return "in"
	case pg_query.A_Expr_Kind_AEXPR_LIKE:
		if opName(a.Name) == "!~~" {
			return "not like"
		}
		return "like"
	case pg_query.A_Expr_Kind_AEXPR_ILIKE:
		if opName(a.Name) == "!~~*" {
			return "not ilike"
		}
		return "ilike"
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		return "similar to"
	default:
		return strings.ToLower(opName(a.Name))
	}
}

// funcCall builds a function call expression.
func (b *builder) funcCall(e *query.Expr, f *pg_query.FuncCall, sc *scope) {
	e.Kind = query.ExprFunc
	e.Func = funcName(f.Funcname)
	base := baseFuncName(f.Funcname)
	for _, a := range f.Args {
		addCols(e, b.expr(a, sc))
	}
	for _, o := range f.AggOrder {
		if sb := o.GetSortBy(); sb != nil {
			addCols(e, b.expr(sb.Node, sc))
		}
	}
	if f.AggFilter != nil {
		addCols(e, b.expr(f.AggFilter, sc))
	}
	if volatileFuncs[base] {
		e.Volatile = true
	}
	if f.Over != nil {
		sc.blk.q.Windows = true
		e.Window = true
		for _, p := range f.Over.PartitionClause {
			addCols(e, b.expr(p, sc))
		}
		for _, o := range f.Over.OrderClause {
			if sb := o.GetSortBy(); sb != nil {
				addCols(e, b.expr(sb.Node, sc))
			}
		}
		return
	}
	if f.AggStar || f.AggDistinct || f.AggOrder != nil || f.AggFilter != nil || f.AggWithinGroup ||
		(aggregateFuncs[base] && (len(f.Funcname) == 1 || funcName(f.Funcname) == base)) {
		sc.blk.q.Aggregates = true
		e.Aggregate = true
	}
}

// starColumns returns the columns a * or rel.* expands to, when known,
// recording them as referenced.
func (b *builder) starColumns(sc *scope, fields []string, loc int) []query.ColumnRef {
	var items []*item
	if len(fields) == 0 {
		for _, it := range sc.blk.items {
			if len(it.members) == 0 && !it.pseudo {
				items = append(items, it)
			}
		}
	} else {
		level, hide := 0, false
		for s := sc; s != nil && items == nil; s = s.parent {
			if !hide {
				if it, ok := s.blk.findQualified(fields, ""); ok {
					if len(it.members) > 0 {
						items = it.members
					} else {
						items = []*item{it}
					}
					if level > 0 {
						return nil
					}
				}
			}
			hide = s.hideParent
			level++
		}
	}
	var out []query.ColumnRef
	for _, it := range items {
		if !it.known {
			sc.blk.refs = append(sc.blk.refs, query.ColumnRef{Rel: it.alias, Query: sc.blk.q.ID, Column: "*", Table: tableOf(it), Location: loc})
			continue
		}
		for _, c := range it.cols {
			out = append(out, b.bind(sc, sc.blk, 0, it, c, loc))
		}
	}
	return out
}

func tableOf(it *item) query.TableName {
	if it.kind == query.RelTable {
		return it.table
	}
	return query.TableName{}
}

// subLinkExpr builds a subquery used as a value (or, with neg, in a
// negated predicate context) and returns its expression.
func (b *builder) subLinkExpr(e *query.Expr, s *pg_query.SubLink, sc *scope, neg bool) {
	role := query.RoleScalar
	switch s.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		role = query.RoleExists
		if neg {
			role = query.RoleNotExist
		}
	case pg_query.SubLinkType_ANY_SUBLINK:
		op := opName(s.OperName)
		switch {
		case op == "" || op == "=":
			role = query.RoleIn
			if neg {
				role = query.RoleNotIn
			}
		default:
			role = query.RoleAny
		}
	case pg_query.SubLinkType_ALL_SUBLINK:
		role = query.RoleAll
		if opName(s.OperName) == "<>" {
			role = query.RoleNotIn
			if neg {
				role = query.RoleIn
			}
		}
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		role = query.RoleArray
	}
	if s.Testexpr != nil {
		addCols(e, b.expr(s.Testexpr, sc))
	}
	sub := b.subquery(s.Subselect, sc, role, int(s.Location))
	e.Kind = query.ExprSubquery
	e.Query = sub.q.ID
	// Correlated references from inside, relative to this block.
	for _, r := range sub.escaping {
		tb := b.blocks[r.Query]
		if tb.depth > sc.blk.depth {
			continue
		}
		r.Outer = sc.blk.depth - tb.depth
		addCols(e, query.Expr{Columns: []query.ColumnRef{r}})
	}
	for _, blk := range b.blocks[sub.q.ID:] {
		if blk.hasVolatile {
			e.Volatile = true
		}
	}
}

// subquery builds a subquery block (a sublink's SELECT) under sc.
func (b *builder) subquery(n *pg_query.Node, sc *scope, role query.Role, loc int) *block {
	sel := n.GetSelectStmt()
	if sel == nil {
		blk := b.newBlock(role, sc.blk)
		blk.q.Location = loc
		return blk
	}
	blk := b.selectBlock(sel, sc, role, nil, false)
	blk.q.Location = loc
	return blk
}
