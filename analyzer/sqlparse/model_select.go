package sqlparse

import (
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// selectBlock builds a SELECT (or VALUES, or set operation) as a new block
// under parent. onCreate, when set, is called with the new block before
// its body is built (a recursive CTE needs its ID). hideParent hides the
// parent block's FROM items from the new block.
func (b *builder) selectBlock(sel *pg_query.SelectStmt, parent *scope, role query.Role, onCreate func(*block), hideParent bool) *block {
	var pb *block
	if parent != nil {
		pb = parent.blk
	}
	blk := b.newBlock(role, pb)
	if onCreate != nil {
		onCreate(blk)
	}
	sc := &scope{blk: blk, parent: parent, hideParent: hideParent}
	saved := b.ctes
	defer func() { b.ctes = saved }()
	blk.q.Location = selectLocation(sel)
	if sel.WithClause != nil {
		b.withClause(sel.WithClause, sc)
	}
	switch {
	case sel.Op != pg_query.SetOperation_SETOP_NONE && sel.Op != pg_query.SetOperation_SET_OPERATION_UNDEFINED:
		b.setOp(sel, sc)
	case len(sel.ValuesLists) > 0:
		b.values(sel.ValuesLists, sc)
	default:
		b.simpleSelect(sel, sc)
	}
	b.orderLimit(sel, sc)
	return blk
}

// selectLocation returns the offset of a SELECT's first select-list item,
// FROM item or VALUES row: the parse tree has no location for a SELECT.
func selectLocation(sel *pg_query.SelectStmt) int {
	if sel == nil {
		return 0
	}
	if sel.Op != pg_query.SetOperation_SETOP_NONE && sel.Larg != nil {
		return selectLocation(sel.Larg)
	}
	for _, t := range sel.TargetList {
		if rt := t.GetResTarget(); rt != nil && rt.Location >= 0 {
			return int(rt.Location)
		}
	}
	for _, f := range sel.FromClause {
		if rv := f.GetRangeVar(); rv != nil {
			return int(rv.Location)
		}
	}
	for _, v := range sel.ValuesLists {
		if l := v.GetList(); l != nil && len(l.Items) > 0 {
			if loc := nodeLocation(l.Items[0]); loc >= 0 {
				return loc
			}
		}
	}
	return 0
}

// nodeLocation returns the location of a node when it has one, else -1.
func nodeLocation(n *pg_query.Node) int {
	if n == nil || n.Node == nil {
		return -1
	}
	m := n.ProtoReflect()
	inner := m.WhichOneof(m.Descriptor().Oneofs().ByName("node"))
	if inner == nil {
		return -1
	}
	msg := m.Get(inner).Message()
	fd := msg.Descriptor().Fields().ByName("location")
	if fd == nil {
		return -1
	}
	return int(msg.Get(fd).Int())
}

// withClause builds the CTEs of a WITH clause into the builder's CTE
// environment; the caller restores the environment when its block ends.
func (b *builder) withClause(w *pg_query.WithClause, sc *scope) {
	for _, c := range w.Ctes {
		cte := c.GetCommonTableExpr()
		if cte == nil {
			continue
		}
		env := &cteEnv{name: cte.Ctename, parent: b.ctes, building: true}
		for _, cn := range cte.Aliascolnames {
			s, _ := nodeString(cn)
			env.cols = append(env.cols, s)
		}
		if w.Recursive {
			// The body of a recursive CTE sees its own name.
			b.ctes = env
		}
		onCreate := func(blk *block) {
			env.blk = blk
			blk.q.Name = cte.Ctename
			blk.q.Location = int(cte.Location)
			switch cte.Ctematerialized {
			case pg_query.CTEMaterialize_CTEMaterializeAlways:
				blk.q.Materialized = "materialized"
			case pg_query.CTEMaterialize_CTEMaterializeNever:
				blk.q.Materialized = "not_materialized"
			}
		}
		body := cte.Ctequery
		var blk *block
		switch v := body.GetNode().(type) {
		case *pg_query.Node_SelectStmt:
			blk = b.selectBlock(v.SelectStmt, sc, query.RoleCTE, onCreate, true)
		case *pg_query.Node_InsertStmt:
			blk = b.insert(v.InsertStmt, sc, query.RoleCTE, onCreate)
		case *pg_query.Node_UpdateStmt:
			blk = b.update(v.UpdateStmt, sc, query.RoleCTE, onCreate)
		case *pg_query.Node_DeleteStmt:
			blk = b.delete(v.DeleteStmt, sc, query.RoleCTE, onCreate)
		case *pg_query.Node_MergeStmt:
			blk = b.merge(v.MergeStmt, sc, query.RoleCTE, onCreate)
		default:
			blk = b.newBlock(query.RoleCTE, sc.blk)
			onCreate(blk)
		}
		blk.q.Location = int(cte.Location)
		env.building = false
		if !w.Recursive {
			b.ctes = env
		}
	}
}

// cteItemOutputs returns the outputs of a CTE as seen from a reference:
// the body's outputs renamed by WITH name(cols).
func cteOutputs(env *cteEnv) ([]output, []*item, bool) {
	if env.blk == nil || env.building {
		if env.cols != nil {
			outs := make([]output, len(env.cols))
			for i, c := range env.cols {
				outs[i] = output{name: c}
			}
			return outs, nil, true
		}
		return nil, nil, false
	}
	outs, open := renameOutputs(env.blk.outputs, env.blk.open, env.cols)
	return outs, open, len(open) == 0
}

// renameOutputs applies column aliases to outputs, positionally. Outputs
// after an unexpanded * cannot be renamed reliably and are dropped.
func renameOutputs(outs []output, open []*item, names []string) ([]output, []*item) {
	if len(names) == 0 {
		return outs, open
	}
	res := make([]output, 0, len(outs))
	for i, o := range outs {
		if i < len(names) {
			o.name = names[i]
		}
		res = append(res, o)
	}
	if len(open) > 0 {
		return res, nil
	}
	for i := len(outs); i < len(names); i++ {
		res = append(res, output{name: names[i]})
	}
	return res, open
}

// setOp builds a UNION / INTERSECT / EXCEPT block; chains of the same
// operation are flattened into one block with several arms.
func (b *builder) setOp(sel *pg_query.SelectStmt, sc *scope) {
	blk := sc.blk
	switch sel.Op {
	case pg_query.SetOperation_SETOP_UNION:
		blk.q.SetOp = query.SetUnion
	case pg_query.SetOperation_SETOP_INTERSECT:
		blk.q.SetOp = query.SetIntersect
	case pg_query.SetOperation_SETOP_EXCEPT:
		blk.q.SetOp = query.SetExcept
	}
	blk.q.SetAll = sel.All
	var arms []*pg_query.SelectStmt
	var collect func(s *pg_query.SelectStmt)
	collect = func(s *pg_query.SelectStmt) {
		if s == nil {
			return
		}
		if s != sel && s.Op == sel.Op && s.All == sel.All && s.WithClause == nil &&
			len(s.SortClause) == 0 && s.LimitCount == nil && s.LimitOffset == nil && len(s.LockingClause) == 0 {
			collect(s.Larg)
			collect(s.Rarg)
			return
		}
		if s == sel {
			collect(s.Larg)
			collect(s.Rarg)
			return
		}
		arms = append(arms, s)
	}
	collect(sel)
	var armBlocks []*block
	for _, a := range arms {
		ab := b.selectBlock(a, sc, query.RoleSetArm, nil, true)
		blk.q.Arms = append(blk.q.Arms, ab.q.ID)
		armBlocks = append(armBlocks, ab)
	}
	if len(armBlocks) == 0 {
		return
	}
	first := armBlocks[0]
	blk.targets = first.targets
	blk.open = first.open
	blk.outputs = make([]output, len(first.outputs))
	copy(blk.outputs, first.outputs)
	for i := range blk.outputs {
		for _, ab := range armBlocks[1:] {
			if len(ab.open) > 0 || i >= len(ab.outputs) || ab.outputs[i].table != blk.outputs[i].table ||
				ab.outputs[i].column != blk.outputs[i].column {
				blk.outputs[i].table, blk.outputs[i].column = query.TableName{}, ""
			}
		}
	}
}

// values builds a VALUES list.
func (b *builder) values(rows []*pg_query.Node, sc *scope) {
	blk := sc.blk
	width := 0
	for _, r := range rows {
		l := r.GetList()
		if l == nil {
			continue
		}
		row := make([]query.Expr, 0, len(l.Items))
		for _, it := range l.Items {
			row = append(row, b.expr(it, sc))
		}
		if len(row) > width {
			width = len(row)
		}
		blk.q.Values = append(blk.q.Values, row)
	}
	for i := 1; i <= width; i++ {
		blk.outputs = append(blk.outputs, output{name: "column" + strconv.Itoa(i)})
	}
}

// simpleSelect builds the clauses of a plain SELECT.
func (b *builder) simpleSelect(sel *pg_query.SelectStmt, sc *scope) {
	blk := sc.blk
	b.fromList(sel.FromClause, sc)
	b.selectList(sel.TargetList, sc, true)
	if sel.WhereClause != nil {
		blk.q.Where = b.preds(sel.WhereClause, sc, query.ClauseWhere)
	}
	b.groupBy(sel.GroupClause, sc)
	if sel.HavingClause != nil {
		blk.q.Having = b.preds(sel.HavingClause, sc, query.ClauseHaving)
	}
	for _, w := range sel.WindowClause {
		if wd := w.GetWindowDef(); wd != nil {
			b.windowDef(wd, sc)
		}
	}
	if len(sel.DistinctClause) > 0 {
		blk.q.Distinct = true
		for _, d := range sel.DistinctClause {
			if d == nil || d.Node == nil {
				continue
			}
			blk.q.DistinctOn = append(blk.q.DistinctOn, b.outputRef(d, sc, true))
		}
	}
}

// windowDef collects the columns of a named window definition.
func (b *builder) windowDef(wd *pg_query.WindowDef, sc *scope) {
	for _, p := range wd.PartitionClause {
		b.expr(p, sc)
	}
	for _, o := range wd.OrderClause {
		if sb := o.GetSortBy(); sb != nil {
			b.expr(sb.Node, sc)
		}
	}
}

// selectList builds a select list (or RETURNING list) into the block's
// Select and outputs.
func (b *builder) selectList(targets []*pg_query.Node, sc *scope, outputs bool) []query.Target {
	blk := sc.blk
	var out []query.Target
	for _, t := range targets {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		tg := b.target(rt, sc)
		out = append(out, tg)
		blk.targets = append(blk.targets, rt)
		if !outputs {
			continue
		}
		if tg.Star {
			b.starOutputs(sc, tg.StarRel)
			continue
		}
		o := output{name: tg.Name}
		if tg.Expr.Kind == query.ExprColumn && tg.Expr.Column != nil && tg.Expr.Column.Table.Name != "" && tg.Expr.Column.Column != "*" {
			o.table, o.column = tg.Expr.Column.Table, tg.Expr.Column.Column
		}
		blk.outputs = append(blk.outputs, o)
	}
	blk.q.Select = append(blk.q.Select, out...)
	return out
}

// starOutputs adds the outputs a * (or rel.*) expands to.
func (b *builder) starOutputs(sc *scope, rel string) {
	blk := sc.blk
	var items []*item
	for _, it := range blk.items {
		if it.pseudo || len(it.members) > 0 {
			if rel != "" && it.alias == rel && len(it.members) > 0 {
				items = append(items, it.members...)
			}
			continue
		}
		if rel == "" || (it.alias == rel && !it.hidden) {
			items = append(items, it)
		}
	}
	for _, it := range items {
		if !it.known {
			blk.open = append(blk.open, it)
			continue
		}
		for _, c := range it.cols {
			o := output{name: c}
			if t, col, ok := b.trace(it, c, 0); ok {
				o.table, o.column = t, col
			}
			blk.outputs = append(blk.outputs, o)
		}
	}
}

// target builds one select-list item.
func (b *builder) target(rt *pg_query.ResTarget, sc *scope) query.Target {
	e := b.expr(rt.Val, sc)
	t := query.Target{Expr: e, Name: rt.Name}
	if e.Kind == query.ExprStar {
		t.Star = true
		t.Name = ""
		if cr := rt.Val.GetColumnRef(); cr != nil {
			f, _ := columnFields(cr)
			if len(f) > 0 {
				t.StarRel = f[len(f)-1]
			}
		}
		return t
	}
	if t.Name == "" {
		t.Name = figureColname(rt.Val)
	}
	return t
}

// figureColname names an unaliased output column as PostgreSQL does.
func figureColname(n *pg_query.Node) string {
	if name := figureColnameOrEmpty(n); name != "" {
		return name
	}
	return "?column?"
}

func figureColnameOrEmpty(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f, star := columnFields(v.ColumnRef)
		if star || len(f) == 0 {
			return ""
		}
		return f[len(f)-1]
	case *pg_query.Node_AIndirection:
		for i := len(v.AIndirection.Indirection) - 1; i >= 0; i-- {
			if s, ok := nodeString(v.AIndirection.Indirection[i]); ok {
				return s
			}
			if _, star := v.AIndirection.Indirection[i].Node.(*pg_query.Node_AStar); star {
				return ""
			}
		}
		return figureColnameOrEmpty(v.AIndirection.Arg)
	case *pg_query.Node_FuncCall:
		return baseFuncName(v.FuncCall.Funcname)
	case *pg_query.Node_AExpr:
		if v.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif"
		}
	case *pg_query.Node_TypeCast:
		if s := figureColnameOrEmpty(v.TypeCast.Arg); s != "" {
			return s
		}
		p := typeNameParts(v.TypeCast.TypeName)
		if len(p) > 0 {
			return p[len(p)-1]
		}
	case *pg_query.Node_CollateClause:
		return figureColnameOrEmpty(v.CollateClause.Arg)
	case *pg_query.Node_SubLink:
		switch v.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists"
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array"
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := v.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				if rt := sel.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name
					}
					return figureColnameOrEmpty(rt.Val)
				}
			}
		}
	case *pg_query.Node_CaseExpr:
		return "case"
	case *pg_query.Node_AArrayExpr:
		return "array"
	case *pg_query.Node_RowExpr:
		return "row"
	case *pg_query.Node_CoalesceExpr:
		return "coalesce"
	case *pg_query.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg_query.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case *pg_query.Node_SqlvalueFunction:
		return sqlValueFunctionName(v.SqlvalueFunction.Op)
	case *pg_query.Node_GroupingFunc:
		return "grouping"
	case *pg_query.Node_AConst:
		if v.AConst.GetBoolval() != nil {
			return "bool"
		}
	}
	return ""
}

// outputRef builds an ORDER BY / DISTINCT ON / GROUP BY item: an output
// column number or (for ORDER BY, preferring output names; for GROUP BY,
// preferring input columns) an output column name resolve to the select
// list expression.
func (b *builder) outputRef(n *pg_query.Node, sc *scope, preferOutput bool) query.Expr {
	sel := b.selectTargets(sc.blk)
	if c := n.GetAConst(); c != nil {
		if iv := c.GetIval(); iv != nil && c.Val != nil {
			i := int(iv.Ival)
			if i >= 1 && i <= len(sel) && !sel[i-1].Star {
				return sel[i-1].Expr
			}
		}
	}
	if cr := n.GetColumnRef(); cr != nil {
		f, star := columnFields(cr)
		if !star && len(f) == 1 {
			match := func() (query.Expr, bool) {
				for _, t := range sel {
					if !t.Star && t.Name == f[0] {
						return t.Expr, true
					}
				}
				return query.Expr{}, false
			}
			if preferOutput {
				if e, ok := match(); ok {
					return e
				}
			} else if !sc.blk.knownColumn(f[0]) {
				// GROUP BY name: an input column wins over an output
				// alias; without a schema the alias is the better guess.
				if e, ok := match(); ok {
					return e
				}
			}
		}
	}
	return b.expr(n, sc)
}

// selectTargets returns the select list ORDER BY refers to: the block's,
// or for a set operation its first arm's.
func (b *builder) selectTargets(blk *block) []query.Target {
	for blk.q.SetOp != query.SetNone && len(blk.q.Arms) > 0 {
		blk = b.blocks[blk.q.Arms[0]]
	}
	return blk.q.Select
}

// groupBy builds GROUP BY, flattening grouping sets.
func (b *builder) groupBy(items []*pg_query.Node, sc *scope) {
	for _, g := range items {
		if gs := g.GetGroupingSet(); gs != nil {
			if gs.Kind != pg_query.GroupingSetKind_GROUPING_SET_SIMPLE {
				sc.blk.q.GroupingSets = true
			}
			b.groupBy(gs.Content, sc)
			continue
		}
		if l := g.GetList(); l != nil {
			b.groupBy(l.Items, sc)
			continue
		}
		if rw := g.GetRowExpr(); rw != nil && sc.blk.q.GroupingSets {
			b.groupBy(rw.Args, sc)
			continue
		}
		sc.blk.q.GroupBy = append(sc.blk.q.GroupBy, b.outputRef(g, sc, false))
	}
}

// orderLimit builds ORDER BY, LIMIT, OFFSET and locking clauses.
func (b *builder) orderLimit(sel *pg_query.SelectStmt, sc *scope) {
	q := sc.blk.q
	for _, s := range sel.SortClause {
		sb := s.GetSortBy()
		if sb == nil {
			continue
		}
		q.OrderBy = append(q.OrderBy, b.orderItem(sb, sc))
	}
	if sel.LimitCount != nil {
		if c := sel.LimitCount.GetAConst(); c == nil || !c.Isnull {
			e := b.expr(sel.LimitCount, sc)
			q.Limit = &e
		}
	}
	if sel.LimitOffset != nil {
		e := b.expr(sel.LimitOffset, sc)
		q.Offset = &e
	}
	q.LimitWithTies = sel.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES
	q.Locking = lockingText(sel.LockingClause)
}

// orderItem builds one ORDER BY item.
func (b *builder) orderItem(sb *pg_query.SortBy, sc *scope) query.OrderItem {
	oi := query.OrderItem{Expr: b.outputRef(sb.Node, sc, true)}
	switch sb.SortbyDir {
	case pg_query.SortByDir_SORTBY_DESC:
		oi.Desc = true
	case pg_query.SortByDir_SORTBY_USING:
		oi.Using = opName(sb.UseOp)
		// USING > sorts descending, as far as an index is concerned.
		oi.Desc = oi.Using == ">" || oi.Using == ">="
	}
	switch sb.SortbyNulls {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		oi.Nulls = query.NullsFirst
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		oi.Nulls = query.NullsLast
	}
	return oi
}

// lockingText renders FOR UPDATE / SHARE clauses canonically.
func lockingText(clauses []*pg_query.Node) string {
	var parts []string
	for _, c := range clauses {
		lc := c.GetLockingClause()
		if lc == nil {
			continue
		}
		var s string
		switch lc.Strength {
		case pg_query.LockClauseStrength_LCS_FORKEYSHARE:
			s = "FOR KEY SHARE"
		case pg_query.LockClauseStrength_LCS_FORSHARE:
			s = "FOR SHARE"
		case pg_query.LockClauseStrength_LCS_FORNOKEYUPDATE:
			s = "FOR NO KEY UPDATE"
		default:
			s = "FOR UPDATE"
		}
		var rels []string
		for _, r := range lc.LockedRels {
			if rv := r.GetRangeVar(); rv != nil {
				rels = append(rels, query.TableName{Schema: rv.Schemaname, Name: rv.Relname}.String())
			}
		}
		if len(rels) > 0 {
			s += " OF " + strings.Join(rels, ", ")
		}
		switch lc.WaitPolicy {
		case pg_query.LockWaitPolicy_LockWaitSkip:
			s += " SKIP LOCKED"
		case pg_query.LockWaitPolicy_LockWaitError:
			s += " NOWAIT"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
