package sqlparse

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// tableSchema is a Schema knowing one table's columns.
type tableSchema struct {
	table query.TableName
	cols  []string
}

func (s tableSchema) Columns(t query.TableName) ([]string, bool) {
	if s.cols != nil && t.Name == s.table.Name {
		return s.cols, true
	}
	return nil, false
}

func (tableSchema) View(query.TableName) (string, bool) { return "", false }

// parseFragment parses prefix+frag as one SELECT and returns it; errors
// are positioned in frag.
func parseFragment(prefix, frag, what string) (*pg_query.SelectStmt, error) {
	sql := prefix + frag
	tree, err := parseTree(sql)
	if err != nil {
		e := err.(*Error)
		if e.Offset >= 0 {
			e.Offset -= len(prefix)
			if e.Offset < 0 {
				e.Offset = 0
			}
		}
		return nil, e
	}
	if len(tree.Stmts) != 1 {
		return nil, &Error{Message: fmt.Sprintf("%s is not a single expression", what), Offset: -1}
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || sel.Op != pg_query.SetOperation_SETOP_NONE || len(sel.FromClause) != 0 ||
		sel.WithClause != nil || len(sel.SortClause) != 0 || sel.LimitCount != nil || len(sel.GroupClause) != 0 {
		return nil, &Error{Message: fmt.Sprintf("%s is not a single expression", what), Offset: -1}
	}
	return sel, nil
}

// tableBuilder returns a builder whose main block has one FROM item: the
// table, with its columns when given.
func tableBuilder(table query.TableName, cols []string) (*builder, *scope) {
	b := &builder{st: &query.Statement{}}
	if cols != nil {
		b.schema = tableSchema{table: table, cols: cols}
	}
	blk := b.newBlock(query.RoleMain, nil)
	sc := &scope{blk: blk}
	it := &item{alias: table.Name, kind: query.RelTable, table: table, cols: cols, known: cols != nil}
	blk.addItem(it, query.Relation{Alias: table.Name, Kind: query.RelTable, Table: table, Query: -1})
	return b, sc
}

// fragmentError shifts the locations of an expression model built from
// prefix+frag so that they are offsets in frag.
func shiftExpr(e *query.Expr, by int) {
	if e.Column != nil {
		e.Column.Location -= by
	}
	for i := range e.Columns {
		e.Columns[i].Location -= by
	}
	for i := range e.Items {
		shiftExpr(&e.Items[i], by)
	}
}

func shiftPreds(ps []query.Predicate, by int) {
	for i := range ps {
		p := &ps[i]
		p.Location -= by
		shiftExpr(&p.Left, by)
		shiftExpr(&p.Right, by)
		for _, br := range p.Or {
			shiftPreds(br, by)
		}
		shiftPreds(p.Not, by)
	}
}

// ExprForTable returns the model of one expression over the columns of
// one table: an index key expression (lower(email), (created_at::date),
// (data ->> 'k')) as CREATE INDEX or pg_get_indexdef writes it. Columns
// resolve to table; Text and MatchKey are the forms a query's
// expressions are compared with. Locations are offsets in exprSQL.
func ExprForTable(exprSQL string, table query.TableName) (query.Expr, error) {
	return ExprForTableColumns(exprSQL, table, nil)
}

// ExprForTableColumns is ExprForTable with the table's column names,
// which let a bare name that is not a column (a whole-row reference) be
// told apart; cols may be nil.
func ExprForTableColumns(exprSQL string, table query.TableName, cols []string) (query.Expr, error) {
	const prefix = "SELECT "
	if strings.TrimSpace(exprSQL) == "" {
		return query.Expr{}, ErrEmpty
	}
	sel, err := parseFragment(prefix, exprSQL, "index expression")
	if err != nil {
		return query.Expr{}, err
	}
	if len(sel.TargetList) != 1 || sel.WhereClause != nil {
		return query.Expr{}, &Error{Message: "index expression is not a single expression", Offset: -1}
	}
	rt := sel.TargetList[0].GetResTarget()
	if rt == nil || rt.Name != "" || rt.Val == nil {
		return query.Expr{}, &Error{Message: "index expression is not a single expression", Offset: -1}
	}
	b, sc := tableBuilder(table, cols)
	e := b.expr(rt.Val, sc)
	shiftExpr(&e, len(prefix))
	return e, nil
}

// PredicatesForTable returns the conjuncts of a WHERE clause over one
// table, normalized as in query models: the predicate of a partial index
// (from CREATE INDEX ... WHERE or pg_get_indexdef), to be tested with
// query.Implies against a query's filters. Locations are offsets in
// whereSQL. The casts to text that pg_get_indexdef writes around varchar
// columns ((status)::text = 'a'::text) are left out of the operands'
// matching keys, so that the predicate matches the query's status = 'a'.
func PredicatesForTable(whereSQL string, table query.TableName) ([]query.Predicate, error) {
	const prefix = "SELECT WHERE "
	if strings.TrimSpace(whereSQL) == "" {
		return nil, ErrEmpty
	}
	sel, err := parseFragment(prefix, whereSQL, "WHERE clause")
	if err != nil {
		return nil, err
	}
	if len(sel.TargetList) != 0 || sel.WhereClause == nil {
		return nil, &Error{Message: "WHERE clause is not a single condition", Offset: -1}
	}
	b, sc := tableBuilder(table, nil)
	b.rootCasts = true
	ps := b.preds(sel.WhereClause, sc, query.ClauseWhere)
	shiftPreds(ps, len(prefix))
	return ps, nil
}
