// Package missingindex reports table accesses of a query that no existing
// index can serve, with the index to create.
package missingindex

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/ddl"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/sqltext"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/walk"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// MinRows is the number of rows (from statistics) below which a table is
// too small for a missing index to matter: PostgreSQL reads a small table
// whole faster than it walks an index.
const MinRows = 10000

// Check is the missing-index check.
var Check = &check.Check{
	Name: "missing-index",
	Doc: fmt.Sprintf(`Filter, join or ORDER BY ... LIMIT that no existing index can serve.

Finds, for every table a statement reads (in every subquery, CTE and view
it expands, and in the query of EXPLAIN or CREATE TABLE AS), the
conditions an index scan could start from when no index of the schema
can:

  - filters: a column or expression compared with a value (=, IN, <, >,
    BETWEEN, IS NULL, LIKE 'prefix%%', a boolean column, @> and the other
    GIN operators);
  - join keys, when another table of the join has filters of its own (a
    nested loop then looks this table up by the key);
  - ORDER BY ... LIMIT on the table's columns.

An index serves a condition when it is valid, its first key is the
condition's column or expression, and its method supports the operator
(B-tree: =, IN, ranges, IS NULL, and LIKE 'prefix%%' only with a
*_pattern_ops operator class or the C collation; hash: = only; GIN, GiST,
SP-GiST: their operators; BRIN: ranges). A partial index counts only when
the query's filters imply its predicate (x = 5 implies WHERE x > 3). An
ORDER BY ... LIMIT is served by a B-tree whose keys, after the keys fixed
by equality filters, are the ORDER BY items in their directions and NULLS
order, or all of them reversed.

Reported:

  - a table none of whose conditions any index serves;
  - partly served, only when the gain is clear: the block has ORDER BY
    ... LIMIT, the indexes that serve a filter use only equality keys and
    do not return the ORDER BY order (every match is read, then sorted),
    and the proposed index fixes the same keys and then returns the
    order, reading only the first matches. Other partly served cases (an
    index on one of two equality columns, one bounding a range while
    another column is compared with =) depend on the data: run pgadvisor
    advise, which measures them.

Not reported: lookups of one row through a unique index (every key
compared with =), foreign tables, and conditions no index can use (<>,
LIKE '%%...', arithmetic on the column: see non-sargable).

Why it matters: without an index PostgreSQL reads the whole table on every
execution (or reads and sorts every match to return a few rows); the cost
grows with the table and competes with everything else for I/O and cache.

How to fix: create the index the finding proposes: help and fix carry the
CREATE INDEX CONCURRENTLY statement (without CONCURRENTLY on a
partitioned table, which refuses it; equality keys first, then a range or
the ORDER BY keys; expression keys such as lower(email); a partial
predicate for IS NULL and boolean filters; INCLUDE columns for an
index-only scan when the query reads few narrow columns). Check with
EXPLAIN that the plan uses it, or measure it with pgadvisor advise.

Severity: warning. Threshold: with statistics (a schema read from a live
database), tables under %d rows are not reported. Needs a schema.`, MinRows),
	Severity:     check.Warning,
	Reads:        check.ReadsStatements,
	NeedsCatalog: true,
	Run:          run,
}

func run(pass *check.Pass) error {
	for _, s := range pass.Statements {
		st := s.Query() // EXPLAIN, CREATE TABLE AS, ... run their query
		if st == nil || len(st.Queries) == 0 {
			continue
		}
		// The same view expanded twice yields the same finding twice,
		// both placed on the statement: report it once.
		seen := map[string]bool{}
		for _, a := range s.Accesses {
			t := pass.Catalog.Table(a.Table)
			if t == nil || t.Kind == catalog.KindView || t.Kind == catalog.KindForeign {
				continue
			}
			if t.Stats != nil && t.Stats.RowEstimate >= 0 && t.Stats.RowEstimate < MinRows {
				continue
			}
			if uniqueLookup(t, a.Filters) {
				continue // one row at most: nothing to gain
			}
			need := needOf(s.Accesses, a, t)
			if need == nil {
				continue
			}
			f, ok := finding(pass, s, st, a, t, need)
			if !ok {
				continue
			}
			key := f.Pos.String() + "\x00" + f.Message
			if seen[key] {
				continue
			}
			seen[key] = true
			pass.Report(f)
		}
	}
	return nil
}

// need is what an index on one table should serve for one access.
type need struct {
	// preds are the selective indexable conditions (filters, else join
	// keys; join tells which); subset are the filters that select a
	// fixed share of the rows (a boolean column, IS [NOT] NULL), which an
	// index rarely narrows much.
	preds  []query.Predicate
	subset []query.Predicate
	join   bool
	// order is the ORDER BY to serve, when the block has a LIMIT.
	order []query.OrderItem
	// filters are all the access's filters, to test partial indexes.
	filters []query.Predicate
}

// needOf returns what an index should serve for access a, or nil when an
// index has nothing to do there.
func needOf(all []query.Access, a query.Access, t *catalog.Table) *need {
	n := &need{filters: a.Filters}
	for _, p := range a.Filters {
		switch {
		case !indexable(p, t):
		case subsetFilter(p):
			n.subset = append(n.subset, p)
		default:
			n.preds = append(n.preds, p)
		}
	}
	if a.Limit != nil && len(a.OrderBy) > 0 && orderIndexable(a.OrderBy, t) {
		n.order = a.OrderBy
	}
	if len(n.preds) > 0 || len(n.subset) > 0 || n.order != nil {
		return n
	}
	// Join keys matter when another table of the block has filters: a
	// nested loop then starts there and looks this table up by the key.
	if !othersFiltered(all, a) {
		return nil
	}
	for _, p := range a.JoinKeys {
		if indexable(p, t) {
			n.preds = append(n.preds, p)
		}
	}
	if len(n.preds) == 0 {
		return nil
	}
	n.join = true
	return n
}

// subsetFilter reports whether p tests a column for a fixed subset of
// rows: a boolean column, IS NULL, IS NOT NULL.
func subsetFilter(p query.Predicate) bool {
	switch p.Op {
	case query.OpIsTrue, query.OpIsFalse, query.OpIsNull, query.OpIsNotNull:
		return true
	}
	return false
}

// indexable reports whether an index could serve p.
func indexable(p query.Predicate, t *catalog.Table) bool {
	use, _ := candidate.Classify(p)
	return use != candidate.UseNone && candidate.Indexable(p.Left, t)
}

// orderIndexable reports whether every ORDER BY item can be an index key.
func orderIndexable(items []query.OrderItem, t *catalog.Table) bool {
	for _, o := range items {
		if _, ok := candidate.KeyOf(o.Expr); !ok || o.Using != "" || !candidate.Indexable(o.Expr, t) {
			return false
		}
	}
	return true
}

// othersFiltered reports whether another base table of a's block has an
// indexable filter.
func othersFiltered(all []query.Access, a query.Access) bool {
	for _, o := range all {
		if o.Query != a.Query || o.Rel == a.Rel {
			continue
		}
		for _, p := range o.Filters {
			if use, _ := candidate.Classify(p); use != candidate.UseNone {
				return true
			}
		}
	}
	return false
}

// served reports whether some index of t serves the need: a selective
// condition when there is one (an index that only returns rows in ORDER
// BY order would walk past every row the condition rejects); else the
// ORDER BY ... LIMIT when there is one; else a subset filter.
func (n *need) served(t *catalog.Table) bool {
	for _, ix := range n.usable(t) {
		switch {
		case len(n.preds) > 0:
			if n.servesPred(ix, t) {
				return true
			}
		case n.order != nil:
			if servesOrder(ix, n.filters, n.order) {
				return true
			}
		default:
			for _, p := range n.subset {
				if servesPredicate(ix, t, p) {
					return true
				}
			}
		}
	}
	return false
}

// usable returns the indexes of t a scan for the need may use: valid,
// with keys, and partial ones only when the filters imply their
// predicate.
func (n *need) usable(t *catalog.Table) []*catalog.Index {
	var out []*catalog.Index
	for _, ix := range t.Indexes {
		if ix.Usable() && len(ix.Keys) > 0 && ix.Applies(n.filters) {
			out = append(out, ix)
		}
	}
	return out
}

// servesPred reports whether an index scan of ix can start from one of
// the need's selective conditions.
func (n *need) servesPred(ix *catalog.Index, t *catalog.Table) bool {
	return slices.ContainsFunc(n.preds, func(p query.Predicate) bool { return servesPredicate(ix, t, p) })
}

// partlyServed returns the index that serves the need's filters but
// not its ORDER BY ... LIMIT, when the gain of the proposal over it is
// clear: the block has ORDER BY ... LIMIT; every usable index that serves
// a filter does so through equality keys only (no range bound) and does
// not return rows in the ORDER BY order, so PostgreSQL reads every
// matching row and sorts them; and the proposal fixes the same equality
// keys and then returns rows in order, reading only the first LIMIT
// matches. In every other partly served case (an index on one of two
// equality columns, one bounding a range while another column is
// compared for equality) the gain depends on the data, and pgadvisor
// advise measures it instead. nil when no such index exists.
func (n *need) partlyServed(t *catalog.Table, proposal *catalog.Index) *catalog.Index {
	if n.order == nil || len(n.preds) == 0 || n.join {
		return nil
	}
	if !n.servesPred(proposal, t) || !servesOrder(proposal, n.filters, n.order) {
		return nil
	}
	var by *catalog.Index
	for _, ix := range n.usable(t) {
		if !n.servesPred(ix, t) {
			continue
		}
		if servesOrder(ix, n.filters, n.order) {
			return nil
		}
		for _, k := range ix.Keys {
			if !fixedByEquality(k, n.filters) {
				if slices.ContainsFunc(n.preds, func(p query.Predicate) bool { return k.Matches(p.Left) }) {
					return nil // it bounds a range the proposal may not
				}
				break
			}
			if !slices.ContainsFunc(proposal.Keys, func(pk catalog.IndexKey) bool { return candidate.SameKey(pk, k) }) {
				return nil // it fixes a key the proposal lacks
			}
		}
		if by == nil {
			by = ix
		}
	}
	return by
}

// servesPredicate reports whether an index scan of ix can start from p:
// its first key is p's column or expression and its method supports the
// operator.
func servesPredicate(ix *catalog.Index, t *catalog.Table, p query.Predicate) bool {
	first := ix.Keys[0]
	if !first.Matches(p.Left) {
		return false
	}
	use, _ := candidate.Classify(p)
	switch ix.Method {
	case "btree":
		switch use {
		case candidate.UseEq, candidate.UseRange:
			return true
		case candidate.UsePattern:
			return p.Like == query.LikeExact || strings.HasSuffix(first.Opclass, "_pattern_ops") ||
				collationC(first.Collation) || first.Collation == "" && first.Column != "" && columnCollationC(t, first.Column)
		}
	case "hash":
		return p.Op == query.OpEq && len(ix.Keys) == 1
	case "gin":
		return use == candidate.UseGIN
	case "gist", "spgist":
		return use == candidate.UseGIN || use == candidate.UseRange && strings.Contains(first.Opclass, "btree")
	case "brin":
		return use == candidate.UseEq && p.Op == query.OpEq || use == candidate.UseRange
	}
	return false
}

func collationC(c string) bool { return c == "C" || c == "POSIX" }

func columnCollationC(t *catalog.Table, col string) bool {
	c := t.Column(col)
	return c != nil && collationC(c.Collation)
}

// servesOrder reports whether a B-tree index returns rows in the ORDER BY
// order: after leading keys fixed by equality filters, its keys are the
// ORDER BY items, all in their directions or all reversed.
func servesOrder(ix *catalog.Index, filters []query.Predicate, order []query.OrderItem) bool {
	if ix.Method != "btree" {
		return false
	}
	// ORDER BY items fixed by an equality filter do not order anything
	// (PostgreSQL drops them from the sort keys).
	order = slices.DeleteFunc(slices.Clone(order), func(o query.OrderItem) bool {
		k, ok := candidate.KeyOf(o.Expr)
		return ok && fixedByEquality(k, filters)
	})
	if len(order) == 0 {
		return true
	}
	keys := ix.Keys
	for len(keys) > 0 && fixedByEquality(keys[0], filters) && !slices.ContainsFunc(order, func(o query.OrderItem) bool { return keys[0].Matches(o.Expr) }) {
		keys = keys[1:]
	}
	if len(keys) < len(order) {
		return false
	}
	forward, backward := true, true
	for i, o := range order {
		k := keys[i]
		if !k.Matches(o.Expr) {
			return false
		}
		same := k.Desc == o.Desc && nullsFirst(k.Desc, k.Nulls) == nullsFirst(o.Desc, o.Nulls)
		reversed := k.Desc != o.Desc && nullsFirst(k.Desc, k.Nulls) != nullsFirst(o.Desc, o.Nulls)
		forward = forward && same
		backward = backward && reversed
	}
	return forward || backward
}

// fixedByEquality reports whether a filter fixes key k to one value.
func fixedByEquality(k catalog.IndexKey, filters []query.Predicate) bool {
	for _, p := range filters {
		if (p.Op == query.OpEq || p.Op == query.OpIsNull || p.Op == query.OpIsTrue || p.Op == query.OpIsFalse) && k.Matches(p.Left) {
			return true
		}
	}
	return false
}

// nullsFirst reports whether an ascending or descending key sorts NULLs
// first: DESC defaults to NULLS FIRST, ASC to NULLS LAST.
func nullsFirst(desc bool, n query.Nulls) bool {
	switch n {
	case query.NullsFirst:
		return true
	case query.NullsLast:
		return false
	}
	return desc
}

// finding builds the finding for access a when the need is not served,
// or only partly served with a clear gain (need.partlyServed); ok is
// false when there is nothing to report or nothing to propose.
func finding(pass *check.Pass, s *check.Statement, st *query.Statement, a query.Access, t *catalog.Table, n *need) (f check.Finding, ok bool) {
	// The proposal serves what was found unserved: the filters (or the
	// join keys, or the ORDER BY) with the block's ORDER BY and LIMIT.
	sub := a
	sub.JoinKeys = nil
	if n.join {
		sub.Filters, sub.JoinKeys = nil, n.preds
	}
	if len(n.preds) == 0 && n.order == nil {
		sub.OrderBy, sub.Limit = nil, nil
	}
	ix := candidate.For(sub, t, candidate.Options{Taken: ddl.Taken(pass.Catalog, t.Schema)})
	if ix == nil {
		return f, false
	}
	table := ddl.Name(t.Key())
	var msg string
	pos := position(s, st, a, n)
	if n.served(t) {
		by := n.partlyServed(t, ix.CatalogIndex(t.Schema))
		if by == nil {
			return f, false
		}
		msg = fmt.Sprintf("index %s serves %s but not %s: every matching row is read and sorted to return the first ones",
			ddl.Name(by.Key()), predList(usedBy(by, n.preds)), orderText(n.order))
		pos = orderPosition(s, st, a, pos)
	} else {
		var what string
		switch {
		case n.join:
			what = "the join on " + predList(n.preds)
		case len(n.preds) > 0:
			what = predList(n.preds)
		case n.order != nil:
			what = orderText(n.order)
			if len(n.subset) > 0 {
				what = "WHERE " + predList(n.subset) + " " + what
			}
		default:
			what = predList(n.subset)
		}
		msg = fmt.Sprintf("no index of %s serves %s: %s", table, what, consequence(n, table))
	}
	ddlText, note := ddl.CreateIndex(pass.Catalog, ix, t)
	help := "create the index"
	if len(ix.Serves) > 0 {
		help += " (it serves " + strings.Join(ix.Serves, "; ") + ")"
	}
	if note != "" {
		help += "; " + note
	}
	return check.Finding{
		Check:       pass.Check.Name,
		Severity:    pass.Check.Severity,
		Pos:         pos,
		Fingerprint: s.Fingerprint,
		Message:     msg,
		Help:        help,
		Fix:         &check.Fix{SQL: ddlText + ";", Index: ix},
	}, true
}

// usedBy returns the conditions of preds on the leading keys of ix.
func usedBy(ix *catalog.Index, preds []query.Predicate) []query.Predicate {
	var out []query.Predicate
	for _, k := range ix.Keys {
		n := len(out)
		for _, p := range preds {
			if k.Matches(p.Left) {
				out = append(out, p)
			}
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// uniqueLookup reports whether the filters fix every key of a valid,
// non-partial unique index of t with =: the scan returns one row at most,
// which the unique index already finds.
func uniqueLookup(t *catalog.Table, filters []query.Predicate) bool {
	for _, ix := range t.Indexes {
		if !ix.Unique || !ix.Usable() || ix.Partial() || len(ix.Keys) == 0 || ix.Method != "btree" {
			continue
		}
		all := true
		for _, k := range ix.Keys {
			if !slices.ContainsFunc(filters, func(p query.Predicate) bool { return p.Op == query.OpEq && k.Matches(p.Left) }) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// orderText writes ORDER BY ... LIMIT.
func orderText(order []query.OrderItem) string {
	var items []string
	for _, o := range order {
		item := o.Expr.Text
		if o.Desc {
			item += " DESC"
		}
		items = append(items, item)
	}
	return fmt.Sprintf("ORDER BY %s LIMIT", strings.Join(items, ", "))
}

// consequence says what PostgreSQL does without the index.
func consequence(n *need, table string) string {
	switch {
	case n.order != nil && len(n.preds) == 0:
		return "every row is read and sorted to return the first ones"
	case n.join:
		return fmt.Sprintf("each lookup into %s reads the whole table, or the join hashes all of it", table)
	}
	return "every row is read to find the matching ones"
}

// predList writes at most three predicates.
func predList(ps []query.Predicate) string {
	var texts []string
	for _, p := range ps {
		if t := predText(p); !slices.Contains(texts, t) {
			texts = append(texts, t)
		}
	}
	if len(texts) > 3 {
		texts = append(texts[:3], "...")
	}
	return strings.Join(texts, " AND ")
}

// predText writes a predicate, the other side of a join key qualified
// with its alias (user_id = u.id), since the model's canonical text
// leaves columns unqualified.
func predText(p query.Predicate) string {
	r := p.Right
	if r.Kind == query.ExprColumn && r.Column != nil && r.Column.Rel != "" && p.Left.Text != "" && comparison[p.Op] {
		return fmt.Sprintf("%s %s %s.%s", p.Left.Text, p.Op, r.Column.Rel, r.Column.Column)
	}
	return p.Text
}

// comparison are the operators predText writes between two columns.
var comparison = map[query.Op]bool{query.OpEq: true, query.OpLt: true, query.OpLe: true, query.OpGt: true, query.OpGe: true}

// position places the finding on the first unserved condition, or on the
// ORDER BY; in a view's expanded definition (whose offsets are not in the
// statement), on the statement.
func position(s *check.Statement, st *query.Statement, a query.Access, n *need) check.Position {
	if inView(st, a.Query) {
		return sqltext.Start(s)
	}
	conds := n.preds
	if len(conds) == 0 && n.order == nil {
		conds = n.subset
	}
	if len(conds) > 0 {
		start := walk.Start(conds[0])
		for _, p := range conds[1:] {
			start = min(start, walk.Start(p))
		}
		if start >= 0 {
			return s.PosAt(sqltext.ExprStart(s.Text, start))
		}
	}
	for _, r := range st.Queries[a.Query].From {
		if r.Alias == a.Rel {
			if n.order != nil {
				if off := sqltext.Find(s.Text, r.Location, "order"); off >= 0 {
					return s.PosAt(off)
				}
			}
			return s.PosAt(r.Location)
		}
	}
	return sqltext.Start(s)
}

// orderPosition places a finding about the ORDER BY of access a on the
// ORDER BY keyword after its FROM item; else at def.
func orderPosition(s *check.Statement, st *query.Statement, a query.Access, def check.Position) check.Position {
	if inView(st, a.Query) {
		return def
	}
	for _, r := range st.Queries[a.Query].From {
		if r.Alias == a.Rel {
			if off := sqltext.Find(s.Text, r.Location, "order"); off >= 0 {
				return s.PosAt(off)
			}
		}
	}
	return def
}

// inView reports whether block id is (inside) the expanded definition of
// a view.
func inView(st *query.Statement, id int) bool {
	for seen := 0; id >= 0 && id < len(st.Queries) && seen <= len(st.Queries); seen++ {
		if st.Queries[id].Role == query.RoleView {
			return true
		}
		id = st.Queries[id].Parent
	}
	return false
}
