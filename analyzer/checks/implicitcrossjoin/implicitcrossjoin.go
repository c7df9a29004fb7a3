// Package implicitcrossjoin reports FROM items that no join condition
// links to the rest of the query: an accidental Cartesian product.
package implicitcrossjoin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// Check is the implicit-cross-join check.
var Check = &check.Check{
	Name: "implicit-cross-join",
	Doc: `FROM items with no join condition linking them: an accidental Cartesian product.

Finds, in every query block (including UPDATE ... FROM and DELETE ...
USING), FROM items that no condition connects to the others: neither a
JOIN ... ON / USING, nor a WHERE condition comparing their columns, directly
or through other items. FROM a, b WHERE a.id = b.a_id is fine; FROM a, b
WHERE b.status = 'paid' is reported at b.

Not reported: an explicit CROSS JOIN (the product is written on purpose),
LATERAL items and set-returning functions (unnest(a.tags),
generate_series(...)), VALUES lists, subqueries or CTEs that return a
single row (an aggregate without GROUP BY, LIMIT 1), outer joins, and
JOIN ... ON true.

Why it matters: every row of one side is paired with every row of the
other: 10,000 users and 100,000 orders make a billion rows, a query that
never finishes, or wrong totals when it does.

How to fix: add the missing condition (JOIN orders o ON o.user_id = u.id);
if the product is intended, write CROSS JOIN to say so.

Severity: warning. No threshold.`,
	Severity: check.Warning,
	Reads:    check.ReadsStatements,
	Run:      run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		st := s.Model
		if st == nil {
			continue
		}
		for i := range st.Queries {
			for _, f := range unlinked(st, &st.Queries[i]) {
				pass.Reportf(s.PosAt(f.location), s.Fingerprint,
					fmt.Sprintf("add the join condition that relates %s to %s (JOIN ... ON ...), or write CROSS JOIN if every combination is really wanted", f.items, f.others),
					"no join condition links %s to %s: every row of one is paired with every row of the other (a Cartesian product)", f.items, f.others)
			}
		}
	}
	return nil
}

// product is one group of FROM items not linked to the first one.
type product struct {
	location int
	items    string // the group's items
	others   string // the items of the first group
}

// unlinked returns, for block q, each group of linked FROM items other
// than the group of its first item, when some implicit or inner join put
// it there.
func unlinked(st *query.Statement, q *query.Query) []product {
	if len(q.From) < 2 {
		return nil
	}
	index := map[string]int{}
	for i, r := range q.From {
		index[r.Alias] = i
	}
	uf := newUnionFind(len(q.From))
	joinOf := map[int]query.Join{}
	for _, j := range q.Joins {
		if i, ok := index[j.Right]; ok {
			joinOf[i] = j
		}
	}
	// Items that need no condition are linked to the first item.
	for i, r := range q.From {
		if i > 0 && exempt(st, r, joinOf[i]) {
			uf.union(0, i)
		}
	}
	// Joins written with USING or NATURAL link their two sides.
	for _, j := range q.Joins {
		if !j.Natural && len(j.Using) == 0 {
			continue
		}
		for _, l := range j.Left {
			uf.union(index[l], index[j.Right])
		}
	}
	link := func(p query.Predicate) {
		rels := map[int]bool{}
		add := func(c query.ColumnRef) {
			if c.Query != q.ID {
				return
			}
			if i, ok := index[c.Rel]; ok {
				rels[i] = true
			}
		}
		walk.PredicateColumns(p, add)
		walk.Subqueries(p, func(id int) {
			for _, d := range walk.Descendants(st, id) {
				if d < 0 || d >= len(st.Queries) {
					continue
				}
				walk.Predicates(&st.Queries[d], func(sp *query.Predicate, _ bool) {
					walk.Columns(sp.Left, add)
					walk.Columns(sp.Right, add)
				})
			}
		})
		first := -1
		for i := range q.From {
			if rels[i] {
				if first < 0 {
					first = i
				} else {
					uf.union(first, i)
				}
			}
		}
	}
	for _, p := range q.Where {
		link(p)
	}
	for _, j := range q.Joins {
		for _, p := range j.On {
			link(p)
		}
	}

	root := uf.find(0)
	var firstGroup []string
	groups := map[int][]int{}
	var order []int
	for i := range q.From {
		r := uf.find(i)
		if r == root {
			firstGroup = append(firstGroup, describe(q.From[i]))
			continue
		}
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out []product
	for _, r := range order {
		members := groups[r]
		var names []string
		for _, i := range members {
			names = append(names, describe(q.From[i]))
		}
		loc := q.From[members[0]].Location
		out = append(out, product{location: loc, items: list(names), others: list(firstGroup)})
	}
	return out
}

// exempt reports whether FROM item r, joined by j, is allowed to have no
// join condition: written CROSS JOIN, an outer join, ON true, LATERAL, a
// function or VALUES list, or a single-row subquery or CTE.
func exempt(st *query.Statement, r query.Relation, j query.Join) bool {
	switch j.Type {
	case query.JoinCross, query.JoinLeft, query.JoinRight, query.JoinFull:
		return true
	case query.JoinInner:
		if len(j.On) > 0 && !referencesColumns(j.On) {
			return true // ON true: written on purpose
		}
	}
	if r.Lateral {
		return true
	}
	switch r.Kind {
	case query.RelFunction, query.RelValues:
		return true
	case query.RelSubquery, query.RelCTE:
		if r.Query >= 0 && r.Query < len(st.Queries) && singleRow(&st.Queries[r.Query]) {
			return true
		}
	}
	return false
}

// referencesColumns reports whether some predicate mentions a column.
func referencesColumns(ps []query.Predicate) bool {
	found := false
	for _, p := range ps {
		walk.PredicateColumns(p, func(query.ColumnRef) { found = true })
	}
	return found
}

// singleRow reports whether a block returns at most one row: an aggregate
// without GROUP BY, LIMIT 1, or a single VALUES row.
func singleRow(q *query.Query) bool {
	if q.Aggregates && len(q.GroupBy) == 0 {
		return true
	}
	if q.Limit != nil && q.Limit.Kind == query.ExprConst {
		if n, err := strconv.Atoi(strings.TrimSpace(q.Limit.Value)); err == nil && n <= 1 {
			return true
		}
	}
	if len(q.From) == 0 && len(q.Values) <= 1 && q.SetOp == query.SetNone {
		return true
	}
	return false
}

// describe names a FROM item as written: "orders o", "orders".
func describe(r query.Relation) string {
	name := r.Table.String()
	if r.Kind == query.RelSubquery || name == "" {
		return "subquery " + r.Alias
	}
	if r.Alias != "" && r.Alias != r.Table.Name {
		return name + " " + r.Alias
	}
	return name
}

// list joins names with commas and "and".
func list(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// unionFind groups FROM items by the conditions linking them.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	// The smaller index wins, so that the first item's group keeps item
	// 0 as its root.
	if ra < rb {
		u[rb] = ra
	} else {
		u[ra] = rb
	}
}
