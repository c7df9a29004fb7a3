package sqlparse

import (
	"fmt"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// testSchema is a Schema for tests: a users/orders/order_items shop and
// a view.
type testSchema struct {
	tables map[string][]string
	views  map[string]string
}

func (s testSchema) Columns(t query.TableName) ([]string, bool) {
	c, ok := s.tables[t.Name]
	return c, ok
}

func (s testSchema) View(t query.TableName) (string, bool) {
	v, ok := s.views[t.Name]
	return v, ok
}

var shop = testSchema{
	tables: map[string][]string{
		"users":       {"id", "email", "name", "active", "created_at", "deleted_at", "data", "tags"},
		"orders":      {"id", "user_id", "status", "total", "created_at", "shipped_at"},
		"order_items": {"order_id", "product_id", "qty", "price"},
		"products":    {"id", "sku", "name", "price", "tags", "data"},
	},
	views: map[string]string{
		"active_users":  "SELECT id, email, name FROM users WHERE deleted_at IS NULL",
		"order_totals":  "SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id",
		"unknown_def":   "",
		"recent_orders": "SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.created_at > now() - interval '7 days'",
	},
}

// The summary is a compact, complete, line-oriented rendering of a model
// (everything but byte locations), which table tests compare with
// go-cmp. The golden JSON files hold the full model.

func colSummary(c query.ColumnRef) string {
	var b strings.Builder
	if c.Rel == "" {
		b.WriteString("?")
	} else {
		b.WriteString(c.Rel)
	}
	b.WriteString(".")
	b.WriteString(c.Column)
	if c.Table.Name != "" {
		b.WriteString("(" + c.Table.String() + ")")
	}
	fmt.Fprintf(&b, "@%d", c.Query)
	if c.Outer > 0 {
		fmt.Fprintf(&b, "^%d", c.Outer)
	}
	if len(c.Candidates) > 0 {
		b.WriteString("{" + strings.Join(c.Candidates, "|") + "}")
	}
	return b.String()
}

func exprSummary(e query.Expr) string {
	if e.Kind == "" && e.Text == "" {
		return "-"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%s", e.Kind, e.Text)
	if e.Key != "" {
		fmt.Fprintf(&b, " key=%s", e.Key)
	}
	if e.Func != "" {
		fmt.Fprintf(&b, " func=%s", e.Func)
	}
	if e.Kind == query.ExprConst {
		fmt.Fprintf(&b, " value=%q", e.Value)
	}
	if e.Kind == query.ExprSubquery {
		fmt.Fprintf(&b, " q=%d", e.Query)
	}
	if len(e.Columns) > 0 && e.Kind != query.ExprColumn {
		var cs []string
		for _, c := range e.Columns {
			cs = append(cs, colSummary(c))
		}
		b.WriteString(" [" + strings.Join(cs, " ") + "]")
	}
	if e.Kind == query.ExprColumn && e.Column != nil {
		b.WriteString(" " + colSummary(*e.Column))
	}
	if len(e.Items) > 0 {
		var is []string
		for _, it := range e.Items {
			is = append(is, exprSummary(it))
		}
		b.WriteString(" items{" + strings.Join(is, "; ") + "}")
	}
	if e.Volatile {
		b.WriteString(" volatile")
	}
	if e.Aggregate {
		b.WriteString(" aggregate")
	}
	if e.Window {
		b.WriteString(" window")
	}
	return b.String()
}

func predSummary(p query.Predicate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q", p.Clause, p.Text)
	switch p.Op {
	case query.OpOr:
		var brs []string
		for _, br := range p.Or {
			var ps []string
			for _, q := range br {
				ps = append(ps, predSummary(q))
			}
			brs = append(brs, strings.Join(ps, " AND "))
		}
		b.WriteString(" OR[" + strings.Join(brs, " | ") + "]")
		return b.String()
	case query.OpNot:
		var ps []string
		for _, q := range p.Not {
			ps = append(ps, predSummary(q))
		}
		b.WriteString(" NOT[" + strings.Join(ps, " AND ") + "]")
		return b.String()
	}
	fmt.Fprintf(&b, " op=%s", p.Op)
	if p.Operator != "" {
		fmt.Fprintf(&b, " operator=%s", p.Operator)
	}
	if p.Like != "" {
		fmt.Fprintf(&b, " like=%s", p.Like)
		if p.Prefix != "" {
			fmt.Fprintf(&b, "(%s)", p.Prefix)
		}
	}
	fmt.Fprintf(&b, " L=<%s> R=<%s>", exprSummary(p.Left), exprSummary(p.Right))
	return b.String()
}

func summarize(st *query.Statement) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	head := fmt.Sprintf("%s %s", st.Kind, st.Tag)
	if st.Target != nil {
		head += " target=" + st.Target.String()
	}
	if st.TargetAlias != "" {
		head += " alias=" + st.TargetAlias
	}
	if st.Params > 0 {
		head += fmt.Sprintf(" params=%d", st.Params)
	}
	if st.Locking != "" {
		head += " locking=" + st.Locking
	}
	if st.CurrentOf != "" {
		head += " current_of=" + st.CurrentOf
	}
	if len(st.InsertColumns) > 0 {
		head += " insert(" + strings.Join(st.InsertColumns, ",") + ")"
	}
	if st.InsertRows > 0 {
		head += fmt.Sprintf(" rows=%d", st.InsertRows)
	}
	add("%s", head)
	if oc := st.OnConflict; oc != nil {
		add("on conflict cols=%v constraint=%q do_update=%v", oc.Columns, oc.Constraint, oc.DoUpdate)
		for _, p := range oc.TargetWhere {
			add("  target where %s", predSummary(p))
		}
		for _, p := range oc.Where {
			add("  where %s", predSummary(p))
		}
	}
	for _, a := range st.Set {
		add("set %s = %s", a.Column, exprSummary(a.Value))
	}
	for _, r := range st.Returning {
		add("returning %s", targetSummary(r))
	}
	for _, m := range st.Merge {
		add("merge when %s then %s", m.Match, m.Command)
		for _, p := range m.Condition {
			add("  and %s", predSummary(p))
		}
		for _, a := range m.Set {
			add("  set %s = %s", a.Column, exprSummary(a.Value))
		}
		if len(m.Columns) > 0 || len(m.Values) > 0 {
			var vs []string
			for _, v := range m.Values {
				vs = append(vs, exprSummary(v))
			}
			add("  insert (%s) values (%s)", strings.Join(m.Columns, ","), strings.Join(vs, "; "))
		}
	}
	for _, q := range st.Queries {
		h := fmt.Sprintf("Q%d %s parent=%d", q.ID, q.Role, q.Parent)
		for _, f := range []struct {
			on bool
			s  string
		}{
			{q.Name != "", "name=" + q.Name}, {q.Recursive, "recursive"}, {q.Materialized != "", q.Materialized},
			{q.SetOp != "", "setop=" + string(q.SetOp)}, {q.SetAll, "all"}, {len(q.Arms) > 0, fmt.Sprintf("arms=%v", q.Arms)},
			{q.Command != "", "command=" + string(q.Command)}, {q.Target != nil, "target=" + targetName(q.Target)},
			{q.Distinct, "distinct"}, {q.Aggregates, "aggregates"}, {q.Windows, "windows"},
			{q.GroupingSets, "grouping_sets"}, {q.LimitWithTies, "with_ties"}, {q.Locking != "", "locking=" + q.Locking},
		} {
			if f.on {
				h += " " + f.s
			}
		}
		add("%s", h)
		for _, r := range q.From {
			s := fmt.Sprintf("  from %s %s", r.Kind, r.Alias)
			if r.Table.Name != "" {
				s += " table=" + r.Table.String()
			}
			if r.Query >= 0 {
				s += fmt.Sprintf(" q=%d", r.Query)
			}
			if r.Function != "" {
				s += " func=" + r.Function
			}
			if r.Lateral {
				s += " lateral"
			}
			if r.Only {
				s += " only"
			}
			if len(r.Columns) > 0 {
				s += " cols(" + strings.Join(r.Columns, ",") + ")"
			}
			add("%s", s)
		}
		for _, j := range q.Joins {
			s := fmt.Sprintf("  join %s %v %s", j.Type, j.Left, j.Right)
			if len(j.RightRels) > 0 {
				s += fmt.Sprintf(" right_rels=%v", j.RightRels)
			}
			if j.Natural {
				s += " natural"
			}
			if len(j.Using) > 0 {
				s += fmt.Sprintf(" using=%v", j.Using)
			}
			add("%s", s)
			for _, p := range j.On {
				add("    %s", predSummary(p))
			}
		}
		for _, t := range q.Select {
			add("  select %s", targetSummary(t))
		}
		for _, p := range q.Where {
			add("  %s", predSummary(p))
		}
		for _, e := range q.GroupBy {
			add("  group by %s", exprSummary(e))
		}
		for _, p := range q.Having {
			add("  %s", predSummary(p))
		}
		for _, e := range q.DistinctOn {
			add("  distinct on %s", exprSummary(e))
		}
		for _, o := range q.OrderBy {
			s := "  order by " + exprSummary(o.Expr)
			if o.Desc {
				s += " desc"
			}
			if o.Nulls != "" {
				s += " nulls " + string(o.Nulls)
			}
			if o.Using != "" {
				s += " using " + o.Using
			}
			add("%s", s)
		}
		if q.Limit != nil {
			add("  limit %s", exprSummary(*q.Limit))
		}
		if q.Offset != nil {
			add("  offset %s", exprSummary(*q.Offset))
		}
		for _, row := range q.Values {
			var vs []string
			for _, v := range row {
				vs = append(vs, exprSummary(v))
			}
			add("  values (%s)", strings.Join(vs, "; "))
		}
		if len(q.Columns) > 0 {
			var cs []string
			for _, c := range q.Columns {
				cs = append(cs, c.Rel+"."+c.Column)
			}
			add("  columns %s", strings.Join(cs, " "))
		}
	}
	if st.Inner != nil {
		for _, l := range summarize(st.Inner) {
			add("inner: %s", l)
		}
	}
	return out
}

func targetName(t *query.TableName) string {
	if t == nil {
		return ""
	}
	return t.String()
}

func targetSummary(t query.Target) string {
	if t.Star {
		s := "*"
		if t.StarRel != "" {
			s = t.StarRel + ".*"
		}
		if len(t.Expr.Columns) > 0 {
			var cs []string
			for _, c := range t.Expr.Columns {
				cs = append(cs, colSummary(c))
			}
			s += " [" + strings.Join(cs, " ") + "]"
		}
		return s
	}
	return fmt.Sprintf("%s = %s", t.Name, exprSummary(t.Expr))
}
