package sqlparse

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// CanonicalExpr returns the canonical text of a scalar expression (a
// DEFAULT, CHECK, generated column or index predicate): PostgreSQL's parse
// tree deparsed by pg_query, with "public." qualifiers dropped (the
// canonical form assumes search_path = public), so that the text written
// in DDL and the one pg_get_expr prints for the same expression agree:
// "((total IS NULL) OR (total > (0)::numeric))" and
// "total IS NULL OR total > 0::numeric" both give the latter.
func CanonicalExpr(expr string) (string, error) {
	const prefix = "SELECT "
	tree, err := parseTree(prefix + expr)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return "", err
		}
		if e.Offset >= len(prefix) {
			e.Offset -= len(prefix)
		} else if e.Offset >= 0 {
			e.Offset = 0
		}
		return "", e
	}
	stmts := tree.GetStmts()
	if len(stmts) != 1 {
		return "", &Error{Message: "not a single expression", Offset: -1}
	}
	sel := stmts[0].GetStmt().GetSelectStmt()
	if sel == nil || len(sel.GetTargetList()) != 1 || len(sel.GetFromClause()) != 0 || sel.GetWhereClause() != nil {
		return "", &Error{Message: "not a single expression", Offset: -1}
	}
	return ddlExpr(sel.GetTargetList()[0].GetResTarget().GetVal()), nil
}

// CanonicalQuery returns the canonical text of a query (a view's
// definition): deparsed by pg_query with "public." qualifiers dropped.
func CanonicalQuery(sql string) (string, error) {
	tree, err := parseTree(sql)
	if err != nil {
		return "", err
	}
	stmts := tree.GetStmts()
	if len(stmts) != 1 {
		return "", &Error{Message: "not a single query", Offset: -1}
	}
	return ddlDeparseStmt(stmts[0].GetStmt()), nil
}

// ddlExpr returns the canonical text of expression n ("" if pg_query
// cannot deparse it). It rewrites n's subtree.
func ddlExpr(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	ddlStripPublic(n.ProtoReflect())
	res := &pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{
		SelectStmt: &pg_query.SelectStmt{
			TargetList:  []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}},
			LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT,
			Op:          pg_query.SetOperation_SETOP_NONE,
		},
	}}}}}
	res.Version = ddlParserVersion()
	s, err := pg_query.Deparse(res)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(s, "SELECT ")
}

// ddlDeparseStmt returns the canonical text of statement n ("" if
// pg_query cannot deparse it). It rewrites n's subtree.
func ddlDeparseStmt(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	ddlStripPublic(n.ProtoReflect())
	s, err := pg_query.Deparse(&pg_query.ParseResult{Version: ddlParserVersion(), Stmts: []*pg_query.RawStmt{{Stmt: n}}})
	if err != nil {
		return ""
	}
	return s
}

// ddlParserVersion returns the parse-tree version pg_query's deparser
// expects in a ParseResult.
var ddlParserVersion = sync.OnceValue(func() int32 {
	tree, err := pg_query.Parse("SELECT 1")
	if err != nil {
		return 0
	}
	return tree.GetVersion()
})

// ddlStripPublic drops "public" qualifiers from function, type and
// relation names, and from 'public.x'::regclass literals, in the tree
// under m.
func ddlStripPublic(m protoreflect.Message) {
	ddlWalk(m, func(m protoreflect.Message) bool {
		ddlStripPublicNode(m)
		return true
	})
}

// ddlStripPublicNode drops the "public" qualifier of one node.
func ddlStripPublicNode(m protoreflect.Message) {
	switch v := m.Interface().(type) {
	case *pg_query.FuncCall:
		v.Funcname = ddlStripPublicList(v.Funcname)
	case *pg_query.TypeName:
		v.Names = ddlStripPublicList(v.Names)
	case *pg_query.RangeVar:
		if v.Schemaname == "public" {
			v.Schemaname = ""
		}
	case *pg_query.TypeCast:
		names := ddlStrings(v.GetTypeName().GetNames())
		if len(names) > 0 && names[len(names)-1] == "regclass" {
			if sv := v.GetArg().GetAConst().GetSval(); sv != nil && strings.HasPrefix(sv.Sval, "public.") {
				sv.Sval = strings.TrimPrefix(sv.Sval, "public.")
			}
		}
	}
}

// ddlStripPublicList drops a leading "public" from a two-part name.
func ddlStripPublicList(names []*pg_query.Node) []*pg_query.Node {
	if len(names) == 2 && names[0].GetString_().GetSval() == "public" {
		return names[1:]
	}
	return names
}

// ddlSerials maps the serial pseudo-types to their integer types.
var ddlSerials = map[string]string{
	"serial": "integer", "serial4": "integer",
	"bigserial": "bigint", "serial8": "bigint",
	"smallserial": "smallint", "serial2": "smallint",
}

// ddlSimpleTypes are built-in types that format_type prints as their
// name (with their modifiers, if any, in parentheses).
var ddlSimpleTypes = map[string]string{
	"text": "text", "bytea": "bytea", "date": "date", "json": "json", "jsonb": "jsonb",
	"jsonpath": "jsonpath", "uuid": "uuid", "xml": "xml", "money": "money", "inet": "inet",
	"cidr": "cidr", "macaddr": "macaddr", "macaddr8": "macaddr8", "tsvector": "tsvector",
	"tsquery": "tsquery", "point": "point", "line": "line", "lseg": "lseg", "box": "box",
	"path": "path", "polygon": "polygon", "circle": "circle", "oid": "oid", "name": "name",
	"regclass": "regclass", "regtype": "regtype", "regproc": "regproc", "regprocedure": "regprocedure",
	"regoper": "regoper", "regnamespace": "regnamespace", "regrole": "regrole", "regconfig": "regconfig",
	"xid": "xid", "xid8": "xid8", "cid": "cid", "tid": "tid", "pg_lsn": "pg_lsn",
	"int4range": "int4range", "int8range": "int8range", "numrange": "numrange", "tsrange": "tsrange",
	"tstzrange": "tstzrange", "daterange": "daterange", "int4multirange": "int4multirange",
	"int8multirange": "int8multirange", "nummultirange": "nummultirange", "tsmultirange": "tsmultirange",
	"tstzmultirange": "tstzmultirange", "datemultirange": "datemultirange", "record": "record",
	"bool": "boolean", "boolean": "boolean",
	"int2": "smallint", "smallint": "smallint", "int4": "integer", "int": "integer", "integer": "integer",
	"int8": "bigint", "bigint": "bigint", "float4": "real", "real": "real",
	"float8": "double precision", "txid_snapshot": "txid_snapshot", "pg_snapshot": "pg_snapshot",
}

// ddlType converts a type name; serial is true for the serial pseudo-types
// (which it turns into their integer type).
func ddlType(tn *pg_query.TypeName) (t TypeRef, serial bool) {
	names := ddlStrings(tn.GetNames())
	if len(names) == 0 {
		return TypeRef{}, false
	}
	var mods []string
	for _, m := range tn.GetTypmods() {
		switch {
		case m.GetAConst() != nil:
			mods = append(mods, ddlConstString(m))
		case m.GetColumnRef() != nil:
			f := m.GetColumnRef().GetFields()
			mods = append(mods, ddlString(f[len(f)-1]))
		default:
			mods = append(mods, ddlExpr(m))
		}
	}
	t.Array = len(tn.GetArrayBounds()) > 0
	name := names[len(names)-1]
	schema := ""
	if len(names) >= 2 {
		schema = names[len(names)-2]
	}
	if schema == "" || schema == "pg_catalog" {
		if s, ok := ddlSerials[name]; ok && schema == "" && !t.Array {
			return TypeRef{Name: s, Builtin: true}, true
		}
		if f, ok := ddlBuiltin(name, mods, schema == "pg_catalog"); ok {
			t.Name, t.Builtin = f, true
			return t, false
		}
		if schema == "pg_catalog" {
			t.Name, t.Builtin = ddlWithMods(name, mods), true
			return t, false
		}
	}
	t.Schema, t.Name = schema, name
	if len(mods) > 0 {
		t.Mods = "(" + strings.Join(mods, ",") + ")"
	}
	return t, false
}

// ddlWithMods appends "(m1,m2)" to name when there are modifiers.
func ddlWithMods(name string, mods []string) string {
	if len(mods) == 0 {
		return name
	}
	return name + "(" + strings.Join(mods, ",") + ")"
}

// ddlBuiltin formats a built-in type as format_type does. catalog is true
// when the name was qualified with pg_catalog (as the grammar does for
// SQL-standard spellings like "character varying").
func ddlBuiltin(name string, mods []string, catalog bool) (string, bool) {
	paren := func() string {
		if len(mods) == 0 {
			return ""
		}
		return "(" + strings.Join(mods, ",") + ")"
	}
	switch name {
	case "numeric", "decimal":
		switch len(mods) {
		case 0:
			return "numeric", true
		case 1:
			return "numeric(" + mods[0] + ",0)", true
		}
		return "numeric(" + mods[0] + "," + mods[1] + ")", true
	case "varchar":
		return "character varying" + paren(), true
	case "bpchar":
		if len(mods) == 0 {
			return "bpchar", true
		}
		return "character" + paren(), true
	case "bit":
		return "bit" + paren(), true
	case "varbit":
		return "bit varying" + paren(), true
	case "timestamp":
		return "timestamp" + paren() + " without time zone", true
	case "timestamptz":
		return "timestamp" + paren() + " with time zone", true
	case "time":
		return "time" + paren() + " without time zone", true
	case "timetz":
		return "time" + paren() + " with time zone", true
	case "interval":
		return ddlInterval(mods), true
	case "char":
		if !catalog {
			return `"char"`, true
		}
	}
	if f, ok := ddlSimpleTypes[name]; ok {
		return f + paren(), true
	}
	return "", false
}

// ddlInterval formats interval with its fields mask and precision.
func ddlInterval(mods []string) string {
	if len(mods) == 0 {
		return "interval"
	}
	mask, _ := strconv.Atoi(mods[0])
	const (
		month  = 1 << 1
		year   = 1 << 2
		day    = 1 << 3
		hour   = 1 << 10
		minute = 1 << 11
		second = 1 << 12
	)
	fields := map[int]string{
		year: " year", month: " month", day: " day", hour: " hour", minute: " minute", second: " second",
		year | month: " year to month", day | hour: " day to hour", day | hour | minute: " day to minute",
		day | hour | minute | second: " day to second", hour | minute: " hour to minute",
		hour | minute | second: " hour to second", minute | second: " minute to second",
	}
	s := "interval" + fields[mask]
	if len(mods) > 1 {
		s += "(" + mods[1] + ")"
	}
	return s
}

// ddlFigureColname names an expression as PostgreSQL's FigureColname
// does ("" when it has no opinion).
func ddlFigureColname(n *pg_query.Node) string {
	name, _ := ddlFigure(n)
	return name
}

// ddlFigure implements ddlFigureColname; the int is the strength of the
// guess (2: a name, 1: a fallback such as a type name).
func ddlFigure(n *pg_query.Node) (string, int) {
	switch {
	case n == nil:
	case n.GetColumnRef() != nil:
		f := n.GetColumnRef().GetFields()
		if len(f) > 0 && f[len(f)-1].GetString_() != nil {
			return f[len(f)-1].GetString_().GetSval(), 2
		}
	case n.GetAIndirection() != nil:
		ind := n.GetAIndirection().GetIndirection()
		if len(ind) > 0 && ind[len(ind)-1].GetString_() != nil {
			return ind[len(ind)-1].GetString_().GetSval(), 2
		}
		return ddlFigure(n.GetAIndirection().GetArg())
	case n.GetFuncCall() != nil:
		names := ddlStrings(n.GetFuncCall().GetFuncname())
		if len(names) > 0 {
			return names[len(names)-1], 2
		}
	case n.GetAExpr() != nil:
		if n.GetAExpr().GetKind() == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case n.GetTypeCast() != nil:
		name, strength := ddlFigure(n.GetTypeCast().GetArg())
		if strength <= 1 {
			names := ddlStrings(n.GetTypeCast().GetTypeName().GetNames())
			if len(names) > 0 {
				return names[len(names)-1], 1
			}
		}
		return name, strength
	case n.GetCollateClause() != nil:
		return ddlFigure(n.GetCollateClause().GetArg())
	case n.GetSubLink() != nil:
		switch n.GetSubLink().GetSubLinkType() {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg_query.SubLinkType_EXPR_SUBLINK:
			tl := n.GetSubLink().GetSubselect().GetSelectStmt().GetTargetList()
			if len(tl) == 1 {
				if rt := tl[0].GetResTarget(); rt.GetName() != "" {
					return rt.GetName(), 2
				}
				return ddlFigure(tl[0].GetResTarget().GetVal())
			}
		}
	case n.GetCaseExpr() != nil:
		name, strength := ddlFigure(n.GetCaseExpr().GetDefresult())
		if strength <= 1 {
			return "case", 1
		}
		return name, strength
	case n.GetAArrayExpr() != nil:
		return "array", 2
	case n.GetRowExpr() != nil:
		return "row", 2
	case n.GetCoalesceExpr() != nil:
		return "coalesce", 2
	case n.GetMinMaxExpr() != nil:
		if n.GetMinMaxExpr().GetOp() == pg_query.MinMaxOp_IS_GREATEST {
			return "greatest", 2
		}
		return "least", 2
	case n.GetSqlvalueFunction() != nil:
		op := n.GetSqlvalueFunction().GetOp().String()
		op = strings.ToLower(strings.TrimPrefix(op, "SVFOP_"))
		return strings.TrimSuffix(op, "_n"), 2
	}
	return "", 0
}

// IndexExprName returns the name PostgreSQL gives an index column
// computed by expression expr (FigureIndexColname): the function name of
// lower(email), the column of (created_at)::date, else "expr".
func IndexExprName(expr string) string {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil || len(tree.GetStmts()) != 1 {
		return "expr"
	}
	tl := tree.GetStmts()[0].GetStmt().GetSelectStmt().GetTargetList()
	if len(tl) != 1 {
		return "expr"
	}
	if name := ddlFigureColname(tl[0].GetResTarget().GetVal()); name != "" {
		return name
	}
	return "expr"
}

// ddlColumnsRead lists the distinct columns an expression references, in
// order of first appearance.
func ddlColumnsRead(n *pg_query.Node) []string {
	var refs []*pg_query.ColumnRef
	ddlEachColumnRef(n, func(cr *pg_query.ColumnRef) { refs = append(refs, cr) })
	slices.SortStableFunc(refs, func(a, b *pg_query.ColumnRef) int { return cmp.Compare(a.Location, b.Location) })
	var out []string
	for _, cr := range refs {
		f := cr.GetFields()
		if len(f) == 0 || f[len(f)-1].GetString_() == nil {
			continue
		}
		if name := f[len(f)-1].GetString_().GetSval(); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// ddlEachColumnRef calls fn for every column reference under n.
func ddlEachColumnRef(n *pg_query.Node, fn func(*pg_query.ColumnRef)) {
	if n == nil {
		return
	}
	ddlWalk(n.ProtoReflect(), func(m protoreflect.Message) bool {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok {
			fn(cr)
			return false
		}
		return true
	})
}

// RenameColumnInExpr returns the canonical text of expression expr with
// the column references to old renamed to new, as PostgreSQL shows an
// index expression or CHECK constraint after ALTER TABLE RENAME COLUMN.
func RenameColumnInExpr(expr, old, new string) (string, error) {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil {
		return "", wrapError(expr, err)
	}
	tl := tree.GetStmts()[0].GetStmt().GetSelectStmt().GetTargetList()
	if len(tl) != 1 {
		return "", &Error{Message: "not a single expression", Offset: -1}
	}
	n := tl[0].GetResTarget().GetVal()
	ddlEachColumnRef(n, func(cr *pg_query.ColumnRef) {
		f := cr.GetFields()
		if len(f) > 0 && f[len(f)-1].GetString_().GetSval() == old {
			f[len(f)-1].GetString_().Sval = new
		}
	})
	return ddlExpr(n), nil
}
