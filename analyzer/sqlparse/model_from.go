package sqlparse

import (
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// setReturningColumns names the output column of common set-returning
// functions that return a scalar (the column takes the item's alias) or
// a fixed record.
var setReturningColumns = map[string][]string{
	"generate_series":           nil,
	"generate_subscripts":       nil,
	"unnest":                    nil,
	"regexp_split_to_table":     nil,
	"json_array_elements":       {"value"},
	"jsonb_array_elements":      {"value"},
	"json_array_elements_text":  {"value"},
	"jsonb_array_elements_text": {"value"},
	"json_each":                 {"key", "value"},
	"jsonb_each":                {"key", "value"},
	"json_each_text":            {"key", "value"},
	"jsonb_each_text":           {"key", "value"},
	"json_object_keys":          nil,
	"jsonb_object_keys":         nil,
	"regexp_matches":            nil,
	"string_to_table":           nil,
	"pg_ls_dir":                 nil,
}

// addItem appends a FROM item to the block (and its Relation to From).
func (blk *block) addItem(it *item, rel query.Relation) {
	blk.items = append(blk.items, it)
	blk.q.From = append(blk.q.From, rel)
}

// relLocation returns the location of the FROM item named alias.
func (blk *block) relLocation(alias string) int {
	for i := len(blk.q.From) - 1; i >= 0; i-- {
		if blk.q.From[i].Alias == alias {
			return blk.q.From[i].Location
		}
	}
	return 0
}

// topAliases lists the aliases of the block's items that are joined at
// the top level (not hidden inside an aliased join).
func (blk *block) topAliases() []string {
	var out []string
	for _, it := range blk.items {
		if it.pseudo || it.hidden || len(it.members) > 0 {
			continue
		}
		out = append(out, it.alias)
	}
	return out
}

// fromList builds a FROM list; comma-separated items are implicit joins.
func (b *builder) fromList(nodes []*pg_query.Node, sc *scope) {
	for _, n := range nodes {
		before := sc.blk.topAliases()
		added := b.fromItem(n, sc)
		if len(before) > 0 && len(added) > 0 {
			j := query.Join{Type: query.JoinImplicit, Left: before, Right: added[0], Location: sc.blk.relLocation(added[0])}
			if len(added) > 1 {
				j.RightRels = added
			}
			sc.blk.q.Joins = append(sc.blk.q.Joins, j)
		}
	}
}

// fromItem builds one FROM item and returns the aliases it adds.
func (b *builder) fromItem(n *pg_query.Node, sc *scope) []string {
	if n == nil {
		return nil
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		it := b.rangeVar(v.RangeVar, sc, true)
		return []string{it.alias}
	case *pg_query.Node_RangeTableSample:
		ts := v.RangeTableSample
		out := b.fromItem(ts.Relation, sc)
		for _, a := range ts.Args {
			b.expr(a, sc)
		}
		b.expr(ts.Repeatable, sc)
		return out
	case *pg_query.Node_RangeSubselect:
		return []string{b.rangeSubselect(v.RangeSubselect, sc)}
	case *pg_query.Node_RangeFunction:
		return []string{b.rangeFunction(v.RangeFunction, sc)}
	case *pg_query.Node_JoinExpr:
		return b.joinExpr(v.JoinExpr, sc)
	case *pg_query.Node_RangeTableFunc:
		// XMLTABLE(...)
		tf := v.RangeTableFunc
		b.expr(tf.Docexpr, sc)
		b.expr(tf.Rowexpr, sc)
		it := &item{alias: aliasName(tf.Alias, "xmltable"), kind: query.RelFunction}
		rel := query.Relation{Alias: it.alias, Kind: query.RelFunction, Query: -1, Lateral: tf.Lateral, Function: "xmltable", Location: int(tf.Location)}
		for _, c := range tf.Columns {
			if col := c.GetRangeTableFuncCol(); col != nil {
				it.cols = append(it.cols, col.Colname)
			}
		}
		it.known = true
		rel.Columns = aliasColumns(tf.Alias)
		if rel.Columns != nil {
			it.cols = rel.Columns
		}
		sc.blk.addItem(it, rel)
		return []string{it.alias}
	case *pg_query.Node_JsonTable:
		jt := v.JsonTable
		if jt.ContextItem != nil {
			b.expr(jt.ContextItem.RawExpr, sc)
		}
		it := &item{alias: aliasName(jt.Alias, "json_table"), kind: query.RelFunction}
		rel := query.Relation{Alias: it.alias, Kind: query.RelFunction, Query: -1, Lateral: jt.Lateral, Function: "json_table", Location: int(jt.Location)}
		sc.blk.addItem(it, rel)
		return []string{it.alias}
	}
	return nil
}

func aliasName(a *pg_query.Alias, def string) string {
	if a != nil && a.Aliasname != "" {
		return a.Aliasname
	}
	return def
}

func aliasColumns(a *pg_query.Alias) []string {
	if a == nil || len(a.Colnames) == 0 {
		return nil
	}
	out := make([]string, 0, len(a.Colnames))
	for _, c := range a.Colnames {
		s, _ := nodeString(c)
		out = append(out, s)
	}
	return out
}

// rangeVar builds a table, view or CTE reference. cte is false for the
// target of INSERT/UPDATE/DELETE/MERGE, which is always a table.
func (b *builder) rangeVar(rv *pg_query.RangeVar, sc *scope, cte bool) *item {
	name := query.TableName{Schema: rv.Schemaname, Name: rv.Relname}
	it := &item{alias: aliasName(rv.Alias, rv.Relname), kind: query.RelTable, table: name}
	rel := query.Relation{Alias: it.alias, Kind: query.RelTable, Table: name, Query: -1, Only: !rv.Inh, Location: int(rv.Location)}
	rel.Columns = aliasColumns(rv.Alias)
	if env := b.lookupCTE(rv.Relname); cte && rv.Schemaname == "" && env != nil {
		it.kind, rel.Kind = query.RelCTE, query.RelCTE
		if env.blk != nil {
			rel.Query = env.blk.q.ID
			if env.building {
				env.blk.q.Recursive = true
			}
		}
		outs, open, known := cteOutputs(env)
		it.outputs, it.open = renameOutputs(outs, open, rel.Columns)
		it.known = known && len(it.open) == 0
		for _, o := range it.outputs {
			it.cols = append(it.cols, o.name)
		}
		sc.blk.addItem(it, rel)
		return it
	}
	if cte && b.schema != nil {
		if def, ok := b.schema.View(name); ok {
			it.kind, rel.Kind = query.RelView, query.RelView
			if def != "" && b.viewDepth < maxViewDepth {
				if vb := b.expandView(def, sc); vb != nil {
					rel.Query = vb.q.ID
					it.src = vb
					it.outputs, it.open = renameOutputs(vb.outputs, vb.open, rel.Columns)
					it.known = len(it.open) == 0
					for _, o := range it.outputs {
						it.cols = append(it.cols, o.name)
					}
					sc.blk.addItem(it, rel)
					return it
				}
			}
		}
	}
	if b.schema != nil {
		if cols, ok := b.schema.Columns(name); ok {
			it.cols, it.known = cols, true
		}
	}
	if rel.Columns != nil {
		// FROM t AS x(a, b) renames t's first columns.
		it.renames = map[string]string{}
		cols := make([]string, 0, len(it.cols))
		for i, a := range rel.Columns {
			if it.known && i < len(it.cols) {
				it.renames[a] = it.cols[i]
			}
			cols = append(cols, a)
		}
		if it.known && len(it.cols) > len(rel.Columns) {
			cols = append(cols, it.cols[len(rel.Columns):]...)
		}
		if it.known {
			it.cols = cols
		}
	}
	sc.blk.addItem(it, rel)
	return it
}

// expandView parses a view's definition and builds it as a RoleView
// block; nil when it does not parse as one SELECT.
func (b *builder) expandView(def string, sc *scope) *block {
	tree, err := parseTree(def)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		return nil
	}
	for k, v := range deparseSubqueries(tree.Stmts[0].Stmt) {
		if b.subs == nil {
			b.subs = map[*pg_query.Node]string{}
		}
		b.subs[k] = v
	}
	saved := b.ctes
	b.ctes = nil
	b.viewDepth++
	// A view sees nothing of the query that uses it.
	vb := b.selectBlock(sel, &scope{blk: sc.blk, hideParent: true}, query.RoleView, nil, true)
	b.viewDepth--
	b.ctes = saved
	// Views are stored without locations into the query text.
	vb.q.Location = 0
	return vb
}

// rangeSubselect builds a subquery (or VALUES list) in FROM.
func (b *builder) rangeSubselect(rs *pg_query.RangeSubselect, sc *scope) string {
	sel := rs.Subquery.GetSelectStmt()
	alias := aliasName(rs.Alias, "")
	it := &item{alias: alias, kind: query.RelSubquery}
	rel := query.Relation{Alias: alias, Kind: query.RelSubquery, Query: -1, Lateral: rs.Lateral}
	rel.Columns = aliasColumns(rs.Alias)
	if sel != nil {
		if len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE {
			it.kind, rel.Kind = query.RelValues, query.RelValues
		}
		sub := b.selectBlock(sel, sc, query.RoleFrom, nil, !rs.Lateral)
		rel.Query = sub.q.ID
		rel.Location = sub.q.Location
		it.src = sub
		it.outputs, it.open = renameOutputs(sub.outputs, sub.open, rel.Columns)
		it.known = len(it.open) == 0
		for _, o := range it.outputs {
			it.cols = append(it.cols, o.name)
		}
	}
	sc.blk.addItem(it, rel)
	return alias
}

// rangeFunction builds a function call (or ROWS FROM) in FROM.
func (b *builder) rangeFunction(rf *pg_query.RangeFunction, sc *scope) string {
	var names []string
	var loc = -1
	var coldefs []string
	for _, f := range rf.Functions {
		l := f.GetList()
		if l == nil || len(l.Items) == 0 {
			continue
		}
		fn := l.Items[0]
		if fc := fn.GetFuncCall(); fc != nil {
			names = append(names, funcName(fc.Funcname))
			if loc < 0 {
				loc = int(fc.Location)
			}
		} else if loc < 0 {
			loc = nodeLocation(fn)
		}
		// Arguments may read earlier FROM items (functions in FROM are
		// implicitly LATERAL).
		if e := b.expr(fn, sc); fn.GetFuncCall() == nil {
			names = append(names, e.Func)
		}
		if len(l.Items) > 1 && l.Items[1] != nil {
			if cl := l.Items[1].GetList(); cl != nil {
				for _, c := range cl.Items {
					if cd := c.GetColumnDef(); cd != nil {
						coldefs = append(coldefs, cd.Colname)
					}
				}
			}
		}
	}
	for _, c := range rf.Coldeflist {
		if cd := c.GetColumnDef(); cd != nil {
			coldefs = append(coldefs, cd.Colname)
		}
	}
	fname := strings.Join(names, ", ")
	defAlias := ""
	if len(names) > 0 {
		defAlias = names[0]
		if i := strings.LastIndexByte(defAlias, '.'); i >= 0 {
			defAlias = defAlias[i+1:]
		}
	}
	alias := aliasName(rf.Alias, defAlias)
	if loc < 0 {
		loc = 0
	}
	it := &item{alias: alias, kind: query.RelFunction}
	rel := query.Relation{Alias: alias, Kind: query.RelFunction, Query: -1, Lateral: rf.Lateral, Function: fname, Location: loc}
	rel.Columns = aliasColumns(rf.Alias)
	switch {
	case coldefs != nil:
		it.cols, it.known = coldefs, true
	case len(names) == 1:
		base := names[0]
		if def, ok := setReturningColumns[base]; ok {
			if def == nil {
				def = []string{alias}
			}
			it.cols, it.known = def, true
		}
	}
	if rel.Columns != nil {
		cols := append([]string(nil), rel.Columns...)
		if it.known && len(it.cols) > len(cols) {
			cols = append(cols, it.cols[len(cols):]...)
		}
		it.cols, it.known = cols, it.known || !rf.Ordinality
	}
	if rf.Ordinality && it.known && (rel.Columns == nil || len(it.cols) < len(rel.Columns)+1) {
		it.cols = append(it.cols, "ordinality")
	}
	sc.blk.addItem(it, rel)
	return alias
}

// joinTypeOf maps a parse-tree join type.
func joinTypeOf(j *pg_query.JoinExpr) query.JoinType {
	switch j.Jointype {
	case pg_query.JoinType_JOIN_LEFT:
		return query.JoinLeft
	case pg_query.JoinType_JOIN_RIGHT:
		return query.JoinRight
	case pg_query.JoinType_JOIN_FULL:
		return query.JoinFull
	}
	if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
		return query.JoinCross
	}
	return query.JoinInner
}

// joinExpr builds an explicit JOIN and returns the aliases it joins.
func (b *builder) joinExpr(j *pg_query.JoinExpr, sc *scope) []string {
	blk := sc.blk
	nBefore := len(blk.items)
	left := b.fromItem(j.Larg, sc)
	nLeft := len(blk.items)
	right := b.fromItem(j.Rarg, sc)
	leftItems := itemsByAlias(blk.items[nBefore:nLeft], left)
	rightItems := itemsByAlias(blk.items[nLeft:], right)
	jn := query.Join{Type: joinTypeOf(j), Left: left, Natural: j.IsNatural}
	if len(right) > 0 {
		jn.Right = right[0]
	}
	if len(right) > 1 {
		jn.RightRels = right
	}
	if len(right) > 0 {
		jn.Location = blk.relLocation(right[0])
	}
	var using []string
	for _, u := range j.UsingClause {
		s, _ := nodeString(u)
		using = append(using, s)
	}
	if j.IsNatural {
		using = naturalColumns(leftItems, rightItems)
	}
	jn.Using = using
	for _, col := range using {
		l, lc, lok := findIn(leftItems, col, blk.using)
		r, rc, rok := findIn(rightItems, col, blk.using)
		if lok && rok {
			jn.On = append(jn.On, b.usingPredicate(sc, l, r, lc, rc, col, jn.Location))
		}
		if blk.using == nil {
			blk.using = map[string]*item{}
		}
		switch {
		case jn.Type == query.JoinRight && r != nil:
			blk.using[col] = r
		case jn.Type != query.JoinFull && l != nil:
			blk.using[col] = l
		}
	}
	if j.Quals != nil {
		jn.On = append(jn.On, b.preds(j.Quals, sc, query.ClauseOn)...)
	}
	blk.q.Joins = append(blk.q.Joins, jn)
	all := append(append([]string(nil), left...), right...)
	members := append(append([]*item(nil), leftItems...), rightItems...)
	if j.Alias != nil && j.Alias.Aliasname != "" {
		for _, m := range members {
			m.hidden = true
		}
		blk.items = append(blk.items, &item{alias: j.Alias.Aliasname, members: members, pseudo: false})
	}
	if j.JoinUsingAlias != nil && j.JoinUsingAlias.Aliasname != "" {
		blk.items = append(blk.items, &item{alias: j.JoinUsingAlias.Aliasname, members: members, usingOnly: using})
	}
	return all
}

// itemsByAlias returns the items whose aliases are listed.
func itemsByAlias(items []*item, names []string) []*item {
	var out []*item
	for _, it := range items {
		if len(it.members) > 0 || it.pseudo {
			continue
		}
		for _, n := range names {
			if it.alias == n {
				out = append(out, it)
				break
			}
		}
	}
	return out
}

// naturalColumns returns the column names common to both sides of a
// NATURAL join, when every item's columns are known.
func naturalColumns(left, right []*item) []string {
	cols := func(items []*item) ([]string, bool) {
		var out []string
		for _, it := range items {
			if !it.known {
				return nil, false
			}
			out = append(out, it.cols...)
		}
		return out, true
	}
	l, lok := cols(left)
	r, rok := cols(right)
	if !lok || !rok {
		return nil
	}
	inRight := map[string]bool{}
	for _, c := range r {
		inRight[c] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range l {
		if inRight[c] && !seen[c] {
			out = append(out, c)
			seen[c] = true
		}
	}
	return out
}

// usingPredicate builds left.col = right.col for JOIN USING / NATURAL.
func (b *builder) usingPredicate(sc *scope, l, r *item, lc, rc []string, col string, loc int) query.Predicate {
	side := func(it *item, cands []string) query.ColumnRef {
		if it == nil {
			// Several items of this side could hold the column.
			return query.ColumnRef{Query: sc.blk.q.ID, Column: col, Candidates: cands, Location: loc}
		}
		return b.bind(sc, sc.blk, 0, it, col, loc)
	}
	lref := side(l, lc)
	rref := side(r, rc)
	text := QuoteIdent(col)
	le := query.Expr{Kind: query.ExprColumn, Text: text, Column: &lref, Columns: []query.ColumnRef{lref}}
	re := query.Expr{Kind: query.ExprColumn, Text: text, Column: &rref, Columns: []query.ColumnRef{rref}}
	return query.Predicate{Op: query.OpEq, Left: le, Right: re, Clause: query.ClauseUsing,
		Text: text + " = " + text, Location: loc}
}
