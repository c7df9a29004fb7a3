package query

import "sort"

// Access summarizes how one query block reads one base-table FROM item:
// everything an index on that table could serve. It is derived from the
// model by Statement.Accesses; checks and the advisor start from it.
type Access struct {
	// Query is the block ID and Rel the alias of the FROM item.
	Query int       `json:"query"`
	Rel   string    `json:"rel"`
	Table TableName `json:"table"`
	// Filters are the WHERE (and inner-join ON) conjuncts that compare
	// only this item's columns (or expressions over them) with values
	// fixed during the scan: constants, parameters, outer references.
	// Conditions written outside a simple subquery, view or inlined CTE
	// on a column it projects unchanged are pushed down to the item they
	// come from, as PostgreSQL's planner pulls such subqueries up.
	Filters []Predicate `json:"filters,omitempty"`
	// JoinKeys are the conjuncts that compare this item's columns with
	// columns of other items of the same block (the other side is Right).
	// An index on these columns serves a nested loop with this item inner.
	JoinKeys []Predicate `json:"join_keys,omitempty"`
	// OrderBy is the block's ORDER BY when every item is an expression of
	// this FROM item's columns; nil otherwise.
	OrderBy []OrderItem `json:"order_by,omitempty"`
	// GroupBy is the block's GROUP BY (or DISTINCT list) when every item is
	// an expression of this item's columns.
	GroupBy []Expr `json:"group_by,omitempty"`
	// Limit is the block's LIMIT, when it applies directly to scans of
	// this item (no aggregation, grouping or DISTINCT in between).
	Limit *Expr `json:"limit,omitempty"`
	// Offset is the block's OFFSET under the same condition as Limit.
	Offset *Expr `json:"offset,omitempty"`
	// Columns lists every column of this item referenced anywhere in the
	// block (select list, filters, joins, order), sorted and unique; Star
	// is true when a * makes the list open-ended.
	Columns []string `json:"columns,omitempty"`
	Star    bool     `json:"star,omitempty"`
	// Write is true when the item is the target of UPDATE, DELETE, MERGE
	// or INSERT (From[0] of a block with Command set).
	Write bool `json:"write,omitempty"`
}

// Accesses returns one Access per base-table FROM item (RelTable) of
// every block, in block order then FROM order.
//
// Filters and join keys come from WHERE, from the ON conditions of inner
// joins, and from the ON conditions of outer joins for the item on their
// nullable side (the ON of a LEFT JOIN restricts the right side's rows,
// never the left's). On the nullable side of an outer join, WHERE
// conditions that accept NULL (IS NULL, IS NOT TRUE, IS [NOT] DISTINCT
// FROM, NOT, OR, other) are left out: they test the join's result, not
// the scan. Join keys are oriented with this item on the left (a < b.x
// becomes b.x > a for b).
//
// LIMIT and OFFSET apply to an item when its block has no aggregation,
// GROUP BY, DISTINCT, window function, HAVING or set operation, and
// either the item is the block's only FROM item and there is no ORDER BY,
// or the ORDER BY is all on the item (ORDER BY random() LIMIT 1 sorts
// every row first: no LIMIT for the scan).
//
// A block that is a simple subquery in FROM, an expanded view or a CTE
// PostgreSQL inlines (referenced once, not MATERIALIZED, not recursive,
// not data-modifying) inherits the conditions its referencing block puts
// on the columns it projects unchanged, and, when the referencing block
// reads only it, that block's ORDER BY, LIMIT and OFFSET.
func (s *Statement) Accesses() []Access {
	d := &deriver{s: s, memo: map[int]*blockConds{}, busy: map[int]bool{}}
	var out []Access
	for i := range s.Queries {
		q := &s.Queries[i]
		bc := d.conds(q.ID)
		for ri, r := range q.From {
			if r.Kind != RelTable {
				continue
			}
			a := Access{Query: q.ID, Rel: r.Alias, Table: r.Table}
			a.Filters = bc.filters[r.Alias]
			a.JoinKeys = bc.joins[r.Alias]
			if ob, ok := bc.order[r.Alias]; ok {
				a.OrderBy = ob
			}
			a.GroupBy = groupOn(q, r.Alias)
			if lim, ok := bc.limit[r.Alias]; ok {
				a.Limit, a.Offset = lim[0], lim[1]
			}
			a.Columns, a.Star = columnsOf(q, r.Alias)
			a.Write = q.Command != "" && ri == 0
			out = append(out, a)
		}
	}
	return out
}

// blockConds are the conditions derived for each FROM item of a block.
type blockConds struct {
	filters map[string][]Predicate
	joins   map[string][]Predicate
	order   map[string][]OrderItem
	limit   map[string][2]*Expr
}

type deriver struct {
	s    *Statement
	memo map[int]*blockConds
	busy map[int]bool
}

func (d *deriver) query(id int) *Query {
	if id < 0 || id >= len(d.s.Queries) {
		return nil
	}
	return &d.s.Queries[id]
}

// conds derives the conditions of block id (memoized).
func (d *deriver) conds(id int) *blockConds {
	if bc, ok := d.memo[id]; ok {
		return bc
	}
	bc := &blockConds{filters: map[string][]Predicate{}, joins: map[string][]Predicate{},
		order: map[string][]OrderItem{}, limit: map[string][2]*Expr{}}
	q := d.query(id)
	if q == nil || d.busy[id] {
		return bc
	}
	d.busy[id] = true
	defer delete(d.busy, id)
	for _, r := range q.From {
		nullable := isNullable(q, r.Alias)
		for _, p := range q.Where {
			if nullable && acceptsNull(p) {
				continue
			}
			bc.add(p, r.Alias)
		}
		for _, j := range q.Joins {
			if !onApplies(j, r.Alias) {
				continue
			}
			for _, p := range j.On {
				bc.add(p, r.Alias)
			}
		}
	}
	// ORDER BY and LIMIT of the block itself.
	single := len(q.From) == 1
	for _, r := range q.From {
		if ob := orderOn(q.OrderBy, r.Alias); ob != nil && q.SetOp == SetNone {
			bc.order[r.Alias] = ob
		}
		if limitApplies(q) && ((single && len(q.OrderBy) == 0) || bc.order[r.Alias] != nil) && (q.Limit != nil || q.Offset != nil) {
			bc.limit[r.Alias] = [2]*Expr{q.Limit, q.Offset}
		}
	}
	d.inherit(q, bc)
	d.memo[id] = bc
	return bc
}

// add classifies p for item alias and records it.
func (bc *blockConds) add(p Predicate, alias string) {
	switch kind, q := classify(p, alias); kind {
	case condFilter:
		bc.filters[alias] = append(bc.filters[alias], q)
	case condJoin:
		bc.joins[alias] = append(bc.joins[alias], q)
	}
}

type condKind int

const (
	condNone condKind = iota
	condFilter
	condJoin
)

// classify says whether p is a filter or a join key of item alias, and
// returns it oriented with alias on the left.
func classify(p Predicate, alias string) (condKind, Predicate) {
	switch p.Op {
	case OpOr:
		for _, br := range p.Or {
			for _, q := range br {
				if k, _ := classify(q, alias); k != condFilter {
					return condNone, p
				}
			}
		}
		if len(p.Or) == 0 {
			return condNone, p
		}
		return condFilter, p
	case OpNot:
		for _, q := range p.Not {
			if k, _ := classify(q, alias); k != condFilter {
				return condNone, p
			}
		}
		if len(p.Not) == 0 {
			return condNone, p
		}
		return condFilter, p
	case OpExists, OpNotExists:
		return condNone, p
	}
	lrels, lun := p.Left.Rels()
	rrels, run := p.Right.Rels()
	if lun || run {
		return condNone, p
	}
	only := func(rels []string) bool { return len(rels) == 1 && rels[0] == alias }
	has := func(rels []string) bool {
		for _, r := range rels {
			if r == alias {
				return true
			}
		}
		return false
	}
	switch {
	case only(lrels) && len(rrels) == 0:
		if p.Left.Volatile || p.Right.Volatile {
			return condNone, p
		}
		return condFilter, p
	case only(lrels) && len(rrels) > 0 && !has(rrels):
		return condJoin, p
	case only(rrels) && len(lrels) > 0 && !has(lrels):
		if q, ok := p.Commute(); ok {
			return condJoin, q
		}
	case only(rrels) && len(lrels) == 0:
		if p.Left.Volatile || p.Right.Volatile {
			return condNone, p
		}
		if q, ok := p.Commute(); ok {
			return condFilter, q
		}
		return condFilter, p
	}
	return condNone, p
}

// acceptsNull reports whether p can hold for a NULL-extended row.
func acceptsNull(p Predicate) bool {
	switch p.Op {
	case OpIsNull, OpIsNotTrue, OpIsNotFalse, OpIsDistinct, OpNotDistinc, OpNot, OpOr, OpOther,
		OpNotExists, OpExists:
		return true
	}
	return false
}

// inRight reports whether alias is on the right side of j.
func inRight(j Join, alias string) bool {
	if j.Right == alias {
		return true
	}
	for _, r := range j.RightRels {
		if r == alias {
			return true
		}
	}
	return false
}

func inLeft(j Join, alias string) bool {
	for _, l := range j.Left {
		if l == alias {
			return true
		}
	}
	return false
}

// isNullable reports whether alias is on the nullable side of an outer
// join of q.
func isNullable(q *Query, alias string) bool {
	for _, j := range q.Joins {
		switch j.Type {
		case JoinLeft:
			if inRight(j, alias) {
				return true
			}
		case JoinRight:
			if inLeft(j, alias) {
				return true
			}
		case JoinFull:
			if inLeft(j, alias) || inRight(j, alias) {
				return true
			}
		}
	}
	return false
}

// onApplies reports whether the ON conditions of j restrict the rows
// read from alias.
func onApplies(j Join, alias string) bool {
	switch j.Type {
	case JoinInner, JoinCross, JoinImplicit:
		return inLeft(j, alias) || inRight(j, alias)
	case JoinLeft:
		return inRight(j, alias)
	case JoinRight:
		return inLeft(j, alias)
	}
	return false
}

// onlyOn reports whether e reads only columns of alias (and at least
// one), and is computed at the scan (no volatile, aggregate or window
// function).
func onlyOn(e Expr, alias string) bool {
	rels, un := e.Rels()
	return !un && len(rels) == 1 && rels[0] == alias && !e.Volatile && !e.Aggregate && !e.Window
}

// orderOn returns items when every one is an expression of alias.
func orderOn(items []OrderItem, alias string) []OrderItem {
	if len(items) == 0 {
		return nil
	}
	for _, it := range items {
		if !onlyOn(it.Expr, alias) {
			return nil
		}
	}
	return items
}

// groupOn returns the block's GROUP BY, DISTINCT ON or DISTINCT list
// when all on alias.
func groupOn(q *Query, alias string) []Expr {
	var list []Expr
	switch {
	case len(q.GroupBy) > 0:
		list = q.GroupBy
	case len(q.DistinctOn) > 0:
		list = q.DistinctOn
	case q.Distinct:
		for _, t := range q.Select {
			if t.Star {
				return nil
			}
			list = append(list, t.Expr)
		}
	}
	if len(list) == 0 {
		return nil
	}
	for _, e := range list {
		if !onlyOn(e, alias) {
			return nil
		}
	}
	return list
}

// limitApplies reports whether nothing between the scans and LIMIT
// changes the row count.
func limitApplies(q *Query) bool {
	return q.SetOp == SetNone && !q.Aggregates && len(q.GroupBy) == 0 && !q.Distinct &&
		len(q.DistinctOn) == 0 && !q.Windows && len(q.Having) == 0
}

// columnsOf lists the columns of alias referenced in q.
func columnsOf(q *Query, alias string) ([]string, bool) {
	var cols []string
	star := false
	for _, c := range q.Columns {
		if c.Rel != alias {
			continue
		}
		if c.Column == "*" {
			star = true
			continue
		}
		cols = append(cols, c.Column)
	}
	for _, t := range q.Select {
		if t.Star && (t.StarRel == "" || t.StarRel == alias) {
			star = true
		}
	}
	sort.Strings(cols)
	w := 0
	for i := range cols {
		if w > 0 && cols[w-1] == cols[i] {
			continue
		}
		cols[w] = cols[i]
		w++
	}
	if w == 0 {
		return nil, star
	}
	return cols[:w], star
}

// simpleForPullUp reports whether PostgreSQL's planner pulls block q up
// into its referencing block, so that conditions on its outputs reach
// its scans.
func (d *deriver) simpleForPullUp(q *Query) bool {
	if q.SetOp != SetNone || !limitApplies(q) || q.Limit != nil || q.Offset != nil || q.Locking != "" ||
		q.Values != nil || q.Command != "" || len(q.From) == 0 {
		return false
	}
	switch q.Role {
	case RoleFrom, RoleView:
		return true
	case RoleCTE:
		if q.Recursive || q.Materialized == "materialized" {
			return false
		}
		if q.Materialized == "not_materialized" {
			return true
		}
		return len(d.references(q.ID)) == 1
	}
	return false
}

// ref is a FROM item referencing a block.
type ref struct {
	query int
	alias string
}

// references lists the FROM items whose Query is block id.
func (d *deriver) references(id int) []ref {
	var out []ref
	for _, q := range d.s.Queries {
		for _, r := range q.From {
			if r.Query == id && (r.Kind == RelSubquery || r.Kind == RelCTE || r.Kind == RelView) {
				out = append(out, ref{q.ID, r.Alias})
			}
		}
	}
	return out
}

// inherit pushes the referencing block's conditions on q's outputs down
// to q's items.
func (d *deriver) inherit(q *Query, bc *blockConds) {
	if !d.simpleForPullUp(q) {
		return
	}
	refs := d.references(q.ID)
	if len(refs) != 1 {
		return
	}
	outer := d.query(refs[0].query)
	if outer == nil {
		return
	}
	oc := d.conds(outer.ID)
	alias := refs[0].alias
	push := func(ps []Predicate, into map[string][]Predicate) {
		for _, p := range ps {
			if np, inner, ok := mapPredicate(q, p); ok {
				into[inner] = append(into[inner], np)
			}
		}
	}
	push(oc.filters[alias], bc.filters)
	push(oc.joins[alias], bc.joins)
	// ORDER BY / LIMIT of a block reading only this subquery reach the
	// subquery's single table.
	if ob, ok := oc.order[alias]; ok && len(q.OrderBy) == 0 && len(q.From) == 1 {
		var mapped []OrderItem
		for _, it := range ob {
			e, inner, ok := mapExpr(q, it.Expr)
			if !ok || inner != q.From[0].Alias {
				mapped = nil
				break
			}
			it.Expr = e
			mapped = append(mapped, it)
		}
		if mapped != nil {
			bc.order[q.From[0].Alias] = mapped
		}
	}
	if lim, ok := oc.limit[alias]; ok && len(q.From) == 1 && len(q.Where) == 0 && len(q.Joins) == 0 {
		bc.limit[q.From[0].Alias] = lim
	} else if ok && len(q.From) == 1 && bc.order[q.From[0].Alias] != nil {
		bc.limit[q.From[0].Alias] = lim
	}
}

// mapPredicate rewrites a condition on one output column of block q
// (its Left a plain column of the referencing item) into a condition on
// the item of q that column comes from. Left becomes the inner column
// (so Key matches the inner table's index keys); Text stays as written
// in the referencing block.
func mapPredicate(q *Query, p Predicate) (Predicate, string, bool) {
	if p.Op == OpOr || p.Op == OpNot {
		return p, "", false
	}
	e, inner, ok := mapExpr(q, p.Left)
	if !ok {
		return p, "", false
	}
	np := p
	np.Left = e
	// The value side moves one level down.
	np.Right.Columns = shiftOuter(p.Right.Columns)
	return np, inner, true
}

func shiftOuter(cols []ColumnRef) []ColumnRef {
	if cols == nil {
		return nil
	}
	out := make([]ColumnRef, len(cols))
	for i, c := range cols {
		c.Outer++
		out[i] = c
	}
	return out
}

// mapExpr maps a plain column of the item referencing q to the column of
// q's FROM item it projects.
func mapExpr(q *Query, e Expr) (Expr, string, bool) {
	if e.Kind != ExprColumn || e.Column == nil || e.Column.Outer != 0 {
		return e, "", false
	}
	c := *e.Column
	var found *ColumnRef
	text, key := c.Column, ""
	for _, t := range q.Select {
		if t.Star || t.Expr.Kind != ExprColumn || t.Expr.Column == nil || t.Expr.Column.Outer != 0 || t.Expr.Column.Rel == "" {
			continue
		}
		tc := t.Expr.Column
		match := false
		if c.Table.Name != "" {
			match = tc.Table == c.Table && tc.Column == c.Column
		} else {
			match = t.Name == c.Column
		}
		if match {
			if found != nil && (found.Rel != tc.Rel || found.Column != tc.Column) {
				return e, "", false
			}
			x := *tc
			found = &x
			text, key = t.Expr.Text, t.Expr.Key
		}
	}
	if found == nil && c.Table.Name != "" {
		// SELECT * FROM t: the column comes from the only item holding
		// that table.
		for _, t := range q.Select {
			if !t.Star {
				continue
			}
			for _, r := range q.From {
				if r.Kind == RelTable && r.Table == c.Table && (t.StarRel == "" || t.StarRel == r.Alias) {
					if found != nil && found.Rel != r.Alias {
						return e, "", false
					}
					found = &ColumnRef{Rel: r.Alias, Query: q.ID, Table: r.Table, Column: c.Column, Location: c.Location}
				}
			}
		}
	}
	if found == nil {
		return e, "", false
	}
	ne := e
	ne.Text, ne.Key = text, key
	ne.Column = found
	ne.Columns = []ColumnRef{*found}
	return ne, found.Rel, true
}
