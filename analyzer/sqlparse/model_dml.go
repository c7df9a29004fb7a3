package sqlparse

import (
	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// writeBlock starts the block of a data-modifying statement (main or in a
// WITH): its From[0] is the target table.
func (b *builder) writeBlock(kind query.Kind, rv *pg_query.RangeVar, with *pg_query.WithClause, parent *scope, role query.Role, onCreate func(*block)) (*block, *scope, *item) {
	var pb *block
	if parent != nil {
		pb = parent.blk
	}
	blk := b.newBlock(role, pb)
	if onCreate != nil {
		onCreate(blk)
	}
	blk.q.Command = kind
	sc := &scope{blk: blk, parent: parent, hideParent: true}
	if with != nil {
		b.withClause(with, sc)
	}
	if rv == nil {
		return blk, sc, nil
	}
	target := b.rangeVar(rv, sc, false)
	t := target.table
	blk.q.Target = &t
	blk.q.Location = int(rv.Location)
	if role == query.RoleMain {
		b.st.Target = &t
		if rv.Alias != nil {
			b.st.TargetAlias = rv.Alias.Aliasname
		}
	}
	return blk, sc, target
}

// returning builds a RETURNING list as the write block's Select.
func (b *builder) returning(list []*pg_query.Node, sc *scope, role query.Role) {
	if len(list) == 0 {
		return
	}
	ret := b.selectList(list, sc, true)
	if role == query.RoleMain {
		b.st.Returning = ret
	}
}

// assignments builds UPDATE SET / ON CONFLICT DO UPDATE SET / MERGE
// UPDATE SET items.
func (b *builder) assignments(targets []*pg_query.Node, sc *scope) []query.Assignment {
	var out []query.Assignment
	// A multi-column SET (a, b) = (SELECT ...) shares one source, which
	// the parse tree repeats for each column.
	multi := map[int]query.Expr{}
	for _, t := range targets {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		a := query.Assignment{Column: rt.Name}
		if mr := rt.Val.GetMultiAssignRef(); mr != nil {
			src := mr.Source
			if row := src.GetRowExpr(); row != nil && int(mr.Colno) >= 1 && int(mr.Colno) <= len(row.Args) {
				a.Value = b.expr(row.Args[mr.Colno-1], sc)
			} else if e, ok := multi[nodeLocation(src)]; ok {
				a.Value = e
			} else {
				e := b.expr(src, sc)
				multi[nodeLocation(src)] = e
				a.Value = e
			}
		} else {
			a.Value = b.expr(rt.Val, sc)
		}
		out = append(out, a)
	}
	return out
}

// insert builds INSERT.
func (b *builder) insert(s *pg_query.InsertStmt, parent *scope, role query.Role, onCreate func(*block)) *block {
	saved := b.ctes
	defer func() { b.ctes = saved }()
	blk, sc, target := b.writeBlock(query.KindInsert, s.Relation, s.WithClause, parent, role, onCreate)
	var cols []string
	for _, c := range s.Cols {
		if rt := c.GetResTarget(); rt != nil {
			cols = append(cols, rt.Name)
		}
	}
	if role == query.RoleMain {
		b.st.InsertColumns = cols
	}
	if sel := s.SelectStmt.GetSelectStmt(); sel != nil {
		// The source cannot see the target.
		b.selectBlock(sel, sc, query.RoleInsert, nil, true)
		if len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE && role == query.RoleMain {
			b.st.InsertRows = len(sel.ValuesLists)
		}
	}
	if oc := s.OnConflictClause; oc != nil && target != nil {
		b.onConflict(oc, sc, target, role)
	}
	b.returning(s.ReturningList, sc, role)
	return blk
}

// onConflict builds INSERT ... ON CONFLICT.
func (b *builder) onConflict(oc *pg_query.OnConflictClause, sc *scope, target *item, role query.Role) {
	c := &query.OnConflict{DoUpdate: oc.Action == pg_query.OnConflictAction_ONCONFLICT_UPDATE}
	if inf := oc.Infer; inf != nil {
		c.Constraint = inf.Conname
		for _, e := range inf.IndexElems {
			ie := e.GetIndexElem()
			if ie == nil {
				continue
			}
			if ie.Name != "" {
				c.Columns = append(c.Columns, ie.Name)
			} else if ie.Expr != nil {
				c.Columns = append(c.Columns, b.expr(ie.Expr, sc).Text)
			}
		}
		if inf.WhereClause != nil {
			c.TargetWhere = b.preds(inf.WhereClause, sc, query.ClauseWhere)
		}
	}
	if c.DoUpdate {
		// EXCLUDED is the row proposed for insertion.
		ex := &item{alias: "excluded", kind: query.RelTable, table: target.table, cols: target.cols, known: target.known, pseudo: true}
		sc.blk.items = append(sc.blk.items, ex)
		set := b.assignments(oc.TargetList, sc)
		if role == query.RoleMain {
			b.st.Set = append(b.st.Set, set...)
		}
		if oc.WhereClause != nil {
			c.Where = b.preds(oc.WhereClause, sc, query.ClauseWhere)
		}
	}
	if role == query.RoleMain {
		b.st.OnConflict = c
	}
}

// update builds UPDATE.
func (b *builder) update(s *pg_query.UpdateStmt, parent *scope, role query.Role, onCreate func(*block)) *block {
	saved := b.ctes
	defer func() { b.ctes = saved }()
	blk, sc, _ := b.writeBlock(query.KindUpdate, s.Relation, s.WithClause, parent, role, onCreate)
	b.fromList(s.FromClause, sc)
	set := b.assignments(s.TargetList, sc)
	if role == query.RoleMain {
		b.st.Set = set
	}
	b.where(s.WhereClause, sc, role)
	b.returning(s.ReturningList, sc, role)
	return blk
}

// where builds the WHERE of UPDATE / DELETE, recording WHERE CURRENT OF.
func (b *builder) where(w *pg_query.Node, sc *scope, role query.Role) {
	if w == nil {
		return
	}
	if co := w.GetCurrentOfExpr(); co != nil {
		if role == query.RoleMain {
			b.st.CurrentOf = co.CursorName
		}
		return
	}
	sc.blk.q.Where = b.preds(w, sc, query.ClauseWhere)
}

// delete builds DELETE.
func (b *builder) delete(s *pg_query.DeleteStmt, parent *scope, role query.Role, onCreate func(*block)) *block {
	saved := b.ctes
	defer func() { b.ctes = saved }()
	blk, sc, _ := b.writeBlock(query.KindDelete, s.Relation, s.WithClause, parent, role, onCreate)
	b.fromList(s.UsingClause, sc)
	b.where(s.WhereClause, sc, role)
	b.returning(s.ReturningList, sc, role)
	return blk
}

// merge builds MERGE: the target joined to the source on the ON
// condition, with one MergeAction per WHEN clause.
func (b *builder) merge(s *pg_query.MergeStmt, parent *scope, role query.Role, onCreate func(*block)) *block {
	saved := b.ctes
	defer func() { b.ctes = saved }()
	blk, sc, target := b.writeBlock(query.KindMerge, s.Relation, s.WithClause, parent, role, onCreate)
	src := b.fromItem(s.SourceRelation, sc)
	jt := query.JoinInner
	var byTarget, bySource bool
	for _, w := range s.MergeWhenClauses {
		if mw := w.GetMergeWhenClause(); mw != nil {
			switch mw.MatchKind {
			case pg_query.MergeMatchKind_MERGE_WHEN_NOT_MATCHED_BY_TARGET:
				byTarget = true
			case pg_query.MergeMatchKind_MERGE_WHEN_NOT_MATCHED_BY_SOURCE:
				bySource = true
			}
		}
	}
	switch {
	case byTarget && bySource:
		jt = query.JoinFull
	case byTarget:
		jt = query.JoinRight
	case bySource:
		jt = query.JoinLeft
	}
	if target != nil && len(src) > 0 {
		j := query.Join{Type: jt, Left: []string{target.alias}, Right: src[0], Location: blk.relLocation(src[0])}
		if len(src) > 1 {
			j.RightRels = src
		}
		if s.JoinCondition != nil {
			j.On = b.preds(s.JoinCondition, sc, query.ClauseOn)
		}
		blk.q.Joins = append(blk.q.Joins, j)
	}
	for _, w := range s.MergeWhenClauses {
		mw := w.GetMergeWhenClause()
		if mw == nil {
			continue
		}
		act := query.MergeAction{}
		switch mw.MatchKind {
		case pg_query.MergeMatchKind_MERGE_WHEN_MATCHED:
			act.Match = "matched"
		case pg_query.MergeMatchKind_MERGE_WHEN_NOT_MATCHED_BY_SOURCE:
			act.Match = "not matched by source"
		default:
			act.Match = "not matched"
		}
		switch mw.CommandType {
		case pg_query.CmdType_CMD_UPDATE:
			act.Command = query.KindUpdate
		case pg_query.CmdType_CMD_INSERT:
			act.Command = query.KindInsert
		case pg_query.CmdType_CMD_DELETE:
			act.Command = query.KindDelete
		}
		if mw.Condition != nil {
			act.Condition = b.preds(mw.Condition, sc, query.ClauseWhere)
		}
		switch act.Command {
		case query.KindUpdate:
			act.Set = b.assignments(mw.TargetList, sc)
			if role == query.RoleMain {
				b.st.Set = append(b.st.Set, act.Set...)
			}
		case query.KindInsert:
			for _, t := range mw.TargetList {
				if rt := t.GetResTarget(); rt != nil {
					act.Columns = append(act.Columns, rt.Name)
				}
			}
			for _, v := range mw.Values {
				act.Values = append(act.Values, b.expr(v, sc))
			}
		}
		if role == query.RoleMain {
			b.st.Merge = append(b.st.Merge, act)
		}
	}
	b.returning(s.ReturningList, sc, role)
	return blk
}
