package sqlparse

import (
	"strconv"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file renders expressions as canonical text. The text is what
// pg_query's deparser prints for the expression with column qualifiers
// removed; the common node types are rendered in Go, following the
// deparser's rules exactly (a differential test checks it), because a cgo
// round trip per expression would cost more than parsing the statement.
// Anything else (subqueries, window calls, XML, JSON constructors, ...)
// falls back to pg_query.Deparse.
//
// In key mode the text becomes a matching key (see query.Expr.Key): casts
// to text-like types around columns and string literals are dropped,
// functions lose a pg_catalog or public qualifier, and SQL-syntax calls
// (AT TIME ZONE, EXTRACT, SUBSTRING, TRIM, POSITION, OVERLAY) are written
// as plain calls, so that pg_get_indexdef's forms and the query's forms
// give the same key.

type dctx int

const (
	ctxNone dctx = iota
	ctxAExpr
	ctxFuncExpr
)

type deparser struct {
	b   strings.Builder
	key bool
	// renames maps a column reference to the base table column it was
	// traced to, when the name differs (FROM t AS x(a), subquery output
	// aliases): the key names the base column.
	renames map[*pg_query.ColumnRef]string
	// level is the nesting depth of the node being rendered (1 at the
	// root).
	level int
	// rootCasts drops text casts at the root too (partial index
	// predicates, where pg_get_indexdef adds them around varchar
	// operands).
	rootCasts bool
	// subs holds the deparsed text of subqueries (keyed by the SubLink's
	// Subselect node), so that expressions holding one are rendered in Go.
	subs map[*pg_query.Node]string
	// fallback is set when a node is not rendered in Go.
	fallback bool
	// keyDiff is set (in text mode) when key mode would render
	// differently.
	keyDiff bool
}

// exprTextSubs returns the canonical text of n and, when it differs, its
// matching key ("" when equal to the text), with the renamed column references of the
// model (see deparser.renames), the rootCasts option and the deparsed
// subqueries of the statement.
func exprTextSubs(n *pg_query.Node, renames map[*pg_query.ColumnRef]string, rootCasts bool, subs map[*pg_query.Node]string) (text, key string) {
	d := deparser{renames: renames, rootCasts: rootCasts, subs: subs}
	d.expr(n, ctxAExpr)
	if d.fallback {
		text = fallbackDeparse(n, false, nil, false)
	} else {
		text = d.b.String()
	}
	if !d.keyDiff && !d.fallback {
		return text, ""
	}
	k := exprKeySubs(n, renames, rootCasts, subs)
	if k == text {
		k = ""
	}
	return text, k
}

func exprKeySubs(n *pg_query.Node, renames map[*pg_query.ColumnRef]string, rootCasts bool, subs map[*pg_query.Node]string) string {
	d := deparser{key: true, renames: renames, rootCasts: rootCasts, subs: subs}
	d.expr(n, ctxAExpr)
	if d.fallback {
		return fallbackDeparse(n, true, renames, rootCasts)
	}
	return d.b.String()
}

func (d *deparser) str(s string) { d.b.WriteString(s) }

func (d *deparser) ident(s string) { d.b.WriteString(QuoteIdent(s)) }

func (d *deparser) expr(n *pg_query.Node, ctx dctx) {
	if n == nil || d.fallback {
		return
	}
	d.level++
	defer func() { d.level-- }()
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		d.columnRef(v.ColumnRef)
	case *pg_query.Node_AConst:
		d.aConst(v.AConst)
	case *pg_query.Node_ParamRef:
		if v.ParamRef.Number == 0 {
			d.str("?")
		} else {
			d.str("$" + strconv.Itoa(int(v.ParamRef.Number)))
		}
	case *pg_query.Node_AIndirection:
		d.indirection(v.AIndirection)
	case *pg_query.Node_CaseExpr:
		d.caseExpr(v.CaseExpr)
	case *pg_query.Node_AArrayExpr:
		d.str("ARRAY[")
		d.list(v.AArrayExpr.Elements)
		d.str("]")
	case *pg_query.Node_RowExpr:
		switch v.RowExpr.RowFormat {
		case pg_query.CoercionForm_COERCE_EXPLICIT_CALL:
			d.str("ROW")
		case pg_query.CoercionForm_COERCE_IMPLICIT_CAST:
		default:
			d.fallback = true
			return
		}
		d.str("(")
		d.list(v.RowExpr.Args)
		d.str(")")
	case *pg_query.Node_TypeCast:
		d.typeCast(v.TypeCast, ctxNone)
	case *pg_query.Node_CollateClause:
		c := v.CollateClause
		if c.Arg != nil {
			paren := isAExpr(c.Arg)
			d.open(paren)
			d.expr(c.Arg, ctxAExpr)
			d.close(paren)
			d.str(" ")
		}
		d.str("COLLATE ")
		d.anyName(c.Collname)
	case *pg_query.Node_AExpr:
		d.aExpr(v.AExpr, ctxAExpr)
	case *pg_query.Node_BoolExpr:
		d.boolExpr(v.BoolExpr)
	case *pg_query.Node_NullTest:
		d.expr(v.NullTest.Arg, ctxAExpr)
		if v.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL {
			d.str(" IS NOT NULL")
		} else {
			d.str(" IS NULL")
		}
	case *pg_query.Node_BooleanTest:
		t := v.BooleanTest
		paren := t.Arg != nil && t.Arg.GetBoolExpr() != nil
		d.open(paren)
		d.expr(t.Arg, ctxAExpr)
		d.close(paren)
		switch t.Booltesttype {
		case pg_query.BoolTestType_IS_TRUE:
			d.str(" IS TRUE")
		case pg_query.BoolTestType_IS_NOT_TRUE:
			d.str(" IS NOT TRUE")
		case pg_query.BoolTestType_IS_FALSE:
			d.str(" IS FALSE")
		case pg_query.BoolTestType_IS_NOT_FALSE:
			d.str(" IS NOT FALSE")
		case pg_query.BoolTestType_IS_UNKNOWN:
			d.str(" IS UNKNOWN")
		case pg_query.BoolTestType_IS_NOT_UNKNOWN:
			d.str(" IS NOT UNKNOWN")
		}
	case *pg_query.Node_FuncCall:
		d.funcCall(v.FuncCall, ctx)
	case *pg_query.Node_SqlvalueFunction:
		d.sqlValueFunction(v.SqlvalueFunction)
	case *pg_query.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			d.str("LEAST(")
		} else {
			d.str("GREATEST(")
		}
		d.list(v.MinMaxExpr.Args)
		d.str(")")
	case *pg_query.Node_CoalesceExpr:
		d.str("COALESCE(")
		d.list(v.CoalesceExpr.Args)
		d.str(")")
	case *pg_query.Node_SetToDefault:
		d.str("DEFAULT")
	case *pg_query.Node_SubLink:
		d.subLink(v.SubLink)
	default:
		d.fallback = true
	}
}

// subLink renders a subquery expression around its deparsed SELECT.
func (d *deparser) subLink(s *pg_query.SubLink) {
	sel, ok := d.subs[s.Subselect]
	if !ok {
		d.fallback = true
		return
	}
	switch s.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		d.str("EXISTS (" + sel + ")")
	case pg_query.SubLinkType_ALL_SUBLINK:
		d.expr(s.Testexpr, ctxAExpr)
		d.str(" ")
		d.subqueryOp(s.OperName)
		d.str(" ALL (" + sel + ")")
	case pg_query.SubLinkType_ANY_SUBLINK:
		d.expr(s.Testexpr, ctxAExpr)
		if len(s.OperName) > 0 {
			d.str(" ")
			d.subqueryOp(s.OperName)
			d.str(" ANY ")
		} else {
			d.str(" IN ")
		}
		d.str("(" + sel + ")")
	case pg_query.SubLinkType_EXPR_SUBLINK:
		d.str("(" + sel + ")")
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		d.str("ARRAY(" + sel + ")")
	default:
		d.fallback = true
	}
}

// splitSentinel separates statements deparsed in one call.
const splitSentinel = "; SELECT 'pgadvisor:split:5e0c1f'; "

// deparseSubqueries deparses the SELECT of every subquery expression
// under root in one call to pg_query, keyed by the SubLink's Subselect.
func deparseSubqueries(root *pg_query.Node) map[*pg_query.Node]string {
	var subs []*pg_query.Node
	var walk func(n *pg_query.Node)
	walk = func(n *pg_query.Node) {
		if n == nil {
			return
		}
		if sl := n.GetSubLink(); sl != nil && sl.Subselect.GetSelectStmt() != nil {
			subs = append(subs, sl.Subselect)
		}
		forEachChild(n, walk)
	}
	walk(root)
	if len(subs) == 0 {
		return nil
	}
	out := make(map[*pg_query.Node]string, len(subs))
	sentinel := &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{
			Val: &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Sval{Sval: &pg_query.String{Sval: "pgadvisor:split:5e0c1f"}}}}}}}}},
		LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg_query.SetOperation_SETOP_NONE,
	}}}
	tree := &pg_query.ParseResult{Version: parserVersion()}
	for i, s := range subs {
		if i > 0 {
			tree.Stmts = append(tree.Stmts, &pg_query.RawStmt{Stmt: sentinel})
		}
		tree.Stmts = append(tree.Stmts, &pg_query.RawStmt{Stmt: s})
	}
	text, err := pg_query.Deparse(tree)
	parts := strings.Split(text, splitSentinel)
	if err == nil && len(parts) == len(subs) {
		for i, s := range subs {
			out[s] = parts[i]
		}
		return out
	}
	// A literal holding the sentinel, or a subquery the deparser
	// rejects: one call each.
	for _, s := range subs {
		t, err := pg_query.Deparse(&pg_query.ParseResult{Version: parserVersion(), Stmts: []*pg_query.RawStmt{{Stmt: s}}})
		if err == nil {
			out[s] = t
		}
	}
	return out
}

func (d *deparser) open(b bool) {
	if b {
		d.str("(")
	}
}

func (d *deparser) close(b bool) {
	if b {
		d.str(")")
	}
}

func (d *deparser) list(items []*pg_query.Node) {
	for i, it := range items {
		if i > 0 {
			d.str(", ")
		}
		d.expr(it, ctxAExpr)
	}
}

func (d *deparser) anyName(parts []*pg_query.Node) {
	for i, p := range parts {
		if i > 0 {
			d.str(".")
		}
		s, ok := p.Node.(*pg_query.Node_String_)
		if !ok {
			d.fallback = true
			return
		}
		d.ident(s.String_.Sval)
	}
}

// columnRef writes a column reference without its qualifiers: the last
// field, or rel.* for a qualified star (which keeps its qualifier, since
// it names what is expanded).
func (d *deparser) columnRef(c *pg_query.ColumnRef) {
	f := c.Fields
	if len(f) == 0 {
		d.fallback = true
		return
	}
	last := f[len(f)-1]
	if _, ok := last.Node.(*pg_query.Node_AStar); ok {
		if len(f) >= 2 {
			if s, ok := f[len(f)-2].Node.(*pg_query.Node_String_); ok {
				d.ident(s.String_.Sval)
				d.str(".")
			}
		}
		d.str("*")
		return
	}
	s, ok := last.Node.(*pg_query.Node_String_)
	if !ok {
		d.fallback = true
		return
	}
	if base, ok := d.renames[c]; ok {
		if d.key {
			d.ident(base)
			return
		}
		d.keyDiff = true
	}
	d.ident(s.String_.Sval)
}

func (d *deparser) aConst(c *pg_query.A_Const) {
	if c.Isnull {
		d.str("NULL")
		return
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		d.str(strconv.Itoa(int(v.Ival.GetIval())))
	case *pg_query.A_Const_Fval:
		d.str(v.Fval.GetFval())
	case *pg_query.A_Const_Boolval:
		if v.Boolval.GetBoolval() {
			d.str("true")
		} else {
			d.str("false")
		}
	case *pg_query.A_Const_Sval:
		d.str(stringLiteral(v.Sval.GetSval()))
	case *pg_query.A_Const_Bsval:
		s := v.Bsval.GetBsval()
		if len(s) >= 1 && (s[0] == 'x' || s[0] == 'b') {
			d.str(s[:1])
			d.str(stringLiteral(s[1:]))
		} else {
			d.fallback = true
		}
	default:
		d.str("NULL")
	}
}

// stringLiteral quotes s as the deparser does: E” syntax when s holds a
// backslash, quotes and backslashes doubled.
func stringLiteral(s string) string {
	var b strings.Builder
	if strings.IndexByte(s, '\\') >= 0 {
		b.WriteByte('E')
	}
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' || c == '\\' {
			b.WriteByte(c)
		}
		b.WriteByte(c)
	}
	b.WriteByte('\'')
	return b.String()
}

// needsParensAsBExpr mirrors the deparser: these nodes need parentheses
// as operands of an operator.
func needsParensAsBExpr(n *pg_query.Node) bool {
	if n == nil {
		return false
	}
	switch n.Node.(type) {
	case *pg_query.Node_BoolExpr, *pg_query.Node_BooleanTest, *pg_query.Node_NullTest, *pg_query.Node_AExpr:
		return true
	}
	return false
}

func isAExpr(n *pg_query.Node) bool {
	_, ok := n.Node.(*pg_query.Node_AExpr)
	return ok
}

func nodeString(n *pg_query.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	s, ok := n.Node.(*pg_query.Node_String_)
	if !ok {
		return "", false
	}
	return s.String_.Sval, true
}

// opName returns the operator of an A_Expr name list as written
// (schema-qualified operators come back as "schema.op").
func opName(name []*pg_query.Node) string {
	parts := make([]string, 0, len(name))
	for _, n := range name {
		s, _ := nodeString(n)
		parts = append(parts, s)
	}
	return strings.Join(parts, ".")
}

func isOpChars(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("~!@#^&|`?+-*/%<>=", rune(s[i])) {
			return false
		}
	}
	return true
}

func (d *deparser) anyOperator(op []*pg_query.Node) {
	switch len(op) {
	case 2:
		s0, _ := nodeString(op[0])
		s1, _ := nodeString(op[1])
		d.ident(s0)
		d.str(".")
		d.str(s1)
	case 1:
		s, _ := nodeString(op[0])
		d.str(s)
	default:
		d.fallback = true
	}
}

func (d *deparser) qualOp(op []*pg_query.Node) {
	if len(op) == 1 {
		if s, ok := nodeString(op[0]); ok && isOpChars(s) {
			d.str(s)
			return
		}
	}
	d.str("OPERATOR(")
	d.anyOperator(op)
	d.str(")")
}

func (d *deparser) subqueryOp(op []*pg_query.Node) {
	if len(op) == 1 {
		s, _ := nodeString(op[0])
		switch s {
		case "~~":
			d.str("LIKE")
			return
		case "!~~":
			d.str("NOT LIKE")
			return
		case "~~*":
			d.str("ILIKE")
			return
		case "!~~*":
			d.str("NOT ILIKE")
			return
		}
		if isOpChars(s) {
			d.str(s)
			return
		}
	}
	d.str("OPERATOR(")
	d.anyOperator(op)
	d.str(")")
}

func (d *deparser) aExpr(a *pg_query.A_Expr, ctx dctx) {
	if a.Rexpr == nil {
		d.fallback = true
		return
	}
	lp := needsParensAsBExpr(a.Lexpr)
	rp := needsParensAsBExpr(a.Rexpr)
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if a.Lexpr != nil {
			d.open(lp)
			d.expr(a.Lexpr, ctx)
			d.close(lp)
			d.str(" ")
		}
		d.qualOp(a.Name)
		d.str(" ")
		d.open(rp)
		d.expr(a.Rexpr, ctx)
		d.close(rp)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		d.expr(a.Lexpr, ctx)
		d.str(" ")
		d.subqueryOp(a.Name)
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY {
			d.str(" ANY(")
		} else {
			d.str(" ALL(")
		}
		d.expr(a.Rexpr, ctx)
		d.str(")")
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT:
		d.open(lp)
		d.expr(a.Lexpr, ctx)
		d.close(lp)
		d.str(" IS DISTINCT FROM ")
		d.open(rp)
		d.expr(a.Rexpr, ctx)
		d.close(rp)
	case pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		d.expr(a.Lexpr, ctx)
		d.str(" IS NOT DISTINCT FROM ")
		d.expr(a.Rexpr, ctx)
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		d.str("NULLIF(")
		d.expr(a.Lexpr, ctx)
		d.str(", ")
		d.expr(a.Rexpr, ctx)
		d.str(")")
	case pg_query.A_Expr_Kind_AEXPR_IN:
		l, ok := a.Rexpr.Node.(*pg_query.Node_List)
		if !ok {
			d.fallback = true
			return
		}
		d.expr(a.Lexpr, ctx)
		if opName(a.Name) == "<>" {
			d.str(" NOT IN (")
		} else {
			d.str(" IN (")
		}
		d.list(l.List.Items)
		d.str(")")
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		d.expr(a.Lexpr, ctx)
		switch opName(a.Name) {
		case "~~":
			d.str(" LIKE ")
		case "!~~":
			d.str(" NOT LIKE ")
		case "~~*":
			d.str(" ILIKE ")
		case "!~~*":
			d.str(" NOT ILIKE ")
		default:
			d.fallback = true
			return
		}
		d.expr(a.Rexpr, ctx)
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		fc := a.Rexpr.GetFuncCall()
		if fc == nil || len(fc.Args) < 1 || len(fc.Args) > 2 {
			d.fallback = true
			return
		}
		d.expr(a.Lexpr, ctx)
		if opName(a.Name) == "!~" {
			d.str(" NOT SIMILAR TO ")
		} else {
			d.str(" SIMILAR TO ")
		}
		d.expr(fc.Args[0], ctx)
		if len(fc.Args) == 2 {
			d.str(" ESCAPE ")
			d.expr(fc.Args[1], ctx)
		}
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		l, ok := a.Rexpr.Node.(*pg_query.Node_List)
		if !ok {
			d.fallback = true
			return
		}
		d.expr(a.Lexpr, ctx)
		d.str(" ")
		d.str(opName(a.Name))
		d.str(" ")
		for i, it := range l.List.Items {
			if i > 0 {
				d.str(" AND ")
			}
			d.expr(it, ctx)
		}
	default:
		d.fallback = true
	}
}

func isAndOr(n *pg_query.Node) bool {
	b := n.GetBoolExpr()
	return b != nil && (b.Boolop == pg_query.BoolExprType_AND_EXPR || b.Boolop == pg_query.BoolExprType_OR_EXPR)
}

func (d *deparser) boolExpr(b *pg_query.BoolExpr) {
	switch b.Boolop {
	case pg_query.BoolExprType_AND_EXPR, pg_query.BoolExprType_OR_EXPR:
		sep := " AND "
		if b.Boolop == pg_query.BoolExprType_OR_EXPR {
			sep = " OR "
		}
		for i, a := range b.Args {
			if i > 0 {
				d.str(sep)
			}
			p := isAndOr(a)
			d.open(p)
			d.expr(a, ctxAExpr)
			d.close(p)
		}
	case pg_query.BoolExprType_NOT_EXPR:
		if len(b.Args) != 1 {
			d.fallback = true
			return
		}
		d.str("NOT ")
		p := isAndOr(b.Args[0])
		d.open(p)
		d.expr(b.Args[0], ctxAExpr)
		d.close(p)
	default:
		d.fallback = true
	}
}

func (d *deparser) caseExpr(c *pg_query.CaseExpr) {
	d.str("CASE ")
	if c.Arg != nil {
		d.expr(c.Arg, ctxAExpr)
		d.str(" ")
	}
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		if cw == nil {
			d.fallback = true
			return
		}
		d.str("WHEN ")
		d.expr(cw.Expr, ctxAExpr)
		d.str(" THEN ")
		d.expr(cw.Result, ctxAExpr)
		d.str(" ")
	}
	if c.Defresult != nil {
		d.str("ELSE ")
		d.expr(c.Defresult, ctxAExpr)
		d.str(" ")
	}
	d.str("END")
}

func (d *deparser) indirection(a *pg_query.A_Indirection) {
	if a.Arg == nil || len(a.Indirection) == 0 {
		d.fallback = true
		return
	}
	var paren bool
	switch a.Arg.Node.(type) {
	case *pg_query.Node_AIndirection, *pg_query.Node_FuncCall, *pg_query.Node_AExpr,
		*pg_query.Node_TypeCast, *pg_query.Node_RowExpr, *pg_query.Node_AArrayExpr,
		*pg_query.Node_JsonFuncExpr:
		paren = true
	case *pg_query.Node_ColumnRef:
		_, idx := a.Indirection[0].Node.(*pg_query.Node_AIndices)
		paren = !idx
	}
	d.open(paren)
	if paren {
		d.expr(a.Arg, ctxAExpr)
	} else {
		d.expr(a.Arg, ctxNone)
	}
	d.close(paren)
	for _, in := range a.Indirection {
		switch v := in.Node.(type) {
		case *pg_query.Node_String_:
			d.str(".")
			d.ident(v.String_.Sval)
		case *pg_query.Node_AStar:
			d.str(".*")
		case *pg_query.Node_AIndices:
			d.str("[")
			if v.AIndices.Lidx != nil {
				d.expr(v.AIndices.Lidx, ctxAExpr)
			}
			if v.AIndices.IsSlice {
				d.str(":")
			}
			if v.AIndices.Uidx != nil {
				d.expr(v.AIndices.Uidx, ctxAExpr)
			}
			d.str("]")
		default:
			d.fallback = true
		}
	}
}

func (d *deparser) sqlValueFunction(f *pg_query.SQLValueFunction) {
	name := sqlValueFunctionName(f.Op)
	if name == "" {
		d.fallback = true
		return
	}
	d.str(name)
	if f.Typmod != -1 {
		d.str("(" + strconv.Itoa(int(f.Typmod)) + ")")
	}
}

func sqlValueFunctionName(op pg_query.SQLValueFunctionOp) string {
	switch op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return "current_date"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return "current_time"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return "current_timestamp"
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return "localtime"
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return "localtimestamp"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return "current_role"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return "current_user"
	case pg_query.SQLValueFunctionOp_SVFOP_USER:
		return "user"
	case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return "session_user"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return "current_catalog"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return "current_schema"
	}
	return ""
}

// typeNameParts returns the names of a TypeName as strings.
func typeNameParts(t *pg_query.TypeName) []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, len(t.Names))
	for _, n := range t.Names {
		s, _ := nodeString(n)
		out = append(out, s)
	}
	return out
}

// isTextType reports whether t is text, varchar (character varying) or
// bpchar (character), the types whose casts the matching key drops.
func isTextType(t *pg_query.TypeName) bool {
	if t == nil || len(t.ArrayBounds) > 0 || t.Setof || t.PctType {
		return false
	}
	p := typeNameParts(t)
	switch {
	case len(p) == 1:
		return p[0] == "text" || p[0] == "varchar" || p[0] == "bpchar"
	case len(p) == 2 && p[0] == "pg_catalog":
		return p[1] == "text" || p[1] == "varchar" || p[1] == "bpchar"
	}
	return false
}

func (d *deparser) typeCast(t *pg_query.TypeCast, ctx dctx) {
	if t.Arg == nil || t.TypeName == nil {
		d.fallback = true
		return
	}
	// A cast to a text type inside an expression is what pg_get_indexdef
	// adds for a varchar argument (lower((email)::text)); at the root it
	// was written on purpose (id::text) and stays.
	if (d.level > 1 || d.rootCasts) && isTextType(t.TypeName) && (t.Arg.GetColumnRef() != nil || t.Arg.GetAConst().GetSval() != nil) {
		if d.key {
			d.expr(t.Arg, ctxNone)
			return
		}
		d.keyDiff = true
	}
	paren := needsParensAsBExpr(t.Arg)
	if ctx == ctxFuncExpr {
		d.str("CAST(")
		d.expr(t.Arg, ctxAExpr)
		d.str(" AS ")
		d.typeName(t.TypeName)
		d.str(")")
		return
	}
	if c := t.Arg.GetAConst(); c != nil {
		p := typeNameParts(t.TypeName)
		if len(p) == 2 && p[0] == "pg_catalog" {
			switch {
			case p[1] == "bpchar" && len(t.TypeName.Typmods) == 0:
				d.str("char ")
				d.aConst(c)
				return
			case p[1] == "bool" && c.GetSval() != nil:
				switch c.GetSval().Sval {
				case "t":
					d.str("true")
					return
				case "f":
					d.str("false")
					return
				}
			}
		}
		if c.GetFval() != nil || (c.GetIval() != nil && c.GetIval().Ival < 0) {
			paren = true
		}
		if len(p) == 1 && p[0] == "point" && c.Location > t.TypeName.Location {
			d.str(" point ")
			d.aConst(c)
			return
		}
	}
	d.open(paren)
	d.expr(t.Arg, ctxNone)
	d.close(paren)
	d.str("::")
	d.typeName(t.TypeName)
}

func (d *deparser) typeName(t *pg_query.TypeName) {
	if t.Setof {
		d.str("SETOF ")
	}
	p := typeNameParts(t)
	skipTypmods := false
	if len(p) == 2 && p[0] == "pg_catalog" {
		switch p[1] {
		case "bpchar":
			d.str("char")
		case "varchar", "numeric", "time", "timestamp":
			d.str(p[1])
		case "bool":
			d.str("boolean")
		case "int2":
			d.str("smallint")
		case "int4":
			d.str("int")
		case "int8":
			d.str("bigint")
		case "real", "float4":
			d.str("real")
		case "float8":
			d.str("double precision")
		case "timetz", "timestamptz":
			if p[1] == "timetz" {
				d.str("time ")
			} else {
				d.str("timestamp ")
			}
			if len(t.Typmods) > 0 {
				d.str("(")
				for i, m := range t.Typmods {
					if i > 0 {
						d.str(", ")
					}
					c := m.GetAConst()
					if c == nil || c.GetIval() == nil && c.Val != nil {
						d.fallback = true
						return
					}
					d.str(strconv.Itoa(int(c.GetIval().GetIval())))
				}
				d.str(") ")
			}
			d.str("with time zone")
			skipTypmods = true
		case "interval":
			if len(t.Typmods) > 0 {
				// Interval field masks are rare in queries; leave them to
				// the C deparser.
				d.fallback = true
				return
			}
			d.str("interval")
		default:
			d.str("pg_catalog.")
			d.str(p[1])
		}
	} else {
		d.anyName(t.Names)
	}
	if len(t.Typmods) > 0 && !skipTypmods {
		d.str("(")
		for i, m := range t.Typmods {
			if i > 0 {
				d.str(", ")
			}
			switch v := m.Node.(type) {
			case *pg_query.Node_AConst:
				d.aConst(v.AConst)
			case *pg_query.Node_ParamRef:
				d.expr(m, ctxNone)
			case *pg_query.Node_ColumnRef:
				d.columnRef(v.ColumnRef)
			default:
				d.fallback = true
				return
			}
		}
		d.str(")")
	}
	for _, ab := range t.ArrayBounds {
		d.str("[")
		if iv := ab.GetInteger(); iv != nil && iv.Ival != -1 {
			d.str(strconv.Itoa(int(iv.Ival)))
		}
		d.str("]")
	}
	if t.PctType {
		d.str("%type")
	}
}

// sqlSyntaxFuncs are the pg_catalog functions the deparser prints in
// their SQL keyword syntax.
var sqlSyntaxFuncs = map[string]bool{
	"overlay": true, "substring": true, "position": true, "pg_collation_for": true,
	"extract": true, "overlaps": true, "ltrim": true, "btrim": true, "rtrim": true,
	"timezone": true, "normalize": true, "is_normalized": true, "xmlexists": true,
	"system_user": true,
}

func (d *deparser) funcCall(f *pg_query.FuncCall, ctx dctx) {
	names := make([]string, 0, len(f.Funcname))
	for _, n := range f.Funcname {
		s, ok := nodeString(n)
		if !ok {
			d.fallback = true
			return
		}
		names = append(names, s)
	}
	if len(names) == 0 {
		d.fallback = true
		return
	}
	if f.AggOrder != nil || f.AggFilter != nil || f.Over != nil || f.AggWithinGroup {
		d.fallback = true
		return
	}
	if len(names) == 2 && (names[0] == "pg_catalog" || names[0] == "public") {
		if d.key {
			names = names[1:]
		} else {
			d.keyDiff = true
			if names[0] == "pg_catalog" && sqlSyntaxFuncs[names[1]] &&
				(f.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX || names[1] == "overlay") {
				d.fallback = true
				return
			}
		}
	}
	for i, n := range names {
		if i > 0 {
			d.str(".")
		}
		d.ident(n)
	}
	d.str("(")
	if f.AggDistinct {
		d.str("DISTINCT ")
	}
	if f.AggStar {
		d.str("*")
	} else {
		for i, a := range f.Args {
			if i > 0 {
				d.str(", ")
			}
			if f.FuncVariadic && i == len(f.Args)-1 {
				d.str("VARIADIC ")
			}
			if na := a.GetNamedArgExpr(); na != nil {
				d.str(na.Name)
				d.str(" := ")
				d.expr(na.Arg, ctxAExpr)
				continue
			}
			d.expr(a, ctxAExpr)
		}
	}
	// The deparser trims the space it writes before the closing
	// parenthesis; a trailing DISTINCT keeps none.
	s := d.b.String()
	if strings.HasSuffix(s, " ") {
		d.b.Reset()
		d.b.WriteString(strings.TrimRight(s, " "))
	}
	d.str(")")
}

// fallbackDeparse renders n with pg_query's deparser, after removing
// column qualifiers (outside subqueries) and, in key mode, applying the
// key rewrites to a copy of the tree.
func fallbackDeparse(n *pg_query.Node, key bool, renames map[*pg_query.ColumnRef]string, rootCasts bool) string {
	if key && len(renames) > 0 {
		// Renamed references are found by identity: rename them in the
		// tree while it is copied.
		var undo []func()
		var walk func(x *pg_query.Node)
		walk = func(x *pg_query.Node) {
			if x == nil {
				return
			}
			if cr := x.GetColumnRef(); cr != nil {
				if base, ok := renames[cr]; ok {
					old := cr.Fields
					cr.Fields = []*pg_query.Node{strNode(base)}
					undo = append(undo, func() { cr.Fields = old })
				}
				return
			}
			walkChildren(x.ProtoReflect(), walk)
		}
		walk(n)
		defer func() {
			for _, u := range undo {
				u()
			}
		}()
	}
	c := proto.Clone(n).(*pg_query.Node)
	rewriteForText(c, key, !rootCasts)
	tree := &pg_query.ParseResult{
		Version: parserVersion(),
		Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: &pg_query.SelectStmt{
			TargetList:  []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: c}}}},
			LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT,
			Op:          pg_query.SetOperation_SETOP_NONE,
		}}}}},
	}
	out, err := pg_query.Deparse(tree)
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(out, "SELECT ")
}

var (
	versionOnce sync.Once
	versionNum  int32
)

// parserVersion returns the PostgreSQL version number pg_query stamps on
// its parse trees, which Deparse expects back.
func parserVersion() int32 {
	versionOnce.Do(func() {
		if r, err := pg_query.Parse("SELECT 1"); err == nil {
			versionNum = r.Version
		}
	})
	return versionNum
}

// rewriteForText strips column qualifiers in n (not inside subqueries)
// and, in key mode, drops text casts around columns and string literals,
// unqualifies pg_catalog/public functions and turns SQL-syntax calls
// into plain calls.
func rewriteForText(n *pg_query.Node, key bool, root bool) {
	if n == nil {
		return
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_SubLink:
		// Keep the subquery as written: qualifiers matter there.
		rewriteForText(v.SubLink.Testexpr, key, false)
		return
	case *pg_query.Node_ColumnRef:
		f := v.ColumnRef.Fields
		if len(f) > 1 {
			if _, star := f[len(f)-1].Node.(*pg_query.Node_AStar); star {
				v.ColumnRef.Fields = f[len(f)-2:]
			} else {
				v.ColumnRef.Fields = f[len(f)-1:]
			}
		}
		return
	case *pg_query.Node_TypeCast:
		if key && !root && isTextType(v.TypeCast.TypeName) && v.TypeCast.Arg != nil &&
			(v.TypeCast.Arg.GetColumnRef() != nil || v.TypeCast.Arg.GetAConst().GetSval() != nil) {
			n.Node = v.TypeCast.Arg.Node
			rewriteForText(n, key, false)
			return
		}
	case *pg_query.Node_FuncCall:
		if key && len(v.FuncCall.Funcname) == 2 {
			if s, _ := nodeString(v.FuncCall.Funcname[0]); s == "pg_catalog" || s == "public" {
				v.FuncCall.Funcname = v.FuncCall.Funcname[1:]
				v.FuncCall.Funcformat = pg_query.CoercionForm_COERCE_EXPLICIT_CALL
			}
		}
	}
	walkChildren(n.ProtoReflect(), func(c *pg_query.Node) { rewriteForText(c, key, false) })
}

// rangeFields calls fn for every populated field of m in field-number
// order. protoreflect's Message.Range visits them in an order that
// changes from one build to the next (protobuf-go's detrand), which would
// make what is derived from a walk differ between binaries.
func rangeFields(m protoreflect.Message, fn func(protoreflect.FieldDescriptor, protoreflect.Value) bool) {
	fields := m.Descriptor().Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if m.Has(fd) && !fn(fd, m.Get(fd)) {
			return
		}
	}
}

// walkChildren calls fn for every *Node directly reachable from m
// through message fields (looking through non-Node messages).
func walkChildren(m protoreflect.Message, fn func(*pg_query.Node)) {
	rangeFields(m, func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		visit := func(mv protoreflect.Message) {
			if nd, ok := mv.Interface().(*pg_query.Node); ok {
				fn(nd)
				return
			}
			walkChildren(mv, fn)
		}
		switch {
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				visit(l.Get(i).Message())
			}
		case fd.IsMap():
		default:
			visit(v.Message())
		}
		return true
	})
}

// QuoteIdent quotes an identifier as PostgreSQL's quote_ident
// (quote_identifier) does: unchanged when it is lower-case letters, digits
// and underscores (not starting with a digit) and not a keyword other than
// an unreserved one, else in double quotes with inner quotes doubled. Keyword
// categories come from PostgreSQL's own scanner (pg_query.Scan), cached.
// It is pgadvisor's one identifier quoter.
var (
	kwMu    sync.Mutex
	kwCache = map[string]bool{}
)

const kwCacheMax = 1 << 14

func QuoteIdent(s string) string {
	safe := s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] == '_')
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			safe = false
		}
	}
	if safe && isQuotedKeyword(s) {
		safe = false
	}
	if safe {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// isQuotedKeyword reports whether s (a plain lower-case name) is a
// keyword that quote_identifier quotes: col_name, type_func_name or
// reserved.
func isQuotedKeyword(s string) bool {
	kwMu.Lock()
	v, ok := kwCache[s]
	kwMu.Unlock()
	if ok {
		return v
	}
	v = false
	if r, err := pg_query.Scan(s); err == nil && len(r.Tokens) == 1 {
		k := r.Tokens[0].KeywordKind
		v = k != pg_query.KeywordKind_NO_KEYWORD && k != pg_query.KeywordKind_UNRESERVED_KEYWORD
	}
	kwMu.Lock()
	if len(kwCache) < kwCacheMax {
		kwCache[s] = v
	}
	kwMu.Unlock()
	return v
}

// forEachChild calls fn for every child node of n. The common node types
// are walked directly; the others through protobuf reflection, which is
// an order of magnitude slower.
func forEachChild(n *pg_query.Node, fn func(*pg_query.Node)) {
	each := func(ns []*pg_query.Node) {
		for _, c := range ns {
			if c != nil {
				fn(c)
			}
		}
	}
	one := func(c *pg_query.Node) {
		if c != nil {
			fn(c)
		}
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef, *pg_query.Node_AConst, *pg_query.Node_ParamRef, *pg_query.Node_String_,
		*pg_query.Node_Integer, *pg_query.Node_AStar, *pg_query.Node_SqlvalueFunction, *pg_query.Node_RangeVar:
	case *pg_query.Node_SelectStmt:
		s := v.SelectStmt
		each(s.DistinctClause)
		each(s.TargetList)
		each(s.FromClause)
		one(s.WhereClause)
		each(s.GroupClause)
		one(s.HavingClause)
		each(s.WindowClause)
		each(s.ValuesLists)
		each(s.SortClause)
		one(s.LimitOffset)
		one(s.LimitCount)
		each(s.LockingClause)
		if s.WithClause != nil {
			each(s.WithClause.Ctes)
		}
		if s.Larg != nil {
			fn(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Larg}})
		}
		if s.Rarg != nil {
			fn(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Rarg}})
		}
	case *pg_query.Node_ResTarget:
		each(v.ResTarget.Indirection)
		one(v.ResTarget.Val)
	case *pg_query.Node_AExpr:
		one(v.AExpr.Lexpr)
		one(v.AExpr.Rexpr)
	case *pg_query.Node_BoolExpr:
		each(v.BoolExpr.Args)
	case *pg_query.Node_FuncCall:
		each(v.FuncCall.Args)
		each(v.FuncCall.AggOrder)
		one(v.FuncCall.AggFilter)
		if w := v.FuncCall.Over; w != nil {
			each(w.PartitionClause)
			each(w.OrderClause)
			one(w.StartOffset)
			one(w.EndOffset)
		}
	case *pg_query.Node_TypeCast:
		one(v.TypeCast.Arg)
	case *pg_query.Node_NullTest:
		one(v.NullTest.Arg)
	case *pg_query.Node_BooleanTest:
		one(v.BooleanTest.Arg)
	case *pg_query.Node_SubLink:
		one(v.SubLink.Testexpr)
		one(v.SubLink.Subselect)
	case *pg_query.Node_List:
		each(v.List.Items)
	case *pg_query.Node_SortBy:
		one(v.SortBy.Node)
	case *pg_query.Node_JoinExpr:
		one(v.JoinExpr.Larg)
		one(v.JoinExpr.Rarg)
		one(v.JoinExpr.Quals)
	case *pg_query.Node_RangeSubselect:
		one(v.RangeSubselect.Subquery)
	case *pg_query.Node_CommonTableExpr:
		one(v.CommonTableExpr.Ctequery)
	case *pg_query.Node_CaseExpr:
		one(v.CaseExpr.Arg)
		each(v.CaseExpr.Args)
		one(v.CaseExpr.Defresult)
	case *pg_query.Node_CaseWhen:
		one(v.CaseWhen.Expr)
		one(v.CaseWhen.Result)
	case *pg_query.Node_CoalesceExpr:
		each(v.CoalesceExpr.Args)
	case *pg_query.Node_AArrayExpr:
		each(v.AArrayExpr.Elements)
	case *pg_query.Node_RowExpr:
		each(v.RowExpr.Args)
	default:
		walkChildren(n.ProtoReflect(), fn)
	}
}
